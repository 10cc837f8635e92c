"""Transposed convolutions: `ConvTranspose1d`, `ConvTranspose2d` and their `conv_transpose1d`/`2d`.

A convolution gathers: each output pixel is a weighted sum over one window
of the input. Its transpose scatters: each input pixel adds a copy of the
kernel, scaled by its value, onto a window of the output, and where windows
overlap the copies add up. (It is the convolution's gradient with respect
to its input; it is also called a fractionally-strided convolution, or,
inexactly, a deconvolution.) With stride s, input pixel i lands on the
window that starts at output position i s, so the output grows about s times.

Here that is three differentiable steps, so there is no Function of its own
and the gradients (and second derivatives) are those of MatMul and Fold:

1. one matrix product gives, for every input pixel, its scaled kernels: a
   column of C_out * kh * kw numbers (per group of channels);
2. `Fold` (col2im) adds each column onto its window of the output, the
   windows laid out with the stride and dilation;
3. `pad` with negative amounts crops ``padding`` from both ends of each
   spatial dim, after ``output_padding`` zeros have been added at the end.

A 1-d transposed convolution is a 2-d one on an image one row high.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..ops.conv import Fold as FoldFn
from ..ops.linalg import check_weight_dtype
from ..tensor import Tensor, check_device
from .conv import _sizes, _tuple, check_ranks
from .input_checks import check_input_weight_bias
from .linear import reset_weight_and_bias, weight_and_bias
from .module import Module
from .padding import pad

# the arguments given as an int or a tuple of ints, and their positions in the functions' signatures
_POSITIONS = {"stride": 4, "padding": 5, "output_padding": 6, "dilation": 8}


def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    output_padding: int | Sequence[int] = 0,
    groups: int = 1,
    dilation: int | Sequence[int] = 1,
) -> Tensor:
    """2-d transposed convolution: every input pixel adds its value times a kernel onto the output.

    Shapes: input (N, C_in, H, W) or (C_in, H, W); weight (C_in, C_out / groups, kh, kw)
    (in before out, unlike conv2d's); bias (C_out,)  ->  output (N, C_out, oh, ow) or
    (C_out, oh, ow), where

        oh = (H - 1) s_h - 2 p_h + d_h (kh - 1) + output_padding_h + 1, and ow likewise.

        full[n, o, y s_h + i d_h, x s_w + j d_w] += sum_c input[n, c, y, x] weight[c, o, i, j]
        out = full cropped by p at both ends of each spatial dim (+ bias[o])

    output_padding (less than the stride or the dilation) lengthens the
    output at the end: with stride s, inputs of s sizes convolve to the same
    size, and output_padding says which of them to go back to.
    """
    return _transpose_convolve(
        "conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def conv_transpose1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    output_padding: int | Sequence[int] = 0,
    groups: int = 1,
    dilation: int | Sequence[int] = 1,
) -> Tensor:
    """1-d transposed convolution (`conv_transpose2d` on a one-row image).

    Shapes: input (N, C_in, L) or (C_in, L); weight (C_in, C_out / groups, k); bias (C_out,)
    ->  output (N, C_out, L_out) or (C_out, L_out), L_out = (L - 1) s - 2 p + d (k - 1) + output_padding + 1.
    """
    return _transpose_convolve(
        "conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def _transpose_convolve(
    op: str,
    dims: int,
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: Any,
    dilation: Any,
    check_geometry: Callable[..., None] | None = None,
    core: Callable[..., Tensor] | None = None,
) -> Tensor:
    """The checks and the batch handling that the 1-d (dims=1) and 2-d (dims=2) versions share.

    conv_transpose3d (nn/conv3d.py) shares them too, passing its own `check_geometry`
    (PyTorch's 3-d messages) and `core` in place of `_check_geometry` and `_conv_transpose2d`.
    """
    check_input_weight_bias(op, input, weight, bias)
    check_weight_dtype(op, weight, input, bias)
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)):
        raise TypeError(f"{op}(): argument 'groups' must be int, not {type(groups).__name__}")
    groups = int(groups)
    values = (stride, padding, output_padding, dilation)
    stride, padding, output_padding, dilation = (_ints(op, dims, n, v) for n, v in zip(_POSITIONS, values))
    _check_tensors(op, dims, input, weight, bias, groups, padding, output_padding, stride)
    x = input if input.ndim == dims + 2 else input.unsqueeze(0)
    if dims == 1:  # a signal is an image one row high
        x, weight = x.unsqueeze(2), weight.unsqueeze(2)
        stride, dilation = (1, *stride), (1, *dilation)
        padding, output_padding = (0, *padding), (0, *output_padding)
    (check_geometry or _check_geometry)(x, weight, stride, padding, output_padding, dilation)
    out = (core or _conv_transpose2d)(x, weight, bias, stride, padding, output_padding, groups, dilation)
    out = out.squeeze(2) if dims == 1 else out
    return out if input.ndim == dims + 2 else out.squeeze(0)


def _conv_transpose2d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: int,
    dilation: Any,
) -> Tensor:
    """The transposed convolution proper: x (N, C_in, H, W) -> (N, C_out, oh, ow), all arguments checked.

    Per group g, the kernels weight[g's C_in/G, :, :, :] form a
    (C_in/G, C_out/G*kh*kw) matrix; its transpose times the group's pixels
    (C_in/G, H*W) gives one column per pixel, channel-major as `Fold`
    expects. The full output, before any cropping, is
    (H - 1) s + d (k - 1) + 1 long, so that Fold lays exactly H windows along it.
    """
    (n, c_in, h, w), (kh, kw) = x.shape, weight.shape[2:]
    c_out = weight.shape[1] * groups
    kernels = weight.reshape(groups, c_in // groups, c_out // groups * kh * kw).transpose(1, 2)
    pixels = x.reshape(n, groups, c_in // groups, h * w)
    columns = (kernels @ pixels).reshape(n, c_out * kh * kw, h * w)
    full = tuple((i - 1) * s + d * (k - 1) + 1 for i, s, d, k in zip((h, w), stride, dilation, (kh, kw)))
    out = FoldFn._apply1(columns, full, (kh, kw), dilation, (0, 0), stride)
    # NOTE: grow first, then crop: output_padding may reach past the full output (its zeros)
    (ph, pw), (oph, opw) = padding, output_padding
    if oph or opw:
        out = pad(out, (0, opw, 0, oph))
    if ph or pw:
        out = pad(out, (-pw, -pw, -ph, -ph))
    return out if bias is None else out + bias.reshape(c_out, 1, 1)


# ---------------------------------------------------------------- checks, with PyTorch's messages


def _ints(op: str, dims: int, name: str, value: Any) -> tuple[int, ...]:
    """stride, padding, output_padding or dilation as one int per spatial dim; a float is a TypeError."""
    if isinstance(value, (str, bool)) or not isinstance(value, (Sequence, int, np.integer)):
        raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, not {type(value).__name__}")
    if isinstance(value, Sequence):
        for i, v in enumerate(value):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise TypeError(
                    f"{op}(): argument '{name}' (position {_POSITIONS[name]}) must be tuple of ints, "
                    f"but found element of type {type(v).__name__} at pos {i}"
                )
    return _sizes(op, dims, name, value)


def _check_tensors(
    op: str,
    dims: int,
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    groups: int,
    padding: tuple[int, ...],
    output_padding: tuple[int, ...],
    stride: tuple[int, ...],
) -> None:
    """The ranks, the amounts' signs, and the channels of input, weight and bias against each other."""
    check_ranks(op, dims, input, weight, "C_in, C_out / groups")
    for message, bad in [
        ("negative padding is not supported", min(padding) < 0),
        ("negative output_padding is not supported", min(output_padding) < 0),
        ("non-positive stride is not supported", min(stride) < 1),
        ("non-positive groups is not supported", groups < 1),
    ]:
        if bad:
            raise RuntimeError(message)
    if weight.shape[0] < groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, "
            f"but got weight of size {list(weight.shape)} instead"
        )
    if weight.shape[0] % groups:  # (the doubled brackets are PyTorch's)
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
            f"but got weight of size [{list(weight.shape)}] instead"
        )
    batch = list(input.shape) if input.ndim == dims + 2 else [1, *input.shape]
    if batch[1] != weight.shape[0]:
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(weight.shape)}, expected input{batch} to have "
            f"{weight.shape[0]} channels, but got {batch[1]} channels instead"
        )
    c_out = weight.shape[1] * groups
    if bias is not None and bias.shape != (c_out,):
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(weight.shape)}, expected bias to be 1-dimensional "
            f"with {c_out} elements, but got bias of size {list(bias.shape)} instead"
        )


