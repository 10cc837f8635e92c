"""Instance normalization, `InstanceNorm1d` and `InstanceNorm2d`, and `F.instance_norm`.

Instance norm shifts and scales each channel of each example on its own, to
mean 0 and variance 1 over the channel's positions (an (N, C, *) input is
reduced over * only), then applies an optional learned scale and shift per
channel:

    y = (x - mean) / sqrt(var + eps) * weight + bias

It is batch norm (batchnorm.py) without the batch: an example's output never
depends on the rest of its batch, which suits style transfer, where each
image's contrast should be removed on its own. Unlike batch norm it has, by
default, neither weights (affine=False) nor running statistics
(track_running_stats=False). When asked to track them, each batch moves the
running mean and (unbiased) variance toward the average over the batch's
examples of their statistics, and evaluation then uses them, as in PyTorch.

Composed from Tensor operations, so gradients and second derivatives come
from those.
"""

from __future__ import annotations

import math
from typing import Any

from ..autograd.grad_mode import no_grad
from ..dtypes import require_float
from ..tensor import Tensor
from ..warning import warn
from .batchnorm import _BatchNorm
from .input_checks import check_same_dtype
from .normalization import scale_and_shift


def instance_norm(
    input: Tensor,
    running_mean: Tensor | None = None,
    running_var: Tensor | None = None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    use_input_stats: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each channel of each example: y = (x - mean) / sqrt(var + eps) * weight + bias.

    Shape: input (N, C, *) -> output the same; running_mean, running_var, weight, bias (C,).

    use_input_stats=True: mean and (biased) var of each (example, channel)
    over the positions *. The running statistics, when given, move in place,
    without gradient, toward the batch average of these: r <- (1 - momentum) r
    + momentum * mean_n s_n (s the mean, or the unbiased variance).
    use_input_stats=False: mean and var are running_mean and running_var.
    """
    _check_instance_norm(input, running_mean, running_var, weight, bias, use_input_stats)
    positions = tuple(range(2, input.ndim))
    shape = (1, -1) + (1,) * (input.ndim - 2)  # a per-channel (C,) vector, broadcast over (N, C, *)
    if use_input_stats:
        mean = input.mean(positions, keepdim=True)
        var = input.var(positions, correction=0, keepdim=True)
        if running_mean is not None and running_var is not None:
            m = math.prod(input.shape[2:])
            with no_grad():
                batch_mean = mean.reshape(input.shape[:2]).mean(0)
                batch_var = (var.reshape(input.shape[:2]) * (m / (m - 1))).mean(0)
                running_mean.mul_(1 - momentum).add_(batch_mean, alpha=momentum)
                running_var.mul_(1 - momentum).add_(batch_var, alpha=momentum)
    else:
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)  # type: ignore[union-attr]
    return scale_and_shift((input - mean) / (var + eps).sqrt(), weight, bias, shape)


def _check_instance_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None,
    bias: Tensor | None,
    use_input_stats: bool,
) -> None:
    """PyTorch's checks, in its order; nothing has changed when one fails."""
    if use_input_stats and math.prod(input.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {input.shape}")
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    if not use_input_stats and running_mean is None:
        raise RuntimeError(
            "Expected running_mean and running_var to be defined when use_input_stats is false"
        )
    named = [("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)]
    for name, tensor in named:
        if tensor is not None and tensor.numel() != input.shape[1]:
            raise RuntimeError(
                f"instance_norm: {name} should contain {input.shape[1]} elements (one per channel of the "
                f"input of shape {input.shape}) not {tensor.numel()}"
            )
    require_float(input.dtype, "instance_norm")
    check_same_dtype("instance_norm", input, named)


# ---------------------------------------------------------------- layers


class _InstanceNorm(_BatchNorm):
    """What InstanceNorm1d and InstanceNorm2d share.

    The parameters and buffers are batch norm's (weight, bias, running_mean,
    running_var, num_batches_tracked; PyTorch's layers share them too), with
    other defaults; num_batches_tracked is registered but never counts, as in PyTorch.
    """

    _batched_ndim = 0  # the rank of a batched input: 3 for 1d, 4 for 2d

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def _check_input_dim(self, input: Tensor) -> None:
        if input.ndim not in (self._batched_ndim - 1, self._batched_ndim):
            raise ValueError(
                f"expected {self._batched_ndim - 1}D or {self._batched_ndim}D input (got {input.ndim}D input)"
            )

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        channel_dim = input.ndim - (self._batched_ndim - 1)  # 1, or 0 for an unbatched input
        if input.shape[channel_dim] != self.num_features:
            if self.affine:
                raise ValueError(
                    f"expected input's size at dim={channel_dim} to match num_features "
                    f"({self.num_features}), but got: {input.shape[channel_dim]}."
                )
            warn(
                f"input's size at dim={channel_dim} does not match num_features. You can silence this "
                "warning by not passing in num_features, which is not used because affine=False"
            )
        batch = input if channel_dim == 1 else input.unsqueeze(0)
        out = instance_norm(
            batch,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            self.training or not self.track_running_stats,
            self.momentum if self.momentum is not None else 0.0,
            self.eps,
        )
        return out if channel_dim == 1 else out.squeeze(0)


class InstanceNorm1d(_InstanceNorm):
    """Instance normalization of (N, C, L) sequences, per example and channel; see `F.instance_norm`.

    Shape:
        input (N, C, L) or (C, L), C = num_features -> output the same shape

    Attributes:
        weight: (num_features,), initially ones; None unless affine=True
        bias: (num_features,), initially zeros; None unless affine=True (and bias=True)
        running_mean, running_var, num_batches_tracked: buffers, as in BatchNorm1d;
            None unless track_running_stats=True
    """

    _batched_ndim = 3


class InstanceNorm2d(_InstanceNorm):
    """Instance normalization of (N, C, H, W) images, per example and channel; see `F.instance_norm`.

    Shape:
        input (N, C, H, W) or (C, H, W), C = num_features -> output the same shape

    Attributes:
        weight: (num_features,), initially ones; None unless affine=True
        bias: (num_features,), initially zeros; None unless affine=True (and bias=True)
        running_mean, running_var, num_batches_tracked: buffers, as in BatchNorm2d;
            None unless track_running_stats=True
    """

    _batched_ndim = 4
