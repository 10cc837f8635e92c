"""Fractional max pooling (Graham, 2014): `FractionalMaxPool2d`, `FractionalMaxPool3d` and their functions.

An ordinary max pool shrinks a map by a whole factor (the stride). A
fractional pool shrinks it to any size: along a dim of n places, o windows
of k places start at a pseudo-random, increasing sequence of positions
that ends at n - k. With alpha = (n - k) / (o - 1) and one random number
u in [0, 1) per (sample, channel, dim), window i starts at

    start_i = int((i + u) alpha) - int(u alpha)        (i < o - 1),     start_{o-1} = n - k

so the steps are floor(alpha) or ceil(alpha), shuffled by u. This is
PyTorch's formula, computed as PyTorch does in the input's dtype (float32
rounds differently from float64), so that the same u (``_random_samples``,
(N, C, dims): for 2-d (u for W, u for H), for 3-d (u for D, H, W)) gives
the same windows. Each output is the largest value of its window (the
first of equal ones; a NaN wins, the last NaN if several) and, with
``return_indices``, its flat index h W + w (or (d H + h) W + w).

The windows are found in NumPy; the output is then the input gathered at
those indices, so the gradient of each output goes to the element it took
(and adds up where windows overlap), as in PyTorch, and second derivatives
come from `gather` too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..dtypes import require_float
from ..ops.conv import per_dim
from ..random import default_generator
from ..tensor import Tensor
from .module import Module

_NAMES = {2: ("height", "width"), 3: ("time", "height", "width")}
# which column of _random_samples drives each spatial dim (PyTorch's 2-d op takes W's first)
_SAMPLE_COLUMN = {2: (1, 0), 3: (0, 1, 2)}


def fractional_max_pool2d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    output_size: int | Sequence[int] | None = None,
    output_ratio: float | Sequence[float] | None = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> Tensor | tuple[Tensor, Tensor]:
    """The largest value of each kh x kw window, the windows at pseudo-random fractional steps.

    Shape: (N, C, H, W) or (C, H, W) -> (N, C, oh, ow) or (C, oh, ow), where
    (oh, ow) = output_size, or int(H * ratio_h), int(W * ratio_w) from output_ratio.
    _random_samples: (N, C, 2) in [0, 1), the input's dtype; drawn from the global generator if None.
    """
    return _fractional_max_pool(
        2, input, kernel_size, output_size, output_ratio, return_indices, _random_samples
    )


def fractional_max_pool3d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    output_size: int | Sequence[int] | None = None,
    output_ratio: float | Sequence[float] | None = None,
    return_indices: bool = False,
    _random_samples: Tensor | None = None,
) -> Tensor | tuple[Tensor, Tensor]:
    """The largest value of each kd x kh x kw box, the boxes at pseudo-random fractional steps.

    Shape: (N, C, D, H, W) or (C, D, H, W) -> (N, C, od, oh, ow) or (C, od, oh, ow), where
    (od, oh, ow) = output_size, or int(D * ratio_d), ... from output_ratio.
    _random_samples: (N, C, 3) in [0, 1), the input's dtype; drawn from the global generator if None.
    """
    return _fractional_max_pool(
        3, input, kernel_size, output_size, output_ratio, return_indices, _random_samples
    )


def _fractional_max_pool(
    dims: int,
    input: Tensor,
    kernel_size: Any,
    output_size: Any,
    output_ratio: Any,
    return_indices: bool,
    samples: Tensor | None,
) -> Tensor | tuple[Tensor, Tensor]:
    """What the 2-d and 3-d pools share: `dims` is the number of spatial dims."""
    op = f"fractional_max_pool{dims}d"
    where = op + ("()" if dims == 2 else "_out()")  # the prefix of PyTorch's messages
    if output_size is None and output_ratio is None:
        raise ValueError(f"{op} requires specifying either an output_size or an output_ratio")
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(
            f"{where}: Expected {dims + 1}D or {dims + 2}D tensor, but got: {list(input.shape)}"
        )
    if output_size is None:
        output_size = _from_ratio(op, dims, input.shape[-dims:], output_ratio)
    if samples is None:
        n = input.shape[0] if input.ndim == dims + 2 else 1
        samples = Tensor._wrap(
            default_generator().random((n, input.shape[-dims - 1], dims)).astype(input.dtype)
        )
    kernel, out = _sizes(op, dims, kernel_size, output_size)
    _check_input(where, dims, input, kernel, out)
    _check_samples(dims, input, samples)
    require_float(input.dtype, op)
    x = input if input.ndim == dims + 2 else input.unsqueeze(0)
    n, c, *size = x.shape
    columns = samples.data[:n, :, list(_SAMPLE_COLUMN[dims])]
    starts = [_starts(columns[..., a], m, k, o) for a, (m, k, o) in enumerate(zip(size, kernel, out))]
    index = _argmax_index(x.data, starts, size, kernel)  # (N, C, od*oh*ow) flat input indices
    values = x.reshape(n, c, math.prod(size)).gather(2, Tensor._wrap(index)).reshape(n, c, *out)
    indices = Tensor._wrap(index.reshape(n, c, *out))
    if input.ndim == dims + 1:
        values, indices = values.squeeze(0), indices.squeeze(0)
    return (values, indices) if return_indices else values


def _from_ratio(op: str, dims: int, size: tuple[int, ...], ratio: Any) -> list[int]:
    """output_size from output_ratio: int(n * r) per dim."""
    if isinstance(ratio, Sequence) and dims == 2 and len(ratio) > 2:
        raise ValueError(f"{op} requires output_ratio to either be a single Int or tuple of Ints.")
    ratios = tuple(ratio) if isinstance(ratio, Sequence) else (ratio,) * dims
    return [int(m * r) for m, r in zip(size, ratios)]


def _sizes(op: str, dims: int, kernel_size: Any, output_size: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """kernel_size and output_size as tuples of `dims` ints, with PyTorch's messages."""
    what = "Ints" if dims == 2 else "three Ints"
    kernel, out = per_dim(kernel_size, dims), per_dim(output_size, dims)
    if kernel is None:
        raise RuntimeError(f"{op}: kernel_size must either be a single Int or tuple of {what}")
    if out is None:
        raise RuntimeError(f"{op}: output_size must either be a single Int or tuple of {what}")
    if min(kernel) <= 0:  # (PyTorch's op does not check this, and pools over nothing)
        raise RuntimeError(f"{op}: kernel_size must be greater than 0, but got {kernel}")
    return kernel, out


