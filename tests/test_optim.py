"""Tests for tinygrad_edu.optim: each optimizer against an independent NumPy
re-implementation of its published update equations, plus the base class
(param groups, validation, zero_grad, closures, state dicts).

The problem: two float64 parameters and a gradient that is computed in NumPy
from the current values and changes every step (a moving target under a
tanh-shaped force), assigned as ``p.grad``. No autograd is involved.
"""

from __future__ import annotations

import copy
import inspect
import math

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import optim

STEPS = 30
ATOL = 1e-9

RNG = np.random.default_rng(0)
X0 = [RNG.normal(size=(3, 4)), RNG.normal(size=(5,))]
SCALE_A = [RNG.uniform(0.5, 2.0, size=x.shape) for x in X0]
SCALE_B = [RNG.uniform(0.5, 1.5, size=x.shape) for x in X0]
PHASE = [RNG.uniform(0, 2 * np.pi, size=x.shape) for x in X0]


def gradients(xs, t):
    """Gradient at step t (1-based) of a time-varying, non-quadratic loss."""
    grads = []
    for x, a, b, phase in zip(xs, SCALE_A, SCALE_B, PHASE):
        target = 0.5 * np.sin(0.7 * t + phase)
        grads.append(b * np.tanh(a * (x - target)) + 0.2 * (x - target))
    return grads


def run_library(make_optimizer, steps=STEPS, x0=X0, t0=1):
    """Run an optimizer of the library; return its params and per-step history."""
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


def ref_sgd(steps, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False):
    xs = [x.copy() for x in X0]
    bufs = [None] * len(xs)
    history = []
    for t in range(1, steps + 1):
        new = []
        for i, (x, grad) in enumerate(zip(xs, gradients(xs, t))):
            g = (-grad if maximize else grad) + weight_decay * x
            if momentum != 0:
                bufs[i] = g.copy() if t == 1 else momentum * bufs[i] + (1 - dampening) * g
                d = g + momentum * bufs[i] if nesterov else bufs[i]
            else:
                d = g
            new.append(x - lr * d)
        xs = new
        history.append(xs)
    return history


def ref_adam(
    steps,
    lr=1e-3,
    betas=(0.9, 0.999),
    eps=1e-8,
    weight_decay=0,
    amsgrad=False,
    maximize=False,
    decoupled=False,
):
    b1, b2 = betas
    xs = [x.copy() for x in X0]
    m = [np.zeros_like(x) for x in xs]
    v = [np.zeros_like(x) for x in xs]
    vmax = [np.zeros_like(x) for x in xs]
    history = []
    for t in range(1, steps + 1):
        new = []
        for i, (x, grad) in enumerate(zip(xs, gradients(xs, t))):
            g = -grad if maximize else grad
            if decoupled:
                x = x * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * x
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g**2
            m_hat = m[i] / (1 - b1**t)
            if amsgrad:
                vmax[i] = np.maximum(vmax[i], v[i])
                v_hat = vmax[i] / (1 - b2**t)
            else:
                v_hat = v[i] / (1 - b2**t)
            new.append(x - lr * m_hat / (np.sqrt(v_hat) + eps))
        xs = new
        history.append(xs)
    return history


def ref_adamw(steps, weight_decay=1e-2, **kwargs):
    return ref_adam(steps, weight_decay=weight_decay, decoupled=True, **kwargs)


def ref_rmsprop(
    steps, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, maximize=False
):
    xs = [x.copy() for x in X0]
    sq = [np.zeros_like(x) for x in xs]
    mean = [np.zeros_like(x) for x in xs]
    buf = [np.zeros_like(x) for x in xs]
    history = []
    for t in range(1, steps + 1):
        new = []
        for i, (x, grad) in enumerate(zip(xs, gradients(xs, t))):
            g = (-grad if maximize else grad) + weight_decay * x
            sq[i] = alpha * sq[i] + (1 - alpha) * g**2
            if centered:
                mean[i] = alpha * mean[i] + (1 - alpha) * g
                denom = np.sqrt(sq[i] - mean[i] ** 2) + eps
            else:
                denom = np.sqrt(sq[i]) + eps
            if momentum > 0:
                buf[i] = momentum * buf[i] + g / denom
                new.append(x - lr * buf[i])
            else:
                new.append(x - lr * g / denom)
        xs = new
        history.append(xs)
    return history


def ref_adagrad(
    steps,
    lr=1e-2,
    lr_decay=0,
    weight_decay=0,
    initial_accumulator_value=0,
    eps=1e-10,
    maximize=False,
):
    xs = [x.copy() for x in X0]
    total = [np.full_like(x, initial_accumulator_value) for x in xs]
    history = []
    for t in range(1, steps + 1):
        new = []
        for i, (x, grad) in enumerate(zip(xs, gradients(xs, t))):
            g = (-grad if maximize else grad) + weight_decay * x
            step_lr = lr / (1 + (t - 1) * lr_decay)
            total[i] = total[i] + g * g
            new.append(x - step_lr * g / (np.sqrt(total[i]) + eps))
        xs = new
        history.append(xs)
    return history


