"""Volumetric convolutions: `Conv3d`, `ConvTranspose3d` and their functions `conv3d`, `conv_transpose3d`.

They are the 2-d layers (conv.py, conv_transpose.py) with one more spatial
dim, depth, and are built the same way from differentiable steps, so there
is no Function of their own and second derivatives come with the steps:

- conv3d: `Unfold3d` (vol2col, ops/conv3d.py) copies every kd x kh x kw box
  of the padded input into a column, one batched matrix product with the
  kernels turns each column into C_out numbers, and a reshape lays them out
  as a volume.
- conv_transpose3d: one matrix product gives, for every input voxel, its
  kernels scaled by its value (a column of C_out*kd*kh*kw numbers), `Fold3d`
  adds each column onto its box of the output, and `pad` crops ``padding``
  from both ends of each spatial dim after growing ``output_padding`` at the end.

The argument checks, with PyTorch's messages, are the 2-d layers' own,
shared through their `dims` argument; so are the layers' parameters,
initialisation, padding modes and repr.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ..ops.conv3d import Fold3d, Unfold3d, blocks3d
from ..tensor import Tensor
from .conv import _ConvNd, _convolve
from .conv_transpose import _ConvTransposeNd, _transpose_convolve
from .padding import pad

Triple = tuple[int, int, int]
IntOrTriple = int | tuple[int, int, int]


def conv3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] | str = 0,
    dilation: int | Sequence[int] = 1,
    groups: int = 1,
) -> Tensor:
    """3-d convolution of a batch of volumes with C_out kernels.

    Shapes: input (N, C_in, D, H, W) or (C_in, D, H, W); weight (C_out, C_in / groups, kd, kh, kw);
    bias (C_out,)  ->  output (N, C_out, od, oh, ow) or (C_out, od, oh, ow), where
    od = floor((D + 2 p_d - d_d (kd - 1) - 1) / s_d) + 1, and oh, ow likewise.

        out[n, o, z, y, x] = bias[o] + sum_{c,a,b,e} weight[o, c, a, b, e]
                             padded[n, c, z s_d + a d_d, y s_h + b d_h, x s_w + e d_w]

    padding: an int, a triple, "valid" (none) or "same" (output size = input
    size, stride 1 only; an odd total goes one more to the end). With
    groups = G the channels split into G groups, each convolved with its own
    C_out / G kernels.
    """
    return _convolve("conv3d", 3, input, weight, bias, stride, padding, dilation, groups, _conv3d)


def _conv3d(
    x: Tensor, weight: Tensor, bias: Tensor | None, stride: Any, padding: Any, dilation: Any, groups: int
) -> Tensor:
    """The convolution proper: x (N, C_in, D, H, W) -> (N, C_out, od, oh, ow), all arguments checked.

    columns = unfold3d(x) is (N, C_in*kd*kh*kw, L), channel-major, so the G
    groups are G consecutive blocks of rows: (N, G, C_in/G*kd*kh*kw, L). The
    kernels become (G, C_out/G, C_in/G*kd*kh*kw), and one batched matmul
    gives (N, G, C_out/G, L), which is (N, C_out, od, oh, ow).
    """
    n, c_out, kernel = x.shape[0], weight.shape[0], tuple(weight.shape[2:])
    out = blocks3d(x.shape[2:], kernel, dilation, padding, stride)  # type: ignore[arg-type]
    columns = Unfold3d._apply1(x, kernel, dilation, padding, stride).reshape(n, groups, -1, math.prod(out))
    kernels = weight.reshape(groups, c_out // groups, -1)
    volume = (kernels @ columns).reshape(n, c_out, *out)
    return volume if bias is None else volume + bias.reshape(c_out, 1, 1, 1)


def conv_transpose3d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | Sequence[int] = 1,
    padding: int | Sequence[int] = 0,
    output_padding: int | Sequence[int] = 0,
    groups: int = 1,
    dilation: int | Sequence[int] = 1,
) -> Tensor:
    """3-d transposed convolution: every input voxel adds its value times a kernel onto the output.

    Shapes: input (N, C_in, D, H, W) or (C_in, D, H, W); weight (C_in, C_out / groups, kd, kh, kw)
    (in before out, unlike conv3d's); bias (C_out,)  ->  output (N, C_out, od, oh, ow) or
    (C_out, od, oh, ow), where

        od = (D - 1) s_d - 2 p_d + d_d (kd - 1) + output_padding_d + 1, and oh, ow likewise.

    It is conv3d's gradient with respect to its input; output_padding (less
    than the stride or the dilation) picks which of the `stride` input sizes
    that conv3d maps to the same size to go back to.
    """
    return _transpose_convolve(
        "conv_transpose3d", 3, input, weight, bias, stride, padding, output_padding, groups, dilation,
        _check_geometry, _conv_transpose3d,
    )  # fmt: skip


def _conv_transpose3d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: int,
    dilation: Any,
) -> Tensor:
    """The transposed convolution proper: x (N, C_in, D, H, W) -> (N, C_out, od, oh, ow), all checked.

    Per group, the kernels form a (C_in/G, C_out/G*kd*kh*kw) matrix; its
    transpose times the group's voxels (C_in/G, D*H*W) gives one column per
    voxel, channel-major as `Fold3d` expects. The full output, before any
    cropping, is (n - 1) s + d (k - 1) + 1 long along each dim, so that Fold3d
    lays exactly n windows along it.
    """
    (n, c_in, *size), kernel = x.shape, tuple(weight.shape[2:])
    c_out, taps, voxels = weight.shape[1] * groups, math.prod(kernel), math.prod(size)
    kernels = weight.reshape(groups, c_in // groups, c_out // groups * taps).transpose(1, 2)
    columns = (kernels @ x.reshape(n, groups, c_in // groups, voxels)).reshape(n, c_out * taps, voxels)
    full = tuple((m - 1) * s + d * (k - 1) + 1 for m, s, d, k in zip(size, stride, dilation, kernel))
    out = Fold3d._apply1(columns, full, kernel, dilation, (0, 0, 0), stride)
    # NOTE: grow first, then crop: output_padding may reach past the full output (its zeros)
    if any(output_padding):
        out = pad(out, tuple(a for extra in output_padding[::-1] for a in (0, extra)))
    if any(padding):
        out = pad(out, tuple(-p for p in padding[::-1] for _ in range(2)))
    return out if bias is None else out + bias.reshape(c_out, 1, 1, 1)


def _check_geometry(
    x: Tensor, weight: Tensor, stride: Any, padding: Any, output_padding: Any, dilation: Any
) -> None:
    """The checks on the (N, C_in, D, H, W) view, with PyTorch's (3-d) messages."""
    kernel = tuple(weight.shape[2:])
    names = ("depth", "height", "width")

    def show(label: str, values: Sequence[int], sep: str = " ") -> str:
        return sep.join(f"{label}_{name}: {v}" for name, v in zip(names, values))

    if min(kernel) < 1:
        raise RuntimeError(f"kernel size should be greater than zero, but got {show('kernel', kernel)}")
    if weight.numel() == 0:
        raise RuntimeError(
            "non-empty 5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x kernel_width) "
            f"tensor expected for weight, but got: {list(weight.shape)}"
        )
    if min(dilation) < 1:
        raise RuntimeError(
            f"dilation should be greater than zero, but got {show('dilation', dilation, ', ')}"
        )
    if any(not (op < s or op < d) for op, s, d in zip(output_padding, stride, dilation)):
        raise RuntimeError(
            "output padding must be smaller than either stride or dilation, but got "
            f"{show('output_padding', output_padding)} {show('stride', stride)} {show('dilation', dilation)}"
        )
    if 0 in x.shape[2:]:
        raise RuntimeError(
            f"Only zero batch or zero channel inputs are supported, but got input shape: {list(x.shape)}"
        )
    sizes = [
        (n - 1) * s - 2 * p + d * (k - 1) + op + 1
        for n, s, p, d, k, op in zip(x.shape[2:], stride, padding, dilation, kernel, output_padding)
    ]
    if min(sizes) < 1:
        raise RuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). Calculated output size "
            f"per channel: ({' x '.join(map(str, sizes))}). Output size is too small"
        )


