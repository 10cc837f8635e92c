"""Convolution, pooling, normalization and embedding layers: values, shapes, state, errors.

Forward values are checked against direct NumPy loops (slow but obviously
right) and hand-computed numbers; gradients against finite differences in
tests/op_table.py, and here where a rule (max-pool ties, padding_idx) decides
them. Comparisons with PyTorch run only where it is installed.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.nn import (
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Conv1d,
    Conv2d,
    Embedding,
    Fold,
    LayerNorm,
    MaxPool2d,
    Unfold,
)
from tinygrad_edu.nn.functional import (
    avg_pool2d,
    batch_norm,
    conv1d,
    conv2d,
    embedding,
    fold,
    layer_norm,
    max_pool2d,
    unfold,
)

RNG = np.random.default_rng(7)


def _t(array: np.ndarray, requires_grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


# ---------------------------------------------------------------- NumPy references


def _conv_reference(x, w, b, stride, padding, dilation, groups):
    """out[n, o, y, x] = b[o] + sum over c, i, j of w[o, c, i, j] * xp[n, g*C/G + c, y*s + i*d, x*s + j*d]."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, _, hp, wp = xp.shape
    c_out, c_group, kh, kw = w.shape
    oh, ow = (hp - dh * (kh - 1) - 1) // sh + 1, (wp - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, c_out, oh, ow))
    for o in range(c_out):
        first = (o // (c_out // groups)) * c_group  # the group's first input channel
        for y in range(oh):
            for x_ in range(ow):
                for c in range(c_group):
                    for i in range(kh):
                        for j in range(kw):
                            out[:, o, y, x_] += (
                                w[o, c, i, j] * xp[:, first + c, y * sh + i * dh, x_ * sw + j * dw]
                            )
        out[:, o] += 0.0 if b is None else b[o]
    return out


def _pool_reference(x, k, s, p, reduce, pad_value):
    """Each k x k window (stride s, padding p filled with pad_value) reduced with `reduce`."""
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=pad_value)
    oh, ow = (xp.shape[2] - k) // s + 1, (xp.shape[3] - k) // s + 1
    out = np.empty(x.shape[:2] + (oh, ow))
    for y in range(oh):
        for x_ in range(ow):
            out[:, :, y, x_] = reduce(xp[:, :, y * s : y * s + k, x_ * s : x_ * s + k], axis=(2, 3))
    return out


# ---------------------------------------------------------------- unfold and fold


def test_unfold_lays_each_window_out_as_a_column():
    x = np.arange(2 * 2 * 3 * 4.0).reshape(2, 2, 3, 4)
    cols = unfold(_t(x), (2, 3), stride=(1, 1)).data
    assert cols.shape == (2, 2 * 2 * 3, 2 * 2)
    # column l = window (l // 2, l % 2); rows ordered channel, kernel row, kernel column
    for l_ in range(4):
        y, x_ = divmod(l_, 2)
        np.testing.assert_array_equal(cols[:, :, l_], x[:, :, y : y + 2, x_ : x_ + 3].reshape(2, -1))


def test_unfold_with_padding_dilation_stride_matches_a_loop():
    x = RNG.standard_normal((1, 2, 5, 4))
    cols = unfold(_t(x), 2, dilation=(2, 1), padding=1, stride=(2, 3)).data
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    expected = [xp[0, :, y : y + 3 : 2, x_ : x_ + 2].reshape(-1) for y in (0, 2, 4) for x_ in (0, 3)]
    np.testing.assert_array_equal(cols[0], np.stack(expected, axis=1))


def test_fold_is_the_adjoint_of_unfold():
    # <unfold(x), c> = <x, fold(c)> for every x and c: fold is unfold's transpose
    x, geometry = (
        RNG.standard_normal((2, 3, 5, 6)),
        dict(kernel_size=(2, 3), dilation=(1, 2), padding=1, stride=2),
    )
    u = unfold(_t(x), **geometry).data
    c = RNG.standard_normal(u.shape)
    assert np.sum(u * c) == pytest.approx(np.sum(x * fold(_t(c), (5, 6), **geometry).data), rel=1e-12)


