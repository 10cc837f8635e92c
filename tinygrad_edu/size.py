"""`tg.Size`: a tensor's shape as PyTorch spells it, a tuple of ints with a name and `numel()`.

    Size([2, 3]) == (2, 3)        True: it is a tuple, and compares, hashes and unpacks as one
    Size([2, 3]).numel()          6, the number of elements of a tensor of that shape
    Size([2, 3])[1:], s + (4,)    slices and sums stay Sizes, as in PyTorch

NOTE: `Tensor.shape` and `Tensor.size()` return NumPy's plain tuple, not a Size (a
measured choice: see `Tensor.size`). Everything a tuple does works the same; only the
printout differs, `(2, 3)` where PyTorch prints `torch.Size([2, 3])`.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable
from typing import Any, SupportsIndex, overload


class Size(tuple):
    """A tuple of sizes (ints), one per dim, printed as Size([2, 3])."""

    __slots__ = ()

    def __new__(cls, sizes: Iterable[Any] = ()) -> Size:
        items = list(sizes)
        for position, item in enumerate(items):
            try:  # ints, NumPy ints, bools and one-element integer tensors, as PyTorch takes them
                items[position] = operator.index(item)
            except TypeError:
                raise TypeError(
                    f"Size() takes an iterable of 'int' (item {position} is '{type(item).__name__}')"
                ) from None
        return super().__new__(cls, items)

    def numel(self) -> int:
        """The number of elements of a tensor of this shape: the product of the sizes (1 for Size([]))."""
        return math.prod(self)

    def __repr__(self) -> str:
        return f"Size({list(self)})"

    __str__ = __repr__

    @overload
    def __getitem__(self, index: SupportsIndex) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> Size: ...
    def __getitem__(self, index: Any) -> Any:
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other: Any) -> Size:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + other)

    def __radd__(self, other: Any) -> Size:  # (1,) + Size([2]) is a Size too
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(other + tuple(self))

    def __mul__(self, times: SupportsIndex) -> Size:
        return Size(tuple(self) * times)

    __rmul__ = __mul__

    def __reduce__(self) -> tuple[type[Size], tuple[tuple[int, ...]]]:
        return Size, (tuple(self),)
