"""Powers in other forms: float_power (always in float64), ldexp (x times a power of 2) and
logaddexp2 (the log2 of a sum of powers of 2).

All three are composed from differentiable ops (Pow, Cast, Exp2, Mul,
LogAddExp), so their gradients need no formulas of their own:

    float_power(x, p) = x^p in float64     d/dx = p x^(p-1),  d/dp = x^p ln x
    ldexp(x, e)       = x 2^e              d/dx = 2^e,  d/de = x 2^e ln 2
    logaddexp2(a, b)  = log2(2^a + 2^b)    d/da = 2^a / (2^a + 2^b)

but for ldexp with integer exponents, which scales exactly (`Ldexp`): 2^e
alone may overflow where x 2^e does not, and 0 * 2^2000 is 0, not 0 * inf.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.function import Function, Node
from ..dtypes import get_default_dtype, result_type
from ..tensor import Tensor
from .broadcast import broadcast_shape, operands
from .more_math import LogAddExp, on_floats, quiet

LN2 = math.log(2.0)


def _require_tensor(op: str, value: Any, name: str = "other", position: int = 2) -> None:
    """PyTorch's TypeError for a number where these ops take a tensor only."""
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(value).__name__}"
        )


@quiet  # (a negative base to a fractional power is nan, as in PyTorch)
def float_power(input: Tensor | float, exponent: Tensor | float) -> Tensor:
    """input ** exponent computed in float64, whatever the dtypes (as torch.float_power).

    Either may be a number, not both. The gradient returns to each tensor in its own dtype.
    """
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TypeError(
            f"float_power(): expected a Tensor as input or exponent, got {type(input).__name__} and "
            f"{type(exponent).__name__}"
        )
    if not isinstance(input, Tensor):
        return float(input) ** exponent.to(np.float64)  # type: ignore[union-attr]  # (a Tensor, checked)
    return input.to(np.float64) ** (exponent.to(np.float64) if isinstance(exponent, Tensor) else exponent)


class Ldexp(Function):
    """y = x 2^e for integers e, exactly (NumPy's ldexp);  dy/dx = 2^e, so dL/dx = ldexp(dL/dy, e)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, e: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(e)
        return np.ldexp(x, e)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        (e,) = ctx.saved_tensors
        return Ldexp.apply(grad, e), None


@quiet  # (2**other beyond the dtype's range is inf, and 0 * inf is nan, as in PyTorch)
def ldexp(input: Tensor, other: Tensor) -> Tensor:
    """input * 2**other, in the dtype of the two promoted (the default float if both are integers).

    As in PyTorch, integer exponents scale exactly (ldexp(0, 2000) is 0), while
    float exponents, which get a gradient, go through 2**other (so it is nan).
    """
    _require_tensor("ldexp", other)
    dtype = result_type(input, other)
    if dtype.kind != "f":
        dtype = get_default_dtype()
    shape = broadcast_shape(input.shape, other.shape, op="ldexp")
    if other.data.dtype.kind in "iu":
        return Ldexp.apply(input.to(dtype).expand(shape), other.expand(shape))
    return input.to(dtype) * other.to(dtype).exp2()


@quiet
def logaddexp2(input: Tensor, other: Tensor) -> Tensor:
    """log2(2**input + 2**other), with no overflow for large values (floats only, as PyTorch).

    NOTE: computed as logaddexp(input ln 2, other ln 2) / ln 2, which rounds
    twice more than a direct formula would: a few units in the last place.
    """
    _require_tensor("logaddexp2", other)
    a, b = operands(input, other)
    if a.data.dtype.kind != "f":
        raise NotImplementedError(
            f"logaddexp2 is not implemented for integer tensors ({a.dtype} and {b.dtype}), as in "
            "PyTorch: convert one with .float() first"
        )
    broadcast_shape(a.shape, b.shape, op="logaddexp2")
    return on_floats(LogAddExp, a * LN2, b * LN2) / LN2
