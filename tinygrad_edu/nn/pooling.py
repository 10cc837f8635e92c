"""Pooling layers, `MaxPool2d` and `AvgPool2d`, and their functions.

A pooling slides a kh x kw window over each channel and keeps one number per
window: the largest, or the mean. Both are built on `unfold` (ops/conv.py),
which lays every window out as a column, followed by a reduction over each
column's kh*kw values; so their gradients come from Unfold (its backward,
Fold, adds the windows' gradients back onto the image) and from the
reduction, and they are differentiable twice.

Output size along a dim of size n (kernel k, stride s, padding p, dilation d):

    out = floor((n + 2p - d (k - 1) - 1) / s) + 1       (ceil instead of floor with ceil_mode=True)

With ceil_mode the last window may hang over the end of the padded input; as
in PyTorch, a window that would start in the right padding is dropped, and
the overhang counts as padding that nobody sees (-inf for max, nothing for
the mean).

The 1-d pools (pooling1d.py) are these on a single row; the adaptive pools,
which choose their windows from the output size, are in adaptive_pooling.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..ops.conv import Unfold as UnfoldFn
from ..ops.conv import per_dim
from ..tensor import Tensor
from .module import Module
from .padding import pad

Pair = tuple[int, int]


def max_pool2d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """The largest value in each kh x kw window of each channel.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, oh, ow) or (C, oh, ow) (oh, ow: see the module docstring).
    stride defaults to kernel_size (windows side by side). Padding counts as
    -inf, so it never wins. With return_indices=True it also returns, for
    each output, the flat index h * W + w of the input element it took (int64).

    NOTE: ties. The whole gradient of a window goes to one element, the first
    of its maxima in row-major order (as PyTorch's CPU kernel), and an element
    that is the maximum of several overlapping windows receives the sum of
    their gradients.
    """
    kernel, stride_, padding_, dilation_ = _pool_args("max_pool2d", kernel_size, stride, padding, dilation)
    x = _batched("max_pool2d", input)
    (n, c, _, w), kw = x.shape, kernel[1]
    out, extra = _out_size("max_pool2d", x.shape, kernel, stride_, padding_, dilation_, ceil_mode)
    lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    windows = _windows(x, kernel, stride_, padding_, dilation_, extra, lowest)  # (N, C, kh*kw, L)
    values, taps = windows.max(2)  # NOTE: the first maximum of a window wins (np.argmax)
    values = values.reshape(n, c, *out)
    if return_indices:
        # tap t of window (y, x) is kernel position (t // kw, t % kw), which lies on input row
        # y s_h - p_h + (t // kw) d_h and column x s_w - p_w + (t % kw) d_w
        t = taps.data.reshape(n, c, *out)
        rows = (np.arange(out[0]) * stride_[0] - padding_[0])[:, None] + (t // kw) * dilation_[0]
        cols = np.arange(out[1]) * stride_[1] - padding_[1] + (t % kw) * dilation_[1]
        indices = Tensor._wrap((rows * w + cols).astype(np.int64))
        return (values, indices) if input.ndim == 4 else (values.squeeze(0), indices.squeeze(0))
    return values if input.ndim == 4 else values.squeeze(0)


def avg_pool2d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each kh x kw window of each channel.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, oh, ow) or (C, oh, ow) (oh, ow: see the module docstring).
    Each window's sum is divided by: divisor_override if given; else the
    number of its places inside the padded input (count_include_pad=True,
    the zeros of the padding count) or inside the input itself (False).
    """
    kernel, stride_, padding_, dilation = _pool_args("avg_pool2d", kernel_size, stride, padding, 1)
    _check_averageable("avg_pool2d", input)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    x = _batched("avg_pool2d", input)
    n, c, h, w = x.shape
    out, extra = _out_size("avg_pool2d", x.shape, kernel, stride_, padding_, dilation, ceil_mode)
    sums = _windows(x, kernel, stride_, padding_, dilation, extra, 0.0).sum(2)  # (N, C, L)
    if divisor_override is not None:
        counts = np.array(divisor_override, dtype=x.dtype)
    else:
        # count each window's places with the same windows over a mask: 1 where a place counts
        (ph, pw), (eh, ew) = padding_, extra
        mask = np.zeros((1, 1, h + 2 * ph + eh, w + 2 * pw + ew), dtype=x.dtype)
        if count_include_pad:
            mask[..., : h + 2 * ph, : w + 2 * pw] = 1
        else:
            mask[..., ph : ph + h, pw : pw + w] = 1
        counts = UnfoldFn._apply1(Tensor._wrap(mask), kernel, dilation, (0, 0), stride_).data.sum(1)
    means = _divided(sums, Tensor._wrap(counts)).reshape(n, c, *out)
    return means if input.ndim == 4 else means.squeeze(0)


def _check_averageable(op: str, x: Tensor) -> None:
    """Average pooling takes floats, and int64 (whose means it rounds toward 0), as PyTorch does."""
    if x.dtype.kind != "f" and x.dtype != np.int64:
        raise NotImplementedError(f'"{op}" not implemented for {x.dtype} (floats and int64 only)')


def _divided(sums: Tensor, counts: Tensor) -> Tensor:
    """Each window's sum over its count: int64 sums give int64 means, rounded toward 0 as in PyTorch."""
    return sums / counts if sums.dtype.kind == "f" else sums.div(counts, rounding_mode="trunc")


def _windows(
    x: Tensor, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair, extra: Pair, fill: float
) -> Tensor:
    """x (N, C, H, W) padded with `fill` (`extra` more at the bottom/right), as windows (N, C, kh*kw, L)."""
    (ph, pw), (eh, ew) = padding, extra
    if ph or pw or eh or ew:
        x = pad(x, (pw, pw + ew, ph, ph + eh), value=fill)
    n, c = x.shape[:2]
    return UnfoldFn._apply1(x, kernel, dilation, (0, 0), stride).reshape(n, c, kernel[0] * kernel[1], -1)


def _pool_args(
    op: str, kernel_size: Any, stride: Any, padding: Any, dilation: Any
) -> tuple[Pair, Pair, Pair, Pair]:
    """Kernel, stride (default: the kernel), padding and dilation as pairs, checked as PyTorch does."""
    kernel = _pair(op, "kernel_size", kernel_size)
    stride_ = kernel if _no_stride(stride) else _pair(op, "stride", stride)
    padding_, dilation_ = _pair(op, "padding", padding), _pair(op, "dilation", dilation)
    if min(stride_) == 0:  # first, as in PyTorch: kernel_size=0 leaves the default stride at 0
        raise RuntimeError("stride should not be zero")
    if min(kernel) <= 0:
        raise RuntimeError(
            f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}"
        )
    if min(stride_) < 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {stride_[0]} dW: {stride_[1]}")
    if min(padding_) < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {min(padding_)}")
    if min(dilation_) <= 0:
        raise RuntimeError(
            "dilation should be greater than zero, but got "
            f"dilationH: {dilation_[0]} dilationW: {dilation_[1]}"
        )
    for k, d, p in zip(kernel, dilation_, padding_):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, kernel_size={k} "
                f"and dilation={d}"
            )
    return kernel, stride_, padding_, dilation_


