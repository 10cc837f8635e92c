"""Broadcasting: how two operands of a binary op are made to fit, in one place.

`binary` turns numbers into constant Tensors, promotes the operands to one
dtype by PyTorch's rule, and broadcasts. An operand that needs a gradient is
broadcast with an explicit, recorded `expand`, whose backward sums the
gradient back to the operand's shape; so no backward ever has to
un-broadcast by hand. Constants are left to NumPy's broadcasting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autograd.function import Function
from ..autograd.grad_mode import _state
from ..dtypes import get_default_dtype, result_type
from ..tensor import Tensor
from .movement import Expand

_constants: dict[tuple, Tensor] = {}


def as_operand(value: object, like: Tensor, fill: bool = False) -> Tensor:
    """A Python number or array as a constant Tensor to combine with `like`.

    Python numbers take `like`'s dtype when it is a float (as in PyTorch:
    float32 * 2.0 stays float32); a float with an integer tensor gives the
    default float dtype. An integer too large for an integer `like` wraps
    around in arithmetic (uint8 + 300 is uint8 + 44), but is refused as a
    value to write (`fill`: where, masked_fill, fill_, setitem), as in PyTorch.
    """
    if type(value) is float and like.data.dtype.kind == "f":
        # Cached: backward formulas such as 1 - y*y meet the same numbers all the time.
        key = (value, like.data.dtype)
        constant = _constants.get(key)
        if constant is None:
            if len(_constants) > 4096:
                _constants.clear()
            constant = _constants[key] = Tensor._wrap(np.asarray(value, dtype=like.data.dtype))
        return constant
    if isinstance(value, (bool, int, float, np.number, np.bool_)):
        kind = like.data.dtype.kind
        if kind == "f":
            dtype = like.dtype
        elif isinstance(value, (float, np.floating)):
            dtype = get_default_dtype()
        elif isinstance(value, (bool, np.bool_)):
            dtype = like.dtype
        elif kind in "iu":
            if fill:
                check_written(value, like.data.dtype)
            return Tensor._wrap(np.asarray(value).astype(like.dtype))  # wraps around if it must
        else:
            dtype = np.dtype(np.int64)
        return Tensor._wrap(np.asarray(value, dtype=dtype))
    return Tensor(value)


def check_written(value: Any, dtype: np.dtype) -> None:
    """Raise PyTorch's error for a number to write that an integer `dtype` cannot hold.

    As in PyTorch, an unsigned dtype also takes negative integers down to minus its
    largest one, written modulo 2**bits (uint8 takes -255..255: -1 is written as 255),
    but floats only within its range (they are truncated toward 0 when written). nan
    compares False with everything, so it is refused too (NumPy would write the
    smallest integer). Other dtypes take any number.
    """
    if dtype.kind not in "iu" or isinstance(value, (bool, np.bool_)):
        return
    info = np.iinfo(dtype)
    low = info.min if isinstance(value, (float, np.floating)) or info.min < 0 else -info.max
    if not low <= value <= info.max:
        raise RuntimeError(f"value cannot be converted to type {dtype.name}_t without overflow")


def broadcast_shape(*shapes: tuple[int, ...], op: str = "broadcast") -> tuple[int, ...]:
    """The shape that all `shapes` broadcast to, or a RuntimeError naming them.

    Sizes are compared from the last dim backwards, as PyTorch does, so the
    error names the rightmost dim where two sizes other than 1 differ.
    """
    ndim = max(len(shape) for shape in shapes)
    result = [1] * ndim
    for axis in range(-1, -ndim - 1, -1):
        sizes = [shape[axis] if -axis <= len(shape) else 1 for shape in shapes]
        others = {n for n in sizes if n != 1}
        if len(others) > 1:
            shown = " and ".join(str(tuple(s)) for s in shapes)
            raise RuntimeError(
                f"{op}: shapes {shown} are not broadcastable: sizes {' and '.join(map(str, sizes))} "
                f"at dimension {axis} (counting from the right), where sizes must be equal or 1"
            )
        result[axis] = others.pop() if others else 1
    return tuple(result)


def broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Does `shape` broadcast to `target` (each of its sizes 1 or target's, counting from the right)?"""
    if len(shape) > len(target):
        return False
    return all(n in (1, m) for n, m in zip(shape[::-1], target[::-1]))


