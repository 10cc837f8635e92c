"""Matrix multiplication, and the affine map of a linear layer.

`MatMul` is the primitive for (..., n, k) @ (..., k, m) with equal batch
dims. `matmul` adds PyTorch's conveniences around it: 1-D operands (a
vector is a one-row or one-column matrix) and broadcast batch dims, each
done with recorded reshape/expand, so the primitive's backward stays two lines.

`bmm` is the strict batched form, PyTorch's: two 3-D operands with equal
batch sizes, nothing broadcast; `dot` and `outer` the strict forms for two
vectors. `einsum` (ops/einsum.py) writes any product,
sum or trace of tensors as one equation.

`Linear` is x W^T + b as one op (PyTorch's `F.linear`): a layer is then one
node of the graph, not four (transpose, matmul, expand, add).
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function, Node
from ..autograd.grad_mode import _state
from ..tensor import Tensor
from .broadcast import broadcast_shape, broadcasts_to, promote


class MatMul(Function):
    """Y = A @ B;  dL/dA = dL/dY @ B^T,  dL/dB = A^T @ dL/dY   (A: (..., n, k), B: (..., k, m))"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a @ b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad @ b.mT if need_a else None), (a.mT @ grad if need_b else None)


def matmul(a: object, b: object) -> Tensor:
    """Matrix product with PyTorch's rules for 1-D operands and batch broadcasting.

    Two Tensors must have one dtype. An array or list operand is promoted
    with the Tensor, as in the elementwise ops.
    """
    if not (isinstance(a, Tensor) and isinstance(b, Tensor)):
        a, b = promote(a if isinstance(a, Tensor) else Tensor(a), b if isinstance(b, Tensor) else Tensor(b))
    elif a.data.dtype != b.data.dtype:
        raise RuntimeError(
            f"MatMul: expected both operands to have the same dtype, got {a.dtype} and {b.dtype} "
            "(PyTorch does not promote here either; convert one with .to(dtype))"
        )
    shape_a, shape_b = a.data.shape, b.data.shape
    if len(shape_a) == 2 == len(shape_b) and shape_a[1] == shape_b[0]:
        return MatMul._apply2(a, b)  # the usual case, two matrices that fit, with nothing to adjust
    ndim_a, ndim_b = len(shape_a), len(shape_b)
    if ndim_a == 0 or ndim_b == 0:
        raise RuntimeError(
            f"MatMul: both arguments need at least 1 dimension, got shapes {a.shape} and {b.shape}"
        )
    a2 = a.unsqueeze(0) if ndim_a == 1 else a
    b2 = b.unsqueeze(-1) if ndim_b == 1 else b
    shape_a, shape_b = a2.data.shape, b2.data.shape
    if shape_a[-1] != shape_b[-2]:
        raise RuntimeError(
            f"MatMul: shapes {a.shape} and {b.shape} cannot be multiplied "
            f"({shape_a[-1]} columns vs {shape_b[-2]} rows)"
        )
    if shape_a[:-2] != shape_b[:-2]:
        batch = broadcast_shape(shape_a[:-2], shape_b[:-2], op="MatMul")
        if _state.enabled:
            if a2.requires_grad and shape_a[:-2] != batch:
                a2 = a2.expand(batch + shape_a[-2:])
            if b2.requires_grad and shape_b[:-2] != batch:
                b2 = b2.expand(batch + shape_b[-2:])
    out = MatMul._apply2(a2, b2)
    if ndim_a == 1:
        out = out.squeeze(-2)
    if ndim_b == 1:
        out = out.squeeze(-1)
    return out


def _check_tensors(op: str, *named: tuple[str, object]) -> None:
    """Refuse a non-Tensor argument with PyTorch's TypeError, naming it and its position."""
    for position, (name, t) in enumerate(named, 1):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(t).__name__}"
            )


def mm(a: Tensor, b: Tensor) -> Tensor:
    """The product of two matrices, (n, k) @ (k, m) -> (n, m): matmul without its conveniences.

    As in PyTorch, both operands must be 2-D: no vector is taken as a row or
    a column, and no batch dim is broadcast.
    """
    for name, t in (("self", a), ("mat2", b)):
        if not isinstance(t, Tensor):
            raise TypeError(f"mm(): argument '{name}' must be Tensor, not {type(t).__name__}")
    if a.data.ndim != 2 or b.data.ndim != 2:
        raise RuntimeError(f"mm(): both arguments must be matrices (2-D), got shapes {a.shape} and {b.shape}")
    return matmul(a, b)


