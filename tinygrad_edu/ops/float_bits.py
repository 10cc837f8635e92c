"""How a float is stored: frexp (mantissa and exponent) and nextafter (the neighbouring float).

    frexp(x)         (m, e) with x = m * 2**e, 0.5 <= |m| < 1 (m = x, e = 0 for 0, inf, nan)
    nextafter(x, y)  the float next to x in the direction of y (x itself where x == y)

frexp's mantissa is x times a power of two, so dm/dx = 2**-e (PyTorch's gradient);
the exponent is an int32 tensor with no gradient. nextafter moves x by one unit in
the last place, and PyTorch gives it the gradient of x itself: dL/dx = dL/dy and
dL/dother = 0 (a new Function, Nextafter, since no composite gives exactly the
neighbouring float and that gradient at infinities too).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from ..autograd.function import Function, Node
from ..dtypes import result_type, torch_name
from ..tensor import Tensor
from .broadcast import binary

Frexp = namedtuple("Frexp", ["mantissa", "exponent"])  # (torch.return_types.frexp)


def frexp(input: Tensor) -> Frexp:
    """(mantissa, exponent) with input = mantissa * 2**exponent, 0.5 <= |mantissa| < 1: (*) -> (*), (*).

    The mantissa keeps input's dtype and gradient (times 2**-exponent); the exponent is int32.
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"frexp(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if input.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    _, exponent = np.frexp(input.data)
    # NOTE: 2**-e overflows for the smallest (subnormal) floats, e.g. 2**148 in float32;
    # two half-way factors never do, and each product is exact (a power of two).
    first = -exponent.astype(np.int64) // 2
    second = -exponent.astype(np.int64) - first
    dtype = input.dtype
    mantissa = input * Tensor._wrap(np.ldexp(np.ones((), dtype), first).astype(dtype))
    mantissa = mantissa * Tensor._wrap(np.ldexp(np.ones((), dtype), second).astype(dtype))
    return Frexp(mantissa, Tensor._wrap(exponent.astype(np.int32)))


class Nextafter(Function):
    """y = the float after a towards b;  dL/da = dL/dy, dL/db = 0 (as PyTorch)"""

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.nextafter(a, b)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        need_a, need_b = ctx.needs_input_grad
        return (grad if need_a else None), (Tensor._wrap(np.zeros_like(grad.data)) if need_b else None)


def nextafter(input: Tensor, other: Tensor) -> Tensor:
    """The next float after input towards other, elementwise (broadcast), in their common float dtype."""
    for position, (name, value) in enumerate((("input", input), ("other", other)), 1):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"nextafter(): argument '{name}' (position {position}) must be Tensor, "
                f"not {type(value).__name__}"
            )
    dtype = result_type(input, other)
    if dtype.kind != "f":
        raise NotImplementedError(f"\"nextafter_cpu\" not implemented for '{torch_name(dtype)}'")
    return binary(Nextafter, input, other)
