"""Picking elements: by given positions (select, narrow, index_select, gather), by a
mask (masked_select, tril, triu, the diagonal of fill_diagonal_); and the way back,
placing elements at given positions (scatter, scatter_add, index_add).

The positions are given, or found with NumPy (a mask, a triangle), so no
gradient flows through them; the elements are then taken by indexing.
Indexing is a differentiable op (movement.Index), so the gradient needs no
formula of its own: dL/dy goes back to the places that were picked, summed
where a place was picked twice, and 0 where nothing was picked. Scattering
is indexed assignment (movement.IndexPut) or indexed addition
(movement.IndexAdd), whose gradients are gathers. Picking by order (sort,
topk, max, median, unique) is in ops/sorting.py, which shares the helpers here.
"""

from __future__ import annotations

from typing import TypeGuard

import numpy as np

from ..tensor import Tensor
from . import elementwise
from .broadcast import broadcast_shape
from .movement import IndexAdd, IndexPut, normalize_dim


def _along(idx: np.ndarray, dim: int) -> tuple:
    """The index that picks x[..., idx[i, j, k], ...] (idx at `dim`) for every position of idx.

    Every other dim is indexed by its own position, an arange shaped to
    broadcast against idx: the advanced-index form of a gather.
    """
    shape = idx.shape
    return tuple(
        idx if d == dim else np.arange(n).reshape([n if e == d else 1 for e in range(len(shape))])
        for d, n in enumerate(shape)
    )


def _at(dim: int, index: object) -> tuple:
    """The index that applies `index` to dim `dim` and takes every other dim whole."""
    return (slice(None),) * dim + (index,)


def _check_in_range(idx: np.ndarray, size: int, dim: int, op: str, error: type[Exception]) -> None:
    """Refuse positions outside [0, size): NumPy would wrap negative ones around (PyTorch's error type)."""
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise error(f"{op}(): index {idx[bad][0]} is out of bounds for dimension {dim} with size {size}")


def _is_int(value: object) -> TypeGuard[int | np.integer]:
    """An int (or NumPy integer) that is not a bool: a size, a count, a position."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_int(value: object, name: str, op: str) -> None:
    """Refuse a float (or bool) where an int is meant, with PyTorch's TypeError, naming the argument."""
    if not _is_int(value):
        raise TypeError(f"{op}(): argument '{name}' must be an int, got {type(value).__name__} {value!r}")


def gather(x: Tensor, dim: int, index: Tensor | np.ndarray) -> Tensor:
    """y[i][j] = x[index[i][j]][j] for dim 0 (x[i][index[i][j]] for dim 1, and so on).

    x: (..., n, ...),  index: integers in [0, n), as many dims as x, each
    other dim no longer than x's;  y: index's shape.
    """
    idx = np.asarray(index)  # (a Tensor gives its array)
    d = normalize_dim(dim, x.ndim)
    if idx.dtype not in (np.int32, np.int64):  # as PyTorch, which refuses int16 and uint8 too
        raise RuntimeError(f"gather(): Expected dtype int32/int64 for index, got {idx.dtype}")
    if idx.ndim != x.ndim and not (x.ndim == 0 and idx.ndim == 1):
        raise RuntimeError(
            f"gather(): Index tensor must have the same number of dimensions as input tensor "
            f"(index {idx.shape}, input {x.shape})"
        )
    if x.ndim == 0:  # as a one-element vector
        return gather(x.reshape(1), 0, idx.reshape(-1)).reshape(idx.shape)
    if any(i > n for e, (i, n) in enumerate(zip(idx.shape, x.shape)) if e != d):
        raise RuntimeError(
            f"gather(): Size does not match at dimension {d}: expected index {idx.shape} to be "
            f"no larger than self {x.shape} apart from dimension {d}"
        )
    _check_in_range(idx, x.shape[d], d, "gather", RuntimeError)
    return x[_along(idx, d)]