CASES = {
    "SGD": (optim.SGD, ref_sgd, [
        {"lr": 0.05},
        {"lr": 0.05, "momentum": 0.9},
        {"lr": 0.05, "momentum": 0.9, "dampening": 0.5},
        {"lr": 0.05, "momentum": 0.9, "nesterov": True},
        {"lr": 0.05, "weight_decay": 0.1},
        {"lr": 0.05, "maximize": True},
        {"lr": 0.05, "momentum": 0.5, "dampening": 0.3, "weight_decay": 0.1, "maximize": True},
        {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.2, "maximize": True},
    ]),
    "Adam": (optim.Adam, ref_adam, [
        {"lr": 0.05},
        {"lr": 0.05, "amsgrad": True},
        {"lr": 0.05, "weight_decay": 0.1},
        {"lr": 0.05, "maximize": True},
        {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-2},
        {"lr": 0.05, "amsgrad": True, "weight_decay": 0.3, "maximize": True},
    ]),
    "AdamW": (optim.AdamW, ref_adamw, [
        {"lr": 0.05},
        {"lr": 0.05, "weight_decay": 0.5},
        {"lr": 0.05, "weight_decay": 0, "amsgrad": True},
        {"lr": 0.05, "maximize": True},
        {"lr": 0.05, "amsgrad": True, "weight_decay": 0.3, "maximize": True, "eps": 1e-3},
    ]),
    "RMSprop": (optim.RMSprop, ref_rmsprop, [
        {},
        {"centered": True},
        {"momentum": 0.9},
        {"momentum": 0.9, "centered": True},
        {"weight_decay": 0.1},
        {"maximize": True},
        {"alpha": 0.9, "eps": 1e-3, "lr": 0.03},
        {"momentum": 0.5, "centered": True, "weight_decay": 0.2, "maximize": True},
    ]),
    "Adagrad": (optim.Adagrad, ref_adagrad, [
        {"lr": 0.1},
        {"lr": 0.1, "lr_decay": 0.1},
        {"lr": 0.1, "weight_decay": 0.1},
        {"lr": 0.1, "initial_accumulator_value": 0.5},
        {"lr": 0.1, "eps": 1e-2},
        {"lr": 0.1, "maximize": True},
        {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.2, "initial_accumulator_value": 0.1,
         "maximize": True},
    ]),
}  # fmt: skip

PARAMS = [
    pytest.param(name, kwargs, id=f"{name}-{'-'.join(f'{k}={v}' for k, v in kwargs.items())}")
    for name, (_, _, configs) in CASES.items()
    for kwargs in configs
]


@pytest.mark.parametrize("name, kwargs", PARAMS)
def test_matches_reference_equations(name, kwargs):
    cls, reference, _ = CASES[name]
    params, _, history = run_library(lambda ps: cls(ps, **kwargs))
    expected = reference(STEPS, **kwargs)
    for t, (got, want) in enumerate(zip(history, expected), start=1):
        for i, (a, b) in enumerate(zip(got, want)):
            assert np.all(np.isfinite(b))
            np.testing.assert_allclose(a, b, rtol=0, atol=ATOL, err_msg=f"step {t}, param {i}")
    assert all(p.dtype == np.float64 for p in params)


@pytest.mark.parametrize("name, kwargs", PARAMS)
def test_each_flag_changes_the_trajectory(name, kwargs):
    # Guards the test above: every configuration must exercise a different path.
    _, reference, configs = CASES[name]
    final = reference(STEPS, **kwargs)[-1]
    for other in configs:
        if other is not kwargs:
            assert any(np.abs(a - b).max() > 1e-6 for a, b in zip(final, reference(STEPS, **other)[-1]))
    assert max(np.abs(a - x).max() for a, x in zip(final, X0)) > 1e-2  # the params moved


@pytest.mark.parametrize("name", list(CASES))
def test_step_leaves_gradients_unchanged_and_bumps_version(name):
    cls, _, configs = CASES[name]
    p = tg.Tensor(X0[0].copy(), requires_grad=True)
    grad = gradients([p.data], 1)[0]
    p.grad = tg.Tensor(grad.copy())
    version = p._version
    cls([p], **configs[-1]).step()  # the configuration with the most flags
    np.testing.assert_array_equal(p.grad.data, grad)
    assert p._version > version
    assert not np.array_equal(p.data, X0[0])


@pytest.mark.parametrize("name", list(CASES))
def test_parameters_without_grad_are_skipped(name):
    cls, _, configs = CASES[name]
    a = tg.Tensor(X0[0].copy(), requires_grad=True)
    b = tg.Tensor(X0[1].copy(), requires_grad=True)
    opt = cls([a, b], **configs[-1])
    before = copy.deepcopy(opt.state.get(b))  # None, except for Adagrad
    a.grad = tg.Tensor(np.ones_like(X0[0]))
    opt.step()
    np.testing.assert_array_equal(b.data, X0[1])
    assert b._version == 0 and b.grad is None
    after = opt.state.get(b)  # no state created or advanced:
    assert (before is None and after is None) or (before["step"] == after["step"] == 0)
    assert not np.array_equal(a.data, X0[0])


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


# --- Validation ---------------------------------------------------------------

