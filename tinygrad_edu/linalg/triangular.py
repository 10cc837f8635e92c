"""Solving with a triangular matrix: X = A^{-1} B by substitution, no factorization needed.

Only A's upper (upper=True) or lower triangle is read; unitriangular=True takes
its diagonal as ones. For a lower A, row i of X needs the rows before it:

    x_i = (b_i - sum_{j<i} a_ij x_j) / a_ii

(an upper A runs from the last row up). As PyTorch's (LAPACK's trsm), no check
for a zero on the diagonal: it gives inf and nan.

    SolveTriangular   X = A^{-1} B    dL/dB = A^{-T} G (a solve with the other triangle),
                                      dL/dA = -(dL/dB) X^T, kept to A's triangle (strict if unit)
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function, Node
from ..ops.broadcast import broadcast_shape
from ..tensor import Tensor
from .checks import check_float, check_matrices


class SolveTriangular(Function):
    """X = A^{-1} B, A (*, n, n) triangular, B (*, n, k);
    dL/dB = A^{-T} G,  dL/dA = A's triangle of -(dL/dB) X^T"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray, upper: bool, unit: bool) -> np.ndarray:
        x = _substitute(a, b, upper, unit)
        ctx.upper, ctx.unit = upper, unit
        ctx.save_for_backward(a, x if ctx.needs_input_grad[0] else None)
        return x

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None, None, None]:
        a, x = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad[:2]
        grad_b = SolveTriangular._apply2(a.mT, grad, not ctx.upper, ctx.unit)  # (A^T: the other triangle)
        grad_a = None
        if need_a:
            offset = 1 if ctx.unit else 0  # (a unit diagonal is not read: no gradient there)
            outer = -(grad_b @ x.mT)
            grad_a = outer.triu(offset) if ctx.upper else outer.tril(-offset)
        return grad_a, (grad_b if need_b else None), None, None


def _substitute(a: np.ndarray, b: np.ndarray, upper: bool, unit: bool) -> np.ndarray:
    """Forward (lower) or back (upper) substitution, a row of X at a time, over the whole batch."""
    n = a.shape[-1]
    x = np.zeros(np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:], np.result_type(a, b))
    with np.errstate(divide="ignore", invalid="ignore"):  # (a zero pivot gives inf and nan, as in PyTorch)
        for i in reversed(range(n)) if upper else range(n):  # (a loop over rows)
            known = slice(i + 1, n) if upper else slice(0, i)
            row = b[..., i, :] - (a[..., i : i + 1, known] @ x[..., known, :])[..., 0, :]
            x[..., i, :] = row if unit else row / a[..., i, i, None]
    return x


def solve_triangular(
    A: Tensor, B: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False
) -> Tensor:
    """X with A X = B (or X A = B when left=False) for a triangular A (*, n, n) and B (*, n, k)
    ((*, k, n) for left=False); batch dims broadcast."""
    op = "linalg.solve_triangular"
    check_matrices(A, op)
    if not isinstance(B, Tensor):
        raise TypeError(f"{op}(): argument 'B' (position 2) must be Tensor, not {type(B).__name__}")
    if B.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor B must have at least 2 dimensions.")
    check_float(B, op)
    n, (rows, cols) = A.shape[-1], B.shape[-2:]
    if (rows if left else cols) != n:
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"{op}: Incompatible shapes of A and B for the equation {equation} ({n}x{n} and {rows}x{cols})"
        )
    batch = broadcast_shape(A.shape[:-2], B.shape[:-2], op=op)
    dtype = np.result_type(A.data, B.data)  # (PyTorch promotes float32 with float64)
    a, b = A.to(dtype).expand(batch + A.shape[-2:]), B.to(dtype).expand(batch + B.shape[-2:])
    if left:
        return SolveTriangular._apply2(a, b, bool(upper), bool(unitriangular))
    # X A = B is A^T X^T = B^T, with A^T triangular the other way
    return SolveTriangular._apply2(a.mT, b.mT, not upper, bool(unitriangular)).mT
