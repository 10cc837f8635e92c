"""The running ops, summaries, rearrangements and diagonals of ops/cumulative.py, ops/statistics.py,
ops/rearranging.py and ops/matrix.py, and the in-place forms of the binary math.

Values are compared with NumPy's own functions (np.cumprod, np.diff, np.roll, ...), errors with
PyTorch's types and the names they should mention, and dtypes with PyTorch's rules. Gradients
in general are checked against finite differences by the op table (tests/op_table.py); here the
places it keeps away from: cumprod at zeros, ties, nan. With torch installed, every name is
also compared with torch's, values and gradients.
"""

from __future__ import annotations

import math
import warnings
import zlib

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.testing import gradcheck, gradgradcheck

from .torch_compare import assert_values_and_gradients_agree

NAN, INF = math.nan, math.inf


def f64(values, requires_grad=False):
    return tg.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def rand(*shape, seed=0, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


# ---------------------------------------------------------------- cumprod


@pytest.mark.parametrize("dim", [0, 1, 2, -1, -3])
def test_cumprod_values_match_numpy_along_every_dim(dim):
    x = rand(2, 3, 4)
    np.testing.assert_allclose(tg.tensor(x).cumprod(dim).data, np.cumprod(x, axis=dim), rtol=1e-15)
    np.testing.assert_allclose(tg.cumprod(tg.tensor(x), dim=dim).data, np.cumprod(x, axis=dim), rtol=1e-15)


def test_cumprod_dtypes_follow_pytorch():
    assert tg.tensor([[1, 2], [3, 4]], dtype=tg.int32).cumprod(1).dtype == np.int64
    assert tg.tensor([3, 2, 1], dtype=tg.uint8).cumprod(0).tolist() == [3, 6, 6]
    assert tg.tensor([3, 2, 1], dtype=tg.uint8).cumprod(0).dtype == np.int64  # (NumPy: uint64)
    assert tg.tensor([True, False]).cumprod(0).tolist() == [1, 0]
    assert tg.tensor([1, 2, 3]).cumprod(0, dtype=tg.float64).dtype == np.float64
    assert tg.tensor([1, 2, 3]).cumprod(0, dtype=tg.int32).dtype == np.int32
    assert tg.tensor([1.0, 2.0]).cumprod(0).dtype == np.float32
    assert tg.tensor(3.0).cumprod(0).item() == 3.0 and tg.tensor(3.0).cumprod(-1).shape == ()
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"cumprod\(dtype=int64\): the input requires grad"):
        x.cumprod(0, dtype=tg.int64)
    with pytest.raises(TypeError, match="cumprod.. missing required argument 'dim'"):
        x.cumprod()
    with pytest.raises(IndexError, match=r"range of \[-1, 0\], but got 1"):
        tg.tensor(3.0).cumprod(1)


def _cumprod_grad_by_definition(x, g):
    """dL/dx_k = sum_{i>=k} g_i * (x_1 ... x_i without x_k), for a vector, term by term."""
    n = len(x)
    return np.array([sum(g[i] * np.prod(np.delete(x[: i + 1], k)) for i in range(k, n)) for k in range(n)])


ZEROS = [
    [0.0, 2.0, 3.0, -1.5],  # first
    [2.0, 3.0, 0.0, 1.5],  # inside
    [2.0, -3.0, 1.5, 0.0],  # last
    [2.0, 0.0, 3.0, 0.0, 5.0],  # two
    [0.0, 0.0, 0.0],  # only zeros
    [1.5, -2.0, 0.5],  # none
]


@pytest.mark.parametrize("values", ZEROS)
def test_cumprod_gradient_is_right_at_zeros_in_both_orders(values):
    g = np.linspace(-1.0, 2.0, len(values))
    x = f64(values, requires_grad=True)
    y = x.cumprod(0)
    (grad,) = tg.autograd.grad(y, x, f64(g))
    np.testing.assert_allclose(grad.data, _cumprod_grad_by_definition(np.array(values), g), atol=1e-15)
    # create_graph takes the exact O(n^2) form where there are zeros: same numbers
    (again,) = tg.autograd.grad(x.cumprod(0), x, f64(g), create_graph=True)
    np.testing.assert_allclose(again.data, grad.data, atol=1e-15)
    assert gradcheck(lambda t: t.cumprod(0), [x])
    assert gradgradcheck(lambda t: t.cumprod(0), [x])


def test_cumprod_gradient_with_zeros_in_some_slices_of_a_batch():
    x = rand(3, 4, 2, seed=1)
    x[0, 1, 0] = x[2, 0, 1] = x[2, 3, 1] = x[1, :, 0] = 0.0
    t = tg.tensor(x, requires_grad=True)
    for dim in (0, 1, -1):
        assert gradcheck(lambda a: a.cumprod(dim), [t])
        assert gradgradcheck(lambda a: a.cumprod(dim) * a, [t])
    g = rand(3, 4, 2, seed=2)
    (grad,) = tg.autograd.grad(t.cumprod(1), t, tg.tensor(g))
    for i in range(3):  # (slice by slice, against the definition)
        for j in range(2):
            np.testing.assert_allclose(
                grad.data[i, :, j], _cumprod_grad_by_definition(x[i, :, j], g[i, :, j]), atol=1e-15
            )


@pytest.mark.parametrize("values", ZEROS)
def test_prod_second_derivative_is_right_at_zeros(values):
    x = f64(values, requires_grad=True)
    hessian = tg.autograd.functional.hessian(lambda t: t.prod(), x).data
    n = len(values)  # d2/dx_i dx_j of the product: the product of the others of both, 0 on the diagonal
    expected = [[0.0 if i == j else np.prod(np.delete(values, [i, j])) for j in range(n)] for i in range(n)]
    np.testing.assert_array_equal(hessian, expected)
    assert gradgradcheck(lambda t: t.prod(), [x])


def test_prod_second_derivative_with_zeros_along_each_dim_and_over_all():
    x = rand(2, 3, 4, seed=3)
    x[0, 1, 2] = x[1, 0, 0] = x[1, 2, 0] = 0.0  # (slices with no zero, one, and two)
    t = tg.tensor(x, requires_grad=True)
    for f in (
        lambda a: a.prod(0),
        lambda a: a.prod(1),
        lambda a: a.prod(-1, keepdim=True),
        lambda a: a.prod(),
    ):
        assert gradcheck(f, [t]) and gradgradcheck(f, [t])


# ---------------------------------------------------------------- cummax and cummin


def test_cummax_and_cummin_values_match_numpys_running_max_and_min():
    x = rand(3, 5, seed=3)
    for dim in (0, 1, -1):
        top, bottom = tg.tensor(x).cummax(dim), tg.cummin(tg.tensor(x), dim)
        np.testing.assert_array_equal(top.values.data, np.maximum.accumulate(x, axis=dim))
        np.testing.assert_array_equal(bottom.values.data, np.minimum.accumulate(x, axis=dim))
        # the index points at the value
        np.testing.assert_array_equal(np.take_along_axis(x, top.indices.data, dim), top.values.data)
        assert top.indices.dtype == np.int64


def test_cummax_takes_the_later_of_equal_elements_and_nan_wins():
    assert tg.tensor([1.0, 3, 3, 2, 3]).cummax(0).indices.tolist() == [0, 1, 2, 2, 4]
    assert tg.tensor([3.0, 1, 1, 2, 1]).cummin(0).indices.tolist() == [0, 1, 2, 2, 4]
    values, indices = tg.tensor([1.0, NAN, 3, NAN, 2]).cummax(0)
    np.testing.assert_array_equal(values.data, [1.0, NAN, NAN, NAN, NAN])
    assert indices.tolist() == [0, 1, 1, 3, 3]
    assert tg.tensor([1.0, NAN, 0.0]).cummin(0).indices.tolist() == [0, 1, 1]
    assert tg.tensor([False, True, False]).cummax(0).values.tolist() == [False, True, True]
    assert tg.tensor([[1, 2], [0, 5]]).cummin(0).indices.tolist() == [[0, 0], [1, 0]]
    v, i = tg.tensor(3.0).cummax(0)
    assert v.item() == 3.0 and i.item() == 0 and v.shape == i.shape == ()
    assert tg.zeros(0, 3).cummax(0).values.shape == (0, 3)


def test_cummax_gradient_goes_to_the_element_taken():
    x = f64([1.0, 3.0, 3.0, 2.0, 5.0], requires_grad=True)
    values, indices = x.cummax(0)
    values.backward(f64([1.0, 10.0, 100.0, 1000.0, 10000.0]))
    np.testing.assert_array_equal(x.grad.data, [1.0, 10.0, 1100.0, 0.0, 10000.0])


