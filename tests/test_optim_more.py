"""Tests for the other classic optimizers: Adadelta, Adamax, NAdam, RAdam, Rprop and ASGD.

As in test_optim.py, each runs against an independent NumPy re-implementation
of its published update, on two float64 parameters whose gradient is computed
in NumPy from the current values and changes every step, with no autograd
involved; then against the first step worked out by hand, and (when torch is
installed) against PyTorch itself, parameters and state after every step.
"""

from __future__ import annotations

import copy
import inspect
import math

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import optim

STEPS = 20
ATOL = 1e-12  # float64 rounding, summed over the steps

RNG = np.random.default_rng(7)
X0 = [RNG.normal(size=(3, 4)), RNG.normal(size=(5,))]
SCALE = [RNG.uniform(0.5, 2.0, size=x.shape) for x in X0]
PHASE = [RNG.uniform(0, 2 * np.pi, size=x.shape) for x in X0]


def gradients(xs, t):
    """Gradient at step t (1-based) of a loss whose minimum moves: its signs flip now and then."""
    return [
        np.tanh(a * (x - 0.5 * np.sin(0.7 * t + phase))) + 0.2 * x for x, a, phase in zip(xs, SCALE, PHASE)
    ]


def run_library(make_optimizer, steps=STEPS, x0=X0, t0=1):
    """Run an optimizer of the library; return its params, itself and the params after each step."""
    params = [tg.Tensor(x.copy(), requires_grad=True) for x in x0]
    opt = make_optimizer(params)
    history = []
    for t in range(t0, t0 + steps):
        for p, g in zip(params, gradients([p.data for p in params], t)):
            p.grad = tg.Tensor(g)
        opt.step()
        history.append([p.data.copy() for p in params])
    return params, opt, history


# --- Independent reference implementations, written from the equations -------


def reference(update, init, steps, x0=X0):
    """Run `update(x, grad, state, t) -> x` on each array of `x0`, with state from `init(x)`."""
    xs = [x.copy() for x in x0]
    states = [init(x) for x in xs]
    history = []
    for t in range(1, steps + 1):
        xs = [update(x, grad, s, t) for x, grad, s in zip(xs, gradients(xs, t), states)]
        history.append(xs)
    return history


def ref_adadelta(steps, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, maximize=False, x0=X0):
    def update(x, grad, s, t):
        g = (-grad if maximize else grad) + weight_decay * x
        s["v"] = rho * s["v"] + (1 - rho) * g**2
        delta = np.sqrt(s["u"] + eps) / np.sqrt(s["v"] + eps) * g
        s["u"] = rho * s["u"] + (1 - rho) * delta**2
        return x - lr * delta

    return reference(update, lambda x: {"v": 0 * x, "u": 0 * x}, steps, x0)


def ref_adamax(steps, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, maximize=False, x0=X0):
    b1, b2 = betas

    def update(x, grad, s, t):
        g = (-grad if maximize else grad) + weight_decay * x
        s["m"] = b1 * s["m"] + (1 - b1) * g
        s["u"] = np.maximum(b2 * s["u"], np.abs(g) + eps)
        return x - lr / (1 - b1**t) * s["m"] / s["u"]

    return reference(update, lambda x: {"m": 0 * x, "u": 0 * x}, steps, x0)


def ref_nadam(
    steps,
    lr=2e-3,
    betas=(0.9, 0.999),
    eps=1e-8,
    weight_decay=0,
    momentum_decay=4e-3,
    decoupled_weight_decay=False,
    maximize=False,
    x0=X0,
):
    b1, b2 = betas
    mu = [b1 * (1 - 0.5 * 0.96 ** (t * momentum_decay)) for t in range(steps + 2)]

    def update(x, grad, s, t):
        g = -grad if maximize else grad
        if decoupled_weight_decay:
            x = x * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * x
        s["m"] = b1 * s["m"] + (1 - b1) * g
        s["v"] = b2 * s["v"] + (1 - b2) * g**2
        d = np.sqrt(s["v"] / (1 - b2**t)) + eps
        prod_t = math.prod(mu[1 : t + 1])
        return (
            x
            - lr * (1 - mu[t]) / (1 - prod_t) * g / d
            - lr * mu[t + 1] / (1 - prod_t * mu[t + 1]) * s["m"] / d
        )

    return reference(update, lambda x: {"m": 0 * x, "v": 0 * x}, steps, x0)


def ref_radam(
    steps,
    lr=1e-3,
    betas=(0.9, 0.999),
    eps=1e-8,
    weight_decay=0,
    decoupled_weight_decay=False,
    maximize=False,
    x0=X0,
):
    b1, b2 = betas
    rho_inf = 2 / (1 - b2) - 1

    def update(x, grad, s, t):
        g = -grad if maximize else grad
        if decoupled_weight_decay:
            x = x * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * x
        s["m"] = b1 * s["m"] + (1 - b1) * g
        s["v"] = b2 * s["v"] + (1 - b2) * g**2
        m_hat = s["m"] / (1 - b1**t)
        rho = rho_inf - 2 * t * b2**t / (1 - b2**t)
        if rho <= 5:
            return x - lr * m_hat
        r = np.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
        return x - lr * m_hat * r * np.sqrt(1 - b2**t) / (np.sqrt(s["v"]) + eps)

    return reference(update, lambda x: {"m": 0 * x, "v": 0 * x}, steps, x0)


