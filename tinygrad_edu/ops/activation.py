"""Activation functions, and the ops that run the backward of tanh, sigmoid and relu.

tanh, sigmoid and relu are what small networks apply most, so their
backward is fused, as PyTorch's ``tanh_backward`` is: ``g (1 - y^2)`` is one
op (`TanhGrad`), not three Tensor ops each with its own bookkeeping. A fused
backward is still a `Function` written with Tensor ops, so a second
derivative flows through it like through any other op.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function, Node
from ..dtypes import require_float
from ..tensor import Tensor
from .elementwise import where


class Tanh(Function):
    """y = tanh x;  dy/dx = 1 - y^2"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = np.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return TanhGrad._apply2(grad, y)


class TanhGrad(Function):
    """z = g (1 - y^2), the backward of tanh;  dz/dg = 1 - y^2,  dz/dy = -2 g y"""

    @staticmethod
    def forward(ctx: Node, g: np.ndarray, y: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(g if ctx.needs_input_grad[1] else None, y)
        return g - g * y * y  # (= g (1 - y^2); NumPy is slower with a Python number as an operand)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        g, y = ctx.saved_tensors
        need_g, need_y = ctx.needs_input_grad
        return (TanhGrad._apply2(grad, y) if need_g else None), (grad * g * y * -2.0 if need_y else None)


class Sigmoid(Function):
    """y = 1 / (1 + e^-x);  dy/dx = y (1 - y)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        # NOTE: e^-|x| never overflows; the two branches are the same function.
        e = np.exp(-np.abs(x))
        y = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(x.dtype, copy=False)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return SigmoidGrad._apply2(grad, y)


class SigmoidGrad(Function):
    """z = g y (1 - y), the backward of sigmoid;  dz/dg = y (1 - y),  dz/dy = g (1 - 2y)"""

    @staticmethod
    def forward(ctx: Node, g: np.ndarray, y: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(g if ctx.needs_input_grad[1] else None, y)
        return g * y * (1.0 - y)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        g, y = ctx.saved_tensors
        need_g, need_y = ctx.needs_input_grad
        return (SigmoidGrad._apply2(grad, y) if need_g else None), (
            grad * g * (1.0 - y * 2.0) if need_y else None
        )


class Relu(Function):
    """y = max(x, 0);  dy/dx = 1 where y > 0 (or NaN), else 0   NOTE: 0 at x = 0, as in PyTorch

    y > 0 exactly where x > 0, so relu keeps its output, as PyTorch does: x
    may then change in place before backward.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = np.maximum(x, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return ReluGrad._apply2(grad, y)


class ReluGrad(Function):
    """z = g where x > 0 or x is NaN, else 0, the backward of relu (x: its input or output);
    dz/dg = [not x <= 0]  (NaN passes the gradient on, as in PyTorch)"""

    @staticmethod
    def forward(ctx: Node, g: np.ndarray, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return g * ~(x <= 0)  # (np.where is many times slower on large arrays)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        (x,) = ctx.saved_tensors
        need_g, need_x = ctx.needs_input_grad
        return (
            ReluGrad._apply2(grad, x) if need_g else None,
            Tensor._wrap(np.zeros_like(x.data)) if need_x else None,
        )


class Softplus(Function):
    """y = ln(1 + e^(beta x)) / beta, and y = x where beta x > threshold;  dy/dx = sigmoid(beta x)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, beta: float, threshold: float) -> np.ndarray:
        require_float(x.dtype, "softplus")
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        z = x * beta
        return np.where(z > threshold, x, np.logaddexp(0, z) / beta).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None]:
        (x,) = ctx.saved_tensors
        z = x * ctx.beta
        return where(z > ctx.threshold, grad, grad * z.sigmoid()), None, None


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    """y = x where x > 0, else negative_slope * x."""
    require_float(x.dtype, "leaky_relu")
    return where(x > 0, x, x * negative_slope)


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    """y = x * Phi(x), Phi the standard normal CDF; approximate="tanh" uses PyTorch's tanh formula."""
    require_float(x.dtype, "gelu")
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * float(np.sqrt(2.0 / np.pi))
        return x * 0.5 * (inner.tanh() + 1.0)
    if approximate != "none":
        raise RuntimeError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return x * 0.5 * ((x * float(1.0 / np.sqrt(2.0))).erf() + 1.0)