# ---------------------------------------------------------------- logcumsumexp


def test_logcumsumexp_matches_the_naive_formula_and_does_not_overflow():
    x = rand(3, 4, seed=4)
    for dim in (0, -1):
        np.testing.assert_allclose(
            tg.tensor(x).logcumsumexp(dim).data, np.log(np.cumsum(np.exp(x), axis=dim)), rtol=1e-14
        )
    big = tg.logcumsumexp(f64([-1000.0, 0.0, 1000.0, 1000.0]), 0).data
    np.testing.assert_allclose(big, [-1000.0, 0.0, 1000.0, 1000.0 + math.log(2.0)], rtol=1e-15)
    np.testing.assert_array_equal(f64([-INF, -INF, 0.0, INF]).logcumsumexp(0).data, [-INF, -INF, 0.0, INF])
    assert tg.tensor([1.0, 2.0]).logcumsumexp(0).dtype == np.float32
    assert tg.tensor(2.0).logcumsumexp(0).item() == 2.0
    with pytest.raises(NotImplementedError, match="logcumsumexp.*int64"):
        tg.tensor([1, 2]).logcumsumexp(0)


def test_logcumsumexp_gradient_stays_finite_for_large_values():
    x = f64([-800.0, 700.0, 710.0, 0.0], requires_grad=True)
    g = np.array([1.0, -2.0, 0.0, 3.0])
    x.logcumsumexp(0).backward(f64(g))
    # dL/dx_k = sum_{i>=k} g_i e^(x_k - y_i), each exponent <= 0
    y = np.logaddexp.accumulate(x.data)
    later = np.triu(np.ones((4, 4), dtype=bool))  # [k, i]: i >= k
    with np.errstate(under="ignore"):
        weights = np.exp(np.where(later, x.data[:, None] - y[None, :], -INF))
    # (the log domain costs digits in proportion to the size of the logs: 710 * 2.2e-16 = 1.6e-13)
    np.testing.assert_allclose(x.grad.data, weights @ g, rtol=1e-12)
    assert np.isfinite(x.grad.data).all()


# ---------------------------------------------------------------- diff


def test_diff_matches_numpy_with_prepend_and_append():
    x = rand(3, 4, seed=5)
    a, b = rand(3, 2, seed=6), rand(1, 4, seed=7)
    t = tg.tensor(x)
    np.testing.assert_allclose(t.diff().data, np.diff(x), rtol=1e-15)
    np.testing.assert_allclose(t.diff(2, 0).data, np.diff(x, 2, axis=0), rtol=1e-15)
    np.testing.assert_allclose(
        tg.diff(t, 3, -1, prepend=tg.tensor(a), append=tg.tensor(a)).data,
        np.diff(x, 3, axis=-1, prepend=a, append=a),
        rtol=1e-14,
    )
    np.testing.assert_allclose(
        t.diff(dim=0, append=tg.tensor(b)).data, np.diff(x, axis=0, append=b), rtol=1e-15
    )
    assert t.diff(9).shape == (3, 0)  # longer than the dim: empty
    copy = t.diff(0)
    assert copy is not t and np.array_equal(copy.data, x)


def test_diff_dtypes_follow_pytorch():
    assert tg.tensor([True, False, False]).diff().tolist() == [True, False]
    assert tg.tensor([1, 5, 2], dtype=tg.int32).diff().dtype == np.int32
    assert tg.tensor([[1, 2]]).diff(append=tg.tensor([[0.5]])).dtype == np.float32  # (promoted, as cat)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda t: tg.tensor(1.0).diff(), RuntimeError, "diff.*at least one-dimensional"),
        (lambda t: t.diff(-1), RuntimeError, "diff.*order must be non-negative but got -1"),
        (lambda t: t.diff(1.0), TypeError, "diff.*argument 'n' must be an int"),
        (lambda t: t.diff(prepend=0.0), TypeError, "diff.*argument 'prepend' must be Tensor, not float"),
        (lambda t: t.diff(append=tg.zeros(2)), RuntimeError, r"diff.*append.*\(2,\) and \(2, 3\)"),
        (
            lambda t: t.diff(dim=1, prepend=tg.zeros(3, 1)),
            RuntimeError,
            r"diff.*prepend, \(3, 1\).*\(2, 3\), except along the differencing dimension 1",
        ),
        (lambda t: t.diff(dim=2), IndexError, r"range of \[-2, 1\], but got 2"),
    ],
)
def test_diff_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call(tg.zeros(2, 3))


# ---------------------------------------------------------------- repeat_interleave


def test_repeat_interleave_matches_numpys_repeat():
    x = rand(2, 3, seed=8)
    t = tg.tensor(x)
    np.testing.assert_array_equal(t.repeat_interleave(2).data, np.repeat(x, 2))
    np.testing.assert_array_equal(t.repeat_interleave(2, dim=-1).data, np.repeat(x, 2, axis=-1))
    counts = np.array([1, 0, 3])
    np.testing.assert_array_equal(
        tg.repeat_interleave(t, tg.tensor(counts), dim=1).data, np.repeat(x, counts, axis=1)
    )
    np.testing.assert_array_equal(t.repeat_interleave(tg.tensor([2])).data, np.repeat(x, 2))
    np.testing.assert_array_equal(t.repeat_interleave(tg.tensor(2), dim=0).data, np.repeat(x, 2, axis=0))
    six = np.arange(6) % 3
    np.testing.assert_array_equal(t.repeat_interleave(tg.tensor(six)).data, np.repeat(x.reshape(-1), six))
    assert tg.tensor(5.0).repeat_interleave(3).tolist() == [5.0, 5.0, 5.0]
    assert t.repeat_interleave(tg.tensor([1, 2]), dim=0, output_size=3).shape == (3, 3)
    assert tg.tensor([True, False]).repeat_interleave(2).tolist() == [True, True, False, False]


def test_repeat_interleave_of_counts_alone_repeats_their_positions():
    out = tg.repeat_interleave(tg.tensor([1, 0, 3]))
    assert out.tolist() == [0, 2, 2, 2] and out.dtype == np.int64
    assert tg.repeat_interleave(tg.tensor([2, 1], dtype=tg.int32)).dtype == np.int32
    with pytest.raises(RuntimeError, match=r"repeat_interleave.*1D vector.*\(1, 3\)"):
        tg.repeat_interleave(tg.tensor([[1, 0, 3]]))
    with pytest.raises(NotImplementedError, match="repeat_interleave.*integers.*float32"):
        tg.repeat_interleave(tg.tensor([1.0, 2.0]))


def test_repeat_interleave_gradient_adds_up_the_copies():
    x = f64([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x.repeat_interleave(tg.tensor([3, 1]), dim=0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[3.0, 3.0], [1.0, 1.0]])


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda t: t.repeat_interleave(-1), RuntimeError, "repeat_interleave.*non-negative"),
        (
            lambda t: t.repeat_interleave(tg.tensor([1, -1, 2])),
            RuntimeError,
            "repeat_interleave.*non-negative",
        ),
        (lambda t: t.repeat_interleave(2.0), TypeError, "repeat_interleave.*'repeats'.*not float"),
        (lambda t: t.repeat_interleave(True), TypeError, "repeat_interleave.*'repeats'.*not bool"),
        (lambda t: t.repeat_interleave(tg.tensor([1.0, 2.0, 3.0])), NotImplementedError, "integers"),
        (lambda t: t.repeat_interleave(tg.tensor([[1, 2, 3]])), RuntimeError, r"0-dim or 1-dim.*\(1, 3\)"),
        (
            lambda t: t.repeat_interleave(tg.tensor([1, 2])),
            RuntimeError,
            r"repeats.size\(0\) = 2 and input.size\(0\) = 3",
        ),
        (lambda t: t.repeat_interleave(2, output_size=5), RuntimeError, "output_size, expected 6 but got 5"),
        (lambda t: t.repeat_interleave(2, dim=1), IndexError, r"range of \[-1, 0\], but got 1"),
        (lambda t: tg.tensor(2.0).repeat_interleave(2, dim=0), IndexError, "repeat_interleave.*0-d"),
    ],
)
def test_repeat_interleave_errors_name_the_problem(call, error, message):
    with pytest.raises(error, match=message):
        call(tg.tensor([1.0, 2.0, 3.0]))


