"""Adam: gradient steps scaled by running estimates of the gradient's moments.

Adam keeps, per parameter, an exponential moving average of the gradient
(first moment) and of its square (second moment), corrects both for their
start at zero, and divides one by the square root of the other. Each
coordinate then moves by roughly ``lr``, whatever the gradient's scale.

The update runs as a short sequence of in-place NumPy operations on all the
parameters of a group at once: their moments live in one flat array each
(every parameter's state entry is a view into it), and their gradients are
gathered into one. So a step makes about a dozen NumPy calls in all, not a
dozen per parameter, and costs less than a hand-written per-parameter Adam.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .flat_state import FlatStateOptimizer
from .optimizer import ParamsT, check_betas, check_non_negative

__all__ = ["Adam"]


class Adam(FlatStateOptimizer):
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
        foreach, fused: PyTorch's choice of implementation; accepted, and
            without effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).
        capturable, differentiable: must stay False (see `Optimizer`).
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
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        check_non_negative(lr=lr, eps=eps)
        check_betas(betas)
        check_non_negative(weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
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
        names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if amsgrad else ("exp_avg", "exp_avg_sq")

        for params in self._buckets(group["params"], names):
            t = self._count_step(params)
            m, v, *v_max = self._flat(params, names)
            g = self._flat_grads(params, maximize, 0 if decoupled else weight_decay)
            scratch = np.empty_like(g)
            if decoupled and weight_decay != 0:
                self._decay(params, 1 - lr * weight_decay)

            # m <- beta1 m + (1 - beta1) g
            m *= beta1
            m += np.multiply(g, 1 - beta1, out=scratch)
            # v <- beta2 v + (1 - beta2) g^2
            v *= beta2
            np.multiply(g, g, out=scratch)
            scratch *= 1 - beta2
            v += scratch
            if amsgrad:
                v = np.maximum(v_max[0], v, out=v_max[0])

            # denominator sqrt(v) / sqrt(1 - beta2^t) + eps, then the step itself
            denom = np.sqrt(v, out=scratch)
            denom /= math.sqrt(1 - beta2**t)
            denom += eps
            step = np.divide(m, denom, out=scratch)
            step *= lr / (1 - beta1**t)
            self._apply(params, step)
