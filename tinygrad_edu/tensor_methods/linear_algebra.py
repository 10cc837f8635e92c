"""A Tensor's products and matrix methods: matmul, mm, dot, addmm, kron, det, inverse, diagonal, ...

The products are in ops/linalg.py and ops/matrix.py, those that add in
ops/fused_products.py, more of them in ops/more_products.py, cross and dist
in ops/distances.py, diagonals in ops/matrix.py. det, inverse, svd, ... are
PyTorch's older names for tg.linalg's functions (tinygrad_edu/linalg/); qr,
cholesky, triangular_solve, lu, lu_solve, ... older still, with their old
arguments (ops/legacy_linalg.py).
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..ops import distances, elementwise, fused_products, legacy_linalg, linalg, matrix, more_products
    from ..tensor import Tensor


class LinearAlgebraMethods:
    """Products and matrices: `a.matmul(b)`, `a.mm(b)`, `a.addmm(b, c)`, `a.det()`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    def matmul(self: Tensor, other: Any) -> Tensor:
        return linalg.matmul(self, other)

    def dot(self: Tensor, tensor: Tensor) -> Tensor:
        """The dot product of two vectors of one length and dtype (a 0-d tensor)."""
        return linalg.dot(self, tensor)

    def outer(self: Tensor, vec2: Tensor) -> Tensor:
        """The outer product of two vectors: y[i, j] = self[i] vec2[j]."""
        return linalg.outer(self, vec2)

    ger = outer  # (PyTorch's older name)

    def mm(self: Tensor, mat2: Tensor) -> Tensor:
        """The product of two matrices (both 2-D, as PyTorch's mm: use matmul for vectors or batches)."""
        return linalg.mm(self, mat2)

    def bmm(self: Tensor, mat2: Tensor) -> Tensor:
        """Batched matrix product of two 3-D tensors, (B, n, k) @ (B, k, m), with no broadcasting."""
        return linalg.bmm(self, mat2)

    def mv(self: Tensor, vec: Tensor) -> Tensor:
        """The product of a matrix (n, m) and a vector (m,), a vector (n,)."""
        return matrix.mv(self, vec)

    # products that add (ops/fused_products.py), more products (ops/more_products.py)

    def addmm(self: Tensor, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha mat1 @ mat2 (self broadcast to the product's shape)."""
        return fused_products.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def addmv(self: Tensor, mat: Tensor, vec: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha mat @ vec."""
        return fused_products.addmv(self, mat, vec, beta=beta, alpha=alpha)

    def addr(self: Tensor, vec1: Tensor, vec2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha outer(vec1, vec2)."""
        return fused_products.addr(self, vec1, vec2, beta=beta, alpha=alpha)

    def baddbmm(self: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha batch1 @ batch2, batch by batch."""
        return fused_products.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addbmm(self: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha sum_i batch1[i] @ batch2[i]."""
        return fused_products.addbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def inner(self: Tensor, other: Tensor) -> Tensor:
        """The sums over the last dims of self and other: (*a, k), (*b, k) -> (*a, *b)."""
        return more_products.inner(self, other)

    def kron(self: Tensor, other: Tensor) -> Tensor:
        """The Kronecker product (blocks self[i, j] * other)."""
        return more_products.kron(self, other)

    def vdot(self: Tensor, other: Tensor) -> Tensor:
        """The dot product of two vectors (conjugating self: for real tensors, dot)."""
        return more_products.vdot(self, other)

    def cross(self: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
        """The cross product of the 3-vectors along dim (the first dim of size 3 if None, with a warning)."""
        return distances.cross(self, other, dim)

    def dist(self: Tensor, other: Tensor, p: float = 2) -> Tensor:
        """||self - other||_p over all elements (shapes broadcast), a 0-d tensor."""
        return distances.dist(self, other, p)

    # PyTorch's older names for tg.linalg's functions (tg.linalg is built on Tensor: imported when called)

    def det(self: Tensor) -> Tensor:
        """The determinant of each matrix of self (*, n, n) (tg.linalg.det)."""
        from ..linalg.inverse import det

        return det(self)

    def logdet(self: Tensor) -> Tensor:
        """log det of each matrix of self (*, n, n): nan where det < 0, -inf where det = 0."""
        from ..linalg.inverse import slogdet

        sign, logabsdet = slogdet(self)
        return elementwise.where(sign.data < 0, math.nan, logabsdet)

    def slogdet(self: Tensor) -> Any:
        """(sign, logabsdet) of each matrix of self (tg.linalg.slogdet)."""
        from ..linalg.inverse import slogdet

        return slogdet(self)

    def inverse(self: Tensor) -> Tensor:
        """The inverse of each matrix of self (*, n, n) (tg.linalg.inv)."""
        from ..linalg.inverse import inv

        return inv(self)

    def matrix_power(self: Tensor, n: int) -> Tensor:
        """self^n for each matrix of self (*, m, m) (tg.linalg.matrix_power)."""
        from ..linalg.inverse import matrix_power

        return matrix_power(self, n)

    def pinverse(self: Tensor, rcond: float = 1e-15) -> Tensor:
        """The pseudo-inverse of each matrix of self (*, m, n) -> (*, n, m) (tg.linalg.pinv, rtol=rcond)."""
        from ..linalg.spectral import pinv

        return pinv(self, rtol=rcond)

    def svd(self: Tensor, some: bool = True, compute_uv: bool = True) -> Any:
        """torch.svd (deprecated; tg.linalg.svd is the current form): (U, S, V) with self = U diag(S) V^T."""
        from ..linalg.svd import svd_old  # (tg.linalg is built on Tensor: imported when called)

        return svd_old(self, some, compute_uv)

    # names older still, before tg.linalg (ops/legacy_linalg.py, which warns where PyTorch does)

    def qr(self: Tensor, some: bool = True) -> Any:
        """(Q, R) with self = Q R; some=False gives the full Q (tg.linalg.qr's "complete")."""
        return legacy_linalg.qr(self, some)

    def cholesky(self: Tensor, upper: bool = False) -> Tensor:
        """L with self = L L^T (upper=True: U with self = U^T U) (tg.linalg.cholesky)."""
        return legacy_linalg.cholesky(self, upper)

    def cholesky_solve(self: Tensor, input2: Tensor, upper: bool = False) -> Tensor:
        """X with (L L^T) X = self, L = input2 a Cholesky factor (U^T U if upper)."""
        return legacy_linalg.cholesky_solve(self, input2, upper)

    def cholesky_inverse(self: Tensor, upper: bool = False) -> Tensor:
        """(L L^T)^{-1} for the Cholesky factor L = self (U^T U if upper)."""
        return legacy_linalg.cholesky_inverse(self, upper)

    def triangular_solve(
        self: Tensor, A: Tensor, upper: bool = True, transpose: bool = False, unitriangular: bool = False
    ) -> Any:
        """(X, a copy of A) with A X = self for a triangular A (tg.linalg.solve_triangular)."""
        return legacy_linalg.triangular_solve(self, A, upper, transpose, unitriangular)

    def lu(self: Tensor, pivot: bool = True, get_infos: bool = False) -> Any:
        """(LU, pivots), or (LU, pivots, info) with get_infos (tg.linalg.lu_factor(_ex))."""
        return legacy_linalg.lu(self, pivot, get_infos)

    def lu_solve(self: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
        """X with A X = self for A given by lu's (LU_data, LU_pivots) (tg.linalg.lu_solve)."""
        return legacy_linalg.lu_solve(self, LU_data, LU_pivots)

    # removed from PyTorch in 1.9, methods included: each raises, naming what replaced it

    def solve(self: Tensor, A: Tensor) -> Tensor:
        return legacy_linalg.solve(self, A)

    def lstsq(self: Tensor, A: Tensor) -> Tensor:
        return legacy_linalg.lstsq(self, A)

    def eig(self: Tensor, eigenvectors: bool = False) -> Tensor:
        return legacy_linalg.eig(self, eigenvectors)

    def symeig(self: Tensor, eigenvectors: bool = False, upper: bool = True) -> Tensor:
        return legacy_linalg.symeig(self, eigenvectors, upper)

    def matrix_exp(self: Tensor) -> Tensor:
        """e^A = I + A + A^2/2! + ... for each square matrix A of self (tg.linalg.matrix_exp)."""
        from ..linalg.matrix_exp import matrix_exp

        return matrix_exp(self)

    # diagonals (ops/matrix.py)

    def diagonal(self: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The diagonal of dims (dim1, dim2), shifted by offset, as the last dim (a view)."""
        return matrix.diagonal(self, offset, dim1, dim2)

    def diag(self: Tensor, diagonal: int = 0) -> Tensor:
        """A vector laid on a diagonal of a square matrix, or a copy of a matrix's diagonal."""
        return matrix.diag(self, diagonal)

    def diag_embed(self: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        """Zeros with the last dim laid on a diagonal of two new dims (dim1, dim2)."""
        return matrix.diag_embed(self, offset, dim1, dim2)

    def diagflat(self: Tensor, offset: int = 0) -> Tensor:
        """The flattened self on diagonal `offset` of a square zero matrix."""
        return more_products.diagflat(self, offset)

    def trace(self: Tensor) -> Tensor:
        """The sum of a matrix's main diagonal."""
        return matrix.trace(self)


def finish_imports() -> None:
    """Import what needs Tensor to exist: tensor.py calls this once the class is made."""
    global distances, elementwise, fused_products, legacy_linalg, linalg, matrix, more_products
    from ..ops import distances, elementwise, fused_products, legacy_linalg, linalg, matrix, more_products