def _check_geometry(
    x: Tensor, weight: Tensor, stride: Any, padding: Any, output_padding: Any, dilation: Any
) -> None:
    """The checks on the (N, C_in, H, W) view; a 1-d call names the one-row image it is, as PyTorch's does."""
    (kh, kw), (sh, sw), (dh, dw), (oph, opw) = weight.shape[2:], stride, dilation, output_padding
    if kh < 1 or kw < 1:
        raise RuntimeError(
            f"kernel size should be greater than zero, but got kernel_height: {kh} kernel_width: {kw}"
        )
    if weight.numel() == 0:
        raise RuntimeError(f"non-empty 2D or 4D weight tensor expected, but got: {list(weight.shape)}")
    if dh < 1 or dw < 1:
        raise RuntimeError(
            f"dilation should be greater than zero, but got dilation_height: {dh}, dilation_width: {dw}"
        )
    if not (oph < sh or oph < dh) or not (opw < sw or opw < dw):
        raise RuntimeError(
            f"output padding must be smaller than either stride or dilation, but got output_padding_height: "
            f"{oph} output_padding_width: {opw} stride_height: {sh} stride_width: {sw} dilation_height: {dh} "
            f"dilation_width: {dw}"
        )
    if 0 in x.shape[2:]:
        raise RuntimeError(
            f"Only zero batch or zero channel inputs are supported, but got input shape: {list(x.shape)}"
        )
    sizes = [
        (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        for n, s, p, d, k, op in zip(x.shape[2:], stride, padding, dilation, (kh, kw), output_padding)
    ]
    if min(sizes) < 1:
        raise RuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). Calculated output size "
            f"per channel: ({' x '.join(map(str, sizes))}). Output size is too small"
        )


