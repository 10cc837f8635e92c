"""The math of ops/trigonometry.py and ops/more_math.py: values, dtypes, edge values, aliases, in-place forms.

Gradients away from the edges are checked against finite differences by the
op table (tests/op_table.py). Here the values are compared with Python's
math module (which computes them apart from NumPy) and the edges (0, inf,
nan, the ends of a domain) with PyTorch's rules, written out by hand; with
torch installed, every name is also compared with torch's, values and gradients.
"""

from __future__ import annotations

import math
import subprocess
import sys
import warnings
import zlib

import numpy as np
import pytest

import tinygrad_edu as tg

from .torch_compare import assert_values_and_gradients_agree

INF, NAN = math.inf, math.nan


def f64(values, requires_grad=False):
    return tg.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def grads(fn, *inputs):
    """The gradients of fn at float64 inputs, for an upstream gradient of ones."""
    xs = [f64(x, requires_grad=True) for x in inputs]
    out = fn(*xs)
    out.backward(tg.ones_like(out))
    return [x.grad.data for x in xs]


# ---------------------------------------------------------------- values against the math module

# name: (the math module's function, inputs across its domain, its edges and tiny values included)
UNARY = {
    "tan": (math.tan, [-1.5, -0.3, 0.0, 1e-9, 1.4]),
    "asin": (math.asin, [-1.0, -0.3, 0.0, 1e-9, 1.0]),
    "acos": (math.acos, [-1.0, -0.3, 0.0, 1e-9, 1.0]),
    "atan": (math.atan, [-50.0, -1.0, 0.0, 1e-9, 3.0]),
    "sinh": (math.sinh, [-5.0, -1e-9, 0.0, 0.5, 700.0]),
    "cosh": (math.cosh, [-5.0, -1e-9, 0.0, 0.5, 700.0]),
    "asinh": (math.asinh, [-1e5, -1e-9, 0.0, 0.5, 1e200]),
    "acosh": (math.acosh, [1.0, 1.0 + 1e-9, 2.0, 10.0, 1e200]),
    "atanh": (math.atanh, [-0.999, -1e-9, 0.0, 0.5, 0.9]),
    "log2": (math.log2, [1e-300, 0.5, 1.0, 1024.0, 3.0]),
    "log10": (math.log10, [1e-300, 0.5, 1.0, 1000.0, 3.0]),
    "exp2": (lambda v: 2.0**v, [-1074.0, -3.5, 0.0, 10.0, 0.5]),
    "rsqrt": (lambda v: 1.0 / math.sqrt(v), [1e-300, 0.25, 1.0, 4.0, 3.0]),
    "logit": (lambda v: math.log(v / (1 - v)), [1e-300, 0.25, 0.5, 0.75, 1.0 - 2**-40]),
    "trunc": (lambda v: float(math.trunc(v)), [-2.7, -0.5, 0.0, 0.5, 3.9]),
    "frac": (lambda v: math.modf(v)[0], [-2.75, -0.5, 0.0, 0.5, 3.25]),
    "deg2rad": (math.radians, [-180.0, 0.0, 45.0, 90.0, 360.0]),
    "rad2deg": (math.degrees, [-math.pi, 0.0, 1.0, 0.5, 2 * math.pi]),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_values_match_the_math_module(name):
    reference, inputs = UNARY[name]
    expected = [reference(v) for v in inputs]
    np.testing.assert_allclose(getattr(f64(inputs), name)().data, expected, rtol=1e-14)
    # float32: the same values to float32's precision, at the inputs rounded to float32 where
    # the math module defines the function there (1e-300 rounds to 0, where log2 is -inf)
    with np.errstate(over="ignore"):  # (1e200, and cosh 700 and the like, are inf in float32)
        x32 = np.asarray([v for v in np.asarray(inputs, dtype=np.float32) if _defined(reference, float(v))])
        expected32 = np.asarray([reference(float(v)) for v in x32]).astype(np.float32)
    np.testing.assert_allclose(getattr(tg.tensor(x32), name)().data, expected32, rtol=2e-6, atol=1e-30)


def _defined(fn, v):
    try:
        fn(v)
    except (ValueError, ZeroDivisionError):
        return False
    return True


# (a, b) pairs: quadrants, signed zeros, and values where a naive formula over- or underflows
BINARY = {
    "atan2": (math.atan2, [(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (0.0, -1.0), (-0.0, -1.0), (1.0, 0.0)]),
    "hypot": (
        math.hypot,
        [(3.0, 4.0), (-3.0, 4.0), (3e300, 4e300), (3e-300, 4e-300), (0.0, 0.0), (1.0, 1e-9)],
    ),
    "logaddexp": (
        lambda a, b: max(a, b) + math.log1p(math.exp(-abs(a - b))),
        [(0.0, 0.0), (1000.0, 1000.0), (-1000.0, -1001.0), (1.0, -40.0), (2.0, 3.0), (-5.0, 5.0)],
    ),
    "xlogy": (lambda x, z: x * math.log(z), [(2.0, 3.0), (-1.5, 0.5), (0.5, 1e-300), (1.0, 1.0), (3.0, 8.0)]),
    "fmod": (math.fmod, [(-7.0, 3.0), (7.0, -3.0), (5.5, 2.0), (-5.5, -2.0), (1e300, 3.0), (0.5, 7.0)]),
    "copysign": (math.copysign, [(1.0, -0.0), (-2.0, 0.0), (-0.0, 1.0), (3.0, -INF), (-4.0, 5.0)]),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_values_match_the_math_module(name):
    reference, pairs = BINARY[name]
    a, b = (list(column) for column in zip(*pairs))
    out = getattr(f64(a), name)(f64(b)).data
    expected = [reference(u, v) for u, v in pairs]
    np.testing.assert_allclose(out, expected, rtol=1e-14)
    np.testing.assert_array_equal(np.signbit(out), np.signbit(expected))  # signed zeros too


def test_identities_tie_the_functions_together():
    x = np.linspace(-0.95, 0.95, 39)
    t = f64(x)
    np.testing.assert_allclose(t.asin().sin().data, x, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(t.atanh().tanh().data, x, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose((t.asin() + t.acos()).data, np.full_like(x, math.pi / 2), rtol=1e-15)
    np.testing.assert_allclose((t.cosh() ** 2 - t.sinh() ** 2).data, np.ones_like(x), rtol=1e-14)
    np.testing.assert_allclose(t.sinh().asinh().data, x, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose((t + 2.0).acosh().cosh().data, x + 2.0, rtol=1e-14)
    np.testing.assert_allclose(t.sigmoid().logit().data, x, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(t.exp2().log2().data, x, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(t.atan2(f64(1.0)).data, np.arctan(x), rtol=1e-15)
    np.testing.assert_allclose(t.deg2rad().rad2deg().data, x, rtol=1e-15)
    np.testing.assert_array_equal((t * 7.3).trunc().data + (t * 7.3).frac().data, (t * 7.3).data)


# ---------------------------------------------------------------- dtypes

FLOAT_UNARY = [
    "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
    "log2", "log10", "exp2", "rsqrt", "logit", "deg2rad", "rad2deg",
]  # fmt: skip


@pytest.mark.parametrize("name", FLOAT_UNARY)
def test_integer_and_bool_inputs_give_the_default_float_and_floats_keep_their_dtype(name):
    assert getattr(tg.tensor([1, 2]), name)().dtype == np.float32
    assert getattr(tg.tensor([True, False]), name)().dtype == np.float32
    for dtype in (np.float16, np.float32, np.float64):
        assert getattr(tg.tensor([0.5], dtype=dtype), name)().dtype == dtype
    tg.set_default_dtype(np.float64)
    try:
        assert getattr(tg.tensor([1, 2]), name)().dtype == np.float64
    finally:
        tg.set_default_dtype(np.float32)


def test_dtypes_of_the_binary_ops_follow_pytorch():
    i = tg.tensor([1, 2, 3])
    for name in ("atan2", "xlogy", "copysign"):  # integers give the default float
        assert getattr(i, name)(i).dtype == np.float32
        assert getattr(i, name)(tg.tensor(2.0, dtype=tg.float64)).dtype == np.float64  # a 0-d float counts
        assert getattr(i.float(), name)(i).dtype == np.float32
    for name in ("hypot", "logaddexp"):  # PyTorch has no integer kernel for these
        with pytest.raises(NotImplementedError, match=f"{name} is not implemented for integer tensors"):
            getattr(i, name)(i)
        assert getattr(i, name)(tg.tensor([1.0, 2.0, 3.0])).dtype == np.float32
    assert i.fmod(tg.tensor([2, 2, 2])).dtype == np.int64  # integers stay integers
    assert i.fmod(tg.tensor([2, 2, 2])).tolist() == [1, 0, 1]
    assert i.fmod(1.5).dtype == np.float32 and i.fmod(1.5).tolist() == [1.0, 0.5, 0.0]
    assert i.fmod(f64([2.0])).dtype == np.float64
    assert i.heaviside(tg.tensor([7])).dtype == np.int64
    for name in ("logical_and", "logical_or", "logical_xor"):
        assert getattr(i, name)(tg.tensor([0.0, 1.0, 2.0])).dtype == np.bool_
    for name in ("isinf", "isfinite", "isposinf", "isneginf", "signbit"):
        assert getattr(i, name)().dtype == np.bool_ and getattr(f64([1.0]), name)().dtype == np.bool_


def test_rounding_toward_0_keeps_integers_and_refuses_what_pytorch_refuses():
    i = tg.tensor([-3, 0, 4])
    assert i.trunc().dtype == np.int64 and i.trunc().tolist() == [-3, 0, 4]
    assert i.trunc().data is not i.data  # a copy
    assert tg.tensor([1, 2], dtype=tg.int32).trunc().dtype == np.int32
    with pytest.raises(NotImplementedError, match="trunc is not implemented for bool"):
        tg.tensor([True]).trunc()
    with pytest.raises(NotImplementedError, match="frac is not implemented for int64"):
        i.frac()
    assert i.nan_to_num().dtype == np.int64 and i.nan_to_num().tolist() == [-3, 0, 4]
    assert tg.tensor([1.5, -1.5], dtype=tg.float16).trunc().dtype == np.float16


def test_lerp_addcmul_and_addcdiv_dtypes():
    start, end = tg.tensor([0.0, 1.0]), tg.tensor([1.0, 3.0])
    assert start.lerp(end, 1).dtype == np.float32 and start.lerp(end, 1).tolist() == [1.0, 3.0]
    with pytest.raises(NotImplementedError, match="lerp"):
        tg.tensor([1, 2]).lerp(tg.tensor([3, 4]), 0.5)
    with pytest.raises(RuntimeError, match="expected dtype float32 for `end` but got dtype float64"):
        start.lerp(end.double(), 0.5)
    with pytest.raises(RuntimeError, match="expected dtype float32 for `weight` but got dtype float64"):
        start.lerp(end, tg.tensor([0.5], dtype=tg.float64))
    i = tg.tensor([1, 2, 0])
    assert i.addcmul(i, i, value=2).dtype == np.int64 and i.addcmul(i, i, value=2).tolist() == [3, 10, 0]
    with pytest.raises(RuntimeError, match="value=0.5 is a float and the tensors are integers"):
        i.addcmul(i, i, value=0.5)
    assert i.addcmul(i.double(), i).dtype == np.float64
    with pytest.raises(RuntimeError, match="addcdiv: integer division is not supported"):
        start.addcdiv(i[:2], i[:2])
    assert i.addcdiv(i.float(), tg.tensor([2, 4, 8])).tolist() == [1.5, 2.5, 0.0]


# ---------------------------------------------------------------- special values


_QUIET_SCRIPT = """
import warnings
import numpy as np
import tinygrad_edu as tg
inf = float("inf")
x = tg.tensor([-1.0, 0.0, 1000.0], requires_grad=True)
with warnings.catch_warnings(record=True) as caught:  # (the filters as they are, with the library's)
    y = x.log() + x.sqrt() + 1.0 / x + x.exp() + x**0.5
    y.sum().backward()
    tg.tensor([[-inf, -inf]]).softmax(-1)
    np.log(np.array([-1.0]))  # the user's own NumPy still warns
print([str(w.message) for w in caught])
"""


def test_numpy_float_warnings_from_the_library_are_silenced_but_not_the_users():
    # In a fresh process: pytest imports the library inside a catch_warnings
    # block of its own, which takes the library's filter away again.
    done = subprocess.run([sys.executable, "-c", _QUIET_SCRIPT], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['invalid value encountered in log']", done.stdout + done.stderr


def test_out_of_domain_inputs_give_nan_or_inf_silently_as_pytorch():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from NumPy
        assert np.isnan(f64([2.0, -2.0]).asin().data).all()
        assert np.isnan(f64([2.0, -2.0]).acos().data).all()
        assert np.isnan(f64([0.5, -INF]).acosh().data).all()
        assert f64([1.0, -1.0]).atanh().tolist() == [INF, -INF]
        assert np.isnan(f64([2.0]).atanh().data).all()
        assert f64([0.0, -0.0, INF]).log2().tolist() == [-INF, -INF, INF]
        assert np.isnan(f64([-1.0]).log2().item()) and np.isnan(f64([-1.0]).log10().item())
        assert f64([0.0]).log10().tolist() == [-INF]
        assert f64([0.0, -0.0, INF]).rsqrt().tolist() == [INF, -INF, 0.0]
        assert np.isnan(f64([-1.0]).rsqrt().item())
        assert f64([-INF, 1024.0, 1.0]).exp2().tolist() == [0.0, INF, 2.0]
        assert f64([1000.0, -1000.0]).sinh().tolist() == [INF, -INF]
        assert f64([1000.0, -1000.0]).cosh().tolist() == [INF, INF]
        assert np.isnan(f64([INF]).tan().item()) and np.isnan(f64([INF]).frac().item())
        assert f64([INF, -INF]).atan().tolist() == [math.pi / 2, -math.pi / 2]
        assert f64([INF, -INF, NAN]).trunc().data[:2].tolist() == [INF, -INF]
        assert f64([-INF, INF, INF]).logaddexp(f64([-INF, INF, -INF])).tolist() == [-INF, INF, INF]
        assert f64([INF]).hypot(f64([NAN])).tolist() == [INF]  # as C's hypot: inf wins over nan
        assert np.isnan(f64([3.0, 3.0, INF]).fmod(f64([0.0, -0.0, 2.0])).data).all()
        # and the backward at those edges
        assert grads(tg.atanh, [1.0, -1.0])[0].tolist() == [INF, INF]
        assert grads(tg.log2, [0.0])[0].tolist() == [INF] and grads(tg.log10, [0.0])[0].tolist() == [INF]
        assert grads(tg.rsqrt, [0.0])[0].tolist() == [-INF]
        assert grads(tg.asin, [1.0])[0].tolist() == [INF] and np.isnan(grads(tg.acosh, [0.5])[0]).all()
        assert np.isnan(grads(tg.hypot, [0.0], [0.0])).all()  # 0/0, as in PyTorch
        assert np.isnan(grads(tg.logaddexp, [INF], [INF])).all()


def test_xlogy_is_0_where_x_is_0_unless_y_is_nan():
    x = [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0]
    z = [0.0, -1.0, INF, NAN, 0.0, -1.0, 2.0]
    out = f64(x).xlogy(f64(z)).data
    np.testing.assert_array_equal(out, [0.0, 0.0, 0.0, NAN, -INF, NAN, 0.0])
    assert tg.xlogy(2, f64([3.0])).item() == pytest.approx(2 * math.log(3))  # a number for x
    assert f64([3.0]).xlogy(2).item() == pytest.approx(3 * math.log(2))
    # dy/dx = ln z, but 0 where x == 0 and z <= 0; dy/dz = x / z (nan for 0/0)
    gx, gz = grads(tg.xlogy, x, z)
    np.testing.assert_array_equal(gx, [0.0, 0.0, INF, NAN, -INF, NAN, math.log(2.0)])
    np.testing.assert_array_equal(gz, [NAN, -0.0, 0.0, NAN, INF, -2.0, 0.0])
    # a zero upstream gradient gives 0 for x even where ln z is -inf, as PyTorch's xlogy(grad, z)
    xs, zs = f64([1.0], requires_grad=True), f64([0.0])
    xs.xlogy(zs).backward(f64([0.0]))
    assert xs.grad.tolist() == [0.0]


def test_logit_edges_eps_and_its_gradient():
    x = [0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0, 2.0, -1.0]
    out = f64(x).logit().data
    assert out[0] == -INF and out[6] == INF and out[3] == 0.0 and np.isnan(out[7:]).all()
    clamped = f64(x).logit(eps=0.1).data
    low, high = math.log(1 / 9), math.log(9)
    np.testing.assert_allclose(clamped, [low, low, low, 0.0, high, high, high, high, low], rtol=1e-15)
    np.testing.assert_array_equal(f64(x).logit(eps=-0.1).data, out)  # a negative eps: no clamp
    # eps > 0.5: PyTorch's order, below eps first (np.clip would give 1 - eps everywhere)
    np.testing.assert_allclose(f64([0.2, 0.8]).logit(eps=0.7).data, [math.log(7 / 3), math.log(3 / 7)])
    # the gradient: 0 outside [eps, 1 - eps] (its ends included); nan outside [0, 1] without eps
    (g,) = grads(lambda t: t.logit(eps=0.1), x)
    inside = 1 / (0.1 * 0.9)
    np.testing.assert_allclose(g, [0.0, 0.0, inside, 4.0, inside, 0.0, 0.0, 0.0, 0.0])
    (g,) = grads(tg.logit, x)
    np.testing.assert_allclose(g[1:6], [1 / (v * (1 - v)) for v in x[1:6]])
    assert g[0] == g[6] == INF and np.isnan(g[7:]).all()
    assert tg.tensor([0, 1]).logit(eps=0.25).dtype == np.float32


def test_fmod_has_the_sign_of_the_dividend_and_its_gradient_is_pytorchs():
    a, b = [-7.0, 7.0, -7.0, 5.5, -0.0], [3.0, -3.0, -3.0, 2.0, 3.0]
    out = f64(a).fmod(f64(b)).data
    np.testing.assert_array_equal(out, [-1.0, 1.0, -1.0, 1.5, -0.0])
    assert np.signbit(out[-1])  # -0.0 keeps its sign
    np.testing.assert_array_equal((f64(a) % f64(b)).data[:3], [2.0, -2.0, -1.0])  # remainder differs
    ga, gb = grads(tg.fmod, a, b)
    np.testing.assert_array_equal(ga, [1.0] * 5)
    np.testing.assert_array_equal(gb, [2.0, 2.0, -2.0, -2.0, 0.0])  # -trunc(a / b)
    with pytest.raises(RuntimeError, match="fmod: integer division by zero"):
        tg.tensor([1, 2]).fmod(tg.tensor([1, 0]))
    empty = tg.tensor([], dtype=tg.int64)  # nothing is divided, so no error, as in PyTorch
    for divided in (empty.fmod(0), empty % 0, empty // 0, tg.div(empty, 0, rounding_mode="trunc")):
        assert divided.shape == (0,) and divided.dtype == np.int64


def test_copysign_signbit_and_heaviside_read_the_sign_bit():
    out = f64([1.0, -0.0, 2.0, 0.0]).copysign(f64([-0.0, -1.0, 3.0, -2.0])).data
    np.testing.assert_array_equal(out, [-1.0, -0.0, 2.0, -0.0])
    np.testing.assert_array_equal(np.signbit(out), [True, True, False, True])
    assert f64([1.0, 2.0]).copysign(-2).tolist() == [-1.0, -2.0]  # a number for the sign
    ga, gb = grads(tg.copysign, [1.0, -0.0, 2.0, 0.0, -3.0], [-0.0, -1.0, 3.0, 1.0, -1.0])
    np.testing.assert_array_equal(ga, [-1.0, 0.0, 1.0, 0.0, 1.0])  # 0 at a = 0, as |a|'s
    np.testing.assert_array_equal(gb, [0.0] * 5)  # zeros, not None
    ga, _ = grads(tg.copysign, [NAN, INF, -INF], [1.0, -1.0, 1.0])
    assert np.isnan(ga).all()  # y / a, as PyTorch's formula: nan where a is nan or infinite


def test_sign_of_nan_is_zero_and_so_is_the_gradient_of_abs_there():
    """As in PyTorch, where NumPy's sign of nan is nan."""
    x = tg.tensor([NAN, -0.0, 2.0, -INF], dtype=tg.float32, requires_grad=True)
    assert x.sign().tolist() == [0.0, 0.0, 1.0, -1.0] and x.sgn().dtype == tg.float32
    x.abs().sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, -1.0]
    assert tg.tensor([-3, 0, 5]).sign().tolist() == [-1, 0, 1]
    s = f64([-0.0, 0.0, -1.0, 1.0, -INF, NAN, -NAN]).signbit()
    assert s.tolist() == [True, False, True, False, True, False, True]
    h = f64([NAN, 0.0, -0.0, -1.0, 2.0, INF, -INF]).heaviside(f64(0.5))
    assert h.tolist() == [0.0, 0.5, 0.5, 0.0, 1.0, 1.0, 0.0]  # nan counts as below 0, as in PyTorch
    assert f64([0.0, 0.0]).heaviside(f64([2.0, 3.0])).tolist() == [2.0, 3.0]
    with pytest.raises(RuntimeError, match="heaviside: input and values must have one dtype"):
        tg.tensor([1.0]).heaviside(f64([0.5]))
    with pytest.raises(RuntimeError, match="heaviside: shapes"):
        f64([1.0, 2.0]).heaviside(f64([1.0, 2.0, 3.0]))


def test_the_tests_of_values_and_the_logical_ops():
    t = f64([INF, -INF, NAN, 1.0, -0.0])
    assert t.isinf().tolist() == [True, True, False, False, False]
    assert t.isposinf().tolist() == [True, False, False, False, False]
    assert t.isneginf().tolist() == [False, True, False, False, False]
    assert t.isfinite().tolist() == [False, False, False, True, True]
    a, b = tg.tensor([0.0, 0.0, 2.0, -1.0]), tg.tensor([0, 3, 0, 5])
    assert a.logical_and(b).tolist() == [False, False, False, True]
    assert a.logical_or(b).tolist() == [False, True, True, True]
    assert a.logical_xor(b).tolist() == [False, True, True, False]
    assert tg.logical_and(tg.tensor([[True], [False]]), tg.tensor([True, False])).shape == (2, 2)
    assert tg.tensor([NAN]).logical_and(tg.tensor([1.0])).tolist() == [True]  # nan is not 0
    with pytest.raises(RuntimeError, match="logical_xor: shapes"):
        a.logical_xor(tg.tensor([1, 2, 3]))
    x = f64([1.0, -INF], requires_grad=True)
    for out in (x.isinf(), x.signbit(), x.logical_or(x)):
        assert not out.requires_grad and out.grad_fn is None  # no gradient
    # heaviside is recorded, and backward says it has no derivative (tests/op_table.py)


def test_nan_to_num_defaults_to_the_dtypes_extremes_and_passes_gradients_where_finite():
    values = [NAN, INF, -INF, 1.5]
    for dtype in (np.float16, np.float32, np.float64):
        info = np.finfo(dtype)
        out = tg.tensor(np.array(values, dtype=dtype)).nan_to_num()
        assert out.dtype == dtype and out.tolist() == [0.0, float(info.max), float(info.min), 1.5]
    assert f64(values).nan_to_num(nan=1.0, posinf=2.0, neginf=-3.0).tolist() == [1.0, 2.0, -3.0, 1.5]
    assert f64(values).nan_to_num(nan=INF).tolist()[0] == INF
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # too large for float16: inf, as in PyTorch
        big = tg.tensor(np.array([INF], dtype=np.float16)).nan_to_num(posinf=1e6)
    assert big.tolist() == [INF]
    (g,) = grads(lambda t: t.nan_to_num(nan=5.0), values)
    np.testing.assert_array_equal(g, [0.0, 0.0, 0.0, 1.0])


def test_lerp_addcmul_addcdiv_values_gradients_and_broadcasting():
    start, end = f64([1.0, 2.0]), f64([3.0, 5.0])
    assert start.lerp(end, 0.25).tolist() == [1.5, 2.75] and start.lerp(end, 1.0).tolist() == [3.0, 5.0]
    assert start.lerp(end, f64([0.0, 1.0])).tolist() == [1.0, 5.0]
    # exactly end at weight 1, where start + 1 * (end - start) rounds: 0.7 + (0.1 - 0.7) != 0.1
    assert f64([0.7]).lerp(f64([0.1]), 1.0).item() == 0.1 and 0.7 + (0.1 - 0.7) != 0.1
    assert f64([0.7]).lerp(f64([0.1]), f64([1.0])).item() == 0.1
    assert tg.lerp(tg.zeros(2, 1), tg.ones(3), tg.full((1, 1, 1), 0.5)).shape == (1, 2, 3)
    assert start.lerp(4.0, 0.5).tolist() == [2.5, 3.0]  # a number for end
    gs, ge, gw = grads(tg.lerp, [1.0, 2.0], [3.0, 5.0], [0.25, 0.75])
    assert gs.tolist() == [0.75, 0.25] and ge.tolist() == [0.25, 0.75] and gw.tolist() == [2.0, 3.0]
    for call, op in [
        (lambda: tg.lerp(tg.zeros(2), tg.ones(3), 0.5), "lerp"),
        (lambda: tg.lerp(tg.zeros(3), tg.ones(3), tg.ones(2)), "lerp"),
        (lambda: tg.addcmul(tg.zeros(2), tg.ones(3), tg.ones(3)), "addcmul"),
        (lambda: tg.addcdiv(tg.zeros(3), tg.ones(3), tg.ones(2)), "addcdiv"),
        (lambda: tg.atan2(tg.zeros(2), tg.ones(3)), "Atan2"),
    ]:
        with pytest.raises(RuntimeError, match=f"{op}: shapes .* are not broadcastable"):
            call()
    x, t1, t2 = f64([1.0, 2.0]), f64([3.0, 4.0]), f64([5.0, 8.0])
    assert x.addcmul(t1, t2).tolist() == [16.0, 34.0] and x.addcmul(t1, t2, value=-0.5).tolist() == [
        -6.5,
        -14.0,
    ]
    assert x.addcdiv(t1, t2).tolist() == [1.6, 2.5] and x.addcdiv(t1, t2, value=2).tolist() == [2.2, 3.0]
    assert tg.addcmul(tg.zeros(2, 1), tg.ones(3), tg.ones(1), value=2).tolist() == [[2.0] * 3] * 2
    gx, g1, g2 = grads(lambda a, b, c: a.addcdiv(b, c, value=2.0), [1.0], [3.0], [4.0])
    assert (gx.item(), g1.item(), g2.item()) == (1.0, 0.5, -2 * 3 / 16)


def test_atan2_and_hypot_at_the_origin():
    assert f64([0.0, -0.0, 0.0, -0.0]).atan2(f64([0.0, 0.0, -0.0, -0.0])).tolist() == [
        0.0,
        -0.0,
        math.pi,
        -math.pi,
    ]
    ga, gb = grads(tg.atan2, [0.0, 1.0, 3.0], [0.0, 0.0, 4.0])
    np.testing.assert_array_equal(ga, [0.0, 0.0, 4 / 25])  # 0 at the origin, as in PyTorch
    np.testing.assert_array_equal(gb, [-0.0, -1.0, -3 / 25])
    ga, gb = grads(tg.hypot, [3.0, -3e300], [4.0, 4e300])
    np.testing.assert_allclose(ga, [0.6, -0.6])
    np.testing.assert_allclose(gb, [0.8, 0.8])


# ---------------------------------------------------------------- names, aliases, in place

NAMES = [
    "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "atan2", "hypot",
    "log2", "log10", "exp2", "rsqrt", "logaddexp", "xlogy", "logit", "lerp", "addcmul", "addcdiv",
    "fmod", "trunc", "frac", "deg2rad", "rad2deg", "copysign", "heaviside", "signbit", "isinf",
    "isfinite", "isposinf", "isneginf", "nan_to_num", "logical_and", "logical_or", "logical_xor",
]  # fmt: skip
ALIASES = {
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "arctan2": "atan2",
    "fix": "trunc",
}


def test_every_name_is_a_method_and_a_function_and_the_aliases_are_the_same_function():
    for name in NAMES + list(ALIASES):
        assert getattr(tg, name).__wrapped__ is getattr(tg.Tensor, name) and name in tg.__all__
    for alias, name in ALIASES.items():
        assert getattr(tg.Tensor, alias) is getattr(tg.Tensor, name)
        if alias != "arctan2":  # (the in-place forms are those of the one-input ops)
            assert getattr(tg.Tensor, alias + "_") is getattr(tg.Tensor, name + "_")


# name_: the input it is applied to (inside the op's domain)
IN_PLACE = {
    "tan_": [0.3, 0.6, 0.8],
    "asin_": [0.3, 0.6, 0.8],
    "acos_": [0.3, 0.6, 0.8],
    "atan_": [0.3, 0.6, 0.8],
    "sinh_": [0.3, 0.6, 0.8],
    "cosh_": [0.3, 0.6, 0.8],
    "asinh_": [0.3, 0.6, 0.8],
    "acosh_": [1.3, 1.6, 2.8],
    "atanh_": [0.3, 0.6, 0.8],
    "log2_": [0.3, 0.6, 0.8],
    "log10_": [0.3, 0.6, 0.8],
    "exp2_": [0.3, 0.6, 0.8],
    "rsqrt_": [0.3, 0.6, 0.8],
    "logit_": [0.3, 0.6, 0.8],
    "nan_to_num_": [0.3, 0.6, 0.8],
    "trunc_": [1.3, -1.6, 2.8],
    "frac_": [1.3, -1.6, 2.8],
    "deg2rad_": [30.0, 45.0, 90.0],
    "rad2deg_": [0.3, 0.6, 0.8],
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_forms_match_theirs_bump_the_version_and_refuse_leaves(name):
    values = IN_PLACE[name]
    x = f64(values, requires_grad=True)
    h = x * 1.5
    returned = getattr(h, name)()
    assert returned is h and h._version == 1
    expected = getattr(x * 1.5, name[:-1])()
    np.testing.assert_array_equal(h.data, expected.data)
    (h * h).sum().backward()
    if name == "trunc_":  # trunc carries no gradient; in place, a zero one flows back, as in PyTorch
        np.testing.assert_array_equal(x.grad.data, [0.0, 0.0, 0.0])
    else:
        want = tg.autograd.grad((expected * expected).sum(), x)[0]
        np.testing.assert_allclose(x.grad.data, want.data)
    with pytest.raises(RuntimeError, match="leaf Variable"):  # refused on a leaf that needs grad
        getattr(x, name)()
    np.testing.assert_array_equal(x.data, values)
    assert x._version == 0


def test_in_place_forms_take_arguments_and_refuse_a_float_result_in_an_integer_tensor():
    t = f64([0.05, 0.5])
    t.logit_(eps=0.1)
    np.testing.assert_allclose(t.data, [math.log(1 / 9), 0.0])
    t = f64([NAN, INF])
    assert t.nan_to_num_(1.0, posinf=2.0).tolist() == [1.0, 2.0] and t._version == 1
    i = tg.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        i.asin_()
    assert i.tolist() == [1, 2] and i._version == 0  # a failed call changes nothing
    assert tg.tensor([-3, 4]).trunc_().tolist() == [-3, 4] and tg.tensor([2.5]).fix_().tolist() == [2.0]
    assert tg.tensor([0.5]).arcsin_().item() == pytest.approx(math.pi / 6)


def test_in_place_results_cast_down_within_a_category_but_never_across_one():
    x = tg.tensor([3, 200], dtype=tg.uint8)
    x += tg.tensor([1, 2])  # int64 into uint8: allowed, as in PyTorch (NumPy's same_kind refuses it)
    assert x.tolist() == [4, 202] and x.dtype == tg.uint8
    y = tg.tensor([3, 100], dtype=tg.int8)
    y *= tg.tensor([1, 2])
    assert y.tolist() == [3, -56]  # wraps around, as in PyTorch
    b = tg.tensor([True, False])
    with pytest.raises(RuntimeError, match="Long can't be cast to the desired output type Bool"):
        b += tg.tensor([1, 2])
    assert b.tolist() == [True, False] and b._version == 0


def test_power_assignment_changes_the_tensor_in_place():
    x = tg.tensor([1.0, 2.0])
    alias = x
    x **= 2
    assert x is alias and alias.tolist() == [1.0, 4.0] and x._version == 1
    i = tg.tensor([1, 2])
    with pytest.raises(RuntimeError, match="Float can't be cast to the desired output type Long"):
        i **= 1.5
    assert i.tolist() == [1, 2]
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    h = w * 1.0
    h **= 3
    h.sum().backward()
    assert w.grad.tolist() == [3.0, 12.0]  # d(w^3)/dw = 3 w^2


# ---------------------------------------------------------------- against PyTorch, if installed

# name: (low, high) of uniform inputs inside the domain, away from the kinks
TORCH_UNARY = {
    "tan": (-1.2, 1.2),
    "asin": (-0.95, 0.95),
    "acos": (-0.95, 0.95),
    "atan": (-4.0, 4.0),
    "sinh": (-4.0, 4.0),
    "cosh": (-4.0, 4.0),
    "asinh": (-4.0, 4.0),
    "acosh": (1.05, 5.0),
    "atanh": (-0.95, 0.95),
    "log2": (0.1, 5.0),
    "log10": (0.1, 5.0),
    "exp2": (-4.0, 4.0),
    "rsqrt": (0.1, 5.0),
    "logit": (0.02, 0.98),
    "frac": (-4.0, 4.0),
    "deg2rad": (-400.0, 400.0),
    "rad2deg": (-7.0, 7.0),
    "arcsin": (-0.95, 0.95),
    "arctanh": (-0.95, 0.95),
}

# name: (call, ranges of a and b), each drawn with shapes (3, 1) and (4,), (4,) and (), and (2, 3) twice
TORCH_BINARY = {
    "atan2": (lambda m, a, b: m.atan2(a, b), (-3.0, 3.0), (-3.0, 3.0)),
    "arctan2": (lambda m, a, b: m.arctan2(a, b), (-3.0, 3.0), (-3.0, 3.0)),
    "hypot": (lambda m, a, b: m.hypot(a, b), (-3.0, 3.0), (-3.0, 3.0)),
    "logaddexp": (lambda m, a, b: m.logaddexp(a, b), (-30.0, 30.0), (-30.0, 30.0)),
    "xlogy": (lambda m, a, b: m.xlogy(a, b), (-3.0, 3.0), (0.1, 3.0)),
    "fmod": (lambda m, a, b: m.fmod(a, b), (-5.0, 5.0), (0.7, 1.9)),
    "copysign": (lambda m, a, b: m.copysign(a, b), (-3.0, 3.0), (-3.0, 3.0)),
    "lerp_number": (lambda m, a, b: m.lerp(a, b, 0.7), (-3.0, 3.0), (-3.0, 3.0)),
    "lerp_tensor": (lambda m, a, b: m.lerp(a, b, b.sin()), (-3.0, 3.0), (-3.0, 3.0)),
    "addcmul": (lambda m, a, b: m.addcmul(a, b, a * 2, value=-0.5), (-3.0, 3.0), (-3.0, 3.0)),
    "addcdiv": (lambda m, a, b: m.addcdiv(b, a, b, value=3), (-3.0, 3.0), (0.5, 3.0)),
    "logit_eps": (lambda m, a, b: m.logit(a, eps=0.2) * b, (0.0, 1.0), (-3.0, 3.0)),
    "nan_to_num": (lambda m, a, b: m.nan_to_num(a.log() * b, nan=0.5, posinf=9.0), (-1.0, 3.0), (-3, 3)),
}


def _torch_and_inputs(name, ranges, shapes):
    """torch, a generator, and float64 inputs in `ranges` of `shapes`, as ours and as torch's."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    arrays = [rng.uniform(low, high, shape) for (low, high), shape in zip(ranges, shapes)]
    ours = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    return torch, rng, ours, theirs


@pytest.mark.parametrize("name", sorted(TORCH_UNARY))
def test_unary_values_gradients_and_dtypes_match_torch_if_installed(name):
    torch, rng, ours, theirs = _torch_and_inputs(name, [TORCH_UNARY[name]], [(3, 4)])
    assert_values_and_gradients_agree(
        torch, rng, getattr(ours[0], name)(), getattr(theirs[0], name)(), ours, theirs
    )
    if name != "frac":  # (which both refuse for integers)
        ints = np.array([1, 2, 0])
        ours_dtype, theirs_dtype = (
            getattr(tg.tensor(ints), name)().dtype,
            getattr(torch.tensor(ints), name)().dtype,
        )
        assert str(theirs_dtype) == f"torch.{ours_dtype}"


@pytest.mark.parametrize("name", sorted(TORCH_BINARY))
@pytest.mark.parametrize("shapes", [((3, 1), (4,)), ((4,), ()), ((2, 3), (2, 3))])
def test_binary_values_and_gradients_match_torch_with_broadcasting_if_installed(name, shapes):
    call, *ranges = TORCH_BINARY[name]
    torch, rng, ours, theirs = _torch_and_inputs(name, ranges, shapes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the log of a negative, in the nan_to_num case: Log is not quiet)
        ours_out = call(tg, *ours)
    assert_values_and_gradients_agree(torch, rng, ours_out, call(torch, *theirs), ours, theirs)


def test_edge_values_and_gradients_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    cases = [  # (call, a, b) at the edges: zeros, signed zeros, infinities, nan, ends of domains
        (
            lambda m, a, b: m.xlogy(a, b),
            [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0],
            [0.0, -1.0, INF, NAN, 0.0, -1.0, 2.0],
        ),
        (lambda m, a, b: m.copysign(a, b), [1.0, -0.0, 2.0, 0.0, NAN], [-0.0, -1.0, 3.0, 1.0, -1.0]),
        (lambda m, a, b: m.atan2(a, b), [0.0, -0.0, 1.0, INF], [0.0, -0.0, 0.0, INF]),
        (lambda m, a, b: m.fmod(a, b), [-7.0, 7.0, 5.5, INF], [3.0, -3.0, 0.0, 2.0]),
        (lambda m, a, b: m.logit(a, eps=0.1) + m.logit(b), [0.0, 0.1, 0.95, 1.0], [0.0, 0.5, 1.0, 2.0]),
        (lambda m, a, b: m.nan_to_num(a, neginf=-7.0) * b, [NAN, INF, -INF, 1.0], [1.0, 0.5, 3.0, 4.0]),
        (lambda m, a, b: m.asin(a) + m.acosh(b), [1.0, -1.0, 2.0, 0.0], [1.0, 0.5, INF, 2.0]),
        (lambda m, a, b: m.rsqrt(a) + m.atanh(b), [0.0, -0.0, INF, -1.0], [1.0, -1.0, 2.0, 0.0]),
        (lambda m, a, b: m.logaddexp(a, b), [-INF, INF, INF, 1.0], [-INF, INF, -INF, NAN]),
        (lambda m, a, b: m.frac(a) * b + m.trunc(b), [-0.5, 2.5, INF, -INF], [-0.5, 2.5, 1.0, -3.75]),
        (lambda m, a, b: m.hypot(a, b) + m.tan(b), [0.0, INF, NAN, 3.0], [0.0, NAN, INF, 4.0]),
        (lambda m, a, b: m.lerp(a, b, 0.75) + m.exp2(b), [INF, 1.0, 0.0, -2.0], [1.0, INF, -INF, 3.0]),
    ]
    without_gradient = [  # (call, a, b): results that carry no gradient
        (lambda m, a, b: m.heaviside(a, b), [NAN, 0.0, -0.0, -1.0, INF], [0.5, 0.25, 2.0, 3.0, 4.0]),
        (
            lambda m, a, b: m.logical_xor(m.signbit(a), m.isposinf(b)),
            [-0.0, 0.0, NAN, -1.0],
            [INF, -INF, NAN, 1.0],
        ),
        (
            lambda m, a, b: m.logical_or(m.isneginf(a), m.isfinite(b)),
            [-INF, 0.0, NAN, -1.0],
            [INF, -INF, NAN, 1.0],
        ),
        (lambda m, a, b: m.logical_xor(a, b), [-0.0, 0.0, NAN, -1.0], [INF, 0.0, NAN, 0.0]),
    ]
    warnings.simplefilter("error")  # (pytest restores the filters after the test)
    for call, a, b in cases + without_gradient:
        differentiable = (call, a, b) in cases
        ours = [f64(v, requires_grad=differentiable) for v in (a, b)]
        theirs = [torch.tensor(v, dtype=torch.float64, requires_grad=differentiable) for v in (a, b)]
        ours_out, theirs_out = call(tg, *ours), call(torch, *theirs)
        np.testing.assert_allclose(ours_out.data, theirs_out.detach().numpy(), rtol=1e-13)
        if differentiable:
            ours_out.backward(tg.ones_like(ours_out))
            theirs_out.backward(torch.ones_like(theirs_out))
            for x, t in zip(ours, theirs):
                np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-13)


@pytest.mark.parametrize(("op", "quotient"), [("fmod", [2.0, -2.0]), ("remainder", [2.0, -3.0])])
def test_the_divisors_gradient_is_in_the_graph_for_a_second_derivative(op, quotient):
    a = tg.tensor([5.5, -5.5], dtype=tg.float64, requires_grad=True)
    b = tg.tensor([2.0, 2.0], dtype=tg.float64, requires_grad=True)
    (gb,) = tg.autograd.grad(getattr(a, op)(b).sum(), b, create_graph=True)
    assert gb.tolist() == [-q for q in quotient] and gb.requires_grad  # -trunc(a/b) or -floor(a/b)
    ga, gbb = tg.autograd.grad(gb.sum(), [a, b])  # (it raised: the quotient was a constant)
    assert ga.tolist() == [0.0, 0.0] and gbb.tolist() == [0.0, 0.0]  # piecewise constant: slope 0
