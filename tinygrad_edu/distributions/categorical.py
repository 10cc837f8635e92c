"""`Categorical(probs=p)` or `Categorical(logits=l)`: one of K classes, class k with probability p_k.

probs (..., K) are normalised to sum to 1 over the last dim; logits are
normalised to log-probabilities, l_k - logsumexp(l). The batch shape is the
parameter's shape without the last dim, and each event is one integer index.

    log p(k) = l_k = log p_k
    H        = -sum_k p_k l_k
    mode     = argmax_k p_k;  mean and variance are nan (classes have no order)

A policy's action in a policy-gradient loop::

    dist = Categorical(logits=policy(state))
    action = dist.sample()
    loss = -(dist.log_prob(action) * advantage).mean()
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from ..ops.grids import broadcast_tensors
from ..random import default_generator
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import logits_to_probs, probs_to_logits

__all__ = ["Categorical"]


class Categorical(Distribution):
    """K-way classes, batched over the parameter's leading dims; give exactly one of probs and logits."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.independent(constraints.real, 1)}
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        name, param = ("probs", probs) if probs is not None else ("logits", logits)
        if not isinstance(param, Tensor):
            raise TypeError(f"Categorical: `{name}` must be a Tensor, not {type(param).__name__}")
        if param.ndim < 1:
            raise ValueError(f"`{name}` parameter must be at least one-dimensional.")
        if probs is not None:
            self.probs = probs / probs.sum(-1, keepdim=True)
        else:
            self.logits = logits - logits.logsumexp(-1, keepdim=True)
        self._num_events = param.shape[-1]
        super().__init__(param.shape[:-1], validate_args=validate_args)

    @cached_property
    def probs(self) -> Tensor:
        return logits_to_probs(self.logits)

    @cached_property
    def logits(self) -> Tensor:
        return probs_to_logits(self.probs)

    @property
    def _param(self) -> Tensor:
        return self.__dict__["probs"] if "probs" in self.__dict__ else self.__dict__["logits"]

    @property
    def param_shape(self) -> tuple[int, ...]:
        return tuple(self._param.shape)

    @property
    def support(self) -> constraints.Constraint:  # type: ignore[override]
        return constraints.integer_interval(0, self._num_events - 1)

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> Categorical:
        new: Any = _instance if _instance is not None else type(self).__new__(type(self))
        batch_shape = tuple(batch_shape)
        for name in ("probs", "logits"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(batch_shape + (self._num_events,)))
        new._num_events = self._num_events
        Distribution.__init__(new, batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self) -> Tensor:
        return Tensor(np.full(self._batch_shape, np.nan, dtype=self._param.dtype))

    @property
    def mode(self) -> Tensor:
        return self.probs.argmax(-1)

    @property
    def variance(self) -> Tensor:
        return self.mean

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Inverse-CDF draws: the first k with cumsum(p)_k > u, u ~ U(0, 1); int64."""
        shape = self._extended_shape(sample_shape)
        p = self.probs.data.astype(np.float64)
        cum = np.cumsum(p, -1)
        u = default_generator().random(shape)[..., None] * cum[..., -1:]
        picked = (np.broadcast_to(cum, shape + (self._num_events,)) <= u).sum(-1)
        return Tensor(np.minimum(picked, self._num_events - 1).astype(np.int64))

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        index = value.long().unsqueeze(-1)
        index, log_pmf = broadcast_tensors(index, self.logits)  # (..., K) each: index repeated
        return log_pmf.gather(-1, index[..., :1]).squeeze(-1)

    def entropy(self) -> Tensor:
        # NOTE: a class of probability 0 has logit -inf; clamping it to the dtype's most
        # negative finite number makes p * l = 0 * (finite) = 0 rather than nan.
        logits = self.logits.clamp(min=float(np.finfo(self.logits.dtype).min))
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        values = Tensor(np.arange(self._num_events, dtype=np.int64))
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((self._num_events,) + self._batch_shape) if expand else values
