"""Convolution layers, `Conv1d` and `Conv2d`, and their functions `conv1d` and `conv2d`.

A convolution here is three steps, each differentiable: `unfold` copies
every window of the (padded) input into a column, one matrix product with
the kernels turns each column into C_out numbers, and a reshape lays them
out as an image. So there is no Conv Function of its own: the gradients
(and second derivatives) are those of Unfold, MatMul and Reshape. A 1-d
convolution is a 2-d one on an image one row high.

As in PyTorch (and every deep-learning library), "convolution" means
cross-correlation: the kernel is not flipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..ops.conv import Unfold as UnfoldFn
from ..ops.conv import blocks, per_dim
from ..ops.linalg import check_weight_dtype
from ..tensor import Tensor, check_device
from .input_checks import check_input_weight_bias
from .linear import reset_weight_and_bias, weight_and_bias
from .module import Module
from .padding import pad

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """2-d convolution of a batch of images with C_out kernels.

    Shapes: input (N, C_in, H, W) or (C_in, H, W); weight (C_out, C_in / groups, kh, kw);
    bias (C_out,)  ->  output (N, C_out, oh, ow) or (C_out, oh, ow), where
    oh = floor((H + 2 p_h - d_h (kh - 1) - 1) / s_h) + 1, and ow likewise.

        out[n, o, y, x] = bias[o] + sum_{c,i,j} weight[o, c, i, j] padded[n, c, y s_h + i d_h, x s_w + j d_w]

    padding: an int, a pair, "valid" (none) or "same" (output size = input size,
    stride 1 only; an odd total goes one more to the bottom/right). With
    groups = G the channels split into G groups, each convolved with its own
    C_out / G kernels.
    """
    return _convolve("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """1-d convolution of a batch of signals with C_out kernels (`conv2d` on a one-row image).

    Shapes: input (N, C_in, L) or (C_in, L); weight (C_out, C_in / groups, k); bias (C_out,)
    ->  output (N, C_out, L_out) or (C_out, L_out), L_out = floor((L + 2p - d (k - 1) - 1) / s) + 1.
    """
    return _convolve("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def _convolve(
    op: str,
    dims: int,
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: int,
    core: Callable[..., Tensor] | None = None,
) -> Tensor:
    """The checks, the padding and the batch handling that conv1d (dims=1) and conv2d (dims=2) share.

    conv3d (nn/conv3d.py) shares them too, passing its own `core` in place of `_conv2d`.
    """
    check_input_weight_bias(op, input, weight, bias)
    _check_tensors(op, dims, input, weight, bias, groups)
    check_weight_dtype(op, weight, input, bias)
    stride, dilation = _sizes(op, dims, "stride", stride), _sizes(op, dims, "dilation", dilation)
    for name, value in [("stride", stride), ("dilation", dilation)]:
        if min(value) < 1:
            raise RuntimeError(f"non-positive {name} is not supported")
    kernel = weight.shape[2:]
    before, after = _padding(op, dims, padding, kernel, stride, dilation)
    x = input if input.ndim == dims + 2 else input.unsqueeze(0)
    if before != after:  # "same" with an even span: the extra one goes after
        x = pad(x, tuple(p for b, a in zip(before[::-1], after[::-1]) for p in (0, a - b)))
    if dims == 1:  # a signal is an image one row high
        x, weight = x.unsqueeze(2), weight.unsqueeze(2)
        kernel, stride, before, dilation = (1, *kernel), (1, *stride), (0, *before), (1, *dilation)
    _check_kernel_fits(x.shape[2:], kernel, before, dilation, dims)
    out = (core or _conv2d)(x, weight, bias, stride, before, dilation, groups)
    out = out.squeeze(2) if dims == 1 else out
    return out if input.ndim == dims + 2 else out.squeeze(0)


def _conv2d(
    x: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any, dilation: Any, groups: int
) -> Tensor:
    """The convolution proper: x (N, C_in, H, W) -> (N, C_out, oh, ow), all arguments checked.

    columns = unfold(x): (N, C_in*kh*kw, L), channel-major, so the G groups are
    G consecutive blocks of rows: (N, G, C_in/G*kh*kw, L). The kernels
    (C_out, C_in/G, kh, kw) become (G, C_out/G, C_in/G*kh*kw), and one batched
    matmul gives (N, G, C_out/G, L), which is (N, C_out, oh, ow).
    """
    n, c_out, kernel = x.shape[0], weight.shape[0], (weight.shape[2], weight.shape[3])
    oh, ow = blocks(x.shape[2:], kernel, dilation, padding, stride)
    columns = UnfoldFn._apply1(x, kernel, dilation, padding, stride).reshape(n, groups, -1, oh * ow)
    kernels = weight.reshape(groups, c_out // groups, -1)
    out = (kernels @ columns).reshape(n, c_out, oh, ow)
    return out if bias is None else out + bias.reshape(c_out, 1, 1)


def check_ranks(op: str, dims: int, input: Tensor, weight: Tensor, layout: str) -> None:
    """input (C, *spatial) or (N, C, *spatial), and weight (dims + 2)-d; `layout` names weight's first dims.

    (The convolutions and the transposed ones, whose weight has C_in first.)
    """
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(
            f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {op}, "
            f"but got input of size: {list(input.shape)}"
        )
    if weight.ndim != dims + 2:
        raise RuntimeError(
            f"{op}: expected weight to be {dims + 2}-dimensional ({layout}, *kernel), "
            f"but got weight of size {list(weight.shape)}"
        )


def _check_tensors(
    op: str, dims: int, input: Tensor, weight: Tensor, bias: Tensor | None, groups: int
) -> None:
    """PyTorch's checks of the shapes of input, weight and bias against each other, with its messages."""
    check_ranks(op, dims, input, weight, "C_out, C_in / groups")
    if not isinstance(groups, int) or groups < 1:
        raise RuntimeError("non-positive groups is not supported")
    if weight.shape[0] % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
            f"but got weight of size [{list(weight.shape)}] instead"
        )
    channels = input.shape[-dims - 1]
    if channels != weight.shape[1] * groups:
        batch = list(input.shape) if input.ndim == dims + 2 else [1, *input.shape]
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected input{batch} to have "
            f"{weight.shape[1] * groups} channels, but got {channels} channels instead"
        )
    if bias is not None and bias.shape != weight.shape[:1]:
        raise RuntimeError(
            f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional with "
            f"{weight.shape[0]} elements, but got bias of size {list(bias.shape)} instead"
        )


