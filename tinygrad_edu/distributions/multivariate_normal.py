"""`MultivariateNormal(loc, covariance_matrix=S)`: the Gaussian N(mu, Sigma) over vectors of n numbers.

Give exactly one of three descriptions of the spread; each becomes the
lower-triangular L with Sigma = L L^T (the Cholesky factor), and everything
below is computed from L:

    covariance_matrix   Sigma           L = cholesky(Sigma)
    precision_matrix    P = Sigma^{-1}  L = (flip of cholesky(flip P))^{-T}   (no inverse of P formed)
    scale_tril          L itself        (the cheapest: no factorization)

With z = L^{-1} (x - mu), found by a triangular solve rather than an inverse:

    log p(x) = -|z|^2 / 2 - sum_i log L_ii - n log(2 pi) / 2     (log det Sigma = 2 sum_i log L_ii)
    H        = n (1 + log(2 pi)) / 2 + sum_i log L_ii
    rsample  = mu + L eps,  eps ~ N(0, I_n)     (the reparameterisation trick, as Normal's)
    variance = diag(Sigma)_i = sum_j L_ij^2

Shapes: loc (*, n) and the matrix (*, n, n) broadcast their batch dims to
batch_shape; event_shape is (n,). The factor is kept at the matrix's own
batch shape (`_unbroadcasted_scale_tril`), and broadcasting happens in the
solve and the product, so a batch of means with one shared covariance
factorizes once. A Gaussian process's prior over f at the inputs X::

    prior = MultivariateNormal(tg.zeros(len(X)), covariance_matrix=K(X, X) + 1e-6 * tg.eye(len(X)))
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any

from ..factories import eye
from ..linalg import cholesky, solve_triangular
from ..ops.grids import broadcast_shapes
from ..ops.legacy_linalg import cholesky_inverse
from ..random import default_generator
from ..tensor import Tensor
from . import constraints
from .distribution import Distribution

__all__ = ["MultivariateNormal"]

_MATRICES = ("covariance_matrix", "precision_matrix", "scale_tril")


def mahalanobis(scale_tril: Tensor, diff: Tensor) -> Tensor:
    """|L^{-1} d|^2 = d^T Sigma^{-1} d for L (*, n, n) and d (..., n), batch dims broadcast: (...)."""
    z = solve_triangular(scale_tril, diff.unsqueeze(-1), upper=False)
    return (z**2).sum((-2, -1))


def half_log_det(scale_tril: Tensor) -> Tensor:
    """log det(Sigma) / 2 = sum_i log L_ii."""
    return scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)


def _precision_to_scale_tril(precision: Tensor) -> Tensor:
    """L with L L^T = P^{-1}, without inverting P.

    Reversing the order of the coordinates (J, the flip) turns P's Cholesky
    factor "from the bottom" into an upper-triangular U with P = U U^T; then
    Sigma = U^{-T} U^{-1}, and L = U^{-T} is lower-triangular.
    """
    flipped = cholesky(precision.flip((-2, -1)))  # J P J = F F^T
    u_transposed = flipped.flip((-2, -1)).mT  # U^T = J F^T J, lower-triangular
    identity = eye(precision.shape[-1], dtype=precision.dtype)
    return solve_triangular(u_transposed, identity, upper=False)


class MultivariateNormal(Distribution):
    """N(loc, Sigma) over vectors, from exactly one of covariance_matrix, precision_matrix, scale_tril."""

    arg_constraints = {
        "loc": constraints.real_vector,
        "covariance_matrix": constraints.positive_definite,
        "precision_matrix": constraints.positive_definite,
        "scale_tril": constraints.lower_cholesky,
    }
    support = constraints.real_vector
    has_rsample = True

    def __init__(
        self,
        loc: Tensor,
        covariance_matrix: Tensor | None = None,
        precision_matrix: Tensor | None = None,
        scale_tril: Tensor | None = None,
        validate_args: bool | None = None,
    ) -> None:
        if not isinstance(loc, Tensor):
            raise TypeError(f"MultivariateNormal: `loc` must be a Tensor, not {type(loc).__name__}")
        if loc.ndim < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = {"covariance_matrix": covariance_matrix, "precision_matrix": precision_matrix,
                 "scale_tril": scale_tril}  # fmt: skip
        given = {name: m for name, m in given.items() if m is not None}
        if len(given) != 1:
            raise ValueError(
                "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified."
            )
        ((name, matrix),) = given.items()
        if not isinstance(matrix, Tensor):
            raise TypeError(f"MultivariateNormal: `{name}` must be a Tensor, not {type(matrix).__name__}")
        if matrix.ndim < 2:
            what = "scale_tril matrix" if name == "scale_tril" else name  # (PyTorch's wording)
            raise ValueError(
                f"{what} must be at least two-dimensional, with optional leading batch dimensions"
            )
        # NOTE: PyTorch lets a loc of another length than the matrix through, to fail later in
        # a matmul; the mismatch is reported here instead.
        if loc.shape[-1] != matrix.shape[-1]:
            raise ValueError(
                f"MultivariateNormal: loc of shape {tuple(loc.shape)} does not fit {name} of shape "
                f"{tuple(matrix.shape)}: sizes {loc.shape[-1]} and {matrix.shape[-1]} of the last dim differ"
            )
        batch_shape = broadcast_shapes(matrix.shape[:-2], loc.shape[:-1])
        setattr(self, name, matrix.expand(batch_shape + matrix.shape[-2:]))
        self.loc = loc.expand(batch_shape + loc.shape[-1:])
        super().__init__(batch_shape, self.loc.shape[-1:], validate_args=validate_args)  # (checks them)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(matrix)

    def expand(self, batch_shape: Any, _instance: Distribution | None = None) -> MultivariateNormal:
        new: Any = _instance if _instance is not None else type(self).__new__(type(self))
        batch_shape = tuple(batch_shape)
        new.loc = self.loc.expand(batch_shape + self._event_shape)
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril
        for name in _MATRICES:  # (only those already given or computed)
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(batch_shape + self._event_shape * 2))
        Distribution.__init__(new, batch_shape, self._event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    # ------------------------------------------------------------ the three matrices, from L

    def _matrix_shape(self) -> tuple[int, ...]:
        return self._batch_shape + self._event_shape * 2

    @cached_property
    def scale_tril(self) -> Tensor:
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @cached_property
    def covariance_matrix(self) -> Tensor:
        factor = self._unbroadcasted_scale_tril
        return (factor @ factor.mT).expand(self._matrix_shape())

    @cached_property
    def precision_matrix(self) -> Tensor:
        # Sigma^{-1} = L^{-T} L^{-1}, from the factor as tg.cholesky_inverse computes it
        return cholesky_inverse(self._unbroadcasted_scale_tril).expand(self._matrix_shape())

    # ------------------------------------------------------------ moments

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return (self._unbroadcasted_scale_tril**2).sum(-1).expand(self._batch_shape + self._event_shape)

    # ------------------------------------------------------------ sampling and densities

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        eps = default_generator().standard_normal(self._extended_shape(sample_shape))
        eps_t = Tensor(eps.astype(self.loc.dtype)).unsqueeze(-1)  # (..., n, 1): columns for L @
        return self.loc + (self._unbroadcasted_scale_tril @ eps_t).squeeze(-1)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        factor, n = self._unbroadcasted_scale_tril, self._event_shape[0]
        distance = mahalanobis(factor, value - self.loc)
        return -0.5 * (n * math.log(2 * math.pi) + distance) - half_log_det(factor)

    def entropy(self) -> Tensor:
        n = self._event_shape[0]
        entropy = 0.5 * n * (1.0 + math.log(2 * math.pi)) + half_log_det(self._unbroadcasted_scale_tril)
        return entropy.expand(self._batch_shape)
