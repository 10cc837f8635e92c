"""The QR decomposition A = Q R, with gradients of any order.

For A (*, m, n) and k = min(m, n): Q (*, m, k) has orthonormal columns, R (*, k, n)
is upper-triangular (mode="complete" gives Q (*, m, m) and R (*, m, n); mode="r"
gives R only). The signs are LAPACK's (Householder reflections, geqrf), which
NumPy and PyTorch both call: R's diagonal may be negative.

For m >= n (Q square or tall), with G_Q, G_R the gradients of the results,

    dL/dA = (G_Q + Q copyltu(M)) R^{-T},   M = R G_R^T - G_Q^T Q

where copyltu(M) is the symmetric matrix with M's lower triangle; R^{-T} is
a triangular solve. For m < n, A = [X | Y] splits into a square X = Q R_1
and R_2 = Q^T Y, so that

    dL/dX = the square formula with G_Q + Y G_{R_2}^T and G_{R_1},   dL/dY = Q G_{R_2}.

As in PyTorch, mode="complete" with m > n has no gradient (Q's extra columns
are not determined by A), nor has mode="r" (the formula needs Q).

One Function, `QrFactor`, stands for Q or R: forward hands on the factor
(computed once for both), backward writes the formulas with Tensor ops on Q
and R recomputed as `QrFactor`s of A, so that second derivatives follow.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Literal

import numpy as np

from ..autograd.function import Function, Node
from ..ops.joining import cat
from ..tensor import Tensor
from .checks import check_matrices
from .triangular import SolveTriangular

QR = namedtuple("QR", ["Q", "R"])

Mode = Literal["reduced", "complete", "r"]


class QrFactor(Function):
    """Q or R of A = Q R, already computed; dL/dA as in the module docstring"""

    @staticmethod
    def forward(
        ctx: Node, a: np.ndarray, which: Literal["Q", "R"], factor: np.ndarray, mode: Mode
    ) -> np.ndarray:
        ctx.which, ctx.mode = which, mode
        ctx.save_for_backward(a)
        return factor

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None]:
        (a,) = ctx.saved_tensors
        m, n = a.shape[-2:]
        if ctx.mode == "r":
            raise RuntimeError(
                "The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                "Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr."
            )
        if ctx.mode == "complete" and m > n:
            raise RuntimeError(
                "The QR decomposition is not differentiable when mode='complete' and nrows > ncols."
            )
        q, r = _factors(a, "reduced")  # (for m <= n the complete factors are the reduced ones)
        grad_q, grad_r = (grad, None) if ctx.which == "Q" else (None, grad)
        if m >= n:
            return _square_or_tall(q, r, grad_q, grad_r), None, None, None
        # A = [X | Y]: X = Q R_1 is square, R_2 = Q^T Y
        y, r_1 = a[..., m:], r[..., :m]
        grad_r1 = grad_r_2 = None
        if grad_r is not None:
            grad_r1, grad_r_2 = grad_r[..., :m], grad_r[..., m:]
            grad_q = y @ grad_r_2.mT  # (only R was given a gradient here)
        grad_x = _square_or_tall(q, r_1, grad_q, grad_r1)
        grad_y = q @ grad_r_2 if grad_r_2 is not None else y * 0.0
        return cat([grad_x, grad_y], -1), None, None, None


def _square_or_tall(q: Tensor, r: Tensor, grad_q: Tensor | None, grad_r: Tensor | None) -> Tensor:
    """dL/dA = (G_Q + Q copyltu(M)) R^{-T}, M = R G_R^T - G_Q^T Q, for m >= n (either G may be None)."""
    m = -(grad_q.mT @ q) if grad_q is not None else 0.0
    if grad_r is not None:
        m = m + r @ grad_r.mT
    assert isinstance(m, Tensor)
    copyltu = m.tril() + m.tril(-1).mT
    b = q @ copyltu if grad_q is None else grad_q + q @ copyltu
    # b R^{-T} = (R^{-1} b^T)^T: a solve with the upper-triangular R
    return SolveTriangular._apply2(r, b.mT, True, False).mT


def _factors(a: Tensor, mode: Mode) -> QR:
    """Q and R of `a` as `QrFactor`s: one np.linalg.qr for the two."""
    q, r = np.linalg.qr(a.data, mode="complete" if mode == "complete" else "reduced")
    return QR(QrFactor._apply1(a, "Q", q, mode), QrFactor._apply1(a, "R", r, mode))


def qr(A: Tensor, mode: str = "reduced") -> QR:
    """(Q, R) with A = Q R for each matrix of A (*, m, n); see the module docstring.

    mode="r" computes R only and gives an empty Q, as PyTorch does.
    """
    check_matrices(A, "linalg.qr", square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', "
            "or 'complete'"
        )
    if mode == "r":
        r = np.linalg.qr(A.data, mode="r")
        return QR(Tensor._wrap(np.zeros(0, A.dtype)), QrFactor._apply1(A, "R", r, "r"))
    return _factors(A, mode)  # type: ignore[arg-type]  # (checked above)