# ---------------------------------------------------------------- layers


IntOrTuple = int | tuple[int, ...]


class _ConvTransposeNd(Module):
    """What ConvTranspose1d and ConvTranspose2d share: all but the number of spatial dims and the function.

    An int for kernel_size, stride, padding, output_padding or dilation
    stands for the same value along every spatial dim.
    """

    _dims: int
    _conv: Any

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntOrTuple,
        stride: IntOrTuple = 1,
        padding: IntOrTuple = 0,
        output_padding: IntOrTuple = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: IntOrTuple = 1,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        dims = self._dims
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = _tuple(kernel_size, dims), _tuple(stride, dims)
        # a string (PyTorch has no padding="same" here) is kept, and refused by forward
        self.padding = padding if isinstance(padding, str) else _tuple(padding, dims)
        self.output_padding, self.dilation = _tuple(output_padding, dims), _tuple(dilation, dims)
        self.groups, self.padding_mode = groups, padding_mode
        weight_and_bias(
            self, (in_channels, out_channels // groups, *self.kernel_size), out_channels, bias, dtype
        )
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Redraw weight and bias from PyTorch's default ones (fan_in, read off the weight's shape as
        PyTorch does: C_out / groups * kernel taps)."""
        reset_weight_and_bias(self)

    def forward(self, input: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        output_padding = (
            self.output_padding if output_size is None else self._output_padding(input, output_size)
        )
        return self._conv(
            input,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            output_padding,
            self.groups,
            self.dilation,
        )

    def _output_padding(self, input: Tensor, output_size: Sequence[int]) -> tuple[int, ...]:
        """The output_padding that gives an output of `output_size` (which may include batch and channels).

        Without output_padding the output is the smallest of the `stride` sizes
        that convolve back to the input's, so output_size must lie in
        [smallest, smallest + stride - 1] along each spatial dim.
        """
        dims = self._dims
        if (
            not isinstance(input, Tensor)
            or input.ndim not in (dims + 1, dims + 2)
            or isinstance(self.padding, str)
        ):
            return self.output_padding  # the functional refuses the input (or the padding) in its words
        leading = input.ndim - dims
        if len(output_size) == leading + dims:
            output_size = output_size[leading:]
        if len(output_size) != dims:
            raise ValueError(
                f"ConvTranspose{dims}D: for {input.ndim}D input, output_size must have {dims} "
                f"or {leading + dims} elements (got {len(output_size)})"
            )
        geometry = zip(input.shape[leading:], self.stride, self.padding, self.dilation, self.kernel_size)
        smallest = [(n - 1) * s - 2 * p + d * (k - 1) + 1 for n, s, p, d, k in geometry]
        largest = [low + s - 1 for low, s in zip(smallest, self.stride)]
        if any(not low <= size <= high for size, low, high in zip(output_size, smallest, largest)):
            raise ValueError(
                f"requested an output size of {output_size}, but valid sizes range from {smallest} to "
                f"{largest} (for an input of {input.shape[leading:]})"
            )
        return tuple(size - low for size, low in zip(output_size, smallest))

    def extra_repr(self) -> str:
        dims = self._dims
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        )
        if self.padding != (0,) * dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * dims:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * dims:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text


class ConvTranspose2d(_ConvTransposeNd):
    """2-d transposed convolution layer: each input pixel scatters C_out learned kh x kw kernels.

    See `conv_transpose2d`. It maps shapes back the way a `Conv2d` with the
    same kernel_size, stride, padding and dilation maps them forward.

    Shape:
        input (N, C_in, H, W) or (C_in, H, W) -> output (N, C_out, oh, ow) or (C_out, oh, ow),
        oh = (H - 1) stride[0] - 2 padding[0] + dilation[0] (kernel_size[0] - 1) + output_padding[0] + 1,
        and ow likewise with the second entries. ``forward(input, output_size)`` picks
        output_padding to give that size instead.

    Attributes:
        weight: (C_in, C_out / groups, kh, kw), initially U(-k, k) with
            k = 1/sqrt(C_out / groups * kh * kw) (kaiming_uniform_ with a = sqrt(5), as in PyTorch)
        bias: (C_out,), initially U(-k, k); None when bias=False
    """

    _dims = 2
    _conv = staticmethod(conv_transpose2d)


class ConvTranspose1d(_ConvTransposeNd):
    """1-d transposed convolution layer: each input position scatters C_out learned length-k kernels.

    Shape:
        input (N, C_in, L) or (C_in, L) -> output (N, C_out, L_out) or (C_out, L_out),
        L_out = (L - 1) stride - 2 padding + dilation (kernel_size - 1) + output_padding + 1

    Attributes:
        weight: (C_in, C_out / groups, k), initially U(-b, b) with b = 1/sqrt(C_out / groups * k)
        bias: (C_out,), initially U(-b, b); None when bias=False
    """

    _dims = 1
    _conv = staticmethod(conv_transpose1d)
