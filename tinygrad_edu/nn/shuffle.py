"""Rearranging layers: `PixelShuffle`, `PixelUnshuffle`, `ChannelShuffle`, and their functions.

None of them computes anything: each is a reshape, a permutation of dims
and a reshape back, so each output element is one input element, and the
gradient is the upstream gradient rearranged the other way.

- pixel_shuffle(x, r) turns r^2 channels into an r x r block of pixels:
  (*, C r^2, H, W) -> (*, C, H r, W r). A convolution to C r^2 channels and
  a pixel shuffle upsample an image by r ("sub-pixel convolution", Shi et
  al., 2016) without the checkerboard artefacts of a strided transposed conv.
- pixel_unshuffle(x, r) is its inverse: each r x r block back into channels.
- channel_shuffle(x, g) interleaves g groups of channels, so that after a
  grouped convolution the next one sees channels from every group
  (ShuffleNet, Zhang et al., 2017): channels [a0 a1 a2 b0 b1 b2] with g = 2
  become [a0 b0 a1 b1 a2 b2].
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from .input_checks import check_tensors
from .module import Module


def _check_int(op: str, name: str, value: object) -> None:
    if not isinstance(value, Tensor) and (
        isinstance(value, bool) or not isinstance(value, (int, np.integer))
    ):
        raise TypeError(f"{op}(): argument '{name}' (position 2) must be int, not {type(value).__name__}")


def _fresh(out: Tensor, input: Tensor) -> Tensor:
    """A copy where the rearrangement came out as a view of the input (a trivial one, such as r = 1).

    PyTorch's result never shares the input's memory, so changing it in place
    must leave the input alone.
    """
    return out.clone() if np.may_share_memory(out.data, input.data) else out


def _check_image(op: str, input: Tensor, name: str, factor: int) -> None:
    """A Tensor of rank 3 or more and a positive factor (PyTorch's checks, in its order)."""
    check_tensors(op, ("input",), (input,), required=1)
    _check_int(op, name, factor)
    if input.ndim < 3:
        raise RuntimeError(
            f"{op} expects input to have at least 3 dimensions, but got input with {input.ndim} dimension(s)"
        )
    if factor <= 0:
        raise RuntimeError(f"{op} expects a positive {name}, but got {factor}")


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C r^2, H, W) -> (*, C, H r, W r), r = upscale_factor.

    out[c, h r + i, w r + j] = input[c r^2 + i r + j, h, w]
    """
    _check_image("pixel_shuffle", input, "upscale_factor", upscale_factor)
    *lead, channels, h, w = input.shape
    r = upscale_factor
    if channels % (r * r):
        raise RuntimeError(
            "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
            f"upscale_factor, but input.size(-3)={channels} is not divisible by {r * r}"
        )
    k = len(lead)
    blocks = input.reshape(*lead, channels // (r * r), r, r, h, w)
    # (C, i, j, h, w) -> (C, h, i, w, j): row h r + i, column w r + j
    out = blocks.permute(*range(k), k, k + 3, k + 1, k + 4, k + 2).reshape(
        *lead, channels // (r * r), h * r, w * r
    )
    return _fresh(out, input)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H r, W r) -> (*, C r^2, H, W), r = downscale_factor: the inverse of `pixel_shuffle`."""
    _check_image("pixel_unshuffle", input, "downscale_factor", downscale_factor)
    *lead, channels, height, width = input.shape
    r = downscale_factor
    for name, size, dim in [("height", height, -2), ("width", width, -1)]:
        if size % r:
            raise RuntimeError(
                f"pixel_unshuffle expects {name} to be divisible by downscale_factor, but "
                f"input.size({dim})={size} is not divisible by {r}"
            )
    k, h, w = len(lead), height // r, width // r
    blocks = input.reshape(*lead, channels, h, r, w, r)
    # (C, h, i, w, j) -> (C, i, j, h, w): channel c r^2 + i r + j
    out = blocks.permute(*range(k), k, k + 2, k + 4, k + 1, k + 3).reshape(*lead, channels * r * r, h, w)
    return _fresh(out, input)


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """(N, C, *) -> (N, C, *), the groups interleaved: channel g (C / groups) + i moves to i groups + g."""
    check_tensors("channel_shuffle", ("input",), (input,), required=1)
    _check_int("channel_shuffle", "groups", groups)
    if input.ndim <= 2:
        raise RuntimeError(
            f"channel_shuffle expects input with > 2 dims, but got input with sizes {list(input.shape)}"
        )
    if groups <= 0:
        raise RuntimeError(
            f"Number of groups to divide channels in must be positive. Value of groups:{groups}"
        )
    n, channels, *rest = input.shape
    if channels % groups:
        raise RuntimeError(
            f"Number of channels must be divisible by groups. Got {channels} channels and {groups} groups."
        )
    grouped = input.reshape(n, groups, channels // groups, *rest)
    return _fresh(grouped.transpose(1, 2).reshape(n, channels, *rest), input)


# ---------------------------------------------------------------- layers


class PixelShuffle(Module):
    """Move channels into space: (*, C r^2, H, W) -> (*, C, H r, W r), r = upscale_factor."""

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """Move space into channels: (*, C, H r, W r) -> (*, C r^2, H, W), r = downscale_factor."""

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"


class ChannelShuffle(Module):
    """Interleave `groups` groups of channels: (N, C, *) -> (N, C, *); see `channel_shuffle`."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input: Tensor) -> Tensor:
        return channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
