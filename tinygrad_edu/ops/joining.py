"""Joining tensors and cutting them apart: cat (and its forms concat, concatenate, hstack,
vstack, column_stack, dstack), stack, split, chunk, unbind.

`Cat` is the one primitive; its backward cuts the gradient into the pieces
its inputs were. Cutting a tensor is slicing it, so the pieces of `split`,
`chunk` and `unbind` are views, and each piece's gradient flows back through
indexing (movement.Index).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..autograd.function import Function, Node
from ..autograd.grad_mode import is_recording
from ..dtypes import result_type
from ..tensor import Tensor
from .movement import Index, normalize_dim
from .selection import _is_int, narrow, select


class Cat(Function):
    """y = the inputs joined along `dim`;  each input gets its slice of dL/dy

    A 1-D empty input beside inputs of more dims is left out (PyTorch's
    legacy rule, from when an empty tensor had shape (0,)): its gradient is empty.
    """

    @staticmethod
    def forward(ctx: Node, dim: int, *xs: np.ndarray) -> np.ndarray:
        legacy = max(x.ndim for x in xs) > 1
        ctx.dim, ctx.sizes = dim, [None if legacy and x.shape == (0,) else x.shape[dim] for x in xs]
        joined = [x for x, size in zip(xs, ctx.sizes) if size is not None]
        # row-major whatever the inputs' layout, as PyTorch's cat (NumPy's follows transposed inputs)
        return np.ascontiguousarray(np.concatenate(joined, axis=dim))

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        pieces: list[Tensor | None] = [None]
        start = 0
        for size in ctx.sizes:
            if size is None:  # (a legacy empty input)
                pieces.append(Tensor._wrap(np.zeros(0, grad.data.dtype)))
                continue
            index = (slice(None),) * ctx.dim + (slice(start, start + size),)
            pieces.append(Index._apply1(grad, index))
            start += size
        return tuple(pieces)


def cat(tensors: Sequence[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join tensors along an existing dimension (tg.cat, or tg.concat; `axis` is NumPy's name for dim)."""
    dim = _dim_or_axis(dim, axis, 0, "cat")
    tensors = _as_tensors(tensors, "cat")
    if not tensors:
        raise ValueError("cat: expected a non-empty list of Tensors")  # (ValueError, as PyTorch)
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"cat: zero-dimensional tensor (at position {i}) cannot be concatenated")
    # (a 1-D empty tensor joins anything: see Cat)
    i_first, first = next(((i, t) for i, t in enumerate(tensors) if t.shape != (0,)), (0, tensors[0]))
    dim = normalize_dim(dim, first.ndim)
    for i, t in enumerate(tensors):
        if i == i_first or t.shape == (0,):
            continue
        if t.ndim != first.ndim or any(
            a != b for d, (a, b) in enumerate(zip(t.shape, first.shape)) if d != dim
        ):
            raise RuntimeError(
                f"cat: sizes of tensors must match except in dimension {dim}; got {first.shape} "
                f"for tensor {i_first} and {t.shape} for tensor {i}"
            )
    dtype = result_type(*tensors)
    return Cat.apply(dim, *[t.to(dtype) for t in tensors])


concat = cat


