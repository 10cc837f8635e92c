"""The 3-d padding layers, MaxUnpool3d, LPPool3d and FeatureAlphaDropout.

Without PyTorch: values against NumPy (np.pad, a max pool's inverse, a
p-norm of each box), shapes, errors, reprs, the dropout's channel masks and
statistics, gradients and second derivatives against finite differences in
float64. With PyTorch: values, gradients, reprs, signatures and error types
against it.
"""

from __future__ import annotations

import inspect
import itertools

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.nn.dropout import FeatureAlphaDropout, feature_alpha_dropout
from tinygrad_edu.nn.lp_pooling import LPPool3d, lp_pool3d
from tinygrad_edu.nn.padding_layers import (
    CircularPad3d,
    ConstantPad3d,
    ReflectionPad3d,
    ReplicationPad3d,
    ZeroPad3d,
)
from tinygrad_edu.nn.pooling3d import max_pool3d
from tinygrad_edu.nn.unpooling3d import MaxUnpool3d, max_unpool3d
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(23)
SELU_ALPHA = 1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


def _t(*shape: int, grad: bool = True) -> tg.Tensor:
    return tg.tensor(rng.standard_normal(shape), requires_grad=grad)


# ---------------------------------------------------------------- padding

PADS = (1, 2, 0, 1, 2, 1)  # (left, right, top, bottom, front, back)
NP_MODES = {ReflectionPad3d: "reflect", ReplicationPad3d: "edge", CircularPad3d: "wrap"}


def _np_widths(pad, ndim):
    """F.pad's amounts (last dim first) as np.pad's per-dim pairs."""
    pairs = [(pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)][::-1]
    return [(0, 0)] * (ndim - len(pairs)) + pairs


@pytest.mark.parametrize("shape", [(2, 3, 4, 5, 3), (3, 4, 5, 3)])
@pytest.mark.parametrize("layer", [ReflectionPad3d, ReplicationPad3d, CircularPad3d])
def test_mode_padding_matches_numpy(layer, shape):
    x = rng.standard_normal(shape)
    out = layer(PADS)(tg.tensor(x))
    np.testing.assert_array_equal(out.data, np.pad(x, _np_widths(PADS, x.ndim), mode=NP_MODES[layer]))


def test_constant_and_zero_padding_match_numpy_and_take_an_int():
    x = rng.standard_normal((2, 2, 3, 4))
    out = ConstantPad3d(PADS, 2.5)(tg.tensor(x))
    np.testing.assert_array_equal(out.data, np.pad(x, _np_widths(PADS, 4), constant_values=2.5))
    np.testing.assert_array_equal(
        ZeroPad3d(2)(tg.tensor(x)).data, np.pad(x, [(0, 0), (2, 2), (2, 2), (2, 2)])
    )
    assert ZeroPad3d(2).padding == (2,) * 6
    assert ConstantPad3d((1, 0, -1, 0, 0, 2), 0.0)(tg.tensor(x)).shape == (2, 4, 2, 5)  # negative crops


def test_padding_layer_reprs():
    assert repr(ZeroPad3d(1)) == "ZeroPad3d((1, 1, 1, 1, 1, 1))"
    assert repr(ConstantPad3d(PADS, 2.5)) == "ConstantPad3d(padding=(1, 2, 0, 1, 2, 1), value=2.5)"
    assert repr(ReflectionPad3d(2)) == "ReflectionPad3d((2, 2, 2, 2, 2, 2))"
    assert repr(ReplicationPad3d(PADS)) == "ReplicationPad3d((1, 2, 0, 1, 2, 1))"
    assert repr(CircularPad3d(1)) == "CircularPad3d((1, 1, 1, 1, 1, 1))"


def test_padding_errors():
    with pytest.raises(ValueError, match=r"expected 4D or 5D input \(got 3D input\)"):
        CircularPad3d(1)(_t(2, 3, 4))
    with pytest.raises(NotImplementedError, match="Padding size 6 is not supported for 3D input"):
        ReflectionPad3d(1)(_t(2, 3, 4))
    with pytest.raises(
        RuntimeError, match="Padding size should be less than the corresponding input dimension"
    ):
        ReflectionPad3d(3)(_t(1, 3, 3, 3))
    with pytest.raises(RuntimeError, match="wrapping around more than once"):
        CircularPad3d(4)(_t(1, 3, 3, 3))


