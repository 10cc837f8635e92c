r"""Adafactor: Adam-like steps with a second moment stored in factored form.

Adam keeps two arrays per parameter, each the parameter's size. For a
weight matrix of shape (n, m), Adafactor (Shazeer and Stern, 2018) keeps
instead the mean of the squared gradient over each row (n numbers) and over
each column (m numbers), and estimates the whole matrix of second moments
from them as a rank-1 product: :math:`O(n + m)` memory instead of
:math:`O(nm)`. It also drops the first moment, and sizes each step relative
to the parameter's own scale, so the learning rate matters little.

For a tensor of more than two dims the factoring is over the last two, each
matrix of the batch on its own; a vector (or a scalar) keeps a full second
moment, as Adam.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT

__all__ = ["Adafactor"]


class Adafactor(Optimizer):
    r"""Adafactor, as PyTorch's ``torch.optim.Adafactor``.

    Per parameter :math:`\theta` with gradient :math:`G` (negated to
    maximize), learning rate :math:`\gamma`, decay exponent :math:`\tau`,
    :math:`\epsilon_1, \epsilon_2`, clipping threshold :math:`d` and weight
    decay :math:`\lambda`, step :math:`t = 1, 2, \dots` does:

    .. math::

        \beta_t &= 1 - t^{\tau} \quad (\text{so } 1 - \beta_t = t^\tau
            \text{ weighs the new gradient; } 1 \text{ at } t = 1) \\
        \rho_t &= \min(\gamma, 1/\sqrt t), \qquad
            \alpha_t = \max(\epsilon_2, \text{RMS}(\theta_{t-1}))\, \rho_t \\
        \theta &\leftarrow \theta\, (1 - \gamma\lambda) \\
        \text{matrix:}\quad R_t &= \beta_t R_{t-1} + (1 - \beta_t)\,
              \text{mean}_{\text{cols}}(G^2), \quad
            C_t = \beta_t C_{t-1} + (1 - \beta_t)\,\text{mean}_{\text{rows}}(G^2), \\
            \hat V_t &= \frac{R_t C_t}{\max(\text{mean}(R_t), \epsilon_1)}
            \quad (\text{an outer product: } R \text{ is a column, } C \text{ a row}) \\
        \text{vector:}\quad \hat V_t &= \beta_t \hat V_{t-1} + (1 - \beta_t)\, G^2 \\
        U_t &= G / \sqrt{\max(\hat V_t, \epsilon_1^2)}, \qquad
            \theta_t = \theta - \frac{\alpha_t}{\max(1, \text{RMS}(U_t)/d)}\, U_t

    with :math:`\text{RMS}(x) = \lVert x\rVert_2 / \sqrt{\text{numel}(x)}`.
    The step is thus a fraction :math:`\rho_t` of the parameter's RMS, and
    the update is clipped to an RMS of at most :math:`d`. As in PyTorch (and
    unlike the paper), :math:`\gamma` caps :math:`\rho_t` and scales the
    decoupled weight decay, and :math:`\epsilon_1` guards the final
    estimate rather than being added to :math:`G^2`.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: :math:`\gamma`, the largest relative step (default 1e-2).
        beta2_decay: :math:`\tau \le 0` (default -0.8).
        eps: :math:`(\epsilon_1, \epsilon_2)` (default ``(None, 1e-3)``);
            ``None`` takes the machine epsilon of the first updated
            parameter's dtype (PyTorch's rule), for the whole group.
        d: the clipping threshold :math:`d \ge 1` (default 1).
        weight_decay: :math:`\lambda` (default 0).
        foreach: PyTorch's choice of implementation; accepted, and without
            effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).

    State per parameter: ``"step"`` (an int) and either ``"row_var"`` (shape
    ``(..., n, 1)``) and ``"col_var"`` (``(..., 1, m)``) for a parameter of
    shape ``(..., n, m)``, or ``"variance"`` (the parameter's shape) for one
    of fewer than two dims.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
    ) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = {
            "lr": lr,
            "beta2_decay": beta2_decay,
            "eps": eps,
            "d": d,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        lr, beta2_decay, clip = group["lr"], group["beta2_decay"], group["d"]
        weight_decay, maximize = group["weight_decay"], group["maximize"]
        eps1, eps2 = group["eps"]

        for p in group["params"]:
            if p.grad is None:
                continue
            theta = p.data
            g = np.negative(p.grad.data) if maximize else p.grad.data
            if eps1 is None:
                eps1 = float(np.finfo(theta.dtype).eps)
            state = self.state[p]
            if not state:
                state.update(_zero_state(theta))

            state["step"] += 1
            t = state["step"]
            weight = t**beta2_decay  # 1 - beta_t
            rho = min(lr, 1 / t**0.5)
            alpha = max(eps2, _rms(theta)) * rho
            if weight_decay != 0:
                theta *= 1 - lr * weight_decay

            if g.ndim > 1:
                row_var, col_var = state["row_var"], state["col_var"]
                _lerp(row_var, _mean_square(g, -1), weight)
                _lerp(col_var, _mean_square(g, -2), weight)
                v = row_var @ col_var  # (..., n, 1) @ (..., 1, m): the rank-1 estimate
                v /= np.maximum(row_var.mean(axis=-2, keepdims=True), eps1)
            else:
                _lerp(state["variance"], g * g, weight)
                v = state["variance"].copy()

            # NOTE: eps1 is squared here since the square root follows
            update = np.reciprocal(np.sqrt(np.maximum(v, eps1 * eps1))) * g
            denom = max(1.0, _rms(update) / clip)
            theta += (-alpha / denom) * update
            p._bump_version()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by `state_dict`, this class's or PyTorch's Adafactor's.

        As `Optimizer.load_state_dict`, which does not know the shapes of the
        factored moments: they are checked and loaded here. On error, nothing
        is changed.
        """
        positions = [
            (index, p)
            for group, saved in zip(self.param_groups, state_dict["param_groups"])
            for index, p in zip(saved["params"], group["params"])
        ]
        factors = {}
        for index, p in positions:
            saved = state_dict["state"].get(index)
            if saved:
                factors[index] = _load_factors(saved, p)
        rest = {
            index: {key: value for key, value in saved.items() if key not in _FACTORS}
            for index, saved in state_dict["state"].items()
        }
        super().load_state_dict({**state_dict, "state": rest})
        for index, p in positions:
            if index in factors:
                self.state[p].update(factors[index])


_FACTORS = ("row_var", "col_var")


def _load_factors(saved: dict[str, Any], p: Tensor) -> dict[str, np.ndarray]:
    """The saved row and column factors for `p` (arrays or another library's tensors), checked and copied.

    A parameter of two dims or more must have both, each of its own shape; any other has none.
    """
    shapes = {key: value.shape for key, value in _zero_state(p.data).items() if key in _FACTORS}
    factors = {}
    for key in _FACTORS:
        if (key in saved) != (key in shapes):
            raise ValueError(
                f"loaded state dict has {'a' if key in saved else 'no'} '{key}' for a parameter of "
                f"shape {p.shape} (a second moment is factored for two dims or more)"
            )
        if key in saved:
            factors[key] = np.array(np.asarray(saved[key]), dtype=p.data.dtype, copy=True)
            if factors[key].shape != shapes[key]:
                raise ValueError(
                    f"loaded state dict has '{key}' of shape {factors[key].shape} for a parameter "
                    f"of shape {p.shape}"
                )
    return factors


def _zero_state(theta: np.ndarray) -> dict[str, Any]:
    """A new parameter's state: the step count, and its second moment factored or not."""
    if theta.ndim > 1:
        return {
            "step": 0,
            "row_var": np.zeros((*theta.shape[:-1], 1), theta.dtype),
            "col_var": np.zeros((*theta.shape[:-2], 1, theta.shape[-1]), theta.dtype),
        }
    return {"step": 0, "variance": np.zeros_like(theta)}


def _rms(x: np.ndarray) -> float:
    """The root mean square of all entries, ||x||_2 / sqrt(numel)."""
    return float(np.linalg.norm(x.reshape(-1))) / math.sqrt(x.size)


def _mean_square(g: np.ndarray, axis: int) -> np.ndarray:
    """mean(g^2) over `axis`, kept as a dim of size 1 (as PyTorch: a norm, squared)."""
    norm = np.sqrt(np.sum(g * g, axis=axis, keepdims=True))
    return norm * norm / g.shape[axis]


def _lerp(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """start <- start + weight (end - start), in place, rounded as PyTorch's lerp_.

    NOTE: for a weight of 1/2 or more the formula is written from `end`, so
    that a weight of 1 (Adafactor's first step) gives `end` exactly.
    """
    diff = end - start
    if abs(weight) < 0.5:
        start += weight * diff
    else:
        start[...] = end - diff * (1 - weight)
