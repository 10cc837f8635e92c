"""Reducing values into chosen places of a tensor: scatter_reduce and index_reduce.

scatter_add adds src's elements into the places that index names; these two
combine them with any of five reductions instead. For dim 0 (other dims alike):

    y[index[i][j]][j] = reduce(x[index[i][j]][j], src[i][j], src[i'][j], ...)

over every element of src sent to that place, with x's own value taking part
only when include_self=True. Places nothing is sent to keep x's value.
index_reduce is the same with whole slices: source[..., i, ...] goes to
slice index[i] along dim (its index is spread over source's shape).

The forward pass is one NumPy "unbuffered" ufunc call (np.maximum.at, ...),
which, unlike ``out[places] = ...``, combines every value sent to a place.
The gradients, for y = scatter_reduce(x, src) and upstream gradient g:

    sum:   dL/dx = g;              dL/dsrc = g[places]
    mean:  dL/dx = g / n;          dL/dsrc = (g / n)[places]   (n values met at the place)
    prod:  dL/dx = g * y / x;      dL/dsrc = (g * y)[places] / src
           (taken apart so that a zero factor gets the product of the others)
    amax, amin: g is split evenly among the values equal to the result there
           (x's own value counts even with include_self=False, as in PyTorch)

and with include_self=False, dL/dx is 0 at every place something was sent to.
Each backward is written with Tensor ops, so it can be differentiated again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function, Node
from ..autograd.grad_mode import is_recording
from ..tensor import Tensor
from .elementwise import where
from .movement import Index, normalize_dim
from .selection import _along, _check_index_and_source, _check_scatter, _check_source_shape

_REDUCES = ("sum", "prod", "mean", "amax", "amin")
_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}


def _identity(reduce: str, dtype: np.dtype) -> Any:
    """The value that leaves a place as the reduction of what is sent there alone."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    if dtype.kind == "b":
        return reduce == "amin"
    info = np.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


def _counts(places: tuple, shape: tuple[int, ...], values: Any = 1) -> np.ndarray:
    """How many values `places` sends to each place of an array of `shape` (or the sum of `values`)."""
    count = np.zeros(shape, dtype=np.int64)
    np.add.at(count, places, values)
    return count


class ScatterReduce(Function):
    """y = x with src's elements reduced into x at `places` (an advanced index into x); see the module."""

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, src: np.ndarray, places: tuple, reduce: str, include_self: bool
    ) -> np.ndarray:
        ctx.places, ctx.reduce, ctx.include_self = places, reduce, include_self
        out = x.copy()
        if not include_self:
            out[places] = _identity(reduce, x.dtype)  # x's value takes no part where values arrive
        _UFUNCS[reduce].at(out, places, src)
        if reduce == "mean":
            count = _counts(places, x.shape) + include_self
            count[count == 0] = 1  # (places nothing reached keep x's value)
            # integer tensors round down, as PyTorch's floor division does
            out = out // count if x.dtype.kind in "iu" else (out / count).astype(x.dtype)
            ctx.count = count
        if reduce in ("prod", "amax", "amin"):
            ctx.save_for_backward(x, src, out)
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None, None, None, None]:
        need_x, need_src = ctx.needs_input_grad[:2]
        places, reduce = ctx.places, ctx.reduce
        gx: Tensor | None
        gsrc: Tensor | None
        if reduce == "sum":
            gx, gsrc = grad, Index._apply1(grad, places)
        elif reduce == "mean":
            gx = grad / Tensor._wrap(ctx.count.astype(grad.dtype))
            gsrc = Index._apply1(gx, places)
        elif reduce == "prod":
            gx, gsrc = _prod_grads(ctx, grad, need_x, need_src)
        else:
            x, src, out = ctx.saved_tensors
            value = out.data[places]
            self_is_result = x.data == out.data
            src_is_result = src.data == value
            # how many values share the result at each place: the gradient is split among them
            ties = self_is_result.astype(grad.dtype)
            np.add.at(ties, places, src_is_result)
            share = grad / Tensor._wrap(ties)
            gx = share * self_is_result
            gsrc = Index._apply1(share, places) * src_is_result
        if gx is not None and not ctx.include_self:
            untouched = np.ones(grad.shape, dtype=bool)
            untouched[places] = False
            gx = gx * untouched
        return (gx if need_x else None), (gsrc if need_src else None), None, None, None


