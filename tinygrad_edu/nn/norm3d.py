"""Normalization of volumes: `BatchNorm3d` and `InstanceNorm3d`.

They are the 2-d layers (batchnorm.py, instancenorm.py) for (N, C, D, H, W)
inputs: batch norm takes each channel's statistics over the batch and all
D*H*W positions, instance norm over each example's positions alone. The
functions, `F.batch_norm` and `F.instance_norm`, already take any (N, C, *)
input; the layers differ from the 2-d ones only in the ranks they accept.
"""

from __future__ import annotations

from ..tensor import Tensor
from .batchnorm import _BatchNorm
from .instancenorm import _InstanceNorm


class BatchNorm3d(_BatchNorm):
    """Batch normalization of (N, C, D, H, W) volumes, per channel C; see `F.batch_norm`.

    Shape:
        input (N, C, D, H, W), C = num_features -> output the same shape

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
        if input.ndim != 5:
            raise ValueError(f"expected 5D input (got {input.ndim}D input)")


class InstanceNorm3d(_InstanceNorm):
    """Instance normalization of (N, C, D, H, W) volumes, per example and channel; see `F.instance_norm`.

    Shape:
        input (N, C, D, H, W) or (C, D, H, W), C = num_features -> output the same shape

    Attributes:
        weight: (num_features,), initially ones; None unless affine=True
        bias: (num_features,), initially zeros; None unless affine=True (and bias=True)
        running_mean, running_var, num_batches_tracked: buffers, as in BatchNorm3d;
            None unless track_running_stats=True
    """

    _batched_ndim = 5
