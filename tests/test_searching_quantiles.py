"""searchsorted, bucketize, argwhere, take_along_dim, msort (ops/searching.py) and quantile,
nanquantile, nanmedian, mode (ops/quantiles.py): values against NumPy or by hand, errors,
gradients against finite differences, and against PyTorch where it is installed."""

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.ops import quantiles as Q
from tinygrad_edu.ops import searching as S
from tinygrad_edu.testing import gradcheck, gradgradcheck

nan = float("nan")


def t64(*args, **kw):
    return tg.tensor(np.asarray(*args, dtype=np.float64), **kw)


# ---------------------------------------------------------------- searchsorted / bucketize


def test_searchsorted_matches_numpy_on_a_shared_sequence():
    rng = np.random.default_rng(0)
    bounds = np.sort(rng.integers(0, 10, 12))
    values = rng.integers(-2, 12, (3, 5))
    for side in ("left", "right"):
        ours = S.searchsorted(tg.tensor(bounds), tg.tensor(values), side=side)
        assert ours.dtype == np.int64 and ours.shape == values.shape
        np.testing.assert_array_equal(ours.data, np.searchsorted(bounds, values, side=side))


def test_searchsorted_batched_rows_sorter_int32_and_numbers():
    bounds = tg.tensor([[1, 3, 5], [2, 4, 6]])
    assert S.searchsorted(bounds, tg.tensor([[3, 6], [1, 5]])).tolist() == [[1, 3], [0, 2]]
    assert S.searchsorted(bounds, tg.tensor([[3, 6], [1, 5]]), right=True).tolist() == [[2, 3], [0, 2]]
    unsorted = tg.tensor([5, 1, 3])
    assert S.searchsorted(unsorted, tg.tensor([2, 4]), sorter=tg.tensor([1, 2, 0])).tolist() == [1, 2]
    out = S.searchsorted(tg.tensor([1, 3, 5, 7, 9]), 6, out_int32=True)
    assert out.dtype == np.int32 and out.shape == () and out.item() == 3
    # a nan value goes past every boundary, as nan sorts last
    assert S.searchsorted(t64([1.0, 2.0]), t64([nan])).tolist() == [2]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: S.searchsorted(tg.tensor([1, 2]), tg.tensor([1]), side="up"), RuntimeError, "side"),
        (
            lambda: S.searchsorted(tg.tensor([1, 2]), tg.tensor([1]), side="left", right=True),
            RuntimeError,
            "opposites",
        ),
        (lambda: S.searchsorted(tg.tensor(3), tg.tensor([1])), RuntimeError, "positive dimension"),
        (lambda: S.searchsorted(tg.tensor([[1, 3], [2, 4]]), tg.tensor([1, 2])), RuntimeError, "first N-1"),
        (
            lambda: S.searchsorted(tg.tensor([1, 2]), tg.tensor([1]), sorter=tg.tensor([0])),
            RuntimeError,
            "same size",
        ),
        (
            lambda: S.searchsorted(tg.tensor([1, 2]), tg.tensor([1]), sorter=tg.tensor([0, 5])),
            RuntimeError,
            "out of range",
        ),
        (
            lambda: S.searchsorted(
                tg.tensor([1, 2]), tg.tensor([1]), sorter=tg.tensor([0, 1], dtype=tg.int32)
            ),
            RuntimeError,
            "long",
        ),
        (lambda: S.searchsorted(tg.tensor([True]), tg.tensor([True])), NotImplementedError, "bool"),
        (lambda: S.bucketize(tg.tensor([1]), tg.tensor([[1, 2]])), RuntimeError, "1 dimension"),
    ],
)
def test_searchsorted_errors(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_bucketize_is_searchsorted_with_the_arguments_swapped():
    b = tg.tensor([1, 3, 5, 7, 9])
    x = tg.tensor([[3, 6, 9], [0, 1, 10]])
    assert S.bucketize(x, b).tolist() == [[1, 3, 4], [0, 0, 5]]
    assert S.bucketize(x, b, right=True).tolist() == [[2, 3, 5], [0, 1, 5]]
    assert S.bucketize(6, b).shape == ()


# ---------------------------------------------------------------- argwhere, take_along_dim, msort


def test_argwhere():
    out = S.argwhere(tg.tensor([[1, 0], [0, 3]]))
    assert out.dtype == np.int64 and out.tolist() == [[0, 0], [1, 1]]
    assert S.argwhere(tg.tensor(3)).shape == (1, 0) and S.argwhere(tg.tensor(0)).shape == (0, 0)


def test_take_along_dim_values_broadcasting_and_errors():
    x = tg.arange(6.0).reshape(2, 3)
    assert S.take_along_dim(x, tg.tensor([[0], [2]]), dim=1).tolist() == [[0.0], [5.0]]
    assert S.take_along_dim(x, tg.tensor([[0, 2]]), dim=1).tolist() == [[0.0, 2.0], [3.0, 5.0]]  # broadcast
    assert S.take_along_dim(x, tg.tensor([[-1]]), dim=1).tolist() == [[2.0], [5.0]]
    assert S.take_along_dim(x, tg.tensor([[5], [0]])).tolist() == [5.0, 0.0]  # flattened
    idx = np.argsort(x.data, 1)
    np.testing.assert_array_equal(
        S.take_along_dim(x, tg.tensor(idx), 1).data, np.take_along_axis(x.data, idx, 1)
    )
    with pytest.raises(RuntimeError, match="Long"):
        S.take_along_dim(x, tg.tensor([[0]], dtype=tg.int32), 1)
    with pytest.raises(RuntimeError, match="same number of dimensions"):
        S.take_along_dim(x, tg.tensor([0]), 1)
    with pytest.raises(RuntimeError):
        S.take_along_dim(x, tg.tensor([[0, 1, 2]] * 4), 1)
    with pytest.raises(IndexError):
        S.take_along_dim(x, tg.tensor([[3]]), 1)


def test_take_along_dim_and_msort_gradients():
    x = t64(np.random.default_rng(1).standard_normal((3, 4)), requires_grad=True)
    idx = tg.tensor([[0, 0, 3], [1, 2, 2], [3, 1, 0]])
    assert gradcheck(lambda a: S.take_along_dim(a, idx, 1), [x])
    assert gradgradcheck(lambda a: S.take_along_dim(a, idx[:1], 1) ** 2, [x])
    assert gradcheck(S.msort, [x])
    np.testing.assert_array_equal(S.msort(x).data, np.sort(x.data, 0))


# ---------------------------------------------------------------- quantile


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile_matches_numpy(interpolation):
    x = np.random.default_rng(2).standard_normal((4, 7))
    q = np.array([0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
    for dim in (None, 0, 1):
        ours = Q.quantile(t64(x), t64(q), dim, interpolation=interpolation)
        expected = np.quantile(x, q, axis=dim, method=interpolation)
        np.testing.assert_allclose(ours.data, expected, rtol=1e-12)
        kept = Q.quantile(t64(x), 0.3, dim, keepdim=True, interpolation=interpolation)
        assert kept.shape == np.quantile(x, 0.3, axis=dim, keepdims=True).shape


def test_quantile_nan_and_nanquantile():
    x = t64([[1.0, 7.0, 3.0, 2.0], [4.0, nan, 0.0, 5.0]])
    np.testing.assert_allclose(Q.quantile(x, 0.5, dim=1).data, [2.5, nan])
    np.testing.assert_allclose(Q.nanquantile(x, 0.5, dim=1).data, [2.5, 4.0])
    assert np.isnan(Q.nanquantile(t64([nan, nan]), 0.5).item())
    # nearest: a half-way rank rounds to the even one, as torch.round
    assert Q.quantile(t64(np.arange(7.0)), t64([0.25, 0.75]), interpolation="nearest").tolist() == [2.0, 4.0]


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: Q.quantile(tg.tensor([1, 2]), 0.5), "float or double"),
        (lambda: Q.quantile(tg.ones(3), 1.5), "range"),
        (lambda: Q.quantile(tg.ones(3), tg.tensor([-0.1])), "range"),
        (lambda: Q.quantile(tg.ones(3), tg.tensor([[0.1]])), "1D"),
        (lambda: Q.quantile(tg.ones(3), t64([0.1])), "same dtype"),
        (lambda: Q.quantile(tg.ones(3), 0.5, interpolation="cubic"), "interpolation"),
        (lambda: Q.quantile(tg.ones(0), 0.5), "non-empty"),
    ],
)
def test_quantile_errors(call, words):
    with pytest.raises(RuntimeError, match=words):
        call()


