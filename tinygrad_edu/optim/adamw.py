"""AdamW: Adam with weight decay applied to the parameters, not the gradient.

In plain Adam an L2 penalty enters the gradient and is then divided by the
square root of the second moment like everything else, so parameters with
large gradients are barely regularized. AdamW ("decoupled weight decay") shrinks
every parameter by the same factor instead. The arithmetic is Adam's, so
this class only changes the defaults.
"""

from __future__ import annotations

from .adam import Adam
from .optimizer import ParamsT

__all__ = ["AdamW"]


class AdamW(Adam):
    r"""Adam with decoupled weight decay.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`, weight
    decay :math:`\lambda` and :math:`m_0 = v_0 = v^{max}_0 = 0`, step
    :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1})
              \quad (\text{minus sign when maximize}) \\
        \theta' &= \theta_{t-1}\,(1 - \gamma\lambda) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat v_t &= v_t, \text{ or with amsgrad }
              v^{max}_t = \max(v^{max}_{t-1}, v_t),\ \hat v_t = v^{max}_t \\
        \theta_t &= \theta' - \frac{\gamma}{1 - \beta_1^t} \cdot
              \frac{m_t}{\sqrt{\hat v_t} / \sqrt{1 - \beta_2^t} + \epsilon}

    The gradient is taken at :math:`\theta_{t-1}`; the shrink uses the
    current learning rate, so a scheduler scales the decay too.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 1e-3).
        betas: :math:`(\beta_1, \beta_2)` (default (0.9, 0.999)).
        eps: :math:`\epsilon` (default 1e-8).
        weight_decay: :math:`\lambda` (default 1e-2, unlike Adam's 0).
        amsgrad: use the AMSGrad variant (default False).
        maximize: ascend the objective instead of descending (default False).
        foreach, fused: PyTorch's choice of implementation; accepted, and
            without effect here (see `Optimizer`).
        capturable, differentiable: must stay False (see `Optimizer`).

    State per parameter: as `Adam`.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr=lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
