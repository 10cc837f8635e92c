"""`F.triplet_margin_with_distance_loss` and `nn.TripletMarginWithDistanceLoss`.

The triplet margin loss with a distance of one's choosing: for an anchor a,
a positive p (same class) and a negative n (another class),

    loss = max(0, margin + d(a, p) - d(a, n))

so the anchor is pulled nearer the positive than the negative by at least
the margin. d is any function of two tensors returning one distance per
triplet (default `F.pairwise_distance`, the Euclidean distance); with
swap=True the negative's distance is min(d(a, n), d(p, n)) (Balntas et
al., 2016), so the harder of the two comparisons counts. The loss is built
from d's output with Tensor ops, so it is as differentiable as d is.
"""

from __future__ import annotations

from collections.abc import Callable

from ..tensor import Tensor
from . import functional as F
from .distance import PairwiseDistance
from .loss import _Loss
from .loss_functions import _check_reduction, _reduce
from .margin_losses import _check_triplet

Distance = Callable[[Tensor, Tensor], Tensor]


def triplet_margin_with_distance_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    *,
    distance_function: Distance | None = None,
    margin: float = 1.0,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) per triplet, then reduced ("mean" | "sum" | "none").

    Shape: anchor, positive, negative (N, D) or (D,) (any shape d accepts,
    all of the same rank) -> d's output shape for "none", else a scalar.
    """
    _check_reduction(reduction)
    _check_triplet(anchor, positive, negative, margin)
    distance = F.pairwise_distance if distance_function is None else distance_function
    near = distance(anchor, positive)
    far = distance(anchor, negative)
    if swap:
        far = far.minimum(distance(positive, negative))
    return _reduce((margin + near - far).clamp(min=0.0), reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """max(0, margin + d(a, p) - d(a, n)) with a distance d of one's choosing; see
    `F.triplet_margin_with_distance_loss`.

    Shape:
        anchor, positive, negative (N, D) or (D,) -> scalar, or (N,) for "none".

    distance_function defaults to a `PairwiseDistance()` submodule (so it
    shows in the repr, as in PyTorch); a module given is registered too.
    """

    def __init__(
        self,
        *,
        distance_function: Distance | None = None,
        margin: float = 1.0,
        swap: bool = False,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction=reduction)
        if margin <= 0:
            raise ValueError(
                f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} instead"
            )
        self.distance_function: Distance | None = (
            distance_function if distance_function is not None else PairwiseDistance()
        )
        self.margin = margin
        self.swap = swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return triplet_margin_with_distance_loss(
            anchor,
            positive,
            negative,
            distance_function=self.distance_function,
            margin=self.margin,
            swap=self.swap,
            reduction=self.reduction,
        )