def test_fold_of_unfold_counts_the_windows_over_each_element():
    counts = fold(unfold(tg.ones(1, 1, 3, 3), 2), (3, 3), 2).data[0, 0]
    np.testing.assert_array_equal(counts, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


def test_unfold_and_fold_take_unbatched_input_and_have_modules():
    x = _t(RNG.standard_normal((2, 4, 4)))
    cols = Unfold(2, stride=2)(x)
    assert cols.shape == (8, 4)
    np.testing.assert_array_equal(Fold((4, 4), 2, stride=2)(cols).data, x.data)  # windows side by side
    assert repr(Unfold(2)) == "Unfold(kernel_size=2, dilation=1, padding=0, stride=1)"
    assert repr(Fold((4, 5), 2)) == "Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1)"


def test_unfold_and_fold_refuse_bad_arguments():
    x = tg.ones(1, 2, 3, 3)
    with pytest.raises(RuntimeError, match="3D .*or 4D"):
        unfold(tg.ones(3, 3), 2)
    with pytest.raises(RuntimeError, match=r"calculated shape of the array of sliding blocks as \(0, 0\)"):
        unfold(x, 4)
    with pytest.raises(RuntimeError, match="kernel_size should be greater than zero"):
        unfold(x, 0)
    with pytest.raises(RuntimeError, match="padding should be non-negative"):
        unfold(x, 2, padding=-1)
    with pytest.raises(RuntimeError, match="pair of ints"):
        unfold(x, (2, 2, 2))
    with pytest.raises(RuntimeError, match=r"number of sliding blocks 2 \* 2 = 4, but got input.size\(2\)=5"):
        fold(tg.ones(1, 8, 5), (3, 3), 2)
    with pytest.raises(RuntimeError, match="divisible by the product of kernel_size"):
        fold(tg.ones(1, 7, 4), (3, 3), 2)


# ---------------------------------------------------------------- convolution


@pytest.mark.parametrize(
    "stride, padding, dilation, groups",
    [((1, 1), (0, 0), (1, 1), 1), ((2, 1), (1, 2), (1, 2), 1), ((1, 2), (1, 0), (2, 1), 2)],
)
def test_conv2d_matches_a_direct_nested_sum(stride, padding, dilation, groups):
    x = RNG.standard_normal((2, 4, 6, 5))
    w = RNG.standard_normal((6, 4 // groups, 3, 2))
    b = RNG.standard_normal(6)
    got = conv2d(_t(x), _t(w), _t(b), stride, padding, dilation, groups).data
    np.testing.assert_allclose(got, _conv_reference(x, w, b, stride, padding, dilation, groups), atol=1e-12)


def test_conv2d_padding_same_and_valid():
    x, w = RNG.standard_normal((1, 2, 5, 6)), RNG.standard_normal((3, 2, 2, 3))
    # "same" with a 2-row kernel: one zero row in all, and it goes below the image
    same = conv2d(_t(x), _t(w), padding="same").data
    below = np.pad(x, ((0, 0), (0, 0), (0, 1), (1, 1)))
    assert same.shape == (1, 3, 5, 6)
    np.testing.assert_allclose(same, _conv_reference(below, w, None, (1, 1), (0, 0), (1, 1), 1), atol=1e-12)
    valid = conv2d(_t(x), _t(w), padding="valid").data
    np.testing.assert_allclose(valid, _conv_reference(x, w, None, (1, 1), (0, 0), (1, 1), 1), atol=1e-12)


def test_conv2d_takes_an_unbatched_image_and_its_gradient_has_the_input_shape():
    x, w = _t(RNG.standard_normal((2, 4, 4)), requires_grad=True), _t(RNG.standard_normal((3, 2, 2, 2)))
    y = conv2d(x, w, padding=1)
    assert y.shape == (3, 5, 5)
    np.testing.assert_allclose(y.data, conv2d(x.unsqueeze(0), w, padding=1).data[0])
    y.sum().backward()
    # each input element meets every kernel tap once (padding 1, stride 1): grad = sum of all weights
    np.testing.assert_allclose(x.grad.data, np.broadcast_to(w.data.sum((0, 2, 3))[:, None, None], (2, 4, 4)))


def test_conv1d_is_conv2d_on_one_row():
    x, w, b = RNG.standard_normal((2, 3, 9)), RNG.standard_normal((4, 3, 3)), RNG.standard_normal(4)
    got = conv1d(_t(x), _t(w), _t(b), stride=2, padding=1, dilation=2).data
    expected = _conv_reference(x[:, :, None], w[:, :, None], b, (1, 2), (0, 1), (1, 2), 1)[:, :, 0]
    np.testing.assert_allclose(got, expected, atol=1e-12)
    assert conv1d(_t(x[0]), _t(w), padding="same").shape == (4, 9)


def test_conv2d_layer_shapes_initialisation_and_repr():
    tg.manual_seed(0)
    conv = Conv2d(4, 8, (3, 2), groups=2)
    assert conv.weight.shape == (8, 2, 3, 2) and conv.bias.shape == (8,)
    assert list(conv.state_dict()) == ["weight", "bias"]
    bound = 1 / math.sqrt(2 * 3 * 2)  # fan_in = C_in / groups * kh * kw
    for p in (conv.weight, conv.bias):
        assert np.all(np.abs(p.data) <= bound) and np.abs(p.data).max() > 0.7 * bound
    assert conv(tg.ones(1, 4, 5, 5)).shape == (1, 8, 3, 4)
    assert repr(Conv2d(3, 4, 3)) == "Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1))"
    assert repr(Conv2d(3, 4, (3, 2), 2, 1, 2, bias=False, padding_mode="reflect")) == (
        "Conv2d(3, 4, kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), dilation=(2, 2), bias=False, "
        "padding_mode=reflect)"
    )
    assert (
        repr(Conv2d(3, 4, 3, padding="same"))
        == "Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1), padding=same)"
    )
    assert repr(Conv1d(3, 4, 3)) == "Conv1d(3, 4, kernel_size=(3,), stride=(1,))"
    assert Conv1d(3, 4, 3, bias=False).weight.shape == (4, 3, 3)


def test_conv2d_padding_mode_pads_before_convolving():
    conv = Conv2d(2, 3, 3, padding=(1, 2), padding_mode="reflect", dtype=tg.float64)
    x = RNG.standard_normal((1, 2, 4, 5))
    reflected = np.pad(x, ((0, 0), (0, 0), (1, 1), (2, 2)), mode="reflect")
    expected = _conv_reference(reflected, conv.weight.data, conv.bias.data, (1, 1), (0, 0), (1, 1), 1)
    np.testing.assert_allclose(conv(_t(x)).data, expected, atol=1e-12)


def test_conv_refuses_bad_arguments():
    x, w = tg.ones(2, 3, 5, 5), tg.ones(4, 3, 3, 3)
    with pytest.raises(RuntimeError, match=r"expected input\[2, 3, 5, 5\] to have 2 channels, but got 3"):
        conv2d(x, tg.ones(4, 2, 3, 3))
    with pytest.raises(RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d"):
        conv2d(tg.ones(5, 5), w)
    with pytest.raises(RuntimeError, match=r"Kernel size: \(6 x 6\). Kernel size can't be greater"):
        conv2d(x, tg.ones(4, 3, 6, 6))
    with pytest.raises(RuntimeError, match="expected bias to be 1-dimensional with 4 elements"):
        conv2d(x, w, tg.ones(3))
    with pytest.raises(RuntimeError, match="not supported for strided convolutions"):
        conv2d(x, w, stride=2, padding="same")
    with pytest.raises(RuntimeError, match="Invalid padding string: 'full'"):
        conv2d(x, w, padding="full")
    with pytest.raises(RuntimeError, match="negative padding"):
        conv2d(x, w, padding=-1)
    with pytest.raises(RuntimeError, match="divisible by 3 at dimension 0"):
        conv2d(x, tg.ones(4, 1, 3, 3), groups=3)
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match="groups must be a positive integer"):
        Conv2d(4, 4, 3, groups=0)
    with pytest.raises(ValueError, match="padding_mode must be one of"):
        Conv2d(4, 4, 3, padding_mode="zero")
    with pytest.raises(ValueError, match="not supported for strided convolutions"):
        Conv2d(4, 4, 3, stride=2, padding="same")
    with pytest.raises(RuntimeError, match=r"Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d"):
        conv1d(x, tg.ones(4, 3, 3))


# ---------------------------------------------------------------- pooling


def test_max_pool2d_and_avg_pool2d_match_numpy_windows():
    x = RNG.standard_normal((2, 3, 6, 5))
    np.testing.assert_array_equal(max_pool2d(_t(x), 2).data, _pool_reference(x, 2, 2, 0, np.max, 0))
    padded_max = max_pool2d(_t(x), 3, stride=2, padding=1).data
    np.testing.assert_array_equal(padded_max, _pool_reference(x, 3, 2, 1, np.max, -np.inf))
    padded_mean = avg_pool2d(_t(x), 3, stride=2, padding=1).data  # the padding's zeros count
    np.testing.assert_allclose(padded_mean, _pool_reference(x, 3, 2, 1, np.mean, 0.0), atol=1e-12)


def test_avg_pool2d_divisors():
    ones = tg.ones(1, 1, 5, 5)
    # count_include_pad: a corner window holds 4 ones and 5 padding zeros
    corners = avg_pool2d(ones, 3, stride=2, padding=1, ceil_mode=True).data[0, 0]
    np.testing.assert_allclose(corners, [[4 / 9, 6 / 9, 4 / 9], [6 / 9, 1, 6 / 9], [4 / 9, 6 / 9, 4 / 9]])
    assert np.all(avg_pool2d(ones, 3, 2, 1, True, count_include_pad=False).data == 1)
    # ceil_mode: the last window hangs over the edge, and only its places inside count
    np.testing.assert_array_equal(avg_pool2d(ones, 2, ceil_mode=True).data, np.ones((1, 1, 3, 3)))
    np.testing.assert_array_equal(avg_pool2d(ones, 3, 1, 1, divisor_override=2).data[0, 0, 0, :2], [2.0, 3.0])


def test_avg_pool_of_int64_rounds_means_toward_zero_and_refuses_other_integers():
    x = (tg.arange(16) - 5).reshape(1, 1, 4, 4)  # int64
    means = avg_pool2d(x, 2)  # windows summing to -10, 2, 22, 30: means -2.5, 0.5, 5.5, 7.5
    assert means.dtype == np.int64 and means.flatten().tolist() == [-2, 0, 5, 7]  # as PyTorch
    assert tg.nn.functional.avg_pool3d(x[None], (1, 2, 2)).flatten().tolist() == [-2, 0, 5, 7]
    for dtype in (tg.int32, tg.uint8, tg.bool):
        with pytest.raises(NotImplementedError, match=f'"avg_pool2d" not implemented for {np.dtype(dtype)}'):
            avg_pool2d(x.to(dtype), 2)


def test_max_pool2d_ceil_mode_and_indices():
    x = tg.arange(25.0).reshape(1, 1, 5, 5)
    assert max_pool2d(x, 2, ceil_mode=True).shape == (1, 1, 3, 3)
    assert max_pool2d(tg.ones(1, 1, 6, 6), 3, stride=2, padding=1, ceil_mode=True).shape == (1, 1, 4, 4)
    values, indices = max_pool2d(x[0], 2, padding=1, return_indices=True)
    np.testing.assert_array_equal(values.data[0], [[0, 2, 4], [10, 12, 14], [20, 22, 24]])
    np.testing.assert_array_equal(indices.data[0], [[0, 2, 4], [10, 12, 14], [20, 22, 24]])
    assert indices.dtype == np.int64


def test_max_pool2d_gradient_on_ties_goes_to_the_first_maximum():
    # as PyTorch: within a window the first maximum (row by row) takes the gradient, and an
    # element that wins several overlapping windows collects all of theirs
    x = tg.ones(1, 1, 3, 3, requires_grad=True)
    max_pool2d(x, 2, stride=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])
    x = _t([[[[1.0, 2.0, 2.0], [2.0, 0.0, 2.0], [0.0, 2.0, 1.0]]]], requires_grad=True)
    max_pool2d(x, 2, stride=1).sum().backward()
    np.testing.assert_array_equal(x.grad.data[0, 0], [[0, 2, 0], [1, 0, 1], [0, 0, 0]])


def test_pooling_layers_repr_and_errors():
    assert repr(MaxPool2d(2)) == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(AvgPool2d(3, 1, 1)) == "AvgPool2d(kernel_size=3, stride=1, padding=1)"
    assert MaxPool2d(2, return_indices=True)(tg.ones(1, 4, 4))[1].shape == (1, 2, 2)
    x = tg.ones(1, 1, 5, 5)
    with pytest.raises(RuntimeError, match="pad should be at most half of effective kernel size"):
        max_pool2d(x, 2, padding=2)
    with pytest.raises(RuntimeError, match=r"Calculated output size: \(1x0x0\). Output size is too small"):
        avg_pool2d(tg.ones(1, 1, 2, 2), 3)
    with pytest.raises(RuntimeError, match="3D .*or 4D"):
        max_pool2d(tg.ones(5, 5), 2)
    with pytest.raises(RuntimeError, match="stride should not be zero"):
        avg_pool2d(x, 2, 0)
    with pytest.raises(RuntimeError, match="stride should not be zero"):  # kernel 0: the default stride is 0
        max_pool2d(x, 0)
    with pytest.raises(RuntimeError, match=r"stride should be greater than zero, but got dH: 1 dW: -1"):
        max_pool2d(x, 2, (1, -1))
    with pytest.raises(RuntimeError, match="divisor must be not zero"):
        avg_pool2d(x, 2, divisor_override=0)


# ---------------------------------------------------------------- batch norm


def test_batch_norm_training_normalizes_and_updates_the_running_statistics():
    bn = BatchNorm2d(3, momentum=0.25, dtype=tg.float64)
    with tg.no_grad():
        bn.weight.copy_(tg.tensor([1.0, 2.0, 3.0]))
        bn.bias.copy_(tg.tensor([0.0, -1.0, 0.5]))
    x = RNG.standard_normal((4, 3, 2, 3)) * 2 + 1
    y = bn(_t(x)).data
    mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3))  # NumPy's var is the biased one
    expected = (x - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5) * [[[1]], [[2]], [[3]]]
    np.testing.assert_allclose(y, expected + np.array([0.0, -1.0, 0.5])[:, None, None], atol=1e-12)
    m = 4 * 2 * 3
    np.testing.assert_allclose(bn.running_mean.data, 0.25 * mean)
    np.testing.assert_allclose(bn.running_var.data, 0.75 + 0.25 * var * m / (m - 1))  # unbiased
    assert bn.num_batches_tracked.item() == 1 and bn.num_batches_tracked.dtype == np.int64


