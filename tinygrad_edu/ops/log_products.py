"""Two products with a logarithm, with PyTorch's values where the product is 0 times infinity.

    entr x           -x ln x, 0 at x = 0, -inf for x < 0     d/dx = -(1 + ln x)
    xlog1py(x, y)    x ln(1 + y), 0 where x = 0              d/dx = ln(1 + y),  d/dy = x / (1 + y)

(xlogy, x ln y, is in ops/more_math.py.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor, _floating
from .elementwise import where
from .more_math import on_floats, quiet


class Entr(Function):
    """y = -x ln x, the entropy of one probability;  dy/dx = -(1 + ln x)

    0 at x = 0 (the limit), -inf for x < 0 and nan for nan, as in PyTorch;
    the gradient is inf at 0 and nan for x < 0.
    """

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        y = np.where(x > 0, -x * np.log(np.where(x > 0, x, 1)), np.where(x == 0, 0, -np.inf))
        return np.where(np.isnan(x), np.nan, y).astype(x.dtype, copy=False)

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * -(x.log() + 1.0)


class Xlog1py(Function):
    """y = x ln(1 + y_), and 0 where x = 0 (unless y_ is nan);
    dy/dx = ln(1 + y_) (0 where x = 0 and y_ <= -1),  dy/dy_ = x / (1 + y_)

    The twin of Xlogy (ops/more_math.py), with log1p, so that small y_ keep
    their digits; the same rules at the edges, as in PyTorch.
    """

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x, y)
        return np.where((x == 0) & ~np.isnan(y), 0, x * np.log1p(y))

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        x, y = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad
        gx = where((x == 0) & (y <= -1), 0.0, Xlog1py._apply2(grad, y)) if need_x else None
        return gx, (grad * x / (y + 1.0) if need_y else None)


def entr(x: Tensor) -> Tensor:
    """-x ln x elementwise (0 at 0, -inf below)."""
    return Entr._apply1(_floating(x))


def xlog1py(x: Any, y: Any) -> Tensor:
    """x ln(1 + y), and 0 where x == 0 (unless y is nan); one of them may be a number."""
    return on_floats(Xlog1py, x, y)
