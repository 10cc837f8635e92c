"""Softmin, GLU, Threshold, Hardshrink, Softshrink and Tanhshrink (nn/extra_activations.py).

Values against NumPy formulas, gradients against finite differences (first
and second order, float64), slopes at the corners, NaN, integer inputs,
reprs and errors; and, when PyTorch is installed, values, slopes, reprs,
signatures and error types against PyTorch's.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(11)
# a grid through the corners: +-0.5 (the default lambd), 0.3 (the threshold used below), 0
GRID = np.array([-3.0, -0.7, -0.5, -0.2, 0.0, 0.1, 0.3, 0.5, 0.9, 4.0])


def _softmax_np(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# name -> (ours, the NumPy formula), elementwise on GRID
FORMULAS = {
    "threshold": (lambda t: F.threshold(t, 0.3, -2.0), lambda x: np.where(x > 0.3, x, -2.0)),
    "hardshrink": (F.hardshrink, lambda x: np.where(np.abs(x) > 0.5, x, 0.0)),
    "hardshrink_1": (lambda t: F.hardshrink(t, 1.0), lambda x: np.where(np.abs(x) > 1.0, x, 0.0)),
    "softshrink": (F.softshrink, lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.5, 0.0)),
    "softshrink_0": (lambda t: F.softshrink(t, 0.0), lambda x: x),
    "tanhshrink": (F.tanhshrink, lambda x: x - np.tanh(x)),
}


@pytest.mark.parametrize("name", FORMULAS)
def test_elementwise_values_match_the_formulas(name):
    ours, formula = FORMULAS[name]
    np.testing.assert_allclose(ours(tg.tensor(GRID)).data, formula(GRID), rtol=1e-15, atol=1e-16)


def test_softmin_is_softmax_of_the_negation_along_dim():
    x = rng.standard_normal((3, 4, 5))
    for dim in (0, 1, -1):
        got = F.softmin(tg.tensor(x), dim).data
        np.testing.assert_allclose(got, _softmax_np(-x, dim), rtol=1e-14)
        np.testing.assert_allclose(got.sum(axis=dim), 1.0, rtol=1e-14)
    assert F.softmin(tg.tensor([1.0, 2.0, 3.0]), 0).argmax().item() == 0  # the smallest weighs most
    big = F.softmin(tg.tensor([-1000.0, 0.0, 1000.0]), 0)  # the max-shift keeps it finite
    np.testing.assert_array_equal(big.data, [1.0, 0.0, 0.0])


def test_softmin_without_dim_warns_and_guesses_as_pytorch():
    x = tg.tensor(rng.standard_normal((2, 3)))
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmin") as caught:
        y = F.softmin(x)
    assert caught[0].filename == __file__
    np.testing.assert_allclose(y.data, F.softmin(x, 1).data)  # 2-d: dim 1
    with pytest.warns(UserWarning):
        np.testing.assert_allclose(nn.Softmin()(x[0]).data, F.softmin(x[0], 0).data)  # 1-d: dim 0


def test_glu_gates_the_first_half_with_the_second():
    x = rng.standard_normal((2, 6, 3))
    a, b = x[:, :3], x[:, 3:]
    np.testing.assert_allclose(F.glu(tg.tensor(x), 1).data, a / (1 + np.exp(-b)), rtol=1e-15)
    last = F.glu(tg.tensor(x[..., :2]))  # the default dim is the last one
    np.testing.assert_allclose(last.data, x[..., :1] / (1 + np.exp(-x[..., 1:2])), rtol=1e-15)
    assert nn.GLU(0)(tg.tensor(np.ones((4, 5)))).shape == (2, 5)
    assert F.glu(tg.zeros(2, 0)).shape == (2, 0)


@pytest.mark.parametrize(
    "fn",
    [
        lambda t: F.softmin(t, 1),
        lambda t: F.glu(t, 1),
        lambda t: F.glu(t, 0),
        lambda t: F.threshold(t, 0.3, -2.0),
        F.hardshrink,
        F.softshrink,
        F.tanhshrink,
    ],
    ids=["softmin", "glu_dim1", "glu_dim0", "threshold", "hardshrink", "softshrink", "tanhshrink"],
)
def test_gradients_against_finite_differences(fn):
    # away from the corners (+-0.5, 0.3), where the slope jumps
    x = tg.tensor(np.array([[-1.3, -0.8, -0.1, 0.2], [0.7, 1.6, -2.2, 0.05]]), requires_grad=True)
    assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])


def _slopes(fn, points: list[float]) -> list[float]:
    x = tg.tensor(np.array(points), requires_grad=True)
    fn(x).sum().backward()
    return x.grad.tolist()


def test_slopes_at_the_corners_are_pytorchs():
    # 0 at the corners (numbers read from torch 2.13): the value there is the flat piece's
    assert _slopes(lambda t: F.threshold(t, 0.3, -2.0), [0.3, 0.2, 0.4]) == [0.0, 0.0, 1.0]
    assert _slopes(F.hardshrink, [-0.5, 0.5, -0.6, 0.6, 0.0]) == [0.0, 0.0, 1.0, 1.0, 0.0]
    assert _slopes(F.softshrink, [-0.5, 0.5, -0.6, 0.6, 0.0]) == [0.0, 0.0, 1.0, 1.0, 0.0]
    assert _slopes(F.tanhshrink, [0.0]) == [0.0]


def test_nan_and_infinities_pass_through_as_in_pytorch():
    x = tg.tensor([float("nan"), float("inf"), -float("inf")])
    for fn in (F.hardshrink, F.softshrink, F.tanhshrink):
        y = fn(x).data
        assert np.isnan(y[0]) and y[1] == np.inf and y[2] == -np.inf
    y = F.threshold(x, 0.5, 2.0).data
    assert np.isnan(y[0]) and y[1] == np.inf and y[2] == 2.0


def test_threshold_in_place_and_on_integers():
    t = tg.tensor([-1.0, 0.5, 2.0])
    data = t.data
    assert F.threshold_(t, 0.5, 9.0) is t and t.data is data and t.tolist() == [9.0, 9.0, 2.0]
    h = tg.tensor([-1.0, 2.0], requires_grad=True) * 1.0
    assert nn.Threshold(0.0, 5.0, inplace=True)(h) is h and h.tolist() == [5.0, 2.0]
    with pytest.raises(RuntimeError, match="leaf Variable"):
        F.threshold(tg.ones(2, requires_grad=True), 0.0, 1.0, inplace=True)
    # integers: both numbers cut toward 0 (-1.5 -> -1, 0.7 -> 0, -2.7 -> -2), the dtype kept
    ints = tg.tensor([-1, -2, 1, 2])
    assert F.threshold(ints, -1.5, 0.7).tolist() == [0, 0, 1, 2]
    assert F.threshold(ints, -1.5, -2.7).tolist() == [-2, -2, 1, 2]
    assert F.threshold(ints, 1, -2).dtype == np.int64


def test_modules_call_their_functions():
    x = tg.tensor(rng.standard_normal((3, 4)))
    pairs = [
        (nn.Softmin(1), F.softmin(x, 1)),
        (nn.GLU(), F.glu(x)),
        (nn.Threshold(0.1, 20.0), F.threshold(x, 0.1, 20.0)),
        (nn.Hardshrink(0.3), F.hardshrink(x, 0.3)),
        (nn.Softshrink(0.3), F.softshrink(x, 0.3)),
        (nn.Tanhshrink(), F.tanhshrink(x)),
    ]
    for layer, expected in pairs:
        np.testing.assert_array_equal(layer(x).data, expected.data)
        assert list(layer.state_dict()) == []


REPR = """Sequential(
  (0): Softmin(dim=None)
  (1): Softmin(dim=1)
  (2): GLU(dim=-1)
  (3): Threshold(threshold=0.1, value=20)
  (4): Threshold(threshold=0.1, value=20, inplace=True)
  (5): Hardshrink(0.5)
  (6): Softshrink(1)
  (7): Tanhshrink()
)"""


def _every_layer(lib):
    nn_ = lib.nn
    return nn_.Sequential(
        nn_.Softmin(),
        nn_.Softmin(1),
        nn_.GLU(),
        nn_.Threshold(0.1, 20),
        nn_.Threshold(0.1, 20, True),
        nn_.Hardshrink(),
        nn_.Softshrink(1),
        nn_.Tanhshrink(),
    )


def test_reprs_are_pytorchs():
    assert repr(_every_layer(tg)) == REPR


def test_reprs_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    assert repr(_every_layer(torch)) == REPR


def test_errors():
    with pytest.raises(RuntimeError, match="Halving dimension must be even, but dimension 1 is size 3"):
        F.glu(tg.ones(2, 3))
    with pytest.raises(RuntimeError, match="Halving dimension must be even, but dimension 0 is size 3"):
        F.glu(tg.ones(3), -1)
    with pytest.raises(RuntimeError, match="does not support scalars"):
        F.glu(tg.tensor(1.0))
    with pytest.raises(IndexError, match="Dimension out of range"):
        F.glu(tg.ones(2, 4), 2)
    with pytest.raises(RuntimeError, match="lambda must be greater or equal to 0"):
        F.softshrink(tg.ones(2), -1.0)
    layer = nn.Softshrink(-1.0)  # built without complaint, refused at the call, as in PyTorch
    with pytest.raises(RuntimeError, match="lambda"):
        layer(tg.ones(2))
    assert F.hardshrink(tg.tensor([0.5, -2.0]), -1.0).tolist() == [0.5, -2.0]  # every |x| > -1 passes


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_integer_inputs_as_torch(lib_name):
    lib = pytest.importorskip(lib_name)
    fn, ints = lib.nn.functional, lib.tensor([1, 2, 3, 4])
    for call in (lambda t: fn.softmin(t, 0), fn.glu, fn.hardshrink, fn.softshrink):
        with pytest.raises(NotImplementedError):
            call(ints)
    assert fn.tanhshrink(ints).dtype == lib.float32


# ---------------------------------------------------------------- against PyTorch

AGAINST_TORCH = {
    "softmin": lambda lib, t: lib.nn.functional.softmin(t, 0),
    "glu": lambda lib, t: lib.nn.functional.glu(t, 0),
    "threshold": lambda lib, t: lib.nn.functional.threshold(t, 0.3, -2.0),
    "hardshrink": lambda lib, t: lib.nn.functional.hardshrink(t),
    "hardshrink_1": lambda lib, t: lib.nn.functional.hardshrink(t, 1.0),
    "softshrink": lambda lib, t: lib.nn.functional.softshrink(t),
    "softshrink_2": lambda lib, t: lib.nn.functional.softshrink(t, 2.0),
    "tanhshrink": lambda lib, t: lib.nn.functional.tanhshrink(t),
}


@pytest.mark.parametrize("name", AGAINST_TORCH)
def test_values_and_slopes_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    x = np.concatenate([GRID, [-40.0, 40.0]])  # the corners, and large values
    ours, theirs = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    y, z = AGAINST_TORCH[name](tg, ours), AGAINST_TORCH[name](torch, theirs)
    upstream = rng.standard_normal(y.shape)
    y.backward(tg.tensor(upstream))
    z.backward(torch.tensor(upstream))
    np.testing.assert_allclose(y.data, z.detach().numpy(), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-14, atol=1e-15)


def test_softmin_implicit_dims_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    for shape in [(4,), (2, 3), (2, 3, 4), (2, 3, 4, 5)]:
        x = rng.standard_normal(shape)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = torch.nn.functional.softmin(torch.tensor(x)).numpy()
            np.testing.assert_allclose(F.softmin(tg.tensor(x)).data, want, rtol=1e-14)


def test_error_types_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    calls = [
        lambda lib: lib.nn.functional.glu(lib.ones(2, 3)),
        lambda lib: lib.nn.functional.glu(lib.tensor(1.0)),
        lambda lib: lib.nn.functional.glu(lib.ones(2, 4), 2),
        lambda lib: lib.nn.functional.softshrink(lib.ones(2), -1.0),
    ]
    for call in calls:
        with pytest.raises(Exception) as theirs:
            call(torch)
        with pytest.raises(type(theirs.value)):
            call(tg)


def _parameters(fn):
    return [
        (p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "self"
    ]


@pytest.mark.parametrize("name", ["GLU", "Threshold", "Hardshrink", "Softshrink", "Softmin"])
def test_module_signatures_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    assert _parameters(getattr(nn, name).__init__) == _parameters(getattr(torch.nn, name).__init__)


@pytest.mark.parametrize("name", ["glu", "threshold"])
def test_function_signatures_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    assert _parameters(getattr(F, name)) == _parameters(getattr(torch.nn.functional, name))
