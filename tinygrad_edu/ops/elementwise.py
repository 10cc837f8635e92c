"""Elementwise operations on two or three inputs: each output element depends on
one element of each input (add, sub, mul, div, remainder, pow, maximum, minimum, where).

Binary ops go through `binary` (ops/broadcast.py), so their forward and
backward always meet operands of one dtype whose shapes NumPy can broadcast,
and no backward here ever has to un-broadcast by hand. The ops on one input
(neg, exp, log, sqrt, clamp, cast, ...) are in ops/unary.py.
"""

from __future__ import annotations

from typing import overload

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor
from .broadcast import _expand_for_grad, as_operand, binary, broadcast_shape, operands

# ---------------------------------------------------------------- arithmetic


class Add(Function):
    """y = a + b;  dy/da = 1, dy/db = 1"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a + b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor]:
        return grad, grad


class Sub(Function):
    """y = a - b;  dy/da = 1, dy/db = -1"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a - b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor | None]:
        return grad, (-grad if ctx.needs_input_grad[1] else None)


def subtract(a: object, b: object) -> Tensor:
    """a - b for Tensors or numbers, refusing bool operands as PyTorch does.

    NumPy would subtract a bool from a number and raise a TypeError for two
    bool arrays; a bool minus anything is almost always a mask meant to be inverted.
    """
    if _is_bool(a) or _is_bool(b):
        raise RuntimeError(
            "sub: subtraction (-) with a bool tensor is not supported: to invert a mask use ~mask, "
            "and for the exclusive or of two masks use a != b"
        )
    return binary(Sub, a, b)


def _is_bool(x: object) -> bool:
    if isinstance(x, Tensor):
        return x.data.dtype == np.bool_
    return isinstance(x, (bool, np.bool_)) or (isinstance(x, np.ndarray) and x.dtype == np.bool_)


class Mul(Function):
    """y = a * b;  dy/da = b, dy/db = a"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        need_a, need_b = ctx.needs_input_grad
        # each input is needed only for the other's gradient: x * 2 does not keep x,
        # so x may change in place before backward, as in PyTorch
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        # grad * b, without the operator's dtype and broadcasting steps: forward's
        # `binary` took them already (a constant smaller than the output is broadcast
        # by NumPy, and the engine sums any gradient of another shape back to its input)
        return (Mul._apply2(grad, b) if need_a else None), (Mul._apply2(grad, a) if need_b else None)


class Div(Function):
    """y = a / b;  dy/da = 1/b, dy/db = -a/b^2"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        return a / b

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad / b if need_a else None), (-(grad * a) / (b * b) if need_b else None)