def scatter(
    x: Tensor, dim: int, index: Tensor, src: Tensor | float | None = None, value: float | None = None
) -> Tensor:
    """y = x with y[index[i][j]][j] = src[i][j] for dim 0 (y[i][index[i][j]] = src[i][j] for dim 1, ...).

    gather's way back: element (i, j) of src goes to the place that
    x.gather(dim, index) would read element (i, j) from. `value` (a number)
    instead of src writes that number at every place index names. Where index
    names a place twice, one of the values lands there (PyTorch does not say which).
    dL/dx = dL/dy with the written places zeroed;  dL/dsrc = dL/dy gathered at index
    (0 for elements of src beyond index's shape).
    """
    return _scatter("scatter", x, dim, index, scatter_source(x, index, src, value))


def scatter_source(x: Tensor, index: Tensor, src: Tensor | float | None, value: float | None) -> Tensor:
    """What scatter writes: src, or a number (src or `value`) at every place index names, in x's dtype."""
    if (src is None) == (value is None):
        raise TypeError("scatter(): expected exactly one of src (a Tensor or a number) and value (a number)")
    if isinstance(src, Tensor):
        return src
    return Tensor._wrap(np.full(np.shape(index), src if value is None else value, dtype=x.dtype))


def scatter_add(x: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """y = x with src[i][j] added to y[index[i][j]][j] for dim 0 (and so on, as scatter).

    Where index names a place twice, both values are added there.
    dL/dx = dL/dy;  dL/dsrc = dL/dy gathered at index (0 beyond index's shape).
    """
    if not isinstance(src, Tensor):
        raise TypeError(
            f"scatter_add(): argument 'src' (position 3) must be Tensor, not {type(src).__name__}"
        )
    return _scatter("scatter_add", x, dim, index, src)


def _scatter(op: str, x: Tensor, dim: int, index: Tensor | np.ndarray, src: Tensor) -> Tensor:
    """Write (op "scatter") or add (op "scatter_add") src's elements into x where index says.

    Written with the ops of indexing: y = x with y[places] = src (IndexPut),
    or x + (zeros with src added at places) (IndexAdd), where `places` is the
    advanced index of gather's positions.
    """
    idx = np.array(index)  # a copy: a later change to the index must not move the gradient
    if 0 in (x.ndim, idx.ndim, src.ndim) and max(x.ndim, idx.ndim, src.ndim) <= 1:
        # PyTorch takes a 0-d tensor here as a one-element vector
        return _scatter(op, x.reshape(-1), dim, idx.reshape(-1), src.reshape(-1)).reshape(x.shape)
    d = _check_scatter(op, x, dim, idx, src)
    if src.shape != idx.shape:
        src = src[tuple(slice(0, n) for n in idx.shape)]  # only the part that index covers is used
    places = _along(idx, d)
    if op == "scatter":
        return IndexPut.apply(x, src, places)
    return x + IndexAdd._apply1(src, places, x.shape)


def _check_scatter(op: str, x: Tensor, dim: int, idx: np.ndarray, src: Tensor) -> int:
    """Refuse what PyTorch refuses, saying why; the dim as a non-negative int.

    x: (..., n, ...);  idx: integers in [0, n), as many dims as x and src,
    no longer than src in any dim and no longer than x apart from `dim`.
    """
    if idx.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index, got {idx.dtype}")
    if src.data.dtype != x.data.dtype:
        raise RuntimeError(
            f"{op}(): Expected self.dtype to be equal to src.dtype, got {x.dtype} and {src.dtype}"
        )
    for name, other in (("self", x), ("src", src)):
        if idx.ndim != other.ndim:
            raise RuntimeError(
                f"{op}(): Index tensor must have the same number of dimensions as {name} tensor "
                f"(index {idx.shape}, {name} {other.shape})"
            )
    d = normalize_dim(dim, x.ndim)
    longer_than_x = any(i > n for e, (i, n) in enumerate(zip(idx.shape, x.shape)) if e != d)
    if longer_than_x or any(i > n for i, n in zip(idx.shape, src.shape)):
        raise RuntimeError(
            f"{op}(): Expected index {idx.shape} to be no larger than self {x.shape} apart from "
            f"dimension {d} and to be no larger size than src {src.shape}"
        )
    _check_in_range(idx, x.shape[d], d, op, RuntimeError)
    return d


def index_add(x: Tensor, dim: int, index: Tensor | np.ndarray, source: Tensor, alpha: float = 1) -> Tensor:
    """y = x with alpha * source[..., i, ...] added to y[..., index[i], ...] (i along dim).

    index_select's way back. x: (..., n, ...);  index: (k,) integers in [0, n);
    source: x's shape with k at dim. Where index repeats a position, every
    slice sent there is added. On integer tensors alpha is truncated first.
    dL/dx = dL/dy;  dL/dsource = alpha * dL/dy.index_select(dim, index).
    """
    if not isinstance(source, Tensor):
        raise TypeError(
            f"index_add(): argument 'source' (position 3) must be Tensor, not {type(source).__name__}"
        )
    idx = np.array(index)  # a copy: a later change to the index must not move the gradient
    d = normalize_dim(dim, x.ndim)
    _check_index_add(x, d, idx, source)
    if x.ndim == 0:  # a 0-d self (with a 0-d source) as a one-element vector, as PyTorch takes it
        return index_add(x.reshape(1), 0, idx.reshape(1), source.reshape(1), alpha).reshape(())
    if alpha != 1:
        # alpha in x's dtype first: PyTorch truncates it on integer tensors (alpha=1.5 adds once)
        source = source * Tensor._wrap(np.asarray(alpha, dtype=x.dtype))
    return x + IndexAdd._apply1(source, _at(d, idx.reshape(-1)), x.shape)


def _check_index_add(x: Tensor, d: int, idx: np.ndarray, source: Tensor) -> None:
    """Refuse what PyTorch refuses, with its exception types, in its order."""
    _check_index_and_source(x, idx, source, "index_add")
    k = source.shape[d] if source.ndim == x.ndim > 0 else 1  # (a 0-d source is one slice)
    if source.ndim == x.ndim and idx.size != k:
        raise RuntimeError(
            f"index_add(): Number of indices ({idx.size}) should be equal to source.size(dim): "
            f"({k}), for dim: {d}"
        )
    _check_source_shape(x, d, source, "index_add")
    # (PyTorch adds into a vector by another route, which raises IndexError instead)
    error = IndexError if x.ndim <= 1 else RuntimeError
    _check_in_range(idx, x.shape[d] if x.ndim else 1, d, "index_add", error)


def _check_index_and_source(x: Tensor, idx: np.ndarray, source: Tensor, op: str) -> None:
    """index_add's and index_reduce_'s first checks: a vector of int32/int64 indices, source in x's dtype."""
    if idx.ndim > 1:
        raise IndexError(
            f"{op}(): Index is supposed to be a vector, but got dim: {idx.ndim} with shape {idx.shape}"
        )
    if idx.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index but got: {idx.dtype}")
    if source.dtype != x.dtype:
        raise RuntimeError(
            f"{op}(): self ({x.dtype}) and source ({source.dtype}) must have the same scalar type"
        )


def _check_source_shape(x: Tensor, d: int, source: Tensor, op: str) -> None:
    """source must have x's shape except along dim d (index_add, index_reduce_)."""
    if source.ndim != x.ndim or any(a != b for e, (a, b) in enumerate(zip(x.shape, source.shape)) if e != d):
        raise RuntimeError(
            f"{op}(): source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {x.shape} source.shape = {source.shape}"
        )


def diagonal_mask(shape: tuple[int, ...], wrap: bool) -> np.ndarray:
    """True on the main diagonal (a[i, i], or a[i, i, ..., i] for more dims), for `fill_diagonal_`.

    For a tall matrix (N columns) with wrap=True the diagonal starts again
    N + 1 rows further down, as in PyTorch and NumPy's fill_diagonal.
    """
    if not isinstance(wrap, bool):
        raise TypeError(f"fill_diagonal_(): argument 'wrap' must be bool, not {type(wrap).__name__}")
    if len(shape) < 2:
        raise RuntimeError(f"fill_diagonal_: dimensions must larger than 1 (got shape {shape})")
    if len(shape) > 2 and len(set(shape)) > 1:
        raise RuntimeError(
            f"fill_diagonal_: all dimensions of input must be of equal length (got shape {shape})"
        )
    mask = np.zeros(shape, dtype=bool)
    np.fill_diagonal(mask, True, wrap=wrap)
    return mask


def select(x: Tensor, dim: int, index: int) -> Tensor:
    """The slice at `index` along `dim`, without that dim (x.select(0, i) is x[i])."""
    if x.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor")
    d = normalize_dim(dim, x.ndim)
    if not -x.shape[d] <= index < x.shape[d]:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {x.shape} at dimension {d}"
        )
    return x[_at(d, index)]


