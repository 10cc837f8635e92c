"""torch.combinations: every r-element combination of a vector's elements, one per row.

    combinations([a, b, c], r=2)                        [[a, b], [a, c], [b, c]]
    combinations([a, b, c], r=2, with_replacement=True) [[a, a], [a, b], [a, c], [b, b], [b, c], [c, c]]

Rows come in lexicographic order of the positions, as itertools gives them:
(n choose r) rows, or (n + r - 1 choose r) with replacement. The result is one
advanced index of the input, so the gradient of an element is the sum of the
gradients of every place it was copied to.
"""

from __future__ import annotations

import itertools

import numpy as np

from ..tensor import Tensor
from .selection import _is_int


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:
    """The r-element combinations of input's elements: (n,) -> (k, r); r = 0 gives an empty (0,)."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"combinations(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if not _is_int(r):
        raise TypeError(f"combinations(): argument 'r' (position 2) must be int, not {type(r).__name__}")
    if input.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input[:0]  # (PyTorch's empty result, with no combination dim)
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    positions = np.array(list(pick(range(input.shape[0]), r)), dtype=np.int64).reshape(-1, r)
    return input[Tensor._wrap(positions)]