def _prod_grads(ctx: Node, grad: Tensor, need_x: bool, need_src: bool) -> tuple[Tensor | None, Tensor | None]:
    """prod's gradients, each factor getting the product of the others, even where some are zero.

    Dividing y by a factor fails where the factor is 0. So the zeros of x are
    set to 1 before the product (which then holds the others alone); a zero
    of src that is the only zero sent to its place is set to 1 likewise. Where
    two or more zeros meet, the product of the others is 0 for each of them.
    """
    x, src, out = ctx.saved_tensors
    places, include_self = ctx.places, ctx.include_self
    gx = gsrc = None
    if need_x:
        masked_x = x.masked_fill(Tensor._wrap(x.data == 0), 1.0)
        gx = grad * ScatterReduce.apply(masked_x, src, places, "prod", include_self) / masked_x
    if need_src:
        src_zero = src.data == 0
        zeros_there = _counts(places, x.shape, src_zero)[places]
        lone_zero = Tensor._wrap(src_zero & (zeros_there == 1))
        others = ScatterReduce.apply(x, src.masked_fill(lone_zero, 1.0), places, "prod", include_self)
        gsrc = where(
            lone_zero,
            Index._apply1(grad * others, places),
            Index._apply1(grad * out, places) / src.masked_fill(Tensor._wrap(src_zero), 1.0),
        )
        if (zeros_there > 1).any() and is_recording():  # (a graph of the gradient is being made)
            gsrc = ProdZerosDoubleBackward.apply(gsrc)
    return gx, gsrc


class ProdZerosDoubleBackward(Function):
    """y = g, prod's gradient for src where two zeros meet at a place;  its backward raises.

    The derivative of that gradient is not computed (as in PyTorch), so a
    second derivative through it is refused rather than silently wrong.
    """

    @staticmethod
    def forward(ctx: Node, g: np.ndarray) -> np.ndarray:
        return g

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> None:
        raise RuntimeError(
            "scatter_reduce(): Double backward is unsupported for src when >1 zeros in src are "
            "scattered to the same position in self"
        )


def _check_reduce(reduce: Any) -> None:
    if reduce not in _REDUCES:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")


def scatter_reduce(
    x: Tensor, dim: int, index: Any, src: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """y = x with src[i][j] reduced into y[index[i][j]][j] for dim 0 (and so on, as scatter_add).

    reduce: "sum", "prod", "mean", "amax" or "amin". index: integers in
    [0, x.shape[dim]), as many dims as x and src, no longer than src in any
    dim (src beyond index's shape is unused and gets a zero gradient).
    """
    if not isinstance(src, Tensor):
        raise TypeError(
            f"scatter_reduce(): argument 'src' (position 3) must be Tensor, not {type(src).__name__}"
        )
    _check_reduce(reduce)
    idx = np.array(index)  # a copy: a later change to the index must not move the gradient
    if 0 in (x.ndim, idx.ndim, src.ndim) and max(x.ndim, idx.ndim, src.ndim) <= 1:
        # a 0-d tensor as a one-element vector, as PyTorch takes it
        flat = scatter_reduce(
            x.reshape(-1), dim, idx.reshape(-1), src.reshape(-1), reduce, include_self=include_self
        )
        return flat.reshape(x.shape)
    d = _check_scatter("scatter_reduce", x, dim, idx, src)
    if src.shape != idx.shape:
        src = src[tuple(slice(0, n) for n in idx.shape)]
    return ScatterReduce.apply(x, src, _along(idx, d), reduce, bool(include_self))


def index_reduce(
    x: Tensor, dim: int, index: Any, source: Tensor, reduce: str, *, include_self: bool = True
) -> Tensor:
    """y = x with source[..., i, ...] reduced into slice index[i] of y along dim.

    reduce: "prod", "mean", "amax" or "amin". x: (..., n, ...);  index: (k,)
    integers in [0, n);  source: x's shape with k at dim.
    """
    if not isinstance(source, Tensor):
        raise TypeError(
            f"index_reduce(): argument 'source' (position 3) must be Tensor, not {type(source).__name__}"
        )
    if reduce not in _REDUCES[1:]:
        raise RuntimeError(
            f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}."
        )
    idx = np.array(index)
    d = normalize_dim(dim, x.ndim)
    _check_index_reduce(x, d, idx, source)
    if x.ndim == 0:  # a 0-d self (with a 0-d source) as a one-element vector
        flat = index_reduce(
            x.reshape(1), 0, idx.reshape(1), source.reshape(1), reduce, include_self=include_self
        )
        return flat.reshape(())
    # the index spread over source's shape: element (..., i, ...) of source goes to slice index[i]
    spread = np.broadcast_to(idx.reshape([-1 if e == d else 1 for e in range(x.ndim)]), source.shape)
    return ScatterReduce.apply(x, source, _along(spread, d), reduce, bool(include_self))


def _check_index_reduce(x: Tensor, d: int, idx: np.ndarray, source: Tensor) -> None:
    """Refuse what PyTorch refuses, with its exception types (as index_add, but no count check for 0-d)."""
    _check_index_and_source(x, idx, source, "index_reduce_")
    if source.ndim == x.ndim > 0 and idx.size != source.shape[d]:
        raise RuntimeError(
            f"index_reduce_(): Number of indices ({idx.size}) should be equal to source.size(dim): "
            f"({source.shape[d]}), for dim: {d}"
        )
    _check_source_shape(x, d, source, "index_reduce_")
    size = x.shape[d] if x.ndim else 1
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise IndexError(
            f"index_reduce_(): index out of range in self: index {idx[bad][0]} is out of bounds for "
            f"dimension {d} with size {size}"
        )