INVALID = [
    (optim.SGD, {"lr": -1}, "Invalid learning rate: -1"),
    (optim.SGD, {"momentum": -0.5}, "Invalid momentum value: -0.5"),
    (optim.SGD, {"weight_decay": -1e-3}, "Invalid weight_decay value: -0.001"),
    (optim.SGD, {"nesterov": True}, "Nesterov momentum requires a momentum and zero dampening"),
    (optim.SGD, {"nesterov": True, "momentum": 0.9, "dampening": 0.1},
     "Nesterov momentum requires a momentum and zero dampening"),
    (optim.Adam, {"lr": -0.1}, "Invalid learning rate: -0.1"),
    (optim.Adam, {"eps": -1e-8}, "Invalid epsilon value: -1e-08"),
    (optim.Adam, {"betas": (1.0, 0.999)}, "Invalid beta parameter at index 0: 1.0"),
    (optim.Adam, {"betas": (-0.1, 0.999)}, "Invalid beta parameter at index 0: -0.1"),
    (optim.Adam, {"betas": (0.9, 1.5)}, "Invalid beta parameter at index 1: 1.5"),
    (optim.Adam, {"weight_decay": -1}, "Invalid weight_decay value: -1"),
    (optim.AdamW, {"lr": -1}, "Invalid learning rate: -1"),
    (optim.AdamW, {"betas": (0.9, 1.0)}, "Invalid beta parameter at index 1: 1.0"),
    (optim.AdamW, {"weight_decay": -0.01}, "Invalid weight_decay value: -0.01"),
    (optim.RMSprop, {"lr": -1}, "Invalid learning rate: -1"),
    (optim.RMSprop, {"eps": -1}, "Invalid epsilon value: -1"),
    (optim.RMSprop, {"momentum": -1}, "Invalid momentum value: -1"),
    (optim.RMSprop, {"weight_decay": -1}, "Invalid weight_decay value: -1"),
    (optim.RMSprop, {"alpha": -0.5}, "Invalid alpha value: -0.5"),
    (optim.Adagrad, {"lr": -1}, "Invalid learning rate: -1"),
    (optim.Adagrad, {"lr_decay": -1}, "Invalid lr_decay value: -1"),
    (optim.Adagrad, {"weight_decay": -1}, "Invalid weight_decay value: -1"),
    (optim.Adagrad, {"initial_accumulator_value": -1},
     "Invalid initial_accumulator_value value: -1"),
    (optim.Adagrad, {"eps": -1}, "Invalid epsilon value: -1"),
]  # fmt: skip


@pytest.mark.parametrize("cls, kwargs, message", INVALID)
def test_invalid_hyperparameters_raise_eagerly(cls, kwargs, message):
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(ValueError) as info:
        cls([p], **kwargs)
    assert str(info.value) == message


def test_defaults_match_pytorch():
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    # PyTorch's keys in PyTorch's order (its state dicts show the order), implementation switches included
    expect = {
        optim.SGD: {"lr": 1e-3, "momentum": 0, "dampening": 0, "weight_decay": 0,
                    "nesterov": False, "maximize": False, "foreach": None,
                    "differentiable": False, "fused": None},
        optim.Adam: {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0,
                     "amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                     "differentiable": False, "fused": None, "decoupled_weight_decay": False},
        optim.AdamW: {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2,
                      "amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                      "differentiable": False, "fused": None, "decoupled_weight_decay": True},
        optim.RMSprop: {"lr": 1e-2, "momentum": 0, "alpha": 0.99, "eps": 1e-8, "centered": False,
                        "weight_decay": 0, "capturable": False, "foreach": None, "maximize": False,
                        "differentiable": False},
        optim.Adagrad: {"lr": 1e-2, "lr_decay": 0, "eps": 1e-10, "weight_decay": 0,
                        "initial_accumulator_value": 0, "foreach": None, "maximize": False,
                        "differentiable": False, "fused": None},
    }  # fmt: skip
    for cls, defaults in expect.items():
        opt = cls([p])
        group = opt.param_groups[0]
        assert opt.defaults == defaults and list(opt.defaults) == list(defaults), cls.__name__
        assert list(group) == ["params", *defaults] and {k: group[k] for k in defaults} == defaults
        assert len(group["params"]) == 1 and group["params"][0] is p
    assert optim.AdamW([p]).param_groups[0]["decoupled_weight_decay"] is True
    assert optim.Adam([p]).param_groups[0]["decoupled_weight_decay"] is False


# Each optimizer's implementation switches, as PyTorch's signature has them.
SWITCHES = {
    optim.SGD: ("foreach", "differentiable", "fused"),
    optim.Adam: ("foreach", "capturable", "differentiable", "fused"),
    optim.AdamW: ("foreach", "capturable", "differentiable", "fused"),
    optim.RMSprop: ("capturable", "foreach", "differentiable"),
    optim.Adagrad: ("foreach", "differentiable", "fused"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_foreach_and_fused_are_accepted_and_change_nothing(name):
    cls, _, cases = CASES[name]
    kwargs = cases[-1]  # the case with the most flags set
    _, _, want = run_library(lambda ps: cls(ps, **kwargs), steps=5)
    choices = [{"foreach": True}, {"foreach": False}]
    if "fused" in SWITCHES[cls]:
        choices += [{"fused": True}, {"fused": False, "foreach": True}]
    for choice in choices:
        _, opt, got = run_library(lambda ps: cls(ps, **kwargs, **choice), steps=5)
        assert {k: opt.param_groups[0][k] for k in choice} == choice
        for a, b in zip(got[-1], want[-1]):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("corrupt", ["grad", "param", "grad dtype"])
def test_a_step_that_cannot_update_every_parameter_updates_none(name, corrupt):
    cls, _, cases = CASES[name]
    a, b = tg.nn.Parameter(tg.ones(3)), tg.nn.Parameter(tg.ones(2))
    opt = cls([a, b], **cases[-1])
    a.grad, b.grad = tg.full((3,), 0.5), tg.full((2,), 0.5)
    opt.step()  # so that every optimizer has state to keep
    params, state = [a.data.copy(), b.data.copy()], copy.deepcopy(opt.state_dict())
    if corrupt == "grad":
        b.grad.data = np.ones(5, np.float32)  # behind the grad setter, which would refuse it
    elif corrupt == "param":
        b.data = np.ones(4, np.float32)
        params[1] = b.data.copy()
    else:
        b.grad.data = np.ones(2, np.int64)
    with pytest.raises(
        RuntimeError, match=rf"{name}.step\(\): parameter 1 of group 0 .* nothing was updated"
    ):
        opt.step()
    assert [a.data.tolist(), b.data.tolist()] == [p.tolist() for p in params]
    after = opt.state_dict()
    assert after["param_groups"] == state["param_groups"]
    for key, values in state["state"].items():
        for field, value in values.items():
            np.testing.assert_array_equal(after["state"][key][field], value, err_msg=f"{key} {field}")


@pytest.mark.parametrize("cls", list(SWITCHES), ids=lambda c: c.__name__)
def test_switches_that_cannot_be_honoured_raise(cls):
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(RuntimeError, match="differentiable=True is not supported: .*outside autograd"):
        cls([p], differentiable=True)
    if "capturable" in SWITCHES[cls]:
        with pytest.raises(AssertionError, match="capturable=True is not supported: .*CPU"):
            cls([p], capturable=True)
    else:  # as in PyTorch, an optimizer without the switch does not take it
        with pytest.raises(TypeError, match="capturable"):
            cls([p], capturable=False)
    if "fused" in SWITCHES[cls]:  # PyTorch's own checks and messages
        with pytest.raises(RuntimeError, match="^`fused` and `foreach` cannot be `True` together.$"):
            cls([p], fused=True, foreach=True)
        with pytest.raises(RuntimeError, match="^`fused` does not support `differentiable`$"):
            cls([p], fused=True, differentiable=True)
    else:
        with pytest.raises(TypeError, match="fused"):
            cls([p], fused=None)
    # a group may not ask for them either, nor a loaded state dict; nothing changes then
    opt = cls([p])
    other = tg.Tensor(np.zeros(3), requires_grad=True)
    with pytest.raises(RuntimeError, match="differentiable"):
        opt.add_param_group({"params": [other], "differentiable": True})
    saved = opt.state_dict()
    saved["param_groups"][0]["differentiable"] = True
    with pytest.raises(RuntimeError, match="differentiable"):
        opt.load_state_dict(saved)
    assert len(opt.param_groups) == 1 and opt.param_groups[0]["differentiable"] is False


def test_defaults_and_group_keys_match_torch():
    torch = pytest.importorskip("torch")
    for cls in SWITCHES:
        ours = cls([tg.Tensor(np.zeros(2), requires_grad=True)])
        theirs = getattr(torch.optim, cls.__name__)([torch.zeros(2, requires_grad=True)])
        assert ours.defaults == theirs.defaults and list(ours.defaults) == list(theirs.defaults)
        assert list(ours.param_groups[0]) == list(theirs.param_groups[0]), cls.__name__
        # the whole signature: names, order, keyword-only markers and defaults
        signature = [(p.name, p.kind, p.default) for p in inspect.signature(cls).parameters.values()]
        reference = getattr(torch.optim, cls.__name__)
        assert signature == [
            (p.name, p.kind, p.default) for p in inspect.signature(reference).parameters.values()
        ]


def test_params_errors():
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(TypeError, match="iterable of Tensors or dicts"):
        optim.SGD(p, lr=0.1)
    with pytest.raises(ValueError, match="^optimizer got an empty parameter list$"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="^optimizer got an empty parameter list$"):
        optim.Adam(iter([]))
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors"):
        optim.SGD([p, np.zeros(2)], lr=0.1)
    with pytest.raises(TypeError, match="ordered collections"):
        optim.SGD([{"params": {p}}], lr=0.1)


def test_non_leaf_tensor_is_refused():
    p = tg.Tensor(np.ones(2), requires_grad=True)
    non_leaf = p * 2.0
    assert non_leaf.grad_fn is not None
    with pytest.raises(ValueError, match="^can't optimize a non-leaf Tensor$"):
        optim.Adam([non_leaf])
    # As in PyTorch, a leaf that does not require grad is accepted (and never updated).
    frozen = tg.Tensor(np.ones(2))
    opt = optim.SGD([frozen], lr=0.1)
    opt.step()
    np.testing.assert_array_equal(frozen.data, np.ones(2))


# --- Param groups -----------------------------------------------------------------


def test_param_groups_from_dicts_override_defaults():
    a = tg.Tensor(X0[0].copy(), requires_grad=True)
    b = tg.Tensor(X0[1].copy(), requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5, "foo": 1}], lr=0.1, momentum=0.9)
    g0, g1 = opt.param_groups
    assert g0["lr"] == 0.1 and g1["lr"] == 0.5 and g1["momentum"] == 0.9 and g1["foo"] == 1
    assert g1["params"][0] is b
    a.grad = tg.Tensor(np.ones_like(X0[0]))
    b.grad = tg.Tensor(np.ones_like(X0[1]))
    opt.step()
    np.testing.assert_allclose(a.data, X0[0] - 0.1, rtol=0, atol=1e-15)
    np.testing.assert_allclose(b.data, X0[1] - 0.5, rtol=0, atol=1e-15)


def test_add_param_group_with_its_own_lr_matches_reference():
    a = tg.Tensor(X0[0].copy(), requires_grad=True)
    b = tg.Tensor(X0[1].copy(), requires_grad=True)
    opt = optim.Adam([a], lr=0.05, amsgrad=True)
    opt.add_param_group({"params": [b], "lr": 0.01, "betas": (0.8, 0.99)})
    assert len(opt.param_groups) == 2
    assert opt.param_groups[1]["amsgrad"] is True and opt.param_groups[1]["eps"] == 1e-8
    for t in range(1, STEPS + 1):
        ga, gb = gradients([a.data, b.data], t)
        a.grad, b.grad = tg.Tensor(ga), tg.Tensor(gb)
        opt.step()
    want_a = ref_adam(STEPS, lr=0.05, amsgrad=True)[-1][0]
    want_b = ref_adam(STEPS, lr=0.01, betas=(0.8, 0.99), amsgrad=True)[-1][1]
    np.testing.assert_allclose(a.data, want_a, rtol=0, atol=ATOL)
    np.testing.assert_allclose(b.data, want_b, rtol=0, atol=ATOL)


def _adam_alone(x, grads, lr, b1=0.9, b2=0.999, eps=1e-8):
    """Adam on one array from its own first gradient (its own step count), amsgrad on."""
    m, v, v_max = np.zeros_like(x), np.zeros_like(x), np.zeros_like(x)
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_max = np.maximum(v_max, v)
        x = x - lr * (m / (1 - b1**t)) / (np.sqrt(v_max / (1 - b2**t)) + eps)
    return x


def test_adam_parameters_of_other_dtypes_and_step_counts_each_follow_their_equations():
    # Adam updates the parameters of a group together, as one flat array; one of
    # another dtype, or one that joined later (its own step count), goes in another.
    a = tg.Tensor(X0[0].copy(), requires_grad=True)
    b = tg.Tensor(X0[0].astype(np.float32), requires_grad=True)
    c = tg.Tensor(X0[1].copy(), requires_grad=True)  # gets gradients from step 4 on
    opt = optim.Adam([a, b, c], lr=0.05, amsgrad=True)
    seen = {"a": [], "b": [], "c": []}
    for t in range(1, STEPS + 1):
        ga, gc = gradients([a.data, c.data], t)
        gb = gradients([b.data.astype(np.float64)], t)[0].astype(np.float32)
        a.grad, b.grad, c.grad = tg.Tensor(ga), tg.Tensor(gb), (tg.Tensor(gc) if t >= 4 else None)
        seen["a"].append(ga), seen["b"].append(gb), seen["c"].extend([gc] if t >= 4 else [])
        opt.step()
    np.testing.assert_allclose(a.data, _adam_alone(X0[0], seen["a"], 0.05), rtol=0, atol=ATOL)
    np.testing.assert_allclose(c.data, _adam_alone(X0[1], seen["c"], 0.05), rtol=0, atol=ATOL)
    want_b = _adam_alone(X0[0].astype(np.float32), seen["b"], 0.05)
    np.testing.assert_allclose(b.data, want_b, rtol=0, atol=1e-5)
    assert b.data.dtype == opt.state[b]["exp_avg"].dtype == np.float32
    assert [opt.state[p]["step"] for p in (a, b, c)] == [STEPS, STEPS, STEPS - 3]
    assert opt.state[c]["max_exp_avg_sq"].shape == c.shape


def test_adam_state_loaded_into_the_same_optimizer_replaces_its_moments():
    params, opt, _ = run_library(lambda ps: optim.Adam(ps, lr=0.05), steps=5)
    saved = copy.deepcopy(opt.state_dict())
    after_five = [p.data.copy() for p in params]
    for _ in range(5):  # move on, then go back to the saved state
        for p, g in zip(params, gradients([p.data for p in params], 6)):
            p.grad = tg.Tensor(g)
        opt.step()
    for p, x in zip(params, after_five):
        p.data[...] = x
    opt.load_state_dict(saved)
    for p, g in zip(params, gradients([p.data for p in params], 6)):
        p.grad = tg.Tensor(g)
    opt.step()  # step 6, from the state after step 5
    _, _, full = run_library(lambda ps: optim.Adam(ps, lr=0.05), steps=6)
    for p, want in zip(params, full[-1]):
        np.testing.assert_array_equal(p.data, want)


def test_add_param_group_errors_leave_optimizer_unchanged():
    a = tg.Tensor(np.zeros(2), requires_grad=True)
    b = tg.Tensor(np.zeros(3), requires_grad=True)
    opt = optim.SGD([a], lr=0.1)
    group = {"params": [b, a], "lr": 0.2}
    with pytest.raises(ValueError, match="^some parameters appear in more than one parameter group$"):
        opt.add_param_group(group)
    assert len(opt.param_groups) == 1 and group == {"params": [b, a], "lr": 0.2}
    with pytest.raises(TypeError, match="param_group must be a dict"):
        opt.add_param_group([b])
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [a]}, {"params": [a]}])
    with pytest.warns(UserWarning, match="duplicate parameters"):
        optim.SGD([b, b])


