"""torch.unravel_index: flat positions turned into coordinates of a tensor of a given shape.

For shape (s_0, ..., s_{k-1}), element (i_0, ..., i_{k-1}) sits at the flat position
p = sum_j i_j c_j, with c_j = s_{j+1} s_{j+2} ... s_{k-1} (row-major strides). Back again:

    i_j = floor(p / c_j) mod s_j

Positions outside [0, prod(shape)) are not refused, as in PyTorch: floor division
and mod wrap them (p = -1 gives the last element's coordinates).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..tensor import Tensor


def _shape(shape: object) -> tuple[int, ...]:
    if isinstance(shape, int):
        shape = (shape,)
    if isinstance(shape, Tensor) or not isinstance(shape, Sequence):
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got {type(shape)}")
    for size in shape:
        if not isinstance(size, int):
            raise TypeError(f"expected 'shape' sequence to only contain ints, but got {type(size)}")
    if any(size < 0 for size in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {tuple(shape)}")
    return tuple(int(size) for size in shape)


def unravel_index(indices: Tensor, shape: int | Sequence[int]) -> tuple[Tensor, ...]:
    """The coordinates of flat `indices` in a tensor of `shape`: one int64 tensor per dim of shape,
    each of indices' shape. unravel_index(p, shape) is the inverse of ravelling (i_0, ..., i_{k-1}).
    """
    if not isinstance(indices, Tensor):
        raise TypeError(f"unravel_index(): argument 'indices' must be Tensor, not {type(indices).__name__}")
    if indices.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    sizes = _shape(shape)
    if not sizes:
        return ()
    p = indices.data.astype(np.int64)[..., None]
    if 0 in sizes and p.size:
        raise RuntimeError("ZeroDivisionError")  # (PyTorch's integer division by a zero stride)
    strides = np.cumprod((sizes[1:] + (1,))[::-1])[::-1]  # c_j = s_{j+1} ... s_{k-1}
    with np.errstate(divide="ignore", invalid="ignore"):  # (only an empty p meets a zero size here)
        coordinates = np.floor_divide(p, strides) % np.array(sizes)  # (*indices.shape, k)
    return tuple(Tensor._wrap(np.array(coordinates[..., j], dtype=np.int64)) for j in range(len(sizes)))
