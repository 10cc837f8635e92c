"""Writing into a Tensor in place: fill_, copy_, the in-place index writes, in-place changes of shape.

`zero_`, `fill_`, `fill_diagonal_` and `copy_` write values; `index_fill_`,
`index_put_`, `scatter_`, `index_add_`, `scatter_reduce_`, ... write at the
places an index names (ops/index_writes.py, ops/selection.py,
ops/scatter_reduce.py); `t_`, `transpose_`, `squeeze_`, `unsqueeze_` read the
same memory in another shape (ops/inplace_shape.py); `apply_` and `map_` run
a Python function per element (ops/python_maps.py). All but the shape changes
go through `Tensor._inplace` (tensor.py), so backward sees the change.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..ops import (
        broadcast,
        elementwise,
        index_writes,
        inplace_shape,
        python_maps,
        scatter_reduce,
        selection,
    )
    from ..tensor import Tensor


class InPlaceWriteMethods:
    """In-place writes: `x.fill_(v)`, `x.copy_(y)`, `x.index_put_(...)`, `x.t_()`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    def zero_(self: Tensor) -> Tensor:
        return self.fill_(0.0)

    def fill_(self: Tensor, value: float) -> Tensor:
        """Every element set to `value` (a number or a 0-d tensor), in place."""
        if isinstance(value, Tensor) and value.data.ndim:
            raise RuntimeError(
                f"fill_: the value must be a number or a 0-d tensor, got a tensor of shape {value.shape} "
                "(to write a tensor's values into this one, use copy_)"
            )
        return self.copy_(value)

    def fill_diagonal_(self: Tensor, fill_value: Any, wrap: bool = False) -> Tensor:
        """fill_value (a number or 0-d tensor, cast to self's dtype) on the main diagonal, in place.

        The diagonal is a[i, i] (a[i, ..., i] for more dims, which must all
        have one length); a tall matrix's diagonal ends at the last column, or
        with wrap=True starts again one row further down. The gradient of
        self afterwards is 0 on the diagonal.
        """
        if isinstance(fill_value, Tensor) and fill_value.data.ndim:
            raise TypeError(
                f"fill_diagonal_(): argument 'fill_value' must be a number or a 0-d tensor, got a tensor "
                f"of shape {fill_value.shape}"
            )
        on_diagonal = selection.diagonal_mask(self.shape, wrap)
        value = Tensor._wrap(np.asarray(fill_value.item() if isinstance(fill_value, Tensor) else fill_value))
        return self._inplace(lambda t, v: elementwise.where(on_diagonal, v.to(t.dtype), t), value)

    def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
        """src's values (broadcast to self's shape, cast to self's dtype) written into self.

        The gradient of self afterwards flows to src, as in PyTorch. (`non_blocking`, for
        copies between devices, has nothing to do here.)
        """
        # where(False, t, v) rather than t * 0 + v: right even where t is inf or nan
        nowhere = Tensor._wrap(np.zeros(self.shape, dtype=bool))
        if isinstance(src, (float, np.floating)):  # (a float into integers: in range, and not nan)
            broadcast.check_written(src, self.data.dtype)
        src = src if isinstance(src, Tensor) else broadcast.as_operand(src, self, fill=True)
        if src.data.shape != self.data.shape and not broadcast.broadcasts_to(src.data.shape, self.data.shape):
            raise RuntimeError(
                f"copy_: src of shape {src.shape} cannot be broadcast to this tensor's shape {self.shape}"
            )
        return self._inplace(lambda t, v: elementwise.where(nowhere, t, v.to(t.dtype)), src)

    def apply_(self: Tensor, callable: Callable[[Any], Any]) -> Tensor:
        """self[i] = callable(self[i]) for each element, in place (a Python loop: slow, no gradient)."""
        return python_maps.apply_(self, callable)

    def map_(self: Tensor, tensor: Tensor, callable: Callable[[Any, Any], Any]) -> Tensor:
        """self[i] = callable(self[i], tensor[i]), tensor broadcast to self, in place (a Python loop)."""
        return python_maps.map_(self, tensor, callable)

    # writing into chosen places (ops/index_writes.py)
    def index_fill_(self: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
        return self._inplace(lambda t, v: index_writes.index_fill(t, dim, index, v), value)

    def index_copy_(self: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
        return self._inplace(lambda t, v: index_writes.index_copy(t, dim, index, v), source)

    def index_put_(
        self: Tensor, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False
    ) -> Tensor:
        return self._inplace(lambda t, v: index_writes.index_put(t, indices, v, accumulate), values)

    def masked_scatter_(self: Tensor, mask: Tensor, source: Tensor) -> Tensor:
        return self._inplace(lambda t, v: index_writes.masked_scatter(t, mask, v), source)

    def put_(self: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
        return self._inplace(lambda t, v: index_writes.put(t, index, v, accumulate), source)

    def scatter_(
        self: Tensor,
        dim: int,
        index: Tensor,
        src: Tensor | float | None = None,
        *,
        value: float | None = None,
        reduce: str | None = None,
    ) -> Tensor:
        return self._inplace(lambda t, v: t.scatter(dim, index, v, value=value, reduce=reduce), src)

    def scatter_add_(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
        return self._inplace(lambda t, v: selection.scatter_add(t, dim, index, v), src)

    def index_add_(self: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1) -> Tensor:
        """`index_add` written into self."""
        return self._inplace(lambda t, v: selection.index_add(t, dim, index, v, alpha), source)

    def scatter_reduce_(
        self: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """`scatter_reduce` written into self."""
        reduce_into = partial(scatter_reduce.scatter_reduce, dim=dim, index=index, reduce=reduce)
        return self._inplace(lambda t, v: reduce_into(t, src=v, include_self=include_self), src)

    def index_reduce_(
        self: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """`index_reduce` written into self."""
        reduce_into = partial(scatter_reduce.index_reduce, dim=dim, index=index, reduce=reduce)
        return self._inplace(lambda t, v: reduce_into(t, source=v, include_self=include_self), source)

    # in-place changes of shape (ops/inplace_shape.py): the same memory read another way
    def t_(self: Tensor) -> Tensor:
        return inplace_shape.t_(self)

    def transpose_(self: Tensor, dim0: int, dim1: int) -> Tensor:
        return inplace_shape.transpose_(self, dim0, dim1)

    def swapdims_(self: Tensor, dim0: int, dim1: int) -> Tensor:
        return inplace_shape.transpose_(self, dim0, dim1)

    def swapaxes_(self: Tensor, axis0: int, axis1: int) -> Tensor:
        return inplace_shape.transpose_(self, axis0, axis1)

    def squeeze_(self: Tensor, dim: int | tuple | None = None) -> Tensor:
        return inplace_shape.squeeze_(self, dim)

    def unsqueeze_(self: Tensor, dim: int) -> Tensor:
        return inplace_shape.unsqueeze_(self, dim)

    def tril_(self: Tensor, diagonal: int = 0) -> Tensor:
        """self.tril(diagonal), in place: the elements above the diagonal set to 0."""
        return self._inplace(lambda t, _: selection.tril(t, diagonal), None)

    def triu_(self: Tensor, diagonal: int = 0) -> Tensor:
        """self.triu(diagonal), in place: the elements below the diagonal set to 0."""
        return self._inplace(lambda t, _: selection.triu(t, diagonal), None)


def finish_imports() -> None:
    """Import what needs Tensor to exist: tensor.py calls this once the class is made."""
    global broadcast, elementwise, index_writes, inplace_shape, python_maps, scatter_reduce, selection
    global Tensor
    from ..ops import (
        broadcast,
        elementwise,
        index_writes,
        inplace_shape,
        python_maps,
        scatter_reduce,
        selection,
    )
    from ..tensor import Tensor
