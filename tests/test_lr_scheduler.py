"""Tests for tinygrad_edu.optim.lr_scheduler: learning-rate sequences against
formulas written out here (closed forms, and the recursive cosine form),
chaining, resuming, state dicts and misuse warnings."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.optim import SGD, Adam, lr_scheduler
from tinygrad_edu.optim.lr_scheduler import (
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LRScheduler,
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


def test_public_names():
    assert set(lr_scheduler.__all__) >= {"StepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR"}
    assert issubclass(StepLR, LRScheduler)


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
    lrs = []
    for _ in range(10):
        opt.step()
        first.step()
        second.step()
        lrs.append(opt.param_groups[0]["lr"])
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
    ],
    ids=["StepLR", "ExponentialLR", "CosineAnnealingLR"],
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


def test_lambda_lr_state_dict_saves_callable_objects_not_functions():
    opt = make_optimizer()
    sched = LambdaLR(opt, lr_lambda=[Warmup(5), lambda e: 1.0])
    for _ in range(3):
        opt.step()
        sched.step()
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{"epochs": 5}, None] and state["last_epoch"] == 3

    warmup = Warmup(100)
    sched2 = LambdaLR(make_optimizer(), lr_lambda=[warmup, lambda e: 1.0])
    sched2.load_state_dict(state)
    assert warmup.epochs == 5 and sched2.last_epoch == 3
    assert state["lr_lambdas"] == [{"epochs": 5}, None]  # the dict is left intact
    sched2.optimizer.step()
    sched2.step()
    assert sched2.get_last_lr()[0] == pytest.approx(LRS[0] * 1.0)
    assert sched2.get_last_lr()[1] == pytest.approx(LRS[1])


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


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("StepLR", {"step_size": 3, "gamma": 0.5}),
        ("ExponentialLR", {"gamma": 0.9}),
        ("CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}),
        ("LambdaLR", {"lr_lambda": [lambda e: 1.0 / (e + 1), lambda e: 0.95**e]}),
    ],
)
def test_matches_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    ours = run(lambda o: getattr(lr_scheduler, name)(o, **kwargs), epochs=30)
    groups = [{"params": [torch.zeros(2, requires_grad=True)], "lr": lr} for lr in LRS]
    opt = torch.optim.SGD(groups)
    sched = getattr(torch.optim.lr_scheduler, name)(opt, **kwargs)
    theirs = [sched.get_last_lr()]
    for _ in range(30):
        opt.step()
        sched.step()
        theirs.append(sched.get_last_lr())
    np.testing.assert_allclose(ours, np.array(theirs, dtype=float), rtol=1e-15, atol=0)