def ref_rprop(steps, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), maximize=False, x0=X0):
    def update(x, grad, s, t):
        g = -grad if maximize else grad
        agree = g * s["prev"]
        factor = np.where(agree > 0, etas[1], np.where(agree < 0, etas[0], 1.0))
        s["size"] = np.clip(s["size"] * factor, *step_sizes)
        g = np.where(agree < 0, 0.0, g)
        s["prev"] = g
        return x - np.sign(g) * s["size"]

    return reference(update, lambda x: {"prev": 0 * x, "size": np.full_like(x, lr)}, steps, x0)


def ref_asgd(
    steps, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, maximize=False, x0=X0
):  # the average "ax" is tested on its own below: it does not feed back into x
    def update(x, grad, s, t):
        g = (-grad if maximize else grad) + weight_decay * x
        eta = lr if t == 1 else lr / (1 + lambd * lr * (t - 1)) ** alpha
        return x * (1 - lambd * eta) - eta * g

    return reference(update, lambda x: {}, steps, x0)


CASES = {
    "Adadelta": (optim.Adadelta, ref_adadelta, [
        {},
        {"lr": 0.5, "rho": 0.5},
        {"eps": 1e-3},
        {"weight_decay": 0.1},
        {"maximize": True},
        {"lr": 2.0, "rho": 0.8, "eps": 1e-4, "weight_decay": 0.2, "maximize": True},
    ]),
    "Adamax": (optim.Adamax, ref_adamax, [
        {"lr": 0.05},
        {"lr": 0.05, "betas": (0.8, 0.9)},
        {"lr": 0.05, "eps": 1e-1},
        {"lr": 0.05, "weight_decay": 0.1},
        {"lr": 0.05, "maximize": True},
        {"lr": 0.05, "betas": (0.5, 0.99), "eps": 1e-3, "weight_decay": 0.3, "maximize": True},
    ]),
    "NAdam": (optim.NAdam, ref_nadam, [
        {"lr": 0.05},
        {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-3},
        {"lr": 0.05, "momentum_decay": 0.3},
        {"lr": 0.05, "weight_decay": 0.1},
        {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True},
        {"lr": 0.05, "maximize": True},
        {"lr": 0.05, "weight_decay": 0.3, "decoupled_weight_decay": True, "maximize": True,
         "momentum_decay": 0.1},
    ]),
    "RAdam": (optim.RAdam, ref_radam, [
        {"lr": 0.05},
        {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-3},
        {"lr": 0.05, "weight_decay": 0.1},
        {"lr": 0.05, "weight_decay": 0.1, "decoupled_weight_decay": True},
        {"lr": 0.05, "maximize": True},
        {"lr": 0.05, "betas": (0.7, 0.95), "weight_decay": 0.3, "decoupled_weight_decay": True,
         "maximize": True},
    ]),
    "Rprop": (optim.Rprop, ref_rprop, [
        {},
        {"lr": 0.05},
        {"etas": (0.3, 1.5)},
        {"step_sizes": (5e-3, 0.03)},
        {"maximize": True},
        {"lr": 0.02, "etas": (0.4, 1.1), "step_sizes": (1e-2, 0.2), "maximize": True},
    ]),
    "ASGD": (optim.ASGD, ref_asgd, [
        {"lr": 0.05},
        {"lr": 0.05, "lambd": 0.5, "t0": 5},
        {"lr": 0.05, "lambd": 0.05, "alpha": 2.0},
        {"lr": 0.05, "weight_decay": 0.1},
        {"lr": 0.05, "maximize": True},
        {"lr": 0.1, "lambd": 0.2, "alpha": 0.5, "t0": 3, "weight_decay": 0.2, "maximize": True},
    ]),
}  # fmt: skip

PARAMS = [
    pytest.param(name, kwargs, id=f"{name}-{'-'.join(f'{k}={v}' for k, v in kwargs.items())}")
    for name, (_, _, configs) in CASES.items()
    for kwargs in configs
]
CLASSES = [CASES[name][0] for name in CASES]


@pytest.mark.parametrize("name, kwargs", PARAMS)
def test_matches_reference_equations(name, kwargs):
    cls, ref, _ = CASES[name]
    params, _, history = run_library(lambda ps: cls(ps, **kwargs))
    for t, (got, want) in enumerate(zip(history, ref(STEPS, **kwargs)), start=1):
        for i, (a, b) in enumerate(zip(got, want)):
            assert np.all(np.isfinite(b))
            np.testing.assert_allclose(a, b, rtol=0, atol=ATOL, err_msg=f"step {t}, param {i}")
    assert all(p.dtype == np.float64 for p in params)


@pytest.mark.parametrize("name, kwargs", PARAMS)
def test_each_configuration_takes_its_own_path(name, kwargs):
    # Guards the test above: every configuration exercises a different update.
    _, ref, configs = CASES[name]
    final = ref(STEPS, **kwargs)[-1]
    for other in configs:
        if other is not kwargs:
            assert any(np.abs(a - b).max() > 1e-6 for a, b in zip(final, ref(STEPS, **other)[-1])), other
    assert max(np.abs(a - x).max() for a, x in zip(final, X0)) > 1e-2  # the params moved


# --- The first step, by hand ------------------------------------------------------

X = np.array([0.5, -1.0, 2.0, 0.0])
G = np.array([0.3, -2.0, 0.0, 1e-3])


def _first_step(cls, **kwargs):
    p = tg.Tensor(X.copy(), requires_grad=True)
    p.grad = tg.Tensor(G.copy())
    opt = cls([p], **kwargs)
    opt.step()
    return p.data, opt.state[p]


