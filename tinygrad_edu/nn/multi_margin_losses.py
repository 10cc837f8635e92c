"""Multi-class hinge losses: `MultiMarginLoss` (one right class) and `MultiLabelMarginLoss` (several).

Both ask the score of each right class to beat the score of each wrong one
by a margin, and charge the shortfall, averaged over the C classes. For an
(N, C) input x:

    multi_margin_loss:       l_n = sum_{i != y_n} w[y_n] max(0, margin - x[n, y_n] + x[n, i])^p / C
    multilabel_margin_loss:  l_n = sum_{j in Y_n} sum_{i not in Y_n} max(0, 1 - x[n, j] + x[n, i]) / C

In the first, y (N,) holds one class per sample, p is 1 or 2 and w an
optional weight per class (C,). In the second, row n of the (N, C) target
lists the sample's classes Y_n, ended by the first -1 (what follows it is
ignored); a class listed twice counts twice. The multi-class SVM of Weston
and Watkins (1999) is the first, with p = 1.

Both are composed from Tensor operations (gather, where, sums over a
(samples, classes) or a (samples, targets, classes) array), so they are
differentiable twice. As in PyTorch, each hinge has slope 0 at its kink
(max(0, z) counts only z > 0), and the mean over an empty batch is 0.
"""

from __future__ import annotations

import numpy as np

from ..dtypes import require_float
from ..ops.elementwise import where
from ..tensor import Tensor
from .loss import _Loss, _WeightedLoss
from .loss_functions import _check_reduction, _constant_weight, _legacy_reduction


def multi_margin_loss(
    input: Tensor,
    target: Tensor,
    p: int = 1,
    margin: float = 1.0,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """sum over the wrong classes i of w[y] max(0, margin - x[y] + x[i])^p, divided by C, per sample.

    Shape: input (N, C) or (C,) (or () for one class), target (N,) or () of
    class indices (int64), weight (C,) -> the loss per sample, target's shape,
    then reduced. p is 1 or 2. weight gets no gradient (as PyTorch).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    x = _as_matrix("multi_margin_loss", input)
    n, c = x.shape
    if target.ndim > 1 or target.numel() != n:
        raise RuntimeError(
            "multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples "
            f"(batch size). Expected target size [{n}], but got {list(target.shape)}. Input has shape "
            f"{list(input.shape)}."
        )
    if weight is not None:
        if weight.shape != (c,):
            raise RuntimeError(f"inconsistent weight size, expected {c} but got {list(weight.shape)}")
        if weight.dtype != x.dtype:
            raise RuntimeError(
                f"multi_margin_loss: weight of dtype {weight.dtype} does not match input of dtype {x.dtype}"
            )
        _constant_weight(weight, "multi_margin_loss", "weight")
    classes = _class_indices("multi_margin_loss", target, c, lowest=0).reshape(n, 1)
    right = x.gather(1, Tensor._wrap(classes))  # (N, 1): each sample's score for its class
    z = margin - right + x
    hinge = where(z > 0, z, 0.0)  # NOTE: slope 0 at z = 0, as PyTorch's (z > 0) test
    if p == 2:
        hinge = hinge * hinge
    losses = where(Tensor._wrap(np.arange(c) == classes), 0.0, hinge)  # the right class is no rival
    if weight is not None:
        losses = losses * Tensor._wrap(weight.data[classes])
    return _reduce(losses.sum(1).reshape(target.shape) / c, reduction)


def multilabel_margin_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """sum over the sample's classes j and the other classes i of max(0, 1 - x[j] + x[i]), divided by C.

    Shape: input (N, C) or (C,) (or ()), target the same shape (int64): each
    row lists the sample's classes, ended by the first -1 -> the loss per
    sample, (N,) or (), then reduced.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    x = _as_matrix("multilabel_margin_loss", input)
    n, c = x.shape
    if target.shape != input.shape and not (input.ndim == 0 and target.shape == (1,)):
        raise RuntimeError(
            f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}"
        )
    listed = _class_indices("multilabel_margin_loss", target, c, lowest=-1).reshape(n, c)
    # the classes before each row's first -1 count; the rest of the row is ignored
    counted = np.cumprod(listed >= 0, axis=1).astype(bool)
    is_target = np.zeros((n, c), dtype=bool)
    rows = np.broadcast_to(np.arange(n)[:, None], (n, c))
    is_target[rows[counted], listed[counted]] = True
    right = x.gather(1, Tensor._wrap(np.where(counted, listed, 0)))  # (N, C): the score of the j-th target
    z = 1.0 - right.unsqueeze(2) + x.unsqueeze(1)  # (N, targets j, classes i)
    pairs = Tensor._wrap(counted[:, :, None] & ~is_target[:, None, :])
    hinge = where(pairs & (z > 0), z, 0.0)  # NOTE: slope 0 at z = 0, as PyTorch's (z > 0) test
    return _reduce(hinge.sum((1, 2)).reshape(input.shape[:-1] if input.ndim else ()) / c, reduction)


def _as_matrix(op: str, input: Tensor) -> Tensor:
    """An (N, C) input as it is, a (C,) or () one as a batch of one; refuse others, and empty classes."""
    if input.ndim > 2 or (input.ndim > 0 and input.shape[-1] == 0):
        raise RuntimeError(
            f"{op}: Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
            f"{list(input.shape)}"
        )
    require_float(input.dtype, op)
    return input.reshape(-1, input.shape[-1] if input.ndim else 1)


def _class_indices(op: str, target: Tensor, classes: int, lowest: int) -> np.ndarray:
    """The target's class indices as an int64 array, each checked to lie in [lowest, classes)."""
    if target.dtype != np.int64:
        raise RuntimeError(f"{op}: expected target of dtype int64 (class indices), but found {target.dtype}")
    indices = target.data
    if indices.size and (indices.min() < lowest or indices.max() >= classes):
        raise RuntimeError(f"{op}: target out of range: class indices must lie in [{lowest}, {classes})")
    return indices


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """Mean, sum or none; the mean of no losses is 0 (PyTorch's multi_margin_loss), not 0/0."""
    if reduction == "mean":
        return loss.sum() / max(loss.numel(), 1)
    return loss.sum() if reduction == "sum" else loss


# ---------------------------------------------------------------- loss modules


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge loss: each wrong class's score must stay margin below the right one's.

    Shape: input (N, C), target (N,) class indices -> scalar, or (N,) for "none"; see `F.multi_margin_loss`.
    weight (C,), when given, weighs each sample by its class (kept as a buffer, as in PyTorch).
    """

    def __init__(
        self,
        p: int = 1,
        margin: float = 1.0,
        weight: Tensor | None = None,
        size_average: bool | None = None,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if p != 1 and p != 2:
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.ndim != 1:
            raise ValueError(
                f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.ndim}D instead"
            )
        self.p, self.margin = p, margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return multi_margin_loss(input, target, self.p, self.margin, self.weight, reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """Multi-label hinge loss: each listed class's score must beat every other class's by 1.

    Shape: input (N, C), target (N, C) class lists ended by -1 -> scalar, or (N,) for "none";
    see `F.multilabel_margin_loss`.
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return multilabel_margin_loss(input, target, reduction=self.reduction)
