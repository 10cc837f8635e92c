"""Tests for tinygrad_edu.optim.lr_scheduler: learning-rate sequences against
formulas written out here (closed forms, products, and the recursive cosine form),
chaining, resuming, state dicts, misuse warnings and errors; OneCycleLR's
momentum; ReduceLROnPlateau's bookkeeping; and, when PyTorch is installed,
the same sequences from PyTorch. CyclicLR and CosineAnnealingWarmRestarts
are tested in test_lr_cyclic.py, SequentialLR and ChainedScheduler in
test_lr_composite.py."""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.optim import SGD, Adagrad, Adam, lr_scheduler
from tinygrad_edu.optim.lr_scheduler import (
    ConstantLR,
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    LRScheduler,
    MultiplicativeLR,
    MultiStepLR,
    OneCycleLR,
    PolynomialLR,
    ReduceLROnPlateau,
    StepLR,
)

LRS = (0.1, 0.03)  # two param groups with different learning rates


def make_optimizer(cls=SGD):
    groups = [
        {"params": [tg.Tensor(np.zeros(2), requires_grad=True)], "lr": LRS[0]},
        {"params": [tg.Tensor(np.zeros(3), requires_grad=True)], "lr": LRS[1]},
    ]
    return cls(groups)


def run(make_scheduler, epochs, opt=None):
    """The learning rates of each epoch (epoch 0 first), stepping correctly."""
    opt = opt or make_optimizer()
    sched = make_scheduler(opt)
    seen = [sched.get_last_lr()]
    for _ in range(epochs):
        opt.step()
        sched.step()
        seen.append(sched.get_last_lr())
        assert seen[-1] == [g["lr"] for g in opt.param_groups]
    return np.array(seen)


def chained_lrs(opt, schedulers, steps):
    """Group 0's rate before the first step and after each step of every scheduler in turn."""
    lrs = [opt.param_groups[0]["lr"]]
    for _ in range(steps):
        opt.step()
        for sched in schedulers:
            sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


def test_public_names():
    assert set(lr_scheduler.__all__) >= {
        "StepLR",
        "MultiStepLR",
        "ExponentialLR",
        "LinearLR",
        "CosineAnnealingLR",
        "LambdaLR",
        "OneCycleLR",
        "ReduceLROnPlateau",
        "PolynomialLR",
        "CyclicLR",
        "CosineAnnealingWarmRestarts",
        "SequentialLR",
        "ChainedScheduler",
        "ConstantLR",
        "MultiplicativeLR",
    }
    for name in lr_scheduler.__all__:
        assert issubclass(getattr(lr_scheduler, name), LRScheduler)


def test_construction_sets_initial_lr_and_keeps_lr():
    opt = make_optimizer()
    sched = ExponentialLR(opt, gamma=0.5)
    assert [g["initial_lr"] for g in opt.param_groups] == list(LRS)
    assert sched.base_lrs == list(LRS) and sched.last_epoch == 0
    assert sched.get_last_lr() == list(LRS) and [g["lr"] for g in opt.param_groups] == list(LRS)


def test_step_lr_matches_closed_form():
    got = run(lambda o: StepLR(o, step_size=3, gamma=0.5), epochs=20)
    want = [[lr * 0.5 ** (e // 3) for lr in LRS] for e in range(21)]
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)
    assert got[2, 0] == 0.1 and got[3, 0] != 0.1  # the drop happens at epoch 3


def test_step_lr_default_gamma_is_a_tenth():
    got = run(lambda o: StepLR(o, step_size=2), epochs=4)
    np.testing.assert_allclose(got[:, 0], [0.1, 0.1, 0.01, 0.01, 0.001], rtol=1e-13)


def test_exponential_lr_matches_closed_form():
    got = run(lambda o: ExponentialLR(o, gamma=0.9), epochs=25)
    want = [[lr * 0.9**e for lr in LRS] for e in range(26)]
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)


def cosine_recursive(base, eta_min, T, epochs):
    """The recursive definition from PyTorch's documentation, written out."""
    lrs = [base]
    for t in range(1, epochs + 1):
        prev = lrs[-1]
        if (t - 1 - T) % (2 * T) == 0:  # 1 + cos((t-1) pi / T) == 0: add the rise
            lrs.append(prev + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2)
        else:
            ratio = (1 + math.cos(t * math.pi / T)) / (1 + math.cos((t - 1) * math.pi / T))
            lrs.append(eta_min + (prev - eta_min) * ratio)
    return lrs


def cosine_closed(base, eta_min, T, t):
    return eta_min + (base - eta_min) * (1 + math.cos(math.pi * t / T)) / 2


@pytest.mark.parametrize("T, eta_min", [(10, 0.0), (7, 0.001), (1, 0.0)])
def test_cosine_annealing_lr_follows_the_recursion_past_t_max(T, eta_min):
    epochs = 3 * T + 5  # well past T_max: the rate climbs back up
    got = run(lambda o: CosineAnnealingLR(o, T_max=T, eta_min=eta_min), epochs=epochs)
    for g, base in enumerate(LRS):
        np.testing.assert_allclose(
            got[:, g], cosine_recursive(base, eta_min, T, epochs), rtol=1e-14, atol=1e-17
        )
        closed = [cosine_closed(base, eta_min, T, t) for t in range(epochs + 1)]
        np.testing.assert_allclose(got[:, g], closed, rtol=0, atol=1e-12)
    assert got[T, 0] == pytest.approx(eta_min, abs=1e-15)
    assert got[2 * T, 0] == pytest.approx(LRS[0], rel=1e-12)


def test_lambda_lr_with_one_function_per_group():
    fns = [lambda e: 1.0 / (e + 1), lambda e: 0.95**e]
    got = run(lambda o: LambdaLR(o, lr_lambda=fns), epochs=12)
    want = [[LRS[0] / (e + 1), LRS[1] * 0.95**e] for e in range(13)]
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)


def test_lambda_lr_with_one_function_for_all_groups():
    got = run(lambda o: LambdaLR(o, lr_lambda=lambda e: min(1.0, (e + 1) / 4)), epochs=6)
    want = [[lr * min(1.0, (e + 1) / 4) for lr in LRS] for e in range(7)]
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)


def test_lambda_lr_needs_one_function_per_group():
    with pytest.raises(ValueError, match="^Expected 2 lr_lambdas, but got 3$"):
        LambdaLR(make_optimizer(), lr_lambda=[lambda e: 1.0] * 3)