def test_adadelta_first_step():
    # v = (1 - rho) g^2, delta = sqrt(0 + eps) / sqrt(v + eps) * g, u = (1 - rho) delta^2
    got, state = _first_step(optim.Adadelta, lr=0.5, rho=0.8, eps=1e-4)
    delta = 1e-2 / np.sqrt(0.2 * G**2 + 1e-4) * G
    np.testing.assert_allclose(got, X - 0.5 * delta, rtol=1e-14, atol=0)
    np.testing.assert_allclose(state["acc_delta"], 0.2 * delta**2, rtol=1e-14, atol=0)
    # with weight decay and maximize: g = -grad + 0.1 x
    got, _ = _first_step(optim.Adadelta, weight_decay=0.1, maximize=True)
    g = -G + 0.1 * X
    np.testing.assert_allclose(got, X - 1e-3 / np.sqrt(0.1 * g**2 + 1e-6) * g, rtol=1e-14, atol=0)


def test_adamax_first_step():
    # m = (1 - b1) g, u = |g| + eps, so the step is lr * g / (|g| + eps): about lr * sign(g)
    got, state = _first_step(optim.Adamax, lr=0.1, eps=1e-3)
    np.testing.assert_allclose(got, X - 0.1 * G / (np.abs(G) + 1e-3), rtol=1e-14, atol=0)
    np.testing.assert_allclose(state["exp_inf"], np.abs(G) + 1e-3, rtol=1e-15, atol=0)
    got, _ = _first_step(optim.Adamax, lr=0.1, weight_decay=0.5)
    g = G + 0.5 * X
    np.testing.assert_allclose(got, X - 0.1 * g / (np.abs(g) + 1e-8), rtol=1e-14, atol=0)


def test_nadam_first_step():
    b1, psi, lr, eps = 0.9, 4e-3, 0.1, 1e-8
    mu1 = b1 * (1 - 0.5 * 0.96**psi)
    mu2 = b1 * (1 - 0.5 * 0.96 ** (2 * psi))
    # v / (1 - b2) = g^2, so d = |g| + eps; the gradient term has (1 - mu1) / (1 - mu1) = 1
    d = np.abs(G) + eps
    want = X - lr * G / d - lr * mu2 / (1 - mu1 * mu2) * (1 - b1) * G / d
    got, state = _first_step(optim.NAdam, lr=lr)
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=0)
    assert state["mu_product"] == pytest.approx(mu1, rel=1e-15)
    # decoupled: x shrinks by (1 - lr wd) first, and the gradient is G alone
    got, _ = _first_step(optim.NAdam, lr=lr, weight_decay=0.5, decoupled_weight_decay=True)
    np.testing.assert_allclose(got, want - X * lr * 0.5, rtol=1e-14, atol=1e-16)


def test_radam_first_step_is_plain_momentum():
    # rho_1 = 1 <= 5: no adaptive step, x - lr * m_hat, and m_hat = g at t = 1
    got, state = _first_step(optim.RAdam, lr=0.1)
    np.testing.assert_allclose(got, X - 0.1 * G, rtol=1e-15, atol=0)
    np.testing.assert_allclose(state["exp_avg_sq"], 1e-3 * G**2, rtol=1e-12, atol=0)
    got, _ = _first_step(optim.RAdam, lr=0.1, weight_decay=0.5, maximize=True)
    np.testing.assert_allclose(got, X - 0.1 * (-G + 0.5 * X), rtol=1e-15, atol=0)


def test_radam_rectified_step_with_a_constant_gradient():
    # With g constant, m_hat = g and v = (1 - b2^t) g^2, so the adaptive factor is
    # sqrt(1 - b2^t) / (sqrt(v) + eps) = 1 / (|g| + eps / sqrt(1 - b2^t)).
    b2, lr, eps = 0.5, 0.1, 1e-8
    rho_inf = 2 / (1 - b2) - 1  # 3: never above 5, so plain momentum steps for ever
    assert rho_inf < 5
    p = tg.Tensor(X.copy(), requires_grad=True)
    opt = optim.RAdam([p], lr=lr, betas=(0.9, b2), eps=eps)
    for _ in range(4):
        p.grad = tg.Tensor(G.copy())
        opt.step()
    np.testing.assert_allclose(p.data, X - 4 * lr * G, rtol=1e-14, atol=1e-15)
    # b2 = 0.9: rho_t passes 5 at t = 6; from there each step is lr * r_t * g / (|g| + eps')
    b2 = 0.9
    rho_inf = 2 / (1 - b2) - 1
    p = tg.Tensor(X.copy(), requires_grad=True)
    opt = optim.RAdam([p], lr=lr, betas=(0.9, b2), eps=eps)
    want = X.copy()
    for t in range(1, 9):
        p.grad = tg.Tensor(G.copy())
        opt.step()
        rho = rho_inf - 2 * t * b2**t / (1 - b2**t)
        if rho > 5:
            r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
            want = want - lr * r * G / (np.abs(G) + eps / math.sqrt(1 - b2**t))
        else:
            want = want - lr * G
        np.testing.assert_allclose(p.data, want, rtol=1e-13, atol=1e-15, err_msg=f"step {t}")
    assert rho > 5


