"""Tests for CyclicLR and CosineAnnealingWarmRestarts: rates and momenta
against the triangles and cosines written out here (cycle by cycle, not by
the schedulers' own formulas), fractional epochs, state dicts and errors;
and, when PyTorch is installed, the same sequences and state dicts from
PyTorch, step by step."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from tinygrad_edu.optim import SGD, Adagrad, Adam
from tinygrad_edu.optim.lr_scheduler import CosineAnnealingWarmRestarts, CyclicLR, StepLR

from .test_lr_scheduler import LRS, make_optimizer, run, torch_optimizer


def momentum_of(group):
    return group["betas"][0] if "betas" in group else group["momentum"]


# ---------------------------------------------------------------- CyclicLR


def triangle(t, up, down):
    """The height (0 at the bottom, 1 at the top) of step t in triangles that
    rise for `up` steps and fall for `down`, and the cycle t is in (from 1)."""
    position = t % (up + down)
    height = position / up if position <= up else 1 - (position - up) / down
    return height, t // (up + down) + 1


def cyclic_reference(t, base, top, up, down, mode="triangular", gamma=1.0):
    height, cycle = triangle(t, up, down)
    scale = {"triangular": 1.0, "triangular2": 0.5 ** (cycle - 1), "exp_range": gamma**t}[mode]
    return base + (top - base) * height * scale, scale * height


def run_cyclic(opt, sched, steps):
    """(learning rates of both groups, momentum of group 0) for steps 0..steps."""
    lrs, momenta = [], []
    for i in range(steps + 1):
        lrs.append(sched.get_last_lr())
        momenta.append(momentum_of(opt.param_groups[0]))
        assert lrs[-1] == [g["lr"] for g in opt.param_groups]
        if i < steps:
            opt.step()
            sched.step()
    return np.array(lrs), np.array(momenta)


@pytest.mark.parametrize(
    "mode, up, down, gamma",
    [
        ("triangular", 2, 3, 1.0),
        ("triangular", 4, None, 1.0),
        ("triangular2", 3, 2, 1.0),
        ("exp_range", 3, 3, 0.9),
    ],
)
@pytest.mark.parametrize("cls", [SGD, Adam])
def test_cyclic_lr_and_momentum_follow_the_triangles(mode, up, down, gamma, cls):
    opt = make_optimizer(cls)
    sched = CyclicLR(
        opt,
        base_lr=[0.01, 0.02],
        max_lr=[0.11, 0.5],
        step_size_up=up,
        step_size_down=down,
        mode=mode,
        gamma=gamma,
    )
    lrs, momenta = run_cyclic(opt, sched, 25)
    fall = up if down is None else down
    for t in range(26):
        lr0, shape = cyclic_reference(t, 0.01, 0.11, up, fall, mode, gamma)
        lr1, _ = cyclic_reference(t, 0.02, 0.5, up, fall, mode, gamma)
        assert lrs[t] == pytest.approx([lr0, lr1], rel=1e-12, abs=1e-15)
        assert momenta[t] == pytest.approx(0.9 - (0.9 - 0.8) * shape, rel=1e-12)  # the other way round
    if cls is Adam:
        assert all(g["betas"][1] == 0.999 for g in opt.param_groups)


def test_cyclic_lr_landmarks_by_hand():
    opt = make_optimizer()
    sched = CyclicLR(opt, base_lr=0.1, max_lr=1.0, step_size_up=2, step_size_down=4, cycle_momentum=False)
    lrs, _ = run_cyclic(opt, sched, 7)
    # up in 2 steps, down in 4: 0.1, 0.55, 1.0, 0.775, 0.55, 0.325, 0.1 (a new cycle), 0.55
    np.testing.assert_allclose(lrs[:, 0], [0.1, 0.55, 1.0, 0.775, 0.55, 0.325, 0.1, 0.55], rtol=1e-12)


def test_cyclic_lr_sets_base_lr_and_max_momentum_at_once():
    opt = make_optimizer()
    sched = CyclicLR(opt, base_lr=[0.5, 0.25], max_lr=1.0, base_momentum=0.7, max_momentum=[0.95, 0.99])
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.25] and sched.get_last_lr() == [0.5, 0.25]
    assert sched.base_lrs == [0.5, 0.25] and sched.max_lrs == [1.0, 1.0]
    assert [g["momentum"] for g in opt.param_groups] == [0.95, 0.99]
    assert [(g["max_momentum"], g["base_momentum"]) for g in opt.param_groups] == [(0.95, 0.7), (0.99, 0.7)]


def test_cyclic_lr_after_another_scheduler_starts_from_initial_lr_as_pytorch():
    # NOTE: PyTorch's quirk, kept: the constructor's step reads the "initial_lr"
    # that the first scheduler recorded; base_lr takes over from step 1.
    opt = make_optimizer()
    StepLR(opt, step_size=5)
    sched = CyclicLR(opt, base_lr=0.5, max_lr=1.0, step_size_up=2, cycle_momentum=False)
    assert sched.get_last_lr() == list(LRS) and sched.base_lrs == [0.5, 0.5]
    opt.step()
    sched.step()
    assert sched.get_last_lr() == [0.75, 0.75]


class Halving:
    """A callable object: its attributes are saved by CyclicLR.state_dict."""

    def __init__(self, factor):
        self.factor = factor
        self.seen = []

    def __call__(self, x):
        self.seen.append(x)
        return self.factor**x


@pytest.mark.parametrize("scale_mode", ["cycle", "iterations"])
def test_cyclic_lr_custom_scale_fn_gets_the_cycle_or_the_step(scale_mode):
    scale = Halving(0.5)
    opt = make_optimizer()
    sched = CyclicLR(
        opt, 0.0, 1.0, step_size_up=2, mode="no such mode", scale_fn=scale, scale_mode=scale_mode
    )
    lrs, _ = run_cyclic(opt, sched, 9)
    steps = list(range(10))
    expected_args = [t // 4 + 1 for t in steps] if scale_mode == "cycle" else steps
    assert scale.seen[-10:] == expected_args  # (the constructor's step first asks about step 0)
    want = [triangle(t, 2, 2)[0] * 0.5**x for t, x in zip(steps, expected_args)]
    np.testing.assert_allclose(lrs[:, 0], want, rtol=1e-12, atol=1e-15)


def test_cyclic_lr_modes_choose_their_own_scale_mode():
    assert (
        CyclicLR(make_optimizer(), 0.1, 1.0, mode="exp_range", scale_mode="cycle").scale_mode == "iterations"
    )
    assert (
        CyclicLR(make_optimizer(), 0.1, 1.0, mode="triangular2", scale_mode="iterations").scale_mode
        == "cycle"
    )


def test_cyclic_lr_state_dict_saves_callable_objects_not_functions():
    opt = make_optimizer()
    sched = CyclicLR(opt, 0.1, 1.0, step_size_up=3, scale_fn=Halving(0.8))
    for _ in range(5):
        opt.step()
        sched.step()
    state = sched.state_dict()
    assert state["_scale_fn_custom"]["factor"] == 0.8 and state["last_epoch"] == 5
    assert "optimizer" not in state and state["total_size"] == 6.0 and state["step_ratio"] == 0.5
    fresh = Halving(0.1)
    sched2 = CyclicLR(make_optimizer(), 0.1, 1.0, step_size_up=3, scale_fn=fresh)
    sched2.load_state_dict(state)
    assert fresh.factor == 0.8 and sched2._scale_fn_custom is fresh and sched2.last_epoch == 5
    assert "_scale_fn_custom" in state  # the dict is left intact
    assert (
        CyclicLR(make_optimizer(), 0.1, 1.0, scale_fn=lambda x: 1.0).state_dict()["_scale_fn_custom"] is None
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mode": "triangle"}, "^mode is invalid and scale_fn is None$"),
        ({"base_lr": [0.1] * 3}, "^Expected 2 base_lrs, but got 3$"),
        ({"max_lr": (1.0,)}, "^Expected 2 max_lrs, but got 1$"),
        ({"base_momentum": [0.8]}, "^Expected 2 base_momentums, but got 1$"),
        ({"max_momentum": [0.9] * 3}, "^Expected 2 max_momentums, but got 3$"),
    ],
)
def test_cyclic_lr_rejects_bad_arguments_and_leaves_the_groups_alone(kwargs, message):
    opt = make_optimizer()
    kwargs = {"base_lr": 0.5, "max_lr": 1.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        CyclicLR(opt, **kwargs)
    assert [g["lr"] for g in opt.param_groups] == list(LRS) and "max_momentum" not in opt.param_groups[0]


def test_cyclic_lr_momentum_needs_momentum_or_betas():
    with pytest.raises(ValueError, match="must support momentum or beta1"):
        CyclicLR(make_optimizer(Adagrad), 0.1, 1.0)
    sched = CyclicLR(make_optimizer(Adagrad), 0.1, 1.0, cycle_momentum=False)
    assert "momentum" not in sched.optimizer.param_groups[0] and not hasattr(sched, "use_beta1")
    with pytest.raises(TypeError, match="^list is not an Optimizer$"):
        CyclicLR([], 0.1, 1.0)


def test_cyclic_lr_resumes_from_the_groups():
    full = run(lambda o: CyclicLR(o, 0.1, 1.0, step_size_up=3), epochs=12)
    opt = make_optimizer()
    sched = CyclicLR(opt, 0.1, 1.0, step_size_up=3)
    for _ in range(4):
        opt.step()
        sched.step()
    opt2 = make_optimizer()
    opt2.load_state_dict(opt.state_dict())
    sched2 = CyclicLR(opt2, 0.1, 1.0, step_size_up=3, last_epoch=4)  # steps on to 5
    assert sched2.last_epoch == 5 and sched2.get_last_lr() == list(full[5])
    np.testing.assert_array_equal(run(lambda o: sched2, epochs=7, opt=opt2), full[5:])


# ---------------------------------------------------------------- CosineAnnealingWarmRestarts


def warm_restarts_reference(epoch, T_0, T_mult):
    """(T_cur, T_i) at a (possibly fractional) epoch, by walking the cycles one by one."""
    start, length = 0, T_0
    while epoch >= start + length:
        start, length = start + length, length * T_mult
    return epoch - start, length


def sgdr(base, eta_min, T_cur, T_i):
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2


@pytest.mark.parametrize("T_0, T_mult, eta_min", [(5, 1, 0.0), (3, 2, 0.001), (2, 3, 0.0), (1, 1, 0.01)])
def test_warm_restarts_follow_the_cosine_and_restart(T_0, T_mult, eta_min):
    got = run(lambda o: CosineAnnealingWarmRestarts(o, T_0=T_0, T_mult=T_mult, eta_min=eta_min), epochs=40)
    for t in range(41):
        T_cur, T_i = warm_restarts_reference(t, T_0, T_mult)
        assert got[t] == pytest.approx([sgdr(lr, eta_min, T_cur, T_i) for lr in LRS], rel=1e-12, abs=1e-15)


def test_warm_restarts_restart_epochs_by_hand():
    opt = make_optimizer()
    sched = CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2)
    restarts = []
    for epoch in range(1, 30):
        opt.step()
        sched.step()
        if sched.get_last_lr()[0] == LRS[0]:  # back at the initial rate
            restarts.append(epoch)
            assert sched.T_cur == 0
    assert restarts == [3, 9, 21] and sched.T_i == 24  # cycles of 3, 6, 12, then 24


@pytest.mark.parametrize("T_0, T_mult", [(3, 1), (3, 2), (2, 3), (10, 10)])
def test_warm_restarts_take_fractional_epochs_without_warning(T_0, T_mult):
    opt = make_optimizer()
    sched = CosineAnnealingWarmRestarts(opt, T_0=T_0, T_mult=T_mult, eta_min=0.001)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i in range(60):
            epoch = i * 0.37 if T_mult < 10 else i * 3.7
            opt.step()
            sched.step(epoch)
            T_cur, T_i = warm_restarts_reference(epoch, T_0, T_mult)
            assert sched.T_i == T_i and sched.T_cur == pytest.approx(T_cur, abs=1e-12)
            assert sched.last_epoch == math.floor(epoch)
            want = [sgdr(lr, 0.001, T_cur, T_i) for lr in LRS]
            assert sched.get_last_lr() == pytest.approx(want, rel=1e-10)


def test_warm_restarts_mix_epochs_and_plain_steps():
    opt = make_optimizer()
    sched = CosineAnnealingWarmRestarts(opt, T_0=10)
    for _ in range(20):
        opt.step()
        sched.step()
    sched.step(26)
    assert sched.last_epoch == 26 and sched.T_cur == 6
    sched.step()  # epoch 27, not 21
    assert sched.last_epoch == 27 and sched.T_cur == 7
    assert sched.get_last_lr() == pytest.approx([sgdr(lr, 0.0, 7, 10) for lr in LRS], rel=1e-13)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"T_0": 0}, "^Expected positive integer T_0, but got 0$"),
        ({"T_0": 2.5}, "^Expected positive integer T_0, but got 2.5$"),
        ({"T_0": 3, "T_mult": 0}, "^Expected integer T_mult >= 1, but got 0$"),
        ({"T_0": 3, "T_mult": 1.5}, "^Expected integer T_mult >= 1, but got 1.5$"),
        ({"T_0": 3, "eta_min": "0"}, "^Expected float or int eta_min, but got 0 of type <class 'str'>$"),
    ],
)
def test_warm_restarts_reject_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        CosineAnnealingWarmRestarts(make_optimizer(), **kwargs)


def test_warm_restarts_reject_a_negative_epoch():
    sched = CosineAnnealingWarmRestarts(make_optimizer(), T_0=3)
    with pytest.raises(ValueError, match="^Expected non-negative epoch, but got -1$"):
        sched.step(-1)


def test_warm_restarts_state_dict_holds_the_cycle():
    opt = make_optimizer()
    sched = CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2)
    for _ in range(5):
        opt.step()
        sched.step()
    state = sched.state_dict()
    assert (state["T_cur"], state["T_i"], state["last_epoch"]) == (3, 4, 5)
    assert state["_step_count"] == 0  # as PyTorch's: its step does not count
    assert set(state) == {"T_0", "T_i", "T_mult", "eta_min", "T_cur", "base_lrs", "last_epoch"} | {
        "_step_count",
        "_is_initial",
        "_last_lr",
        "_get_lr_called_within_step",  # (PyTorch 2.13's key set, checked against it)
    }


# ---------------------------------------------------------------- PyTorch, side by side


def run_side_by_side(torch, make, cls="SGD", steps=40, epochs=None):
    """Step ours and PyTorch's together; rates, momenta, groups and state dicts must agree."""
    import tinygrad_edu as tg
    from tinygrad_edu.optim import lr_scheduler

    key = "betas" if cls == "Adam" else "momentum"
    ours_opt, their_opt = make_optimizer(getattr(tg.optim, cls)), torch_optimizer(torch, cls)
    ours, theirs = make(lr_scheduler, ours_opt), make(torch.optim.lr_scheduler, their_opt)
    for i in range(steps):
        assert ours.get_last_lr() == theirs.get_last_lr()
        assert [g.get(key) for g in ours_opt.param_groups] == [g.get(key) for g in their_opt.param_groups]
        ours_opt.step()
        their_opt.step()
        ours.step(*([] if epochs is None else [epochs[i]]))
        theirs.step(*([] if epochs is None else [epochs[i]]))
    assert ours.state_dict() == theirs.state_dict()  # _get_lr_called_within_step included
    for ours_group, their_group in zip(ours_opt.param_groups, their_opt.param_groups):
        assert {k: v for k, v in ours_group.items() if k != "params"} == {
            k: v for k, v in their_group.items() if k != "params"
        }


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        ("SGD", {"base_lr": 0.01, "max_lr": [0.1, 0.2], "step_size_up": 4}),
        (
            "SGD",
            {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "step_size_down": 5, "mode": "triangular2"},
        ),
        ("Adam", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3, "mode": "exp_range", "gamma": 0.95}),
        (
            "RMSprop",
            {"base_lr": [0.01, 0.02], "max_lr": 0.1, "base_momentum": [0.7, 0.8], "max_momentum": 0.95},
        ),
        ("Adagrad", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2, "cycle_momentum": False}),
    ],
)
def test_cyclic_lr_matches_torch(cls, kwargs):
    torch = pytest.importorskip("torch")
    kwargs = {"step_size_up": 5, **kwargs}
    run_side_by_side(torch, lambda lib, opt: lib.CyclicLR(opt, **kwargs), cls)


