"""Muon: momentum whose update matrix is orthogonalized before it is applied.

For a weight matrix, the momentum of its gradient is usually dominated by a
few directions (its few large singular values). Muon replaces the momentum
M = U S V^T by (roughly) U V^T: every direction gets a step of the same
size, so the rare directions learn as fast as the common ones. The
orthogonalization is not an SVD but a few Newton-Schulz steps, matrix
products only: each step pushes every singular value of X toward 1 with
the odd polynomial a s + b s^3 + c s^5.

Muon is for the 2-d weights of hidden layers; biases, embeddings and the
output layer are left to another optimizer (AdamW, say), as in PyTorch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT

__all__ = ["Muon"]

# The quintic's coefficients: a large slope at 0 (a = 3.4445) lifts small
# singular values quickly; the iteration then oscillates around 1 (within
# about 0.7 to 1.2) instead of converging, which does not hurt training.
DEFAULT_NS_COEFFICIENTS = (3.4445, -4.7750, 2.0315)


class Muon(Optimizer):
    r"""Momentum, orthogonalized by Newton-Schulz, for 2-d parameters.

    Per parameter :math:`\theta` (a matrix :math:`A \times B`), with learning
    rate :math:`\gamma`, weight decay :math:`\lambda`, momentum :math:`\mu` and
    :math:`b_0 = 0`, step :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \nabla_\theta f(\theta_{t-1}) \\
        b_t &= \mu\, b_{t-1} + (1 - \mu)\, g_t \\
        d_t &= \begin{cases} (1 - \mu)\, g_t + \mu\, b_t & \text{nesterov} \\
                             b_t & \text{otherwise} \end{cases} \\
        O_t &= \mathrm{NS}_k(d_t) \approx U V^T \text{ where } d_t = U S V^T \\
        \theta_t &= \theta_{t-1} (1 - \gamma\lambda) - \gamma' O_t

    :math:`\mathrm{NS}_k` scales :math:`X = d_t / \max(\lVert d_t \rVert_F, \epsilon)`
    (transposed when :math:`A > B`, so that :math:`X X^T` is the smaller
    product) and repeats :math:`k` times
    :math:`X \leftarrow a X + (b\, X X^T + c\, (X X^T)^2)\, X`.
    The step size :math:`\gamma'` is :math:`\gamma \sqrt{\max(1, A/B)}`
    (``adjust_lr_fn="original"``, the default) or
    :math:`0.2\, \gamma \sqrt{\max(A, B)}` (``"match_rms_adamw"``, which gives
    updates of AdamW's size, so AdamW's learning rate and weight decay carry over).

    .. note::
        PyTorch runs the Newton-Schulz steps in bfloat16, which NumPy does not
        have; they run here in the parameter's dtype, so the updates differ
        from PyTorch's in about the third digit.

    Args:
        params: 2-d Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 1e-3).
        weight_decay: decoupled weight decay :math:`\lambda` (default 0.1).
        momentum: :math:`\mu` (default 0.95).
        nesterov: use Nesterov momentum (default True).
        ns_coefficients: :math:`(a, b, c)` of the quintic (default (3.4445, -4.775, 2.0315)).
        eps: the floor :math:`\epsilon` of the norm that scales the momentum (default 1e-7).
        ns_steps: :math:`k`, the number of Newton-Schulz steps (default 5, fewer than 100).
        adjust_lr_fn: None or "original", or "match_rms_adamw" (see above).

    State per parameter: ``"momentum_buffer"``.

    Example::

        hidden = [p for p in model.parameters() if p.ndim == 2]
        others = [p for p in model.parameters() if p.ndim != 2]
        muon, adamw = Muon(hidden, lr=0.02), AdamW(others, lr=3e-4)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        weight_decay: float = 0.1,
        momentum: float = 0.95,
        nesterov: bool = True,
        ns_coefficients: tuple[float, float, float] = DEFAULT_NS_COEFFICIENTS,
        eps: float = 1e-7,
        ns_steps: int = 5,
        adjust_lr_fn: str | None = None,
    ) -> None:
        # PyTorch's checks and messages
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn not in (None, "original", "match_rms_adamw"):
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = {
            "lr": lr,
            "weight_decay": weight_decay,
            "momentum": momentum,
            "nesterov": nesterov,
            "ns_coefficients": ns_coefficients,
            "eps": eps,
            "ns_steps": ns_steps,
            "adjust_lr_fn": adjust_lr_fn,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError(
                        f"Muon only supports 2D parameters whereas we found a parameter with size: {p.shape}"
                    )

    def _check_grads(self) -> None:
        # after the closure and before any parameter changes (PyTorch checks in its update loop)
        super()._check_grads()
        for group in self.param_groups:
            if group["ns_steps"] >= 100:
                raise ValueError("Number of steps must be less than 100 for computational efficiency")
            if len(group["ns_coefficients"]) != 3:
                raise ValueError("Coefficients must be a tuple of exactly 3 values")
            for p in group["params"]:
                if p.grad is not None and p.grad.ndim != 2:
                    raise ValueError("Param gradient must be a 2D matrix")

    def _step_group(self, group: dict[str, Any]) -> None:
        lr, momentum = group["lr"], group["momentum"]
        for p in group["params"]:
            if p.grad is None:
                continue
            theta, g = p.data, p.grad.data
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.zeros_like(theta)
            buf += (1.0 - momentum) * (g - buf)  # b = mu b + (1 - mu) g
            d = g + momentum * (buf - g) if group["nesterov"] else buf
            update = orthogonalized(d, group["ns_coefficients"], group["ns_steps"], group["eps"])
            theta *= 1.0 - lr * group["weight_decay"]
            theta -= adjusted_lr(lr, group["adjust_lr_fn"], theta.shape) * update
            p._bump_version()


def orthogonalized(
    d: np.ndarray, coefficients: tuple[float, float, float], steps: int, eps: float
) -> np.ndarray:
    """Newton-Schulz steps toward U V^T, for d = U S V^T (A x B): every singular value is moved toward 1.

    X starts as d / ||d||_F, so its singular values are at most 1, and each
    step maps every singular value s of X to a s + b s^3 + c s^5 while keeping
    U and V: X X^T = U S^2 U^T, so (b X X^T + c (X X^T)^2) X = U (b S^3 + c S^5) V^T.
    """
    a, b, c = coefficients
    tall = d.shape[0] > d.shape[1]
    x = d.T if tall else d  # X X^T is then the smaller of the two products
    x = x / max(float(np.linalg.norm(x)), eps)
    for _ in range(steps):
        gram = x @ x.T
        x = a * x + (b * gram + c * (gram @ gram)) @ x
    return x.T if tall else x


def adjusted_lr(lr: float, adjust_lr_fn: str | None, shape: tuple[int, ...]) -> float:
    """The step size for an A x B matrix: updates of one size per element whatever the shape."""
    rows, cols = shape[:2]
    if adjust_lr_fn == "match_rms_adamw":
        return lr * 0.2 * math.sqrt(max(rows, cols))
    return lr * math.sqrt(max(1.0, rows / cols))
