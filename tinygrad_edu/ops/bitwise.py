"""Ops on the bits of integer and bool tensors: and, or, xor, not, shifts; and gcd, lcm.

They are what the operators & | ^ ~ << >> do on tensors. None of them has
a gradient (they refuse float tensors, which alone could need one). On bool
tensors and, or, xor and not are the logical ones, as in PyTorch.

The operands are promoted by PyTorch's rule first (int32 & int64 is int64,
uint8 | int8 is int16, a bool tensor & 1 is int64). NumPy's shifts already
give PyTorch's answer where C leaves it undefined: a shift by a negative
count or by at least the number of bits gives 0 (a right shift of a
negative number gives -1).
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .broadcast import broadcast_shape, operands

_SHIFTS = (np.left_shift, np.right_shift)


def bitwise(fn: np.ufunc, a: object, b: object, op: str) -> Tensor:
    """fn(a, b) elementwise for a NumPy bitwise ufunc `fn`, named `op` in errors.

    a and b are tensors or numbers (one at least a tensor) of integers or
    bools; shifts take bools only beside integers (bool << 1 is int64).
    """
    a, b = operands(a, b)
    for t in (a, b):
        if t.data.dtype.kind == "f":
            raise NotImplementedError(
                f"{op} is not implemented for {t.dtype} tensors, as in PyTorch (only for integer and "
                "bool ones)"
            )
    if fn in _SHIFTS and a.data.dtype == b.data.dtype == np.bool_:
        raise NotImplementedError(f"{op} is not implemented for two bool tensors, as in PyTorch")
    broadcast_shape(a.shape, b.shape, op=op)
    return Tensor._wrap(np.asarray(fn(a.data, b.data)))


def bitwise_not(x: Tensor, op: str = "bitwise_not") -> Tensor:
    """~x: every bit flipped (-x - 1 for signed integers); `not` on bools."""
    if x.data.dtype.kind == "f":
        if op == "~":  # (the operator's error is a TypeError in PyTorch)
            raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
        raise NotImplementedError(f"{op} is not implemented for {x.dtype} tensors, as in PyTorch")
    return Tensor._wrap(np.invert(x.data))


def _integers(op: str, input: Tensor, other: object) -> tuple[Tensor, Tensor]:
    """input and other, two tensors of integers (promoted to one dtype), or PyTorch's errors."""
    if not isinstance(other, Tensor):
        raise TypeError(f"{op}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}")
    a, b = operands(input, other)
    for t in (a, b):
        if t.data.dtype.kind not in "iu":
            raise NotImplementedError(f"{op} is not implemented for {t.dtype} tensors (integers only)")
    broadcast_shape(a.shape, b.shape, op=op)
    return a, b


def gcd(input: Tensor, other: Tensor) -> Tensor:
    """The greatest common divisor of each pair, >= 0; gcd(0, 0) is 0."""
    a, b = _integers("gcd", input, other)
    return Tensor._wrap(np.asarray(np.gcd(a.data, b.data)))


def lcm(input: Tensor, other: Tensor) -> Tensor:
    """The least common multiple of each pair, >= 0; 0 where either is 0."""
    a, b = _integers("lcm", input, other)
    return Tensor._wrap(np.asarray(np.lcm(a.data, b.data)))