def test_batch_norm_eval_uses_the_running_statistics():
    bn = BatchNorm1d(2, dtype=tg.float64)
    with tg.no_grad():
        bn.running_mean.copy_(tg.tensor([1.0, -2.0]))
        bn.running_var.copy_(tg.tensor([4.0, 0.25]))
    bn.eval()
    y = bn(_t([[3.0, -1.0]])).data  # one example is fine outside training
    np.testing.assert_allclose(y, [[2 / math.sqrt(4 + 1e-5), 1 / math.sqrt(0.25 + 1e-5)]])
    assert bn.num_batches_tracked.item() == 0


def test_batch_norm_momentum_none_is_a_cumulative_average():
    bn = BatchNorm1d(1, momentum=None, dtype=tg.float64)
    for batch in ([[1.0], [3.0]], [[5.0], [9.0]]):
        bn(_t(batch))
    np.testing.assert_allclose(bn.running_mean.data, [(2.0 + 7.0) / 2])
    np.testing.assert_allclose(bn.running_var.data, [(2.0 + 8.0) / 2])  # unbiased: 2 and 8


def test_batch_norm_without_running_stats_uses_the_batch_in_eval_too():
    bn = BatchNorm1d(2, affine=False, track_running_stats=False).eval()
    assert bn.running_mean is None and list(bn.state_dict()) == []
    y = bn(_t([[1.0, 2.0], [3.0, 6.0]])).data
    np.testing.assert_allclose(y, [[-1, -1], [1, 1]], atol=1e-5)


