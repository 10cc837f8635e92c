"""Writing into chosen places of a tensor: index_fill, index_copy, index_put, masked_scatter, put.

Each is x with some places replaced (or added to), returned as a new
tensor; the in-place forms (index_fill_, ...) write that result into x.
They are built on the ops of indexing (ops/movement.py), so their gradients
need no formulas of their own:

    y = x with y[places] = v  (IndexPut):  dL/dx = dL/dy, 0 at the written places;
                                           dL/dv = dL/dy[places]
    y = x + (zeros with v added at places) (IndexAdd, for accumulate=True):
                                           dL/dx = dL/dy;  dL/dv = dL/dy[places]

Where a place is named twice, one of its values lands there (PyTorch does
not say which), yet each gets the gradient, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import torch_name
from ..tensor import Tensor
from ..warning import warn
from .broadcast import broadcast_shape, broadcasts_to, check_written
from .elementwise import where
from .movement import IndexAdd, IndexPut, normalize_dim
from .selection import _at


def _require_tensor(op: str, value: Any, name: str, position: int) -> None:
    """PyTorch's TypeError for a number or list where a tensor is needed."""
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(value).__name__}"
        )


def _positions(index: Any, error: type[Exception], message: str) -> np.ndarray:
    """A copy of `index` as an int64 array of at most one dim (a later change to the index must not
    move the gradient), or `error(message)` for any other dtype."""
    idx = np.array(index)
    if idx.dtype != np.int64:
        raise error(message.format(dtype=idx.dtype))
    return idx


def index_fill(x: Tensor, dim: int, index: Any, value: Any) -> Tensor:
    """x with `value` (a number or a 0-d tensor) at positions `index` along `dim`.

    Negative positions count from the end. dL/dvalue is the sum of dL/dy over
    the filled places, each counted once however often `index` names it.
    """
    idx = _positions(index, IndexError, "index_fill_(): Expected dtype int64 for index.")
    if idx.ndim > 1:
        raise RuntimeError(f"index_fill_(): Index has to be a vector/scalar, got shape {idx.shape}")
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            "index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.ndim} dimension(s)."
        )
    d = normalize_dim(dim, x.ndim)
    size = x.shape[d] if x.ndim else 1
    bad = (idx < -size) | (idx >= size)
    if bad.any():
        raise IndexError(
            f"index_fill_(): index {idx[bad][0]} is out of bounds for dimension {d} with size {size}"
        )
    filled = np.zeros(x.shape, dtype=bool)
    filled.reshape(x.shape or (1,))[_at(d, idx.reshape(-1))] = True  # (a 0-d x as a one-element vector)
    # the value in x's dtype: a float written into an integer tensor is truncated, as in PyTorch
    if not isinstance(value, Tensor):
        check_written(value, x.data.dtype)
    fill = value.to(x.dtype) if isinstance(value, Tensor) else Tensor._wrap(np.asarray(value, dtype=x.dtype))
    return where(Tensor._wrap(filled), fill, x)


def index_copy(x: Tensor, dim: int, index: Any, source: Tensor) -> Tensor:
    """x with source's i-th slice along `dim` written to slice index[i] (positions in [0, n))."""
    _require_tensor("index_copy", source, "source", 3)
    message = "index_copy_(): Expected a long tensor for index, but got {dtype}"
    idx = _positions(index, RuntimeError, message)
    if idx.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {idx.ndim})")
    if source.dtype != x.dtype:
        raise RuntimeError(
            "index_copy_(): self and source expected to have the same dtype, but got (self) "
            f"{x.dtype} and (source) {source.dtype}"
        )
    if x.ndim <= 1 and source.ndim <= 1 and 0 in (x.ndim, source.ndim):  # scalars as one-element vectors
        flat = index_copy(x.reshape(-1), 0, idx.reshape(-1), source.reshape(-1))
        return flat.reshape(x.shape)
    d = normalize_dim(dim, x.ndim)
    _check_index_copy(x, d, idx, source)
    return IndexPut.apply(x, source, _at(d, idx.reshape(-1)))


def _check_index_copy(x: Tensor, d: int, idx: np.ndarray, source: Tensor) -> None:
    """Refuse what PyTorch refuses, with its exception types."""
    if source.ndim != x.ndim:
        raise IndexError(
            "index_copy_(): When source and destination are not scalars, their dimensionality must "
            f"match. Source dimensionality ({source.ndim}), destination dimensionality ({x.ndim})"
        )
    if idx.size != source.shape[d]:
        raise IndexError(
            f"index_copy_(): Number of indices ({idx.size}) should be equal to source.size(dim) "
            f"({source.shape[d]})"
        )
    if any(a != b for e, (a, b) in enumerate(zip(x.shape, source.shape)) if e != d):
        raise RuntimeError(
            "index_copy_(): Source/destination tensor must have same slice shapes apart from dimension "
            f"{d}, got destination {x.shape} and source {source.shape}"
        )
    bad = (idx < 0) | (idx >= x.shape[d])
    if bad.any():
        raise IndexError(
            f"index_copy_(): index {idx[bad][0]} is out of bounds for dimension {d} with size {x.shape[d]}"
        )


