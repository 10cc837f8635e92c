"""tg.linalg: values against np.linalg, PyTorch's errors and dtype rules, batching, and values and
gradients against torch.linalg when it is installed. (Gradients against finite differences, first
and second order, are the linalg rows of tests/op_table.py.)"""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.linalg.products import _cheapest_order
from tinygrad_edu.testing import gradcheck, gradgradcheck

L = tg.linalg
rng = np.random.default_rng(7)


def _invertible(*shape: int) -> np.ndarray:
    """Random (*shape) matrices well away from singular: standard normal plus 3 I."""
    return rng.standard_normal(shape) + 3 * np.eye(shape[-1])


def _positive_definite(*shape: int) -> np.ndarray:
    b = rng.standard_normal(shape)
    return b @ np.swapaxes(b, -1, -2) + shape[-1] * np.eye(shape[-1])


def _symmetric(*shape: int) -> np.ndarray:
    b = rng.standard_normal(shape)
    return b + np.swapaxes(b, -1, -2)


SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


# ---------------------------------------------------------------- values against NumPy


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_det_slogdet_inv_keep_the_dtype_and_match_numpy_over_a_batch(dtype):
    a = _invertible(2, 3, 4, 4).astype(dtype)
    a[0, 0, 0] *= -1  # (some determinants negative)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for got, want in [
        (L.det(tg.tensor(a)), np.linalg.det(a)),
        (L.inv(tg.tensor(a)), np.linalg.inv(a)),
        (L.slogdet(tg.tensor(a)).logabsdet, np.linalg.slogdet(a).logabsdet),
        (L.slogdet(tg.tensor(a)).sign, np.linalg.slogdet(a).sign),
    ]:
        assert got.dtype == dtype and got.shape == want.shape
        np.testing.assert_allclose(got.data, want, rtol=tol)
    sign, logabsdet = L.slogdet(tg.tensor(SINGULAR))  # a named pair, as PyTorch's
    assert sign.item() == 0 and logabsdet.item() == -math.inf
    assert L.det(tg.tensor(np.zeros((0, 0)))).item() == 1.0  # the empty product
    assert L.inv(tg.ones(2, 0, 0)).shape == (2, 0, 0)


def test_solve_reads_b_as_pytorch_does_and_broadcasts_the_batch():
    a = _invertible(4, 3, 3)
    x = L.solve(tg.tensor(a), tg.tensor(b := rng.standard_normal((4, 3))))  # a batch of vectors
    np.testing.assert_allclose(x.data, np.linalg.solve(a, b[..., None])[..., 0], rtol=1e-12)
    x = L.solve(tg.tensor(a), tg.tensor(b := rng.standard_normal(3)))  # one vector for the batch
    np.testing.assert_allclose(x.data, np.linalg.solve(a, np.broadcast_to(b[:, None], (4, 3, 1)))[..., 0])
    x = L.solve(tg.tensor(a[0]), tg.tensor(b := rng.standard_normal((2, 1, 3, 5))))  # batch dims broadcast
    assert x.shape == (2, 1, 3, 5)
    np.testing.assert_allclose(x.data, np.linalg.solve(a[0], b), rtol=1e-12)
    # B of shape (3, 3) next to A of shape (3, 3, 3) is a batch of 3 vectors, not one matrix
    square = _invertible(3, 3, 3)
    x = L.solve(tg.tensor(square), tg.tensor(b := rng.standard_normal((3, 3))))
    np.testing.assert_allclose(x.data, np.linalg.solve(square, b[..., None])[..., 0], rtol=1e-12)
    # left=False: X A = B
    x = L.solve(tg.tensor(a), tg.tensor(b := rng.standard_normal((4, 2, 3))), left=False)
    np.testing.assert_allclose(x.data @ a, b, atol=1e-12)


def test_cholesky_reads_one_triangle_and_upper_gives_the_transpose():
    a = _positive_definite(2, 4, 4)
    lower = np.linalg.cholesky(a)
    np.testing.assert_allclose(L.cholesky(tg.tensor(a)).data, lower, rtol=1e-12)
    np.testing.assert_allclose(L.cholesky(tg.tensor(a), upper=True).data, np.swapaxes(lower, -1, -2))
    garbled = np.tril(a) + np.triu(rng.standard_normal(a.shape), 1)  # the upper triangle is never read
    np.testing.assert_allclose(L.cholesky(tg.tensor(garbled)).data, lower, rtol=1e-12)
    garbled = np.triu(a) + np.tril(rng.standard_normal(a.shape), -1)  # nor, for upper=True, the lower
    np.testing.assert_allclose(L.cholesky(tg.tensor(garbled), upper=True).data, np.swapaxes(lower, -1, -2))


