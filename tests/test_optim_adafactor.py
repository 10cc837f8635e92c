"""Tests for Adafactor.

Against an independent NumPy re-implementation written from the equations
(plain means and weighted averages, where the library follows PyTorch's
rounding), on 0-d, 1-d, 2-d and 3-d float64 parameters whose gradient is
computed in NumPy from the current values; against first and second steps
worked out by hand; and (when torch is installed) against
``torch.optim.Adafactor`` itself, parameters and state after every step.
"""

from __future__ import annotations

import copy
import inspect
import math

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.optim import Adafactor

STEPS = 20
ATOL = 1e-12  # float64 rounding, summed over the steps

RNG = np.random.default_rng(5)
X0 = [RNG.normal(size=(5,)), RNG.normal(size=(3, 4)), RNG.normal(size=(2, 3, 4)), np.array(0.7)]
CONFIGS = [
    {},
    {"lr": 0.1, "weight_decay": 0.1, "maximize": True},
    {"eps": (1e-30, 1e-3), "d": 1.5, "beta2_decay": -0.5},
    {"lr": 0.5, "eps": (1e-3, 0.1), "d": 1.0},
]


def gradients(xs, t):
    """Gradient at step t (1-based) of a loss whose minimum moves."""
    return [np.asarray(np.tanh(x - 0.5 * np.sin(0.7 * t + i)) + 0.2 * x) for i, x in enumerate(xs)]


def run_library(kwargs, steps=STEPS, x0=X0, t0=1, opt=None):
    params = [tg.Tensor(x.copy(), requires_grad=True) for x in x0]
    opt = opt(params) if opt else Adafactor(params, **kwargs)
    history = []
    for t in range(t0, t0 + steps):
        for p, g in zip(params, gradients([p.data for p in params], t)):
            p.grad = tg.Tensor(g)
        opt.step()
        history.append([p.data.copy() for p in params])
    return params, opt, history


def reference(steps, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, maximize=False):
    """Adafactor from the equations in the class docstring, one parameter at a time."""
    xs = [x.copy() for x in X0]
    eps1 = np.finfo(np.float64).eps if eps[0] is None else eps[0]
    moments = [None] * len(xs)
    history = []
    for t in range(1, steps + 1):
        new = []
        for i, (x, grad) in enumerate(zip(xs, gradients(xs, t))):
            g = -grad if maximize else grad
            beta = 1 - t**beta2_decay
            rho = min(lr, 1 / math.sqrt(t))
            alpha = max(eps[1], np.sqrt(np.mean(x**2))) * rho
            x = x * (1 - lr * weight_decay)
            if g.ndim >= 2:
                row, col = moments[i] or (0.0, 0.0)
                row = beta * row + (1 - beta) * np.mean(g**2, axis=-1, keepdims=True)
                col = beta * col + (1 - beta) * np.mean(g**2, axis=-2, keepdims=True)
                moments[i] = (row, col)
                v = row * col / np.maximum(np.mean(row, axis=-2, keepdims=True), eps1)
            else:
                v = moments[i] = beta * (0.0 if moments[i] is None else moments[i]) + (1 - beta) * g**2
            u = g / np.sqrt(np.maximum(v, eps1**2))
            new.append(x - alpha / max(1.0, np.sqrt(np.mean(u**2)) / d) * u)
        xs = new
        history.append(xs)
    return history


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_the_reference_implementation(kwargs):
    _, opt, ours = run_library(kwargs)
    for t, (mine, want) in enumerate(zip(ours, reference(STEPS, **kwargs)), start=1):
        for i, (a, b) in enumerate(zip(mine, want)):
            np.testing.assert_allclose(a, b, rtol=0, atol=ATOL, err_msg=f"step {t}, param {i}")
    shapes = [
        {k: v.shape for k, v in opt.state[p].items() if k != "step"} for p in opt.param_groups[0]["params"]
    ]
    assert shapes == [
        {"variance": (5,)},
        {"row_var": (3, 1), "col_var": (1, 4)},
        {"row_var": (2, 3, 1), "col_var": (2, 1, 4)},
        {"variance": ()},
    ]


def test_first_step_by_hand():
    # theta = 2 everywhere: RMS 2, so alpha = max(1e-3, 2) * min(0.01, 1) = 0.02. At t = 1 the
    # weight t^-0.8 is 1: R = C = the gradient's squared row and column means (all 9 here),
    # V = R C / mean(R) = 9, U = G / 3 = 1 everywhere (RMS 1: no clipping).
    w = tg.Tensor(np.full((2, 3), 2.0), requires_grad=True)
    opt = Adafactor([w])
    w.grad = tg.Tensor(np.full((2, 3), 3.0))
    opt.step()
    np.testing.assert_allclose(w.data, np.full((2, 3), 2.0 - 0.02), rtol=1e-15)
    # (computed as PyTorch does, as squared norms, so up to rounding)
    np.testing.assert_allclose(opt.state[w]["row_var"], np.full((2, 1), 9.0), rtol=1e-15)
    np.testing.assert_allclose(opt.state[w]["col_var"], np.full((1, 3), 9.0), rtol=1e-15)
    assert opt.state[w]["step"] == 1