def test_rprop_first_steps():
    # step 1: no previous gradient, so every step size stays lr and x moves by lr * sign(g)
    got, state = _first_step(optim.Rprop, lr=0.1)
    np.testing.assert_array_equal(got, X - 0.1 * np.sign(G))
    np.testing.assert_array_equal(state["step_size"], np.full(4, 0.1))
    # step 2: same sign -> lr * 1.2; flipped -> size lr * 0.5 and no move; zero -> lr, sign 0
    p = tg.Tensor(X.copy(), requires_grad=True)
    opt = optim.Rprop([p], lr=0.1)
    g1, g2 = np.array([1.0, 1.0, 1.0, 0.0]), np.array([2.0, -3.0, 0.0, 1.0])
    for g in (g1, g2):
        p.grad = tg.Tensor(g)
        opt.step()
    size = np.array([0.12, 0.05, 0.1, 0.1])
    np.testing.assert_allclose(opt.state[p]["step_size"], size, rtol=1e-15, atol=0)
    np.testing.assert_allclose(p.data, X - 0.1 * np.sign(g1) - np.array([0.12, 0, 0, 0.1]), rtol=1e-15)
    np.testing.assert_array_equal(opt.state[p]["prev"], [2.0, 0.0, 0.0, 1.0])  # the flip is forgotten
    # step 3, same gradient as step 2: the flipped coordinate restarts with factor 1
    opt.step()
    np.testing.assert_allclose(opt.state[p]["step_size"], [0.144, 0.05, 0.1, 0.12], rtol=1e-15)


def test_rprop_step_sizes_stay_within_bounds():
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    opt = optim.Rprop([p], lr=0.1, etas=(0.1, 3.0), step_sizes=(0.05, 0.5))
    for g in ([1.0, 1.0], [1.0, -1.0], [1.0, 1.0], [1.0, -1.0], [1.0, 1.0], [1.0, -1.0]):
        p.grad = tg.Tensor(np.array(g))
        opt.step()
    np.testing.assert_allclose(opt.state[p]["step_size"], [0.5, 0.05], rtol=1e-15)


def test_asgd_first_step_and_scalar_state():
    lr, lambd, alpha = 0.1, 0.2, 0.5
    got, state = _first_step(optim.ASGD, lr=lr, lambd=lambd, alpha=alpha, t0=0)
    want = X * (1 - lambd * lr) - lr * G  # eta_0 = lr
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=1e-16)
    np.testing.assert_array_equal(state["ax"], got)  # mu_0 = 1: the average copies x
    assert state["eta"] == pytest.approx(lr / (1 + lambd * lr) ** alpha, rel=1e-15)
    assert state["mu"] == 1.0  # 1 / max(1, 1 - t0)


def test_asgd_average_is_the_mean_of_the_iterates_after_t0():
    t0 = 3
    _, opt, history = run_library(lambda ps: optim.ASGD(ps, lr=0.05, t0=t0), steps=10)
    # mu_t = 1 / max(1, t - t0): the average copies x up to step t0 + 2, then averages from there
    for i, p in enumerate(opt.param_groups[0]["params"]):
        want = np.mean([h[i] for h in history[t0 + 1 :]], axis=0)
        np.testing.assert_allclose(opt.state[p]["ax"], want, rtol=0, atol=1e-14)
        assert opt.state[p]["mu"] == 1 / (10 - t0)
        assert not np.allclose(opt.state[p]["ax"], p.data)


# --- Arguments -----------------------------------------------------------------------

INVALID = [
    (optim.Adadelta, {"lr": -1}, "Invalid learning rate: -1"),
    (optim.Adadelta, {"rho": 1.5}, "Invalid rho value: 1.5"),
    (optim.Adadelta, {"rho": -0.1}, "Invalid rho value: -0.1"),
    (optim.Adadelta, {"eps": -1e-6}, "Invalid epsilon value: -1e-06"),
    (optim.Adadelta, {"weight_decay": -1}, "Invalid weight_decay value: -1"),
    (optim.Adadelta, {"lr": -1, "rho": 2}, "Invalid learning rate: -1"),  # PyTorch's order
    (optim.Adamax, {"lr": -0.1}, "Invalid learning rate: -0.1"),
    (optim.Adamax, {"eps": -1}, "Invalid epsilon value: -1"),
    (optim.Adamax, {"betas": (1.0, 0.999)}, "Invalid beta parameter at index 0: 1.0"),
    (optim.Adamax, {"betas": (0.9, -0.5)}, "Invalid beta parameter at index 1: -0.5"),
    (optim.Adamax, {"weight_decay": -1}, "Invalid weight_decay value: -1"),
    (optim.Adamax, {"eps": -1, "betas": (2, 2)}, "Invalid epsilon value: -1"),
    (optim.NAdam, {"lr": -1}, "Invalid learning rate: -1"),
    (optim.NAdam, {"eps": -1}, "Invalid epsilon value: -1"),
    (optim.NAdam, {"betas": (-0.1, 0.9)}, "Invalid beta parameter at index 0: -0.1"),
    (optim.NAdam, {"betas": (0.9, 1.0)}, "Invalid beta parameter at index 1: 1.0"),
    (optim.NAdam, {"weight_decay": -0.01}, "Invalid weight_decay value: -0.01"),
    (optim.NAdam, {"momentum_decay": -1e-3}, "Invalid momentum_decay value: -0.001"),
    (optim.RAdam, {"lr": -1}, "Invalid learning rate: -1"),
    (optim.RAdam, {"eps": -1}, "Invalid epsilon value: -1"),
    (optim.RAdam, {"betas": (1.5, 0.9)}, "Invalid beta parameter at index 0: 1.5"),
    (optim.RAdam, {"betas": (0.9, 1.5)}, "Invalid beta parameter at index 1: 1.5"),
    (optim.RAdam, {"weight_decay": -1}, "Invalid weight_decay value: -1"),
    (optim.Rprop, {"lr": -1}, "Invalid learning rate: -1"),
    (optim.Rprop, {"etas": (1.5, 2.0)}, "Invalid eta values: 1.5, 2.0"),
    (optim.Rprop, {"etas": (0.0, 1.2)}, "Invalid eta values: 0.0, 1.2"),
    (optim.Rprop, {"etas": (0.5, 1.0)}, "Invalid eta values: 0.5, 1.0"),
    (optim.ASGD, {"lr": -1}, "Invalid learning rate: -1"),
    (optim.ASGD, {"weight_decay": -1}, "Invalid weight_decay value: -1"),
]  # fmt: skip