def _check_input(where: str, dims: int, input: Tensor, kernel: tuple[int, ...], out: tuple[int, ...]) -> None:
    """The input must be non-empty but for its batch, and each window must fit (PyTorch's order)."""
    for d in range(1, input.ndim):
        if input.shape[d] == 0:
            raise RuntimeError(
                f"{where}: Expected input to have non-zero size for non-batch dimensions, but got"
                f"{list(input.shape)} with dimension {d} being empty."
            )
    size = input.shape[-dims:]
    # NOTE: PyTorch lets the 2-d pool's last window end on the last place (<=), but makes the 3-d
    # pool's stop one before it (<), and checks the 3-d dims in the order time, width, height.
    order = (0, 1) if dims == 2 else (0, 2, 1)
    for a in order:
        fits = out[a] + kernel[a] - 1 <= size[a] if dims == 2 else out[a] + kernel[a] - 1 < size[a]
        if not fits:
            name = _NAMES[dims][a]
            raise RuntimeError(
                f"{where}: pool {name} {kernel[a]} too large relative to input {name} {size[a]}"
            )
    if min(out) < 0:
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {min(out)}: "
            f"{list(input.shape[:-dims]) + list(out)}"
        )


def _check_samples(dims: int, input: Tensor, samples: Tensor) -> None:
    """_random_samples must be (at least N, C, dims), in the input's dtype (PyTorch's messages)."""
    if samples.dtype != input.dtype:
        raise RuntimeError("Expect _random_samples to have the same dtype as input")
    if samples.ndim != 3:
        raise RuntimeError(f"Expect _random_samples to have 3 dimensions, got {samples.ndim}")
    batch = input.shape[0] if input.ndim == dims + 2 else 1
    if samples.shape[0] < batch:
        raise RuntimeError("Expect _random_samples.size(0) no less then input batch size.")
    if samples.shape[1] != input.shape[-dims - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    if samples.shape[2] != dims:
        raise RuntimeError(f"Expect _random_samples.size(2) equals to {dims}; got {samples.shape[2]}.")


def _starts(u: np.ndarray, n: int, k: int, o: int) -> np.ndarray:
    """The o window starts along a dim of n places for each u of (N, C): (N, C, o), int64.

    NOTE: the arithmetic is in u's dtype, as PyTorch's (scalar_t) is, and
    int() truncates toward zero as C++'s static_cast<int> does.
    """
    t = u.dtype.type
    starts = np.full(u.shape + (o,), n - k, dtype=np.int64)
    if o > 1:
        alpha = t(n - k) / t(o - 1)
        i = np.arange(o - 1).astype(u.dtype)
        u = u[..., None]
        starts[..., :-1] = ((i + u) * alpha).astype(np.int64) - (u * alpha).astype(np.int64)
    return starts


def _argmax_index(
    x: np.ndarray, starts: list[np.ndarray], size: list[int], kernel: tuple[int, ...]
) -> np.ndarray:
    """For each window, the flat input index of its maximum: (N, C, number of windows), int64."""
    n, c = x.shape[:2]
    dims = len(size)
    # flat[n, c, i.., t..]: the flat index of tap t (one per kernel dim) of window i (one per output dim)
    flat: np.ndarray = np.zeros((n, c) + (1,) * (2 * dims), dtype=np.int64)
    for a, (start, m, k) in enumerate(zip(starts, size, kernel)):
        shape = [n, c] + [1] * (2 * dims)
        shape[2 + a], shape[2 + dims + a] = start.shape[-1], k
        flat = flat * m + (start[..., None] + np.arange(k)).reshape(shape)
    out = tuple(s.shape[-1] for s in starts)
    flat = np.broadcast_to(flat, (n, c) + out + kernel).reshape(n, c, math.prod(out), math.prod(kernel))
    # (explicit sizes throughout: N may be 0)
    values = np.take_along_axis(
        x.reshape(n, c, 1, math.prod(size)), flat.reshape(n, c, 1, flat[0, 0].size), 3
    )
    values = values.reshape(flat.shape)
    tap = values.argmax(-1)  # the first maximum (np.argmax would also take the first NaN)
    nan = np.isnan(values)
    last_nan = nan.shape[-1] - 1 - nan[..., ::-1].argmax(-1)  # PyTorch's loop keeps the last NaN
    tap = np.where(nan.any(-1), last_nan, tap)
    return np.take_along_axis(flat, tap[..., None], -1)[..., 0]


# ---------------------------------------------------------------- layers


class _FractionalMaxPoolNd(Module):
    """What the two layers share: their sizes, kept as tuples (as PyTorch's), and the checks of the ratio."""

    _dims: int

    def __init__(
        self,
        kernel_size: Any,
        output_size: Any = None,
        output_ratio: Any = None,
        return_indices: bool = False,
        _random_samples: Tensor | None = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.kernel_size = self._as_tuple(kernel_size)
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)
        self.output_size = self._as_tuple(output_size) if output_size is not None else None
        self.output_ratio = self._as_tuple(output_ratio) if output_ratio is not None else None
        if output_size is None and output_ratio is None:
            raise ValueError(f"{name} requires specifying either an output size, or a pooling ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        if self.output_ratio is not None and not all(0 < r < 1 for r in self.output_ratio):
            raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")

    def _as_tuple(self, value: Any) -> tuple[Any, ...]:
        return tuple(value) if isinstance(value, Sequence) else (value,) * self._dims


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """Max pooling over kh x kw windows at pseudo-random fractional steps; see `F.fractional_max_pool2d`.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output (N, C, oh, ow) or (C, oh, ow), (oh, ow) = output_size,
        or (int(H * ratio_h), int(W * ratio_w)) for output_ratio (each in (0, 1)). No parameters;
        new windows on every call unless _random_samples (N, C, 2) is given.
    """

    _dims = 2

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return fractional_max_pool2d(
            input,
            self.kernel_size,
            self.output_size,
            self.output_ratio,
            self.return_indices,
            self._random_samples,
        )


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """Max pooling over kd x kh x kw boxes at pseudo-random fractional steps; see `F.fractional_max_pool3d`.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W) -> output (N, C, od, oh, ow) or (C, od, oh, ow),
        (od, oh, ow) = output_size, or int(D * ratio_d), ... for output_ratio (each in (0, 1)).
        No parameters; new boxes on every call unless _random_samples (N, C, 3) is given.
    """

    _dims = 3

    def __init__(
        self,
        kernel_size: Any,
        output_size: Any = None,
        output_ratio: Any = None,
        return_indices: bool = False,
        _random_samples: Tensor | None = None,
    ) -> None:
        sizes = kernel_size if isinstance(kernel_size, Sequence) else (kernel_size,)
        if not all(k > 0 for k in sizes):  # (only the 3-d layer checks this, as in PyTorch)
            raise ValueError(f"kernel_size must be greater than 0, but got {kernel_size}")
        super().__init__(kernel_size, output_size, output_ratio, return_indices, _random_samples)

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return fractional_max_pool3d(
            input,
            self.kernel_size,
            self.output_size,
            self.output_ratio,
            self.return_indices,
            self._random_samples,
        )
