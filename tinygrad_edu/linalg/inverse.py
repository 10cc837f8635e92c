"""Determinants, inverses, linear solves, the Cholesky factor and integer matrix powers.

Each Function computes its forward with np.linalg (batched over leading dims)
and writes its backward with Tensor ops, among them the other Functions here,
so that second derivatives come out of the same code:

    Det        y = det A            dL/dA = dL/dy det(A) A^{-T}        (the cofactor matrix)
    LogAbsDet  y = log|det A|       dL/dA = dL/dy A^{-T}
    Inv        Y = A^{-1}           dL/dA = -Y^T (dL/dY) Y^T
    Solve      X = A^{-1} B         dL/dB = A^{-T} dL/dX (a solve),  dL/dA = -(dL/dB) X^T
    Cholesky   L, with A = L L^T    dL/dA = sym(L^{-T} Phi(L^T dL/dL) L^{-1})

where Phi keeps the lower triangle and halves the diagonal, and sym(M) is
(M + M^T)/2: A is read as symmetric, so its gradient is symmetric too, as in
PyTorch. matrix_power is repeated squaring with matmul (and inv for n < 0).
"""

from __future__ import annotations

import operator
from collections import namedtuple

import numpy as np

from ..autograd.function import Function, Node
from ..autograd.grad_mode import is_recording
from ..ops.broadcast import broadcast_shape
from ..ops.elementwise import where
from ..tensor import Tensor
from .checks import check_float, check_matrices, not_positive_definite_error, singular_error

SignLogAbsDet = namedtuple("SignLogAbsDet", ["sign", "logabsdet"])


class Det(Function):
    """y = det A;  dL/dA = dL/dy det(A) A^{-T}, the matrix of cofactors (scaled by dL/dy)"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        y = np.asarray(np.linalg.det(a))
        ctx.save_for_backward(a, y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        a, y = ctx.saved_tensors
        scale = (grad * y).unsqueeze(-1).unsqueeze(-1)
        if np.all(y.data != 0):
            return scale * Inv._apply1(a).mT
        # NOTE: at a singular matrix the cofactors are still defined (not zero for rank n - 1),
        # but A^{-T} is not: they come from the SVD instead, as constants, so only once.
        if is_recording():
            raise RuntimeError(
                "linalg.det: the second derivative at a singular matrix is not implemented "
                f"(A of shape {a.shape}); the first derivative is"
            )
        return grad.unsqueeze(-1).unsqueeze(-1) * Tensor._wrap(_cofactors(a.data))


def _cofactors(a: np.ndarray) -> np.ndarray:
    """det(A) A^{-T} without dividing by det: with A = U S V^T it is det(U V^T) U diag(c) V^T,
    c_i the product of the singular values other than s_i (right for singular A too)."""
    u, s, vt = np.linalg.svd(a)
    ones = np.ones_like(s[..., :1])
    before = np.cumprod(np.concatenate([ones, s[..., :-1]], -1), -1)  # s_1 ... s_{i-1}
    after = np.cumprod(np.concatenate([ones, s[..., :0:-1]], -1), -1)[..., ::-1]  # s_{i+1} ... s_n
    sign = np.linalg.det(u) * np.linalg.det(vt)
    return sign[..., None, None] * ((u * (before * after)[..., None, :]) @ vt)


class LogAbsDet(Function):
    """y = log|det A|;  dL/dA = dL/dy A^{-T}"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a)
        return np.asarray(np.linalg.slogdet(a).logabsdet)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (a,) = ctx.saved_tensors
        return grad.unsqueeze(-1).unsqueeze(-1) * Inv._apply1(a).mT


class Inv(Function):
    """Y = A^{-1};  dL/dA = -Y^T (dL/dY) Y^T"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        try:
            y = np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise singular_error("linalg.inv", "The inversion could not be completed", a) from None
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return -(y.mT @ grad @ y.mT)


class Solve(Function):
    """X = A^{-1} B for A (*, n, n), B (*, n, k);  dL/dB = A^{-T} dL/dX,  dL/dA = -(dL/dB) X^T"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            x = np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise singular_error("linalg.solve", "The solver failed", a) from None
        ctx.save_for_backward(a, x if ctx.needs_input_grad[0] else None)
        return x

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, x = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_b = Solve._apply2(a.mT, grad)  # (A^{-T} dL/dX: dL/dA needs it as well)
        return (-(grad_b @ x.mT) if need_a else None), (grad_b if need_b else None)


