"""Transposed convolutions (nn/conv_transpose.py): F.conv_transpose1d/2d and ConvTranspose1d/2d.

Values against a NumPy reference that scatters the kernels tap by tap, and
against the defining property: conv_transpose2d is the adjoint of conv2d
(the gradient of conv2d with respect to its input). Gradients and second
derivatives against finite differences (float64) over combinations of
stride, padding, output_padding, groups and dilation; the layers' shapes,
initialisation, reprs, state_dict, `output_size`, and errors; and, when
PyTorch is installed, values, gradients, reprs, signatures, initialisation
statistics, state_dict loading, `output_size` and error messages against PyTorch.
"""

from __future__ import annotations

import inspect
import itertools
import math

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(5)


def _pair(v):
    return tuple(v) if isinstance(v, tuple) else (v, v)


def reference(x, w, b=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """Transposed 2-d convolution in NumPy: each kernel tap (i, j) adds its channel mix of the input
    onto the strided grid of the output that starts at (i d_h, j d_w); then crop the padding."""
    (sh, sw), (ph, pw), (oph, opw), (dh, dw) = map(_pair, (stride, padding, output_padding, dilation))
    n, c_in, h, wd = x.shape
    _, c_out_g, kh, kw = w.shape
    full = np.zeros(
        (n, c_out_g * groups, (h - 1) * sh + dh * (kh - 1) + 1 + oph, (wd - 1) * sw + dw * (kw - 1) + 1 + opw)
    )
    c_in_g = c_in // groups
    for g in range(groups):
        ins, outs = slice(g * c_in_g, (g + 1) * c_in_g), slice(g * c_out_g, (g + 1) * c_out_g)
        for i, j in itertools.product(range(kh), range(kw)):
            rows = slice(i * dh, i * dh + (h - 1) * sh + 1, sh)
            cols = slice(j * dw, j * dw + (wd - 1) * sw + 1, sw)
            full[:, outs, rows, cols] += np.einsum("nchw,co->nohw", x[:, ins], w[ins, :, i, j])
    out = full[:, :, ph : full.shape[2] - ph, pw : full.shape[3] - pw]
    return out if b is None else out + b[:, None, None]


# (stride, padding, output_padding, groups, dilation)
GEOMETRIES = [
    (1, 0, 0, 1, 1),
    (2, 1, 1, 1, 1),
    ((2, 3), (1, 0), (1, 2), 2, 1),
    (1, 1, 1, 1, 2),  # output_padding below the dilation, stride 1
    (3, 2, 0, 2, (2, 1)),
    (2, 0, 1, 2, 2),
    ((1, 2), (0, 2), (0, 1), 1, (3, 1)),
]


@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", GEOMETRIES)
def test_conv_transpose2d_matches_the_numpy_scatter(stride, padding, output_padding, groups, dilation):
    x, w, b = (
        rng.standard_normal((2, 4, 4, 3)),
        rng.standard_normal((4, 3, 3, 2)),
        rng.standard_normal(3 * groups),
    )
    got = F.conv_transpose2d(
        tg.tensor(x), tg.tensor(w), tg.tensor(b), stride, padding, output_padding, groups, dilation
    )
    want = reference(x, w, b, stride, padding, output_padding, groups, dilation)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)


def test_a_worked_example():
    # one input channel [1, 2], kernel [1, 10, 100], stride 2: copies at 0 and 2 overlap at position 2
    x, w = tg.tensor([[[1.0, 2.0]]]), tg.tensor([[[1.0, 10.0, 100.0]]])
    assert F.conv_transpose1d(x, w, stride=2).tolist() == [[[1, 10, 100 + 2, 20, 200]]]
    assert F.conv_transpose1d(x, w, stride=2, padding=1).tolist() == [[[10, 102, 20]]]  # one cropped each end
    assert F.conv_transpose1d(x, w, stride=2, output_padding=1).tolist() == [[[1, 10, 102, 20, 200, 0]]]
    # output_padding reaches into what padding would crop: the values are there, not zeros
    assert F.conv_transpose1d(x, w, stride=2, padding=1, output_padding=1).tolist() == [[[10, 102, 20, 200]]]
    assert F.conv_transpose1d(x, w, stride=1, dilation=2).tolist() == [[[1, 2, 10, 20, 100, 200]]]


