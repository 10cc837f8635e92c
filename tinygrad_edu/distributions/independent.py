"""`Independent(base, n)`: the same draws as `base`, with its n rightmost batch dims read as one event.

Nothing about the draws changes; only the bookkeeping does. A Normal with
loc of shape (B, D) is B x D separate numbers (batch_shape (B, D)); as
``Independent(Normal(loc, scale), 1)`` it is B vectors of D independent
coordinates (batch_shape (B,), event_shape (D,)), so log_prob gives one
number per vector, the sum over its coordinates (independence: the log of a
product of densities is the sum of their logs):

    log p(x) = sum over the n dims of base.log_prob(x)
    H        = sum over the n dims of base.entropy()
    KL(p || q) = sum over the n dims of KL(p.base || q.base)

Samples, means and variances are the base's, unchanged. A VAE's diagonal
Gaussian posterior, one log-density per example::

    posterior = Independent(Normal(mu, sigma), 1)   # batch (B,), event (D,)
    log_q = posterior.log_prob(z)                   # (B,)
"""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from . import constraints
from .distribution import Distribution

__all__ = ["Independent"]


def sum_rightmost(x: Tensor, n: int) -> Tensor:
    """x summed over its n rightmost dims (x itself for n = 0)."""
    return x.sum(tuple(range(-n, 0))) if n > 0 else x


class Independent(Distribution):
    """`base_distribution` with `reinterpreted_batch_ndims` of its rightmost batch dims moved to the event."""

    arg_constraints: dict[str, constraints.Constraint] = {}

    def __init__(
        self,
        base_distribution: Distribution,
        reinterpreted_batch_ndims: int,
        validate_args: bool | None = None,
    ) -> None:
        base_batch = base_distribution.batch_shape
        if reinterpreted_batch_ndims > len(base_batch):
            raise ValueError(
                "Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), "
                f"actual {reinterpreted_batch_ndims} vs {len(base_batch)}"
            )
        shape = base_batch + base_distribution.event_shape
        event_dim = reinterpreted_batch_ndims + len(base_distribution.event_shape)
        self.base_dist = base_distribution
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims
        cut = len(shape) - event_dim
        super().__init__(shape[:cut], shape[cut:], validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> Independent:
        new: Any = _instance if _instance is not None else type(self).__new__(type(self))
        batch_shape = tuple(batch_shape)
        moved = self._event_shape[: self.reinterpreted_batch_ndims]  # (the base's batch dims in the event)
        new.base_dist = self.base_dist.expand(batch_shape + moved)
        new.reinterpreted_batch_ndims = self.reinterpreted_batch_ndims
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def has_rsample(self) -> bool:  # type: ignore[override]
        return self.base_dist.has_rsample

    @property
    def has_enumerate_support(self) -> bool:  # type: ignore[override]
        # enumerating the product of several dims' supports is not offered (as in PyTorch)
        return self.reinterpreted_batch_ndims == 0 and self.base_dist.has_enumerate_support

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        base = self.base_dist.support
        assert base is not None, f"{type(self.base_dist).__name__} has no support"
        n = self.reinterpreted_batch_ndims
        return constraints.independent(base, n) if n else base

    @property
    def mean(self) -> Tensor:
        return self.base_dist.mean

    @property
    def mode(self) -> Tensor:
        return self.base_dist.mode

    @property
    def variance(self) -> Tensor:
        return self.base_dist.variance

    def sample(self, sample_shape: Any = ()) -> Tensor:
        return self.base_dist.sample(sample_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        return self.base_dist.rsample(sample_shape)

    def log_prob(self, value: Tensor) -> Tensor:
        return sum_rightmost(self.base_dist.log_prob(value), self.reinterpreted_batch_ndims)

    def entropy(self) -> Tensor:
        return sum_rightmost(self.base_dist.entropy(), self.reinterpreted_batch_ndims)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        if self.reinterpreted_batch_ndims > 0:
            raise NotImplementedError("Enumeration over cartesian product is not implemented")
        return self.base_dist.enumerate_support(expand=expand)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_dist!r}, {self.reinterpreted_batch_ndims})"
