"""The matrix exponential exp(A) = I + A + A^2/2! + ..., by scaling and squaring.

The series converges for every A, but slowly (and with cancellation) when A
is large. exp(A) = exp(A / 2^s)^(2^s), so each matrix is first scaled by 2^-s,
s the smallest integer with ||A / 2^s||_1 <= 1; then the Taylor polynomial of
degree 18 is summed, whose remainder is below 1/19! < 1e-17 for such a matrix
(as good as float64's rounding), and the result is squared s times.

The polynomial is evaluated by Horner's rule, p = I + X (I + X/2 (I + X/3 (...))),
written with matmuls, so the gradient and every higher derivative come from
matmul's: no Function of its own. (The chosen s is a constant for the
gradient: the result does not depend on it, beyond rounding.)
"""

from __future__ import annotations

import numpy as np

from ..ops.elementwise import where
from ..tensor import Tensor
from .checks import check_matrices

DEGREE = 18  # of the Taylor polynomial: 1/19! < 1e-17 for ||X||_1 <= 1


def matrix_exp(A: Tensor) -> Tensor:
    """exp(A) for each matrix of A (*, n, n); see the module docstring."""
    check_matrices(A, "linalg.matrix_exp", low_precision=True)
    if A.numel() == 0:
        return A * 1.0
    norm_1 = np.abs(A.data).sum(-2).max(-1)  # per matrix, the largest column sum
    with np.errstate(divide="ignore"):
        halvings = np.ceil(np.log2(norm_1, dtype=np.float64))
    # (inf and nan have no scaling that helps: they go through unscaled, to give inf or nan)
    halvings = np.where(np.isfinite(halvings) & (halvings > 0), halvings, 0).astype(np.int64)
    x = A * (2.0 ** -halvings.astype(A.data.dtype))[..., None, None]
    identity = np.eye(A.shape[-1], dtype=A.data.dtype)
    p = x / DEGREE + identity
    for k in range(DEGREE - 1, 0, -1):  # (Horner's rule: a loop over the terms)
        p = (x @ p) / k + identity
    for step in range(int(halvings.max(initial=0))):  # each matrix squared its own number of times
        p = where((step < halvings)[..., None, None], p @ p, p)
    return p
