"""`pdist`: the p-norm distance between every pair of rows of a matrix.

For an (N, M) input with rows x_0 ... x_{N-1}, the result lists, once
each, the distances of the N (N - 1) / 2 pairs i < j, in row-major order of
the upper triangle:

    pdist(x) = [d(x_0, x_1), d(x_0, x_2), ..., d(x_0, x_{N-1}), d(x_1, x_2), ..., d(x_{N-2}, x_{N-1})]
    d(a, b) = ||a - b||_p = (sum_k |a_k - b_k|^p)^(1/p)

p = 0 counts the coordinates that differ, p = inf takes the largest
difference. (`F.pairwise_distance`, in distance_functions.py, pairs row i of one
matrix with row i of another instead.)

It is built from indexing (the two rows of every pair) and elementwise
operations, so gradients and second derivatives come from those. As in
PyTorch, the gradient is 0 where it would be 0/0: for a pair of equal rows,
and, for p < 1, for a coordinate where the two rows agree.
"""

from __future__ import annotations

import math

import numpy as np

from ..ops.elementwise import where
from ..tensor import Tensor


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """||x_i - x_j||_p for every pair of rows i < j, in row-major order.

    Shape: (N, M) -> (N (N - 1) / 2,). p >= 0.
    """
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if input.dtype.kind != "f":
        raise RuntimeError(f"pdist only supports floating-point dtypes (got {input.dtype})")
    if p < 0:
        raise RuntimeError(f"pdist only supports non-negative p values (got p={p})")
    first, second = np.triu_indices(input.shape[0], 1)  # the pairs (i, j), i < j, row by row
    return _row_norms(input[first] - input[second], p)


def _row_norms(diff: Tensor, p: float) -> Tensor:
    """The p-norm of each row of diff, with gradient 0 where it is 0/0."""
    if p == 0:  # the number of nonzero differences; 0 * diff keeps it on the graph, with gradient 0
        return where(diff != 0, 1.0, diff * 0.0).sum(-1)
    if p == math.inf:
        # NOTE: ties. amax shares a row's gradient equally among its largest |differences|;
        # PyTorch's pdist gives each of them the whole gradient.
        return diff.abs().amax(-1) if diff.shape[-1] else diff.sum(-1)
    # |d|^p, and then its p-th root, each with slope 0 where its argument is 0: the power's slope
    # is infinite at d = 0 for p < 1, and the root's at a sum of 0 for p > 1, which would give
    # inf * 0 = nan. There the result is the constant 0 and the power or root only ever sees 1.
    zero = diff == 0
    powers = where(zero, 0.0, where(zero, 1.0, diff.abs()) ** float(p))
    total = powers.sum(-1)
    empty = total == 0
    return where(empty, 0.0, where(empty, 1.0, total) ** (1.0 / p))
