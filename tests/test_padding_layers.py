"""The padding layers (nn/padding_layers.py): ZeroPad, ConstantPad, ReflectionPad, ReplicationPad and
CircularPad, 1d and 2d.

Values against NumPy's np.pad, gradients against finite differences (first
and second order, float64), reprs, the accepted input ranks and the errors;
and, when PyTorch is installed, reprs, signatures, values, gradients and
errors (types and messages) against PyTorch's layers.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(11)

# class name -> (np.pad mode, number of padded dims)
LAYERS = {
    "ZeroPad1d": ("constant", 1),
    "ZeroPad2d": ("constant", 2),
    "ConstantPad1d": ("constant", 1),
    "ConstantPad2d": ("constant", 2),
    "ReflectionPad1d": ("reflect", 1),
    "ReflectionPad2d": ("reflect", 2),
    "ReplicationPad1d": ("edge", 1),
    "ReplicationPad2d": ("edge", 2),
    "CircularPad1d": ("wrap", 1),
    "CircularPad2d": ("wrap", 2),
}


def make(module, name: str, padding):
    """The layer `name` of `module` (our nn or torch.nn); ConstantPad gets the value 2.5."""
    cls = getattr(module, name)
    return cls(padding, 2.5) if name.startswith("Constant") else cls(padding)


def numpy_pad(x: np.ndarray, name: str, amounts: tuple[int, ...]) -> np.ndarray:
    """np.pad with non-negative amounts in F.pad's order (last dim first)."""
    mode, _ = LAYERS[name]
    widths = [(0, 0)] * x.ndim
    for i in range(len(amounts) // 2):
        widths[x.ndim - 1 - i] = (amounts[2 * i], amounts[2 * i + 1])
    options = {"constant_values": 2.5 if name.startswith("Constant") else 0.0} if mode == "constant" else {}
    return np.pad(x, widths, mode=mode, **options)


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("batched", [False, True])
def test_values_match_np_pad(name, batched):
    dims = LAYERS[name][1]
    shape = (2, 3, 4, 5)[2 - dims + (0 if batched else 1) :]  # (N,) C, (H,) W
    x = rng.standard_normal(shape)
    for padding in [2, (1, 3), (0, 2, 3, 1)]:
        if len(padding if isinstance(padding, tuple) else ()) not in (0, 2 * dims):
            continue
        amounts = padding if isinstance(padding, tuple) else (padding,) * (2 * dims)
        got = make(nn, name, padding)(tg.tensor(x))
        np.testing.assert_array_equal(got.data, numpy_pad(x, name, amounts))


def test_worked_examples():
    row = tg.tensor([[[1.0, 2.0, 3.0, 4.0]]])
    assert nn.ZeroPad1d((1, 2))(row).tolist() == [[[0, 1, 2, 3, 4, 0, 0]]]
    assert nn.ConstantPad1d(1, -1.0)(row).tolist() == [[[-1, 1, 2, 3, 4, -1]]]
    assert nn.ReflectionPad1d((2, 1))(row).tolist() == [[[3, 2, 1, 2, 3, 4, 3]]]
    assert nn.ReplicationPad1d((2, 1))(row).tolist() == [[[1, 1, 1, 2, 3, 4, 4]]]
    assert nn.CircularPad1d((2, 1))(row).tolist() == [[[3, 4, 1, 2, 3, 4, 1]]]
    assert nn.ZeroPad1d((-1, 1))(row).tolist() == [[[2, 3, 4, 0]]]  # negative amounts crop
    image = tg.tensor([[[1.0, 2.0], [3.0, 4.0]]])
    assert nn.ZeroPad2d((1, 0, 0, 1))(image).tolist() == [[[0, 1, 2], [0, 3, 4], [0, 0, 0]]]
    assert nn.ReplicationPad2d((0, 1, 1, 0))(image).tolist() == [[[1, 2, 2], [1, 2, 2], [3, 4, 4]]]


def test_padding_is_stored_as_a_tuple_and_printed_as_pytorch_does():
    assert nn.ZeroPad1d(2).padding == (2, 2)
    assert nn.ReflectionPad2d(1).padding == (1, 1, 1, 1)
    assert nn.CircularPad2d([1, 0, 2, 3]).padding == (1, 0, 2, 3)
    assert repr(nn.ZeroPad1d(2)) == "ZeroPad1d((2, 2))"
    assert repr(nn.ZeroPad2d((1, 2, 3, 4))) == "ZeroPad2d((1, 2, 3, 4))"
    assert repr(nn.ConstantPad1d(2, 3.5)) == "ConstantPad1d(padding=(2, 2), value=3.5)"
    assert repr(nn.ConstantPad2d((1, 2, 3, 4), 1)) == "ConstantPad2d(padding=(1, 2, 3, 4), value=1)"
    assert repr(nn.ReflectionPad1d([1, 2])) == "ReflectionPad1d((1, 2))"
    assert repr(nn.ReplicationPad2d(1)) == "ReplicationPad2d((1, 1, 1, 1))"
    assert repr(nn.CircularPad1d(1)) == "CircularPad1d((1, 1))"
    assert nn.ZeroPad2d(1).value == 0.0 and isinstance(nn.ZeroPad2d(1), nn.ConstantPad2d)
    for name in LAYERS:
        layer = make(nn, name, 1)
        assert list(layer.parameters()) == [] and layer.state_dict() == {}


def test_constant_layers_pad_any_rank_and_keep_the_dtype():
    assert nn.ZeroPad1d(1)(tg.zeros(4)).shape == (6,)
    assert nn.ZeroPad1d(1)(tg.zeros(1, 2, 3, 4, 5)).shape == (1, 2, 3, 4, 7)
    assert nn.ZeroPad2d(1)(tg.zeros(3, 4)).shape == (5, 6)
    ints = nn.ConstantPad1d(1, 2.5)(tg.tensor([[1, 1]]))
    assert ints.dtype == np.int64 and ints.tolist() == [[2, 1, 1, 2]]  # the value truncated, as in PyTorch


@pytest.mark.parametrize("name", LAYERS)
def test_first_and_second_derivatives(name):
    dims = LAYERS[name][1]
    x = tg.tensor(rng.standard_normal((1, 2, 3, 3)[2 - dims :]), requires_grad=True)
    layer = make(nn, name, (2, 1, -1, 2)[: 2 * dims])

    def fn(t):
        return layer(t) ** 2  # squared, so that the second derivative goes through the padding

    assert gradcheck(fn, [x])
    assert gradgradcheck(fn, [x])


def test_gradient_adds_up_the_copies():
    x = tg.tensor([[[1.0, 2.0, 3.0]]], requires_grad=True)
    nn.ReflectionPad1d((2, 1))(x).backward(tg.tensor([[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]]))
    assert x.grad.tolist() == [[[3.0, 2 + 4 + 6, 1 + 5]]]  # copies c b a b c b


@pytest.mark.parametrize(
    "layer, shape, error, message",
    [
        (nn.CircularPad1d(1), (4,), ValueError, r"^expected 2D or 3D input \(got 1D input\)$"),
        (nn.CircularPad1d(1), (1, 2, 3, 4), ValueError, r"^expected 2D or 3D input \(got 4D input\)$"),
        (nn.CircularPad2d(1), (3, 4), ValueError, r"^expected 3D or 4D input \(got 2D input\)$"),
        (nn.CircularPad2d(1), (1, 1, 3, 4, 5), ValueError, r"^expected 3D or 4D input \(got 5D input\)$"),
        (nn.CircularPad1d(5), (3, 4), RuntimeError, "^Padding value causes wrapping around more than once.$"),
        (nn.ReflectionPad1d(1), (4,), NotImplementedError, "^Padding size 2 is not supported for 1D input"),
        (nn.ReflectionPad1d(1), (1, 2, 3, 4), NotImplementedError, "Padding size 2 is not supported for 4D"),
        (
            nn.ReplicationPad2d(1),
            (4, 5),
            NotImplementedError,
            "^Padding size 4 is not supported for 2D input",
        ),
        (nn.ReflectionPad1d(4), (3, 4), RuntimeError, r"^Padding size should be less than the corresponding"),
        (nn.ReplicationPad1d(1), (3, 0), RuntimeError, r"non-zero dimensions for input, but got: \[3, 0\]$"),
        (nn.ZeroPad2d(1), (4,), RuntimeError, "padding length 4 and input of dimension 1$"),
        (nn.ZeroPad1d((1, 2, 3)), (3, 4), RuntimeError, "^Padding length must be divisible by 2$"),
        (nn.ReflectionPad1d(1.5), (3, 4), TypeError, "found element of type float at pos 0$"),
    ],
)
def test_errors(layer, shape, error, message):
    x = tg.ones(shape)
    with pytest.raises(error, match=message):
        layer(x)
    assert np.all(x.data == 1.0)  # the input is left alone


# ---------------------------------------------------------------- against PyTorch


@pytest.mark.parametrize("name", LAYERS)
def test_reprs_and_signatures_match_torch(name):
    torch = pytest.importorskip("torch")
    for padding in [1, (1, 2), (1, 2, 3, 4), [0, 2]]:
        assert repr(make(nn, name, padding)) == repr(make(torch.nn, name, padding))
        assert make(nn, name, padding).padding == make(torch.nn, name, padding).padding
    ours, theirs = inspect.signature(getattr(nn, name)), inspect.signature(getattr(torch.nn, name))
    assert list(ours.parameters) == list(theirs.parameters)
    assert [p.default for p in ours.parameters.values()] == [p.default for p in theirs.parameters.values()]


@pytest.mark.parametrize("name", LAYERS)
def test_values_and_gradients_match_torch(name):
    torch = pytest.importorskip("torch")
    dims = LAYERS[name][1]
    for shape in [(2, 3, 4, 5)[2 - dims :], (3, 4, 5)[2 - dims :]]:
        for padding in [1, (2, 1, 0, 3)[: 2 * dims], (-1, 2, 1, -1)[: 2 * dims]]:
            x = rng.standard_normal(shape)
            mine, yours = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
            out, expected = make(nn, name, padding)(mine), make(torch.nn, name, padding)(yours)
            np.testing.assert_array_equal(out.data, expected.detach().numpy())
            upstream = rng.standard_normal(expected.shape)
            out.backward(tg.tensor(upstream))
            expected.backward(torch.tensor(upstream))
            np.testing.assert_allclose(mine.grad.data, yours.grad.numpy(), rtol=1e-14, atol=1e-14)


# (shape, padding, whether our message is PyTorch's word for word)
TORCH_ERROR_CASES = [
    ((4,), 1, True),
    ((1, 2, 3, 4), 1, True),
    ((3, 4), 1, True),
    ((1, 1, 3, 4, 5), 1, True),
    ((3, 0), 1, True),
    ((3, 4), (1, 2, 3), True),
    ((3, 4), (5, 0), False),
    # F.pad's messages differ here (nn/padding.py): PyTorch's reflect message starts with
    # "Argument #4: ", and its constant crop past the input fails inside narrow()
    ((3, 4), 5, False),
    ((2, 3, 4), (-3, -3), False),
]


@pytest.mark.parametrize("name", LAYERS)
def test_errors_match_torch(name):
    torch = pytest.importorskip("torch")
    for shape, padding, exact in TORCH_ERROR_CASES:
        x = np.ones(shape)
        try:
            expected = make(torch.nn, name, padding)(torch.tensor(x)).numpy()
        except Exception as error:
            with pytest.raises(type(error)) as ours:
                make(nn, name, padding)(tg.tensor(x))
            if exact:
                assert str(ours.value) == str(error), (shape, padding)
        else:
            np.testing.assert_array_equal(make(nn, name, padding)(tg.tensor(x)).data, expected)
