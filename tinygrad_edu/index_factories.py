"""`tril_indices` and `triu_indices`: where a matrix's lower or upper triangle lies.

For a (row, col) matrix, the (2, N) tensor of the N positions (i, j) with
j - i <= offset (tril) or j - i >= offset (triu), row by row: row 0 of the
result holds the i's, row 1 the j's, ready for ``m[idx[0], idx[1]]``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import int64
from .tensor import Tensor, check_device


def _triangle(op: str, pick: Any, row: int, col: int, offset: int, dtype: Any, device: Any) -> Tensor:
    check_device(device)
    for name, size in (("row", row), ("col", col)):
        if size < 0:
            raise RuntimeError(f"{name} must be non-negative, got{size}")
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu":
        raise NotImplementedError(f"\"{op}\" not implemented for '{dtype}'")
    rows, cols = np.nonzero(pick(np.ones((row, col), dtype=bool), offset))  # row-major order
    return Tensor._wrap(np.stack([rows, cols]).astype(dtype))


def tril_indices(
    row: int, col: int, offset: int = 0, *, dtype: Any = int64, device: Any = None, layout: Any = None
) -> Tensor:
    """The (2, N) indices of the lower triangle (j - i <= offset) of a (row, col) matrix."""
    return _triangle("tril_indices", np.tril, row, col, offset, dtype, device)


def triu_indices(
    row: int, col: int, offset: int = 0, *, dtype: Any = int64, device: Any = None, layout: Any = None
) -> Tensor:
    """The (2, N) indices of the upper triangle (j - i >= offset) of a (row, col) matrix."""
    return _triangle("triu_indices", np.triu, row, col, offset, dtype, device)