def test_matrix_power_for_positive_zero_and_negative_n():
    a = _invertible(2, 3, 3)
    for n in (1, 2, 5, 0, -1, -3):
        got = L.matrix_power(tg.tensor(a), n)
        np.testing.assert_allclose(got.data, np.linalg.matrix_power(a, n), rtol=1e-10, atol=1e-12)
    ints = np.array([[1, 2], [3, 4]])
    got = L.matrix_power(tg.tensor(ints), 3)
    assert got.dtype == np.int64 and got.tolist() == np.linalg.matrix_power(ints, 3).tolist()
    x = tg.tensor(a, requires_grad=True)
    assert L.matrix_power(x, 1) is not x  # a copy, as PyTorch's
    identity = L.matrix_power(x, 0)
    assert identity.requires_grad  # recorded, with a zero gradient, as in PyTorch
    identity.sum().backward()
    assert np.all(x.grad.data == 0)


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigvalsh_and_eigh_match_numpy_reading_one_triangle(uplo):
    a = _symmetric(3, 4, 4)
    garbled = a + (np.triu if uplo == "L" else np.tril)(
        rng.standard_normal(a.shape), 1 if uplo == "L" else -1
    )
    w = L.eigvalsh(tg.tensor(garbled), UPLO=uplo)
    np.testing.assert_allclose(w.data, np.linalg.eigvalsh(a), rtol=1e-12, atol=1e-12)
    w, u = L.eigh(tg.tensor(garbled), UPLO=uplo)
    np.testing.assert_allclose(a @ u.data, u.data * w.data[..., None, :], atol=1e-12)  # A U = U diag(w)
    np.testing.assert_allclose(
        np.swapaxes(u.data, -1, -2) @ u.data, np.broadcast_to(np.eye(4), a.shape), atol=1e-12
    )


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (2, 4, 4), (2, 1, 3), (0, 3), (3, 0)])
def test_svdvals_match_numpy_for_tall_wide_and_batched_matrices(shape):
    a = rng.standard_normal(shape)
    got = L.svdvals(tg.tensor(a))
    want = np.linalg.svd(a, compute_uv=False)
    assert got.shape == want.shape
    np.testing.assert_allclose(got.data, want, atol=1e-12)
    assert np.all(np.diff(got.data, axis=-1) <= 0)  # descending


def test_pinv_matches_numpy_with_pytorchs_tolerances():
    a = rng.standard_normal((2, 4, 3))
    np.testing.assert_allclose(L.pinv(tg.tensor(a)).data, np.linalg.pinv(a), rtol=1e-10, atol=1e-12)
    # rank 1 (the second singular value is 1e-17 or so): below eps * max(m, n) * s_max, so cut
    rank_one = np.outer([1.0, 2.0, 3.0], [1.0, -1.0])
    np.testing.assert_allclose(L.pinv(tg.tensor(rank_one)).data, np.linalg.pinv(rank_one), atol=1e-12)
    d = np.diag([1.0, 0.01])
    cut = np.diag([1.0, 0.0])
    for kwargs in ({"atol": 0.1}, {"rtol": 0.1}, {"atol": tg.tensor(0.1)}, {"atol": 0.001, "rtol": 0.1}):
        np.testing.assert_allclose(L.pinv(tg.tensor(d), **kwargs).data, cut)
    np.testing.assert_allclose(L.pinv(tg.tensor(d), atol=0.001).data, np.diag([1.0, 100.0]))
    s = _symmetric(3, 3)
    np.testing.assert_allclose(L.pinv(tg.tensor(s), hermitian=True).data, np.linalg.pinv(s), rtol=1e-10)
    assert L.pinv(tg.ones(0, 3)).shape == (3, 0)


