"""Sliding windows: `Unfold` (im2col) copies every window of an image into a column; `Fold` adds them back.

For an image x of shape (N, C, H, W) and a kh x kw kernel, unfold gives
(N, C*kh*kw, L): one column per window position (L = oh * ow of them, row by
row), and in each column the window's C*kh*kw values, channel first, then
kernel row, then kernel column. A convolution is then one matrix product,
weight (C_out, C*kh*kw) @ columns, and a pooling a reduction over each
column's kh*kw values.

Fold is unfold's adjoint: it adds every column back onto the window it came
from, so an element that lies in several windows receives their sum. So
unfold's backward is a fold of the gradient, and fold's backward an unfold:
each is the other's derivative, and second derivatives come for free.

The window geometry along one spatial dim of size n, with padding p (zeros
on both sides), dilation d (the gap between kernel taps), kernel size k and
stride s: the kernel spans d (k - 1) + 1 elements, and there are

    blocks = floor((n + 2p - d (k - 1) - 1) / s) + 1

window positions. Both Functions loop over the kh*kw kernel taps only: tap
(i, j) meets, across all windows, the strided grid of padded-image elements
starting at (i d_h, j d_w) with steps (s_h, s_w), so one slice moves all of
them at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor

Pair = tuple[int, int]


def blocks(size: Sequence[int], kernel: Pair, dilation: Pair, padding: Pair, stride: Pair) -> Pair:
    """The number of window positions (oh, ow) along the two spatial dims (see the module docstring)."""
    oh, ow = (
        (n + 2 * p - d * (k - 1) - 1) // s + 1
        for n, k, d, p, s in zip(size, kernel, dilation, padding, stride)
    )
    return oh, ow


def _taps(kernel: Pair, dilation: Pair, stride: Pair, out: Pair) -> Iterator[tuple[int, int, slice, slice]]:
    """For each kernel tap (i, j): the rows and columns of the padded image it meets across the windows."""
    (kh, kw), (dh, dw), (sh, sw), (oh, ow) = kernel, dilation, stride, out
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
            cols = slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)
            yield i, j, rows, cols


class Unfold(Function):
    """Every window of x as a column: x (N, C, H, W) -> cols (N, C*kh*kw, L);  dL/dx = fold(dL/dcols)"""

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, kernel: Pair, dilation: Pair, padding: Pair, stride: Pair
    ) -> np.ndarray:
        ctx.size, ctx.geometry = x.shape[2:], (kernel, dilation, padding, stride)
        (n, c, h, w), (ph, pw) = x.shape, padding
        out = blocks((h, w), kernel, dilation, padding, stride)
        padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
        windows = np.empty((n, c, *kernel, *out), dtype=x.dtype)
        for i, j, rows, cols in _taps(kernel, dilation, stride, out):
            windows[:, :, i, j] = padded[:, :, rows, cols]
        return windows.reshape(n, c * kernel[0] * kernel[1], out[0] * out[1])

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None, None]:
        return Fold._apply1(grad, ctx.size, *ctx.geometry), None, None, None, None


class Fold(Function):
    """The columns added back onto their windows: cols (N, C*kh*kw, L) -> x (N, C, H, W).

    dL/dcols = unfold(dL/dx)
    """

    @staticmethod
    def forward(
        ctx: Node, columns: np.ndarray, size: Pair, kernel: Pair, dilation: Pair, padding: Pair, stride: Pair
    ) -> np.ndarray:
        ctx.geometry = (kernel, dilation, padding, stride)
        (h, w), (ph, pw) = size, padding
        out = blocks(size, kernel, dilation, padding, stride)
        n, c = columns.shape[0], columns.shape[1] // (kernel[0] * kernel[1])
        windows = columns.reshape(n, c, *kernel, *out)
        padded = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=columns.dtype)
        for i, j, rows, cols in _taps(kernel, dilation, stride, out):
            # NOTE: +=, not =: where windows overlap, an element collects every window's value
            padded[:, :, rows, cols] += windows[:, :, i, j]
        return padded[:, :, ph : ph + h, pw : pw + w].copy()

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None, None, None]:
        return Unfold._apply1(grad, *ctx.geometry), None, None, None, None, None


# ---------------------------------------------------------------- the checked entry points


def per_dim(value: object, dims: int, one_for_all: bool = True) -> tuple[int, ...] | None:
    """A size per spatial dim: an int (or, with one_for_all, a one-int sequence) for all `dims`
    of them, or a sequence of `dims` ints; None for anything else, which each caller refuses
    with its own (PyTorch's) message."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * dims
    if isinstance(value, Sequence) and all(isinstance(v, (int, np.integer)) for v in value):
        if len(value) == dims:
            return tuple(int(v) for v in value)
        if one_for_all and len(value) == 1:
            return (int(value[0]),) * dims
    return None


def _pair(value: int | Sequence[int], name: str, op: str) -> Pair:
    """An int or a pair of ints as a pair (kernel_size=3 means 3 x 3), or a RuntimeError."""
    pair = per_dim(value, 2, one_for_all=False)
    if pair is None:
        raise RuntimeError(f"{op}: expected {name} to be an int or a pair of ints, but got {name}={value!r}")
    return pair  # type: ignore[return-value]


def _check_geometry(op: str, kernel: Pair, dilation: Pair, padding: Pair, stride: Pair) -> None:
    """Kernel, dilation and stride must be positive, padding non-negative (RuntimeError)."""
    for name, value, least in [("kernel_size", kernel, 1), ("dilation", dilation, 1), ("stride", stride, 1)]:
        if min(value) < least:
            raise RuntimeError(f"{op}: {name} should be greater than zero, but got {name}={value}")
    if min(padding) < 0:
        raise RuntimeError(f"{op}: padding should be non-negative, but got padding={padding}")


def _window_args(
    op: str,
    kernel_size: int | Sequence[int],
    dilation: int | Sequence[int],
    padding: int | Sequence[int],
    stride: int | Sequence[int],
) -> tuple[Pair, Pair, Pair, Pair]:
    geometry = tuple(
        _pair(v, name, op)
        for v, name in [
            (kernel_size, "kernel_size"),
            (dilation, "dilation"),
            (padding, "padding"),
            (stride, "stride"),
        ]
    )
    _check_geometry(op, *geometry)
    return geometry  # type: ignore[return-value]


def unfold(
    input: Tensor,
    kernel_size: int | Sequence[int],
    dilation: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    stride: int | Sequence[int] = 1,
) -> Tensor:
    """Every sliding window of a batch of images as a column (im2col).

    Shape: (N, C, H, W) -> (N, C*kh*kw, L), or (C, H, W) -> (C*kh*kw, L) without
    a batch, L = oh * ow window positions (see the module docstring).
    """
    geometry = _window_args("unfold", kernel_size, dilation, padding, stride)
    if input.ndim not in (3, 4):
        raise RuntimeError(
            f"unfold: expected a 3D (unbatched) or 4D (batched) input, but got input of size "
            f"{list(input.shape)}"
        )
    x = input.unsqueeze(0) if input.ndim == 3 else input
    oh, ow = blocks(x.shape[2:], *geometry)
    if oh < 1 or ow < 1:
        kernel, dilation_, padding_, _ = geometry
        raise RuntimeError(
            f"Given input with spatial size {tuple(x.shape[2:])}, kernel_size={kernel}, "
            f"dilation={dilation_}, "
            f"padding={padding_}, calculated shape of the array of sliding blocks as ({oh}, {ow}), "
            "but its components must be at least one."
        )
    cols = Unfold._apply1(x, *geometry)
    return cols.squeeze(0) if input.ndim == 3 else cols


def fold(
    input: Tensor,
    output_size: int | Sequence[int],
    kernel_size: int | Sequence[int],
    dilation: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    stride: int | Sequence[int] = 1,
) -> Tensor:
    """Add columns back onto their windows of an image (col2im), the adjoint of `unfold`.

    Shape: (N, C*kh*kw, L) -> (N, C, H, W), or (C*kh*kw, L) -> (C, H, W), with
    (H, W) = output_size and L the number of window positions in it.
    Note: fold(unfold(x)) is x times the number of windows each element lies in.
    """
    size = _pair(output_size, "output_size", "fold")
    geometry = _window_args("fold", kernel_size, dilation, padding, stride)
    if input.ndim not in (2, 3) or 0 in input.shape[1:]:
        raise RuntimeError(
            "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
            f"dimensions for input, but got: {list(input.shape)}"
        )
    cols = input.unsqueeze(0) if input.ndim == 2 else input
    kernel = geometry[0]
    if cols.shape[1] % (kernel[0] * kernel[1]):
        raise RuntimeError(
            "Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
            f"input.size(1)={cols.shape[1]} and kernel_size={kernel}."
        )
    oh, ow = blocks(size, *geometry)
    if oh < 1 or ow < 1 or cols.shape[2] != oh * ow:
        _, dilation_, padding_, stride_ = geometry
        raise RuntimeError(
            f"Given output_size={size}, kernel_size={kernel}, dilation={dilation_}, padding={padding_}, "
            f"stride={stride_}, expected size of input's dimension 2 to match the calculated number of "
            f"sliding blocks {oh} * {ow} = {oh * ow}, but got input.size(2)={cols.shape[2]}."
        )
    x = Fold._apply1(cols, size, *geometry)
    return x.squeeze(0) if input.ndim == 2 else x