# ---------------------------------------------------------------- roll, rot90, movedim, swapaxes


def test_roll_matches_numpy():
    x = rand(2, 3, 4, seed=9)
    t = tg.tensor(x)
    for shifts, dims in [(1, 0), (-5, -1), ((1, 2), (0, 2)), ([2, -1], [1, 1]), (7, None), (1, ())]:
        np.testing.assert_array_equal(
            t.roll(shifts, dims).data, np.roll(x, shifts, None if dims == () else dims)
        )
    assert tg.roll(t, tg.tensor(1), 1).tolist() == np.roll(x, 1, 1).tolist()  # (a 0-d tensor as a shift)
    assert tg.tensor(2.0).roll(1).item() == 2.0 and tg.zeros(0, 3).roll(1, 0).shape == (0, 3)


def test_roll_errors():
    t = tg.zeros(2, 3)
    with pytest.raises(RuntimeError, match="roll.*shifts and dimensions must align. shifts: 2, dims: 1"):
        t.roll((1, 1), 1)
    with pytest.raises(RuntimeError, match="roll.*shifts: 2, dims: 0"):
        t.roll((1, 2))
    with pytest.raises(RuntimeError, match="roll.*`shifts` required"):
        t.roll((), ())
    with pytest.raises(TypeError, match="roll.*'shifts'.*float"):
        t.roll(1.5)
    with pytest.raises(IndexError, match="roll.*Dimension specified as 0 but tensor has no dimensions"):
        tg.tensor(2.0).roll(1, 0)


def test_rot90_matches_numpy_and_owns_its_memory():
    x = rand(2, 3, 4, seed=10)
    t = tg.tensor(x)
    for k, dims in [(1, (0, 1)), (2, (0, 1)), (3, (1, 2)), (-1, (0, -1)), (5, (2, 0)), (0, (0, 1))]:
        np.testing.assert_array_equal(t.rot90(k, dims).data, np.rot90(x, k, dims))
    turned = t.rot90()
    assert not np.shares_memory(turned.data, t.data)
    np.testing.assert_array_equal(tg.rot90(tg.tensor([[1, 2], [3, 4]])).data, [[2, 4], [1, 3]])


@pytest.mark.parametrize(
    "k, dims, shape, error, message",
    [
        (1, (1,), (2, 3), RuntimeError, "rot90.*total rotation dims == 2, but got dims = 1"),
        (1, (0, 1), (3,), RuntimeError, r"rot90.*total dims >= 2, but got total dims = 1 \(shape \(3,\)\)"),
        (1, (1, 1), (2, 3), RuntimeError, "rot90.*different, but got dim0 = 1 and dim1 = 1"),
        (1, (0, -2), (2, 3), RuntimeError, "rot90.*different, but got dim0 = 0 and dim1 = -2"),
        (1, (0, 2), (2, 3), IndexError, r"range of \[-2, 1\], but got 2"),
        (1.0, (0, 1), (2, 3), TypeError, "rot90.*argument 'k' must be an int"),
    ],
)
def test_rot90_errors(k, dims, shape, error, message):
    with pytest.raises(error, match=message):
        tg.zeros(shape).rot90(k, dims)


def test_movedim_and_swapaxes_match_numpy_and_are_views():
    x = rand(2, 3, 4, 5, seed=11)
    t = tg.tensor(x)
    for source, destination in [(0, -1), (-1, 0), ((0, 1), (2, 0)), ([3, 1], [0, 3]), ((), ())]:
        np.testing.assert_array_equal(
            t.movedim(source, destination).data, np.moveaxis(x, source, destination)
        )
    assert tg.moveaxis is tg.movedim and tg.Tensor.moveaxis is tg.Tensor.movedim
    np.testing.assert_array_equal(tg.swapaxes(t, 0, -1).data, np.swapaxes(x, 0, -1))
    np.testing.assert_array_equal(t.swapdims(1, 2).data, np.swapaxes(x, 1, 2))
    moved = t.movedim(0, 2)
    moved[0, 0, 0, 0] = 7.0
    assert t[0, 0, 0, 0].item() == 7.0  # a view, as PyTorch's


@pytest.mark.parametrize(
    "source, destination, error, message",
    [
        ((0, 1), (2,), RuntimeError, r"movedim.*source \(\[0, 1\] dims\).*destination \(\[2\] dims\)"),
        ((0, 0), (1, 2), RuntimeError, r"movedim.*repeated dim in `source` \(\[0, 0\]\)"),
        ((0, 1), (2, -1), RuntimeError, r"movedim.*repeated dim in `destination` \(\[2, -1\]\)"),
        (3, 0, IndexError, r"range of \[-3, 2\], but got 3"),
        (0, (1,), TypeError, "movedim.*both be ints or both be tuples of ints"),
    ],
)
def test_movedim_errors(source, destination, error, message):
    with pytest.raises(error, match=message):
        tg.zeros(2, 3, 4).movedim(source, destination)


# ---------------------------------------------------------------- tensor_split and take


@pytest.mark.parametrize("cuts", [3, 1, 9, [1, 6], (2,), [5, 2, 9, -1], [-2], []])
def test_tensor_split_matches_numpys_array_split(cuts):
    x = rand(2, 7, seed=12)
    pieces = tg.tensor(x).tensor_split(cuts, dim=-1)
    expected = np.array_split(x, cuts, axis=-1)
    assert isinstance(pieces, tuple) and len(pieces) == len(expected)
    for piece, want in zip(pieces, expected):
        np.testing.assert_array_equal(piece.data, want)


def test_tensor_split_takes_a_tensor_and_gives_views():
    t = tg.tensor(np.arange(7.0))
    assert [p.tolist() for p in tg.tensor_split(t, tg.tensor([1, 4]))] == [
        [0.0],
        [1.0, 2.0, 3.0],
        [4.0, 5.0, 6.0],
    ]
    assert [len(p) for p in t.tensor_split(tg.tensor(3))] == [3, 2, 2]
    first = t.tensor_split(2)[0]
    first[0] = 10.0
    assert t[0].item() == 10.0
    with pytest.raises(RuntimeError, match="tensor_split.*int64, got float32"):
        t.tensor_split(tg.tensor([1.0, 4.0]))
    with pytest.raises(RuntimeError, match="tensor_split.*zero-dimensional or one-dimensional.*2 dims"):
        t.tensor_split(tg.tensor([[1, 4]]))
    with pytest.raises(RuntimeError, match="tensor_split.*sections must be larger than 0, got 0"):
        t.tensor_split(0)
    with pytest.raises(RuntimeError, match="tensor_split.*at least a 1-dimensional tensor.*0 dims"):
        tg.tensor(1.0).tensor_split(2)
    with pytest.raises(TypeError, match="tensor_split.*'indices_or_sections'.*float"):
        t.tensor_split(2.0)