# (with output_padding >= stride, conv2d of the longer output would slide one window more)
ADJOINT = [g for g in GEOMETRIES if all(o < s for o, s in zip(_pair(g[2]), _pair(g[0])))]


@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", ADJOINT)
def test_it_is_the_adjoint_of_conv2d(stride, padding, output_padding, groups, dilation):
    # <conv2d(y, W), x> = <y, conv_transpose2d(x, W)>, for y of the transposed convolution's output shape
    w = rng.standard_normal((4, 3, 3, 2))  # conv2d reads it as (C_out=4, C_in/G=3, kh, kw)
    x = rng.standard_normal((2, 4, 4, 3))
    y_shape = F.conv_transpose2d(
        tg.tensor(x), tg.tensor(w), None, stride, padding, output_padding, groups, dilation
    )
    y = rng.standard_normal(y_shape.shape)
    forward = F.conv2d(tg.tensor(y), tg.tensor(w), None, stride, padding, dilation, groups)
    assert forward.shape == x.shape
    transposed = y_shape.data
    np.testing.assert_allclose(np.sum(forward.data * x), np.sum(y * transposed), rtol=1e-12)
    # and so it is conv2d's gradient with respect to its input
    y_t = tg.tensor(y, requires_grad=True)
    F.conv2d(y_t, tg.tensor(w), None, stride, padding, dilation, groups).backward(tg.tensor(x))
    np.testing.assert_allclose(y_t.grad.data, transposed, rtol=1e-12, atol=1e-12)


def test_conv_transpose1d_is_the_2d_one_on_a_single_row():
    x, w, b = rng.standard_normal((2, 4, 5)), rng.standard_normal((4, 3, 3)), rng.standard_normal(6)
    got = F.conv_transpose1d(tg.tensor(x), tg.tensor(w), tg.tensor(b), 2, 1, 1, 2, 2)
    want = reference(x[:, :, None], w[:, :, None], b, (1, 2), (0, 1), (0, 1), 2, (1, 2))[:, :, 0]
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)
    unbatched = F.conv_transpose1d(tg.tensor(x[0]), tg.tensor(w), tg.tensor(b), 2, 1, 1, 2, 2)
    np.testing.assert_allclose(unbatched.data, want[0], rtol=1e-12, atol=1e-12)


def test_unbatched_input_and_integer_tensors():
    x, w = rng.standard_normal((4, 3, 3)), rng.standard_normal((4, 2, 2, 2))
    got = F.conv_transpose2d(tg.tensor(x), tg.tensor(w), stride=2)
    np.testing.assert_allclose(got.data, reference(x[None], w, stride=2)[0], rtol=1e-12, atol=1e-12)
    xi, wi = rng.integers(-3, 4, (1, 2, 3, 3)), rng.integers(-3, 4, (2, 1, 2, 2))
    ints = F.conv_transpose2d(tg.tensor(xi), tg.tensor(wi), stride=2, padding=1)
    assert ints.dtype == np.int64
    np.testing.assert_array_equal(ints.data, reference(xi, wi, stride=2, padding=1))
    empty_batch = tg.zeros(0, 4, 3, 3, dtype=tg.float64)
    assert F.conv_transpose2d(empty_batch, tg.tensor(w)).shape == (0, 2, 4, 4)


@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", GEOMETRIES)
@pytest.mark.parametrize("dims", [1, 2])
def test_first_and_second_derivatives(dims, stride, padding, output_padding, groups, dilation):
    if dims == 1:  # the second entries of the 2-d geometry
        stride, padding, output_padding, dilation = (
            _pair(v)[1] for v in (stride, padding, output_padding, dilation)
        )
    x = tg.tensor(rng.standard_normal((2, 4, 3, 2)[: dims + 2]), requires_grad=True)
    w = tg.tensor(rng.standard_normal((4, 2, 2, 3)[: dims + 2]), requires_grad=True)
    b = tg.tensor(rng.standard_normal(2 * groups), requires_grad=True)
    conv = F.conv_transpose1d if dims == 1 else F.conv_transpose2d

    def fn(x, w, b):
        return conv(x, w, b, stride, padding, output_padding, groups, dilation)

    assert gradcheck(fn, [x, w, b])
    assert gradgradcheck(fn, [x, w, b])


