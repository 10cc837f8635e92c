"""PyTorch's older linear-algebra names, before torch.linalg: qr, cholesky, triangular_solve, lu, ...

Each is a thin door into tg.linalg (tinygrad_edu/linalg/), with the old
argument order and defaults, and the deprecation warning PyTorch gives once
per process for those it has marked deprecated:

    qr(A, some)                    linalg.qr(A, "reduced" if some else "complete")
    cholesky(A, upper)             linalg.cholesky(A, upper=upper)
    cholesky_solve(B, L, upper)    X = (L L^T)^{-1} B (U^T U for upper): two triangular solves
    cholesky_inverse(L, upper)     (L L^T)^{-1} = L^{-T} L^{-1}: one triangular solve and a product
    triangular_solve(b, A, ...)    (linalg.solve_triangular(A, b), a copy of A): note the order
    lu(A, pivot, get_infos)        linalg.lu_factor(A) (or lu_factor_ex with get_infos)
    lu_solve(b, LU, pivots)        linalg.lu_solve(LU, pivots, b)
    matrix_rank, solve, lstsq,     removed from PyTorch 1.9: each raises, pointing at
    eig, symeig                    what replaced it in tg.linalg

No new Function: the gradients (of any order) are those of tg.linalg's ops.
cholesky_solve and cholesky_inverse read only L's triangle, as PyTorch's
values do, so their gradient with respect to L has zeros off that triangle
(PyTorch's formula fills the other triangle too, as if the whole L were read;
the triangles agree).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..dtypes import torch_name
from ..linalg.checks import check_matrices
from ..linalg.inverse import cholesky as linalg_cholesky
from ..linalg.lu import lu_factor_ex
from ..linalg.lu_solve import lu_solve as linalg_lu_solve
from ..linalg.qr import QR
from ..linalg.qr import qr as linalg_qr
from ..linalg.triangular import solve_triangular
from ..tensor import Tensor
from ..warning import warn_once
from .broadcast import broadcast_shape

TriangularSolve = namedtuple("TriangularSolve", ["solution", "cloned_coefficient"])
LUWithInfo = namedtuple("LUWithInfo", ["LU", "pivots", "info"])  # (torch.return_types._lu_with_info)


def _deprecated(name: str, advice: str) -> None:
    """PyTorch's warning that torch.`name` is deprecated, once per run as PyTorch gives it."""
    warn_once(f"deprecated {name}", f"tg.{name} is deprecated in favor of {advice}")


def qr(input: Tensor, some: bool = True) -> QR:
    """(Q, R) with input = Q R for each matrix (*, m, n); some=False gives the full Q (*, m, m)."""
    _deprecated("qr", "tg.linalg.qr: Q, R = tg.linalg.qr(A, 'reduced' if some else 'complete')")
    return linalg_qr(input, "reduced" if some else "complete")


def cholesky(input: Tensor, upper: bool = False) -> Tensor:
    """L with input = L L^T (upper=True: U with input = U^T U), for a symmetric positive-definite input."""
    _deprecated("cholesky", "tg.linalg.cholesky: L = tg.linalg.cholesky(A)")
    check_matrices(input, "cholesky")
    return linalg_cholesky(input, upper=upper)


def _check_solve_operands(b: Any, a: Any, name: str) -> tuple[Tensor, Tensor]:
    """b (*, n, k) and a (*, n, n) checked as PyTorch's cholesky_solve and triangular_solve check them."""
    second = "input2" if name == "cholesky_solve" else "A"  # (PyTorch's argument names)
    for position, (arg, value) in enumerate((("input", b), (second, a)), 1):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{name}(): argument '{arg}' (position {position}) must be Tensor, not {type(value).__name__}"
            )
    if b.ndim < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {b.ndim} dimensions instead")
    if a.ndim < 2:
        what = "u" if name == "cholesky_solve" else "A"  # (PyTorch's names)
        raise RuntimeError(f"{what} should have at least 2 dimensions, but has {a.ndim} dimensions instead")
    if b.dtype != a.dtype:
        raise RuntimeError(
            f"Expected b and A to have the same dtype, but found b of type {torch_name(b.dtype)} and A of "
            f"type {torch_name(a.dtype)} instead."
        )
    if a.shape[-1] != a.shape[-2]:
        rows, cols = a.shape[-2:]
        raise RuntimeError(f"A must be batches of square matrices, but they are {rows} by {cols} matrices")
    if a.shape[-1] != b.shape[-2]:
        n, (rows, cols) = a.shape[-1], b.shape[-2:]
        raise RuntimeError(
            f"Incompatible matrix sizes for {name}: each A matrix is {n} by {n} but each b matrix is "
            f"{rows} by {cols}"
        )
    if a.data.dtype not in (np.float32, np.float64):
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{torch_name(a.dtype)}'")
    broadcast_shape(a.shape[:-2], b.shape[:-2], op=name)  # (batch dims must broadcast)
    return b, a


def cholesky_solve(input: Tensor, input2: Tensor, upper: bool = False) -> Tensor:
    """X with A X = input for A = L L^T given by its Cholesky factor L = input2 (A = U^T U if upper).

    input (*, n, k), input2 (*, n, n), batch dims broadcast; only input2's triangle is read.
    """
    b, factor = _check_solve_operands(input, input2, "cholesky_solve")
    lower = factor.mT if upper else factor  # A = lower lower^T either way
    y = solve_triangular(lower, b, upper=False)
    return solve_triangular(lower.mT, y, upper=True)