@pytest.mark.parametrize("cls, kwargs, message", INVALID)
def test_invalid_hyperparameters_raise_eagerly(cls, kwargs, message):
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(ValueError) as info:
        cls([p], **kwargs)
    assert str(info.value) == message


@pytest.mark.parametrize("cls", [optim.Adam, optim.AdamW, optim.Adamax, optim.NAdam, optim.RAdam])
def test_the_adam_family_checks_the_two_betas_it_reads_and_no_more(cls):
    """As PyTorch: betas[0] and betas[1] must be in [0, 1); an extra entry is never read, nor checked."""
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    assert cls([p], betas=(0.9, 0.99, 5.0)).defaults["betas"] == (0.9, 0.99, 5.0)
    with pytest.raises(ValueError, match="index 1: 1.0"):
        cls([p], betas=(0.9, 1.0, 0.5))


# PyTorch 2.13's defaults, in its order (its state dicts show it).
DEFAULTS = {
    optim.Adadelta: {"lr": 1.0, "rho": 0.9, "eps": 1e-6, "weight_decay": 0, "maximize": False,
                     "capturable": False, "foreach": None, "differentiable": False},
    optim.Adamax: {"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0,
                   "foreach": None, "maximize": False, "differentiable": False, "capturable": False},
    optim.NAdam: {"lr": 2e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0,
                  "momentum_decay": 4e-3, "decoupled_weight_decay": False, "maximize": False,
                  "foreach": None, "capturable": False, "differentiable": False},
    optim.RAdam: {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0,
                  "maximize": False, "foreach": None, "capturable": False,
                  "decoupled_weight_decay": False, "differentiable": False},
    optim.Rprop: {"lr": 1e-2, "etas": (0.5, 1.2), "step_sizes": (1e-6, 50), "foreach": None,
                  "maximize": False, "differentiable": False, "capturable": False},
    optim.ASGD: {"lr": 1e-2, "lambd": 1e-4, "alpha": 0.75, "t0": 1e6, "weight_decay": 0,
                 "foreach": None, "maximize": False, "differentiable": False, "capturable": False},
}  # fmt: skip


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_defaults_and_group_keys(cls):
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    opt = cls([p])
    defaults = DEFAULTS[cls]
    assert opt.defaults == defaults and list(opt.defaults) == list(defaults)
    assert list(opt.param_groups[0]) == ["params", *defaults]
    assert opt.param_groups[0]["params"][0] is p
    assert isinstance(opt, optim.Optimizer) and not isinstance(opt, optim.Adam)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_switches(cls):
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(RuntimeError, match="differentiable=True is not supported"):
        cls([p], differentiable=True)
    with pytest.raises(AssertionError, match="capturable=True is not supported"):
        cls([p], capturable=True)
    with pytest.raises(TypeError, match="fused"):  # none of these has a fused implementation
        cls([p], fused=None)
    # foreach is accepted, kept, and changes nothing
    configs = next(c for _, (k, _, c) in CASES.items() if k is cls)
    _, _, want = run_library(lambda ps: cls(ps, **configs[-1]), steps=5)
    for foreach in (True, False):
        _, opt, got = run_library(lambda ps: cls(ps, **configs[-1], foreach=foreach), steps=5)
        assert opt.param_groups[0]["foreach"] is foreach
        for a, b in zip(got[-1], want[-1]):
            np.testing.assert_array_equal(a, b)


# --- Steps ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
def test_step_leaves_gradients_unchanged_and_bumps_version(name):
    cls, _, configs = CASES[name]
    p = tg.Tensor(X0[0].copy(), requires_grad=True)
    grad = gradients([p.data], 1)[0]
    p.grad = tg.Tensor(grad.copy())
    version = p._version
    cls([p], **configs[-1]).step()  # the configuration with the most options
    np.testing.assert_array_equal(p.grad.data, grad)
    assert p._version > version and not np.array_equal(p.data, X0[0])


@pytest.mark.parametrize("name", list(CASES))
def test_parameters_without_grad_are_skipped(name):
    cls, _, configs = CASES[name]
    a = tg.Tensor(X0[0].copy(), requires_grad=True)
    b = tg.Tensor(X0[1].copy(), requires_grad=True)
    opt = cls([a, b], **configs[-1])
    for _ in range(2):
        a.grad = tg.Tensor(np.ones_like(X0[0]))
        opt.step()
    np.testing.assert_array_equal(b.data, X0[1])
    assert b._version == 0 and b.grad is None and b not in opt.state
    assert opt.state[a]["step"] == 2 and not np.array_equal(a.data, X0[0])