def test_schedulers_chain_by_multiplying():
    opt = make_optimizer()
    first = StepLR(opt, step_size=3, gamma=0.5)
    second = ExponentialLR(opt, gamma=0.9)
    lrs = chained_lrs(opt, [first, second], 10)[1:]
    want = [LRS[0] * 0.5 ** (e // 3) * 0.9**e for e in range(1, 11)]
    np.testing.assert_allclose(lrs, want, rtol=1e-13)


def test_scheduler_changes_the_optimizer_updates():
    p = tg.Tensor(np.zeros(1), requires_grad=True)
    opt = SGD([p], lr=1.0)
    sched = StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        p.grad = tg.Tensor(np.ones(1))
        opt.step()
        sched.step()
    np.testing.assert_allclose(p.data, [-(1.0 + 0.5 + 0.25)], rtol=0, atol=1e-15)


def test_not_an_optimizer_raises_type_error():
    with pytest.raises(TypeError, match="^list is not an Optimizer$"):
        StepLR([], step_size=1)


def test_resuming_requires_initial_lr():
    with pytest.raises(KeyError, match="initial_lr"):
        StepLR(make_optimizer(), step_size=2, last_epoch=4)


def test_resuming_with_last_epoch_continues_the_schedule():
    opt = make_optimizer()
    for g in opt.param_groups:
        g["initial_lr"] = g["lr"]
        g["lr"] = g["lr"] * 0.9**5  # where epoch 5 left it
    sched = ExponentialLR(opt, gamma=0.9, last_epoch=4)
    assert sched.last_epoch == 5 and sched.get_last_lr() == pytest.approx([lr * 0.9**5 for lr in LRS])
    opt.step()
    sched.step()
    assert sched.get_last_lr() == pytest.approx([lr * 0.9**6 for lr in LRS], rel=1e-13)


@pytest.mark.parametrize(
    "make",
    [
        lambda o: StepLR(o, step_size=4, gamma=0.3),
        lambda o: ExponentialLR(o, gamma=0.8),
        lambda o: CosineAnnealingLR(o, T_max=6, eta_min=0.01),
        lambda o: MultiStepLR(o, milestones=[3, 8, 8, 12], gamma=0.5),
        lambda o: LinearLR(o, start_factor=0.2, total_iters=10),
        lambda o: OneCycleLR(o, max_lr=[1.0, 0.4], total_steps=20),
        lambda o: PolynomialLR(o, total_iters=12, power=1.5),
        lambda o: lr_scheduler.CyclicLR(
            o, base_lr=0.01, max_lr=[0.2, 0.1], step_size_up=3, mode="triangular2"
        ),
        lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=0.001),
        lambda o: ConstantLR(o, factor=0.4, total_iters=9),
        lambda o: MultiplicativeLR(o, lr_lambda=lambda e: 1.0 - 0.02 * e),
    ],
    ids=[
        "StepLR",
        "ExponentialLR",
        "CosineAnnealingLR",
        "MultiStepLR",
        "LinearLR",
        "OneCycleLR",
        "PolynomialLR",
        "CyclicLR",
        "CosineAnnealingWarmRestarts",
        "ConstantLR",
        "MultiplicativeLR",
    ],
)
def test_state_dict_round_trip(make):
    full = run(make, epochs=17)
    opt = make_optimizer(Adam)
    sched = make(opt)
    for _ in range(7):
        opt.step()
        sched.step()
    opt_state, sched_state = opt.state_dict(), sched.state_dict()
    assert "optimizer" not in sched_state and sched_state["last_epoch"] == 7

    opt2 = make_optimizer(Adam)
    sched2 = make(opt2)  # a fresh scheduler at epoch 0...
    opt2.load_state_dict(opt_state)
    sched2.load_state_dict(sched_state)  # ...brought to epoch 7
    assert sched2.last_epoch == 7 and sched2.get_last_lr() == list(full[7])
    rest = run(lambda o: sched2, epochs=10, opt=opt2)
    np.testing.assert_array_equal(rest, full[7:])


class Warmup:
    """A callable object: its attributes are saved by LambdaLR.state_dict."""

    def __init__(self, epochs):
        self.epochs = epochs

    def __call__(self, epoch):
        return min(1.0, (epoch + 1) / self.epochs)


def test_warns_when_scheduler_steps_before_optimizer():
    sched = StepLR(make_optimizer(), step_size=2)
    with pytest.warns(UserWarning, match=r"before `optimizer.step\(\)`"):
        sched.step()


def test_no_warning_in_the_right_order():
    opt = make_optimizer()
    sched = StepLR(opt, step_size=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        sched.step()
        sched.step()


def test_step_with_epoch_is_deprecated_and_uses_closed_form():
    opt = make_optimizer()
    sched = ExponentialLR(opt, gamma=0.5)
    opt.step()
    with pytest.warns(UserWarning, match="deprecated"):
        sched.step(4)
    assert sched.last_epoch == 4
    assert sched.get_last_lr() == pytest.approx([lr * 0.5**4 for lr in LRS], rel=1e-15)


def test_get_last_lr_is_a_copy():
    opt = make_optimizer()
    sched = StepLR(opt, step_size=1)
    sched.get_last_lr().append(1.0)
    assert sched.get_last_lr() == list(LRS)


# MultiStepLR


@pytest.mark.parametrize("milestones", [[2, 5, 5, 9], [9, 2, 5], [0, 4], []])
def test_multi_step_lr_matches_closed_form(milestones):
    got = run(lambda o: MultiStepLR(o, milestones=milestones, gamma=0.5), epochs=12)
    want = [[lr * 0.5 ** sum(m <= e for m in milestones) for lr in LRS] for e in range(13)]
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)


def test_multi_step_lr_default_gamma_is_a_tenth():
    got = run(lambda o: MultiStepLR(o, milestones=[1, 3]), epochs=4)
    np.testing.assert_allclose(got[:, 0], [0.1, 0.01, 0.01, 0.001, 0.001], rtol=1e-13)


def test_multi_step_lr_epoch_argument_uses_closed_form():
    opt = make_optimizer()
    sched = MultiStepLR(opt, milestones=[2, 5, 5], gamma=0.5)
    opt.step()
    for epoch, passed in [(6, 3), (5, 3), (4, 1), (2, 1), (1, 0)]:  # a milestone epoch counts as passed
        with pytest.warns(UserWarning, match="deprecated"):
            sched.step(epoch)
        assert sched.get_last_lr() == pytest.approx([lr * 0.5**passed for lr in LRS], rel=1e-15)


def test_multi_step_lr_needs_iterable_milestones():
    with pytest.raises(TypeError):
        MultiStepLR(make_optimizer(), milestones=3)


# LinearLR


def linear_closed(base, s, e, T, t):
    return base * (s + (e - s) * min(t, T) / T)


@pytest.mark.parametrize(
    "s, e, T", [(1 / 3, 1.0, 5), (0.25, 1.0, 8), (1.0, 0.1, 10), (0.5, 0.0, 4), (0.6, 0.6, 3)]
)
def test_linear_lr_matches_closed_form(s, e, T):
    got = run(lambda o: LinearLR(o, start_factor=s, end_factor=e, total_iters=T), epochs=15)
    want = [[linear_closed(lr, s, e, T, t) for lr in LRS] for t in range(16)]
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-18)
    np.testing.assert_allclose(got[T:], [[lr * e for lr in LRS]] * (16 - T), rtol=1e-13, atol=1e-18)


