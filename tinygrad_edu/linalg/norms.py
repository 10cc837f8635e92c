"""Vector and matrix norms, composed from reductions (and svdvals): no Function of their own.

    vector_norm   ord p:  (sum |x|^p)^(1/p)    inf / -inf: max / min |x|    0: the count of nonzeros
    matrix_norm   "fro": the vector 2-norm of the entries    "nuc": the sum of the singular values
                  2 / -2: the largest / smallest singular value
                  inf / -inf: the max / min over rows of the row sums of |A|;  1 / -1: of the column sums

The gradients are those of the pieces: d|x|^p/dx = p |x|^(p-1) sign(x), max
and min share the gradient among ties, a singular value's gradient is u v^T.
NOTE: where the norm is not differentiable (|x| at 0) the gradient is 0,
as in PyTorch: also for p < 1, where |x|^(p-1) is infinite at 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..autograd.function import Function, Node
from ..ops import elementwise, reduce
from ..ops.movement import normalize_dim
from ..tensor import Tensor
from .checks import check_float
from .spectral import svdvals


def _is_matrix_order(ord: object) -> bool:
    if isinstance(ord, str):
        return ord in ("fro", "nuc")
    return isinstance(ord, (int, float, np.number)) and ord in (math.inf, -math.inf, 1, -1, 2, -2)


def _in_dtype(x: Tensor, dtype: Any, op: str) -> Tensor:
    """x cast to `dtype` (when given) before the norm, with PyTorch's checks: a floating point
    input, a floating point dtype, and no narrowing (float64 to float32, say)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    check_float(x, op, low_precision=True)
    if dtype is None:
        return x
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise RuntimeError(f"{op}: dtype should be floating point, but got {dtype}")
    if dtype.itemsize < x.data.dtype.itemsize:
        raise RuntimeError(
            f"{op}: the dtype of the input ({x.dtype}) should be convertible without narrowing "
            f"to the specified dtype ({dtype})"
        )
    return x.to(dtype)


def _vector_dims(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    """dim as sorted non-negative dims; None or () for all of them."""
    given = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim or range(ndim))
    dims = [normalize_dim(d, ndim) for d in given]
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return tuple(sorted(dims)) if ndim else ()


def _check_not_empty(x: Tensor, ord: float, dims: tuple[int, ...], whole: bool) -> None:
    """Max, min and sums of |x|^p for p < 0 have no value for no elements: refuse as PyTorch does."""
    if not (ord < 0 or ord == math.inf):  # (a sum of no |x|^p, p >= 0, is 0: nothing to refuse)
        return
    empty = [d for d in dims if x.shape[d] == 0]
    if empty:
        place = (
            "an empty tensor because"
            if whole
            else f"the dimension {empty[0]} because this dimension is empty and"
        )
        raise RuntimeError(
            f"linalg.vector_norm cannot compute the {ord:g} norm on {place} "
            "the operation does not have an identity"
        )


