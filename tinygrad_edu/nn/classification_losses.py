"""The classification losses: binary cross-entropy (on probabilities or logits), nll_loss and cross_entropy.

Re-exported by `functional`; shared checks and reductions come from
loss_functions.py. nll_loss is its own op (`NllLoss` in ops/softmax.py);
the others are composed from Tensor operations, so all are differentiable twice.
Each has PyTorch's deprecated ``size_average`` and ``reduce`` in PyTorch's
places (see `_legacy_reduction`), so positional arguments bind as there.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function, Node
from ..ops.elementwise import where
from ..ops.softmax import NllLoss
from ..tensor import Tensor
from .loss_functions import (
    _as_tensor,
    _as_weight,
    _check_reduction,
    _constant_weight,
    _legacy_reduction,
    _reduce,
)

# ---------------------------------------------------------------- binary losses


class BinaryCrossEntropy(Function):
    """l = -[y log(x) + (1 - y) log(1 - x)], each log clamped at -100, per element;

    dl/dx = (x - y) / max(x (1 - x), 1e-12),  dl/dy = log(1 - x) - log(x) = -logit(x)

    NOTE: both are PyTorch's formulas, not the derivatives of the clamped logs:
    where a probability has saturated to 0 or 1, a wrong prediction still
    gets a (large) gradient instead of the clamp's 0, and the target's
    gradient is the unclamped -logit(x) (infinite at x = 0 or 1).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x, y)
        with np.errstate(divide="ignore"):
            log_x, log_1mx = np.maximum(np.log(x), -100.0), np.maximum(np.log1p(-x), -100.0)
        return (-(y * log_x + (1 - y) * log_1mx)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        x, y = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad
        gx = grad * (x - y) / (x * (1.0 - x)).maximum(1e-12) if need_x else None
        gy = -grad * x.logit() if need_y else None
        return gx, gy


def binary_cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """-w [y log(x) + (1 - y) log(1 - x)] per element, for probabilities x in [0, 1].

    Each log is clamped at -100, so x = 0 or 1 gives a finite loss.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    target = _as_tensor(target, input)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size {target.shape} that is different to the input size {input.shape} "
            "is deprecated. Please ensure they have the same size."
        )
    if target.dtype != input.dtype:
        raise RuntimeError(
            f"binary_cross_entropy: target of dtype {target.dtype} does not match "
            f"input of dtype {input.dtype}"
        )
    if np.any((input.data < 0) | (input.data > 1)) or np.any(np.isnan(input.data)):
        raise RuntimeError("binary_cross_entropy: all elements of input should be between 0 and 1")
    if not np.all((target.data >= 0) & (target.data <= 1)):  # (nan is refused too, as in PyTorch)
        raise RuntimeError("binary_cross_entropy: all elements of target should be between 0 and 1")
    loss = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * _as_weight(weight, input, "binary_cross_entropy", "weight")
    return _reduce(loss, reduction)


_WITH_LOGITS = "binary_cross_entropy_with_logits"


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """BCE on logits: -w [p y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))], p = pos_weight.

    Written in the stable form, finite for any x:

        softplus(-x) = max(-x, 0) + log(1 + exp(-|x|)) = -log sigmoid(x)
        loss = (1 - y) x + (1 + (p - 1) y) softplus(-x)

    which for p = 1 is max(x, 0) - x y + log(1 + exp(-|x|)).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    target = _as_tensor(target, input)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    if target.dtype.kind != "f":
        raise RuntimeError(
            f"binary_cross_entropy_with_logits: expected a float target (0/1 or probabilities), "
            f"got dtype {target.dtype}"
        )
    # NOTE: max(x, 0) and |x| both have a kink at 0; choosing the x >= 0 branch
    # for both makes their subgradients cancel correctly: d/dx = sigmoid(0) - y.
    nonneg = input >= 0
    relu_x = where(nonneg, input, 0.0)
    abs_x = where(nonneg, input, -input)
    log_term = (-abs_x).softplus()  # log(1 + e^-|x|), precise where e^-|x| is tiny
    if pos_weight is None:
        loss = relu_x - input * target + log_term
    else:
        log_weight = (_as_weight(pos_weight, input, _WITH_LOGITS, "pos_weight") - 1.0) * target + 1.0
        loss = (1.0 - target) * input + log_weight * (relu_x - input + log_term)
    if weight is not None:
        loss = loss * _as_weight(weight, input, _WITH_LOGITS, "weight")
    return _reduce(loss, reduction)