def _sizes(op: str, dims: int, name: str, value: Any) -> tuple[int, ...]:
    """stride, padding or dilation as one int per spatial dim (an int stands for all of them)."""
    sizes = per_dim(value, dims)
    if sizes is None:
        raise RuntimeError(
            f"expected {name} to be a single integer value or a list of {dims} values to match the "
            f"convolution dimensions, but got {name}={list(value) if isinstance(value, Sequence) else value}"
        )
    return sizes


def _padding(
    op: str,
    dims: int,
    padding: Any,
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The zeros added (before, after) each spatial dim, from an int, a tuple, "valid" or "same"."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0,) * dims, (0,) * dims
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: {padding!r}")
        if any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        # the kernel spans d (k - 1) + 1 elements: that many minus one, split as evenly as it goes
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return tuple(t // 2 for t in totals), tuple(t - t // 2 for t in totals)
    sizes = _sizes(op, dims, "padding", padding)
    if min(sizes) < 0:
        raise RuntimeError("negative padding is not supported")
    return sizes, sizes


def _check_kernel_fits(size: tuple[int, ...], kernel: Any, padding: Any, dilation: Any, dims: int) -> None:
    """Refuse a (dilated) kernel larger than the padded input, as PyTorch does."""
    padded = [n + 2 * p for n, p in zip(size, padding)]
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(s > n for s, n in zip(spans, padded)):
        show = " x ".join(map(str, padded[-dims:]))
        raise RuntimeError(
            f"Calculated padded input size per channel: ({show}). Kernel size: "
            f"({' x '.join(map(str, spans[-dims:]))}). Kernel size can't be greater than actual input size"
        )


# ---------------------------------------------------------------- layers


class _ConvNd(Module):
    """What Conv1d and Conv2d share: the checks, the parameters, their initialisation and the repr."""

    _dims: int
    _conv: Any

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any,
        padding: Any,
        dilation: Any,
        groups: int,
        bias: bool,
        padding_mode: str,
        device: Any,
        dtype: Any,
    ) -> None:
        super().__init__()
        check_device(device)
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        kernel_size, stride, dilation = (_tuple(v, self._dims) for v in (kernel_size, stride, dilation))
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of {{'same', 'valid'}}")
            if padding == "same" and any(s != 1 for s in stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
        else:
            padding = _tuple(padding, self._dims)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"padding_mode must be one of {set(_PADDING_MODES)}, but got padding_mode='{padding_mode}'"
            )
        self.in_channels, self.out_channels, self.kernel_size = in_channels, out_channels, kernel_size
        self.stride, self.padding, self.dilation = stride, padding, dilation
        self.groups, self.padding_mode = groups, padding_mode
        weight_and_bias(self, (out_channels, in_channels // groups, *kernel_size), out_channels, bias, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Redraw weight and bias from PyTorch's default ones (fan_in = C_in / groups * kernel taps)."""
        reset_weight_and_bias(self)

    def _padding_pairs(self) -> tuple[int, ...]:
        """The padding as `pad` takes it: (before, after) per spatial dim, the last dim first."""
        before, after = _padding(
            "", self._dims, self.padding, self.kernel_size, (1,) * self._dims, self.dilation
        )
        return tuple(p for b, a in zip(before[::-1], after[::-1]) for p in (b, a))

    def forward(self, input: Tensor) -> Tensor:
        if self.padding_mode == "zeros":
            return self._conv(
                input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
            )
        padded = pad(input, self._padding_pairs(), mode=self.padding_mode)
        return self._conv(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        )
        if self.padding != (0,) * self._dims:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self._dims:
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


def _tuple(value: Any, dims: int) -> tuple[int, ...]:
    """An int as `dims` copies of it; a sequence as a tuple (as PyTorch's _pair)."""
    return tuple(value) if isinstance(value, Sequence) else (value,) * dims


class Conv2d(_ConvNd):
    """2-d convolution layer: C_out learned kh x kw kernels slid over a (batch of) image(s); see `conv2d`.

    Shape:
        input (N, C_in, H, W) or (C_in, H, W) -> output (N, C_out, oh, ow) or (C_out, oh, ow),
        oh = floor((H + 2 padding[0] - dilation[0] (kernel_size[0] - 1) - 1) / stride[0]) + 1,
        and ow likewise with the second entries.

    Attributes:
        weight: (C_out, C_in / groups, kh, kw), initially U(-k, k) with
            k = 1/sqrt(C_in / groups * kh * kw) (kaiming_uniform_ with a = sqrt(5), as in PyTorch)
        bias: (C_out,), initially U(-k, k); None when bias=False

    padding_mode "reflect", "replicate" or "circular" pads with `F.pad` in that
    mode instead of with zeros.
    """

    _dims = 2
    _conv = staticmethod(conv2d)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: str | int | tuple[int, int] = 0,
        dilation: int | tuple[int, int] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )


class Conv1d(_ConvNd):
    """1-d convolution layer: C_out learned length-k kernels slid along a (batch of) signal(s); see `conv1d`.

    Shape:
        input (N, C_in, L) or (C_in, L) -> output (N, C_out, L_out) or (C_out, L_out),
        L_out = floor((L + 2 padding - dilation (kernel_size - 1) - 1) / stride) + 1

    Attributes:
        weight: (C_out, C_in / groups, k), initially U(-b, b) with b = 1/sqrt(C_in / groups * k)
            (kaiming_uniform_ with a = sqrt(5), as in PyTorch)
        bias: (C_out,), initially U(-b, b); None when bias=False
    """

    _dims = 1
    _conv = staticmethod(conv1d)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int],
        stride: int | tuple[int] = 1,
        padding: str | int | tuple[int] = 0,
        dilation: int | tuple[int] = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            device,
            dtype,
        )