def _pair(op: str, name: str, value: Any) -> Pair:
    pair = per_dim(value, 2)
    if pair is None:
        raise RuntimeError(f"{op}: {name} must either be a single int, or a tuple of two ints")
    return pair  # type: ignore[return-value]


def _no_stride(stride: object) -> bool:
    """PyTorch's pools take None, or an empty list, for "stride = kernel_size"."""
    return stride is None or (isinstance(stride, (list, tuple)) and len(stride) == 0)


def _batched(op: str, input: Tensor) -> Tensor:
    """A (C, H, W) input as a batch of one; refuse any other number of dims."""
    if input.ndim not in (3, 4):
        raise RuntimeError(
            f"{op}: expected a 3D (unbatched) or 4D (batched) input, but got input of size "
            f"{list(input.shape)}"
        )
    return input if input.ndim == 4 else input.unsqueeze(0)


def _out_size(
    op: str,
    shape: tuple[int, ...],
    kernel: Pair,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    ceil_mode: bool,
) -> tuple[Pair, Pair]:
    """(oh, ow), and the extra places the last window hangs over the padded input (ceil_mode only)."""
    out, extra = [], []
    for n, k, s, p, d in zip(shape[2:], kernel, stride, padding, dilation):
        size = _pooled_size(n, k, s, p, d, ceil_mode)
        out.append(size)
        extra.append(max((size - 1) * s + d * (k - 1) + 1 - (n + 2 * p), 0))
    if min(out) < 1:
        c, h, w = shape[1:]
        raise RuntimeError(
            f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{out[0]}x{out[1]}). "
            "Output size is too small"
        )
    return (out[0], out[1]), (extra[0], extra[1])


def _pooled_size(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """The number of windows along a dim of n places (the formula in the module docstring)."""
    span = d * (k - 1) + 1
    size = (n + 2 * p - span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (size - 1) * s >= n + p:
        size -= 1  # that window would start in the right padding: PyTorch drops it
    return size


# ---------------------------------------------------------------- layers


class _MaxPoolNd(Module):
    """What MaxPool1d and MaxPool2d share: their arguments, kept as given, and their repr."""

    def __init__(
        self,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] | None = None,
        padding: int | tuple[int, ...] = 0,
        dilation: int | tuple[int, ...] = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool2d(_MaxPoolNd):
    """Max pooling: the largest value in each kh x kw window of each channel; see `F.max_pool2d`.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output (N, C, oh, ow) or (C, oh, ow),
        oh = floor((H + 2 padding - dilation (kh - 1) - 1) / stride) + 1 (ceil with ceil_mode), ow likewise.
        stride defaults to kernel_size. No parameters.

    On ties the gradient goes to the first maximum of the window, row by row, as in PyTorch.
    """

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return max_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.return_indices,
        )


class AvgPool2d(Module):
    """Average pooling: the mean of each kh x kw window of each channel; see `F.avg_pool2d`.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output (N, C, oh, ow) or (C, oh, ow),
        oh = floor((H + 2 padding - kh) / stride) + 1 (ceil with ceil_mode), ow likewise.
        stride defaults to kernel_size. No parameters.
    """

    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
