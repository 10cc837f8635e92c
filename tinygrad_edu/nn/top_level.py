"""PyTorch's top-level forms of the network functions: `tg.conv2d`, `tg.dropout`, `tg.layer_norm`, ...

PyTorch exposes many of its `torch.nn.functional` functions a second time at
the top level (``torch.conv2d``, ``torch.max_pool2d``, ...), and code written
for PyTorch calls them. Where the two forms are the same function in PyTorch
(conv*, conv_transpose*, avg_pool1d, adaptive_avg_pool1d, bilinear, prelu,
hardshrink and the shuffles), this module re-exports `F`'s. The others are
thin wrappers over `F`, because the top-level signature differs:

- no ``inplace=``: the in-place form has its own name (``dropout_``, ``celu_``, ...);
- dropout's ``p`` and ``train`` are required (``dropout(input, p, train)``),
  and a ``p`` outside [0, 1] is a RuntimeError, not F's ValueError;
- ``embedding(weight, indices, padding_idx=-1, ...)`` takes the table first,
  and any negative ``padding_idx`` means none (F counts it from the end);
- ``batch_norm`` and ``instance_norm`` take weight and bias before the running
  statistics, and every argument is required (``cudnn_enabled`` included);
- ``layer_norm``, ``group_norm`` end in a ``cudnn_enable(d)`` flag, which is
  accepted and ignored (there is no cuDNN here); ``normalized_shape`` must be
  a sequence, not an int;
- the max poolings have no ``return_indices`` (``max_pool1d_with_indices`` and
  ``adaptive_max_pool1d`` always return (values, indices)), and an empty
  ``stride`` (their default) means the kernel size;
- ``constant_pad_nd(input, pad, value=0)`` is ``F.pad`` in constant mode,
  ``rsub(input, other, alpha=1)`` is ``other - alpha * input``, and ``scalar_tensor(s)`` a
  0-d tensor of the default dtype.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from ..factories import tensor
from ..tensor import Tensor, _times
from . import functional as F
from .dropout import _feature_dropout
from .functional import (
    adaptive_avg_pool1d,
    avg_pool1d,
    bilinear,
    celu_,
    channel_shuffle,
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    hardshrink,
    pixel_shuffle,
    pixel_unshuffle,
    prelu,
    selu_,
    threshold_,
)

IntOrInts = int | Sequence[int]

# ---------------------------------------------------------------- pooling


def _stride(stride: IntOrInts | None) -> IntOrInts | None:
    """PyTorch's default stride is an empty list, which (like None) means the kernel size."""
    return None if stride is None or (not isinstance(stride, int) and len(stride) == 0) else stride


def max_pool1d(
    input: Tensor,
    kernel_size: IntOrInts,
    stride: IntOrInts = (),
    padding: IntOrInts = 0,
    dilation: IntOrInts = 1,
    ceil_mode: bool = False,
) -> Tensor:
    """F.max_pool1d without return_indices (see max_pool1d_with_indices)."""
    return F.max_pool1d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)  # type: ignore[return-value]


def max_pool2d(
    input: Tensor,
    kernel_size: IntOrInts,
    stride: IntOrInts = (),
    padding: IntOrInts = 0,
    dilation: IntOrInts = 1,
    ceil_mode: bool = False,
) -> Tensor:
    """F.max_pool2d without return_indices."""
    return F.max_pool2d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)  # type: ignore[return-value]


def max_pool3d(
    input: Tensor,
    kernel_size: IntOrInts,
    stride: IntOrInts = (),
    padding: IntOrInts = 0,
    dilation: IntOrInts = 1,
    ceil_mode: bool = False,
) -> Tensor:
    """F.max_pool3d without return_indices."""
    return F.max_pool3d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)  # type: ignore[return-value]


def max_pool1d_with_indices(
    input: Tensor,
    kernel_size: IntOrInts,
    stride: IntOrInts = (),
    padding: IntOrInts = 0,
    dilation: IntOrInts = 1,
    ceil_mode: bool = False,
) -> tuple[Tensor, Tensor]:
    """F.max_pool1d(..., return_indices=True): (values, int64 indices into the length dim)."""
    return F.max_pool1d(
        input, kernel_size, _stride(stride), padding, dilation, ceil_mode, return_indices=True
    )  # type: ignore[return-value]


def adaptive_max_pool1d(input: Tensor, output_size: IntOrInts) -> tuple[Tensor, Tensor]:
    """F.adaptive_max_pool1d(..., return_indices=True): the top-level form always returns both."""
    return F.adaptive_max_pool1d(input, output_size, return_indices=True)  # type: ignore[return-value]


# ---------------------------------------------------------------- dropout


def _check_p(p: float) -> None:
    """The top-level forms refuse a bad p with a RuntimeError, even when not training (F: ValueError)."""
    if p < 0.0 or p > 1.0:
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")


def dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """F.dropout(input, p, training=train)."""
    _check_p(p)
    return F.dropout(input, p, train)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """dropout, written into input."""
    _check_p(p)
    return F.dropout(input, p, train, inplace=True)


def alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """F.alpha_dropout(input, p, training=train)."""
    _check_p(p)
    return F.alpha_dropout(input, p, train)


def alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """alpha_dropout, written into input."""
    _check_p(p)
    return F.alpha_dropout(input, p, train, inplace=True)


def feature_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """Channel dropout of an (N, C, *) input of any rank: one draw per (N, C), as F.dropout2d of 4-d."""
    _check_p(p)
    return _feature_dropout(input, p, train, False, "feature_dropout", batched=True)