def test_linear_lr_defaults_warm_up_from_a_third_in_five_epochs():
    got = run(lambda o: LinearLR(o), epochs=7)
    np.testing.assert_allclose(got[0], [lr / 3 for lr in LRS], rtol=1e-15)
    np.testing.assert_allclose(got[5:], [LRS, LRS, LRS], rtol=1e-13)
    assert np.all(np.diff(got[:6, 0]) > 0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"start_factor": 0.0}, "Starting multiplicative factor"),
        ({"start_factor": -0.5}, "Starting multiplicative factor"),
        ({"start_factor": 1.01}, "Starting multiplicative factor"),
        ({"end_factor": -0.01}, "Ending multiplicative factor"),
        ({"end_factor": 1.5}, "Ending multiplicative factor"),
    ],
)
def test_linear_lr_rejects_bad_factors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LinearLR(make_optimizer(), **kwargs)


def test_linear_warm_up_chains_with_exponential_decay():
    opt = make_optimizer()
    warmup = LinearLR(opt, start_factor=0.1, total_iters=4)
    decay = ExponentialLR(opt, gamma=0.9)
    lrs = chained_lrs(opt, [warmup, decay], 10)
    want = [linear_closed(LRS[0], 0.1, 1.0, 4, t) * 0.9**t for t in range(11)]
    np.testing.assert_allclose(lrs, want, rtol=1e-13)


def test_linear_lr_epoch_argument_uses_closed_form():
    opt = make_optimizer()
    sched = LinearLR(opt, start_factor=0.5, total_iters=4)
    opt.step()
    for epoch, factor in [(3, 0.5 + 0.5 * 3 / 4), (9, 1.0), (0, 0.5)]:  # past total_iters: end_factor
        with pytest.warns(UserWarning, match="deprecated"):
            sched.step(epoch)
        assert sched.get_last_lr() == pytest.approx([lr * factor for lr in LRS], rel=1e-15)


def test_linear_lr_resuming_keeps_the_rate_then_continues():
    opt = make_optimizer()
    for g in opt.param_groups:
        g["initial_lr"] = g["lr"]
        g["lr"] = linear_closed(g["lr"], 0.2, 1.0, 6, 3)  # where epoch 3 left it
    sched = LinearLR(opt, start_factor=0.2, total_iters=6, last_epoch=2)
    assert sched.last_epoch == 3
    assert sched.get_last_lr() == pytest.approx([linear_closed(lr, 0.2, 1.0, 6, 3) for lr in LRS], rel=1e-15)
    opt.step()
    sched.step()
    assert sched.get_last_lr() == pytest.approx([linear_closed(lr, 0.2, 1.0, 6, 4) for lr in LRS], rel=1e-13)


# ConstantLR


def constant_closed(base, factor, T, t):
    return base * factor if t < T else base


@pytest.mark.parametrize("factor, T", [(1 / 3, 5), (0.5, 3), (0.25, 1), (0.7, 12), (1.0, 4)])
def test_constant_lr_scales_until_total_iters_then_restores(factor, T):
    got = run(lambda o: ConstantLR(o, factor=factor, total_iters=T), epochs=15)
    want = [[constant_closed(lr, factor, T, t) for lr in LRS] for t in range(16)]
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)


def test_constant_lr_defaults_are_a_third_for_five_epochs():
    got = run(lambda o: ConstantLR(o), epochs=7)
    np.testing.assert_allclose(got[:5], [[lr / 3 for lr in LRS]] * 5, rtol=1e-15)
    np.testing.assert_allclose(got[5:], [LRS] * 3, rtol=1e-15)


def test_constant_lr_with_zero_total_iters_never_restores_when_stepped():
    # PyTorch's chainable form: epoch 0 scales, and no later epoch equals total_iters.
    got = run(lambda o: ConstantLR(o, factor=0.5, total_iters=0), epochs=4)
    np.testing.assert_allclose(got, [[lr * 0.5 for lr in LRS]] * 5, rtol=1e-15)


@pytest.mark.parametrize("factor", [0.0, -0.5, 1.01, float("nan")])
def test_constant_lr_rejects_factors_outside_zero_to_one(factor):
    with pytest.raises(ValueError, match="^Constant multiplicative factor expected to be between 0 and 1.$"):
        ConstantLR(make_optimizer(), factor=factor)


def test_constant_lr_epoch_argument_uses_closed_form():
    opt = make_optimizer()
    sched = ConstantLR(opt, factor=0.5, total_iters=4)
    opt.step()
    for epoch, factor in [(3, 0.5), (4, 1.0), (9, 1.0), (0, 0.5)]:  # total_iters itself is restored
        with pytest.warns(UserWarning, match="deprecated"):
            sched.step(epoch)
        assert sched.get_last_lr() == pytest.approx([lr * factor for lr in LRS], rel=1e-15)


def test_constant_lr_chains_with_exponential_decay():
    opt = make_optimizer()
    warmup = ConstantLR(opt, factor=0.2, total_iters=3)
    decay = ExponentialLR(opt, gamma=0.9)
    lrs = chained_lrs(opt, [warmup, decay], 8)
    want = [constant_closed(LRS[0], 0.2, 3, t) * 0.9**t for t in range(9)]
    np.testing.assert_allclose(lrs, want, rtol=1e-13)


def test_constant_lr_resuming_restores_at_total_iters():
    opt = make_optimizer()
    for g in opt.param_groups:
        g["initial_lr"] = g["lr"]
        g["lr"] = g["lr"] * 0.5  # where epoch 2 left it
    sched = ConstantLR(opt, factor=0.5, total_iters=4, last_epoch=2)
    assert sched.last_epoch == 3 and sched.get_last_lr() == pytest.approx([lr * 0.5 for lr in LRS])
    opt.step()
    sched.step()
    assert sched.get_last_lr() == pytest.approx(list(LRS), rel=1e-15)


# MultiplicativeLR


