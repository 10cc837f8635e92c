"""Volumetric max unpooling, `MaxUnpool3d` and `F.max_unpool3d`: max_pool3d run backwards.

As the 1-d and 2-d unpools (unpooling.py), with one more spatial dim:
max_pool3d with ``return_indices=True`` (pooling3d.py) gives, for each
output, the flat index (d H + h) W + w of the input element it took, and
unpooling puts each value back at that index of a volume of zeros:

    out[n, c].flatten()[indices[n, c, i, j, k]] = input[n, c, i, j, k]      every other place is 0

The output's size along each dim is (n - 1) stride + kernel - 2 padding, or
output_size if the pool could have come from that size too. The scatter
and its gradients are the 2-d unpool's; only the checks differ, since
PyTorch's 3-d op checks in another order and with its own messages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..dtypes import require_float
from ..tensor import Tensor
from .unpooling import _MaxUnpoolNd, _put_back, _sizes, _unpooled_size


def max_unpool3d(
    input: Tensor,
    indices: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    output_size: Sequence[int] | None = None,
) -> Tensor:
    """Each value of (N, C, D, H, W) put at its flat index in zeros (N, C, od, oh, ow); or unbatched.

    indices: int64, the input's shape, flat indices (d oh + h) ow + w into
    each output channel (as max_pool3d's return_indices gives them).
    od = (D - 1) stride + kd - 2 padding (oh, ow likewise), or output_size
    (see the module docstring). stride defaults to kernel_size.
    """
    op = "max_unpool3d"
    kernel = _sizes(op, "kernel_size", kernel_size, 3)
    stride_ = kernel if stride is None else _sizes(op, "stride", stride, 3)
    padding_ = _sizes(op, "padding", padding, 3)
    if input.ndim < 3:  # (too few dims to read a size from; refused below)
        _check_inputs(input, indices, stride_)
    size = _unpooled_size(input.shape[-3:], kernel, stride_, padding_, output_size)
    _check_inputs(input, indices, stride_)
    return _put_back(input, indices, size)


def _check_inputs(input: Tensor, indices: Tensor, stride: tuple[int, ...]) -> None:
    """PyTorch's checks of max_unpool3d's tensors, in its order and with its messages."""
    if indices.dtype != np.int64:
        raise RuntimeError("elements in indices should be type int64")
    if input.ndim not in (4, 5):
        raise RuntimeError(
            "Input to max_unpooling3d should be a 4d or 5d Tensor, but got a tensor with "
            f"{input.ndim} dimensions."
        )
    if indices.shape != input.shape:
        raise RuntimeError(
            f"Expected shape of indices to be same as that of the input tensor ({list(input.shape)}) but "
            f"got indices tensor with shape: {list(indices.shape)}"
        )
    for d in range(1, input.ndim):  # every dim but the first (as PyTorch, even when unbatched)
        if input.shape[d] == 0:
            raise RuntimeError(
                "max_unpooling3d_forward_out_cpu(): Expected input to have non-zero size for non-batch "
                f"dimensions, but got {list(input.shape)} with dimension {d} being empty."
            )
    if min(stride) <= 0:
        raise RuntimeError(f"strides should be greater than zero, but got stride: {list(stride)}")
    require_float(input.dtype, "max_unpool3d")


class MaxUnpool3d(_MaxUnpoolNd):
    """Max unpooling: the partial inverse of MaxPool3d; see `F.max_unpool3d`.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W), indices the same (int64, from MaxPool3d(return_indices=True))
        -> output (N, C, od, oh, ow) or (C, od, oh, ow), od = (D - 1) stride + kd - 2 padding,
        oh and ow likewise, or output_size if given to forward. No parameters.
    """

    _dims = 3

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return max_unpool3d(input, indices, self.kernel_size, self.stride, self.padding, output_size)
