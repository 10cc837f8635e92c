"""Lazy layers for volumes: `LazyConv3d`, `LazyConvTranspose3d`, `LazyBatchNorm3d`, `LazyInstanceNorm3d`.

The 2-d lazy layers (lazy.py) for (N, C, D, H, W) inputs: they read
in_channels (or num_features) off the first input, materialize their
parameters and become `Conv3d`, `ConvTranspose3d`, `BatchNorm3d` or
`InstanceNorm3d`; how that works is in lazy.py.
"""

from __future__ import annotations

from typing import Any

from .conv3d import Conv3d, ConvTranspose3d
from .lazy import _lazy_weight_and_bias, _LazyConvXdMixin, _LazyInstanceNorm, _LazyNormBase
from .norm3d import BatchNorm3d, InstanceNorm3d

IntOrTriple = int | tuple[int, int, int]


class LazyConv3d(_LazyConvXdMixin, Conv3d):
    """A `Conv3d` whose in_channels comes from the first input: (N, C_in, D, H, W) or (C_in, D, H, W)."""

    cls_to_become = Conv3d

    def __init__(
        self,
        out_channels: int,
        kernel_size: IntOrTriple,
        stride: IntOrTriple = 1,
        padding: str | IntOrTriple = 0,
        dilation: IntOrTriple = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode, device, dtype
        )
        _lazy_weight_and_bias(self, out_channels, bias, device, dtype)


class LazyConvTranspose3d(_LazyConvXdMixin, ConvTranspose3d):
    """A `ConvTranspose3d` whose in_channels comes from the first input (N, C_in, D, H, W) or (C_in, ...)."""

    cls_to_become = ConvTranspose3d
    _transposed = True

    def __init__(
        self,
        out_channels: int,
        kernel_size: IntOrTriple,
        stride: IntOrTriple = 1,
        padding: IntOrTriple = 0,
        output_padding: IntOrTriple = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: IntOrTriple = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            0, 0, kernel_size, stride, padding, output_padding, groups, False, dilation, padding_mode,
            device, dtype,
        )  # fmt: skip
        _lazy_weight_and_bias(self, out_channels, bias, device, dtype)


class LazyBatchNorm3d(_LazyNormBase, BatchNorm3d):
    """A `BatchNorm3d` whose num_features is inferred from the first input: (N, C, D, H, W)."""

    cls_to_become = BatchNorm3d


class LazyInstanceNorm3d(_LazyInstanceNorm, InstanceNorm3d):
    """An `InstanceNorm3d` whose num_features comes from the first input: (N, C, D, H, W) or (C, D, H, W)."""

    cls_to_become = InstanceNorm3d
