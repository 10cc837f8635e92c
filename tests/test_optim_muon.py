"""Tests for Muon: its orthogonalization checked through the SVD, its update by hand, errors, PyTorch."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import nn, optim
from tinygrad_edu.optim.muon import DEFAULT_NS_COEFFICIENTS, orthogonalized

RNG = np.random.default_rng(11)


def by_singular_values(d: np.ndarray, coefficients=DEFAULT_NS_COEFFICIENTS, steps: int = 5) -> np.ndarray:
    """Newton-Schulz another way: the quintic on the singular values of d / ||d||_F, then U p(S) V^T."""
    a, b, c = coefficients
    u, s, vt = np.linalg.svd(d, full_matrices=False)
    s = s / np.sqrt(np.sum(s * s))
    for _ in range(steps):
        s = a * s + b * s**3 + c * s**5
    return (u * s) @ vt


@pytest.mark.parametrize("shape", [(6, 3), (3, 6), (5, 5), (1, 4)])
def test_newton_schulz_keeps_the_singular_vectors_and_moves_the_singular_values_toward_one(shape):
    d = RNG.normal(size=shape)
    o = orthogonalized(d, DEFAULT_NS_COEFFICIENTS, 5, 1e-7)
    np.testing.assert_allclose(o, by_singular_values(d), atol=1e-12)
    s = np.linalg.svd(o, compute_uv=False)
    assert np.all((s > 0.6) & (s < 1.25)), s  # near 1: every direction gets a step of one size
    # fewer steps, other coefficients: the same polynomial on the singular values
    np.testing.assert_allclose(
        orthogonalized(d, (2.0, -1.5, 0.5), 3, 1e-7), by_singular_values(d, (2.0, -1.5, 0.5), 3), atol=1e-12
    )
    assert not orthogonalized(np.zeros(shape), DEFAULT_NS_COEFFICIENTS, 5, 1e-7).any()  # eps: 0 / eps, no nan
    assert orthogonalized(d.astype(np.float32), DEFAULT_NS_COEFFICIENTS, 5, 1e-7).dtype == np.float32


def muon_by_hand(theta, grads, lr, weight_decay, momentum, nesterov, adjust):
    """The update of the docstring, one line per formula, with the SVD form of Newton-Schulz."""
    theta, buf = theta.copy(), np.zeros_like(theta)
    rows, cols = theta.shape
    scale = (
        math.sqrt(max(1.0, rows / cols)) if adjust != "match_rms_adamw" else 0.2 * math.sqrt(max(rows, cols))
    )
    for g in grads:
        buf = momentum * buf + (1 - momentum) * g
        d = (1 - momentum) * g + momentum * buf if nesterov else buf
        theta = theta * (1 - lr * weight_decay) - lr * scale * by_singular_values(d)
    return theta, buf


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"nesterov": False},
        {"momentum": 0.5, "weight_decay": 0.0},
        {"adjust_lr_fn": "match_rms_adamw"},
        {"adjust_lr_fn": "original", "lr": 0.05},
    ],
)
@pytest.mark.parametrize("shape", [(4, 3), (3, 4)])
def test_muon_steps_match_the_update_by_hand(kwargs, shape):
    theta0 = RNG.normal(size=shape)
    grads = [RNG.normal(size=shape) for _ in range(5)]
    p = tg.tensor(theta0, requires_grad=True)
    opt = optim.Muon([p], **{"lr": 0.02, **kwargs})
    for g in grads:
        p.grad = tg.tensor(g)
        opt.step()
    group = opt.param_groups[0]
    want, buf = muon_by_hand(
        theta0,
        grads,
        group["lr"],
        group["weight_decay"],
        group["momentum"],
        group["nesterov"],
        group["adjust_lr_fn"],
    )
    np.testing.assert_allclose(p.data, want, atol=1e-12)
    np.testing.assert_allclose(opt.state[p]["momentum_buffer"], buf, atol=1e-12)


def test_muon_defaults_errors_and_a_failed_step_that_changes_nothing():
    w = tg.zeros(2, 3, requires_grad=True)
    group = optim.Muon([w]).param_groups[0]
    assert (group["lr"], group["weight_decay"], group["momentum"], group["nesterov"]) == (
        1e-3,
        0.1,
        0.95,
        True,
    )
    assert (group["ns_coefficients"], group["eps"], group["ns_steps"]) == ((3.4445, -4.775, 2.0315), 1e-7, 5)
    for bad, message in [
        ({"lr": -1.0}, "Learning rate should be >= 0"),
        ({"momentum": -0.1}, "momentum should be >= 0"),
        ({"weight_decay": -1.0}, "weight decay should be >= 0"),
        ({"adjust_lr_fn": "rms"}, "Adjust learning rate function rms is not supported"),
    ]:
        with pytest.raises(ValueError, match=message):
            optim.Muon([w], **bad)
    with pytest.raises(ValueError, match=r"only supports 2D parameters .*size: \(3,\)"):
        optim.Muon([w, tg.zeros(3, requires_grad=True)])

    # checks at step time come before any parameter moves
    v = tg.tensor(RNG.normal(size=(2, 3)), requires_grad=True)
    v.grad = tg.ones(2, 3, dtype=tg.float64)
    opt = optim.Muon([v])
    opt.param_groups[0]["ns_steps"] = 100
    before = v.data.copy()
    with pytest.raises(ValueError, match="less than 100"):
        opt.step()
    opt.param_groups[0]["ns_steps"] = 5
    opt.param_groups[0]["ns_coefficients"] = (1.0, 2.0)
    with pytest.raises(ValueError, match="exactly 3 values"):
        opt.step()
    opt.param_groups[0]["ns_coefficients"] = DEFAULT_NS_COEFFICIENTS
    bias = tg.zeros(3, requires_grad=True)
    opt.add_param_group({"params": [bias]})  # (PyTorch checks the shape in __init__ only)

    def closure():  # the gradients a closure makes are checked too
        bias.grad = tg.ones(3)
        return 0.0

    with pytest.raises(ValueError, match="gradient must be a 2D matrix"):
        opt.step(closure)
    with pytest.raises(ValueError, match="gradient must be a 2D matrix"):
        opt.step()
    np.testing.assert_array_equal(v.data, before)
    assert not opt.state


def test_muon_state_dict_round_trip_continues_the_same_run():
    theta0 = RNG.normal(size=(3, 5))
    grads = [RNG.normal(size=(3, 5)) for _ in range(6)]
    a = tg.tensor(theta0, requires_grad=True)
    opt_a = optim.Muon([a], lr=0.03)
    for g in grads[:3]:
        a.grad = tg.tensor(g)
        opt_a.step()
    b = tg.tensor(a.data.copy(), requires_grad=True)
    opt_b = optim.Muon([b], lr=0.5)
    opt_b.load_state_dict(copy.deepcopy(opt_a.state_dict()))
    assert opt_b.param_groups[0]["lr"] == 0.03
    for g in grads[3:]:
        a.grad, b.grad = tg.tensor(g), tg.tensor(g)
        opt_a.step()
        opt_b.step()
    np.testing.assert_array_equal(a.data, b.data)


def test_muon_with_adamw_for_the_rest_fits_a_small_regression():
    tg.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
    x = tg.tensor(RNG.normal(size=(64, 4)).astype(np.float32))
    y = (x[:, :1] * x[:, 1:2] + x[:, 2:3].sin()).detach()
    hidden = [p for p in model.parameters() if p.ndim == 2]
    others = [p for p in model.parameters() if p.ndim != 2]
    opts = [optim.Muon(hidden, lr=0.05), optim.AdamW(others, lr=0.01)]
    losses = []
    for _ in range(150):
        for opt in opts:
            opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        for opt in opts:
            opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.25 * losses[0], (losses[0], losses[-1])


def test_muon_matches_torch_with_its_newton_schulz_in_full_precision_if_installed(monkeypatch):
    torch = pytest.importorskip("torch")
    muon_module = pytest.importorskip("torch.optim._muon")
    if not hasattr(muon_module, "_zeropower_via_newtonschulz"):
        pytest.skip("this PyTorch has no Muon to compare with")

    # PyTorch runs Newton-Schulz in bfloat16; in float64 the rest of the update must agree exactly
    def newton_schulz_float64(grad, coefficients, steps, eps):
        return torch.from_numpy(orthogonalized(grad.numpy(), coefficients, steps, eps))

    monkeypatch.setattr(muon_module, "_zeropower_via_newtonschulz", newton_schulz_float64)
    for kwargs in ({}, {"nesterov": False, "momentum": 0.6}, {"adjust_lr_fn": "match_rms_adamw"}):
        theta0 = RNG.normal(size=(5, 3))
        t, ours = torch.tensor(theta0, requires_grad=True), tg.tensor(theta0, requires_grad=True)
        opt_t, opt_ours = torch.optim.Muon([t], lr=0.02, **kwargs), optim.Muon([ours], lr=0.02, **kwargs)
        for _ in range(4):
            g = RNG.normal(size=(5, 3))
            t.grad, ours.grad = torch.tensor(g), tg.tensor(g)
            opt_t.step()
            opt_ours.step()
        np.testing.assert_allclose(ours.data, t.detach().numpy(), atol=1e-14)
        assert opt_t.param_groups[0].keys() == opt_ours.param_groups[0].keys()
