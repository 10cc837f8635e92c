"""The activations beyond ReLU (ELU ... PReLU) and nn.functional's distances.

Values against NumPy formulas, slopes at the corners as PyTorch sets them,
large inputs without overflow, in-place forms, reprs and errors; optional
comparisons with PyTorch where it is installed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.testing import gradcheck, gradgradcheck

# a grid through every corner of these functions: 0, +-1, +-3, 6
GRID = np.array([-7.0, -6.0, -3.0, -2.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.0, 3.0, 5.5, 6.0, 8.0])
SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _elu_np(x: np.ndarray, alpha: float = 1.0, slope: float = 1.0) -> np.ndarray:
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0) * slope))


# name -> (our function, the NumPy formula)
FORMULAS = {
    "elu": (lambda t: F.elu(t, alpha=0.5), lambda x: _elu_np(x, 0.5)),
    "selu": (F.selu, lambda x: SELU_SCALE * _elu_np(x, SELU_ALPHA)),
    "celu": (lambda t: F.celu(t, alpha=2.0), lambda x: _elu_np(x, 2.0, 0.5)),
    "silu": (F.silu, lambda x: x / (1 + np.exp(-x))),
    "mish": (F.mish, lambda x: x * np.tanh(np.log1p(np.exp(x)))),
    "hardtanh": (lambda t: F.hardtanh(t, -2.5, 5.5), lambda x: np.clip(x, -2.5, 5.5)),
    "relu6": (F.relu6, lambda x: np.clip(x, 0, 6)),
    "logsigmoid": (F.logsigmoid, lambda x: np.log(1 / (1 + np.exp(-x)))),
    "softsign": (F.softsign, lambda x: x / (1 + np.abs(x))),
    "hardsigmoid": (F.hardsigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    "hardswish": (F.hardswish, lambda x: x * np.clip(x + 3, 0, 6) / 6),
    "prelu": (lambda t: F.prelu(t, tg.tensor(np.array([0.25]))), lambda x: np.where(x > 0, x, 0.25 * x)),
}


@pytest.mark.parametrize("name", FORMULAS)
def test_values_match_the_formulas(name):
    ours, formula = FORMULAS[name]
    np.testing.assert_allclose(ours(tg.tensor(GRID)).data, formula(GRID), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("name", FORMULAS)
def test_gradients_away_from_the_corners(name):
    ours, _ = FORMULAS[name]
    x = tg.tensor(np.array([[-4.2, -2.0, -0.6], [0.3, 1.7, 4.4]]), requires_grad=True)
    assert gradcheck(ours, [x]) and gradgradcheck(ours, [x])


def _slopes(fn, points: list[float]) -> list[float]:
    x = tg.tensor(np.array(points), requires_grad=True)
    fn(x).sum().backward()
    return x.grad.tolist()


def test_slopes_at_the_corners_are_pytorchs():
    # PyTorch's choices where the slope jumps (numbers read from torch 2.13)
    assert _slopes(F.hardtanh, [-1.0, 0.0, 1.0]) == [0.0, 1.0, 0.0]  # 0 at both corners (clamp's is 1)
    assert _slopes(F.relu6, [0.0, 3.0, 6.0]) == [0.0, 1.0, 0.0]
    assert _slopes(F.hardsigmoid, [-3.0, 0.0, 3.0]) == [0.0, 1 / 6, 0.0]
    assert _slopes(F.hardswish, [-3.0, 0.0, 3.0]) == [0.0, 0.5, 1.0]
    assert _slopes(lambda t: F.elu(t, 0.5), [0.0]) == [0.5]  # from the exponential side
    assert _slopes(F.selu, [0.0]) == pytest.approx([SELU_SCALE * SELU_ALPHA], rel=1e-15)
    assert _slopes(lambda t: F.celu(t, 2.0), [0.0]) == [1.0]
    assert _slopes(FORMULAS["prelu"][0], [0.0]) == [0.25]
    assert _slopes(F.softsign, [0.0]) == [1.0]


LARGE = np.array([-1000.0, -100.0, 100.0, 1000.0])
# the limits for x -> -inf and x -> +inf: values and slopes at +-1000
LIMITS = {
    "elu": ([-0.5, 1000.0], [0.0, 1.0]),
    "selu": ([-SELU_SCALE * SELU_ALPHA, SELU_SCALE * 1000.0], [0.0, SELU_SCALE]),
    "celu": ([-2.0, 1000.0], [0.0, 1.0]),
    "silu": ([0.0, 1000.0], [0.0, 1.0]),
    "mish": ([0.0, 1000.0], [0.0, 1.0]),
    "logsigmoid": ([-1000.0, 0.0], [1.0, 0.0]),
    "softsign": ([-1000 / 1001, 1000 / 1001], [1e-6, 1e-6]),  # (slope 1/1001^2: towards 0)
    "hardswish": ([0.0, 1000.0], [0.0, 1.0]),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", LIMITS)
def test_large_inputs_reach_the_limits_without_overflow(name, dtype):
    ours, formula = FORMULAS[name]
    x = tg.tensor(LARGE.astype(dtype), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow in exp would warn
        y = ours(x)
        y.sum().backward()
    values, slopes = LIMITS[name]
    assert y.dtype == dtype and x.grad.dtype == dtype
    rtol = 1e-6 if dtype == np.float32 else 1e-14
    np.testing.assert_allclose(y.data[[0, -1]], values, rtol=rtol, atol=1e-300)
    np.testing.assert_allclose(x.grad.data[[0, -1]], slopes, rtol=rtol, atol=1e-8)
    assert np.all(np.isfinite(y.data)) and np.all(np.isfinite(x.grad.data))


def test_logsigmoid_keeps_the_tiny_tail_that_log_of_sigmoid_loses():
    # log(1 - e^-40) rounds 1 - e^-40 to 1 first: 0; -softplus(-40) keeps -e^-40
    assert F.logsigmoid(tg.tensor(np.array([40.0]))).item() == pytest.approx(-np.exp(-40.0), rel=1e-12)
    assert F.logsigmoid(tg.tensor(np.array([-40.0]))).item() == pytest.approx(-40.0 - np.exp(-40.0))


# ---------------------------------------------------------------- modules and in-place forms

MODULES = [
    (nn.ELU, {"alpha": 0.5}, lambda t: F.elu(t, 0.5)),
    (nn.SELU, {}, F.selu),
    (nn.CELU, {"alpha": 2.0}, lambda t: F.celu(t, 2.0)),
    (nn.SiLU, {}, F.silu),
    (nn.Mish, {}, F.mish),
    (nn.Hardtanh, {"min_val": -2.5, "max_val": 5.5}, lambda t: F.hardtanh(t, -2.5, 5.5)),
    (nn.ReLU6, {}, F.relu6),
    (nn.Hardsigmoid, {}, F.hardsigmoid),
    (nn.Hardswish, {}, F.hardswish),
]


@pytest.mark.parametrize("cls, kwargs, fn", MODULES, ids=[cls.__name__ for cls, _, _ in MODULES])
def test_modules_with_inplace_overwrite_their_input_and_keep_gradients_right(cls, kwargs, fn):
    np.testing.assert_array_equal(cls(**kwargs)(tg.tensor(GRID)).data, fn(tg.tensor(GRID)).data)
    x = tg.tensor(GRID, requires_grad=True)
    expected = fn(x * 1.5)
    (expected * expected).sum().backward()
    want_grad, x.grad = x.grad.data.copy(), None
    h = x * 1.5
    assert cls(**kwargs, inplace=True)(h) is h
    np.testing.assert_array_equal(h.data, expected.data)
    (h * h).sum().backward()  # the graph kept the value from before the overwrite
    np.testing.assert_allclose(x.grad.data, want_grad, rtol=1e-15)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        cls(**kwargs, inplace=True)(tg.ones(3, requires_grad=True))


@pytest.mark.parametrize(
    "inplace, fn",
    [
        (F.relu_, F.relu),
        (lambda t: F.leaky_relu_(t, 0.2), lambda t: F.leaky_relu(t, 0.2)),
        (lambda t: F.elu_(t, 0.5), lambda t: F.elu(t, 0.5)),
        (F.selu_, F.selu),
        (lambda t: F.celu_(t, 2.0), lambda t: F.celu(t, 2.0)),
        (lambda t: F.hardtanh_(t, -2.5, 5.5), lambda t: F.hardtanh(t, -2.5, 5.5)),
    ],
)
def test_functional_in_place_forms(inplace, fn):
    t = tg.tensor(GRID)
    data = t.data
    version = t._version
    assert inplace(t) is t and t.data is data and t._version > version
    np.testing.assert_array_equal(t.data, fn(tg.tensor(GRID)).data)


REPR = """Sequential(
  (0): ELU(alpha=0.5)
  (1): CELU(alpha=2.0, inplace=True)
  (2): SELU(inplace=True)
  (3): SiLU()
  (4): Mish(inplace=True)
  (5): Hardtanh(min_val=-2, max_val=3)
  (6): Hardtanh(min_val=-1.5, max_val=2.5, inplace=True)
  (7): ReLU6()
  (8): ReLU6(inplace=True)
  (9): LogSigmoid()
  (10): Softsign()
  (11): Hardsigmoid()
  (12): Hardswish()
  (13): PReLU(num_parameters=3)
)"""


def _every_new_activation(lib):
    nn_ = lib.nn
    return nn_.Sequential(
        nn_.ELU(alpha=0.5),
        nn_.CELU(2.0, inplace=True),
        nn_.SELU(True),
        nn_.SiLU(),
        nn_.Mish(inplace=True),
        nn_.Hardtanh(-2, 3),
        nn_.Hardtanh(-1.5, 2.5, True),
        nn_.ReLU6(),
        nn_.ReLU6(True),
        nn_.LogSigmoid(),
        nn_.Softsign(),
        nn_.Hardsigmoid(inplace=True),  # PyTorch never prints inplace for these two
        nn_.Hardswish(inplace=True),
        nn_.PReLU(3, 0.1),
    )


def test_reprs_in_a_sequential_are_pytorchs():
    assert repr(_every_new_activation(tg)) == REPR
    assert repr(nn.ELU()) == "ELU(alpha=1.0)" and repr(nn.Hardtanh()) == "Hardtanh(min_val=-1.0, max_val=1.0)"
    assert isinstance(nn.ReLU6(), nn.Hardtanh)  # as in PyTorch
    assert (nn.ReLU6().min_val, nn.ReLU6().max_val) == (0.0, 6.0)


def test_reprs_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    assert repr(_every_new_activation(torch)) == REPR


# ---------------------------------------------------------------- PReLU


def test_prelu_weight_is_a_parameter_named_and_shaped_as_pytorchs():
    layer = nn.PReLU(3, init=0.1)
    assert list(layer.state_dict()) == ["weight"] and layer.weight.shape == (3,)
    assert isinstance(layer.weight, nn.Parameter) and layer.weight.dtype == np.float32
    np.testing.assert_array_equal(layer.weight.data, np.float32(0.1))
    assert nn.PReLU().weight.tolist() == [0.25]
    assert nn.PReLU(2, dtype=np.float64).weight.dtype == np.float64
    assert [name for name, _ in nn.Sequential(nn.Linear(2, 3), nn.PReLU()).named_parameters()] == [
        "0.weight",
        "0.bias",
        "1.weight",
    ]


def test_prelu_slopes_per_channel_and_their_gradient():
    x = np.array([[[-1.0, 2.0], [-3.0, -0.5]], [[4.0, -2.0], [0.5, -1.0]]])  # (N=2, C=2, L=2)
    layer = nn.PReLU(2).double()
    layer.weight.data[...] = [0.1, 0.3]
    y = layer(tg.tensor(x))
    slope = np.array([0.1, 0.3])[None, :, None]
    np.testing.assert_allclose(y.data, np.where(x > 0, x, slope * x))
    y.sum().backward()
    # dL/da_c = the sum of channel c's inputs that are <= 0
    np.testing.assert_allclose(layer.weight.grad.data, [-1.0 - 2.0, -3.0 - 0.5 - 1.0])
    assert gradcheck(lambda t, w: F.prelu(t, w), [tg.tensor(x, requires_grad=True), layer.weight])
    # one slope for every channel; a 0-d input
    assert F.prelu(tg.tensor(-2.0), tg.tensor([0.1])).shape == ()
    np.testing.assert_allclose(
        F.prelu(tg.tensor(x), tg.tensor(np.array(0.5))).data, np.where(x > 0, x, x / 2)
    )


@pytest.mark.parametrize(
    "input_shape, weight, message",
    [
        ((2, 4), [0.1, 0.2, 0.3], "parameter numbers = 3 and channel size = 4"),
        ((3,), [0.1, 0.2, 0.3], "parameter numbers = 3 and channel size = 1"),  # 1-d: one channel
        ((), [0.1, 0.2], "0-d input"),
        ((2, 3), [[0.1, 0.2, 0.3]], "scalar or 1-D"),
    ],
)
def test_prelu_checks_the_weight_against_the_channels(input_shape, weight, message):
    with pytest.raises(RuntimeError, match=message):
        F.prelu(-tg.ones(input_shape), tg.tensor(weight))


def test_prelu_module_arguments():
    with pytest.raises(RuntimeError, match="non-negative"):
        nn.PReLU(-1)
    with pytest.raises(TypeError, match="must be an int"):
        nn.PReLU(2.0)
    with pytest.raises(RuntimeError, match="does not match"):
        F.prelu(tg.ones(2, 3), tg.tensor(np.ones(3)))  # float32 input, float64 weight


def test_prelu_state_dict_moves_to_and_from_torch_if_installed():
    torch = pytest.importorskip("torch")
    ours, theirs = nn.PReLU(3, 0.1), torch.nn.PReLU(3, 0.1)
    ours.weight.data[...] = [0.1, -0.2, 0.3]
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((4, 3, 5)).astype(np.float32)
    np.testing.assert_allclose(ours(tg.tensor(x)).data, theirs(torch.from_numpy(x)).detach().numpy())


# ---------------------------------------------------------------- errors


def test_argument_errors_use_pytorchs_types():
    with pytest.raises(ValueError, match="min_val cannot be greater than max_val"):
        F.hardtanh(tg.ones(2), 1.0, -1.0)
    assert F.hardtanh(tg.tensor([0.5, 3.0]), 1.0, 1.0).tolist() == [1.0, 1.0]  # equal bounds are allowed
    with pytest.raises(AssertionError, match=r"max_val \(1.0\) must be greater than min_val \(1.0\)"):
        nn.Hardtanh(1.0, 1.0)  # (the module refuses equal bounds too, as PyTorch's)
    with pytest.raises(RuntimeError, match="alpha cannot be 0"):
        F.celu(tg.ones(2), alpha=0.0)
    with pytest.raises(RuntimeError, match="alpha cannot be 0"):
        nn.CELU(0.0)(tg.ones(2))  # checked at the call, as in PyTorch
    with pytest.warns(FutureWarning, match="value is deprecated") as caught:
        layer = nn.Hardtanh(min_value=-2.0, max_value=3.0)
    assert (layer.min_val, layer.max_val) == (-2.0, 3.0)
    assert [w.filename for w in caught] == [__file__] * 2  # min_value's warning, then max_value's


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_integer_inputs_as_torch(lib_name):
    lib = pytest.importorskip(lib_name)
    fn, ints = lib.nn.functional, lib.tensor([-3, 2, 7])
    for call in (fn.elu, fn.selu, fn.celu, fn.silu, fn.mish, fn.logsigmoid, fn.hardsigmoid, fn.hardswish):
        with pytest.raises(NotImplementedError):
            call(ints)
    assert fn.relu6(ints).tolist() == [0, 2, 6] and fn.relu6(ints).dtype == lib.int64
    assert fn.hardtanh(ints, -1.5, 1.5).tolist() == [-1, 1, 1]  # the bounds cut to integers
    assert fn.softsign(ints).dtype == lib.float32


ACTIVATIONS = {
    "elu": lambda lib, t: lib.nn.functional.elu(t, 0.5),
    "selu": lambda lib, t: lib.nn.functional.selu(t),
    "celu": lambda lib, t: lib.nn.functional.celu(t, 2.0),
    "silu": lambda lib, t: lib.nn.functional.silu(t),
    "mish": lambda lib, t: lib.nn.functional.mish(t),
    "hardtanh": lambda lib, t: lib.nn.functional.hardtanh(t, -2.5, 5.5),
    "relu6": lambda lib, t: lib.nn.functional.relu6(t),
    "logsigmoid": lambda lib, t: lib.nn.functional.logsigmoid(t),
    "softsign": lambda lib, t: lib.nn.functional.softsign(t),
    "hardsigmoid": lambda lib, t: lib.nn.functional.hardsigmoid(t),
    "hardswish": lambda lib, t: lib.nn.functional.hardswish(t),
    "prelu": lambda lib, t: lib.nn.functional.prelu(t, lib.tensor(np.array([0.25]))),
}


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_values_and_slopes_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    x = np.concatenate([GRID, LARGE])
    ours = tg.tensor(x, requires_grad=True)
    theirs = torch.tensor(x, requires_grad=True)
    y, z = ACTIVATIONS[name](tg, ours), ACTIVATIONS[name](torch, theirs)
    y.sum().backward()
    z.sum().backward()
    np.testing.assert_allclose(y.data, z.detach().numpy(), rtol=1e-15, atol=1e-15)
    # (PyTorch's hardsigmoid slope is 1/6 rounded to float32.) No atol: the slope of the elus
    # below x = -37 is a tiny e^x, which must not round to 0
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-7, atol=0)


# ---------------------------------------------------------------- distances


def test_normalize_values_and_the_zero_vector():
    x = tg.tensor(np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0]]), requires_grad=True)
    y = F.normalize(x)
    np.testing.assert_allclose(y.data, [[0.6, 0.8, 0.0], [0.0, 0.0, 0.0]])  # a zero vector stays zero
    (y * tg.tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    # at a unit-ish vector u = x/|x|: dL/dx = (g - (g.u) u) / |x|; at the zero vector: g / eps
    u, g = np.array([0.6, 0.8, 0.0]), np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(x.grad.data, [(g - (g @ u) * u) / 5.0, g / 1e-12])
    assert np.all(np.isfinite(x.grad.data))
    np.testing.assert_allclose(F.normalize(x.detach(), p=1.0).data[0], [3 / 7, 4 / 7, 0.0])
    np.testing.assert_allclose(F.normalize(x.detach(), p=float("inf"), dim=0).data[0], [1.0, 1.0, 0.0])
    np.testing.assert_allclose(F.normalize(tg.tensor([3.0, 4.0]), dim=0).data, [0.6, 0.8], rtol=1e-6)


def test_cosine_similarity_values_broadcasting_and_the_zero_vector():
    a = np.array([[1.0, 2.0, 2.0], [0.0, 0.0, 0.0], [1e-5, 0.0, 0.0]])
    b = np.array([[2.0, 0.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    x1, x2 = tg.tensor(a, requires_grad=True), tg.tensor(b, requires_grad=True)
    c = F.cosine_similarity(x1, x2)
    np.testing.assert_allclose(c.data, [4 / (3 * np.sqrt(5)), 0.0, 1.0], rtol=1e-14)
    c.sum().backward()
    # against a zero vector: cos = 0 and d cos / dx1 = (x2 / |x2|) / eps, large but finite, as PyTorch
    np.testing.assert_allclose(x1.grad.data[1], [1e8 / np.sqrt(2), 1e8 / np.sqrt(2), 0.0])
    assert not x2.grad.data[1].any()
    np.testing.assert_allclose(x1.grad.data[2], 0.0, atol=1e-12)  # parallel vectors: cos is at its max
    # two zero vectors: 0, with zero gradients
    z1, z2 = tg.zeros(1, 3, requires_grad=True), tg.zeros(1, 3, requires_grad=True)
    F.cosine_similarity(z1, z2).sum().backward()
    assert not z1.grad.data.any() and not z2.grad.data.any()
    # broadcasting first, then dim: (2, 3) with (3,)
    np.testing.assert_allclose(
        F.cosine_similarity(tg.ones(2, 3), tg.tensor([1.0, 0.0, 0.0])).data, [3**-0.5] * 2
    )


def test_cosine_similarity_errors():
    with pytest.raises(RuntimeError, match="eps must be non-negative"):
        F.cosine_similarity(tg.ones(2, 3), tg.ones(2, 3), 1, -1.0)
    with pytest.raises(RuntimeError, match="broadcast"):
        F.cosine_similarity(tg.ones(2, 3), tg.ones(2, 4))
    with pytest.raises(IndexError):
        F.cosine_similarity(tg.ones(2, 3), tg.ones(2, 3), dim=2)
    with pytest.raises(TypeError, match="must be int"):
        F.cosine_similarity(tg.ones(2, 3), tg.ones(2, 3), dim=(0, 1))
    with pytest.raises(RuntimeError, match="floating point"):
        F.cosine_similarity(tg.tensor([1, 2]), tg.tensor([1, 2]), dim=0)


def test_pairwise_distance_values_shapes_and_equal_inputs():
    a = np.array([[1.0, 2.0, 2.0], [0.5, 0.5, 0.5]])
    b = np.array([[2.0, 0.0, 1.0], [0.5, 0.5, 0.5]])
    x1, x2 = tg.tensor(a, requires_grad=True), tg.tensor(b, requires_grad=True)
    d = F.pairwise_distance(x1, x2)
    np.testing.assert_allclose(d.data, np.linalg.norm(a - b + 1e-6, axis=-1), rtol=1e-15)
    d.sum().backward()
    # x1 = x2: the distance is eps sqrt(3), and the gradient finite (the kink sits at x1 - x2 = -eps)
    np.testing.assert_allclose(x1.grad.data[1], [3**-0.5] * 3)
    np.testing.assert_allclose(x2.grad.data, -x1.grad.data)
    np.testing.assert_allclose(
        F.pairwise_distance(tg.tensor(a), tg.tensor(b), p=1.0).data, np.abs(a - b + 1e-6).sum(-1)
    )
    assert F.pairwise_distance(tg.tensor(a), tg.tensor(b), keepdim=True).shape == (2, 1)
    assert F.pairwise_distance(tg.ones(3), tg.zeros(2, 3)).shape == (2,)  # broadcast, last dim
    assert F.pairwise_distance(tg.tensor(1.0), tg.tensor(0.0)).item() == pytest.approx(1.000001)


def test_distances_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    a[1] = 0.0  # a zero vector
    b[2] = a[2]  # equal rows
    cases = [
        lambda lib, x, y: lib.nn.functional.normalize(x, p=3.0, dim=0) * y,
        lambda lib, x, y: lib.nn.functional.normalize(x) * y,
        lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y),
        lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y, dim=0, eps=1e-3),
        lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y),
        lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y, p=float("inf"), keepdim=True),
    ]
    for case in cases:
        ours = [tg.tensor(v, requires_grad=True) for v in (a, b)]
        theirs = [torch.tensor(v, requires_grad=True) for v in (a, b)]
        y, z = case(tg, *ours), case(torch, *theirs)
        np.testing.assert_allclose(y.data, z.detach().numpy(), rtol=1e-12, atol=1e-15)
        y.sum().backward()
        z.sum().backward()
        for o, t in zip(ours, theirs):
            np.testing.assert_allclose(o.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-9)


def test_signatures_are_pytorchs_if_installed():
    torch = pytest.importorskip("torch")
    import inspect

    def params(fn):  # (size_average and reduce included: they fix the positions; no out= here)
        return [(k, p.kind, p.default) for k, p in inspect.signature(fn).parameters.items() if k != "out"]

    for name in "ELU SELU CELU SiLU Mish Hardtanh ReLU6 Hardsigmoid Hardswish PReLU".split():
        assert params(getattr(nn, name)) == params(getattr(torch.nn, name)), name
    for name in "HuberLoss SmoothL1Loss KLDivLoss".split():
        assert params(getattr(nn, name)) == params(getattr(torch.nn, name)), name
    python_level = "elu selu celu silu mish hardtanh relu6 softsign hardsigmoid hardswish normalize"
    python_level += " softmax log_softmax softmin"
    for name in (python_level + " huber_loss smooth_l1_loss kl_div").split():
        assert params(getattr(F, name)) == params(getattr(torch.nn.functional, name)), name


def test_elu_slope_far_below_zero_is_e_to_the_x_not_zero() -> None:
    # expm1's slope is e^x; computed as expm1(x) + 1 it would round to 0 below x = -37
    x = tg.tensor(np.array([-50.0, -40.0]), requires_grad=True)
    F.elu(x).sum().backward()
    np.testing.assert_allclose(x.grad.data, np.exp([-50.0, -40.0]), rtol=1e-12)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_softmax_family_casts_to_dtype_first(name):
    x = tg.tensor(np.array([[1.0, 2.0, 30.0]], dtype=np.float32), requires_grad=True)
    wide = getattr(F, name)(x, 1, dtype=tg.float64)
    assert wide.dtype == np.float64
    np.testing.assert_allclose(wide.data, getattr(F, name)(x.double(), 1).data, rtol=1e-15)
    wide.sum().backward()  # the cast is part of the graph: the gradient comes back as float32
    assert x.grad.dtype == np.float32
    assert getattr(F, name)(x, 1, 3).dtype == np.float32  # (_stacklevel in third place, as PyTorch)