def test_named_parameters_are_optimized_and_their_names_kept():
    model = tg.nn.Linear(3, 2)
    opt = optim.SGD(model.named_parameters(), lr=0.1)
    group = opt.param_groups[0]
    assert group["params"][0] is model.weight and group["params"][1] is model.bias
    assert group["param_names"] == ["weight", "bias"]
    assert list(group)[:2] == ["params", "param_names"]  # PyTorch's place for the names
    model.weight.grad, model.bias.grad = tg.ones(2, 3), tg.ones(2)
    before = model.bias.data.copy()
    opt.step()
    np.testing.assert_allclose(model.bias.data, before - 0.1, rtol=0, atol=1e-7)
    assert "param_names: ['weight', 'bias']" in repr(opt)
    # pairs in param groups too; every group must then have names
    a, b = tg.Tensor(np.zeros(2), requires_grad=True), tg.Tensor(np.zeros(3), requires_grad=True)
    opt = optim.Adam([{"params": [("a", a)], "lr": 0.5}, {"params": [("b", b)]}])
    assert [g["param_names"] for g in opt.param_groups] == [["a"], ["b"]]
    assert list(opt.param_groups[0])[:3] == ["params", "lr", "param_names"]
    c = tg.Tensor(np.zeros(1), requires_grad=True)
    group = {"params": [c]}
    with pytest.raises(
        ValueError,
        match="^all optimizer param groups should be with/without names. "
        "cannot add param group without names to the optimizer$",
    ):
        opt.add_param_group(group)
    assert len(opt.param_groups) == 2 and group == {"params": [c]}
    with pytest.raises(ValueError, match="cannot add param group with names to the optimizer$"):
        optim.SGD([a]).add_param_group({"params": [("c", c)]})
    with pytest.raises(
        ValueError, match="^all optimizer params should be with/without names. Some param names are missing$"
    ):
        optim.SGD([("a", a), b])
    with pytest.raises(TypeError, match="optimizer can only optimize Tensors"):
        optim.SGD([("a", np.zeros(2))])


