"""`Bilinear`, the layer y = x1^T A x2 + b, and its function `bilinear`.

Each output feature o is a bilinear form of the two inputs:
y_o = sum_ij x1_i A[o, i, j] x2_j + b_o. It lets every feature of x1
interact with every feature of x2, as a Linear layer on their outer product
would (A is that layer's weight, reshaped), without forming the product.

Here: one matrix product gives the row vectors x1^T A[o] for all o at once,
and a dot product of each with x2 finishes the forms; the gradients (and
second derivatives) are those of MatMul, Mul and Sum.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tensor import Tensor, check_device
from . import init
from .input_checks import check_tensors
from .linear import weight_and_bias
from .module import Module

# The C++ type names that PyTorch's dtype message uses
_C_TYPES = {
    np.dtype(np.float16): "c10::Half",
    np.dtype(np.float32): "float",
    np.dtype(np.float64): "double",
    np.dtype(np.int8): "signed char",
    np.dtype(np.int16): "short int",
    np.dtype(np.int32): "int",
    np.dtype(np.int64): "long int",
    np.dtype(np.uint8): "unsigned char",
    np.dtype(np.bool_): "bool",
}


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_o = sum_ij input1_i weight[o, i, j] input2_j + bias_o.

    Shapes: input1 (*, in1), input2 (*, in2) with the same leading dims;
    weight (out, in1, in2); bias (out,)  ->  y (*, out).
    """
    _check(input1, input2, weight, bias)
    out_features, in1, in2 = weight.shape
    lead = input1.shape[:-1]
    # x1^T A[o] for every o at once: A laid out as one (in1, out * in2) matrix
    rows = input1 @ weight.permute(1, 0, 2).reshape(in1, out_features * in2)
    y = (rows.reshape(*lead, out_features, in2) * input2.unsqueeze(-2)).sum(-1)
    return y if bias is None else y + bias


def _size(t: Tensor, dim: int) -> int:
    """t.size(dim), with PyTorch's IndexError where t has no such dim."""
    if t.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    if not -t.ndim <= dim < t.ndim:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-t.ndim}, {t.ndim - 1}], but got {dim})"
        )
    return t.shape[dim]


def _check(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None) -> None:
    """PyTorch's checks of bilinear's arguments, in its order and with its messages."""
    names, values = ("input1", "input2", "weight", "bias"), (input1, input2, weight, bias)
    check_tensors("bilinear", names, values, required=3)
    given = [(name, t) for name, t in zip(names, values) if t is not None]
    if len({t.dtype for _, t in given}) > 1:
        got = ", ".join(f"{name}: {_C_TYPES.get(t.dtype, t.dtype.name)}" for name, t in given)
        raise RuntimeError(f"All tensors must have the same dtype, got {got}")
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}")
    for dim, (a, b) in enumerate(zip(input1.shape[:-1], input2.shape[:-1])):
        if a != b:
            raise RuntimeError(
                f"bilinear(): input batch dimensions do not match at dim {dim}: got {a} and {b}"
            )
    for k, x in [(1, input1), (2, input2)]:
        if _size(x, -1) != _size(weight, k):
            raise RuntimeError(
                f"bilinear(): input{k} size does not match weight size: got {x.shape[-1]} "
                f"but expected {weight.shape[k]}"
            )
    if weight.ndim != 3:
        raise RuntimeError(
            "bilinear(): expected weight to be 3-dimensional (out_features, in1_features, in2_features), "
            f"but got weight of size {list(weight.shape)}"
        )
    if bias is not None and _size(bias, 0) != weight.shape[0]:
        raise RuntimeError(
            f"bilinear(): bias size does not match weight size: got {bias.shape[0]} "
            f"but expected {weight.shape[0]}"
        )
    if bias is not None and bias.ndim != 1:
        raise RuntimeError(
            f"bilinear(): expected bias to be 1-dimensional, but got bias of size {list(bias.shape)}"
        )


class Bilinear(Module):
    """y = x1^T A x2 + b: each output feature a bilinear form of the two inputs; see `bilinear`.

    Shape:
        input1 (*, in1_features), input2 (*, in2_features) -> output (*, out_features)

    Attributes:
        weight: (out_features, in1_features, in2_features), initially U(-k, k), k = 1/sqrt(in1_features)
        bias: (out_features,), initially U(-k, k); None when bias=False
    """

    def __init__(
        self,
        in1_features: int,
        in2_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        shape = [out_features, in1_features, in2_features]
        for size in shape:
            if size < 0:
                raise RuntimeError(f"Trying to create tensor with negative dimension {size}: {shape}")
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        weight_and_bias(self, tuple(shape), out_features, bias, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Redraw weight and bias from U(-k, k), k = 1/sqrt(in1_features), as PyTorch does."""
        if self.in1_features <= 0:
            raise ValueError(f"in1_features must be > 0, but got (in1_features={self.in1_features})")
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
