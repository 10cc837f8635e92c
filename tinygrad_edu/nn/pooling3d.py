"""Volumetric pooling: `MaxPool3d` and `AvgPool3d`, and their functions `max_pool3d`, `avg_pool3d`.

The 2-d pools (pooling.py) with one more spatial dim, depth: a pool slides a
kd x kh x kw box over each channel of a volume and keeps one number per box,
the largest or the mean. `Unfold3d` (ops/conv3d.py) lays every box out as a
column, and a reduction over each column's kd*kh*kw values does the rest; so
the gradients come from Unfold3d (whose backward, Fold3d, adds the boxes'
gradients back onto the volume) and from the reduction, twice over.

The output size along each dim, and ceil_mode's rule (a window that would
start in the right padding is dropped), are the 2-d pools' (see pooling.py).
The checks follow PyTorch's, in its order and with its (3-d) messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..ops.conv import per_dim
from ..ops.conv3d import Unfold3d
from ..tensor import Tensor
from .module import Module
from .padding import pad
from .pooling import _check_averageable, _divided, _MaxPoolNd, _no_stride, _pooled_size

Triple = tuple[int, int, int]
IntOrTriple = int | tuple[int, int, int]


def max_pool3d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """The largest value in each kd x kh x kw box of each channel.

    Shape: (N, C, D, H, W) or (C, D, H, W) -> (N, C, od, oh, ow) or (C, od, oh, ow),
    od = floor((D + 2 p - d (kd - 1) - 1) / s) + 1 (ceil with ceil_mode), and oh, ow likewise.
    stride defaults to kernel_size. Padding counts as -inf, so it never wins.
    With return_indices=True it also returns, for each output, the flat index
    (z H + y) W + x of the input element it took (int64).

    NOTE: ties. A box's whole gradient goes to its first maximum in (depth,
    row, column) order, as PyTorch's CPU kernel; an element that is the
    maximum of several overlapping boxes receives the sum of their gradients.
    """
    op = "max_pool3d"
    sizes = _sizes(op, kernel_size, stride, padding, dilation, "either ")
    x = _batched(input)
    kernel, stride_, padding_, dilation_ = _check_geometry(*sizes)
    out, extra = _out_size("max_pool3d_with_indices_out_cpu_template()", input, *sizes, ceil_mode)
    lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    windows = _windows(x, kernel, stride_, padding_, dilation_, extra, lowest)  # (N, C, kd*kh*kw, L)
    values, taps = windows.max(2)  # NOTE: the first maximum of a box wins (np.argmax)
    n, c = x.shape[:2]
    values = values.reshape(n, c, *out)
    if not return_indices:
        return values if input.ndim == 5 else values.squeeze(0)
    # tap t is kernel position np.unravel_index(t, kernel); along spatial dim a it lies on
    # input position o s_a - p_a + tap_a d_a, for window position o
    where = np.unravel_index(taps.data.reshape(n, c, *out), kernel)
    index = np.zeros((n, c, *out), dtype=np.int64)
    for a, (tap, o, s, p, d) in enumerate(zip(where, out, stride_, padding_, dilation_)):
        starts = (np.arange(o) * s - p).reshape((o,) + (1,) * (2 - a))
        index = index * x.shape[2 + a] + starts + tap * d
    indices = Tensor._wrap(index)
    return (values, indices) if input.ndim == 5 else (values.squeeze(0), indices.squeeze(0))


def avg_pool3d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each kd x kh x kw box of each channel.

    Shape: (N, C, D, H, W) or (C, D, H, W) -> (N, C, od, oh, ow) or (C, od, oh, ow),
    od = floor((D + 2 p - kd) / s) + 1 (ceil with ceil_mode), and oh, ow likewise.
    Each box's sum is divided by: divisor_override if given; else the number
    of its places inside the padded input (count_include_pad=True, the zeros
    of the padding count) or inside the input itself (False).
    """
    op = "avg_pool3d"
    sizes = _sizes(op, kernel_size, stride, padding, None, "")
    x = _batched(input)
    _check_averageable(op, input)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    kernel, stride_, padding_, dilation = _check_geometry(*sizes)
    out, extra = _out_size("avg_pool3d()", input, *sizes, ceil_mode, check_kernel=True)
    n, c, *size = x.shape
    sums = _windows(x, kernel, stride_, padding_, dilation, extra, 0.0).sum(2)  # (N, C, L)
    if divisor_override is not None:
        counts = np.array(divisor_override, dtype=x.dtype)
    else:
        # count each box's places with the same boxes over a mask: 1 where a place counts
        mask = np.zeros((1, 1, *(m + 2 * p + e for m, p, e in zip(size, padding_, extra))), dtype=x.dtype)
        if count_include_pad:
            mask[(...,) + tuple(slice(0, m + 2 * p) for m, p in zip(size, padding_))] = 1
        else:
            mask[(...,) + tuple(slice(p, p + m) for m, p in zip(size, padding_))] = 1
        counts = Unfold3d._apply1(Tensor._wrap(mask), kernel, dilation, (0, 0, 0), stride_).data.sum(1)
    means = _divided(sums, Tensor._wrap(counts)).reshape(n, c, *out)
    return means if input.ndim == 5 else means.squeeze(0)


def _windows(
    x: Tensor, kernel: Triple, stride: Triple, padding: Triple, dilation: Triple, extra: Triple, fill: float
) -> Tensor:
    """x (N, C, D, H, W) padded with `fill` (`extra` more at each end), as boxes (N, C, kd*kh*kw, L)."""
    if any(padding) or any(extra):
        x = pad(x, tuple(a for p, e in zip(padding[::-1], extra[::-1]) for a in (p, p + e)), value=fill)
    n, c = x.shape[:2]
    return Unfold3d._apply1(x, kernel, dilation, (0, 0, 0), stride).reshape(n, c, int(np.prod(kernel)), -1)


