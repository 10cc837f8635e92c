"""Eigenvalues of symmetric matrices, singular values and the pseudo-inverse.

For a symmetric A = U diag(w) U^T (eigenvalues w ascending, eigenvectors the
columns of U), a first-order change dA moves

    w_i by u_i^T dA u_i                  so  dL/dA = U diag(dL/dw) U^T
    U   by U (F o (U^T dA U))            so  dL/dA = U (F o skew(U^T dL/dU)) U^T

with F_ij = 1/(w_j - w_i) off the diagonal, o the elementwise product and
skew(M) = (M - M^T)/2. `Eigvalsh` and `EighVectors` write each backward with
the other Function, so derivatives of any order follow. Where two eigenvalues
tie, F is taken as 0 there (a tie whose gradient is shared alike, as the
unused zero eigenvalues below, contributes nothing; any other tie is a point
where the eigenvectors, and PyTorch's gradient, are not defined).

Singular values need no Function of their own: the symmetric matrix
[[0, A], [A^T, 0]] has the eigenvalues +s_i, -s_i (and |m - n| zeros), so
svdvals is the top min(m, n) of its eigenvalues, and its gradient
U diag(dL/ds) V^T comes from eigvalsh's.

    Pinv  P = A^+   dL/dA = -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A)   (G = dL/dP)

(the derivative of the pseudo-inverse where the rank does not change).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Literal

import numpy as np

from ..autograd.function import Function, Node
from ..ops.elementwise import where
from ..ops.joining import cat
from ..tensor import Tensor
from .checks import check_matrices

EigenvaluesEigenvectors = namedtuple("EigenvaluesEigenvectors", ["eigenvalues", "eigenvectors"])


class Eigvalsh(Function):
    """w = the eigenvalues of symmetric A, ascending;  dL/dA = U diag(dL/dw) U^T"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, uplo: Literal["L", "U"]) -> np.ndarray:
        ctx.uplo = uplo
        ctx.save_for_backward(a)
        return np.linalg.eigvalsh(a, UPLO=uplo)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        (a,) = ctx.saved_tensors
        u = EighVectors._apply1(a, ctx.uplo)  # (a Function of A too: second derivatives need dU)
        return (u * grad.unsqueeze(-2)) @ u.mT, None


class EighVectors(Function):
    """U = the eigenvectors of symmetric A, columns in the eigenvalues' order;
    dL/dA = U (F o skew(U^T dL/dU)) U^T,  F_ij = 1/(w_j - w_i), 0 where they tie"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, uplo: Literal["L", "U"]) -> np.ndarray:
        vectors = np.linalg.eigh(a, UPLO=uplo).eigenvectors
        ctx.uplo = uplo
        ctx.save_for_backward(a, vectors)
        return vectors

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        a, u = ctx.saved_tensors
        w = Eigvalsh._apply1(a, ctx.uplo)
        gap = w.unsqueeze(-2) - w.unsqueeze(-1)  # gap[..., i, j] = w_j - w_i
        tie = gap.data == 0  # (the diagonal, and equal eigenvalues)
        # NOTE: 1/gap is taken where there is no tie only, so that no inf meets a 0 in backward
        inverse_gap = where(tie, 0.0, 1.0 / where(tie, 1.0, gap))
        k = u.mT @ grad
        return u @ ((k - k.mT) * 0.5 * inverse_gap) @ u.mT, None


class Pinv(Function):
    """P = A^+, the pseudo-inverse (singular values at or below the tolerance count as 0);
    dL/dA = -P^T G P^T + (I - A P) G^T P P^T + P^T P G^T (I - P A)"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, atol: np.ndarray, rtol: np.ndarray, hermitian: bool) -> np.ndarray:
        p = _pseudo_inverse(a, atol, rtol, hermitian)
        ctx.save_for_backward(a, p)
        return p

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None]:
        a, p = ctx.saved_tensors
        g_t, p_t = grad.mT, p.mT
        grad_a = (
            -(p_t @ grad @ p_t)
            + (g_t - a @ (p @ g_t)) @ (p @ p_t)  # (I - A P) G^T P P^T
            + (p_t @ p) @ (g_t - (g_t @ p) @ a)  # P^T P G^T (I - P A)
        )
        return grad_a, None, None, None


