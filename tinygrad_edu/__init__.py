"""tinygrad_edu: a small, readable automatic-differentiation framework on NumPy."""

from . import autograd, data, nn, optim, testing, viz
from .autograd import Function, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .dtypes import (
    bool_,
    float16,
    float32,
    float64,
    get_default_dtype,
    int32,
    int64,
    set_default_dtype,
)
from .factories import (
    arange,
    empty,
    eye,
    full,
    full_like,
    ones,
    ones_like,
    rand,
    rand_like,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from .ops.elementwise import where
from .ops.movement import cat, stack
from .random import manual_seed
from .serialization import load, save
from .tensor import Tensor

__version__ = "0.1.0"

__all__ = [
    "Function",
    "Tensor",
    "arange",
    "autograd",
    "bool_",
    "cat",
    "data",
    "empty",
    "enable_grad",
    "eye",
    "float16",
    "float32",
    "float64",
    "full",
    "full_like",
    "get_default_dtype",
    "int32",
    "int64",
    "is_grad_enabled",
    "load",
    "manual_seed",
    "nn",
    "no_grad",
    "ones",
    "ones_like",
    "optim",
    "rand",
    "rand_like",
    "randn",
    "randn_like",
    "save",
    "set_default_dtype",
    "set_grad_enabled",
    "stack",
    "testing",
    "viz",
    "tensor",
    "where",
    "zeros",
    "zeros_like",
]
