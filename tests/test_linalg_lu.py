"""tg.linalg's LU family: lu_factor, lu_factor_ex, lu, lu_solve and lu_unpack.

The factors against their definition (P L U = A, triangles, a permutation, |L| <= 1 from
partial pivoting), the pivots' format, batching, zero pivots and PyTorch's errors; gradients
against finite differences (first and second order, float64); values, pivots and gradients
against torch.linalg when it is installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.linalg.lu import lu, lu_factor, lu_factor_ex  # (tg.linalg's, until they are wired)
from tinygrad_edu.linalg.lu_solve import lu_solve, lu_unpack
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(5)

SHAPES = [(3, 3), (4, 2), (2, 5), (2, 3, 3), (2, 1, 4, 3), (3, 2, 4), (1, 1)]


def _pivoted(shape: tuple[int, ...]) -> np.ndarray:
    """(*, m, n) whose pivots are far from ties (so finite differences do not change them): 10 on
    the diagonal plus entries in [-1, 1], with the rows rolled by one, so that there are swaps."""
    m, n = shape[-2:]
    return np.roll(10 * np.eye(m, n) + rng.uniform(-1, 1, shape), 1, axis=-2)


def _check_both_orders(fn, *arrays: np.ndarray) -> None:
    inputs = [tg.tensor(a, requires_grad=True) for a in arrays]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


# ---------------------------------------------------------------- the factors and the pivots


@pytest.mark.parametrize("shape", SHAPES)
def test_lu_reconstructs_a_with_a_permutation_and_two_triangles(shape):
    a = rng.standard_normal(shape)
    p, low, up = lu(tg.tensor(a))
    m, n = shape[-2:]
    k = min(m, n)
    assert (p.shape, low.shape, up.shape) == (shape[:-2] + (m, m), shape[:-2] + (m, k), shape[:-2] + (k, n))
    np.testing.assert_allclose((p @ low @ up).data, a, atol=1e-12)
    np.testing.assert_array_equal(np.sort(p.data, -1)[..., -1], 1.0)  # one 1 per row and per column
    np.testing.assert_array_equal(p.data.sum(-1), 1.0)
    np.testing.assert_array_equal(p.data.sum(-2), 1.0)
    np.testing.assert_array_equal(np.triu(low.data, 1), 0.0)
    np.testing.assert_array_equal(np.diagonal(low.data, 0, -2, -1), 1.0)
    np.testing.assert_array_equal(np.tril(up.data, -1), 0.0)
    assert np.abs(low.data).max() <= 1.0  # partial pivoting: each pivot is its column's largest


@pytest.mark.parametrize("shape", SHAPES)
def test_lu_factor_packs_l_and_u_and_gives_one_based_int32_row_swaps(shape):
    a = rng.standard_normal(shape)
    packed, pivots = lu_factor(tg.tensor(a))
    _, low, up = lu(tg.tensor(a))
    m, n = shape[-2:]
    k = min(m, n)
    assert packed.shape == shape and pivots.shape == shape[:-2] + (k,) and pivots.dtype == tg.int32
    assert packed.dtype == tg.float64 and not pivots.requires_grad
    np.testing.assert_array_equal(np.tril(packed.data[..., :k], -1), np.tril(low.data, -1))
    np.testing.assert_array_equal(np.triu(packed.data[..., :k, :]), up.data)
    # the swaps j <-> pivots[j] - 1, applied to A's rows in turn, give L U
    swapped = a.reshape(-1, m, n).copy()
    for b, row in enumerate(pivots.data.reshape(-1, k)):
        assert all(j + 1 <= int(s) <= m for j, s in enumerate(row))  # (a row is only swapped downwards)
        for j, s in enumerate(row):
            swapped[b, [j, s - 1]] = swapped[b, [s - 1, j]]
    np.testing.assert_allclose(swapped.reshape(shape), (low @ up).data, atol=1e-12)


def test_a_batch_is_factored_matrix_by_matrix():
    a = rng.standard_normal((3, 2, 4, 4))
    packed, pivots = lu_factor(tg.tensor(a))
    for i in range(3):
        for j in range(2):
            one, its_pivots = lu_factor(tg.tensor(a[i, j]))
            np.testing.assert_array_equal(packed.data[i, j], one.data)
            np.testing.assert_array_equal(pivots.data[i, j], its_pivots.data)


def test_float32_stays_float32_and_the_input_is_not_changed():
    a = rng.standard_normal((3, 3)).astype(np.float32)
    x = tg.tensor(a.copy())
    packed, pivots, info = lu_factor_ex(x)
    p, low, up = lu(x)
    assert {t.dtype for t in (packed, p, low, up)} == {tg.float32}
    assert pivots.dtype == info.dtype == tg.int32
    np.testing.assert_array_equal(x.data, a)


def test_empty_matrices():
    packed, pivots, info = lu_factor_ex(tg.zeros(0, 3))
    assert (packed.shape, pivots.shape, info.shape) == ((0, 3), (0,), ())
    p, low, up = lu(tg.zeros(2, 0, 0))
    assert (p.shape, low.shape, up.shape) == ((2, 0, 0),) * 3


# ---------------------------------------------------------------- zero pivots: info and errors


def test_zero_pivots_leave_their_column_and_info_names_the_first():
    # exact arithmetic: [[1, 2], [2, 4]] swaps its rows, then 4 - 0.5 * 4 = 0 exactly
    packed, pivots, info = lu_factor_ex(tg.tensor([[1.0, 2.0], [2.0, 4.0]]))
    np.testing.assert_array_equal(packed.data, [[2.0, 4.0], [0.5, 0.0]])
    np.testing.assert_array_equal(pivots.data, [2, 2])
    assert info.item() == 2
    # a zero column: no swap and nothing divided
    packed, pivots, info = lu_factor_ex(tg.tensor([[[0.0, 1.0], [0.0, 2.0]], [[3.0, 1.0], [1.0, 2.0]]]))
    np.testing.assert_array_equal(packed.data[0], [[0.0, 1.0], [0.0, 2.0]])
    np.testing.assert_array_equal(pivots.data, [[1, 2], [1, 2]])
    np.testing.assert_array_equal(info.data, [1, 0])


def test_lu_factor_refuses_a_zero_pivot_and_lu_does_not():
    a = tg.zeros(2, 2, 3, 3)
    with pytest.raises(RuntimeError, match=r"linalg.lu_factor: \(Batch element 0\): U\[1,1\] is zero"):
        lu_factor(a)
    wide = tg.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]])
    with pytest.raises(
        RuntimeError, match=r"torch.linalg.lu_factor: U\[2,2\] is zero and using it on lu_solve"
    ):
        lu_factor(wide)
    with pytest.raises(RuntimeError, match=r"torch.linalg.lu_factor_ex: U\[2,2\] is zero"):
        lu_factor_ex(wide, check_errors=True)
    assert lu_factor_ex(wide).info.item() == 2
    p, low, up = lu(a)
    np.testing.assert_array_equal(up.data, 0.0)


def test_errors_for_wrong_inputs():
    for fn, op, name in [
        (lu_factor, "torch.lu_factor", "linalg_lu_factor"),
        (lu_factor_ex, "torch.lu_factor", "linalg_lu_factor_ex"),
        (lu, "linalg.lu", "linalg_lu"),
    ]:
        with pytest.raises(
            TypeError, match=rf"{name}\(\): argument 'A' \(position 1\) must be Tensor, not list"
        ):
            fn([[1.0]])
        with pytest.raises(
            RuntimeError, match=rf"{op}: Expected tensor with 2 or more dimensions. Got size: \[3\]"
        ):
            fn(tg.ones(3))
        with pytest.raises(NotImplementedError, match="not implemented for 'Half'"):
            fn(tg.ones(2, 2, dtype=tg.float16))
        with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
            fn(tg.tensor([[1, 2], [3, 4]]))
        with pytest.raises(
            RuntimeError, match="linalg.lu_factor: LU without pivoting is not implemented on the CPU"
        ):
            fn(tg.ones(2, 3), pivot=False)


# ---------------------------------------------------------------- lu_solve and lu_unpack


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve_solves_each_system(left, adjoint):
    a = rng.standard_normal((2, 1, 4, 4))
    b = rng.standard_normal((3, 4, 2) if left else (3, 2, 4))  # (batches broadcast to (2, 3))
    packed, pivots = lu_factor(tg.tensor(a))
    x = lu_solve(packed, pivots, tg.tensor(b), left=left, adjoint=adjoint).data
    assert x.shape == (2, 3) + b.shape[-2:]
    op = np.swapaxes(a, -1, -2) if adjoint else a
    np.testing.assert_allclose(op @ x if left else x @ op, np.broadcast_to(b, x.shape), atol=1e-10)


def test_lu_solve_errors():
    packed, pivots = lu_factor(tg.tensor(rng.standard_normal((3, 3))))
    b = tg.tensor(rng.standard_normal((3, 2)))
    for args, error, message in [
        (
            ([[1.0]], pivots, b),
            TypeError,
            r"linalg_lu_solve\(\): argument 'LU' \(position 1\) must be Tensor",
        ),
        ((packed, [1, 2, 3], b), TypeError, r"argument 'pivots' \(position 2\) must be Tensor, not list"),
        ((packed.long(), pivots, b.long()), RuntimeError, "Expected a floating point or complex tensor"),
        ((packed, pivots, b.float()), RuntimeError, "found LU of type Double and B of type Float instead"),
        ((packed, pivots.long(), b), RuntimeError, "pivots should be a Tensor of scalar type torch.int32"),
        (
            (packed[:, :2], pivots, b),
            RuntimeError,
            "A must be batches of square matrices, but they are 3 by 2",
        ),
        ((packed, pivots, b[:, 0]), RuntimeError, "The input tensor B must have at least 2 dimensions"),
        ((packed, pivots, b.mT), RuntimeError, r"equation AX = B \(3x3 and 2x3\)"),
        ((packed, pivots[:2], b), RuntimeError, "Number of pivots per batch should be same"),
        ((packed, pivots.expand(2, 3), b), RuntimeError, r"but got pivots with shape \[2, 3\] instead"),
        ((packed, pivots - 5, b), RuntimeError, "must all be greater or equal to 1"),
        ((packed, pivots + 5, b), RuntimeError, r"must all be smaller or equal to LU.size\(-2\)"),
    ]:
        with pytest.raises(error, match=message):
            lu_solve(*args)
    with pytest.raises(RuntimeError, match=r"equation XA = B \(3x3 and 3x2\)"):
        lu_solve(packed, pivots, b, left=False)


def test_lu_unpack_gives_lu_factors_or_empty_tensors():
    for shape in [(3, 3), (2, 5, 3), (3, 4)]:
        a = tg.tensor(rng.standard_normal(shape))
        for mine, theirs in zip(lu_unpack(*lu_factor(a)), lu(a)):
            np.testing.assert_array_equal(mine.data, theirs.data)
    packed, pivots = lu_factor(tg.tensor(rng.standard_normal((3, 3))))
    p, low, up = lu_unpack(packed, pivots, unpack_data=False)
    assert p.shape == (3, 3) and low.shape == up.shape == (0,)
    p, low, up = lu_unpack(packed, pivots.float(), unpack_pivots=False)  # (pivots not read)
    assert p.shape == (0,) and low.shape == up.shape == (3, 3)
    with pytest.raises(RuntimeError, match="LU_pivots is expected to be a contiguous tensor of torch.int32"):
        lu_unpack(packed, pivots.long())
    with pytest.raises(RuntimeError, match="pivots passed to lu_unpack must be between 1 and LU.size"):
        lu_unpack(packed, pivots + 3)
    with pytest.raises(RuntimeError, match=r"torch.lu_unpack: Expected tensor with 2 or more dimensions"):
        lu_unpack(packed[0], pivots)
    with pytest.raises(TypeError, match=r"lu_unpack\(\): argument 'LU_pivots' \(position 2\) must be Tensor"):
        lu_unpack(packed, [1, 2, 3])


# ---------------------------------------------------------------- gradients against finite differences


@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 4), (2, 3, 3)])
def test_lu_and_lu_factor_gradients(shape):
    _check_both_orders(lambda x: [*lu(x)[1:], lu_factor(x).LU], _pivoted(shape))


@pytest.mark.parametrize("shape", [(4, 2), (2, 4)])
def test_gradients_of_one_factor_alone(shape):
    # (for a rectangular A, the formula with one gradient missing takes its own path)
    _check_both_orders(lambda x: lu(x).L, _pivoted(shape))
    _check_both_orders(lambda x: lu(x).U, _pivoted(shape))


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve_gradients_with_respect_to_a_and_b(left, adjoint):
    a, b = _pivoted((2, 3, 3)), rng.standard_normal((3, 2) if left else (2, 3))

    def solve(x, y):
        return lu_solve(*lu_factor(x), y, left=left, adjoint=adjoint)

    _check_both_orders(solve, a, b)


def test_lu_unpack_gradient():
    _check_both_orders(
        lambda x: list(lu_unpack(x, tg.tensor(np.array([2, 3, 3], np.int32)))[1:]), _pivoted((3, 4))
    )


# ---------------------------------------------------------------- against PyTorch


@pytest.mark.parametrize("shape", SHAPES)
def test_values_pivots_and_gradients_match_torch(shape):
    torch = pytest.importorskip("torch")
    a = rng.standard_normal(shape)
    x, t = tg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    mine, theirs = [*lu(x), *lu_factor(x)], [*torch.linalg.lu(t), *torch.linalg.lu_factor(t)]
    for m, th in zip(mine, theirs):
        assert m.shape == tuple(th.shape)
        np.testing.assert_allclose(m.data, th.detach().numpy(), atol=1e-12)
    assert mine[-1].data.dtype == np.int32
    weights = [rng.standard_normal(m.shape) for m in mine[1:4]]  # (for L, U and LU)
    sum(((m * tg.tensor(w)).sum() for m, w in zip(mine[1:4], weights)), tg.tensor(0.0)).backward()
    sum((th * torch.tensor(w)).sum() for th, w in zip(theirs[1:4], weights)).backward()
    np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve_and_its_gradients_match_torch(left, adjoint):
    torch = pytest.importorskip("torch")
    a, b = rng.standard_normal((2, 4, 4)), rng.standard_normal((3, 1, 4, 2) if left else (3, 1, 2, 4))
    x, y = tg.tensor(a, requires_grad=True), tg.tensor(b, requires_grad=True)
    s, t = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    mine = lu_solve(*lu_factor(x), y, left=left, adjoint=adjoint)
    theirs = torch.linalg.lu_solve(*torch.linalg.lu_factor(s), t, left=left, adjoint=adjoint)
    np.testing.assert_allclose(mine.data, theirs.detach().numpy(), rtol=1e-10)
    weight = rng.standard_normal(mine.shape)
    (mine * tg.tensor(weight)).sum().backward()
    (theirs * torch.tensor(weight)).sum().backward()
    np.testing.assert_allclose(x.grad.data, s.grad.numpy(), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(y.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-9)


def test_zero_pivots_nan_and_inf_match_torch():
    torch = pytest.importorskip("torch")
    nan, inf = float("nan"), float("inf")
    for a in [
        [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 1.0, 1.0]],
        [[1.0, 1.0], [nan, 2.0]],  # (LAPACK never picks a nan below the diagonal as pivot)
        [[0.0, 1.0], [nan, 2.0]],
        [[nan, 1.0], [3.0, 2.0]],
        [[0.0, inf], [0.0, 2.0]],
        [[inf, 1.0], [inf, 2.0]],
    ]:
        mine, theirs = lu_factor_ex(tg.tensor(a)), torch.linalg.lu_factor_ex(torch.tensor(a))
        np.testing.assert_array_equal(mine.LU.data, theirs.LU.numpy())
        np.testing.assert_array_equal(mine.pivots.data, theirs.pivots.numpy())
        assert mine.info.item() == theirs.info.item()