def test_multiplicative_lr_multiplies_the_previous_rate_from_epoch_one():
    calls = []

    def shrinking(epoch):
        calls.append(epoch)
        return 1.0 / (1.0 + 0.1 * epoch)

    got = run(lambda o: MultiplicativeLR(o, lr_lambda=[lambda e: 0.9, shrinking]), epochs=10)
    want = [
        [LRS[0] * 0.9**t, LRS[1] * math.prod(1.0 / (1.0 + 0.1 * s) for s in range(1, t + 1))]
        for t in range(11)
    ]
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    assert calls == list(range(1, 11))  # never called for epoch 0: creating the scheduler keeps the rate


def test_multiplicative_lr_with_a_constant_is_exponential_lr():
    got = run(lambda o: MultiplicativeLR(o, lr_lambda=lambda e: 0.95), epochs=12)
    np.testing.assert_array_equal(got, run(lambda o: ExponentialLR(o, gamma=0.95), epochs=12))


def test_multiplicative_lr_chains_with_step_lr():
    opt = make_optimizer()
    first = MultiplicativeLR(opt, lr_lambda=lambda e: 0.8)
    second = StepLR(opt, step_size=2, gamma=0.5)
    lrs = chained_lrs(opt, [first, second], 7)
    np.testing.assert_allclose(lrs, [LRS[0] * 0.8**t * 0.5 ** (t // 2) for t in range(8)], rtol=1e-13)


def test_multiplicative_lr_epoch_argument_multiplies_the_current_rate():
    opt = make_optimizer()
    sched = MultiplicativeLR(opt, lr_lambda=lambda e: 1.0 / (e + 1))
    opt.step()
    with pytest.warns(UserWarning, match="deprecated"):
        sched.step(4)
    assert sched.last_epoch == 4 and sched.get_last_lr() == pytest.approx([lr / 5 for lr in LRS], rel=1e-15)


def test_multiplicative_lr_resuming_keeps_the_rate_then_continues():
    opt = make_optimizer()
    for g in opt.param_groups:
        g["initial_lr"] = g["lr"]
        g["lr"] = g["lr"] * 0.5
    sched = MultiplicativeLR(opt, lr_lambda=lambda e: 0.9, last_epoch=6)
    assert sched.last_epoch == 7 and sched.get_last_lr() == [lr * 0.5 for lr in LRS]
    opt.step()
    sched.step()
    assert sched.get_last_lr() == pytest.approx([lr * 0.5 * 0.9 for lr in LRS], rel=1e-15)


def test_multiplicative_lr_checks_its_functions():
    with pytest.raises(ValueError, match="^Expected 2 lr_lambdas, but got 1$"):
        MultiplicativeLR(make_optimizer(), lr_lambda=[lambda e: 0.9])
    with pytest.raises(TypeError, match="^lr_lambda should be a function, but got float$"):
        MultiplicativeLR(make_optimizer(), lr_lambda=[lambda e: 0.9, 0.9])
    with pytest.raises(TypeError, match="^list is not an Optimizer$"):
        MultiplicativeLR([], lr_lambda=lambda e: 0.9)


@pytest.mark.parametrize("scheduler", [LambdaLR, MultiplicativeLR])
def test_lambda_schedulers_state_dict_saves_callable_objects_not_functions(scheduler):
    opt = make_optimizer()
    sched = scheduler(opt, lr_lambda=[Warmup(5), lambda e: 0.9])
    for _ in range(3):
        opt.step()
        sched.step()
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{"epochs": 5}, None] and state["last_epoch"] == 3

    warmup = Warmup(100)
    sched2 = scheduler(make_optimizer(), lr_lambda=[warmup, lambda e: 0.9])
    sched2.load_state_dict(state)
    assert warmup.epochs == 5 and sched2.last_epoch == 3
    assert sched2.get_last_lr() == sched.get_last_lr()
    assert state["lr_lambdas"] == [{"epochs": 5}, None]  # the dict is left intact
    sched2.optimizer.load_state_dict(opt.state_dict())  # (MultiplicativeLR goes on from the group's rate)
    for scheduled in (sched, sched2):
        scheduled.optimizer.step()
        scheduled.step()
    assert sched2.get_last_lr() == pytest.approx(sched.get_last_lr())  # the loaded Warmup(5) in use


# PolynomialLR


def polynomial_closed(base, T, power, t):
    return base * (1 - min(t, T) / T) ** power


@pytest.mark.parametrize("T, power", [(5, 1.0), (8, 0.5), (10, 2.0), (1, 1.0), (6, 0.9)])
def test_polynomial_lr_matches_closed_form_and_stays_at_zero(T, power):
    got = run(lambda o: PolynomialLR(o, total_iters=T, power=power), epochs=15)
    want = [[polynomial_closed(lr, T, power, t) for lr in LRS] for t in range(16)]
    np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-18)
    assert np.all(got[T:] == 0.0)  # exactly 0 from total_iters on


def test_polynomial_lr_defaults_are_five_epochs_in_a_straight_line():
    opt = make_optimizer()
    for g in opt.param_groups:
        g["lr"] = 0.05
    got = run(lambda o: PolynomialLR(o), epochs=6, opt=opt)
    np.testing.assert_allclose(got[:, 0], [0.05, 0.04, 0.03, 0.02, 0.01, 0.0, 0.0], rtol=1e-13, atol=1e-18)


def test_polynomial_lr_epoch_argument_uses_closed_form():
    opt = make_optimizer()
    sched = PolynomialLR(opt, total_iters=4, power=2.0)
    opt.step()
    for epoch, factor in [(1, 0.75**2), (3, 0.25**2), (9, 0.0), (0, 1.0)]:
        with pytest.warns(UserWarning, match="deprecated"):
            sched.step(epoch)
        assert sched.get_last_lr() == pytest.approx([lr * factor for lr in LRS], rel=1e-15)


def test_polynomial_lr_chains_with_a_warm_up():
    opt = make_optimizer()
    warmup = LinearLR(opt, start_factor=0.5, total_iters=2)
    decay = PolynomialLR(opt, total_iters=6, power=1.0)
    lrs = chained_lrs(opt, [warmup, decay], 8)
    want = [linear_closed(LRS[0], 0.5, 1.0, 2, t) * polynomial_closed(1.0, 6, 1.0, t) for t in range(9)]
    np.testing.assert_allclose(lrs, want, rtol=1e-13, atol=1e-18)


# OneCycleLR


def piecewise(t, knots, strategy):
    """Interpolate between knots [(step, value), ...]; the last piece also
    covers the steps past its end. The cosine is written as a rise from a to b."""
    for i, ((t0, a), (t1, b)) in enumerate(zip(knots, knots[1:])):
        if t <= t1 or i == len(knots) - 2:
            x = (t - t0) / (t1 - t0)
            if strategy == "linear":
                return a + (b - a) * x
            return a + (b - a) * (1 - math.cos(math.pi * x)) / 2
    raise AssertionError


def one_cycle_reference(t, T, pct, max_lr, strategy="cos", three_phase=False, div=25.0, final_div=1e4):
    """(lr, momentum) at step t, from the 1cycle description (momentum 0.95 / 0.85)."""
    start, peak, back = max_lr / div, pct * T - 1, 2 * pct * T - 2
    if three_phase:
        lr_knots = [(0, start), (peak, max_lr), (back, start), (T - 1, start / final_div)]
        m_knots = [(0, 0.95), (peak, 0.85), (back, 0.95), (T - 1, 0.95)]
    else:
        lr_knots = [(0, start), (peak, max_lr), (T - 1, start / final_div)]
        m_knots = [(0, 0.95), (peak, 0.85), (T - 1, 0.95)]
    return piecewise(t, lr_knots, strategy), piecewise(t, m_knots, strategy)


def run_one_cycle(opt, sched, steps):
    """Learning rates and (first) momentums of group 0, step 0 first."""

    def momentum(group):
        return group["betas"][0] if "betas" in group else group["momentum"]

    lrs, momentums = [], []
    for _ in range(steps + 1):
        lrs.append(sched.get_last_lr()[0])
        momentums.append(momentum(opt.param_groups[0]))
        if len(lrs) <= steps:
            opt.step()
            sched.step()
    return np.array(lrs), np.array(momentums)


@pytest.mark.parametrize("strategy", ["cos", "linear"])
@pytest.mark.parametrize("three_phase", [False, True])
@pytest.mark.parametrize("cls", [SGD, Adam])
def test_one_cycle_lr_and_momentum_follow_the_cycle(strategy, three_phase, cls):
    T = 100
    opt = make_optimizer(cls)
    sched = OneCycleLR(opt, max_lr=0.5, total_steps=T, anneal_strategy=strategy, three_phase=three_phase)
    lrs, momentums = run_one_cycle(opt, sched, T)
    want = np.array([one_cycle_reference(t, T, 0.3, 0.5, strategy, three_phase) for t in range(T + 1)])
    np.testing.assert_allclose(lrs, want[:, 0], rtol=1e-12, atol=1e-17)
    np.testing.assert_allclose(momentums, want[:, 1], rtol=1e-12)
    # The landmarks, by hand: start at max_lr / 25, peak at step 29, end at start / 1e4.
    assert lrs[0] == pytest.approx(0.02, rel=1e-15) and momentums[0] == 0.95
    assert lrs[29] == pytest.approx(0.5, rel=1e-12) and momentums[29] == pytest.approx(0.85, rel=1e-12)
    assert lrs.argmax() == 29
    assert lrs[T - 1] == pytest.approx(0.02 / 1e4, rel=1e-9) and momentums[T - 1] == pytest.approx(0.95)
    if three_phase:
        assert lrs[58] == pytest.approx(0.02, rel=1e-12)
    if cls is Adam:
        assert all(g["betas"][1] == 0.999 for g in opt.param_groups)


def test_one_cycle_lr_writes_its_values_into_the_groups():
    opt = make_optimizer()
    OneCycleLR(opt, max_lr=[1.0, 0.5], total_steps=10, div_factor=10.0, final_div_factor=100.0)
    for group, peak in zip(opt.param_groups, [1.0, 0.5]):
        assert group["max_lr"] == peak and group["initial_lr"] == peak / 10
        assert group["min_lr"] == pytest.approx(peak / 1000, rel=1e-15)
        assert group["lr"] == pytest.approx(group["initial_lr"], rel=1e-15)  # step 0, through the cosine
        assert (group["momentum"], group["max_momentum"], group["base_momentum"]) == (0.95, 0.95, 0.85)


def test_one_cycle_lr_per_group_momentum_bounds():
    opt = make_optimizer()
    sched = OneCycleLR(opt, max_lr=1.0, total_steps=10, max_momentum=[0.9, 0.99], base_momentum=[0.8, 0.5])
    assert [g["momentum"] for g in opt.param_groups] == [0.9, 0.99]
    for _ in range(2):  # step 2 = pct_start * 10 - 1: the peak
        opt.step()
        sched.step()
    assert [g["momentum"] for g in opt.param_groups] == pytest.approx([0.8, 0.5], rel=1e-12)


def test_one_cycle_lr_without_momentum_cycling_leaves_momentum_alone():
    opt = make_optimizer(Adagrad)  # no momentum and no betas
    sched = OneCycleLR(opt, max_lr=1.0, total_steps=10, cycle_momentum=False)
    for _ in range(5):
        opt.step()
        sched.step()
    assert all("momentum" not in g and "max_momentum" not in g for g in opt.param_groups)
    assert sched.get_last_lr()[0] == pytest.approx(one_cycle_reference(5, 10, 0.3, 1.0)[0], rel=1e-12)


def test_one_cycle_lr_epochs_times_steps_per_epoch_is_total_steps():
    by_total = run(lambda o: OneCycleLR(o, max_lr=1.0, total_steps=12), epochs=12)
    by_epochs = run(lambda o: OneCycleLR(o, max_lr=1.0, epochs=3, steps_per_epoch=4), epochs=12)
    np.testing.assert_array_equal(by_total, by_epochs)
    # total_steps wins when both are given.
    both = run(lambda o: OneCycleLR(o, max_lr=1.0, total_steps=12, epochs=7, steps_per_epoch=7), epochs=12)
    np.testing.assert_array_equal(by_total, both)


def test_one_cycle_lr_raises_when_stepped_past_total_steps():
    opt = make_optimizer()
    sched = OneCycleLR(opt, max_lr=1.0, total_steps=10)
    for _ in range(10):  # steps 1..10 are allowed
        opt.step()
        sched.step()
    message = "^Tried to step 11 times. The specified number of total steps is 10$"
    with pytest.raises(ValueError, match=message):
        sched.step()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "either total_steps OR"),
        ({"epochs": 3}, "either total_steps OR"),
        ({"total_steps": 0}, "positive integer total_steps"),
        ({"total_steps": -5}, "positive integer total_steps"),
        ({"total_steps": 10.0}, "positive integer total_steps"),
        ({"epochs": 0, "steps_per_epoch": 4}, "positive integer epochs"),
        ({"epochs": 2.5, "steps_per_epoch": 4}, "positive integer epochs"),
        ({"epochs": 3, "steps_per_epoch": 0}, "positive integer steps_per_epoch"),
        ({"total_steps": 10, "pct_start": 1.5}, "pct_start"),
        ({"total_steps": 10, "pct_start": -0.1}, "pct_start"),
        ({"total_steps": 10, "pct_start": 0}, "pct_start"),  # an int is refused, as in PyTorch
        ({"total_steps": 10, "anneal_strategy": "exp"}, "anneal_strategy"),
        ({"total_steps": 10, "max_lr": [1.0]}, "Expected 2 max_lrs, but got 1"),
        ({"total_steps": 10, "max_momentum": [0.9] * 3}, "Expected 2 max_momentums, but got 3"),
        ({"total_steps": 10, "base_momentum": (0.8,)}, "Expected 2 base_momentums, but got 1"),
    ],
)
def test_one_cycle_lr_rejects_bad_arguments(kwargs, message):
    kwargs = {"max_lr": 1.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        OneCycleLR(make_optimizer(), **kwargs)


def test_one_cycle_lr_momentum_cycling_needs_momentum_or_betas():
    with pytest.raises(ValueError, match="must support momentum or beta1"):
        OneCycleLR(make_optimizer(Adagrad), max_lr=1.0, total_steps=10)
    with pytest.raises(TypeError, match="^list is not an Optimizer$"):
        OneCycleLR([], max_lr=1.0, total_steps=10)


def test_one_cycle_lr_resumes_from_the_values_in_the_groups():
    full = run(lambda o: OneCycleLR(o, max_lr=[1.0, 0.4], total_steps=20), epochs=20)
    opt = make_optimizer()
    sched = OneCycleLR(opt, max_lr=[1.0, 0.4], total_steps=20)
    for _ in range(6):
        opt.step()
        sched.step()
    saved = opt.state_dict()
    opt2 = make_optimizer()
    opt2.load_state_dict(saved)
    # When resuming, the bounds are read from the groups, not from the arguments.
    sched2 = OneCycleLR(opt2, max_lr=123.0, total_steps=20, max_momentum=0.5, base_momentum=0.1, last_epoch=6)
    assert sched2.last_epoch == 7 and sched2.get_last_lr() == list(full[7])
    assert [g["max_momentum"] for g in opt2.param_groups] == [0.95, 0.95]
    want = one_cycle_reference(7, 20, 0.3, 1.0)[1]
    assert [g["momentum"] for g in opt2.param_groups] == pytest.approx([want, want], rel=1e-12)
    np.testing.assert_array_equal(run(lambda o: sched2, epochs=13, opt=opt2), full[7:])


# ReduceLROnPlateau


def plateau_run(sched, metrics):
    """The optimizer's rates after each step(metric), as an array."""
    lrs = []
    for m in metrics:
        sched.optimizer.step()
        sched.step(m)
        lrs.append([g["lr"] for g in sched.optimizer.param_groups])
        assert sched.get_last_lr() == lrs[-1]
    return np.array(lrs)


def test_reduce_lr_on_plateau_cuts_after_patience_bad_epochs():
    sched = ReduceLROnPlateau(make_optimizer(), patience=2, factor=0.5)
    bad_counts = []
    lrs = []
    for m in [1.0] * 7:  # the first value improves on inf; then nothing improves
        sched.step(m)
        bad_counts.append(sched.num_bad_epochs)
        lrs.append(sched.get_last_lr()[0])
    assert bad_counts == [0, 1, 2, 0, 1, 2, 0]  # the third bad epoch exceeds patience 2
    np.testing.assert_allclose(lrs, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], rtol=1e-15)
    assert sched.best == 1.0 and sched.last_epoch == 7