@pytest.mark.parametrize(
    "layer",
    [
        ZeroPad3d(PADS),
        ConstantPad3d(PADS, -1.0),
        ReflectionPad3d(PADS),
        ReplicationPad3d(PADS),
        CircularPad3d(PADS),
    ],
)
def test_padding_gradients(layer):
    x = _t(1, 2, 3, 3, 3)
    assert gradcheck(layer, [x])
    assert gradgradcheck(layer, [x])


@pytest.mark.parametrize(
    "name", ["ZeroPad3d", "ConstantPad3d", "ReflectionPad3d", "ReplicationPad3d", "CircularPad3d"]
)
@pytest.mark.parametrize("pad", [2, (1, 2, 0, 1, 2, 1), (-1, 2, 1, -1, 0, 1)])
def test_padding_matches_torch(name, pad):
    torch = pytest.importorskip("torch")
    args = (pad, 1.5) if name == "ConstantPad3d" else (pad,)
    ours, theirs = (
        getattr(__import__("tinygrad_edu.nn.padding_layers", fromlist=[name]), name)(*args),
        getattr(torch.nn, name)(*args),
    )
    assert repr(ours) == repr(theirs)
    x = rng.standard_normal((2, 2, 3, 4, 5))
    a, b = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = ours(a), theirs(b)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    g = rng.standard_normal(out.shape)
    out.backward(tg.tensor(g))
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-12, atol=1e-14)
    assert (
        inspect.signature(type(ours).__init__).parameters.keys()
        == inspect.signature(type(theirs).__init__).parameters.keys()
    )


# ---------------------------------------------------------------- max unpooling


def test_unpooling_puts_each_maximum_back_and_zeroes_the_rest():
    x = rng.standard_normal((2, 3, 4, 4, 6))
    values, indices = max_pool3d(tg.tensor(x), 2, return_indices=True)
    out = max_unpool3d(values, indices, 2)
    # each 2x2x2 box keeps its maximum only: compare with the NumPy reduction over the boxes
    boxes = x.reshape(2, 3, 2, 2, 2, 2, 3, 2)
    is_max = boxes == boxes.max(axis=(3, 5, 7), keepdims=True)
    np.testing.assert_array_equal(out.data, np.where(is_max, boxes, 0).reshape(x.shape))
    unbatched = MaxUnpool3d(2)(values[0], indices[0])
    np.testing.assert_array_equal(unbatched.data, out.data[0])


def test_unpooling_sizes():
    values, indices = max_pool3d(_t(1, 2, 4, 4, 4), 2, return_indices=True)  # (1, 2, 2, 2, 2)
    assert max_unpool3d(values, indices, 2).shape == (1, 2, 4, 4, 4)
    values, indices = max_pool3d(_t(1, 2, 5, 4, 5), 2, return_indices=True)  # (1, 2, 2, 2, 2)
    assert max_unpool3d(values, indices, 2, output_size=(5, 5, 5)).shape == (1, 2, 5, 5, 5)
    assert max_unpool3d(values, indices, 2, output_size=(1, 2, 5, 4, 5)).shape == (1, 2, 5, 4, 5)
    zeros = tg.tensor(np.zeros((1, 2, 2, 2, 2), dtype=np.int64))  # (every value to the first place)
    assert max_unpool3d(values, zeros, (2, 2, 2), stride=(2, 3, 2), padding=(0, 1, 0)).shape == (
        1,
        2,
        4,
        3,
        4,
    )


def test_unpooling_errors():
    values, indices = max_pool3d(_t(1, 2, 4, 4, 4), 2, return_indices=True)
    with pytest.raises(RuntimeError, match="^elements in indices should be type int64$"):
        max_unpool3d(values, indices.int(), 2)
    with pytest.raises(RuntimeError, match="should be a 4d or 5d Tensor, but got a tensor with 3 dimensions"):
        max_unpool3d(values[0, 0], indices[0, 0], 2)
    with pytest.raises(RuntimeError, match="Expected shape of indices to be same"):
        max_unpool3d(values, indices[:, :1], 2)
    with pytest.raises(
        RuntimeError, match=r"Found an invalid max index: \d+ \(output volumes are of size 4x4x4\)"
    ):
        max_unpool3d(values, indices + 100, 2)
    with pytest.raises(
        ValueError, match=r'invalid output_size "\(9, 5, 5\)" \(dim 0 must be between 2 and 6\)'
    ):
        max_unpool3d(values, indices, 2, output_size=(9, 5, 5))
    with pytest.raises(ValueError, match="output_size should be a sequence containing 3 or 5 elements"):
        max_unpool3d(values, indices, 2, output_size=(5, 5))
    with pytest.raises(
        RuntimeError, match=r"strides should be greater than zero, but got stride: \[0, 1, 1\]"
    ):
        max_unpool3d(values, indices, 2, stride=(0, 1, 1))
    with pytest.raises(RuntimeError, match="Expected input to have non-zero size for non-batch dimensions"):
        max_unpool3d(values[:, :, :0], indices[:, :, :0], 2)
    with pytest.raises(NotImplementedError):
        max_unpool3d(values.long(), indices, 2)


