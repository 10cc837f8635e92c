"""Normalization of one example at a time, `LayerNorm` and `GroupNorm`, and their functions.

Both shift and scale their input to mean 0 and variance 1 and then apply a
learned scale and shift (weight and bias):

    y = (x - mean) / sqrt(var + eps) * weight + bias

with statistics taken within each example, so that, unlike batch norm
(batchnorm.py), an example's output never depends on the rest of its batch
and training and evaluation behave the same. Layer norm takes them over the
example's last few dims (normalized_shape), with a weight per element of
those. Group norm cuts the C channels of an (N, C, *) example into
num_groups groups of C / num_groups consecutive channels and takes them over
each group's channels and positions *, with a weight per channel:
num_groups=1 normalizes all of (C, *) together, num_groups=C each channel
alone.

Both are composed from Tensor operations (mean, var, sqrt, ...), so their
gradients, and second derivatives, come from those.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype, require_float
from ..tensor import Tensor, check_device
from . import init
from .input_checks import check_same_dtype
from .module import Module
from .parameter import Parameter


def layer_norm(
    input: Tensor,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each example over its last dims: y = (x - mean) / sqrt(var + eps) * weight + bias.

    Shape: input (*, *normalized_shape) -> the same; weight, bias: normalized_shape.
    mean and var (biased) are taken over the last len(normalized_shape) dims.
    """
    # (numbers.Integral takes NumPy's integers too; int is there for the type checker)
    shape = (
        (normalized_shape,)
        if isinstance(normalized_shape, (int, numbers.Integral))
        else tuple(normalized_shape)
    )
    if input.shape[input.ndim - len(shape) :] != shape or len(shape) > input.ndim:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, {str(list(shape))[1:-1]}], "
            f"but got input of size{list(input.shape)}"
        )
    for name, tensor in [("weight", weight), ("bias", bias)]:
        if tensor is not None and tensor.shape != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                f"{list(tensor.shape)} and normalized_shape = {list(shape)}"
            )
    check_same_dtype("layer_norm", input, [("weight", weight), ("bias", bias)])
    dims = tuple(range(-len(shape), 0))
    mean = input.mean(dims, keepdim=True)
    var = input.var(dims, correction=0, keepdim=True)
    return scale_and_shift((input - mean) / (var + eps).sqrt(), weight, bias)


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each group of channels of each example: y = (x - mean) / sqrt(var + eps) * weight + bias.

    Shape: input (N, C, *) -> the same; weight, bias (C,). C must be a
    multiple of num_groups. mean and var (biased) are taken per example over
    a group's C / num_groups channels and all their positions *.
    """
    _check_group_norm(input, num_groups, weight, bias)
    n, c = input.shape[:2]
    groups = input.reshape(n, num_groups, c // num_groups * math.prod(input.shape[2:]))
    mean = groups.mean(-1, keepdim=True)
    var = groups.var(-1, correction=0, keepdim=True)
    out = ((groups - mean) / (var + eps).sqrt()).reshape(input.shape)
    shape = (1, -1) + (1,) * (input.ndim - 2)  # a per-channel (C,) vector, broadcast over (N, C, *)
    return scale_and_shift(out, weight, bias, shape)


def scale_and_shift(
    out: Tensor, weight: Tensor | None, bias: Tensor | None, shape: tuple[int, ...] | None = None
) -> Tensor:
    """out * weight + bias, the affine step of every normalization layer (either may be None).

    With `shape`, weight and bias (per channel) are reshaped to it to broadcast over the
    batch and positions; without, they already have the normalized dims' shape.
    Shared with batchnorm.py and instancenorm.py.
    """
    if weight is not None:
        out = out * (weight if shape is None else weight.reshape(shape))
    if bias is not None:
        out = out + (bias if shape is None else bias.reshape(shape))
    return out


def _check_group_norm(input: Tensor, num_groups: int, weight: Tensor | None, bias: Tensor | None) -> None:
    """PyTorch's checks, in its order and with its messages."""
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    # PyTorch sees (N, C, *) as a batch-norm input (N C / G, G, *) and refuses one value per channel
    # of it (a ZeroDivisionError for num_groups=0, as in PyTorch)
    as_batch = [input.shape[0] * input.shape[1] // num_groups, num_groups, *input.shape[2:]]
    if as_batch[0] * math.prod(as_batch[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {as_batch}")
    if num_groups <= 0:
        raise RuntimeError(f"Expected num groups to be greater than 0, got {num_groups}")
    if input.shape[1] % num_groups != 0:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input of shape "
            f"{list(input.shape)} and num_groups={num_groups}"
        )
    for name, tensor in [("weight", weight), ("bias", bias)]:
        if tensor is not None and (tensor.ndim != 1 or tensor.numel() != input.shape[1]):
            raise RuntimeError(
                f"Expected {name} to be a vector of size equal to the number of channels in input, but "
                f"got {name} of shape {list(tensor.shape)} and input of shape {list(input.shape)}"
            )
    require_float(input.dtype, "group_norm")
    check_same_dtype("group_norm", input, [("weight", weight), ("bias", bias)])


# ---------------------------------------------------------------- layers


def affine_parameters(module: Module, shape: tuple[int, ...], dtype: Any, affine: bool, bias: bool) -> None:
    """Give a normalization layer its scale `weight` and shift `bias` of `shape` (set by `reset_affine`).

    Either is registered as None where it is off (no affine, or bias=False),
    so state_dict and repr show what PyTorch's layers show. Shared with batchnorm.py.
    """
    dtype = np.dtype(dtype or get_default_dtype())  # (None: float32, unless set_default_dtype says otherwise)
    module.register_parameter("weight", Parameter(np.empty(shape, dtype=dtype)) if affine else None)
    module.register_parameter("bias", Parameter(np.empty(shape, dtype=dtype)) if affine and bias else None)


def reset_affine(module: Module) -> None:
    """weight to ones and bias to zeros, where the layer has them."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class LayerNorm(Module):
    """Layer normalization: each example normalized over its last dims (normalized_shape); see `F.layer_norm`.

    Shape:
        input (*, *normalized_shape) -> output the same shape

    Attributes:
        weight: normalized_shape, initially ones; None when elementwise_affine=False
        bias: normalized_shape, initially zeros; None when elementwise_affine=False or bias=False

    It behaves the same in training and evaluation: there are no running statistics.
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        shape = (
            (normalized_shape,) if isinstance(normalized_shape, (int, numbers.Integral)) else normalized_shape
        )
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        affine_parameters(self, self.normalized_shape, dtype, elementwise_affine, bias)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """weight to ones and bias to zeros."""
        reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
            f"bias={self.bias is not None}"
        )


class GroupNorm(Module):
    """Group normalization: each example's channels normalized in num_groups groups; see `F.group_norm`.

    Shape:
        input (N, C, *), C = num_channels -> output the same shape

    Attributes:
        weight: (num_channels,), initially ones; None when affine=False
        bias: (num_channels,), initially zeros; None when affine=False or bias=False

    num_channels must be a multiple of num_groups. Like layer norm it behaves
    the same in training and evaluation: there are no running statistics.
    """

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        check_device(device)
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        affine_parameters(self, (num_channels,), dtype, affine, bias)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """weight to ones and bias to zeros."""
        reset_affine(self)

    def forward(self, input: Tensor) -> Tensor:
        return group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )
