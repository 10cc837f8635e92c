"""Unary operations: one input, one output per element, y_i = f(x_i).

Each backward multiplies the upstream gradient by f'(x_i), element by
element, with no broadcasting to undo: the table of derivatives from a
calculus course (-1, e^x, 1/x, cos x, ...; 0 for the roundings, which are
piecewise constant). Clamp's bounds are constants,
not inputs. Cast and Clone are here too: one input, and a gradient that
passes straight back (cast to the input's dtype, for Cast).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function, Node
from ..dtypes import get_default_dtype, result_type
from ..tensor import Tensor
from .broadcast import _expand_for_grad, as_operand, broadcast_shape
from .special import erf as _erf

# ---------------------------------------------------------------- math


class Neg(Function):
    """y = -x;  dy/dx = -1"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return -x

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return -grad


class Reciprocal(Function):
    """y = 1/x;  dy/dx = -1/x^2 = -y^2

    It keeps y, not x, as PyTorch's does, so ``c = 3 / b`` (computed as
    reciprocal(b) * 3) lets b change in place before backward.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = 1.0 / x
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return -(grad * y * y)


class Exp(Function):
    """y = e^x;  dy/dx = e^x = y"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = np.exp(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return grad * y


class Log(Function):
    """y = ln x;  dy/dx = 1/x"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad / x


class Log1p(Function):
    """y = ln(1 + x), accurate for tiny x;  dy/dx = 1/(1 + x)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log1p(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad / (x + 1.0)


class Expm1(Function):
    """y = e^x - 1, accurate for tiny x;  dy/dx = e^x

    NOTE: the slope is e^x from x, not y + 1: for x below about -37, y + 1
    rounds to 0 while e^x is still a (tiny) positive number.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.expm1(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * x.exp()


class Sqrt(Function):
    """y = sqrt(x);  dy/dx = 1 / (2 sqrt(x)) = 1 / (2y)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = np.sqrt(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return grad / (y * 2.0)


class Abs(Function):
    """y = |x|;  dy/dx = sign(x)   NOTE: 0 at x = 0, as in PyTorch"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * x.sign()


class Floor(Function):
    """y = floor x;  dy/dx = 0 wherever it exists (and 0 at the jumps too, as in PyTorch)

    Ceil, Trunc, Round and Sign are piecewise constant as well, and share this backward.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return np.floor(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        zero = Tensor._wrap(np.zeros_like(grad.data))
        return (zero,) + (None,) * (len(ctx.needs_input_grad) - 1)  # (round's decimals: no gradient)


class Ceil(Floor):
    """y = ceil x;  dy/dx = 0"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return np.ceil(x)


class Trunc(Floor):
    """y = x rounded toward 0;  dy/dx = 0"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return np.trunc(x)


class Round(Floor):
    """y = x rounded to `decimals` digits, halves to even;  dy/dx = 0"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, decimals: int) -> np.ndarray:  # type: ignore[override]  # decimals
        return np.round(x, decimals)


class Sign(Floor):
    """y = -1, 0 or 1;  dy/dx = 0   NOTE: sign(nan) is 0, as in PyTorch (NumPy's is nan)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        signs = np.asarray(np.sign(x))  # (an array even for 0-d x)
        if signs.dtype.kind == "f":
            signs[np.isnan(signs)] = 0
        return signs


def rounded(fn: type[Floor], x: Tensor, *consts: int) -> Tensor:
    """floor, ceil, trunc or round of x: integers are whole already, and bool is refused, as in PyTorch."""
    if x.data.dtype == np.bool_:
        raise NotImplementedError(f"{fn.__name__.lower()} is not implemented for bool tensors, as in PyTorch")
    if x.data.dtype.kind != "f":
        if consts and consts[0] != 0:
            raise NotImplementedError(f"round with decimals is not implemented for {x.dtype}, as in PyTorch")
        return Tensor._wrap(x.data.copy())
    return fn._apply1(x, *consts)


class Sin(Function):
    """y = sin x;  dy/dx = cos x"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * x.cos()


class Cos(Function):
    """y = cos x;  dy/dx = -sin x"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return -(grad * x.sin())


class Erf(Function):
    """y = erf x;  dy/dx = 2/sqrt(pi) e^(-x^2)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return _erf(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * (2.0 / np.sqrt(np.pi)) * (-(x * x)).exp()


class Clamp(Function):
    """y = min(max(x, lo), hi), each bound a number, a tensor (broadcast) or None.

    dy/dx  = 1 where lo <= x <= hi
    dy/dlo = 1 where x < lo < hi        (a tensor bound gets its gradient where it wins)
    dy/dhi = 1 where x > hi, or hi < lo (y is hi everywhere once lo > hi, as in PyTorch)
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
        # a tensor bound arrives as an array and is saved; a number is kept on ctx
        ctx.save_for_backward(x, *[b if isinstance(b, np.ndarray) else None for b in (lo, hi)])
        ctx.lo, ctx.hi = [None if isinstance(b, np.ndarray) else b for b in (lo, hi)]
        return np.clip(x, lo, hi).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, Tensor | None, Tensor | None]:
        x, lo_tensor, hi_tensor = ctx.saved_tensors
        lo = ctx.lo if lo_tensor is None else lo_tensor
        hi = ctx.hi if hi_tensor is None else hi_tensor
        inside = Tensor._wrap(np.ones(x.shape, dtype=bool))
        if lo is not None:
            inside = inside & (x >= lo)
        if hi is not None:
            inside = inside & (x <= hi)
        grad_lo = grad_hi = None
        if ctx.needs_input_grad[1]:
            below = x < lo
            grad_lo = grad * (below if hi is None else below & (lo < hi))
        if ctx.needs_input_grad[2]:
            above = x > hi
            grad_hi = grad * (above if lo is None else above | (hi < lo))
        return grad * inside, grad_lo, grad_hi


def clamp(x: Tensor, min: float | Tensor | None = None, max: float | Tensor | None = None) -> Tensor:
    """Limit every element to [min, max]; either bound may be None, a number or a tensor."""
    if min is None and max is None:
        raise RuntimeError("clamp: at least one of 'min' or 'max' must not be None")
    bounds = [v for v in (min, max) if v is not None]
    if any(isinstance(v, Tensor) for v in bounds):
        # the result takes the dtype of x and the bounds together (an int x with float bounds is
        # float, a float32 x with float64 bounds float64), as in PyTorch
        dtype = result_type(x, *[v if isinstance(v, Tensor) else as_operand(v, x) for v in bounds])
        shape = broadcast_shape(x.shape, *[v.shape for v in bounds if isinstance(v, Tensor)], op="clamp")
        # what needs a gradient is broadcast by a recorded Expand, as in `binary`
        x = _expand_for_grad(x.to(dtype), shape)
        min, max = [_expand_for_grad(v.to(dtype), shape) if isinstance(v, Tensor) else v for v in (min, max)]
    elif x.data.dtype.kind != "f" and any(isinstance(v, (float, np.floating)) for v in bounds):
        x = x.to(get_default_dtype())  # integers clamped to a float bound become floats, as in PyTorch
    elif x.data.dtype == np.bool_:  # (bools clamped to int bounds become int64, by promotion, as in PyTorch)
        if any(isinstance(v, (bool, np.bool_)) for v in bounds):
            raise NotImplementedError("\"clamp_scalar_cpu\" not implemented for 'Bool'")
        x = x.to(np.int64)
    return Clamp.apply(x, min, max)


# ---------------------------------------------------------------- copies and casts


class Cast(Function):
    """y = x as another dtype;  the gradient is cast back to x's dtype"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dtype: np.dtype) -> np.ndarray:
        ctx.dtype = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        return grad.to(ctx.dtype), None


class Clone(Function):
    """y = a copy of x;  dy/dx = 1"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        return x.copy()

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        return grad