def test_second_step_by_hand_is_clipped():
    # A zero first gradient leaves theta alone (V = 0, U = 0 / eps1 = 0). At t = 2 the
    # gradient [1, 1] gets weight w = 2^-0.8: V = w, U = 1 / sqrt(w) = 2^0.4 > d = 1 in
    # RMS, so it is divided by 2^0.4, and theta moves by exactly alpha = RMS(theta) * lr.
    x = tg.Tensor(np.array([3.0, 4.0]), requires_grad=True)
    opt = Adafactor([x], lr=0.05)
    x.grad = tg.Tensor(np.zeros(2))
    opt.step()
    np.testing.assert_array_equal(x.data, [3.0, 4.0])
    x.grad = tg.Tensor(np.ones(2))
    opt.step()
    alpha = math.sqrt((9 + 16) / 2) * 0.05
    np.testing.assert_allclose(x.data, [3.0 - alpha, 4.0 - alpha], rtol=1e-15)
    np.testing.assert_allclose(opt.state[x]["variance"], [2**-0.8, 2**-0.8], rtol=1e-15)


def test_relative_step_is_capped_by_lr_then_by_one_over_sqrt_t():
    # a constant gradient [1]: U = 1 at every step, so theta moves by RMS(theta) * min(lr, 1/sqrt(t))
    x = tg.Tensor(np.array([10.0]), requires_grad=True)
    opt = Adafactor([x], lr=0.8)
    expected = 10.0
    for t in range(1, 5):
        x.grad = tg.Tensor(np.ones(1))
        opt.step()
        expected -= expected * min(0.8, 1 / math.sqrt(t))
        assert x.data[0] == pytest.approx(expected, rel=1e-14)


def test_default_eps1_is_the_dtypes_machine_epsilon():
    for dtype in (np.float64, np.float32):
        x = tg.Tensor(np.ones(2, dtype=dtype), requires_grad=True)
        opt = Adafactor([x], lr=0.5)
        x.grad = tg.Tensor(np.full(2, 1e-30, dtype=dtype))  # sqrt(V) = 1e-30 < eps1: eps1 is the divisor
        opt.step()
        u = 1e-30 / np.finfo(dtype).eps
        np.testing.assert_allclose(x.data, 1 - 0.5 * u, rtol=1e-6)
        assert x.data.dtype == dtype and opt.state[x]["variance"].dtype == dtype


def test_parameters_without_a_gradient_are_skipped():
    a = tg.Tensor(np.ones((2, 2)), requires_grad=True)
    b = tg.Tensor(np.ones(3), requires_grad=True)
    opt = Adafactor([a, b], weight_decay=0.5)
    a.grad = tg.Tensor(np.ones((2, 2)))
    opt.step()
    assert b not in opt.state and np.array_equal(b.data, np.ones(3))
    assert a._version == 1


def test_learns_a_linear_regression_with_autograd():
    X = RNG.normal(size=(64, 3))
    w_true = np.array([[1.0], [-0.5], [0.25]])
    w = tg.Tensor(np.full((3, 1), 0.1), requires_grad=True)
    opt = Adafactor([w], lr=0.1)
    for _ in range(300):
        opt.zero_grad()
        loss = ((tg.Tensor(X) @ w - tg.Tensor(X @ w_true)) ** 2).mean()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(w.data, w_true, atol=0.02)


# --- errors and state_dict -----------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr": -0.1}, "Learning rate should be >= 0 but is: -0.1"),
        ({"beta2_decay": 0.5}, "beta2_decay should be <= 0 but is: 0.5"),
        ({"eps": (-1.0, 1e-3)}, "epsilon1 should be >= 0 but is: -1.0"),
        ({"eps": (None, -1e-3)}, "epsilon2 should be >= 0 but is: -0.001"),
        ({"d": 0.5}, "Clipping threshold d should be >= 1 but is: 0.5"),
        ({"weight_decay": -1.0}, "weight_decay should be >= 0 but is: -1.0"),
    ],
)
def test_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        Adafactor([tg.Tensor(np.zeros(2), requires_grad=True)], **kwargs)


def test_state_dict_round_trip_continues_identically():
    kwargs = CONFIGS[1]
    _, _, full = run_library(kwargs, steps=20)
    params, opt, _ = run_library(kwargs, steps=10)
    saved = copy.deepcopy(opt.state_dict())
    assert [list(saved["state"][i]) for i in range(4)] == [
        ["step", "variance"],
        ["step", "row_var", "col_var"],
        ["step", "row_var", "col_var"],
        ["step", "variance"],
    ]  # fmt: skip
    assert all(saved["state"][i]["step"] == 10 for i in range(4))

    def loaded(ps):
        opt = Adafactor(ps, lr=0.123)
        opt.load_state_dict(saved)
        return opt

    _, resumed, rest = run_library({}, steps=10, x0=[p.data.copy() for p in params], t0=11, opt=loaded)
    assert resumed.param_groups[0]["lr"] == 0.1 and resumed.param_groups[0]["maximize"] is True
    for a, b in zip(rest[-1], full[-1]):
        np.testing.assert_array_equal(a, b)