@pytest.mark.parametrize("interpolation", ["linear", "midpoint", "lower", "higher", "nearest"])
def test_quantile_gradients(interpolation):
    x = t64([1.0, 4.0, 2.5, 3.0, -1.0], requires_grad=True)
    q = t64([0.3, 0.6, 0.85], requires_grad=interpolation == "linear")
    inputs = [x, q] if interpolation == "linear" else [x]
    fn = lambda a, *qq: Q.quantile(a, qq[0] if qq else q, interpolation=interpolation)  # noqa: E731
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)
    assert gradcheck(lambda a: Q.nanquantile(a, 0.4, interpolation=interpolation), [x])


# ---------------------------------------------------------------- nanmedian, mode


def test_nanmedian_values_indices_and_ties():
    x = t64([[1.0, 7.0, 3.0, 2.0], [4.0, nan, 0.0, 5.0]])
    assert Q.nanmedian(x).item() == 3.0
    values, indices = Q.nanmedian(x, 1)
    assert values.tolist() == [2.0, 4.0] and indices.tolist() == [3, 0]
    assert Q.nanmedian(tg.tensor([5, 5, 5, 5]), 0).indices.item() == 1  # ties: by position
    all_nan = Q.nanmedian(t64([[nan, nan, nan]]), 1)
    assert np.isnan(all_nan.values.item()) and all_nan.indices.item() == 0
    assert Q.nanmedian(x, 1, True).values.shape == (2, 1)
    assert np.isnan(Q.nanmedian(tg.ones(0)).item())
    with pytest.raises(TypeError):
        Q.nanmedian(x, keepdim=True)
    with pytest.raises(IndexError):
        Q.nanmedian(tg.ones(2, 0), 1)
    with pytest.raises(NotImplementedError):
        Q.nanmedian(tg.tensor([True, False]))


