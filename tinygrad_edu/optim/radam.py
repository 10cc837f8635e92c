"""RAdam: Adam whose adaptive step waits until its variance estimate can be trusted.

In Adam's first steps the second moment is an average of very few squared
gradients, so its inverse square root varies wildly; that is why Adam is
often run with a learning-rate warmup. Liu et al. (2020) estimate how many
gradients the average effectively holds and take plain
momentum steps until there are enough, then scale the adaptive step by a
rectification factor that corrects its variance. A warmup built into the
algorithm.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .flat_state import FlatStateOptimizer
from .optimizer import ParamsT, check_betas, check_non_negative

__all__ = ["RAdam"]


class RAdam(FlatStateOptimizer):
    r"""RAdam (rectified Adam), optionally with decoupled weight decay.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`,
    coefficients :math:`\beta_1, \beta_2`, weight decay :math:`\lambda` and
    :math:`m_0 = v_0 = 0`, step :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
              \hat m_t = m_t / (1 - \beta_1^t) \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \rho_\infty &= \frac{2}{1 - \beta_2} - 1, \qquad
              \rho_t = \rho_\infty - \frac{2 t \beta_2^t}{1 - \beta_2^t} \\
        \theta_t &= \begin{cases}
              \theta_{t-1} - \gamma\, \hat m_t\, r_t\,
                  \dfrac{\sqrt{1 - \beta_2^t}}{\sqrt{v_t} + \epsilon}
                  & \rho_t > 5 \\
              \theta_{t-1} - \gamma\, \hat m_t & \text{otherwise} \end{cases} \\
        r_t &= \sqrt{\frac{(\rho_t - 4)(\rho_t - 2)\,\rho_\infty}
                          {(\rho_\infty - 4)(\rho_\infty - 2)\,\rho_t}}

    :math:`\rho_t` is the length of the simple moving average that
    :math:`v_t` approximates; it is 1 at :math:`t = 1` and grows towards
    :math:`\rho_\infty`, passing 5 at step 6 with the default
    :math:`\beta_2`. Note where :math:`\epsilon` sits: added to
    :math:`\sqrt{v_t}` before the bias correction (Adam adds it after).

    With ``decoupled_weight_decay=True`` the :math:`\lambda\theta` term
    leaves :math:`g_t` and the parameter is instead shrunk first,
    :math:`\theta \leftarrow \theta (1 - \gamma\lambda)`.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 1e-3).
        betas: :math:`(\beta_1, \beta_2)` (default (0.9, 0.999)).
        eps: :math:`\epsilon` (default 1e-8).
        weight_decay: :math:`\lambda` (default 0).
        decoupled_weight_decay: apply weight decay as AdamW does
            (default False).
        foreach: PyTorch's choice of implementation; accepted, and without
            effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).
        capturable, differentiable: must stay False (see `Optimizer`).

    State per parameter: ``"step"``, ``"exp_avg"`` (:math:`m`),
    ``"exp_avg_sq"`` (:math:`v`).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
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
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        beta1, beta2 = group["betas"]
        eps = group["eps"]
        weight_decay = group["weight_decay"]
        decoupled = group["decoupled_weight_decay"]
        names = ("exp_avg", "exp_avg_sq")
        rho_inf = 2 / (1 - beta2) - 1

        for params in self._buckets(group["params"], names):
            t = self._count_step(params)
            m, v = self._flat(params, names)
            g = self._flat_grads(params, group["maximize"], 0 if decoupled else weight_decay)
            if decoupled and weight_decay != 0:
                self._decay(params, 1 - lr * weight_decay)

            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g

            bias_correction2 = 1 - beta2**t
            rho_t = rho_inf - 2 * t * beta2**t / bias_correction2
            # step = lr * m_hat, times the rectified adaptive factor once rho_t > 5
            step = np.multiply(m, lr / (1 - beta1**t), out=g)
            if rho_t > 5:
                rect = math.sqrt(
                    (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
                )
                denom = np.sqrt(v)
                denom += eps
                step *= rect * math.sqrt(bias_correction2)
                step /= denom
            self._apply(params, step)
