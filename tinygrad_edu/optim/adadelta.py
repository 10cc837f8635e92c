"""Adadelta: steps whose size comes from the past steps themselves.

Zeiler (2012) kept RMSprop's running average of squared gradients and added
a second one, of squared updates. Each step is the gradient times the ratio
of the two root mean squares, so it carries the units of the parameter (not
of the gradient), and the algorithm needs no learning rate; ``lr`` (1 by
default) only scales the result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT, check_non_negative, decayed_gradient

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`, decay
    :math:`\rho`, weight decay :math:`\lambda` and :math:`v_0 = u_0 = 0`,
    step :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        v_t &= \rho\, v_{t-1} + (1 - \rho)\, g_t^2 \\
        \Delta_t &= \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t \\
        u_t &= \rho\, u_{t-1} + (1 - \rho)\, \Delta_t^2 \\
        \theta_t &= \theta_{t-1} - \gamma\, \Delta_t

    :math:`\epsilon` sits inside both square roots. In the numerator it is
    what starts the algorithm: with :math:`u_0 = 0` the first step is about
    :math:`\sqrt{\epsilon / (1 - \rho)}` in size (where :math:`g^2 \gg
    \epsilon`), and the steps grow as :math:`u` records them.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma`, a scale on :math:`\Delta_t`
            (default 1.0).
        rho: decay :math:`\rho` of both running averages (default 0.9).
        eps: :math:`\epsilon` (default 1e-6).
        weight_decay: L2 penalty :math:`\lambda` (default 0).
        foreach: PyTorch's choice of implementation; accepted, and without
            effect here (see `Optimizer`).
        capturable, differentiable: must stay False (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).

    State per parameter: ``"step"``, ``"square_avg"`` (:math:`v`),
    ``"acc_delta"`` (:math:`u`).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_non_negative(lr=lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_non_negative(eps=eps, weight_decay=weight_decay)
        # in PyTorch's order, which its state dicts show
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        rho = group["rho"]
        eps = group["eps"]
        weight_decay = group["weight_decay"]
        maximize = group["maximize"]

        for p in group["params"]:
            if p.grad is None:
                continue
            theta = p.data
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["square_avg"] = np.zeros_like(theta)
                state["acc_delta"] = np.zeros_like(theta)
            state["step"] += 1

            g = decayed_gradient(p, maximize, weight_decay)

            # v <- rho v + (1 - rho) g^2
            v = state["square_avg"]
            v *= rho
            v += (1 - rho) * g * g
            # delta = sqrt(u + eps) / sqrt(v + eps) * g, with the u of the previous step
            u = state["acc_delta"]
            delta = np.sqrt(u + eps)
            delta /= np.sqrt(v + eps)
            delta *= g
            # u <- rho u + (1 - rho) delta^2
            u *= rho
            u += (1 - rho) * delta * delta

            delta *= lr
            theta -= delta
            p._bump_version()