def test_named_state_dict_round_trip():
    def named(cls, **kwargs):
        return lambda ps: cls([(f"p{i}", p) for i, p in enumerate(ps)], **kwargs)

    _, _, full = run_library(named(optim.Adam, lr=0.05), steps=20)
    params, opt, _ = run_library(named(optim.Adam, lr=0.05), steps=10)
    saved = opt.state_dict()
    assert saved["param_groups"][0]["param_names"] == ["p0", "p1"]
    assert list(saved["param_groups"][0])[0] == "param_names" and sorted(saved["state"]) == [0, 1]
    saved = copy.deepcopy(saved)
    fresh = [p.data.copy() for p in params]
    _, resumed, rest = run_library(
        lambda ps: _loaded(named(optim.Adam)(ps), saved), steps=10, x0=fresh, t0=11
    )
    for a, b in zip(rest[-1], full[-1]):
        np.testing.assert_array_equal(a, b)
    assert resumed.param_groups[0]["param_names"] == ["p0", "p1"]
    # parameters are matched by position: saved names replace the group's, and a
    # group keeps its own names where the state dict has none
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    unnamed = optim.SGD([p])
    unnamed.load_state_dict(optim.SGD([("w", p)]).state_dict())
    assert unnamed.param_groups[0]["param_names"] == ["w"]
    kept = optim.SGD([("w", p)])
    kept.load_state_dict(optim.SGD([p], lr=0.5).state_dict())
    assert kept.param_groups[0]["param_names"] == ["w"] and kept.param_groups[0]["lr"] == 0.5
    renamed = optim.SGD([("w", p)])
    renamed.load_state_dict(optim.SGD([("v", p)]).state_dict())
    assert renamed.param_groups[0]["param_names"] == ["v"]


def test_named_state_dict_matches_torch():
    torch = pytest.importorskip("torch")
    model, reference = tg.nn.Linear(3, 2), torch.nn.Linear(3, 2)
    for cls in SWITCHES:
        ours = cls([{"params": [("weight", model.weight)], "lr": 0.5}, {"params": [("bias", model.bias)]}])
        theirs = getattr(torch.optim, cls.__name__)(
            [{"params": [("weight", reference.weight)], "lr": 0.5}, {"params": [("bias", reference.bias)]}]
        )
        for group, ref in zip(ours.state_dict()["param_groups"], theirs.state_dict()["param_groups"]):
            assert group == ref and list(group) == list(ref), cls.__name__
        assert [list(g) for g in ours.param_groups] == [list(g) for g in theirs.param_groups]


