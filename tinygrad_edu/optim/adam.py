"""Adam: gradient steps scaled by running estimates of the gradient's moments.

Adam keeps, per parameter, an exponential moving average of the gradient
(first moment) and of its square (second moment), corrects both for their
start at zero, and divides one by the square root of the other. Each
coordinate then moves by roughly ``lr``, whatever the gradient's scale.

The update runs as a short sequence of in-place NumPy operations on all the
parameters of a group at once: their moments live in one flat array each
(every parameter's state entry is a view into it), and their gradients are
gathered into one. So a step makes about a dozen NumPy calls in all, not a
dozen per parameter, and costs less than a hand-written per-parameter Adam.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, check_non_negative

__all__ = ["Adam"]


class Adam(Optimizer):
    r"""Adam, and its AMSGrad variant.

    Per parameter :math:`\theta`, with learning rate :math:`\gamma`,
    coefficients :math:`\beta_1, \beta_2`, weight decay :math:`\lambda` and
    :math:`m_0 = v_0 = v^{max}_0 = 0`, step :math:`t = 1, 2, \dots` does:

    .. math::

        g_t &= \pm\nabla_\theta f(\theta_{t-1}) + \lambda\,\theta_{t-1}
              \quad (\text{minus sign when maximize}) \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat v_t &= v_t, \text{ or with amsgrad }
              v^{max}_t = \max(v^{max}_{t-1}, v_t),\ \hat v_t = v^{max}_t \\
        \theta_t &= \theta_{t-1} - \frac{\gamma}{1 - \beta_1^t} \cdot
              \frac{m_t}{\sqrt{\hat v_t} / \sqrt{1 - \beta_2^t} + \epsilon}

    The divisions by :math:`1 - \beta^t` undo the bias of averages that start
    at zero. Note where :math:`\epsilon` sits: it is added after the
    second moment's bias correction, outside the square root. AMSGrad takes
    the running maximum of the uncorrected :math:`v_t`.

    With ``decoupled_weight_decay=True`` (what `AdamW` sets) the
    :math:`\lambda\theta` term leaves :math:`g_t` and the parameter is
    instead shrunk first, :math:`\theta \leftarrow \theta (1 - \gamma\lambda)`.

    Args:
        params: Tensors, or dicts defining parameter groups.
        lr: learning rate :math:`\gamma` (default 1e-3).
        betas: :math:`(\beta_1, \beta_2)`, the averaging coefficients
            (default (0.9, 0.999)).
        eps: :math:`\epsilon`, keeps the denominator away from zero
            (default 1e-8).
        weight_decay: :math:`\lambda` (default 0).
        amsgrad: use the AMSGrad variant (default False).
        foreach, fused: PyTorch's choice of implementation; accepted, and
            without effect here (see `Optimizer`).
        maximize: ascend the objective instead of descending (default False).
        capturable, differentiable: must stay False (see `Optimizer`).
        decoupled_weight_decay: apply weight decay as AdamW does
            (default False).

    State per parameter: ``"step"`` (an int), ``"exp_avg"`` (:math:`m`),
    ``"exp_avg_sq"`` (:math:`v`) and, with amsgrad, ``"max_exp_avg_sq"``.
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        check_non_negative(lr=lr, eps=eps)
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        check_non_negative(weight_decay=weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)
        self._flats: dict[tuple[int, ...], list[np.ndarray]] = {}

    def _step_group(self, group: dict[str, Any]) -> None:
        lr = group["lr"]
        beta1, beta2 = group["betas"]
        eps = group["eps"]
        weight_decay = group["weight_decay"]
        amsgrad = group["amsgrad"]
        maximize = group["maximize"]
        decoupled = group["decoupled_weight_decay"]
        names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if amsgrad else ("exp_avg", "exp_avg_sq")

        for params in self._buckets(group["params"], names):
            for p in params:
                self.state[p]["step"] += 1
            t = self.state[params[0]]["step"]
            m, v, *v_max = self._flat(params, names)
            # every gradient in one new array (so it may be changed in place), as m and v are
            g = _gather(p.grad.data for p in params)  # type: ignore[union-attr]  # (_buckets: all have one)
            scratch = np.empty_like(g)
            if maximize:
                np.negative(g, out=g)
            if weight_decay != 0:
                if decoupled:
                    for p in params:
                        p.data *= 1 - lr * weight_decay
                else:
                    g += weight_decay * _gather(p.data for p in params)

            # m <- beta1 m + (1 - beta1) g
            m *= beta1
            m += np.multiply(g, 1 - beta1, out=scratch)
            # v <- beta2 v + (1 - beta2) g^2
            v *= beta2
            np.multiply(g, g, out=scratch)
            scratch *= 1 - beta2
            v += scratch
            if amsgrad:
                v = np.maximum(v_max[0], v, out=v_max[0])

            # denominator sqrt(v) / sqrt(1 - beta2^t) + eps, then the step itself
            denom = np.sqrt(v, out=scratch)
            denom /= math.sqrt(1 - beta2**t)
            denom += eps
            step = np.divide(m, denom, out=scratch)
            step *= lr / (1 - beta1**t)
            for p, piece in _pieces(step, params):
                p.data -= piece
                p._bump_version()

    def _buckets(self, params: list[Tensor], names: tuple[str, ...]) -> list[list[Tensor]]:
        """The parameters that have a gradient, in lists of one dtype and one step count.

        Usually that is one list, updated at once; a parameter that joined
        later (or skipped steps) has its own step count, hence its own list.
        New parameters get zero state here.
        """
        buckets: dict[tuple, list[Tensor]] = {}
        for p in params:
            if p.grad is None:
                continue
            state = self.state[p]
            if not state:
                state["step"] = 0
                for name in names:
                    state[name] = np.zeros_like(p.data)
            buckets.setdefault((p.data.dtype, state["step"]), []).append(p)
        return list(buckets.values())

    def _flat(self, params: list[Tensor], names: tuple[str, ...]) -> list[np.ndarray]:
        """Each state array `names` of `params` as one flat array, of which the params' entries are views.

        A NumPy call then updates every parameter of the list at once
        (PyTorch's "foreach" idea): for small layers, most of a step is the
        cost of each call, not the arithmetic. The flat arrays are reused
        while every entry still views them; after `load_state_dict` (new
        arrays) or for another list of parameters they are built again.
        """
        key = tuple(map(id, params))
        flats = self._flats.get(key)
        if flats is not None and all(
            self.state[p][name].base is flat for name, flat in zip(names, flats) for p in params
        ):
            return flats
        flats = []
        for name in names:
            flat = _gather(self.state[p][name] for p in params)
            for p, piece in _pieces(flat, params):
                self.state[p][name] = piece
            flats.append(flat)
        # a parameter's state lives in one flat array: forget older lists that held it
        self._flats = {k: v for k, v in self._flats.items() if not set(k) & set(key)}
        self._flats[key] = flats
        return flats


def _gather(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """The arrays flattened and joined end to end, in a new array."""
    return np.concatenate([a.reshape(-1) for a in arrays])


def _pieces(flat: np.ndarray, params: list[Tensor]) -> Iterator[tuple[Tensor, np.ndarray]]:
    """(param, view of `flat` shaped like it) for each param, in the order `_gather` joined them."""
    offset = 0
    for p in params:
        yield p, flat[offset : offset + p.data.size].reshape(p.data.shape)
        offset += p.data.size
