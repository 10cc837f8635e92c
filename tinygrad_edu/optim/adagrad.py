"""Adagrad: per-coordinate step sizes from the sum of all past squared gradients.

Coordinates that have seen large gradients get small steps and rarely
updated coordinates keep large ones, which suits sparse features. Because
the sum only grows, the steps shrink for ever; RMSprop and Adam replace it
with a moving average.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT, check_non_negative, decayed_gradient

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad, with optional learning-rate decay.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`, decay
    :math:`\eta`, weight decay :math:`\lambda` and :math:`s_0 =`
    ``initial_accumulator_value``, step :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        \tilde\gamma_t &= \frac{\gamma}{1 + (t - 1)\,\eta} \\
        s_t &= s_{t-1} + g_t^2 \\
        \theta_t &= \theta_{t-1} - \tilde\gamma_t\, \frac{g_t}{\sqrt{s_t} + \epsilon}

    :math:`\epsilon` is added outside the square root. Unlike the other
    optimizers, the state is created when the optimizer is built (so
    ``state_dict()`` lists every parameter from the start).

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 1e-2).
        lr_decay: :math:`\eta` (default 0).
        weight_decay: L2 penalty :math:`\lambda` (default 0).
        initial_accumulator_value: starting value of :math:`s` (default 0).
        eps: :math:`\epsilon` (default 1e-10).
        foreach, fused: PyTorch's choice of implementation; accepted, and
            without effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).
        differentiable: must stay False (see `Optimizer`).

    State per parameter: ``"step"``, ``"sum"`` (:math:`s`).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_non_negative(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        # in PyTorch's order, which its state dicts show
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p: Any) -> dict[str, Any]:
        state = self.state[p]
        state["step"] = 0
        # NOTE: the constructor's value, even for a group that names its own
        # (PyTorch does the same, and updates here equal PyTorch's)
        state["sum"] = np.full_like(p.data, self.defaults["initial_accumulator_value"])
        return state

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        lr_decay = group["lr_decay"]
        weight_decay = group["weight_decay"]
        eps = group["eps"]
        maximize = group["maximize"]

        for p in group["params"]:
            if p.grad is None:
                continue
            theta = p.data
            state = self.state[p]
            if not state:  # a parameter added later with add_param_group
                state = self._init_state(p)
            state["step"] += 1
            clr = lr / (1 + (state["step"] - 1) * lr_decay)
            scratch = np.empty_like(theta)

            g = decayed_gradient(p, maximize, weight_decay)

            s = state["sum"]
            s += np.multiply(g, g, out=scratch)
            denom = np.sqrt(s, out=scratch)
            denom += eps
            step = np.divide(g, denom, out=scratch)
            step *= clr
            theta -= step
            p._bump_version()
