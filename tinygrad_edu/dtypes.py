"""Data types: NumPy's, with PyTorch's rules for the default float (float32) and for promotion."""

from __future__ import annotations

from typing import Any

import numpy as np

float16 = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int8 = np.dtype(np.int8)
int16 = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)

_default = [float32]

# PyTorch's legacy type names (torch.FloatTensor, ...), under this package's name: what
# `Tensor.type()` returns, for every dtype that PyTorch also has.
_TYPE_NAMES = {
    np.dtype(dtype): f"tinygrad_edu.{name}Tensor"
    for dtype, name in [
        (np.float16, "Half"),
        (np.float32, "Float"),
        (np.float64, "Double"),
        (np.int8, "Char"),
        (np.int16, "Short"),
        (np.int32, "Int"),
        (np.int64, "Long"),
        (np.uint8, "Byte"),
        (np.uint16, "UInt16"),
        (np.uint32, "UInt32"),
        (np.uint64, "UInt64"),
        (np.bool_, "Bool"),
    ]
}


def type_name(dtype: np.dtype) -> str:
    """The type name of a tensor of `dtype`: "tinygrad_edu.FloatTensor" for float32, as torch.FloatTensor.

    A dtype that PyTorch lacks (NumPy's float128) is named after NumPy's name for it.
    """
    return _TYPE_NAMES.get(dtype) or f"tinygrad_edu.{dtype.name}Tensor"


def torch_name(dtype: np.dtype) -> str:
    """PyTorch's name for a dtype in its messages: Float, Double, Long, Bool, ..."""
    return type_name(dtype).removeprefix("tinygrad_edu.").removesuffix("Tensor")


def from_type_name(name: str) -> np.dtype:
    """The dtype that a type name such as "tinygrad_edu.DoubleTensor" stands for."""
    for dtype, known in _TYPE_NAMES.items():
        if known == name:
            return dtype
    raise ValueError(
        f"invalid type: {name!r} (the type names are {', '.join(_TYPE_NAMES.values())}; "
        "or give a dtype such as tg.float64)"
    )


def require_float(dtype: np.dtype, op: str) -> None:
    """Refuse an integer or bool dtype where `op` is defined for floats only.

    NotImplementedError, as PyTorch: NumPy would compute anyway and round the
    result (or the random samples) to integers.
    """
    if dtype.kind != "f":
        raise NotImplementedError(
            f"{op}: NumPy would round the results to integers, and such ops need a float tensor, "
            f"not {dtype} (convert with .float() first)"
        )


def get_default_dtype() -> np.dtype:
    """The dtype of tensors made from Python floats and of float factories."""
    return _default[0]


def set_default_dtype(dtype: np.dtype | type) -> None:
    """Set the default float dtype (float32 or float64), as `torch.set_default_dtype`."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"only floating-point types are supported as the default type, got {dtype}")
    _default[0] = dtype


# PyTorch orders dtypes in categories; a value of a higher category lifts the
# result to it, whatever the bit widths.
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def promote_types(type1: np.dtype, type2: np.dtype) -> np.dtype:
    """The dtype that holds both `type1` and `type2`, as `torch.promote_types`.

    A float beats any integer and keeps its own width: int64 with float32 is
    float32 (NumPy would say float64, to hold every int64 exactly).
    """
    a, b = np.dtype(type1), np.dtype(type2)  # (np.float32, the type, names a dtype too)
    if _CATEGORY[a.kind] != _CATEGORY[b.kind]:
        return a if _CATEGORY[a.kind] > _CATEGORY[b.kind] else b
    return np.promote_types(a, b)


def can_cast(from_: Any, to: Any) -> bool:
    """Whether PyTorch's casting rule allows `from_` -> `to`, as `torch.can_cast`.

    Within a category (bool < integer < float) or up to a higher one, whatever
    the widths (float64 -> float32 is allowed); never down (float -> int).
    """
    return _CATEGORY[np.dtype(from_).kind] <= _CATEGORY[np.dtype(to).kind]


def result_type(*tensors: Any) -> np.dtype:
    """The dtype of an elementwise op on `tensors`, by PyTorch's rule.

    Tensors with dimensions decide. A 0-d tensor counts only if its category
    (bool < integer < float) is higher than theirs:

        float32 (3,) * float64 ()   -> float32
        int64 (3,)   * float64 ()   -> float64
        int32 (3,)   * int64 ()     -> int32
    """
    dims = zero = None
    for t in tensors:
        if t.ndim:
            dims = t.dtype if dims is None else promote_types(dims, t.dtype)
        else:
            zero = t.dtype if zero is None else promote_types(zero, t.dtype)
    if dims is None or zero is None:  # (not both: there is at least one tensor)
        return zero if dims is None else dims  # type: ignore[return-value]
    return dims if _CATEGORY[dims.kind] >= _CATEGORY[zero.kind] else promote_types(dims, zero)
