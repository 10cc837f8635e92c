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

Here: the base class `LRScheduler`, and the schedules that are a function of
the epoch: `StepLR`, `MultiStepLR`, `ExponentialLR`, `LinearLR`,
`CosineAnnealingLR`, `LambdaLR`. Two schedulers of another kind live in
`lr_cycle_plateau` and are re-exported here, so that
``lr_scheduler.OneCycleLR`` works as in PyTorch: `OneCycleLR` (per batch,
also cycles the momentum) and `ReduceLROnPlateau` (driven by a metric).
"""

from __future__ import annotations

import bisect
import math
import types
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .optimizer import Optimizer

__all__ = [
    "CosineAnnealingLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "ReduceLROnPlateau",
    "StepLR",
]

_EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` is deprecated: call `scheduler.step()` "
    "without it. When it is given, the closed form of the schedule is used where "
    "there is one."
)


def _check_optimizer(optimizer: object) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


def _per_group(name: str, value: Any, optimizer: Optimizer) -> list[Any]:
    """One value per param group: a list or tuple must have one entry per
    group (``name`` is its plural, for the error); anything else is repeated."""
    n_groups = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n_groups:
            raise ValueError(f"Expected {n_groups} {name}, but got {len(value)}")
        return list(value)
    return [value] * n_groups


class LRScheduler:
    """Base class of the schedulers.

    Args:
        optimizer: the optimizer whose learning rates are changed.
        last_epoch: index of the last epoch done; -1 (the default) starts the
            schedule. Any other value resumes it, and then every group must
            already have ``"initial_lr"``.

    A subclass writes `get_lr`, returning the learning rate of each group for
    epoch ``self.last_epoch``.
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        # The constructor takes the first step (to epoch 0, or to the resumed
        # epoch); `_is_initial` tells `get_lr` not to change the rates then.
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rate of each group at epoch ``last_epoch``."""
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """The learning rates the last `step` set, one per param group."""
        return list(self._last_lr)

    def step(self, epoch: int | None = None) -> None:
        """Advance to the next epoch and set the learning rates for it."""
        # Only the base class's `step` records that it ran; an optimizer that
        # overrides `step` would get a false warning, so it gets none.
        if (
            self._step_count == 1
            and type(self.optimizer).step is Optimizer.step
            and not self.optimizer._opt_called
        ):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                "Call them in the opposite order: `optimizer.step()` before "
                "`lr_scheduler.step()`; otherwise the first value of the learning "
                "rate schedule is skipped.",
                UserWarning,
                stacklevel=2,
            )
        self._step_count += 1
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            warnings.warn(_EPOCH_DEPRECATION_WARNING, UserWarning, stacklevel=2)
            self.last_epoch = epoch
            closed_form = getattr(self, "_get_closed_form_lr", None)
            values = closed_form() if closed_form is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer (save the optimizer separately)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore attributes saved by `state_dict`."""
        self.__dict__.update(state_dict)

    def _group_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


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
        if self._is_initial:
            return self._group_lrs()
        return [lr * self.gamma for lr in self._group_lrs()]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


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


class LambdaLR(LRScheduler):
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

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | Sequence[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        self.optimizer = optimizer
        self.lr_lambdas = _per_group("lr_lambdas", lr_lambda, optimizer)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base * fn(self.last_epoch) for fn, base in zip(self.lr_lambdas, self.base_lrs)]

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


# Imported last: that module builds on `LRScheduler` above. Re-exported so
# that `lr_scheduler.OneCycleLR` and `lr_scheduler.ReduceLROnPlateau` work.
from .lr_cycle_plateau import OneCycleLR, ReduceLROnPlateau  # noqa: E402
