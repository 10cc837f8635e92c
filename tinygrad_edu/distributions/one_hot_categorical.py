"""`OneHotCategorical(probs=p)` or `(logits=l)`: a Categorical whose draws are one-hot vectors.

Class k is written as e_k, the vector of K numbers with a 1 at k and 0
elsewhere, so the event_shape is (K,) and draws have the parameters' float
dtype. Everything is the Categorical's (held inside, as `_categorical`),
read through the one-hot coding:

    log p(e_k) = log p_k            (k = argmax of the value)
    H          = -sum_k p_k log p_k
    mean       = p                   (E[e_k] = sum_k p_k e_k)
    variance   = p (1 - p)           (each coordinate is a Bernoulli(p_k))
    mode       = e_(argmax p)

The one-hot form is what a mixture's or a discrete VAE's code multiplies
into a weight matrix: ``z = OneHotCategorical(logits=h).sample(); y = z @ W``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor
from . import constraints
from .categorical import Categorical
from .distribution import Distribution

__all__ = ["OneHotCategorical"]


def _one_hot(index: np.ndarray, num_classes: int, dtype: Any) -> Tensor:
    """e_index as rows of the identity: index (...) -> (..., num_classes), of `dtype`."""
    return Tensor(np.eye(num_classes, dtype=dtype)[index])


class OneHotCategorical(Distribution):
    """One of K classes as a one-hot vector; give exactly one of probs and logits (as Categorical)."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.one_hot
    has_enumerate_support = True

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        self._categorical = Categorical(probs, logits, validate_args=validate_args)
        super().__init__(
            self._categorical.batch_shape, self._categorical.param_shape[-1:], validate_args=validate_args
        )

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> OneHotCategorical:
        new: Any = _instance if _instance is not None else type(self).__new__(type(self))
        batch_shape = tuple(batch_shape)
        new._categorical = self._categorical.expand(batch_shape)
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def probs(self) -> Tensor:
        return self._categorical.probs

    @property
    def logits(self) -> Tensor:
        return self._categorical.logits

    @property
    def _param(self) -> Tensor:
        return self._categorical._param

    @property
    def param_shape(self) -> tuple[int, ...]:
        return self._categorical.param_shape

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        return _one_hot(self.probs.data.argmax(-1), self._event_shape[0], self.probs.dtype)

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """The Categorical's class indices, one-hot coded: sample_shape + batch_shape + (K,)."""
        index = self._categorical.sample(sample_shape).data
        return _one_hot(index, self._event_shape[0], self._param.dtype)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        return self._categorical.log_prob(value.argmax(-1))

    def entropy(self) -> Tensor:
        return self._categorical.entropy()

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """The K one-hot vectors along a new leading dim: (K, *batch_shape, K) (or (K, 1, ..., 1, K))."""
        k = self._event_shape[0]
        values = Tensor(np.eye(k, dtype=self._param.dtype))
        values = values.reshape((k,) + (1,) * len(self._batch_shape) + (k,))
        return values.expand((k,) + self._batch_shape + (k,)) if expand else values