def cholesky_inverse(input: Tensor, upper: bool = False) -> Tensor:
    """A^{-1} for A = L L^T given by L = input (A = U^T U if upper): L^{-T} L^{-1}, symmetric.

    input (*, n, n); only its triangle is read.
    """
    check_matrices(input, "cholesky_inverse", floating=False)
    if input.data.dtype not in (np.float32, np.float64):
        raise NotImplementedError(
            f"\"cholesky_inverse_out_cpu\" not implemented for '{torch_name(input.dtype)}'"
        )
    lower = input.mT if upper else input
    eye = Tensor._wrap(np.broadcast_to(np.eye(input.shape[-1], dtype=input.dtype), input.shape))
    inverse = solve_triangular(lower, eye, upper=False)  # L^{-1}
    return inverse.mT @ inverse


def triangular_solve(
    input: Tensor, A: Tensor, upper: bool = True, transpose: bool = False, unitriangular: bool = False
) -> TriangularSolve:
    """(X, a copy of A) with A X = input (A^T X = input if transpose) for a triangular A (*, n, n).

    input (*, n, k); batch dims broadcast, and the copy of A has the broadcast batch dims too.
    Only A's upper (or lower) triangle is read; unitriangular takes its diagonal as ones.
    """
    _deprecated(
        "triangular_solve",
        "tg.linalg.solve_triangular, which has its arguments reversed: "
        "X = tg.linalg.solve_triangular(A, B) for X = tg.triangular_solve(B, A).solution",
    )
    if isinstance(input, Tensor) and input.ndim < 2:
        raise RuntimeError(
            f"torch.triangular_solve: Expected b to have at least 2 dimensions, but it has {input.ndim} "
            "dimensions instead"
        )
    b, a = _check_solve_operands(input, A, "triangular_solve")
    batch = broadcast_shape(a.shape[:-2], b.shape[:-2], op="triangular_solve")
    a = a.expand(batch + a.shape[-2:])
    coefficient = a.mT if transpose else a  # (A^T is triangular the other way)
    solution = solve_triangular(
        coefficient, b, upper=bool(upper) != bool(transpose), unitriangular=unitriangular
    )
    return TriangularSolve(solution, a.clone())


def lu(A: Tensor, pivot: bool = True, get_infos: bool = False) -> Any:
    """(LU, pivots) of A (*, m, n) as linalg.lu_factor gives them; with get_infos, (LU, pivots, info)
    as lu_factor_ex (info: per matrix, the first zero on U's diagonal, 1-based; 0 for none)."""
    _deprecated(
        "lu",
        "tg.linalg.lu_factor / tg.linalg.lu_factor_ex: LU, pivots = tg.linalg.lu_factor(A, pivot)",
    )
    if get_infos:
        return LUWithInfo(*lu_factor_ex(A, pivot=pivot))
    factors = lu_factor_ex(A, pivot=pivot)  # (a singular A does not raise, as in PyTorch)
    return factors.LU, factors.pivots  # (a plain tuple, as PyTorch's)


def lu_solve(input: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    """X with A X = input, A given by lu's (LU_data, LU_pivots) (linalg.lu_solve, arguments reversed)."""
    _deprecated(
        "lu_solve",
        "tg.linalg.lu_solve, which has its arguments reversed: X = tg.linalg.lu_solve(LU, pivots, B)",
    )
    return linalg_lu_solve(LU_data, LU_pivots, input)


def _removed(name: str, instead: str) -> RuntimeError:
    """The error of a name PyTorch took away in version 1.9 (calling it raises there too)."""
    return RuntimeError(
        f"torch.{name} was removed in PyTorch 1.9 (tg.{name} stays only to say so): {instead}"
    )


def matrix_rank(input: Any, tol: Any = None, symmetric: bool = False) -> Tensor:
    """Removed from PyTorch (since 1.9): raises, as PyTorch does, pointing at tg.linalg.matrix_rank."""
    raise _removed("matrix_rank", "use tg.linalg.matrix_rank (its `symmetric` is now called `hermitian`)")


def solve(input: Any, A: Any) -> Tensor:
    """Removed from PyTorch (since 1.9): raises, pointing at tg.linalg.solve."""
    raise _removed("solve", "use X = tg.linalg.solve(A, B), whose arguments come in the other order")


def lstsq(input: Any, A: Any) -> Tensor:
    """Removed from PyTorch (since 1.9): raises, pointing at tg.linalg.lstsq."""
    raise _removed("lstsq", "use tg.linalg.lstsq(A, B).solution, whose arguments come in the other order")


def eig(input: Any, eigenvectors: bool = False) -> Tensor:
    """Removed from PyTorch (since 1.9): raises, pointing at the symmetric eigensolvers."""
    raise _removed(
        "eig",
        "tinygrad_edu has no complex dtypes, so no general eigendecomposition; for a symmetric "
        "matrix use tg.linalg.eigh (values and vectors) or tg.linalg.eigvalsh (values)",
    )


def symeig(input: Any, eigenvectors: bool = False, upper: bool = True) -> Tensor:
    """Removed from PyTorch (since 1.9): raises, pointing at tg.linalg.eigh."""
    raise _removed(
        "symeig",
        "use tg.linalg.eigh(A, UPLO='U' if upper else 'L'), or tg.linalg.eigvalsh for the values alone "
        "(note that eigh reads the lower triangle unless told otherwise)",
    )


__all__ = [
    "cholesky",
    "cholesky_inverse",
    "cholesky_solve",
    "lu",
    "lu_solve",
    "eig",
    "lstsq",
    "matrix_rank",
    "qr",
    "solve",
    "symeig",
    "triangular_solve",
]