@pytest.mark.parametrize("ord", [2, 1, 3, 0.5, 0, math.inf, -math.inf, -1, -2.5])
def test_vector_norm_matches_numpy_over_any_dims(ord):
    x = rng.standard_normal((2, 3, 4))
    np.testing.assert_allclose(L.vector_norm(tg.tensor(x), ord).data, np.linalg.norm(x.ravel(), ord))
    # over dims (0, 2): the vectors are x[:, j, :], so move dim 1 first and flatten the rest
    want = np.linalg.norm(np.moveaxis(x, 1, 0).reshape(3, -1), ord, axis=-1)
    got = L.vector_norm(tg.tensor(x), ord, (0, 2), keepdim=True)
    assert got.shape == (1, 3, 1)
    np.testing.assert_allclose(got.data.ravel(), want, rtol=1e-12)
    for dim in (1, -1):
        got = L.vector_norm(tg.tensor(x), ord, dim)
        np.testing.assert_allclose(got.data, np.linalg.norm(x, ord, axis=dim), rtol=1e-12)


@pytest.mark.parametrize("ord", ["fro", "nuc", math.inf, -math.inf, 1, -1, 2, -2])
def test_matrix_norm_matches_numpy_for_every_order_and_dims(ord):
    a = rng.standard_normal((2, 3, 4))
    np.testing.assert_allclose(L.matrix_norm(tg.tensor(a), ord).data, np.linalg.norm(a, ord, axis=(-2, -1)))
    got = L.matrix_norm(tg.tensor(a), ord, dim=(2, 0), keepdim=True)  # rows along dim 2, columns along 0
    assert got.shape == (1, 3, 1)
    np.testing.assert_allclose(got.data.ravel(), np.linalg.norm(a, ord, axis=(2, 0)), rtol=1e-12)
    np.testing.assert_allclose(L.norm(tg.tensor(a[0]), ord).data, np.linalg.norm(a[0], ord), rtol=1e-12)


def test_norm_chooses_a_vector_or_a_matrix_norm_as_pytorch_does():
    a = rng.standard_normal((2, 3, 4))
    np.testing.assert_allclose(L.norm(tg.tensor(a)).data, np.linalg.norm(a.ravel()))  # all entries
    np.testing.assert_allclose(L.norm(tg.tensor(a[0, 0]), 3).data, np.linalg.norm(a[0, 0], 3))  # 1-D
    np.testing.assert_allclose(L.norm(tg.tensor(a[0]), 1).data, np.linalg.norm(a[0], 1))  # 2-D: matrix 1-norm
    np.testing.assert_allclose(L.norm(tg.tensor(a), 3, dim=1).data, np.linalg.norm(a, 3, axis=1))
    np.testing.assert_allclose(L.norm(tg.tensor(a), 2, dim=(2, 1)).data, np.linalg.norm(a, 2, axis=(2, 1)))
    np.testing.assert_allclose(L.norm(tg.tensor(a), dim=(0, 2)).data, np.linalg.norm(a, "fro", axis=(0, 2)))


def test_norms_take_a_dtype_to_compute_in_and_keep_float16_where_pytorch_does():
    x = tg.tensor(rng.standard_normal((3, 3)).astype(np.float32))
    for norm in (L.vector_norm(x, dtype=tg.float64), L.matrix_norm(x, math.inf, dtype=tg.float64)):
        assert norm.dtype == np.float64
    half = tg.tensor(np.eye(2, dtype=np.float16))
    assert L.vector_norm(half).dtype == np.float16 and L.matrix_norm(half, 1).dtype == np.float16
    # the norm of an empty matrix is 0 for the positive orders
    for ord in ("fro", "nuc", math.inf, 1, 2):
        assert L.matrix_norm(tg.ones(2, 0, 3), ord).tolist() == [0.0, 0.0]


def test_cross_vecdot_and_multi_dot_match_numpy():
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((1, 3))
    np.testing.assert_allclose(L.cross(tg.tensor(a), tg.tensor(b)).data, np.cross(a, b))
    np.testing.assert_allclose(L.cross(tg.tensor(a.T), tg.tensor(b.T), dim=0).data, np.cross(a, b).T)
    assert L.cross(tg.tensor([1, 0, 0]), tg.tensor([0, 1, 0])).tolist() == [0, 0, 1]  # integers too
    np.testing.assert_allclose(L.vecdot(tg.tensor(a), tg.tensor(b[0])).data, a @ b[0])
    np.testing.assert_allclose(L.vecdot(tg.tensor(a), tg.tensor(a), dim=0).data, (a * a).sum(0))
    shapes = [(5,), (5, 40), (40, 2), (2, 30), (30,)]
    arrays = [rng.standard_normal(s) for s in shapes]
    np.testing.assert_allclose(L.multi_dot([tg.tensor(t) for t in arrays]).data, np.linalg.multi_dot(arrays))
    assert L.multi_dot((tg.ones(3), tg.ones(3))).shape == ()
    assert L.multi_dot([tg.ones(3), tg.ones(3, 2), tg.ones(2, 5)]).shape == (5,)


