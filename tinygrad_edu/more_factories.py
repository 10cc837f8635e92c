"""Two more factories: `logspace` (a geometric range) and `empty_like`."""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import get_default_dtype
from .factories import _count, _make
from .tensor import Tensor


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """base^start, ..., base^end: `steps` values whose exponents are evenly spaced (both ends included).

    Computed in float64 and rounded once to `dtype` (default: the default float).
    """
    steps = _count(steps, "number of steps", "logspace")
    exponents = np.linspace(float(start), float(end), steps)
    return _make(np.power(float(base), exponents).astype(dtype or get_default_dtype()), requires_grad, device)


def empty_like(
    input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """An uninitialised tensor of input's shape (and dtype, unless given): fill it before use."""
    return _make(np.empty(input.shape, dtype=dtype or input.dtype), requires_grad, device)
