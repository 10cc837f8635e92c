"""Tests for SequentialLR and ChainedScheduler: the rates of schedulers run
one after another, or together, against the closed forms of the schedulers
inside; nested state dicts; errors; and, when PyTorch is installed, the same
sequences and state dicts from PyTorch, step by step."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from tinygrad_edu.optim.lr_scheduler import (
    ChainedScheduler,
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ExponentialLR,
    LinearLR,
    PolynomialLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
)

from .test_lr_cyclic import run_side_by_side
from .test_lr_scheduler import LRS, linear_closed, make_optimizer, run

# ---------------------------------------------------------------- SequentialLR


def warmup_then_decay(opt):
    warmup = LinearLR(opt, start_factor=0.1, total_iters=4)
    decay = ExponentialLR(opt, gamma=0.9)
    return SequentialLR(opt, schedulers=[warmup, decay], milestones=[5])


def test_sequential_lr_hands_over_at_the_milestone():
    got = run(warmup_then_decay, epochs=15)
    for t in range(16):
        # epochs 0-4: the warm-up (at its full rate from epoch 4); from 5: decay from the initial rate
        want = [linear_closed(lr, 0.1, 1.0, 4, t) if t < 5 else lr * 0.9 ** (t - 5) for lr in LRS]
        assert got[t] == pytest.approx(want, rel=1e-13)


def test_sequential_lr_with_three_schedulers():
    def make(opt):
        schedulers = [
            StepLR(opt, step_size=2, gamma=0.5),
            PolynomialLR(opt, total_iters=4),
            CosineAnnealingLR(opt, 3),
        ]
        return SequentialLR(opt, schedulers, milestones=[3, 8])

    got = run(make, epochs=14)
    for t in range(15):
        if t < 3:
            factor = 0.5 ** (t // 2)
        elif t < 8:
            factor = max(0.0, 1 - (t - 3) / 4)
        else:
            factor = (1 + math.cos(math.pi * (t - 8) / 3)) / 2
        assert got[t] == pytest.approx([lr * factor for lr in LRS], rel=1e-12, abs=1e-15)


def test_sequential_lr_undoes_the_first_steps_of_its_schedulers():
    opt = make_optimizer()
    warmup = LinearLR(opt, start_factor=0.5, total_iters=2)
    decay = ExponentialLR(opt, gamma=0.5)  # (created after the warm-up: the rate is already halved)
    assert opt.param_groups[0]["lr"] == LRS[0] * 0.5
    sched = SequentialLR(opt, schedulers=[warmup, decay], milestones=[3])
    assert sched.last_epoch == 0 and warmup.last_epoch == 0 and decay.last_epoch == -1
    assert (
        sched.get_last_lr() == pytest.approx([lr * 0.5 for lr in LRS]) == [g["lr"] for g in opt.param_groups]
    )


def test_sequential_lr_starts_a_scheduler_without_a_closed_form_from_its_get_lr():
    # CyclicLR has no closed form: at the milestone its step 0 is computed as usual.
    def make(opt):
        first = StepLR(opt, step_size=10)
        return SequentialLR(
            opt, [first, CyclicLR(opt, 0.01, 0.11, step_size_up=2, cycle_momentum=False)], [3]
        )

    got = run(make, epochs=8)
    np.testing.assert_allclose(got[:3], [LRS] * 3, rtol=1e-15)
    np.testing.assert_allclose(got[3:, 0], [0.01, 0.06, 0.11, 0.06, 0.01, 0.06], rtol=1e-12)


def test_sequential_lr_state_dict_nests_its_schedulers():
    full = run(warmup_then_decay, epochs=14)
    opt = make_optimizer()
    sched = warmup_then_decay(opt)
    for _ in range(7):
        opt.step()
        sched.step()
    state = sched.state_dict()
    assert set(state) == {"_milestones", "last_epoch", "_last_lr", "_schedulers"}
    assert [s["last_epoch"] for s in state["_schedulers"]] == [4, 2] and state["last_epoch"] == 7
    assert state["_schedulers"][1]["gamma"] == 0.9

    opt2 = make_optimizer()
    sched2 = warmup_then_decay(opt2)
    opt2.load_state_dict(opt.state_dict())
    sched2.load_state_dict(state)
    assert "_schedulers" in state and sched2._schedulers[1].last_epoch == 2  # loaded, and the dict intact
    np.testing.assert_array_equal(run(lambda o: sched2, epochs=7, opt=opt2), full[7:])


def test_sequential_lr_rejects_bad_arguments():
    opt, other = make_optimizer(), make_optimizer()
    with pytest.raises(
        ValueError, match="^SequentialLR expects at least one scheduler, but got no scheduler.$"
    ):
        SequentialLR(opt, schedulers=[], milestones=[])
    with pytest.raises(
        ValueError, match="number of schedulers 2 and the number of milestones to be equal to 2"
    ):
        SequentialLR(opt, [StepLR(opt, 2), StepLR(opt, 3)], milestones=[2, 4])
    with pytest.raises(ValueError, match="(?s)at index 1 has SGD .*which is different from SGD"):
        SequentialLR(opt, [StepLR(opt, 2), StepLR(other, 3)], milestones=[2])
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`.* at index 0"):
        SequentialLR(opt, [ReduceLROnPlateau(opt), StepLR(opt, 3)], milestones=[2])
    with pytest.raises(
        TypeError, match="^SequentialLR at index 0 should have `optimizer` as its attribute.$"
    ):
        SequentialLR(opt, [object()], milestones=[])


# ---------------------------------------------------------------- ChainedScheduler


def test_chained_scheduler_multiplies_the_factors():
    def make(opt):
        return ChainedScheduler(
            [LinearLR(opt, start_factor=0.2, total_iters=5), ExponentialLR(opt, gamma=0.9)]
        )

    got = run(make, epochs=12)
    want = [[linear_closed(lr, 0.2, 1.0, 5, t) * 0.9**t for lr in LRS] for t in range(13)]
    np.testing.assert_allclose(got, want, rtol=1e-13)


def test_chained_scheduler_is_stepping_each_scheduler_by_hand():
    by_hand_opt = make_optimizer()
    step, poly = StepLR(by_hand_opt, 3, 0.5), PolynomialLR(by_hand_opt, total_iters=10, power=2.0)
    by_hand = []
    for _ in range(12):
        by_hand_opt.step()
        step.step()
        poly.step()
        by_hand.append([g["lr"] for g in by_hand_opt.param_groups])
    chained = run(
        lambda o: ChainedScheduler([StepLR(o, 3, 0.5), PolynomialLR(o, total_iters=10, power=2.0)]), 12
    )
    np.testing.assert_array_equal(chained[1:], by_hand)


def test_chained_scheduler_optimizer_and_state_dict():
    opt = make_optimizer()
    first, second = StepLR(opt, 2, 0.5), ExponentialLR(opt, 0.8)
    chained = ChainedScheduler([first, second], optimizer=opt)
    assert chained.optimizer is opt and ChainedScheduler([first]).optimizer is opt
    for _ in range(3):
        opt.step()
        chained.step()
    state = chained.state_dict()
    assert set(state) == {"_last_lr", "_schedulers"} and [s["last_epoch"] for s in state["_schedulers"]] == [
        3,
        3,
    ]

    opt2 = make_optimizer()
    first2, second2 = StepLR(opt2, 2, 0.5), ExponentialLR(opt2, 0.8)
    chained2 = ChainedScheduler([first2, second2])
    opt2.load_state_dict(opt.state_dict())
    chained2.load_state_dict(state)
    assert first2.last_epoch == second2.last_epoch == 3 and chained2.get_last_lr() == chained.get_last_lr()


def test_chained_scheduler_rejects_bad_arguments():
    opt, other = make_optimizer(), make_optimizer()
    with pytest.raises(ValueError, match="^ChainedScheduler expects at least one scheduler"):
        ChainedScheduler([])
    with pytest.raises(ValueError, match="(?s)at index 0 has SGD .*which is different from SGD"):
        ChainedScheduler([StepLR(opt, 2)], optimizer=other)
    with pytest.raises(ValueError, match="at index 1 has SGD"):
        ChainedScheduler([StepLR(opt, 2), StepLR(other, 2)])
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`"):
        ChainedScheduler([StepLR(opt, 2), ReduceLROnPlateau(opt)])
    with pytest.raises(
        TypeError, match="^ChainedScheduler at index 0 should have `optimizer` as its attribute.$"
    ):
        ChainedScheduler([3])


# ---------------------------------------------------------------- PyTorch, side by side


def three_in_a_row(lib, opt):
    schedulers = [
        lib.LinearLR(opt, start_factor=0.1, total_iters=4),
        lib.ExponentialLR(opt, gamma=0.9),
        lib.CosineAnnealingLR(opt, T_max=5),
    ]
    return lib.SequentialLR(opt, schedulers, milestones=[5, 12])


@pytest.mark.parametrize(
    "make, cls",
    [
        (three_in_a_row, "SGD"),
        (
            lambda lib, o: lib.SequentialLR(
                o, [lib.StepLR(o, 2), lib.CosineAnnealingWarmRestarts(o, T_0=3)], [6]
            ),
            "SGD",
        ),
        (
            lambda lib, o: lib.SequentialLR(o, [lib.CyclicLR(o, 0.01, 0.1, 2), lib.PolynomialLR(o, 6)], [7]),
            "SGD",
        ),
        (
            lambda lib, o: lib.SequentialLR(
                o, [lib.OneCycleLR(o, 1.0, total_steps=9), lib.StepLR(o, 3)], [8]
            ),
            "Adam",
        ),
        (
            lambda lib, o: lib.ChainedScheduler(
                [lib.LinearLR(o, 0.2, total_iters=5), lib.ExponentialLR(o, 0.9)]
            ),
            "SGD",
        ),
        (
            lambda lib, o: lib.ChainedScheduler([lib.StepLR(o, 3, 0.5), lib.PolynomialLR(o, 10, 2.0)], o),
            "SGD",
        ),
        (
            lambda lib, o: lib.ChainedScheduler(
                [
                    lib.SequentialLR(o, [lib.LinearLR(o, 0.5, total_iters=3), lib.StepLR(o, 2)], [3]),
                    lib.ExponentialLR(o, 0.95),
                ]
            ),
            "SGD",
        ),
        (
            lambda lib, o: lib.SequentialLR(
                o,
                [
                    lib.ChainedScheduler([lib.LinearLR(o, 0.5, total_iters=3), lib.ExponentialLR(o, 0.9)]),
                    lib.StepLR(o, 2),
                ],
                [4],
            ),
            "SGD",
        ),
    ],
    ids=[
        "linear-exponential-cosine",
        "step-warm-restarts",
        "cyclic-polynomial",
        "one-cycle-step",
        "chained",
        "chained-optimizer",
        "chained-sequential",
        "sequential-chained",
    ],
)
def test_composites_match_torch(make, cls):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch warns about get_lr inside some of these
        run_side_by_side(torch, make, cls, steps=25)


def test_warm_restarts_after_a_milestone_keep_their_cycle_as_in_torch():
    """At its milestone CosineAnnealingWarmRestarts starts from its current T_cur (no closed form)."""
    opt = make_optimizer()
    sched = SequentialLR(opt, [StepLR(opt, 10), CosineAnnealingWarmRestarts(opt, T_0=3)], milestones=[4])
    lrs = run(lambda o: sched, epochs=7, opt=opt)
    cosine = [(1 + math.cos(math.pi * t / 3)) / 2 for t in (0, 1, 2, 0)]
    np.testing.assert_allclose(lrs[4:, 0], [LRS[0] * c for c in cosine], rtol=1e-13)