@pytest.mark.parametrize("name", list(CASES))
def test_float32_parameters_keep_float32_state(name):
    cls, _, configs = CASES[name]
    p = tg.Tensor(X0[0].astype(np.float32), requires_grad=True)
    opt = cls([p], **configs[-1])
    for t in range(1, 4):
        p.grad = tg.Tensor(gradients([p.data.astype(np.float64)], t)[0].astype(np.float32))
        opt.step()
    assert p.data.dtype == np.float32
    arrays = [v for v in opt.state[p].values() if isinstance(v, np.ndarray)]
    assert arrays and all(a.dtype == np.float32 for a in arrays)


@pytest.mark.parametrize("name", list(CASES))
def test_param_groups_each_with_its_own_lr(name):
    cls, ref, configs = CASES[name]
    kwargs = configs[-1]
    a = tg.Tensor(X0[0].copy(), requires_grad=True)
    b = tg.Tensor(X0[1].copy(), requires_grad=True)
    lr_b = kwargs.get("lr", DEFAULTS[cls]["lr"]) / 4
    opt = cls([{"params": [a]}, {"params": [b], "lr": lr_b}], **kwargs)
    assert [g["lr"] for g in opt.param_groups] == [kwargs.get("lr", DEFAULTS[cls]["lr"]), lr_b]
    for t in range(1, STEPS + 1):
        a.grad, b.grad = (tg.Tensor(g) for g in gradients([a.data, b.data], t))
        opt.step()
    np.testing.assert_allclose(a.data, ref(STEPS, **kwargs)[-1][0], rtol=0, atol=ATOL)
    want_b = ref(STEPS, **{**kwargs, "lr": lr_b})[-1][1]
    np.testing.assert_allclose(b.data, want_b, rtol=0, atol=ATOL)
    assert np.abs(want_b - ref(STEPS, **kwargs)[-1][1]).max() > 1e-3  # the group's lr mattered


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_zero_grad(cls):
    a = tg.Tensor(np.ones(2), requires_grad=True)
    b = tg.Tensor(np.ones(3), requires_grad=True)
    opt = cls([a, b])
    grad = tg.Tensor(np.array([3.0, -4.0]))
    a.grad = grad
    opt.zero_grad(set_to_none=False)
    assert a.grad is grad and b.grad is None
    np.testing.assert_array_equal(grad.data, [0.0, 0.0])
    opt.zero_grad()
    assert a.grad is None and b.grad is None


@pytest.mark.parametrize("name", list(CASES))
def test_a_step_that_cannot_update_every_parameter_updates_none(name):
    cls, _, configs = CASES[name]
    a, b = tg.nn.Parameter(tg.ones(3)), tg.nn.Parameter(tg.ones(2))
    opt = cls([a, b], **configs[-1])
    a.grad, b.grad = tg.full((3,), 0.5), tg.full((2,), 0.5)
    opt.step()
    before, state = [a.data.copy(), b.data.copy()], copy.deepcopy(opt.state_dict())
    b.grad.data = np.ones(5, np.float32)  # behind the grad setter, which would refuse it
    message = rf"{name}.step\(\): parameter 1 of group 0 .* nothing was updated"
    with pytest.raises(RuntimeError, match=message):
        opt.step()
    np.testing.assert_array_equal(a.data, before[0])
    np.testing.assert_array_equal(b.data, before[1])
    for key, values in state["state"].items():
        for field, value in values.items():
            np.testing.assert_array_equal(opt.state_dict()["state"][key][field], value)


# The Adam family updates a group's parameters as flat arrays, one list per dtype and step count.
FLAT = ["Adamax", "NAdam", "RAdam"]


@pytest.mark.parametrize("name", FLAT)
def test_parameters_of_other_dtypes_and_step_counts_each_follow_their_equations(name):
    cls, ref, configs = CASES[name]
    kwargs = configs[-1]
    a = tg.Tensor(X0[0].copy(), requires_grad=True)
    b = tg.Tensor(X0[0].astype(np.float32), requires_grad=True)
    c = tg.Tensor(X0[1].copy(), requires_grad=True)  # gets gradients from step 4 on
    opt = cls([a, b, c], **kwargs)
    for t in range(1, STEPS + 1):
        ga, gb = gradients([a.data], t)[0], gradients([b.data.astype(np.float64)], t)[0]
        a.grad, b.grad = tg.Tensor(ga), tg.Tensor(gb.astype(np.float32))
        # c follows the reference's gradient for its own step count t - 3
        c.grad = tg.Tensor(gradients([X0[0], c.data], t - 3)[1]) if t >= 4 else None
        opt.step()
    np.testing.assert_allclose(a.data, ref(STEPS, **kwargs)[-1][0], rtol=0, atol=ATOL)
    np.testing.assert_allclose(c.data, ref(STEPS - 3, **kwargs)[-1][1], rtol=0, atol=ATOL)
    np.testing.assert_allclose(b.data, ref(STEPS, **kwargs)[-1][0], rtol=0, atol=1e-4)
    assert b.data.dtype == opt.state[b]["exp_avg"].dtype == np.float32
    assert [opt.state[p]["step"] for p in (a, b, c)] == [STEPS, STEPS, STEPS - 3]


