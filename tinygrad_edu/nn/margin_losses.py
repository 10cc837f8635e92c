"""Margin losses: they ask a score, a pair or a triplet to be right by a margin, and are 0 once it is.

Functions (re-exported by `functional`) and their loss modules:

- ``margin_ranking_loss(x1, x2, y)``: max(0, -y (x1 - x2) + margin); y = 1
  asks x1 to rank above x2, y = -1 below.
- ``hinge_embedding_loss(x, y)``: x where y = 1, max(0, margin - x) where
  y = -1, for distances x between pairs that are similar (1) or not (-1).
- ``soft_margin_loss(x, y)``: log(1 + e^(-y x)), a smooth hinge for labels +-1.
- ``multilabel_soft_margin_loss(x, y)``: the mean over the C classes of a
  binary cross-entropy on logits, for (N, C) inputs and 0/1 targets.
- ``cosine_embedding_loss(x1, x2, y)``: 1 - cos(x1, x2) where y = 1,
  max(0, cos(x1, x2) - margin) where y = -1.
- ``triplet_margin_loss(a, p, n)``: max(0, d(a, p) - d(a, n) + margin),
  d the p-norm distance: the anchor nearer the positive than the negative.

Each is composed from Tensor operations (clamp, where, softplus, norm), so it
is differentiable twice; the hinge max(0, .) has slope 1 at its kink, as
PyTorch's clamp_min. Each takes ``reduction="mean" | "sum" | "none"`` and
PyTorch's deprecated ``size_average``/``reduce`` in PyTorch's places, and
broadcasts its inputs as PyTorch does.
"""

from __future__ import annotations

import math

from ..dtypes import torch_name
from ..ops.broadcast import broadcast_shape, broadcasts_to
from ..ops.elementwise import where
from ..tensor import Tensor

# (loss.py imports functional, which imports this module: loss.py's names are only used in the classes)
from .loss import _Loss, _WeightedLoss
from .loss_functions import _as_tensor, _check_reduction, _constant_weight, _legacy_reduction, _reduce

_COSINE_EPS = 1e-12  # added to the squared lengths, as PyTorch does, so that a zero vector gives cos = 0


def _reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    return reduction


def _hinge(x: Tensor) -> Tensor:
    """max(x, 0), with slope 1 at x = 0 (PyTorch's clamp_min)."""
    return x.clamp(min=0.0)


def margin_ranking_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, -y (x1 - x2) + margin) per element: y = 1 wants x1 >= x2 + margin, y = -1 the reverse."""
    reduction = _reduction(size_average, reduce, reduction)
    target = _as_tensor(target, input1)
    if not input1.ndim == input2.ndim == target.ndim:
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape}"
        )
    broadcast_shape(input1.shape, input2.shape, target.shape, op="margin_ranking_loss")
    return _reduce(_hinge(-target * (input1 - input2) + margin), reduction)


def hinge_embedding_loss(
    input: Tensor,
    target: Tensor,
    margin: float = 1.0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1, for distances x and labels y in {1, -1}.

    As in PyTorch, a label that is neither adds both terms.
    """
    reduction = _reduction(size_average, reduce, reduction)
    target = _as_tensor(target, input)
    broadcast_shape(input.shape, target.shape, op="hinge_embedding_loss")
    loss = where(target != 1, _hinge(margin - input), 0.0) + where(target != -1, input, 0.0)
    return _reduce(loss, reduction)


def _check_float(op: str, input: Tensor) -> None:
    """PyTorch's error for an integer input whose loss is fractional."""
    if input.dtype.kind != "f":
        raise RuntimeError(
            f"{op}: result type Float can't be cast to the desired output type {torch_name(input.dtype)}"
        )


def _softplus(x: Tensor) -> Tensor:
    """log(1 + e^x), exact and never overflowing (NumPy's logaddexp; no linear cut-off)."""
    return x.softplus(1.0, math.inf)


def soft_margin_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """log(1 + e^(-y x)) per element, for labels y in {1, -1}: the logistic loss of a margin y x.

    The target broadcasts to the input's shape and, as in PyTorch, gets no
    gradient (so it may not require grad). PyTorch computes
    log1p(exp(.)), which overflows to inf past -y x = 88 in float32; this
    one stays finite there.
    """
    reduction = _reduction(size_average, reduce, reduction)
    _check_float("soft_margin_loss", input)
    target = _constant_weight(_as_tensor(target, input), "soft_margin_loss", "target")
    if not broadcasts_to(target.shape, input.shape):
        raise RuntimeError(
            f"soft_margin_loss: target of shape {target.shape} does not broadcast to "
            f"the input's shape {input.shape}"
        )
    return _reduce(_softplus(-input * target), reduction)