def bmm(a: Tensor, b: Tensor) -> Tensor:
    """A batch of matrix products: y[i] = a[i] @ b[i] for a (B, n, k) and b (B, k, m), giving (B, n, m).

    Unlike matmul (and `@`), nothing is broadcast: both operands must be 3-D,
    with the same batch size B and matching inner sizes k, as in PyTorch.
    """
    _check_tensors("bmm", ("input", a), ("mat2", b))
    for name, t in (("batch1", a), ("batch2", b)):
        if t.data.ndim != 3:
            raise RuntimeError(f"bmm(): {name} must be a 3D tensor, got shape {t.shape}")
    if b.shape[:2] != (a.shape[0], a.shape[2]):
        raise RuntimeError(
            f"bmm(): Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a.shape[0]}, {a.shape[2]}] but got: [{b.shape[0]}, {b.shape[1]}] "
            f"(batch1 {a.shape}, batch2 {b.shape})"
        )
    if a.data.dtype != b.data.dtype:
        raise RuntimeError(
            f"bmm(): expected both operands to have the same dtype, got {a.dtype} and {b.dtype}"
        )
    return MatMul._apply2(a, b)


def dot(a: Tensor, b: Tensor) -> Tensor:
    """a . b = sum_i a_i b_i, a 0-d tensor, for two vectors of one length and one dtype.

    As in PyTorch, nothing is promoted or broadcast (matmul takes more shapes).
    dL/da = dL/dy b,  dL/db = dL/dy a (matmul's gradient for two vectors).
    """
    _check_tensors("dot", ("input", a), ("tensor", b))
    if a.data.ndim != 1 or b.data.ndim != 1:
        raise RuntimeError(f"dot: 1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.data.dtype != b.data.dtype:
        raise RuntimeError(
            f"dot: expected both vectors to have same dtype, but found {a.dtype} and {b.dtype}"
        )
    if a.shape != b.shape:
        n, m = a.shape[0], b.shape[0]
        raise RuntimeError(
            f"dot: inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
            f"number of elements, but got {n} and {m} elements respectively"
        )
    return matmul(a, b)


def outer(a: Tensor, b: Tensor) -> Tensor:
    """y[i, j] = a[i] b[j] for vectors a: (n,) and b: (m,), giving (n, m); dtypes are promoted.

    A column times a row, broadcast: dL/da = (dL/dy) b,  dL/db = a (dL/dy)
    (the sums that Mul's broadcasting gives).
    """
    _check_tensors("outer", ("input", a), ("vec2", b))
    for name, t in (("self", a), ("vec2", b)):
        if t.data.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.ndim}-D")
    return a.unsqueeze(1) * b.unsqueeze(0)


class Linear(Function):
    """y = x W^T + b;  dL/dx = dL/dy W,  dL/dW = dL/dy^T x,  dL/db = dL/dy summed over rows

    x: (*, in), W: (out, in), b: (out,) or None -> y: (*, out). For dL/dW and
    dL/db every leading dim of x is a batch of rows.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> np.ndarray:
        need_x, need_w, _ = ctx.needs_input_grad
        ctx.save_for_backward(x if need_w else None, w if need_x else None)
        y = x @ w.T
        if b is not None:
            y += b  # in place: y is a new array, so no second one is needed
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None, Tensor | None]:
        x, w = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        rows = _rows(grad)
        return (
            grad @ w if need_x else None,
            rows.mT @ _rows(x) if need_w else None,
            rows.sum(0) if need_b else None,
        )


def _rows(t: Tensor) -> Tensor:
    """t as a matrix (rows, last dim): its leading dims flattened into rows."""
    return t if t.ndim == 2 else t.reshape(-1, t.shape[-1])


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x W^T + b for x (*, in), W (out, in), b (out,), checking the shapes.

    As in PyTorch, W may be (in,) without a bias (y (*)), and b any shape that broadcasts to y.
    """
    x_shape, w_shape = x.data.shape, weight.data.shape
    if len(w_shape) == 1 and bias is None and x_shape and x_shape[-1] == w_shape[0]:
        check_weight_dtype("linear", weight, x, None)
        return x @ weight  # (a weight (in,) is one output without its dim: y (*), as in PyTorch)
    if len(w_shape) != 2 or not x_shape or x_shape[-1] != w_shape[1]:
        raise RuntimeError(
            f"linear: input of shape {x.shape} and weight of shape {weight.shape} cannot be "
            "multiplied (need input (*, in_features) and weight (out_features, in_features))"
        )
    if bias is not None and bias.data.shape != w_shape[:1]:
        out_shape = (*x_shape[:-1], w_shape[0])
        if broadcasts_to(bias.data.shape, out_shape):  # (a bias of another shape that broadcasts)
            return linear(x, weight) + bias
        raise RuntimeError(
            f"linear: bias of shape {bias.shape} does not match weight of shape {weight.shape} "
            f"(need ({w_shape[0]},), or a shape that broadcasts to the output's {out_shape})"
        )
    check_weight_dtype("linear", weight, x, bias)
    return Linear.apply(x, weight, bias)


def check_weight_dtype(op: str, weight: Tensor, input: Tensor, bias: Tensor | None) -> None:
    """A layer's input and bias must have its weight's dtype (no promotion, as in PyTorch)."""
    for name, t in (("input", input), ("bias", bias)):
        if t is not None and t.data.dtype != weight.data.dtype:
            raise RuntimeError(
                f"{op}: {name} of dtype {t.dtype} does not match weight of dtype {weight.dtype} "
                "(convert the input with .to(dtype), or the model with .to(dtype))"
            )