def test_cyclic_lr_with_a_scale_fn_matches_torch():
    torch = pytest.importorskip("torch")

    def make(lib, opt):
        return lib.CyclicLR(
            opt, 0.01, 0.1, step_size_up=3, scale_fn=lambda x: 0.5**x, scale_mode="iterations"
        )

    run_side_by_side(torch, make)


@pytest.mark.parametrize(
    "kwargs, epochs",
    [
        ({"T_0": 5}, None),
        ({"T_0": 3, "T_mult": 2, "eta_min": 0.001}, None),
        ({"T_0": 3, "T_mult": 2}, [i * 0.37 for i in range(40)]),
        ({"T_0": 4, "T_mult": 1}, [i * 0.61 for i in range(40)]),
        ({"T_0": 10, "T_mult": 10}, [i * 3.7 for i in range(40)]),
        # At epoch 111 the cycle found with math.log(1000, 10), which rounds to
        # 2.9999999999999996, is the one before: both give eta_min, not a restart.
        ({"T_0": 1, "T_mult": 10}, [i * 3.0 for i in range(40)]),
    ],
)
def test_warm_restarts_match_torch(kwargs, epochs):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns about calling get_lr inside step(epoch)
        run_side_by_side(
            torch, lambda lib, opt: lib.CosineAnnealingWarmRestarts(opt, **kwargs), epochs=epochs
        )


def test_warm_restarts_after_another_scheduler_match_torch():
    """With "initial_lr" already recorded, both start from it, not from the current rate."""
    torch = pytest.importorskip("torch")

    def make(lib, opt):
        lib.StepLR(opt, step_size=1, gamma=0.5).step()
        return lib.CosineAnnealingWarmRestarts(opt, T_0=4)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_side_by_side(torch, make, steps=10)
