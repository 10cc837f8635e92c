"""Two of PyTorch's top-level geometry functions, as composites.

    dist(a, b, p)    ||a - b||_p over all elements (a and b broadcast): a 0-d tensor
    cross(a, b, dim) the cross product of the 3-vectors along dim (tg.linalg.cross)

torch.cross, unlike torch.linalg.cross, takes dim=None: then it uses the
first dim of size 3 of input, and warns that this default is deprecated
(it will become -1, as in linalg.cross). tg.cross does the same.
"""

from __future__ import annotations

from ..linalg.products import cross as linalg_cross
from ..tensor import Tensor
from ..warning import warn


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:
    """The p-norm of input - other, all elements together (shapes broadcast): () of the float dtype."""
    difference = input - other
    if difference.dtype.kind != "f":
        raise RuntimeError(f"dist(): input dtype should be floating point, got {difference.dtype}")
    return difference.norm(p)


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """The cross product of the 3-vectors along dim: (*, 3, *), (*, 3, *) -> (*, 3, *)."""
    if dim is None:
        warn(
            "Using tg.cross without specifying the dim arg is deprecated. Please either pass the dim "
            "explicitly or simply use tg.linalg.cross. The default value of dim will change to agree "
            "with that of linalg.cross in a future release."
        )
        sizes = input.shape if isinstance(input, Tensor) else ()
        if 3 not in sizes:
            raise RuntimeError("no dimension of size 3 in input")
        dim = sizes.index(3)
    return linalg_cross(input, other, dim=dim)
