"""`Normal(loc, scale)`: the Gaussian N(mu, sigma^2), with mu = loc and sigma = scale > 0.

log p(x) = -(x - mu)^2 / (2 sigma^2) - log sigma - log(2 pi) / 2
cdf(x)   = (1 + erf((x - mu) / (sigma sqrt 2))) / 2
icdf(q)  = mu + sigma sqrt(2) erfinv(2q - 1)
H        = 1/2 + log(2 pi) / 2 + log sigma
rsample  = mu + sigma * eps,  eps ~ N(0, 1)   (the VAE's reparameterisation trick)
"""

from __future__ import annotations

import math
from typing import Any

from ..random import default_generator
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import as_tensor_value, broadcast_all

__all__ = ["Normal"]


class Normal(Distribution):
    """N(loc, scale^2), batched over the broadcast shape of loc and scale."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> Normal:
        return self._expanded(batch_shape, _instance, ("loc", "scale"))

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.scale**2

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        eps = default_generator().standard_normal(self._extended_shape(sample_shape))
        return self.loc + self.scale * Tensor(eps.astype(self.loc.dtype))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return -((value - self.loc) ** 2) / (2 * self.scale**2) - self.scale.log() - math.log(2 * math.pi) / 2

    def cdf(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + ((value - self.loc) / (self.scale * math.sqrt(2))).erf())

    def icdf(self, value: Tensor) -> Tensor:
        q = as_tensor_value(value, self.loc)
        return self.loc + self.scale * (2 * q - 1).erfinv() * math.sqrt(2)

    def entropy(self) -> Tensor:
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()