def test_reduce_lr_on_plateau_improvement_resets_the_count():
    sched = ReduceLROnPlateau(make_optimizer(), patience=2, factor=0.5)
    lrs = plateau_run(sched, [5.0, 6.0, 6.0, 4.0, 6.0, 6.0, 6.0])
    np.testing.assert_allclose(lrs[:, 0], [0.1] * 6 + [0.05], rtol=1e-15)
    np.testing.assert_allclose(lrs[:, 1], [0.03] * 6 + [0.015], rtol=1e-15)
    assert sched.best == 4.0


def test_reduce_lr_on_plateau_default_patience_is_ten():
    sched = ReduceLROnPlateau(make_optimizer())
    lrs = plateau_run(sched, [1.0] * 12)
    np.testing.assert_allclose(lrs[:, 0], [0.1] * 11 + [0.01], rtol=1e-15)


def test_reduce_lr_on_plateau_cooldown_ignores_bad_epochs():
    sched = ReduceLROnPlateau(make_optimizer(), patience=0, cooldown=2, factor=0.5)
    counters, cooling = [], []
    lrs = []
    for m in [1.0] * 8:
        sched.step(m)
        counters.append(sched.cooldown_counter)
        cooling.append(sched.in_cooldown)
        lrs.append(sched.get_last_lr()[0])
    # Cuts at steps 2, 5 and 8: each cut is followed by two ignored epochs.
    assert counters == [0, 2, 1, 0, 2, 1, 0, 2]
    assert cooling == [c > 0 for c in counters]
    np.testing.assert_allclose(lrs, [0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125], rtol=1e-15)


