"""Two schedulers that are not a function of the epoch alone.

- `OneCycleLR` steps once per batch, sets each rate outright (it does not
  chain with other schedulers) and moves the momentum opposite to the rate.
- `ReduceLROnPlateau` watches a metric, such as the validation loss, and
  cuts the rate when the metric stops improving.

Both are re-exported by `tinygrad_edu.optim.lr_scheduler`, where PyTorch has
them, and build on `LRScheduler` (in `lr_base`).
"""

from __future__ import annotations

import math
from typing import Any, Literal, SupportsFloat

from ..warning import warn
from .lr_base import (
    _EPOCH_DEPRECATION_WARNING,
    LRScheduler,
    _check_optimizer,
    _per_group,
    _set_momentum,
    _start_momentum_cycle,
)
from .optimizer import Optimizer

__all__ = ["OneCycleLR", "ReduceLROnPlateau"]


def _anneal_cos(start: float, end: float, pct: float) -> float:
    """From ``start`` at pct 0 to ``end`` at pct 1 along half a cosine."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def _anneal_linear(start: float, end: float, pct: float) -> float:
    """From ``start`` at pct 0 to ``end`` at pct 1 along a straight line."""
    return (end - start) * pct + start


_ANNEAL = {"cos": _anneal_cos, "linear": _anneal_linear}


def _phase(end_step: float, lr_from: str, lr_to: str, momentum_from: str, momentum_to: str) -> dict[str, Any]:
    """One phase of the cycle, ending at step ``end_step``. The other entries
    name the param-group keys that hold the values at its two ends."""
    return {
        "end_step": end_step,
        "start_lr": lr_from,
        "end_lr": lr_to,
        "start_momentum": momentum_from,
        "end_momentum": momentum_to,
    }


class OneCycleLR(LRScheduler):
    r"""The 1cycle policy: warm the learning rate up to ``max_lr``, then anneal
    it far below where it started, in one cycle over the whole training.

    From "Super-Convergence" (Smith and Topin, 2017). Call `step` after every
    batch, not every epoch. With :math:`T` = ``total_steps`` and
    :math:`p` = ``pct_start``, the rate goes through three values,

    .. math::

        \eta_{init} = \frac{\text{max\_lr}}{\text{div\_factor}}, \qquad
        \eta_{max} = \text{max\_lr}, \qquad
        \eta_{min} = \frac{\eta_{init}}{\text{final\_div\_factor}}

    from :math:`\eta_{init}` up to :math:`\eta_{max}` over steps
    :math:`0 \dots pT - 1`, then down to :math:`\eta_{min}` at step
    :math:`T - 1`. With ``three_phase=True`` (the paper's version) it comes
    back down to :math:`\eta_{init}` at step :math:`2pT - 2`, symmetrically,
    and only then falls to :math:`\eta_{min}` at step :math:`T - 1`.
    Within a phase from :math:`a` (at step :math:`t_0`) to :math:`b` (at
    step :math:`t_1`), with :math:`x = (t - t_0) / (t_1 - t_0)`:

    .. math::

        \eta_t = b + \tfrac12 (a - b)(1 + \cos \pi x) \quad \text{(cos)}
        \qquad \text{or} \qquad
        \eta_t = a + (b - a)\, x \quad \text{(linear)}

    With ``cycle_momentum`` the momentum (SGD's ``momentum``, Adam's
    :math:`\beta_1`) moves the opposite way along the same curves: from
    ``max_momentum`` down to ``base_momentum`` while the rate rises, back up
    while it falls, and it stays at ``max_momentum`` in the third phase.

    The rates are set outright from the values stored in each param group
    (``"initial_lr"``, ``"max_lr"``, ``"min_lr"``, ``"max_momentum"``,
    ``"base_momentum"``, written there when ``last_epoch`` is -1), so this
    scheduler does not chain with others. Steps 0 to ``total_steps`` may be
    reached; one more `step` raises ValueError. As in PyTorch, a phase of
    length zero (for example ``pct_start * total_steps == 1``) makes the
    interpolation divide by zero.

    Args:
        optimizer: the optimizer.
        max_lr: the peak learning rate, or a list of one per param group.
        total_steps: the number of steps in the cycle; if None, it is
            ``epochs * steps_per_epoch``, and both must be given.
        epochs: the number of epochs, used only without ``total_steps``.
        steps_per_epoch: batches per epoch, used only without ``total_steps``.
        pct_start: the fraction of the cycle spent raising the rate, a float
            in [0, 1] (default 0.3).
        anneal_strategy: ``"cos"`` (default) or ``"linear"``.
        cycle_momentum: also cycle the momentum (default True); the
            optimizer must then have ``momentum`` or ``betas``.
        base_momentum: the lowest momentum, reached with the peak rate
            (default 0.85); a float or one per group.
        max_momentum: the highest momentum, at the start and end (default
            0.95); a float or one per group.
        div_factor: :math:`\eta_{init} = \text{max\_lr} / \text{div\_factor}` (default 25).
        final_div_factor: :math:`\eta_{min} = \eta_{init} / \text{final\_div\_factor}` (default 1e4).
        three_phase: use the paper's three phases (default False: two, as fastai).
        last_epoch: the index of the last *batch*; see `LRScheduler`.

    Example::

        opt = SGD(model.parameters(), lr=0.01, momentum=0.9)
        sched = OneCycleLR(opt, max_lr=0.1, epochs=10, steps_per_epoch=len(loader))
        for epoch in range(10):
            for x, y in loader:
                train_one_batch(model, opt, x, y)
                sched.step()
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: Literal["cos", "linear"] = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        if total_steps is not None:
            if not isinstance(total_steps, int) or total_steps <= 0:
                raise ValueError(f"Expected positive integer total_steps, but got {total_steps}")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            if not isinstance(epochs, int) or epochs <= 0:
                raise ValueError(f"Expected positive integer epochs, but got {epochs}")
            if not isinstance(steps_per_epoch, int) or steps_per_epoch <= 0:
                raise ValueError(f"Expected positive integer steps_per_epoch, but got {steps_per_epoch}")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        # PyTorch asks for a float here: an int, even 0 or 1, is refused.
        if not isinstance(pct_start, float) or not 0 <= pct_start <= 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in _ANNEAL:
            raise ValueError(
                f"anneal_strategy must be one of 'cos' or 'linear', instead got {anneal_strategy}"
            )
        max_lrs = _per_group("max_lrs", max_lr, optimizer)
        if cycle_momentum and "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
            raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")

        # The same names as PyTorch's, so that the state dicts have the same keys.
        self._anneal_func_type = anneal_strategy
        # The phases end at steps pT - 1, (2pT - 2,) and T - 1.
        peak = float(pct_start * self.total_steps) - 1
        last = self.total_steps - 1
        rise = _phase(peak, "initial_lr", "max_lr", "max_momentum", "base_momentum")
        if three_phase:
            back = float(2 * pct_start * self.total_steps) - 2
            self._schedule_phases = [
                rise,
                _phase(back, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                _phase(last, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
        else:
            self._schedule_phases = [rise, _phase(last, "max_lr", "min_lr", "base_momentum", "max_momentum")]

        # Resuming (last_epoch != -1) keeps the values already in the groups.
        if last_epoch == -1:
            for group, lr in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = lr / div_factor
                group["max_lr"] = lr
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            max_momentums = _per_group("max_momentums", max_momentum, optimizer)
            base_momentums = _per_group("base_momentums", base_momentum, optimizer)
            self.use_beta1 = _start_momentum_cycle(optimizer, max_momentums, base_momentums, last_epoch == -1)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The rate of each group at step ``last_epoch``; with ``cycle_momentum``
        it also sets each group's momentum for that step."""
        self._check_get_lr_call()
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"Tried to step {step} times. The specified number of total steps is {self.total_steps}"
            )
        phase, pct = self._phase_at(step)
        anneal = _ANNEAL[self._anneal_func_type]
        lrs = []
        for group in self.optimizer.param_groups:
            lrs.append(anneal(group[phase["start_lr"]], group[phase["end_lr"]], pct))
            if self.cycle_momentum:
                momentum = anneal(group[phase["start_momentum"]], group[phase["end_momentum"]], pct)
                _set_momentum(group, momentum, self.use_beta1)
        return lrs

    def _phase_at(self, step: int) -> tuple[dict[str, Any], float]:
        """The phase that ``step`` falls in, and how far into it (0 to 1)."""
        start = 0.0
        for phase in self._schedule_phases:
            # The last phase also takes the steps past its end (step total_steps).
            if step <= phase["end_step"] or phase is self._schedule_phases[-1]:
                return phase, (step - start) / (phase["end_step"] - start)
            start = phase["end_step"]
        raise AssertionError("unreachable: the last phase always matches")


class ReduceLROnPlateau(LRScheduler):
    r"""Divide the learning rate when a metric has stopped improving.

    Call ``step(metric)`` once per epoch with the quantity to watch, for
    example the validation loss. A value :math:`m` counts as an improvement
    on the best so far, :math:`m^*`, when (:math:`\tau` = ``threshold``):

    - mode ``"min"``, threshold_mode ``"rel"``: :math:`m < m^* (1 - \tau)`
    - mode ``"min"``, threshold_mode ``"abs"``: :math:`m < m^* - \tau`
    - mode ``"max"``, threshold_mode ``"rel"``: :math:`m > m^* (1 + \tau)`
    - mode ``"max"``, threshold_mode ``"abs"``: :math:`m > m^* + \tau`

    An improvement becomes the new ``best`` and resets ``num_bad_epochs``;
    any other value adds one to it. When ``num_bad_epochs`` exceeds
    ``patience``, every group's rate becomes

    .. math:: \eta \leftarrow \max(\eta \cdot \text{factor},\ \text{min\_lr})

    (left unchanged if that would change it by no more than ``eps``), and
    the count restarts. Then for ``cooldown`` epochs bad epochs are not
    counted, giving the new rate time to act. With ``patience=0`` the rate
    is cut on every epoch that does not improve.

    The first metric always improves on the initial ``best`` (infinitely
    bad). The rates are changed in place, so this scheduler composes with
    others; it does not record ``"initial_lr"``.

    Args:
        optimizer: the optimizer.
        mode: ``"min"`` (default) when lower is better, ``"max"`` when higher is.
        factor: the factor that cuts the rate, below 1 (default 0.1).
        patience: how many epochs without improvement are tolerated (default 10).
        threshold: how much better counts as an improvement (default 1e-4).
        threshold_mode: ``"rel"`` (default, a fraction of ``best``) or ``"abs"``.
        cooldown: epochs to wait after a cut before counting again (default 0).
        min_lr: the lowest rate, a float or a list of one per group (default 0).
        eps: changes of the rate this small or smaller are skipped (default 1e-8).

    Example::

        sched = ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=3)
        for epoch in range(100):
            train_one_epoch(model, opt)
            sched.step(validation_loss(model))
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: Literal["min", "max"] = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: Literal["rel", "abs"] = "rel",
        cooldown: int = 0,
        min_lr: float | list[float] = 0,
        eps: float = 1e-8,
    ) -> None:
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        _check_optimizer(optimizer)
        min_lrs = _per_group("min_lrs", min_lr, optimizer)
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode} is unknown!")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold mode {threshold_mode} is unknown!")
        # No call to LRScheduler.__init__: there is no "initial_lr" to record
        # and no rate to set before the first metric arrives.
        self.optimizer = optimizer
        self.factor = factor
        self.min_lrs = min_lrs
        # Kept to extend `min_lrs` if a param group is added later.
        self.default_min_lr = None if isinstance(min_lr, (list, tuple)) else min_lr
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.last_epoch = 0
        self._last_lr = self._group_lrs()
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    @property
    def in_cooldown(self) -> bool:
        """Whether bad epochs are being ignored after a recent cut."""
        return self.cooldown_counter > 0

    def step(self, metrics: SupportsFloat, epoch: int | None = None) -> None:  # type: ignore[override]
        """Record this epoch's metric (a number or a 0-d Tensor) and cut the
        rates if it is the last straw."""
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            warn(_EPOCH_DEPRECATION_WARNING)
        self.last_epoch = epoch

        if self._is_better(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._group_lrs()

    def _is_better(self, current: float) -> bool:
        relative = self.threshold_mode == "rel"
        if self.mode == "min":
            return current < (self.best * (1.0 - self.threshold) if relative else self.best - self.threshold)
        return current > (self.best * (1.0 + self.threshold) if relative else self.best + self.threshold)

    def _reduce_lr(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"The optimizer has {len(groups)} param groups but min_lr gave {len(self.min_lrs)} "
                    "values when ReduceLROnPlateau was created (a param group was probably added "
                    "since): set `scheduler.min_lrs` to one value per group."
                )
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr
