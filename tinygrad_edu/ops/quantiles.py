"""Order statistics: quantile and nanquantile, nanmedian, mode.

A q-quantile of n sorted values s_0 <= ... <= s_(n-1) sits at the
fractional rank r = q (n - 1). Between the two neighbours below = floor(r)
and above = ceil(r), the `interpolation` decides:

    linear    s_below + (r - below) (s_above - s_below)
    midpoint  (s_below + s_above) / 2
    lower     s_below          higher   s_above
    nearest   s_round(r)  (a half rounds to the even rank, as torch.round)

Everything is composed of sort, gather and lerp, so gradients come free:
dL/ds goes to the one or two sorted values used, weighted 1 - w and w, and
from there to the elements they came from; the linear rule also sends
(s_above - s_below) (n - 1) to q. nan sorts last: `quantile` of a slice
holding a nan is nan, `nanquantile` leaves the nans out (n counts the
others).
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Node
from ..tensor import Tensor
from . import elementwise
from .movement import normalize_dim
from .reduce import Median, lower_median
from .selection import _check_int
from .sorting import ValuesIndices, _itself, _picked, refuse_bool, sort

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def quantile(
    input: Tensor,
    q: float | Tensor,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    interpolation: str = "linear",
) -> Tensor:
    """The q-th quantiles of input (all elements, or along dim), q in [0, 1].

    Shapes: a number (or 0-d) q gives input's shape less dim (all dims
    with dim=None); a 1-d q of m values puts a new first dim of size m in
    front. keepdim keeps the reduced dim(s) with size 1.
    """
    return _quantile(input, q, dim, keepdim, interpolation, ignore_nan=False)


def nanquantile(
    input: Tensor,
    q: float | Tensor,
    dim: int | None = None,
    keepdim: bool = False,
    *,
    interpolation: str = "linear",
) -> Tensor:
    """`quantile` of the values that are not nan (nan where every value is)."""
    return _quantile(input, q, dim, keepdim, interpolation, ignore_nan=True)


def _check_quantile_args(input: Tensor, q: float | Tensor, interpolation: str) -> None:
    if input.data.dtype not in (np.float32, np.float64):
        raise RuntimeError(f"quantile() input tensor must be either float or double dtype, got {input.dtype}")
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"quantile() q must be a scalar or 1D tensor, got shape {q.shape}")
        if q.dtype != input.dtype:
            raise RuntimeError(
                f"quantile() q tensor must be same dtype as the input tensor ({q.dtype} and {input.dtype})"
            )
    if input.numel() == 0:
        raise RuntimeError(f"quantile() input tensor must be non-empty (shape {input.shape})")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(
            "quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got "
            f"{interpolation}"
        )
    if isinstance(q, Tensor):
        if not np.all((q.data >= 0) & (q.data <= 1)):  # (nan fails)
            raise RuntimeError("quantile() q values must be in the range [0, 1]")
    elif not 0 <= q <= 1:
        raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {q}")


def _quantile(
    input: Tensor, q: float | Tensor, dim: int | None, keepdim: bool, interpolation: str, ignore_nan: bool
) -> Tensor:
    _check_quantile_args(input, q, interpolation)
    # the reduced values along the last dim: s (..., n), sorted
    x = input.reshape(-1) if dim is None else input.reshape(1) if input.ndim == 0 else input
    d = 0 if dim is None else normalize_dim(dim, input.ndim)
    s = sort(x.movedim(d, -1), -1).values
    n = s.shape[-1]
    qs = q if isinstance(q, Tensor) else Tensor._wrap(np.asarray(q, dtype=input.dtype))
    m = qs.numel()
    qs = qs.reshape(m, *([1] * s.ndim))  # (m, 1, ..., 1): one q per leading slot
    nan = np.isnan(s.data)
    if ignore_nan:
        count = n - nan.sum(-1, keepdims=True)
        last = count == 0  # all nan: the rank of a nan, which gives nan
    else:
        count = np.full(s.shape[:-1] + (1,), n)
        last = nan.any(-1, keepdims=True)  # some nan: the last rank, which holds a nan
    ranks = elementwise.where(Tensor._wrap(last), float(n - 1), qs * (count - 1).astype(input.dtype))
    s_each = s.unsqueeze(0).expand(m, *s.shape)  # (m, ..., n)
    out = _interpolate(s_each, ranks, interpolation).squeeze(-1)  # (m, ...)
    if keepdim:
        out = out.reshape(m, *([1] * input.ndim)) if dim is None else out.unsqueeze(1 + d)
    return out if isinstance(q, Tensor) and q.ndim == 1 else out.squeeze(0)


def _interpolate(s: Tensor, ranks: Tensor, interpolation: str) -> Tensor:
    """The value at fractional `ranks` (..., 1) of sorted values s (..., n), by the interpolation's rule."""
    r = ranks.data
    if interpolation in ("lower", "higher", "nearest"):
        rounded = (
            np.floor(r)
            if interpolation == "lower"
            else np.ceil(r)
            if interpolation == "higher"
            else np.round(r)
        )
        return s.gather(-1, Tensor._wrap(rounded.astype(np.int64)))
    below, above = np.floor(r).astype(np.int64), np.ceil(r).astype(np.int64)
    low, high = s.gather(-1, Tensor._wrap(below)), s.gather(-1, Tensor._wrap(above))
    weight = ranks - Tensor._wrap(below.astype(r.dtype)) if interpolation == "linear" else 0.5
    return low.lerp(high, weight)


class NanMedian(Median):
    """y = the lower median of the elements of x that are not nan (nan if every one is);
    dL/dx = dL/dy shared evenly among the elements equal to y (Median's backward, as PyTorch's)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        flat = x.reshape(-1)
        y = lower_median(flat[~np.isnan(flat)] if x.dtype.kind == "f" else flat)
        ctx.save_for_backward(x, y)
        return y


def nanmedian(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor | ValuesIndices:
    """The lower median of the values that are not nan: of k of them, the ((k - 1) // 2)-th smallest.

    Without dim, a 0-d tensor (nan when every value is nan or there is
    none); with dim, (values, indices) along it. Ties go by position, as in
    `median`: the value that a stable sort puts in the middle place. A slice
    of nans only gives nan, at its first position. Gradient: to the element
    picked; without dim, shared among the elements equal to the median.
    """
    if dim is None:
        if keepdim:
            raise TypeError('nanmedian() missing 1 required positional arguments: "dim" (keepdim needs one)')
        refuse_bool(input, "nanmedian")
        if input.numel() == 0:
            return Tensor._wrap(np.array(np.nan, dtype=input.dtype))
        return NanMedian._apply1(input)
    return nanmedian_along(input, dim, keepdim)


def nanmedian_along(x: Tensor, dim: int, keepdim: bool) -> ValuesIndices:
    """(values, indices) of the lower median of the non-nan values along one dim."""
    _check_int(dim, "dim", "nanmedian")
    d = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        return _itself(x)
    refuse_bool(x, "nanmedian")
    if x.shape[d] == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size (shape {x.shape})")
    order = np.argsort(x.data, axis=d, kind="stable")  # nans last, in order of position
    if x.data.dtype.kind == "f":
        count = (~np.isnan(x.data)).sum(d, keepdims=True)
    else:
        count = np.full(x.shape[:d] + (1,) + x.shape[d + 1 :], x.shape[d])
    middle = np.maximum(count - 1, 0) // 2  # (0 for a slice of nans: its first nan)
    values, indices = _picked(x, np.take_along_axis(order, middle, d), d)
    return ValuesIndices(values, indices) if keepdim else ValuesIndices(values.squeeze(d), indices.squeeze(d))


def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> ValuesIndices:
    """(values, indices) of the most frequent value along dim.

    NOTE: PyTorch's tie rules: of values that occur equally often, the
    smallest wins, and the index is that of its last occurrence. Found by
    runs of a stable sort: each run is one value, and its length is the
    count. nan is never equal to nan, so each nan counts once. Gradient: to
    the element at the index.
    """
    _check_int(dim, "dim", "mode")
    d = normalize_dim(dim, input.ndim)
    if input.ndim == 0:
        return _itself(input)
    n = input.shape[d]
    if n == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size (shape {input.shape})")
    order = np.argsort(input.data, axis=d, kind="stable")
    s = np.moveaxis(np.take_along_axis(input.data, order, d), d, -1)  # (..., n), sorted
    changes = s[..., 1:] != s[..., :-1]  # a new run starts after position j
    j = np.arange(n)
    edge = np.ones(s.shape[:-1] + (1,), dtype=bool)
    is_start, is_end = np.concatenate([edge, changes], -1), np.concatenate([changes, edge], -1)
    starts = np.maximum.accumulate(np.where(is_start, j, 0), axis=-1)  # where each run starts ...
    ends = np.flip(
        np.minimum.accumulate(np.flip(np.where(is_end, j, n - 1), -1), axis=-1), -1
    )  # ... and ends
    best = np.argmax(ends - starts, -1)[..., None]  # the first longest run: the smallest value
    last = np.moveaxis(np.take_along_axis(ends, best, -1), -1, d)
    values, indices = _picked(input, np.take_along_axis(order, last, d), d)
    return ValuesIndices(values, indices) if keepdim else ValuesIndices(values.squeeze(d), indices.squeeze(d))
