"""tg.linalg's decompositions and what is built on them: svd, qr, solve_triangular, matrix_exp,
lstsq, matrix_rank, cond; gradients against finite differences (first and second order, float64),
PyTorch's errors, and values and gradients against torch.linalg when it is installed. Also the
fixes: cholesky of a nan, eigh's lowercase UPLO, the 0-norm's backward, Tensor.norm's "nuc" and dtype."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg
from tinygrad_edu.linalg.svd import svd_old  # (tg.svd, until it is wired)
from tinygrad_edu.ops.reduce import norm as tensor_norm  # (Tensor.norm's function, until it takes dtype)
from tinygrad_edu.testing import gradcheck, gradgradcheck

L = tg.linalg
rng = np.random.default_rng(11)

BATCH = st.sampled_from([(), (2,), (2, 1)])
SIDE = st.integers(1, 3)


def _separated(a: np.ndarray) -> np.ndarray:
    """(*, m, n) with singular values within 0.3 min(m, n) of 10, 20, 30: distinct and far from 0."""
    m, n = a.shape[-2:]
    return np.eye(m, n) * (10.0 * np.arange(1, n + 1)) + 0.3 * a


def _matrices(batch: tuple[int, ...], m: int, n: int) -> st.SearchStrategy:
    return hnp.arrays(np.float64, batch + (m, n), elements=st.floats(-1, 1))


def _check_both_orders(fn, *arrays: np.ndarray) -> None:
    inputs = [tg.tensor(a, requires_grad=True) for a in arrays]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


# ---------------------------------------------------------------- gradients against finite differences


@given(batch=BATCH, m=SIDE, n=SIDE, data=st.data())
def test_svd_gradients_of_every_factor(batch, m, n, data):
    a = _separated(data.draw(_matrices(batch, m, n)))

    def factors(x):
        u, s, vh = L.svd(x, full_matrices=False)
        # (u v^T and squares do not depend on the signs of the singular vectors)
        return [(u * s.unsqueeze(-2) ** 2) @ vh, (u * u) @ (vh * vh), s]

    _check_both_orders(factors, a)


@given(batch=BATCH, m=SIDE, n=SIDE, data=st.data())
def test_qr_gradients_for_tall_square_and_wide_matrices(batch, m, n, data):
    # (+ 0.5: no entry 0, where a column already zero below the diagonal would get no reflection
    # and R's sign, LAPACK's choice, jumps)
    a = _separated(data.draw(_matrices(batch, m, n))) + 0.5
    _check_both_orders(lambda x: list(L.qr(x)), a)
    if m <= n:
        _check_both_orders(lambda x: list(L.qr(x, mode="complete")), a)


@given(
    batch=BATCH, n=SIDE, k=SIDE, upper=st.booleans(), left=st.booleans(), unit=st.booleans(), data=st.data()
)
def test_solve_triangular_gradients(batch, n, k, upper, left, unit, data):
    a = data.draw(_matrices(batch, n, n)) + 3 * np.eye(n)
    b = data.draw(_matrices((), n, k) if left else _matrices((), k, n))  # (broadcast over the batch)
    _check_both_orders(
        lambda x, y: L.solve_triangular(x, y, upper=upper, left=left, unitriangular=unit), a, b
    )


@given(batch=BATCH, n=SIDE, scale=st.sampled_from([0.3, 3.0]), data=st.data())
def test_matrix_exp_gradients_with_and_without_squaring(batch, n, scale, data):
    _check_both_orders(L.matrix_exp, scale * data.draw(_matrices(batch, n, n)))


@given(batch=BATCH, shape=st.sampled_from([(3, 2), (2, 2), (2, 3)]), data=st.data())
def test_lstsq_gradients_of_the_solution_and_the_residuals(batch, shape, data):
    a = _separated(data.draw(_matrices(batch, *shape)))
    b = data.draw(_matrices(batch, shape[0], 2))
    _check_both_orders(lambda x, y: L.lstsq(x, y, driver="gelsd")[:2], a, b)


@pytest.mark.parametrize("p", [None, 2, -2, "fro", "nuc", math.inf, -math.inf, 1, -1])
def test_cond_gradients(p):
    _check_both_orders(lambda x: L.cond(x, p), _separated(rng.standard_normal((2, 3, 3))))


# ---------------------------------------------------------------- PyTorch's behaviour


def test_svd_values_and_the_deprecated_form():
    a = rng.standard_normal((2, 4, 3))
    for full in (True, False):
        u, s, vh = L.svd(tg.tensor(a), full_matrices=full)
        k = u.shape[-1] if not full else 3
        assert u.shape == ((2, 4, 4) if full else (2, 4, 3)) and vh.shape == (2, 3, 3) and s.shape == (2, 3)
        np.testing.assert_allclose(
            (u.data[..., :k] * s.data[..., None, :]) @ vh.data[..., :k, :], a, atol=1e-12
        )
        np.testing.assert_allclose(
            u.data.swapaxes(-1, -2) @ u.data,
            np.broadcast_to(np.eye(u.shape[-1]), (2,) + (u.shape[-1],) * 2),
            atol=1e-12,
        )
    u, s, v = svd_old(tg.tensor(a))
    np.testing.assert_allclose((u.data * s.data[..., None, :]) @ v.data.swapaxes(-1, -2), a, atol=1e-12)
    assert svd_old(tg.tensor(a), some=False).U.shape == (2, 4, 4)
    only = svd_old(tg.tensor(a), compute_uv=False)
    assert only.U.shape == (2, 4, 4) and only.V.shape == (2, 3, 3) and not only.U.data.any()
    np.testing.assert_allclose(only.S.data, np.linalg.svd(a, compute_uv=False))


def test_svd_full_matrices_drops_the_gradient_of_the_extra_columns_as_pytorch_does():
    for shape in [(4, 2), (2, 4)]:
        a = _separated(rng.standard_normal(shape))
        full, reduced = tg.tensor(a, requires_grad=True), tg.tensor(a, requires_grad=True)
        u, _, vh = L.svd(full)
        gu, gvh = rng.standard_normal(u.shape), rng.standard_normal(vh.shape)
        ((u * tg.tensor(gu)).sum() + (vh * tg.tensor(gvh)).sum()).backward()
        u, _, vh = L.svd(reduced, full_matrices=False)
        ((u * tg.tensor(gu[:, : u.shape[1]])).sum() + (vh * tg.tensor(gvh[: vh.shape[0]])).sum()).backward()
        np.testing.assert_allclose(full.grad.data, reduced.grad.data, atol=1e-12)


def test_errors_of_svd_qr_and_their_gradients():
    with pytest.raises(RuntimeError, match="keyword argument `driver=` is only supported on CUDA"):
        L.svd(tg.ones(2, 2), driver="gesvd")
    with pytest.raises(RuntimeError, match="linalg.svd: The input tensor A must have at least 2 dimensions"):
        L.svd(tg.ones(3))
    with pytest.raises(RuntimeError, match="linalg.qr: Expected a floating point"):
        L.qr(tg.ones(2, 2, dtype=tg.int64))
    with pytest.raises(RuntimeError, match="qr received unrecognized mode 'x' but expected one of"):
        L.qr(tg.ones(2, 2), mode="x")
    q, r = L.qr(x := tg.tensor(rng.standard_normal((3, 2)), requires_grad=True), mode="r")
    assert q.shape == (0,) and r.shape == (2, 2)
    with pytest.raises(RuntimeError, match="depends on Q, which is not computed when mode='r'"):
        r.sum().backward()
    q, r = L.qr(x, mode="complete")
    assert q.shape == (3, 3) and r.shape == (3, 2)
    with pytest.raises(RuntimeError, match="not differentiable when mode='complete' and nrows > ncols"):
        q.sum().backward()


def test_solve_triangular_reads_one_triangle_and_gives_inf_for_a_zero_pivot():
    a = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    b = rng.standard_normal((3, 2))
    x = L.solve_triangular(tg.tensor(a), tg.tensor(b), upper=True)
    np.testing.assert_allclose(np.triu(a) @ x.data, b, atol=1e-12)
    x = L.solve_triangular(tg.tensor(a), tg.tensor(b), upper=False, unitriangular=True)
    np.testing.assert_allclose((np.tril(a, -1) + np.eye(3)) @ x.data, b, atol=1e-12)
    x = L.solve_triangular(tg.zeros(3, 3, dtype=tg.float64), tg.ones(3, 2, dtype=tg.float64), upper=True)
    assert np.isinf(x.data[2]).all() and np.isnan(x.data[:2]).all()
    with pytest.raises(TypeError, match="upper"):
        L.solve_triangular(tg.tensor(a), tg.tensor(b))  # (upper has no default)
    for B, left, message in [
        (tg.ones(3), True, "The input tensor B must have at least 2 dimensions"),
        (tg.ones(4, 2), True, r"Incompatible shapes of A and B for the equation AX = B \(3x3 and 4x2\)"),
        (tg.ones(2, 4), False, r"Incompatible shapes of A and B for the equation XA = B \(3x3 and 2x4\)"),
    ]:
        with pytest.raises(RuntimeError, match=message):
            L.solve_triangular(tg.tensor(a), B.double(), upper=True, left=left)
    with pytest.raises(RuntimeError, match="A must be batches of square matrices, but they are 3 by 4"):
        L.solve_triangular(tg.ones(3, 4), tg.ones(3, 2), upper=True)


def test_matrix_exp_values_errors_and_the_tensor_method():
    a = np.array([[0.0, 1.0], [-1.0, 0.0]]) * 2.5  # a rotation by 2.5 radians
    c, s = math.cos(2.5), math.sin(2.5)
    np.testing.assert_allclose(L.matrix_exp(tg.tensor(a)).data, [[c, s], [-s, c]], atol=1e-14)
    d = np.diag([1.0, -40.0, 0.001])  # (a wide spread of scales)
    np.testing.assert_allclose(
        L.matrix_exp(tg.tensor(d)).data, np.diag(np.exp(np.diag(d))), rtol=1e-13, atol=0
    )
    assert L.matrix_exp(tg.ones(2, 0, 0)).shape == (2, 0, 0)
    assert L.matrix_exp(tg.ones(2, 2)).dtype == tg.float32
    with pytest.raises(
        RuntimeError, match="linalg.matrix_exp: A must be batches of square matrices, but they are 2 by 3"
    ):
        L.matrix_exp(tg.ones(2, 3))
    with pytest.raises(
        RuntimeError, match="linalg.matrix_exp: The input tensor A must have at least 2 dimensions"
    ):
        L.matrix_exp(tg.ones(3))


def test_lstsq_fills_the_fields_each_driver_fills_on_the_cpu():
    a, b = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 5, 2))
    want = np.stack([np.linalg.lstsq(a[i], b[i], rcond=None)[0] for i in range(2)])
    for driver in (None, "gels", "gelsy", "gelsd", "gelss"):
        x, residuals, rank, sv = L.lstsq(tg.tensor(a), tg.tensor(b), driver=driver)
        np.testing.assert_allclose(x.data, want, atol=1e-12)
        assert residuals.shape == ((0,) if driver in (None, "gelsy") else (2, 2))
        assert rank.shape == ((0,) if driver == "gels" else (2,)) and rank.dtype == tg.int64
        assert sv.shape == ((2, 3) if driver in ("gelsd", "gelss") else (0,))
        if residuals.numel():
            np.testing.assert_allclose(residuals.data, ((a @ want - b) ** 2).sum(-2), rtol=1e-12)
    x = L.lstsq(tg.tensor(a), tg.tensor(b[..., 0]), driver="gelsd")  # a batch of vectors
    assert x.solution.shape == (2, 3) and x.residuals.shape == (2, 1)
    a[0, :, 2] = a[0, :, 1]  # rank 2: the shortest solution, and no residuals
    x = L.lstsq(tg.tensor(a), tg.tensor(b), driver="gelsd")
    assert x.rank.tolist() == [2, 3] and x.residuals.shape == (0,)
    np.testing.assert_allclose(x.solution.data[0], np.linalg.pinv(a[0]) @ b[0], atol=1e-12)


def test_errors_of_lstsq_matrix_rank_and_cond():
    a, b = tg.ones(5, 3, dtype=tg.float64), tg.ones(5, 2, dtype=tg.float64)
    for call, message in [
        (
            lambda: L.lstsq(a, tg.ones(4, 2, dtype=tg.float64)),
            r"input.size\(-2\) should match other.size\(-2\)",
        ),
        (
            lambda: L.lstsq(a, b, driver="foo"),
            r"parameter `driver` should be one of \(gels, gelsy, gelsd, gelss\)",
        ),
        (lambda: L.lstsq(a, b.float()), "Expected input and other to have the same dtype"),
        (
            lambda: L.lstsq(tg.ones(3, dtype=tg.float64), tg.ones(3, dtype=tg.float64)),
            "input must have at least 2 dimensions",
        ),
        (lambda: L.matrix_rank(tg.ones(3)), "The input tensor input must have at least 2 dimensions"),
        (lambda: L.matrix_rank(a, hermitian=True), "linalg.eigh: A must be batches of square matrices"),
        (
            lambda: L.cond(a, 1),
            r"linalg.cond\(ord=1\): A must be batches of square matrices, but they are 5 by 3",
        ),
        (lambda: L.cond(tg.ones(3, 3), 3), "linalg.cond got an invalid norm type: 3"),
        (lambda: L.cond(tg.ones(3)), "linalg.cond: The input tensor must have at least 2 dimensions"),
    ]:
        with pytest.raises(RuntimeError, match=message):
            call()


def test_matrix_rank_tolerances_and_cond_of_a_singular_matrix():
    a = np.diag([1.0, 1e-3, 1e-9])
    assert L.matrix_rank(tg.tensor(a)).item() == 3 and L.matrix_rank(tg.tensor(a)).dtype == tg.int64
    assert L.matrix_rank(tg.tensor(a), atol=1e-4).item() == 2  # (an atol alone: rtol = 0)
    assert L.matrix_rank(tg.tensor(a), atol=0.01, rtol=1e-4).item() == 1
    assert L.matrix_rank(tg.tensor(-a), hermitian=True).item() == 3
    # tol, PyTorch's older absolute tolerance, by name or second in line
    assert L.matrix_rank(tg.tensor(a), tol=1e-4).item() == 2
    assert L.matrix_rank(tg.tensor(a), 1e-2, True).item() == 1
    with pytest.raises(TypeError, match="give tol, or atol and rtol, not both"):
        L.matrix_rank(tg.tensor(a), 1e-2, atol=1e-2)
    assert L.matrix_rank(tg.ones(2, 0, 3)).tolist() == [0, 0]
    for p in ("fro", 1, math.inf):
        assert L.cond(tg.zeros(2, 3, 3, dtype=tg.float64), p).tolist() == [math.inf, math.inf]
    assert math.isnan(L.cond(tg.zeros(3, 3, dtype=tg.float64)).item())  # 0 / 0
    np.testing.assert_allclose(L.cond(tg.tensor(a)).item(), 1e9, rtol=1e-9)


# ---------------------------------------------------------------- the fixes


def test_cholesky_of_a_nan_raises_naming_the_leading_minor():
    nan = math.nan
    for a, order, element in [
        ([[nan, 0.0], [0.0, 1.0]], 1, ""),
        ([[4.0, nan], [nan, 1.0]], 2, ""),
        ([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, nan]]], 2, r"\(Batch element 1\): "),
    ]:
        message = f"linalg.cholesky: {element}The factorization could not be completed because the input "
        with pytest.raises(
            L.LinAlgError,
            match=message + f"is not positive-definite \\(the leading minor of order {order} is",
        ):
            L.cholesky(tg.tensor(np.array(a)))
    # a nan in the triangle that is not read changes nothing
    np.testing.assert_array_equal(L.cholesky(tg.tensor(np.array([[1.0, nan], [0.0, 1.0]]))).data, np.eye(2))


def test_eigh_and_eigvalsh_take_uplo_in_either_case():
    a = np.array([[2.0, 1.0], [5.0, 3.0]])
    for upper in ("U", "u"):
        np.testing.assert_allclose(L.eigvalsh(tg.tensor(a), UPLO=upper).data, np.linalg.eigvalsh(a, UPLO="U"))
        np.testing.assert_allclose(L.eigh(tg.tensor(a), UPLO=upper)[0].data, np.linalg.eigvalsh(a, UPLO="U"))
    np.testing.assert_allclose(L.eigvalsh(tg.tensor(a), UPLO="l").data, np.linalg.eigvalsh(a))
    for bad in ("x", "uu"):
        with pytest.raises(RuntimeError, match=f"Expected UPLO argument to be 'L' or 'U', but got {bad}"):
            L.eigh(tg.tensor(a), UPLO=bad)


def test_the_zero_norm_is_recorded_and_leaves_the_gradient_none():
    for count in (lambda x: L.vector_norm(x, 0), lambda x: L.norm(x, 0), lambda x: tensor_norm(x, 0)):
        x = tg.tensor([1.0, 0.0, 2.0], requires_grad=True)
        y = count(x)
        assert y.item() == 2.0 and y.requires_grad
        y.backward()
        assert x.grad is None
    x = tg.tensor([1.0, 0.0, 2.0], requires_grad=True)
    (tensor_norm(x, 0) * x).sum().backward()  # (the gradient through the other factor only)
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_tensor_norm_takes_nuc_and_a_dtype():
    m = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    x = tg.tensor(m)
    np.testing.assert_allclose(tensor_norm(x, "nuc").item(), np.linalg.norm(m, "nuc"), rtol=1e-6)
    assert tensor_norm(x, "nuc", keepdim=True).shape == (1, 1)
    y = tensor_norm(x, dtype=tg.float64)
    assert y.dtype == tg.float64 and y.item() == pytest.approx(math.sqrt(30), rel=1e-15)
    assert tensor_norm(x, 3, dim=(0, 1)).item() == pytest.approx(100 ** (1 / 3), rel=1e-6)  # a vector norm
    np.testing.assert_allclose(tensor_norm(tg.ones(2, 2, 2), "fro").item(), math.sqrt(8), rtol=1e-6)
    for call, error, message in [
        (lambda: tensor_norm(tg.ones(2), "nuc"), RuntimeError, "must have at least 2 dimensions"),
        (lambda: tensor_norm(tg.ones(2, 2, 2), "nuc"), RuntimeError, "dim must be a 2-tuple. Got 0 1 2"),
        (lambda: tensor_norm(x, "nuc", dim=1), RuntimeError, "dim must be a 2-tuple. Got 1"),
        (lambda: tensor_norm(x, dtype=tg.float16), RuntimeError, "should be convertible without narrowing"),
        (lambda: tensor_norm(x, "abc"), RuntimeError, "Order abc not supported"),
    ]:
        with pytest.raises(error, match=message):
            call()


# ---------------------------------------------------------------- against PyTorch


def _pair(torch, a: np.ndarray):
    return tg.tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)


def _svd_products(m, a, full):
    u, s, vh = m.linalg.svd(a, full_matrices=full)
    k = s.shape[-1]
    u, vh = u[..., :k], vh[..., :k, :]
    return (u * s.unsqueeze(-2) ** 2) @ vh + (u * u) @ (
        vh * vh
    )  # (signs: LAPACK's differ, MKL's and OpenBLAS's)


def _lstsq_fields(m, a, b, driver):
    x, residuals, _, _ = m.linalg.lstsq(a, b, driver=driver)
    return x.sum(-2) if residuals.numel() == 0 else x.sum(-2) + residuals


CASES = {
    "svd": (lambda m, a: _svd_products(m, a, False), [(2, 4, 3)]),
    "svd_wide_full": (lambda m, a: _svd_products(m, a, True), [(2, 3, 5)]),
    "qr_tall": (lambda m, a: sum(t.sum(-2) for t in m.linalg.qr(a)), [(2, 4, 3)]),
    "qr_wide_complete": (
        lambda m, a: m.linalg.qr(a, mode="complete")[0] + m.linalg.qr(a)[1][..., :2],
        [(3, 2, 4)],
    ),
    "solve_triangular": (
        lambda m, a, b: (
            m.linalg.solve_triangular(a, b, upper=False)
            + m.linalg.solve_triangular(a, b, upper=True, unitriangular=True)
        ),
        [(2, 3, 3), (3, 2)],
    ),
    "solve_triangular_right": (
        lambda m, a, b: m.linalg.solve_triangular(a, b, upper=True, left=False),
        [(3, 3), (2, 1, 4, 3)],
    ),
    "matrix_exp": (lambda m, a: m.linalg.matrix_exp(a) + m.linalg.matrix_exp(0.01 * a), [(2, 3, 3)]),
    "lstsq_gelsy": (lambda m, a, b: _lstsq_fields(m, a, b, None), [(2, 5, 3), (2, 5, 2)]),
    "lstsq_gelsd_wide": (lambda m, a, b: _lstsq_fields(m, a, b, "gelsd"), [(3, 5), (3, 2)]),
    "lstsq_gels_residuals": (lambda m, a, b: _lstsq_fields(m, a, b, "gels"), [(5, 3), (5, 2)]),
    "lstsq_gelss_vector": (lambda m, a, b: m.linalg.lstsq(a, b, driver="gelss")[1], [(5, 3), (5,)]),
    # (PyTorch's backward of cond for "fro", "nuc", 1, inf, ... fails: an in-place change of what it saved)
    "cond": (lambda m, a: m.linalg.cond(a) + m.linalg.cond(a, -2), [(2, 3, 3)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_values_and_gradients_match_pytorch(name):
    torch = pytest.importorskip("torch")
    fn, shapes = CASES[name]
    pairs = [
        _pair(torch, 3 * np.eye(*s[-2:]) + rng.standard_normal(s) if len(s) > 1 else rng.standard_normal(s))
        for s in shapes
    ]
    ours, theirs = fn(tg, *[p[0] for p in pairs]), fn(torch, *[p[1] for p in pairs])
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = rng.standard_normal(ours.shape)
    ours.backward(tg.tensor(upstream))
    theirs.backward(torch.tensor(upstream))
    for mine, other in pairs:
        np.testing.assert_allclose(mine.grad.data, other.grad.numpy(), rtol=1e-8, atol=1e-10)


def test_qr_signs_ranks_and_the_fixes_match_pytorch():
    torch = pytest.importorskip("torch")
    a = rng.standard_normal((2, 5, 3))
    for mode in ("reduced", "complete", "r"):
        for ours, theirs in zip(L.qr(tg.tensor(a), mode), torch.linalg.qr(torch.tensor(a), mode)):
            np.testing.assert_allclose(ours.data, theirs.numpy(), atol=1e-12)  # (R's diagonal signs too)
    b = np.diag([1.0, 1e-3, 1e-9]) @ rng.standard_normal((2, 3, 3))
    for kw in ({}, {"atol": 1e-4}, {"rtol": 1e-4, "atol": 0.01}):
        assert (
            L.matrix_rank(tg.tensor(b), **kw).tolist()
            == torch.linalg.matrix_rank(torch.tensor(b), **kw).tolist()
        )
    nan = math.nan
    for c in ([[nan, 0.0], [0.0, 1.0]], [[[1.0, 0.0], [0.0, 1.0]], [[4.0, nan], [nan, 1.0]]]):
        with pytest.raises(RuntimeError) as ours_error:
            L.cholesky(tg.tensor(np.array(c)))
        with pytest.raises(RuntimeError) as theirs_error:
            torch.linalg.cholesky(torch.tensor(c))
        assert str(ours_error.value) == str(theirs_error.value)
    c = rng.standard_normal((2, 3, 3))
    for p in ("fro", "nuc", 1, -1, math.inf, -math.inf):
        np.testing.assert_allclose(
            L.cond(tg.tensor(c), p).data, torch.linalg.cond(torch.tensor(c), p).numpy(), rtol=1e-12
        )
    m = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert tensor_norm(tg.tensor(m), "nuc").item() == pytest.approx(
        torch.tensor(m).norm("nuc").item(), rel=1e-14
    )
