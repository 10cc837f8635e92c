"""Reductions: sum, max and what is built from them (mean, var, logsumexp, softmax).

Only `Sum` and `Amax` are primitives. Their backward spreads the gradient of
each reduced element back over the elements it came from. Everything else
is composed from Tensor operations, so its gradient (and second derivative)
follows from the chain rule without new formulas.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor
from .movement import normalize_dim

MinMax = namedtuple("MinMax", ["values", "indices"])


def normalize_dims(dim: int | tuple | list | None, ndim: int) -> tuple[int, ...]:
    """Reduction dims as a sorted tuple of non-negative ints (None means all)."""
    if dim is None:
        return tuple(range(ndim))
    if type(dim) is int and ndim:
        return (normalize_dim(dim, ndim),)
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    result = tuple(normalize_dim(d, ndim) for d in dims)
    if len(set(result)) != len(result):
        raise RuntimeError(f"dim {dims} lists a dimension more than once")
    return tuple(sorted(d for d in result if d < ndim))


def _kept_shape(shape: tuple[int, ...], dims: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


class Sum(Function):
    """y = sum of x over dims;  dL/dx = dL/dy broadcast back over the summed dims"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
        ctx.shape, ctx.kept = x.shape, _kept_shape(x.shape, dims)
        return x.sum(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None]:
        kept = grad if grad.data.shape == ctx.kept else grad.reshape(ctx.kept)  # as if keepdim=True
        return kept.expand(ctx.shape), None, None


class Amax(Function):
    """y = max of x over dims;  dL/dx = dL/dy shared evenly among the elements equal to the max"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
        if x.size == 0:
            raise RuntimeError(f"max: cannot reduce an empty tensor of shape {x.shape}")
        ctx.save_for_backward(x)
        ctx.dims, ctx.kept = dims, _kept_shape(x.shape, dims)
        ctx.values = x.max(axis=dims, keepdims=True)
        return (
            ctx.values if keepdim else ctx.values.reshape([n for i, n in enumerate(x.shape) if i not in dims])
        )

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None]:
        (x,) = ctx.saved_tensors
        # NOTE: ties share the gradient, as PyTorch's amax and full max() do.
        winners = x.data == ctx.values
        share = winners / winners.sum(axis=ctx.dims, keepdims=True)
        return grad.reshape(ctx.kept) * share.astype(x.dtype), None, None


def sum(x: Tensor, dim: int | tuple | None = None, keepdim: bool = False) -> Tensor:
    return Sum.apply(x, normalize_dims(dim, x.ndim), keepdim)


def amax(x: Tensor, dim: int | tuple | None = None, keepdim: bool = False) -> Tensor:
    return Amax.apply(x, normalize_dims(dim, x.ndim), keepdim)


def amin(x: Tensor, dim: int | tuple | None = None, keepdim: bool = False) -> Tensor:
    return -amax(-x, dim, keepdim)


def _count(x: Tensor, dims: tuple[int, ...]) -> int:
    return int(np.prod([x.shape[d] for d in dims]))


def _check_float(x: Tensor, op: str) -> None:
    if x.data.dtype.kind != "f":
        raise RuntimeError(f"{op}(): expected a floating point tensor, got dtype {x.dtype}")


def max_along(x: Tensor, dim: int, keepdim: bool, largest: bool) -> MinMax:
    """(values, indices) of the max (or min) along one dim; the gradient goes to that index."""
    d = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        return MinMax(x.clone(), Tensor._wrap(np.array(0)))
    pick = np.argmax if largest else np.argmin
    idx = pick(x.data, axis=d, keepdims=True)
    index = tuple(
        idx if i == d else np.arange(n).reshape([n if j == i else 1 for j in range(x.ndim)])
        for i, n in enumerate(x.shape)
    )
    values = x[index]
    if not keepdim:
        values, idx = values.squeeze(d), idx.squeeze(d)
    return MinMax(values, Tensor._wrap(idx))


def mean(x: Tensor, dim: int | tuple | None = None, keepdim: bool = False) -> Tensor:
    _check_float(x, "mean")
    dims = normalize_dims(dim, x.ndim)
    return Sum.apply(x, dims, keepdim) / _count(x, dims)


def var(
    x: Tensor,
    dim: int | tuple | None = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> Tensor:
    """sum((x - mean)^2) / (N - correction); correction=1 (Bessel's) by default."""
    _check_float(x, "var")
    if correction is None:
        correction = 1 if unbiased is None else int(bool(unbiased))
    dims = normalize_dims(dim, x.ndim)
    centred = x - mean(x, dims, keepdim=True)
    return sum(centred * centred, dims, keepdim) / max(_count(x, dims) - correction, 0)


def std(
    x: Tensor,
    dim: int | tuple | None = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> Tensor:
    return var(x, dim, unbiased, keepdim, correction=correction).sqrt()


def _stable_shift(x: Tensor, dims: tuple[int, ...]) -> Tensor:
    """The max over dims as a constant (0 where infinite).

    NOTE: subtracting it keeps exp() from overflowing; it cancels exactly in
    the result, so it needs no gradient.
    """
    m = x.data.max(axis=dims, keepdims=True)
    if not np.isfinite(m.sum()):  # (a sum that overflows only takes the careful path)
        m = np.where(np.isfinite(m), m, 0).astype(x.dtype)
    return Tensor._wrap(m)


def logsumexp(x: Tensor, dim: int | tuple | None = None, keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over dims, stable for large |x|."""
    _check_float(x, "logsumexp")
    dims = normalize_dims(dim, x.ndim)
    m = _stable_shift(x, dims)
    out = sum((x - m).exp(), dims, keepdim=True).log() + m
    return out if keepdim else out.squeeze(dims) if dims else out


def softmax(x: Tensor, dim: int) -> Tensor:
    """exp(x) / sum(exp(x)) along dim, stable for large |x|."""
    _check_float(x, "softmax")
    dims = (normalize_dim(dim, x.ndim),) if x.ndim else ()
    e = (x - _stable_shift(x, dims)).exp()
    return e / sum(e, dims, keepdim=True)


def log_softmax(x: Tensor, dim: int) -> Tensor:
    """x - logsumexp(x) along dim, computed as (x - m) - log(sum(exp(x - m))), m the max."""
    _check_float(x, "log_softmax")
    dims = (normalize_dim(dim, x.ndim),) if x.ndim else ()
    shifted = x - _stable_shift(x, dims)
    return shifted - sum(shifted.exp(), dims, keepdim=True).log()
