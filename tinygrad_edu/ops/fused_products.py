"""PyTorch's "add a scaled product" ops, the building blocks of BLAS: composites of matmul.

    addmm     beta * input + alpha * (mat1 @ mat2)             mat1 (n, k), mat2 (k, m) -> (n, m)
    addmv     beta * input + alpha * (mat @ vec)               mat (n, k), vec (k,)     -> (n,)
    addr      beta * input + alpha * outer(vec1, vec2)         vec1 (n,), vec2 (m,)     -> (n, m)
    baddbmm   beta * input + alpha * (batch1 @ batch2)         (b, n, k), (b, k, m)     -> (b, n, m)
    addbmm    beta * input + alpha * sum_i batch1[i] @ batch2[i]                        -> (n, m)

input broadcasts to the product's shape (never the other way round). With
beta = 0 the values of input are not read, so nan or inf there do not
reach the result, as in PyTorch; its gradient is then 0. The gradients
are those of the products, sums and scalings: d/dinput = beta * upstream,
d/dmat1 = alpha * upstream @ mat2^T, d/dmat2 = alpha * mat1^T @ upstream.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .elementwise import where


def _scaled_sum(op: str, input: Tensor, product: Tensor, beta: float, alpha: float) -> Tensor:
    """beta * input + alpha * product, input broadcast to the product's shape."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if input.dtype != product.dtype:
        raise RuntimeError(
            f"{op}: self and mat2 must have the same dtype, but got {input.dtype} and {product.dtype}"
        )
    if product.dtype.kind in "biu" and any(isinstance(s, float) for s in (beta, alpha)):
        raise RuntimeError(
            f"{op}: for integral input tensors, beta and alpha must not be floating point numbers"
        )
    start = input.broadcast_to(product.shape)  # (names both shapes when input does not fit)
    scaled = product if alpha == 1 else product * alpha
    if beta == 0:  # input's values are not read; it stays in the graph with a zero gradient
        return where(np.zeros(product.shape, dtype=bool), start, scaled)
    return (start if beta == 1 else start * beta) + scaled


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """beta input + alpha mat1 @ mat2: mat1 (n, k), mat2 (k, m), input broadcast to (n, m)."""
    return _scaled_sum("addmm", input, mat1.mm(mat2), beta, alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """beta input + alpha mat @ vec: mat (n, k), vec (k,), input broadcast to (n,)."""
    return _scaled_sum("addmv", input, mat.mv(vec), beta, alpha)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """beta input + alpha outer(vec1, vec2): vec1 (n,), vec2 (m,), input broadcast to (n, m)."""
    for name, vec in (("vec1", vec1), ("vec2", vec2)):
        if vec.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {vec.ndim}-D")
    return _scaled_sum("addr", input, vec1.outer(vec2), beta, alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """beta input + alpha batch1 @ batch2: (b, n, k) and (b, k, m), input broadcast to (b, n, m)."""
    return _scaled_sum("baddbmm", input, batch1.bmm(batch2), beta, alpha)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
    """beta input + alpha sum_i batch1[i] @ batch2[i]: (b, n, k), (b, k, m), input broadcast to (n, m)."""
    return _scaled_sum("addbmm", input, batch1.bmm(batch2).sum(0), beta, alpha)
