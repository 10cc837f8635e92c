"""NAdam: Adam with Nesterov momentum.

Nesterov's idea is to take the gradient step from where the momentum is about
to carry the parameters, not from where they are. Dozat (2016) folds that into
Adam: the update mixes the current gradient with the average of the next
step's momentum, and a momentum coefficient that warms up over thousands of
steps (``momentum_decay``) keeps the early steps cautious.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .flat_state import FlatStateOptimizer
from .optimizer import ParamsT, check_betas, check_non_negative

__all__ = ["NAdam"]


class NAdam(FlatStateOptimizer):
    r"""NAdam (Adam with Nesterov momentum), optionally with decoupled weight decay.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`,
    coefficients :math:`\beta_1, \beta_2`, momentum decay :math:`\psi`,
    weight decay :math:`\lambda` and :math:`m_0 = v_0 = 0`, step
    :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        \mu_t &= \beta_1 \left(1 - \tfrac12\, 0.96^{t\psi}\right), \qquad
              \Pi_t = \textstyle\prod_{i=1}^{t} \mu_i \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        d_t &= \sqrt{v_t / (1 - \beta_2^t)} + \epsilon \\
        \theta_t &= \theta_{t-1}
              - \gamma\, \frac{1 - \mu_t}{1 - \Pi_t} \cdot \frac{g_t}{d_t}
              - \gamma\, \frac{\mu_{t+1}}{1 - \Pi_t\, \mu_{t+1}} \cdot \frac{m_t}{d_t}

    The first term is the gradient step, the second the momentum step looked
    ahead by one (with :math:`\mu_{t+1}`); their factors replace Adam's bias
    correction of :math:`m`. :math:`\mu_t` rises from about
    :math:`\beta_1/2` towards :math:`\beta_1` as :math:`t\psi` grows.

    With ``decoupled_weight_decay=True`` (NAdamW) the :math:`\lambda\theta`
    term leaves :math:`g_t` and the parameter is instead shrunk first,
    :math:`\theta \leftarrow \theta (1 - \gamma\lambda)`.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 2e-3).
        betas: :math:`(\beta_1, \beta_2)` (default (0.9, 0.999)).
        eps: :math:`\epsilon` (default 1e-8).
        weight_decay: :math:`\lambda` (default 0).
        momentum_decay: :math:`\psi`, how fast :math:`\mu_t` warms up
            (default 4e-3).
        decoupled_weight_decay: apply weight decay as AdamW does
            (default False).
        foreach: PyTorch's choice of implementation; accepted, and without
            effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).
        capturable, differentiable: must stay False (see `Optimizer`).

    State per parameter: ``"step"``, ``"mu_product"`` (:math:`\Pi_t`, a
    float), ``"exp_avg"`` (:math:`m`), ``"exp_avg_sq"`` (:math:`v`).
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_non_negative(lr=lr, eps=eps)
        check_betas(betas)
        check_non_negative(weight_decay=weight_decay, momentum_decay=momentum_decay)
        # in PyTorch's order, which its state dicts show
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
        }
        super().__init__(params, defaults)

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        beta1, beta2 = group["betas"]
        eps = group["eps"]
        weight_decay = group["weight_decay"]
        psi = group["momentum_decay"]
        decoupled = group["decoupled_weight_decay"]
        names = ("exp_avg", "exp_avg_sq")

        def mu(t: int) -> float:
            return beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))

        # mu_product is a bucket key too: parameters with the same step count
        # but another history (betas changed in between) are updated apart
        for params in self._buckets(group["params"], names, mu_product=1.0):
            t = self._count_step(params)
            mu_product = float(self.state[params[0]]["mu_product"]) * mu(t)
            mu_product_next = mu_product * mu(t + 1)
            for p in params:
                self.state[p]["mu_product"] = mu_product
            m, v = self._flat(params, names)
            g = self._flat_grads(params, group["maximize"], 0 if decoupled else weight_decay)
            if decoupled and weight_decay != 0:
                self._decay(params, 1 - lr * weight_decay)

            # m <- beta1 m + (1 - beta1) g ;  v <- beta2 v + (1 - beta2) g^2
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            # d = sqrt(v / (1 - beta2^t)) + eps
            denom = np.sqrt(v / (1 - beta2**t))
            denom += eps

            # the gradient step and the look-ahead momentum step, both over d
            g *= lr * (1 - mu(t)) / (1 - mu_product)
            g += (lr * mu(t + 1) / (1 - mu_product_next)) * m
            g /= denom
            self._apply(params, g)
