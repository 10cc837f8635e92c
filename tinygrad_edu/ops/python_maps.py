"""`Tensor.apply_` and `Tensor.map_`: a Python function run on each element, in place.

These are the one place in the library where a loop over elements is the
point: PyTorch's apply_ and map_ exist to call an arbitrary Python callable
once per element (slowly, and on tensors that need no gradient). Anything
NumPy can do on the whole array at once should be written that way instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor import Tensor


def _check(op: str, x: Tensor, fn: Any) -> None:
    if not callable(fn):
        raise TypeError(f"'{type(fn).__name__}' object is not callable")
    if x.requires_grad:
        raise RuntimeError(
            f"Can't call {op}() on Variable that requires grad. Use var.detach().{op}() instead."
        )


def _written(x: Tensor, values: list[Any]) -> Tensor:
    """The callable's results, cast to x's dtype, written into x (NumPy rounds floats toward 0 for ints)."""
    array = np.asarray(values).reshape(x.shape)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"the callable must return numbers, got {type(values[0]).__name__}")
    return x.copy_(Tensor._wrap(array.astype(x.dtype)))


def apply_(x: Tensor, fn: Callable[[Any], Any]) -> Tensor:
    """x[i] = fn(x[i]) for every element (Python numbers in and out), in place; returns x."""
    _check("apply_", x, fn)
    return _written(x, [fn(value) for value in x.data.reshape(-1).tolist()])


def map_(x: Tensor, other: Tensor, fn: Callable[[Any, Any], Any]) -> Tensor:
    """x[i] = fn(x[i], other[i]) with other broadcast to x's shape and of x's dtype, in place; returns x."""
    _check("map_", x, fn)
    if other.dtype != x.dtype:
        raise TypeError(f"map_: expected {x.dtype} for 'other' (got {other.dtype})")
    pairs = zip(x.data.reshape(-1).tolist(), other.broadcast_to(x.shape).data.reshape(-1).tolist())
    return _written(x, [fn(a, b) for a, b in pairs])
