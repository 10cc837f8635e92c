"""finfo and iinfo: the limits of a dtype, as `torch.finfo` / `torch.iinfo` give them.

For a float dtype with t stored mantissa bits:

    eps   = 2^-t, the gap between 1 and the next float (float32: 1.19e-07)
    tiny  = the smallest positive normal number (also `smallest_normal`)
    max   = the largest finite number; min = -max
    resolution = 10^-(decimal digits kept) (float32: 1e-06)

An integer dtype of b bits holds [-2^(b-1), 2^(b-1) - 1], or [0, 2^b - 1] unsigned.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .dtypes import get_default_dtype


def _dtype(type: Any) -> np.dtype:
    try:
        return np.dtype(type)
    except TypeError:
        raise TypeError(f"expected a dtype such as tg.float32, got {type!r}") from None


class finfo:  # noqa: N801 (PyTorch's name)
    """The limits of a float dtype (the default float dtype if none is given); python floats."""

    def __init__(self, type: Any = None) -> None:
        dtype = get_default_dtype() if type is None else _dtype(type)
        if dtype.kind != "f":
            raise TypeError(
                f"finfo() requires a floating point input type, got {dtype}; use tg.iinfo for integer types"
            )
        info = np.finfo(dtype)
        self.bits: int = info.bits
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = float(10.0**-info.precision)
        self.dtype: str = dtype.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, finfo) and other.dtype == self.dtype

    def __hash__(self) -> int:
        return hash(("finfo", self.dtype))

    def __repr__(self) -> str:
        return (
            f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
            f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})"
        )


class iinfo:  # noqa: N801 (PyTorch's name)
    """The limits of an integer dtype; python ints."""

    def __init__(self, type: Any) -> None:
        dtype = _dtype(type)
        if dtype == np.bool_:
            raise TypeError("bool is not supported by iinfo")
        if dtype.kind not in "iu":
            raise TypeError(
                f"iinfo() requires an integer input type, got {dtype}; use tg.finfo for float types"
            )
        info = np.iinfo(dtype)
        self.bits: int = info.bits
        self.max, self.min = int(info.max), int(info.min)
        self.dtype: str = dtype.name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, iinfo) and other.dtype == self.dtype

    def __hash__(self) -> int:
        return hash(("iinfo", self.dtype))

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
