"""Sorting, searching and order statistics of a Tensor: sort, topk, median, quantile, unique, nonzero, ...

Into ops/sorting.py (sort, argsort, topk, median along a dim),
ops/searching.py (msort, take_along_dim, argwhere), ops/quantiles.py
(quantile, nanmedian, mode) and ops/unique.py. Indices come back as int64
tensors, which carry no gradient.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..ops import quantiles, reduce, searching, sorting, unique
    from ..tensor import Tensor


class SearchingMethods:
    """Sorting and searching: `x.sort()`, `x.topk(3)`, `x.median()`, `x.unique()`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    def sort(self: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
        """(values, indices) along dim."""
        return sorting.sort(self, dim, descending, stable)

    def argsort(self: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        return sorting.argsort(self, dim, descending, stable)

    def topk(self: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
        """(values, indices) of the k largest (or smallest) along dim."""
        return sorting.topk(self, k, dim, largest, sorted)

    def take_along_dim(self: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
        """self's elements at `indices` along dim (the other dims broadcast); flattened without dim."""
        return searching.take_along_dim(self, indices, dim)

    def argwhere(self: Tensor) -> Tensor:
        """The indices of the nonzero elements, one row each (as nonzero())."""
        return searching.argwhere(self)

    def msort(self: Tensor) -> Tensor:
        """self sorted along its first dim."""
        return searching.msort(self)

    def quantile(
        self: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear"
    ) -> Tensor:
        """The q-th quantiles (q a number or a 1-d tensor in [0, 1]) of all elements or along dim."""
        return quantiles.quantile(self, q, dim, keepdim, interpolation=interpolation)

    def nanquantile(
        self: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear"
    ) -> Tensor:
        """quantile of the values that are not nan."""
        return quantiles.nanquantile(self, q, dim, keepdim, interpolation=interpolation)

    def nanmedian(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
        """The lower median of the non-nan values; with dim, (values, indices) along it."""
        return quantiles.nanmedian(self, dim, keepdim)

    def mode(self: Tensor, dim: int = -1, keepdim: bool = False) -> Any:
        """(values, indices) of the most frequent value along dim (ties: the smallest value, last place)."""
        return quantiles.mode(self, dim, keepdim)

    def median(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
        """median() the lower median of all elements; median(dim) (values, indices) along dim.

        Of an even count the lower of the two middle values is taken (their
        mean would be a value x does not hold). For ties see sorting.median_along.
        """
        if dim is None:
            if keepdim:
                raise TypeError("median() missing the required argument 'dim' (keepdim needs one)")
            return reduce.median(self)
        return sorting.median_along(self, dim, keepdim)

    def unique(
        self: Tensor,
        sorted: bool = True,
        return_inverse: bool = False,
        return_counts: bool = False,
        dim: int | None = None,
    ) -> Any:
        """The distinct values, ascending; and, if asked, the inverse indices and counts (no gradient)."""
        return unique.unique(self, sorted, return_inverse, return_counts, dim)

    def unique_consecutive(
        self: Tensor, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None
    ) -> Any:
        """The first element of each run of equal neighbours; and, if asked, inverse indices and counts."""
        return unique.unique_consecutive(self, return_inverse, return_counts, dim)

    def nonzero(self: Tensor, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
        """The indices of the non-zero elements, in row-major order (no gradient).

        An int64 tensor of shape (N, ndim), one row per element; with
        ``as_tuple=True``, one 1-D tensor per dim instead, which indexes them:
        ``t[t.nonzero(as_tuple=True)]`` are the N elements themselves.
        """
        if as_tuple:  # (a 0-d tensor counts as 1-d here, as in PyTorch)
            return tuple(Tensor._wrap(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(self.data)))
        return Tensor._wrap(np.argwhere(self.data).astype(np.int64))


def finish_imports() -> None:
    """Import what needs Tensor to exist: tensor.py calls this once the class is made."""
    global quantiles, reduce, searching, sorting, unique, Tensor
    from ..ops import quantiles, reduce, searching, sorting, unique
    from ..tensor import Tensor