@pytest.mark.parametrize(
    "mode, threshold_mode, second, improves",
    [
        ("min", "rel", 9.5, False),  # needs < 10 * (1 - 0.1) = 9
        ("min", "rel", 8.9, True),
        ("min", "abs", 9.5, True),  # needs < 10 - 0.1 = 9.9
        ("min", "abs", 9.95, False),
        ("max", "rel", 10.5, False),  # needs > 10 * (1 + 0.1) = 11
        ("max", "rel", 11.5, True),
        ("max", "abs", 10.5, True),  # needs > 10 + 0.1 = 10.1
        ("max", "abs", 10.05, False),
    ],
)
def test_reduce_lr_on_plateau_threshold_modes(mode, threshold_mode, second, improves):
    sched = ReduceLROnPlateau(make_optimizer(), mode=mode, threshold=0.1, threshold_mode=threshold_mode)
    assert sched.best == (math.inf if mode == "min" else -math.inf)
    sched.step(10.0)
    assert sched.best == 10.0 and sched.num_bad_epochs == 0
    sched.step(second)
    assert sched.best == (second if improves else 10.0)
    assert sched.num_bad_epochs == (0 if improves else 1)


def test_reduce_lr_on_plateau_max_mode_cuts_when_the_metric_stops_rising():
    sched = ReduceLROnPlateau(make_optimizer(), mode="max", patience=1, factor=0.5)
    lrs = plateau_run(sched, [0.5, 0.6, 0.7, 0.65, 0.7, 0.69, 0.71])
    np.testing.assert_allclose(lrs[:, 0], [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05], rtol=1e-15)