def feature_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """feature_dropout, written into input."""
    _check_p(p)
    return _feature_dropout(input, p, train, True, "feature_dropout", batched=True)


def feature_alpha_dropout(input: Tensor, p: float, train: bool) -> Tensor:
    """F.feature_alpha_dropout(input, p, training=train)."""
    _check_p(p)
    return F.feature_alpha_dropout(input, p, train)


def feature_alpha_dropout_(input: Tensor, p: float, train: bool) -> Tensor:
    """feature_alpha_dropout, written into input."""
    _check_p(p)
    return F.feature_alpha_dropout(input, p, train, inplace=True)


# ---------------------------------------------------------------- embedding and normalization


def embedding(
    weight: Tensor,
    indices: Tensor,
    padding_idx: int = -1,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """F.embedding(indices, weight, ...): the table comes first here.

    padding_idx only stops the gradient of that row. A negative one, or one
    past the table (no index can equal it), means no padding row.
    """
    padding = padding_idx if 0 <= padding_idx < weight.shape[0] else None
    return F.embedding(indices, weight, padding, scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def _check_shape_is_sequence(op: str, normalized_shape: Any) -> None:
    if isinstance(normalized_shape, int):
        raise TypeError(f"{op}(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")


def layer_norm(
    input: Tensor,
    normalized_shape: Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
    cudnn_enable: bool = True,
) -> Tensor:
    """F.layer_norm; cudnn_enable is accepted and ignored."""
    _check_shape_is_sequence("layer_norm", normalized_shape)
    return F.layer_norm(input, normalized_shape, weight, bias, eps)


def rms_norm(
    input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None, eps: float | None = None
) -> Tensor:
    """F.rms_norm, with normalized_shape a sequence."""
    _check_shape_is_sequence("rms_norm", normalized_shape)
    return F.rms_norm(input, normalized_shape, weight, eps)


def group_norm(
    input: Tensor,
    num_groups: int,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
    cudnn_enabled: bool = True,
) -> Tensor:
    """F.group_norm; cudnn_enabled is accepted and ignored."""
    return F.group_norm(input, num_groups, weight, bias, eps)


def batch_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    training: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool,
) -> Tensor:
    """F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)."""
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(
    input: Tensor,
    weight: Tensor | None,
    bias: Tensor | None,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    use_input_stats: bool,
    momentum: float,
    eps: float,
    cudnn_enabled: bool,
) -> Tensor:
    """F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)."""
    return F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)


# ---------------------------------------------------------------- activations


def celu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """F.celu without inplace (celu_ is the in-place form)."""
    return F.celu(input, alpha)


def selu(input: Tensor) -> Tensor:
    """F.selu without inplace (selu_ is the in-place form)."""
    return F.selu(input)


def threshold(input: Tensor, threshold: float, value: float) -> Tensor:
    """F.threshold without inplace (threshold_ is the in-place form)."""
    return F.threshold(input, threshold, value)


def _no_generator(generator: object) -> None:
    # NOTE: F.rrelu draws from the global generator only; tg.manual_seed makes it reproducible
    if generator is not None:
        raise NotImplementedError("rrelu: generator= is not supported; seed with tg.manual_seed instead")


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    generator: Any = None,
) -> Tensor:
    """F.rrelu without inplace (rrelu_ is the in-place form)."""
    _no_generator(generator)
    return F.rrelu(input, lower, upper, training)


def rrelu_(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    generator: Any = None,
) -> Tensor:
    """F.rrelu_: rrelu written into input."""
    _no_generator(generator)
    return F.rrelu_(input, lower, upper, training)


# ---------------------------------------------------------------- small tensor functions


def constant_pad_nd(input: Tensor, pad: Sequence[int], value: float = 0) -> Tensor:
    """F.pad(input, pad, "constant", value): pad[0], pad[1] pad the last dim, the next pair the one before."""
    return F.pad(input, pad, "constant", value)


def rsub(input: Tensor, other: Tensor | float, alpha: float = 1) -> Tensor:
    """other - alpha * input (sub with its operands swapped).

    (torch takes alpha only by keyword when other is a Tensor; here it is also accepted by position.)
    """
    return other - _times(other, input, alpha)


def scalar_tensor(
    s: float | Tensor,
    *,
    dtype: Any = None,
    layout: Any = None,
    device: Any = None,
    pin_memory: bool | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """The number s as a 0-d tensor of `dtype`, by default the default float dtype (even for an int s).

    A 0-d tensor counts as a number; layout and pin_memory are accepted and ignored.
    """
    if isinstance(s, Tensor):
        if s.ndim != 0:
            raise TypeError("scalar_tensor(): argument 's' (position 1) must be Number, not Tensor")
        s = s.item()
    dtype = get_default_dtype() if dtype is None else dtype
    return tensor(np.asarray(s).astype(dtype), dtype=dtype, device=device, requires_grad=requires_grad)


__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "alpha_dropout",
    "alpha_dropout_",
    "avg_pool1d",
    "batch_norm",
    "bilinear",
    "celu",
    "celu_",
    "channel_shuffle",
    "constant_pad_nd",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "dropout",
    "dropout_",
    "embedding",
    "feature_alpha_dropout",
    "feature_alpha_dropout_",
    "feature_dropout",
    "feature_dropout_",
    "group_norm",
    "hardshrink",
    "instance_norm",
    "layer_norm",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool3d",
    "pixel_shuffle",
    "pixel_unshuffle",
    "prelu",
    "rms_norm",
    "rrelu",
    "rrelu_",
    "rsub",
    "scalar_tensor",
    "selu",
    "selu_",
    "threshold",
    "threshold_",
]
