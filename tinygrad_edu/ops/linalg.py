"""Matrix multiplication.

`MatMul` is the primitive for (..., n, k) @ (..., k, m) with equal batch
dims. `matmul` adds PyTorch's conveniences around it: 1-D operands (a
vector is a one-row or one-column matrix) and broadcast batch dims, each
done with recorded reshape/expand, so the primitive's backward stays two lines.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function, Node
from ..autograd.grad_mode import _state
from ..tensor import Tensor
from .elementwise import _promote, broadcast_shape


class MatMul(Function):
    """Y = A @ B;  dL/dA = dL/dY @ B^T,  dL/dB = A^T @ dL/dY   (A: (..., n, k), B: (..., k, m))"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad @ b.mT if need_a else None), (a.mT @ grad if need_b else None)


def matmul(a: Tensor, b: object) -> Tensor:
    """Matrix product with PyTorch's rules for 1-D operands and batch broadcasting."""
    if not isinstance(b, Tensor):
        b = Tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"MatMul: both arguments need at least 1 dimension, got shapes {a.shape} and {b.shape}"
        )
    if a.dtype != b.dtype:
        a, b = _promote(a, b)
    a2 = a.unsqueeze(0) if a.ndim == 1 else a
    b2 = b.unsqueeze(-1) if b.ndim == 1 else b
    if a2.shape[-1] != b2.shape[-2]:
        raise RuntimeError(
            f"MatMul: shapes {a.shape} and {b.shape} cannot be multiplied "
            f"({a2.shape[-1]} columns vs {b2.shape[-2]} rows)"
        )
    if a2.shape[:-2] != b2.shape[:-2]:
        batch = broadcast_shape(a2.shape[:-2], b2.shape[:-2], op="MatMul")
        if _state.enabled:
            if a2.requires_grad and a2.shape[:-2] != batch:
                a2 = a2.expand(batch + a2.shape[-2:])
            if b2.requires_grad and b2.shape[:-2] != batch:
                b2 = b2.expand(batch + b2.shape[-2:])
    out = MatMul.apply(a2, b2)
    if a.ndim == 1:
        out = out.squeeze(-2)
    if b.ndim == 1:
        out = out.squeeze(-1)
    return out