def test_unpooling_gradients():
    # (with overlapping boxes two values may share an index, where, as in PyTorch, both receive its
    # gradient though only the later is written: not a derivative)
    values, indices = max_pool3d(_t(1, 2, 4, 4, 6), 2, return_indices=True)

    def unpool(v):
        return max_unpool3d(v, indices, 2, output_size=(5, 4, 6))

    v = tg.tensor(values.data, requires_grad=True)
    assert gradcheck(unpool, [v])
    assert gradgradcheck(unpool, [v])


@pytest.mark.parametrize(
    "shape, kernel, stride, padding, output_size",
    [
        ((4, 4, 6), 2, None, 0, None),
        ((5, 5, 5), 3, 2, 1, None),
        ((5, 5, 6), (2, 3, 2), (1, 2, 2), (1, 1, 0), None),
        ((5, 5, 6), 2, 2, 0, (5, 5, 6)),
    ],
)
def test_unpooling_matches_torch(shape, kernel, stride, padding, output_size):
    torch = pytest.importorskip("torch")
    x = rng.standard_normal((2, 3, *shape))
    tv, ti = torch.nn.functional.max_pool3d(torch.tensor(x), kernel, stride, padding, return_indices=True)
    a, b = tg.tensor(tv.numpy(), requires_grad=True), tv.clone().requires_grad_(True)
    ours = MaxUnpool3d(kernel, stride, padding)
    theirs = torch.nn.MaxUnpool3d(kernel, stride, padding)
    assert repr(ours) == repr(theirs)
    out, expected = ours(a, tg.tensor(ti.numpy()), output_size), theirs(b, ti, output_size)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    g = rng.standard_normal(out.shape)
    out.backward(tg.tensor(g))
    expected.backward(torch.tensor(g))
    np.testing.assert_array_equal(a.grad.data, b.grad.numpy())


# ---------------------------------------------------------------- LP pooling


def test_lp_pool3d_is_the_p_norm_of_each_box():
    x = np.abs(rng.standard_normal((2, 3, 4, 6, 4))) + 0.1
    boxes = x.reshape(2, 3, 2, 2, 3, 2, 2, 2)  # kernel (2, 2, 2), stride (2, 2, 2) on (4, 6, 4) -> (2, 3, 2)
    boxes = x.reshape(2, 3, 2, 2, 3, 2, 2, 2)
    for p in (1.0, 2.0, 3.0):
        expected = (boxes**p).sum(axis=(3, 5, 7)) ** (1 / p)
        np.testing.assert_allclose(lp_pool3d(tg.tensor(x), p, 2).data, expected, rtol=1e-12)
    np.testing.assert_allclose(lp_pool3d(tg.tensor(-x), float("inf"), 2).data, boxes.max(axis=(3, 5, 7)))
    assert LPPool3d(2, (2, 3, 2), stride=1)(tg.tensor(x[0])).shape == (3, 3, 4, 3)


def test_lp_pool3d_repr_and_gradients():
    assert repr(LPPool3d(2, 3)) == "LPPool3d(norm_type=2, kernel_size=3, stride=None, ceil_mode=False)"
    x = tg.tensor(np.abs(rng.standard_normal((1, 2, 3, 4, 3))) + 0.2, requires_grad=True)

    def pool(t):
        return lp_pool3d(t, 2.0, (2, 2, 2), stride=1, ceil_mode=False)

    assert gradcheck(pool, [x])
    assert gradgradcheck(pool, [x])


