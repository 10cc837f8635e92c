"""`Exponential(rate)`: waiting times, p(x) = lambda e^(-lambda x) for x >= 0, lambda = rate > 0.

log p(x) = log lambda - lambda x
cdf(x)   = 1 - e^(-lambda x),   icdf(q) = -log(1 - q) / lambda
H        = 1 - log lambda
rsample  = E / lambda,  E ~ Exp(1)
mean 1/lambda,  variance 1/lambda^2,  mode 0
"""

from __future__ import annotations

from typing import Any

from ..random import default_generator
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import as_tensor_value, broadcast_all

__all__ = ["Exponential"]


class Exponential(Distribution):
    """Exp(rate), batched over rate's shape."""

    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, rate: Any, validate_args: bool | None = None) -> None:
        (self.rate,) = broadcast_all(rate)
        super().__init__(self.rate.shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> Exponential:
        return self._expanded(batch_shape, _instance, ("rate",))

    @property
    def mean(self) -> Tensor:
        return self.rate.reciprocal()

    @property
    def mode(self) -> Tensor:
        return self.rate.new_zeros(self.rate.shape)

    @property
    def stddev(self) -> Tensor:
        return self.rate.reciprocal()

    @property
    def variance(self) -> Tensor:
        return self.rate**-2

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        e = default_generator().standard_exponential(self._extended_shape(sample_shape))
        return Tensor(e.astype(self.rate.dtype)) / self.rate

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return self.rate.log() - self.rate * value

    def cdf(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return 1 - (-self.rate * value).exp()

    def icdf(self, value: Tensor) -> Tensor:
        return -(-as_tensor_value(value, self.rate)).log1p() / self.rate

    def entropy(self) -> Tensor:
        return 1.0 - self.rate.log()
