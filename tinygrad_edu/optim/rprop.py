"""Rprop: steps that use only the sign of the gradient, with a step size per coordinate.

Riedmiller and Braun (1993): a coordinate whose gradient keeps its sign is
going the right way, so its step grows; one whose gradient flips sign has
jumped over a minimum, so its step shrinks and it waits one step. The
gradient's size is never used, which makes Rprop immune to badly scaled
gradients but unsuited to noisy mini-batches (where signs flip at random):
it is a full-batch method.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT, check_non_negative

__all__ = ["Rprop"]


class Rprop(Optimizer):
    r"""Rprop (resilient backpropagation).

    Per parameter :math:`\theta`, with step-size factors
    :math:`0 < \eta^- < 1 < \eta^+`, bounds :math:`\Gamma_{min},
    \Gamma_{max}`, :math:`\Gamma_0` filled with the learning rate and
    :math:`g_0 = 0`, step :math:`t = 1, 2, \dots` does, per coordinate:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1})
              \quad (\text{minus sign when maximize}) \\
        \Gamma_t &= \operatorname{clip}\left(\Gamma_{t-1} \cdot \begin{cases}
              \eta^+ & g_t\, g_{t-1} > 0 \\
              \eta^- & g_t\, g_{t-1} < 0 \\
              1 & g_t\, g_{t-1} = 0 \end{cases},\
              \Gamma_{min}, \Gamma_{max}\right) \\
        g_t &\leftarrow 0 \quad \text{where } g_t\, g_{t-1} < 0 \\
        \theta_t &= \theta_{t-1} - \Gamma_t \operatorname{sign}(g_t)

    Zeroing the gradient after a sign flip means the coordinate does not
    move on that step, and its next step counts as a fresh start (factor 1),
    so a shrunk step is not shrunk again at once. The learning rate is only
    read at a parameter's first step, to fill :math:`\Gamma_0`; changing it
    later (with a scheduler) has no effect on that parameter.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: :math:`\Gamma_0`, the initial step size (default 1e-2).
        etas: :math:`(\eta^-, \eta^+)`, the factors that shrink and grow a
            step size (default (0.5, 1.2)).
        step_sizes: :math:`(\Gamma_{min}, \Gamma_{max})`, the bounds of a
            step size (default (1e-6, 50)).
        capturable, differentiable: must stay False (see `Optimizer`).
        foreach: PyTorch's choice of implementation; accepted, and without
            effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).

    State per parameter: ``"step"``, ``"prev"`` (:math:`g_{t-1}`, after the
    zeroing), ``"step_size"`` (:math:`\Gamma`).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_non_negative(lr=lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        # in PyTorch's order, which its state dicts show
        defaults = {
            "lr": lr,
            "etas": etas,
            "step_sizes": step_sizes,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        eta_minus, eta_plus = group["etas"]
        step_min, step_max = group["step_sizes"]
        maximize = group["maximize"]

        for p in group["params"]:
            if p.grad is None:
                continue
            theta = p.data
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["prev"] = np.zeros_like(theta)
                state["step_size"] = np.full_like(theta, group["lr"])
            state["step"] += 1

            g = p.grad.data.copy()
            if maximize:
                np.negative(g, out=g)  # (in place: a 0-d gradient stays an array, not a NumPy number)
            prev, step_size = state["prev"], state["step_size"]

            # the factor of each step size, from the sign of g_t * g_{t-1}
            # (NaN stays NaN, as in PyTorch, so a NaN gradient shows in the state)
            factor = np.array(np.sign(g * prev))  # (an array, also for a 0-d parameter)
            flipped = factor < 0
            factor[factor > 0] = eta_plus
            factor[flipped] = eta_minus
            factor[factor == 0] = 1
            step_size *= factor
            np.clip(step_size, step_min, step_max, out=step_size)

            # after a sign flip the coordinate waits: no move, and no sign to compare next time
            g[flipped] = 0
            theta -= np.sign(g) * step_size
            prev[...] = g
            p._bump_version()