def test_reduce_lr_on_plateau_respects_min_lr():
    sched = ReduceLROnPlateau(make_optimizer(), patience=0, factor=0.5, min_lr=0.04)
    lrs = plateau_run(sched, [1.0] * 4)
    np.testing.assert_allclose(lrs[:, 0], [0.1, 0.05, 0.04, 0.04], rtol=1e-15)
    # A rate already below min_lr is not raised to it.
    np.testing.assert_allclose(lrs[:, 1], [0.03] * 4, rtol=1e-15)


def test_reduce_lr_on_plateau_min_lr_per_group():
    sched = ReduceLROnPlateau(make_optimizer(), patience=0, factor=0.5, min_lr=[0.02, 0.01])
    lrs = plateau_run(sched, [1.0] * 5)
    np.testing.assert_allclose(lrs, [[0.1, 0.03], [0.05, 0.015], [0.025, 0.01], [0.02, 0.01], [0.02, 0.01]])


def test_reduce_lr_on_plateau_skips_changes_smaller_than_eps():
    p = tg.Tensor(np.zeros(1), requires_grad=True)
    sched = ReduceLROnPlateau(SGD([p], lr=1.5e-8), patience=0, factor=0.5)
    plateau_run(sched, [1.0, 1.0])
    assert sched.get_last_lr() == [1.5e-8]  # the cut, 7.5e-9, is below eps 1e-8
    sched = ReduceLROnPlateau(SGD([p], lr=1.5e-8), patience=0, factor=0.5, eps=0.0)
    plateau_run(sched, [1.0, 1.0])
    assert sched.get_last_lr() == [0.75e-8]


def test_reduce_lr_on_plateau_takes_tensors_and_leaves_initial_lr_alone():
    opt = make_optimizer()
    sched = ReduceLROnPlateau(opt, patience=0)
    assert sched.get_last_lr() == list(LRS) and sched.last_epoch == 0
    assert all("initial_lr" not in g for g in opt.param_groups)
    sched.step(tg.tensor(2.0))
    sched.step(np.float32(3.0))
    assert sched.best == 2.0 and sched.get_last_lr() == pytest.approx([lr * 0.1 for lr in LRS])


def test_reduce_lr_on_plateau_epoch_argument_is_deprecated():
    sched = ReduceLROnPlateau(make_optimizer())
    with pytest.warns(UserWarning, match="deprecated"):
        sched.step(1.0, epoch=5)
    assert sched.last_epoch == 5


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"factor": 1.0}, ValueError, r"^Factor should be < 1\.0\.$"),
        ({"factor": 2.0}, ValueError, "Factor should be"),
        ({"mode": "avg"}, ValueError, "^mode avg is unknown!$"),
        ({"threshold_mode": "pct"}, ValueError, "^threshold mode pct is unknown!$"),
        ({"min_lr": [0.0]}, ValueError, "^Expected 2 min_lrs, but got 1$"),
    ],
)
def test_reduce_lr_on_plateau_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        ReduceLROnPlateau(make_optimizer(), **kwargs)


def test_reduce_lr_on_plateau_needs_an_optimizer():
    with pytest.raises(TypeError, match="^list is not an Optimizer$"):
        ReduceLROnPlateau([])


def test_reduce_lr_on_plateau_with_a_param_group_added_later():
    opt = make_optimizer()
    sched = ReduceLROnPlateau(opt, patience=0, factor=0.5, min_lr=0.001)
    opt.add_param_group({"params": [tg.Tensor(np.zeros(1), requires_grad=True)], "lr": 0.2})
    plateau_run(sched, [1.0, 1.0])
    assert sched.get_last_lr() == pytest.approx([0.05, 0.015, 0.1]) and sched.min_lrs == [0.001] * 3

    opt = make_optimizer()
    sched = ReduceLROnPlateau(opt, patience=0, min_lr=[0.0, 0.0])  # per group: cannot be extended
    opt.add_param_group({"params": [tg.Tensor(np.zeros(1), requires_grad=True)], "lr": 0.2})
    sched.step(1.0)
    with pytest.raises(RuntimeError, match="min_lrs"):
        sched.step(1.0)


PLATEAU_METRICS = [1.0, 0.9, 0.85, 0.86, 0.85, 0.849, 0.8, 0.8, 0.81, 0.8, 0.79995, 0.8, 0.7]
PLATEAU_METRICS += [0.71, 0.72, 0.7, 0.7, 0.7, 0.69, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]


def test_reduce_lr_on_plateau_state_dict_round_trip():
    def make(opt):
        return ReduceLROnPlateau(opt, patience=1, cooldown=1, factor=0.5, min_lr=[0.01, 0.001])

    full = plateau_run(make(make_optimizer()), PLATEAU_METRICS)
    sched = make(make_optimizer())
    plateau_run(sched, PLATEAU_METRICS[:9])
    opt_state, sched_state = sched.optimizer.state_dict(), sched.state_dict()
    assert "optimizer" not in sched_state and sched_state["last_epoch"] == 9

    opt2 = make_optimizer()
    sched2 = make(opt2)
    opt2.load_state_dict(opt_state)
    sched2.load_state_dict(sched_state)
    assert (sched2.best, sched2.num_bad_epochs, sched2.cooldown_counter) == (
        sched.best,
        sched.num_bad_epochs,
        sched.cooldown_counter,
    )
    np.testing.assert_array_equal(plateau_run(sched2, PLATEAU_METRICS[9:]), full[9:])
    assert full[-1, 0] < LRS[0]  # the schedule did cut the rate


