"""Adamax: Adam with the second moment replaced by a running maximum of |g|.

Adam divides by the root of an average of squared gradients, an L2 norm over
time. The same paper (Kingma and Ba, 2015) lets the power grow to infinity:
the norm becomes a decaying maximum of absolute gradients, which needs no
square root and no bias correction, and is less shaken by one large gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .flat_state import FlatStateOptimizer
from .optimizer import ParamsT, check_betas, check_non_negative

__all__ = ["Adamax"]


class Adamax(FlatStateOptimizer):
    r"""Adamax, the infinity-norm variant of Adam.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`,
    coefficients :math:`\beta_1, \beta_2`, weight decay :math:`\lambda` and
    :math:`m_0 = u_0 = 0`, step :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        u_t &= \max(\beta_2 u_{t-1},\ |g_t| + \epsilon) \\
        \theta_t &= \theta_{t-1} - \frac{\gamma}{1 - \beta_1^t} \cdot \frac{m_t}{u_t}

    Only :math:`m` needs a bias correction: a maximum is not pulled towards
    its zero start the way an average is. :math:`\epsilon` sits inside the
    maximum, so :math:`u_t \ge \epsilon` and the division is always safe.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 2e-3).
        betas: :math:`(\beta_1, \beta_2)`, the decay of the average and of
            the maximum (default (0.9, 0.999)).
        eps: :math:`\epsilon` (default 1e-8).
        weight_decay: L2 penalty :math:`\lambda` (default 0).
        foreach: PyTorch's choice of implementation; accepted, and without
            effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).
        differentiable, capturable: must stay False (see `Optimizer`).

    State per parameter: ``"step"``, ``"exp_avg"`` (:math:`m`),
    ``"exp_inf"`` (:math:`u`).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_non_negative(lr=lr, eps=eps)
        check_betas(betas)
        check_non_negative(weight_decay=weight_decay)
        # in PyTorch's order, which its state dicts show
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        beta1, beta2 = group["betas"]
        eps = group["eps"]
        names = ("exp_avg", "exp_inf")

        for params in self._buckets(group["params"], names):
            t = self._count_step(params)
            m, u = self._flat(params, names)
            g = self._flat_grads(params, group["maximize"], group["weight_decay"])

            # m <- beta1 m + (1 - beta1) g
            m *= beta1
            m += (1 - beta1) * g
            # u <- max(beta2 u, |g| + eps)
            u *= beta2
            np.abs(g, out=g)
            g += eps
            np.maximum(u, g, out=u)

            step = np.divide(m, u, out=g)
            step *= lr / (1 - beta1**t)
            self._apply(params, step)
