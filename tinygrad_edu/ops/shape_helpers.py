"""PyTorch's small shape helpers, each a view or a split made of existing movement ops.

    atleast_1d/2d/3d   a 0-d tensor becomes (1,), (1, 1), (1, 1, 1); a vector (n,)
                       becomes (1, n) and (1, n, 1); a matrix (m, n) becomes (m, n, 1)
    broadcast_to       expand to a shape (the function form of Tensor.broadcast_to)
    fliplr, flipud     reverse dim 1 (the columns) or dim 0 (the rows)
    hsplit, vsplit,    tensor_split along dim 1 (dim 0 for a vector), dim 0 or dim 2; an int
    dsplit             number of sections must divide that dim, as in NumPy

The gradients are those of the views, flips and splits they are made of.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..tensor import Tensor


def _tensors(op: str, tensors: tuple[Any, ...]) -> tuple[list[Tensor], bool]:
    """The tensors given one by one or as one list/tuple, and whether a single tensor came alone."""
    alone = len(tensors) == 1 and isinstance(tensors[0], Tensor)
    given = tensors[0] if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
    for position, t in enumerate(given):
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}(): expected Tensor as element {position}, but got {type(t).__name__}")
    return list(given), alone


def _at_least(op: str, tensors: tuple[Any, ...], fit: Any) -> Tensor | tuple[Tensor, ...]:
    given, alone = _tensors(op, tensors)
    out = tuple(fit(t) for t in given)
    return out[0] if alone else out


def atleast_1d(*tensors: Any) -> Tensor | tuple[Tensor, ...]:
    """Each tensor with at least 1 dim: () -> (1,); others unchanged. One tensor in, one out."""
    return _at_least("atleast_1d", tensors, lambda t: t.reshape(1) if t.ndim == 0 else t)


def atleast_2d(*tensors: Any) -> Tensor | tuple[Tensor, ...]:
    """Each tensor with at least 2 dims: () -> (1, 1), (n,) -> (1, n); others unchanged."""
    return _at_least(
        "atleast_2d", tensors, lambda t: t.reshape((1,) * (2 - t.ndim) + t.shape) if t.ndim < 2 else t
    )


def _three_dims(t: Tensor) -> Tensor:
    if t.ndim == 0:
        return t.reshape(1, 1, 1)
    if t.ndim == 1:
        return t.reshape(1, t.shape[0], 1)  # (NumPy's rule: the vector becomes the middle dim)
    return t.unsqueeze(-1) if t.ndim == 2 else t


def atleast_3d(*tensors: Any) -> Tensor | tuple[Tensor, ...]:
    """Each tensor with at least 3 dims: () -> (1, 1, 1), (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""
    return _at_least("atleast_3d", tensors, _three_dims)


def broadcast_to(input: Tensor, shape: Sequence[int]) -> Tensor:
    """input expanded to `shape` (a view; -1 keeps a dim's size): (*) -> shape."""
    return input.broadcast_to(shape)


def fliplr(input: Tensor) -> Tensor:
    """The columns in reverse order: input.flip(1), for at least 2 dims: (m, n, *) -> (m, n, *)."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return input.flip(1)


def flipud(input: Tensor) -> Tensor:
    """The rows in reverse order: input.flip(0), for at least 1 dim: (m, *) -> (m, *)."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return input.flip(0)


def _split(op: str, input: Tensor, indices_or_sections: Any, dim: int, min_dims: int) -> tuple[Tensor, ...]:
    if input.ndim < min_dims:
        raise RuntimeError(
            f"{op} requires a tensor with at least {min_dims} dimension, but got a tensor with "
            f"{input.ndim} dimensions!"
        )
    if isinstance(indices_or_sections, int) and not isinstance(indices_or_sections, bool):
        size = input.shape[dim]
        if indices_or_sections == 0 or size % indices_or_sections:
            raise RuntimeError(
                f"{op} attempted to split along dimension {dim}, but the size of the dimension {size} "
                f"is not divisible by the split_size {indices_or_sections}!"
            )
    return input.tensor_split(indices_or_sections, dim)


def hsplit(input: Tensor, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:
    """Views of input cut along dim 1 (dim 0 for a vector): equal sections or at the indices."""
    return _split("hsplit", input, indices_or_sections, 1 if input.ndim > 1 else 0, 1)


def vsplit(input: Tensor, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:
    """Views of input (at least 2 dims) cut along dim 0: equal sections or at the indices."""
    return _split("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input: Tensor, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:
    """Views of input (at least 3 dims) cut along dim 2: equal sections or at the indices."""
    return _split("dsplit", input, indices_or_sections, 2, 3)
