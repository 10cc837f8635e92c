"""More elementwise math: other bases of log and exp, log-domain helpers, the fractional part,
signs, interpolation, and the replacement of nan and infinities.

The differentiable primitives and their derivatives:

    log2 x           1 / (x ln 2)          fmod(a, b)      1 and -trunc(a/b)
    log10 x          1 / (x ln 10)         copysign(a, b)  sign(a) sign(y) and 0
    exp2 x = 2^x     2^x ln 2              logaddexp(a, b) sigmoid(a - b) and sigmoid(b - a)
    rsqrt x          -1 / (2 x sqrt x)     xlogy(x, z)     ln z and x / z
    logit x          1 / (x (1 - x))

lerp, addcmul, addcdiv, frac and nan_to_num are composed from those of
ops/elementwise.py (and frac from trunc, ops/unary.py); heaviside and the
tests (isinf, signbit, ...) are piecewise constant and carry no gradient.

Out of a function's domain (log2 of -1, rsqrt of 0) the result is nan or
infinite, silently, as in PyTorch: these ops switch NumPy's warnings off (`quiet`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import numpy as np

from ..autograd.function import Function, Node
from ..dtypes import get_default_dtype, require_float
from ..tensor import Tensor, _floating, _is_integral
from .broadcast import as_operand, binary, broadcast_shape, operands
from .elementwise import Undifferentiable, check_divisor, where

P = ParamSpec("P")
R = TypeVar("R")

LN2, LN10 = math.log(2.0), math.log(10.0)


def quiet(fn: Callable[P, R]) -> Callable[P, R]:
    """`fn` with NumPy's floating-point warnings off: its nan and inf results are answers, not accidents."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)

    return run


def on_floats(fn: type[Function], a: Any, b: Any, integers: bool = True) -> Tensor:
    """binary(fn, a, b), with integer (and bool) operands turned into the default float first.

    For ops whose result is a float whatever the operands (atan2, xlogy,
    copysign), as in PyTorch. With ``integers=False`` integer operands are
    refused instead, as PyTorch refuses them for hypot and logaddexp.
    """
    a, b = operands(a, b)
    if a.data.dtype.kind != "f" and b.data.dtype.kind != "f":
        if not integers:
            name = fn.__name__.lower()
            raise NotImplementedError(
                f"{name} is not implemented for integer tensors ({a.dtype} and {b.dtype}), as in "
                "PyTorch: convert one with .float() first"
            )
        a, b = a.to(get_default_dtype()), b.to(get_default_dtype())
    return binary(fn, a, b)


# ---------------------------------------------------------------- logs and exps


class Log2(Function):
    """y = log2 x;  dy/dx = 1 / (x ln 2)"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log2(x)

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad / (x * LN2)


class Log10(Function):
    """y = log10 x;  dy/dx = 1 / (x ln 10)"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log10(x)

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad / (x * LN10)


class Exp2(Function):
    """y = 2^x;  dy/dx = 2^x ln 2 = y ln 2"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = np.exp2(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return grad * y * LN2


class Rsqrt(Function):
    """y = 1 / sqrt(x);  dy/dx = -1 / (2 x sqrt x) = -y^3 / 2"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = 1 / np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return grad * (y * y * y) * -0.5


class LogAddExp(Function):
    """y = ln(e^a + e^b), with no overflow for large a or b;
    dy/da = e^a / (e^a + e^b) = sigmoid(a - b),  dy/db = sigmoid(b - a)

    NOTE: sigmoid(a - b), not e^(a - y): for a = inf and b = -inf it gives
    1, where a - y would be inf - inf = nan (as PyTorch's formula gives 1).
    """

    @staticmethod
    @quiet
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.logaddexp(a, b)

    @staticmethod
    @quiet  # (a - b is nan where both are inf of one sign, and so is the gradient, as in PyTorch)
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        d = a - b
        return (grad * d.sigmoid() if need_a else None), (grad * (-d).sigmoid() if need_b else None)