@pytest.mark.parametrize(
    "p, kernel, stride, ceil_mode",
    [(2.0, 2, None, False), (3.0, (2, 3, 2), (1, 2, 2), True), (1.5, 3, 2, True)],
)
def test_lp_pool3d_matches_torch(p, kernel, stride, ceil_mode):
    torch = pytest.importorskip("torch")
    x = np.abs(rng.standard_normal((2, 2, 5, 6, 5))) + 0.1
    a, b = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours, theirs = LPPool3d(p, kernel, stride, ceil_mode), torch.nn.LPPool3d(p, kernel, stride, ceil_mode)
    assert repr(ours) == repr(theirs)
    out, expected = ours(a), theirs(b)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
    g = rng.standard_normal(out.shape)
    out.backward(tg.tensor(g))
    expected.backward(torch.tensor(g))
    np.testing.assert_allclose(a.grad.data, b.grad.numpy(), rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------- feature alpha dropout


def _affine(p):
    a = 1.0 / np.sqrt((SELU_ALPHA**2 * p + 1.0) * (1.0 - p))
    return a, a * SELU_ALPHA * p


def test_feature_alpha_dropout_keeps_or_saturates_whole_channels():
    p = 0.3
    x = rng.standard_normal((60, 50, 2, 3))
    out = feature_alpha_dropout(tg.tensor(x), p, training=True).data
    a, b = _affine(p)
    kept = np.all(np.isclose(out, a * x + b), axis=(2, 3))
    dropped = np.all(np.isclose(out, -a * SELU_ALPHA + b), axis=(2, 3))
    assert np.all(kept ^ dropped)
    assert abs(kept.mean() - (1 - p)) < 5 * np.sqrt(p * (1 - p) / kept.size)


def test_feature_alpha_dropout_keeps_mean_and_variance_of_standard_inputs():
    x = rng.standard_normal((4000, 100, 5))  # one draw per (sample, channel): 400k draws
    out = feature_alpha_dropout(tg.tensor(x), 0.2, True).data
    assert abs(out.mean()) < 0.02 and abs(out.var() - 1) < 0.03


def test_feature_alpha_dropout_modes_and_errors():
    x = _t(3, 4, 5)
    assert feature_alpha_dropout(x) is x  # training=False by default, as in PyTorch
    assert feature_alpha_dropout(x, 0.0, True) is x
    layer = FeatureAlphaDropout(0.4)
    assert repr(layer) == "FeatureAlphaDropout(p=0.4, inplace=False)"
    assert layer.eval()(x) is x
    np.testing.assert_array_equal(feature_alpha_dropout(x, 1.0, True).data, np.zeros((3, 4, 5)))
    with pytest.raises(RuntimeError, match="Feature dropout requires at least 2 dimensions in the input"):
        feature_alpha_dropout(_t(3), 0.5, True)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        FeatureAlphaDropout(1.5)
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
        feature_alpha_dropout(tg.tensor(np.ones((2, 3), dtype=np.int64)), 0.5, True)
    y = tg.tensor(rng.standard_normal((3, 4, 2)))
    before = y.data.copy()
    tg.manual_seed(5)
    out = feature_alpha_dropout(y, 0.5, True, inplace=True)
    tg.manual_seed(5)
    np.testing.assert_array_equal(out.data, feature_alpha_dropout(tg.tensor(before), 0.5, True).data)
    np.testing.assert_array_equal(y.data, out.data)  # written into y's memory


def test_feature_alpha_dropout_gradients():
    def drop(t):
        tg.manual_seed(3)  # the same mask at every evaluation
        return feature_alpha_dropout(t, 0.4, True)

    x = _t(3, 4, 2)
    assert gradcheck(drop, [x])
    assert gradgradcheck(drop, [x])


def test_feature_alpha_dropout_matches_torch_api():
    torch = pytest.importorskip("torch")
    assert repr(FeatureAlphaDropout(0.2)) == repr(torch.nn.FeatureAlphaDropout(0.2))
    ours, theirs = (
        inspect.signature(feature_alpha_dropout),
        inspect.signature(torch.nn.functional.feature_alpha_dropout),
    )
    assert [(p.name, p.default) for p in ours.parameters.values()] == [
        (p.name, p.default) for p in theirs.parameters.values()
    ]
    for p, shape in itertools.product([0.3, 1.0], [(3,), (2, 3)]):
        x = np.ones(shape)
        try:
            torch.nn.functional.feature_alpha_dropout(torch.tensor(x), p, True)
            expected = None
        except RuntimeError as e:
            expected = str(e)
        if expected is None:
            feature_alpha_dropout(tg.tensor(x), p, True)
        else:
            with pytest.raises(RuntimeError, match=expected):
                feature_alpha_dropout(tg.tensor(x), p, True)
