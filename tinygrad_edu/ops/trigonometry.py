"""Trigonometry beyond sin and cos: tan, the inverse and hyperbolic functions, atan2 and hypot.

Each backward is a line of the table of derivatives, written with Tensor
ops so that second derivatives work:

    tan x    1 + tan^2 x            sinh x    cosh x
    asin x   1 / sqrt(1 - x^2)      cosh x    sinh x
    acos x  -1 / sqrt(1 - x^2)      asinh x   1 / sqrt(x^2 + 1)
    atan x   1 / (1 + x^2)          acosh x   1 / sqrt(x^2 - 1)
                                    atanh x   1 / (1 - x^2)

NOTE: 1 - x^2 is computed as (1 - x)(1 + x), and x^2 - 1 as (x - 1)(x + 1):
near |x| = 1, where these derivatives blow up, 1 - x*x would lose most of
its digits to cancellation.

Out of a function's domain (asin 2, acosh 0.5) the result is nan, and at
its edge (atanh 1) infinite, silently, as in PyTorch (`quiet`). sin and cos
are in ops/unary.py, tanh in ops/activation.py.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor
from .elementwise import where
from .more_math import quiet


def _one_minus_square(x: Tensor) -> Tensor:
    return (1.0 - x) * (1.0 + x)


class Tan(Function):
    """y = tan x;  dy/dx = 1 + tan^2 x = 1 + y^2"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = np.tan(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (y,) = ctx.saved_tensors
        return grad * (y * y + 1.0)


# ---------------------------------------------------------------- inverse functions


class Asin(Function):
    """y = asin x, in [-pi/2, pi/2];  dy/dx = 1 / sqrt(1 - x^2)"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arcsin(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * _one_minus_square(x).rsqrt()


class Acos(Function):
    """y = acos x, in [0, pi];  dy/dx = -1 / sqrt(1 - x^2)"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arccos(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return -(grad * _one_minus_square(x).rsqrt())


class Atan(Function):
    """y = atan x, in (-pi/2, pi/2);  dy/dx = 1 / (1 + x^2)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arctan(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad / (x * x + 1.0)


class Atan2(Function):
    """y = atan2(a, b), the angle of the point (b, a), in [-pi, pi];  dy/da = b / (a^2 + b^2),
    dy/db = -a / (a^2 + b^2)

    NOTE: at a = b = 0 both are 0, as in PyTorch, instead of the 0/0 of the formulas.
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    @quiet  # (inf / inf = nan where a and b are infinite, as in PyTorch)
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        r = a * a + b * b
        r = where(r == 0, 1.0, r)  # there a = b = 0, so the numerators make both gradients 0
        return (grad * b / r if need_a else None), (-(grad * a) / r if need_b else None)


class Hypot(Function):
    """y = sqrt(a^2 + b^2), with no overflow for large a or b;  dy/da = a / y,  dy/db = b / y"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        y = np.hypot(a, b)
        ctx.save_for_backward(a, b, y)
        return y

    @staticmethod
    @quiet  # 0/0 = nan at a = b = 0, as in PyTorch
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        a, b, y = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad * a / y if need_a else None), (grad * b / y if need_b else None)


# ---------------------------------------------------------------- hyperbolic functions


class Sinh(Function):
    """y = sinh x = (e^x - e^-x) / 2;  dy/dx = cosh x"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sinh(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * x.cosh()


class Cosh(Function):
    """y = cosh x = (e^x + e^-x) / 2;  dy/dx = sinh x"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.cosh(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * x.sinh()


class Asinh(Function):
    """y = asinh x = ln(x + sqrt(x^2 + 1));  dy/dx = 1 / sqrt(x^2 + 1)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arcsinh(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * (x * x + 1.0).rsqrt()


class Acosh(Function):
    """y = acosh x = ln(x + sqrt(x^2 - 1)), for x >= 1;  dy/dx = 1 / sqrt(x^2 - 1)"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arccosh(x)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * ((x - 1.0) * (x + 1.0)).rsqrt()


class Atanh(Function):
    """y = atanh x = ln((1 + x) / (1 - x)) / 2, for |x| <= 1;  dy/dx = 1 / (1 - x^2)"""

    @staticmethod
    @quiet
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.arctanh(x)

    @staticmethod
    @quiet  # infinite at x = +-1, as in PyTorch
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad / _one_minus_square(x)