# ---------------------------------------------------------------- layers


class Conv3d(_ConvNd):
    """3-d convolution layer: C_out learned kd x kh x kw kernels slid through a (batch of) volume(s).

    See `conv3d`.

    Shape:
        input (N, C_in, D, H, W) or (C_in, D, H, W) -> output (N, C_out, od, oh, ow) or (C_out, od, oh, ow),
        od = floor((D + 2 padding[0] - dilation[0] (kernel_size[0] - 1) - 1) / stride[0]) + 1,
        and oh, ow likewise with the second and third entries.

    Attributes:
        weight: (C_out, C_in / groups, kd, kh, kw), initially U(-k, k) with
            k = 1/sqrt(C_in / groups * kd * kh * kw) (kaiming_uniform_ with a = sqrt(5), as in PyTorch)
        bias: (C_out,), initially U(-k, k); None when bias=False

    padding_mode "reflect", "replicate" or "circular" pads with `F.pad` in that
    mode instead of with zeros.
    """

    _dims = 3
    _conv = staticmethod(conv3d)

    def __init__(
        self,
        in_channels: int,
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


class ConvTranspose3d(_ConvTransposeNd):
    """3-d transposed convolution layer: each input voxel scatters C_out learned kd x kh x kw kernels.

    See `conv_transpose3d`. It maps shapes back the way a `Conv3d` with the
    same kernel_size, stride, padding and dilation maps them forward.

    Shape:
        input (N, C_in, D, H, W) or (C_in, D, H, W) -> output (N, C_out, od, oh, ow) or (C_out, od, oh, ow),
        od = (D - 1) stride[0] - 2 padding[0] + dilation[0] (kernel_size[0] - 1) + output_padding[0] + 1,
        and oh, ow likewise. ``forward(input, output_size)`` picks output_padding to give that size.

    Attributes:
        weight: (C_in, C_out / groups, kd, kh, kw), initially U(-k, k) with
            k = 1/sqrt(C_out / groups * kd * kh * kw) (kaiming_uniform_ with a = sqrt(5), as in PyTorch)
        bias: (C_out,), initially U(-k, k); None when bias=False
    """

    _dims = 3
    _conv = staticmethod(conv_transpose3d)
