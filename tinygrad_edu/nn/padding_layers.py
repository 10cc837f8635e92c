"""The padding layers: `F.pad` in each of its modes, as a module with the amounts fixed when it is built.

``ZeroPad2d(1)`` is ``F.pad(x, (1, 1, 1, 1))``; the mode is in the class
name (Zero, Constant, Reflection, Replication, Circular) and the number of
padded dims in its suffix (1d: the last dim, 2d: the last two, 3d: the last
three). ``padding`` is an int (the same amount on every side) or a tuple of
amounts in `F.pad`'s order: ``(left, right)`` for 1d, ``(left, right, top,
bottom)`` for 2d, ``(left, right, top, bottom, front, back)`` for 3d.
Negative amounts crop, as in `F.pad`.

Everything else, the checks of the input's rank and of the amounts and the
gradients, is `F.pad`'s; only the circular layers check the rank themselves,
as PyTorch's do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..tensor import Tensor
from .module import Module
from .padding import pad


def _amounts(padding: Any, n: int) -> tuple[int, ...]:
    """An int as `n` copies of it, an iterable as a tuple (PyTorch's `_pair`/`_quadruple`, unchecked)."""
    return tuple(padding) if isinstance(padding, Iterable) else (padding,) * n


# ---------------------------------------------------------------- constant (and zero)


class _ConstantPadNd(Module):
    padding: tuple[int, ...]

    def __init__(self, padding: Any, value: float, n: int) -> None:
        super().__init__()
        self.padding, self.value = _amounts(padding, n), value

    def forward(self, input: Tensor) -> Tensor:
        return pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with `value`: ``padding`` = an int or ``(left, right)``.

    Shape: (C, W) or (N, C, W) -> (C, W + left + right) or (N, C, W + left + right).
    (Any rank with at least one dim is accepted, as by `F.pad`.)
    """

    def __init__(self, padding: int | tuple[int, int], value: float) -> None:
        super().__init__(padding, value, 2)


class ConstantPad2d(_ConstantPadNd):
    """Pad the last two dims with `value`: ``padding`` = an int or ``(left, right, top, bottom)``.

    Shape: (C, H, W) or (N, C, H, W) -> (.., H + top + bottom, W + left + right).
    (Any rank with at least two dims is accepted, as by `F.pad`.)
    """

    def __init__(self, padding: int | tuple[int, int, int, int], value: float) -> None:
        super().__init__(padding, value, 4)


class ConstantPad3d(_ConstantPadNd):
    """Pad the last three dims with `value`; ``padding`` = an int or (left, right, top, bottom, front, back).

    Shape: (C, D, H, W) or (N, C, D, H, W) -> (.., D + front + back, H + top + bottom, W + left + right).
    (Any rank with at least three dims is accepted, as by `F.pad`.)
    """

    def __init__(self, padding: int | tuple[int, int, int, int, int, int], value: float) -> None:
        super().__init__(padding, value, 6)


class ZeroPad1d(ConstantPad1d):
    """Pad the last dim with zeros: ``padding`` = an int or ``(left, right)``; see `ConstantPad1d`."""

    def __init__(self, padding: int | tuple[int, int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pad the last two dims with zeros: ``padding`` = an int or ``(left, right, top, bottom)``."""

    def __init__(self, padding: int | tuple[int, int, int, int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad3d(ConstantPad3d):
    """Pad the last three dims with zeros; ``padding`` = an int or (left, right, top, bottom, front, back)."""

    def __init__(self, padding: int | tuple[int, int, int, int, int, int]) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


# ---------------------------------------------------------------- reflect, replicate, circular


class _ModePadNd(Module):
    """A padding layer of one of `F.pad`'s other modes; its repr is the amounts alone."""

    padding: tuple[int, ...]
    _mode: str

    def __init__(self, padding: Any, n: int) -> None:
        super().__init__()
        self.padding = _amounts(padding, n)

    def forward(self, input: Tensor) -> Tensor:
        return pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ReflectionPad1d(_ModePadNd):
    """Mirror the last dim at its ends, without repeating the edge: [a b c d] with (2, 1) -> c b a b c d c.

    Shape: (C, W) or (N, C, W) -> (.., W + left + right); each amount must be less than W.
    """

    _mode = "reflect"

    def __init__(self, padding: int | tuple[int, int]) -> None:
        super().__init__(padding, 2)


class ReflectionPad2d(_ModePadNd):
    """Mirror the last two dims at their ends; ``padding`` = an int or ``(left, right, top, bottom)``.

    Shape: (C, H, W) or (N, C, H, W) -> (.., H + top + bottom, W + left + right).
    """

    _mode = "reflect"

    def __init__(self, padding: int | tuple[int, int, int, int]) -> None:
        super().__init__(padding, 4)


class ReflectionPad3d(_ModePadNd):
    """Mirror the last three dims at their ends; padding = an int or (left, right, top, bottom, front, back).

    Shape: (C, D, H, W) or (N, C, D, H, W) -> (.., D + front + back, H + top + bottom, W + left + right);
    each amount must be less than the size of its dim.
    """

    _mode = "reflect"

    def __init__(self, padding: int | tuple[int, int, int, int, int, int]) -> None:
        super().__init__(padding, 6)


class ReplicationPad1d(_ModePadNd):
    """Repeat the edge elements of the last dim: [a b c d] with (2, 1) -> a a a b c d d.

    Shape: (C, W) or (N, C, W) -> (.., W + left + right).
    """

    _mode = "replicate"

    def __init__(self, padding: int | tuple[int, int]) -> None:
        super().__init__(padding, 2)


class ReplicationPad2d(_ModePadNd):
    """Repeat the edges of the last two dims; ``padding`` = an int or ``(left, right, top, bottom)``.

    Shape: (C, H, W) or (N, C, H, W) -> (.., H + top + bottom, W + left + right).
    """

    _mode = "replicate"

    def __init__(self, padding: int | tuple[int, int, int, int]) -> None:
        super().__init__(padding, 4)


class ReplicationPad3d(_ModePadNd):
    """Repeat the edges of the last three dims; padding = an int or (left, right, top, bottom, front, back).

    Shape: (C, D, H, W) or (N, C, D, H, W) -> (.., D + front + back, H + top + bottom, W + left + right).
    """

    _mode = "replicate"

    def __init__(self, padding: int | tuple[int, int, int, int, int, int]) -> None:
        super().__init__(padding, 6)


class _CircularPadNd(_ModePadNd):
    """Circular padding; unlike the other modes, the layer refuses a wrong rank itself (ValueError)."""

    _mode = "circular"
    _ranks: tuple[int, int]

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in self._ranks:
            low, high = self._ranks
            raise ValueError(f"expected {low}D or {high}D input (got {input.ndim}D input)")
        return pad(input, self.padding, self._mode)


class CircularPad1d(_CircularPadNd):
    """Wrap the last dim around: [a b c d] with (2, 1) -> c d a b c d a.

    Shape: (C, W) or (N, C, W) -> (.., W + left + right); each amount at most W.
    """

    _ranks = (2, 3)

    def __init__(self, padding: int | tuple[int, int]) -> None:
        super().__init__(padding, 2)


class CircularPad2d(_CircularPadNd):
    """Wrap the last two dims around; ``padding`` = an int or ``(left, right, top, bottom)``.

    Shape: (C, H, W) or (N, C, H, W) -> (.., H + top + bottom, W + left + right).
    """

    _ranks = (3, 4)

    def __init__(self, padding: int | tuple[int, int, int, int]) -> None:
        super().__init__(padding, 4)


class CircularPad3d(_CircularPadNd):
    """Wrap the last three dims around; ``padding`` = an int or ``(left, right, top, bottom, front, back)``.

    Shape: (C, D, H, W) or (N, C, D, H, W) -> (.., D + front + back, H + top + bottom, W + left + right);
    each amount at most the size of its dim.
    """

    _ranks = (4, 5)

    def __init__(self, padding: int | tuple[int, int, int, int, int, int]) -> None:
        super().__init__(padding, 6)
