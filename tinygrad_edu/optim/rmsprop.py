"""RMSprop: divide each gradient by a running root-mean-square of past gradients.

Proposed by Hinton in his Coursera lectures. It is Adagrad with a forgetting
factor: the sum of squared gradients becomes an exponential moving average,
so the effective step size does not shrink forever.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT, check_non_negative, decayed_gradient

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop, optionally centered and with momentum.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`, smoothing
    constant :math:`\alpha`, momentum :math:`\mu`, weight decay
    :math:`\lambda` and :math:`v_0 = \bar g_0 = b_0 = 0`, step
    :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        v_t &= \alpha\, v_{t-1} + (1 - \alpha)\, g_t^2 \\
        s_t &= \begin{cases}
              \sqrt{v_t - \bar g_t^2} + \epsilon, \quad
              \bar g_t = \alpha\, \bar g_{t-1} + (1 - \alpha)\, g_t
                  & \text{centered} \\
              \sqrt{v_t} + \epsilon & \text{otherwise} \end{cases} \\
        b_t &= \mu\, b_{t-1} + g_t / s_t \\
        \theta_t &= \theta_{t-1} - \gamma\, b_t

    With :math:`\mu = 0` there is no buffer and the last two lines are
    :math:`\theta_t = \theta_{t-1} - \gamma\, g_t / s_t`. "Centered" divides
    by an estimate of the gradient's standard deviation instead of its root
    mean square. There is no bias correction: :math:`v` starts at zero, so
    the first steps are large (about :math:`\gamma / \sqrt{1 - \alpha}`).

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 1e-2).
        alpha: smoothing constant :math:`\alpha` (default 0.99).
        eps: :math:`\epsilon`, added to the square root (default 1e-8).
        weight_decay: L2 penalty :math:`\lambda` (default 0).
        momentum: momentum factor :math:`\mu` (default 0).
        centered: normalize by the estimated variance (default False).
        capturable: must stay False (see `Optimizer`).
        foreach: PyTorch's choice of implementation; accepted, and without
            effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).
        differentiable: must stay False (see `Optimizer`).

    State per parameter: ``"step"``, ``"square_avg"`` (:math:`v`),
    ``"momentum_buffer"`` (when momentum > 0), ``"grad_avg"`` (:math:`\bar g`,
    when centered).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_non_negative(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay, alpha=alpha)
        # in PyTorch's order, which its state dicts show
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        alpha = group["alpha"]
        eps = group["eps"]
        weight_decay = group["weight_decay"]
        momentum = group["momentum"]
        centered = group["centered"]
        maximize = group["maximize"]

        for p in group["params"]:
            if p.grad is None:
                continue
            theta = p.data
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["square_avg"] = np.zeros_like(theta)
                if momentum > 0:
                    state["momentum_buffer"] = np.zeros_like(theta)
                if centered:
                    state["grad_avg"] = np.zeros_like(theta)
            state["step"] += 1
            scratch = np.empty_like(theta)

            g = decayed_gradient(p, maximize, weight_decay)

            # v <- alpha v + (1 - alpha) g^2
            v = state["square_avg"]
            v *= alpha
            np.multiply(g, g, out=scratch)
            scratch *= 1 - alpha
            v += scratch

            if centered:
                g_avg = state["grad_avg"]
                g_avg *= alpha
                g_avg += np.multiply(g, 1 - alpha, out=scratch)
                # s = sqrt(v - g_avg^2) + eps
                np.multiply(g_avg, g_avg, out=scratch)
                denom = np.subtract(v, scratch, out=scratch)
                np.sqrt(denom, out=denom)
            else:
                denom = np.sqrt(v, out=scratch)
            denom += eps

            if momentum > 0:
                buf = state["momentum_buffer"]
                buf *= momentum
                buf += np.divide(g, denom, out=scratch)
                theta -= np.multiply(buf, lr, out=scratch)
            else:
                step = np.divide(g, denom, out=scratch)
                step *= lr
                theta -= step
            p._bump_version()
