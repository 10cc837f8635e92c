"""`Linear` (a fully connected layer) and `Identity`.

Also the two steps that layers with a Linear-style weight and bias share
(`weight_and_bias`, `reset_weight_and_bias`): the convolutions and Bilinear use them too.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from ..tensor import Tensor, check_device
from . import functional as F
from . import init
from .input_checks import check_tensors
from .module import Module
from .parameter import Parameter


def weight_and_bias(
    module: Module, weight_shape: tuple[int, ...], bias_size: int, bias: bool, dtype: Any
) -> None:
    """Register `weight` of `weight_shape` and `bias` of (bias_size,), or None for bias=False, not yet filled.

    dtype None means the default dtype (float32 unless tg.set_default_dtype says otherwise).
    """
    dtype = np.dtype(dtype or get_default_dtype())
    module.weight = Parameter(np.empty(weight_shape, dtype=dtype))
    if bias:
        module.bias = Parameter(np.empty((bias_size,), dtype=dtype))
    else:
        module.register_parameter("bias", None)


def reset_weight_and_bias(module: Module) -> None:
    """PyTorch's default for Linear and the convolutions: weight by kaiming_uniform_ with a = sqrt(5),
    which is U(-k, k) with k = 1/sqrt(fan_in), and bias from U(-k, k) too (k = 0 for no inputs)."""
    init.kaiming_uniform_(module.weight, a=math.sqrt(5))
    if module.bias is not None:
        fan_in, _ = init._calculate_fan_in_and_fan_out(module.weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        init.uniform_(module.bias, -bound, bound)


class Identity(Module):
    """Returns its input unchanged (a placeholder); ignores any constructor arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """y = x W^T + b.

    Shape:
        input (*, in_features) -> output (*, out_features)

    Attributes:
        weight: (out_features, in_features), initially U(-k, k) with k = 1/sqrt(in_features)
            (kaiming_uniform_ with a = sqrt(5), as in PyTorch)
        bias: (out_features,), initially U(-k, k); None when bias=False

    The numbers come from the global generator, so ``tg.manual_seed(n)`` before
    building a model makes its initial weights repeatable.
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__()
        check_device(device)
        if in_features < 0 or out_features < 0:
            raise RuntimeError(
                f"Linear: features must be non-negative, got in={in_features}, out={out_features}"
            )
        self.in_features = in_features
        self.out_features = out_features
        weight_and_bias(self, (out_features, in_features), out_features, bias, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Redraw weight and bias from PyTorch's default distributions (fan_in = in_features)."""
        reset_weight_and_bias(self)

    def forward(self, input: Tensor) -> Tensor:
        if not isinstance(input, Tensor) or input.ndim == 0 or input.shape[-1] != self.in_features:
            check_tensors("linear", ("input",), (input,), required=1)  # an array: a TypeError first
            raise RuntimeError(
                f"Linear: input of shape {input.shape} does not end in in_features={self.in_features}"
            )
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
        )