def test_mode_ties_take_the_smallest_value_at_its_last_place():
    for data, value, index in [
        ([1, 2, 2, 3, 3], 2, 2),
        ([3, 3, 2, 2, 1], 2, 3),
        ([7, 1, 7, 1, 1, 7], 1, 4),
        ([4, 4, 9, 4], 4, 3),
        ([3, 1, 2], 1, 1),
    ]:
        values, indices = Q.mode(tg.tensor(data))
        assert (values.item(), indices.item()) == (value, index), data
    values, indices = Q.mode(tg.tensor([[1, 2, 2], [3, 1, 3]]), 0, keepdim=True)
    assert values.tolist() == [[1, 1, 2]] and indices.tolist() == [[0, 1, 0]]
    assert Q.mode(tg.ones(2, 0), 0).values.shape == (0,)
    with pytest.raises(IndexError):
        Q.mode(tg.ones(2, 0), 1)


def test_nanmedian_and_mode_gradients_go_to_the_picked_element():
    x = t64([[1.0, 2.0, 2.0, 3.0], [5.0, 4.0, 6.0, 0.5]], requires_grad=True)
    Q.mode(x, 1).values.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    y = t64([4.0, 1.0, 3.0, 2.0], requires_grad=True)
    assert gradcheck(lambda a: Q.nanmedian(a, 0).values, [y])


def test_nanmedian_of_everything_shares_the_gradient_among_ties_as_median_does():
    x = t64([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], requires_grad=True)
    Q.nanmedian(x).backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0], [0.5, 0.5, 0.0]]
    x = t64([nan, 2.0, 2.0, nan], requires_grad=True)
    Q.nanmedian(x).backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5, 0.0]
    x = t64([nan, nan], requires_grad=True)  # all nan: the nans share it, as in PyTorch
    Q.nanmedian(x).backward()
    assert x.grad.tolist() == [0.5, 0.5]


# ---------------------------------------------------------------- against PyTorch


def test_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    for _ in range(40):
        x = rng.integers(0, 4, (3, 5)).astype(np.float64)
        if rng.random() < 0.5:
            x[rng.integers(0, 3), rng.integers(0, 5)] = nan
        dim, keep = int(rng.integers(-2, 2)), bool(rng.random() < 0.5)
        q = np.array([0.5, rng.random()])
        for fn in ("quantile", "nanquantile"):
            for interpolation in ("linear", "lower", "higher", "midpoint", "nearest"):
                expected = getattr(torch, fn)(
                    torch.tensor(x), torch.tensor(q), dim, keep, interpolation=interpolation
                )
                ours = getattr(Q, fn)(t64(x), t64(q), dim, keep, interpolation=interpolation)
                np.testing.assert_allclose(ours.data, expected.numpy(), rtol=1e-12)
        for fn in ("nanmedian", "mode"):
            expected = getattr(torch, fn)(torch.tensor(x), dim, keep)
            ours = getattr(Q, fn)(t64(x), dim, keep)
            if fn == "mode" and np.isnan(x).any():
                continue  # PyTorch's index among nans follows its unstable sort
            np.testing.assert_array_equal(ours.values.data, expected.values.numpy())
            np.testing.assert_array_equal(ours.indices.data, expected.indices.numpy())
        # nanmedian of everything, and its gradient (shared among ties)
        xt, xo = torch.tensor(x, requires_grad=True), t64(x, requires_grad=True)
        torch.nanmedian(xt).backward()
        Q.nanmedian(xo).backward()
        np.testing.assert_array_equal(xo.grad.data, xt.grad.numpy())
        bounds = np.sort(x, 1)
        for right in (False, True):
            expected = torch.searchsorted(torch.tensor(bounds), torch.tensor(x), right=right)
            np.testing.assert_array_equal(
                S.searchsorted(t64(bounds), t64(x), right=right).data, expected.numpy()
            )
