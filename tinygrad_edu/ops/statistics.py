"""Summaries of a tensor's values: sums and means that skip nan, a variance or standard
deviation with its mean, the min and max at once, the k-th smallest, and counts
(of nonzero elements, of each integer, of the values in each bin of a histogram).

`NanSum` is the one new Function:

    nansum   y = sum of the x that are not nan     dL/dx = dL/dy, and 0 at the nans
    nanmean  y = nansum / (count of non-nan x)     dL/dx = dL/dy / count, and 0 at the nans

The rest are composed: var_mean and aminmax from var, mean, amin and amax
(ops/reduce.py), kthvalue by sorting and indexing as ops/sorting.py does.
The counts (count_nonzero, bincount, histc) are integers or histograms with
no gradient.
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import TYPE_CHECKING, Any

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor
from . import reduce
from .more_math import quiet
from .movement import Expand, normalize_dim
from .selection import _check_int
from .sorting import ValuesIndices, _argsort, _itself, _picked, refuse_bool

if TYPE_CHECKING:
    from numpy.typing import DTypeLike

# PyTorch's (min, max) result of aminmax
MinMax = namedtuple("MinMax", ["min", "max"])


# ---------------------------------------------------------------- sums and means that skip nan


class NanSum(Function):
    """y = the sum over dims of the elements of x that are not nan (with mean=True, divided by their
    count);  dL/dx = dL/dy spread back over the summed dims (divided by the count), times 0 at the nans

    NOTE: times 0, as in PyTorch, not 0 outright: the mean of a slice of nans
    only is 0/0 = nan, and so is its gradient (inf * 0).
    """

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...], keepdim: bool, mean: bool) -> np.ndarray:
        keep = ~np.isnan(x) if x.dtype.kind == "f" else np.ones(x.shape, dtype=bool)
        # (integers and bools add up as int64, as in PyTorch: NumPy would keep uint8 unsigned)
        total = np.asarray(
            np.nansum(x, axis=dims, keepdims=True, dtype=np.int64 if x.dtype.kind in "biu" else None)
        )
        count = keep.sum(axis=dims, keepdims=True).astype(x.dtype) if mean else None
        ctx.shape, ctx.kept, ctx.keep, ctx.count = x.shape, total.shape, keep, count
        y = total if count is None else total / count
        return y if keepdim else y.reshape([n for d, n in enumerate(x.shape) if d not in dims])

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None]:
        per_slice = grad.reshape(ctx.kept)
        if ctx.count is not None:
            per_slice = per_slice / Tensor._wrap(ctx.count)
        keep = Tensor._wrap(ctx.keep.astype(grad.dtype))
        return Expand._apply1(per_slice, ctx.shape) * keep, None, None, None


def nansum(
    x: Tensor, dim: int | tuple | None = None, keepdim: bool = False, dtype: DTypeLike | None = None
) -> Tensor:
    """The sum of the elements that are not nan (0 for none); integers sum as int64, as sum's."""
    x = reduce._in_dtype(x, dtype, "nansum")
    out = NanSum._apply1(x, reduce.normalize_dims(dim, x.ndim), keepdim, False)
    return out if dtype is None else out.to(dtype)


def nanmean(
    x: Tensor, dim: int | tuple | None = None, keepdim: bool = False, dtype: DTypeLike | None = None
) -> Tensor:
    """The mean of the elements that are not nan (nan where all are); for float tensors only."""
    if x.data.dtype.kind != "f":
        raise RuntimeError(f"nanmean(): expected input to have floating point dtype but got {x.dtype}")
    if dtype is not None and np.dtype(dtype).kind != "f":
        raise RuntimeError(f"nanmean(): dtype must be a floating point dtype, got {np.dtype(dtype)}")
    x = reduce._in_dtype(x, dtype, "nanmean")
    return NanSum._apply1(x, reduce.normalize_dims(dim, x.ndim), keepdim, True)


# ---------------------------------------------------------------- two statistics at once