# ---------------------------------------------------------------- classification losses


def _classes_last(input: Tensor) -> Tensor:
    """(N, C, d1, ...) -> (N * d1 * ..., C);  (C,) -> (1, C)."""
    if input.ndim == 1:
        return input.reshape(1, -1)
    if input.ndim == 2:
        return input
    dims = (0, *range(2, input.ndim), 1)
    return input.permute(*dims).reshape(-1, input.shape[1])


def _index_target(
    input: Tensor, target: Tensor, ignore_index: int
) -> tuple[np.ndarray, np.ndarray | None, tuple[int, ...]]:
    """Check class-index targets.

    Returns (flat targets with ignored ones set to 0, keep mask or None when
    every target counts, target shape).
    """
    n_classes = input.shape[0] if input.ndim == 1 else input.shape[1]
    expected = () if input.ndim == 1 else (input.shape[0], *input.shape[2:])
    if input.ndim == 1 and target.ndim == 1:  # one sample's class given as [y]: read as y, as PyTorch
        if target.shape != (1,):
            size = target.shape[0]
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {size}")
        target = target.reshape(())
    if target.shape != expected:
        if input.ndim >= 2 and target.ndim >= 1 and target.shape[0] != input.shape[0]:
            raise ValueError(
                f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                f"({target.shape[0]}): "
                f"input shape {input.shape}, target shape {target.shape}"
            )
        raise RuntimeError(
            f"target of shape {target.shape} does not match input of shape {input.shape}: "
            f"expected class indices of shape {expected}"
        )
    flat = target.data.reshape(-1)
    if flat.size and 0 <= flat.min() and flat.max() < n_classes and ignore_index not in range(n_classes):
        return flat, None, target.shape  # the usual case, told by two reductions: all valid, none ignored
    keep = flat != ignore_index
    counted = flat if keep.all() else flat[keep]
    if counted.size and (counted.min() < 0 or counted.max() >= n_classes):
        bad = counted[(counted < 0) | (counted >= n_classes)]
        raise IndexError(f"Target {int(bad[0])} is out of bounds for {n_classes} classes")
    if counted is flat:
        return flat, None, target.shape
    return np.where(keep, flat, 0), keep, target.shape


_CLASS_INDEX_DTYPES = (np.dtype(np.int64), np.dtype(np.uint8))  # (PyTorch's Long and Byte)


def _not_class_indices(op: str, target: Tensor, input: Tensor | None = None) -> RuntimeError:
    """The error for class-index targets of another dtype than int64 or uint8, with the fix."""
    message = (
        f"{op}: expected target dtype to be Long or Byte (int64 or uint8 class indices), "
        f"but got {target.dtype} with shape {target.shape}: convert the class indices with target.long()"
    )
    if input is not None:
        message += (
            f"; a float target is read as class probabilities only with the input's shape {input.shape}"
        )
    return RuntimeError(message)


def _class_weight(weight: Tensor | None, n_classes: int, like: Tensor, op: str) -> np.ndarray:
    if weight is None:
        return np.ones(n_classes, dtype=like.dtype)
    _constant_weight(weight, op, "weight")
    if isinstance(weight, Tensor) and weight.dtype != like.dtype:
        raise RuntimeError(f"class weight of dtype {weight.dtype} does not match input of dtype {like.dtype}")
    w = np.asarray(weight.data if isinstance(weight, Tensor) else weight, dtype=like.dtype)
    if w.shape != (n_classes,):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes "
            f"but got weight tensor of shape: {w.shape}"
        )
    return w