def test_multi_dot_multiplies_in_the_cheapest_order():
    # (10, 100) (100, 5) (5, 50): (AB)C costs 5000 + 2500, A(BC) costs 25000 + 50000
    assert _cheapest_order([10, 100, 5, 50])[0][2] == 1
    # (50, 5) (5, 100) (100, 10): A(BC) is cheaper
    assert _cheapest_order([50, 5, 100, 10])[0][2] == 0


# ---------------------------------------------------------------- errors


def test_a_singular_matrix_raises_linalgerror_a_runtimeerror_naming_the_batch_element():
    assert issubclass(L.LinAlgError, RuntimeError)
    batch = tg.tensor(np.stack([np.eye(2), SINGULAR]), requires_grad=True)
    for call, words in [
        (lambda: L.inv(batch), "linalg.inv: \\(Batch element 1\\): The inversion could not be completed"),
        (
            lambda: L.solve(batch, tg.ones(2, dtype=tg.float64)),
            "linalg.solve: \\(Batch element 1\\): The solver",
        ),
        (lambda: L.matrix_power(batch, -2), "linalg.inv"),
    ]:
        with pytest.raises(L.LinAlgError, match=words + ".*singular.*\\(2, 2, 2\\)"):
            call()
    with pytest.raises(L.LinAlgError, match="linalg.inv: The inversion"):  # one matrix: no batch element
        L.inv(tg.tensor(SINGULAR))
    assert batch.grad is None and batch.data[1].tolist() == SINGULAR.tolist()  # left as it was