def test_take_reads_the_flattened_tensor_in_the_index_shape():
    x = rand(2, 3, seed=13)
    index = np.array([[0, -1], [5, 5]])
    out = tg.take(tg.tensor(x), tg.tensor(index))
    np.testing.assert_array_equal(out.data, np.take(x, index))
    assert tg.tensor(x).take(tg.tensor(4)).shape == ()
    assert not np.shares_memory(tg.tensor(x).take(tg.tensor(4)).data, x)
    t = f64(x, requires_grad=True)
    t.take(tg.tensor(index)).sum().backward()
    np.testing.assert_array_equal(t.grad.data, [[1.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    with pytest.raises(IndexError, match=r"take.*index 6 on a tensor of 6 elements \(shape \(2, 3\)\)"):
        t.take(tg.tensor([6]))
    with pytest.raises(IndexError, match="take.*index -7"):
        t.take(tg.tensor([-7]))
    with pytest.raises(RuntimeError, match="take.*long tensor for index, but got int32"):
        t.take(tg.tensor([1], dtype=tg.int32))
    with pytest.raises(TypeError, match="take.*'index'.*must be Tensor, not list"):
        t.take([1])
    with pytest.raises(IndexError, match=r"take.*empty tensor \(shape \(0,\)\)"):
        tg.zeros(0).take(tg.tensor([0]))


# ---------------------------------------------------------------- diagonals, trace, mv


@pytest.mark.parametrize("offset, dim1, dim2", [(0, 0, 1), (1, 0, 2), (-1, -1, 1), (2, 2, 0), (7, 0, 1)])
def test_diagonal_matches_numpy(offset, dim1, dim2):
    x = rand(3, 4, 5, seed=14)
    np.testing.assert_array_equal(
        tg.tensor(x).diagonal(offset, dim1, dim2).data, np.diagonal(x, offset, dim1, dim2)
    )
    np.testing.assert_array_equal(
        tg.diagonal(tg.tensor(x), offset=offset, dim1=dim1, dim2=dim2).data,
        np.diagonal(x, offset, dim1, dim2),
    )


def test_diagonal_is_a_view_that_writes_back_with_its_gradient():
    x = f64(rand(3, 3, seed=15), requires_grad=True)
    y = x * 1.0
    d = y.diagonal(1)
    d.mul_(3.0)  # y's values above the main diagonal tripled through the view
    np.testing.assert_array_equal(np.diagonal(y.data, 1), 3.0 * np.diagonal(x.data, 1))
    (y * y).sum().backward()
    factor = np.ones((3, 3)) + 8.0 * np.eye(3, k=1)  # d(9 x^2)/dx = 18 x on that diagonal
    np.testing.assert_allclose(x.grad.data, 2.0 * x.data * factor, rtol=1e-15)


def test_diag_and_diag_embed_match_numpy():
    v = rand(4, seed=16)
    for k in (0, 2, -1):
        np.testing.assert_array_equal(tg.tensor(v).diag(k).data, np.diag(v, k))
        np.testing.assert_array_equal(tg.diag_embed(tg.tensor(v), k, 0, 1).data, np.diag(v, k))
    m = rand(3, 4, seed=17)
    for k in (0, 1, -2, 5):
        np.testing.assert_array_equal(tg.diag(tg.tensor(m), k).data, np.diag(m, k))
    t = tg.tensor(m)
    assert not np.shares_memory(t.diag().data, m)  # a copy, as PyTorch's diag
    embedded = tg.diag_embed(t, 1, 2, 0)  # the diagonal of dims (2, 0), one place off, from the last dim
    assert embedded.shape == (5, 3, 5)
    np.testing.assert_array_equal(embedded.diagonal(1, 2, 0).data, m)
    np.testing.assert_array_equal(np.count_nonzero(embedded.data), np.count_nonzero(m))
    np.testing.assert_array_equal(t.diag_embed().data[1], np.diag(m[1]))


def test_trace_and_mv_match_numpy():
    m = rand(3, 4, seed=18)
    v = rand(4, seed=19)
    assert tg.tensor(m).trace().item() == pytest.approx(np.trace(m), rel=1e-15)
    assert tg.trace(tg.tensor([[1, 2], [3, 4]], dtype=tg.int32)).dtype == np.int64
    assert tg.trace(tg.tensor([[1, 2], [3, 4]], dtype=tg.uint8)).item() == 5
    assert tg.zeros(0, 3).trace().item() == 0.0
    np.testing.assert_allclose(tg.mv(tg.tensor(m), tg.tensor(v)).data, m @ v, rtol=1e-15)
    x = f64(m, requires_grad=True)
    x.trace().backward()
    np.testing.assert_array_equal(x.grad.data, np.eye(3, 4))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: tg.zeros(2, 3).diagonal(0, 1, -1), RuntimeError, "diagonal.*cannot be identical 1, -1"),
        (lambda: tg.zeros(3).diagonal(), IndexError, r"range of \[-1, 0\], but got 1"),
        (lambda: tg.zeros(2).diag_embed(0, 0, 0), RuntimeError, "diag_embed.*cannot be identical 0, 0"),
        (lambda: tg.tensor(2.0).diag_embed(), IndexError, r"range of \[-1, 0\], but got -2"),
        (
            lambda: tg.zeros(2, 2, 2).diag(),
            RuntimeError,
            r"diag.*1D or 2D tensors. Got 3D \(shape \(2, 2, 2\)\)",
        ),
        (lambda: tg.zeros(3).diag(1.0), TypeError, "diag.*argument 'diagonal' must be an int"),
        (lambda: tg.zeros(3).trace(), RuntimeError, r"trace: expected a matrix.*dim 1 \(shape \(3,\)\)"),
        (lambda: tg.tensor([[True]]).trace(), NotImplementedError, "trace.*bool"),
        (lambda: tg.zeros(2, 3).mv(tg.ones(2)), RuntimeError, r"mv.*size mismatch.*\(2, 3\).*\(2,\)"),
        (lambda: tg.zeros(3).mv(tg.ones(3)), RuntimeError, r"mv.*matrix and a vector.*\(3,\) and \(3,\)"),
        (lambda: tg.zeros(2, 3).mv(tg.ones(3, dtype=tg.float64)), RuntimeError, "mv.*float32 and float64"),
        (lambda: tg.zeros(2, 3).mv([1.0, 2.0, 3.0]), TypeError, "mv.*'vec'.*must be Tensor, not list"),
    ],
)
def test_diagonal_trace_and_mv_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---------------------------------------------------------------- summaries


def test_count_nonzero_matches_numpy():
    x = np.array([[1.0, 0.0, NAN], [0.0, 0.0, -2.0]])
    t = tg.tensor(x)
    for dim in (None, 0, -1, (0, 1), [1]):
        out = t.count_nonzero(dim)
        axis = tuple(dim) if isinstance(dim, list) else dim
        np.testing.assert_array_equal(out.data, np.count_nonzero(x, axis=axis))
        assert out.dtype == np.int64
    assert tg.count_nonzero(tg.tensor(2.0), 0).item() == 1
    assert tg.tensor([True, False]).count_nonzero().item() == 1
    with pytest.raises(RuntimeError, match="more than once"):
        t.count_nonzero((1, 1))


@pytest.mark.parametrize(
    "args, kwargs, ddof, axis, keepdims",
    [
        ((), {}, 1, None, False),
        ((1,), {}, 1, 1, False),
        ((1,), {"correction": 0, "keepdim": True}, 0, 1, True),
        ((1, False), {}, 0, 1, False),
        ((False,), {}, 0, None, False),
        ((-1, True, True), {}, 1, -1, True),
        (((0, 1),), {"correction": 2}, 2, (0, 1), False),
    ],
)
def test_var_mean_and_std_mean_match_numpy(args, kwargs, ddof, axis, keepdims):
    x = rand(3, 4, seed=20)
    var, mean = tg.var_mean(tg.tensor(x), *args, **kwargs)
    np.testing.assert_allclose(var.data, np.var(x, axis=axis, ddof=ddof, keepdims=keepdims), rtol=1e-14)
    np.testing.assert_allclose(mean.data, np.mean(x, axis=axis, keepdims=keepdims), rtol=1e-14)
    std, mean2 = tg.std_mean(tg.tensor(x), *args, **kwargs)
    np.testing.assert_allclose(std.data, np.std(x, axis=axis, ddof=ddof, keepdims=keepdims), rtol=1e-14)
    np.testing.assert_array_equal(mean2.data, mean.data)


def test_var_mean_refuses_integers():
    with pytest.raises(RuntimeError, match="var_mean.*floating point.*int64"):
        tg.var_mean(tg.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="std_mean.*floating point.*int64"):
        tg.std_mean(tg.tensor([1, 2]))


def test_aminmax_matches_numpy_and_shares_the_gradient_of_ties():
    x = rand(3, 4, seed=21)
    low, high = tg.tensor(x).aminmax()
    assert (low.item(), high.item()) == (x.min(), x.max())
    for dim, keepdim in [(0, False), (-1, True)]:
        out = tg.aminmax(tg.tensor(x), dim=dim, keepdim=keepdim)
        np.testing.assert_array_equal(out.min.data, x.min(axis=dim, keepdims=keepdim))
        np.testing.assert_array_equal(out.max.data, x.max(axis=dim, keepdims=keepdim))
    assert tg.tensor(x).aminmax(keepdim=True).min.shape == (1, 1)
    ints = tg.tensor([[3, 250, 7]], dtype=tg.uint8).aminmax(dim=1)
    assert ints.min.tolist() == [3] and ints.max.tolist() == [250] and ints.min.dtype == np.uint8
    assert tg.tensor([True, False]).aminmax() == (False, True)
    low, high = f64([1.0, NAN, 3.0]).aminmax()
    assert math.isnan(low.item()) and math.isnan(high.item())
    t = f64([[1.0, 3.0, 3.0], [0.0, 5.0, 6.0]], requires_grad=True)
    low, high = t.aminmax(dim=1)
    (low.sum() + 2.0 * high.sum()).backward()
    np.testing.assert_array_equal(t.grad.data, [[1.0, 1.0, 1.0], [1.0, 0.0, 2.0]])  # as PyTorch's


