"""`Uniform(low, high)`: every x in [low, high) equally likely.

log p(x) = -log(high - low) inside, -inf outside
cdf(x)   = clamp((x - low) / (high - low), 0, 1),   icdf(q) = low + q (high - low)
H        = log(high - low)
rsample  = low + u (high - low),  u ~ U[0, 1)
mean (low + high) / 2,  variance (high - low)^2 / 12,  mode nan (every point is one)
"""

from __future__ import annotations

import math
from typing import Any

from ..random import default_generator
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import as_tensor_value, broadcast_all

__all__ = ["Uniform"]


class Uniform(Distribution):
    """U[low, high), batched over the broadcast shape of low and high; low < high."""

    has_rsample = True

    def __init__(self, low: Any, high: Any, validate_args: bool | None = None) -> None:
        self.low, self.high = broadcast_all(low, high)
        super().__init__(self.low.shape, validate_args=validate_args)

    @property
    def arg_constraints(self) -> dict[str, constraints.Constraint]:  # type: ignore[override]
        # Each bound is constrained by the other, so the constraints are built per object.
        return {"low": constraints.less_than(self.high), "high": constraints.greater_than(self.low)}

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        return constraints.interval(self.low, self.high)

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> Uniform:
        return self._expanded(batch_shape, _instance, ("low", "high"))

    @property
    def mean(self) -> Tensor:
        return (self.high + self.low) / 2

    @property
    def mode(self) -> Tensor:
        return float("nan") * self.high

    @property
    def stddev(self) -> Tensor:
        return (self.high - self.low) / 12**0.5

    @property
    def variance(self) -> Tensor:
        return (self.high - self.low) ** 2 / 12

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        u = default_generator().random(self._extended_shape(sample_shape))
        return self.low + Tensor(u.astype(self.low.dtype)) * (self.high - self.low)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        inside = (self.low <= value) & (self.high > value)
        return (-(self.high - self.low).log()).masked_fill(~inside, -math.inf)

    def cdf(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value: Tensor) -> Tensor:
        return as_tensor_value(value, self.low) * (self.high - self.low) + self.low

    def entropy(self) -> Tensor:
        return (self.high - self.low).log()
