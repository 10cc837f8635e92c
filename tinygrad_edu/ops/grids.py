"""Grids and broadcasting made explicit: meshgrid, broadcast_tensors, broadcast_shapes.

Each result is an expand of an input (a view with no copy), so a gradient
flowing back is summed over the repeated positions, by Expand's backward.

    meshgrid(x (n,), y (m,), indexing="ij")  ->  X (n, m) with X[i, j] = x[i],  Y[i, j] = y[j]
    meshgrid(x (n,), y (m,), indexing="xy")  ->  X (m, n) with X[j, i] = x[i],  Y[j, i] = y[j]

"xy" is the Cartesian (plotting) order, where x runs along the columns.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

from ..tensor import Tensor
from ..warning import warn
from .broadcast import broadcast_shape


def meshgrid(*tensors: Tensor | Sequence[Tensor], indexing: str | None = None) -> tuple[Tensor, ...]:
    """One grid per 0-d or 1-d input, all of shape (n_1, ..., n_k) ("ij"; "xy" swaps n_1 and n_2).

    The inputs may come as arguments or as one list. As PyTorch, warns when
    `indexing` is left out, then uses "ij".
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    ts: list[Tensor] = list(tensors)  # type: ignore[arg-type]
    if indexing is None:
        warn(
            "meshgrid: in an upcoming release, it will be required to pass the indexing argument "
            "(indexing='ij' is used now; indexing='xy' for the Cartesian order)"
        )
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    if not ts:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if any(t.dtype != ts[0].dtype for t in ts):
        raise RuntimeError(
            f"meshgrid expects all tensors to have the same dtype, got {[str(t.dtype) for t in ts]}"
        )
    if any(t.ndim > 1 for t in ts):
        shapes = [t.shape for t in ts]
        raise RuntimeError(f"meshgrid: Expected 0D or 1D tensor in the tensor list but got shapes {shapes}")
    sizes = [t.numel() for t in ts]
    # the dim each input runs along: its own place, but with "xy" the first two trade places
    along = list(range(len(ts)))
    if indexing == "xy" and len(ts) > 1:
        along[0], along[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for t, d in zip(ts, along):
        shape = [1] * len(ts)
        shape[d] = -1
        grids.append(t.reshape(*shape).expand(*sizes))
    return tuple(grids)


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """Every input expanded to the one shape they broadcast to (a view of each)."""
    shape = broadcast_shape(*(t.shape for t in tensors), op="broadcast_tensors") if tensors else ()
    return tuple(t.expand(*shape) for t in tensors)


def broadcast_shapes(*shapes: int | Sequence[int]) -> tuple[int, ...]:
    """The shape that tensors of `shapes` broadcast to (an int n stands for the shape (n,))."""
    as_tuples = []
    for shape in shapes:
        sizes = (shape,) if isinstance(shape, int) or hasattr(shape, "__index__") else tuple(shape)
        if any(isinstance(n, bool) or not hasattr(n, "__index__") for n in sizes):
            raise TypeError(f"broadcast_shapes: sizes must be ints, got {shape!r}")
        sizes = tuple(operator.index(n) for n in sizes)
        if any(n < 0 for n in sizes):
            raise ValueError(f"Attempting to broadcast a dimension with negative length! (shape {sizes})")
        as_tuples.append(sizes)
    return broadcast_shape(*as_tuples, op="broadcast_shapes") if as_tuples else ()