def test_aminmax_errors():
    with pytest.raises(RuntimeError, match=r"aminmax.*empty dimension.*\(shape \(0,\)\)"):
        tg.zeros(0).aminmax()
    with pytest.raises(
        IndexError, match=r"aminmax.*reduction dim 0 to have non-zero size \(shape \(0, 3\)\)"
    ):
        tg.zeros(0, 3).aminmax(dim=0)
    assert tg.zeros(0, 3).aminmax(dim=1).max.shape == (0,)
    with pytest.raises(TypeError, match="aminmax.*argument 'dim' must be an int, got tuple"):
        tg.zeros(2, 3).aminmax(dim=(0, 1))
    with pytest.raises(TypeError):
        tg.zeros(2, 3).aminmax(1)  # (dim is keyword-only, as in PyTorch)


def test_nansum_and_nanmean_match_numpy():
    x = np.array([[1.0, NAN, 3.0], [NAN, NAN, 6.0]])
    t = tg.tensor(x)
    for dim, keepdim in [(None, False), (1, False), (0, True), ((0, 1), True)]:
        np.testing.assert_array_equal(t.nansum(dim, keepdim).data, np.nansum(x, axis=dim, keepdims=keepdim))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # (NumPy's, for the slice of nans only)
            expected = np.nanmean(x, axis=dim, keepdims=keepdim)
        np.testing.assert_array_equal(tg.nanmean(t, dim, keepdim).data, expected)
    assert tg.tensor([1, 2], dtype=tg.int32).nansum().dtype == np.int64
    assert tg.tensor([200, 100], dtype=tg.uint8).nansum().dtype == np.int64
    assert tg.tensor([True, True]).nansum().item() == 2
    assert t.nansum(dtype=tg.float64).dtype == np.float64
    assert tg.tensor([1.0, 2.0]).nanmean(dtype=tg.float64).dtype == np.float64
    assert math.isnan(tg.tensor([NAN, NAN]).nanmean().item())  # (no warning: errors below are off)
    with pytest.raises(RuntimeError, match="nanmean.*floating point dtype but got int64"):
        tg.tensor([1, 2]).nanmean()
    with pytest.raises(RuntimeError, match="nanmean.*dtype must be a floating point dtype, got int64"):
        t.nanmean(dtype=tg.int64)


def test_nansum_and_nanmean_gradients_skip_the_nans():
    x = f64([[1.0, NAN, 3.0], [NAN, NAN, 6.0]], requires_grad=True)
    x.nansum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    x.grad = None
    x.nanmean(1).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.5, 0.0, 0.5], [0.0, 0.0, 1.0]])
    only_nan = f64([NAN, NAN], requires_grad=True)
    with np.errstate(all="raise"):  # (quietly: PyTorch warns of nothing)
        only_nan.nanmean().backward()
    assert np.isnan(only_nan.grad.data).all()  # 0/0, as PyTorch's


def test_kthvalue_matches_numpys_sort():
    x = rand(3, 5, seed=22)
    for k, dim in [(1, 0), (3, -1), (5, 1), (2, -2)]:
        values, indices = tg.tensor(x).kthvalue(k, dim)
        np.testing.assert_array_equal(values.data, np.take(np.sort(x, axis=dim), k - 1, axis=dim))
        np.testing.assert_array_equal(indices.data, np.take(np.argsort(x, axis=dim), k - 1, axis=dim))
    kept = tg.kthvalue(tg.tensor(x), 2, 1, True)
    assert kept.values.shape == kept.indices.shape == (3, 1)
    values, indices = tg.tensor([2.0, NAN, 1.0, 3.0]).kthvalue(4)  # nan sorts last
    assert math.isnan(values.item()) and indices.item() == 1
    assert tg.tensor([[3, 1, 2]]).kthvalue(2).values.tolist() == [2]
    assert tg.tensor(3.0).kthvalue(1).values.item() == 3.0
    t = f64([[3.0, 1.0, 2.0], [5.0, 6.0, 4.0]], requires_grad=True)
    t.kthvalue(2, 1).values.sum().backward()
    np.testing.assert_array_equal(t.grad.data, [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda t: t.kthvalue(0), RuntimeError, r"kthvalue.*k out of range for dimension 1 \(k=0, size 3"),
        (lambda t: t.kthvalue(4), RuntimeError, "kthvalue.*k out of range for dimension 1"),
        (lambda t: t.kthvalue(1.0), TypeError, "kthvalue.*argument 'k' must be an int"),
        (lambda t: t.kthvalue(1, None), TypeError, "kthvalue.*argument 'dim' must be an int"),
        (
            lambda t: tg.zeros(0).kthvalue(1),
            IndexError,
            r"kthvalue.*dim 0 to have non-zero size \(shape \(0,\)",
        ),
        (lambda t: tg.tensor([True]).kthvalue(1), NotImplementedError, "kthvalue.*bool"),
        (lambda t: tg.tensor(1.0).kthvalue(2), RuntimeError, "kthvalue.*k out of range for dimension 0"),
    ],
)
def test_kthvalue_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(tg.zeros(2, 3))


def test_bincount_matches_numpy_and_pytorchs_dtypes():
    x = np.array([0, 1, 1, 3, 1])
    t = tg.tensor(x)
    assert t.bincount().tolist() == np.bincount(x).tolist() and t.bincount().dtype == np.int64
    assert tg.bincount(t, minlength=7).tolist() == np.bincount(x, minlength=7).tolist()
    w = np.array([0.5, 1.0, 2.0, 3.0, 0.25])
    for dtype, result in [(tg.float32, tg.float32), (tg.float64, tg.float64), (tg.int32, tg.float64)]:
        out = t.bincount(tg.tensor(w * 4, dtype=dtype))
        assert out.dtype == result
        np.testing.assert_allclose(out.data, np.bincount(x, (w * 4).astype(dtype)), rtol=1e-7)
    assert t.bincount(tg.tensor([True, False, True, True, False])).tolist() == [1.0, 1.0, 0.0, 1.0]
    assert tg.tensor(x, dtype=tg.uint8).bincount().dtype == np.int64
    empty = tg.tensor(np.zeros(0, dtype=np.int64))
    assert empty.bincount().shape == (0,) and empty.bincount(tg.zeros(0), minlength=3).tolist() == [0, 0, 0]
    assert empty.bincount(tg.zeros(0)).dtype == np.int64  # (even with weights, as PyTorch)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: tg.tensor([0, -1]).bincount(), RuntimeError, r"bincount.*1-d non-negative.*\(2,\)"),
        (lambda: tg.tensor([[0, 1]]).bincount(), RuntimeError, r"bincount.*1-d non-negative.*\(1, 2\)"),
        (lambda: tg.tensor([0.0, 1.0]).bincount(), NotImplementedError, "bincount.*float32"),
        (lambda: tg.tensor([True]).bincount(), NotImplementedError, "bincount.*bool"),
        (lambda: tg.tensor([1]).bincount(minlength=-1), RuntimeError, "bincount.*minlength should be >= 0"),
        (lambda: tg.tensor([1]).bincount(minlength=2.0), TypeError, "bincount.*'minlength' must be an int"),
        (lambda: tg.tensor([1]).bincount([1.0]), TypeError, "bincount.*'weights'.*must be Tensor, not list"),
        (
            lambda: tg.tensor([1, 2]).bincount(tg.ones(3)),
            RuntimeError,
            r"bincount.*same length as input.*\(3,\) and \(2,\)",
        ),
    ],
)
def test_bincount_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_histc_counts_match_numpys_histogram():
    x = rand(50, seed=23, low=-3.0, high=3.0)
    for bins, low, high in [(10, 0, 0), (7, -1.0, 2.0), (1, 0, 0), (4, -5, 5)]:
        edges = (x.min(), x.max()) if low == high else (low, high)
        counts = tg.tensor(x).histc(bins, low, high)
        np.testing.assert_array_equal(counts.data, np.histogram(x, bins, range=edges)[0])
        assert counts.dtype == np.float64
    assert tg.tensor([1.0, 2, 1, 4, 2.5]).histc(4).tolist() == [2.0, 1.0, 1.0, 1.0]
    assert tg.histc(tg.tensor([2.0, 2.0]), 3).tolist() == [0.0, 2.0, 0.0]  # one value: widened by 1
    assert tg.tensor([0.0, 1, 2, 3]).histc(3, 0, 3).tolist() == [1.0, 1.0, 2.0]  # last bin holds its edge
    assert tg.tensor([1.0, NAN, 5.0]).histc(2, 0, 2).tolist() == [0.0, 1.0]  # nan and 5 not counted
    assert tg.zeros(0).histc(3).tolist() == [0.0, 0.0, 0.0]
    assert tg.tensor([1.0, 2.0]).histc(2).dtype == np.float32
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    assert not x.histc(2).requires_grad


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda t: t.histc(3, 3, 1), RuntimeError, "histc.*max must be larger than min, got min=3 and max=1"),
        (lambda t: t.histc(0), RuntimeError, "histc.*bins must be > 0, but got 0"),
        (lambda t: t.histc(2.0), TypeError, "histc.*argument 'bins' must be an int"),
        (lambda t: tg.tensor([1, 2]).histc(), NotImplementedError, "histc.*int64"),
        (
            lambda t: tg.tensor([1.0, NAN]).histc(),
            RuntimeError,
            r"histc.*range of \[nan, nan\] is not finite",
        ),
        (lambda t: tg.tensor([1.0, INF]).histc(), RuntimeError, r"histc.*range of \[1, inf\] is not finite"),
    ],
)
def test_histc_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(tg.tensor([1.0, 2.0]))


