"""Ordering elements: sort, argsort, topk, the max, min and median along a dim (unique: ops/unique.py).

Each finds its positions with NumPy (np.argsort, np.argmax, np.unique), which
no gradient flows through, and then picks the values at those positions by
indexing (movement.Index). So the values get a gradient with no formula of
their own: dL/dvalues goes back to the elements that were picked, and the
others get 0. The positions themselves (indices, argsort) are integer
constants, with no gradient.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from ..tensor import Tensor
from .movement import normalize_dim
from .selection import _along, _at, _check_int

# PyTorch's (values, indices) results, named after the op that made them
ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])


def _itself(x: Tensor) -> ValuesIndices:
    """A 0-d tensor sorted, or its max: its own value, at position 0."""
    return ValuesIndices(x.clone(), Tensor._wrap(np.array(0)))


def _picked(x: Tensor, idx: np.ndarray, dim: int) -> ValuesIndices:
    """(the elements of x at positions idx along dim, those positions)."""
    return ValuesIndices(x[_along(idx, dim)], Tensor._wrap(idx))


def _argsort(x: Tensor, dim: int, descending: bool) -> np.ndarray:
    """Positions that sort x along dim; equal elements keep their order (a stable sort).

    nan counts as the largest value, as in PyTorch: last going up, first going down.
    """
    if not descending:
        return np.argsort(x.data, axis=dim, kind="stable")
    # Sort the reversed x going up and reverse the result: ties keep their order, and
    # nan comes first. (Negating x instead would wrap integers round: -(-128) is -128 in int8.)
    order = np.argsort(np.flip(x.data, dim), axis=dim, kind="stable")
    return x.shape[dim] - 1 - np.flip(order, dim)


def sort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> ValuesIndices:
    """(values, indices): x sorted along `dim`, and where each value came from.

    The sort is always stable (`stable` is accepted for PyTorch's sake).
    """
    if x.ndim == 0:
        return _itself(x)
    d = normalize_dim(dim, x.ndim)
    return _picked(x, _argsort(x, d, descending), d)


def argsort(x: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The indices of `sort`: positions that put x in order along `dim` (no gradient)."""
    if x.ndim == 0:
        return Tensor._wrap(np.array(0))
    return Tensor._wrap(_argsort(x, normalize_dim(dim, x.ndim), descending))


def topk(x: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> ValuesIndices:
    """(values, indices) of the k largest (or smallest) elements along `dim`, largest first."""
    _check_int(k, "k", "topk")
    d = normalize_dim(dim, x.ndim)
    size = x.shape[d] if x.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(f"topk(): selected index k out of range (k={k}, size {size} along dim {dim})")
    if x.ndim == 0:
        return _itself(x)
    return _picked(x, _argsort(x, d, descending=largest)[_at(d, slice(0, k))], d)


def max_along(x: Tensor, dim: int, keepdim: bool, largest: bool) -> ValuesIndices:
    """(values, indices) of the max (or min) along one dim; the gradient goes to that index."""
    d = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        return _itself(x)
    if x.shape[d] == 0:
        raise IndexError(f"max(): cannot reduce dim {d} of size 0 (shape {x.shape})")
    pick = np.argmax if largest else np.argmin
    values, indices = _picked(x, pick(x.data, axis=d, keepdims=True), d)
    if not keepdim:
        values, indices = values.squeeze(d), indices.squeeze(d)
    return ValuesIndices(values, indices)


def median_along(x: Tensor, dim: int, keepdim: bool) -> ValuesIndices:
    """(values, indices) of the lower median along one dim (of n elements, the ((n-1)//2)-th smallest).

    NOTE: among equal elements the median is the one a stable sort puts in
    the middle place, so ties are taken in order of position: [5, 5, 5, 5]
    gives index 1 and [2, 2, 1, 3] index 0, as PyTorch 2.13's CPU kernel does. A
    slice holding nan has median nan, at its first nan. The gradient goes to
    the element picked.
    """
    _check_int(dim, "dim", "median")
    d = normalize_dim(dim, x.ndim)
    if x.ndim == 0:
        return _itself(x)
    n = x.shape[d]
    if n == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size (shape {x.shape})")
    refuse_bool(x, "median")
    idx = np.take(_argsort(x, d, descending=False), [(n - 1) // 2], axis=d)
    if x.data.dtype.kind == "f":
        nan = np.isnan(x.data)
        idx = np.where(nan.any(axis=d, keepdims=True), np.argmax(nan, axis=d, keepdims=True), idx)
    values, indices = _picked(x, idx, d)
    if not keepdim:
        values, indices = values.squeeze(d), indices.squeeze(d)
    return ValuesIndices(values, indices)


def refuse_bool(x: Tensor, op: str) -> None:
    """Refuse a bool tensor with PyTorch's NotImplementedError (its median has no bool kernel)."""
    if x.data.dtype == np.bool_:
        raise NotImplementedError(f"{op}() is not implemented for bool tensors (convert with .int() first)")
