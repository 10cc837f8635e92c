"""The LU decomposition with partial pivoting, A = P L U, with gradients of any order.

For A (*, m, n) and k = min(m, n): P (*, m, m) is a permutation, L (*, m, k) is
lower-triangular with a unit diagonal, U (*, k, n) upper-triangular. Column j
takes as pivot the entry of largest magnitude on or below the diagonal (LAPACK's
getrf, which PyTorch calls, does the same), swaps its row up and eliminates below:

    for j < k:   p = argmax_{i >= j} |a_ij|,   swap rows j and p,
                 l_ij = a_ij / a_jj (i > j),   a_i: -= l_ij a_j:   (the rows below)

lu_factor packs L (less its diagonal) and U into one (*, m, n) matrix and the
swaps into `pivots` (*, k): int32 and 1-based, row j was swapped with row
pivots[j] - 1, as LAPACK and PyTorch give them. A zero pivot leaves its column
as it is (nothing to divide); `info` names the first one (1-based, 0 for none).

Gradients, P being piecewise constant. For square A, with F = L^{-1} P^T dA U^{-1}
(dL = L tril_{-1}(F), dU = triu(F) U), G_L and G_U the gradients of the results:

    dL/dA = P L^{-T} [tril_{-1}(L^T G_L) + triu(G_U U^T)] U^{-T}

A wide A = P L [U_1 | U_2] has a square part P L U_1 and U_2 = L^{-1} P^T A_2, so
A_2 gets P L^{-T} G_{U_2} and the square formula gets G_L - L^{-T} G_{U_2} U_2^T.
A tall P^T A = [L_1; L_2] U likewise: L_2 = (P^T A)_2 U^{-1}, so its rows get
G_{L_2} U^{-T} and the square formula gets G_U - L_2^T G_{L_2} U^{-T}.

One Function, `LuFactor`, stands for L, U or the packed LU: forward hands on the
factor (the decomposition is computed once), backward writes the formula with
Tensor ops on L and U recomputed as `LuFactor`s of A, so that second derivatives
follow. lu_solve and lu_unpack (lu_solve.py) need no Function of their own.
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Literal

import numpy as np

from ..autograd.function import Function, Node
from ..dtypes import torch_name
from ..ops.joining import cat
from ..ops.selection import gather
from ..tensor import Tensor
from .checks import batch_element
from .triangular import SolveTriangular

LUFactor = namedtuple("LUFactor", ["LU", "pivots"])
LUFactorEx = namedtuple("LUFactorEx", ["LU", "pivots", "info"])
PLU = namedtuple("PLU", ["P", "L", "U"])  # linalg.lu's and lu_unpack's result

Which = Literal["LU", "L", "U"]


class LuFactor(Function):
    """L, U or the packed LU of A = P L U, already computed; dL/dA as in the module docstring"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, which: Which, packed: np.ndarray, order: np.ndarray) -> np.ndarray:
        ctx.which, ctx.packed, ctx.order = which, packed, order
        ctx.save_for_backward(a)
        if which == "LU":
            return packed.copy()  # (a result changed in place must not change what backward reads)
        return _unit_lower(packed) if which == "L" else _upper_triangle(packed)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None]:
        (a,) = ctx.saved_tensors
        k = min(a.shape[-2:])
        grad_l, grad_u = {
            "L": (grad, None),
            "U": (None, grad),
            "LU": (grad.tril(-1)[..., :, :k], grad.triu()[..., :k, :]),
        }[ctx.which]
        lower, upper = (LuFactor._apply1(a, which, ctx.packed, ctx.order) for which in ("L", "U"))
        return _lu_backward(lower, upper, ctx.order, grad_l, grad_u), None, None, None


def _unit_lower(packed: np.ndarray) -> np.ndarray:
    """L (*, m, k) from the packed (*, m, n): the strict lower triangle and ones on the diagonal."""
    m, n = packed.shape[-2:]
    k = min(m, n)
    return np.tril(packed[..., :k], -1) + np.eye(m, k, dtype=packed.dtype)


def _upper_triangle(packed: np.ndarray) -> np.ndarray:
    """U (*, k, n) from the packed (*, m, n): its upper triangle."""
    return np.triu(packed[..., : min(packed.shape[-2:]), :])


