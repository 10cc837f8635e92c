"""Rearranging elements: repeat each one in place (repeat_interleave), shift them round (roll),
turn a plane (rot90), move dims (movedim), cut at given places (tensor_split), pick by
flat position (take).

No new Function: the positions are worked out with NumPy and the elements
then taken by indexing, permuting, flipping or slicing (ops/movement.py), so
gradients flow back through those: summed where an element was taken twice
(repeat_interleave, take), and put back in place otherwise.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..tensor import Tensor
from .movement import normalize_dim, permute, transpose
from .selection import _at, _check_int, _is_int

# ---------------------------------------------------------------- repeating


def repeat_interleave(
    x: Tensor, repeats: int | Tensor, dim: int | None = None, output_size: int | None = None
) -> Tensor:
    """Each element (each slice along dim) repeated in place: [a, b] with 2 repeats is [a, a, b, b].

    `repeats` is one count for all, or a tensor of counts, one per slice (or a
    single one). With dim None, x is flattened first. `output_size`, if given,
    must be the length of the result along dim.
    """
    counts = _repeat_counts(repeats)
    if dim is None:
        x, d = x.reshape(-1), 0
    elif x.ndim == 0:
        raise IndexError(f"repeat_interleave(): dim {dim} was given, but the tensor is 0-d (it has no dims)")
    else:
        d = normalize_dim(dim, x.ndim)
    n = x.shape[d]
    if counts.size not in (1, n):
        raise RuntimeError(
            f"repeat_interleave(): repeats must have the same size as input along dim, but got "
            f"repeats.size(0) = {counts.size} and input.size({d}) = {n} (input shape {x.shape})"
        )
    positions = np.repeat(np.arange(n), np.broadcast_to(counts, (n,)))
    if output_size is not None and output_size != positions.size:
        raise RuntimeError(
            f"repeat_interleave(): Invalid output_size, expected {positions.size} but got {output_size}"
        )
    return x[_at(d, positions)]


def _repeat_counts(repeats: int | Tensor) -> np.ndarray:
    """The counts of repeat_interleave as a 1-d array of non-negative integers, or PyTorch's error."""
    if isinstance(repeats, Tensor):
        counts = repeats.data
        if counts.dtype.kind not in "iu":
            raise NotImplementedError(
                f"repeat_interleave(): repeats must be integers, got dtype {repeats.dtype}"
            )
        if counts.ndim > 1:
            raise RuntimeError(
                f"repeat_interleave(): repeats must be 0-dim or 1-dim tensor, got shape {repeats.shape}"
            )
    elif _is_int(repeats):
        counts = np.asarray(repeats)
    else:
        raise TypeError(
            "repeat_interleave(): argument 'repeats' must be an int or a Tensor, "
            f"not {type(repeats).__name__}"
        )
    if (counts < 0).any():
        raise RuntimeError(f"repeat_interleave(): repeats must be non-negative, got {counts.tolist()}")
    return counts.reshape(-1)


def repeat_interleave_function(
    input: Tensor,
    repeats: int | Tensor | None = None,
    dim: int | None = None,
    *,
    output_size: int | None = None,
) -> Tensor:
    """tg.repeat_interleave: as the method, or given a 1-d tensor of counts alone, the positions
    0, 1, ... each repeated that often (tg.repeat_interleave(tg.tensor([2, 0, 1])) is [0, 0, 2])."""
    if repeats is not None:
        return repeat_interleave(input, repeats, dim, output_size)
    if input.ndim != 1:
        raise RuntimeError(
            f"repeat_interleave(): only accepts a 1D vector as repeat, got shape {input.shape}"
        )
    counts = _repeat_counts(input)
    positions = np.repeat(np.arange(counts.size, dtype=input.dtype), counts)
    if output_size is not None and output_size != positions.size:
        raise RuntimeError(
            f"repeat_interleave(): Invalid output_size, expected {positions.size} but got {output_size}"
        )
    return Tensor._wrap(positions)


# ---------------------------------------------------------------- shifting and turning


