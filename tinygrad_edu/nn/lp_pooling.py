"""Power-average pooling, `LPPool1d`, `LPPool2d` and `LPPool3d`, and their functions.

An LP pool keeps the p-norm of each window of each channel:

    y = (sum over the window of x^p) ^ (1/p)

p = 1 is the sum (sum pooling, for non-negative x), p = 2 the window's
length as a vector (a "root of the energy"), and as p grows it approaches
max pooling of |x|; p = inf is exactly that, and p = -inf the smallest |x|.
There is no padding. As in PyTorch, x^p is not |x|^p: an odd p keeps signs,
and a fractional p of a negative x gives NaN.

Built, as PyTorch's, on average pooling (pooling.py, pooling1d.py,
pooling3d.py): the
window's sum is its mean times the kernel's size. With ceil_mode the last
window may hang over the end of the input; its mean divides by the places
inside only, so there the result is that mean times the full kernel size,
PyTorch's value too. Gradients and second derivatives come from the
average pooling and the powers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, cast

from ..ops.conv import per_dim
from ..ops.elementwise import where
from ..tensor import Tensor
from .module import Module
from .pooling import avg_pool2d, max_pool2d
from .pooling1d import avg_pool1d, max_pool1d
from .pooling3d import avg_pool3d, max_pool3d


def lp_pool1d(
    input: Tensor,
    norm_type: float,
    kernel_size: int,
    stride: int | Sequence[int] | None = None,
    ceil_mode: bool = False,
) -> Tensor:
    """(sum of x^p over each window of kernel_size places along the last dim)^(1/p), p = norm_type.

    Shape: (N, C, L) or (C, L) -> (N, C, out) or (C, out),
    out = floor((L - kernel_size) / stride) + 1 (ceil with ceil_mode); stride defaults to kernel_size.
    """
    if not isinstance(kernel_size, int) or isinstance(kernel_size, bool):
        raise TypeError(f"lp_pool1d: kernel_size must be an int, not {type(kernel_size).__name__}")
    return _lp_pool(max_pool1d, avg_pool1d, 1, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(
    input: Tensor,
    norm_type: float,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    ceil_mode: bool = False,
) -> Tensor:
    """(sum of x^p over each kh x kw window of each channel)^(1/p), p = norm_type.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, oh, ow) or (C, oh, ow),
    oh = floor((H - kh) / stride) + 1 (ceil with ceil_mode), ow likewise; stride defaults to kernel_size.
    """
    return _lp_pool(max_pool2d, avg_pool2d, 2, input, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(
    input: Tensor,
    norm_type: float,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    ceil_mode: bool = False,
) -> Tensor:
    """(sum of x^p over each kd x kh x kw box of each channel)^(1/p), p = norm_type.

    Shape: (N, C, D, H, W) or (C, D, H, W) -> (N, C, od, oh, ow) or (C, od, oh, ow),
    od = floor((D - kd) / stride) + 1 (ceil with ceil_mode), oh and ow likewise;
    stride defaults to kernel_size.
    """
    return _lp_pool(max_pool3d, avg_pool3d, 3, input, norm_type, kernel_size, stride, ceil_mode)


def _lp_pool(
    max_pool: Callable[..., Any],
    avg_pool: Callable[..., Tensor],
    dims: int,
    input: Tensor,
    norm_type: float,
    kernel_size: Any,
    stride: Any,
    ceil_mode: bool,
) -> Tensor:
    """The LP pool of `dims` spatial dims, on that many dims' max and average pools."""
    if norm_type == math.inf:  # the largest |x| of each window
        return cast(Tensor, max_pool(input.abs(), kernel_size, stride, 0, 1, ceil_mode))
    if norm_type == -math.inf:  # the smallest
        return -cast(Tensor, max_pool(-input.abs(), kernel_size, stride, 0, 1, ceil_mode))
    mean = avg_pool(input**norm_type, kernel_size, stride, 0, ceil_mode)
    taps = math.prod(per_dim(kernel_size, dims) or ())  # (avg_pool has refused any other kernel_size)
    return _root(mean * taps, norm_type)


def _root(total: Tensor, p: float) -> Tensor:
    """total^(1/p), with gradient 0 where total is 0 (as PyTorch).

    NOTE: the slope of total^(1/p) is infinite at total = 0 for p > 1, and
    the chain rule would give inf * 0 = nan for the window's inputs. Where
    total is 0 the result is instead a constant (0, or inf for p < 0) and the
    root only ever sees 1.
    """
    zero = total == 0
    root = where(zero, 1.0, total) ** (1.0 / p)
    return where(zero, 0.0 if p > 0 else math.inf, root)


# ---------------------------------------------------------------- layers


class _LPPoolNd(Module):
    """What the LP pools share: their arguments, kept as given, and their repr."""

    def __init__(
        self,
        norm_type: float,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] | None = None,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.norm_type, self.stride, self.ceil_mode = norm_type, stride, ceil_mode
        self.kernel_size: Any = kernel_size  # (LPPool1d takes only an int, checked by lp_pool1d, as PyTorch)

    def extra_repr(self) -> str:
        return (
            f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
            f"ceil_mode={self.ceil_mode}"
        )


class LPPool1d(_LPPoolNd):
    """Power-average pooling along a sequence: the p-norm of each window; see `F.lp_pool1d`.

    Shape:
        input (N, C, L) or (C, L) -> output (N, C, out) or (C, out),
        out = floor((L - kernel_size) / stride) + 1 (ceil with ceil_mode). stride defaults to kernel_size.
        No parameters.
    """

    def forward(self, input: Tensor) -> Tensor:
        return lp_pool1d(input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)


class LPPool2d(_LPPoolNd):
    """Power-average pooling: the p-norm of each kh x kw window of each channel; see `F.lp_pool2d`.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output (N, C, oh, ow) or (C, oh, ow),
        oh = floor((H - kh) / stride) + 1 (ceil with ceil_mode), ow likewise. stride defaults to kernel_size.
        No parameters.
    """

    def forward(self, input: Tensor) -> Tensor:
        return lp_pool2d(input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)


class LPPool3d(_LPPoolNd):
    """Power-average pooling: the p-norm of each kd x kh x kw box of each channel; see `F.lp_pool3d`.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W) -> output (N, C, od, oh, ow) or (C, od, oh, ow),
        od = floor((D - kd) / stride) + 1 (ceil with ceil_mode), oh and ow likewise. stride defaults to
        kernel_size. No parameters.
    """

    def forward(self, input: Tensor) -> Tensor:
        return lp_pool3d(input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)