def check_setitem_dtype(index: tuple, value: Tensor, x: Tensor) -> None:
    """Refuse, as PyTorch does, a Tensor value of another dtype written by ``x[index] = value``
    through index arrays (`index` as movement.check_index leaves it).

    Slices and integers copy with a cast (x[0:2] = ints); index arrays put
    values, as `index_put` does, which must have x's dtype, unless one mask
    takes a single value (x[x > 0] = 0-d tensor fills, with a cast).
    """
    arrays = [i for i in index if isinstance(i, np.ndarray)]
    if arrays and not (value.ndim == 0 and len(arrays) == 1 and arrays[0].dtype == np.bool_):
        raise _dtypes_differ(x, value)


def _dtypes_differ(x: Tensor, values: Tensor) -> RuntimeError:
    return RuntimeError(
        f"Index put requires the source and destination dtypes match, got {torch_name(x.dtype)} for "
        f"the destination and {torch_name(values.dtype)} for the source."
    )


def index_put(x: Tensor, indices: Any, values: Tensor, accumulate: bool = False) -> Tensor:
    """x with x[indices] = values (or += values, with accumulate=True, where repeats add up).

    indices: a tuple (or list) of integer or bool tensors, one per leading dim
    indexed, as in x[i0, i1, ...]; values broadcast to the shape x[indices] has.
    """
    if not isinstance(indices, (tuple, list)):
        raise TypeError(
            "index_put(): argument 'indices' (position 1) must be tuple of Tensors, not "
            f"{type(indices).__name__}"
        )
    index = tuple(_index_array(i, n) for n, i in enumerate(indices))
    _require_tensor("index_put", values, "values", 2)
    if values.dtype != x.dtype:
        raise _dtypes_differ(x, values)
    target = x.data[index].shape  # (NumPy's IndexError for positions out of range or too many indices)
    if not broadcasts_to(values.shape, target):
        raise RuntimeError(
            f"shape mismatch: value tensor of shape {values.shape} cannot be broadcast to indexing result "
            f"of shape {target}"
        )
    values = values.expand(target)  # (recorded: its backward sums the gradient back to values' shape)
    if accumulate:
        return x + IndexAdd._apply1(values, index, x.shape)
    return IndexPut.apply(x, values, index)


def _index_array(index: Any, n: int) -> np.ndarray:
    """One of index_put's indices as an array of its own: integers, or a bool mask."""
    if not isinstance(index, Tensor):
        raise TypeError(f"expected Tensor as element {n} in argument 0, but got {type(index).__name__}")
    if index.dtype == np.uint8:  # PyTorch's old masks
        warn("index_put: indexing with dtype uint8 is deprecated, as in PyTorch: use a bool tensor")
        return index.data != 0
    if index.dtype not in (np.int64, np.int32, np.bool_):
        raise IndexError(
            f"tensors used as indices must be long, int, byte or bool tensors, got {index.dtype}"
        )
    return np.array(index.data)


def masked_scatter(x: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """x with the places where `mask` is True filled, in row-major order, by source's first elements.

    x and mask broadcast; source may have any shape, with at least as many
    elements as the mask has True values (the rest are unused, and get a gradient of 0).
    """
    _require_tensor("masked_scatter", source, "source", 2)
    m = np.asarray(mask)
    if m.dtype != np.bool_:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {m.dtype}")
    if source.dtype != x.dtype:
        raise RuntimeError(
            "masked_scatter: expected self and source to have same dtypes but got "
            f"{x.dtype} and {source.dtype}"
        )
    shape = broadcast_shape(x.shape, m.shape, op="masked_scatter")
    places = np.broadcast_to(m, shape).copy()  # (a copy of its own, as any index kept for backward)
    count = int(places.sum())
    if source.numel() < count:
        raise RuntimeError(
            f"masked_scatter: Number of elements of source ({source.numel()}) < number of ones in mask "
            f"({count})"
        )
    return IndexPut.apply(x.expand(shape), source.reshape(-1)[:count], (places,))


def put(x: Tensor, index: Any, source: Tensor, accumulate: bool = False) -> Tensor:
    """x with source's elements written (or, with accumulate=True, added) at positions `index` of x
    flattened, both taken in row-major order; negative positions count from the end."""
    _require_tensor("put", source, "source", 2)
    idx = _positions(index, RuntimeError, "put_(): Expected a long tensor for index, but got {dtype}")
    if source.dtype != x.dtype:
        raise RuntimeError(
            "put_(): self and source expected to have the same dtype, but got self.dtype = "
            f"{x.dtype} and source.dtype = {source.dtype}"
        )
    if idx.size != source.numel():
        raise IndexError(
            "put_(): Expected source and index to have the same number of elements, but got "
            f"source.numel() = {source.numel()}, index.numel() = {idx.size}"
        )
    n = x.numel()
    if n == 0 and idx.size:
        raise IndexError("put_(): Tried to put elements into an empty tensor")
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(
            f"put_(): out of range: tried to access index {idx[bad][0]} on a tensor of {n} elements."
        )
    places = np.unravel_index(idx.reshape(-1) % max(n, 1), x.shape or (1,))
    flat, values = x.reshape(-1) if x.ndim == 0 else x, source.reshape(-1)
    if accumulate:
        return (flat + IndexAdd._apply1(values, places, flat.shape)).reshape(x.shape)
    return IndexPut.apply(flat, values, places).reshape(x.shape)
