"""A Tensor's shape methods: reshape, view, permute, expand, split, select, flip, roll, ...

Most are views of self's memory, as in PyTorch (a change to one shows in the
other): reshape, squeeze, transpose, permute, expand (ops/movement.py),
select and narrow (ops/selection.py), unbind, split, split_with_sizes and
chunk (ops/joining.py), hsplit, ... (ops/shape_helpers.py). flip, roll, rot90,
repeat, tile and repeat_interleave copy (ops/rearranging.py, ops/movement.py);
unfold makes windows (ops/windows.py). sum_to_size sums a tensor down to a
shape that broadcasts to it, undoing an expand.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..ops import (
        broadcast,
        joining,
        movement,
        rearranging,
        reduce,
        scatter_views,
        selection,
        shape_helpers,
        windows,
    )
    from ..tensor import Tensor


class ShapeMethods:
    """Shapes: `x.reshape(2, 3)`, `x.permute(1, 0)`, `x.split(2)`, `x.flip(0)`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    def reshape(self: Tensor, *sizes: Any, shape: Sequence[int] | None = None) -> Tensor:
        return movement.reshape(self, _given(sizes, shape, "shape", "reshape"))

    def view(self: Tensor, *sizes: Any, size: Sequence[int] | None = None, dtype: Any = None) -> Tensor:
        """Same as reshape (NumPy decides whether memory is shared); or, given a dtype, the same
        bytes read as that dtype, as in PyTorch (``x.view(tg.int32)``: off the graph, unless the
        dtype is self's own)."""
        if dtype is None and len(sizes) == 1 and isinstance(sizes[0], (np.dtype, type)):  # tg.int32, np.int32
            dtype = sizes[0]
        if dtype is not None:
            return _reinterpreted(self, np.dtype(dtype))
        return movement.reshape(self, _given(sizes, size, "size", "view"))

    def flatten(self: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return movement.flatten(self, start_dim, end_dim)

    def squeeze(self: Tensor, dim: int | tuple | None = None) -> Tensor:
        return movement.squeeze(self, dim)

    def unsqueeze(self: Tensor, dim: int) -> Tensor:
        return movement.unsqueeze(self, dim)

    def transpose(self: Tensor, dim0: int, dim1: int) -> Tensor:
        return movement.transpose(self, dim0, dim1)

    def permute(self: Tensor, *order: Any, dims: Sequence[int] | None = None) -> Tensor:
        return movement.permute(self, _given(order, dims, "dims", "permute"))

    def expand(self: Tensor, *sizes: Any, size: Sequence[int] | None = None) -> Tensor:
        return movement.expand(self, _given(sizes, size, "size", "expand"))

    def broadcast_to(self: Tensor, shape: Sequence[int]) -> Tensor:
        return movement.expand(self, (tuple(shape),))

    def expand_as(self: Tensor, other: Tensor) -> Tensor:
        return movement.expand(self, (other.shape,))

    def view_as(self: Tensor, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def reshape_as(self: Tensor, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def sum_to_size(self: Tensor, *size: Any) -> Tensor:
        """self summed down to `size`, a shape that broadcasts to self's: expand_as undone, as
        backward undoes a broadcast. self itself when size is already its shape."""
        target = tuple(size[0]) if len(size) == 1 and isinstance(size[0], Sequence) else size
        target = tuple(int(s) for s in target)
        if not broadcast.broadcasts_to(target, self.shape):
            raise RuntimeError(f"size {{{list(target)}}} is not expandable to size {{{list(self.shape)}}}.")
        return movement.sum_to_shape(self, target)  # (what Expand's backward sums with)

    def ravel(self: Tensor) -> Tensor:
        """The elements as a vector, in row-major order (a view where NumPy can make one)."""
        return self.reshape(-1)

    def repeat(self: Tensor, *sizes: Any, repeats: Sequence[int] | None = None) -> Tensor:
        return movement.repeat(self, _given(sizes, repeats, "repeats", "repeat"))

    def tile(self: Tensor, *times: Any, dims: Sequence[int] | None = None) -> Tensor:
        return movement.tile(self, _given(times, dims, "dims", "tile"))

    def split(self: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        return joining.split(self, split_size_or_sections, dim)

    def split_with_sizes(self: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        """Views of the given sizes along dim, which must add up to self's size there."""
        return joining.split(self, list(split_sizes), dim)

    def chunk(self: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        return joining.chunk(self, chunks, dim)

    def hsplit(self: Tensor, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        """Views cut along dim 1 (dim 0 of a vector) (ops/shape_helpers.py)."""
        return shape_helpers.hsplit(self, indices_or_sections)

    def vsplit(self: Tensor, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        """Views cut along dim 0 of a tensor of at least 2 dims."""
        return shape_helpers.vsplit(self, indices_or_sections)

    def dsplit(self: Tensor, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        """Views cut along dim 2 of a tensor of at least 3 dims."""
        return shape_helpers.dsplit(self, indices_or_sections)

    def unbind(self: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
        return joining.unbind(self, dim)

    def unflatten(self: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
        return movement.unflatten(self, dim, sizes)

    def select(self: Tensor, dim: int, index: int) -> Tensor:
        return selection.select(self, dim, index)

    def narrow(self: Tensor, dim: int, start: int, length: int) -> Tensor:
        return selection.narrow(self, dim, start, length)

    def tril(self: Tensor, diagonal: int = 0) -> Tensor:
        return selection.tril(self, diagonal)

    def triu(self: Tensor, diagonal: int = 0) -> Tensor:
        return selection.triu(self, diagonal)

    def t(self: Tensor) -> Tensor:
        """The transpose of a matrix (a tensor of at most 2 dims, as PyTorch's t())."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self.T

    def flip(self: Tensor, *given: Any, dims: Sequence[int] | None = None) -> Tensor:
        """The elements in reverse order along each of `dims`: a copy, as in PyTorch (not NumPy's view)."""
        flipped = _given(given, dims, "dims", "flip")
        if len(flipped) == 1 and isinstance(flipped[0], (tuple, list)):
            flipped = tuple(flipped[0])
        axes = reduce.normalize_dims(flipped, self.ndim) if flipped else ()  # (flip(()) flips nothing)
        backwards = tuple(slice(None, None, -1) if d in axes else slice(None) for d in range(self.ndim))
        # (straight to Index: x[::-1], a negative step, is refused to users, as in PyTorch)
        return movement.Index._apply1(self, backwards).clone()

    def fliplr(self: Tensor) -> Tensor:
        """flip(1): the columns in reverse order (at least 2 dims)."""
        return shape_helpers.fliplr(self)

    def flipud(self: Tensor) -> Tensor:
        """flip(0): the rows in reverse order (at least 1 dim)."""
        return shape_helpers.flipud(self)

    # rearranging (ops/rearranging.py)

    def repeat_interleave(
        self: Tensor, repeats: int | Tensor, dim: int | None = None, *, output_size: int | None = None
    ) -> Tensor:
        """Each element (each slice along dim) repeated in place: [a, b] -> [a, a, b, b] for 2."""
        return rearranging.repeat_interleave(self, repeats, dim, output_size)

    def roll(self: Tensor, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
        """The elements shifted along dims, those pushed off one end coming back at the other."""
        return rearranging.roll(self, shifts, dims)

    def rot90(self: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
        """Turned k quarter turns in the plane of dims, from the first dim toward the second."""
        return rearranging.rot90(self, k, dims)

    def movedim(self: Tensor, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
        """Dims `source` moved to the places `destination`, the others keeping their order (a view)."""
        return rearranging.movedim(self, source, destination)

    moveaxis = movedim  # (NumPy's name)

    def swapaxes(self: Tensor, axis0: int, axis1: int) -> Tensor:
        """transpose, under NumPy's name."""
        return movement.transpose(self, axis0, axis1)

    def swapdims(self: Tensor, dim0: int, dim1: int) -> Tensor:
        """transpose, under another of PyTorch's names."""
        return movement.transpose(self, dim0, dim1)

    def tensor_split(
        self: Tensor, indices_or_sections: int | Sequence[int] | Tensor, dim: int = 0
    ) -> tuple[Tensor, ...]:
        """Views cut along dim: a number of nearly equal sections, or cut at the given indices."""
        return rearranging.tensor_split(self, indices_or_sections, dim)

    # windows (ops/windows.py)

    def unfold(self: Tensor, dimension: int, size: int, step: int) -> Tensor:
        """The windows of `size` elements, `step` apart, along dimension, as a new last dim (a copy)."""
        return windows.unfold(self, dimension, size, step)

    # the scatter twins of select, slicing and diagonal: a copy of self with that part replaced by src
    def select_scatter(self: Tensor, src: Tensor, dim: int, index: int) -> Tensor:
        return scatter_views.select_scatter(self, src, dim, index)

    def slice_scatter(
        self: Tensor,
        src: Tensor,
        dim: int = 0,
        start: int | None = None,
        end: int | None = None,
        step: int = 1,
    ) -> Tensor:
        return scatter_views.slice_scatter(self, src, dim, start, end, step)

    def diagonal_scatter(self: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        return scatter_views.diagonal_scatter(self, src, offset, dim1, dim2)


def finish_imports() -> None:
    """Import what needs Tensor to exist: tensor.py calls this once the class is made."""
    global scatter_views
    from ..ops import scatter_views

    global broadcast, joining, movement, rearranging, reduce, selection, shape_helpers, windows, Tensor
    from ..ops import broadcast, joining, movement, rearranging, reduce, selection, shape_helpers, windows
    from ..tensor import Tensor


def _given(positional: tuple, keyword: Any, name: str, op: str) -> tuple:
    """Sizes or dims given one by one, as one sequence, or by PyTorch's keyword (``permute(dims=(1, 0))``)."""
    if keyword is None:
        return positional
    if positional:
        raise TypeError(f"{op}() got multiple values for argument '{name}'")
    return (keyword,)


def _reinterpreted(x: Tensor, dtype: np.dtype) -> Tensor:
    """x's bytes read as `dtype`: a view of x's memory, off the graph unless the dtype is x's own.

    A dtype of another size changes the size of the last dim, which must be contiguous.
    """
    if dtype == x.dtype:
        return movement.reshape(x, (x.shape,))
    try:
        data = x.data.view(dtype)
    except ValueError as error:
        raise RuntimeError(f"view: cannot view {x.dtype} as {dtype} (shape {x.shape}): {error}") from None
    out = Tensor._wrap(data)
    out._share_memory_of(x)
    return out
