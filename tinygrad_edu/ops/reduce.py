"""Reductions: sum, mean, var, std, norm, max, min, median, prod, running sums.

`Sum`, `Amax` (and `Amin`), `Median` and `Prod` are the primitives: their backward spreads the
gradient of each reduced element back over the elements it came from.
`Cumsum` keeps every partial sum. Everything else (mean, var, std, norm)
is composed from Tensor operations, so its gradient (and second derivative)
follows from the chain rule without new formulas. The log-sum-exp family
(logsumexp, softmax, log_softmax) and nll are in ops/softmax.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..autograd.function import Function, Node
from ..autograd.grad_mode import is_recording
from ..tensor import Tensor
from . import elementwise
from .joining import cat
from .movement import Expand, Reshape, normalize_dim
from .sorting import refuse_bool

if TYPE_CHECKING:
    from numpy.typing import DTypeLike


def normalize_dims(dim: int | tuple | list | None, ndim: int) -> tuple[int, ...]:
    """Reduction dims as a sorted tuple of non-negative ints (None, like PyTorch's empty tuple, means all)."""
    if dim is None or (isinstance(dim, (tuple, list)) and not dim):
        return tuple(range(ndim))
    if type(dim) is int and ndim:
        return (normalize_dim(dim, ndim),)
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    result = sorted({normalize_dim(d, ndim) for d in dims})
    if len(result) != len(dims):
        raise RuntimeError(f"dim {dims} lists a dimension more than once")
    return tuple(result) if ndim else ()  # a 0-d tensor accepts dim 0 or -1, and has nothing to reduce


def _kept_shape(shape: tuple[int, ...], dims: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


class Sum(Function):
    """y = sum of x over dims;  dL/dx = dL/dy broadcast back over the summed dims"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
        ctx.shape, ctx.dims, ctx.keepdim = x.shape, dims, keepdim
        return x.sum(axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None]:
        kept = grad if ctx.keepdim else Reshape._apply1(grad, _kept_shape(ctx.shape, ctx.dims))
        return Expand._apply1(kept, ctx.shape), None, None  # as if keepdim=True, then spread


class Amax(Function):
    """y = max of x over dims;  dL/dx = dL/dy shared evenly among the elements equal to the max"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
        return _extreme(ctx, np.max, x, dims, keepdim)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None]:
        x, y = ctx.saved_tensors
        return grad.reshape(ctx.kept) * _shares(x.data, y.data.reshape(ctx.kept), ctx.dims), None, None


class Amin(Amax):
    """y = min of x over dims;  dL/dx = dL/dy shared evenly among the elements equal to the min

    (Not -amax(-x): negating an integer wraps round, so uint8's 0 and 200 would become 0 and 56.)
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
        return _extreme(ctx, np.min, x, dims, keepdim)


def _extreme(ctx: Node, extreme: Callable, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
    """Amax and Amin's forward: extreme (np.max or np.min) of x over dims; saves what backward needs."""
    empty = [d for d in dims if x.shape[d] == 0]
    if empty:
        raise IndexError(f"Expected reduction dim {empty[0]} to have non-zero size (shape {x.shape})")
    ctx.dims, ctx.kept = dims, _kept_shape(x.shape, dims)
    values = extreme(x, axis=dims, keepdims=True)
    y = values if keepdim else values.reshape([n for i, n in enumerate(x.shape) if i not in dims])
    ctx.save_for_backward(x, y)  # y, not a copy: changing it in place makes backward raise
    return y


def _shares(x: np.ndarray, y: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
    """1/k at each of the k elements of x equal to y (y kept in x's dims), 0 elsewhere.

    NOTE: ties share the gradient, as in PyTorch's amax, full max() and full
    median(); a nan result counts every nan of x as equal to it.
    """
    winners = x == y
    if x.dtype.kind == "f":
        winners |= np.isnan(x) & np.isnan(y)
    return (winners / winners.sum(axis=dims, keepdims=True)).astype(x.dtype)


def lower_median(values: np.ndarray) -> np.ndarray:
    """The ((n-1)//2)-th smallest of n values, 0-d; nan for no values, or for a nan among them."""
    if values.size == 0 or (values.dtype.kind == "f" and np.isnan(values).any()):
        return np.array(np.nan, dtype=values.dtype)
    k = (values.size - 1) // 2
    return np.asarray(np.partition(values, k)[k])  # (the k-th smallest, without sorting the rest)


class Median(Function):
    """y = the lower median of all n elements of x (its ((n-1)//2)-th smallest; nan if x has one);
    dL/dx = dL/dy shared evenly among the elements equal to y (as PyTorch's full median)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = lower_median(x.reshape(-1))
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        x, y = ctx.saved_tensors
        return grad * _shares(x.data, y.data, tuple(range(x.ndim)))


def median(x: Tensor) -> Tensor:
    """The lower median of all elements (the mean of the middle two would be a new value)."""
    refuse_bool(x, "median")
    if x.data.size == 0 and x.data.dtype.kind != "f":
        raise RuntimeError(f"median(): an empty {x.dtype} tensor has no median (a float one gives nan)")
    return Median._apply1(x)


def _in_dtype(x: Tensor, dtype: DTypeLike | None, op: str) -> Tensor:
    """`x` cast to a reduction's `dtype=` (if given), which must keep a needed gradient.

    As in PyTorch, an integer or bool `dtype` is an error while `x` needs a
    gradient: the result could carry none (x.detach() or no_grad() say so).
    """
    if dtype is None:
        return x
    cast = x.to(dtype)
    if cast.data.dtype.kind != "f" and x.requires_grad and is_recording():
        raise RuntimeError(
            f"{op}(dtype={cast.dtype}): the input requires grad, but {cast.dtype} values carry "
            "no gradient; reduce x.detach() instead, or call it under tg.no_grad()"
        )
    return cast


def sum(
    x: Tensor, dim: int | tuple | None = None, keepdim: bool = False, dtype: DTypeLike | None = None
) -> Tensor:
    """The sum of the elements (along `dim` if given; in `dtype` if given, cast before summing)."""
    x = _in_dtype(x, dtype, "sum")
    return _result_dtype(Sum._apply1(x, normalize_dims(dim, x.ndim), keepdim), dtype)


def _result_dtype(out: Tensor, dtype: DTypeLike | None) -> Tensor:
    """A sum's or product's result in PyTorch's dtype: `dtype` if given, else int64 for integers.

    (NumPy adds up small integers as int64 even when `dtype` asked for int32,
    and unsigned ones as uint64.)
    """
    if dtype is not None:
        return out.to(dtype)
    return out.to(np.int64) if out.data.dtype.kind == "u" else out


def amax(x: Tensor, dim: int | tuple | None = None, keepdim: bool = False) -> Tensor:
    return Amax._apply1(x, _extreme_dims(x, dim), keepdim)


def amin(x: Tensor, dim: int | tuple | None = None, keepdim: bool = False) -> Tensor:
    return Amin._apply1(x, _extreme_dims(x, dim), keepdim)


def _extreme_dims(x: Tensor, dim: int | tuple | None) -> tuple[int, ...]:
    """amax's and amin's dims, named where x is empty (an empty one among them is then an IndexError)."""
    if x.data.size == 0 and (dim is None or dim == ()):
        raise RuntimeError(f"the tensor of shape {x.shape} is empty: give a dim to reduce over")
    return normalize_dims(dim, x.ndim)


def _count(x: Tensor, dims: tuple[int, ...]) -> int:
    return int(np.prod([x.shape[d] for d in dims]))


def _check_float(x: Tensor, op: str, error: type[Exception] = RuntimeError) -> None:
    if x.data.dtype.kind != "f":
        raise error(f"{op}(): expected a floating point tensor, got dtype {x.dtype}")


def mean(
    x: Tensor, dim: int | tuple | None = None, keepdim: bool = False, dtype: DTypeLike | None = None
) -> Tensor:
    """The mean of the elements (along `dim` if given; in `dtype` if given, cast first)."""
    if dtype is not None and np.dtype(dtype).kind != "f":
        raise RuntimeError(f"mean(): dtype must be a floating point dtype, got {np.dtype(dtype)}")
    x = _in_dtype(x, dtype, "mean")
    _check_float(x, "mean")
    dims = normalize_dims(dim, x.ndim)
    return Sum._apply1(x, dims, keepdim) / _count(x, dims)


def var(
    x: Tensor,
    dim: int | tuple | None = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: int | None = None,
) -> Tensor:
    """sum((x - mean)^2) / (N - correction); correction=1 (Bessel's) by default.

    As in PyTorch, ``var(False)`` means unbiased=False over all elements, and
    `unbiased` and `correction` are two spellings of one thing: give one.
    """
    _check_float(x, "var")
    if isinstance(dim, bool):  # PyTorch's var(unbiased) form
        if unbiased is not None:
            raise TypeError("var(unbiased): the first argument is unbiased, so no second unbiased")
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError("var(): pass either unbiased or correction, not both")
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
    return _root(var(x, dim, unbiased, keepdim, correction=correction), 2)


def _root(v: Tensor, n: float) -> Tensor:
    """v^(1/n) for v >= 0, with gradient 0 where v is 0.

    NOTE: d v^(1/n)/dv is infinite at v = 0, which would make the gradient
    inf * 0 = nan. PyTorch gives 0 there; so does this: where v is 0, the
    result is the constant 0 and the root only ever sees 1.
    """
    zero = v == 0
    safe = elementwise.where(zero, 1.0, v)
    return elementwise.where(zero, 0.0, safe.sqrt() if n == 2 else safe ** (1.0 / n))


def norm(
    x: Tensor,
    p: float | str = "fro",
    dim: int | tuple | None = None,
    keepdim: bool = False,
    dtype: DTypeLike | None = None,
) -> Tensor:
    """torch.norm and Tensor.norm, the older name for torch.linalg's norms, which do the work.

    A number p: the vector p-norm over dim (all of x when None, any number of dims
    read as one vector; p = 0 counts the nonzeros). "fro": the vector 2-norm. "nuc"
    (or another string): a matrix norm over the two dims in dim (all of x's when None).
    dtype: the floating point dtype to compute in.
    """
    from ..linalg import norms  # (tg.linalg is built on these reductions: imported when called)

    if isinstance(p, str) and p != "fro":
        dims = tuple(range(x.ndim)) if dim is None and isinstance(x, Tensor) else dim
        return norms.matrix_norm(x, p, dims, keepdim, dtype=dtype)  # type: ignore[arg-type]
    return norms.vector_norm(x, 2 if isinstance(p, str) else p, dim, keepdim, dtype=dtype)  # ("fro")


# ---------------------------------------------------------------- running sums and products


def accumulated(
    accumulate: Callable[..., np.ndarray], x: np.ndarray, dim: int, dtype: DTypeLike | None = None
) -> np.ndarray:
    """`accumulate(x, axis=dim)` for a running op (np.cumsum, np.cumprod, np.logaddexp.accumulate).

    float16 and float32 accumulate in float64 and are rounded once, at the
    end, as in PyTorch's CPU kernels: rounded at every step, as NumPy would,
    a float32 cumsum of a million numbers is off in its fifth digit.
    """
    if x.dtype.kind == "f" and x.dtype.itemsize < 8:
        return accumulate(x, axis=dim, dtype=np.float64).astype(x.dtype)
    return accumulate(x, axis=dim, dtype=dtype)


class Cumsum(Function):
    """y_i = x_1 + ... + x_i along dim;  dL/dx_i = dL/dy_i + ... + dL/dy_n, a cumsum run from the end"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.dim = dim
        return accumulated(np.cumsum, x, dim)  # (integers and booleans sum as int64, as in PyTorch)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        d = ctx.dim
        return Cumsum._apply1(grad.flip(d), d).flip(d), None


def cumsum(x: Tensor, dim: int, dtype: DTypeLike | None = None) -> Tensor:
    """Running sums along `dim` (in `dtype` if given)."""
    x = _in_dtype(x, dtype, "cumsum")
    if x.ndim == 0:
        return _result_dtype(Cumsum._apply1(x.reshape(1), normalize_dim(dim, 1)).reshape(()), dtype)
    return _result_dtype(Cumsum._apply1(x, normalize_dim(dim, x.ndim)), dtype)


class Prod(Function):
    """y = x_1 x_2 ... x_n over dims;  dy/dx_i = the product of the others"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...], keepdim: bool) -> np.ndarray:
        ctx.dims, ctx.kept = dims, _kept_shape(x.shape, dims)
        ctx.save_for_backward(x)
        return np.prod(x, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None]:
        (x,) = ctx.saved_tensors
        return grad.reshape(ctx.kept) * _product_of_others(x, ctx.dims), None, None


def _product_of_others(x: Tensor, dims: tuple[int, ...]) -> Tensor:
    """For each element, the product of the other elements of its slice, zeros included.

    y / x would divide by zero. Instead, with the slice laid out in a row
    x_0 ... x_{n-1}: the product of the others of x_i is (x_0 ... x_{i-1})
    times (x_{i+1} ... x_{n-1}), two running products, one from each end.
    Written in Tensor ops without a division, so every higher derivative is
    right too, zeros or not.
    """
    if not dims or x.data.size == 0:  # (a 0-d slice: the empty product; no elements: nothing)
        return Tensor._wrap(np.ones_like(x.data))
    kept = [d for d in range(x.ndim) if d not in dims]
    order = (*kept, *dims)
    moved = x.permute(*order)  # the slice's dims last, then as one: (..., n)
    row = moved.reshape(*moved.shape[: len(kept)], -1)
    one = Tensor._wrap(np.ones(row.shape[:-1] + (1,), dtype=row.data.dtype))
    before = cat([one, row[..., :-1]], -1).cumprod(-1)  # x_0 ... x_{i-1}
    after = cat([row[..., 1:], one], -1).flip(-1).cumprod(-1).flip(-1)  # x_{i+1} ... x_{n-1}
    return (before * after).reshape(moved.shape).permute(*np.argsort(order))


def prod(x: Tensor, dim: int | None = None, keepdim: bool = False, dtype: DTypeLike | None = None) -> Tensor:
    """The product of the elements (along `dim` if given; in `dtype` if given)."""
    x = _in_dtype(x, dtype, "prod")
    if dim is not None and not isinstance(dim, (int, np.integer)):
        raise TypeError(f"prod(): dim must be an int or None, got {type(dim).__name__}")
    return _result_dtype(Prod._apply1(x, normalize_dims(dim, x.ndim), keepdim), dtype)