def narrow(x: Tensor, dim: int, start: int, length: int) -> Tensor:
    """The `length` elements from `start` along `dim` (a view)."""
    if x.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor")
    d = normalize_dim(dim, x.ndim)
    if length < 0:
        raise RuntimeError(f"narrow(): length must be non-negative, got {length}")
    size = x.shape[d]
    if not -size <= start <= size:
        raise IndexError(
            f"narrow(): start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    start = start + size if start < 0 else start
    if start + length > size:
        raise RuntimeError(f"narrow(): start ({start}) + length ({length}) exceeds dimension size ({size})")
    return x[_at(d, slice(start, start + length))]


def index_select(x: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices at the positions in `index` (a vector of ints) along `dim`, in that order."""
    idx = np.asarray(index)  # (a Tensor gives its array)
    d = normalize_dim(dim, x.ndim)
    if idx.ndim > 1:  # (PyTorch checks this first, and with an IndexError)
        raise IndexError(f"index_select(): Index is supposed to be a vector, got shape {idx.shape}")
    if idx.dtype not in (np.int32, np.int64):  # as PyTorch, which refuses int16 and uint8 too
        raise RuntimeError(f"index_select(): Expected dtype int32 or int64 for index, got {idx.dtype}")
    if x.ndim == 0:  # a scalar counts as one element along dim 0, as in PyTorch
        if idx.size != 1:
            raise RuntimeError(
                f"index_select(): Index to scalar can have only 1 value, got {idx.size} value(s)"
            )
        _check_in_range(idx, 1, d, "index_select", IndexError)
        return x[()].clone()  # (a copy, as index_select always makes)
    _check_in_range(idx, x.shape[d], d, "index_select", IndexError)
    return x[_at(d, idx.reshape(-1))]


def masked_select(x: Tensor, mask: Tensor) -> Tensor:
    """The elements of x where `mask` (broadcast to x's shape) is True, as a vector."""
    m = np.asarray(mask)
    if m.dtype != np.bool_:
        raise RuntimeError(f"masked_select: expected a boolean mask, got dtype {m.dtype}")
    shape = broadcast_shape(x.shape, m.shape, op="masked_select")  # (a RuntimeError naming both)
    return x.expand(shape)[np.broadcast_to(m, shape)]


def _triangle(x: Tensor, diagonal: int, lower: bool) -> Tensor:
    """x with 0 on one side of the `diagonal`-th diagonal of its last two dims."""
    op = "tril" if lower else "triu"
    _check_int(diagonal, "diagonal", op)
    if x.ndim < 2:
        raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions, got shape {x.shape}")
    rows, cols = x.shape[-2:]
    keep = (
        np.tri(rows, cols, k=diagonal, dtype=bool)
        if lower
        else ~np.tri(rows, cols, k=diagonal - 1, dtype=bool)
    )
    return elementwise.where(keep, x, Tensor._wrap(np.zeros((), x.dtype)))


def tril(x: Tensor, diagonal: int = 0) -> Tensor:
    """x with the elements above the `diagonal`-th diagonal set to 0 (of the last two dims)."""
    return _triangle(x, diagonal, lower=True)


def triu(x: Tensor, diagonal: int = 0) -> Tensor:
    """x with the elements below the `diagonal`-th diagonal set to 0 (of the last two dims)."""
    return _triangle(x, diagonal, lower=False)