def var_mean(
    input: Tensor,
    dim: Any = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> tuple[Tensor, Tensor]:
    """(var, mean), with var's arguments: var(False) form, unbiased or correction, and so on."""
    _check_float(input, "var_mean")
    mean_dim = None if isinstance(dim, bool) else dim  # (var_mean(x, False): unbiased, not a dim)
    return reduce.var(input, dim, unbiased, keepdim, correction=correction), reduce.mean(
        input, mean_dim, keepdim
    )


def std_mean(
    input: Tensor,
    dim: Any = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> tuple[Tensor, Tensor]:
    """(std, mean), with std's arguments."""
    _check_float(input, "std_mean")
    mean_dim = None if isinstance(dim, bool) else dim
    return reduce.std(input, dim, unbiased, keepdim, correction=correction), reduce.mean(
        input, mean_dim, keepdim
    )


def _check_float(x: Tensor, op: str) -> None:
    if x.data.dtype.kind != "f":
        raise RuntimeError(f"{op}(): only floating point dtypes are supported, got {x.dtype}")


def aminmax(x: Tensor, dim: int | None = None, keepdim: bool = False) -> MinMax:
    """(min, max) over all elements, or along one dim; ties share the gradient, as amin's and amax's."""
    if dim is None:
        if x.data.size == 0:
            raise RuntimeError(
                f"aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
                f"identity (shape {x.shape})"
            )
        dims: int | None = None
    else:
        _check_int(dim, "dim", "aminmax")
        dims = normalize_dim(dim, x.ndim)
        if x.ndim and x.shape[dims] == 0:
            raise IndexError(
                f"aminmax(): Expected reduction dim {dims} to have non-zero size (shape {x.shape})"
            )
    return MinMax(reduce.amin(x, dims, keepdim), reduce.amax(x, dims, keepdim))


# ---------------------------------------------------------------- the k-th smallest


def kthvalue(x: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> ValuesIndices:
    """(values, indices) of the k-th smallest element along dim (k from 1); the gradient goes to it.

    NOTE: nan counts as larger than every number. Among equal elements this
    takes the one a stable sort puts k-th; PyTorch's quickselect may pick
    another of them (it does not say which), with the same value.
    """
    _check_int(k, "k", "kthvalue")
    _check_int(dim, "dim", "kthvalue")
    d = normalize_dim(dim, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if n == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size (shape {x.shape})")
    if not 1 <= k <= n:
        raise RuntimeError(
            f"kthvalue(): selected number k out of range for dimension {d} (k={k}, size {n}, shape {x.shape})"
        )
    refuse_bool(x, "kthvalue")
    if x.ndim == 0:
        return _itself(x)
    values, indices = _picked(x, np.take(_argsort(x, d, descending=False), [k - 1], axis=d), d)
    if not keepdim:
        values, indices = values.squeeze(d), indices.squeeze(d)
    return ValuesIndices(values, indices)


# ---------------------------------------------------------------- counts (no gradient)


def count_nonzero(x: Tensor, dim: int | tuple | list | None = None) -> Tensor:
    """The number of nonzero elements (along dims, if given) as int64; nan counts as nonzero."""
    dims = reduce.normalize_dims(dim, x.ndim)
    return Tensor._wrap(np.asarray(np.count_nonzero(x.data, axis=dims), dtype=np.int64))


def bincount(x: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each integer 0, 1, ..., max(x) occurs in x (at least minlength counts).

    With weights (one per element of x), their sums instead: float32 or
    float64 weights keep their dtype, any other dtype gives float64, as in
    PyTorch. An empty x gives minlength int64 zeros, even with weights.
    """
    _check_int(minlength, "minlength", "bincount")
    if weights is not None and not isinstance(weights, Tensor):
        raise TypeError(
            f"bincount(): argument 'weights' (position 1) must be Tensor, not {type(weights).__name__}"
        )
    if x.data.dtype.kind not in "iu":
        raise NotImplementedError(f"bincount(): not implemented for {x.dtype} tensors (it counts integers)")
    if x.ndim != 1 or (x.data < 0).any():
        raise RuntimeError(f"bincount(): only supports 1-d non-negative integral inputs, got shape {x.shape}")
    if minlength < 0:
        raise RuntimeError(f"bincount(): minlength should be >= 0, got {minlength}")
    if weights is not None and weights.shape != x.shape:
        raise RuntimeError(
            f"bincount(): weights should be 1-d and have the same length as input, got shapes "
            f"{weights.shape} and {x.shape}"
        )
    length = max(int(x.data.max()) + 1, minlength) if x.data.size else minlength
    if weights is None or x.data.size == 0:
        return Tensor._wrap(np.bincount(x.data, minlength=length).astype(np.int64))
    dtype = weights.dtype if weights.dtype in (np.float32, np.float64) else np.dtype(np.float64)
    sums = np.zeros(length, dtype=dtype)
    np.add.at(sums, x.data, weights.data.astype(dtype))  # in order and in dtype, as PyTorch adds them
    return Tensor._wrap(sums)


def histc(x: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """A histogram of x: how many elements fall in each of `bins` equal bins from min to max.

    min == max (the default) takes the range of the data, widened by 1 each
    side when it is a single value. Elements outside the range, and nan,
    are not counted; the last bin holds its right edge. The counts have x's
    dtype (float only) and no gradient, as in PyTorch.
    """
    _check_int(bins, "bins", "histc")
    if x.data.dtype.kind != "f":
        raise NotImplementedError(f"histc(): not implemented for {x.dtype} tensors (convert with .float())")
    if bins <= 0:
        raise RuntimeError(f"histc(): bins must be > 0, but got {bins}")
    data = x.data.reshape(-1)
    low, high = float(min), float(max)
    if low == high and data.size:
        low, high = float(data.min()), float(data.max())
    if low == high:
        low, high = low - 1, high + 1
    if not (math.isfinite(low) and math.isfinite(high)):
        raise RuntimeError(f"histc(): range of [{low:g}, {high:g}] is not finite")
    if not low < high:
        raise RuntimeError(f"histc(): max must be larger than min, got min={low:g} and max={high:g}")
    # the bin of each element, computed in x's dtype as PyTorch computes it
    left, right = np.asarray(low, dtype=x.dtype), np.asarray(high, dtype=x.dtype)
    inside = data[(data >= left) & (data <= right)]
    position = ((inside - left) * bins / (right - left)).astype(np.int64)
    position = np.minimum(position, bins - 1)  # (the right edge, in the last bin)
    return Tensor._wrap(np.bincount(position, minlength=bins).astype(x.dtype))