def test_load_state_dict_checks_the_factor_shapes_and_changes_nothing_on_error():
    _, opt, _ = run_library({}, steps=2)
    saved = copy.deepcopy(opt.state_dict())  # (changed below: the optimizer's own state must not be)
    saved["state"][1]["col_var"] = np.zeros((4, 1))
    fresh = Adafactor([tg.Tensor(x.copy(), requires_grad=True) for x in X0], lr=0.3)
    with pytest.raises(ValueError, match=r"'col_var' of shape \(4, 1\) for a parameter of shape \(3, 4\)"):
        fresh.load_state_dict(saved)
    assert len(fresh.state) == 0 and fresh.param_groups[0]["lr"] == 0.3
    saved["state"][1] = {"step": 2, "variance": np.zeros((3, 4))}  # a vector's state for a matrix
    with pytest.raises(ValueError, match=r"no 'row_var' for a parameter of shape \(3, 4\)"):
        fresh.load_state_dict(saved)
    saved["state"][1] = copy.deepcopy(opt.state_dict()["state"][1])
    saved["state"][0]["row_var"] = np.zeros((5, 1))  # and a factor for a vector
    with pytest.raises(ValueError, match=r"a 'row_var' for a parameter of shape \(5,\)"):
        fresh.load_state_dict(saved)
    assert len(fresh.state) == 0
    del saved["state"][0]["row_var"]
    fresh.load_state_dict(saved)
    assert sorted(fresh.state_dict()["state"]) == [0, 1, 2, 3]


# --- Optional: against PyTorch itself -------------------------------------------------


@pytest.fixture
def torch64():
    torch = pytest.importorskip("torch")
    dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(dtype)


@pytest.mark.parametrize("kwargs", CONFIGS)
def test_matches_torch(torch64, kwargs):
    torch = torch64
    _, opt, history = run_library(kwargs)
    params = [torch.tensor(x.copy(), requires_grad=True) for x in X0]
    theirs = torch.optim.Adafactor(params, **kwargs)
    for t in range(1, STEPS + 1):
        for p, g in zip(params, gradients([p.detach().numpy() for p in params], t)):
            p.grad = torch.from_numpy(g)
        theirs.step()
        for i, (p, x) in enumerate(zip(params, history[t - 1])):
            np.testing.assert_allclose(x, p.detach().numpy(), rtol=0, atol=ATOL, err_msg=f"step {t}, {i}")
    mine, reference_state = opt.state_dict()["state"], theirs.state_dict()["state"]
    for i in mine:
        assert list(mine[i]) == list(reference_state[i])
        for key, value in mine[i].items():
            np.testing.assert_allclose(value, reference_state[i][key].numpy(), rtol=0, atol=ATOL, err_msg=key)


def test_a_torch_state_dict_loads_and_the_run_goes_on_as_torchs(torch64):
    torch = torch64
    kwargs = CONFIGS[1]
    params = [torch.tensor(x.copy(), requires_grad=True) for x in X0]
    theirs = torch.optim.Adafactor(params, **kwargs)

    def torch_step(t):
        for p, g in zip(params, gradients([p.detach().numpy() for p in params], t)):
            p.grad = torch.from_numpy(g)
        theirs.step()

    for t in range(1, 6):
        torch_step(t)
    ours = [tg.Tensor(p.detach().numpy().copy(), requires_grad=True) for p in params]
    opt = Adafactor(ours)
    opt.load_state_dict(theirs.state_dict())  # torch tensors in it, a 0-d float one for "step"
    assert opt.state[ours[0]]["step"] == 5
    for t in range(6, 11):
        torch_step(t)
        for p, g in zip(ours, gradients([p.data for p in ours], t)):
            p.grad = tg.Tensor(g)
        opt.step()
        for p, q in zip(ours, params):
            np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=0, atol=ATOL, err_msg=f"step {t}")


def test_signature_defaults_and_group_keys_match_torch():
    torch = pytest.importorskip("torch")

    def signature(fn):
        return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]

    assert signature(Adafactor) == signature(torch.optim.Adafactor)
    ours = Adafactor([tg.Tensor(np.zeros(2), requires_grad=True)], lr=0.5)
    theirs = torch.optim.Adafactor([torch.zeros(2, requires_grad=True)], lr=0.5)
    assert ours.defaults == theirs.defaults and list(ours.defaults) == list(theirs.defaults)
    assert ours.state_dict() == theirs.state_dict()
