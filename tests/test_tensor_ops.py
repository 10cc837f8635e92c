"""Ops a PyTorch user reaches for beyond API.md's list: their values, edge cases and errors.

gather, scatter, scatter_add, index_add, sort, argsort, topk; select, narrow,
index_select, masked_select, tril, triu; split, chunk, unbind, unflatten;
repeat, tile; cumsum, prod, norm; log1p, expm1; bmm, einsum. Their gradients are checked against finite
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
        (np.array([[0], [1]], dtype=np.int16), "Expected dtype int32/int64 for index, got int16"),
        ([[0], [0], [0]], r"expected index \(3, 1\) to be no larger than self \(2, 3\)"),
    ],
)
def test_gather_errors_name_the_problem(index, message):
    x = tg.tensor(X, requires_grad=True)
    with pytest.raises(RuntimeError, match=message):
        x.gather(1, tg.tensor(index))
    assert x.grad_fn is None and x.grad is None


INDEX = np.array([[0, 1, 2, 0], [2, 0, 1, 1]])  # column 0 writes rows 0 and 2, column 3 row 0 and 1


def test_scatter_writes_where_gather_would_read_and_splits_the_gradient():
    x = tg.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    src = tg.tensor(np.arange(100.0, 112.0).reshape(3, 4), requires_grad=True)  # its last row is unused
    y = x.scatter(0, tg.tensor(INDEX), src)
    expected = x.data.copy()
    np.put_along_axis(expected, INDEX, src.data[:2], axis=0)
    np.testing.assert_array_equal(y.data, expected)
    assert y.dtype == np.float64 and y.grad_fn is not None
    g = np.arange(1.0, 13.0).reshape(3, 4)
    y.backward(tg.tensor(g))
    written = np.zeros((3, 4), dtype=bool)
    np.put_along_axis(written, INDEX, True, axis=0)
    np.testing.assert_array_equal(x.grad.data, np.where(written, 0.0, g))  # overwritten: no gradient
    np.testing.assert_array_equal(src.grad.data[:2], np.take_along_axis(g, INDEX, axis=0))
    np.testing.assert_array_equal(src.grad.data[2], [0.0, 0.0, 0.0, 0.0])
    # along dim 1, the function form, and a 0-d self taken as a one-element vector (as PyTorch)
    row = tg.scatter(tg.zeros(2, 3), 1, tg.tensor([[2], [0]]), tg.tensor([[5.0], [6.0]]))
    assert row.tolist() == [[0.0, 0.0, 5.0], [6.0, 0.0, 0.0]]
    assert tg.tensor(1.0).scatter(0, tg.tensor(0), tg.tensor(5.0)).item() == 5.0
    assert tg.zeros(3).scatter(0, tg.tensor(1), tg.tensor(5.0)).tolist() == [0.0, 5.0, 0.0]


def test_scatter_with_reduce_combines_with_what_is_there_as_pytorchs_older_form():
    ones, index = tg.ones(2, 3), tg.tensor([[0, 0, 1]])
    assert ones.scatter(0, index, tg.tensor([[1.0, 2.0, 3.0]]), reduce="add").tolist() == [
        [2.0, 3.0, 1.0],
        [1.0, 1.0, 4.0],
    ]
    repeated = tg.zeros(3).scatter(0, tg.tensor([1, 1, 2, 1]), tg.tensor([1.0, 2.0, 3.0, 4.0]), reduce="add")
    assert repeated.tolist() == [0.0, 7.0, 3.0]  # every value lands, where plain scatter keeps one
    twice = ones.clone().scatter_(0, index, 2.0, reduce="multiply")  # a number at every named place
    assert twice.tolist() == [[2.0, 2.0, 1.0], [1.0, 1.0, 2.0]]
    with pytest.raises(RuntimeError, match="reduce argument must be either add or multiply"):
        ones.scatter(0, index, 2.0, reduce="mean")
    x = tg.tensor(np.linspace(0.5, 2.0, 6).reshape(2, 3), requires_grad=True)  # (PyTorch: no gradient)
    assert tg.testing.gradcheck(lambda t: t.scatter(0, index, t[:1] * 2.0, reduce="multiply"), [x])


def test_scatter_of_a_value_takes_selfs_dtype():
    index = tg.tensor([[0, 2]])
    assert tg.zeros(2, 3).scatter(1, index, 2.5).tolist() == [[2.5, 0.0, 2.5], [0.0, 0.0, 0.0]]
    assert tg.zeros(2, 3).scatter(1, index, value=2.5).tolist() == [[2.5, 0.0, 2.5], [0.0, 0.0, 0.0]]
    ints = tg.zeros(3, dtype=tg.int64).scatter(0, tg.tensor([1]), 2.7)
    assert ints.dtype == np.int64 and ints.tolist() == [0, 2, 0]  # cast as PyTorch casts: truncated
    assert tg.zeros(3, dtype=tg.bool).scatter(0, tg.tensor([1]), True).tolist() == [False, True, False]
    x = tg.ones(3, requires_grad=True)
    x.scatter(0, tg.tensor([0, 2]), 0.5).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]


def test_scatter_gives_every_copy_of_a_repeated_place_the_gradient_as_pytorch():
    src = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = tg.zeros(3).scatter(0, tg.tensor([1, 1, 1]), src)
    assert y.data[1] in (1.0, 2.0, 3.0) and y.data[0] == y.data[2] == 0.0  # one of them lands
    y.backward(tg.tensor([0.0, 7.0, 0.0]))
    assert src.grad.tolist() == [7.0, 7.0, 7.0]


def test_scatter_add_adds_repeated_places_up():
    x = tg.tensor(np.ones((3, 4)), requires_grad=True)
    src = tg.tensor(np.arange(8.0).reshape(2, 4), requires_grad=True)
    y = tg.scatter_add(x, 0, tg.tensor(INDEX), src)
    expected = np.ones((3, 4))
    np.add.at(expected, (INDEX, np.arange(4)), src.data)
    np.testing.assert_array_equal(y.data, expected)
    assert tg.zeros(3).scatter_add(0, tg.tensor([1, 1, 0]), tg.tensor([1.0, 2.0, 4.0])).tolist() == [
        4.0,
        3.0,
        0.0,
    ]
    g = np.arange(1.0, 13.0).reshape(3, 4)
    y.backward(tg.tensor(g))
    np.testing.assert_array_equal(x.grad.data, g)
    np.testing.assert_array_equal(src.grad.data, np.take_along_axis(g, INDEX, axis=0))
    ints = tg.zeros(3, dtype=tg.int64).scatter_add(0, tg.tensor([1, 1]), tg.tensor([2, 3]))
    assert ints.dtype == np.int64 and ints.tolist() == [0, 5, 0]


def test_scatter_in_place_forms():
    b = tg.zeros(3, 4)
    assert b.scatter_(0, tg.tensor(INDEX), 2.0) is b
    expected = np.zeros((3, 4), np.float32)
    np.put_along_axis(expected, INDEX, 2.0, axis=0)
    np.testing.assert_array_equal(b.data, expected)
    b.scatter_add_(0, tg.tensor(INDEX), tg.ones(2, 4))
    np.add.at(expected, (INDEX, np.arange(4)), 1.0)
    np.testing.assert_array_equal(b.data, expected)
    b.scatter_(1, tg.tensor([[3], [3], [3]]), tg.full((3, 1), 9.0))
    assert b[:, 3].tolist() == [9.0, 9.0, 9.0]
    # on a non-leaf the gradient is the out-of-place op's
    w = tg.tensor(np.arange(1.0, 5.0), requires_grad=True)
    src = tg.tensor(np.array([10.0, 20.0]), requires_grad=True)
    y = w * 2.0
    y.scatter_(0, tg.tensor([3, 0]), src)
    y.scatter_add_(0, tg.tensor([1, 1]), src)
    assert y.tolist() == [20.0, 34.0, 6.0, 10.0]
    (y * tg.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    assert w.grad.tolist() == [0.0, 4.0, 6.0, 0.0] and src.grad.tolist() == [6.0, 3.0]
    leaf = tg.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        leaf.scatter_(0, tg.tensor([0]), 1.0)
    # a tensor saved for backward and then scattered into makes backward raise
    z = tg.ones(3, requires_grad=True) * 1.0
    out = z * z
    z.scatter_(0, tg.tensor([0]), 5.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda x, s: x.scatter(0, tg.tensor([[0.0]]), s), RuntimeError, "scatter.*int32/int64 for index"),
        (lambda x, s: x.scatter(0, tg.tensor(np.array([[0]], np.int16)), s), RuntimeError, "got int16"),
        (lambda x, s: x.scatter(0, tg.tensor([[0]]), s.float()), RuntimeError, "self.dtype to be equal"),
        (lambda x, s: x.scatter(0, tg.tensor([0]), s), RuntimeError, r"same number of dimensions as self"),
        (
            lambda x, s: x.scatter(0, tg.tensor([[0]]), tg.ones(4, dtype=tg.float64)),
            RuntimeError,
            r"as src tensor \(index \(1, 1\)",
        ),
        (
            lambda x, s: x.scatter(0, tg.zeros(4, 4, dtype=tg.int64), s),
            RuntimeError,
            r"index \(4, 4\) to be no larger than self \(3, 4\) apart from dimension 0 .*src \(2, 4\)",
        ),
        (
            lambda x, s: x.scatter(1, tg.zeros(4, 1, dtype=tg.int64), tg.ones(5, 5, dtype=tg.float64)),
            RuntimeError,
            r"index \(4, 1\) to be no larger than self \(3, 4\) apart from dimension 1",
        ),
        (
            lambda x, s: x.scatter(1, tg.zeros(2, 5, dtype=tg.int64), s),
            RuntimeError,
            r"index \(2, 5\) to be no larger than self \(3, 4\) apart from dimension 1",
        ),
        (
            lambda x, s: x.scatter(0, tg.tensor([[5]]), s),
            RuntimeError,
            "index 5 is out of bounds for dimension 0",
        ),
        (lambda x, s: x.scatter(0, tg.tensor([[-1]]), s), RuntimeError, "index -1 is out of bounds"),
        (lambda x, s: x.scatter(2, tg.tensor([[0]]), s), IndexError, "Dimension out of range"),
        (lambda x, s: x.scatter(0, tg.tensor([[0]])), TypeError, "exactly one of src"),
        (lambda x, s: x.scatter(0, tg.tensor([[0]]), s, value=1.0), TypeError, "exactly one of src"),
        (
            lambda x, s: x.scatter_add(0, tg.tensor([[0]]), 1.0),
            TypeError,
            "'src' .* must be Tensor, not float",
        ),
        (
            lambda x, s: x.scatter_add(0, tg.tensor([[3]]), s),
            RuntimeError,
            r"scatter_add\(\): index 3 is out",
        ),
        (lambda x, s: x.scatter_(0, tg.tensor([[3]]), s), RuntimeError, r"index 3 is out of bounds"),
    ],
)
def test_scatter_errors_name_the_problem(call, error, message):
    x = tg.tensor(np.zeros((3, 4)), requires_grad=True) * 1.0
    src = tg.tensor(np.ones((2, 4)), requires_grad=True)
    before = x.data.copy()
    with pytest.raises(error, match=message):
        call(x, src)
    np.testing.assert_array_equal(x.data, before)  # nothing written


def test_index_add_adds_slices_where_index_says_and_repeats_add_up():
    x = tg.tensor(np.ones((3, 4)), requires_grad=True)
    source = tg.tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    index = np.array([2, 0, 2])  # row 2 gets two rows of source, row 1 none
    y = x.index_add(0, tg.tensor(index), source, alpha=-0.5)
    expected = np.ones((3, 4))
    np.add.at(expected, index, -0.5 * source.data)
    np.testing.assert_array_equal(y.data, expected)
    g = np.arange(1.0, 13.0).reshape(3, 4)
    y.backward(tg.tensor(g))
    np.testing.assert_array_equal(x.grad.data, g)  # dL/dx = dL/dy
    np.testing.assert_array_equal(source.grad.data, -0.5 * g[index])  # alpha dL/dy[index]
    # along dim 1 and -1, the function form, a 0-d index, a 0-d self, an empty index
    cols = tg.index_add(tg.zeros(2, 3), 1, tg.tensor([2, 2, 0]), tg.ones(2, 3), alpha=2)
    assert cols.tolist() == [[2.0, 0.0, 4.0]] * 2
    assert tg.zeros(2, 3).index_add(-1, tg.tensor([1]), tg.ones(2, 1)).tolist() == [[0.0, 1.0, 0.0]] * 2
    assert tg.zeros(3).index_add(0, tg.tensor(1), tg.ones(1)).tolist() == [0.0, 1.0, 0.0]
    assert tg.tensor(1.0).index_add(0, tg.tensor([0]), tg.tensor(2.0)).item() == 3.0
    empty = tg.tensor(np.array([], dtype=np.int64))
    assert tg.ones(2).index_add(0, empty, tg.ones(0)).tolist() == [1.0, 1.0]
    # on integers alpha is truncated first, as in PyTorch: 0.5 adds nothing, -1.7 adds -1 times
    ints = tg.zeros(3, dtype=tg.int64)
    assert ints.index_add(0, tg.tensor([1, 1]), tg.tensor([2, 3]), alpha=2).tolist() == [0, 10, 0]
    assert ints.index_add(0, tg.tensor([1, 1]), tg.tensor([2, 3]), alpha=0.5).tolist() == [0, 0, 0]
    small = tg.zeros(3, dtype=tg.int32).index_add(0, tg.tensor([1]), tg.tensor(np.int32([2])), alpha=-1.7)
    assert small.dtype == np.int32 and small.tolist() == [0, -2, 0]
    # only source on the graph: its gradient still comes back
    src = tg.tensor(np.array([1.0, 2.0]), requires_grad=True)
    tg.zeros(3, dtype=tg.float64).index_add(0, tg.tensor([0, 0]), src, alpha=3).sum().backward()
    assert src.grad.tolist() == [3.0, 3.0]


def test_index_add_in_place_forms():
    b = tg.zeros(2, 3)
    assert b.index_add_(1, tg.tensor([0, 0]), tg.ones(2, 2)) is b
    assert b.tolist() == [[2.0, 0.0, 0.0]] * 2
    # on a non-leaf the gradient is the out-of-place op's
    w = tg.tensor(np.arange(1.0, 4.0), requires_grad=True)
    src = tg.tensor(np.array([10.0, 20.0]), requires_grad=True)
    y = w * 2.0
    y.index_add_(0, tg.tensor([2, 2]), src, alpha=0.5)
    assert y.tolist() == [2.0, 4.0, 21.0]
    (y * tg.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert w.grad.tolist() == [2.0, 4.0, 6.0] and src.grad.tolist() == [1.5, 1.5]
    leaf = tg.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        leaf.index_add_(0, tg.tensor([0]), tg.ones(1))
    z = tg.ones(3, requires_grad=True) * 1.0
    out = z * z
    z.index_add_(0, tg.tensor([0]), tg.ones(1))
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
    with pytest.raises(TypeError, match="takes 4 positional arguments"):  # alpha is keyword-only
        tg.zeros(3).index_add(0, tg.tensor([0]), tg.ones(1), 2)


# (call(x, source, lib), error, message): x is (3, 4) float64, source (2, 4) float64
INDEX_ADD_ERRORS = [
    (lambda x, s, lib: x.index_add(0, lib.tensor([[0, 1]]), s), IndexError, "supposed to be a vector"),
    (lambda x, s, lib: x.index_add(0, lib.tensor([[0.0, 1.0]]), s), IndexError, "got dim: 2"),
    (lambda x, s, lib: x.index_add(0, lib.tensor([0.0, 1.0]), s), RuntimeError, "int32/int64 for index"),
    (lambda x, s, lib: x.index_add(0, lib.tensor([True, False]), s), RuntimeError, "got: bool"),
    (lambda x, s, lib: x.index_add(0, lib.tensor([0, 1]), s.float()), RuntimeError, "same scalar type"),
    (
        lambda x, s, lib: x.index_add(0, lib.tensor([0, 1, 2]), s),
        RuntimeError,
        r"Number of indices \(3\) should be equal to source.size\(dim\): \(2\)",
    ),
    (
        lambda x, s, lib: x.index_add(0, lib.tensor([0, 1]), s[:, :3]),
        RuntimeError,
        r"source tensor shape must match self tensor shape.*\(3, 4\) source.shape = \(2, 3\)",
    ),
    (lambda x, s, lib: x.index_add(0, lib.tensor([0, 1]), s[None]), RuntimeError, "must match self"),
    (lambda x, s, lib: x.index_add(0, lib.tensor([0, 3]), s), RuntimeError, "index 3 is out of bounds"),
    (lambda x, s, lib: x.index_add(0, lib.tensor([-1, 0]), s), RuntimeError, "index -1 is out of bounds"),
    (lambda x, s, lib: x.index_add(2, lib.tensor([0, 1]), s), IndexError, "Dimension out of range"),
    (lambda x, s, lib: x.index_add(0, lib.tensor([0, 1]), 1.0), TypeError, "'source' .* not float"),
    (lambda x, s, lib: x.index_add_(0, lib.tensor([0, 5]), s), RuntimeError, "index 5 is out of bounds"),
]


@pytest.mark.parametrize(("call", "error", "message"), INDEX_ADD_ERRORS)
def test_index_add_errors_name_the_problem(call, error, message):
    x = tg.tensor(np.zeros((3, 4)), requires_grad=True) * 1.0
    source = tg.tensor(np.ones((2, 4)), requires_grad=True)
    with pytest.raises(error, match=message):
        call(x, source, tg)
    assert x.tolist() == np.zeros((3, 4)).tolist() and x.grad_fn.name() == "MulBackward"


def test_index_add_errors_are_torchs_types():
    torch = pytest.importorskip("torch")
    for call, error, _ in INDEX_ADD_ERRORS:
        x = torch.zeros(3, 4, dtype=torch.float64, requires_grad=True) * 1.0
        with pytest.raises(error):
            call(x, torch.ones(2, 4, dtype=torch.float64, requires_grad=True), torch)


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_index_add_into_a_vector_raises_index_error_as_torch(lib_name):
    lib = pytest.importorskip(lib_name)
    x = lib.zeros(3, dtype=lib.float64)
    for index in (3, -1):
        message = "out of range" if lib_name == "torch" else f"index {index} is out of bounds"
        with pytest.raises(IndexError, match=message):
            x.index_add(0, lib.tensor([index]), lib.ones(1, dtype=lib.float64))
    assert x.tolist() == [0.0, 0.0, 0.0]


def test_bmm_multiplies_batches_of_matrices_and_broadcasts_nothing():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 4, 5))
    x, y = tg.tensor(a, requires_grad=True), tg.tensor(b, requires_grad=True)
    z = tg.bmm(x, y)
    np.testing.assert_allclose(z.data, a @ b, rtol=1e-12)
    assert z.grad_fn.name() == "MatMulBackward"
    g = rng.standard_normal((2, 3, 5))
    z.backward(tg.tensor(g))
    np.testing.assert_allclose(x.grad.data, g @ b.transpose(0, 2, 1), rtol=1e-12)
    np.testing.assert_allclose(y.grad.data, a.transpose(0, 2, 1) @ g, rtol=1e-12)
    assert x.bmm(y).shape == (2, 3, 5) and tg.bmm(tg.zeros(0, 3, 4), tg.zeros(0, 4, 5)).shape == (0, 3, 5)
    ints = tg.ones(1, 2, 2, dtype=tg.int64).bmm(tg.ones(1, 2, 2, dtype=tg.int64))
    assert ints.dtype == np.int64 and ints.tolist() == [[[2, 2], [2, 2]]]


@pytest.mark.parametrize(
    ("a", "b", "error", "message"),
    [
        ((3, 4), (2, 4, 5), RuntimeError, r"batch1 must be a 3D tensor, got shape \(3, 4\)"),
        ((2, 3, 4), (1, 2, 4, 5), RuntimeError, "batch2 must be a 3D tensor"),
        ((2, 3, 4), (3, 4, 5), RuntimeError, r"to be: \[2, 4\] but got: \[3, 4\]"),
        ((2, 3, 4), (1, 4, 5), RuntimeError, r"to be: \[2, 4\] but got: \[1, 4\]"),  # no broadcasting
        ((2, 3, 4), (2, 3, 5), RuntimeError, r"to be: \[2, 4\] but got: \[2, 3\] \(batch1 \(2, 3, 4\)"),
    ],
)
def test_bmm_errors_are_pytorchs(a, b, error, message):
    with pytest.raises(error, match=message):
        tg.bmm(tg.zeros(a), tg.zeros(b))


def test_bmm_refuses_two_dtypes_and_non_tensors():
    with pytest.raises(RuntimeError, match="same dtype, got float32 and float64"):
        tg.bmm(tg.zeros(1, 2, 2), tg.zeros(1, 2, 2, dtype=tg.float64))
    with pytest.raises(TypeError, match=r"'mat2' \(position 2\) must be Tensor, not list"):
        tg.bmm(tg.zeros(1, 2, 2), [[[1.0, 0.0], [0.0, 1.0]]])


EINSUM_CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("ij,jk", [(3, 4), (4, 5)]),  # implicit: the letters that appear once, alphabetically
    ("ji", [(3, 4)]),  # implicit output "ij": a transpose
    ("iJ", [(3, 4)]),  # upper case sorts first: "Ji"
    ("ii", [(3, 3)]),  # trace
    ("ii->i", [(3, 3)]),  # diagonal
    ("iij->j", [(3, 3, 2)]),
    ("iji->j", [(3, 2, 3)]),
    ("ij->", [(3, 4)]),
    ("i,i", [(4,), (4,)]),
    ("i,j->ij", [(3,), (4,)]),
    (" bij , bjk -> bik ", [(2, 3, 4), (2, 4, 5)]),
    ("ij,kj,kl->il", [(2, 3), (4, 3), (4, 2)]),
    ("ij,ij->ij", [(3, 1), (3, 4)]),  # a size-1 dim broadcasts
    ("...ij->...ji", [(2, 3, 4)]),
    ("...ii->...i", [(2, 3, 3)]),
    ("i...,i...->...", [(2, 3, 4), (2, 1, 4)]),
    ("...i,...i", [(2, 3), (3,)]),  # implicit: the ellipsis dims first
    ("...,...->...", [(2, 3, 4), (3, 1)]),  # "..." dims align from the right
    ("i...", [(2, 3, 5)]),
    ("...i->i", [(2, 3)]),  # ellipsis dims left out of the output are summed
    ("ij->...", [(3, 4)]),
    (",i->i", [(), (4,)]),
    ("", [()]),
    ("ij,jk->ik", [(3, 0), (0, 5)]),
]


@pytest.mark.parametrize(("equation", "shapes"), EINSUM_CASES, ids=[c[0] for c in EINSUM_CASES])
def test_einsum_values_match_numpy(equation, shapes):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in shapes]
    y = tg.einsum(equation, *[tg.tensor(a) for a in arrays])
    # NumPy needs PyTorch's implicit "..." spelled out, a letter for summed "..." dims, no spaces
    numpy_equation = {"...i,...i": "...i,...i->...", "i...": "i...->...i", "...i->i": "ai->i"}
    numpy_equation = numpy_equation.get(equation, equation)
    expected = np.einsum(numpy_equation.replace(" ", ""), *arrays)
    assert y.shape == np.shape(expected) and y.dtype == np.float64
    np.testing.assert_allclose(y.data, expected, rtol=1e-12, atol=1e-12)


def test_einsum_gradient_of_each_operand_is_an_einsum():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 5))
    x, y = tg.tensor(a, requires_grad=True), tg.tensor(b, requires_grad=True)
    z = tg.einsum("ij,jk->ik", x, y)
    assert z.grad_fn.name() == "EinsumBackward"
    g = rng.standard_normal((3, 5))
    gx, gy = tg.autograd.grad(z, [x, y], tg.tensor(g), create_graph=True)
    np.testing.assert_allclose(gx.data, g @ b.T, rtol=1e-12)
    np.testing.assert_allclose(gy.data, a.T @ g, rtol=1e-12)
    assert gx.grad_fn.name() == "EinsumBackward" and gy.grad_fn.name() == "EinsumBackward"
    m = tg.tensor(rng.standard_normal((3, 3)), requires_grad=True)
    tg.einsum("ii->i", m).backward(tg.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(m.grad.data, np.diag([1.0, 2.0, 3.0]))  # the diagonal only
    # a dim of size 1 broadcasts, also against a letter that is summed: each gradient has its operand's shape
    u = tg.tensor(np.ones((3, 4)), requires_grad=True)
    v = tg.tensor(np.arange(3.0).reshape(3, 1), requires_grad=True)
    tg.einsum("ij,ij->i", u, v).sum().backward()
    np.testing.assert_array_equal(u.grad.data, np.broadcast_to(v.data, (3, 4)))
    np.testing.assert_array_equal(v.grad.data, np.full((3, 1), 4.0))
    # the result owns its memory, also where it only reorders one operand's dims
    t = tg.tensor(a)
    transposed = tg.einsum("ij->ji", t)
    transposed += 1.0
    np.testing.assert_array_equal(t.data, a)


def test_einsum_takes_a_list_and_keeps_integers():
    a, b = tg.arange(6).reshape(2, 3), tg.arange(3)
    assert tg.einsum("ij,j", [a, b]).tolist() == [5, 14] and tg.einsum("ij,j", a, b).dtype == np.int64


@pytest.mark.parametrize(
    ("equation", "shapes", "error", "message"),
    [
        ("ii", [(3, 4)], RuntimeError, "subscript i is repeated for operand 0 but the sizes don't match"),
        ("ij,jk", [(3, 4), (3, 4)], RuntimeError, "subscript j has size 3 for operand 1 .* size 4"),
        ("ij,jk", [(3, 4)], RuntimeError, "fewer operands were provided"),
        ("ij", [(3, 4), (4, 5)], RuntimeError, "more operands were provided"),
        (
            "ijk",
            [(3, 4)],
            RuntimeError,
            r"subscripts in the equation \(3\) does not match .* \(2\) for operand 0",
        ),
        ("ijk...", [(3, 4)], RuntimeError, r"\(3\) is more than the number of dimensions \(2\)"),
        ("ij->ii", [(3, 4)], RuntimeError, "output subscript i appears more than once"),
        ("ij->k", [(3, 4)], RuntimeError, "output subscript k does not appear"),
        ("i1->i", [(3,)], RuntimeError, "invalid subscript given at index 1"),
        ("ij - > ji", [(3, 4)], RuntimeError, "invalid subscript given at index 3"),
        ("ij->j->i", [(3, 4)], RuntimeError, "more than one output"),
        ("...i...->i", [(3, 4)], RuntimeError, "ellipsis was already found"),
        ("..i->i", [(3, 4)], RuntimeError, "not part of any ellipsis"),
        ("...i,...i->...i", [(2, 3), (4, 3)], RuntimeError, "covered by the ellipsis has size 4"),
        ("...", [(1,) * 53], RuntimeError, "needs more than the 52 letters"),
    ],
)
def test_einsum_errors_name_the_problem(equation, shapes, error, message):
    with pytest.raises(error, match=message):
        tg.einsum(equation, *[tg.zeros(s) for s in shapes])


def test_einsum_refuses_other_arguments():
    with pytest.raises(RuntimeError, match="same dtype, got float32, float64"):
        tg.einsum("i,i", tg.zeros(2), tg.zeros(2, dtype=tg.float64))
    with pytest.raises(TypeError, match="expected Tensor as operand 0, but got list"):
        tg.einsum("i", [1.0, 2.0], tg.zeros(2))
    with pytest.raises(ValueError, match="at least one operand"):
        tg.einsum("i")
    with pytest.raises(TypeError, match="is not supported"):
        tg.einsum(tg.zeros(2), [0])


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
    assert [p.shape for p in tg.zeros(0, 3).chunk(2)] == [(0, 3), (0, 3)]  # `chunks` empty pieces, as PyTorch


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


@pytest.mark.parametrize("op", ["sum", "prod", "cumsum"])
def test_integer_sums_and_products_come_out_in_pytorchs_dtype(op):
    args = (0,) if op == "cumsum" else ()
    small = tg.tensor(np.array([200, 100], dtype=np.uint8))  # 300 does not fit in a uint8
    assert getattr(small, op)(*args).dtype == np.int64  # (NumPy: uint64)
    assert getattr(small, op)(*args).data.max() == {"sum": 300, "prod": 20000, "cumsum": 300}[op]
    assert getattr(tg.tensor([1, 2]), op)(*args, dtype=tg.int32).dtype == np.int32  # (NumPy: int64)
    assert getattr(tg.tensor([True, False]), op)(*args, dtype=tg.int16).dtype == np.int16


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
    np.testing.assert_allclose(x.norm("nuc").item(), np.linalg.norm(X, "nuc"))
    with pytest.raises(RuntimeError, match="Order abc not supported"):
        x.norm("abc")


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
    "scatter": lambda x, lib: x.scatter(1, lib.tensor([[0, 2], [3, 1], [1, 0]]), x[:, 1:3] * 2),
    "scatter_value": lambda x, lib: x.scatter(0, lib.tensor([[2, 0, 1, 1]]), 7.0) * x,
    "scatter_add": lambda x, lib: x.scatter_add(1, lib.tensor([[0, 0], [3, 3], [1, 2]]), x[:, :2] ** 2),
    "index_add": lambda x, lib: x.index_add(1, lib.tensor([3, 0, 3]), x[:, :3] ** 2, alpha=-0.5),
    "index_add_": lambda x, lib: (x * 1.0).index_add_(0, lib.tensor([2, 2]), x[:2].exp(), alpha=2),
    "bmm": lambda x, lib: lib.bmm(lib.stack([x, x * 2]), lib.stack([x.T, x.T.exp()])),
    "einsum_matmul": lambda x, lib: lib.einsum("ij,kj->ik", x, x.exp()),
    "einsum_implicit": lambda x, lib: lib.einsum("ji,jk", x, x.sin()),
    "einsum_trace": lambda x, lib: lib.einsum("ii", x[:, :3]) * x,
    "einsum_diagonal": lambda x, lib: lib.einsum("ii->i", x[:, 1:] ** 2),
    "einsum_ellipsis": lambda x, lib: lib.einsum("...j,...j->...", x, x.cos()),
    "einsum_three": lambda x, lib: lib.einsum("ij,kj,kl->il", x, x.exp(), x),
    "einsum_broadcast": lambda x, lib: lib.einsum("ij,ij->j", x[:, :1], x),
    "sum_axis": lambda x, lib: x.sum(axis=1) * x.mean(axis=0, keepdim=True).T,
    "softmax_axis": lambda x, lib: x.softmax(axis=0) * x.logsumexp(axis=1, keepdim=True),
    # x has a zero at [1, 2] and two at [2, 0] and [2, 3]: row 2's median is a tie
    "median_all": lambda x, lib: x.median() * x,
    "median_all_tie": lambda x, lib: lib.median(x[2]) * x,
    "median_dim": lambda x, lib: x.median(1, keepdim=True).values * x,
    "median_dim0": lambda x, lib: lib.median(x.T, 0).values ** 2,
    "dot": lambda x, lib: lib.dot(x[0], x[1].exp()) * x,
    "outer": lambda x, lib: lib.outer(x[0], x[:, 1]),
    "ger": lambda x, lib: x[1].ger(x[2] ** 2),
    "hstack": lambda x, lib: lib.hstack([x, x[:, :1] * 2]),
    "hstack_0d_1d": lambda x, lib: lib.hstack((x[0], x[1, 2], x[2] ** 2)),
    "vstack": lambda x, lib: lib.vstack([x[0], x, x[1] * 3]),
    "vstack_0d": lambda x, lib: lib.vstack([x[0, 0], x[1, 1] * 2]),
    "concat": lambda x, lib: lib.concat([x, x.exp()], dim=1),
    "concatenate": lambda x, lib: lib.concatenate([x, x.sin()], axis=0),
    "add_alpha": lambda x, lib: lib.add(x, x.exp(), alpha=-2.5),
    "sub_alpha": lambda x, lib: lib.sub(x, x**2, alpha=0.5) + x.add(x, alpha=3),
    "mul_div": lambda x, lib: lib.mul(x, x.sin()) + lib.div(x, x.exp()),
    "longer_names": lambda x, lib: (
        lib.subtract(lib.multiply(x, x.sin()), lib.divide(x, x.exp()), alpha=2)
        + x.true_divide(x.exp() + 1) * x.multiply(2).subtract(1).divide(3)
    ),
    "column_stack": lambda x, lib: lib.column_stack([x[:, 0], x[:, :2] * 2, x[:, 3] ** 2]),
    "row_stack": lambda x, lib: lib.row_stack([x[0], x[1:] ** 2]),
    "dstack": lambda x, lib: lib.dstack([x, x.exp()]) * lib.dstack([x[0], x[1]]).sum(),
    "dstack_0d": lambda x, lib: lib.dstack([x[0, 0], x[1, 1] * 2]),
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


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_reducing_to_integers_a_tensor_that_needs_grad_is_refused_as_in_torch(lib_name):
    lib = pytest.importorskip(lib_name)
    ours = lib_name == "tinygrad_edu"
    x = lib.tensor([1.5, 2.0, 3.0], requires_grad=True)
    calls = [
        lambda: x.sum(dtype=lib.int64),
        lambda: x.sum(0, dtype=lib.int32),
        lambda: x.prod(dtype=lib.int64),
        lambda: x.cumsum(0, dtype=lib.int64),
        lambda: x.sum(dtype=lib.bool),
    ]
    for call in calls:
        with pytest.raises(RuntimeError, match=r"requires grad.*x\.detach\(\)" if ours else ""):
            call()
        with lib.no_grad():
            assert call().dtype in (lib.int64, lib.int32, lib.bool)
    assert x.detach().sum(dtype=lib.int64).item() == 6  # 1 + 2 + 3: the cast comes first
    for grad_mode in (lib.enable_grad, lib.no_grad):  # mean has no integer result at all
        with grad_mode(), pytest.raises(RuntimeError, match="floating point dtype" if ours else ""):
            x.mean(dtype=lib.int64)
    assert x.grad is None and x.tolist() == [1.5, 2.0, 3.0]


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_max_and_min_of_two_tensors_refuse_keepdim_as_torch(lib_name):
    lib = pytest.importorskip(lib_name)
    a, b = lib.tensor([[1.0, 5.0]]), lib.tensor([[3.0, 2.0]])
    for name in ("max", "min"):
        with pytest.raises(TypeError, match=rf"{name}\(dim\), a reduction" if lib is tg else ""):
            getattr(a, name)(b, keepdim=True)
        with pytest.raises(TypeError):
            getattr(lib, name)(a, b, keepdim=True)
    assert a.max(b).tolist() == [[3.0, 5.0]] and a.min(b).tolist() == [[1.0, 2.0]]


def test_reductions_take_numpys_keepdims_spelling_and_sum_and_mean_a_dtype():
    x = tg.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    for name in [
        "sum",
        "mean",
        "amax",
        "amin",
        "logsumexp",
        "std",
        "var",
        "prod",
        "all",
        "any",
        "argmax",
        "argmin",
    ]:
        kept = getattr(x, name)(1, keepdims=True)
        assert kept.shape == (2, 1), name
        np.testing.assert_array_equal(kept.data, getattr(x, name)(1, keepdim=True).data)
        assert getattr(x, name)(1, keepdims=False).shape == (2,), name
    values, indices = x.max(1, keepdims=True)
    assert values.shape == indices.shape == (2, 1) and x.min(axis=0, keepdims=True).values.shape == (1, 3)
    with pytest.raises(TypeError, match="both keepdim and keepdims"):
        x.sum(1, True, keepdims=True)
    # dtype= casts first, as PyTorch: an integer sum in float, the mean of integers
    counts = tg.tensor([[1, 2], [3, 4]])
    total = counts.sum(dtype=tg.float64)
    assert total.dtype == np.float64 and total.item() == 10.0
    assert tg.mean(counts, 0, dtype=tg.float32).tolist() == [2.0, 3.0]
    for small in (tg.int32, tg.int16, tg.bool):  # NumPy would widen these to int64
        assert counts.sum(dtype=small).dtype == small and counts.prod(1, dtype=small).dtype == small
    assert counts.int().sum().dtype == np.int64  # without dtype=, integers sum as int64, as PyTorch
    y = x.sum(0, dtype=tg.float32)
    assert y.dtype == np.float32
    y.sum().backward()  # the cast is recorded: the gradient comes back in x's dtype
    assert x.grad.dtype == np.float64 and x.grad.tolist() == [[1.0] * 3] * 2


# Arguments that PyTorch refuses, for x = X (2, 3): (call, error type, message regex).
BAD_OP_CALLS = [
    (lambda x, lib: x.repeat(-1, 2), RuntimeError, r"repeat: the number of copies must be non-negative"),
    (
        lambda x, lib: x.tile(-1, 2),
        RuntimeError,
        r"tile: the number of copies must be non-negative.*\(-1, 2\)",
    ),
    (lambda x, lib: x.tile(-1), RuntimeError, r"tile: the number of copies must be non-negative"),
    (lambda x, lib: x.unflatten(1, (-1, -1)), RuntimeError, r"unflatten: only one size can be inferred"),
    (lambda x, lib: x.unflatten(1, (-3, 1)), RuntimeError, r"unflatten: invalid size -3"),
    (lambda x, lib: x.narrow(1, 0, -1), RuntimeError, r"narrow\(\): length must be non-negative, got -1"),
    (lambda x, lib: x.narrow(1, 1, 3), RuntimeError, r"start \(1\) \+ length \(3\) exceeds dimension size"),
    (
        lambda x, lib: x.index_select(0, lib.tensor([0.0])),
        RuntimeError,
        r"index_select\(\): Expected dtype int32 or int64 for index, got float32",
    ),
    (
        lambda x, lib: x.index_select(0, lib.tensor([0], dtype=lib.int16)),
        RuntimeError,
        "Expected dtype int32 or int64 for index, got int16",
    ),
    (lambda x, lib: x.index_select(0, lib.tensor([[0]])), IndexError, r"supposed to be a vector.*\(1, 1\)"),
    (lambda x, lib: x.index_select(0, lib.tensor([[0.0]])), IndexError, r"supposed to be a vector"),
    (
        lambda x, lib: x.masked_select(lib.tensor([True, False])),
        RuntimeError,
        r"masked_select: shapes \(2, 3\) and \(2,\) are not broadcastable",
    ),
    (lambda x, lib: x.tril(0.5), TypeError, r"tril\(\): argument 'diagonal' must be an int, got float"),
    (lambda x, lib: lib.triu(x, 0.5), TypeError, r"triu\(\): argument 'diagonal' must be an int"),
    (lambda x, lib: x.tril(True), TypeError, r"tril\(\): argument 'diagonal' must be an int, got bool"),
    (lambda x, lib: x.chunk(1.5), TypeError, r"chunk\(\): argument 'chunks' must be an int, got float 1.5"),
    (lambda x, lib: lib.chunk(x, True), TypeError, r"chunk\(\): argument 'chunks' must be an int, got bool"),
    (lambda x, lib: x.split(1.5), TypeError, r"split\(\): argument 'split_size_or_sections' must be an int"),
    (lambda x, lib: x.split([1.0, 1.0]), TypeError, r"split\(\): .* got list \[1.0, 1.0\]"),
    (lambda x, lib: x.topk(1.5), TypeError, r"topk\(\): argument 'k' must be an int, got float 1.5"),
    (lambda x, lib: lib.dot(x, x), RuntimeError, r"dot: 1D tensors expected, but got 2D and 2D"),
    (
        lambda x, lib: lib.dot(x[0], x[0].float()),
        RuntimeError,
        r"dot: expected both vectors to have same dtype",
    ),
    (
        lambda x, lib: x[0].dot(x[1, :2]),
        RuntimeError,
        r"dot: inconsistent tensor size, expected tensor \[3\]",
    ),
    (lambda x, lib: lib.dot(x[0], [1.0, 2.0, 3.0]), TypeError, r"dot\(\): argument 'tensor' \(position 2\)"),
    (lambda x, lib: lib.outer(x, x[0]), RuntimeError, r"outer: Expected 1-D argument self, but got 2-D"),
    (lambda x, lib: x[0].outer(x[0, 0]), RuntimeError, r"outer: Expected 1-D argument vec2, but got 0-D"),
    (lambda x, lib: lib.outer([1.0], x[0]), TypeError, r"outer\(\): argument 'input' \(position 1\)"),
    (lambda x, lib: lib.hstack([]), RuntimeError, r"hstack expects a non-empty TensorList"),
    (lambda x, lib: lib.vstack(()), RuntimeError, r"vstack expects a non-empty TensorList"),
    (lambda x, lib: lib.hstack(x), TypeError, r"hstack\(\): argument 'tensors' .* not Tensor"),
    (lambda x, lib: lib.cat(x), TypeError, r"cat\(\): argument 'tensors' .* not Tensor"),
    (lambda x, lib: lib.hstack([x[0], x]), RuntimeError, r"cat: sizes of tensors must match"),
    (lambda x, lib: lib.vstack([x, x[0, :2]]), RuntimeError, r"cat: sizes of tensors must match"),
    (lambda x, lib: lib.concat([x[0, 0], x[0, 0]]), RuntimeError, r"zero-dimensional tensor"),
    (lambda x, lib: x.median(1.0), TypeError, r"median\(\): argument 'dim' must be an int, got float"),
    (lambda x, lib: x.median(2), IndexError, r"Dimension out of range"),
    (
        lambda x, lib: x[:, :0].median(1),
        IndexError,
        r"median\(\): Expected reduction dim 1 to have non-zero size",
    ),
    (lambda x, lib: lib.median(x > 1), NotImplementedError, r"median\(\) is not implemented for bool"),
    (lambda x, lib: (x > 1).median(0), NotImplementedError, r"median\(\) is not implemented for bool"),
    (lambda x, lib: x.unique(dim=2), IndexError, r"Dimension out of range"),
    (lambda x, lib: x[0, 0].unique(dim=0), IndexError, r"unique\(\): dim 0 was given, but the tensor is 0-d"),
    (lambda x, lib: x[:, :0].unique(dim=0), RuntimeError, r"There are 0 sized dimensions, and they aren't"),
    (
        lambda x, lib: x.div(x, rounding_mode="round"),
        RuntimeError,
        r"rounding_mode to be one of None, 'trunc'",
    ),
    (
        lambda x, lib: lib.tensor([5, 7]).div(0, rounding_mode="trunc"),
        RuntimeError,
        r"div: integer division by",
    ),
    (lambda x, lib: lib.tensor([5, 7]).div(lib.tensor([1, 0]), rounding_mode="floor"), RuntimeError, "div: "),
    (lambda x, lib: lib.tensor([5, 7]).add(lib.tensor([1, 0]), alpha=1.5), RuntimeError, "integral input"),
    (lambda x, lib: lib.sub(lib.tensor([5, 7]), 2, alpha=0.5), RuntimeError, "alpha must not be a floating"),
    (lambda x, lib: x.add(x, 2), TypeError, r"positional argument"),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_OP_CALLS)
def test_op_argument_errors_name_the_op_and_the_argument(call, error, message):
    x = tg.tensor(X, requires_grad=True)
    with pytest.raises(error, match=message):
        call(x, tg)
    assert x.tolist() == X.tolist() and x.grad is None


def test_op_argument_errors_are_torchs_types():
    torch = pytest.importorskip("torch")
    for call, error, _ in BAD_OP_CALLS:
        with pytest.raises(error):
            call(torch.tensor(X, requires_grad=True), torch)


def test_the_allowed_neighbours_of_those_arguments_still_work():
    x = tg.tensor(X)
    assert x.repeat(0, 2).shape == (0, 6) and x.tile(2).shape == (2, 6)
    assert x.narrow(1, 3, 0).shape == (2, 0) and x.unflatten(1, (-1, 1)).shape == (2, 3, 1)
    assert x.index_select(1, tg.tensor([2], dtype=tg.int32)).tolist() == [[2.0], [0.0]]
    assert x.index_select(0, tg.tensor(1)).tolist() == [[1.0, 1.0, 0.0]]  # a 0-d index, as torch
    assert x.tril(np.int64(0)).tolist() == [[3.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
    assert len(x.chunk(np.int64(2))) == 2 and [t.shape for t in x.split((1, 2), 1)] == [(2, 1), (2, 2)]
    assert x.topk(np.int64(1)).values.tolist() == [[3.0], [1.0]]
    assert x.masked_select(tg.tensor([True, False, True])).tolist() == [3.0, 2.0, 1.0, 0.0]


# ------------------------------------------------ functional forms, dot/outer, stacking, median, unique


def test_functional_add_sub_mul_div_take_alpha_and_a_number_first():
    a, b = tg.tensor([1.0, 2.0, 4.0]), tg.tensor([2.0, 2.0, 8.0])
    assert tg.add(a, b, alpha=2).tolist() == [5.0, 6.0, 20.0] and a.add(3.0, alpha=-1).tolist() == [
        -2.0,
        -1.0,
        1.0,
    ]
    assert tg.sub(a, b, alpha=0.5).tolist() == [0.0, 1.0, 0.0] and tg.sub(2, a).tolist() == [1.0, 0.0, -2.0]
    assert tg.mul(2, a).tolist() == [2.0, 4.0, 8.0] and tg.div(a, b).tolist() == [0.5, 1.0, 0.5]
    assert tg.div(1, b).tolist() == [0.5, 0.5, 0.125]
    i = tg.tensor([3, -7])
    assert tg.add(i, i, alpha=2).tolist() == [9, -21] and tg.add(i, i, alpha=2).dtype == np.int64
    assert tg.add(i, a[:2], alpha=1.5).tolist() == [4.5, -4.0]  # a float operand: alpha may be a float
    a.requires_grad_()
    tg.sub(tg.add(a, a * a, alpha=-2), a, alpha=3).sum().backward()  # y = a - 2a^2 - 3a
    assert a.grad.tolist() == [-6.0, -10.0, -18.0]  # dy/da = 1 - 4a - 3


def test_div_rounds_toward_zero_or_down_with_a_zero_gradient():
    ints = tg.tensor([-7, 7, -6, 6])
    assert tg.div(ints, 2, rounding_mode="trunc").tolist() == [-3, 3, -3, 3]
    assert tg.div(ints, 2, rounding_mode="floor").tolist() == [-4, 3, -3, 3]
    assert tg.div(ints, -2, rounding_mode="trunc").tolist() == [3, -3, 3, -3]
    assert ints.div(2, rounding_mode="trunc").dtype == np.int64
    assert tg.div(ints.int(), 2, rounding_mode="trunc").dtype == np.int32
    x = tg.tensor([-7.5, 7.5, 1.0], requires_grad=True)
    trunc, floor = x.div(2.0, rounding_mode="trunc"), x.div(2.0, rounding_mode="floor")
    assert trunc.tolist() == [-3.0, 3.0, 0.0] and floor.tolist() == [-4.0, 3.0, 0.0]
    assert trunc.dtype == np.float32
    (trunc + floor).sum().backward()  # piecewise constant: 0, as PyTorch's div gives
    assert x.grad.tolist() == [0.0, 0.0, 0.0]
    assert tg.div(7, tg.tensor([-2.0, 2.0]), rounding_mode="trunc").tolist() == [-3.0, 3.0]
    assert tg.div(tg.tensor([-1.0, 1.0]), 0.0, rounding_mode="trunc").tolist() == [-np.inf, np.inf]
    big = tg.tensor([2**62 + 1, -(2**62) - 1])  # exact integer division, not through floats
    assert tg.div(big, 3, rounding_mode="trunc").tolist() == [(2**62 + 1) // 3, -((2**62 + 1) // 3)]


def test_dot_and_outer_of_vectors():
    a = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = tg.tensor([4.0, -5.0, 6.0], requires_grad=True)
    y = tg.dot(a, b)
    assert y.shape == () and y.item() == 12.0 and y.dtype == np.float32
    y.backward()
    assert a.grad.tolist() == [4.0, -5.0, 6.0] and b.grad.tolist() == [1.0, 2.0, 3.0]
    assert tg.dot(tg.tensor([1, 2]), tg.tensor([3, 4])).item() == 11  # integers stay integers
    assert tg.dot(tg.zeros(0), tg.zeros(0)).item() == 0.0
    o = a.outer(b[:2])
    np.testing.assert_array_equal(o.data, [[4.0, -5.0], [8.0, -10.0], [12.0, -15.0]])
    a.grad = b.grad = None
    o.sum().backward()  # d/da_i = sum_j b_j,  d/db_j = sum_i a_i
    assert a.grad.tolist() == [-1.0, -1.0, -1.0] and b.grad.tolist() == [6.0, 6.0, 0.0]
    assert tg.ger(tg.tensor([1, 2]), tg.tensor([0.5])).tolist() == [[0.5], [1.0]]  # promoted
    assert tg.outer(tg.tensor([1, 2]), tg.tensor([3])).dtype == np.int64


def test_hstack_vstack_concat_take_0d_and_1d_as_torch():
    v, w, s = tg.tensor([1.0, 2.0]), tg.tensor([3.0]), tg.tensor(7.0)
    assert tg.hstack([v, w, s]).tolist() == [1.0, 2.0, 3.0, 7.0]  # vectors (and 0-d) end to end
    assert tg.hstack((s, s)).tolist() == [7.0, 7.0]
    m = tg.ones(2, 1)
    assert tg.hstack([m, m * 2]).tolist() == [[1.0, 2.0], [1.0, 2.0]]  # matrices side by side
    assert tg.vstack([v, v * 2]).tolist() == [[1.0, 2.0], [2.0, 4.0]]  # a vector is a row
    assert tg.vstack([s, w]).tolist() == [[7.0], [3.0]]  # a 0-d tensor is a (1, 1) matrix
    assert tg.vstack([tg.ones(1, 2, 2), tg.zeros(2, 2, 2)]).shape == (3, 2, 2)
    assert tg.hstack([tg.tensor([1]), v]).dtype == np.float32  # promoted, as cat
    m3 = tg.arange(6.0).reshape(2, 3)
    for joined in (tg.concat([m3, m3], 1), tg.concat([m3, m3], axis=1), tg.concatenate([m3, m3], axis=1)):
        assert joined.tolist() == [[0.0, 1.0, 2.0, 0.0, 1.0, 2.0], [3.0, 4.0, 5.0, 3.0, 4.0, 5.0]]
    assert tg.concatenate([m3, m3], dim=1).shape == (2, 6) and tg.cat([m3, m3], axis=0).shape == (4, 3)
    with pytest.raises(TypeError, match="both dim and axis"):
        tg.cat([m3, m3], 1, axis=0)


def test_column_stack_dstack_and_row_stack_join_as_numpys():
    parts = [np.arange(3.0), np.arange(6.0).reshape(3, 2), np.ones(3)]
    joined = tg.column_stack([tg.tensor(p) for p in parts])  # vectors become columns
    np.testing.assert_array_equal(joined.data, np.column_stack(parts))
    assert tg.column_stack([tg.tensor(1.0), tg.tensor(2.0)]).shape == (1, 2)  # 0-d: (1, 1) each
    for parts in (
        [np.arange(3.0), np.ones(3)],
        [np.ones((2, 3)), np.zeros((2, 3))],
        [np.ones((2, 2, 1))] * 2,
    ):
        np.testing.assert_array_equal(tg.dstack([tg.tensor(p) for p in parts]).data, np.dstack(parts))
    assert tg.dstack([tg.tensor(1.0), tg.tensor(2.0)]).shape == (1, 1, 2)
    assert tg.row_stack is tg.vstack
    with pytest.raises(RuntimeError, match="column_stack expects a non-empty TensorList"):
        tg.column_stack([])
    with pytest.raises(RuntimeError, match="sizes of tensors must match"):
        tg.dstack([tg.ones(2), tg.ones(3)])
    v = tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True)
    m = tg.tensor(np.arange(4.0).reshape(2, 2), requires_grad=True)
    assert tg.testing.gradcheck(lambda v, m: tg.column_stack([v, m.exp(), v * v]), [v, m])
    assert tg.testing.gradcheck(lambda v, m: tg.dstack([v, m[0] * v]), [v, m])


def test_longer_names_are_the_same_ops():
    a, b = tg.tensor([6.0, -3.0]), tg.tensor([4.0, 2.0])
    assert tg.subtract(a, b, alpha=2).tolist() == [-2.0, -7.0] and a.subtract(1).tolist() == [5.0, -4.0]
    assert tg.multiply(a, b).tolist() == [24.0, -6.0] and tg.divide(a, b).tolist() == [1.5, -1.5]
    assert tg.divide(a, b, rounding_mode="floor").tolist() == [1.0, -2.0]
    assert tg.true_divide(tg.tensor([7, -7]), 2).tolist() == [3.5, -3.5]  # integers give floats
    assert a.true_divide(b).tolist() == [1.5, -1.5] and a.multiply(2).divide(4).tolist() == [3.0, -1.5]


def test_median_of_all_elements_is_the_lower_one_and_ties_share_its_gradient():
    x = tg.tensor([3.0, 1.0, 2.0, 4.0], requires_grad=True)
    m = tg.median(x)
    assert m.item() == 2.0 and m.shape == () and m.grad_fn.name() == "MedianBackward"
    m.backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0, 0.0]
    x = tg.tensor([[1.0, 2.0, 2.0], [2.0, 3.0, 0.0]], requires_grad=True)
    x.median().backward()  # 2 three times: each gets a third, as in PyTorch
    np.testing.assert_allclose(x.grad.data, [[0.0, 1 / 3, 1 / 3], [1 / 3, 0.0, 0.0]])
    y = tg.tensor([1.0, np.nan, 2.0], requires_grad=True)
    assert np.isnan(y.median().item())
    y.median().backward()  # the nan gets the gradient
    assert y.grad.tolist() == [0.0, 1.0, 0.0]
    assert tg.tensor([5, 1, 4, 2]).median().item() == 2 and tg.tensor([5, 1, 4]).median().dtype == np.int64
    assert np.isnan(tg.zeros(0).median().item()) and tg.tensor(3.0).median().item() == 3.0


def test_median_along_a_dim_picks_ties_in_order_of_position():
    values, indices = tg.tensor([5.0, 5.0, 5.0, 5.0]).median(0)
    assert values.item() == 5.0 and indices.item() == 1  # the 2nd of 4 equal values
    assert tg.tensor([2.0, 2.0, 1.0, 3.0]).median(0).indices.item() == 0
    assert tg.tensor([2, 1, 2, 1, 2, 1]).median(0).indices.item() == 5  # the third 1
    x = tg.tensor([[1.0, 2.0, 2.0], [2.0, 2.0, 0.0]], requires_grad=True)
    out = x.median(1)
    assert out.values.tolist() == [2.0, 2.0] and out.indices.tolist() == [1, 0]
    assert type(out) is type(x.max(1)) and out.indices.dtype == np.int64
    out.values.sum().backward()  # the gradient goes to the element picked, not to its ties
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    kept = tg.median(x, 0, keepdim=True)
    assert kept.values.tolist() == [[1.0, 2.0, 0.0]] and kept.indices.tolist() == [[0, 0, 1]]
    nan = tg.tensor([2.0, np.nan, 1.0, np.nan]).median(-1)
    assert np.isnan(nan.values.item()) and nan.indices.item() == 1  # the first nan
    assert tg.ones(0, 3).median(1).values.shape == (0,)
    with pytest.raises(TypeError, match="keepdim needs one"):
        x.median(keepdim=True)


def test_unique_sorts_and_counts_and_carries_no_gradient():
    x = tg.tensor([[3.0, 1.0, 3.0], [2.0, 1.0, 0.0]], requires_grad=True)
    values = tg.unique(x)
    assert values.tolist() == [0.0, 1.0, 2.0, 3.0] and values.dtype == np.float32
    assert values.requires_grad and values.grad_fn is not None  # recorded as torch; backward raises
    values, inverse, counts = x.unique(return_inverse=True, return_counts=True)
    assert inverse.tolist() == [[3, 1, 3], [2, 1, 0]] and counts.tolist() == [1, 2, 1, 2]
    np.testing.assert_array_equal(values.data[inverse.data], x.data)  # x == values[inverse]
    assert inverse.dtype == np.int64 and counts.dtype == np.int64
    values, counts = tg.unique(tg.tensor([3, 1, 2, 3, 1]), sorted=False, return_counts=True)
    assert values.tolist() == [1, 2, 3] and counts.tolist() == [2, 1, 2]  # sorted anyway, as torch
    rows = tg.tensor([[1, 2], [0, 5], [1, 2], [0, 1]])
    values, inverse, counts = rows.unique(dim=0, return_inverse=True, return_counts=True)
    assert values.tolist() == [[0, 1], [0, 5], [1, 2]]
    assert inverse.tolist() == [2, 1, 2, 0] and counts.tolist() == [1, 1, 2]
    assert rows.unique(dim=1).tolist() == [[1, 2], [0, 5], [1, 2], [0, 1]]  # the two columns differ
    nans = tg.tensor([1.0, np.nan, np.nan, 1.0]).unique(return_counts=True)
    assert nans[1].tolist() == [2, 1, 1]  # nan != nan: each is its own value
    scalar = tg.tensor(3.0).unique(return_inverse=True, return_counts=True)
    assert [t.shape for t in scalar] == [(1,), (), (1,)]
    assert tg.tensor([True, False, True]).unique().tolist() == [False, True]


def test_new_ops_match_torch_on_ties_and_edge_cases():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 20, 33):  # many ties: which index median(dim) picks
        a = rng.integers(0, 3, (4, n)).astype(np.float64)
        a[0, rng.integers(0, n)] = np.nan
        ours, theirs = tg.tensor(a).median(1), torch.tensor(a).median(1)
        np.testing.assert_array_equal(ours.indices.data, theirs.indices.numpy())
        np.testing.assert_array_equal(ours.values.data, theirs.values.numpy())
        np.testing.assert_array_equal(tg.tensor(a).median().data, torch.tensor(a).median().numpy())
        ints = rng.integers(-3, 3, (3, n))
        for dim in (None, 0, 1):
            ours = tg.tensor(ints).unique(return_inverse=True, return_counts=True, dim=dim)
            theirs = torch.tensor(ints).unique(return_inverse=True, return_counts=True, dim=dim)
            for o, t in zip(ours, theirs):
                np.testing.assert_array_equal(o.data, t.numpy())
        for mode in ("trunc", "floor"):
            num, den = rng.integers(-9, 9, n), rng.integers(1, 5, n) * rng.choice([-1, 1], n)
            np.testing.assert_array_equal(
                tg.div(tg.tensor(num), tg.tensor(den), rounding_mode=mode).data,
                torch.div(torch.tensor(num), torch.tensor(den), rounding_mode=mode).numpy(),
            )
            f = rng.standard_normal(n) * 5
            np.testing.assert_array_equal(
                tg.div(tg.tensor(f), 0.7, rounding_mode=mode).data,
                torch.div(torch.tensor(f), 0.7, rounding_mode=mode).numpy(),
            )


@pytest.mark.parametrize("p", [0.5, -1.0])
def test_norms_below_one_give_zeros_a_zero_gradient(p):
    x = tg.tensor(np.array([[0.0, 1.5, -2.0], [4.0, 0.0, 1.0]]), requires_grad=True)
    y = x.norm(p, dim=1)
    expected = (np.abs(x.data) ** p).sum(1) ** (1 / p) if p > 0 else np.zeros(2)  # p < 0: a zero rules
    np.testing.assert_allclose(y.data, expected, rtol=1e-12)
    y.sum().backward()
    assert np.isfinite(x.grad.data).all() and x.grad.data[0, 0] == x.grad.data[1, 1] == 0.0
    if p > 0:  # elsewhere d/dx_i = sign(x_i) |x_i|^(p-1) ||x||^(1-p)
        i, j = np.nonzero(x.data)
        v = x.data[i, j]
        slope = np.sign(v) * np.abs(v) ** (p - 1) * y.data[i] ** (1 - p)
        np.testing.assert_allclose(x.grad.data[i, j], slope, rtol=1e-12)
