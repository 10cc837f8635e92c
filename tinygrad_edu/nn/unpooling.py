"""Max unpooling, `MaxUnpool1d` and `MaxUnpool2d`, and their functions: max pooling run backwards.

Max pooling with ``return_indices=True`` (pooling.py, pooling1d.py) gives,
for each output, the flat index (h * W + w, or the position along L) of
the input element it took. Unpooling puts each value back at that index of
an output of zeros:

    out[n, c].flatten()[indices[n, c, i]] = input[n, c, i]        every other place is 0

so ``max_unpool2d(*max_pool2d(x, 2, return_indices=True), 2)`` is x with
every non-maximum set to 0. It is only a partial inverse: what the pool
dropped is gone. The size of the output along a dim of n values (kernel k,
stride s, padding p) is the largest the pool could have come from,

    out = (n - 1) s + k - 2p

unless output_size asks for another size between out - s and out + s
(exclusive), which a pool's floor division could also have produced.

Built on `scatter` (ops/selection.py): the gradient of each input value is
the output gradient read back at its index (a gather), and gradients and
second derivatives come from there. Where two values share an index (the
windows of the pool overlapped), the later one is written, and both
receive that place's gradient, as in PyTorch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..dtypes import require_float
from ..ops.conv import per_dim
from ..tensor import Tensor
from .module import Module


def max_unpool1d(
    input: Tensor,
    indices: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    output_size: Sequence[int] | None = None,
) -> Tensor:
    """Each value of (N, C, L) put at its index along an output of zeros (N, C, out), or (C, L) -> (C, out).

    indices: int64, the input's shape, positions along the output (as
    max_pool1d's return_indices gives them). out = (L - 1) stride + kernel_size
    - 2 padding, or output_size (see the module docstring). stride defaults to kernel_size.
    """
    return _max_unpool("max_unpool1d", 1, input, indices, kernel_size, stride, padding, output_size)


def max_unpool2d(
    input: Tensor,
    indices: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    output_size: Sequence[int] | None = None,
) -> Tensor:
    """Each value of (N, C, H, W) put at its flat index in an output of zeros (N, C, oh, ow); or unbatched.

    indices: int64, the input's shape, flat indices h * ow + w into each
    output channel (as max_pool2d's return_indices gives them). oh = (H - 1)
    stride + kh - 2 padding (ow likewise), or output_size (see the module
    docstring). stride defaults to kernel_size.
    """
    return _max_unpool("max_unpool2d", 2, input, indices, kernel_size, stride, padding, output_size)


def _max_unpool(
    op: str,
    dims: int,
    input: Tensor,
    indices: Tensor,
    kernel_size: object,
    stride: object,
    padding: object,
    output_size: Sequence[int] | None,
) -> Tensor:
    """What max_unpool1d and max_unpool2d share: `dims` is the number of spatial dims."""
    kernel = _sizes(op, "kernel_size", kernel_size, dims)
    stride_ = kernel if stride is None else _sizes(op, "stride", stride, dims)
    padding_ = _sizes(op, "padding", padding, dims)
    _check_inputs(op, dims, input, indices)
    size = _unpooled_size(input.shape[-dims:], kernel, stride_, padding_, output_size)
    return _put_back(input, indices, size)


def _put_back(input: Tensor, indices: Tensor, size: tuple[int, ...]) -> Tensor:
    """The unpooling itself, once the arguments are checked: each value scattered to its index."""
    dims = len(size)
    batched = input.ndim == dims + 2
    x = input if batched else input.unsqueeze(0)
    n, c, inputs = x.shape[0], x.shape[1], math.prod(x.shape[2:])  # (explicit sizes: N may be 0)
    places = indices.data.reshape(n, c, inputs)
    _check_places(places, size)
    zeros = Tensor._wrap(np.zeros((n, c, math.prod(size)), dtype=x.dtype))
    out = zeros.scatter(2, Tensor._wrap(places), x.reshape(n, c, inputs)).reshape(n, c, *size)
    return out if batched else out.squeeze(0)


def _sizes(op: str, name: str, value: object, dims: int) -> tuple[int, ...]:
    """An int (the same for every dim) or a sequence of `dims` ints, as a tuple."""
    sizes = per_dim(value, dims, one_for_all=False)
    if sizes is None:
        ints = "an int" if dims == 1 else f"a tuple of {dims} ints"
        raise RuntimeError(f"{op}: {name} must be an int or {ints}, but got {name}={value!r}")
    return sizes


def _check_inputs(op: str, dims: int, input: Tensor, indices: Tensor) -> None:
    """PyTorch's checks of the input and the indices, with its messages."""
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(
            f"{op}: expected a {dims + 1}D (unbatched) or {dims + 2}D (batched) input, but got input of "
            f"size {list(input.shape)}"
        )
    if indices.dtype != np.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: {indices.dtype}")
    if indices.shape != input.shape:
        raise RuntimeError(
            f"Expected shape of indices to be same as that of the input tensor ({list(input.shape)}) but "
            f"got indices tensor with shape: {list(indices.shape)}"
        )
    for d in range(input.ndim - dims - 1, input.ndim):  # every dim but the batch's
        if input.shape[d] == 0:
            raise RuntimeError(
                f"{op}: Expected input to have non-zero size for non-batch dimensions, but got "
                f"{list(input.shape)} with dimension {d} being empty."
            )
    require_float(input.dtype, op)


def _check_places(places: np.ndarray, size: tuple[int, ...]) -> None:
    """Each index must name a place in an output channel of `size` (the error names the first bad one)."""
    bad = (places < 0) | (places >= math.prod(size))
    if bad.any():
        raise RuntimeError(
            f"Found an invalid max index: {places[bad][0]} (output volumes are of size "
            f"{'x'.join(map(str, size))})"
        )


def _unpooled_size(
    spatial: tuple[int, ...],
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
    padding: tuple[int, ...],
    output_size: Sequence[int] | None,
) -> tuple[int, ...]:
    """The output's spatial size: the largest the pool could have come from, or output_size if it could."""
    dims = len(kernel)
    default = [(n - 1) * s + k - 2 * p for n, k, s, p in zip(spatial, kernel, stride, padding)]
    if output_size is None:
        size = default
    else:
        size = [int(n) for n in output_size]
        if len(size) == dims + 2:  # a full (N, C, *) size: only its spatial part counts
            size = size[2:]
        if len(size) != dims:
            raise ValueError(
                f"output_size should be a sequence containing {dims} or {dims + 2} elements, but it has a "
                f"length of '{len(size)}'"
            )
        for d, (want, n, s) in enumerate(zip(size, default, stride)):
            if not n - s < want < n + s:
                raise ValueError(
                    f'invalid output_size "{output_size}" (dim {d} must be between {n - s} and {n + s})'
                )
    for d, n in enumerate(size):
        if n < 0:
            raise ValueError(
                "max_unpooling: output_size must contain non-negative spatial dimensions, but got "
                f"output_size[{d}]={n}"
            )
    return tuple(size)


# ---------------------------------------------------------------- layers


class _MaxUnpoolNd(Module):
    """What MaxUnpool1d and MaxUnpool2d share: their sizes, kept as tuples (as PyTorch), and their repr."""

    _dims: int

    def __init__(
        self,
        kernel_size: int | tuple[int, ...],
        stride: int | tuple[int, ...] | None = None,
        padding: int | tuple[int, ...] = 0,
    ) -> None:
        super().__init__()
        self.kernel_size = self._as_tuple(kernel_size)
        self.stride = self._as_tuple(stride if stride is not None else kernel_size)
        self.padding = self._as_tuple(padding)

    def _as_tuple(self, value: int | Sequence[int]) -> tuple[int, ...]:
        return tuple(value) if isinstance(value, Sequence) else (value,) * self._dims

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """Max unpooling: the partial inverse of MaxPool1d; see `F.max_unpool1d`.

    Shape:
        input (N, C, L) or (C, L), indices the same (int64, from MaxPool1d(return_indices=True))
        -> output (N, C, out) or (C, out), out = (L - 1) stride + kernel_size - 2 padding,
        or output_size if given to forward. No parameters.
    """

    _dims = 1

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return max_unpool1d(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class MaxUnpool2d(_MaxUnpoolNd):
    """Max unpooling: the partial inverse of MaxPool2d; see `F.max_unpool2d`.

    Shape:
        input (N, C, H, W) or (C, H, W), indices the same (int64, from MaxPool2d(return_indices=True))
        -> output (N, C, oh, ow) or (C, oh, ow), oh = (H - 1) stride + kh - 2 padding, ow likewise,
        or output_size if given to forward. No parameters.
    """

    _dims = 2

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding, output_size)
