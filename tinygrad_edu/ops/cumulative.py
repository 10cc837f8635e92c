"""Running products, maxima and log-sum-exps along a dim, and differences, cumsum's inverse.

With y_i the result at position i of a slice x_1 ... x_n (cumsum is in ops/reduce.py):

    cumprod       y_i = x_1 x_2 ... x_i      dL/dx_k = sum_{i>=k} dL/dy_i (product of x_1..x_i but x_k)
    logcumsumexp  y_i = log(sum_{j<=i} e^x_j)     dL/dx_k = sum_{i>=k} dL/dy_i e^(x_k - y_i)
    cummax        y_i = max(x_1, ..., x_i)   dL/dy_i goes to the element that is the max
    diff          y_i = x_{i+1} - x_i        (slices and a subtraction)

`Cumprod` and `LogCumSumExp` are Functions, each with a backward made of
Tensor ops, so second derivatives work. cummax and cummin find their
positions with NumPy and pick the values by indexing, as ops/sorting.py does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..autograd.function import Function, Node
from ..autograd.grad_mode import is_recording
from ..tensor import Tensor
from .elementwise import where
from .joining import cat
from .more_math import quiet
from .movement import normalize_dim
from .reduce import Cumsum, _in_dtype, accumulated
from .selection import _at, _check_int
from .sorting import ValuesIndices, _itself, _picked

if TYPE_CHECKING:
    from numpy.typing import DTypeLike


def _from_end(t: Tensor, d: int, running: type[Function]) -> Tensor:
    """A running op (Cumsum, Cumprod, ...) along dim d taken from the last element back to the first."""
    return running._apply1(t.flip(d), d).flip(d)


def _on_vector(op: Callable[[Tensor, int], Tensor], x: Tensor, dim: int) -> Tensor:
    """op applied to a 0-d x as to a one-element vector (dim must be 0 or -1 there, as in PyTorch)."""
    return op(x.reshape(1), normalize_dim(dim, 1)).reshape(())


# ---------------------------------------------------------------- running products


class Cumprod(Function):
    """y_i = x_1 x_2 ... x_i along dim;  dL/dx_k = sum_{i>=k} dL/dy_i * (x_1 ... x_i without x_k)

    Without zeros that is (sum_{i>=k} dL/dy_i y_i) / x_k: a cumsum from the
    end, divided. Zeros need more care (see `_zero_aware_grad`); dividing
    by a zero would give nan where PyTorch gives the product of the others.
    """

    @staticmethod
    @quiet  # (0 * inf is nan, silently, as in PyTorch)
    def forward(ctx: Node, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.dim = dim
        # integers and bools multiply as int64, as in PyTorch (NumPy would keep uint8 unsigned)
        y = accumulated(np.cumprod, x, dim, np.int64 if x.dtype.kind in "biu" else None)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    @quiet  # (inf / inf at an infinite x is nan, silently, as in PyTorch)
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        x, y = ctx.saved_tensors
        d = ctx.dim
        zero = x.data == 0
        if not zero.any():
            return _from_end(grad * y, d, Cumsum) / x, None
        if is_recording():  # create_graph: the form whose own derivatives are right at zeros too
            return _exact_grad(x, grad, d), None
        return _zero_aware_grad(x, y, grad, zero, d), None


def _zero_aware_grad(x: Tensor, y: Tensor, grad: Tensor, zero: np.ndarray, d: int) -> Tensor:
    """dL/dx of cumprod for a slice holding zeros, in O(n), from where its first zero is, at k.

    Before k the quotient formula holds, summed over the i before k only
    (y_i is 0 from k on). At k, dL/dx_k = sum_{i>=k} dL/dy_i z_i, where z is
    the cumprod of x with x_k replaced by 1, summed up to the next zero
    (after it z_i is 0). After k every product that leaves x_i out still
    holds x_k = 0: the gradient is 0. Leaving out the terms that are 0,
    rather than adding them, keeps an inf later in the slice from making
    0 * inf = nan; the sums are PyTorch's, nan and inf included.
    NOTE: its own derivative misses what these zeros hide (the 0 after k
    does depend on x_k), so backward with create_graph uses `_exact_grad`.
    """
    seen = np.cumsum(zero, axis=d)
    before, first = seen == 0, zero & (seen == 1)
    up_to_first = _from_end(where(before, grad * y, 0.0), d, Cumsum) / where(before, x, 1.0)
    z = Cumprod._apply1(where(first, 1.0, x), d)
    at_first = _from_end(where(seen - zero <= 1, grad * z, 0.0), d, Cumsum)  # (up to the second zero)
    return where(before, up_to_first, where(first, at_first, 0.0))


def _exact_grad(x: Tensor, grad: Tensor, d: int) -> Tensor:
    """dL/dx of cumprod as the sum itself, in O(n^2) per slice: right everywhere, derivatives included.

    Row k of an (n, n) matrix is x with x_k replaced by 1; its cumprod holds,
    at column i, the product of x_1 ... x_i without x_k. dL/dx_k is the sum
    of dL/dy_i times those, for i >= k.
    """
    xs, gs = x.transpose(d, -1), grad.transpose(d, -1)
    n = xs.shape[-1]
    rows = where(np.eye(n, dtype=bool), 1.0, xs.unsqueeze(-2))
    without_k = Cumprod._apply1(rows, rows.ndim - 1)
    later = np.triu(np.ones((n, n), dtype=bool))  # [k, i]: i >= k
    return (where(later, without_k, 0.0) * gs.unsqueeze(-2)).sum(-1).transpose(d, -1)


def cumprod(x: Tensor, dim: int, dtype: DTypeLike | None = None) -> Tensor:
    """Running products along `dim` (in `dtype` if given); integers and bools give int64."""
    x = _in_dtype(x, dtype, "cumprod")
    out = (
        _on_vector(Cumprod._apply1, x, dim) if x.ndim == 0 else Cumprod._apply1(x, normalize_dim(dim, x.ndim))
    )
    return out if dtype is None else out.to(dtype)  # (as sum: an int32 dtype is kept)


# ---------------------------------------------------------------- running max and min


def cummax(x: Tensor, dim: int, largest: bool = True) -> ValuesIndices:
    """(values, indices): the running max (or, with largest=False, min) along dim and where it is.

    NOTE: PyTorch's rules, followed here: among equal elements the later one
    is taken (the running max of [1, 3, 3] is at [0, 1, 2]); a nan beats
    every number, in cummax and cummin alike, so the values are nan from the
    first nan on, and each later nan moves the index to itself.
    """
    d = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        return _itself(x)
    data = x.data
    running = (np.maximum if largest else np.minimum).accumulate(data, axis=d)
    taken = data == running  # where the running max moves to a new element
    if data.dtype.kind == "f":
        taken |= np.isnan(data)
    positions = np.arange(x.shape[d]).reshape([-1 if e == d else 1 for e in range(x.ndim)])
    return _picked(x, np.maximum.accumulate(np.where(taken, positions, 0), axis=d), d)


# ---------------------------------------------------------------- running log-sum-exp


class LogCumSumExp(Function):
    """y_i = log(e^x_1 + ... + e^x_i) along dim, with no overflow (NumPy's logaddexp, accumulated);
    dL/dx_k = sum_{i>=k} g_i e^(x_k - y_i), for g = dL/dy

    NOTE: each e^(x_k - y_i) is at most 1, as y_i >= x_k, but written as
    e^x_k sum e^-y_i it would overflow. So the sum stays in the log domain,
    e^(x_k + log sum_{i>=k} e^(log g_i - y_i)): a logcumsumexp run from the
    end. A log holds no sign, so each g_i is first shifted by a constant c
    of its slice that makes every g_i - c positive, and c is added back:
    sum g_i w_i = sum (g_i - c) w_i + c sum w_i. (Splitting g by sign
    instead would give each g_i that is exactly 0 no derivative of its own.)
    """

    @staticmethod
    @quiet  # (a nan gives nan from there on, silently)
    def forward(ctx: Node, x: np.ndarray, dim: int) -> np.ndarray:
        ctx.dim = dim
        y = accumulated(np.logaddexp.accumulate, x, dim)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    @quiet  # (at an x of -inf, -inf + inf gives a nan gradient, silently, as in PyTorch)
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        x, y = ctx.saved_tensors
        d = ctx.dim
        if grad.data.size == 0:
            return grad, None
        # c = min g - max |g| (less 1 for a slice of zeros): a constant, so it takes no derivative
        size = np.abs(grad.data).max(axis=d, keepdims=True)
        c = Tensor._wrap(grad.data.min(axis=d, keepdims=True) - np.where(size > 0, size, 1.0))
        shifted = (_from_end((grad - c).log() - y, d, LogCumSumExp) + x).exp()
        weights = (_from_end(-y, d, LogCumSumExp) + x).exp()  # sum_{i>=k} e^(x_k - y_i)
        return shifted + c * weights, None


def logcumsumexp(x: Tensor, dim: int) -> Tensor:
    """log(cumsum(exp(x))) along `dim`, without overflow or underflow; for float tensors only."""
    if x.data.dtype.kind != "f":
        raise NotImplementedError(
            f"logcumsumexp(): not implemented for {x.dtype} tensors, as in PyTorch (convert with .float())"
        )
    if x.ndim == 0:
        return _on_vector(LogCumSumExp._apply1, x, dim)
    return LogCumSumExp._apply1(x, normalize_dim(dim, x.ndim))


# ---------------------------------------------------------------- differences


def diff(
    x: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None, append: Tensor | None = None
) -> Tensor:
    """The n-th difference along dim: y_i = x_{i+1} - x_i, n times (for bools, x_{i+1} != x_i).

    `prepend` and `append` are joined to x along dim first; they must have
    x's number of dims and its sizes except along dim. Each difference is
    one element shorter, down to empty.
    """
    if x.ndim == 0:
        raise RuntimeError("diff(): expects input to be at least one-dimensional, got a 0-d tensor")
    _check_int(n, "n", "diff")
    if n < 0:
        raise RuntimeError(f"diff(): order must be non-negative but got {n}")
    d = normalize_dim(dim, x.ndim)
    ends = {"prepend": prepend, "append": append}
    for name, end in ends.items():
        _check_end(x, d, name, end)
    if prepend is not None or append is not None:
        x = cat([t for t in (prepend, x, append) if t is not None], d)
    elif n == 0:
        return x.clone()  # (a new tensor, as PyTorch's)
    for _ in range(n):  # (a loop over the order n, not over elements)
        later, earlier = x[_at(d, slice(1, None))], x[_at(d, slice(None, -1))]
        x = later != earlier if x.data.dtype == np.bool_ else later - earlier
    return x


def _check_end(x: Tensor, d: int, name: str, end: object) -> None:
    """Refuse a prepend or append that cannot be joined to x along d, as PyTorch does."""
    if end is None:
        return
    if not isinstance(end, Tensor):
        raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(end).__name__}")
    if end.ndim != x.ndim:
        raise RuntimeError(
            f"diff(): expects {name} to have the input's number of dims, got shapes {end.shape} and {x.shape}"
        )
    if any(a != b for e, (a, b) in enumerate(zip(end.shape, x.shape)) if e != d):
        raise RuntimeError(
            f"diff(): the shape of {name}, {end.shape}, must match the input's, {x.shape}, except along "
            f"the differencing dimension {d}"
        )
