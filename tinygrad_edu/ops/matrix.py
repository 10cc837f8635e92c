"""Diagonals, the trace and the matrix-vector product: what matmul (ops/linalg.py) leaves out.

The diagonal with offset o of dims (d1, d2) holds the elements x[..., i, ..., i + o, ...],
i counting along d1 (o > 0: above the main diagonal, o < 0: below). Two
Functions, each the other's backward:

    Diagonal   y = the diagonal of x (a view)       dL/dx = zeros with dL/dy on the diagonal
    DiagEmbed  y = zeros with x on the diagonal     dL/dx = the diagonal of dL/dy

diag, trace and mv are composed from them and from matmul.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor
from .elementwise import where
from .linalg import matmul
from .movement import normalize_dim
from .selection import _check_int


def _diagonal_of(a: np.ndarray, offset: int, d1: int, d2: int) -> np.ndarray:
    """NumPy's diagonal view of `a`, writable where `a` is, so that changes to it reach `a`."""
    view = np.diagonal(a, offset, d1, d2)
    if a.flags.writeable:
        view.flags.writeable = True  # (NumPy makes it read-only only to warn of the sharing)
    return view


class Diagonal(Function):
    """y = the diagonal of x (offset, d1, d2), its dims last;  dL/dx = zeros with dL/dy on that diagonal"""

    view = True

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, offset: int, d1: int, d2: int) -> np.ndarray:
        ctx.shape, ctx.diagonal = x.shape, (offset, d1, d2)
        return _diagonal_of(x, offset, d1, d2)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None]:
        return DiagEmbed._apply1(grad, ctx.shape, *ctx.diagonal), None, None, None

    @staticmethod
    def write_back(x: Tensor, y: Tensor, offset: int, d1: int, d2: int) -> Tensor:
        on_diagonal = np.zeros(x.shape, dtype=bool)
        _diagonal_of(on_diagonal, offset, d1, d2)[...] = True
        return where(on_diagonal, DiagEmbed._apply1(y, x.shape, offset, d1, d2), x)


class DiagEmbed(Function):
    """y = zeros of `shape` with x on its diagonal (offset, d1, d2);  dL/dx = the diagonal of dL/dy"""

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, shape: tuple[int, ...], offset: int, d1: int, d2: int
    ) -> np.ndarray:
        ctx.diagonal = (offset, d1, d2)
        out = np.zeros(shape, dtype=x.dtype)
        _diagonal_of(out, offset, d1, d2)[...] = x
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None, None]:
        return Diagonal._apply1(grad, *ctx.diagonal), None, None, None, None


def _two_dims(dim1: int, dim2: int, ndim: int, op: str) -> tuple[int, int]:
    """dim1 and dim2 as non-negative dims of a tensor of `ndim` dims, which must differ."""
    d1, d2 = normalize_dim(dim1, ndim), normalize_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"{op}(): diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def diagonal(x: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal of dims (dim1, dim2), shifted by offset, as a last dim: a view, as in PyTorch.

    x[i, i + offset] for a matrix; empty where the offset passes the edge.
    """
    _check_int(offset, "offset", "diagonal")
    return Diagonal._apply1(x, int(offset), *_two_dims(dim1, dim2, x.ndim, "diagonal"))


def diag_embed(x: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Zeros with x's last dim laid on a diagonal of two new dims (dim1, dim2), shifted by offset.

    The inverse of `diagonal`: diag_embed(x, o, d1, d2).diagonal(o, d1, d2) is x.
    Each new dim has size n + |offset|, for n the size of x's last dim.
    """
    _check_int(offset, "offset", "diag_embed")
    d1, d2 = _two_dims(dim1, dim2, x.ndim + 1, "diag_embed")
    size = x.shape[-1] + abs(offset)
    shape = list(x.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, size)
    return DiagEmbed._apply1(x, tuple(shape), int(offset), d1, d2)


def diag(x: Tensor, diagonal: int = 0) -> Tensor:
    """A vector's matrix (the vector on that diagonal, zeros elsewhere), or a matrix's diagonal (a copy)."""
    _check_int(diagonal, "diagonal", "diag")
    if x.ndim == 1:
        return diag_embed(x, diagonal, 0, 1)
    if x.ndim == 2:
        return Diagonal._apply1(x, int(diagonal), 0, 1).clone()  # (a copy in PyTorch, not a view)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {x.ndim}D (shape {x.shape})")


def trace(x: Tensor) -> Tensor:
    """The sum of a matrix's main diagonal (integers sum as int64, as in PyTorch)."""
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim} (shape {x.shape})")
    if x.data.dtype == np.bool_:
        raise NotImplementedError("trace is not implemented for bool tensors, as in PyTorch")
    total = Diagonal._apply1(x, 0, 0, 1).sum()
    return total if x.data.dtype.kind == "f" else total.to(np.int64)


def mv(matrix: Tensor, vec: Tensor) -> Tensor:
    """The matrix-vector product, (n, m) @ (m,) -> (n,); nothing is broadcast or promoted."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"mv(): argument 'vec' (position 1) must be Tensor, not {type(vec).__name__}")
    if matrix.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"mv(): expected a matrix and a vector, got shapes {matrix.shape} and {vec.shape}")
    if matrix.shape[1] != vec.shape[0]:
        raise RuntimeError(f"mv(): size mismatch, got matrix {matrix.shape} and vector {vec.shape}")
    if matrix.dtype != vec.dtype:
        raise RuntimeError(
            f"mv(): expected the matrix and the vector to have one dtype, got {matrix.dtype} and {vec.dtype}"
        )
    return matmul(matrix, vec)
