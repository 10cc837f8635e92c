"""Data types: NumPy's, with PyTorch's rule that floats default to float32."""

from __future__ import annotations

import numpy as np

float16 = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int32 = np.dtype(np.int32)
int64 = np.dtype(np.int64)
bool_ = np.dtype(np.bool_)

_default = [float32]


def get_default_dtype() -> np.dtype:
    """The dtype of tensors made from Python floats and of float factories."""
    return _default[0]


def set_default_dtype(dtype: np.dtype | type) -> None:
    """Set the default float dtype (float32 or float64), as `torch.set_default_dtype`."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"only floating-point types are supported as the default type, got {dtype}")
    _default[0] = dtype
