"""Comparisons that PyTorch names as functions: the nan-ignoring extrema and set membership.

    fmax(a, b)   the larger of a and b, elementwise; where one of them is nan, the other
    fmin(a, b)   the smaller, likewise (maximum/minimum propagate nan instead)
    isin(e, t)   True where an element of e equals some element of t (bool, no gradient)

fmax is where(a >= b or b is nan, a, b): the gradient goes to the value
picked, all of it to a on a tie, as in PyTorch (which gives maximum's tie
half to each).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import result_type
from ..tensor import Tensor
from .elementwise import where


def _pair(op: str, input: Tensor, other: Tensor) -> tuple[Tensor, Tensor]:
    for position, (name, t) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(t).__name__}"
            )
    dtype = result_type(input, other)
    return input.to(dtype), other.to(dtype)


def fmax(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise maximum, ignoring nan (nan only where both are nan); shapes broadcast."""
    a, b = _pair("fmax", input, other)
    return where((a >= b) | b.isnan(), a, b)


def fmin(input: Tensor, other: Tensor) -> Tensor:
    """The elementwise minimum, ignoring nan (nan only where both are nan); shapes broadcast."""
    a, b = _pair("fmin", input, other)
    return where((a <= b) | b.isnan(), a, b)


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """A bool tensor of elements' shape: is each element among test_elements (either may be a number)?

    assume_unique is accepted for PyTorch's code (it only lets PyTorch go faster).
    """
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin(): expected elements or test_elements to be a Tensor")
    values = elements.data if isinstance(elements, Tensor) else np.asarray(elements)
    tests = test_elements.data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return Tensor._wrap(np.isin(values, tests, invert=invert))