def test_the_weight_gradient_of_a_worked_example():
    x = tg.tensor([[[1.0, 2.0]]])
    w = tg.tensor([[[1.0, 10.0, 100.0]]], requires_grad=True)
    F.conv_transpose1d(x, w, stride=2).backward(tg.tensor([[[1.0, 2.0, 3.0, 4.0, 5.0]]]))
    # tap k meets output k (times x0 = 1) and output 2 + k (times x1 = 2)
    assert w.grad.tolist() == [[[1 + 2 * 3, 2 + 2 * 4, 3 + 2 * 5]]]


# ---------------------------------------------------------------- the layers


def test_layer_shapes_initialisation_state_dict_and_repr():
    tg.manual_seed(0)
    layer = nn.ConvTranspose2d(4, 6, (3, 2), groups=2)
    assert layer.weight.shape == (4, 3, 3, 2) and layer.bias.shape == (6,)
    assert list(layer.state_dict()) == ["weight", "bias"]
    bound = 1 / math.sqrt(3 * 3 * 2)  # fan_in = C_out / groups * kh * kw: the weight's dims after the first
    for p in (layer.weight, layer.bias):
        assert np.all(np.abs(p.data) <= bound) and np.abs(p.data).max() > 0.7 * bound
    assert layer(tg.ones(1, 4, 5, 5)).shape == (1, 6, 7, 6)
    assert repr(nn.ConvTranspose2d(4, 6, 3)) == "ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(1, 1))"
    assert repr(nn.ConvTranspose2d(4, 6, (3, 2), 2, 1, 1, 2, False, 2)) == (
        "ConvTranspose2d(4, 6, kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), dilation=(2, 2), "
        "output_padding=(1, 1), groups=2, bias=False)"
    )
    layer1 = nn.ConvTranspose1d(4, 6, 3, stride=2, output_padding=1, dtype=tg.float64)
    assert repr(layer1) == "ConvTranspose1d(4, 6, kernel_size=(3,), stride=(2,), output_padding=(1,))"
    assert layer1.weight.shape == (4, 6, 3) and layer1.weight.dtype == np.float64
    assert nn.ConvTranspose1d(2, 2, 1, bias=False).bias is None


def test_default_initialisation_is_uniform_with_pytorchs_bound():
    tg.manual_seed(1)
    layer = nn.ConvTranspose2d(16, 32, 3, groups=2)
    bound = 1 / math.sqrt(16 * 9)
    weights = layer.weight.data
    assert np.abs(weights).max() <= bound and np.abs(weights).max() > 0.99 * bound
    assert abs(weights.mean()) < 0.05 * bound
    np.testing.assert_allclose(weights.std(), bound / math.sqrt(3), rtol=0.05)  # the std of U(-b, b)


def test_layer_forward_matches_the_function():
    layer = nn.ConvTranspose2d(
        4, 6, (2, 3), stride=(2, 1), padding=(1, 0), groups=2, dilation=(1, 2), dtype=tg.float64
    )
    x = rng.standard_normal((2, 4, 3, 4))
    want = reference(x, layer.weight.data, layer.bias.data, (2, 1), (1, 0), 0, 2, (1, 2))
    np.testing.assert_allclose(layer(tg.tensor(x)).data, want, rtol=1e-12, atol=1e-12)


