"""Tensor.unfold: every window of `size` consecutive elements along a dim, `step` apart.

    x (..., L, ...) along dim  ->  (..., n, ..., size),  n = (L - size) // step + 1
    out[..., w, ..., k] = x[..., w * step + k, ...]

The windows take the place of the dim, and each window's elements form a
new last dim: arange(7).unfold(0, 3, 2) is [[0, 1, 2], [2, 3, 4], [4, 5, 6]].
PyTorch returns a strided view; here it is a copy made by one advanced
index (positions w * step + k), so overlapping windows share no memory, and
the gradient of an element is the sum over every window it appears in.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .movement import normalize_dim
from .selection import _at, _check_int


def unfold(x: Tensor, dimension: int, size: int, step: int) -> Tensor:
    """The windows of x along `dimension` (see the module docstring); a 0-d x counts as one element."""
    for value, name in ((dimension, "dimension"), (size, "size"), (step, "step")):
        _check_int(value, name, "unfold")
    d = normalize_dim(dimension, x.ndim)
    length = x.shape[d] if x.ndim else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if x.ndim == 0:  # as PyTorch: the one element, or nothing, with no window dim
        return x.reshape(1)[:size]
    n = (length - size) // step + 1
    positions = np.arange(n)[:, None] * step + np.arange(size)  # (n, size)
    return x[_at(d, Tensor._wrap(positions))].movedim(d + 1, -1)
