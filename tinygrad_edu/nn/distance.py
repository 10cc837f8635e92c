"""`CosineSimilarity` and `PairwiseDistance`: modules holding the options of `F.cosine_similarity`
and `F.pairwise_distance`, for models that compare two inputs (siamese networks, retrieval)."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module


class CosineSimilarity(Module):
    """x1 . x2 / (max(||x1||, eps) max(||x2||, eps)) along `dim`, after broadcasting x1 with x2.

    Shape:
        x1 (*1, D, *2) with D at position dim, x2 broadcastable to it -> output (*1, *2)
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """||x1 - x2 + eps||_p along the last dim, row by row (x1 and x2 broadcast).

    Shape:
        x1 (N, D) or (D,), x2 the same -> output (N,) or () (with a trailing 1 when keepdim)

    The exponent is kept as ``norm``, PyTorch's name for it.
    """

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return F.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
