"""Adam: gradient steps scaled by running estimates of the gradient's moments.

Adam keeps, per parameter, an exponential moving average of the gradient
(first moment) and of its square (second moment), corrects both for their
start at zero, and divides one by the square root of the other. Each
coordinate then moves by roughly ``lr``, whatever the gradient's scale.

The update runs as a short sequence of in-place NumPy operations on the
parameter's arrays, with one scratch array per parameter, so a step costs
about as much as a hand-written NumPy Adam.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT, check_non_negative

__all__ = ["Adam"]


class Adam(Optimizer):
    r"""Adam, and its AMSGrad variant.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`,
    coefficients :math:`\beta_1, \beta_2`, weight decay :math:`\lambda` and
    :math:`m_0 = v_0 = v^{max}_0 = 0`, step :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat v_t &= v_t, \text{ or with amsgrad }
              v^{max}_t = \max(v^{max}_{t-1}, v_t),\ \hat v_t = v^{max}_t \\
        \theta_t &= \theta_{t-1} - \frac{\gamma}{1 - \beta_1^t} \cdot
              \frac{m_t}{\sqrt{\hat v_t} / \sqrt{1 - \beta_2^t} + \epsilon}

    The divisions by :math:`1 - \beta^t` undo the bias of averages that start
    at zero. Note where :math:`\epsilon` sits: it is added after the
    second moment's bias correction, outside the square root. AMSGrad takes
    the running maximum of the uncorrected :math:`v_t`.

    With ``decoupled_weight_decay=True`` (what `AdamW` sets) the
    :math:`\lambda\theta` term leaves :math:`g_t` and the parameter is
    instead shrunk first, :math:`\theta \leftarrow \theta (1 - \gamma\lambda)`.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 1e-3).
        betas: :math:`(\beta_1, \beta_2)`, the averaging coefficients
            (default (0.9, 0.999)).
        eps: :math:`\epsilon`, keeps the denominator away from zero
            (default 1e-8).
        weight_decay: :math:`\lambda` (default 0).
        amsgrad: use the AMSGrad variant (default False).
        maximize: ascend the objective instead of descending (default False).
        decoupled_weight_decay: apply weight decay as AdamW does
            (default False).

    State per parameter: ``"step"`` (an int), ``"exp_avg"`` (:math:`m`),
    ``"exp_avg_sq"`` (:math:`v`) and, with amsgrad, ``"max_exp_avg_sq"``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        check_non_negative(lr=lr, eps=eps)
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        check_non_negative(weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        beta1, beta2 = group["betas"]
        eps = group["eps"]
        weight_decay = group["weight_decay"]
        amsgrad = group["amsgrad"]
        maximize = group["maximize"]
        decoupled = group["decoupled_weight_decay"]

        for p in group["params"]:
            if p.grad is None:
                continue
            theta = p.data
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["exp_avg"] = np.zeros_like(theta)
                state["exp_avg_sq"] = np.zeros_like(theta)
                if amsgrad:
                    state["max_exp_avg_sq"] = np.zeros_like(theta)
            state["step"] += 1
            t = state["step"]
            m = state["exp_avg"]
            v = state["exp_avg_sq"]
            scratch = np.empty_like(theta)

            g = p.grad.data
            if maximize:
                g = np.negative(g)
            if weight_decay != 0:
                if decoupled:
                    theta *= 1 - lr * weight_decay
                else:
                    g = g + weight_decay * theta

            # m <- beta1 m + (1 - beta1) g
            m *= beta1
            m += np.multiply(g, 1 - beta1, out=scratch)
            # v <- beta2 v + (1 - beta2) g^2
            v *= beta2
            np.multiply(g, g, out=scratch)
            scratch *= 1 - beta2
            v += scratch
            if amsgrad:
                v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])

            # denominator sqrt(v) / sqrt(1 - beta2^t) + eps, then the step itself
            denom = np.sqrt(v, out=scratch)
            denom /= math.sqrt(1 - beta2**t)
            denom += eps
            step = np.divide(m, denom, out=scratch)
            step *= lr / (1 - beta1**t)
            theta -= step
            p._version += 1
