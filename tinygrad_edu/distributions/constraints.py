"""Constraints: the sets a parameter or a value must lie in, as torch.distributions.constraints.

A constraint's `check(value)` gives a bool Tensor, True where the value is
allowed. A constraint on events (`event_dim` > 0, e.g. the simplex, whose
points are whole vectors) reduces over those rightmost dims, so its check has
the batch shape. Only the constraints the families here need:

    real                      x == x (not nan; +-inf allowed)
    positive, greater_than    x > lower_bound
    nonnegative               x >= 0
    less_than                 x < upper_bound
    unit_interval, interval   lower_bound <= x <= upper_bound
    boolean                   x in {0, 1}
    integer_interval          x an integer in [lower_bound, upper_bound]
    simplex                   x_k >= 0 and |sum_k x_k - 1| < 1e-6 (event_dim 1)
    one_hot                   x_k in {0, 1} and sum_k x_k == 1 (event_dim 1)
    real_vector               independent(real, 1): a vector with no nan
    lower_cholesky            lower-triangular with a positive diagonal (event_dim 2)
    positive_definite         symmetric (to 1e-6) with every eigenvalue > 0 (event_dim 2)
    independent(c, n)         c, with its check reduced (all) over n more rightmost dims
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor

__all__ = [
    "Constraint",
    "boolean",
    "greater_than",
    "greater_than_eq",
    "independent",
    "integer_interval",
    "interval",
    "less_than",
    "lower_cholesky",
    "nonnegative",
    "one_hot",
    "positive",
    "positive_definite",
    "real",
    "real_vector",
    "simplex",
    "unit_interval",
]


def _values(x: Any) -> np.ndarray:
    return x.data if isinstance(x, Tensor) else np.asarray(x)


class Constraint:
    """A set of allowed values. `is_discrete`: its values are integers; `event_dim`: dims per point."""

    is_discrete = False
    event_dim = 0

    def check(self, value: Tensor) -> Tensor:
        """A bool Tensor, True where `value` lies in the set (batch shape, for event_dim > 0)."""
        with np.errstate(invalid="ignore"):
            return Tensor(np.asarray(self._check(_values(value))))

    def _check(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__[1:]}()"


class _Real(Constraint):
    def _check(self, x: np.ndarray) -> np.ndarray:
        return x == x  # NOTE: nan is the only value not equal to itself


class _Boolean(Constraint):
    is_discrete = True

    def _check(self, x: np.ndarray) -> np.ndarray:
        return (x == 0) | (x == 1)


class _GreaterThan(Constraint):
    def __init__(self, lower_bound: Any) -> None:
        self.lower_bound = lower_bound

    def _check(self, x: np.ndarray) -> np.ndarray:
        return _values(self.lower_bound) < x

    def __repr__(self) -> str:
        return f"GreaterThan(lower_bound={self.lower_bound})"


class _GreaterThanEq(_GreaterThan):
    def _check(self, x: np.ndarray) -> np.ndarray:
        return _values(self.lower_bound) <= x

    def __repr__(self) -> str:
        return f"GreaterThanEq(lower_bound={self.lower_bound})"


class _LessThan(Constraint):
    def __init__(self, upper_bound: Any) -> None:
        self.upper_bound = upper_bound

    def _check(self, x: np.ndarray) -> np.ndarray:
        return x < _values(self.upper_bound)

    def __repr__(self) -> str:
        return f"LessThan(upper_bound={self.upper_bound})"


class _Interval(Constraint):
    def __init__(self, lower_bound: Any, upper_bound: Any) -> None:
        self.lower_bound, self.upper_bound = lower_bound, upper_bound

    def _check(self, x: np.ndarray) -> np.ndarray:
        return (_values(self.lower_bound) <= x) & (x <= _values(self.upper_bound))

    def __repr__(self) -> str:
        return f"{type(self).__name__[1:]}(lower_bound={self.lower_bound}, upper_bound={self.upper_bound})"


class _IntegerInterval(_Interval):
    is_discrete = True

    def _check(self, x: np.ndarray) -> np.ndarray:
        return (x % 1 == 0) & super()._check(x)


class _Simplex(Constraint):
    event_dim = 1

    def _check(self, x: np.ndarray) -> np.ndarray:
        return np.all(x >= 0, axis=-1) & (np.abs(x.sum(-1) - 1) < 1e-6)


class _OneHot(Constraint):
    is_discrete = True
    event_dim = 1

    def _check(self, x: np.ndarray) -> np.ndarray:
        return np.all((x == 0) | (x == 1), axis=-1) & (x.sum(-1) == 1)


class _LowerCholesky(Constraint):
    """A scale_tril: lower-triangular (zeros above the diagonal) with a positive diagonal."""

    event_dim = 2

    def _check(self, x: np.ndarray) -> np.ndarray:
        lower = np.all(np.tril(x) == x, axis=(-2, -1))
        return lower & np.all(np.diagonal(x, axis1=-2, axis2=-1) > 0, axis=-1)


class _PositiveDefinite(Constraint):
    """A covariance or precision matrix: square, symmetric and with every eigenvalue > 0."""

    event_dim = 2

    def _check(self, x: np.ndarray) -> np.ndarray:
        if x.shape[-1] != x.shape[-2]:
            return np.zeros(x.shape[:-2], dtype=bool)
        # NOTE: as PyTorch, symmetry is closeness (atol 1e-6, rtol 1e-5): a covariance built as
        # A @ A.T is symmetric only up to rounding. The eigenvalues are not looked at unless
        # every matrix passes, so a nan never reaches eigvalsh.
        symmetric = np.all(np.isclose(x, np.swapaxes(x, -1, -2), atol=1e-6), axis=(-2, -1))
        if not symmetric.all():
            return symmetric
        finite = np.all(np.isfinite(x), axis=(-2, -1))
        safe = np.where(finite[..., None, None], x, np.eye(x.shape[-1], dtype=x.dtype))
        return finite & (np.linalg.eigvalsh(safe)[..., 0] > 0)


class _IndependentConstraint(Constraint):
    """`base`, with `reinterpreted_batch_ndims` more rightmost dims counted as one event."""

    def __init__(self, base_constraint: Constraint, reinterpreted_batch_ndims: int) -> None:
        self.base_constraint = base_constraint
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims
        self.is_discrete = base_constraint.is_discrete
        self.event_dim = base_constraint.event_dim + reinterpreted_batch_ndims

    def _check(self, x: np.ndarray) -> np.ndarray:
        ok = np.asarray(self.base_constraint._check(x))
        n = self.reinterpreted_batch_ndims
        if ok.ndim < n:
            raise ValueError(f"Expected value.dim() >= {self.event_dim} but got {x.ndim}")
        return np.asarray(ok.reshape(ok.shape[: ok.ndim - n] + (-1,)).all(-1))

    def __repr__(self) -> str:
        return f"IndependentConstraint({self.base_constraint!r}, {self.reinterpreted_batch_ndims})"


# PyTorch's public names: instances for the fixed sets, classes for the ones with bounds.
real = _Real()
boolean = _Boolean()
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
unit_interval = _Interval(0.0, 1.0)
simplex = _Simplex()
one_hot = _OneHot()
lower_cholesky = _LowerCholesky()
positive_definite = _PositiveDefinite()
greater_than = _GreaterThan
greater_than_eq = _GreaterThanEq
less_than = _LessThan
interval = _Interval
integer_interval = _IntegerInterval
independent = _IndependentConstraint
real_vector = _IndependentConstraint(real, 1)
