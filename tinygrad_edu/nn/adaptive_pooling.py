"""Adaptive pooling layers, `AdaptiveAvgPool1d/2d` and `AdaptiveMaxPool1d/2d`, and their functions.

An adaptive pool is told the size of its output, not of its windows: each
output place gets a window of the input, the windows together covering it.
Along a dim of n places pooled to `out`, output i takes the places

    [floor(i n / out), ceil((i + 1) n / out))

so the windows are as even as they can be, and neighbours overlap by one
place where n / out is not whole (n = 5, out = 3: [0, 2), [1, 4), [3, 5)).
When out divides n it is a plain pooling with kernel = stride = n / out.

The mean and the max over a rectangle are separable: each is the mean (max)
over rows of the means (maxes) of each row's piece. So a 2-d pool reduces
along W first, one slice per output column, then along H, one slice per
output row: a loop over output positions, never over elements. Slices, mean,
max and cat all carry gradients, so these do too, twice. The 1-d pools are
the 2-d ones on a single row, as in PyTorch.

NOTE: ties in max. Reducing W first and then H picks, in each window, the
first maximum in row-major order (the first row holding the maximum, and in
it the first column), as PyTorch's CPU kernel does; the indices
(return_indices=True) and the gradient both go to it.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from ..dtypes import require_float
from ..ops.joining import cat
from ..tensor import Tensor
from .module import Module
from .pooling1d import _check_1d_input, _one_int

# an int for every dim, or one per dim (None: keep the input's size there), as in PyTorch
OutputSize = int | None | Sequence[int | None]


def adaptive_avg_pool1d(input: Tensor, output_size: int | Sequence[int]) -> Tensor:
    """The mean of each of `output_size` windows along the last dim (see the module docstring).

    Shape: (N, C, L) or (C, L) -> (N, C, output_size) or (C, output_size).
    """
    _check_1d_input("adaptive_avg_pool1d", input)
    size = _one_int("adaptive_avg_pool1d", "output_size", output_size)
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, size)).squeeze(-2)


def adaptive_avg_pool2d(input: Tensor, output_size: OutputSize) -> Tensor:
    """The mean of each of oh x ow windows of each channel (see the module docstring).

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, oh, ow) or (C, oh, ow), (oh, ow) = output_size;
    an int is both, and None keeps the input's size along that dim.
    """
    oh, ow = _output_size("adaptive_avg_pool2d", input, output_size)
    if min(oh, ow) < 0:
        raise RuntimeError(
            "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
            f"received {{{oh}, {ow}}}"
        )
    _check_2d_input("adaptive_avg_pool2d", input, (input.ndim - 2, input.ndim - 1))
    return _mean_along(_mean_along(input, -1, ow), -2, oh)


def adaptive_max_pool1d(
    input: Tensor, output_size: int | Sequence[int], return_indices: bool = False
) -> Tensor | tuple[Tensor, Tensor]:
    """The largest value in each of `output_size` windows along the last dim (see the module docstring).

    Shape: (N, C, L) or (C, L) -> (N, C, output_size) or (C, output_size).
    With return_indices=True it also returns the position along L of each
    maximum (int64).
    """
    _check_1d_input("adaptive_max_pool1d", input)
    size = _one_int("adaptive_max_pool1d", "output_size", output_size)
    _check_non_empty("adaptive_max_pool1d", input, range(1, input.ndim))
    pooled = adaptive_max_pool2d(input.unsqueeze(-2), (1, size), return_indices)
    if isinstance(pooled, tuple):  # the one row is row 0, so its flat indices are the positions along L
        return pooled[0].squeeze(-2), pooled[1].squeeze(-2)
    return pooled.squeeze(-2)


def adaptive_max_pool2d(
    input: Tensor, output_size: OutputSize, return_indices: bool = False
) -> Tensor | tuple[Tensor, Tensor]:
    """The largest value in each of oh x ow windows of each channel (see the module docstring).

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, oh, ow) or (C, oh, ow), (oh, ow) = output_size;
    an int is both, and None keeps the input's size along that dim. With
    return_indices=True it also returns the flat index h * W + w of each
    maximum in its channel (int64).
    """
    oh, ow = _output_size("adaptive_max_pool2d", input, output_size)
    if min(oh, ow) < 0:
        raise RuntimeError(
            "adaptive_max_pool2d: elements of output_size must be greater than or equal to 0 but "
            f"received {{{oh}, {ow}}}"
        )
    _check_2d_input("adaptive_max_pool2d", input, range(1, input.ndim))
    values, cols = _max_along(input, -1, ow)  # the max of each row's piece, and its column
    values, rows = _max_along(values, -2, oh)  # the max of those over each window's rows
    if not return_indices:
        return values
    cols = np.take_along_axis(cols, rows, axis=-2)  # the column of the row that won
    return values, Tensor._wrap(rows * input.shape[-1] + cols)


def _windows(n: int, out: int) -> list[tuple[int, int]]:
    """The (start, stop) of each of `out` windows over n places: [floor(i n / out), ceil((i + 1) n / out))."""
    return [(i * n // out, -(-(i + 1) * n // out)) for i in range(out)]


def _mean_along(x: Tensor, dim: int, out: int) -> Tensor:
    """The mean of each of `out` windows along dim."""
    if out == 0:
        return x.narrow(dim, 0, 0)
    return cat([x.narrow(dim, a, b - a).mean(dim, keepdim=True) for a, b in _windows(x.shape[dim], out)], dim)


def _max_along(x: Tensor, dim: int, out: int) -> tuple[Tensor, np.ndarray]:
    """The max of each of `out` windows along dim, and its position along dim (the first maximum)."""
    if out == 0:
        empty = x.narrow(dim, 0, 0)
        return empty, np.zeros(empty.shape, dtype=np.int64)
    windows = _windows(x.shape[dim], out)
    picks = [x.narrow(dim, a, b - a).max(dim, keepdim=True) for a, b in windows]
    where = [indices.data + a for (_, indices), (a, _) in zip(picks, windows)]
    return cat([values for values, _ in picks], dim), np.concatenate(where, axis=dim)


def _output_size(op: str, input: Tensor, output_size: OutputSize) -> tuple[int, int]:
    """(oh, ow) from an int, or from a pair whose None entries take the input's size."""
    if isinstance(output_size, numbers.Integral) and not isinstance(output_size, bool):
        return int(output_size), int(output_size)
    if not isinstance(output_size, (list, tuple)):
        kind = type(output_size).__name__
        raise TypeError(f"{op}(): argument 'output_size' must be tuple of ints, not {kind}")
    if input.ndim <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    if len(output_size) != 2:
        raise RuntimeError(f"{op}: output_size must be 2")
    sizes = [n if o is None else o for o, n in zip(output_size, input.shape[-2:])]
    for o in sizes:
        if not isinstance(o, numbers.Integral) or isinstance(o, bool):
            kind = type(o).__name__
            raise TypeError(f"{op}(): argument 'output_size' must be tuple of ints, but got {kind}")
    return int(sizes[0]), int(sizes[1])


