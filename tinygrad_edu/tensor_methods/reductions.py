"""A Tensor's reductions: sum, mean, max, var, prod, softmax, cumsum, all, argmax, cov, ...

Each reduces all elements, or those along `dim`, into ops/reduce.py,
ops/softmax.py, ops/cumulative.py, ops/statistics.py or ops/covariance.py;
`max(dim)` and `min(dim)` give (values, indices) by ops/sorting.py. As PyTorch
does, they take NumPy's names `axis=` and `keepdims=` too (`_dim` and `_keep`
below pick the one given).
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..ops import covariance, cumulative, histogram, movement, reduce, softmax, sorting, statistics
    from ..tensor import Tensor


class ReductionMethods:
    """Reductions: `x.sum(1)`, `x.max()`, `x.softmax(-1)`, `x.cumsum(0)`, `x.argmax()`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    # `axis=` and `keepdims=` are NumPy's names for `dim` and `keepdim`, which PyTorch's
    # reductions accept too (give one of each pair)
    def sum(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.sum(self, _dim(dim, axis, "sum"), _keep(keepdim, keepdims, "sum"), dtype)

    def mean(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.mean(self, _dim(dim, axis, "mean"), _keep(keepdim, keepdims, "mean"), dtype)

    def max(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
        other: Tensor | None = None,
    ) -> Any:
        """As PyTorch: max() or max(dims) the values, max(int dim) (values, indices), max(x) elementwise."""
        dim, keepdim = _dim(dim, axis, "max"), _keep(keepdim, keepdims, "max")
        if other is not None:  # (max(other=x): the elementwise form by its keyword)
            if dim is not None or keepdim:
                raise TypeError(
                    "max(other=...) is elementwise: dim and keepdim belong to max(dim), a reduction"
                )
            return self.maximum(other)
        if isinstance(dim, Tensor):
            if keepdim:
                raise TypeError("max(other) is elementwise: keepdim belongs to max(dim), a reduction")
            return self.maximum(dim)
        if isinstance(dim, (int, np.integer)):
            return sorting.max_along(self, dim, keepdim, largest=True)
        return reduce.amax(self, dim, keepdim)

    def min(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
        other: Tensor | None = None,
    ) -> Any:
        """As PyTorch: min() or min(dims) the values, min(int dim) (values, indices), min(x) elementwise."""
        dim, keepdim = _dim(dim, axis, "min"), _keep(keepdim, keepdims, "min")
        if other is not None:  # (min(other=x): the elementwise form by its keyword)
            if dim is not None or keepdim:
                raise TypeError(
                    "min(other=...) is elementwise: dim and keepdim belong to min(dim), a reduction"
                )
            return self.minimum(other)
        if isinstance(dim, Tensor):
            if keepdim:
                raise TypeError("min(other) is elementwise: keepdim belongs to min(dim), a reduction")
            return self.minimum(dim)
        if isinstance(dim, (int, np.integer)):
            return sorting.max_along(self, dim, keepdim, largest=False)
        return reduce.amin(self, dim, keepdim)

    def amax(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.amax(self, _dim(dim, axis, "amax"), _keep(keepdim, keepdims, "amax"))

    def amin(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.amin(self, _dim(dim, axis, "amin"), _keep(keepdim, keepdims, "amin"))

    def var(
        self: Tensor,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: int | None = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.var(
            self, _dim(dim, axis, "var"), unbiased, _keep(keepdim, keepdims, "var"), correction=correction
        )

    def std(
        self: Tensor,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: int | None = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.std(
            self, _dim(dim, axis, "std"), unbiased, _keep(keepdim, keepdims, "std"), correction=correction
        )

    def prod(
        self: Tensor,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.prod(self, _dim(dim, axis, "prod"), _keep(keepdim, keepdims, "prod"), dtype)

    def cumsum(self: Tensor, dim: int | None = None, *, dtype: Any = None, axis: Any = None) -> Tensor:
        return reduce.cumsum(self, _dim(dim, axis, "cumsum", required=True), dtype)

    # running products, maxima and log-sum-exps, and differences (ops/cumulative.py)

    def cumprod(self: Tensor, dim: int | None = None, *, dtype: Any = None, axis: Any = None) -> Tensor:
        return cumulative.cumprod(self, _dim(dim, axis, "cumprod", required=True), dtype)

    def cummax(self: Tensor, dim: int | None = None, *, axis: Any = None) -> Any:
        """(values, indices) of the running max along dim; the gradient goes to the element taken."""
        return cumulative.cummax(self, _dim(dim, axis, "cummax", required=True), largest=True)

    def cummin(self: Tensor, dim: int | None = None, *, axis: Any = None) -> Any:
        """(values, indices) of the running min along dim; the gradient goes to the element taken."""
        return cumulative.cummax(self, _dim(dim, axis, "cummin", required=True), largest=False)

    def logcumsumexp(self: Tensor, dim: int | None = None, *, axis: Any = None) -> Tensor:
        """log(cumsum(exp(self))) along dim, without overflow."""
        return cumulative.logcumsumexp(self, _dim(dim, axis, "logcumsumexp", required=True))

    def diff(
        self: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None, append: Tensor | None = None
    ) -> Tensor:
        """The n-th difference along dim (self[1:] - self[:-1], n times), prepend and append joined first."""
        return cumulative.diff(self, n, dim, prepend, append)

    # summaries (ops/statistics.py)

    def nansum(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """The sum of the elements that are not nan."""
        return statistics.nansum(self, _dim(dim, axis, "nansum"), _keep(keepdim, keepdims, "nansum"), dtype)

    def nanmean(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """The mean of the elements that are not nan."""
        return statistics.nanmean(
            self, _dim(dim, axis, "nanmean"), _keep(keepdim, keepdims, "nanmean"), dtype
        )

    def count_nonzero(self: Tensor, dim: int | tuple | None = None, *, axis: Any = None) -> Tensor:
        """The number of nonzero elements (along dims), as int64; no gradient."""
        return statistics.count_nonzero(self, _dim(dim, axis, "count_nonzero"))

    def aminmax(self: Tensor, *, dim: int | None = None, keepdim: bool = False, axis: Any = None) -> Any:
        """(min, max) over all elements, or along one dim, as amin and amax give them."""
        return statistics.aminmax(self, _dim(dim, axis, "aminmax"), keepdim)

    def kthvalue(self: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        """(values, indices) of the k-th smallest element along dim, counting k from 1."""
        return statistics.kthvalue(self, k, dim, keepdim)

    def bincount(self: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
        """How often each of 0, 1, ..., max(self) occurs in this 1-d integer tensor (or its weights' sums)."""
        return statistics.bincount(self, weights, minlength)

    def histc(self: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
        """The counts of a histogram of `bins` equal bins from min to max (the data's range if equal)."""
        return statistics.histc(self, bins, min, max)

    def cov(
        self: Tensor, *, correction: int = 1, fweights: Tensor | None = None, aweights: Tensor | None = None
    ) -> Tensor:
        """The covariance matrix of the variables (rows) of self (V, N) -> (V, V) (ops/covariance.py)."""
        return covariance.cov(self, correction=correction, fweights=fweights, aweights=aweights)

    def corrcoef(self: Tensor) -> Tensor:
        """The Pearson correlation matrix of the variables (rows) of self (V, N) -> (V, V)."""
        return covariance.corrcoef(self)

    # norms, log-sum-exp and softmax (ops/reduce.py, ops/softmax.py), and the reductions to bools and indices

    def norm(
        self: Tensor,
        p: float | str = "fro",
        dim: int | tuple | None = None,
        keepdim: bool = False,
        dtype: Any = None,
    ) -> Tensor:
        return reduce.norm(self, p, dim, keepdim, dtype)

    def logsumexp(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return softmax.logsumexp(self, _dim(dim, axis, "logsumexp"), _keep(keepdim, keepdims, "logsumexp"))

    def softmax(self: Tensor, dim: int | None = None, dtype: Any = None, *, axis: Any = None) -> Tensor:
        """exp(x_i) / sum_j exp(x_j) along dim (self cast to `dtype` first, if given)."""
        x = self if dtype is None else self.to(dtype)
        return softmax.softmax(x, _dim(dim, axis, "softmax", required=True))

    def log_softmax(self: Tensor, dim: int | None = None, dtype: Any = None, *, axis: Any = None) -> Tensor:
        """x_i - log sum_j exp(x_j) along dim (self cast to `dtype` first, if given)."""
        x = self if dtype is None else self.to(dtype)
        return softmax.log_softmax(x, _dim(dim, axis, "log_softmax", required=True))

    def all(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """True where every element (along dims) is nonzero; a bool tensor (uint8 for uint8), no gradient."""
        return _logical(np.all, self, _dim(dim, axis, "all"), _keep(keepdim, keepdims, "all"))

    def any(
        self: Tensor,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """True where some element (along dims) is nonzero; a bool tensor (uint8 for uint8), no gradient."""
        return _logical(np.any, self, _dim(dim, axis, "any"), _keep(keepdim, keepdims, "any"))

    def argmax(
        self: Tensor,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        axis: int | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return _arg(np.argmax, self, _dim(dim, axis, "argmax"), _keep(keepdim, keepdims, "argmax"))

    def argmin(
        self: Tensor,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        axis: int | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return _arg(np.argmin, self, _dim(dim, axis, "argmin"), _keep(keepdim, keepdims, "argmin"))

    def histogram(
        self: Tensor, bins: Any = 100, *, range: Any = None, weight: Any = None, density: bool = False
    ) -> Any:
        return histogram.histogram(self, bins, range=range, weight=weight, density=density)


def _dim(dim: Any, axis: Any, op: str, required: bool = False) -> Any:
    """The dims a reduction was given, as `dim` or as `axis` (NumPy's name, which PyTorch accepts)."""
    if axis is None:
        if dim is None and required:
            raise TypeError(f"{op}() missing required argument 'dim' (or its other name, axis)")
        return dim
    if dim is not None:
        raise TypeError(f"{op}() got both dim and axis, two names for one argument: give one")
    return axis


def _keep(keepdim: bool, keepdims: bool | None, op: str) -> bool:
    """`keepdim`, or `keepdims` (NumPy's name, which PyTorch accepts too)."""
    if keepdims is None:
        return keepdim
    if keepdim:
        raise TypeError(f"{op}() got both keepdim and keepdims, two names for one argument: give one")
    return keepdims


def _logical(test: Callable, x: Tensor, dim: int | tuple | None, keepdim: bool) -> Tensor:
    # dim=() tests each element on its own, as in PyTorch (where sum(dim=()) still sums all)
    axes = () if isinstance(dim, (tuple, list)) and not dim else reduce.normalize_dims(dim, x.ndim)
    result = np.asarray(test(x.data, axis=axes, keepdims=keepdim))
    # a uint8 tensor answers in uint8 (0 or 1), PyTorch's rule from before it had bool
    return Tensor._wrap(result.astype(np.uint8) if x.data.dtype == np.uint8 else result)


def _arg(pick: Callable, x: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    if x.data.dtype == np.bool_:  # (PyTorch's refusal: which True comes first is no ordering question)
        raise RuntimeError(f"{pick.__name__}(): does not support bool input")
    if x.data.size == 0 and (dim is None or x.shape[movement.normalize_dim(dim, x.ndim)] == 0):
        where = "dim to be specified" if dim is None else f"dim {dim} to have non-zero size"
        raise IndexError(
            f"{pick.__name__}(): Expected reduction {where} for an empty tensor (shape {x.shape})"
        )
    if dim is None:  # the index into the flattened tensor
        index = np.asarray(pick(x.data))
        return Tensor._wrap(index.reshape((1,) * x.ndim) if keepdim else index)
    d = movement.normalize_dim(dim, x.ndim)
    return Tensor._wrap(np.asarray(pick(x.data, axis=d, keepdims=keepdim)))


def finish_imports() -> None:
    """Import what needs Tensor to exist: tensor.py calls this once the class is made."""
    global histogram
    from ..ops import histogram

    global covariance, cumulative, movement, reduce, softmax, sorting, statistics, Tensor
    from ..ops import covariance, cumulative, movement, reduce, softmax, sorting, statistics
    from ..tensor import Tensor
