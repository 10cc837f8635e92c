"""`LRScheduler`, the base class of every learning-rate scheduler, and its helpers.

A scheduler wraps an optimizer. Creating it records each group's starting
learning rate as ``group["initial_lr"]`` (the ``base_lrs``) and takes a first
step, to epoch 0; every later call to `LRScheduler.step` advances
``last_epoch`` by one and writes the new learning rates into the groups.

The schedulers themselves live in `lr_scheduler` (which re-exports this
class, as PyTorch's ``torch.optim.lr_scheduler`` has it), `lr_cycle_plateau`,
`lr_cyclic` and `lr_composite`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from ..rollback import restored_on_error
from ..warning import warn
from .optimizer import Optimizer

_EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` is deprecated: call `scheduler.step()` "
    "without it. When it is given, the closed form of the schedule is used where "
    "there is one."
)


def groups_restored_on_error(optimizer: Optimizer) -> AbstractContextManager[None]:
    """If the block raises, every param group gets back the entries it had (lr, initial_lr, momentum...).

    So a scheduler that fails to start, or a step that fails half-way,
    leaves the optimizer as it was.
    """
    return restored_on_error(*optimizer.param_groups)


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
    epoch ``self.last_epoch``, and may write ``_get_closed_form_lr``, the same
    computed from ``base_lrs`` alone, which ``step(epoch)`` uses.
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if last_epoch != -1:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when resuming an optimizer"
                    )
        with groups_restored_on_error(optimizer):  # (a user's lr_lambda may raise in the first step)
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
            self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
            self.last_epoch = last_epoch
            self._get_lr_called_within_step = False  # (PyTorch's name: it is saved in state_dict)
            self._initial_step()

    def _initial_step(self) -> None:
        """The constructor's step (to epoch 0, or to the resumed epoch).

        `_is_initial` tells `get_lr` not to change the rates then. `SequentialLR`
        calls this again to restart a scheduler when its turn comes.
        """
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The learning rate of each group at epoch ``last_epoch``.

        Called by `step`, which has moved ``last_epoch`` on; a subclass's
        get_lr starts with `_check_get_lr_call`. Read the current rates with
        `get_last_lr`.
        """
        raise NotImplementedError

    def _check_get_lr_call(self) -> None:
        """Warn, as PyTorch does, when get_lr is called from outside `step`.

        Several schedulers compute the next rate from the current one, so a
        get_lr called on its own returns the rate of a step not taken.
        """
        if not self._get_lr_called_within_step:
            warn("To get the last learning rate computed by the scheduler, please use `get_last_lr()`.")

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
            warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                "Call them in the opposite order: `optimizer.step()` before "
                "`lr_scheduler.step()`; otherwise the first value of the learning "
                "rate schedule is skipped."
            )
        if epoch is not None:
            warn(_EPOCH_DEPRECATION_WARNING)
        self._update_lr(epoch)
        self._step_count += 1  # (after: a step that fails is not counted)

    def _update_lr(self, epoch: int | None = None) -> None:
        """Move to the next epoch, or to ``epoch``, and write its rates into the groups.

        `step` without its checks; `SequentialLR` calls ``_update_lr(0)`` to
        start a scheduler's schedule again at a milestone.
        """
        self._get_lr_called_within_step = True
        previous_epoch = self.last_epoch
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                self.last_epoch = epoch
                closed_form = getattr(self, "_get_closed_form_lr", None)
                values = closed_form() if closed_form is not None else self.get_lr()
        except BaseException:  # a bad epoch, a lr_lambda that raises: the epoch stays where it was
            self.last_epoch = previous_epoch
            raise
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = self._group_lrs()

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer (save the optimizer separately)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore attributes saved by `state_dict`."""
        self.__dict__.update(state_dict)

    def _group_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


def _start_momentum_cycle(optimizer: Optimizer, highs: list[float], lows: list[float], fresh: bool) -> bool:
    """For the schedulers that cycle momentum (OneCycleLR, CyclicLR): is it Adam's
    beta1 that cycles? On a fresh start each group is set to its highest momentum."""
    use_beta1 = "betas" in optimizer.defaults
    if fresh:
        for group, high, low in zip(optimizer.param_groups, highs, lows):
            _set_momentum(group, high, use_beta1)
            group["max_momentum"] = high
            group["base_momentum"] = low
    return use_beta1


def _set_momentum(group: dict[str, Any], value: float, use_beta1: bool) -> None:
    """Set a group's momentum: Adam's beta1, or the `momentum` of SGD and RMSprop."""
    if use_beta1:
        group["betas"] = (value, *group["betas"][1:])
    else:
        group["momentum"] = value