def test_changing_group_lr_between_steps_takes_effect():
    p = tg.Tensor(np.zeros(3), requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    p.grad = tg.Tensor(np.ones(3))
    opt.step()
    opt.param_groups[0]["lr"] = 0.01
    opt.step()
    np.testing.assert_allclose(p.data, -0.11, rtol=0, atol=1e-15)


# --- zero_grad and closures ---------------------------------------------------------


def test_zero_grad_sets_to_none_by_default():
    a = tg.Tensor(np.ones(2), requires_grad=True)
    b = tg.Tensor(np.ones(3), requires_grad=True)
    opt = optim.SGD([a, b], lr=0.1)
    a.grad = tg.Tensor(np.ones(2))
    opt.zero_grad()
    assert a.grad is None and b.grad is None


def test_zero_grad_in_place_keeps_the_gradient_arrays():
    a = tg.Tensor(np.ones(2), requires_grad=True)
    b = tg.Tensor(np.ones(3), requires_grad=True)
    opt = optim.SGD([a, b], lr=0.1)
    grad = tg.Tensor(np.array([3.0, -4.0]))
    array = grad.data
    a.grad = grad
    opt.zero_grad(set_to_none=False)
    assert a.grad is grad and a.grad.data is array
    np.testing.assert_array_equal(array, [0.0, 0.0])
    assert b.grad is None


def test_step_with_closure_returns_loss_and_runs_with_grad_enabled():
    p = tg.Tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    calls = []

    def closure():
        calls.append(tg.is_grad_enabled())
        p.grad = tg.Tensor(2 * p.data)  # gradient of sum(p^2)
        return float(np.sum(p.data**2))

    with tg.no_grad():
        loss = opt.step(closure)
    assert loss == 5.0 and calls == [True]
    np.testing.assert_allclose(p.data, [0.8, -1.6], rtol=0, atol=1e-15)
    assert opt.step() is None


# --- state_dict ---------------------------------------------------------------------

ROUND_TRIP = [
    (optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    (optim.SGD, {"lr": 0.05, "momentum": 0.5, "dampening": 0.2, "weight_decay": 0.1}),
    (optim.Adam, {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1}),
    (optim.AdamW, {"lr": 0.05, "betas": (0.8, 0.95)}),
    (optim.RMSprop, {"lr": 0.01, "momentum": 0.9, "centered": True}),
    (optim.Adagrad, {"lr": 0.1, "lr_decay": 0.1, "initial_accumulator_value": 0.2}),
]


@pytest.mark.parametrize("cls, kwargs", ROUND_TRIP, ids=lambda v: getattr(v, "__name__", ""))
def test_state_dict_round_trip_continues_identically(cls, kwargs):
    _, _, full = run_library(lambda ps: cls(ps, **kwargs), steps=20)
    params, opt, _ = run_library(lambda ps: cls(ps, **kwargs), steps=10)
    saved = copy.deepcopy(opt.state_dict())
    fresh = [p.data.copy() for p in params]
    # A fresh optimizer built with other hyperparameters: loading restores them.
    other = {**kwargs, "lr": 0.123}
    _, _, rest = run_library(lambda ps: _loaded(cls(ps, **other), saved), steps=10, x0=fresh, t0=11)
    for a, b in zip(rest[-1], full[-1]):
        np.testing.assert_array_equal(a, b)


def _loaded(opt, state_dict):
    opt.load_state_dict(state_dict)
    return opt


def test_state_dict_layout():
    a = tg.Tensor(X0[0].copy(), requires_grad=True)
    b = tg.Tensor(X0[1].copy(), requires_grad=True)
    c = tg.Tensor(np.zeros(2), requires_grad=True)
    opt = optim.Adam([{"params": [a, b]}, {"params": [c], "lr": 0.5}], amsgrad=True)
    a.grad, b.grad = tg.Tensor(np.ones_like(X0[0])), tg.Tensor(np.ones_like(X0[1]))
    opt.step()
    opt.step()
    sd = opt.state_dict()
    assert set(sd) == {"state", "param_groups"}
    assert sorted(sd["state"]) == [0, 1]  # c has no grad, so no state
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2]]
    assert sd["param_groups"][1]["lr"] == 0.5 and sd["param_groups"][0]["betas"] == (0.9, 0.999)
    s0 = sd["state"][0]
    assert set(s0) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert s0["step"] == 2 and isinstance(s0["step"], int)
    assert isinstance(s0["exp_avg"], np.ndarray) and s0["exp_avg"].shape == (3, 4)
    # As in PyTorch, the state is the optimizer's own (later steps change it; a deepcopy
    # is a snapshot), and each group's hyperparameters are copied into a dict of their own
    snapshot = copy.deepcopy(sd)
    opt.step()
    opt.param_groups[0]["lr"] = 9.0
    assert s0 is opt.state[a] and s0["step"] == 3 and snapshot["state"][0]["step"] == 2
    assert not np.array_equal(s0["exp_avg"], snapshot["state"][0]["exp_avg"])
    assert sd["param_groups"][0]["lr"] == 1e-3


def test_adagrad_state_exists_before_the_first_step():
    p = tg.Tensor(np.zeros((2, 2)), requires_grad=True)
    sd = optim.Adagrad([p], initial_accumulator_value=0.3).state_dict()
    assert sd["state"][0]["step"] == 0
    np.testing.assert_array_equal(sd["state"][0]["sum"], np.full((2, 2), 0.3))


