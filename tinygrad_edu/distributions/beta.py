"""`Beta(concentration1, concentration0)`: a probability's distribution, p(x) ~ x^(a-1) (1-x)^(b-1) on [0, 1].

With a = concentration1 and b = concentration0 (both > 0), and
log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b):

    log p(x) = (a - 1) log x + (b - 1) log(1 - x) - log B(a, b)
    H        = log B(a, b) - (a - 1) psi(a) - (b - 1) psi(b) + (a + b - 2) psi(a + b)
    mean a / (a + b),  variance a b / ((a + b)^2 (a + b + 1)),  mode (a - 1) / (a + b - 2)

The conjugate prior of a Bernoulli's p: after h heads and t tails, Beta(a + h, b + t).
Draws use NumPy's gamma sampler (X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b)).
Unlike PyTorch's Beta there is no rsample: a gamma draw has no closed-form
reparameterisation, and PyTorch's implicit gradient is not built here.
"""

from __future__ import annotations

from typing import Any

from ..random import default_generator
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Beta"]


def log_beta(a: Tensor, b: Tensor) -> Tensor:
    """log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b)."""
    return a.lgamma() + b.lgamma() - (a + b).lgamma()


class Beta(Distribution):
    """Beta(concentration1, concentration0), batched over their broadcast shape."""

    arg_constraints = {"concentration1": constraints.positive, "concentration0": constraints.positive}
    support = constraints.unit_interval

    def __init__(self, concentration1: Any, concentration0: Any, validate_args: bool | None = None) -> None:
        self.concentration1, self.concentration0 = broadcast_all(concentration1, concentration0)
        super().__init__(self.concentration1.shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> Beta:
        return self._expanded(batch_shape, _instance, ("concentration1", "concentration0"))

    @property
    def mean(self) -> Tensor:
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self) -> Tensor:
        """(a - 1) / (a + b - 2), with a - 1 and b - 1 clamped at 0 (so 0 or 1 where one is below 1).

        NOTE: where a < 1 and b < 1 the density rises at both ends; PyTorch answers 1
        there (the first end it finds), and so does this, to agree with it.
        """
        a, b = self.concentration1, self.concentration0
        am1, bm1 = (a - 1).clamp(min=0), (b - 1).clamp(min=0)
        return (am1 / (am1 + bm1)).masked_fill((a < 1) & (b < 1), 1.0)

    @property
    def variance(self) -> Tensor:
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total**2 * (total + 1))

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        a, b = (p.expand(shape).data for p in (self.concentration1, self.concentration0))
        draws = default_generator().beta(a, b)
        return Tensor(draws.astype(self.concentration1.dtype))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        a, b = self.concentration1, self.concentration0
        return (a - 1).xlogy(value) + (b - 1).xlogy(1 - value) - log_beta(a, b)

    def entropy(self) -> Tensor:
        a, b = self.concentration1, self.concentration0
        return (
            log_beta(a, b) - (a - 1) * a.digamma() - (b - 1) * b.digamma() + (a + b - 2) * (a + b).digamma()
        )
