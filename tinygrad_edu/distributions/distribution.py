"""`Distribution`, the base of every family: shapes, sampling, validation, and the defaults.

Shapes. A distribution object holds a batch of independent distributions
(`batch_shape`), each over events of `event_shape` (() for a number, (k,) for
a one-hot vector). `sample(sample_shape)` returns
``sample_shape + batch_shape + event_shape``, and `log_prob(value)` one number
per event: the value's shape without event_shape.

Gradients. `rsample` is the reparameterised draw, x = f(params, noise) with
noise independent of the parameters, so the gradient of a loss on x flows
back to the parameters (a VAE's mu + sigma * eps). `sample` is the same draw
without that gradient. Families with no such f (Bernoulli, Categorical) have
only `sample`; a policy gradient uses their `log_prob` instead:
grad E[R] = E[R grad log p(a)] (REINFORCE).

Validation (on by default, as PyTorch's is under ``__debug__``): each
parameter is checked against `arg_constraints` when the object is built, and
each value given to `log_prob`/`cdf` against `support`; both raise PyTorch's
ValueError. ``validate_args=False``, or
``Distribution.set_default_validate_args(False)``, skips the checks.
"""

from __future__ import annotations

import warnings
from typing import Any

from ..autograd.grad_mode import no_grad
from ..tensor import Tensor
from . import constraints

__all__ = ["Distribution"]

Shape = tuple[int, ...]


class Distribution:
    """The interface every family implements; the defaults raise NotImplementedError."""

    has_rsample = False
    has_enumerate_support = False
    _validate_args = True
    arg_constraints: dict[str, constraints.Constraint] = {}
    support: constraints.Constraint | None = None

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Turn the checks of parameters and values on or off for distributions built afterwards."""
        if value not in (True, False):
            raise ValueError
        Distribution._validate_args = value

    def __init__(
        self, batch_shape: Any = (), event_shape: Any = (), validate_args: bool | None = None
    ) -> None:
        self._batch_shape: Shape = tuple(batch_shape)
        self._event_shape: Shape = tuple(event_shape)
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            for name, constraint in self.arg_constraints.items():
                if name not in self.__dict__:
                    continue  # the one of probs/logits not given
                value = self.__dict__[name]
                if not bool(constraint.check(value).all()):
                    raise ValueError(
                        f"Expected parameter {name} ({type(value).__name__} of shape {tuple(value.shape)}) "
                        f"of distribution {self!r} to satisfy the constraint {constraint!r}, "
                        f"but found invalid values:\n{value}"
                    )

    # ------------------------------------------------------------ shapes

    @property
    def batch_shape(self) -> Shape:
        """The shape over which parameters are batched (independent distributions)."""
        return self._batch_shape

    @property
    def event_shape(self) -> Shape:
        """The shape of one draw of one distribution of the batch."""
        return self._event_shape

    def _extended_shape(self, sample_shape: Any = ()) -> Shape:
        return tuple(sample_shape) + self._batch_shape + self._event_shape

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> Distribution:
        """The same family with its parameters expanded (no copy) to a larger `batch_shape`."""
        raise NotImplementedError

    def _expanded(self, batch_shape: Any, _instance: Distribution | None, names: tuple[str, ...]) -> Any:
        """`expand` for a family whose parameters are the element-wise tensors `names`."""
        new = _instance if _instance is not None else type(self).__new__(type(self))
        batch_shape = tuple(batch_shape)
        for name in names:
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(batch_shape + self._event_shape))
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    # ------------------------------------------------------------ sampling

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """A draw of shape sample_shape + batch_shape + event_shape, with no gradient."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """A reparameterised draw: differentiable with respect to the parameters."""
        raise NotImplementedError

    def sample_n(self, n: int) -> Tensor:
        """`sample((n,))`, by its old name, which PyTorch keeps with a warning."""
        warnings.warn(
            "`sample_n(n)` will be deprecated. Use `sample((n,))` instead.", FutureWarning, stacklevel=2
        )
        return self.sample((n,))

    # ------------------------------------------------------------ densities and moments

    def log_prob(self, value: Tensor) -> Tensor:
        """log p(value), one number per event."""
        raise NotImplementedError

    def cdf(self, value: Tensor) -> Tensor:
        """P(X <= value)."""
        raise NotImplementedError

    def icdf(self, value: Tensor) -> Tensor:
        """The x with P(X <= x) = value (the quantile function)."""
        raise NotImplementedError

    def entropy(self) -> Tensor:
        """H = -E[log p(X)], batch_shape."""
        raise NotImplementedError

    def perplexity(self) -> Tensor:
        """exp(entropy)."""
        return self.entropy().exp()

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """Every value of a discrete support, along a new leading dim."""
        raise NotImplementedError

    @property
    def mean(self) -> Tensor:
        raise NotImplementedError

    @property
    def mode(self) -> Tensor:
        raise NotImplementedError(f"{type(self)} does not implement mode")

    @property
    def variance(self) -> Tensor:
        raise NotImplementedError

    @property
    def stddev(self) -> Tensor:
        """sqrt(variance)."""
        return self.variance.sqrt()

    # ------------------------------------------------------------ checks

    def _validate_sample(self, value: Any) -> None:
        """PyTorch's checks of a value: a Tensor, of a shape that fits, inside the support."""
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        start = value.ndim - len(self._event_shape)
        if tuple(value.shape[start:]) != self._event_shape:
            raise ValueError(
                f"The right-most size of value must match event_shape: {value.shape} vs {self._event_shape}."
            )
        expected = self._batch_shape + self._event_shape
        for i, j in zip(reversed(value.shape), reversed(expected)):
            if i != 1 and j != 1 and i != j:
                raise ValueError(
                    f"Value is not broadcastable with batch_shape+event_shape: {value.shape} vs {expected}."
                )
        support = self.support
        assert support is not None, f"{type(self).__name__} has no support to check values against"
        if not bool(support.check(value).all()):
            raise ValueError(
                f"Expected value argument ({type(value).__name__} of shape {tuple(value.shape)}) "
                f"to be within the support ({support!r}) of the distribution {self!r}, "
                f"but found invalid values:\n{value}"
            )

    def __repr__(self) -> str:
        shown = []
        for name in self.arg_constraints:
            if name in self.__dict__:
                p = self.__dict__[name]
                shown.append(f"{name}: {p if p.numel() == 1 else tuple(p.shape)}")
        return f"{type(self).__name__}({', '.join(shown)})"