def test_nadam_parameters_with_one_step_count_but_other_histories_are_updated_apart():
    # a and b both reach step 2, but b's first step came under other betas, so its mu_product differs
    a = tg.Tensor(np.ones(2), requires_grad=True)
    b = tg.Tensor(np.ones(2), requires_grad=True)
    opt = optim.NAdam([a, b], lr=0.1)
    b.grad = tg.ones(2, dtype=tg.float64)
    opt.step()
    opt.param_groups[0]["betas"] = (0.5, 0.999)
    a.grad = tg.ones(2, dtype=tg.float64)
    b.grad = None
    opt.step()
    opt.param_groups[0]["betas"] = (0.9, 0.999)
    b.grad = tg.ones(2, dtype=tg.float64)
    opt.step()

    def mu(b1, t):
        return b1 * (1 - 0.5 * 0.96 ** (t * 4e-3))

    assert opt.state[a]["mu_product"] == pytest.approx(mu(0.5, 1) * mu(0.9, 2), rel=1e-15)
    assert opt.state[b]["mu_product"] == pytest.approx(mu(0.9, 1) * mu(0.9, 2), rel=1e-15)
    # the state arrays are each their own (not mixed up by a shared flat array)
    assert not np.array_equal(opt.state[a]["exp_avg"], opt.state[b]["exp_avg"])


# --- state_dict ------------------------------------------------------------------------

STATE_KEYS = {
    "Adadelta": ["step", "square_avg", "acc_delta"],
    "Adamax": ["step", "exp_avg", "exp_inf"],
    "NAdam": ["step", "mu_product", "exp_avg", "exp_avg_sq"],
    "RAdam": ["step", "exp_avg", "exp_avg_sq"],
    "Rprop": ["step", "prev", "step_size"],
    "ASGD": ["step", "eta", "mu", "ax"],
}


@pytest.mark.parametrize("name", list(CASES))
def test_state_dict_layout(name):
    cls, _, configs = CASES[name]
    _, opt, _ = run_library(lambda ps: cls(ps, **configs[-1]), steps=3)
    sd = opt.state_dict()
    assert sorted(sd["state"]) == [0, 1] and [g["params"] for g in sd["param_groups"]] == [[0, 1]]
    for i, x in enumerate(X0):
        state = sd["state"][i]
        assert list(state) == STATE_KEYS[name]
        assert state["step"] == 3 and isinstance(state["step"], int)
        for key in STATE_KEYS[name][1:]:
            value = state[key]
            assert (value.shape == x.shape) if isinstance(value, np.ndarray) else isinstance(value, float)


