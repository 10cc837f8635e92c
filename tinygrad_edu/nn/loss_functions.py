"""The regression losses (`F.mse_loss`, `l1_loss`, `huber_loss`, `smooth_l1_loss`) and `kl_div`.

Also what every loss shares: the check of `reduction` and the reduction itself.
Each compares predictions with targets and is composed from Tensor
operations, so it is differentiable twice. Each takes
``reduction="mean" | "sum" | "none"``: the mean or sum of the per-element
losses, or the per-element losses themselves (kl_div also "batchmean").
Where PyTorch still has its deprecated ``size_average`` and ``reduce`` flags,
so have these functions, in the same places, so that positional arguments
bind as there; given, they decide the reduction, with PyTorch's warning.
The classification losses are in classification_losses.py; `functional`
re-exports both, and the loss modules (`nn.MSELoss`, ...) in loss.py call them.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

from ..autograd.grad_mode import is_recording
from ..dtypes import require_float, result_type, torch_name
from ..ops.broadcast import broadcasts_to
from ..ops.elementwise import where
from ..tensor import Tensor
from ..warning import warn

_REDUCTIONS = ("mean", "sum", "none")
W = TypeVar("W")

# ---------------------------------------------------------------- helpers


def _check_reduction(reduction: str, allowed: tuple[str, ...] = _REDUCTIONS) -> None:
    if reduction not in allowed:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """`reduction`, unless one of PyTorch's deprecated flags is given; then the one they stand for.

    The flags are there so that positional arguments bind as in PyTorch. A
    flag left as None counts as True: reduce=False keeps the per-element
    losses, otherwise size_average=False sums them and True takes the mean.
    """
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    legacy = ("mean" if size_average else "sum") if reduce else "none"
    warn(f"size_average and reduce args will be deprecated, please use reduction='{legacy}' instead.")
    return legacy


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _as_tensor(value: object, like: Tensor) -> Tensor:
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    return Tensor._wrap(array.astype(like.dtype) if array.dtype.kind == "f" else array)


def _as_weight(value: object, like: Tensor, op: str, name: str) -> Tensor:
    """A per-element loss weight in `like`'s dtype: PyTorch keeps the loss in the input's dtype.

    It must broadcast to the input's shape (a larger one would make more
    losses than inputs) and, like a class weight, is a constant of the loss.
    """
    weight = _constant_weight(_as_tensor(value, like), op, name)
    if not broadcasts_to(weight.shape, like.shape):
        raise RuntimeError(
            f"{op}: {name} of shape {weight.shape} does not broadcast to the input's shape {like.shape}"
        )
    return weight.to(like.dtype)


def _constant_weight(weight: W, op: str, name: str) -> W:
    """`weight` itself, refused if it requires grad: the losses give no gradient for it (as PyTorch)."""
    if isinstance(weight, Tensor) and weight.requires_grad and is_recording():
        raise RuntimeError(
            f"{op} is not differentiable with respect to {name}, so {name} cannot require grad "
            f"(pass {name}.detach())"
        )
    return weight


def _warn_shapes(op: str, input: Tensor, target: Tensor) -> None:
    if input.shape != target.shape:
        warn(
            f"{op}: using a target size {target.shape} that is different to the input size "
            f"{input.shape}. This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size."
        )


# ---------------------------------------------------------------- regression losses


def _sample_weighted(loss: Tensor, weight: object, input: Tensor, reduction: str) -> Tensor:
    """Reduce `loss`, each element multiplied by `weight` (the input's shape) when one is given.

    The weighted mean divides by the sum of the weights, as PyTorch's
    mse_loss and l1_loss do, so equal weights give the unweighted mean.
    """
    if weight is None:
        return _reduce(loss, reduction)
    weight = _as_tensor(weight, input)
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    loss = loss * weight
    return loss.sum() / weight.sum() if reduction == "mean" else _reduce(loss, reduction)


def mse_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Squared error (x - y)^2 per element, times `weight` (the input's shape) if given."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    target = _as_tensor(target, input)
    _warn_shapes("mse_loss", input, target)
    dtype = result_type(input, target)
    if dtype.kind != "f":  # (PyTorch has no integer or bool kernel, for any reduction)
        raise NotImplementedError(f"\"mse_cpu\" not implemented for '{torch_name(dtype)}'")
    diff = input - target
    return _sample_weighted(diff * diff, weight, input, reduction)


def l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    weight: Tensor | None = None,
) -> Tensor:
    """Absolute error |x - y| per element, times `weight` (the input's shape) if given."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    target = _as_tensor(target, input)
    _warn_shapes("l1_loss", input, target)
    return _sample_weighted((input - target).abs(), weight, input, reduction)


def _huber(diff: Tensor, delta: float) -> Tensor:
    """d^2 / 2 where |d| < delta, else delta (|d| - delta / 2): the two pieces meet with equal slopes."""
    size = diff.abs()
    return where(size < delta, diff * diff * 0.5, (size - 0.5 * delta) * delta)


def _check_regression(op: str, input: Tensor, target: object, reduction: str) -> Tensor:
    """The checks the regression losses share; returns target as a Tensor."""
    _check_reduction(reduction)
    require_float(input.dtype, op)
    target = _as_tensor(target, input)
    _warn_shapes(op, input, target)
    return target


def huber_loss(
    input: Tensor,
    target: Tensor,
    reduction: str = "mean",
    delta: float = 1.0,
    weight: Tensor | None = None,
) -> Tensor:
    """Squared error near the target, absolute error far from it: with d = x - y,

        l = d^2 / 2 where |d| < delta, else delta (|d| - delta / 2)

    so the gradient is d, capped at +-delta: outliers pull no harder than delta.
    `weight` (the input's shape) multiplies each element's loss.
    """
    if delta <= 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta, got {delta}")
    target = _check_regression("huber_loss", input, target, reduction)
    loss = _huber(input - target, delta)
    if weight is not None:
        weight = _as_tensor(weight, input)
        if weight.shape != input.shape:
            raise ValueError(
                f"huber_loss: weight of shape {weight.shape} must have the input's shape {input.shape}"
            )
        loss = loss * weight
    return _reduce(loss, reduction)


def smooth_l1_loss(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """huber_loss / beta: with d = x - y, l = d^2 / (2 beta) where |d| < beta, else |d| - beta / 2.

    Far from the target this is the L1 loss, |d| shifted; beta = 0 is exactly L1.
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta, got {beta}")
    target = _check_regression("smooth_l1_loss", input, target, reduction)
    diff = input - target
    loss = diff.abs() if beta == 0 else _huber(diff, beta) / beta
    return _reduce(loss, reduction)


# ---------------------------------------------------------------- distributions


def kl_div(
    input: Tensor,
    target: Tensor,
    size_average: bool | None = None,
    reduce: bool | None = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """KL(target || model) per element, for log-probabilities input and probabilities target:

        l = y (log y - x),  or  l = e^y (y - x) with log_target=True (y given as log-probabilities)

    reduction="batchmean" divides the sum by the batch size (input.shape[0]):
    the KL divergence per sample. "mean" divides by the number of elements,
    which is not a KL divergence, and warns (unless it comes from the deprecated flags).
    """
    legacy = size_average is not None or reduce is not None
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, _REDUCTIONS + ("batchmean",))
    if reduction == "mean" and not legacy:
        warn(
            "kl_div: reduction='mean' divides the summed loss by the number of elements, which is not the "
            "KL divergence; reduction='batchmean' divides by the batch size and is. PyTorch plans to make "
            "'mean' behave as 'batchmean' in a future major release."
        )
    require_float(input.dtype, "kl_div")
    target = _as_tensor(target, input)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = target.xlogy(target) - target * input  # (0 log 0 = 0, PyTorch's own formula)
    if reduction == "batchmean":
        return loss.sum() / input.shape[0] if input.ndim else loss.sum()
    return _reduce(loss, reduction)