def test_output_size_picks_the_output_padding():
    layer = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, dtype=tg.float64)
    x = tg.tensor(rng.standard_normal((1, 4, 5, 5)))
    assert layer(x).shape == (1, 6, 9, 9)
    for size in [(9, 9), (10, 10), (10, 9), [1, 6, 10, 9]]:
        out = layer(x, size)
        assert out.shape[2:] == tuple(size[-2:])
        extra = (out.shape[2] - 9, out.shape[3] - 9)
        want = reference(x.data, layer.weight.data, layer.bias.data, 2, 1, extra)
        np.testing.assert_allclose(out.data, want, rtol=1e-12, atol=1e-12)
    assert layer(x[0], [6, 10, 10]).shape == (6, 10, 10)  # unbatched: the channels may be included
    assert layer(x, output_size=(10, 10)).shape == (1, 6, 10, 10)
    layer1 = nn.ConvTranspose1d(4, 6, 3, stride=3)
    assert [layer1(tg.ones(2, 4, 5), [size]).shape[-1] for size in (15, 16, 17)] == [15, 16, 17]
    with pytest.raises(
        ValueError, match=r"^requested an output size of \[11, 11\], but valid sizes range from "
    ):
        layer(x, [11, 11])
    with pytest.raises(
        ValueError, match=r"valid sizes range from \[9, 9\] to \[10, 10\] \(for an input of \(5, 5\)\)"
    ):
        layer(x, [8, 9])
    with pytest.raises(
        ValueError, match=r"^ConvTranspose2D: for 4D input, output_size must have 2 or 4 elements"
    ):
        layer(x, [6, 10, 10])
    with pytest.raises(
        ValueError, match=r"^ConvTranspose1D: for 3D input, output_size must have 1 or 3 elements"
    ):
        layer1(tg.ones(2, 4, 5), [6, 17])


def test_layer_errors():
    with pytest.raises(ValueError, match='^Only "zeros" padding mode is supported for ConvTranspose2d$'):
        nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match='^Only "zeros" padding mode is supported for ConvTranspose1d$'):
        nn.ConvTranspose1d(4, 6, 3, padding_mode="circular")
    with pytest.raises(ValueError, match="^in_channels must be divisible by groups$"):
        nn.ConvTranspose2d(4, 6, 3, groups=3)
    with pytest.raises(ValueError, match="^out_channels must be divisible by groups$"):
        nn.ConvTranspose2d(4, 6, 3, groups=4)
    with pytest.raises(ValueError, match="^groups must be a positive integer$"):
        nn.ConvTranspose2d(4, 6, 3, groups=0)
    layer = nn.ConvTranspose2d(4, 6, 3, output_padding=1)  # accepted when built, refused when called
    with pytest.raises(RuntimeError, match="output padding must be smaller than either stride or dilation"):
        layer(tg.ones(1, 4, 5, 5))
    with pytest.raises(TypeError, match="argument 'padding' must be tuple of ints, not str"):
        nn.ConvTranspose2d(4, 6, 3, padding="same")(tg.ones(1, 4, 5, 5))