def test_numpys_names_axis_and_keepdims_are_taken_as_pytorch_takes_them():
    x = rand(2, 3, seed=24)
    t = tg.tensor(x)
    np.testing.assert_array_equal(t.cumprod(axis=1).data, t.cumprod(1).data)
    np.testing.assert_array_equal(t.cummax(axis=0).values.data, t.cummax(0).values.data)
    np.testing.assert_array_equal(t.cummin(axis=0).indices.data, t.cummin(0).indices.data)
    np.testing.assert_array_equal(t.logcumsumexp(axis=-1).data, t.logcumsumexp(-1).data)
    np.testing.assert_array_equal(t.nansum(axis=1, keepdims=True).data, t.nansum(1, True).data)
    np.testing.assert_array_equal(t.nanmean(axis=0).data, t.nanmean(0).data)
    np.testing.assert_array_equal(t.count_nonzero(axis=1).data, t.count_nonzero(1).data)
    np.testing.assert_array_equal(t.aminmax(axis=1).max.data, t.aminmax(dim=1).max.data)
    with pytest.raises(TypeError, match="cumprod.. got both dim and axis"):
        t.cumprod(0, axis=1)
    with pytest.raises(TypeError, match="nansum.. got both keepdim and keepdims"):
        t.nansum(0, True, keepdims=True)


# ---------------------------------------------------------------- in-place forms of the binary math