def vector_norm(
    x: Tensor,
    ord: float = 2,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """The ord-norm of x over `dim` (all dims when None), each slice read as one vector."""
    x = _in_dtype(x, dtype, "linalg.vector_norm")
    if isinstance(ord, str) or not isinstance(ord, (int, float, np.number)):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not {type(ord).__name__}")
    dims = _vector_dims(dim, x.ndim)
    _check_not_empty(x, ord, dims, whole=dim is None or (isinstance(dim, (tuple, list)) and not dim))
    return _p_norm(x, float(ord), dims, keepdim)


class CountNonzero(Function):
    """y = the number of nonzero elements over dims (the "0-norm");  no gradient (None), as in PyTorch,
    where the result is still recorded, so that backward runs through it and leaves x.grad alone"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
        return np.sum(x != 0, axis=dims, keepdims=keepdim).astype(x.dtype)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[None, None, None]:
        return None, None, None


def _p_norm(x: Tensor, p: float, dims: tuple[int, ...], keepdim: bool) -> Tensor:
    """(sum |x|^p)^(1/p) over dims; inf, -inf: max, min |x|; 0: the count of nonzeros.

    An all-zero slice has gradient 0 (see `reduce._root`), as in PyTorch.
    """
    if p == 2:
        return reduce._root(reduce.sum(x * x, dims, keepdim), 2)
    if p == math.inf:
        return reduce.amax(x.abs(), dims, keepdim)
    if p == -math.inf:
        return reduce.amin(x.abs(), dims, keepdim)
    if p == 0:
        return CountNonzero._apply1(x, dims if x.ndim else (), keepdim)
    if p == 1:
        return reduce.sum(x.abs(), dims, keepdim)
    if p > 1:
        return reduce._root(reduce.sum(x.abs() ** p, dims, keepdim), p)
    # 0 < p < 1 or p < 0: the slope of |x|^p is infinite at 0, so zeros take a constant
    # (0, or inf for p < 0), with gradient 0 there, as in PyTorch
    zero = Tensor._wrap(x.data == 0)
    powered = elementwise.where(zero, 0.0 if p > 0 else math.inf, elementwise.where(zero, 1.0, x.abs()) ** p)
    return reduce._root(reduce.sum(powered, dims, keepdim), p)


def matrix_norm(
    A: Tensor,
    ord: float | str = "fro",
    dim: Sequence[int] = (-2, -1),
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """The ord-norm of the matrices that dims `dim` (rows, columns) of A hold; see the module docstring."""
    op = "linalg.matrix_norm"
    if isinstance(A, Tensor) and A.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor A must have at least 2 dimensions.")
    A = _in_dtype(A, dtype, op)
    if isinstance(dim, (int, np.integer)) or len(dim) != 2:
        raise RuntimeError(f"{op}: dim must be a 2-tuple. Got {' '.join(str(d) for d in np.ravel(dim))}")
    rows, cols = (normalize_dim(d, A.ndim) for d in dim)
    if rows == cols:
        raise RuntimeError(f"{op}: dims must be different. Got ({rows}, {cols})")
    if not _is_matrix_order(ord):
        raise RuntimeError(f"{op}: Order {ord} not supported.")
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim)
    if ord in ("nuc", 2, -2):
        check_float(A, op)  # (svdvals has no float16, nor had PyTorch)
    if (A.shape[rows] == 0 or A.shape[cols] == 0) and (ord == "nuc" or float(ord) > 0):
        # the norm of an empty matrix is 0, as in PyTorch (where -1, -2 and -inf raise, as here)
        kept = [1 if d in (rows, cols) else n for d, n in enumerate(A.shape)]
        return Tensor._wrap(np.zeros(kept, A.dtype)).squeeze(() if keepdim else (rows, cols))
    if ord in ("nuc", 2, -2):
        return _spectral_norm(A, ord, rows, cols, keepdim)
    return _sum_norm(A, float(ord), rows, cols, keepdim)


def _spectral_norm(A: Tensor, ord: float | str, rows: int, cols: int, keepdim: bool) -> Tensor:
    """ "nuc", 2 or -2: the sum, max or min of the singular values of the matrices (rows, cols)."""
    s = svdvals(A.movedim((rows, cols), (-2, -1)))
    out = s.sum(-1) if ord == "nuc" else s.amax(-1) if ord == 2 else s.amin(-1)
    for d in sorted((rows, cols)) if keepdim else ():
        out = out.unsqueeze(d)
    return out


def _sum_norm(A: Tensor, ord: float, rows: int, cols: int, keepdim: bool) -> Tensor:
    """inf (-inf): the max (min) over rows of the sums of |A| along a row; 1 (-1): over columns."""
    summed, reduced = (cols, rows) if abs(ord) == math.inf else (rows, cols)
    sums = A.abs().sum(summed, keepdim=True)
    out = sums.amax(reduced, keepdim=True) if ord > 0 else sums.amin(reduced, keepdim=True)
    return out if keepdim else out.squeeze((rows, cols))


def norm(
    input: Tensor,
    ord: float | str | None = None,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """A vector norm or a matrix norm, chosen as PyTorch chooses.

    With dim an int (or one dim): vector_norm. With two dims: matrix_norm ("fro" when ord
    is None). With no dim: the 2-norm of all entries when ord is None; otherwise input must be
    1-D (vector_norm) or 2-D (matrix_norm). A string ord ("fro", "nuc") is a matrix norm.
    """
    if dim is not None:
        dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        if len(dims) not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dims)}"
            )
        if len(dims) == 2 or isinstance(ord, str):
            return matrix_norm(input, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
        return vector_norm(input, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
    if ord is None:
        return vector_norm(input, 2, None, keepdim, dtype=dtype)
    if isinstance(input, Tensor) and input.ndim not in (1, 2):
        raise RuntimeError(
            f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {input.ndim}D."
        )
    if isinstance(ord, str) or input.ndim == 2:
        return matrix_norm(input, ord, (-2, -1), keepdim, dtype=dtype)
    return vector_norm(input, ord, None, keepdim, dtype=dtype)