def test_a_failed_call_changes_nothing():
    layer = nn.ConvTranspose2d(4, 6, 3, stride=2)
    before = {k: v.copy() for k, v in layer.state_dict().items()}
    x = tg.ones(1, 4, 5, 5, requires_grad=True)
    for call in [lambda: layer(x, [20, 20]), lambda: layer(tg.ones(1, 3, 5, 5)), lambda: layer(x[0, 0])]:
        with pytest.raises((ValueError, RuntimeError)):
            call()
    for key, value in layer.state_dict().items():
        np.testing.assert_array_equal(value, before[key])
    assert layer.weight.grad is None and x.grad is None and np.all(x.data == 1.0)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (
            {"input": (5, 5)},
            RuntimeError,
            r"^Expected 3D \(unbatched\) or 4D \(batched\) input to conv_transpose2d, but",
        ),
        ({"weight": (4, 3, 3)}, RuntimeError, "expected weight to be 4-dimensional"),
        (
            {"weight": (3, 3, 3, 3)},
            RuntimeError,
            r"expected input\[2, 4, 5, 5\] to have 3 channels, but got 4 channels",
        ),
        (
            {"groups": 3},
            RuntimeError,
            r"divisible by 3 at dimension 0, but got weight of size \[\[4, 3, 3, 3\]\]",
        ),
        ({"groups": 5}, RuntimeError, "expected weight to be at least 5 at dimension 0"),
        ({"groups": 0}, RuntimeError, "^non-positive groups is not supported$"),
        ({"groups": 2.0}, TypeError, "^conv_transpose2d\\(\\): argument 'groups' must be int, not float$"),
        (
            {"bias": (4,)},
            RuntimeError,
            "expected bias to be 1-dimensional with 3 elements, but got bias of size",
        ),
        ({"stride": 0}, RuntimeError, "^non-positive stride is not supported$"),
        (
            {"stride": (1, 2, 3)},
            RuntimeError,
            "expected stride to be a single integer value or a list of 2 values",
        ),
        ({"stride": 2.0}, TypeError, "argument 'stride' must be tuple of ints, not float$"),
        ({"padding": -1}, RuntimeError, "^negative padding is not supported$"),
        ({"output_padding": -1, "stride": 2}, RuntimeError, "^negative output_padding is not supported$"),
        ({"dilation": 0}, RuntimeError, "dilation should be greater than zero"),
        (
            {"output_padding": 2, "stride": 2},
            RuntimeError,
            "output_padding_height: 2 output_padding_width: 2",
        ),
        (
            {"padding": 4},
            RuntimeError,
            r"Calculated output size per channel: \(-1 x -1\). Output size is too small",
        ),
        ({"input": (2, 4, 0, 5)}, RuntimeError, "Only zero batch or zero channel inputs are supported"),
        ({"weight": (4, 3, 0, 3)}, RuntimeError, "kernel size should be greater than zero"),
        (
            {"weight": (4, 0, 3, 3)},
            RuntimeError,
            r"non-empty 2D or 4D weight tensor expected, but got: \[4, 0, 3, 3\]",
        ),
    ],
)
def test_function_errors(kwargs, error, message):
    shapes = {"input": (2, 4, 5, 5), "weight": (4, 3, 3, 3)}
    shapes.update({k: v for k, v in kwargs.items() if k in ("input", "weight", "bias")})
    tensors = {k: tg.ones(v) for k, v in shapes.items()}
    options = {k: v for k, v in kwargs.items() if k not in ("input", "weight", "bias")}
    with pytest.raises(error, match=message):
        F.conv_transpose2d(**tensors, **options)
    assert all(np.all(t.data == 1.0) for t in tensors.values())


def test_1d_errors_name_the_one_row_image():
    x, w = tg.ones(2, 3, 5), tg.ones(3, 2, 2)
    with pytest.raises(
        RuntimeError, match=r"^Expected 2D \(unbatched\) or 3D \(batched\) input to conv_transpose1d"
    ):
        F.conv_transpose1d(tg.ones(5), w)
    with pytest.raises(
        RuntimeError,
        match=r"input size per channel: \(1 x 5\). Calculated output size per channel: \(1 x 0\)",
    ):
        F.conv_transpose1d(x, w, padding=3)
    with pytest.raises(
        RuntimeError, match="output_padding_height: 0 output_padding_width: 1 stride_height: 1"
    ):
        F.conv_transpose1d(x, w, output_padding=1)
    with pytest.raises(TypeError, match=r"argument 'input' \(position 1\) must be Tensor, not numpy.ndarray"):
        F.conv_transpose1d(np.ones((2, 3, 5)), w)


# ---------------------------------------------------------------- against PyTorch


