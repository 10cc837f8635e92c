"""cdist: the distances between every row of one batch of points and every row of another.

    x1 (..., P, M), x2 (..., R, M)  ->  d (..., P, R),  d[..., i, j] = ||x1[..., i, :] - x2[..., j, :]||_p

The leading (batch) dims broadcast. Composed of a broadcast subtraction
(..., P, R, M) and the vector p-norm over M, whose gradient is taken as 0
where a distance is 0 (as PyTorch's is): p = 2 gives (x1_i - x2_j) / d_ij.
Memory is P * R * M per batch; PyTorch's matrix-product shortcut for p = 2
(||a||^2 + ||b||^2 - 2 a.b) is faster on large inputs but loses precision for
close points, so it is not used: `compute_mode` is checked and ignored.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from . import elementwise, reduce

_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


def cdist(
    x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str = "use_mm_for_euclid_dist_if_necessary"
) -> Tensor:
    """The p-norm distance of each pair of rows (p >= 0; inf gives the largest |difference|)."""
    for name, x in (("X1", x1), ("X2", x2)):
        if x.ndim < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: {x.ndim}D")
        if x.data.dtype.kind != "f":
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {x.dtype}")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}"
        )
    if x1.dtype != x2.dtype:
        raise RuntimeError(f"cdist: expected X1 and X2 of one dtype, got {x1.dtype} and {x2.dtype}")
    if not p >= 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got {p}")
    if compute_mode not in _MODES:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    differences = x1.unsqueeze(-2) - x2.unsqueeze(-3)  # (..., P, R, M)
    if differences.shape[-1] == 0:  # no coordinates: every distance is 0
        return differences.sum(-1)
    return reduce.norm(differences, float(p), -1, False, None) if p != 0 else _count_differences(differences)


def _count_differences(differences: Tensor) -> Tensor:
    """p = 0: the number of coordinates that differ, a step function: its gradient is 0 (as PyTorch's)."""
    counts = (differences.data != 0).sum(-1).astype(differences.dtype)
    nowhere = Tensor._wrap(np.zeros(counts.shape, dtype=bool))
    return elementwise.where(nowhere, differences.sum(-1), Tensor._wrap(counts))