def multilabel_soft_margin_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """Binary cross-entropy on logits per class, averaged over the classes (the last dim):

        l_n = -(1/C) sum_c w_c [y_c log sigmoid(x_c) + (1 - y_c) log sigmoid(-x_c)]

    Shape: input (N, C) or (C,), target the same (0/1 per class), weight
    broadcasting to them -> one loss per sample, (N,) or (), then reduced.
    -log sigmoid(x) = softplus(-x), so large logits give finite losses.
    """
    reduction = _reduction(size_average, reduce, reduction)
    if input.ndim == 0:
        raise IndexError("Dimension specified as -1 but tensor has no dimensions")
    target = _as_tensor(target, input)
    shapes = [input.shape, target.shape]
    if weight is not None:
        weight = _as_tensor(weight, input)
        shapes.append(weight.shape)
    broadcast_shape(*shapes, op="multilabel_soft_margin_loss")
    loss = target * _softplus(-input) + (1 - target) * _softplus(input)
    if weight is not None:
        loss = loss * weight
    class_dim = input.ndim - 1
    return _reduce(loss.sum(class_dim) / input.shape[class_dim], reduction)


def cosine_embedding_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1 (other labels: 0).

    Shape: inputs (N, D) with target (N,), or inputs (D,) with a 0-d target.
    cos = x1.x2 / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12)), PyTorch's formula.
    """
    reduction = _reduction(size_average, reduce, reduction)
    target = _as_tensor(target, input1)
    if target.ndim not in (0, 1):
        raise RuntimeError(
            "0D or 1D target tensor expected, multi-target not supported "
            f"(cosine_embedding_loss got a target of shape {target.shape})"
        )
    if (input1.ndim, input2.ndim) != (target.ndim + 1,) * 2:
        raise RuntimeError(
            f"{target.ndim}D target tensor expects {target.ndim + 1}D input tensors, but found inputs "
            f"with sizes {list(input1.shape)} and {list(input2.shape)}."
        )
    pairs = broadcast_shape(input1.shape, input2.shape, op="cosine_embedding_loss")
    broadcast_shape(pairs[:-1], target.shape, op="cosine_embedding_loss")  # one label per pair
    dim = target.ndim
    dot = (input1 * input2).sum(dim)
    lengths = ((input1 * input1).sum(dim) + _COSINE_EPS) * ((input2 * input2).sum(dim) + _COSINE_EPS)
    cos = dot / lengths.sqrt()
    loss = where(target == 1, 1 - cos, 0.0) + where(target == -1, _hinge(cos - margin), 0.0)
    return _reduce(loss, reduction)


def _distance(x1: Tensor, x2: Tensor, p: float, eps: float) -> Tensor:
    """||x1 - x2 + eps||_p along the last dim, as `F.pairwise_distance` (eps keeps the norm off its kink)."""
    return (x1 - x2 + eps).norm(p, -1)


def _check_triplet(
    anchor: Tensor, positive: Tensor, negative: Tensor, margin: float, *, name_shapes: bool = False
) -> None:
    """PyTorch's checks of a triplet loss: a positive margin, and three inputs of one rank.

    (Here and in `F.triplet_margin_with_distance_loss`; name_shapes adds the shapes to the message.)
    """
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        shapes = f" (of shapes {anchor.shape}, {positive.shape} and {negative.shape})" if name_shapes else ""
        raise RuntimeError(
            "The anchor, positive, and negative tensors are expected to have the same number of "
            f"dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and negative "
            f"{negative.ndim}D inputs{shapes}"
        )


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin) per triplet, d the p-norm distance along the last dim.

    Shape: (N, D) each (or (D,)) -> (N,), then reduced. swap=True uses
    min(d(a, n), d(p, n)) as the negative's distance (Balntas et al., 2016).
    """
    reduction = _reduction(size_average, reduce, reduction)
    _check_triplet(anchor, positive, negative, margin, name_shapes=True)
    broadcast_shape(anchor.shape, positive.shape, negative.shape, op="triplet_margin_loss")
    near = _distance(anchor, positive, p, eps)
    far = _distance(anchor, negative, p, eps)
    if swap:
        far = far.minimum(_distance(positive, negative, p, eps))
    return _reduce(_hinge(near - far + margin), reduction)


# ---------------------------------------------------------------- loss modules


class MarginRankingLoss(_Loss):
    """max(0, -y (x1 - x2) + margin).  Shape: x1, x2, y (N,) or () -> scalar, or (N,) for "none"."""

    def __init__(
        self,
        margin: float = 0.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """x where y = 1, max(0, margin - x) where y = -1.  Shape: (*), (*) -> scalar, or (*) for "none"."""

    def __init__(
        self,
        margin: float = 1.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """log(1 + e^(-y x)) for labels y = +-1.  Shape: (*), (*) -> scalar, or (*) for "none"."""

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """Per-class BCE on logits, averaged over the C classes.  Shape: (N, C), (N, C) -> scalar, or (N,).

    weight (C,), when given, weighs each class's term (kept as a buffer, as in PyTorch).
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1.

    Shape: x1, x2 (N, D), y (N,) -> scalar, or (N,) for "none"; or (D,), (D,), () -> scalar.
    """

    def __init__(
        self,
        margin: float = 0.0,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """max(0, d(a, p) - d(a, n) + margin), d the p-norm distance.  Shape: (N, D) x 3 -> scalar, or (N,)."""

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return triplet_margin_loss(
            anchor, positive, negative, self.margin, self.p, self.eps, self.swap, reduction=self.reduction
        )