def _check_2d_input(op: str, input: Tensor, non_empty: Sequence[int]) -> None:
    """(N, C, H, W) or (C, H, W), non-empty along the given dims, and floating point (PyTorch's checks)."""
    if input.ndim not in (3, 4):
        raise RuntimeError(f"{op}(): Expected 3D or 4D tensor, but got {list(input.shape)}")
    _check_non_empty(op, input, non_empty)
    require_float(input.dtype, op)


def _check_non_empty(op: str, input: Tensor, dims: Sequence[int]) -> None:
    for d in dims:
        if input.shape[d] == 0:
            raise RuntimeError(
                f"{op}(): Expected input to have non-zero size for non-batch dimensions, but input has "
                f"sizes {list(input.shape)} with dimension {d} being empty"
            )


# ---------------------------------------------------------------- layers


class _AdaptiveAvgPoolNd(Module):
    """What AdaptiveAvgPool1d and AdaptiveAvgPool2d share: output_size, kept as given, and the repr."""

    def __init__(self, output_size: OutputSize) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPoolNd):
    """Adaptive average pooling to a given length; see `F.adaptive_avg_pool1d`.

    Shape:
        input (N, C, L) or (C, L) -> output (N, C, output_size) or (C, output_size). No parameters.
    """

    output_size: int | Sequence[int]  # (no None: one size, as in PyTorch)

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptiveAvgPoolNd):
    """Adaptive average pooling to a given height and width; see `F.adaptive_avg_pool2d`.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output (N, C, oh, ow) or (C, oh, ow),
        (oh, ow) = output_size (an int for both; None keeps that size of the input). No parameters.
    """

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool2d(input, self.output_size)


class _AdaptiveMaxPoolNd(Module):
    """What AdaptiveMaxPool1d and AdaptiveMaxPool2d share: their arguments, kept as given, and the repr."""

    def __init__(self, output_size: OutputSize, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """Adaptive max pooling to a given length; see `F.adaptive_max_pool1d`.

    Shape:
        input (N, C, L) or (C, L) -> output (N, C, output_size) or (C, output_size). No parameters.

    On ties the gradient (and the index) goes to the first maximum of the window.
    """

    output_size: int | Sequence[int]  # (no None: one size, as in PyTorch)

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptiveMaxPoolNd):
    """Adaptive max pooling to a given height and width; see `F.adaptive_max_pool2d`.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output (N, C, oh, ow) or (C, oh, ow),
        (oh, ow) = output_size (an int for both; None keeps that size of the input). No parameters.

    On ties the gradient (and the index) goes to the first maximum of the window, row by row.
    """

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return adaptive_max_pool2d(input, self.output_size, self.return_indices)
