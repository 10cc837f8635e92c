"""The covariance and correlation matrices of variables observed together.

input is (V, N): V variables (rows), N observations (columns); a vector is one variable.
With weights w_j per observation (frequency weights f_j times importance weights a_j):

    mean_i = sum_j w_j x_ij / sum_j w_j
    cov_ik = sum_j w_j (x_ij - mean_i)(x_kj - mean_k) / (sum_j w_j - correction * sum_j w_j a_j / sum_j w_j)

With no importance weights the divisor is sum_j w_j - correction (N - 1 by
default: Bessel's correction). corrcoef_ik = cov_ik / sqrt(cov_ii cov_kk),
clipped to [-1, 1]. Both are composites, so their gradients come from the
products and sums they are made of.
"""

from __future__ import annotations

import numpy as np

from ..dtypes import get_default_dtype
from ..tensor import Tensor
from ..warning import warn


def _weights_check(name: str, w: Tensor, observations: int, integral: bool) -> None:
    if w.ndim > 1:
        raise RuntimeError(
            f"cov(): expected {name} to have one or fewer dimensions but got {name} with {w.ndim} dimensions"
        )
    if w.numel() != observations:
        raise RuntimeError(
            f"cov(): expected {name} to have the same numel as there are observations in the input but got "
            f"{w.numel()} != {observations}"
        )
    if integral and w.dtype.kind not in "iu":
        raise RuntimeError(
            f"cov(): expected fweights to have integral dtype but got fweights with {w.dtype} dtype"
        )
    if not integral and w.dtype.kind != "f":
        raise RuntimeError(
            f"cov(): expected aweights to have floating point dtype but got aweights with {w.dtype} dtype"
        )
    if (w.data < 0).any():
        raise RuntimeError(f"cov(): {name} cannot be negative")


def cov(
    input: Tensor, *, correction: int = 1, fweights: Tensor | None = None, aweights: Tensor | None = None
) -> Tensor:
    """The covariance matrix of the V variables (rows) of input (V, N) -> (V, V); a vector (N,) -> ()."""
    if input.ndim > 2:
        raise RuntimeError(
            "cov(): expected input to have two or fewer dimensions but got an input with "
            f"{input.ndim} dimensions"
        )
    x = input.reshape(1, -1) if input.ndim < 2 else input
    if x.dtype.kind not in "f":  # integers and bools are averaged in the default float dtype
        x = x.to(get_default_dtype())
    observations = x.shape[1]
    weights = None
    if fweights is not None:
        _weights_check("fweights", fweights, observations, integral=True)
        weights = fweights.to(x.dtype)
    if aweights is not None:
        _weights_check("aweights", aweights, observations, integral=False)
        weights = aweights.to(x.dtype) if weights is None else weights * aweights.to(x.dtype)
    if weights is None:
        total = Tensor._wrap(np.asarray(observations, x.dtype))
        mean = x.mean(1, keepdim=True)
    else:
        total = weights.sum()
        mean = (x * weights).sum(1, keepdim=True) / total
    if aweights is None:
        divisor = total - correction
    else:
        assert weights is not None
        divisor = total - correction * (weights * aweights.to(x.dtype)).sum() / total
    if divisor.item() <= 0:
        warn(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the number "
            "of observations."
        )
        divisor = divisor.clamp(min=0)
    centred = x - mean
    weighted = centred if weights is None else centred * weights
    c = weighted @ centred.mT / divisor
    return c.squeeze() if input.ndim < 2 or c.shape == (1, 1) else c


def corrcoef(input: Tensor) -> Tensor:
    """The Pearson correlation matrix of the variables (rows) of input (V, N) -> (V, V); a vector -> ()."""
    c = cov(input)
    if c.ndim == 0:  # one variable: cov / cov (1, or nan for a constant)
        return c / c
    spread = c.diagonal().sqrt()
    return (c / spread.unsqueeze(1) / spread.unsqueeze(0)).clamp(-1, 1)
