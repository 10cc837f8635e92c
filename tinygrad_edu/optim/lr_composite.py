"""Schedulers made of other schedulers.

- `SequentialLR` hands the optimizer from one scheduler to the next at given
  epochs: a warm-up, then a decay, say.
- `ChainedScheduler` steps several schedulers at once, so their changes to
  the rate combine (for chainable schedulers, their factors multiply).

Both are re-exported by `tinygrad_edu.optim.lr_scheduler`, where PyTorch has
them. Their `state_dict` holds the state dicts of the schedulers inside.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from ..rollback import restored_on_error
from .lr_base import LRScheduler
from .lr_cycle_plateau import ReduceLROnPlateau
from .optimizer import Optimizer

__all__ = ["ChainedScheduler", "SequentialLR"]


def _check_schedulers(kind: str, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None) -> None:
    """At least one scheduler; each steps without arguments and drives ``optimizer``."""
    if len(schedulers) < 1:
        raise ValueError(f"{kind} expects at least one scheduler, but got no scheduler.")
    for i, scheduler in enumerate(schedulers):
        if not hasattr(scheduler, "optimizer"):
            raise TypeError(f"{kind} at index {i} should have `optimizer` as its attribute.")
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(
                f"{kind} does not support `ReduceLROnPlateau` scheduler as it requires additional "
                "kwargs to be specified when calling `step`, "
                f"but got one at index {i} in the given schedulers sequence."
            )
        if scheduler.optimizer is not optimizer:
            raise ValueError(
                f"{kind} expects all schedulers to belong to the same optimizer, but got scheduler "
                f"{type(scheduler).__name__} at index {i} has {scheduler.optimizer}, "
                f"which is different from {type(optimizer).__name__}."
            )


class _OfSchedulers(LRScheduler):
    """What SequentialLR and ChainedScheduler share: schedulers inside (``_schedulers``),
    saved in the state dict as their own state dicts."""

    _schedulers: Sequence[LRScheduler]

    def _everything(self) -> list[LRScheduler]:
        """This scheduler and every one inside it, nested ones too."""
        inner = [s._everything() if isinstance(s, _OfSchedulers) else [s] for s in self._schedulers]
        return [self, *(s for found in inner for s in found)]

    def _undone_on_error(self) -> AbstractContextManager[None]:
        """If the block raises (a scheduler inside fails after others have stepped), put back
        the attributes of every scheduler and the optimizer's groups: a failed step takes none."""
        schedulers = [s.__dict__ for s in self._everything()]
        return restored_on_error(*schedulers, *self.optimizer.param_groups)

    def state_dict(self) -> dict[str, Any]:
        """Attributes except the optimizer; ``"_schedulers"`` holds each scheduler's state dict."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [scheduler.state_dict() for scheduler in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore attributes and the state of every scheduler inside."""
        saved = dict(state_dict)
        states = saved.pop("_schedulers")
        self.__dict__.update(saved)
        for scheduler, state in zip(self._schedulers, states):
            scheduler.load_state_dict(state)


class SequentialLR(_OfSchedulers):
    """Run ``schedulers`` one after another, switching at the epochs in ``milestones``.

    Scheduler :math:`k` (from 0) is in charge from epoch ``milestones[k-1]``
    (or 0) until epoch ``milestones[k]``; ``len(milestones)`` must be
    ``len(schedulers) - 1``. At its milestone a scheduler starts its own
    schedule again from epoch 0, from the rate the previous one left (its
    closed form at epoch 0 where it has one: the initial rate, for most).

    Creating it first puts every group back at its ``"initial_lr"`` and
    undoes the first step that creating each scheduler took, then starts
    the first scheduler alone. Call `step` without arguments.

    Args:
        optimizer: the optimizer; every scheduler must drive this one.
        schedulers: the schedulers, in the order they take over.
        milestones: the epochs at which the next scheduler takes over, increasing.
        last_epoch: see `LRScheduler`.

    Example: a linear warm-up over 5 epochs, then a cosine over 95::

        warmup = LinearLR(opt, start_factor=0.1, total_iters=5)
        cosine = CosineAnnealingLR(opt, T_max=95)
        sched = SequentialLR(opt, schedulers=[warmup, cosine], milestones=[5])
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: Sequence[LRScheduler],
        milestones: Sequence[int],
        last_epoch: int = -1,
    ) -> None:
        _check_schedulers(type(self).__name__, schedulers, optimizer)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                "Sequential Schedulers expects number of schedulers provided to be one more than the "
                f"number of milestone points, but got number of schedulers {len(schedulers)} and the "
                f"number of milestones to be equal to {len(milestones)}"
            )
        # No call to LRScheduler.__init__: the schedulers inside set the rates.
        self._schedulers = schedulers
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        self.recursive_undo()
        first = self._schedulers[bisect.bisect_right(milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def recursive_undo(self, sched: LRScheduler | None = None) -> None:
        """Take back one epoch from every scheduler inside (nested ones too):
        the step each took when it was created."""
        scheduler = self if sched is None else sched
        if hasattr(scheduler, "_schedulers"):
            for inner in scheduler._schedulers:
                self.recursive_undo(inner)
        elif hasattr(scheduler, "last_epoch"):
            scheduler.last_epoch -= 1

    def step(self) -> None:  # type: ignore[override]
        """Advance one epoch: step the scheduler in charge, or restart the next at its milestone."""
        with self._undone_on_error():
            self.last_epoch += 1
            index = bisect.bisect_right(self._milestones, self.last_epoch)
            scheduler = self._schedulers[index]
            if index > 0 and self._milestones[index - 1] == self.last_epoch:
                scheduler._update_lr(0)
            else:
                scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(_OfSchedulers):
    """Step several schedulers together: one `step` calls each one's `step`, in order.

    For chainable schedulers the factors multiply: ``ChainedScheduler([a, b])``
    does what calling ``a.step(); b.step()`` every epoch does, with one call
    (and one state dict). Call `step` without arguments.

    Args:
        schedulers: the schedulers, all on one optimizer.
        optimizer: that optimizer (default: the first scheduler's).

    Example: a warm-up over 5 epochs while the rate also decays by 0.9 every epoch::

        warmup = LinearLR(opt, start_factor=0.1, total_iters=5)
        decay = ExponentialLR(opt, gamma=0.9)
        sched = ChainedScheduler([warmup, decay])
    """

    def __init__(self, schedulers: Sequence[LRScheduler], optimizer: Optimizer | None = None) -> None:
        if optimizer is None and len(schedulers) > 0:
            optimizer = getattr(schedulers[0], "optimizer", None)
        _check_schedulers(type(self).__name__, schedulers, optimizer)
        # No call to LRScheduler.__init__: the schedulers inside set the rates.
        self._schedulers = schedulers
        self.optimizer = schedulers[0].optimizer  # (checked: the same as `optimizer`)
        self._last_lr = self._group_lrs()

    def step(self) -> None:  # type: ignore[override]
        """Step every scheduler, in order (or, if one fails, none)."""
        with self._undone_on_error():
            for scheduler in self._schedulers:
                scheduler.step()
        self._last_lr = self._group_lrs()