class Xlogy(Function):
    """y = x ln z, and 0 where x = 0;  dy/dx = ln z,  dy/dz = x / z

    NOTE: PyTorch's rules at the edges. x = 0 gives 0 even where ln z is
    -inf (z = 0) or nan (z < 0), but a nan z gives nan. dy/dx is 0 where
    x = 0 and z <= 0, and is computed as xlogy(grad, z), so a zero upstream
    gradient gives 0 there too.
    """

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray, z: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x, z)
        return np.where((x == 0) & ~np.isnan(z), 0, x * np.log(z))

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        x, z = ctx.saved_tensors
        need_x, need_z = ctx.needs_input_grad
        gx = where((x == 0) & (z <= 0), 0.0, Xlogy._apply2(grad, z)) if need_x else None
        return gx, (grad * x / z if need_z else None)


class Logit(Function):
    """y = ln(x / (1 - x)), the inverse of sigmoid;  dy/dx = 1 / (x (1 - x))

    With eps, x is first clamped to [eps, 1 - eps], and the gradient is 0
    outside it (as clamp's). Without, x outside [0, 1] gives nan, and so
    does its gradient, as in PyTorch.
    """

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray, eps: float | None) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.eps = eps
        if eps is not None:  # (not np.clip: PyTorch's order when eps > 0.5 puts eps first)
            x = np.where(x < eps, eps, np.where(x > 1 - eps, 1 - eps, x)).astype(x.dtype, copy=False)
        return np.log(x / (1 - x))

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        (x,) = ctx.saved_tensors
        slope = grad / (x * (1.0 - x))
        if ctx.eps is None:
            return where((x < 0) | (x > 1), math.nan, slope), None
        return where((x < ctx.eps) | (x > 1 - ctx.eps), 0.0, slope), None


def logit(x: Tensor, eps: float | None = None) -> Tensor:
    """ln(x / (1 - x)), with x clamped to [eps, 1 - eps] first when eps is given (a negative eps: none)."""
    return Logit._apply1(_floating(x), None if eps is None or eps < 0 else float(eps))


# ---------------------------------------------------------------- rounding toward 0 and signs