def torch_optimizer(torch, cls="SGD"):
    """PyTorch's twin of make_optimizer(cls): the same groups and rates."""
    groups = [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in LRS]
    return getattr(torch.optim, cls)(groups)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("StepLR", {"step_size": 3, "gamma": 0.5}),
        ("ExponentialLR", {"gamma": 0.9}),
        ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}),
        ("LambdaLR", {"lr_lambda": [lambda e: 1.0 / (e + 1), lambda e: 0.95**e]}),
        ("MultiStepLR", {"milestones": [0, 4, 9, 9, 17], "gamma": 0.5}),
        ("MultiStepLR", {"milestones": [20, 5]}),
        ("LinearLR", {}),
        ("LinearLR", {"start_factor": 0.05, "total_iters": 12}),
        ("LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 10}),
        ("OneCycleLR", {"max_lr": [1.0, 0.4], "total_steps": 30}),
        ("OneCycleLR", {"max_lr": 0.5, "epochs": 5, "steps_per_epoch": 6, "anneal_strategy": "linear"}),
        ("OneCycleLR", {"max_lr": 2.0, "total_steps": 30, "pct_start": 0.25, "three_phase": True}),
        ("OneCycleLR", {"max_lr": 1.0, "total_steps": 33, "div_factor": 10.0, "final_div_factor": 100.0}),
        ("PolynomialLR", {}),
        ("PolynomialLR", {"total_iters": 12, "power": 0.9}),
        ("PolynomialLR", {"total_iters": 40, "power": 2.0}),
        ("ConstantLR", {}),
        ("ConstantLR", {"factor": 0.5, "total_iters": 3}),
        ("ConstantLR", {"factor": 0.1, "total_iters": 0}),
        ("MultiplicativeLR", {"lr_lambda": [lambda e: 0.9, lambda e: 1 - 0.01 * e]}),
    ],
)
def test_matches_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    ours = run(lambda o: getattr(lr_scheduler, name)(o, **kwargs), epochs=30)
    opt = torch_optimizer(torch)
    sched = getattr(torch.optim.lr_scheduler, name)(opt, **kwargs)
    theirs = [sched.get_last_lr()]
    for _ in range(30):
        opt.step()
        sched.step()
        theirs.append(sched.get_last_lr())
    np.testing.assert_allclose(ours, np.array(theirs, dtype=float), rtol=1e-15, atol=0)


@pytest.mark.parametrize("cls", ["SGD", "Adam"])
@pytest.mark.parametrize("three_phase", [False, True])
def test_one_cycle_momentum_matches_torch(cls, three_phase):
    torch = pytest.importorskip("torch")
    kwargs = {"max_lr": [1.0, 0.4], "total_steps": 25, "three_phase": three_phase}
    kwargs |= {"max_momentum": [0.95, 0.9], "base_momentum": 0.8}
    key = "betas" if cls == "Adam" else "momentum"
    ours_opt = make_optimizer(getattr(tg.optim, cls))
    ours = OneCycleLR(ours_opt, **kwargs)
    their_opt = torch_optimizer(torch, cls)
    theirs = torch.optim.lr_scheduler.OneCycleLR(their_opt, **kwargs)
    for _ in range(25):
        assert [g[key] for g in ours_opt.param_groups] == [g[key] for g in their_opt.param_groups]
        assert ours.get_last_lr() == theirs.get_last_lr()
        ours_opt.step()
        their_opt.step()
        ours.step()
        theirs.step()
    with pytest.raises(ValueError, match="Tried to step 26 times"):
        theirs.step()
    with pytest.raises(ValueError, match="Tried to step 26 times"):
        ours.step()


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"patience": 1, "factor": 0.5},
        {"patience": 0, "cooldown": 2, "factor": 0.5, "min_lr": [0.02, 0.001]},
        {"patience": 1, "threshold": 0.05, "threshold_mode": "abs", "min_lr": 0.01},
        {"mode": "max", "patience": 2, "factor": 0.3, "threshold": 0.02},
        {"mode": "max", "patience": 0, "threshold_mode": "abs", "threshold": 0.0, "cooldown": 1},
        {"patience": 0, "factor": 0.5, "eps": 0.01},
    ],
)
def test_reduce_lr_on_plateau_matches_torch(kwargs):
    torch = pytest.importorskip("torch")
    metrics = PLATEAU_METRICS if kwargs.get("mode") != "max" else [1 - m for m in PLATEAU_METRICS]
    ours = ReduceLROnPlateau(make_optimizer(), **kwargs)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(torch_optimizer(torch), **kwargs)
    for m in metrics:
        ours.step(m)
        theirs.step(torch.tensor(m, dtype=torch.float64))
        assert ours.get_last_lr() == theirs.get_last_lr()
        assert (ours.best, ours.num_bad_epochs, ours.cooldown_counter, ours.last_epoch) == (
            theirs.best,
            theirs.num_bad_epochs,
            theirs.cooldown_counter,
            theirs.last_epoch,
        )
    assert ours.state_dict() == theirs.state_dict()


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("MultiStepLR", {"milestones": [2, 4, 4]}),
        ("LinearLR", {"start_factor": 0.5}),
        ("OneCycleLR", {"max_lr": 1.0, "total_steps": 10, "three_phase": True}),
        ("OneCycleLR", {"max_lr": 1.0, "total_steps": 10, "cycle_momentum": False}),
        ("PolynomialLR", {"total_iters": 3, "power": 2.0}),
        ("ConstantLR", {"factor": 0.25}),
        ("MultiplicativeLR", {"lr_lambda": [lambda e: 0.9, lambda e: 0.8]}),
    ],
)
def test_state_dict_matches_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    opt = make_optimizer()
    ours = getattr(lr_scheduler, name)(opt, **kwargs)
    their_opt = torch_optimizer(torch)
    theirs = getattr(torch.optim.lr_scheduler, name)(their_opt, **kwargs)
    for _ in range(4):
        opt.step()
        their_opt.step()
        ours.step()
        theirs.step()
    assert ours.state_dict() == theirs.state_dict()  # _get_lr_called_within_step included
    for ours_group, their_group in zip(opt.param_groups, their_opt.param_groups):
        for key in ["initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum", "momentum"]:
            assert ours_group.get(key) == their_group.get(key)


@pytest.mark.parametrize("factor", [1 / 3, 0.37, 0.123456789, 0.7])
def test_constant_lr_equals_torch_to_the_last_bit(factor):
    torch = pytest.importorskip("torch")
    epochs = [None] * 7 + [2, 9, 0, 5]  # stepping, then step(epoch) (PyTorch's closed form)
    results = []
    for opt, module in [(make_optimizer(), lr_scheduler), (torch_optimizer(torch), torch.optim.lr_scheduler)]:
        sched = module.ConstantLR(opt, factor=factor, total_iters=5)
        lrs = [sched.get_last_lr()]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # step(epoch) is deprecated in both
            for epoch in epochs:
                opt.step()
                sched.step(epoch)
                lrs.append(sched.get_last_lr())
        results.append(lrs)
    assert results[0] == results[1]


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("ConstantLR", {"factor": -0.1}),
        ("ConstantLR", {"factor": 1.5}),
        ("MultiplicativeLR", {"lr_lambda": [lambda e: 0.9] * 3}),
        ("MultiplicativeLR", {"lr_lambda": 0.9}),
    ],
)
def test_errors_match_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    with pytest.raises((ValueError, TypeError)) as theirs:
        getattr(torch.optim.lr_scheduler, name)(torch_optimizer(torch), **kwargs)
    with pytest.raises(theirs.type, match=f"^{re.escape(str(theirs.value))}$"):
        getattr(lr_scheduler, name)(make_optimizer(), **kwargs)