def test_cholesky_names_the_first_leading_minor_that_is_not_positive_definite():
    batch = tg.tensor(np.stack([np.eye(3), np.diag([4.0, 1.0, -1.0]), [[1.0, 2, 0], [2, 1, 0], [0, 0, 1]]]))
    with pytest.raises(L.LinAlgError, match=r"\(Batch element 1\): .*the leading minor of order 3 is not"):
        L.cholesky(batch)
    with pytest.raises(L.LinAlgError, match="linalg.cholesky: The factorization.*minor of order 2"):
        L.cholesky(tg.tensor([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(L.LinAlgError, match="order 2"):  # upper=True reads the upper triangle
        L.cholesky(tg.tensor([[4.0, 5.0], [1.0, 3.0]]), upper=True)


@pytest.mark.parametrize(
    "op", ["det", "slogdet", "inv", "cholesky", "eigvalsh", "eigh", "svdvals", "pinv", "matrix_norm"]
)
def test_shapes_and_dtypes_are_checked_as_pytorch_does(op):
    fn = getattr(L, op)
    with pytest.raises(RuntimeError, match="at least 2 dimensions|2 or more dimensions"):
        fn(tg.ones(3))
    with pytest.raises(RuntimeError, match="floating point|float32 or float64"):
        fn(tg.ones(2, 2, dtype=tg.int64))
    if op not in ("svdvals", "pinv", "matrix_norm"):
        with pytest.raises(RuntimeError, match="must be batches of square matrices, but they are 2 by 3"):
            fn(tg.ones(2, 3))
    if op != "matrix_norm":
        with pytest.raises(RuntimeError, match="Low precision|float32 or float64"):
            fn(tg.ones(2, 2, dtype=tg.float16))


def test_argument_errors_of_solve_matrix_power_and_the_norms():
    with pytest.raises(RuntimeError, match=r"equation AX = B \(3x3 and 2x1\)"):
        L.solve(tg.eye(3), tg.ones(2))
    with pytest.raises(RuntimeError, match=r"equation XA = B \(3x3 and 3x1\)"):  # a vector is a column
        L.solve(tg.eye(3), tg.ones(3), left=False)
    with pytest.raises(RuntimeError, match="Expected A and B to have the same dtype"):
        L.solve(tg.eye(3), tg.ones(3, dtype=tg.float64))
    with pytest.raises(TypeError, match="argument 'n' \\(position 2\\) must be int, not float"):
        L.matrix_power(tg.eye(2), 2.0)
    with pytest.raises(RuntimeError, match="linalg.inv: Expected a floating point"):
        L.matrix_power(tg.ones(2, 2, dtype=tg.int64), -1)
    x = tg.ones(2, 3)
    with pytest.raises(RuntimeError, match="dtype should be floating point"):
        L.vector_norm(x, dtype=tg.int64)
    with pytest.raises(RuntimeError, match=r"input \(float64\) should be convertible without narrowing"):
        L.vector_norm(x.double(), dtype=tg.float32)
    with pytest.raises(TypeError, match="'ord' must be Number, not str"):
        L.vector_norm(x, "fro")
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times"):
        L.vector_norm(x, dim=(0, -2))
    with pytest.raises(RuntimeError, match="cannot compute the inf norm on an empty tensor"):
        L.vector_norm(tg.ones(0), math.inf)
    with pytest.raises(RuntimeError, match="cannot compute the -1 norm on the dimension 0 because"):
        L.vector_norm(tg.ones(0, 2), -1, dim=0)
    with pytest.raises(RuntimeError, match="Order 3 not supported"):
        L.matrix_norm(x, 3)
    with pytest.raises(RuntimeError, match="dim must be a 2-tuple. Got 0"):
        L.matrix_norm(x, dim=(0,))
    with pytest.raises(RuntimeError, match=r"dims must be different. Got \(1, 1\)"):
        L.matrix_norm(x, dim=(1, -1))
    with pytest.raises(
        RuntimeError, match="If dim is not specified but ord is, the input must be 1D or 2D. Got 3D"
    ):
        L.norm(tg.ones(2, 3, 4), 2)
    with pytest.raises(RuntimeError, match="it must be of length 1 or 2"):
        L.norm(tg.ones(2, 3, 4), dim=(0, 1, 2))
    with pytest.raises(RuntimeError, match="Expected UPLO argument to be 'L' or 'U', but got X"):
        L.eigvalsh(tg.eye(2), UPLO="X")


def test_argument_errors_of_cross_vecdot_and_multi_dot():
    with pytest.raises(RuntimeError, match="inputs must have the same number of dimensions"):
        L.cross(tg.ones(4, 3), tg.ones(3))
    with pytest.raises(RuntimeError, match="inputs dimension -1 must have length 3. Got 2 and 2"):
        L.cross(tg.ones(2), tg.ones(2))
    with pytest.raises(RuntimeError, match="same dtype"):
        L.cross(tg.ones(3), tg.ones(3, dtype=tg.float64))
    with pytest.raises(NotImplementedError, match="bool"):
        L.cross(tg.ones(3, dtype=tg.bool), tg.ones(3, dtype=tg.bool))
    with pytest.raises(RuntimeError, match="Expected x and y to have the same dtype"):
        L.vecdot(tg.ones(3), tg.ones(3, dtype=tg.float64))
    with pytest.raises(RuntimeError, match="Expected a floating point tensor as input. Got int64"):
        L.vecdot(tg.tensor([1, 2]), tg.tensor([3, 4]))
    for tensors, words in [
        ([tg.ones(2, 2)], "expected at least 2 tensors but got 1"),
        ([tg.ones(2, 2, 2), tg.ones(2, 2)], "the first tensor must be 1D or 2D but got 3D"),
        ([tg.ones(2, 2), tg.ones(2, 2, 2)], "the last tensor must be 1D or 2D but got 3D"),
        ([tg.ones(2, 2), tg.ones(2), tg.ones(2, 2)], "tensor 1 must be 2D but got 1D"),
        (
            [tg.ones(2, 3), tg.ones(3, 2), tg.ones(3, 2)],
            r"tensors 1 and 2 with shapes \[3, 2\] and \[3, 2\] cannot",
        ),
        ([tg.ones(2, 3), tg.ones(3, 2, dtype=tg.float64)], "tensor 0 is float32 and tensor 1 float64"),
    ]:
        with pytest.raises(RuntimeError, match=words):
            L.multi_dot(tensors)


# ---------------------------------------------------------------- gradients beyond the op table


def test_det_gradient_at_a_singular_matrix_is_its_cofactor_matrix():
    # rank 2 of 3: det is 0 but its derivative, the cofactor matrix, is not. Two equal rows make
    # det exactly 0 (the SVD's cofactors); a row that is the sum of two others leaves a det of
    # about 1e-15 after rounding (det A^{-T}, still the cofactors to within rounding)
    exact = np.array([[0.3, 2.0, 3.0], [4.0, 5.0, 6.1], [0.3, 2.0, 3.0]])
    rounded = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [5.0, 7.0, 9.0]])
    x = tg.tensor(np.stack([exact, rounded, _invertible(3, 3)]), requires_grad=True)
    L.det(x).sum().backward()
    rows = [x.data[:, i] for i in range(3)]  # of a 3 by 3 matrix: row i is r_{i+1} x r_{i+2}
    cofactors = np.stack([np.cross(rows[(i + 1) % 3], rows[(i + 2) % 3]) for i in range(3)], 1)
    np.testing.assert_allclose(x.grad.data, cofactors, atol=1e-12)
    assert np.abs(x.grad.data[0]).max() > 1
    assert gradcheck(L.det, [tg.tensor(exact, requires_grad=True)])
    with pytest.raises(RuntimeError, match="second derivative at a singular matrix"):
        gradgradcheck(L.det, [tg.tensor(exact, requires_grad=True)])


def test_pinv_gradient_where_a_small_singular_value_is_cut():
    # rank 2 of 3 after the cut: the derivative of the pseudo-inverse of the rank-2 matrix
    a = rng.standard_normal((4, 3)) @ np.diag([3.0, 1.0, 0.0]) @ rng.standard_normal((3, 3))
    # (an atol far above the finite-difference step, so that the perturbed matrices are cut alike)
    assert gradcheck(lambda t: L.pinv(t, atol=1e-3) @ t, [tg.tensor(a, requires_grad=True)])


# ---------------------------------------------------------------- against PyTorch


def _torch_pair(torch, array: np.ndarray, requires_grad: bool = True):
    return tg.tensor(array, requires_grad=requires_grad), torch.tensor(array, requires_grad=requires_grad)


CASES = {
    "det": (lambda m, a: m.linalg.det(a), [lambda: _invertible(2, 3, 3) * [[-1], [1], [1]]]),
    "slogdet": (
        lambda m, a: m.linalg.slogdet(a)[1] * m.linalg.slogdet(a)[0],
        [lambda: _invertible(3, 3) * [[-1], [1], [1]]],
    ),
    "inv": (lambda m, a: m.linalg.inv(a), [lambda: _invertible(2, 4, 4)]),
    "solve": (
        lambda m, a, b: m.linalg.solve(a, b),
        [lambda: _invertible(2, 3, 3), lambda: rng.standard_normal((3, 2))],
    ),
    "solve_vector": (
        lambda m, a, b: m.linalg.solve(a, b),
        [lambda: _invertible(2, 3, 3), lambda: rng.standard_normal((2, 3))],
    ),
    "solve_right": (
        lambda m, a, b: m.linalg.solve(a, b, left=False),
        [lambda: _invertible(3, 3), lambda: rng.standard_normal((2, 4, 3))],
    ),
    # (not symmetric: both read their own triangle, and give a symmetric gradient)
    "cholesky": (
        lambda m, a: m.linalg.cholesky(a),
        [lambda: _positive_definite(2, 3, 3) + np.triu(np.ones((3, 3)), 1)],
    ),
    "cholesky_upper": (
        lambda m, a: m.linalg.cholesky(a, upper=True),
        [lambda: _positive_definite(3, 3) + np.tril(np.ones((3, 3)), -1)],
    ),
    "eigvalsh": (
        lambda m, a: m.linalg.eigvalsh(a),
        [lambda: _symmetric(2, 4, 4) + np.triu(np.ones((4, 4)), 1)],
    ),
    "eigvalsh_upper": (lambda m, a: m.linalg.eigvalsh(a, UPLO="U"), [lambda: _symmetric(4, 4)]),
    "eigh_vectors": (lambda m, a: m.linalg.eigh(a)[1] ** 2, [lambda: _symmetric(2, 3, 3)]),
    "svdvals": (lambda m, a: m.linalg.svdvals(a), [lambda: rng.standard_normal((2, 3, 5))]),
    "pinv": (lambda m, a: m.linalg.pinv(a), [lambda: rng.standard_normal((2, 5, 3))]),
    "pinv_hermitian": (lambda m, a: m.linalg.pinv(a, hermitian=True), [lambda: _symmetric(3, 3)]),
    "matrix_power": (
        lambda m, a: m.linalg.matrix_power(a, 3) + m.linalg.matrix_power(a, -2),
        [lambda: _invertible(3, 3)],
    ),
    "vector_norm": (
        # zeros (where p < 1 has an infinite slope; a column of them makes the p < 0 norm 0)
        lambda m, a: (
            m.linalg.vector_norm(a, 0.5, dim=(0, 2))
            + m.linalg.vector_norm(a, math.inf, dim=(2, 0))
            + m.linalg.vector_norm(a, -1.5, dim=0).sum(-1)
        ),
        [lambda: np.where(rng.random((2, 3, 4)) < 0.2, 0.0, rng.standard_normal((2, 3, 4))) * [1, 1, 1, 0]],
    ),
    "matrix_norm": (
        lambda m, a: sum(m.linalg.matrix_norm(a, o, dim=(2, 0)) for o in ("fro", "nuc", math.inf, -1, 2, -2)),
        [lambda: rng.standard_normal((3, 2, 4))],
    ),
    "norm": (
        lambda m, a: m.linalg.norm(a) + m.linalg.norm(a, 2, dim=-1).sum(),
        [lambda: rng.standard_normal((3, 4))],
    ),
    "cross": (
        lambda m, a, b: m.linalg.cross(a, b, dim=0),
        [lambda: rng.standard_normal((3, 4)), lambda: rng.standard_normal((3, 1))],
    ),
    "vecdot": (
        lambda m, a, b: m.linalg.vecdot(a, b),
        [lambda: rng.standard_normal((2, 3)), lambda: rng.standard_normal(3)],
    ),
    "multi_dot": (
        lambda m, a, b, c: m.linalg.multi_dot([a, b, c]),
        [
            lambda: rng.standard_normal(4),
            lambda: rng.standard_normal((4, 6)),
            lambda: rng.standard_normal((6, 2)),
        ],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_values_and_gradients_match_pytorch(name):
    torch = pytest.importorskip("torch")
    fn, makers = CASES[name]
    pairs = [_torch_pair(torch, make()) for make in makers]
    ours, theirs = fn(tg, *[p[0] for p in pairs]), fn(torch, *[p[1] for p in pairs])
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = rng.standard_normal(ours.shape)
    ours.backward(tg.tensor(upstream))
    theirs.backward(torch.tensor(upstream))
    for mine, other in pairs:
        np.testing.assert_allclose(mine.grad.data, other.grad.numpy(), rtol=1e-8, atol=1e-10)


def test_float32_results_and_the_error_types_match_pytorch():
    torch = pytest.importorskip("torch")
    a = _invertible(2, 3, 3).astype(np.float32)
    for op in ("det", "inv", "svdvals", "eigvalsh", "pinv", "cholesky"):
        x = a @ np.swapaxes(a, -1, -2) if op == "cholesky" else a
        ours, theirs = getattr(L, op)(tg.tensor(x)), getattr(torch.linalg, op)(torch.tensor(x))
        assert ours.dtype == np.float32 and str(theirs.dtype) == "torch.float32"
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-4, atol=1e-5)
    for call in (lambda m, t: m.linalg.inv(t), lambda m, t: m.linalg.cholesky(t)):
        with pytest.raises(torch.linalg.LinAlgError):
            call(torch, torch.tensor(SINGULAR))
        with pytest.raises(L.LinAlgError):
            call(tg, tg.tensor(SINGULAR))
    # every name here is one of torch.linalg's
    assert set(L.__all__) <= set(dir(torch.linalg))


def test_svdvals_of_rank_deficient_matrices_are_never_negative_and_stay_sorted():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((60, 4, 2)) @ rng.standard_normal((60, 2, 4))  # rank 2: two zero values
    s = tg.linalg.svdvals(tg.tensor(a)).data
    assert (s >= 0).all() and (np.diff(s, axis=-1) <= 0).all()
    np.testing.assert_allclose(s, np.linalg.svd(a, compute_uv=False), atol=1e-12)
    singular = tg.tensor(np.array([[-9.0, 3.0, 9.0], [-3.0, 1.0, 3.0], [-3.0, 1.0, 3.0]]))
    assert tg.linalg.matrix_norm(singular, -2).item() >= 0  # the smallest singular value
