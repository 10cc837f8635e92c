"""The out-of-place writes into a view: select_scatter, slice_scatter, diagonal_scatter.

Each returns a copy of input whose view (the one that select, slicing or
diagonal would give) holds src instead; input itself is left unchanged:

    select_scatter(x, src, dim, i)            y = x, then y.select(dim, i) = src
    slice_scatter(x, src, dim, a, b, step)    y = x, then y[..., a:b:step, ...] = src  (at dim)
    diagonal_scatter(x, src, k, d1, d2)       y = x, then y.diagonal(k, d1, d2) = src

src must have exactly the view's shape (no broadcasting), and is cast to x's
dtype. They are the functional forms of writing into a view, and their
gradients are the obvious ones:

    dL/dx = dL/dy with zeros on the view,    dL/dsrc = the view of dL/dy

No new Function: the first two are IndexPut (ops/movement.py) with a basic
index, the third the write-back rule of Diagonal (ops/matrix.py).
"""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from .matrix import Diagonal
from .movement import IndexPut, normalize_dim
from .selection import _at, _is_int


def _require(op: str, value: Any, name: str, position: int, kind: type) -> None:
    """PyTorch's TypeError for an argument of the wrong type."""
    ok = _is_int(value) if kind is int else isinstance(value, kind)
    if not ok:
        raise TypeError(
            f"{op}(): argument '{name}' (position {position}) must be {kind.__name__}, "
            f"not {type(value).__name__}"
        )


def _check_src(src: Tensor, view_shape: tuple[int, ...]) -> None:
    if tuple(src.shape) != tuple(view_shape):
        raise RuntimeError(
            "expected src to have a size equal to the slice of self. "
            f"src size = {list(src.shape)}, slice size = {list(view_shape)}"
        )


def _put(input: Tensor, src: Tensor, index: tuple) -> Tensor:
    """input with input[index] = src, out of place (src cast to input's dtype)."""
    return IndexPut.apply(input, src if src.dtype == input.dtype else src.to(input.dtype), index)


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
    """input with its slice at `index` along `dim` replaced by src: (*a, n, *b), (*a, *b) -> (*a, n, *b)."""
    _require("select_scatter", input, "input", 1, Tensor)
    _require("select_scatter", src, "src", 2, Tensor)
    _require("select_scatter", dim, "dim", 3, int)
    _require("select_scatter", index, "index", 4, int)
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, input.ndim)
    size = input.shape[d]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(input.shape)} at dimension {d}"
        )
    _check_src(src, input.shape[:d] + input.shape[d + 1 :])
    return _put(input, src, _at(d, int(index) % size))


def slice_scatter(
    input: Tensor, src: Tensor, dim: int = 0, start: int | None = None, end: int | None = None, step: int = 1
) -> Tensor:
    """input with its slice start:end:step along `dim` replaced by src, whose shape is that slice's.

    start and end follow Python's slicing: None for the ends, negative counts from
    the end, out-of-range values clipped. step must be positive.
    """
    _require("slice_scatter", input, "input", 1, Tensor)
    _require("slice_scatter", src, "src", 2, Tensor)
    _require("slice_scatter", dim, "dim", 3, int)
    for position, (name, value) in enumerate((("start", start), ("end", end)), 4):
        if value is not None:
            _require("slice_scatter", value, name, position, int)
    _require("slice_scatter", step, "step", 6, int)
    if input.ndim == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, input.ndim)
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    place = slice(start, end, step)
    view_shape = list(input.shape)
    view_shape[d] = len(range(*place.indices(input.shape[d])))
    _check_src(src, tuple(view_shape))
    return _put(input, src, _at(d, place))


def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """input with its diagonal (offset, dim1, dim2) replaced by src, shaped as input.diagonal(...) is.

    For a matrix, y[i, i + offset] = src[i]; for more dims, the diagonal's dim is src's last.
    """
    _require("diagonal_scatter", input, "input", 1, Tensor)
    _require("diagonal_scatter", src, "src", 2, Tensor)
    for position, (name, value) in enumerate((("offset", offset), ("dim1", dim1), ("dim2", dim2)), 3):
        _require("diagonal_scatter", value, name, position, int)
    d1, d2 = normalize_dim(dim1, input.ndim), normalize_dim(dim2, input.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    s1, s2 = input.shape[d1], input.shape[d2]
    length = max(0, min(s1, s2 - offset) if offset >= 0 else min(s1 + offset, s2))
    _check_src(src, tuple(n for d, n in enumerate(input.shape) if d not in (d1, d2)) + (length,))
    src = src if src.dtype == input.dtype else src.to(input.dtype)
    return Diagonal.write_back(input, src, int(offset), d1, d2)
