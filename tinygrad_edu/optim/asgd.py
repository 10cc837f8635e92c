"""ASGD: averaged stochastic gradient descent.

Plain SGD with a decaying learning rate, plus a running average of the
iterates (Polyak and Juditsky, 1992): near a minimum, SGD's noisy
parameters bounce around it, and their average sits closer to it than any
one of them. The parameters themselves follow SGD; the average is kept in
the state (``"ax"``), from step ``t0`` on, for the user to read.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT, check_non_negative, decayed_gradient

__all__ = ["ASGD"]


class ASGD(Optimizer):
    r"""Averaged stochastic gradient descent.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`, decay
    :math:`\lambda` (``lambd``), power :math:`\alpha`, averaging start
    :math:`t_0`, weight decay :math:`w`, :math:`\eta_0 = \gamma`,
    :math:`\mu_0 = 1` and :math:`\bar\theta_0 = 0`, step
    :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + w\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        \theta_t &= \theta_{t-1} (1 - \lambda\eta_{t-1}) - \eta_{t-1}\, g_t \\
        \bar\theta_t &= \begin{cases} \theta_t & \mu_{t-1} = 1 \\
              \bar\theta_{t-1} + \mu_{t-1} (\theta_t - \bar\theta_{t-1})
              & \text{otherwise} \end{cases} \\
        \eta_t &= \gamma / (1 + \lambda\gamma t)^\alpha \\
        \mu_t &= 1 / \max(1, t - t_0)

    So :math:`\bar\theta` copies :math:`\theta` up to step :math:`t_0 + 2`,
    and is the mean of the iterates since that one from then on. The :math:`\lambda\eta`
    shrink is a second weight decay, tied to the step size. The learning
    rate enters only through :math:`\eta`: each step sets the next
    :math:`\eta` from the group's current ``lr``, so a change of ``lr``
    shows one step later.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 1e-2).
        lambd: decay term :math:`\lambda` (default 1e-4).
        alpha: power :math:`\alpha` of the step-size decay (default 0.75).
        t0: the step after which averaging starts (default 1e6).
        weight_decay: L2 penalty :math:`w` (default 0).
        foreach: PyTorch's choice of implementation; accepted, and without
            effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).
        differentiable, capturable: must stay False (see `Optimizer`).

    State per parameter: ``"step"``, ``"eta"`` (:math:`\eta`, a float),
    ``"mu"`` (:math:`\mu`, a float), ``"ax"`` (:math:`\bar\theta`).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
    ) -> None:
        check_non_negative(lr=lr, weight_decay=weight_decay)
        # in PyTorch's order, which its state dicts show
        defaults = {
            "lr": lr,
            "lambd": lambd,
            "alpha": alpha,
            "t0": t0,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        lambd = group["lambd"]
        weight_decay = group["weight_decay"]

        for p in group["params"]:
            if p.grad is None:
                continue
            theta = p.data
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["eta"] = float(lr)
                state["mu"] = 1.0
                state["ax"] = np.zeros_like(theta)
            state["step"] += 1
            t = state["step"]
            eta, mu = float(state["eta"]), float(state["mu"])

            g = decayed_gradient(p, group["maximize"], weight_decay)

            theta *= 1 - lambd * eta
            theta -= eta * g
            ax = state["ax"]
            if mu == 1:
                ax[...] = theta
            else:
                ax += mu * (theta - ax)

            state["eta"] = lr / (1 + lambd * lr * t) ** group["alpha"]
            state["mu"] = 1 / max(1, t - group["t0"])
            p._bump_version()
