"""Least squares, the numerical rank and the condition number: what the singular values tell.

    lstsq(A, B)     X = A^+ B, the X that minimizes ||A X - B||_F (the shortest one if many do)
    matrix_rank(A)  the number of singular values s > max(atol, rtol * s_max)
    cond(A, p)      ||A||_p ||A^{-1}||_p;  for p = 2 (the default) s_max / s_min

No Function of their own: X is pinv(A) @ B, whose gradient is pinv's and
matmul's (PyTorch's lstsq differentiates through pinv too), cond is built
from svdvals, inv and the norms, and a rank has no gradient.

lstsq returns PyTorch's four fields, filled as its CPU drivers fill them: the
default "gelsy" (QR with column pivoting) gives the rank; "gelsd" and "gelss"
(SVD) the rank and the singular values; "gels" (QR, A assumed of full rank)
neither. The squared residuals ||A x_j - b_j||^2, one per column of B, come
only for m > n, from every driver but gelsy, and from gelsd and gelss only
when every A has rank n. What is not filled is an empty tensor.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from ..ops.broadcast import broadcast_shape
from ..ops.elementwise import where
from ..tensor import Tensor
from .checks import check_float, check_matrices
from .inverse import inv
from .norms import matrix_norm
from .spectral import pinv, svdvals, tolerances

LstsqResult = namedtuple("LstsqResult", ["solution", "residuals", "rank", "singular_values"])

DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def lstsq(A: Tensor, B: Tensor, rcond: float | None = None, *, driver: str | None = None) -> LstsqResult:
    """(solution, residuals, rank, singular_values) for A (*, m, n) and B (*, m, k) or (*, m).

    Singular values s <= rcond * s_max count as 0; rcond defaults to eps * max(m, n).
    The solution and the residuals are differentiable in A and B.
    """
    op = "torch.linalg.lstsq"
    for name, t in (("A", A), ("B", B)):
        if not isinstance(t, Tensor):
            raise TypeError(f"linalg_lstsq(): argument '{name}' must be Tensor, not {type(t).__name__}")
    if A.ndim < 2:
        raise RuntimeError(f"{op}: input must have at least 2 dimensions.")
    check_float(A, "linalg.lstsq")
    check_float(B, "linalg.lstsq")
    if A.dtype != B.dtype:
        raise RuntimeError(
            f"{op}: Expected input and other to have the same dtype, but got input's dtype {A.dtype} "
            f"and other's dtype {B.dtype}"
        )
    driver = "gelsy" if driver is None else driver
    if driver not in DRIVERS:
        raise RuntimeError(f"{op}: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)")
    vector = B.ndim == A.ndim - 1
    columns = B.unsqueeze(-1) if vector else B
    if columns.ndim < 2 or columns.shape[-2] != A.shape[-2]:
        raise RuntimeError(f"{op}: input.size(-2) should match other.size(-2)")
    m, n = A.shape[-2:]
    if rcond is None:
        rcond = float(np.finfo(A.dtype).eps) * max(m, n)
    batch = broadcast_shape(A.shape[:-2], columns.shape[:-2], op="linalg.lstsq")
    a, b = A.expand(batch + (m, n)), columns.expand(batch + columns.shape[-2:])
    solution = pinv(a, atol=0.0, rtol=rcond) @ b

    # rank and singular values: of A as given (not broadcast), constants, as in PyTorch
    s = np.linalg.svd(A.data, compute_uv=False) if A.data.size else np.zeros(A.shape[:-2] + (0,), A.dtype)
    kept = s > rcond * s.max(-1, initial=0.0)[..., None]
    rank = kept.sum(-1).astype(np.int64)
    empty = Tensor._wrap(np.zeros(0, A.dtype))
    residuals = empty
    full_rank = driver == "gels" or bool(np.all(rank == n))
    if m > n and driver != "gelsy" and full_rank:
        residuals = ((a @ solution - b) ** 2).sum(-2)
    return LstsqResult(
        solution.squeeze(-1) if vector else solution,
        residuals,
        Tensor._wrap(rank) if driver != "gels" else Tensor._wrap(np.zeros(0, np.int64)),
        Tensor._wrap(s) if driver in ("gelsd", "gelss") else empty,
    )


def matrix_rank(
    A: Tensor,
    tol: float | Tensor | None = None,
    hermitian: bool = False,
    *,
    atol: float | Tensor | None = None,
    rtol: float | Tensor | None = None,
) -> Tensor:
    """The number of singular values s > max(atol, rtol * s_max) of each matrix of A (*, m, n), int64.

    Defaults as pinv's: atol = 0 and rtol = eps * max(m, n), or rtol = 0 when only an atol > 0
    is given. hermitian=True reads A as symmetric (its lower triangle): s = |eigenvalues|.
    tol, PyTorch's older name, is an atol alone (rtol = 0), and is not given with either.
    """
    if tol is not None:
        if atol is not None or rtol is not None:
            raise TypeError("matrix_rank(): give tol, or atol and rtol, not both")
        atol, rtol = tol, 0.0
    if isinstance(A, Tensor) and A.ndim < 2:
        raise RuntimeError(
            "torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions."
        )
    check_matrices(A, "linalg.eigh" if hermitian else "linalg.svd", square=hermitian)
    absolute, relative = tolerances(A, atol, rtol)
    if A.data.size == 0:
        return Tensor._wrap(np.zeros(A.shape[:-2], np.int64))
    if hermitian:
        s = np.abs(np.linalg.eigvalsh(A.data))
    else:
        s = np.linalg.svd(A.data, compute_uv=False)
    limit = np.maximum(absolute, relative * s.max(-1))
    return Tensor._wrap((s > limit[..., None]).sum(-1).astype(np.int64))


def cond(A: Tensor, p: float | str | None = None) -> Tensor:
    """The condition number of each matrix of A (*, m, n) in the norm p.

    p None or 2: s_max / s_min (any m, n); -2: s_min / s_max; "fro", inf, -inf, 1, -1:
    ||A||_p ||A^{-1}||_p, for square A only, and inf where A is singular (as in PyTorch);
    "nuc" (square A): sum(s) sum(1/s).
    """
    if isinstance(A, Tensor) and A.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    if p is None or (not isinstance(p, str) and p in (2, -2)):
        s = svdvals(A)
        with np.errstate(divide="ignore", invalid="ignore"):  # (a singular A: inf, or nan for A = 0)
            return s[..., 0] / s[..., -1] if p != -2 else s[..., -1] / s[..., 0]
    if not (p in ("fro", "nuc") or (not isinstance(p, str) and p in (math.inf, -math.inf, 1, -1))):
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    check_matrices(A, f"linalg.cond(ord={p})")
    if A.data.size == 0:
        return Tensor._wrap(np.zeros(A.shape[:-2], A.dtype))
    if p == "nuc":  # (as PyTorch: from the singular values, sum(s) sum(1/s); 0 * inf = nan for A = 0)
        s = svdvals(A)
        return s.sum(-1) * (1.0 / s).sum(-1)
    singular = np.linalg.det(A.data) == 0  # (where inv would raise: an exact zero pivot)
    # the singular ones are swapped for I before inv (so nothing raises), then their result for inf
    eye = np.eye(A.shape[-1], dtype=A.data.dtype)
    safe = where(singular[..., None, None], eye, A)
    result = matrix_norm(A, p) * matrix_norm(inv(safe), p)
    return where(singular, math.inf, result)