def test_batch_norm_errors_leave_the_state_unchanged():
    bn = BatchNorm1d(3)
    with pytest.raises(
        ValueError, match=r"Expected more than 1 value per channel when training, got input size"
    ):
        bn(tg.ones(1, 3))
    with pytest.raises(RuntimeError, match="running_mean should contain 4 elements not 3"):
        bn(tg.ones(2, 4))
    assert bn.num_batches_tracked.item() == 0
    with pytest.raises(ValueError, match=r"expected 2D or 3D input \(got 4D input\)"):
        bn(tg.ones(2, 3, 2, 2))
    with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
        BatchNorm2d(3)(tg.ones(2, 3, 2))
    with pytest.raises(RuntimeError, match="running_mean must be defined in evaluation mode"):
        batch_norm(tg.ones(2, 3), None, None)


def test_batch_norm_state_dict_and_repr():
    bn = BatchNorm2d(3)
    assert {k: v.shape for k, v in bn.state_dict().items()} == {
        "weight": (3,),
        "bias": (3,),
        "running_mean": (3,),
        "running_var": (3,),
        "num_batches_tracked": (),
    }
    np.testing.assert_array_equal(bn.weight.data, 1)
    np.testing.assert_array_equal(bn.running_var.data, 1)
    assert (
        repr(bn)
        == "BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    )
    assert list(BatchNorm1d(3, affine=False).state_dict()) == [
        "running_mean",
        "running_var",
        "num_batches_tracked",
    ]


# ---------------------------------------------------------------- layer norm


def test_layer_norm_normalizes_the_last_dims():
    x = RNG.standard_normal((2, 3, 4))
    ln = LayerNorm((3, 4), eps=1e-3, dtype=tg.float64)
    with tg.no_grad():
        ln.weight.mul_(2.0)
        ln.bias.add_(0.5)
    mean, var = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(ln(_t(x)).data, (x - mean) / np.sqrt(var + 1e-3) * 2 + 0.5, atol=1e-12)
    plain = layer_norm(_t(x), 4).data
    np.testing.assert_allclose(
        plain, (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)
    )
    assert repr(LayerNorm(4)) == "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)"
    assert list(LayerNorm(4, bias=False).state_dict()) == ["weight"]
    assert list(LayerNorm(4, elementwise_affine=False).state_dict()) == []


def test_layer_norm_errors():
    with pytest.raises(
        RuntimeError, match=r"expected input with shape \[\*, 4\], but got input of size\[2, 3\]"
    ):
        LayerNorm(4)(tg.ones(2, 3))
    with pytest.raises(RuntimeError, match="Expected weight to be of same shape as normalized_shape"):
        layer_norm(tg.ones(2, 3), (3,), tg.ones(4))


# ---------------------------------------------------------------- embedding


def test_embedding_looks_up_rows_and_accumulates_their_gradients():
    weight = _t(RNG.standard_normal((5, 3)), requires_grad=True)
    idx = tg.tensor([[1, 4, 1], [0, 4, 4]])
    out = embedding(idx, weight)
    np.testing.assert_array_equal(out.data, weight.data[idx.data])
    out.sum().backward()
    np.testing.assert_array_equal(weight.grad.data[:, 0], [1, 2, 0, 0, 3])  # how often each row was picked


def test_embedding_padding_row_starts_at_zero_and_gets_no_gradient():
    tg.manual_seed(0)
    emb = Embedding(4, 3, padding_idx=-1)
    assert emb.padding_idx == 3 and repr(emb) == "Embedding(4, 3, padding_idx=3)"
    np.testing.assert_array_equal(emb.weight.data[3], 0)
    with tg.no_grad():
        emb.weight[3] = 7.0  # its value is still looked up...
    out = emb(tg.tensor([3, 0, 3]))
    np.testing.assert_array_equal(out.data[0], 7.0)
    (out * 2).sum().backward()
    np.testing.assert_array_equal(emb.weight.grad.data[3], 0)  # ...but it learns nothing
    np.testing.assert_array_equal(emb.weight.grad.data[0], 2)


def test_embedding_initialisation_state_and_from_pretrained():
    tg.manual_seed(0)
    emb = Embedding(1000, 20)
    assert list(emb.state_dict()) == ["weight"] and emb.weight.shape == (1000, 20)
    assert abs(emb.weight.data.mean()) < 0.01 and abs(emb.weight.data.std() - 1) < 0.01  # N(0, 1)
    table = tg.tensor([[1.0, 2.0], [3.0, 4.0]])
    frozen = Embedding.from_pretrained(table)
    assert not frozen.weight.requires_grad and repr(frozen) == "Embedding(2, 2)"
    np.testing.assert_array_equal(frozen(tg.tensor([1])).data, [[3.0, 4.0]])
    assert Embedding.from_pretrained(table, freeze=False).weight.requires_grad


def test_embedding_errors():
    weight = tg.randn(5, 2)
    for bad in ([5], [-1]):
        with pytest.raises(IndexError, match=f"index out of range.*index {bad[0]}.*valid indices are 0 to 4"):
            embedding(tg.tensor(bad), weight)
    with pytest.raises(RuntimeError, match="'indices' to have one of the following scalar types: Long, Int"):
        embedding(tg.tensor([1.0]), weight)
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        Embedding(5, 2, padding_idx=5)
    with pytest.raises(NotImplementedError, match="max_norm"):
        Embedding(5, 2, max_norm=1.0)


# ---------------------------------------------------------------- a small CNN on the digits


def test_a_small_cnn_learns_the_digits():
    images, labels = tg.data.load_digits()
    x, y = tg.tensor(images[:128].reshape(-1, 1, 8, 8) / 16.0), tg.tensor(labels[:128])
    tg.manual_seed(0)
    model = tg.nn.Sequential(
        Conv2d(1, 8, 3, padding=1, dtype=tg.float64),
        BatchNorm2d(8, dtype=tg.float64),
        tg.nn.ReLU(),
        MaxPool2d(2),
        tg.nn.Flatten(),
        tg.nn.Linear(8 * 4 * 4, 10, dtype=tg.float64),
    )
    opt = tg.optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for _ in range(15):
        opt.zero_grad()
        loss = tg.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]
    model.eval()
    assert (model(x).argmax(1).data == labels[:128]).mean() > 0.8


