"""The cross product, batched dot products and chains of matrix products: all composites.

    cross      c = a x b = (a_2 b_3 - a_3 b_2, a_3 b_1 - a_1 b_3, a_1 b_2 - a_2 b_1)
               dL/da = b x dL/dc,  dL/db = dL/dc x a   (what the rolls and products below give)
    vecdot     sum_i x_i y_i along dim:  dL/dx = dL/dy y,  dL/dy = dL/dy x
    multi_dot  A_1 A_2 ... A_k, multiplied in the order that needs the fewest multiplications

The gradients are those of the products, sums and rolls they are made of.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..ops.movement import normalize_dim
from ..tensor import Tensor
from .checks import check_float


def _check_tensors(op: str, *named: tuple[str, object]) -> None:
    for position, (name, t) in enumerate(named, 1):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(t).__name__}"
            )


def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:
    """The cross product of the 3-vectors along `dim`; the other dims broadcast.

    Component i is a_{i+1} b_{i+2} - a_{i+2} b_{i+1} (indices mod 3): two rolls of each operand.
    """
    _check_tensors("linalg.cross", ("input", input), ("other", other))
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = normalize_dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        sizes = f"{input.shape[d]} and {other.shape[d]}"
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got {sizes}")
    if input.dtype != other.dtype:
        raise RuntimeError(
            f"linalg.cross: expected both inputs to have the same dtype, got {input.dtype} and {other.dtype}"
        )
    if input.dtype.kind == "b":
        raise NotImplementedError('"cross" is not implemented for bool tensors, as in PyTorch')
    # roll(-1) holds a_{i+1} at place i, roll(1) holds a_{i+2}
    return input.roll(-1, d) * other.roll(1, d) - input.roll(1, d) * other.roll(-1, d)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """sum_i x_i y_i along `dim` of x and y broadcast together: a batch of dot products."""
    _check_tensors("linalg.vecdot", ("x", x), ("y", y))
    check_float(x, "linalg.vecdot", low_precision=True)
    if x.dtype != y.dtype:
        raise RuntimeError(
            f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type {x.dtype} "
            f"and y of type {y.dtype} instead"
        )
    return (x * y).sum(dim)


def _cheapest_order(sizes: list[int]) -> list[list[int]]:
    """split[i][j] = where the product of matrices i..j is best cut in two, for matrices of shapes
    (sizes[0], sizes[1]), (sizes[1], sizes[2]), ...: the textbook dynamic program."""
    k = len(sizes) - 1
    cost = [[0] * k for _ in range(k)]
    split = [[0] * k for _ in range(k)]
    for length in range(1, k):  # (loops over the number of matrices, not their elements)
        for i in range(k - length):
            j = i + length
            choices = [
                (cost[i][m] + cost[m + 1][j] + sizes[i] * sizes[m + 1] * sizes[j + 1], m) for m in range(i, j)
            ]
            cost[i][j], split[i][j] = min(choices)
    return split


def _multiply(matrices: list[Tensor], split: list[list[int]], i: int, j: int) -> Tensor:
    if i == j:
        return matrices[i]
    m = split[i][j]
    return _multiply(matrices, split, i, m) @ _multiply(matrices, split, m + 1, j)


def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    """The product of two or more matrices, in the order with the fewest scalar multiplications.

    The first may be a vector (a row) and the last a vector (a column), whose dims
    the result then lacks, as with matmul; the others must be matrices.
    """
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"multi_dot(): tensor {i} must be a Tensor, not {type(t).__name__}")
    first, last = tensors[0], tensors[-1]
    for name, t in (("first", first), ("last", last)):
        if t.ndim not in (1, 2):
            raise RuntimeError(f"multi_dot(): the {name} tensor must be 1D or 2D but got {t.ndim}D")
    for i, t in enumerate(tensors[1:-1], 1):
        if t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
    for i, t in enumerate(tensors):
        if t.dtype != first.dtype:
            raise RuntimeError(
                f"multi_dot(): all tensors must have the same dtype but tensor 0 is {first.dtype} "
                f"and tensor {i} {t.dtype}"
            )
    matrices = [first.unsqueeze(0) if first.ndim == 1 else first, *tensors[1:-1]]
    matrices.append(last.unsqueeze(-1) if last.ndim == 1 else last)
    for i in range(len(matrices) - 1):
        if matrices[i].shape[1] != matrices[i + 1].shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {list(tensors[i].shape)} and "
                f"{list(tensors[i + 1].shape)} cannot be multiplied"
            )
    sizes = [m.shape[0] for m in matrices] + [matrices[-1].shape[1]]
    product = _multiply(matrices, _cheapest_order(sizes), 0, len(matrices) - 1)
    shape = first.shape[:-1] + last.shape[1:]  # (rows of the first, columns of the last: either may be gone)
    return product.reshape(shape)