@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", GEOMETRIES)
@pytest.mark.parametrize("dims", [1, 2])
def test_values_and_gradients_match_torch(dims, stride, padding, output_padding, groups, dilation):
    torch = pytest.importorskip("torch")
    if dims == 1:
        stride, padding, output_padding, dilation = (
            _pair(v)[1] for v in (stride, padding, output_padding, dilation)
        )
    arrays = [rng.standard_normal((2, 4, 4, 3)[: dims + 2]), rng.standard_normal((4, 3, 3, 2)[: dims + 2])]
    arrays.append(rng.standard_normal(3 * groups))
    mine = [tg.tensor(a, requires_grad=True) for a in arrays]
    yours = [torch.tensor(a, requires_grad=True) for a in arrays]
    ours = (F.conv_transpose1d if dims == 1 else F.conv_transpose2d)(
        *mine, stride, padding, output_padding, groups, dilation
    )
    theirs = getattr(torch.nn.functional, f"conv_transpose{dims}d")(
        *yours, stride, padding, output_padding, groups, dilation
    )
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-12)
    upstream = rng.standard_normal(theirs.shape)
    ours.backward(tg.tensor(upstream))
    theirs.backward(torch.tensor(upstream))
    for m, y in zip(mine, yours):
        np.testing.assert_allclose(m.grad.data, y.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((4, 6, 3), {}),
        ((4, 6, (3, 2)), dict(stride=2, padding=1, output_padding=1, groups=2, bias=False, dilation=2)),
        ((2, 4, (2, 3)), dict(stride=(1, 3), padding=(0, 2), output_padding=(0, 2))),
    ],
)
@pytest.mark.parametrize("dims", [1, 2])
def test_layers_match_torch(dims, args, kwargs):
    torch = pytest.importorskip("torch")
    if dims == 1:
        args = (*args[:2], _pair(args[2])[1])
        kwargs = {k: (_pair(v)[1] if isinstance(v, tuple) else v) for k, v in kwargs.items()}
    name = f"ConvTranspose{dims}d"
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    ours = getattr(nn, name)(*args, **kwargs, dtype=tg.float64)
    assert repr(ours) == repr(theirs)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()
    }
    ours.load_state_dict(theirs.state_dict())  # a torch module's weights load as they are
    x = rng.standard_normal((2, args[0], 4, 5)[: dims + 2])
    mine, yours = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = ours(mine), theirs(yours)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    upstream = rng.standard_normal(expected.shape)
    out.backward(tg.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(mine.grad.data, yours.grad.numpy(), rtol=1e-12, atol=1e-12)
    for (key, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=1e-12, atol=1e-12, err_msg=key)
    stride = theirs.stride[-1]
    for extra in range(stride):  # every output size that output_size may ask for
        size = list(expected.shape[2:-1]) + [expected.shape[-1] - theirs.output_padding[-1] + extra]
        np.testing.assert_allclose(
            ours(mine, size).data, theirs(yours, size).detach().numpy(), rtol=1e-12, atol=1e-12
        )


def test_signatures_and_initialisation_match_torch():
    torch = pytest.importorskip("torch")
    for name in ["ConvTranspose1d", "ConvTranspose2d"]:
        ours, theirs = inspect.signature(getattr(nn, name)), inspect.signature(getattr(torch.nn, name))
        assert list(ours.parameters) == list(theirs.parameters)
        assert [p.default for p in ours.parameters.values()] == [
            p.default for p in theirs.parameters.values()
        ]
        assert list(inspect.signature(getattr(nn, name).forward).parameters) == [
            "self",
            "input",
            "output_size",
        ]
    tg.manual_seed(3)
    torch.manual_seed(3)
    ours, theirs = nn.ConvTranspose2d(8, 32, 3, groups=2), torch.nn.ConvTranspose2d(8, 32, 3, groups=2)
    for name in ["weight", "bias"]:
        a, b = getattr(ours, name).data, getattr(theirs, name).detach().numpy()
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(np.abs(a).max(), np.abs(b).max(), rtol=0.05)  # the same bound
        np.testing.assert_allclose(a.std(), b.std(), rtol=0.15)


@pytest.mark.parametrize(
    "x_shape, w_shape, kwargs",
    [
        ((5, 5), (4, 3, 3, 3), {}),
        ((2, 4, 5, 5), (3, 3, 3, 3), {}),
        ((4, 5, 5), (3, 3, 3, 3), {}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"groups": 3}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"groups": 5}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"groups": 0}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"stride": 0}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"stride": (1, 2, 3)}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"stride": 2.0}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"padding": "same"}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"groups": 2.0}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"padding": -1}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"dilation": 0}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"output_padding": 1}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"output_padding": (1, 2), "stride": 2}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"output_padding": -1, "stride": 2}),
        ((2, 4, 5, 5), (4, 3, 3, 3), {"padding": (4, 1)}),
        ((2, 4, 0, 5), (4, 3, 3, 3), {}),
        ((2, 4, 5, 5), (4, 0, 3, 3), {}),
        ((2, 4, 5, 5), (4, 3, 0, 3), {}),
        ((2, 0, 5, 5), (0, 3, 3, 3), {}),
        ((2, 3, 5), (3, 2, 2), {"padding": 3}),
        ((2, 3, 5), (3, 2, 2), {"output_padding": 1}),
        ((2, 3, 5), (3, 2, 2), {"stride": (1, 1)}),
        ((3, 5), (4, 2, 2), {}),
        ((5,), (3, 2, 2), {}),
    ],
)
def test_errors_match_torch(x_shape, w_shape, kwargs):
    torch = pytest.importorskip("torch")
    dims = len(w_shape) - 2
    x, w = np.ones(x_shape), np.ones(w_shape)
    with pytest.raises(Exception) as theirs:
        getattr(torch.nn.functional, f"conv_transpose{dims}d")(torch.tensor(x), torch.tensor(w), **kwargs)
    with pytest.raises(type(theirs.value)) as ours:
        getattr(F, f"conv_transpose{dims}d")(tg.tensor(x), tg.tensor(w), **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_layer_errors_match_torch():
    torch = pytest.importorskip("torch")
    for name, args, kwargs in [
        ("ConvTranspose2d", (4, 6, 3), {"padding_mode": "reflect"}),
        ("ConvTranspose1d", (4, 6, 3), {"padding_mode": "bogus"}),
        ("ConvTranspose2d", (4, 6, 3), {"groups": 3}),
        ("ConvTranspose2d", (4, 6, 3), {"groups": 4}),
        ("ConvTranspose2d", (4, 6, 3), {"groups": 0}),
    ]:
        with pytest.raises(ValueError) as theirs:
            getattr(torch.nn, name)(*args, **kwargs)
        with pytest.raises(ValueError) as ours:
            getattr(nn, name)(*args, **kwargs)
        assert str(ours.value) == str(theirs.value)
    theirs_layer, ours_layer = (
        torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1),
        nn.ConvTranspose2d(4, 6, 3, 2, 1),
    )
    for size in [[6, 10, 10], (10,), [1, 2, 3, 4, 5], [11, 11], [8, 9]]:
        with pytest.raises(ValueError) as theirs:
            theirs_layer(torch.ones(1, 4, 5, 5), size)
        with pytest.raises(ValueError) as ours:
            ours_layer(tg.ones(1, 4, 5, 5), size)
        # PyTorch names the input's spatial size as a torch.Size, we as a tuple
        assert str(ours.value) == str(theirs.value).replace("torch.Size([5, 5])", "(5, 5)")


@pytest.mark.parametrize(
    "layer, shape",
    [
        (lambda: tg.nn.Conv1d(1, 2, 3), (1, 1, 8)),
        (lambda: tg.nn.Conv2d(1, 2, 3), (1, 1, 8, 8)),
        (lambda: tg.nn.Conv3d(1, 2, 3), (1, 1, 4, 4, 4)),
        (lambda: tg.nn.ConvTranspose1d(1, 2, 3), (1, 1, 4)),
        (lambda: tg.nn.ConvTranspose2d(1, 2, 3), (1, 1, 4, 4)),
        (lambda: tg.nn.ConvTranspose3d(1, 2, 3), (1, 1, 2, 2, 2)),
    ],
)
def test_a_float64_batch_into_a_float32_layer_names_the_layer_and_both_dtypes(layer, shape):
    x = tg.tensor(np.zeros(shape))  # float64, as X[i] / 16.0 from a NumPy data set
    with pytest.raises(
        RuntimeError, match=r"conv\w*: input of dtype float64 does not match weight of dtype float32"
    ):
        layer()(x)
