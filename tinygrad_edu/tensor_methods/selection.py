"""Choosing elements of a Tensor, and writing at chosen places: where, gather, scatter, index_put, ...

`where` and `masked_fill` choose per element (ops/elementwise.py); `gather`,
`index_select`, `masked_select` and `take` pick elements by index or mask
(ops/selection.py, ops/rearranging.py); `scatter`, `index_add`,
`scatter_reduce`, `index_fill`, `index_put`, `put`, ... return a copy of self
with elements written at the places an index names (ops/selection.py,
ops/scatter_reduce.py, ops/index_writes.py). Their in-place forms are in
tensor_methods/in_place_writes.py.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..ops import broadcast, elementwise, index_writes, rearranging, scatter_reduce, selection
    from ..tensor import Tensor


# (self's kind, the fill's kind) where the fill is of a wider category than self: cast to self's dtype
_WIDER_FILLS = frozenset({("i", "f"), ("u", "f"), ("b", "f"), ("b", "i"), ("b", "u")})


class SelectionMethods:
    """Choosing and writing elements: `x.where(c, y)`, `x.gather(1, i)`, `x.scatter(...)`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    def masked_fill(self: Tensor, mask: Tensor, value: Any) -> Tensor:
        """`value` (a number or a 0-d tensor) where `mask` is True, self elsewhere (the two broadcast)."""
        if isinstance(value, Tensor) and value.data.ndim:
            raise RuntimeError(
                f"masked_fill: the value must be a number or a 0-d tensor, got one of shape {value.shape}"
            )
        mask_shape = np.shape(mask)
        if mask_shape != self.data.shape:
            try:
                np.broadcast_shapes(mask_shape, self.data.shape)
            except ValueError:
                raise RuntimeError(
                    f"masked_fill: the mask's shape {mask_shape} and the tensor's shape {self.shape} "
                    "are not broadcastable"
                ) from None
        fill = np.asarray(value.data if isinstance(value, Tensor) else value)
        if (self.data.dtype.kind, fill.dtype.kind) in _WIDER_FILLS:
            # the result keeps self's dtype, as in PyTorch: 0.5 fills an int tensor with 0 (and
            # -2.7 a uint8 one is refused), 3 a mask with True (an int fill of an int tensor is
            # checked for overflow by `where`)
            broadcast.check_written(fill.item(), self.data.dtype)
            value = Tensor._wrap(fill.astype(self.data.dtype))
        return elementwise.where(mask, value, self)

    def where(self: Tensor, condition: Tensor, other: Any) -> Tensor:
        """self where condition is True, else other: tg.where(condition, self, other)."""
        return elementwise.where(condition, self, other)

    def gather(self: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
        """selection.gather; `sparse_grad=True` asks PyTorch for a sparse gradient, and here the
        gradient, the same numbers, is dense."""
        return selection.gather(self, dim, index)

    def scatter(
        self: Tensor,
        dim: int,
        index: Tensor,
        src: Tensor | float | None = None,
        *,
        value: float | None = None,
        reduce: str | None = None,
    ) -> Tensor:
        """self with src's elements (or `value`) written at the places `index` names along dim.

        reduce="add" or "multiply" (PyTorch's older form of scatter_reduce) combines
        them with what is there instead, self's values included.
        """
        if reduce is None:
            return selection.scatter(self, dim, index, src, value)
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        source = selection.scatter_source(self, index, src, value)
        return scatter_reduce.scatter_reduce(self, dim, index, source, "sum" if reduce == "add" else "prod")

    def scatter_add(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
        """self with src's elements added at the places `index` names along dim (repeats add up)."""
        return selection.scatter_add(self, dim, index, src)

    def index_add(self: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1) -> Tensor:
        """self with alpha * source's i-th slice along dim added to slice index[i] (repeats add up)."""
        return selection.index_add(self, dim, index, source, alpha)

    def scatter_reduce(
        self: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """self with src's elements reduced ("sum", "prod", "mean", "amax", "amin") into the places
        `index` names along dim (ops/scatter_reduce.py)."""
        return scatter_reduce.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    def index_reduce(
        self: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """self with source's i-th slice along dim reduced ("prod", "mean", "amax", "amin") into
        slice index[i]."""
        return scatter_reduce.index_reduce(self, dim, index, source, reduce, include_self=include_self)

    # writing into chosen places (ops/index_writes.py); the in-place forms are with the others

    def index_fill(self: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
        """self with `value` (a number or 0-d tensor) in the slices at positions `index` along dim."""
        return index_writes.index_fill(self, dim, index, value)

    def index_copy(self: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
        """self with source's i-th slice along dim in place of slice index[i]."""
        return index_writes.index_copy(self, dim, index, source)

    def index_put(
        self: Tensor, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False
    ) -> Tensor:
        """self with self[indices] = values (indices a tuple of tensors); accumulate=True adds instead."""
        return index_writes.index_put(self, indices, values, accumulate)

    def masked_scatter(self: Tensor, mask: Tensor, source: Tensor) -> Tensor:
        """self with source's elements, in order, where `mask` is True."""
        return index_writes.masked_scatter(self, mask, source)

    def put(self: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
        """self with source's elements at positions `index` of self flattened (or added, accumulate=True)."""
        return index_writes.put(self, index, source, accumulate)

    def index_select(self: Tensor, dim: int, index: Tensor) -> Tensor:
        return selection.index_select(self, dim, index)

    def masked_select(self: Tensor, mask: Tensor) -> Tensor:
        return selection.masked_select(self, mask)

    def take(self: Tensor, index: Tensor) -> Tensor:
        """The elements at the given positions of the tensor flattened, in index's shape."""
        return rearranging.take(self, index)


def finish_imports() -> None:
    """Import what needs Tensor to exist: tensor.py calls this once the class is made."""
    global broadcast, elementwise, index_writes, rearranging, scatter_reduce, selection, Tensor
    from ..ops import broadcast, elementwise, index_writes, rearranging, scatter_reduce, selection
    from ..tensor import Tensor
