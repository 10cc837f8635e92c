"""`Laplace(loc, scale)`: the double exponential, p(x) = e^(-|x - mu| / b) / (2b), mu = loc, b = scale > 0.

log p(x) = -log(2b) - |x - mu| / b
cdf(x)   = 1/2 - sign(x - mu) expm1(-|x - mu| / b) / 2
icdf(q)  = mu - b sign(q - 1/2) log(1 - 2|q - 1/2|)
H        = 1 + log(2b)
rsample  = icdf(q) for q ~ U(0, 1): mu - b sign(u) log(1 - |u|), u = 2q - 1
mean and mode mu,  variance 2 b^2
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..random import default_generator
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import as_tensor_value, broadcast_all

__all__ = ["Laplace"]


class Laplace(Distribution):
    """Laplace(loc, scale), batched over their broadcast shape."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive}
    support = constraints.real
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(self.loc.shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> Laplace:
        return self._expanded(batch_shape, _instance, ("loc", "scale"))

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return math.sqrt(2) * self.scale

    @property
    def variance(self) -> Tensor:
        return 2 * self.scale**2

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        # u in (-1, 1): the open interval keeps log(1 - |u|) finite.
        eps = float(np.finfo(self.loc.dtype).eps)
        u = default_generator().uniform(eps - 1, 1, self._extended_shape(sample_shape))
        u_t = Tensor(u.astype(self.loc.dtype))
        return self.loc - self.scale * u_t.sign() * (-u_t.abs()).log1p()

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return -(2 * self.scale).log() - (value - self.loc).abs() / self.scale

    def cdf(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        d = value - self.loc
        return 0.5 - 0.5 * d.sign() * (-d.abs() / self.scale).expm1()

    def icdf(self, value: Tensor) -> Tensor:
        term = as_tensor_value(value, self.loc) - 0.5
        return self.loc - self.scale * term.sign() * (-2 * term.abs()).log1p()

    def entropy(self) -> Tensor:
        return 1 + (2 * self.scale).log()