class Remainder(Function):
    """y = a mod b = a - b floor(a/b), with the sign of b (Python's %);  dy/da = 1, dy/db = -floor(a/b)"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        check_divisor(a, b, "remainder")
        with np.errstate(divide="ignore", invalid="ignore"):  # x % 0.0 is nan, as in PyTorch
            if ctx.needs_input_grad[1]:
                ctx.save_for_backward(a, b)
            return np.remainder(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        need_a, need_b = ctx.needs_input_grad
        if not need_b:
            return grad, None
        a, b = ctx.saved_tensors  # (floor(a/b) recomputed with Tensor ops: in the graph, with slope 0)
        return (grad if need_a else None), -(grad * a.div(b, rounding_mode="floor"))


def check_divisor(a: np.ndarray, b: np.ndarray, op: str) -> None:
    """Refuse what PyTorch refuses in a / b rounded (//, %, div with rounding_mode).

    Two bool operands (PyTorch has no bool division), and an integer division
    by zero (NumPy warns and gives 0). A float on either side makes it a float
    division, where x / 0 is inf or nan.
    """
    if a.dtype.kind == "b" and b.dtype.kind == "b":
        raise NotImplementedError(
            f"{op} is not implemented for two bool tensors, as in PyTorch; convert one with .long() first"
        )
    if a.dtype.kind != "f" and b.dtype.kind != "f" and a.size and not b.all():  # (nothing divided: no error)
        raise RuntimeError(
            f"{op}: integer division by zero (the divisor has a 0; float tensors give inf or nan there)"
        )


def divide_rounded(a: object, b: object, rounding_mode: str, op: str = "div") -> Tensor:
    """a / b rounded toward 0 ("trunc") or down ("floor"), elementwise; integers stay integers.

    Floats: trunc(a / b), and floor division as Python's //, which is exact
    where floor(a / b) would round first. Integers: exact integer division.
    Piecewise constant: div's gradient is 0, as in PyTorch, and floor_divide
    (the // operator) has none, also as in PyTorch.
    """
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found {rounding_mode!r}"
        )
    a, b = operands(a, b)
    check_divisor(a.data, b.data, op)
    broadcast_shape(a.data.shape, b.data.shape, op=op)
    if rounding_mode == "trunc":
        return binary(DivTrunc, a, b)
    return binary(FloorDivide if op == "floor_divide" else DivFloor, a, b)


def div_trunc(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Float a / b rounded toward 0."""
    return np.trunc(a / b)


def div_trunc_integers(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Integer a / b rounded toward 0: floor division, less one step where it rounded a negative down."""
    q = np.floor_divide(a, b)
    return q + ((np.remainder(a, b) != 0) & ((a < 0) != (b < 0)))


class DivTrunc(Function):
    """y = a / b rounded toward 0;  dy/da = dy/db = 0 (0 at the jumps too, as in PyTorch)"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):  # x / 0.0 is inf or nan, as in PyTorch
            if a.dtype.kind == "f":  # (operands share one dtype; a bool one is left unpromoted)
                return div_trunc(a, b)
            return div_trunc_integers(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor]:
        zero = Tensor._wrap(np.zeros_like(grad.data))
        return zero, zero


class DivFloor(DivTrunc):
    """y = a / b rounded down (Python's //);  dy/da = dy/db = 0"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.floor_divide(a, b)


class Undifferentiable(Function):
    """An op that is recorded but has no derivative: backward raises, naming the op.

    PyTorch records such ops too (a result that requires grad, with a
    grad_fn), so that the error comes where the gradient is asked for and
    says why. A subclass names the op (`op`) and says why (`why`); `error`
    is the type PyTorch raises for it (NotImplementedError, a RuntimeError
    too, for unique and its kin).
    """

    op: str
    why: str
    error: type[RuntimeError] = RuntimeError

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> None:
        op = ctx.function
        assert issubclass(op, Undifferentiable)
        raise op.error(f"the derivative for {op.op} is not implemented (as in PyTorch): {op.why}")


class FloorDivide(Undifferentiable):
    """y = a // b, the floor division of the // operator;  no derivative, as in PyTorch"""

    op = "floor_divide"
    why = (
        "a // b is piecewise constant, so its derivative is 0 wherever it exists; "
        "div(a, b, rounding_mode='floor') gives the same values with that zero gradient"
    )
    forward = staticmethod(DivFloor.forward)


class Pow(Function):
    """y = x^p;  dy/dx = p x^(p-1),  dy/dp = x^p ln x

    NOTE: as in PyTorch, dy/dx is 0 where p == 0 and dy/dp is 0 where x == 0
    and p >= 0, instead of the 0 * inf = nan the formulas would give there.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, p: np.ndarray | float) -> np.ndarray:
        if not isinstance(p, np.ndarray):
            p = np.asarray(p, dtype=x.dtype if x.dtype.kind == "f" else None)
        if x.dtype == np.bool_ and p.dtype == np.bool_:  # (NumPy would answer in int8)
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
        ctx.save_for_backward(x, p)
        if x.dtype.kind in "biu" and p.dtype.kind in "iu":  # (a mask to integer powers counts in integers)
            return _integer_power(x, p)
        return np.power(x, p)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        x, p = ctx.saved_tensors
        need_x, need_p = ctx.needs_input_grad
        gx = where(p == 0, 0.0, grad * p * x ** (p - 1)) if need_x else None
        gp = where((x == 0) & (p >= 0), 0.0, grad * x**p * x.log()) if need_p else None
        return gx, gp


def _integer_power(x: np.ndarray, p: np.ndarray) -> np.ndarray:
    """x^p for integers, as PyTorch: in x's dtype for a number p (wrapping round on overflow),
    and for p < 0 the quotient 1 / x^|p| rounded toward 0: 1 for x = 1, +-1 for x = -1, else 0
    (NumPy refuses negative integer powers)."""
    dtype = x.dtype if p.ndim == 0 and x.dtype != np.bool_ else np.result_type(x, p)
    negative = p < 0
    if not negative.any():
        return np.power(x, p).astype(dtype, copy=False)
    odd = np.abs(p) % 2 == 1
    y = np.power(x, np.where(negative, 0, p))
    y = np.where(negative, np.where(x == 1, 1, np.where(x == -1, np.where(odd, -1, 1), 0)), y)
    return y.astype(dtype, copy=False)


class Maximum(Function):
    """y = max(a, b);  the gradient goes to the larger input, split in half on ties"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor]:
        a, b = ctx.saved_tensors
        share = where(a == b, grad * 0.5, grad)
        return where(a < b, 0.0, share), where(a > b, 0.0, share)


class Minimum(Function):
    """y = min(a, b);  the gradient goes to the smaller input, split in half on ties"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor]:
        a, b = ctx.saved_tensors
        share = where(a == b, grad * 0.5, grad)
        return where(a > b, 0.0, share), where(a < b, 0.0, share)


class Where(Function):
    """y = a where cond else b;  the gradient goes to the input that was chosen"""

    @staticmethod
    def forward(ctx: Node, cond: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(cond)
        return np.where(cond, a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[None, Tensor | None, Tensor | None]:
        _, need_a, need_b = ctx.needs_input_grad
        (cond,) = ctx.saved_tensors
        return (
            None,
            where(cond, grad, 0.0) if need_a else None,
            where(cond, 0.0, grad) if need_b else None,
        )


@overload
def where(condition: object) -> tuple[Tensor, ...]: ...
@overload
def where(condition: object, input: object, other: object) -> Tensor: ...
def where(condition: object, input: object = None, other: object = None) -> Tensor | tuple[Tensor, ...]:
    """Pick elementwise from `input` where `condition` is true, else from `other` (tg.where).

    With the condition alone, the indices where it is true, one tensor per
    dim: ``condition.nonzero(as_tuple=True)``.
    """
    cond = condition if isinstance(condition, Tensor) else Tensor(condition)
    if input is None and other is None:
        return cond.nonzero(as_tuple=True)
    if input is None or other is None:
        raise TypeError("where() takes the condition alone, or the condition, input and other")
    if cond.data.dtype != np.bool_:
        raise RuntimeError(
            f"where: expected the condition to be a boolean tensor, but got a tensor with dtype {cond.dtype}"
        )
    a, b = input, other
    if not (isinstance(a, Tensor) or isinstance(b, Tensor)):
        a, b = Tensor(a), Tensor(b)
    elif not isinstance(a, Tensor):
        a = as_operand(a, b, fill=True)  # type: ignore[arg-type]  # (b is the Tensor)
    elif not isinstance(b, Tensor):
        b = as_operand(b, a, fill=True)
    a, b = operands(a, b)
    shape = broadcast_shape(cond.shape, a.shape, b.shape, op="Where")
    return Where.apply(cond, _expand_for_grad(a, shape), _expand_for_grad(b, shape))
