"""Batch normalization layers, `BatchNorm1d` and `BatchNorm2d`, and their function.

Batch norm shifts and scales each channel (dim 1) to mean 0 and variance 1,
with statistics taken over the batch and every position ((N, C, *) is
reduced over N and *), then applies a learned scale and shift per channel:

    y = (x - mean) / sqrt(var + eps) * weight + bias

It also keeps running averages of the batch statistics while it trains, and
uses those instead once it evaluates (``model.eval()``), so that an
example's output no longer depends on the rest of its batch. As in PyTorch,
the output uses the biased variance (divided by m, the number of values per
channel), while the running variance is fed the unbiased one (divided by
m - 1). The normalizations of one example at a time, layer norm and group
norm, are in normalization.py.

It is composed from Tensor operations (mean, var, sqrt, ...), so its
gradients, and second derivatives, come from those.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.grad_mode import no_grad
from ..dtypes import get_default_dtype
from ..tensor import Tensor, check_device
from .input_checks import check_same_dtype
from .module import Module
from .normalization import affine_parameters, reset_affine, scale_and_shift


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each channel (dim 1): y = (x - mean) / sqrt(var + eps) * weight + bias.

    Shape: input (N, C, *) -> output (N, C, *); running_mean, running_var, weight, bias (C,).

    training=True: mean and var are the batch's, over every dim but 1 (var
    biased). The running statistics, when given, move toward them in place,
    without gradient:  r <- (1 - momentum) r + momentum * s, where s is the
    batch mean, or the unbiased batch variance (m / (m - 1) times the biased
    one, m = N * prod(*)).
    training=False: mean and var are running_mean and running_var.
    """
    _check_batch_norm(input, running_mean, running_var, weight, bias, training)
    dims = (0, *range(2, input.ndim))
    shape = (1, -1) + (1,) * (input.ndim - 2)  # a per-channel (C,) vector, broadcast over (N, C, *)
    if training:
        mean = input.mean(dims, keepdim=True)
        var = input.var(dims, correction=0, keepdim=True)
        if running_mean is not None and running_var is not None:
            m = input.numel() // input.shape[1]
            with no_grad():
                running_mean.mul_(1 - momentum).add_(mean.reshape(-1), alpha=momentum)
                running_var.mul_(1 - momentum).add_(var.reshape(-1) * (m / (m - 1)), alpha=momentum)
    else:
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)  # type: ignore[union-attr]
    return scale_and_shift((input - mean) / (var + eps).sqrt(), weight, bias, shape)


def _check_batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None,
    bias: Tensor | None,
    training: bool,
) -> None:
    """PyTorch's checks, with its messages; nothing has changed when one fails."""
    if input.ndim < 2:
        raise RuntimeError(
            f"batch_norm: expected an input of shape (N, C, *), but got input of size {list(input.shape)}"
        )
    if training and input.numel() // input.shape[1] <= 1:
        raise ValueError(
            f"Expected more than 1 value per channel when training, got input size {tuple(input.shape)}"
        )
    if not training:
        for name, stat in [("running_mean", running_mean), ("running_var", running_var)]:
            if stat is None:
                raise RuntimeError(f"{name} must be defined in evaluation mode")
    channels = input.shape[1]
    named = [("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)]
    for name, tensor in named:
        if tensor is not None and tensor.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {tensor.numel()}")
    check_same_dtype("batch_norm", input, named)


# ---------------------------------------------------------------- layers


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ only in the input dims they accept."""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        check_device(device)
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = np.dtype(dtype or get_default_dtype())
        affine_parameters(self, (num_features,), dtype, affine, bias)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype=dtype)))
            self.register_buffer("running_var", Tensor(np.ones(num_features, dtype=dtype)))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """running_mean to 0, running_var to 1, num_batches_tracked to 0."""
        if self.track_running_stats:
            with no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """The running statistics reset, weight to ones and bias to zeros."""
        self.reset_running_stats()
        reset_affine(self)

    def _check_input_dim(self, input: Tensor) -> None:
        raise NotImplementedError

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        # Batch statistics while training, and in eval mode too when there are no running ones.
        use_batch = self.training or self.running_mean is None
        # The running statistics are updated while training, and read in eval mode.
        update = self.training and self.track_running_stats
        running_mean = self.running_mean if update or not self.training else None
        running_var = self.running_var if update or not self.training else None
        _check_batch_norm(input, running_mean, running_var, self.weight, self.bias, use_batch)
        factor = 0.0 if self.momentum is None else self.momentum
        if update:
            with no_grad():
                self.num_batches_tracked.add_(1)
            if self.momentum is None:  # a cumulative average: the k-th batch gets weight 1/k
                factor = 1.0 / float(self.num_batches_tracked.item())
        return batch_norm(
            input, running_mean, running_var, self.weight, self.bias, use_batch, factor, self.eps
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalization of (N, C) features or (N, C, L) sequences, per channel C; see `F.batch_norm`.

    Shape:
        input (N, C) or (N, C, L), C = num_features -> output the same shape

    Attributes:
        weight: (num_features,), initially ones; None when affine=False
        bias: (num_features,), initially zeros; None when affine=False or bias=False
        running_mean: buffer (num_features,), initially zeros
        running_var: buffer (num_features,), initially ones
        num_batches_tracked: buffer, a 0-d int64 count of the training batches seen
        (the three buffers are None when track_running_stats=False)

    Training: normalizes with the batch's mean and (biased) variance per
    channel, and moves the running statistics toward them:
    r <- (1 - momentum) r + momentum * s (the unbiased variance for
    running_var; momentum=None: the plain average of all batches so far).
    Evaluation (``.eval()``): normalizes with the running statistics.
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim not in (2, 3):
            raise ValueError(f"expected 2D or 3D input (got {input.ndim}D input)")


class BatchNorm2d(_BatchNorm):
    """Batch normalization of (N, C, H, W) images, per channel C; see `F.batch_norm`.

    Shape:
        input (N, C, H, W), C = num_features -> output the same shape

    Attributes:
        weight: (num_features,), initially ones; None when affine=False
        bias: (num_features,), initially zeros; None when affine=False or bias=False
        running_mean: buffer (num_features,), initially zeros
        running_var: buffer (num_features,), initially ones
        num_batches_tracked: buffer, a 0-d int64 count of the training batches seen
        (the three buffers are None when track_running_stats=False)

    Training: normalizes with the batch's mean and (biased) variance per
    channel, and moves the running statistics toward them:
    r <- (1 - momentum) r + momentum * s (the unbiased variance for
    running_var; momentum=None: the plain average of all batches so far).
    Evaluation (``.eval()``): normalizes with the running statistics.
    """

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim != 4:
            raise ValueError(f"expected 4D input (got {input.ndim}D input)")
