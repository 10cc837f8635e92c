"""Learning-rate schedulers: change each param group's ``"lr"`` as training goes.

A scheduler wraps an optimizer. Creating it records each group's starting
learning rate as ``group["initial_lr"]`` (the ``base_lrs``); every call to
``scheduler.step()``, once per epoch after ``optimizer.step()``, advances
``last_epoch`` by one and writes the new learning rates into the groups::

    opt = SGD(model.parameters(), lr=0.1)
    sched = StepLR(opt, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch(model, opt)
        sched.step()

Most schedulers are written, as in PyTorch, in "chainable" form: the new
rate is computed from the group's current rate, so two schedulers on one
optimizer compose (their factors multiply).

Here: the schedules that follow the epoch count, `StepLR`, `MultiStepLR`,
`ConstantLR`, `ExponentialLR`, `LinearLR`, `PolynomialLR`,
`CosineAnnealingLR`, and the two driven by a function of the epoch,
`LambdaLR` and `MultiplicativeLR`. The other schedulers live in modules of
their own and are re-exported here, so that every name PyTorch has in
``torch.optim.lr_scheduler`` is found here too:

- `lr_base`: the base class `LRScheduler`;
- `lr_cycle_plateau`: `OneCycleLR` (one cycle per training, stepped per
  batch, also cycles the momentum) and `ReduceLROnPlateau` (driven by a
  metric);
- `lr_cyclic`: `CyclicLR` (the rate goes back and forth between two bounds)
  and `CosineAnnealingWarmRestarts` (cosine annealing that restarts);
- `lr_composite`: `SequentialLR` (one scheduler after another) and
  `ChainedScheduler` (several at once).
"""

from __future__ import annotations

import bisect
import math
import types
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .lr_base import LRScheduler, _check_optimizer, _per_group
from .lr_composite import ChainedScheduler, SequentialLR
from .lr_cycle_plateau import OneCycleLR, ReduceLROnPlateau
from .lr_cyclic import CosineAnnealingWarmRestarts, CyclicLR
from .optimizer import Optimizer

__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SequentialLR",
    "StepLR",
]


class _LRScheduler(LRScheduler):
    """PyTorch's old name of `LRScheduler`, kept there (and here) for code that subclasses it."""


class StepLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    .. math:: \eta_t = \eta_0 \cdot \gamma^{\lfloor t / \text{step\_size} \rfloor}

    Example: lr 0.05, step_size 30, gamma 0.1 gives 0.05 for epochs 0-29,
    0.005 for epochs 30-59, 0.0005 for 60-89, and so on.
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._group_lrs()
        return [lr * self.gamma for lr in self._group_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` at each epoch listed in ``milestones``.

    .. math:: \eta_t = \eta_0 \cdot \gamma^{\,|\{m \in \text{milestones} \,:\, m \le t\}|}

    A milestone listed twice counts twice (the rate is multiplied by
    :math:`\gamma^2` there). A milestone 0 already applies when the scheduler
    is created, since creating it sets the rates of epoch 0.

    Args:
        optimizer: the optimizer.
        milestones: the epochs at which to decay, in increasing order (any
            order works, as in PyTorch).
        gamma: the factor applied at each milestone (default 0.1).
        last_epoch: see `LRScheduler`.

    Example: lr 0.05, milestones [30, 80], gamma 0.1 gives 0.05 for epochs
    0-29, 0.005 for epochs 30-79 and 0.0005 from epoch 80 on.
    """

    def __init__(
        self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        # Epoch -> how many times it is listed; a Counter, as PyTorch saves it.
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        if self.last_epoch not in self.milestones:
            return self._group_lrs()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._group_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        passed = bisect.bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base * self.gamma**passed for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` every epoch.

    .. math:: \eta_t = \eta_0 \cdot \gamma^t
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        if self._is_initial:
            return self._group_lrs()
        return [lr * self.gamma for lr in self._group_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class ConstantLR(LRScheduler):
    r"""Multiply the learning rate by ``factor`` until epoch ``total_iters``, then restore it.

    With :math:`f` = ``factor`` and :math:`T` = ``total_iters``:

    .. math:: \eta_t = \eta_0 \, f \quad (t < T), \qquad \eta_t = \eta_0 \quad (t \ge T)

    A warm-up at a constant low rate: ``ConstantLR(opt, factor=0.5,
    total_iters=4)`` trains epochs 0-3 at half the rate and the rest at the
    full rate. In chainable form, epoch 0 multiplies the current rate by
    :math:`f` and epoch :math:`T` divides it by :math:`f` again; so with
    ``total_iters=0``, as in PyTorch, the rate stays multiplied by :math:`f`
    when stepped (``step(epoch)``'s closed form gives :math:`\eta_0`).

    Args:
        optimizer: the optimizer.
        factor: the factor before epoch ``total_iters``, in (0, 1] (default 1/3).
        total_iters: the epoch at which the rate is restored (default 5).
        last_epoch: see `LRScheduler`.
    """

    def __init__(
        self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5, last_epoch: int = -1
    ) -> None:
        # PyTorch accepts factor 0 here and divides by it at epoch total_iters.
        if not 0 < factor <= 1.0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        if self.last_epoch == 0:
            return [lr * self.factor for lr in self._group_lrs()]
        if self.last_epoch == self.total_iters:
            # times the reciprocal rather than divided: PyTorch's rounding, to the last bit
            return [lr * (1.0 / self.factor) for lr in self._group_lrs()]
        return self._group_lrs()

    def _get_closed_form_lr(self) -> list[float]:
        factor = 1.0 if self.last_epoch >= self.total_iters else self.factor
        return [base * factor for base in self.base_lrs]


class LinearLR(LRScheduler):
    r"""Scale the learning rate by a factor that moves linearly from
    ``start_factor`` to ``end_factor`` over ``total_iters`` epochs, then stays.

    With :math:`s`, :math:`e` and :math:`T` for the two factors and ``total_iters``:

    .. math:: \eta_t = \eta_0 \left(s + (e - s)\,\frac{\min(t, T)}{T}\right)

    The usual use is a warm-up: ``LinearLR(opt, start_factor=0.1,
    total_iters=5)`` climbs from a tenth of the rate to the full rate in 5
    epochs. In chainable form, epoch 0 multiplies the current rate by
    :math:`s`, and each epoch :math:`1 \le t \le T` by the ratio of
    consecutive factors,

    .. math:: \frac{s + (e - s)\,t / T}{s + (e - s)(t - 1) / T}
              = 1 + \frac{e - s}{T s + (t - 1)(e - s)}

    Args:
        optimizer: the optimizer.
        start_factor: the factor at epoch 0, in (0, 1] (default 1/3).
        end_factor: the factor from epoch ``total_iters`` on, in [0, 1] (default 1).
        total_iters: the number of epochs the change takes (default 5).
        last_epoch: see `LRScheduler`.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        # start_factor 0 is refused: the chainable ratio would divide by zero.
        if not 0 < start_factor <= 1.0:
            raise ValueError(
                "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."
            )
        if not 0 <= end_factor <= 1.0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        t, s, e = self.last_epoch, self.start_factor, self.end_factor
        if t == 0:
            return [lr * s for lr in self._group_lrs()]
        if self._is_initial or t > self.total_iters:
            return self._group_lrs()
        ratio = 1.0 + (e - s) / (self.total_iters * s + (t - 1) * (e - s))
        return [lr * ratio for lr in self._group_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        s, e = self.start_factor, self.end_factor
        factor = s + (e - s) * min(self.total_iters, self.last_epoch) / self.total_iters
        return [base * factor for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    r"""Decay the learning rate to 0 along a polynomial in ``total_iters`` epochs, then keep it at 0.

    With :math:`T` = ``total_iters`` and :math:`p` = ``power``:

    .. math:: \eta_t = \eta_0 \left(1 - \frac{\min(t, T)}{T}\right)^p

    ``power=1`` (the default) is a straight line down to 0; a power below 1
    keeps the rate high for longer, one above 1 drops it sooner. In
    chainable form, each epoch :math:`1 \le t \le T` multiplies the current
    rate by the ratio of consecutive factors,

    .. math:: \left(\frac{1 - t / T}{1 - (t - 1) / T}\right)^p

    Args:
        optimizer: the optimizer.
        total_iters: the number of epochs the decay takes (default 5).
        power: the power of the polynomial (default 1.0).
        last_epoch: see `LRScheduler`.

    Example: lr 0.05, total_iters 4, power 1 gives 0.05, 0.0375, 0.025,
    0.0125, then 0 from epoch 4 on.
    """

    def __init__(
        self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1
    ) -> None:
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        t, T = self.last_epoch, self.total_iters
        if self._is_initial or t > T:
            return self._group_lrs()
        ratio = ((1.0 - t / T) / (1.0 - (t - 1) / T)) ** self.power
        return [lr * ratio for lr in self._group_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        factor = (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters) ** self.power
        return [base * factor for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    r"""Anneal the learning rate from its initial value to ``eta_min`` along a cosine.

    The schedule follows the half cosine of SGDR (without its restarts):

    .. math::

        \eta_t = \eta_{min} + \tfrac12 (\eta_0 - \eta_{min})
                 \left(1 + \cos\frac{t\pi}{T_{max}}\right)

    As in PyTorch it is computed recursively from the current rate, so that
    it composes with other changes to the rate:

    .. math::

        \eta_{t} = \eta_{min} + (\eta_{t-1} - \eta_{min})
            \frac{1 + \cos(t\pi / T_{max})}{1 + \cos((t - 1)\pi / T_{max})}

    except when :math:`t - 1` is an odd multiple of :math:`T_{max}` (the
    denominator is then 0, at the bottom of the cosine), where
    :math:`\eta_t = \eta_{t-1} + \tfrac12 (\eta_0 - \eta_{min})(1 - \cos(\pi / T_{max}))`.
    Past ``T_max`` the rate therefore climbs back up along the cosine, and
    so on periodically: it does not stay at ``eta_min``.

    Args:
        optimizer: the optimizer.
        T_max: number of epochs from the initial rate down to ``eta_min``.
        eta_min: the lowest learning rate (default 0).
        last_epoch: see `LRScheduler`.
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._group_lrs()
        if (t - 1 - T) % (2 * T) == 0:
            rise = (1 - math.cos(math.pi / T)) / 2
            return [lr + (base - eta_min) * rise for base, lr in zip(self.base_lrs, self._group_lrs())]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [eta_min + (lr - eta_min) * ratio for lr in self._group_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        cosine = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return [self.eta_min + (base - self.eta_min) * cosine for base in self.base_lrs]


class _LambdaScheduler(LRScheduler):
    """What `LambdaLR` and `MultiplicativeLR` share: one function of the epoch
    per param group, and a state dict that keeps the attributes of callable
    objects (plain functions and lambdas cannot be saved)."""

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | Sequence[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        _check_optimizer(optimizer)
        self.lr_lambdas = _per_group("lr_lambdas", lr_lambda, optimizer)
        for fn in self.lr_lambdas:
            if not callable(fn):
                raise TypeError(f"lr_lambda should be a function, but got {type(fn).__name__}")
        super().__init__(optimizer, last_epoch)

    def state_dict(self) -> dict[str, Any]:
        """Attributes except the optimizer; for ``lr_lambdas``, the attribute
        dicts of callable objects (None for functions, which cannot be saved)."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = [
            None if isinstance(fn, types.FunctionType) else fn.__dict__.copy() for fn in self.lr_lambdas
        ]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore attributes, and the attributes of callable-object lambdas."""
        saved = dict(state_dict)
        lambdas = saved.pop("lr_lambdas")
        self.__dict__.update(saved)
        for fn, attributes in zip(self.lr_lambdas, lambdas):
            if attributes is not None:
                fn.__dict__.update(attributes)


class LambdaLR(_LambdaScheduler):
    r"""Set the learning rate to the initial one times a function of the epoch.

    .. math:: \eta_t = \eta_0 \cdot \lambda(t)

    Args:
        optimizer: the optimizer.
        lr_lambda: a function of the epoch (an int) returning a factor, or a
            list of such functions, one per param group.
        last_epoch: see `LRScheduler`.

    Example: a linear warm-up over 10 epochs::

        LambdaLR(opt, lr_lambda=lambda epoch: min(1.0, (epoch + 1) / 10))

    `state_dict` cannot save plain functions or lambdas; for callable
    objects it saves their attributes.
    """

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        return [base * fn(self.last_epoch) for fn, base in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(_LambdaScheduler):
    r"""Multiply the learning rate by a function of the epoch at every epoch after the first.

    .. math:: \eta_t = \eta_{t-1} \cdot \lambda(t) = \eta_0 \prod_{s=1}^{t} \lambda(s)

    Where `LambdaLR`'s function gives the factor to the initial rate, this
    one's gives the factor to the previous epoch's rate: ``lr_lambda=lambda
    epoch: 0.95`` is ``ExponentialLR(opt, gamma=0.95)``. Creating the
    scheduler keeps the rates (and calls no function); ``step(epoch)``
    multiplies the current rate by :math:`\lambda(\text{epoch})`, as there is
    no closed form.

    Args:
        optimizer: the optimizer.
        lr_lambda: a function of the epoch (an int) returning a factor, or a
            list of such functions, one per param group.
        last_epoch: see `LRScheduler`.

    `state_dict` saves the lambdas as `LambdaLR`'s does.
    """

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        if self._is_initial:
            return self._group_lrs()
        return [lr * fn(self.last_epoch) for fn, lr in zip(self.lr_lambdas, self._group_lrs())]