def _weighted_reduce(negated: Tensor, total_weight: float, reduction: str, shape: tuple) -> Tensor:
    """Reduce the losses -negated; mean divides by the total weight of the counted targets."""
    if reduction == "none":
        return (-negated).reshape(shape)
    if reduction == "sum":
        return -negated.sum()
    if total_weight == 0:  # every target ignored: nan, as PyTorch, but zero gradients, not 0/0's nan
        return negated.sum() * 0.0 + float("nan")
    return negated.sum() / -total_weight


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """-w[y_i] * input[i, y_i] for log-probabilities input (N, C) and class indices target (N,).

    Targets equal to `ignore_index` contribute 0 and are left out of the mean,
    which divides by sum_i w[y_i] over the counted targets. `weight` (C,) is a
    constant (no gradient). Also takes (C,) with a 0-d target, and (N, C, d1, ...)
    with target (N, d1, ...).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if input.ndim < 1:
        raise ValueError(f"nll_loss: expected input with a class dimension, got shape {input.shape}")
    target = _as_tensor(target, input)
    if target.data.dtype not in _CLASS_INDEX_DTYPES:
        raise _not_class_indices("nll_loss", target)
    classes, keep, shape = _index_target(input, target, ignore_index)
    logp = _classes_last(input)
    if weight is None and keep is None:
        w, total = None, float(classes.size)  # every sample counts, with weight 1
    else:
        w = _class_weight(weight, logp.shape[1], input, "nll_loss")[classes]
        if keep is not None:
            w = w * keep
        total = float(w.sum())
    divisor = {"none": None, "sum": 1.0, "mean": total}[reduction]
    loss = NllLoss._apply1(logp, classes, w, divisor)
    return loss.reshape(shape) if reduction == "none" else loss


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    size_average: bool | None = None,
    ignore_index: int = -100,
    reduce: bool | None = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Softmax cross-entropy of logits input (N, C) against class indices (N,) or probabilities (N, C).

    With indices: nll_loss(log_softmax(x), y). With probabilities:
    -sum_c w_c y_c log_softmax(x)_c per sample, and the mean divides by N.
    label_smoothing eps mixes the target with the uniform distribution:
    y' = (1 - eps) y + eps / C. log_softmax subtracts the row maximum first,
    so logits of any magnitude give finite losses.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if input.ndim < 1:
        raise RuntimeError(f"cross_entropy: expected input with a class dimension, got shape {input.shape}")
    target = _as_tensor(target, input)
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    logp = input.log_softmax(class_dim)
    if target.dtype.kind == "f" and target.ndim == input.ndim - 1:
        # NOTE: class indices stored as floats (say, labels loaded from a CSV)
        # are the usual mistake here; probabilities have the input's shape.
        raise _not_class_indices("cross_entropy", target, input)
    if target.dtype.kind == "f":
        if ignore_index != -100:  # (a probability target has no class to ignore)
            raise RuntimeError("cross_entropy: ignore_index is not supported for class-probability targets")
        if target.shape != input.shape:
            raise RuntimeError(
                f"cross_entropy: class-probability target of shape {target.shape} "
                f"must match input shape {input.shape}"
            )
        if label_smoothing > 0:
            target = target * (1.0 - label_smoothing) + label_smoothing / n_classes
        w = _class_weight(weight, n_classes, input, "cross_entropy").reshape(
            (n_classes,) + (1,) * (input.ndim - class_dim - 1)
        )
        losses = -(logp * target * Tensor._wrap(w)).sum(class_dim)
        return _reduce(losses, reduction)
    if target.data.dtype not in _CLASS_INDEX_DTYPES:
        raise _not_class_indices("cross_entropy", target)
    loss = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0.0:
        return loss
    # smoothing term: -sum_c w_c log p_c per counted sample, normalised like the nll term
    classes, keep, shape = _index_target(input, target, ignore_index)
    if keep is None:
        keep = np.ones(classes.shape, dtype=bool)
    w = _class_weight(weight, n_classes, input, "cross_entropy")
    rows = _classes_last(logp)
    smooth = (rows * Tensor._wrap(w)).sum(1) * Tensor._wrap(keep.astype(input.dtype))
    smooth = _weighted_reduce(smooth, float((w[classes] * keep).sum()), reduction, shape)
    return loss * (1.0 - label_smoothing) + smooth * (label_smoothing / n_classes)