def _lu_backward(
    lower: Tensor, upper: Tensor, order: np.ndarray, grad_l: Tensor | None, grad_u: Tensor | None
) -> Tensor:
    """dL/dA from G_L (*, m, k) and G_U (*, k, n), either may be None (see the module docstring)."""
    m, n = lower.shape[-2], upper.shape[-1]
    if m < n:  # wide: A_2 = P L U_2
        u_2 = upper[..., m:]
        if grad_u is None:
            grad_a2 = Tensor._wrap(np.zeros(u_2.shape, upper.dtype))
        else:
            grad_a2 = SolveTriangular._apply2(lower.mT, grad_u[..., m:], True, True)  # L^{-T} G_{U_2}
            grad_l = -(grad_a2 @ u_2.mT) if grad_l is None else grad_l - grad_a2 @ u_2.mT
            grad_u = grad_u[..., :m]
        grad_pa = cat([_square_backward(lower, upper[..., :m], grad_l, grad_u), grad_a2], -1)
    elif m > n:  # tall: (P^T A)_2 = L_2 U
        l_2 = lower[..., n:, :]
        if grad_l is None:
            grad_a2 = Tensor._wrap(np.zeros(l_2.shape, lower.dtype))
        else:
            grad_a2 = SolveTriangular._apply2(upper, grad_l[..., n:, :].mT, True, False).mT  # G_{L_2} U^{-T}
            grad_u = -(l_2.mT @ grad_a2) if grad_u is None else grad_u - l_2.mT @ grad_a2
            grad_l = grad_l[..., :n, :]
        grad_pa = cat([_square_backward(lower[..., :n, :], upper, grad_l, grad_u), grad_a2], -2)
    else:
        grad_pa = _square_backward(lower, upper, grad_l, grad_u)
    return permute_rows(grad_pa, np.argsort(order, axis=-1))  # P (P^T dL/dA)


def _square_backward(lower: Tensor, upper: Tensor, grad_l: Tensor | None, grad_u: Tensor | None) -> Tensor:
    """L^{-T} [tril_{-1}(L^T G_L) + triu(G_U U^T)] U^{-T} for square L and U (the gradient of P^T A)."""
    inner = (lower.mT @ grad_l).tril(-1) if grad_l is not None else None
    if grad_u is not None:
        inner = (grad_u @ upper.mT).triu() if inner is None else inner + (grad_u @ upper.mT).triu()
    assert inner is not None
    right = SolveTriangular._apply2(upper, inner.mT, True, False).mT  # inner U^{-T} = (U^{-1} inner^T)^T
    return SolveTriangular._apply2(lower.mT, right, True, True)  # L^T: upper, unit diagonal


def permute_rows(x: Tensor, order: np.ndarray) -> Tensor:
    """x (*, m, c) with row i taken from row order[..., i] (order (*, m), one per matrix)."""
    return gather(x, -2, np.broadcast_to(order[..., None], x.shape))


def row_order(pivots: np.ndarray, m: int) -> np.ndarray:
    """The rows of P^T A as rows of A, (*, m): the swaps j <-> pivots[j] - 1 applied in turn to 0..m-1."""
    batch, k = pivots.shape[:-1], pivots.shape[-1]
    order = np.tile(np.arange(m), (math.prod(batch), 1))
    swaps = pivots.reshape(order.shape[0], k).astype(np.intp) - 1
    matrices = np.arange(order.shape[0])
    for j in range(k):  # (a loop over the pivots, each one swap per matrix)
        target = swaps[:, j]
        moved = order[matrices, target]
        order[matrices, target] = order[:, j]
        order[:, j] = moved
    return order.reshape(*batch, m)


