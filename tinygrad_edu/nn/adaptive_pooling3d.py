"""Volumetric adaptive pooling: `AdaptiveAvgPool3d`, `AdaptiveMaxPool3d` and their functions.

As the 2-d adaptive pools (adaptive_pooling.py), they are told the size of
their output: along a dim of n places pooled to `out`, output i takes the
places [floor(i n / out), ceil((i + 1) n / out)).

The mean and the max over a box are separable, so a 3-d pool reduces along
W first (one slice per output column), then along H, then along D: a loop
over output positions, never over elements, built from slices, mean, max and
cat, which carry first and second derivatives.

NOTE: ties in max. Reducing W, then H, then D picks in each box the first
maximum in (depth, row, column) order, as PyTorch's CPU kernel does; the
indices (return_indices=True) and the gradient both go to it.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from ..dtypes import require_float
from ..tensor import Tensor
from .adaptive_pooling import (
    _AdaptiveAvgPoolNd,
    _AdaptiveMaxPoolNd,
    _check_non_empty,
    _max_along,
    _mean_along,
)

# an int for all three dims, or one per dim (None: keep the input's size there), as in PyTorch
OutputSize3d = int | None | Sequence[int | None]


def adaptive_avg_pool3d(input: Tensor, output_size: OutputSize3d) -> Tensor:
    """The mean of each of od x oh x ow boxes of each channel (see the module docstring).

    Shape: (N, C, D, H, W) or (C, D, H, W) -> (N, C, od, oh, ow) or (C, od, oh, ow),
    (od, oh, ow) = output_size; an int is all three, and None keeps the input's size along that dim.
    """
    op = "adaptive_avg_pool3d"
    od, oh, ow = _output_size(op, input, output_size, f"{op}: output_size must be 3")
    if min(od, oh, ow) < 0:
        raise RuntimeError(
            f"{op}: elements of output_size must be greater than or equal to 0 but received "
            f"{{{od}, {oh},{ow}}}"  # (the missing space is PyTorch's)
        )
    _check_non_empty(op, input, range(1, input.ndim))
    if input.ndim not in (4, 5):
        raise RuntimeError(f"{op}(): Expected 4D or 5D tensor, but got {list(input.shape)}")
    require_float(input.dtype, op)
    return _mean_along(_mean_along(_mean_along(input, -1, ow), -2, oh), -3, od)


def adaptive_max_pool3d(
    input: Tensor, output_size: OutputSize3d, return_indices: bool = False
) -> Tensor | tuple[Tensor, Tensor]:
    """The largest value in each of od x oh x ow boxes of each channel (see the module docstring).

    Shape: (N, C, D, H, W) or (C, D, H, W) -> (N, C, od, oh, ow) or (C, od, oh, ow),
    (od, oh, ow) = output_size; an int is all three, and None keeps the input's size along that dim.
    With return_indices=True it also returns the flat index (z H + y) W + x
    of each maximum in its channel (int64).
    """
    op = "adaptive_max_pool3d"
    sizes = _output_size(op, input, output_size, None)
    if input.ndim not in (4, 5):
        raise RuntimeError(f"{op}(): Expected 4D or 5D tensor, but got: {list(input.shape)}")
    _check_non_empty(op, input, range(1, input.ndim))
    if len(sizes) != 3:
        raise RuntimeError(f"{op}(): internal error: output_size.size() must be 3")
    od, oh, ow = sizes
    if min(sizes) < 0:
        shape = [*input.shape[:-3], od, oh, ow]
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(sizes)}: {shape}")
    require_float(input.dtype, op)
    values, cols = _max_along(input, -1, ow)  # the max of each row's piece, and its column
    values, rows = _max_along(values, -2, oh)  # the max of those over each box's rows, and its row
    values, depths = _max_along(values, -3, od)  # and over each box's depths
    if not return_indices:
        return values
    # follow the winner back: its row at the winning depth, then its column at that row and depth
    cols = np.take_along_axis(np.take_along_axis(cols, rows, axis=-2), depths, axis=-3)
    rows = np.take_along_axis(rows, depths, axis=-3)
    h, w = input.shape[-2:]
    return values, Tensor._wrap((depths * h + rows) * w + cols)


def _output_size(
    op: str, input: Tensor, output_size: OutputSize3d, wrong_length: str | None
) -> tuple[int, ...]:
    """(od, oh, ow) from an int, or from a sequence whose None entries take the input's size.

    A sequence of the wrong length is a RuntimeError with `wrong_length`, or,
    when that is None, returned for the caller to refuse in its own order.
    """
    if isinstance(output_size, numbers.Integral) and not isinstance(output_size, bool):
        return (int(output_size),) * 3
    if not isinstance(output_size, (list, tuple)):
        kind = type(output_size).__name__
        raise TypeError(f"{op}(): argument 'output_size' must be tuple of ints, not {kind}")
    if input.ndim <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    sizes = [n if o is None else o for o, n in zip(output_size, input.shape[-len(output_size) :])]
    for position, o in enumerate(sizes):
        if not isinstance(o, numbers.Integral) or isinstance(o, bool):
            raise TypeError(
                f"{op}(): argument 'output_size' (position 2) must be tuple of ints, but found element of "
                f"type {type(o).__name__} at pos {position}"
            )
    if len(sizes) != 3 and wrong_length is not None:
        raise RuntimeError(wrong_length)
    return tuple(int(o) for o in sizes)


# ---------------------------------------------------------------- layers


class AdaptiveAvgPool3d(_AdaptiveAvgPoolNd):
    """Adaptive average pooling to a given depth, height and width; see `F.adaptive_avg_pool3d`.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W) -> output (N, C, od, oh, ow) or (C, od, oh, ow),
        (od, oh, ow) = output_size (an int for all three; None keeps that size of the input).
        No parameters.
    """

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool3d(input, self.output_size)


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """Adaptive max pooling to a given depth, height and width; see `F.adaptive_max_pool3d`.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W) -> output (N, C, od, oh, ow) or (C, od, oh, ow),
        (od, oh, ow) = output_size (an int for all three; None keeps that size of the input).
        No parameters.

    On ties the gradient (and the index) goes to the box's first maximum in (depth, row, column) order.
    """

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return adaptive_max_pool3d(input, self.output_size, self.return_indices)
