"""1-d and adaptive pooling: values, indices, gradients, shapes, errors and reprs.

Forward values are checked against NumPy loops over the windows (slow but
obviously right) and hand-computed numbers, gradients against float64 finite
differences (gradcheck, gradgradcheck), and everything against PyTorch where
it is installed. The 2-d pools are tested in test_layers.py.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.nn import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    MaxPool1d,
)
from tinygrad_edu.nn.functional import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    avg_pool1d,
    max_pool1d,
    max_pool2d,
)
from tinygrad_edu.testing import gradcheck, gradgradcheck

RNG = np.random.default_rng(11)


def _t(array: np.ndarray, requires_grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def _distinct(*shape: int) -> np.ndarray:
    """Values with no ties (a max has a gradient there), in random order."""
    return RNG.permutation(np.arange(np.prod(shape)) * 0.1 - 1.0).reshape(shape)


# ---------------------------------------------------------------- NumPy references


def _pool1d_reference(x, k, s, p, d, reduce, pad_value):
    """Each window of k places, d apart (stride s, padding p filled with pad_value), reduced with `reduce`."""
    xp = np.pad(x, ((0, 0), (0, 0), (p, p)), constant_values=pad_value)
    out = (xp.shape[-1] - d * (k - 1) - 1) // s + 1
    return np.stack([reduce(xp[..., i * s : i * s + d * (k - 1) + 1 : d], axis=-1) for i in range(out)], -1)


def _adaptive_reference(x, oh, ow, reduce):
    """Output (i, j) reduces rows [i H // oh, ceil((i + 1) H / oh)) and the same rule for the columns."""
    h, w = x.shape[-2:]
    out = np.empty(x.shape[:-2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            rows = slice(i * h // oh, -(-(i + 1) * h // oh))
            cols = slice(j * w // ow, -(-(j + 1) * w // ow))
            out[..., i, j] = reduce(x[..., rows, cols], axis=(-2, -1))
    return out


# ---------------------------------------------------------------- 1-d pools


@pytest.mark.parametrize("k, s, p, d", [(2, None, 0, 1), (3, 2, 1, 1), (3, 1, 1, 2), (1, 3, 0, 1)])
def test_max_pool1d_and_avg_pool1d_match_numpy_windows(k, s, p, d):
    x = RNG.standard_normal((2, 3, 9))
    expected = _pool1d_reference(x, k, s or k, p, d, np.max, -np.inf)
    np.testing.assert_array_equal(max_pool1d(_t(x), k, s, p, d).data, expected)
    if d == 1:  # the padding's zeros count in the mean (count_include_pad=True)
        expected = _pool1d_reference(x, k, s or k, p, 1, np.mean, 0.0)
        np.testing.assert_allclose(avg_pool1d(_t(x), k, s, p).data, expected, atol=1e-12)


def test_1d_pools_are_the_2d_ones_on_one_row():
    x = _t(RNG.standard_normal((2, 3, 8)))
    values, indices = max_pool1d(x, 3, 2, 1, 2, True, return_indices=True)
    values2, indices2 = max_pool2d(x.unsqueeze(2), (1, 3), (1, 2), (0, 1), (1, 2), True, return_indices=True)
    np.testing.assert_array_equal(values.data, values2.data[:, :, 0])
    np.testing.assert_array_equal(indices.data, indices2.data[:, :, 0])


def test_max_pool1d_ceil_mode_indices_and_unbatched_input():
    x = tg.arange(5.0).reshape(1, 5)  # (C, L): no batch dim
    values, indices = max_pool1d(x, 2, ceil_mode=True, return_indices=True)
    np.testing.assert_array_equal(values.data, [[1, 3, 4]])  # the last window holds only x[4]
    np.testing.assert_array_equal(indices.data, [[1, 3, 4]])
    assert indices.dtype == np.int64 and values.shape == (1, 3)
    values, indices = max_pool1d(-x, 2, stride=1, padding=1, return_indices=True)  # padding never wins
    np.testing.assert_array_equal(values.data, [[0, 0, -1, -2, -3, -4]])
    np.testing.assert_array_equal(indices.data, [[0, 0, 1, 2, 3, 4]])


def test_avg_pool1d_divisors():
    ones = tg.ones(1, 1, 5)
    # count_include_pad: the end windows hold 2 ones and 1 padding zero
    np.testing.assert_allclose(avg_pool1d(ones, 3, 2, 1).data, [[[2 / 3, 1, 2 / 3]]])
    np.testing.assert_array_equal(avg_pool1d(ones, 3, 2, 1, count_include_pad=False).data, 1)
    # ceil_mode: the last window hangs over the end, and only its place inside counts
    x = tg.arange(5.0).reshape(1, 1, 5)
    np.testing.assert_array_equal(avg_pool1d(x, 2, ceil_mode=True).data, [[[0.5, 2.5, 4.0]]])


def test_1d_pool_gradients_match_finite_differences():
    x = _t(_distinct(2, 2, 7), requires_grad=True)
    for fn in (
        lambda t: max_pool1d(t, 3, 2, 1, 2, ceil_mode=True),
        lambda t: avg_pool1d(t, 3, 2, 1, ceil_mode=True, count_include_pad=False),
    ):
        assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])


def test_max_pool1d_gradient_on_ties_goes_to_the_first_maximum():
    x = _t([[[1.0, 3.0, 3.0, 3.0, 0.0]]], requires_grad=True)
    max_pool1d(x, 3, stride=1).sum().backward()  # windows [1 3 3], [3 3 3], [3 3 0]
    np.testing.assert_array_equal(x.grad.data, [[[0, 2, 1, 0, 0]]])


def test_1d_pool_layers_attributes_and_repr():
    pool = MaxPool1d(3, padding=1, return_indices=True)
    assert repr(pool) == "MaxPool1d(kernel_size=3, stride=3, padding=1, dilation=1, ceil_mode=False)"
    assert [t.shape for t in pool(tg.ones(2, 4, 7))] == [(2, 4, 3), (2, 4, 3)]
    avg = AvgPool1d(3, padding=[1])  # kept as tuples of one int, as PyTorch keeps them
    assert (avg.kernel_size, avg.stride, avg.padding) == ((3,), (3,), (1,))
    assert repr(avg) == "AvgPool1d(kernel_size=(3,), stride=(3,), padding=(1,))"
    assert avg(tg.ones(4, 7)).shape == (4, 3) and list(avg.state_dict()) == []


def test_1d_pools_refuse_bad_arguments():
    x = tg.ones(1, 1, 5)
    cases = [
        (
            lambda: max_pool1d(tg.ones(5), 2),
            r"max_pool1d: Expected 2D or 3D \(batch mode\) tensor .*got:\[5\]",
        ),
        (lambda: max_pool1d(tg.ones(1, 0, 5), 2), r"but got:\[1, 0, 5\]"),
        (lambda: max_pool1d(x, (2, 2)), r"kernel_size must be an int, .* of size 1 but got size 2"),
        (lambda: max_pool1d(x, 0), r"max_pool1d\(\) kernel_size must be greater than zero, but got 0"),
        (lambda: max_pool1d(x, 2, -1), r"max_pool1d\(\) stride must be greater than zero, but got -1"),
        (lambda: max_pool1d(x, 2, padding=-1), r"padding must be non-negative, but got -1"),
        # at most k // 2 of padding, even where the dilation spreads the window wider
        (
            lambda: max_pool1d(x, 3, 1, 2, 2),
            r"at most half of kernel size, but got padding=2 and kernel_size=3",
        ),
        (lambda: max_pool1d(x, 2, dilation=0), r"dilation must be greater than zero, but got 0"),
        (lambda: max_pool1d(tg.ones(1, 1, 2), 3), r"max_pool1d\(\) Invalid computed output size: 0"),
        (lambda: avg_pool1d(tg.ones(5), 2), r"Expected 2 to 3 dimensions, but got 1-dimensional tensor"),
        (
            lambda: avg_pool1d(x, 2, (1, 1)),
            r"avg_pool1d\(\) argument 'stride' should contain one int \(got 2\)",
        ),
        (lambda: avg_pool1d(x, 0, 1), r"kernel size should be greater than zero, but got kH: 1 kW: 0"),
        (lambda: avg_pool1d(x, 2, 0), r"stride should not be zero"),
        (lambda: avg_pool1d(x, 2, -1), r"stride should be greater than zero, but got dH: 1 dW: -1"),
        (lambda: avg_pool1d(x, 2, padding=2), r"pad should be at most half of effective kernel size"),
        (lambda: avg_pool1d(tg.ones(1, 1, 2), 3), r"\(1x1x2\). Calculated output size: \(1x1x0\)"),
    ]
    for call, message in cases:
        with pytest.raises(RuntimeError, match=message):
            call()
    with pytest.raises(
        TypeError, match=r"max_pool1d\(\): argument 'kernel_size' must be tuple of ints, not float"
    ):
        max_pool1d(x, 2.0)


# ---------------------------------------------------------------- adaptive pools


def test_adaptive_windows_follow_pytorchs_rule():
    # 5 places to 3: [0, 2), [1, 4), [3, 5), neighbours overlapping where 5 / 3 is not whole
    x = _t([[1.0, 2.0, 4.0, 8.0, 16.0]])
    np.testing.assert_allclose(adaptive_avg_pool1d(x, 3).data, [[1.5, 14 / 3, 12.0]])
    values, indices = adaptive_max_pool1d(x, 3, return_indices=True)
    np.testing.assert_array_equal(values.data, [[2, 8, 16]])
    np.testing.assert_array_equal(indices.data, [[1, 3, 4]])
    # more outputs than places: each place is repeated
    np.testing.assert_array_equal(adaptive_avg_pool1d(x[:, :2], 4).data, [[1, 1, 2, 2]])


@pytest.mark.parametrize("shape, out", [((2, 3, 7, 5), (3, 2)), ((3, 6, 6), 4), ((1, 2, 5, 9), (None, 4))])
def test_adaptive_pool2d_match_numpy_windows(shape, out):
    x = RNG.standard_normal(shape)
    size = out if isinstance(out, tuple) else (out, out)
    oh, ow = (n if o is None else o for o, n in zip(size, shape[-2:]))  # None keeps the input's size
    np.testing.assert_allclose(
        adaptive_avg_pool2d(_t(x), out).data, _adaptive_reference(x, oh, ow, np.mean), atol=1e-12
    )
    values, indices = adaptive_max_pool2d(_t(x), out, return_indices=True)
    np.testing.assert_array_equal(values.data, _adaptive_reference(x, oh, ow, np.max))
    flat = x.reshape(*shape[:-2], -1)  # the indices point, in each channel, at the maxima
    np.testing.assert_array_equal(
        np.take_along_axis(flat, indices.data.reshape(*shape[:-2], -1), -1).ravel(), values.data.ravel()
    )


def test_adaptive_pool_of_a_whole_multiple_is_a_plain_pool():
    x = _t(RNG.standard_normal((2, 3, 8, 6)))
    np.testing.assert_allclose(
        adaptive_avg_pool2d(x, (4, 2)).data, tg.nn.functional.avg_pool2d(x, (2, 3)).data
    )
    np.testing.assert_array_equal(adaptive_max_pool2d(x, 1).data, x.data.max((2, 3), keepdims=True))


def test_adaptive_max_pool_ties_go_to_the_first_maximum_row_by_row():
    # the maxima (0, 1) and (1, 0): row-major order takes (0, 1), though its column comes later
    x = _t([[[0.0, 5.0], [5.0, 0.0]]], requires_grad=True)
    values, indices = adaptive_max_pool2d(x, 1, return_indices=True)
    assert indices.item() == 1
    values.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[[0, 1], [0, 0]]])


def test_adaptive_pool_gradients_match_finite_differences():
    x2, x1 = _t(_distinct(2, 2, 5, 4), requires_grad=True), _t(_distinct(2, 7), requires_grad=True)
    for fn, x in [
        (lambda t: adaptive_avg_pool2d(t, (3, 3)), x2),
        (lambda t: adaptive_max_pool2d(t, (2, 3)), x2),
        (lambda t: adaptive_avg_pool1d(t, 3), x1),
        (lambda t: adaptive_max_pool1d(t, 4), x1),
    ]:
        assert gradcheck(fn, [x]) and gradgradcheck(fn, [x])


def test_adaptive_pools_to_size_zero_are_empty():
    x = tg.ones(2, 3, 4, 5, requires_grad=True)
    assert adaptive_avg_pool2d(x, (0, 3)).shape == (2, 3, 0, 3)
    values, indices = adaptive_max_pool2d(x, (2, 0), return_indices=True)
    assert values.shape == indices.shape == (2, 3, 2, 0)
    assert adaptive_max_pool1d(tg.ones(3, 4), 0).shape == (3, 0)


def test_adaptive_pool_layers_and_repr():
    assert repr(AdaptiveAvgPool2d((None, 3))) == "AdaptiveAvgPool2d(output_size=(None, 3))"
    assert repr(AdaptiveMaxPool1d(3, return_indices=True)) == "AdaptiveMaxPool1d(output_size=3)"
    assert AdaptiveAvgPool1d(2)(tg.ones(2, 3, 5)).shape == (2, 3, 2)
    assert AdaptiveAvgPool2d(1)(tg.ones(3, 5, 4)).shape == (3, 1, 1)  # (C, H, W): no batch dim
    values, indices = AdaptiveMaxPool2d([2, None], return_indices=True)(tg.ones(1, 3, 5, 4))
    assert values.shape == indices.shape == (1, 3, 2, 4)


def test_adaptive_pools_refuse_bad_arguments():
    x2, x1 = tg.ones(2, 3, 5, 6), tg.ones(2, 3, 6)
    runtime = [
        (lambda: adaptive_avg_pool2d(tg.ones(5), 2), r"adaptive_avg_pool2d\(\): Expected 3D or 4D tensor"),
        (lambda: adaptive_max_pool1d(tg.ones(5), 2), r"Expected 2 to 3 dimensions, but got 1-dimensional"),
        (lambda: adaptive_avg_pool2d(x2, (1, 2, 3)), r"adaptive_avg_pool2d: output_size must be 2"),
        (lambda: adaptive_avg_pool1d(x1, (1, 2)), r"argument 'output_size' should contain one int \(got 2\)"),
        (lambda: adaptive_avg_pool1d(x1, -1), r"must be greater than or equal to 0 but received \{1, -1\}"),
        (lambda: adaptive_max_pool2d(x2, -1), r"must be greater than or equal to 0 but received \{-1, -1\}"),
        (
            lambda: adaptive_max_pool2d(tg.ones(2, 0, 5, 6), 2),
            r"non-zero size for non-batch dimensions, but input has sizes \[2, 0, 5, 6\] with dimension 1",
        ),
        (
            lambda: adaptive_avg_pool2d(tg.ones(2, 3, 0, 6), 2),
            r"sizes \[2, 3, 0, 6\] with dimension 2 being empty",
        ),
    ]
    for call, message in runtime:
        with pytest.raises(RuntimeError, match=message):
            call()
    assert adaptive_avg_pool2d(tg.ones(0, 3, 5, 6), 2).shape == (0, 3, 2, 2)  # an empty batch is fine
    with pytest.raises(ValueError, match="Input dimension should be at least 4"):
        adaptive_avg_pool2d(tg.ones(1, 5, 5), (None, 2, 3))
    with pytest.raises(TypeError, match="must be tuple of ints, not NoneType"):
        adaptive_avg_pool1d(x1, None)  # as in PyTorch, only the 2-d pools take None
    with pytest.raises(TypeError, match="must be tuple of ints, not float"):
        adaptive_max_pool2d(x2, 2.0)
    with pytest.raises(NotImplementedError, match="adaptive_avg_pool2d"):
        adaptive_avg_pool2d(tg.arange(30).reshape(1, 5, 6), 2)


# ---------------------------------------------------------------- against PyTorch


POOLS = SimpleNamespace(
    MaxPool1d=MaxPool1d,
    AvgPool1d=AvgPool1d,
    AdaptiveAvgPool1d=AdaptiveAvgPool1d,
    AdaptiveAvgPool2d=AdaptiveAvgPool2d,
    AdaptiveMaxPool1d=AdaptiveMaxPool1d,
    AdaptiveMaxPool2d=AdaptiveMaxPool2d,
)


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda nn: nn.MaxPool1d(3, 2, 1, 2, return_indices=True, ceil_mode=True), (2, 3, 8)),
        (lambda nn: nn.AvgPool1d(3, 2, 1, ceil_mode=True, count_include_pad=False), (3, 7)),
        (lambda nn: nn.AdaptiveAvgPool1d(3), (2, 3, 7)),
        (lambda nn: nn.AdaptiveMaxPool1d(5, return_indices=True), (3, 7)),
        (lambda nn: nn.AdaptiveAvgPool2d((3, None)), (2, 3, 7, 5)),
        (lambda nn: nn.AdaptiveMaxPool2d((4, 3), return_indices=True), (2, 3, 7, 5)),
        (lambda nn: nn.AdaptiveMaxPool2d(9, return_indices=True), (3, 5, 4)),
    ],
)
def test_pools_match_torch(make, shape):
    torch = pytest.importorskip("torch")
    ours, theirs = make(POOLS), make(torch.nn)
    assert repr(ours) == repr(theirs)
    x = RNG.integers(0, 4, shape).astype(np.float64)  # small integers: many ties
    mine, yours = _t(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, expected = ours(mine), theirs(yours)
    if isinstance(expected, tuple):
        np.testing.assert_array_equal(out[1].data, expected[1].numpy())
        out, expected = out[0], expected[0]
    np.testing.assert_allclose(out.data, expected.detach().numpy(), atol=1e-12)
    upstream = RNG.standard_normal(expected.shape)
    out.backward(tg.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(mine.grad.data, yours.grad.numpy(), atol=1e-12)
