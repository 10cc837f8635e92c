"""Lengths and distances of vectors: `normalize`, `cosine_similarity`, `pairwise_distance`.

Each works along one dim of its inputs, so a batch of vectors is a tensor of
shape (N, D) (or any shape, with the vectors along `dim`). Lengths are
clamped below by eps, or shifted by it, so that a zero vector gives a finite
gradient, as in PyTorch. The layers `CosineSimilarity` and `PairwiseDistance`
(distance.py) call them; `pdist`, all the distances within one set of
vectors, is in pairwise_distances.py. All are in `F` (functional.py).
"""

from __future__ import annotations

from ..ops.broadcast import broadcast_shape
from ..tensor import Tensor


def normalize(input: Tensor, p: float = 2.0, dim: int | tuple[int, ...] = 1, eps: float = 1e-12) -> Tensor:
    """x / max(||x||_p, eps) along dim: vectors of length 1, and a zero vector stays zero.

    NOTE: at a zero vector the divisor is the constant eps, so the gradient
    there is upstream / eps (1e12 by default), as in PyTorch: large, not nan.
    """
    return input / input.norm(p, dim, keepdim=True).clamp(min=eps)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 x2) / (max(||x1||, eps) max(||x2||, eps)) along dim, after broadcasting x1 with x2.

    Each vector is divided by its own (clamped) length before the product, as
    PyTorch does, so the result stays in [-1, 1] and a zero vector gives 0.
    """
    if not isinstance(dim, int):
        raise TypeError(f"cosine_similarity(): argument 'dim' must be int, not {type(dim).__name__}")
    if eps < 0:
        raise RuntimeError(f"cosine_similarity: eps must be non-negative, got {eps}")
    if x1.dtype.kind != "f" and x2.dtype.kind != "f":
        raise RuntimeError(
            f"cosine_similarity: expected floating point tensors, got {x1.dtype} and {x2.dtype}"
        )
    if x1.dtype.kind != "f":  # an integer tensor beside a float one takes the float dtype
        x1 = x1.to(x2.dtype)
    if x2.dtype.kind != "f":
        x2 = x2.to(x1.dtype)
    shape = broadcast_shape(x1.shape, x2.shape, op="cosine_similarity")
    x1, x2 = x1.broadcast_to(shape), x2.broadcast_to(shape)
    unit1 = x1 / x1.norm(2, dim, keepdim=True).clamp(min=eps)
    unit2 = x2 / x2.norm(2, dim, keepdim=True).clamp(min=eps)
    return (unit1 * unit2).sum(dim)


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """||x1 - x2 + eps||_p along the last dim (x1 and x2 broadcast).

    eps moves the kink of the norm away from x1 = x2, where it would leave the
    gradient undefined: there the distance is eps * D^(1/p), and its gradient finite.
    """
    return (x1 - x2 + eps).norm(p, -1, keepdim)