@pytest.mark.parametrize("name, kwargs", [(name, configs[-1]) for name, (_, _, configs) in CASES.items()])
def test_state_dict_round_trip_continues_identically(name, kwargs):
    cls = CASES[name][0]
    _, _, full = run_library(lambda ps: cls(ps, **kwargs), steps=20)
    params, opt, _ = run_library(lambda ps: cls(ps, **kwargs), steps=10)
    saved = copy.deepcopy(opt.state_dict())
    fresh = [p.data.copy() for p in params]

    def loaded(ps):  # built with another lr: loading restores the saved one
        opt = cls(ps, **{**kwargs, "lr": 0.123})
        opt.load_state_dict(saved)
        return opt

    _, resumed, rest = run_library(loaded, steps=10, x0=fresh, t0=11)
    assert resumed.param_groups[0]["lr"] == kwargs.get("lr", DEFAULTS[cls]["lr"])
    for a, b in zip(rest[-1], full[-1]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", FLAT)
def test_state_loaded_into_the_same_optimizer_replaces_its_flat_state(name):
    cls, _, configs = CASES[name]
    params, opt, _ = run_library(lambda ps: cls(ps, **configs[0]), steps=5)
    saved = copy.deepcopy(opt.state_dict())
    after_five = [p.data.copy() for p in params]
    for t in range(6, 11):  # move on, then go back to the saved state
        for p, g in zip(params, gradients([p.data for p in params], t)):
            p.grad = tg.Tensor(g)
        opt.step()
    for p, x in zip(params, after_five):
        p.data[...] = x
    opt.load_state_dict(saved)
    for p, g in zip(params, gradients([p.data for p in params], 6)):
        p.grad = tg.Tensor(g)
    opt.step()
    _, _, full = run_library(lambda ps: cls(ps, **configs[0]), steps=6)
    for p, want in zip(params, full[-1]):
        np.testing.assert_array_equal(p.data, want)


# --- With the autograd engine ---------------------------------------------------------


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (optim.Adadelta, {"lr": 10.0}),
        (optim.Adamax, {"lr": 0.1}),
        (optim.NAdam, {"lr": 0.1}),
        (optim.RAdam, {"lr": 0.1}),
        (optim.Rprop, {}),
        (optim.ASGD, {"lr": 0.2}),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_reaches_the_minimum_of_a_quadratic_bowl(cls, kwargs):
    scale = tg.Tensor(np.array([1.0, 4.0, 0.25]))
    centre = np.array([1.0, -2.0, 0.5])
    x = tg.Tensor(np.zeros(3), requires_grad=True)
    opt = cls([x], **kwargs)

    def closure():
        opt.zero_grad()
        loss = (0.5 * scale * (x - tg.Tensor(centre)) ** 2).sum()
        loss.backward()
        return loss

    first = opt.step(closure).item()
    for _ in range(300):
        opt.step(closure)
    np.testing.assert_allclose(x.data, centre, rtol=0, atol=1e-3)
    assert closure().item() < 1e-6 * first


# --- Optional: against PyTorch itself -------------------------------------------------


@pytest.fixture
def torch64():
    """torch, with float64 as its default dtype for the duration of a test.

    PyTorch keeps the scalar state (``step``, NAdam's ``mu_product``, ASGD's
    ``eta`` and ``mu``) in tensors of the default dtype; in float32 they would
    be rounded to 7 digits, where here they are Python floats.
    """
    torch = pytest.importorskip("torch")
    dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(dtype)


@pytest.mark.parametrize("name, kwargs", PARAMS)
def test_matches_torch(torch64, name, kwargs):
    torch = torch64
    ours, opt, history = run_library(lambda ps: CASES[name][0](ps, **kwargs))
    params = [torch.tensor(x.copy(), requires_grad=True) for x in X0]
    theirs = getattr(torch.optim, name)(params, **kwargs)
    for t in range(1, STEPS + 1):
        for p, g in zip(params, gradients([p.detach().numpy() for p in params], t)):
            p.grad = torch.from_numpy(g)
        theirs.step()
        for i, (p, x) in enumerate(zip(params, history[t - 1])):
            np.testing.assert_allclose(x, p.detach().numpy(), rtol=0, atol=ATOL, err_msg=f"step {t}, {i}")
    # the state too, key for key: a torch state dict's tensors line up with ours
    mine, reference = opt.state_dict()["state"], theirs.state_dict()["state"]
    assert list(mine) == list(reference) == [0, 1]
    for i in mine:
        assert list(mine[i]) == list(reference[i])
        for key, value in mine[i].items():
            np.testing.assert_allclose(value, reference[i][key].numpy(), rtol=0, atol=ATOL, err_msg=key)


def _signature(fn):
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_signature_defaults_and_group_keys_match_torch(cls):
    torch = pytest.importorskip("torch")
    reference = getattr(torch.optim, cls.__name__)
    assert _signature(cls) == _signature(reference)
    ours = cls([tg.Tensor(np.zeros(2), requires_grad=True)])
    theirs = reference([torch.zeros(2, requires_grad=True)])
    assert ours.defaults == theirs.defaults and list(ours.defaults) == list(theirs.defaults)
    assert list(ours.param_groups[0]) == list(theirs.param_groups[0])
    named = cls([("w", tg.Tensor(np.zeros(2), requires_grad=True))], lr=0.5)
    named_theirs = reference([("w", torch.zeros(2, requires_grad=True))], lr=0.5)
    assert named.state_dict()["param_groups"] == named_theirs.state_dict()["param_groups"]


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("SGD", {"lr": 0.1, "momentum": 0.9}),
        ("Adam", {"amsgrad": True}),
        ("AdamW", {}),
        ("RMSprop", {"momentum": 0.5, "centered": True}),
        ("Adagrad", {}),
        *[(name, configs[-1]) for name, (_, _, configs) in CASES.items()],
    ],
)
def test_a_torch_optimizers_state_dict_loads_and_the_run_goes_on_as_torchs(torch64, name, kwargs):
    torch = torch64
    params = [torch.tensor(x.copy(), requires_grad=True) for x in X0]
    theirs = getattr(torch.optim, name)(params, **kwargs)

    def step(t):
        for p, g in zip(params, gradients([p.detach().numpy() for p in params], t)):
            p.grad = torch.from_numpy(g)
        theirs.step()

    for t in range(1, 6):
        step(t)
    ours = [tg.Tensor(p.detach().numpy().copy(), requires_grad=True) for p in params]
    opt = getattr(optim, name)(ours, **kwargs)
    opt.load_state_dict(theirs.state_dict())  # torch tensors in it, 0-d ones for the scalars
    for t in range(6, 11):
        step(t)
        for p, g in zip(ours, gradients([p.data for p in ours], t)):
            p.grad = tg.Tensor(g)
        opt.step()
        for p, q in zip(ours, params):
            np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=0, atol=ATOL, err_msg=f"step {t}")


STEPPING = [
    optim.SGD,
    optim.Adam,
    optim.AdamW,
    optim.Adagrad,
    optim.RMSprop,
    optim.Adadelta,
    optim.Adamax,
    optim.NAdam,
    optim.RAdam,
    optim.Rprop,
    optim.ASGD,
]


@pytest.mark.parametrize("cls", STEPPING, ids=lambda c: c.__name__)
def test_a_0d_parameter_steps_as_a_1_element_one(cls):
    scalar, vector = tg.tensor(1.0, requires_grad=True), tg.tensor([1.0], requires_grad=True)
    opts = [cls([scalar], maximize=True), cls([vector], maximize=True)]
    for t in range(4):  # gradients that change sign, so Rprop's factors take every branch
        scalar.grad, vector.grad = tg.tensor(0.5 - t % 2), tg.tensor([0.5 - t % 2])
        for opt in opts:
            opt.step()
    assert scalar.shape == () and scalar.item() == vector.item() != 1.0


@pytest.mark.parametrize("cls", STEPPING, ids=lambda c: c.__name__)
def test_a_checkpoint_without_a_newer_hyperparameter_loads_with_its_default(cls):
    p = tg.tensor([1.0, 2.0], requires_grad=True)
    saved = copy.deepcopy(cls([p]).state_dict())
    del saved["param_groups"][0]["maximize"]  # (as saved before the key existed)
    opt = cls([p], maximize=True)
    opt.load_state_dict(saved)
    assert opt.param_groups[0]["maximize"] is False
    p.grad = tg.tensor([1.0, 1.0])
    opt.step()  # (it raised KeyError)
    assert (p.data < [1.0, 2.0]).all()
