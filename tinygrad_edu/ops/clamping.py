"""clamp_min and clamp_max: clamp with one bound, which PyTorch requires (None is refused)."""

from __future__ import annotations

from ..tensor import Tensor
from .unary import clamp


def clamp_min(input: Tensor, min: float | Tensor) -> Tensor:
    """max(input, min) elementwise (nan stays nan; a nan bound gives nan); gradient 1 where input > min."""
    if min is None:
        raise TypeError("clamp_min() missing the bound 'min' (a number or a tensor), got None")
    return clamp(input, min, None)


def clamp_max(input: Tensor, max: float | Tensor) -> Tensor:
    """min(input, max) elementwise; gradient 1 where input < max."""
    if max is None:
        raise TypeError("clamp_max() missing the bound 'max' (a number or a tensor), got None")
    return clamp(input, None, max)
