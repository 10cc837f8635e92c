"""Two schedulers whose learning rate goes round in cycles.

- `CyclicLR` moves the rate back and forth between two bounds, in
  triangles, usually stepped once per batch; it can move the momentum the
  opposite way.
- `CosineAnnealingWarmRestarts` anneals the rate along a cosine, then jumps
  back to the initial rate and starts again, each cycle possibly longer than
  the one before.

Both set each rate outright from the epoch (they do not chain with other
schedulers), are re-exported by `tinygrad_edu.optim.lr_scheduler`, where
PyTorch has them, and build on `LRScheduler` (in `lr_base`).
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable
from typing import Any, Literal

from .lr_base import (
    LRScheduler,
    _check_optimizer,
    _per_group,
    _set_momentum,
    _start_momentum_cycle,
    groups_restored_on_error,
)
from .optimizer import Optimizer

__all__ = ["CosineAnnealingWarmRestarts", "CyclicLR"]

_MODES = ("triangular", "triangular2", "exp_range")


class CyclicLR(LRScheduler):
    r"""Cycle the learning rate between ``base_lr`` and ``max_lr``, in triangles.

    From "Cyclical Learning Rates for Training Neural Networks" (Smith,
    2017). Call `step` after every batch. A cycle takes
    :math:`S = S_{up} + S_{down}` steps (``step_size_up`` plus
    ``step_size_down``): the rate climbs from ``base_lr`` to the top in
    :math:`S_{up}` steps, then falls back in :math:`S_{down}`. At step
    :math:`t`, in cycle :math:`c` (counted from 1), with :math:`x` the
    fraction of the cycle done and :math:`r = S_{up} / S`:

    .. math::

        c = \left\lfloor 1 + \frac{t}{S} \right\rfloor, \qquad
        x = 1 + \frac{t}{S} - c, \qquad
        h = \begin{cases} x / r & x \le r \\ (x - 1) / (r - 1) & x > r \end{cases}

    .. math::

        \eta_t = \eta_{base} + (\eta_{max} - \eta_{base})\, h\, s(\cdot)

    where :math:`h` goes 0 → 1 → 0 over a cycle and :math:`s` shrinks the
    triangles, by ``mode``:

    - ``"triangular"``: :math:`s = 1`, every cycle the same;
    - ``"triangular2"``: :math:`s(c) = 1 / 2^{c - 1}`, each cycle half as high;
    - ``"exp_range"``: :math:`s(t) = \gamma^t`, shrinking at every step.

    A custom ``scale_fn`` replaces the mode; ``scale_mode`` says whether it
    receives the cycle :math:`c` (``"cycle"``) or the step :math:`t`
    (``"iterations"``). With ``cycle_momentum`` the momentum (SGD's
    ``momentum``, Adam's :math:`\beta_1`) moves the other way, from
    ``max_momentum`` down to ``base_momentum`` at the top of the rate:
    :math:`m_t = m_{max} - (m_{max} - m_{base})\, h\, s(\cdot)`.

    Creating the scheduler sets each group's rate to ``base_lr``, and with
    ``cycle_momentum`` its momentum to ``max_momentum`` (both recorded in the
    group, as ``"max_momentum"`` and ``"base_momentum"``, for resuming).

    Args:
        optimizer: the optimizer.
        base_lr: the lower bound of the rate, a float or one per param group.
        max_lr: the upper bound, a float or one per group; the rate reaches
            it only where the scale is 1.
        step_size_up: steps from the bottom to the top of a cycle (default 2000).
        step_size_down: steps from the top back down (default: step_size_up).
        mode: ``"triangular"`` (default), ``"triangular2"`` or ``"exp_range"``.
        gamma: the factor of ``"exp_range"`` (default 1.0).
        scale_fn: a function of one number giving a scale in [0, 1]; it
            replaces ``mode``.
        scale_mode: ``"cycle"`` (default) or ``"iterations"``, what ``scale_fn``
            receives; the modes set their own.
        cycle_momentum: also cycle the momentum (default True); the optimizer
            must then have ``momentum`` or ``betas``.
        base_momentum: the lowest momentum, a float or one per group (default 0.8).
        max_momentum: the highest momentum, a float or one per group (default 0.9).
        last_epoch: the index of the last *batch*; see `LRScheduler`.

    Example::

        opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
        sched = CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=10)
        for epoch in range(10):
            for x, y in loader:
                train_one_batch(model, opt, x, y)
                sched.step()

    `state_dict` cannot save a ``scale_fn`` that is a plain function or a
    lambda; for a callable object it saves its attributes.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | list[float],
        max_lr: float | list[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: Literal["triangular", "triangular2", "exp_range"] = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: Literal["cycle", "iterations"] = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.8,
        max_momentum: float | list[float] = 0.9,
        last_epoch: int = -1,
    ) -> None:
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        # Every argument is checked before anything changes in the groups.
        base_lrs = _per_group("base_lrs", base_lr, optimizer)
        self.max_lrs = _per_group("max_lrs", max_lr, optimizer)
        if mode not in _MODES and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        if cycle_momentum and "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
            raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
        if cycle_momentum:
            base_momentums = _per_group("base_momentums", base_momentum, optimizer)
            max_momentums = _per_group("max_momentums", max_momentum, optimizer)

        # a step size that is no number, a scale_fn that raises: the groups get their entries back
        with groups_restored_on_error(optimizer):
            if last_epoch == -1:
                for group, lr in zip(optimizer.param_groups, base_lrs):
                    group["lr"] = lr
            up = float(step_size_up)
            down = float(step_size_down) if step_size_down is not None else up
            self.total_size = up + down
            self.step_ratio = up / self.total_size
            self.mode = mode
            self.gamma = gamma
            self._scale_fn_custom = scale_fn
            self.scale_mode = scale_mode
            self._init_scale_fn()
            self.cycle_momentum = cycle_momentum
            if cycle_momentum:
                self.base_momentums = base_momentums
                self.max_momentums = max_momentums
                self.use_beta1 = _start_momentum_cycle(
                    optimizer, max_momentums, base_momentums, last_epoch == -1
                )
            # NOTE: as in PyTorch, the first step uses the groups' "initial_lr"
            # (base_lr, unless a scheduler before this one recorded another);
            # only then does `base_lrs` become base_lr.
            super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _init_scale_fn(self) -> None:
        """Each built-in mode scales by the cycle or by the step, whatever ``scale_mode`` said."""
        if self._scale_fn_custom is None:
            self.scale_mode = "iterations" if self.mode == "exp_range" else "cycle"

    def scale_fn(self, x: float) -> float:
        """The scale of the triangle at cycle (or step) ``x``: ``scale_fn``, or the mode's."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma**x

    def get_lr(self) -> list[float]:
        """The rate of each group at step ``last_epoch``; with ``cycle_momentum``
        it also sets each group's momentum for that step."""
        self._check_get_lr_call()
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            height = x / self.step_ratio
        else:
            height = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base + (top - base) * height * scale for base, top in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, low, high in zip(self.optimizer.param_groups, self.base_momentums, self.max_momentums):
                _set_momentum(group, high - (high - low) * height * scale, self.use_beta1)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        """Attributes except the optimizer; for ``scale_fn``, the attribute dict
        of a callable object (None for a function, which cannot be saved)."""
        state = super().state_dict()
        fn = state.pop("_scale_fn_custom")
        saved = None if fn is None or isinstance(fn, types.FunctionType) else fn.__dict__.copy()
        state["_scale_fn_custom"] = saved
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore attributes, and the attributes of a callable-object ``scale_fn``."""
        saved = dict(state_dict)
        attributes = saved.pop("_scale_fn_custom")
        self.__dict__.update(saved)
        if attributes is not None:
            self._scale_fn_custom.__dict__.update(attributes)
        self._init_scale_fn()


class CosineAnnealingWarmRestarts(LRScheduler):
    r"""Cosine annealing with warm restarts (SGDR): anneal, jump back up, repeat.

    From "SGDR: Stochastic Gradient Descent with Warm Restarts" (Loshchilov
    and Hutter, 2017). With :math:`T_{cur}` the epochs since the last restart
    and :math:`T_i` the length of the current cycle:

    .. math::

        \eta_t = \eta_{min} + \tfrac12 (\eta_0 - \eta_{min})
                 \left(1 + \cos\frac{T_{cur}\,\pi}{T_i}\right)

    The first cycle lasts :math:`T_0` epochs, and each one is ``T_mult``
    times longer than the one before: restarts happen at epochs
    :math:`T_0`, :math:`T_0 (1 + m)`, :math:`T_0 (1 + m + m^2)`, ... for
    :math:`m` = ``T_mult``. At a restart :math:`T_{cur}` = 0, so the rate
    jumps back to the initial one; it never quite reaches ``eta_min``.

    `step` may be called once per epoch, or with a fractional epoch after
    every batch, ``step(epoch + i / batches_per_epoch)``; then
    :math:`T_{cur}` and :math:`T_i` are computed from that epoch (no
    warning: unlike the other schedulers this is not deprecated), and
    ``last_epoch`` becomes its floor. The two ways may be mixed: after
    ``step(26)``, ``step()`` goes to epoch 27.

    Args:
        optimizer: the optimizer.
        T_0: the length of the first cycle, in epochs (a positive int).
        T_mult: the factor by which each cycle is longer than the last, an
            int >= 1 (default 1: all the same length).
        eta_min: the lowest learning rate (default 0).
        last_epoch: see `LRScheduler`.

    Example::

        sched = CosineAnnealingWarmRestarts(opt, T_0=10, T_mult=2)
        for epoch in range(70):  # restarts at epochs 10 and 30
            for i, (x, y) in enumerate(loader):
                train_one_batch(model, opt, x, y)
                sched.step(epoch + i / len(loader))
    """

    def __init__(
        self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        if not isinstance(T_0, int) or T_0 <= 0:
            raise ValueError(f"Expected positive integer T_0, but got {T_0}")
        if not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        if not isinstance(eta_min, (float, int)):
            raise ValueError(f"Expected float or int eta_min, but got {eta_min} of type {type(eta_min)}")
        self.T_0 = T_0
        self.T_i = T_0
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur: float = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        self._check_get_lr_call()
        cosine = (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2
        return [self.eta_min + (base - self.eta_min) * cosine for base in self.base_lrs]

    def step(self, epoch: float | None = None) -> None:
        """Go to the next epoch, or to ``epoch`` (which may be fractional), and set the rates.

        The rates are set outright, so there is no call-order warning here.
        """
        if epoch is None and self.last_epoch < 0:
            epoch = 0  # the constructor's step
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            if epoch < 0:
                raise ValueError(f"Expected non-negative epoch, but got {epoch}")
            self.T_cur, self.T_i = self._position(epoch)
        self.last_epoch = math.floor(epoch)
        self._get_lr_called_within_step = True
        try:
            rates = self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, rates):
            group["lr"] = lr
        self._last_lr = self._group_lrs()

    def _position(self, epoch: float) -> tuple[float, int]:
        """(T_cur, T_i) at ``epoch``: how far into its cycle it is, and that cycle's length.

        With m = T_mult > 1, cycle n (from 0) starts at T_0 (m^n - 1) / (m - 1),
        so n = floor(log_m(1 + epoch (m - 1) / T_0)).
        """
        if epoch < self.T_0:
            return epoch, self.T_0
        if self.T_mult == 1:
            return epoch % self.T_0, self.T_i
        m = self.T_mult
        n = int(math.log(epoch / self.T_0 * (m - 1) + 1, m))
        return epoch - self.T_0 * (m**n - 1) / (m - 1), self.T_0 * m**n