def _pseudo_inverse(a: np.ndarray, atol: np.ndarray, rtol: np.ndarray, hermitian: bool) -> np.ndarray:
    """A^+ = V diag(1/s) U^T over the singular values s > max(atol, rtol * s_max) (the others give 0).

    hermitian: A symmetric (its lower triangle read), A = U diag(w) U^T, so that s = |w|
    and A^+ = U diag(1/w) U^T: one eigendecomposition instead of an SVD.
    """
    rows, cols = a.shape[-2:]
    if a.size == 0:
        return np.zeros(a.shape[:-2] + (cols, rows), a.dtype)
    if hermitian:
        w, u = np.linalg.eigh(a)
        s, right, left_t = np.abs(w), u * np.sign(w)[..., None, :], u.mT
    else:
        u, s, vt = np.linalg.svd(a, full_matrices=False)
        right, left_t = vt.mT, u.mT
    keep = s > np.maximum(atol, rtol * s.max(-1))[..., None]
    inverse_s = np.where(keep, 1 / np.where(keep, s, 1), 0).astype(a.dtype)
    return (right * inverse_s[..., None, :]) @ left_t


def _check_uplo(uplo: str) -> str:
    """UPLO as "L" or "U": PyTorch takes either case."""
    if not isinstance(uplo, str) or uplo.upper() not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {uplo}")
    return uplo.upper()


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """The eigenvalues of each symmetric matrix of A (*, n, n), ascending, read from its lower
    triangle (UPLO="L") or its upper one ("U", either case); the gradient is symmetric, as in PyTorch."""
    return Eigvalsh._apply1(check_matrices(A, "linalg.eigh"), _check_uplo(UPLO))


def eigh(A: Tensor, UPLO: str = "L") -> EigenvaluesEigenvectors:
    """(eigenvalues, eigenvectors) of each symmetric matrix of A: A = U diag(w) U^T.

    Each eigenvector is defined up to its sign (which NumPy's LAPACK chooses, maybe not as
    PyTorch's does), so only a loss that does not depend on those signs has a meaningful gradient.
    """
    UPLO = _check_uplo(UPLO)
    check_matrices(A, "linalg.eigh")
    return EigenvaluesEigenvectors(Eigvalsh._apply1(A, UPLO), EighVectors._apply1(A, UPLO))


def svdvals(A: Tensor, *, driver: str | None = None) -> Tensor:
    """The singular values of each matrix of A (*, m, n): min(m, n) of them, descending.

    `driver` picks a GPU solver in PyTorch; there is one way here, so it is ignored.

    The top eigenvalues of [[0, A], [A^T, 0]] (see the module docstring).
    """
    check_matrices(A, "linalg.svd", square=False)
    rows, cols = A.shape[-2:]
    batch = A.shape[:-2]
    top = Tensor._wrap(np.zeros(batch + (rows, rows), A.dtype))
    bottom = Tensor._wrap(np.zeros(batch + (cols, cols), A.dtype))
    joint = cat([cat([top, A], -1), cat([A.mT, bottom], -1)], -2)
    top_eigenvalues = eigvalsh(joint)[..., rows + cols - min(rows, cols) :]
    # A rank-deficient A has zero singular values, which the eigenvalues give as +-(rounding
    # error): their size, in descending order again, is what np.linalg.svd returns
    return top_eigenvalues.abs().sort(-1, descending=True).values


def pinv(
    A: Tensor,
    *,
    atol: float | Tensor | None = None,
    rtol: float | Tensor | None = None,
    hermitian: bool = False,
) -> Tensor:
    """The pseudo-inverse of each matrix of A (*, m, n), shape (*, n, m).

    Singular values s <= max(atol, rtol * s_max) count as 0. By default atol = 0 and
    rtol = eps * max(m, n); an atol > 0 given alone sets rtol = 0 (PyTorch's rules).
    hermitian=True reads A as symmetric (its lower triangle) and uses eigh; the gradient is
    still the general one, as PyTorch's, so it is meant for an A that is symmetric.
    """
    if not isinstance(A, Tensor) or A.ndim < 2 or A.data.dtype not in (np.float32, np.float64):
        shown = f"{A.dtype} of shape {A.shape}" if isinstance(A, Tensor) else type(A).__name__
        raise RuntimeError(
            f"linalg.pinv: expected a tensor with 2 or more dimensions of float32 or float64, got {shown}"
        )
    return Pinv._apply1(A, *tolerances(A, atol, rtol), bool(hermitian))


def tolerances(
    A: Tensor, atol: float | Tensor | None, rtol: float | Tensor | None
) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's (atol, rtol) for pinv and matrix_rank: by default atol = 0 and rtol = eps * max(m, n);
    an atol > 0 given alone sets rtol = 0."""
    absolute = np.asarray(0.0 if atol is None else (atol.data if isinstance(atol, Tensor) else atol))
    if rtol is None:
        default = np.finfo(A.dtype).eps * max(A.shape[-2:])
        relative = np.where(absolute > 0, 0.0, default) if atol is not None else np.asarray(default)
    else:
        relative = np.asarray(rtol.data if isinstance(rtol, Tensor) else rtol)
    return absolute, relative
