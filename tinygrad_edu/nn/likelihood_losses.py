"""Negative log-likelihood losses of two distributions: `poisson_nll_loss` and `gaussian_nll_loss`.

A model that predicts a distribution's parameters, rather than a value, is
trained by making the observed targets likely under it:

- Poisson (counts y, predicted rate r): -log P(y | r) = r - y log r + log(y!);
  the input is log r by default (``log_input=True``), so the loss is
  e^x - y x, convex in x and with no log of 0.
- Gaussian (targets y, predicted mean x and variance v):
  -log p(y | x, v) = (log v + (x - y)^2 / v) / 2 + log(2 pi) / 2.

Functions (re-exported by `functional`) and their loss modules; composed from
Tensor operations, so differentiable twice.
"""

from __future__ import annotations

import math

import numpy as np

from ..dtypes import require_float
from ..ops.broadcast import broadcast_shape
from ..ops.elementwise import where
from ..tensor import Tensor

# (loss.py imports functional, which imports this module: loss.py's names are only used in the classes)
from .loss import _Loss
from .loss_functions import _as_tensor, _check_reduction, _legacy_reduction, _reduce


def poisson_nll_loss(
    input: Tensor,
    target: Tensor,
    log_input: bool = True,
    full: bool = False,
    size_average: bool | None = None,
    eps: float = 1e-8,
    reduce: bool | None = None,
    reduction: str = "mean",
) -> Tensor:
    """The Poisson negative log-likelihood of counts y (target) under a predicted rate, per element:

        log_input=True:   l = e^x - y x            (x = log of the rate)
        log_input=False:  l = x - y log(x + eps)   (x = the rate itself)

    full=True adds Stirling's approximation of log(y!),
    y log y - y + log(2 pi y) / 2, where y > 1 (0 elsewhere, as in PyTorch).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    require_float(input.dtype, "poisson_nll_loss")
    target = _as_tensor(target, input)
    broadcast_shape(input.shape, target.shape, op="poisson_nll_loss")
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        counted = target > 1
        y = where(counted, target, 2.0)  # NOTE: log never sees y <= 1 (log 0 would give a nan gradient)
        stirling = y * y.log() - y + (y * (2 * math.pi)).log() * 0.5
        loss = loss + where(counted, stirling, 0.0)
    return _reduce(loss, reduction)


def _gaussian_variance(var: Tensor | float, input: Tensor) -> Tensor:
    """var checked and shaped to broadcast with input, as PyTorch's gaussian_nll_loss does."""
    if not isinstance(var, Tensor):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        return Tensor._wrap(np.full(input.shape, var, dtype=input.dtype))
    if np.any(var.data < 0):
        raise ValueError("var has negative entry/entries")
    if var.shape == input.shape:  # one variance per prediction (heteroscedastic)
        return var
    if var.shape == input.shape[:-1]:  # one per sample, shared by its last dim (homoscedastic)
        return var.unsqueeze(-1)
    mismatched = [v for x, v in zip(input.shape, var.shape) if x != v]
    if var.ndim == input.ndim and sum(mismatched) == 1:  # a single dim of size 1, broadcast
        return var
    raise ValueError(
        f"var is of incorrect size: var of shape {var.shape} for input of shape {input.shape} "
        "(give the input's shape, its shape without the last dim, or its shape with one dim of size 1)"
    )


def gaussian_nll_loss(
    input: Tensor,
    target: Tensor,
    var: Tensor | float,
    full: bool = False,
    eps: float = 1e-6,
    reduction: str = "mean",
) -> Tensor:
    """The Gaussian negative log-likelihood of target under mean input and variance var, per element:

        l = (log(max(var, eps)) + (input - target)^2 / max(var, eps)) / 2   (+ log(2 pi) / 2 with full=True)

    var: a Tensor of the input's shape, of its shape without the last dim, or
    with one dim of size 1; or a number. Negative variances are refused.
    NOTE: as in PyTorch, clamping var at eps is invisible to the gradient:
    where var < eps, d l / d var is the slope at eps, not the clamp's 0, so a
    variance that fell below eps is still pushed back up.
    """
    require_float(input.dtype, "gaussian_nll_loss")
    var = _gaussian_variance(var, input)
    _check_reduction(reduction)
    target = _as_tensor(target, input)
    broadcast_shape(input.shape, target.shape, var.shape, op="gaussian_nll_loss")
    fixed = var.detach()
    var = fixed.clamp(min=eps) + (var - fixed) if var.requires_grad else var.clamp(min=eps)
    loss = (var.log() + (input - target) ** 2 / var) * 0.5
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


# ---------------------------------------------------------------- loss modules


class PoissonNLLLoss(_Loss):
    """e^x - y x for log-rates x (x - y log(x + eps) with log_input=False).  Shape: (*), (*) -> scalar."""

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average: bool | None = None,
        eps: float = 1e-8,
        reduce: bool | None = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Tensor, target: Tensor) -> Tensor:
        return poisson_nll_loss(
            log_input,
            target,
            log_input=self.log_input,
            full=self.full,
            eps=self.eps,
            reduction=self.reduction,
        )


class GaussianNLLLoss(_Loss):
    """(log v + (x - y)^2 / v) / 2 for predicted means x and variances v.

    Shape: input (N, *), target (N, *), var (N, *), (N, *) with one dim 1, or
    (N, *) without the last dim -> scalar, or (N, *) for "none".
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Tensor, target: Tensor, var: Tensor | float) -> Tensor:
        return gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)