def test_load_state_dict_copies_and_casts():
    params, opt, _ = run_library(lambda ps: optim.Adam(ps, lr=0.05), steps=3)
    sd = opt.state_dict()
    p32 = [tg.Tensor(p.data.astype(np.float32), requires_grad=True) for p in params]
    opt32 = optim.Adam(p32)
    opt32.load_state_dict(sd)
    assert opt32.param_groups[0]["lr"] == 0.05 and opt32.param_groups[0]["params"][0] is p32[0]
    m = opt32.state[p32[0]]["exp_avg"]
    assert m.dtype == np.float32
    np.testing.assert_allclose(m, sd["state"][0]["exp_avg"], rtol=1e-6)
    sd["state"][0]["exp_avg"][...] = 7.0  # the optimizer does not share the dict's arrays
    sd["param_groups"][0]["lr"] = 3.0
    assert not np.any(m == 7.0) and opt32.param_groups[0]["lr"] == 0.05


def test_load_state_dict_errors_change_nothing():
    a = tg.Tensor(np.zeros(2), requires_grad=True)
    b = tg.Tensor(np.zeros(3), requires_grad=True)
    opt = optim.SGD([a, b], lr=0.1, momentum=0.9)
    a.grad, b.grad = tg.Tensor(np.ones(2)), tg.Tensor(np.ones(3))
    opt.step()
    before = copy.deepcopy(opt.state_dict())
    two_groups = optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.2).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict(two_groups)
    small = optim.SGD([a], lr=0.2).state_dict()
    with pytest.raises(ValueError, match="doesn't match the size of optimizer's group"):
        opt.load_state_dict(small)
    wrong_shape = copy.deepcopy(before)
    wrong_shape["param_groups"][0]["lr"] = 5.0
    wrong_shape["state"][1]["momentum_buffer"] = np.zeros(4)
    with pytest.raises(ValueError, match="shape"):
        opt.load_state_dict(wrong_shape)
    after = opt.state_dict()
    assert after["param_groups"] == before["param_groups"]
    for i in (0, 1):
        np.testing.assert_array_equal(after["state"][i]["momentum_buffer"],
                                      before["state"][i]["momentum_buffer"])  # fmt: skip


def test_repr_lists_groups():
    p = tg.Tensor(np.zeros(2), requires_grad=True)
    text = repr(optim.SGD([p], lr=0.1, momentum=0.9))
    assert text.startswith("SGD (\nParameter Group 0\n") and "    momentum: 0.9\n" in text


# --- With the autograd engine ------------------------------------------------------


@pytest.mark.parametrize(
    "cls, kwargs",
    [
        (optim.SGD, {"lr": 0.1, "momentum": 0.9}),
        (optim.Adam, {"lr": 0.1}),
        (optim.AdamW, {"lr": 0.1, "weight_decay": 1e-4}),
        (optim.RMSprop, {"lr": 0.01}),
        (optim.Adagrad, {"lr": 0.5}),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_fits_a_linear_model_with_backward_and_closure(cls, kwargs):
    rng = np.random.default_rng(1)
    x = tg.Tensor(rng.normal(size=(50, 3)))
    y = tg.Tensor(x.data @ np.array([1.5, -2.0, 0.5]))
    w = tg.Tensor(np.zeros(3), requires_grad=True)
    opt = cls([w], **kwargs)

    def closure():
        opt.zero_grad()
        loss = ((x @ w - y) ** 2).mean()
        loss.backward()
        return loss

    first = opt.step(closure).item()
    for _ in range(200):
        last = opt.step(closure).item()
    assert last < 1e-2 * first


def test_step_invalidates_graphs_that_saved_the_old_values():
    w = tg.Tensor(np.ones(3), requires_grad=True)
    loss = (w * w).sum()
    w.grad = tg.Tensor(np.ones(3))
    optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="inplace"):
        loss.backward()


# --- Optional: against PyTorch itself -------------------------------------------------


@pytest.mark.parametrize("name, kwargs", PARAMS)
def test_matches_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    cls = CASES[name][0]
    _, _, history = run_library(lambda ps: cls(ps, **kwargs))
    params = [torch.tensor(x.copy(), dtype=torch.float64, requires_grad=True) for x in X0]
    opt = getattr(torch.optim, name)(params, **kwargs)
    for t in range(1, STEPS + 1):
        grads = gradients([p.detach().numpy() for p in params], t)
        for p, g in zip(params, grads):
            p.grad = torch.from_numpy(g.copy())
        opt.step()
        for p, ours in zip(params, history[t - 1]):
            np.testing.assert_allclose(ours, p.detach().numpy(), rtol=0, atol=ATOL)
    assert math.isfinite(float(params[0].detach().sum()))


def test_adagrad_starts_every_accumulator_from_the_constructors_value_as_torch():
    # PyTorch ignores a group's own initial_accumulator_value; the updates here equal PyTorch's
    a, b, c = (tg.nn.Parameter(tg.ones(1, dtype=tg.float64)) for _ in range(3))
    opt = optim.Adagrad(
        [{"params": [a]}, {"params": [b], "initial_accumulator_value": 3.0}],
        lr=0.1,
        initial_accumulator_value=1.0,
    )
    opt.add_param_group({"params": [c], "initial_accumulator_value": 5.0})
    for p in (a, b, c):
        p.grad = tg.ones(1, dtype=tg.float64)
    opt.step()
    want = 1.0 - 0.1 / (math.sqrt(2.0) + 1e-10)  # sum = 1 + g^2 = 2 for all three
    assert [p.item() for p in (a, b, c)] == pytest.approx([want] * 3, rel=1e-15)
    assert [g["initial_accumulator_value"] for g in opt.param_groups] == [1.0, 3.0, 5.0]
