"""`Bernoulli(probs=p)` or `Bernoulli(logits=l)`: a coin that shows 1 with probability p = sigmoid(l).

    log p(x) = x log p + (1 - x) log(1 - p) = x l - softplus(l)     (x in {0, 1})
    H        = softplus(l) - p l
    mean p,  variance p (1 - p),  mode 1 if p > 1/2, 0 if p < 1/2, nan at 1/2

Whichever of probs/logits is not given is computed from the other when
first read, and kept. Written with the logits, log p(x) is exact where p is
very near 0 or 1 (it is minus binary cross-entropy with logits).
No rsample: a draw is a step function of p, with no useful gradient.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from ..random import default_generator
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all, logits_to_probs, probs_to_logits, softplus

__all__ = ["Bernoulli"]


class Bernoulli(Distribution):
    """Coins 0/1, batched over the shape of probs (or logits); give exactly one of the two."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            (self.probs,) = broadcast_all(probs)
            shape = self.probs.shape
        else:
            (self.logits,) = broadcast_all(logits)
            shape = self.logits.shape
        super().__init__(shape, validate_args=validate_args)

    @cached_property
    def probs(self) -> Tensor:
        return logits_to_probs(self.logits, is_binary=True)

    @cached_property
    def logits(self) -> Tensor:
        return probs_to_logits(self.probs, is_binary=True)

    @property
    def _param(self) -> Tensor:
        return self.__dict__["probs"] if "probs" in self.__dict__ else self.__dict__["logits"]

    @property
    def param_shape(self) -> tuple[int, ...]:
        return tuple(self._param.shape)

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> Bernoulli:
        return self._expanded(batch_shape, _instance, ("probs", "logits"))

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        p = self.probs
        mode = (p >= 0.5).to(p.dtype)
        return mode.masked_fill(p == 0.5, float("nan"))

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        p = self.probs.data
        draws = default_generator().random(shape) < np.broadcast_to(p, shape)
        return Tensor(draws.astype(p.dtype))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return value * self.logits - softplus(self.logits)

    def entropy(self) -> Tensor:
        return softplus(self.logits) - self.probs * self.logits

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = Tensor(np.arange(2, dtype=self._param.dtype))
        values = values.reshape((2,) + (1,) * len(self._batch_shape))
        return values.expand((2,) + self._batch_shape) if expand else values