# ---------------------------------------------------------------- against PyTorch


LAYERS = SimpleNamespace(
    Conv1d=Conv1d,
    Conv2d=Conv2d,
    BatchNorm1d=BatchNorm1d,
    BatchNorm2d=BatchNorm2d,
    LayerNorm=LayerNorm,
    MaxPool2d=MaxPool2d,
    AvgPool2d=AvgPool2d,
)


@pytest.mark.parametrize(
    "make, shape",
    [
        (
            lambda nn: nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
            (2, 4, 5, 6),
        ),
        (lambda nn: nn.Conv2d(3, 2, 2, padding="same", padding_mode="circular", bias=False), (3, 4, 5)),
        (lambda nn: nn.Conv1d(3, 2, 3, padding=2, padding_mode="reflect"), (2, 3, 7)),
        (lambda nn: nn.BatchNorm2d(3), (2, 3, 4, 5)),
        (lambda nn: nn.BatchNorm1d(3, momentum=None, affine=False), (4, 3)),
        (lambda nn: nn.LayerNorm((2, 3)), (4, 2, 3)),
        (lambda nn: nn.MaxPool2d(3, 2, 1, ceil_mode=True), (2, 3, 6, 6)),
        (lambda nn: nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False), (2, 3, 6, 5)),
    ],
)
def test_layers_match_torch(make, shape):
    torch = pytest.importorskip("torch")
    ours, theirs = make(LAYERS).double(), make(torch.nn).double()
    assert repr(ours) == repr(theirs)
    assert {k: v.shape for k, v in ours.state_dict().items()} == {
        k: tuple(v.shape) for k, v in theirs.state_dict().items()
    }
    with tg.no_grad():  # weights of our own (not the norms' ones and zeros), the same on both sides
        for p in ours.parameters():
            p.copy_(tg.tensor(RNG.standard_normal(p.shape)))
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in ours.state_dict().items()})
    for _ in range(2):  # twice: batch norm's running statistics change in between
        x = RNG.standard_normal(shape)
        mine, yours = _t(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        out, expected = ours(mine), theirs(yours)
        np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=1e-10)
        upstream = RNG.standard_normal(expected.shape)
        out.backward(tg.tensor(upstream))
        expected.backward(torch.tensor(upstream))
        np.testing.assert_allclose(mine.grad.data, yours.grad.numpy(), atol=1e-10)
        for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
            np.testing.assert_allclose(p.grad.data, q.grad.numpy(), atol=1e-10, err_msg=name)
        for key, value in theirs.state_dict().items():
            np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), atol=1e-12, err_msg=key)


def test_unfold_fold_and_embedding_match_torch():
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    x = RNG.standard_normal((2, 3, 6, 5))
    geometry = dict(kernel_size=(3, 2), dilation=(1, 2), padding=(1, 0), stride=(2, 1))
    cols = functional.unfold(torch.tensor(x), **geometry).numpy()
    np.testing.assert_array_equal(unfold(_t(x), **geometry).data, cols)
    np.testing.assert_allclose(
        fold(_t(cols), (6, 5), **geometry).data,
        functional.fold(torch.tensor(cols), (6, 5), **geometry).numpy(),
    )
    weight, idx = RNG.standard_normal((6, 3)), np.array([[0, 2, 2], [5, 0, 2]])
    ours, theirs = _t(weight, requires_grad=True), torch.tensor(weight, requires_grad=True)
    embedding(tg.tensor(idx), ours, padding_idx=2).sum().backward()
    functional.embedding(torch.tensor(idx), theirs, padding_idx=2).sum().backward()
    np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())
    assert repr(Embedding(10, 3, padding_idx=-1)) == repr(torch.nn.Embedding(10, 3, padding_idx=-1))
