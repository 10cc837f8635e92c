"""Stochastic gradient descent, optionally with momentum (heavy-ball or Nesterov).

The simplest optimizer and the first one to read: one pass over the
parameters, one line of arithmetic each, plus an optional momentum buffer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Optimizer, ParamsT

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent with optional momentum.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`, momentum
    :math:`\mu`, dampening :math:`\tau` and weight decay :math:`\lambda`, step
    :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        b_t &= \begin{cases} g_t & t = 1 \\
                             \mu\, b_{t-1} + (1 - \tau)\, g_t & t > 1 \end{cases} \\
        d_t &= \begin{cases} g_t + \mu\, b_t & \text{nesterov} \\
                             b_t & \text{otherwise} \end{cases} \\
        \theta_t &= \theta_{t-1} - \gamma\, d_t

    .. note::
        To maximize, the gradient is negated before the weight-decay term
        is added, as PyTorch's implementation does (its documentation writes
        the sign flip at the end, which differs when both are used).

    With :math:`\mu = 0` there is no buffer and :math:`d_t = g_t`. The buffer
    starts as a copy of the first gradient, not as zeros, so dampening does
    not shrink the first step. Note that the learning rate multiplies the
    buffer, not the gradient inside it (some frameworks do the opposite;
    the two agree only for a constant learning rate).

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 1e-3).
        momentum: momentum factor :math:`\mu` (default 0).
        dampening: dampening :math:`\tau` of the momentum (default 0).
        weight_decay: L2 penalty :math:`\lambda` (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0, dampening 0).
        maximize: ascend the objective instead of descending (default False).
        foreach, fused: PyTorch's choice of implementation; accepted, and
            without effect here (see `Optimizer`).
        differentiable: must stay False (see `Optimizer`).

    State per parameter: ``"momentum_buffer"`` (when momentum is not 0).

    Example::

        opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        momentum = group["momentum"]
        dampening = group["dampening"]
        weight_decay = group["weight_decay"]
        nesterov = group["nesterov"]
        maximize = group["maximize"]

        for p in group["params"]:
            if p.grad is None:
                continue
            theta = p.data
            scratch = np.empty_like(theta)
            # g_t: the gradient (negated to maximize) plus the weight-decay term,
            # built in `scratch` so that p.grad itself is never changed.
            g = p.grad.data
            if weight_decay != 0:
                np.multiply(theta, weight_decay, out=scratch)
                if maximize:
                    scratch -= g
                else:
                    scratch += g
                g = scratch
            elif maximize:
                g = np.negative(g, out=scratch)

            d = g
            if momentum != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = state["momentum_buffer"] = g.astype(theta.dtype, copy=True)
                else:
                    buf *= momentum
                    buf += g if dampening == 0 else np.multiply(g, 1 - dampening, out=scratch)
                d = np.add(g, momentum * buf, out=scratch) if nesterov else buf

            theta -= np.multiply(d, lr, out=scratch)
            p._bump_version()
