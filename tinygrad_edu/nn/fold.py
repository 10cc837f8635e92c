"""The sliding-window modules `Unfold` (im2col) and `Fold` (col2im): thin modules around `F.unfold`/`F.fold`.

The windows themselves are the Functions of ops/conv.py; convolution and
pooling are built on them (nn/conv.py, nn/pooling.py).
"""

from __future__ import annotations

from typing import Any

from ..ops.conv import fold, unfold
from ..tensor import Tensor
from .module import Module


class Unfold(Module):
    """Every sliding window of a batch of images as a column (im2col); see `F.unfold`.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output (N, C * kh * kw, L) or (C * kh * kw, L),
        L = oh * ow window positions. No parameters.
    """

    def __init__(self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> None:
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
            f"padding={self.padding}, stride={self.stride}"
        )


class Fold(Module):
    """Columns added back onto their windows of an image (col2im), the adjoint of `Unfold`; see `F.fold`.

    Shape:
        input (N, C * kh * kw, L) or (C * kh * kw, L) -> output (N, C, H, W) or (C, H, W),
        (H, W) = output_size. No parameters.
    """

    def __init__(
        self, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
    ) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
            f"padding={self.padding}, stride={self.stride}"
        )
