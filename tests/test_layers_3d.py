"""The volumetric layers: conv3d, conv_transpose3d, the 3-d pools, BatchNorm3d, InstanceNorm3d,
Dropout3d and trilinear interpolation.

Without PyTorch: values against a NumPy reference (conv3d) and against the
defining properties (Fold3d is Unfold3d's adjoint, conv_transpose3d is
conv3d's), shapes, argument errors, layers' parameters and reprs, gradients
and second derivatives against finite differences in float64. With PyTorch:
values, gradients, indices, running statistics and error messages against it
over several argument combinations.
"""

from __future__ import annotations

import inspect
import itertools
import math
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.nn.adaptive_pooling3d import (
    AdaptiveAvgPool3d,
    AdaptiveMaxPool3d,
    adaptive_avg_pool3d,
    adaptive_max_pool3d,
)
from tinygrad_edu.nn.conv3d import Conv3d, ConvTranspose3d, conv3d, conv_transpose3d
from tinygrad_edu.nn.dropout3d import Dropout3d, dropout3d
from tinygrad_edu.nn.functional import batch_norm, instance_norm, interpolate
from tinygrad_edu.nn.norm3d import BatchNorm3d, InstanceNorm3d
from tinygrad_edu.nn.pooling3d import AvgPool3d, MaxPool3d, avg_pool3d, max_pool3d
from tinygrad_edu.nn.upsampling import Upsample
from tinygrad_edu.ops.conv3d import Fold3d, Unfold3d
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(17)


def _t(*shape: int, grad: bool = True) -> tg.Tensor:
    return tg.tensor(rng.standard_normal(shape), requires_grad=grad)


def _triple(v):
    return tuple(v) if isinstance(v, tuple) else (v, v, v)


def reference_conv3d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """3-d convolution in NumPy: one einsum per kernel tap over the strided grid it meets."""
    (sd, sh, sw), (pd, ph, pw), (dd, dh, dw) = map(_triple, (stride, padding, dilation))
    x = np.pad(x, ((0, 0), (0, 0), (pd, pd), (ph, ph), (pw, pw)))
    n, c_in, d, h, wd = x.shape
    c_out, c_g, kd, kh, kw = w.shape
    out_size = [
        (m - e * (k - 1) - 1) // s + 1
        for m, e, k, s in zip((d, h, wd), (dd, dh, dw), (kd, kh, kw), (sd, sh, sw))
    ]
    out = np.zeros((n, c_out, *out_size))
    per = c_out // groups
    for a, b_, c in itertools.product(range(kd), range(kh), range(kw)):
        grid = x[
            :,
            :,
            a * dd : a * dd + sd * (out_size[0] - 1) + 1 : sd,
            b_ * dh : b_ * dh + sh * (out_size[1] - 1) + 1 : sh,
            c * dw : c * dw + sw * (out_size[2] - 1) + 1 : sw,
        ]
        for g in range(groups):
            out[:, g * per : (g + 1) * per] += np.einsum(
                "ncdhw,oc->nodhw", grid[:, g * c_g : (g + 1) * c_g], w[g * per : (g + 1) * per, :, a, b_, c]
            )
    return out if b is None else out + b.reshape(-1, 1, 1, 1)


# ---------------------------------------------------------------- vol2col and the convolutions


def test_fold3d_is_the_adjoint_of_unfold3d_and_both_have_second_derivatives():
    geometry = ((2, 1, 2), (1, 2, 1), (1, 0, 1), (2, 1, 1))  # kernel, dilation, padding, stride
    x = _t(2, 2, 3, 4, 3)
    cols = Unfold3d._apply1(x, *geometry)
    assert cols.shape == (2, 2 * 4, 2 * 4 * 4)  # (od, oh, ow) = (2, 4, 4)
    c = rng.standard_normal(cols.shape)
    back = Fold3d._apply1(tg.tensor(c), (3, 4, 3), *geometry)
    assert back.shape == x.shape
    np.testing.assert_allclose((cols.data * c).sum(), (x.data * back.data).sum(), rtol=1e-12)
    assert gradcheck(lambda t: Unfold3d._apply1(t, *geometry) ** 2, [x])
    assert gradgradcheck(lambda t: Unfold3d._apply1(t, *geometry) ** 2, [x])
    cols_in = _t(1, 2 * 4, 2 * 4 * 4)
    assert gradgradcheck(lambda t: Fold3d._apply1(t, (3, 4, 3), *geometry) ** 2, [cols_in])


CONV_CASES = [
    dict(),
    dict(stride=2, padding=1),
    dict(stride=(1, 2, 3), padding=(1, 0, 2), dilation=(2, 1, 1)),
    dict(padding="same", dilation=(1, 2, 1), groups=2),
    dict(padding="valid", groups=4),
]


@pytest.mark.parametrize("kw", CONV_CASES, ids=str)
def test_conv3d_matches_a_numpy_reference(kw):
    groups = kw.get("groups", 1)
    x, w, b = (
        rng.standard_normal((2, 4, 5, 6, 7)),
        rng.standard_normal((4, 4 // groups, 2, 3, 2)),
        rng.standard_normal(4),
    )
    out = conv3d(tg.tensor(x), tg.tensor(w), tg.tensor(b), **kw)
    if kw.get("padding") == "same":  # spans (2, 5, 2): the odd extra zero goes at the end
        padded = np.pad(x, ((0, 0), (0, 0), (0, 1), (2, 2), (0, 1)))
        expected = reference_conv3d(padded, w, b, dilation=kw["dilation"], groups=groups)
        assert out.shape[2:] == x.shape[2:]
    else:  # ("valid" is no padding)
        expected = reference_conv3d(x, w, b, **({**kw, "padding": 0} if kw.get("padding") == "valid" else kw))
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    unbatched = conv3d(tg.tensor(x[0]), tg.tensor(w), tg.tensor(b), **kw)
    np.testing.assert_allclose(unbatched.data, expected[0], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(stride=2, padding=1, output_padding=1),
        dict(stride=(2, 1, 3), padding=(0, 1, 1), output_padding=(1, 0, 2), dilation=(1, 2, 1), groups=2),
    ],
    ids=str,
)
def test_conv_transpose3d_is_the_adjoint_of_conv3d(kw):
    groups = kw.get("groups", 1)
    x, w = rng.standard_normal((2, 4, 3, 4, 3)), rng.standard_normal((4, 6 // groups, 2, 3, 2))
    out = conv_transpose3d(tg.tensor(x), tg.tensor(w), **kw)
    stride, padding, dilation = (
        _triple(kw.get(k, d)) for k, d in [("stride", 1), ("padding", 0), ("dilation", 1)]
    )
    size = [
        (n - 1) * s - 2 * p + d * (k - 1) + o + 1
        for n, s, p, d, k, o in zip(
            x.shape[2:], stride, padding, dilation, w.shape[2:], _triple(kw.get("output_padding", 0))
        )
    ]
    assert out.shape == (2, 6, *size)
    # <conv_transpose3d(x, w), y> = <x, conv3d(y, w)>: the same weight, read as conv3d's
    # (C_out, C_in / G, ...)
    y = rng.standard_normal(out.shape)
    forward = conv3d(
        tg.tensor(y), tg.tensor(w), stride=stride, padding=padding, dilation=dilation, groups=groups
    )
    assert forward.shape == x.shape
    np.testing.assert_allclose((out.data * y).sum(), (x * forward.data).sum(), rtol=1e-10)


def test_conv3d_and_conv_transpose3d_gradients_and_second_derivatives():
    x, w, b = _t(1, 2, 3, 3, 2), _t(2, 1, 2, 2, 1), _t(2)
    assert gradgradcheck(
        lambda *t: conv3d(*t, stride=(2, 1, 1), padding=1, dilation=(1, 2, 1), groups=2), [x, w, b]
    )
    wt = _t(2, 2, 2, 1, 2)
    assert gradgradcheck(
        lambda a, k, c: conv_transpose3d(a, k, c, stride=2, padding=(1, 0, 0), output_padding=1, groups=2),
        [x, wt, _t(4)],
    )


def test_conv3d_argument_errors():
    x, w = _t(2, 4, 5, 6, 7, grad=False), _t(6, 4, 2, 2, 2, grad=False)
    bad = [
        (lambda: conv3d(_t(4, 5, 6), w), "Expected 4D \\(unbatched\\) or 5D \\(batched\\) input to conv3d"),
        (lambda: conv3d(x, w, groups=3), "expected input\\[2, 4, 5, 6, 7\\] to have 12 channels"),
        (lambda: conv3d(x, w, stride=(1, 2)), "a list of 3 values"),
        (lambda: conv3d(x, _t(6, 4, 6, 2, 2)), "Kernel size: \\(6 x 2 x 2\\)"),
        (lambda: conv3d(x, w, padding="same", stride=2), "not supported for strided"),
        (lambda: conv3d(x, w, padding=-1), "negative padding"),
        (lambda: conv3d(x, w, padding="full"), "Invalid padding string"),
        (lambda: conv3d(x, w, tg.zeros(5)), "bias to be 1-dimensional with 6 elements"),
        (
            lambda: conv_transpose3d(x, _t(4, 3, 2, 2, 2), stride=2, output_padding=2),
            "output_padding_depth: 2",
        ),
        (lambda: conv_transpose3d(x, _t(4, 3, 2, 2, 2), padding=4), "Output size is too small"),
        (lambda: conv_transpose3d(_t(2, 4, 0, 6, 7), _t(4, 3, 2, 2, 2)), "Only zero batch or zero channel"),
        (lambda: conv_transpose3d(_t(2, 3, 5, 6, 7), _t(4, 3, 2, 2, 2)), "to have 4 channels"),
    ]
    for call, message in bad:
        with pytest.raises(RuntimeError, match=message):
            call()
    with pytest.raises(TypeError, match="argument 'input'"):
        conv3d(np.zeros((1, 4, 2, 2, 2)), w)


def test_conv3d_layers_parameters_modes_and_repr():
    conv = Conv3d(4, 6, (3, 1, 2), padding=(1, 0, 1), groups=2, padding_mode="circular", dtype=tg.float64)
    assert conv.weight.shape == (6, 2, 3, 1, 2) and conv.bias.shape == (6,)
    bound = 1 / math.sqrt(2 * 3 * 1 * 2)
    assert np.abs(conv.weight.data).max() <= bound and np.abs(conv.bias.data).max() <= bound
    assert repr(conv) == (
        "Conv3d(4, 6, kernel_size=(3, 1, 2), stride=(1, 1, 1), padding=(1, 0, 1), groups=2, "
        "padding_mode=circular)"
    )
    x = _t(2, 4, 3, 4, 5)
    padded = tg.nn.functional.pad(x, (1, 1, 0, 0, 1, 1), mode="circular")
    expected = reference_conv3d(padded.data, conv.weight.data, conv.bias.data, groups=2)
    np.testing.assert_allclose(conv(x).data, expected, rtol=1e-12, atol=1e-12)
    assert Conv3d(2, 2, 3, padding="same", padding_mode="reflect")(_t(1, 2, 3, 4, 5).float()).shape == (
        1,
        2,
        3,
        4,
        5,
    )
    for kwargs, message in [
        (dict(groups=4), "divisible by groups"),
        (dict(padding="same", stride=2), "strided"),
        (dict(padding_mode="edge"), "padding_mode must be one of"),
    ]:
        with pytest.raises(ValueError, match=message):
            Conv3d(6, 6, 3, **kwargs)
    up = ConvTranspose3d(4, 6, 3, stride=2, output_padding=1, groups=2, bias=False)
    assert up.weight.shape == (4, 3, 3, 3, 3) and up.bias is None
    assert (
        repr(up)
        == "ConvTranspose3d(4, 6, kernel_size=(3, 3, 3), stride=(2, 2, 2), output_padding=(1, 1, 1), "
        "groups=2, bias=False)"
    )
    y = _t(1, 4, 2, 3, 4).float()
    assert up(y).shape == (1, 6, 6, 8, 10)
    assert ConvTranspose3d(4, 6, 3, stride=2)(y, output_size=[5, 8, 9]).shape == (1, 6, 5, 8, 9)
    with pytest.raises(ValueError, match="valid sizes range from"):
        ConvTranspose3d(4, 6, 3, stride=2)(y, output_size=[7, 7, 7])


# ---------------------------------------------------------------- pools


def test_max_pool3d_indices_ties_and_gradients():
    x = tg.tensor(np.arange(8.0).reshape(1, 1, 2, 2, 2), requires_grad=True)
    values, indices = max_pool3d(x, 2, return_indices=True)
    assert values.item() == 7.0 and indices.item() == 7 and indices.dtype == np.int64
    ties = tg.tensor(np.ones((1, 2, 2, 2)), requires_grad=True)  # unbatched, all equal: the first wins
    values, indices = max_pool3d(ties, 2, return_indices=True)
    assert indices.shape == (1, 1, 1, 1) and indices.item() == 0
    values.sum().backward()
    assert ties.grad.data.reshape(-1).tolist() == [1.0] + [0.0] * 7
    distinct = tg.tensor(rng.permutation(60).reshape(1, 2, 3, 2, 5) / 7.0, requires_grad=True)
    pool = lambda t: (
        max_pool3d(t, (2, 1, 2), stride=(1, 2, 2), padding=(1, 0, 1), dilation=(2, 1, 1), ceil_mode=True) ** 2
    )  # noqa: E731
    assert gradgradcheck(pool, [distinct])


def test_avg_pool3d_counts_and_gradients():
    x = tg.tensor(np.ones((1, 1, 3, 3, 3)), requires_grad=True)
    # a corner box of 2x2x2 over one padding layer holds one real place: 1/8 counting the padding, else 1
    np.testing.assert_allclose(avg_pool3d(x, 2, padding=1).data[0, 0, 0, 0, 0], 1 / 8)
    np.testing.assert_allclose(avg_pool3d(x, 2, padding=1, count_include_pad=False).data, 1.0)
    np.testing.assert_allclose(avg_pool3d(x, 3, divisor_override=9).data, 3.0)
    y = _t(2, 3, 4, 3, 5)
    assert gradgradcheck(
        lambda t: (
            avg_pool3d(
                t, (2, 2, 3), stride=(2, 1, 2), padding=(1, 0, 1), ceil_mode=True, count_include_pad=False
            )
            ** 2
        ),
        [y],
    )


def test_pool3d_argument_errors():
    x = _t(2, 4, 5, 6, 7, grad=False)
    bad = [
        (lambda: max_pool3d(x, 0), "stride should not be zero"),
        (
            lambda: max_pool3d(x, (2, -1, 2)),
            "kernel size should be greater than zero, but got kT: 2 kH: -1 kW: 2",
        ),
        (lambda: max_pool3d(x, 2, -1), "stride should be greater than zero, but got dT: -1 dH: -1 dW: -1"),
        (lambda: max_pool3d(x, 2, padding=2), "pad should be at most half of effective kernel size"),
        (lambda: max_pool3d(x, 2, padding=-1), "pad must be non-negative, but got pad: -1"),
        (lambda: max_pool3d(x, 2, dilation=0), "dilationT: 0 dilationH: 0 dilationW: 0"),
        (lambda: max_pool3d(x, (2, 2)), "kernel_size must either be a single int, or a tuple of three ints"),
        (lambda: max_pool3d(x, 2, (2, 2)), "stride must either be omitted, a single int"),
        (lambda: max_pool3d(_t(4, 5, 6), 2), "non-empty 4D or 5D"),
        (lambda: max_pool3d(_t(2, 4, 1, 6, 7), 2), "Calculated output size: \\(4x0x3x3\\)"),
        (lambda: max_pool3d(_t(1, 2, 3, 0, 4), 2), "non-batch dimensions to have positive length"),
        (lambda: avg_pool3d(x, (2, 2)), "avg_pool3d: kernel_size must be a single int"),
        (lambda: avg_pool3d(x, 2, divisor_override=0), "divisor must be not zero"),
        (
            lambda: avg_pool3d(_t(1, 1, 1, 4, 4), 2, padding=1),
            "input image \\(T: 1 H: 4 W: 4\\) smaller than kernel",
        ),
        (lambda: adaptive_avg_pool3d(x, (2, -1, 3)), "received \\{2, -1,3\\}"),
        (lambda: adaptive_avg_pool3d(x, (2, 3)), "output_size must be 3"),
        (lambda: adaptive_avg_pool3d(_t(2, 4, 0, 6, 7), 2), "dimension 2 being empty"),
        (lambda: adaptive_max_pool3d(x, (2, 3)), "output_size.size\\(\\) must be 3"),
        (lambda: adaptive_max_pool3d(_t(4, 5, 6), 2), "Expected 4D or 5D tensor, but got: \\[4, 5, 6\\]"),
        (lambda: adaptive_max_pool3d(x, (2, -1, 3)), "negative dimension -1: \\[2, 4, 2, -1, 3\\]"),
    ]
    for call, message in bad:
        with pytest.raises(RuntimeError, match=message):
            call()
    with pytest.raises(ValueError, match="Input dimension should be at least 4"):
        adaptive_avg_pool3d(_t(4, 5, 6), (2, 2, 2))
    with pytest.raises(TypeError, match="found element of type float at pos 0"):
        adaptive_max_pool3d(x, (2.0, 2, 2))
    with pytest.raises(NotImplementedError):
        adaptive_avg_pool3d(tg.tensor(np.ones((1, 1, 2, 2, 2), dtype=np.int64)), 1)
    assert adaptive_max_pool3d(_t(0, 2, 3, 4, 5), (1, 2, 3)).shape == (0, 2, 1, 2, 3)


def test_adaptive_pools_3d_values_and_second_derivatives():
    x = _t(1, 2, 5, 4, 3)
    # out = in along every dim is the identity; one output box is the mean/max of the channel
    np.testing.assert_allclose(adaptive_avg_pool3d(x, (5, None, 3)).data, x.data)
    np.testing.assert_allclose(
        adaptive_avg_pool3d(x, 1).data, x.data.mean((2, 3, 4), keepdims=True), rtol=1e-12
    )
    values, indices = adaptive_max_pool3d(x, 1, return_indices=True)
    flat = x.data.reshape(1, 2, -1)
    assert indices.data.reshape(-1).tolist() == flat.argmax(-1).reshape(-1).tolist()
    assert gradgradcheck(lambda t: adaptive_avg_pool3d(t, (3, 2, 2)) ** 2, [x])
    distinct = tg.tensor(rng.permutation(60).reshape(2, 5, 3, 2) / 7.0, requires_grad=True)
    assert gradgradcheck(lambda t: adaptive_max_pool3d(t, (2, 2, 1)) ** 2, [distinct])


def test_pool_layers_and_reprs():
    x = _t(1, 2, 4, 4, 4)
    assert repr(MaxPool3d(2)) == "MaxPool3d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(AvgPool3d(2)) == "AvgPool3d(kernel_size=2, stride=2, padding=0)"
    assert repr(AdaptiveAvgPool3d((2, None, 3))) == "AdaptiveAvgPool3d(output_size=(2, None, 3))"
    assert repr(AdaptiveMaxPool3d(2)) == "AdaptiveMaxPool3d(output_size=2)"
    values, indices = MaxPool3d(2, return_indices=True)(x)
    assert values.shape == indices.shape == (1, 2, 2, 2, 2)
    np.testing.assert_allclose(AvgPool3d(2, stride=1)(x).data, avg_pool3d(x, 2, 1).data)
    assert AdaptiveMaxPool3d((1, 2, 3), return_indices=True)(x)[1].shape == (1, 2, 1, 2, 3)
    assert AdaptiveAvgPool3d(3)(x[0]).shape == (2, 3, 3, 3)


# ---------------------------------------------------------------- normalization and dropout


def test_batchnorm3d_and_instancenorm3d():
    bn = BatchNorm3d(3, dtype=tg.float64)
    x = _t(2, 3, 2, 3, 2, grad=False)
    out = bn(x)
    mean, var = x.data.mean((0, 2, 3, 4), keepdims=True), x.data.var((0, 2, 3, 4), keepdims=True)
    np.testing.assert_allclose(out.data, (x.data - mean) / np.sqrt(var + 1e-5), rtol=1e-10)
    np.testing.assert_allclose(bn.running_mean.data, 0.1 * mean.reshape(-1), rtol=1e-10)
    assert bn.num_batches_tracked.item() == 1
    with pytest.raises(ValueError, match="expected 5D input \\(got 4D input\\)"):
        bn(x[0])
    assert bn.num_batches_tracked.item() == 1  # a refused call changes nothing
    assert (
        repr(bn)
        == "BatchNorm3d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    )
    inorm = InstanceNorm3d(3, affine=True, dtype=tg.float64)
    out = inorm(x[0])  # unbatched
    m, v = x.data[0].mean((1, 2, 3), keepdims=True), x.data[0].var((1, 2, 3), keepdims=True)
    np.testing.assert_allclose(out.data, (x.data[0] - m) / np.sqrt(v + 1e-5), rtol=1e-10)
    with pytest.raises(ValueError, match="expected 4D or 5D input \\(got 3D input\\)"):
        inorm(x[0, 0])
    assert (
        repr(InstanceNorm3d(3))
        == "InstanceNorm3d(3, eps=1e-05, momentum=0.1, affine=False, bias=False, track_running_stats=False)"
    )
    w, b = _t(3), _t(3)
    y = _t(2, 3, 2, 2, 2)
    assert gradgradcheck(lambda t, a, c: batch_norm(t, None, None, a, c, training=True, eps=0.5), [y, w, b])
    assert gradgradcheck(lambda t, a, c: instance_norm(t, weight=a, bias=c, eps=0.5), [y, w, b])


def test_dropout3d_drops_whole_channels():
    x = tg.tensor(np.ones((4, 5, 2, 3, 2)))
    out = dropout3d(x, 0.5).data.reshape(4, 5, -1)
    per_channel = np.unique(out, axis=-1)  # every channel all zeros or all 2s
    assert per_channel.shape[-1] == 1 and set(np.unique(per_channel)) <= {0.0, 2.0}
    assert 0 < (per_channel == 0).sum() < 20
    unbatched = dropout3d(tg.tensor(np.ones((6, 2, 2, 2))), 0.5).data.reshape(6, -1)
    assert np.all(unbatched.min(1) == unbatched.max(1))
    assert dropout3d(x, 0.5, training=False) is x
    with pytest.warns(UserWarning, match="Received a 3-D input to dropout3d"):
        dropout3d(tg.tensor(np.ones((4, 3, 2))), 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert dropout3d(tg.tensor(np.ones(8)), 0.5).shape == (8,)  # read as one sample of 8 channels
        with pytest.raises(RuntimeError, match="at least 2 dimensions"):
            dropout3d(tg.tensor(np.ones(())), 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        Dropout3d(1.5)
    layer = Dropout3d(0.3, inplace=True)
    assert repr(layer) == "Dropout3d(p=0.3, inplace=True)"
    y = tg.tensor(np.ones((1, 8, 1, 1, 2)))
    assert layer(y) is y and set(np.unique(y.data)) <= {0.0, 1 / 0.7}
    assert layer.eval()(y) is y


def test_trilinear_interpolation_and_upsample():
    x = _t(1, 2, 2, 3, 2)
    # align_corners: the corners are kept, and a linear ramp stays a linear ramp
    ramp = tg.tensor(np.arange(3.0).reshape(1, 1, 3, 1, 1) * np.ones((1, 1, 3, 2, 2)))
    out = interpolate(ramp, size=(5, 2, 2), mode="trilinear", align_corners=True)
    np.testing.assert_allclose(out.data[0, 0, :, 0, 0], [0, 0.5, 1, 1.5, 2])
    assert Upsample(scale_factor=2, mode="trilinear")(x).shape == (1, 2, 4, 6, 4)
    assert gradgradcheck(lambda t: interpolate(t, size=(3, 4, 3), mode="trilinear") ** 2, [x])
    with pytest.raises(NotImplementedError, match="trilinear mode needs 5D input"):
        interpolate(x[0], size=(3, 3), mode="trilinear")


# ---------------------------------------------------------------- against PyTorch


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def _pair_of(torch, *shapes, grad=True):
    arrays = [rng.standard_normal(s) for s in shapes]
    ours = [tg.tensor(a, requires_grad=grad) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=grad) for a in arrays]
    return ours, theirs


def _agree(torch, ours_out, theirs_out, ours, theirs):
    np.testing.assert_allclose(ours_out.data, theirs_out.detach().numpy(), rtol=1e-12, atol=1e-12)
    upstream = rng.standard_normal(ours_out.shape)
    ours_out.backward(tg.tensor(upstream))
    theirs_out.backward(torch.tensor(upstream))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(
    "kw", CONV_CASES + [dict(stride=(2, 1, 1), padding=(0, 2, 1), dilation=2, groups=2)], ids=str
)
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.filterwarnings("ignore:Using padding=.same. with even kernel")
def test_conv3d_against_torch(torch, kw, bias):
    g = kw.get("groups", 1)
    shapes = [(2, 4, 5, 6, 7), (6 if g != 4 else 4, 4 // g, 2, 3, 2)] + (
        [(6 if g != 4 else 4,)] if bias else []
    )
    ours, theirs = _pair_of(torch, *shapes)
    _agree(torch, conv3d(*ours, **kw), torch.nn.functional.conv3d(*theirs, **kw), ours, theirs)


@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(stride=2, padding=1, output_padding=1),
        dict(stride=(2, 1, 3), padding=(1, 0, 1), output_padding=(1, 0, 2), dilation=(1, 2, 1), groups=2),
        dict(stride=1, dilation=3, output_padding=2, padding=2),
    ],
    ids=str,
)
def test_conv_transpose3d_against_torch(torch, kw):
    g = kw.get("groups", 1)
    ours, theirs = _pair_of(torch, (2, 4, 3, 4, 3), (4, 3, 2, 3, 2), (3 * g,))
    _agree(
        torch,
        conv_transpose3d(*ours, **kw),
        torch.nn.functional.conv_transpose3d(*theirs, **kw),
        ours,
        theirs,
    )
    x = ours[0].detach()[0]  # unbatched
    np.testing.assert_allclose(
        conv_transpose3d(x, ours[1].detach(), **kw).data,
        torch.nn.functional.conv_transpose3d(torch.tensor(x.data), theirs[1].detach(), **kw).numpy(),
        rtol=1e-12,
        atol=1e-12,
    )


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv3d_layer_padding_modes_against_torch(torch, mode):
    ours = Conv3d(2, 4, (3, 2, 3), padding=(1, 1, 2), padding_mode=mode, dtype=tg.float64)
    theirs = torch.nn.Conv3d(2, 4, (3, 2, 3), padding=(1, 1, 2), padding_mode=mode, dtype=torch.float64)
    ours.load_state_dict(theirs.state_dict())  # a torch module's weights load as they are
    x = rng.standard_normal((2, 2, 3, 4, 5))
    np.testing.assert_allclose(
        ours(tg.tensor(x)).data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12, atol=1e-12
    )
    assert repr(ours) == repr(theirs)


POOL_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=(2, 3, 2), stride=(1, 2, 3), padding=(1, 1, 0), ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=(1, 2, 3), stride=1, padding=(0, 1, 1)),
]


@pytest.mark.parametrize(
    "kw", POOL_CASES + [dict(kernel_size=2, stride=(1, 2, 1), dilation=(2, 1, 3), padding=1)], ids=str
)
def test_max_pool3d_against_torch(torch, kw):
    ours, theirs = _pair_of(torch, (2, 3, 5, 6, 7))
    (a, ai), (b, bi) = (
        max_pool3d(*ours, return_indices=True, **kw),
        torch.nn.functional.max_pool3d(*theirs, return_indices=True, **kw),
    )
    np.testing.assert_array_equal(ai.data, bi.numpy())
    _agree(torch, a, b, ours, theirs)


@pytest.mark.parametrize("kw", POOL_CASES, ids=str)
@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize("divisor_override", [None, 5])
def test_avg_pool3d_against_torch(torch, kw, count_include_pad, divisor_override):
    ours, theirs = _pair_of(torch, (2, 3, 5, 6, 7))
    extra = dict(count_include_pad=count_include_pad, divisor_override=divisor_override)
    _agree(
        torch,
        avg_pool3d(*ours, **kw, **extra),
        torch.nn.functional.avg_pool3d(*theirs, **kw, **extra),
        ours,
        theirs,
    )


@pytest.mark.parametrize("size", [2, (3, None, 4), (5, 6, 7), (1, 4, 3), (4, 5, 2)], ids=str)
def test_adaptive_pools_3d_against_torch(torch, size):
    ours, theirs = _pair_of(torch, (2, 3, 5, 6, 7))
    _agree(
        torch,
        adaptive_avg_pool3d(*ours, size),
        torch.nn.functional.adaptive_avg_pool3d(*theirs, size),
        ours,
        theirs,
    )
    ties = np.round(rng.standard_normal((3, 5, 6, 7)))  # unbatched, with many ties
    ours, theirs = [tg.tensor(ties, requires_grad=True)], [torch.tensor(ties, requires_grad=True)]
    (a, ai), (b, bi) = (
        adaptive_max_pool3d(*ours, size, True),
        torch.nn.functional.adaptive_max_pool3d(*theirs, size, True),
    )
    np.testing.assert_array_equal(ai.data, bi.numpy())
    _agree(torch, a, b, ours, theirs)


@pytest.mark.parametrize("momentum", [0.1, None])
@pytest.mark.parametrize("affine", [True, False])
def test_norm3d_layers_against_torch(torch, momentum, affine):
    ours = [
        BatchNorm3d(3, momentum=momentum, affine=affine, dtype=tg.float64),
        InstanceNorm3d(
            3, momentum=momentum or 0.1, affine=affine, track_running_stats=True, dtype=tg.float64
        ),
    ]
    theirs = [
        torch.nn.BatchNorm3d(3, momentum=momentum, affine=affine, dtype=torch.float64),
        torch.nn.InstanceNorm3d(
            3, momentum=momentum or 0.1, affine=affine, track_running_stats=True, dtype=torch.float64
        ),
    ]
    for a, b in zip(ours, theirs):
        for step in range(3):  # two training batches, then evaluation with the running statistics
            if step == 2:
                a.eval(), b.eval()
            (x,), (y,) = _pair_of(torch, (2, 3, 2, 3, 4))
            _agree(torch, a(x), b(y), [x], [y])
            for name, buffer in b.named_buffers():
                np.testing.assert_allclose(getattr(a, name).data, buffer.numpy(), rtol=1e-12)
        assert repr(a) == repr(b)


@pytest.mark.parametrize(
    "kw",
    [
        dict(size=(5, 7, 4)),
        dict(scale_factor=2, align_corners=True),
        dict(scale_factor=(1.5, 0.7, 2.3)),
        dict(scale_factor=(1.5, 0.7, 2.3), recompute_scale_factor=True),
    ],
    ids=str,
)
def test_trilinear_against_torch(torch, kw):
    ours, theirs = _pair_of(torch, (2, 3, 3, 4, 5))
    _agree(
        torch,
        interpolate(*ours, mode="trilinear", **kw),
        torch.nn.functional.interpolate(*theirs, mode="trilinear", **kw),
        ours,
        theirs,
    )
    layer_kw = {k: v for k, v in kw.items() if k != "recompute_scale_factor"}
    assert repr(Upsample(mode="trilinear", **layer_kw)) == repr(
        torch.nn.Upsample(mode="trilinear", **layer_kw)
    )


def test_error_types_and_messages_match_torch(torch):
    F = torch.nn.functional
    x, w, wt = (rng.standard_normal(s) for s in [(2, 4, 5, 6, 7), (6, 4, 2, 2, 2), (4, 3, 2, 2, 2)])
    calls = [
        ("conv3d", (_t(4, 5, 6, grad=False), w), {}),
        ("conv3d", (x, w), dict(groups=3)),
        ("conv3d", (x, w), dict(stride=(1, 2))),
        ("conv3d", (x, rng.standard_normal((6, 4, 6, 2, 2))), {}),
        ("conv3d", (x, w), dict(padding="same", stride=2)),
        ("conv3d", (x, w), dict(padding=-1)),
        ("conv3d", (x, w), dict(stride=0)),
        ("conv_transpose3d", (x, wt), dict(stride=2, output_padding=2)),
        ("conv_transpose3d", (x, wt), dict(stride=(2, 1, 1), output_padding=(0, 1, 0))),
        ("conv_transpose3d", (rng.standard_normal((2, 4, 0, 6, 7)), wt), {}),
        ("conv_transpose3d", (rng.standard_normal((2, 3, 5, 6, 7)), wt), {}),
        ("conv_transpose3d", (x, wt, rng.standard_normal(4)), {}),
        ("conv_transpose3d", (rng.standard_normal((1, 4, 3, 3, 3)), wt), dict(stride=2, padding=5)),
        ("max_pool3d", (x, 0), {}),
        ("max_pool3d", (x, (2, -1, 2)), {}),
        ("max_pool3d", (x, 2, -1), {}),
        ("max_pool3d", (x, 2), dict(padding=2)),
        ("max_pool3d", (x, 2), dict(padding=-1)),
        ("max_pool3d", (x, 2), dict(dilation=0)),
        ("max_pool3d", (x, (2, 2)), {}),
        ("max_pool3d", (x, 2, (2, 2)), {}),
        ("max_pool3d", (x, 2), dict(padding=(1, 1))),
        ("max_pool3d", (x, 2), dict(dilation=(1, 1))),
        ("max_pool3d", (rng.standard_normal((2, 4, 1, 6, 7)), 2), {}),
        ("max_pool3d", (rng.standard_normal((4, 5, 6)), 2), {}),
        ("max_pool3d", (rng.standard_normal((1, 0, 3, 4, 4)), 2), {}),
        ("max_pool3d", (rng.standard_normal((0, 3, 4, 4)), 2), {}),
        ("avg_pool3d", (rng.standard_normal((3, 1, 4, 4)), 2), {}),
        ("max_pool3d", (rng.standard_normal((3, 1, 4, 4)), 2), {}),
        ("avg_pool3d", (x, 2), dict(divisor_override=0)),
        ("avg_pool3d", (x, (2, 2)), {}),
        ("avg_pool3d", (x, 2, (2, 2)), {}),
        ("avg_pool3d", (x, 2), dict(padding=(1, 1))),
        ("avg_pool3d", (rng.standard_normal((1, 1, 1, 4, 4)), 2), dict(padding=1)),
        ("avg_pool3d", (rng.standard_normal((1, 2, 3, 0, 4)), 2), {}),
        ("adaptive_avg_pool3d", (x, (2, -1, 3)), {}),
        ("adaptive_avg_pool3d", (x, (2, 3)), {}),
        ("adaptive_avg_pool3d", (rng.standard_normal((4, 5, 6)), 2), {}),
        ("adaptive_avg_pool3d", (rng.standard_normal((4, 5, 6)), (2, 2, 2)), {}),
        ("adaptive_avg_pool3d", (rng.standard_normal((2, 0, 3, 6, 7)), 2), {}),
        ("adaptive_avg_pool3d", (x, (2.0, 2, 2)), {}),
        ("adaptive_max_pool3d", (x, (2, -1, 3)), {}),
        ("adaptive_max_pool3d", (x, (2, 3)), {}),
        ("adaptive_max_pool3d", (rng.standard_normal((1, 2, 1, 3, 6, 7)), 2), {}),
        ("adaptive_max_pool3d", (rng.standard_normal((2, 4, 0, 6, 7)), 2), {}),
    ]
    ours_fns = dict(
        conv3d=conv3d,
        conv_transpose3d=conv_transpose3d,
        max_pool3d=max_pool3d,
        avg_pool3d=avg_pool3d,
        adaptive_avg_pool3d=adaptive_avg_pool3d,
        adaptive_max_pool3d=adaptive_max_pool3d,
    )

    def convert(value, to):
        if isinstance(value, np.ndarray):
            return to(value)
        if isinstance(value, tg.Tensor):
            return to(value.data)
        return value

    for name, args, kwargs in calls:
        with pytest.raises(Exception) as theirs:
            getattr(F, name)(*(convert(a, torch.tensor) for a in args), **kwargs)
        with pytest.raises(Exception) as ours:
            ours_fns[name](*(convert(a, tg.tensor) for a in args), **kwargs)
        assert type(ours.value) is type(theirs.value), (name, args, kwargs, theirs.value)
        assert str(ours.value) == str(theirs.value), (name, kwargs)
    for layer_name, bad in [("BatchNorm3d", (2, 3, 4, 5)), ("InstanceNorm3d", (3, 4, 5))]:
        with pytest.raises(ValueError) as theirs:
            getattr(torch.nn, layer_name)(3)(torch.zeros(bad))
        with pytest.raises(ValueError) as ours:
            dict(BatchNorm3d=BatchNorm3d, InstanceNorm3d=InstanceNorm3d)[layer_name](3)(tg.zeros(bad))
        assert str(ours.value) == str(theirs.value)


def test_layer_signatures_match_torch(torch):
    pairs = [
        (Conv3d, torch.nn.Conv3d),
        (ConvTranspose3d, torch.nn.ConvTranspose3d),
        (MaxPool3d, torch.nn.MaxPool3d),
        (AvgPool3d, torch.nn.AvgPool3d),
        (AdaptiveAvgPool3d, torch.nn.AdaptiveAvgPool3d),
        (AdaptiveMaxPool3d, torch.nn.AdaptiveMaxPool3d),
        (BatchNorm3d, torch.nn.BatchNorm3d),
        (InstanceNorm3d, torch.nn.InstanceNorm3d),
        (Dropout3d, torch.nn.Dropout3d),
        (adaptive_avg_pool3d, torch.nn.functional.adaptive_avg_pool3d),
        (dropout3d, torch.nn.functional.dropout3d),
    ]
    for ours, theirs in pairs:
        described = [
            [(p.name, p.default, p.kind) for p in inspect.signature(f).parameters.values()]
            for f in (ours, theirs)
        ]
        assert described[0] == described[1], ours.__name__
