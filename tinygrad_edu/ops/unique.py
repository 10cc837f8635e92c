"""unique and unique_consecutive: the distinct values of a tensor, or its distinct slices along a dim.

NumPy finds them (np.unique; for runs, a comparison of each element with the
one before it). With return_inverse, also where each element of x went:
x == values[inverse]; with return_counts, how many elements each value stands
for. Both are int64 constants.

The values have no derivative: a value stands for a group of equal elements
and which group is which changes by jumps. PyTorch still records the op, so
that the error comes where a gradient is asked for, and raises its
NotImplementedError there; so does the library (`Distinct`). The inverse and
the counts are integers, never recorded.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Node
from ..tensor import Tensor
from .elementwise import Undifferentiable
from .movement import normalize_dim
from .selection import _check_int


class Distinct(Undifferentiable):
    """The base of unique's ops: values found beforehand are passed through forward, to be recorded.

    forward gets (x, values) and returns values: the op records x as its
    input, which is all that a backward that only raises needs.
    """

    error = NotImplementedError  # PyTorch's type for unique, where other such ops raise RuntimeError
    why = (
        "each value stands for a group of equal elements, and the grouping changes by jumps, "
        "so there is no gradient to pass to x"
    )

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, values: np.ndarray) -> np.ndarray:
        return values


class Unique(Distinct):
    """values = the distinct elements of x, ascending;  no derivative, as in PyTorch (its _unique2)"""

    op = "unique"


class UniqueDim(Distinct):
    """values = the distinct slices of x along dim, in lexicographic order;  no derivative, as in PyTorch"""

    op = "unique_dim"


class UniqueConsecutive(Distinct):
    """values = the first element (slice) of each run of equal ones;  no derivative, as in PyTorch"""

    op = "unique_consecutive"


def unique(
    x: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Tensor | tuple[Tensor, ...]:
    """The distinct elements of x (or, with dim, its distinct slices along dim) in ascending order.

    With return_inverse, also where each element (slice) of x is in the
    result: x == values[inverse] (int64, x's shape; with dim, one index per
    slice). With return_counts, also how often each value occurs (int64).
    The result is always sorted (`sorted=False` sorts too, as PyTorch's CPU
    version does); nan is never equal to nan, so each nan is its own value.
    The values are recorded (see the module docstring); backward raises.
    """
    name = "unique" if dim is None else "unique_dim"
    _check_flags(name, sorted=sorted, return_inverse=return_inverse, return_counts=return_counts)
    if dim is None:
        values, inverse, counts = np.unique(
            x.data.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False
        )
        recorded = Unique._apply1(x, values)
        inverse = inverse.reshape(x.shape)
    else:
        d = _slices_dim(x, dim, "unique")
        values, inverse, counts = np.unique(x.data, return_inverse=True, return_counts=True, axis=d)
        recorded = UniqueDim._apply1(x, values)
        inverse = inverse.reshape(-1)
    return _results(recorded, inverse, counts, return_inverse, return_counts)


def unique_consecutive(
    input: Tensor, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None
) -> Tensor | tuple[Tensor, ...]:
    """Keep the first element of each run of equal consecutive elements (with dim: of equal slices).

    unique_consecutive([1, 1, 2, 2, 1]) = [1, 2, 1]: unlike `unique`, a
    value that comes back after another is kept again, and nothing is
    sorted. inverse (the input's shape; with dim, one per slice) and counts as in
    `unique`; nan is never equal to nan. The values are recorded; backward
    raises, as in PyTorch.
    """
    _check_flags("unique_consecutive", return_inverse=return_inverse, return_counts=return_counts)
    if dim is None:
        rows = input.data.reshape(-1, 1)  # each element a row of one
    else:
        d = _slices_dim(input, dim, "unique_consecutive")
        slices = np.moveaxis(input.data, d, 0)
        rows = slices.reshape(len(slices), slices[0].size if len(slices) else 0)  # each slice along d a row
    # a run starts at the first row and at each row that differs from the row before it
    starts = np.ones(len(rows), dtype=bool)
    starts[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    first = np.flatnonzero(starts)
    if dim is None:
        values, inverse = input.data.reshape(-1)[first], (np.cumsum(starts) - 1).reshape(input.shape)
    else:
        values, inverse = np.take(input.data, first, axis=d), np.cumsum(starts) - 1
    counts = np.diff(np.append(first, len(rows)))
    recorded = UniqueConsecutive._apply1(input, values)
    return _results(recorded, inverse, counts, return_inverse, return_counts)


def _check_flags(op: str, **flags: object) -> None:
    """PyTorch's TypeError for a flag that is not a bool (return_inverse=1, say)."""
    for name, value in flags.items():
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{op}(): argument '{name}' must be bool, not {type(value).__name__}")


def _slices_dim(x: Tensor, dim: int, op: str) -> int:
    """The dim whose slices are compared, checked as PyTorch does."""
    _check_int(dim, "dim", op)
    if x.ndim == 0:
        raise IndexError(f"{op}(): dim {dim} was given, but the tensor is 0-d (it has no dimensions)")
    d = normalize_dim(dim, x.ndim)
    if any(n == 0 for e, n in enumerate(x.shape) if e != d):
        raise RuntimeError(
            f"{op}(): There are 0 sized dimensions, and they aren't selected, so unique cannot be "
            f"applied (shape {x.shape}, dim {d})"
        )
    return d


def _results(
    values: Tensor, inverse: np.ndarray, counts: np.ndarray, return_inverse: bool, return_counts: bool
) -> Tensor | tuple[Tensor, ...]:
    """values alone, or a tuple with the inverse and counts asked for (int64 constants)."""
    results = [values]
    if return_inverse:
        results.append(Tensor._wrap(inverse.astype(np.int64)))
    if return_counts:
        results.append(Tensor._wrap(counts.astype(np.int64)))
    return results[0] if len(results) == 1 else tuple(results)
