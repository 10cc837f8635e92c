"""PyTorch's legacy tensor types: `tg.FloatTensor`, `tg.LongTensor` and the rest.

Older lessons and code use them, in three ways, which all work here::

    tg.FloatTensor([1, 2])          # a float32 tensor of that data
    tg.FloatTensor(2, 3)            # a (2, 3) float32 tensor, uninitialised (as tg.empty)
    isinstance(x, tg.FloatTensor)   # is x a float32 tensor?
    x.type(tg.DoubleTensor)         # x as float64

They are not subclasses of Tensor: `isinstance` asks about the dtype, and a
call makes an ordinary Tensor. New code says the same with
``tg.tensor(data, dtype=tg.float32)`` and ``x.dtype == tg.float32``.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np

from .dtypes import _TYPE_NAMES
from .factories import empty, tensor
from .tensor import Tensor, check_device


class LegacyTensorType(type):
    """The class of `tg.FloatTensor` and its siblings; `dtype` is the dtype each one stands for."""

    dtype: np.dtype

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype

    def __call__(cls, *args: Any, device: Any = None) -> Tensor:
        """Make a tensor of this type: from sizes, from data, or as an alias of a tensor of the same dtype."""
        check_device(device)
        if all(isinstance(n, Integral) and not isinstance(n, bool) for n in args):
            return empty(*(int(n) for n in args) if args else (0,), dtype=cls.dtype)  # no args: shape (0,)
        if len(args) > 1:
            raise TypeError(
                f"{cls.__name__}(): give either sizes (ints) or one sequence of data, got {args!r}"
            )
        (data,) = args
        if isinstance(data, Tensor):
            if data.dtype != cls.dtype:
                raise TypeError(f"{cls.__name__}(): expected a tensor of dtype {cls.dtype}, got {data.dtype}")
            return data.view(data.shape)  # the same memory and graph, as PyTorch's alias
        if isinstance(data, (float, complex, bool)):
            raise TypeError(f"{cls.__name__}(): data must be a sequence (got {type(data).__name__})")
        return tensor(data, dtype=cls.dtype)

    def __repr__(cls) -> str:
        return f"<class '{_TYPE_NAMES[cls.dtype]}'>"


def _legacy_type(dtype: np.dtype) -> LegacyTensorType:
    name = _TYPE_NAMES[dtype].rsplit(".", 1)[1]
    return LegacyTensorType(
        name, (), {"dtype": dtype, "__module__": "tinygrad_edu", "__doc__": f"{dtype} tensors"}
    )


HalfTensor, FloatTensor, DoubleTensor = (
    _legacy_type(np.dtype(t)) for t in (np.float16, np.float32, np.float64)
)
CharTensor, ShortTensor, IntTensor, LongTensor = (
    _legacy_type(np.dtype(t)) for t in (np.int8, np.int16, np.int32, np.int64)
)
ByteTensor, BoolTensor = _legacy_type(np.dtype(np.uint8)), _legacy_type(np.dtype(np.bool_))