# name_: (its arguments, the out-of-place call it must equal)
IN_PLACE = {
    "lerp_": ((f64([2.0, -1.0, 0.5]), 0.3), lambda t, end, w: t.lerp(end, w)),
    "addcmul_": ((f64([2.0, -1.0, 0.5]), f64([1.5])), lambda t, a, b: t.addcmul(a, b)),
    "addcdiv_": ((f64([2.0, -1.0, 0.5]), f64([1.5])), lambda t, a, b: t.addcdiv(a, b)),
    "fmod_": ((f64([0.7, -0.4, 0.3]),), lambda t, b: t.fmod(b)),
    "atan2_": ((f64([0.7, -0.4, 0.3]),), lambda t, b: t.atan2(b)),
    "arctan2_": ((f64([0.7, -0.4, 0.3]),), lambda t, b: t.arctan2(b)),
    "hypot_": ((f64([0.7, -0.4, 0.3]),), lambda t, b: t.hypot(b)),
    "copysign_": ((f64([0.7, -0.4, 0.3]),), lambda t, b: t.copysign(b)),
    "xlogy_": ((f64([0.7, 0.4, 0.3]),), lambda t, b: t.xlogy(b)),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_binary_in_place_forms_match_theirs_bump_the_version_and_refuse_leaves(name):
    args, out_of_place = IN_PLACE[name]
    values = [0.3, 1.2, -0.8]
    x = f64(values, requires_grad=True)
    h = x * 1.5
    returned = getattr(h, name)(*args)
    assert returned is h and h._version == 1
    expected = out_of_place(x * 1.5, *args)
    np.testing.assert_array_equal(h.data, expected.data)
    (h * h).sum().backward()
    want = tg.autograd.grad((expected * expected).sum(), x)[0]
    np.testing.assert_allclose(x.grad.data, want.data, rtol=1e-15)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        getattr(x, name)(*args)
    np.testing.assert_array_equal(x.data, values)
    assert x._version == 0


def test_binary_in_place_forms_record_a_gradient_for_their_other_operands():
    end = f64([1.0, 2.0], requires_grad=True)
    weight = f64([0.25, 0.75], requires_grad=True)
    t = f64([0.0, 4.0])  # needs no gradient itself
    t.lerp_(end, weight)
    assert t.grad_fn is not None
    t.sum().backward()
    np.testing.assert_allclose(end.grad.data, [0.25, 0.75])
    np.testing.assert_allclose(weight.grad.data, [1.0, -2.0])  # end - start
    a, b = f64([2.0, 3.0], requires_grad=True), f64([4.0, 5.0], requires_grad=True)
    c = f64([1.0, 1.0])
    c.addcmul_(a, b, value=2.0)
    c.sum().backward()
    np.testing.assert_allclose(a.grad.data, [8.0, 10.0])
    np.testing.assert_allclose(b.grad.data, [4.0, 6.0])


def test_binary_in_place_forms_refuse_what_cannot_be_stored_and_change_nothing():
    i = tg.tensor([5, -5])
    assert i.fmod_(3).tolist() == [2, -2] and i._version == 1  # integers stay integers
    for call in (lambda: i.fmod_(2.5), lambda: i.atan2_(tg.tensor([1, 1])), lambda: i.xlogy_(2)):
        with pytest.raises(
            RuntimeError, match="result type Float can't be cast to the desired output type Long"
        ):
            call()
    assert i.tolist() == [2, -2] and i._version == 1
    t = tg.zeros(3)
    with pytest.raises(
        RuntimeError, match=r"output with shape \(3,\) doesn't match the broadcast shape \(2, 3\)"
    ):
        t.lerp_(tg.ones(2, 3), 0.5)
    assert t.tolist() == [0.0, 0.0, 0.0] and t._version == 0
    broadcast = tg.zeros(2, 3).lerp_(tg.ones(3), tg.full((2, 1), 0.5))
    assert broadcast.tolist() == [[0.5] * 3] * 2
    assert tg.tensor([3.0, 5.0]).copysign_(-1).tolist() == [-3.0, -5.0]
    assert tg.zeros(3).addcdiv_(tg.ones(3), tg.full((3,), 2.0), value=3).tolist() == [1.5] * 3


# ---------------------------------------------------------------- names

METHODS = [
    "cumprod", "cummax", "cummin", "logcumsumexp", "diff", "nansum", "nanmean", "count_nonzero",
    "aminmax", "kthvalue", "bincount", "histc", "roll", "rot90", "movedim", "moveaxis", "swapaxes",
    "swapdims", "tensor_split", "take", "diagonal", "diag", "diag_embed", "trace", "mv",
]  # fmt: skip


def test_every_name_is_a_method_and_a_function_as_in_pytorch():
    for name in METHODS:
        assert getattr(tg, name).__wrapped__ is getattr(tg.Tensor, name) and name in tg.__all__
    for name in ("repeat_interleave", "var_mean", "std_mean"):  # (functions of their own)
        assert callable(getattr(tg, name)) and name in tg.__all__
    assert callable(tg.Tensor.repeat_interleave)
    assert not hasattr(tg.Tensor, "var_mean")  # (PyTorch has no such method)
    for name in IN_PLACE:
        assert callable(getattr(tg.Tensor, name))
    assert tg.Tensor.arctan2_ is tg.Tensor.atan2_


# ---------------------------------------------------------------- against PyTorch, if installed

# name: (call on (module, *inputs) for tg and torch alike, the inputs' shapes, their range)
TORCH_CASES = {
    "cumprod": (lambda m, a: m.cumprod(a, 1) + a.cumprod(-3), [(2, 3, 4)], (-2.0, 2.0)),
    "cumprod_zeros": (lambda m, a: m.cumprod(m.where(a > 0.5, 0.0, a), -1), [(3, 5)], (-1.0, 1.0)),
    "cummax": (lambda m, a: a.cummax(-2).values * m.cummax(a, 0).values, [(3, 4, 2)], (-2.0, 2.0)),
    "cummin": (lambda m, a: m.cummin(a, -1).values - a.cummin(dim=1).values, [(3, 4)], (-2.0, 2.0)),
    "logcumsumexp": (lambda m, a: m.logcumsumexp(a * 30.0, -1) * a.logcumsumexp(0), [(3, 4)], (-2.0, 2.0)),
    "diff": (lambda m, a, b: m.diff(a, 2, 0, prepend=b, append=b * 2), [(3, 4), (1, 4)], (-2.0, 2.0)),
    "diff_last": (lambda m, a, b: a.diff(dim=-1, append=b), [(3, 4), (3, 2)], (-2.0, 2.0)),
    "repeat_interleave": (
        lambda m, a: a.repeat_interleave(m.tensor([1, 0, 3]), dim=-2) * m.repeat_interleave(a, 2).sum(),
        [(2, 3, 2)],
        (-2.0, 2.0),
    ),
    "diag": (lambda m, a, b: m.diag(a, 1).sum(0) * b.diag(-1).sum(), [(4,), (3, 4)], (-2.0, 2.0)),
    "diagonal": (lambda m, a: a.diagonal(1, -1, 0) ** 2, [(2, 3, 4)], (-2.0, 2.0)),
    "diagonal_function": (lambda m, a: m.diagonal(a, -1, 0, 2) * 3.0, [(2, 3, 4)], (-2.0, 2.0)),
    "diag_embed": (lambda m, a: m.diag_embed(a, 1, 0, -1) * a.diag_embed().sum(), [(2, 3)], (-2.0, 2.0)),
    "trace": (lambda m, a: m.trace(a) * a.trace(), [(3, 4)], (-2.0, 2.0)),
    "mv": (lambda m, a, b: m.mv(a, b) * a.mv(b.exp()), [(3, 4), (4,)], (-2.0, 2.0)),
    "var_mean": (lambda m, a: m.stack(m.var_mean(a, -1, correction=0)), [(3, 4)], (-2.0, 2.0)),
    "std_mean": (lambda m, a: m.stack(m.std_mean(a, (0, -1), keepdim=True)), [(2, 3, 4)], (-2.0, 2.0)),
    "aminmax": (lambda m, a: m.stack(a.aminmax(dim=-1)) * m.stack(m.aminmax(a)).sum(), [(3, 4)], (-2.0, 2.0)),
    "nansum": (lambda m, a: m.nansum(m.where(a > 0.5, NAN, a), 1) * a.nansum(), [(3, 4)], (-2.0, 2.0)),
    "nanmean": (
        lambda m, a: m.nanmean(m.where(a > 1.0, NAN, a), (0,), keepdim=True) * a.nanmean(-1, True),
        [(3, 4)],
        (-2.0, 2.0),
    ),
    "kthvalue": (
        lambda m, a: a.kthvalue(2, 0).values * m.kthvalue(a, 3, -1, True).values,
        [(3, 4)],
        (-2.0, 2.0),
    ),
    "roll": (lambda m, a: a.roll((1, -2), (0, -1)) * m.roll(a, 5), [(2, 3, 4)], (-2.0, 2.0)),
    "rot90": (
        lambda m, a: a.rot90(1, (0, -1)).sum(0) * m.rot90(a, -1, (2, 0)).sum(0) + a.rot90(2).sum(),
        [(3, 2, 3)],
        (-2.0, 2.0),
    ),
    "movedim": (lambda m, a: m.movedim(a, (0, -1), (-1, 1)) * a.moveaxis(0, 2), [(2, 2, 2)], (-2.0, 2.0)),
    "swapaxes": (lambda m, a: m.swapaxes(a, 0, -1) * a.swapdims(2, 0) ** 2, [(2, 3, 2)], (-2.0, 2.0)),
    "tensor_split": (
        lambda m, a: m.cat(a.tensor_split(3, dim=-1)[::-1], -1) * m.cat(m.tensor_split(a, [1, -1], 0)[::-1]),
        [(3, 4)],
        (-2.0, 2.0),
    ),
    "take": (
        lambda m, a: m.take(a, m.tensor([[0, -1], [5, 5]])) * a.take(m.tensor(3)),
        [(2, 3)],
        (-2.0, 2.0),
    ),
    "lerp_": (lambda m, a, b: (a * 1.0).lerp_(b, b.sin()), [(3, 4), (4,)], (-2.0, 2.0)),
    "addcmul_": (lambda m, a, b: (a * 1.0).addcmul_(a, b, value=-0.5), [(3, 4), (4,)], (-2.0, 2.0)),
    "addcdiv_": (lambda m, a, b: (a * 1.0).addcdiv_(a, b.exp(), value=3), [(3, 4), (4,)], (-2.0, 2.0)),
    "fmod_": (lambda m, a, b: (a * 3.0).fmod_(b.abs() + 0.5), [(3, 4), (4,)], (-2.0, 2.0)),
    "atan2_": (lambda m, a, b: (a * 1.0).atan2_(b), [(3, 4), (4,)], (-2.0, 2.0)),
    "hypot_": (lambda m, a, b: (a * 1.0).hypot_(b), [(3, 4), (4,)], (-2.0, 2.0)),
    "copysign_": (lambda m, a, b: (a * 1.0).copysign_(b), [(3, 4), (4,)], (-2.0, 2.0)),
    "xlogy_": (lambda m, a, b: (a * 1.0).xlogy_(b.exp()), [(3, 4), (4,)], (-2.0, 2.0)),
}


@pytest.mark.parametrize("name", sorted(TORCH_CASES))
def test_values_and_gradients_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    call, shapes, (low, high) = TORCH_CASES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    arrays = [rng.uniform(low, high, shape) for shape in shapes]
    ours = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    assert_values_and_gradients_agree(torch, rng, call(tg, *ours), call(torch, *theirs), ours, theirs)


# name: (call on (module, input), the input): results with no gradient, compared with their dtypes
TORCH_CONSTANTS = {
    "cummax_indices": (lambda m, a: a.cummax(-1).indices, [[1.0, 3, 3, NAN, 2, NAN], [2, 2, 1, 5, 5, 0]]),
    "cummin_indices": (lambda m, a: m.cummin(a, 0).indices, [[1.0, 3, 3], [0, 3, 1], [0, NAN, 4]]),
    "cumprod_ints": (lambda m, a: a.cumprod(0), np.array([[3, 1], [2, 5]], dtype=np.int32)),
    "cumprod_bool": (lambda m, a: m.cumprod(a, 0), [True, True, False]),
    "kthvalue_indices": (lambda m, a: a.kthvalue(2, 1).indices, [[3.0, 1, 2, 0], [5, 6, 4, NAN]]),
    "count_nonzero": (lambda m, a: m.count_nonzero(a, (0, -1)), [[[1.0, 0], [NAN, 0]], [[0, 0], [2, 3]]]),
    "bincount": (lambda m, a: m.bincount(a, minlength=6), np.array([0, 4, 1, 1, 3])),
    "bincount_weights": (lambda m, a: a.bincount(a * 2), np.array([0, 4, 1, 1, 3], dtype=np.int32)),
    "histc": (lambda m, a: m.histc(a, 10), np.random.default_rng(1).standard_normal(100)),
    "histc_float32": (
        lambda m, a: a.histc(7, -1.5, 2.0),
        np.random.default_rng(2).standard_normal(1000).astype(np.float32),
    ),
    "histc_edges": (lambda m, a: a.histc(10, 0, 1), np.array([0.1, 0.2, 0.3, 0.7, 0.9, 1.0], np.float32)),
    "repeat_interleave_counts": (lambda m, a: m.repeat_interleave(a), np.array([2, 0, 3])),
    "aminmax_ints": (lambda m, a: m.stack(a.aminmax(dim=0)), np.array([[3, 250], [7, 0]], dtype=np.uint8)),
    "nansum_ints": (lambda m, a: a.nansum(1), np.array([[3, 2], [7, 0]], dtype=np.int32)),
    "trace_ints": (lambda m, a: m.trace(a), np.array([[3, 2], [7, 1]], dtype=np.uint8)),
    "diff_bool": (lambda m, a: a.diff(), [True, False, False, True]),
    "diff_int32": (lambda m, a: a.diff(n=2), np.array([1, 5, 2, 9], dtype=np.int32)),
}


@pytest.mark.parametrize("name", sorted(TORCH_CONSTANTS))
def test_results_without_gradient_and_their_dtypes_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    call, data = TORCH_CONSTANTS[name]
    ours, theirs = call(tg, tg.tensor(data)), call(torch, torch.tensor(data))
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert str(theirs.dtype) == f"torch.{ours.dtype}"


# (call, values): edge values, whose results and gradients (nan included) must be PyTorch's, silently
TORCH_EDGES = [
    (lambda m, a: m.logcumsumexp(a, 0), [-INF, 0.0, 1.0, INF]),
    (lambda m, a: a.logcumsumexp(0), [-INF, -INF, 2.0]),
    (lambda m, a: a.logcumsumexp(0), [NAN, 0.0]),
    (lambda m, a: m.cumprod(a, 0), [0.0, 1.0, 0.0, 3.0, INF]),
    (lambda m, a: a.cumprod(0), [1.0, 0.0, INF, 0.0, 5.0]),
    (lambda m, a: a.cumprod(0), [1.0, 0.0, 2.0, 0.0, INF]),
    (lambda m, a: a.cumprod(0), [2.0, INF, 0.0, 3.0]),
    (lambda m, a: a.cumprod(0), [INF, 0.0, 2.0]),
    (lambda m, a: a.cumprod(0), [3.0, INF, 2.0]),
    (lambda m, a: a.cummax(0).values * a.cummin(0).values, [1.0, NAN, 3.0, NAN]),
    (lambda m, a: m.nanmean(a, 0), [NAN, NAN]),
    (lambda m, a: a.nansum() + m.nanmean(a), [NAN, 2.0, -INF]),
    (lambda m, a: a.kthvalue(3).values, [2.0, NAN, 1.0, NAN]),
    (lambda m, a: a.diff(prepend=a[:1] * INF), [1.0, 2.0]),
]


@pytest.mark.parametrize("index", range(len(TORCH_EDGES)))
def test_edge_values_and_gradients_match_torch_if_installed(index):
    torch = pytest.importorskip("torch")
    call, values = TORCH_EDGES[index]
    ours, theirs = (
        f64(values, requires_grad=True),
        torch.tensor(values, dtype=torch.float64, requires_grad=True),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (PyTorch warns of none of these)
        ours_out = call(tg, ours)
        ours_out.backward(tg.ones_like(ours_out))
    theirs_out = call(torch, theirs)
    theirs_out.backward(torch.ones_like(theirs_out))
    np.testing.assert_allclose(ours_out.data, theirs_out.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-13)


# calls that both refuse, with the same exception type
TORCH_ERRORS = [
    lambda m: m.zeros(2, 3).cumprod(2),
    lambda m: m.tensor([1, 2]).logcumsumexp(0),
    lambda m: m.zeros(2, 3).diff(n=-1),
    lambda m: m.zeros(2, 3).diff(prepend=m.zeros(3)),
    lambda m: m.zeros(3).repeat_interleave(m.tensor([1, 2])),
    lambda m: m.zeros(3).repeat_interleave(m.tensor([1.0, 2.0, 3.0])),
    lambda m: m.zeros(3).repeat_interleave(2, dim=1),
    lambda m: m.zeros(2, 3).roll((1, 1), 1),
    lambda m: m.zeros(2, 3).rot90(1, (1, 1)),
    lambda m: m.zeros(3).rot90(),
    lambda m: m.zeros(2, 3, 4).movedim((0, 0), (1, 2)),
    lambda m: m.zeros(2, 3, 4).movedim(0, (1,)),
    lambda m: m.zeros(7).tensor_split(0),
    lambda m: m.zeros(7).tensor_split(m.tensor([1.0])),
    lambda m: m.zeros(2, 3).take(m.tensor([6])),
    lambda m: m.zeros(2, 3).take(m.tensor([1], dtype=m.int32)),
    lambda m: m.zeros(2, 3).diagonal(0, 1, 1),
    lambda m: m.zeros(2, 2, 2).diag(),
    lambda m: m.zeros(3).trace(),
    lambda m: m.zeros(2, 3).mv(m.zeros(2)),
    lambda m: m.zeros(0).aminmax(),
    lambda m: m.zeros(0, 3).aminmax(dim=0),
    lambda m: m.var_mean(m.tensor([1, 2])),
    lambda m: m.tensor([1, 2]).nanmean(),
    lambda m: m.zeros(2, 3).kthvalue(4),
    lambda m: m.zeros(0).kthvalue(1),
    lambda m: m.tensor([True]).kthvalue(1),
    lambda m: m.tensor([0, -1]).bincount(),
    lambda m: m.tensor([0.0]).bincount(),
    lambda m: m.tensor([1, 2]).histc(),
    lambda m: m.tensor([1.0, 2.0]).histc(2, 3, 1),
    lambda m: m.tensor([1, 2]).atan2_(m.tensor([1, 1])),
    lambda m: m.zeros(3).lerp_(m.ones(2, 3), 0.5),
]


@pytest.mark.parametrize("index", range(len(TORCH_ERRORS)))
def test_errors_have_torchs_types_if_installed(index):
    torch = pytest.importorskip("torch")
    call = TORCH_ERRORS[index]
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(theirs.type):
        call(tg)


def test_min_of_integers_is_not_the_negated_max_which_would_wrap_round():
    pixels = tg.tensor(np.array([[0, 200, 13], [90, 7, 255]], dtype=np.uint8))
    assert pixels.min().item() == 0 and pixels.amin(1).tolist() == [0, 7]
    assert pixels.min(dim=0).values.tolist() == [0, 7, 13] and pixels.aminmax().min.item() == 0
    assert tg.tensor(np.array([-128, 5], np.int8)).amin().item() == -128
    assert tg.tensor([True, False]).min().item() is False
    x = tg.tensor([[1.0, 3.0, 1.0], [2.0, 0.0, 0.0]], requires_grad=True)
    y = x.amin(1)
    assert y.grad_fn.name() == "AminBackward"
    y.sum().backward()
    assert x.grad.tolist() == [[0.5, 0.0, 0.5], [0.0, 0.5, 0.5]]  # ties share, as amax's


def test_amax_of_an_empty_tensor_needs_a_dim_and_names_the_empty_one():
    empty = tg.zeros(0, 3)
    for reduce in (empty.amax, empty.amin, empty.max, empty.min):
        with pytest.raises(RuntimeError, match=r"shape \(0, 3\) is empty: give a dim"):
            reduce()
    with pytest.raises(IndexError, match="reduction dim 0 to have non-zero size"):
        empty.amax((0, 1))  # named dims, one of them empty
    assert empty.amin(1).shape == (0,)


def test_descending_sorts_put_nan_first_and_keep_ties_and_integers_in_order():
    nan = float("nan")
    values, indices = tg.tensor([1.0, nan, 3.0, 3.0, nan]).sort(descending=True)
    assert np.isnan(values.data[:2]).all() and values.data[2:].tolist() == [3.0, 3.0, 1.0]
    assert indices.tolist() == [1, 4, 2, 3, 0]  # nan is the largest value, as in PyTorch; stable
    assert tg.tensor([1.0, nan, 3.0]).topk(1).indices.tolist() == [1]
    assert tg.tensor([1.0, nan, 3.0]).topk(2, largest=False).indices.tolist() == [0, 2]
    assert tg.tensor(np.array([-128, 5], np.int8)).sort(descending=True).values.tolist() == [5, -128]
    assert tg.tensor([[2, 1, 2, 1]]).argsort(descending=True).tolist() == [[0, 2, 1, 3]]


# ---------------------------------------------------------------- accumulating in float64


@pytest.mark.parametrize(
    "name, exact",
    [
        ("cumsum", lambda x: np.cumsum(x, axis=1)),
        ("cumprod", lambda x: np.cumprod(x, axis=1)),
        ("logcumsumexp", lambda x: np.logaddexp.accumulate(x, axis=1)),
    ],
)
def test_running_ops_on_float32_round_once_as_pytorch_does(name, exact):
    # PyTorch's CPU kernels sum a float32 (or float16) row in float64 and round at
    # the end; rounding at every one of 20,000 steps drifts from that by many ulps
    x = (1.0 + (np.random.default_rng(5).random((2, 20_000)) - 0.5) * 1e-3).astype(np.float32)
    if name == "cumsum":
        x -= 0.5
    got = getattr(tg.tensor(x), name)(1)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got.data, exact(x.astype(np.float64)).astype(np.float32))
    h = x[:, :500].astype(np.float16)
    half = getattr(tg.tensor(h), name)(1)
    assert half.dtype == np.float16
    np.testing.assert_array_equal(half.data, exact(h.astype(np.float64)).astype(np.float16))
