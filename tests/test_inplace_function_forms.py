"""The in-place function forms: tg.relu_(x) changes x and returns it, as torch.relu_(x) does.

Each form must give the values of the out-of-place op (computed on a copy)
and return its own input. Where torch is installed, each is also checked
against torch's function of the same name.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg

VALUES = [0.25, -0.6, 0.9, 1.7]  # inside the domains of log, sqrt, acosh, atanh... where used
POSITIVE = [0.25, 0.6, 0.9, 1.7]
INSIDE_ONE = [0.25, -0.6, 0.9, 0.1]
ABOVE_ONE = [1.25, 1.6, 2.9, 1.7]

# name: (input values, extra arguments, the out-of-place op that gives the expected values)
FORMS: dict[str, tuple[list[float], tuple, object]] = {
    "abs_": (VALUES, (), tg.abs),
    "acos_": (INSIDE_ONE, (), tg.acos),
    "arccos_": (INSIDE_ONE, (), tg.acos),
    "acosh_": (ABOVE_ONE, (), tg.acosh),
    "arccosh_": (ABOVE_ONE, (), tg.acosh),
    "asin_": (INSIDE_ONE, (), tg.asin),
    "arcsin_": (INSIDE_ONE, (), tg.asin),
    "asinh_": (VALUES, (), tg.asinh),
    "arcsinh_": (VALUES, (), tg.asinh),
    "atan_": (VALUES, (), tg.atan),
    "arctan_": (VALUES, (), tg.atan),
    "atanh_": (INSIDE_ONE, (), tg.atanh),
    "arctanh_": (INSIDE_ONE, (), tg.atanh),
    "ceil_": (VALUES, (), tg.ceil),
    "floor_": (VALUES, (), tg.floor),
    "trunc_": (VALUES, (), tg.trunc),
    "fix_": (VALUES, (), tg.trunc),
    "frac_": (VALUES, (), tg.frac),
    "round_": (VALUES, (), tg.round),
    "clamp_": (VALUES, (-0.5, 0.5), tg.clamp),
    "clip_": (VALUES, (-0.5, 0.5), tg.clamp),
    "clamp_min_": (VALUES, (0.3,), tg.clamp_min),
    "clamp_max_": (VALUES, (0.3,), tg.clamp_max),
    "cos_": (VALUES, (), tg.cos),
    "cosh_": (VALUES, (), tg.cosh),
    "sin_": (VALUES, (), tg.sin),
    "sinh_": (VALUES, (), tg.sinh),
    "tan_": (VALUES, (), tg.tan),
    "tanh_": (VALUES, (), tg.tanh),
    "deg2rad_": (VALUES, (), tg.deg2rad),
    "rad2deg_": (VALUES, (), tg.rad2deg),
    "erfc_": (VALUES, (), tg.special.erfc),
    "exp_": (VALUES, (), tg.exp),
    "exp2_": (VALUES, (), tg.exp2),
    "log_": (POSITIVE, (), tg.log),
    "log2_": (POSITIVE, (), tg.log2),
    "log10_": (POSITIVE, (), tg.log10),
    "logit_": (INSIDE_ONE[:1] + [0.3, 0.9, 0.1], (), tg.logit),
    "i0_": (VALUES, (), tg.special.i0),
    "nan_to_num_": ([float("nan"), float("inf"), -float("inf"), 1.5], (), tg.nan_to_num),
    "neg_": (VALUES, (), tg.neg),
    "reciprocal_": (VALUES, (), tg.reciprocal),
    "rsqrt_": (POSITIVE, (), tg.rsqrt),
    "sqrt_": (POSITIVE, (), tg.sqrt),
    "relu_": (VALUES, (), tg.relu),
    "sigmoid_": (VALUES, (), tg.sigmoid),
    "xlogy_": (VALUES, (tg.tensor(POSITIVE),), tg.xlogy),
    "fill_": (VALUES, (2.5,), lambda x, v: tg.full_like(x, v)),
    "zero_": (VALUES, (), tg.zeros_like),
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_function_form_changes_its_input_and_returns_it(name: str) -> None:
    values, args, out_of_place = FORMS[name]
    x = tg.tensor(values, dtype=tg.float64)
    expected = out_of_place(x.clone(), *args)
    result = getattr(tg, name)(x, *args)
    assert result is x
    np.testing.assert_allclose(x.data, expected.data, rtol=1e-12)
    assert name in tg.__all__


def test_addmv_and_detach_forms() -> None:
    m, v = tg.tensor([[1.0, 2.0], [3.0, 4.0]]), tg.tensor([1.0, -1.0])
    y = tg.tensor([0.5, 0.5])
    assert tg.addmv_(y, m, v, beta=2.0) is y
    np.testing.assert_allclose(y.data, [1.0 - 1.0, 1.0 - 1.0])  # 2 * 0.5 + (m @ v)
    w = tg.tensor([1.0], requires_grad=True)
    h = w * 2
    assert tg.detach_(h) is h and h.grad_fn is None and not h.requires_grad
    d = tg.detach(w * 3)
    assert d.grad_fn is None and not d.requires_grad and d.item() == 3.0


def test_a_leaf_that_requires_grad_is_refused_as_in_the_method_form() -> None:
    w = tg.tensor([0.5, -0.5], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        tg.relu_(w)
    np.testing.assert_array_equal(w.data, [0.5, -0.5])


@pytest.mark.parametrize("name", sorted(FORMS))
def test_each_form_matches_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    values, args, _ = FORMS[name]
    torch_args = tuple(torch.tensor(a.data) if isinstance(a, tg.Tensor) else a for a in args)
    x, xt = tg.tensor(values, dtype=tg.float64), torch.tensor(values, dtype=torch.float64)
    getattr(tg, name)(x, *args)
    getattr(torch, name)(xt, *torch_args)
    np.testing.assert_allclose(x.data, xt.numpy(), rtol=1e-12, equal_nan=True)