def concatenate(tensors: Sequence[Tensor], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """cat under NumPy's name, which calls the dimension `axis` (`dim` is accepted too)."""
    return cat(tensors, _dim_or_axis(axis, dim, 0, "concatenate"))


def _dim_or_axis(given: int, other: int | None, default: int, op: str) -> int:
    """The dim of a join, given by either of its two names (dim and axis), not both."""
    if other is None:
        return given
    if given != default:
        raise TypeError(f"{op}() got both dim and axis, two names for one argument: give one")
    return other


def _as_tensors(tensors: Sequence[Tensor], op: str) -> list[Tensor]:
    """The pieces to join as Tensors; one Tensor is refused with PyTorch's TypeError (it would be cut
    into rows)."""
    if isinstance(tensors, Tensor):
        raise TypeError(f"{op}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    return [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join side by side: vectors (and 0-d tensors, as one-element vectors) end to end, else along dim 1."""
    tensors = [t if t.ndim else t.reshape(1) for t in _non_empty(tensors, "hstack")]
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join as rows, along dim 0: a vector (n,) is the row (1, n), a 0-d tensor the (1, 1) matrix."""
    tensors = [t.reshape(1, -1) if t.ndim < 2 else t for t in _non_empty(tensors, "vstack")]
    return cat(tensors, 0)


row_stack = vstack  # (PyTorch's older name)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Join as columns, along dim 1: a vector (n,) is the column (n, 1), a 0-d tensor the (1, 1) matrix."""
    tensors = [t.reshape(-1, 1) if t.ndim < 2 else t for t in _non_empty(tensors, "column_stack")]
    return cat(tensors, 1)


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join along dim 2 (depth): (n,) counts as (1, n, 1), (m, n) as (m, n, 1), 0-d as (1, 1, 1)."""
    tensors = [_at_least_3d(t) for t in _non_empty(tensors, "dstack")]
    return cat(tensors, 2)


def _at_least_3d(t: Tensor) -> Tensor:
    if t.ndim == 0:
        return t.reshape(1, 1, 1)
    if t.ndim == 1:
        return t.reshape(1, -1, 1)
    return t.unsqueeze(-1) if t.ndim == 2 else t


def _non_empty(tensors: Sequence[Tensor], op: str) -> list[Tensor]:
    tensors = _as_tensors(tensors, op)
    if not tensors:
        raise RuntimeError(f"{op} expects a non-empty TensorList")
    return tensors


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of one shape along a new dimension (tg.stack)."""
    tensors = _as_tensors(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack: expected a non-empty list of Tensors")
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {tensors[0].shape} "
                f"at entry 0 and {t.shape} at entry {i}"
            )
    if is_recording() and any(t.requires_grad for t in tensors):
        return cat([t.unsqueeze(dim) for t in tensors], dim)
    # nothing to record (a batch of samples, say): one NumPy call instead of an op per tensor
    dtype, d = result_type(*tensors), normalize_dim(dim, tensors[0].ndim + 1)
    # (row-major whatever the inputs' layout, as PyTorch's stack and `Cat`)
    return Tensor._wrap(
        np.ascontiguousarray(np.stack([t.data.astype(dtype, copy=False) for t in tensors], d))
    )


def split(x: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
    """Cut x along `dim` into pieces of one size (the last may be smaller) or of the sizes listed."""
    if x.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = normalize_dim(dim, x.ndim)
    n = x.shape[d]
    if _is_int(split_size_or_sections):
        size = int(split_size_or_sections)
        if size < 0 or (size == 0 and n):
            raise RuntimeError(
                f"split: split_size must be positive (0 only for a dimension of size 0), got {size} "
                f"for dimension {d} of size {n}"
            )
        sizes = [size] * (n // size) + ([n % size] if n % size else []) if n else [0]
    else:
        sections = split_size_or_sections
        if not (isinstance(sections, (list, tuple)) and all(map(_is_int, sections))):
            raise TypeError(
                "split(): argument 'split_size_or_sections' must be an int or a list of ints, "
                f"got {type(sections).__name__} {sections!r}"
            )
        sizes = [int(s) for s in sections]
        # (PyTorch's split of a list is split_with_sizes, whose words these are; dim as given)
        if any(s < 0 for s in sizes):
            raise RuntimeError(
                "split_with_sizes expects split_sizes have only non-negative entries, "
                f"but got split_sizes={sizes}"
            )
        if sum(sizes) != n:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size "
                f"at dimension {dim}), but got split_sizes={sizes}"
            )
    starts = np.cumsum([0, *sizes[:-1]])
    return tuple(narrow(x, d, int(start), size) for start, size in zip(starts, sizes))


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Cut x along `dim` into at most `chunks` pieces of ceil(n / chunks) elements.

    A dim of size 0 gives `chunks` empty pieces, as in PyTorch.
    """
    if not _is_int(chunks):
        raise TypeError(f"chunk(): argument 'chunks' must be an int, got {type(chunks).__name__} {chunks!r}")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if x.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    n = x.shape[normalize_dim(dim, x.ndim)]
    return split(x, [0] * chunks if n == 0 else -(-n // chunks), dim)


def unbind(x: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices of x along `dim`, each without that dim: x[0], x[1], ... for dim 0."""
    d = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        raise IndexError("unbind: a 0-d tensor has no dimension to unbind")
    return tuple(select(x, d, i) for i in range(x.shape[d]))