class Fmod(Function):
    """y = a - b trunc(a/b), with the sign of a (C's fmod);  dy/da = 1,  dy/db = -trunc(a/b)

    remainder (ops/elementwise.py) is its twin with the sign of b (Python's %).
    """

    @staticmethod
    @quiet  # x fmod 0.0 is nan, as in PyTorch
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        check_divisor(a, b, "fmod")
        if ctx.needs_input_grad[1]:
            ctx.save_for_backward(a, b)
        return np.fmod(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        need_a, need_b = ctx.needs_input_grad
        if not need_b:
            return grad, None
        a, b = ctx.saved_tensors  # (trunc(a/b) recomputed with Tensor ops: in the graph, with slope 0)
        return (grad if need_a else None), -(grad * a.div(b, rounding_mode="trunc"))


class Copysign(Function):
    """y = |a| with the sign of b (-0.0 counts as negative);  dy/da = y / a (= ±1),  dy/db = 0

    NOTE: dy/da is 0 at a = 0, as in PyTorch (the kink of |a|), and nan where
    a is nan or infinite, as PyTorch's y / a is; b gets a gradient of zeros,
    not None: y does not change with b away from 0.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        y = np.copysign(a, b)
        ctx.save_for_backward(a, y)
        return y

    @staticmethod
    @quiet  # (inf / inf)
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, y = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        zero = Tensor._wrap(a.data == 0)
        return (grad * where(zero, 0.0, y.detach() / where(zero, 1.0, a.detach())) if need_a else None), (
            Tensor._wrap(np.zeros_like(grad.data)) if need_b else None
        )


@quiet  # (inf - inf: frac of an infinity is nan, as in PyTorch)
def frac(x: Tensor) -> Tensor:
    """x - trunc(x), the fractional part with the sign of x;  dy/dx = 1."""
    if x.data.dtype.kind != "f":
        raise NotImplementedError(f"frac is not implemented for {x.dtype} tensors, as in PyTorch")
    return x - x.trunc()


def heaviside(x: Tensor, values: Any) -> Tensor:
    """The step function: 0 where x < 0 (and where x is nan), `values` where x == 0, 1 where x > 0.

    values must have x's dtype, as in PyTorch; the result has it too (no gradient).
    """
    values = values if isinstance(values, Tensor) else as_operand(values, x)
    if values.dtype != x.dtype:
        raise RuntimeError(
            f"heaviside: input and values must have one dtype (PyTorch does not promote them), "
            f"got {x.dtype} and {values.dtype}"
        )
    broadcast_shape(x.shape, values.shape, op="heaviside")
    return binary(Heaviside, x, values)


class Heaviside(Undifferentiable):
    """y = 0 where x < 0, values where x == 0, 1 where x > 0;  no derivative, as in PyTorch"""

    op = "heaviside"
    why = (
        "the step's derivative is 0 everywhere but at 0, where it has none, so no gradient "
        "could pass; a smooth step such as sigmoid(k * x) has one"
    )

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.where(x == 0, values, x > 0).astype(x.dtype, copy=False)


# ---------------------------------------------------------------- interpolation, fused arithmetic


@quiet
def lerp(start: Tensor, end: Any, weight: Any) -> Tensor:
    """start + weight (end - start), elementwise; weight is a number or a tensor, and all three broadcast.

    dy/dstart = 1 - weight, dy/dend = weight, dy/dweight = end - start.
    NOTE: for |weight| >= 0.5 it is computed as end - (end - start)(1 - weight),
    as PyTorch does, so that weight = 1 gives exactly end.
    """
    end = end if isinstance(end, Tensor) else as_operand(end, start)
    require_float(start.dtype, "lerp")
    for name, t in (("end", end), ("weight", weight)):
        if isinstance(t, Tensor) and t.dtype != start.dtype:
            raise RuntimeError(f"lerp: expected dtype {start.dtype} for `{name}` but got dtype {t.dtype}")
    broadcast_shape(start.shape, end.shape, np.shape(weight), op="lerp")
    diff = end - start
    if not isinstance(weight, Tensor):
        return start + diff * weight if abs(weight) < 0.5 else end - diff * (1 - weight)
    near_start = Tensor._wrap(np.abs(weight.data) < 0.5)
    return where(near_start, start + weight * diff, end - diff * (1.0 - weight))


@quiet
def addcmul(x: Tensor, tensor1: Any, tensor2: Any, value: float = 1) -> Tensor:
    """x + value * tensor1 * tensor2, elementwise; the three broadcast."""
    broadcast_shape(x.shape, np.shape(tensor1), np.shape(tensor2), op="addcmul")
    if isinstance(value, float) and all(_is_integral(t) for t in (x, tensor1, tensor2)):
        raise RuntimeError(
            f"addcmul: value={value} is a float and the tensors are integers (the result would be an "
            "integer tensor): convert them with .float() first"
        )
    product = tensor1 * tensor2
    return x + (product if value == 1 else product * value)


@quiet
def addcdiv(x: Tensor, tensor1: Any, tensor2: Any, value: float = 1) -> Tensor:
    """x + value * tensor1 / tensor2, elementwise; the three broadcast."""
    broadcast_shape(x.shape, np.shape(tensor1), np.shape(tensor2), op="addcdiv")
    if _is_integral(tensor1) and _is_integral(tensor2):
        raise RuntimeError(
            "addcdiv: integer division is not supported (tensor1 and tensor2 are both integers), as in "
            "PyTorch: for a true division convert one of them with .float() first"
        )
    quotient = tensor1 / tensor2
    return x + (quotient if value == 1 else quotient * value)


# ---------------------------------------------------------------- nan and infinities


@quiet  # (a posinf too large for float16 becomes inf there, as in PyTorch)
def nan_to_num(
    x: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """x with nan, inf and -inf replaced by `nan`, `posinf` and `neginf`.

    posinf and neginf default to the largest and the lowest finite value of
    x's dtype. The gradient passes where x is finite and is 0 where a value
    was replaced.
    """
    filled = Tensor._wrap(np.nan_to_num(x.data, nan=nan, posinf=posinf, neginf=neginf))
    return where(Tensor._wrap(np.isfinite(x.data)), x, filled)
