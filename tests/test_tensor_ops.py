"""Ops a PyTorch user reaches for beyond API.md's list: their values, edge cases and errors.

gather, sort, argsort, topk; select, narrow, index_select, masked_select,
tril, triu; split, chunk, unbind, unflatten; repeat, tile; cumsum, prod,
norm; log1p, expm1. Their gradients are checked against finite
differences by the op table (tests/op_table.py); this file checks what the
table cannot: values against NumPy, ties, zeros, dtypes and errors.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg

X = np.array([[3.0, 1.0, 2.0], [1.0, 1.0, 0.0]])


def test_gather_picks_along_a_dim_and_scatters_the_gradient_back():
    x = tg.tensor(X, requires_grad=True)
    index = tg.tensor([[0, 0, 2], [1, 2, 1]])
    y = x.gather(1, index)
    np.testing.assert_array_equal(y.data, np.take_along_axis(X, index.data, axis=1))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[2.0, 0.0, 1.0], [0.0, 2.0, 1.0]])  # picked twice: 2
    # the index may be longer than x along the gathered dim, not along the others
    assert tg.gather(x, 1, tg.tensor([[0, 1, 2, 0]] * 2)).shape == (2, 4)
    np.testing.assert_array_equal(x.gather(0, tg.tensor([[1, 0, 1]])).data, [[1.0, 1.0, 0.0]])
    assert tg.tensor(5.0).gather(0, tg.tensor([0, 0])).tolist() == [5.0, 5.0]


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ([[0], [3]], "index 3 is out of bounds for dimension 1 with size 3"),
        ([[0], [-1]], "index -1 is out of bounds"),
        ([0, 1], "same number of dimensions"),
        ([[0.0]], "Expected dtype int32/int64 for index"),
        ([[0], [0], [0]], r"expected index \(3, 1\) to be no larger than self \(2, 3\)"),
    ],
)
def test_gather_errors_name_the_problem(index, message):
    x = tg.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match=message):
        x.gather(1, tg.tensor(index))
    assert x.grad_fn is None and x.grad is None


def test_sort_is_stable_both_ways_and_topk_takes_the_first_k():
    x = tg.tensor(X, requires_grad=True)
    values, indices = x.sort(1)
    np.testing.assert_array_equal(values.data, np.sort(X, axis=1))
    np.testing.assert_array_equal(indices.data, [[1, 2, 0], [2, 0, 1]])
    # descending keeps equal elements in their order (PyTorch's stable=True)
    np.testing.assert_array_equal(x.sort(1, descending=True).indices.data, [[0, 2, 1], [0, 1, 2]])
    np.testing.assert_array_equal(tg.argsort(x, 0).data, [[1, 0, 1], [0, 1, 0]])
    top = tg.topk(x, 2, dim=1, largest=False)
    np.testing.assert_array_equal(top.values.data, [[1.0, 2.0], [0.0, 1.0]])
    np.testing.assert_array_equal(top.indices.data, [[1, 2], [2, 0]])
    top.values.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0.0, 1.0, 1.0], [1.0, 0.0, 1.0]])
    # integers and booleans sort too (a boolean descending sort must not negate a bool)
    assert tg.tensor([3, 1, 2]).sort(descending=True).values.tolist() == [3, 2, 1]
    assert tg.tensor([False, True, False]).argsort(descending=True).tolist() == [1, 0, 2]
    assert tg.tensor(4.0).sort().values.item() == 4.0 and tg.tensor(4.0).topk(1).indices.item() == 0


def test_topk_k_out_of_range_raises():
    with pytest.raises(RuntimeError, match="selected index k out of range"):
        tg.tensor(X).topk(4)
    assert tg.tensor(X).topk(0).values.shape == (2, 0)


def test_max_along_a_dim_still_gives_values_and_indices():
    values, indices = tg.max(tg.tensor(X), 1)
    assert values.tolist() == [3.0, 1.0] and indices.tolist() == [0, 0]


def test_split_chunk_unbind_cut_into_views_whose_gradients_meet():
    x = tg.tensor(np.arange(10.0).reshape(2, 5), requires_grad=True)
    pieces = x.split(2, dim=1)
    assert [p.shape for p in pieces] == [(2, 2), (2, 2), (2, 1)]
    assert [p.shape for p in tg.split(x, [1, 4], 1)] == [(2, 1), (2, 4)]
    assert [p.shape for p in x.chunk(3, 1)] == [(2, 2), (2, 2), (2, 1)]
    assert len(tg.arange(6).chunk(4)) == 3  # ceil(6/4) = 2 per piece: 3 pieces, as PyTorch
    rows = x.unbind(0)
    assert len(rows) == 2 and rows[1].tolist() == [5.0, 6.0, 7.0, 8.0, 9.0]
    (pieces[0].sum() + 2 * pieces[2].sum() + 3 * rows[0].sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [[4, 4, 3, 3, 5], [1, 1, 0, 0, 2]])
    # views, as in PyTorch: writing into a piece writes into x
    y = tg.arange(4.0)
    a, _ = y.split(2)
    a += 10
    assert y.tolist() == [10.0, 11.0, 2.0, 3.0]
    assert [p.shape for p in tg.zeros(0, 3).split(2)] == [(0, 3)]


def test_split_chunk_unbind_errors():
    x = tg.tensor(X)
    with pytest.raises(RuntimeError, match=r"sum exactly to 3 .*split_sizes=\[1, 1, 2\]"):
        x.split([1, 1, 2], 1)
    with pytest.raises(RuntimeError, match="split_size must be positive"):
        x.split(0, 1)
    with pytest.raises(RuntimeError, match="chunk expects `chunks` to be greater than 0"):
        x.chunk(0)
    with pytest.raises(IndexError, match="Dimension out of range"):
        x.unbind(2)


def test_repeat_and_tile_match_numpys_tile_and_sum_the_copies_gradients():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = tg.tensor(a, requires_grad=True)
    np.testing.assert_array_equal(x.repeat(2, 3).data, np.tile(a, (2, 3)))
    np.testing.assert_array_equal(x.repeat(2, 1, 1).data, np.tile(a, (2, 1, 1)))
    np.testing.assert_array_equal(tg.tile(x, (3,)).data, np.tile(a, 3))
    x.repeat(2, 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.full((2, 2), 6.0))
    with pytest.raises(RuntimeError, match="can not be smaller than number of dimensions"):
        x.repeat(2)


def test_cumsum_values_dtypes_and_gradient():
    x = tg.tensor(X, requires_grad=True)
    np.testing.assert_array_equal(x.cumsum(-1).data, np.cumsum(X, axis=-1))
    x.cumsum(1).sum().backward()
    np.testing.assert_array_equal(
        x.grad.data, [[3.0, 2.0, 1.0], [3.0, 2.0, 1.0]]
    )  # later sums count earlier x
    assert tg.tensor([1, 2], dtype=tg.int32).cumsum(0).dtype == np.int64  # as PyTorch
    assert tg.tensor([True, True]).cumsum(0).tolist() == [1, 2]
    assert tg.tensor([1, 2]).cumsum(0, dtype=tg.float64).dtype == np.float64
    assert tg.tensor(2.0).cumsum(0).item() == 2.0


def test_prod_gradient_is_exact_at_zeros():
    x = tg.tensor([[2.0, 3.0, 4.0], [2.0, 0.0, 4.0], [0.0, 3.0, 0.0]], requires_grad=True)
    y = x.prod(1)
    assert y.tolist() == [24.0, 0.0, 0.0]
    y.backward(tg.tensor([1.0, 1.0, 1.0]))
    # d/dx_i = the product of the others: at the one zero, the product of the rest
    np.testing.assert_array_equal(x.grad.data, [[12.0, 8.0, 6.0], [0.0, 8.0, 0.0], [0.0, 0.0, 0.0]])
    assert x.prod(0, keepdim=True).shape == (1, 3) and tg.prod(x).item() == 0.0
    assert tg.tensor([2, 3], dtype=tg.int32).prod().dtype == np.int64
    with pytest.raises(TypeError, match="dim must be an int or None"):
        x.prod((0, 1))


def test_norm_matches_numpy_and_has_gradient_zero_at_zero():
    x = tg.tensor(X, requires_grad=True)
    assert np.isclose(x.norm().item(), np.linalg.norm(X))
    np.testing.assert_allclose(x.norm(dim=1).data, np.linalg.norm(X, axis=1))
    np.testing.assert_allclose(x.norm(3, dim=0, keepdim=True).data, [np.sum(np.abs(X) ** 3, 0) ** (1 / 3)])
    assert x.norm(1).item() == 8.0 and x.norm(float("inf")).item() == 3.0 and x.norm(0).item() == 5.0
    zero = tg.zeros(3, requires_grad=True)
    zero.norm().backward()
    assert zero.grad.tolist() == [0.0, 0.0, 0.0]  # not nan, as PyTorch
    with pytest.raises(RuntimeError, match="floating point"):
        tg.tensor([1, 2]).norm()
    with pytest.raises(ValueError, match="p must be a number"):
        x.norm("nuc")


def test_log1p_and_expm1_keep_precision_for_tiny_inputs():
    x = tg.tensor([1e-12, 0.5], dtype=tg.float64)
    assert x.log1p().tolist() == [np.log1p(1e-12), np.log1p(0.5)] and x.log1p().data[0] != 0.0
    assert x.expm1().tolist() == [np.expm1(1e-12), np.expm1(0.5)]
    assert tg.tensor([1, 2]).log1p().dtype == np.float32  # integers give the default float dtype


def test_select_narrow_index_select_masked_select():
    x = tg.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    assert x.select(1, -1).tolist() == [3.0, 7.0, 11.0] and tg.select(x, 0, 1).tolist() == [
        4.0,
        5.0,
        6.0,
        7.0,
    ]
    assert x.narrow(1, 1, 2).tolist() == [[1.0, 2.0], [5.0, 6.0], [9.0, 10.0]]
    assert x.index_select(0, tg.tensor([2, 0, 2])).shape == (3, 4)
    assert x.index_select(1, tg.tensor(3)).shape == (3, 1)  # a 0-d index counts as one position
    assert x.masked_select(tg.tensor([True, False, False, True])).tolist() == [0.0, 3.0, 4.0, 7.0, 8.0, 11.0]
    (x.index_select(0, tg.tensor([2, 0, 2])).sum() + x.narrow(1, 3, 1).sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [[1, 1, 1, 2], [0, 0, 0, 1], [2, 2, 2, 3]])
    with pytest.raises(IndexError, match=r"select\(\): index 4 out of range"):
        x.select(1, 4)
    with pytest.raises(RuntimeError, match=r"start \(3\) \+ length \(2\) exceeds dimension size \(4\)"):
        x.narrow(1, 3, 2)
    with pytest.raises(IndexError, match="supposed to be a vector"):
        x.index_select(1, tg.tensor([[0]]))
    with pytest.raises(IndexError, match="index 4 is out of bounds for dimension 1"):
        x.index_select(1, tg.tensor([4]))
    with pytest.raises(RuntimeError, match="expected a boolean mask"):
        x.masked_select(tg.tensor([1, 0, 0, 1]))


def test_tril_triu_keep_a_triangle_and_its_gradient():
    a = np.arange(1.0, 13.0).reshape(3, 4)
    x = tg.tensor(a, requires_grad=True)
    np.testing.assert_array_equal(x.tril().data, np.tril(a))
    np.testing.assert_array_equal(tg.triu(x, 1).data, np.triu(a, 1))
    np.testing.assert_array_equal(x.tril(-1).data, np.tril(a, -1))
    np.testing.assert_array_equal(
        tg.arange(8).reshape(2, 2, 2).triu().data, np.triu(np.arange(8).reshape(2, 2, 2))
    )
    x.triu().sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.triu(np.ones((3, 4))))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        tg.ones(3).tril()


def test_unflatten_undoes_flatten():
    x = tg.arange(24).reshape(2, 12)
    assert x.unflatten(1, (3, -1)).shape == (2, 3, 4) and x.unflatten(-1, [2, 2, 3]).shape == (2, 2, 2, 3)
    np.testing.assert_array_equal(x.unflatten(1, (3, 4)).flatten(1).data, x.data)
    with pytest.raises(RuntimeError, match=r"sizes \[5, -1\] don't multiply up to the size of dim 1 \(12\)"):
        x.unflatten(1, (5, -1))


# Each case runs unchanged on torch and on tinygrad_edu (`lib` is either module).
TORCH_CASES = {
    "gather": lambda x, lib: x.gather(1, lib.tensor([[0, 0, 3], [1, 2, 1], [3, 3, 3]])),
    "sort": lambda x, lib: x.sort(1, descending=True).values * lib.arange(4.0).double(),
    "topk": lambda x, lib: x.topk(2, 0).values,
    "split": lambda x, lib: x.split([1, 3], 1)[1] * 2,
    "chunk": lambda x, lib: x.chunk(3, 0)[2] ** 2,
    "unbind": lambda x, lib: x.unbind(1)[2] * 3,
    "repeat": lambda x, lib: x.repeat(2, 1, 3),
    "index_select": lambda x, lib: x.index_select(1, lib.tensor([3, 0, 3])),
    "narrow": lambda x, lib: x.narrow(0, 1, 2) * 2,
    "select": lambda x, lib: x.select(1, -1) ** 2,
    "masked_select": lambda x, lib: x.masked_select(x > 0),
    "tril": lambda x, lib: x.tril(1) * x,
    "triu": lambda x, lib: lib.triu(x, -1) ** 2,
    "unflatten": lambda x, lib: x.unflatten(1, (2, -1)) * 3,
    "tile": lambda x, lib: x.tile((2,)),
    "cumsum": lambda x, lib: x.cumsum(1) * x,
    "prod": lambda x, lib: x.prod(1),
    "prod_all": lambda x, lib: x.prod(),
    "norm": lambda x, lib: x.norm(),
    "norm_p3": lambda x, lib: x.norm(3, dim=1),
    "norm_inf": lambda x, lib: x.norm(float("inf"), dim=0),
    "log1p": lambda x, lib: (x * x).log1p(),
    "expm1": lambda x, lib: x.expm1(),
}


@pytest.mark.parametrize("name", sorted(TORCH_CASES))
def test_values_and_gradients_match_torch(name):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4))
    a[1, 2] = a[2, 0] = a[2, 3] = 0.0  # rows with one zero and with two (prod's hard cases)
    fn = TORCH_CASES[name]
    xt = torch.tensor(a, requires_grad=True)
    yt = fn(xt, torch)
    upstream = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch.tensor(upstream))
    x = tg.tensor(a, requires_grad=True)
    y = fn(x, tg)
    y.backward(tg.tensor(upstream))
    np.testing.assert_allclose(y.data, yt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, xt.grad.numpy(), rtol=1e-12, atol=1e-15)