def promote(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """Both operands cast to the dtype PyTorch gives their op (see `dtypes.result_type`).

    NumPy's rule differs: int64 with float32 gives float64 there, and a 0-d
    float64 array makes a float32 one float64. The cast is recorded, so an
    operand that needs a gradient gets it back in its own dtype. A bool
    operand is left to NumPy, which never widens anything for one (x * mask).
    """
    dtype = result_type(a, b)
    return _cast(a, dtype), _cast(b, dtype)


def _cast(t: Tensor, dtype: np.dtype) -> Tensor:
    """`t` in `dtype`, unless it has it already or is a bool tensor (`promote`)."""
    return t if t.data.dtype == dtype or t.data.dtype.kind == "b" else t.to(dtype)


def as_operands(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Two operands (one at least a Tensor) as Tensors: a number or array beside a Tensor
    becomes a constant by `as_operand` (`binary` does the same inline, on its hot path)."""
    if not isinstance(a, Tensor):
        a = as_operand(a, b)
    elif not isinstance(b, Tensor):
        b = as_operand(b, a)
    return a, b


def operands(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Two operands (one at least a Tensor) as Tensors of one dtype (`as_operands`, then `promote`).

    What `binary` does before broadcasting, for the ops that take no gradient
    or broadcast by their own rule (floor division, `where`).
    """
    a, b = as_operands(a, b)
    return promote(a, b) if a.data.dtype != b.data.dtype else (a, b)


def result_type_of(tensor1: Any, tensor2: Any) -> np.dtype:
    """The dtype of an elementwise op on two Tensors or numbers, as `torch.result_type`.

    ``tg.result_type(int_tensor, 2.5)`` is the default float dtype and
    ``tg.result_type(float32_tensor, 2.5)`` float32: the rules `binary` applies.
    """
    if not isinstance(tensor1, Tensor) and not isinstance(tensor2, Tensor):
        tensor1 = Tensor(tensor1)  # two numbers: the first as a 0-d tensor of its own dtype
    return result_type(*as_operands(tensor1, tensor2))  # (not `operands`, which leaves a bool to NumPy)


def _expand_for_grad(t: Tensor, shape: tuple[int, ...]) -> Tensor:
    """`t` broadcast to `shape` by a recorded Expand, if it needs a gradient.

    A constant (or anything while recording is off) is left as it is: NumPy
    broadcasts it, and no gradient has to be summed back to its shape.
    `shape` has been checked by `broadcast_shape`.
    """
    if _state.enabled and t._requires_grad and t.data.shape != shape:
        return Expand._apply1(t, shape)
    return t


def binary(fn: type[Function], a: Any, b: Any) -> Tensor:
    """Apply a two-input Function to Tensors or numbers, broadcasting explicitly."""
    if not isinstance(b, Tensor):
        b = as_operand(b, a)
    elif not isinstance(a, Tensor):
        a = as_operand(a, b)
    if a.data.dtype != b.data.dtype:
        a, b = promote(a, b)
    if a.data.shape != b.data.shape and _state.enabled and (a._requires_grad or b._requires_grad):
        shape = broadcast_shape(a.data.shape, b.data.shape, op=fn.__name__)
        a, b = _expand_for_grad(a, shape), _expand_for_grad(b, shape)
    try:
        return fn._apply2(a, b)
    except ValueError:
        broadcast_shape(a.data.shape, b.data.shape, op=fn.__name__)  # names both shapes if they clash
        raise


def binary_op(fn: type[Function]) -> Callable[[Tensor, object], Tensor]:
    """`binary` with `fn` fixed: the op of an in-place operator such as +=."""
    return lambda a, b: binary(fn, a, b)