def permutation_matrix(order: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """P (*, m, m) with P^T A = A[order]: P[order[i], i] = 1."""
    m = order.shape[-1]
    return (order[..., None, :] == np.arange(m)[:, None]).astype(dtype)


def _factorize(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Partial-pivoting LU of each matrix of a (*, m, n): packed LU, pivots (*, k) and info (*),
    vectorised over the batch with a loop over the columns."""
    *batch, m, n = a.shape
    k = min(m, n)
    lu = a.reshape(math.prod(batch), m, n).copy()
    matrices = np.arange(lu.shape[0])
    pivots = np.zeros((lu.shape[0], k), np.int32)
    info = np.zeros(lu.shape[0], np.int32)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # (nan and inf pass, as in LAPACK)
        for j in range(k):
            size = np.abs(lu[:, j:, j])
            # NOTE: LAPACK's search (idamax) never picks a nan below the first entry, and picks the
            # first entry when it is nan; a plain argmax would pick the first nan
            nan = np.isnan(size)
            best = np.argmax(np.where(nan, -1.0, size), axis=1)
            p = j + np.where(nan[:, 0], 0, best)
            pivots[:, j] = p + 1
            row = lu[matrices, p]
            lu[matrices, p] = lu[:, j]
            lu[:, j] = row
            pivot = lu[:, j, j]
            zero = pivot == 0  # (its column is zero below too: nothing to eliminate, as LAPACK)
            info = np.where((info == 0) & zero, j + 1, info)
            lu[:, j + 1 :, j] /= np.where(zero, 1, pivot)[:, None]
            lu[:, j + 1 :, j + 1 :] -= lu[:, j + 1 :, j, None] * lu[:, j, None, j + 1 :]
    return lu.reshape(a.shape), pivots.reshape(*batch, k), info.reshape(batch)


def _checked(A: object, op: str, name: str, pivot: bool) -> Tensor:
    """A checked as PyTorch checks it (in its order): a Tensor, a matrix, float32/64, pivot=True."""
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): argument 'A' (position 1) must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError(
            f"{op}: Expected tensor with 2 or more dimensions. Got size: {list(A.shape)} instead"
        )
    if A.data.dtype not in (np.float32, np.float64):
        raise NotImplementedError(f"{op}: \"lu_cpu\" not implemented for '{torch_name(A.dtype)}'")
    if not pivot:
        raise RuntimeError("linalg.lu_factor: LU without pivoting is not implemented on the CPU")
    return A


def _zero_pivot_error(op: str, info: np.ndarray) -> RuntimeError:
    """PyTorch's error for the first matrix (flattened batch index) with a zero on U's diagonal."""
    at = int(info.reshape(-1)[np.flatnonzero(info)[0]])
    return RuntimeError(
        f"torch.{op}: {batch_element(info != 0)}U[{at},{at}] is zero and using it on lu_solve would "
        "result in a division by zero. If you still want to perform the factorization, consider "
        "calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
    )


def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False) -> LUFactorEx:
    """(LU, pivots, info) for A (*, m, n): L and U packed in LU (*, m, n), the row swaps in
    pivots (*, min(m, n)) (int32, 1-based), info (*) the first zero on U's diagonal (1-based, 0: none).

    A zero pivot (a singular matrix) raises only with check_errors=True.
    """
    _checked(A, "torch.lu_factor", "linalg_lu_factor_ex", pivot)
    packed, pivots, info = _factorize(A.data)
    if check_errors and info.any():
        raise _zero_pivot_error("linalg.lu_factor_ex", info)
    lu = LuFactor._apply1(A, "LU", packed, row_order(pivots, A.shape[-2]))
    return LUFactorEx(lu, Tensor._wrap(pivots), Tensor._wrap(info))


def lu_factor(A: Tensor, *, pivot: bool = True) -> LUFactor:
    """(LU, pivots) for A (*, m, n), as lu_factor_ex; a zero pivot raises a RuntimeError, since
    lu_solve would divide by it."""
    _checked(A, "torch.lu_factor", "linalg_lu_factor", pivot)
    packed, pivots, info = _factorize(A.data)
    if info.any():
        raise _zero_pivot_error("linalg.lu_factor", info)
    return LUFactor(LuFactor._apply1(A, "LU", packed, row_order(pivots, A.shape[-2])), Tensor._wrap(pivots))


def lu(A: Tensor, *, pivot: bool = True) -> PLU:
    """(P, L, U) with A = P L U for A (*, m, n): P (*, m, m), L (*, m, k), U (*, k, n), k = min(m, n).

    A singular matrix does not raise: U then has a zero on its diagonal.
    """
    _checked(A, "linalg.lu", "linalg_lu", pivot)
    packed, pivots, _ = _factorize(A.data)
    order = row_order(pivots, A.shape[-2])
    p = Tensor._wrap(permutation_matrix(order, A.data.dtype))
    return PLU(p, LuFactor._apply1(A, "L", packed, order), LuFactor._apply1(A, "U", packed, order))