class Cholesky(Function):
    """L lower-triangular with A = L L^T (read from A's lower triangle);
    dL/dA = sym(L^{-T} Phi(L^T dL/dL) L^{-1})"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray) -> np.ndarray:
        try:
            factor = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise not_positive_definite_error(a) from None
        # NumPy lets a nan through (into the factor's diagonal), where LAPACK's test of a
        # pivot (> 0) fails, and PyTorch raises
        if np.isnan(np.diagonal(factor, axis1=-2, axis2=-1)).any():
            raise not_positive_definite_error(a)
        ctx.save_for_backward(factor)
        return factor

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (factor,) = ctx.saved_tensors
        n = factor.shape[-1]
        lower_half_diagonal = np.tril(np.ones((n, n), factor.dtype)) - np.eye(n, dtype=factor.dtype) / 2
        phi = (factor.mT @ grad) * lower_half_diagonal
        # L^{-T} Phi L^{-1} as two solves with L^T: (L^{-T} (L^{-T} Phi)^T)^T
        inner = Solve._apply2(factor.mT, Solve._apply2(factor.mT, phi).mT).mT
        return (inner + inner.mT) * 0.5


def det(A: Tensor) -> Tensor:
    """The determinant of each matrix of A (*, n, n), shape (*)."""
    return Det._apply1(check_matrices(A, "linalg.det"))


def slogdet(A: Tensor) -> SignLogAbsDet:
    """(sign, logabsdet) with det A = sign * exp(logabsdet): no overflow where det would.

    sign is -1, 0 or 1 and has no gradient; logabsdet is -inf for a singular matrix.
    """
    check_matrices(A, "linalg.slogdet")
    return SignLogAbsDet(Tensor._wrap(np.asarray(np.linalg.slogdet(A.data).sign)), LogAbsDet._apply1(A))


def inv(A: Tensor) -> Tensor:
    """The inverse of each matrix of A (*, n, n); a singular one raises LinAlgError."""
    return Inv._apply1(check_matrices(A, "linalg.inv"))


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B (or X A = B when left=False), without forming A^{-1}.

    A: (*, n, n). B: (*, n, k), or a batch of vectors (*, n), which is how a B
    of one dim less than A and of shape A.shape[:-1] is read. Batch dims broadcast.
    """
    check_matrices(A, "linalg.solve")
    if not isinstance(B, Tensor):
        raise TypeError(f"linalg.solve(): argument 'B' (position 2) must be Tensor, not {type(B).__name__}")
    if B.ndim == 0:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    check_float(B, "linalg.solve")
    if A.dtype != B.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type {A.dtype} "
            f"and B of type {B.dtype} instead"
        )
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    columns = B.unsqueeze(-1) if vector else B
    n, (rows, cols) = A.shape[-1], columns.shape[-2:]
    if (rows if left else cols) != n:
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation {equation} "
            f"({n}x{n} and {rows}x{cols})"
        )
    batch = broadcast_shape(A.shape[:-2], columns.shape[:-2], op="linalg.solve")
    a, b = A.expand(batch + A.shape[-2:]), columns.expand(batch + columns.shape[-2:])
    x = Solve._apply2(a, b) if left else Solve._apply2(a.mT, b.mT).mT  # X A = B is A^T X^T = B^T
    return x.squeeze(-1) if vector else x


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """L lower-triangular with A = L L^T, for A symmetric positive-definite (only its lower
    triangle is read); with upper=True, U = L^T with A = U^T U, read from the upper triangle."""
    check_matrices(A, "linalg.cholesky")
    return Cholesky._apply1(A.mT).mT if upper else Cholesky._apply1(A)


def matrix_power(A: Tensor, n: int) -> Tensor:
    """A^n for an integer n by repeated squaring (at most 2 log2 |n| products); A^{-1} first for n < 0.

    n = 0 gives the identity, still recorded as a result of A (with a zero gradient), as in PyTorch.
    """
    check_matrices(A, "linalg.matrix_power", floating=False)  # (integer matrices are fine for n >= 0)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(
            f"linalg_matrix_power(): argument 'n' (position 2) must be int, not {type(n).__name__}"
        )
    if n == 0:
        identity = np.broadcast_to(np.eye(A.shape[-1], dtype=A.dtype), A.shape)
        return where(np.ones(A.shape, dtype=bool), identity, A)
    if n < 0:
        A, n = inv(A), -operator.index(n)
    result = A
    for bit in bin(n)[3:]:  # the binary digits of n after its leading 1, from the top
        result = result @ result
        if bit == "1":
            result = result @ A
    return result.clone() if result is A else result
