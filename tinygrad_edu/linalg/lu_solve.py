"""Using an LU decomposition: lu_solve solves with it, lu_unpack expands the packed form.

lu_factor (lu.py) gives LU (*, n, n), holding L below the diagonal (whose own
diagonal is ones) and U on and above it, and pivots, the row swaps that make P.
With A = P L U,

    A X = B      X = U^{-1} L^{-1} P^T B       (two substitutions)
    A^T X = B    X = P L^{-T} U^{-T} B          (adjoint=True)
    X A = B      X^T solves A^T X^T = B^T       (left=False)

A substitution reads only its triangle of LU (solve_triangular, with a unit
diagonal for L), so the gradients with respect to LU and B, of any order, come
from SolveTriangular's: no Function of its own. lu_unpack is triangles and a
permutation matrix, differentiable in LU_data through tril and triu.
"""

from __future__ import annotations

import numpy as np

from ..dtypes import torch_name
from ..ops.broadcast import broadcast_shape, broadcasts_to
from ..tensor import Tensor
from .checks import check_matrices
from .lu import PLU, permutation_matrix, permute_rows, row_order
from .triangular import SolveTriangular


def _check_tensors(op: str, **arguments: object) -> None:
    """PyTorch's TypeError for an argument that is not a Tensor, naming it and its position."""
    for position, (name, value) in enumerate(arguments.items(), 1):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(value).__name__}"
            )


def lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False) -> Tensor:
    """X with A X = B for A = P L U given by lu_factor as (LU, pivots) (see the module docstring).

    LU (*, n, n), pivots (*, n) int32, B (*, n, k) ((*, k, n) for left=False), batch dims of LU
    and B broadcast; LU and B of the same dtype. A zero on U's diagonal gives inf and nan.
    """
    op = "linalg.lu_solve"
    _check_tensors("linalg_lu_solve", LU=LU, pivots=pivots, B=B)
    if LU.data.dtype.kind != "f":
        raise RuntimeError(
            f"torch.{op}: Expected a floating point or complex tensor as input. Got {torch_name(LU.dtype)}"
        )
    if LU.dtype != B.dtype:
        raise RuntimeError(
            f"{op}: Expected LU and B to have the same dtype, but found LU of type {torch_name(LU.dtype)} "
            f"and B of type {torch_name(B.dtype)} instead"
        )
    if pivots.dtype != np.int32:
        raise RuntimeError(f"{op}: pivots should be a Tensor of scalar type torch.int32")
    check_matrices(LU, f"torch.{op}", floating=False)
    if B.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor B must have at least 2 dimensions.")
    n, (rows, cols) = LU.shape[-1], B.shape[-2:]
    if (rows if left else cols) != n:
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"{op}: Incompatible shapes of A and B for the equation {equation} ({n}x{n} and {rows}x{cols})"
        )
    if pivots.ndim == 0 or pivots.shape[-1] != n:
        raise RuntimeError(f"{op}: Number of pivots per batch should be same as the dimension of the matrix")
    if pivots.shape != LU.shape[:-1]:
        raise RuntimeError(
            f"{op}: Expected LU.shape[:-1] and pivots.shape to be the same, but got pivots with shape "
            f"{list(pivots.shape)} instead"
        )
    batch = broadcast_shape(LU.shape[:-2], B.shape[:-2], op=op)
    if LU.data.dtype != np.float32 and LU.data.dtype != np.float64:
        raise NotImplementedError(
            f"{op}: \"linalg.lu_solve_cpu\" not implemented for '{torch_name(LU.dtype)}'"
        )
    if pivots.data.size and pivots.data.min() < 1:
        raise RuntimeError(
            "Pivots given to lu_solve must all be greater or equal to 1. "
            "Did you properly pass the result of lu_factor?"
        )
    if pivots.data.size and pivots.data.max() > n:
        raise RuntimeError(
            "Pivots given to lu_solve must all be smaller or equal to LU.size(-2). "
            "Did you properly pass the result of lu_factor?"
        )
    order = row_order(np.broadcast_to(pivots.data, batch + (n,)), n)
    lu = LU.expand(*batch, n, n)
    b = B.expand(*batch, rows, cols)
    if left:
        return _solve(lu, order, b, bool(adjoint))
    return _solve(lu, order, b.mT, not adjoint).mT  # X A = B is A^T X^T = B^T (and X A^T = B: A X^T = B^T)


def _solve(lu: Tensor, order: np.ndarray, b: Tensor, adjoint: bool) -> Tensor:
    """X = A^{-1} B (A^{-T} B for adjoint) with A = P L U packed in `lu` (batches already alike)."""
    if not adjoint:  # X = U^{-1} L^{-1} (P^T B)
        y = SolveTriangular._apply2(lu, permute_rows(b, order), False, True)  # (L: lower, unit diagonal)
        return SolveTriangular._apply2(lu, y, True, False)
    # X = P L^{-T} U^{-T} B: U^T is lower, L^T upper with a unit diagonal
    y = SolveTriangular._apply2(lu.mT, b, False, False)
    return permute_rows(SolveTriangular._apply2(lu.mT, y, True, True), np.argsort(order, axis=-1))


def lu_unpack(
    LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True, unpack_pivots: bool = True
) -> PLU:
    """(P, L, U) from lu_factor's (LU, pivots) for LU (*, m, n): P (*, m, m), L (*, m, k), U (*, k, n),
    k = min(m, n). unpack_data=False gives empty L and U, unpack_pivots=False an empty P."""
    op = "torch.lu_unpack"
    _check_tensors("lu_unpack", LU_data=LU_data, LU_pivots=LU_pivots)
    if LU_data.ndim < 2:
        raise RuntimeError(
            f"{op}: Expected tensor with 2 or more dimensions. Got size: {list(LU_data.shape)} instead"
        )
    if unpack_pivots and LU_pivots.dtype != np.int32:
        raise RuntimeError(
            f"{op}: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\n"
            "Note: this function is intended to be used with the output produced by torch.linalg.lu_factor"
        )
    *batch, m, n = LU_data.shape
    k = min(m, n)
    dtype = LU_data.dtype
    p = Tensor._wrap(np.zeros(0, dtype))
    if unpack_pivots:
        expected = (*batch, k)
        if LU_pivots.ndim == 0 or LU_pivots.shape[-1] != k or not broadcasts_to(LU_pivots.shape, expected):
            raise RuntimeError(
                f"{op}: Expected LU_pivots of shape {list(expected)} (one per column of L) for LU_data of "
                f"shape {list(LU_data.shape)}, but got {list(LU_pivots.shape)}"
            )
        pivots = np.broadcast_to(LU_pivots.data, expected)
        if pivots.size and (pivots.min() < 1 or pivots.max() > m):
            raise RuntimeError(
                "pivots passed to lu_unpack must be between 1 and LU.size(-2) inclusive. "
                "Did you properly pass the result of lu_factor?"
            )
        p = Tensor._wrap(permutation_matrix(row_order(pivots, m), dtype))
    if not unpack_data:
        return PLU(p, Tensor._wrap(np.zeros(0, dtype)), Tensor._wrap(np.zeros(0, dtype)))
    lower = LU_data[..., :k].tril(-1) + Tensor._wrap(np.eye(m, k, dtype=dtype))
    return PLU(p, lower, LU_data[..., :k, :].triu())
