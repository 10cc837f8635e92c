"""The singular value decomposition A = U diag(S) Vh, with gradients of any order.

For A (*, m, n) and k = min(m, n): U (*, m, k) has orthonormal columns, S (*, k)
holds the singular values in descending order, Vh (*, k, n) orthonormal rows
(full_matrices=True completes U to (*, m, m) and Vh to (*, n, n)).

A first-order change dA moves the factors as follows (V = Vh^T, G_U, G_S, G_Vh
the gradients of the results, E_ij = s_j^2 - s_i^2, skew(M) = M - M^T):

    from S:    dL/dA = U diag(G_S) Vh
    from U:    dL/dA = U (skew(U^T G_U) / E) diag(S) Vh  +  (I - U U^T) G_U diag(1/S) Vh
    from Vh:   dL/dA = U diag(S) (skew(Vh G_Vh^T) / E) Vh  +  U diag(1/S) G_Vh (I - V Vh)

(the division by E is taken as 0 on its diagonal, and where two singular
values tie: there U and V are not defined, nor PyTorch's gradient). The
second terms only exist for a tall A (U's) or a wide one (Vh's): they are
how the columns beyond U's span move. With full_matrices=True the extra
columns of U (rows of Vh) are not determined by A, and, as PyTorch does, the
part of the gradient that falls on them is dropped.

One Function, `SvdFactor`, stands for any of the three results: forward hands
on the factor (the SVD is computed once for all three), backward writes the
formula above with Tensor ops on U, S, Vh recomputed as `SvdFactor`s of A, so
that second derivatives follow.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Literal

import numpy as np

from ..autograd.function import Function, Node
from ..ops.elementwise import where
from ..tensor import Tensor
from .checks import check_matrices

SVD = namedtuple("SVD", ["U", "S", "Vh"])
OldSVD = namedtuple("OldSVD", ["U", "S", "V"])  # torch.svd's result: V, not Vh

Which = Literal["U", "S", "Vh"]


class SvdFactor(Function):
    """One factor (U, S or Vh) of A = U diag(S) Vh, already computed; gradients as in the module docstring"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, which: Which, factor: np.ndarray, full: bool) -> np.ndarray:
        ctx.which, ctx.full = which, full
        ctx.save_for_backward(a)
        return factor

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None]:
        (a,) = ctx.saved_tensors
        k = min(a.shape[-2:])
        if ctx.full and ctx.which == "U":
            grad = grad[..., :k]  # (the columns of U beyond k are arbitrary: their gradient is dropped)
        elif ctx.full and ctx.which == "Vh":
            grad = grad[..., :k, :]
        return _svd_backward(a, ctx.which, grad), None, None, None


def _factors(a: Tensor, full: bool = False) -> SVD:
    """U, S, Vh of `a` as `SvdFactor`s: one np.linalg.svd for the three."""
    u, s, vh = np.linalg.svd(a.data, full_matrices=full)
    return SVD(*(SvdFactor._apply1(a, w, f, full) for w, f in zip(("U", "S", "Vh"), (u, s, vh))))


def _svd_backward(a: Tensor, which: Which, grad: Tensor) -> Tensor:
    """dL/dA from the gradient of one reduced factor (see the module docstring)."""
    u, s, vh = _factors(a)
    if which == "S":
        return (u * grad.unsqueeze(-2)) @ vh
    s2 = s * s
    gap = s2.unsqueeze(-2) - s2.unsqueeze(-1)  # gap[..., i, j] = s_j^2 - s_i^2
    tie = gap.data == 0  # (the diagonal, and tied singular values)
    inverse_gap = where(tie, 0.0, 1.0 / where(tie, 1.0, gap))
    m, n = a.shape[-2:]
    if which == "U":
        k = u.mT @ grad
        grad_a = u @ ((k - k.mT) * inverse_gap * s.unsqueeze(-2)) @ vh
        if m > n:  # the part of G_U outside U's span
            scaled = grad / s.unsqueeze(-2)
            grad_a = grad_a + (scaled - u @ (u.mT @ scaled)) @ vh
        return grad_a
    k = vh @ grad.mT  # V^T G_V
    grad_a = u @ (s.unsqueeze(-1) * (k - k.mT) * inverse_gap) @ vh
    if n > m:  # the part of G_Vh outside V's span
        scaled = grad / s.unsqueeze(-1)
        grad_a = grad_a + u @ (scaled - (scaled @ vh.mT) @ vh)
    return grad_a


def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None) -> SVD:
    """(U, S, Vh) with A = U diag(S) Vh for each matrix of A (*, m, n); see the module docstring.

    Each pair of singular vectors is defined up to a common sign; NumPy and PyTorch's CPU
    build call the same LAPACK routine (gesdd), which chooses it alike.
    """
    check_matrices(A, "linalg.svd", square=False)
    if driver is not None:
        raise RuntimeError(
            "torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with "
            "cuSOLVER backend."
        )
    return _factors(A, bool(full_matrices))


def svd_old(input: Tensor, some: bool = True, compute_uv: bool = True) -> OldSVD:
    """torch.svd (deprecated): (U, S, V) with A = U diag(S) V^T; some=False gives the full U and V.

    compute_uv=False gives S only, with U and V zero matrices of shape (*, m, m) and (*, n, n).
    """
    check_matrices(input, "linalg.svd", square=False)
    if not compute_uv:
        s = _factors(input).S
        m, n = input.shape[-2:]
        zeros = [Tensor._wrap(np.zeros(input.shape[:-2] + (d, d), input.dtype)) for d in (m, n)]
        return OldSVD(zeros[0], s, zeros[1])
    u, s, vh = _factors(input, full=not some)
    return OldSVD(u, s, vh.mT)