# ---------------------------------------------------------------- checks, with PyTorch's messages


def _sizes(
    op: str, kernel_size: Any, stride: Any, padding: Any, dilation: Any | None, either: str
) -> tuple[Triple, Triple, Triple, Triple]:
    """kernel, stride (default: the kernel), padding and dilation (None: 1) as triples.

    The wordings are PyTorch's, which differ a little: max_pool3d's sizes "must
    either be", avg_pool3d's "must be" (`either` is "either " or "").
    """

    def triple(name: str, value: Any, wording: str) -> Triple:
        sizes = per_dim(value, 3)
        if sizes is None:
            raise RuntimeError(f"{op}: {name} must {wording}a single int, or a tuple of three ints")
        return sizes  # type: ignore[return-value]

    kernel = triple("kernel_size", kernel_size, f"{either}be ")
    stride_ = kernel if _no_stride(stride) else triple("stride", stride, f"{either}be omitted, ")
    padding_ = triple("padding", padding, f"{either}be ")
    dilation_ = (1, 1, 1) if dilation is None else triple("dilation", dilation, "be either ")
    return kernel, stride_, padding_, dilation_


def _batched(input: Tensor) -> Tensor:
    """A (C, D, H, W) input as a batch of one; refuse any other number of dims."""
    if input.ndim not in (4, 5):
        raise RuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
    return input if input.ndim == 5 else input.unsqueeze(0)


def _check_geometry(
    kernel: Triple, stride: Triple, padding: Triple, dilation: Triple
) -> tuple[Triple, Triple, Triple, Triple]:
    """PyTorch's checks of the sizes against each other, in its order; returns them unchanged."""
    for k, s, p, d in zip(kernel, stride, padding, dilation):  # per dim: depth, height, width
        if s == 0:
            raise RuntimeError("stride should not be zero")
        if p < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
        if p > int((d * (k - 1) + 1) / 2):  # (C++'s division, toward zero)
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, kernel_size={k} "
                f"and dilation={d}"
            )
    for name, short, values in [
        ("kernel size", "k", kernel),
        ("stride", "d", stride),
        ("dilation", "dilation", dilation),
    ]:
        if min(values) <= 0:
            shown = " ".join(f"{short}{axis}: {v}" for axis, v in zip("THW", values))
            raise RuntimeError(f"{name} should be greater than zero, but got {shown}")
    return kernel, stride, padding, dilation


def _out_size(
    op: str,
    input: Tensor,
    kernel: Triple,
    stride: Triple,
    padding: Triple,
    dilation: Triple,
    ceil_mode: bool,
    check_kernel: bool = False,
) -> tuple[Triple, Triple]:
    """(od, oh, ow), and how far the last box hangs over the padded input along each dim (ceil_mode).

    input is the (C, D, H, W) or (N, C, D, H, W) input as given, which the messages show.
    """
    if 0 in input.shape[-4:]:  # (the "0" in the message is PyTorch's: it shows the length, not the dim)
        raise RuntimeError(
            f"{op}: Expected input's non-batch dimensions to have positive length, but input has a shape "
            f"of {list(input.shape)} and non-batch dimension 0 has length zero!"
        )
    c, *size = input.shape[-4:]
    if check_kernel and any(m < k for m, k in zip(size, kernel)):  # avg_pool3d's: the unpadded input
        raise RuntimeError(
            f"input image (T: {size[0]} H: {size[1]} W: {size[2]}) smaller than kernel size "
            f"(kT: {kernel[0]} kH: {kernel[1]} kW: {kernel[2]})"
        )
    out = [
        _pooled_size(m, k, s, p, d, ceil_mode)
        for m, k, s, p, d in zip(size, kernel, stride, padding, dilation)
    ]
    if min(out) < 1:
        raise RuntimeError(
            f"Given input size: ({c}x{'x'.join(map(str, size))}). Calculated output size: "
            f"({c}x{'x'.join(map(str, out))}). Output size is too small"
        )
    extra = [
        max((o - 1) * s + d * (k - 1) + 1 - (m + 2 * p), 0)
        for o, m, k, s, p, d in zip(out, size, kernel, stride, padding, dilation)
    ]
    return (out[0], out[1], out[2]), (extra[0], extra[1], extra[2])


# ---------------------------------------------------------------- layers


class MaxPool3d(_MaxPoolNd):
    """Max pooling: the largest value in each kd x kh x kw box of each channel; see `F.max_pool3d`.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W) -> output (N, C, od, oh, ow) or (C, od, oh, ow),
        od = floor((D + 2 padding - dilation (kd - 1) - 1) / stride) + 1 (ceil with ceil_mode),
        oh and ow likewise. stride defaults to kernel_size. No parameters.

    On ties the gradient goes to the box's first maximum in (depth, row, column) order, as in PyTorch.
    """

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return max_pool3d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.return_indices,
        )


class AvgPool3d(Module):
    """Average pooling: the mean of each kd x kh x kw box of each channel; see `F.avg_pool3d`.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W) -> output (N, C, od, oh, ow) or (C, od, oh, ow),
        od = floor((D + 2 padding - kd) / stride) + 1 (ceil with ceil_mode), oh and ow likewise.
        stride defaults to kernel_size. No parameters.
    """

    def __init__(
        self,
        kernel_size: IntOrTriple,
        stride: IntOrTriple | None = None,
        padding: IntOrTriple = 0,
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
        return avg_pool3d(
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
