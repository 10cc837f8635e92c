"""Hypothesis strategies for property-testing ops and models built on tinygrad_edu.

    from hypothesis import given
    from tinygrad_edu.testing.strategies import tensors

    @given(tensors(shape=(3, 4), requires_grad=True))
    def test_my_op(x):
        assert gradcheck(my_op, [x])

Needs the `hypothesis` package (a test-time dependency, not a runtime one).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..tensor import Tensor


def shapes(
    min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int | None = None
) -> st.SearchStrategy:
    """Array shapes such as (), (3,), (2, 1, 4); sides up to `max_side` (by default 4, or min_side)."""
    max_side = max(4, min_side) if max_side is None else max_side
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def broadcastable_shapes(
    shape: tuple[int, ...],
    min_dims: int = 0,
    max_dims: int | None = None,
    min_side: int = 1,
    max_side: int | None = None,
) -> st.SearchStrategy:
    """Shapes that broadcast against `shape` (size-1 dims and missing leading dims included).

    Sides go up to `max_side`: by default 4, or the largest side of `shape`
    (or min_side) if larger, so that `shape`'s own sides can be drawn too.
    """
    if max_side is None:
        max_side = max(4, min_side, *shape)
    return hnp.broadcastable_shapes(
        shape, min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


def tensors(
    shape: tuple[int, ...] | st.SearchStrategy | None = None,
    dtype: Any = np.float64,
    elements: st.SearchStrategy | None = None,
    requires_grad: bool = False,
) -> st.SearchStrategy:
    """Tensors of the given shape (or shape strategy; by default `shapes()`) and dtype (or dtype strategy).

    Float elements default to finite values in [-10, 10]; pass `elements`
    (e.g. `st.floats(0.1, 5)`) to stay inside an op's domain.
    """
    if isinstance(dtype, st.SearchStrategy):  # as hypothesis.extra.numpy.arrays takes one
        return dtype.flatmap(lambda d: tensors(shape, d, elements, requires_grad))
    dtype = np.dtype(dtype)
    if requires_grad and dtype.kind != "f":  # (said here, not once Hypothesis draws the first example)
        raise ValueError(f"tensors: only floating point tensors can require gradients, not {dtype}")
    shape = shapes() if shape is None else shape
    if elements is None and dtype.kind == "f":
        elements = st.floats(-10, 10, allow_nan=False, allow_infinity=False, width=dtype.itemsize * 8)
    arrays = hnp.arrays(dtype=dtype, shape=shape, elements=elements)
    return arrays.map(lambda a: Tensor(a, requires_grad=requires_grad))
