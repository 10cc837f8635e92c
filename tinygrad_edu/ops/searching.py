"""Searching: where values would go in a sorted sequence, where a tensor is nonzero, picking along a dim.

`searchsorted` and `bucketize` answer "which bin?": for sorted boundaries
b (n,) and a value v, the left insertion point is the first i with
b[i] >= v (the right one: the first i with b[i] > v), n if there is none.
They are found by a binary search run on every value at once (NumPy
arrays, one step per halving, so log2(n) steps, not a loop over elements).
The positions are integer constants with no gradient.

`take_along_dim` picks elements with an index tensor (a gather after
broadcasting), so its values carry a gradient back to the picked places.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .broadcast import broadcast_shape
from .movement import normalize_dim
from .selection import _check_in_range, gather
from .sorting import sort


def _binary_search(boundaries: np.ndarray, values: np.ndarray, right: bool) -> np.ndarray:
    """Insertion points of `values` (..., m) in `boundaries` (n,) or (..., n), sorted along the last dim.

    Keeps [lo, hi) around the answer for every value and halves it each step.
    The comparison is PyTorch's: going left, the answer is above mid unless
    b[mid] >= v; going right, unless v < b[mid]. So a nan value goes past
    every boundary (to n), as if nan were the largest number.
    """
    n = boundaries.shape[-1]
    lo = np.zeros(values.shape, dtype=np.int64)
    hi = np.full(values.shape, n, dtype=np.int64)
    for _ in range(n.bit_length()):  # each step halves hi - lo, which starts at n
        mid = (lo + hi) // 2
        at = np.minimum(mid, n - 1)  # (where lo == hi, mid may be n: its answer is settled anyway)
        b = boundaries[at] if boundaries.ndim == 1 else np.take_along_axis(boundaries, at, axis=-1)
        up = ~(values < b) if right else ~(b >= values)
        active = lo < hi
        lo = np.where(active & up, mid + 1, lo)
        hi = np.where(active & ~up, mid, hi)
    return lo


def searchsorted(
    sorted_sequence: Tensor,
    input: Tensor | float,
    *,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: Tensor | None = None,
) -> Tensor:
    """The positions where `input`'s values would be inserted into `sorted_sequence` to keep it sorted.

    sorted_sequence (n,) is shared by all values; or (..., n) with input
    (..., m), one sorted row per row of values. right=True (or
    side="right") puts a value after the boundaries equal to it. `sorter`
    (int64, sorted_sequence's shape) lists the positions that sort an
    unsorted sequence, as argsort gives them. int64 (int32 if out_int32),
    input's shape (0-d for a number).
    """
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError(
                "torch.searchsorted(): side and right can't be set to opposites, got side of left while "
                "right was True"
            )
        right = side == "right"
    bounds = sorted_sequence.data
    values = input.data if isinstance(input, Tensor) else np.asarray(input)
    if bounds.ndim == 0:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension"
        )
    if bounds.dtype == np.bool_ or values.dtype == np.bool_:
        raise NotImplementedError("searchsorted is not implemented for bool tensors")
    if bounds.ndim > 1 and bounds.shape[:-1] != values.shape[:-1]:
        raise RuntimeError(
            "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of "
            f"boundaries tensor and input value tensor must match, but we got boundaries tensor "
            f"{list(bounds.shape)} and input value tensor {list(values.shape)}"
        )
    if sorter is not None:
        bounds = _sorted_by(bounds, sorter)
    positions = _binary_search(bounds, values, right)
    return Tensor._wrap(positions.astype(np.int32 if out_int32 else np.int64))


def _sorted_by(bounds: np.ndarray, sorter: Tensor) -> np.ndarray:
    """bounds put in order by the positions `sorter` lists along the last dim."""
    order = sorter.data
    if order.dtype != np.int64:
        raise RuntimeError(
            f"torch.searchsorted(): sorter must be a tensor of long dtype but got dtype {order.dtype}"
        )
    if order.shape != bounds.shape:
        raise RuntimeError(
            f"torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor "
            f"{list(bounds.shape)} and got sorter tensor {list(order.shape)}"
        )
    if np.any((order < 0) | (order >= bounds.shape[-1])):
        raise RuntimeError("torch.searchsorted(): sorter index out of range")
    return np.take_along_axis(bounds, order, axis=-1)


def bucketize(
    input: Tensor | float, boundaries: Tensor, *, out_int32: bool = False, right: bool = False
) -> Tensor:
    """The bucket of each value: i with boundaries[i-1] < v <= boundaries[i] (right=True: <= v <).

    boundaries: a sorted 1-d tensor. The same positions as
    searchsorted(boundaries, input, right=right).
    """
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def argwhere(input: Tensor) -> Tensor:
    """The indices of the nonzero elements, one row each: int64 (N, input.ndim), as input.nonzero()."""
    positions = input.nonzero()
    assert isinstance(positions, Tensor)  # (as_tuple=False gives one tensor)
    return positions


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """input's elements at `indices` along dim: out[i][j] = input[i][indices[i][j]] for dim 1.

    indices (int64) has input's number of dims; the other dims broadcast
    against input's. Without dim, both are flattened: input.flatten()[indices.flatten()].
    Negative indices count from the end. Gradient: to the picked elements.
    """
    if indices.data.dtype != np.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got {indices.dtype}")
    if dim is None:
        return take_along_dim(input.reshape(-1), indices.reshape(-1), 0)
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = normalize_dim(dim, input.ndim)
    if indices.ndim != input.ndim:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of dimensions, but got "
            f"{input.ndim} dimensions for input, and {indices.ndim} dimensions for indices"
        )
    n = input.shape[d]
    idx = np.where(indices.data < 0, indices.data + n, indices.data)
    _check_in_range(idx, n, d, "take_along_dim", IndexError)
    others = broadcast_shape(
        *(tuple(1 if e == d else s for e, s in enumerate(shape)) for shape in (input.shape, idx.shape)),
        op="take_along_dim",
    )
    x = input.expand(*(n if e == d else s for e, s in enumerate(others)))
    idx = np.broadcast_to(idx, tuple(idx.shape[d] if e == d else s for e, s in enumerate(others)))
    return gather(x, d, idx)


def msort(input: Tensor) -> Tensor:
    """input sorted along its first dim (sort(input, dim=0).values); gradient to the moved elements."""
    return sort(input, 0).values
