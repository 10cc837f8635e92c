"""The log-sum-exp family: logsumexp, softmax and log_softmax, and nll, which completes cross-entropy.

The first three sum exp(x) over a dim. Written directly, that overflows:
exp(89) is already inf in float32 (exp(710) in float64), so logits of
magnitude 1e4 would give inf / inf = nan. So each first subtracts m, the
max over the summed dim (the max shift):

    log sum_i exp(x_i) = m + log sum_i exp(x_i - m)

Every exponent is now <= 0 and the largest term is exactly exp(0) = 1, so
the sum lies between 1 and n: it cannot overflow, nor underflow to 0, and
its log is finite. Softmax is unchanged when every x_i moves by the same m,
so the shift cancels exactly and needs no gradient of its own: logits
[10000, 10001] give the same probabilities as [0, 1].

`LogSoftmax` and `NllLoss`, the two halves of cross-entropy, are primitives
with their own backward, for speed; logsumexp and softmax are composed from
Tensor operations.
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor, _floating
from .movement import IndexAdd, normalize_dim
from .reduce import Sum, _check_float, normalize_dims, sum


def _stable_shift(x: Tensor, dims: tuple[int, ...]) -> Tensor:
    """The max over dims (kept), 0 where it is infinite.

    NOTE: subtracting it keeps exp() from overflowing; it cancels exactly in
    the result, so it needs no gradient. An infinite max is replaced, as
    PyTorch's logsumexp does, so that a row of -inf gives -inf, not nan.
    """
    m = x.data.max(axis=dims, keepdims=True, initial=-np.inf)  # -inf over an empty dim
    if not math.isfinite(m.sum()):  # (a sum that overflows only takes the careful path)
        m = np.where(np.isfinite(m), m, 0).astype(x.dtype)
    return Tensor._wrap(m)


def logsumexp(x: Tensor, dim: int | tuple | None = None, keepdim: bool = False) -> Tensor:
    """log(sum(exp(x))) over dims, stable for large |x| (integers become the default float dtype)."""
    x = _floating(x)
    dims = normalize_dims(dim, x.ndim)
    m = _stable_shift(x, dims)
    out = sum((x - m).exp(), dims, keepdim=True).log() + m
    return out if keepdim else out.squeeze(dims) if dims else out


def softmax(x: Tensor, dim: int) -> Tensor:
    """exp(x) / sum(exp(x)) along dim, stable for large |x|."""
    _check_float(x, "softmax", NotImplementedError)  # (PyTorch's error type here)
    dims = _softmax_dims(x, dim)
    e = (x - Tensor._wrap(x.data.max(axis=dims, keepdims=True, initial=-np.inf))).exp()
    return e / sum(e, dims, keepdim=True)


class LogSoftmax(Function):
    """y = x - logsumexp(x) along dim;  dL/dx = g - softmax(x) * sum(g) along dim, softmax(x) = e^y

    A primitive, not a composite like softmax: it is the heart of
    cross-entropy, which every classification step runs, and one op with this
    short backward costs a fifth of the five ops it would be composed of.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
        ctx.dims = dims
        y = x - x.max(axis=dims, keepdims=True, initial=-np.inf)  # (the initial allows an empty dim)
        y -= np.log(np.exp(y).sum(axis=dims, keepdims=True))  # in place: y is a new array
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        (y,) = ctx.saved_tensors
        return LogSoftmaxGrad._apply2(grad, y, ctx.dims), None


class LogSoftmaxGrad(Function):
    """z = g - e^y sum(g) along dims, the backward of log_softmax;
    dL/dg = G - sum(G e^y),  dL/dy = -G e^y sum(g)   (G = dL/dz, sums along dims, kept)

    One op, as PyTorch's ``_log_softmax_backward_data``, instead of four.
    """

    @staticmethod
    def forward(ctx: Node, g: np.ndarray, y: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
        ctx.save_for_backward(g, y)
        ctx.dims = dims
        return g - np.exp(y) * g.sum(axis=dims, keepdims=True)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None, None]:
        g, y = ctx.saved_tensors
        need_g, need_y, _ = ctx.needs_input_grad
        grad_e = grad * y.exp()
        return (
            grad - Sum._apply1(grad_e, ctx.dims, True) if need_g else None,
            -grad_e * Sum._apply1(g, ctx.dims, True) if need_y else None,
            None,
        )


def log_softmax(x: Tensor, dim: int) -> Tensor:
    """x - logsumexp(x) along dim, stable for logits of any magnitude."""
    _check_float(x, "log_softmax", NotImplementedError)
    return LogSoftmax._apply1(x, _softmax_dims(x, dim))


def _softmax_dims(x: Tensor, dim: int) -> tuple[int, ...]:
    """(dim,) checked and made non-negative; () for a 0-d tensor, which takes dim 0 or -1 only."""
    dim = normalize_dim(dim, x.ndim)
    return (dim,) if x.ndim else ()


class NllLoss(Function):
    """y = -sum_i w_i x[i, c_i] / divisor;  dL/dx[i, c_i] = -w_i g / divisor, 0 elsewhere

    x: (N, C) log-probabilities, classes: (N,) class indices, w: (N,) the
    weight of each sample's class (0 for an ignored sample), or None when
    every weight is 1. With divisor None the result is per sample,
    y_i = -w_i x[i, c_i], and so is the gradient g.
    One op, as PyTorch's NllLossBackward, instead of a pick, a product, a sum
    and a division: the loss of every classification step runs it.
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, classes: np.ndarray, w: np.ndarray | None, divisor: float | None
    ) -> np.ndarray:
        index = (np.arange(len(classes)), classes.copy())  # (i, c_i) for every sample, kept as they are now
        ctx.shape, ctx.index, ctx.w, ctx.divisor = x.shape, index, w, divisor
        losses = -x[index] if w is None else -w * x[index]
        if divisor is None:
            return losses
        if not divisor:  # every target ignored: nan, as PyTorch, without NumPy's warning about 0/0
            return np.full((), np.nan, losses.dtype)
        return losses.sum() / divisor

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None]:
        scale = -1.0 if ctx.w is None else -ctx.w
        if ctx.divisor:  # a divisor of 0 means every weight is 0: the gradient is 0, as in PyTorch
            scale = scale / ctx.divisor
        per_sample = grad * Tensor._wrap(np.asarray(scale, dtype=grad.dtype))  # dL/dx[i, c_i]
        return IndexAdd._apply1(per_sample, ctx.index, ctx.shape), None, None, None
