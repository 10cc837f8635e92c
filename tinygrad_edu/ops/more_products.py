"""More products of tensors, as composites of matmul, broadcasting and padding.

    inner(a, b)           sum_k a[..., k] b[..., k]: shape a.shape[:-1] + b.shape[:-1]
    tensordot(a, b, d)    contract the last d dims of a with the first d of b (or the dims
                          listed), as a permute, a reshape to matrices and one matmul
    kron(a, b)            the Kronecker product: block (i, j) of kron(A, B) is A[i, j] * B, so
                          out[i * p + k, j * q + l] = a[i, j] b[k, l]; shape a.shape * b.shape
    vdot(a, b)            the dot product of two vectors (conj(a) . b: for real tensors, dot)
    block_diag(*ts)       the matrices (0-d: 1x1, 1-d: one row) down the diagonal of a zero matrix
    cartesian_prod(*vs)   every tuple (v1[i], v2[j], ...), one per row, the last index fastest
    diagflat(x, offset)   the elements of x (flattened) on a diagonal of a square zero matrix

The gradients are those of the products, reshapes and pads they are made of.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype, promote_types
from ..tensor import Tensor
from .grids import meshgrid
from .joining import cat, stack
from .movement import normalize_dim


def inner(input: Tensor, other: Tensor) -> Tensor:
    """sum over the last dim of input * other: (*a, k), (*b, k) -> (*a, *b); a 0-d operand multiplies."""
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(
            f"inner() the last dimension must match on both input tensors but got shapes "
            f"{list(input.shape)} and {list(other.shape)}"
        )
    return tensordot(input, other, ([-1], [-1]))


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Contract dims of a with dims of b: (*a_free, *c), (*c, *b_free) -> (*a_free, *b_free).

    dims: an int d (a's last d dims with b's first d), or two lists of dims, paired in order.
    """
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a, dims_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype != b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    dims_a = [normalize_dim(d, a.ndim) for d in dims_a]
    dims_b = [normalize_dim(d, b.ndim) for d in dims_b]
    for da, db in zip(dims_a, dims_b):
        if a.shape[da] != b.shape[db]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a.shape[da]} in dim {da} "
                f"and second has size {b.shape[db]} in dim {db}"
            )
    free_a = [d for d in range(a.ndim) if d not in dims_a]
    free_b = [d for d in range(b.ndim) if d not in dims_b]
    size = int(np.prod([a.shape[d] for d in dims_a]))
    left = a.permute(*free_a, *dims_a).reshape(-1, size)  # (free of a, contracted)
    right = b.permute(*dims_b, *free_b).reshape(size, -1)  # (contracted, free of b)
    shape = tuple(a.shape[d] for d in free_a) + tuple(b.shape[d] for d in free_b)
    return (left @ right).reshape(shape)


def kron(input: Tensor, other: Tensor) -> Tensor:
    """The Kronecker product: (a_1, ..., a_n), (b_1, ..., b_n) -> (a_1 b_1, ..., a_n b_n).

    The operand with fewer dims gets leading 1s. Each dim of a is paired with
    the same dim of b as (a_i, 1) and (1, b_i), so one broadcast product holds
    every a[i] b[k], and a reshape merges each pair into one dim of size a_i b_i.
    """
    n = max(input.ndim, other.ndim)
    a_shape = (1,) * (n - input.ndim) + input.shape
    b_shape = (1,) * (n - other.ndim) + other.shape
    a = input.reshape(tuple(s for size in a_shape for s in (size, 1)))
    b = other.reshape(tuple(s for size in b_shape for s in (1, size)))
    return (a * b).reshape(tuple(p * q for p, q in zip(a_shape, b_shape)))


def vdot(input: Tensor, other: Tensor) -> Tensor:
    """The dot product of two vectors (n,), (n,) -> () (conjugating input, a no-op for real tensors)."""
    return input.dot(other)


def block_diag(*tensors: Tensor) -> Tensor:
    """The inputs as blocks down the diagonal of a zero matrix: (r_i, c_i) -> (sum r_i, sum c_i).

    A 0-d input is a 1x1 block, a vector (n,) one row (1, n); the dtype holds them all.
    """
    blocks = []
    for position, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(
                "block_diag: Input tensors must have 2 or fewer dimensions. "
                f"Input {position} has {t.ndim} dimensions"
            )
        blocks.append(t.reshape(1, -1) if t.ndim < 2 else t)
    if not blocks:
        return Tensor._wrap(np.zeros((1, 0), get_default_dtype()))
    dtype = functools.reduce(promote_types, (block.dtype for block in blocks))
    width = sum(block.shape[1] for block in blocks)
    rows, left = [], 0
    for block in blocks:  # each block with zeros to its left and right, the rows stacked
        r, c = block.shape
        before = Tensor._wrap(np.zeros((r, left), dtype))
        after = Tensor._wrap(np.zeros((r, width - left - c), dtype))
        rows.append(cat([before, block.to(dtype), after], 1))
        left += c
    return cat(rows, 0)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every combination of one element from each vector, a row each: (n_1,), ..., (n_k,) -> (n_1 ... n_k, k).

    One vector comes back as it is (n_1,). The rows run in row-major order: the last vector's index fastest.
    """
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], 1)


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """The flattened input (n elements) on diagonal `offset` of a zero (n + |offset|)-square matrix."""
    return input.reshape(-1).diag(operator.index(offset))