def roll(x: Tensor, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
    """x with its elements moved `shifts` places along dims, those pushed off one end coming back
    at the other. With no dims, x is rolled as if flattened. A dim may be given twice: it rolls twice."""
    steps = _ints(shifts, "shifts")
    axes = () if dims is None else _ints(dims, "dims")
    if not steps:
        raise RuntimeError("roll(): `shifts` required")
    if not axes:
        if len(steps) != 1:
            raise RuntimeError(f"roll(): shifts and dimensions must align. shifts: {len(steps)}, dims: 0")
        return roll(x.reshape(-1), steps, 0).reshape(x.shape)
    if len(steps) != len(axes):
        raise RuntimeError(
            f"roll(): shifts and dimensions must align. shifts: {len(steps)}, dims: {len(axes)}"
        )
    if x.ndim == 0:
        raise IndexError(f"roll(): Dimension specified as {axes[0]} but tensor has no dimensions")
    for step, dim in zip(steps, axes):  # (one index per dim rolled)
        d = normalize_dim(dim, x.ndim)
        n = x.shape[d]
        x = x[_at(d, (np.arange(n) - step) % n)] if n else x
    return x


def _ints(value: Any, name: str) -> tuple[int, ...]:
    """An int, or a sequence of ints, as a tuple (a 0-d integer tensor counts as an int)."""
    items = value if isinstance(value, (tuple, list)) else (value,)
    try:
        return tuple(operator.index(item) for item in items)
    except TypeError:
        raise TypeError(
            f"roll(): argument '{name}' must be an int or a tuple of ints, "
            f"got {type(value).__name__} {value!r}"
        ) from None


def rot90(x: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """x turned k quarter turns in the plane of dims, from the first dim toward the second.

    One turn is a flip of the second dim, then a swap of the two (the
    matrix [[1, 2], [3, 4]] becomes [[2, 4], [1, 3]]); k < 0 turns the other way.
    The result has memory of its own, as in PyTorch.
    """
    _check_int(k, "k", "rot90")
    if len(dims) != 2:
        raise RuntimeError(f"rot90(): expected total rotation dims == 2, but got dims = {len(dims)}")
    if x.ndim < 2:
        raise RuntimeError(
            f"rot90(): expected total dims >= 2, but got total dims = {x.ndim} (shape {x.shape})"
        )
    d0, d1 = normalize_dim(dims[0], x.ndim), normalize_dim(dims[1], x.ndim)
    if d0 == d1:
        raise RuntimeError(
            f"rot90(): expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}"
        )
    turns = k % 4
    if turns == 1:
        x = transpose(x.flip(d1), d0, d1)
    elif turns == 2:
        x = x.flip(d0, d1)
    elif turns == 3:
        x = transpose(x.flip(d0), d0, d1)
    return x.clone()


def movedim(x: Tensor, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    """x with dims `source` moved to the places `destination`, the others keeping their order (a view)."""
    if _is_int(source) != _is_int(destination):
        raise TypeError(
            "movedim(): source and destination must both be ints or both be tuples of ints, got "
            f"{type(source).__name__} and {type(destination).__name__}"
        )
    sources = _dims_in_order(source, x.ndim, "source")
    targets = _dims_in_order(destination, x.ndim, "destination")
    if len(sources) != len(targets):
        raise RuntimeError(
            f"movedim(): Invalid source or destination dims: source ({list(sources)} dims) should contain "
            f"the same number of dims as destination ({list(targets)} dims)"
        )
    rest = iter(d for d in range(x.ndim) if d not in sources)
    placed = dict(zip(targets, sources))
    return permute(x, tuple(placed[d] if d in placed else next(rest) for d in range(x.ndim)))


def _dims_in_order(dims: int | Sequence[int], ndim: int, name: str) -> tuple[int, ...]:
    """dims (an int or a sequence) as non-negative ints in the order given, none repeated."""
    if not (_is_int(dims) or isinstance(dims, (tuple, list))):
        raise TypeError(
            f"movedim(): argument '{name}' must be an int or a tuple of ints, not {type(dims).__name__}"
        )
    given = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
    result = tuple(normalize_dim(int(d), ndim) for d in given)
    if len(set(result)) != len(result):
        raise RuntimeError(f"movedim(): repeated dim in `{name}` ({list(given)})")
    return result


# ---------------------------------------------------------------- cutting and picking


def tensor_split(
    x: Tensor, indices_or_sections: int | Sequence[int] | Tensor, dim: int = 0
) -> tuple[Tensor, ...]:
    """x cut along dim into views: `sections` pieces as equal as can be (the first ones one longer),
    or at the given indices, piece i being x[indices[i-1]:indices[i]] (Python's slicing rules)."""
    if x.ndim == 0:
        raise RuntimeError(
            "tensor_split(): expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
        )
    cuts = _cuts(indices_or_sections)
    d = normalize_dim(dim, x.ndim)
    if isinstance(cuts, int):  # a number of sections: where they end
        if cuts <= 0:
            raise RuntimeError(f"tensor_split(): number of sections must be larger than 0, got {cuts}")
        size, longer = divmod(x.shape[d], cuts)
        cuts = np.cumsum([size + 1] * longer + [size] * (cuts - longer))[:-1].tolist()
    bounds = [None, *cuts, None]
    return tuple(x[_at(d, slice(start, stop))] for start, stop in zip(bounds, bounds[1:]))


def _cuts(value: Any) -> int | list[int]:
    """The sections (an int) or the indices (a list of ints) that tensor_split is given."""
    if isinstance(value, Tensor):
        if value.data.dtype != np.int64:
            raise RuntimeError(
                f"tensor_split(): expected the indices or sections to be int64, got {value.dtype}"
            )
        if value.ndim > 1:
            raise RuntimeError(
                f"tensor_split(): expected the indices or sections to be a zero-dimensional or "
                f"one-dimensional tensor, but got a tensor with {value.ndim} dims"
            )
        return value.data.tolist()  # (an int for a 0-d tensor)
    if _is_int(value):
        return int(value)
    if isinstance(value, (tuple, list)) and all(map(_is_int, value)):
        return [int(i) for i in value]
    raise TypeError(
        "tensor_split(): argument 'indices_or_sections' must be an int, a sequence of ints or an int64 "
        f"tensor, not {type(value).__name__}"
    )


def take(x: Tensor, index: Tensor) -> Tensor:
    """The elements of x at the given positions in x flattened (negative ones count from the end);
    the result has index's shape."""
    if not isinstance(index, Tensor):
        raise TypeError(f"take(): argument 'index' (position 1) must be Tensor, not {type(index).__name__}")
    if index.data.dtype != np.int64:
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {index.dtype}")
    size = x.data.size
    if size == 0 and index.data.size:
        raise IndexError(f"take(): tried to take from an empty tensor (shape {x.shape})")
    bad = (index.data < -size) | (index.data >= size)
    if bad.any():
        raise IndexError(
            f"take(): out of range: tried to access index {index.data[bad][0]} on a tensor of {size} "
            f"elements (shape {x.shape})"
        )
    picked = x.reshape(-1)[index.data.reshape(-1)]  # (an index array: a copy, as PyTorch's)
    return picked.reshape(index.shape)
