"""Bilinear, PixelShuffle, PixelUnshuffle and ChannelShuffle (nn/bilinear.py, nn/shuffle.py), and
F.dropout's refusal of integer tensors.

Values against NumPy (np.einsum, and index formulas written out), gradients
against finite differences (first and second order, float64), shapes, the
default initialisation, reprs and errors, and that a failed call changes
nothing; and, when PyTorch is installed, values, gradients, reprs,
signatures, initialisation, state_dict loading and error messages against PyTorch.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(17)


# ---------------------------------------------------------------- Bilinear


@pytest.mark.parametrize("lead", [(), (4,), (2, 3)])
def test_bilinear_matches_einsum(lead):
    x1, x2 = rng.standard_normal((*lead, 3)), rng.standard_normal((*lead, 5))
    w, b = rng.standard_normal((2, 3, 5)), rng.standard_normal(2)
    got = F.bilinear(tg.tensor(x1), tg.tensor(x2), tg.tensor(w), tg.tensor(b))
    want = np.einsum("...i,oij,...j->...o", x1, w, x2) + b
    assert got.shape == (*lead, 2)
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        F.bilinear(tg.tensor(x1), tg.tensor(x2), tg.tensor(w)).data, want - b, rtol=1e-12, atol=1e-12
    )


def test_bilinear_worked_example_and_edge_sizes():
    # one output: x1^T A x2 with A = [[1, 2], [3, 4]], x1 = (1, 10), x2 = (100, 1000)
    a = tg.tensor([[[1.0, 2.0], [3.0, 4.0]]])
    assert F.bilinear(tg.tensor([1.0, 10.0]), tg.tensor([100.0, 1000.0]), a).tolist() == [
        1 * 100 + 2 * 1000 + 30 * 100 + 40 * 1000
    ]
    ints = F.bilinear(tg.tensor([[1, 2]]), tg.tensor([[3]]), tg.tensor([[[1], [2]]]), tg.tensor([1]))
    assert ints.dtype == np.int64 and ints.tolist() == [[1 * 3 + 2 * 2 * 3 + 1]]
    assert F.bilinear(tg.zeros(0, 3), tg.zeros(0, 4), tg.zeros(5, 3, 4)).shape == (0, 5)
    assert F.bilinear(tg.ones(2, 3), tg.ones(2, 4), tg.zeros(0, 3, 4)).shape == (2, 0)


def test_bilinear_first_and_second_derivatives():
    x1 = tg.tensor(rng.standard_normal((2, 3, 3)), requires_grad=True)
    x2 = tg.tensor(rng.standard_normal((2, 3, 2)), requires_grad=True)
    w = tg.tensor(rng.standard_normal((4, 3, 2)), requires_grad=True)
    b = tg.tensor(rng.standard_normal(4), requires_grad=True)
    assert gradcheck(F.bilinear, [x1, x2, w, b])
    assert gradgradcheck(F.bilinear, [x1, x2, w, b])


def test_bilinear_layer_shapes_initialisation_and_repr():
    tg.manual_seed(0)
    layer = nn.Bilinear(20, 30, 40)
    assert layer.weight.shape == (40, 20, 30) and layer.bias.shape == (40,)
    assert list(layer.state_dict()) == ["weight", "bias"]
    bound = 1 / math.sqrt(20)  # both weight and bias: 1/sqrt(in1_features)
    for p in (layer.weight, layer.bias):
        assert np.abs(p.data).max() <= bound and np.abs(p.data).max() > 0.9 * bound
    np.testing.assert_allclose(layer.weight.data.std(), bound / math.sqrt(3), rtol=0.05)
    assert layer(tg.ones(7, 20), tg.ones(7, 30)).shape == (7, 40)
    assert repr(layer) == "Bilinear(in1_features=20, in2_features=30, out_features=40, bias=True)"
    no_bias = nn.Bilinear(3, 4, 5, bias=False, dtype=tg.float64)
    assert no_bias.bias is None and no_bias.weight.dtype == np.float64
    assert repr(no_bias) == "Bilinear(in1_features=3, in2_features=4, out_features=5, bias=False)"


@pytest.mark.parametrize(
    "shapes, dtypes, error, message",
    [
        (
            ((2, 3), (3, 4), (5, 3, 4), None),
            ("f4", "f8", "f4", None),
            RuntimeError,
            "^All tensors must have the same dtype, got input1: float, input2: double, weight: float$",
        ),
        (
            ((2, 3), (2, 4), (5, 3, 4), (5,)),
            ("f4", "f4", "f4", "i8"),
            RuntimeError,
            "weight: float, bias: long int$",
        ),
        (
            ((6, 2, 3), (2, 4), (5, 3, 4), None),
            None,
            RuntimeError,
            "^bilinear\\(\\): input dimensions do not match: got 3 and 2$",
        ),
        (
            ((6, 2, 3), (6, 1, 4), (5, 3, 4), None),
            None,
            RuntimeError,
            "^bilinear\\(\\): input batch dimensions do not match at dim 1: got 2 and 1$",
        ),
        (
            ((2, 3), (2, 4), (5, 4, 4), None),
            None,
            RuntimeError,
            "^bilinear\\(\\): input1 size does not match weight size: got 3 but expected 4$",
        ),
        (
            ((2, 3), (2, 4), (5, 3, 3), None),
            None,
            RuntimeError,
            "^bilinear\\(\\): input2 size does not match weight size: got 4 but expected 3$",
        ),
        (
            ((2, 3), (2, 4), (5, 3, 4), (4,)),
            None,
            RuntimeError,
            "^bilinear\\(\\): bias size does not match weight size: got 4 but expected 5$",
        ),
        (
            ((2, 3), (2, 4), (5, 3), None),
            None,
            IndexError,
            r"^Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)$",
        ),
        (
            ((), (), (5, 3, 4), None),
            None,
            IndexError,
            "^Dimension specified as -1 but tensor has no dimensions$",
        ),
        (((2, 3), (2, 4), (5, 3, 4, 1), None), None, RuntimeError, "expected weight to be 3-dimensional"),
    ],
)
def test_bilinear_errors(shapes, dtypes, error, message):
    dtypes = dtypes or ("f8",) * 4
    tensors = [None if s is None else tg.tensor(np.ones(s, dtype=d)) for s, d in zip(shapes, dtypes)]
    with pytest.raises(error, match=message):
        F.bilinear(*tensors)
    with pytest.raises(TypeError, match=r"^bilinear\(\): argument 'input1' \(position 1\) must be Tensor"):
        F.bilinear(np.ones((2, 3)), tg.ones(2, 4), tg.ones(5, 3, 4))


def test_bilinear_layer_errors_leave_it_unchanged():
    with pytest.raises(ValueError, match=r"^in1_features must be > 0, but got \(in1_features=0\)$"):
        nn.Bilinear(0, 4, 5)
    with pytest.raises(
        RuntimeError, match=r"^Trying to create tensor with negative dimension -1: \[5, -1, 4\]$"
    ):
        nn.Bilinear(-1, 4, 5)
    layer = nn.Bilinear(3, 4, 5)
    before = {k: v.copy() for k, v in layer.state_dict().items()}
    with pytest.raises(RuntimeError, match="input2 size does not match weight size: got 3 but expected 4"):
        layer(tg.ones(2, 3), tg.ones(2, 3))
    for key, value in layer.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


# ---------------------------------------------------------------- pixel and channel shuffles


def shuffle_reference(x: np.ndarray, r: int) -> np.ndarray:
    """out[..., c, h r + i, w r + j] = x[..., c r^2 + i r + j, h, w], one (i, j) at a time."""
    *lead, channels, h, w = x.shape
    out = np.empty((*lead, channels // (r * r), h * r, w * r))
    for i in range(r):
        for j in range(r):
            out[..., i::r, j::r] = x[..., i * r + j :: r * r, :, :]
    return out


@pytest.mark.parametrize(
    "shape, r", [((2, 8, 2, 3), 2), ((9, 2, 2), 3), ((2, 1, 4, 1, 1), 2), ((1, 3, 2, 2), 1)]
)
def test_pixel_shuffle_and_unshuffle_rearrange_as_written(shape, r):
    x = rng.standard_normal(shape)
    out = F.pixel_shuffle(tg.tensor(x), r)
    np.testing.assert_array_equal(out.data, shuffle_reference(x, r))
    np.testing.assert_array_equal(F.pixel_unshuffle(out, r).data, x)  # its inverse
    assert nn.PixelShuffle(r)(tg.tensor(x)).shape == out.shape
    assert nn.PixelUnshuffle(r)(out).shape == x.shape


def test_channel_shuffle_interleaves_the_groups():
    x = tg.tensor(np.arange(2 * 6 * 2.0).reshape(2, 6, 2))
    out = F.channel_shuffle(x, 2)
    # groups [0 1 2] and [3 4 5] interleave: 0 3 1 4 2 5
    np.testing.assert_array_equal(out.data, x.data[:, [0, 3, 1, 4, 2, 5]])
    np.testing.assert_array_equal(F.channel_shuffle(x, 3).data, x.data[:, [0, 2, 4, 1, 3, 5]])
    assert nn.ChannelShuffle(2)(x).tolist() == out.tolist()
    five_d = rng.standard_normal((2, 6, 2, 1, 3))
    np.testing.assert_array_equal(F.channel_shuffle(tg.tensor(five_d), 3).data, five_d[:, [0, 2, 4, 1, 3, 5]])


def test_results_never_share_the_inputs_memory():
    for fn, x in [
        (lambda t: F.pixel_shuffle(t, 1), tg.ones(1, 4, 2, 2)),
        (lambda t: F.pixel_shuffle(t, 2), tg.ones(1, 4, 1, 1)),  # a view, as NumPy lays it out
        (lambda t: F.pixel_unshuffle(t, 1), tg.ones(1, 4, 2, 2)),
        (lambda t: F.channel_shuffle(t, 1), tg.ones(1, 4, 2)),
        (lambda t: F.channel_shuffle(t, 4), tg.ones(1, 4, 2)),
    ]:
        out = fn(x)
        out += 1.0
        assert np.all(x.data == 1.0)


@pytest.mark.parametrize(
    "fn, shape",
    [
        (lambda t: F.pixel_shuffle(t, 2), (2, 8, 2, 1)),
        (lambda t: F.pixel_unshuffle(t, 2), (2, 2, 2, 4)),
        (lambda t: F.channel_shuffle(t, 3), (2, 6, 2)),
    ],
)
def test_shuffles_first_and_second_derivatives(fn, shape):
    x = tg.tensor(rng.standard_normal(shape), requires_grad=True)
    assert gradcheck(lambda t: fn(t) ** 2, [x])
    assert gradgradcheck(lambda t: fn(t) ** 2, [x])


def test_shuffle_reprs_and_dtypes():
    assert repr(nn.PixelShuffle(2)) == "PixelShuffle(upscale_factor=2)"
    assert repr(nn.PixelUnshuffle(3)) == "PixelUnshuffle(downscale_factor=3)"
    assert repr(nn.ChannelShuffle(2)) == "ChannelShuffle(groups=2)"
    ints = tg.tensor(np.arange(8).reshape(8, 1, 1))
    assert F.pixel_shuffle(ints, 2).dtype == np.int64
    assert F.pixel_shuffle(tg.zeros(0, 8, 1, 1), 2).shape == (0, 2, 2, 2)
    assert F.channel_shuffle(tg.zeros(2, 0, 2), 2).shape == (2, 0, 2)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: F.pixel_shuffle(tg.ones(2, 3), 2),
            RuntimeError,
            r"^pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension",
        ),
        (lambda: F.pixel_shuffle(tg.ones(2, 3), 0), RuntimeError, "at least 3 dimensions"),
        (
            lambda: F.pixel_shuffle(tg.ones(2, 8, 2, 3), 3),
            RuntimeError,
            r"divisible by the square of upscale_factor, but input.size\(-3\)=8 is not divisible by 9$",
        ),
        (
            lambda: F.pixel_shuffle(tg.ones(2, 8, 2, 3), 0),
            RuntimeError,
            "^pixel_shuffle expects a positive upscale_factor, but got 0$",
        ),
        (
            lambda: F.pixel_shuffle(tg.ones(2, 8, 2, 3), 2.0),
            TypeError,
            r"^pixel_shuffle\(\): argument 'upscale_factor' \(position 2\) must be int, not float$",
        ),
        (
            lambda: F.pixel_shuffle(np.ones((2, 8, 2, 3)), 2),
            TypeError,
            r"^pixel_shuffle\(\): argument 'input' \(position 1\) must be Tensor, not numpy.ndarray$",
        ),
        (
            lambda: F.pixel_unshuffle(tg.ones(1, 3, 5, 6), 2),
            RuntimeError,
            r"^pixel_unshuffle expects height to be divisible by downscale_factor, but input.size\(-2\)=5",
        ),
        (
            lambda: F.pixel_unshuffle(tg.ones(1, 3, 4, 5), 2),
            RuntimeError,
            r"width to be divisible by downscale_factor, but input.size\(-1\)=5 is not divisible by 2$",
        ),
        (
            lambda: F.pixel_unshuffle(tg.ones(1, 3, 4, 4), -1),
            RuntimeError,
            "^pixel_unshuffle expects a positive downscale_factor, but got -1$",
        ),
        (
            lambda: F.channel_shuffle(tg.ones(6, 2), 2),
            RuntimeError,
            r"^channel_shuffle expects input with > 2 dims, but got input with sizes \[6, 2\]$",
        ),
        (
            lambda: F.channel_shuffle(tg.ones(2, 6, 2), 0),
            RuntimeError,
            "^Number of groups to divide channels in must be positive. Value of groups:0$",
        ),
        (
            lambda: F.channel_shuffle(tg.ones(2, 6, 2), 4),
            RuntimeError,
            "^Number of channels must be divisible by groups. Got 6 channels and 4 groups.$",
        ),
        (
            lambda: F.channel_shuffle(tg.ones(2, 6, 2), True),
            TypeError,
            r"^channel_shuffle\(\): argument 'groups' \(position 2\) must be int, not bool$",
        ),
        (lambda: nn.ChannelShuffle(4)(tg.ones(2, 6, 2)), RuntimeError, "Got 6 channels and 4 groups"),
        (
            lambda: nn.PixelShuffle(-1)(tg.ones(1, 4, 2, 2)),
            RuntimeError,
            "positive upscale_factor, but got -1",
        ),
    ],
)
def test_shuffle_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------- dropout of integers


@pytest.mark.parametrize(
    "dtype, name", [(np.int64, "Long"), (np.int32, "Int"), (np.uint8, "Byte"), (np.bool_, "Bool")]
)
@pytest.mark.parametrize("inplace", [False, True])
def test_dropout_refuses_integer_tensors_and_changes_nothing(dtype, name, inplace):
    x = tg.tensor(np.array([1, 2, 3]).astype(dtype))
    before = x.data.copy()
    tg.manual_seed(4)
    with pytest.raises(
        RuntimeError, match=f"result type Float can't be cast to the desired output type {name}$"
    ):
        F.dropout(x, 0.5, inplace=inplace)
    np.testing.assert_array_equal(x.data, before)
    drawn_after_the_failure = tg.rand(5).data
    tg.manual_seed(4)
    np.testing.assert_array_equal(tg.rand(5).data, drawn_after_the_failure)  # no mask was drawn
    with pytest.raises(RuntimeError, match=f"desired output type {name}$"):
        nn.Dropout(0.2)(x)


def test_dropout_of_integers_where_nothing_is_scaled_works_as_in_pytorch():
    x = tg.tensor([1, 2, 3])
    assert F.dropout(x, 0.0).tolist() == [1, 2, 3]
    assert F.dropout(x, 0.5, training=False).tolist() == [1, 2, 3]
    dropped = F.dropout(x, 1.0)
    assert dropped.dtype == np.int64 and dropped.tolist() == [0, 0, 0] and x.tolist() == [1, 2, 3]
    assert F.dropout(tg.tensor(np.zeros(0, dtype=np.int64)), 0.5).shape == (0,)
    model = nn.Dropout(0.5)
    model.eval()
    assert model(x).tolist() == [1, 2, 3]


# ---------------------------------------------------------------- against PyTorch


def test_bilinear_matches_torch():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.Bilinear(3, 4, 5).double()
    ours = nn.Bilinear(3, 4, 5, dtype=tg.float64)
    assert repr(ours) == repr(theirs)
    ours.load_state_dict(theirs.state_dict())
    for lead in [(), (6,), (2, 3)]:
        arrays = [rng.standard_normal((*lead, 3)), rng.standard_normal((*lead, 4))]
        mine = [tg.tensor(a, requires_grad=True) for a in arrays]
        yours = [torch.tensor(a, requires_grad=True) for a in arrays]
        out, expected = ours(*mine), theirs(*yours)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
        upstream = rng.standard_normal(expected.shape)
        ours.zero_grad()
        theirs.zero_grad()
        out.backward(tg.tensor(upstream))
        expected.backward(torch.tensor(upstream))
        for m, y in zip(mine, yours):
            np.testing.assert_allclose(m.grad.data, y.grad.numpy(), rtol=1e-12, atol=1e-12)
        for (key, p), q in zip(ours.named_parameters(), theirs.parameters()):
            np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=1e-12, atol=1e-12, err_msg=key)
    ours_sig, theirs_sig = inspect.signature(nn.Bilinear), inspect.signature(torch.nn.Bilinear)
    assert list(ours_sig.parameters) == list(theirs_sig.parameters)
    assert [p.default for p in ours_sig.parameters.values()] == [
        p.default for p in theirs_sig.parameters.values()
    ]
    assert repr(nn.Bilinear(2, 3, 4, bias=False)) == repr(torch.nn.Bilinear(2, 3, 4, bias=False))
    tg.manual_seed(0)
    torch.manual_seed(0)
    a, b = nn.Bilinear(16, 8, 64).weight.data, torch.nn.Bilinear(16, 8, 64).weight.detach().numpy()
    np.testing.assert_allclose(np.abs(a).max(), np.abs(b).max(), rtol=0.02)  # the same bound
    np.testing.assert_allclose(a.std(), b.std(), rtol=0.05)


def test_bilinear_errors_match_torch():
    torch = pytest.importorskip("torch")
    cases = [
        ((2, 3), (3, 4), (5, 3, 4), None),
        ((6, 2, 3), (2, 4), (5, 3, 4), None),
        ((6, 2, 3), (6, 1, 4), (5, 3, 4), None),
        ((6, 2, 3), (12, 4), (5, 3, 4), None),
        ((2, 3), (2, 4), (5, 4, 4), None),
        ((2, 3), (2, 4), (5, 3, 3), None),
        ((2, 3), (2, 4), (5, 3), None),
        ((2, 3), (2, 4), (5,), None),
        ((2, 3), (2, 4), (5, 3, 4), (4,)),
        ((2, 3), (2, 4), (5, 3, 4), (1, 5)),
        ((), (), (5, 3, 4), None),
        ((), (2, 4), (5, 3, 4), None),
    ]
    for shapes in cases:
        with pytest.raises(Exception) as theirs:
            torch.nn.functional.bilinear(*[None if s is None else torch.ones(s) for s in shapes])
        with pytest.raises(type(theirs.value)) as ours:
            F.bilinear(*[None if s is None else tg.ones(s) for s in shapes])
        assert str(ours.value) == str(theirs.value), shapes
    for dtypes in [
        ("float64", "float32", "float32", None),
        ("float32",) * 3 + ("int64",),
        ("int8", "uint8", "int32", None),
    ]:
        arrays = [np.ones((2, 3), dtypes[0]), np.ones((2, 4), dtypes[1]), np.ones((5, 3, 4), dtypes[2])]
        arrays.append(None if dtypes[3] is None else np.ones(5, dtypes[3]))
        with pytest.raises(RuntimeError) as theirs:
            torch.nn.functional.bilinear(*[None if a is None else torch.tensor(a) for a in arrays])
        with pytest.raises(RuntimeError) as ours:
            F.bilinear(*[None if a is None else tg.tensor(a) for a in arrays])
        assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "name, args, shape",
    [
        ("pixel_shuffle", (2,), (2, 8, 2, 3)),
        ("pixel_shuffle", (3,), (9, 2, 2)),
        ("pixel_shuffle", (2,), (2, 1, 4, 1, 1)),
        ("pixel_unshuffle", (2,), (2, 3, 4, 6)),
        ("pixel_unshuffle", (3,), (1, 3, 3, 6)),
        ("channel_shuffle", (2,), (2, 6, 2)),
        ("channel_shuffle", (3,), (2, 6, 2, 1, 3)),
    ],
)
def test_shuffles_match_torch(name, args, shape):
    torch = pytest.importorskip("torch")
    x = rng.standard_normal(shape)
    mine, yours = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = getattr(F, name)(mine, *args), getattr(torch.nn.functional, name)(yours, *args)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    upstream = rng.standard_normal(expected.shape)
    out.backward(tg.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_array_equal(mine.grad.data, yours.grad.numpy())
    layer = {
        "pixel_shuffle": "PixelShuffle",
        "pixel_unshuffle": "PixelUnshuffle",
        "channel_shuffle": "ChannelShuffle",
    }
    ours_layer, theirs_layer = getattr(nn, layer[name])(*args), getattr(torch.nn, layer[name])(*args)
    assert repr(ours_layer) == repr(theirs_layer)
    np.testing.assert_array_equal(ours_layer(tg.tensor(x)).data, theirs_layer(torch.tensor(x)).numpy())
    ours_sig, theirs_sig = inspect.signature(type(ours_layer)), inspect.signature(type(theirs_layer))
    assert list(ours_sig.parameters) == list(theirs_sig.parameters)


def test_shuffle_errors_match_torch():
    torch = pytest.importorskip("torch")
    cases = [
        ("pixel_shuffle", (2, 3), 2),
        ("pixel_shuffle", (2, 3), 0),
        ("pixel_shuffle", (2, 3, 3), 0),
        ("pixel_shuffle", (2, 8, 2, 3), 3),
        ("pixel_shuffle", (2, 8, 2, 3), -2),
        ("pixel_shuffle", (2, 8, 2, 3), 2.0),
        ("pixel_shuffle", (2, 8, 2, 3), True),
        ("pixel_unshuffle", (4, 6), 2),
        ("pixel_unshuffle", (1, 3, 5, 6), 2),
        ("pixel_unshuffle", (1, 3, 4, 5), 2),
        ("pixel_unshuffle", (1, 3, 4, 4), 0),
        ("channel_shuffle", (2, 6), 2),
        ("channel_shuffle", (6,), 2),
        ("channel_shuffle", (2, 6, 2), 4),
        ("channel_shuffle", (2, 6, 2), 0),
        ("channel_shuffle", (2, 3), 0),
        ("channel_shuffle", (2, 6, 2), 2.0),
    ]
    for name, shape, factor in cases:
        with pytest.raises(Exception) as theirs:
            getattr(torch.nn.functional, name)(torch.ones(shape), factor)
        with pytest.raises(type(theirs.value)) as ours:
            getattr(F, name)(tg.ones(shape), factor)
        assert str(ours.value) == str(theirs.value), (name, shape, factor)


def test_dropout_of_integers_matches_torch():
    torch = pytest.importorskip("torch")
    for dtype in ["int64", "int32", "int16", "int8", "uint8", "bool"]:
        x = np.array([1, 2, 3]).astype(dtype)
        for p, inplace in [(0.5, False), (0.5, True), (0.0, False), (1.0, False), (1.0, True)]:
            theirs, ours = torch.tensor(x), tg.tensor(x.copy())
            try:
                expected = torch.nn.functional.dropout(theirs, p, inplace=inplace)
            except RuntimeError as error:
                with pytest.raises(RuntimeError) as mine:
                    F.dropout(ours, p, inplace=inplace)
                assert str(mine.value).endswith(str(error)), (dtype, p)
            else:
                got = F.dropout(ours, p, inplace=inplace)
                np.testing.assert_array_equal(got.data, expected.numpy())
            np.testing.assert_array_equal(ours.data, theirs.numpy())  # the input, changed or not alike
