"""Stateless functions behind the layers and losses (PyTorch's `torch.nn.functional`).

Everything here is composed from Tensor operations, so it is differentiable
twice, too. The losses live in `loss_functions`, `classification_losses`,
`margin_losses`, `multi_margin_losses` and `likelihood_losses`, `pad` in
`padding`, `interpolate` in `upsampling`, `grid_sample` and `affine_grid` in
`grid_sampling`, `ctc_loss` in `ctc_loss`, `triplet_margin_with_distance_loss`
in `distance_losses`, `embedding_bag` in `embedding_bag`, more activations in
`extra_activations`, `rrelu` and `softmax_variants`, the channel dropouts in
`dropout`, `pdist` in `pairwise_distances`, and the functions of the layers
in `conv`, `conv_transpose`, `conv3d`, `bilinear`, `shuffle`, `pooling`,
`pooling1d`, `pooling3d`, `lp_pooling`, `unpooling`, `adaptive_pooling`,
`adaptive_pooling3d`, `fractional_pooling`, `unpooling3d`, `dropout3d`,
`batchnorm`, `instancenorm`,
`normalization`, `rmsnorm`, `local_response_norm`, `sparse`, `attention` and
`multihead_attention`; all are re-exported here, where PyTorch has them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..dtypes import require_float, type_name
from ..ops import linalg
from ..ops.broadcast import broadcast_shape
from ..ops.conv import fold, unfold
from ..ops.elementwise import where
from ..random import default_generator
from ..tensor import Tensor
from ..warning import warn
from .adaptive_pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
)
from .attention import scaled_dot_product_attention
from .batchnorm import batch_norm
from .bilinear import bilinear
from .classification_losses import (
    BinaryCrossEntropy,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    nll_loss,
)
from .conv import conv1d, conv2d
from .conv_transpose import conv_transpose1d, conv_transpose2d
from .ctc_loss import ctc_loss
from .distance_losses import triplet_margin_with_distance_loss
from .dropout import alpha_dropout, dropout1d, dropout2d, feature_alpha_dropout
from .embedding_bag import embedding_bag
from .extra_activations import glu, hardshrink, softmin, softshrink, tanhshrink, threshold, threshold_
from .grid_sampling import affine_grid, grid_sample
from .input_checks import check_input_weight_bias
from .instancenorm import instance_norm
from .likelihood_losses import gaussian_nll_loss, poisson_nll_loss
from .local_response_norm import local_response_norm
from .loss_functions import huber_loss, kl_div, l1_loss, mse_loss, smooth_l1_loss
from .lp_pooling import lp_pool1d, lp_pool2d, lp_pool3d
from .margin_losses import (
    cosine_embedding_loss,
    hinge_embedding_loss,
    margin_ranking_loss,
    multilabel_soft_margin_loss,
    soft_margin_loss,
    triplet_margin_loss,
)
from .multi_margin_losses import multi_margin_loss, multilabel_margin_loss
from .multihead_attention import multi_head_attention_forward
from .normalization import group_norm, layer_norm
from .padding import pad
from .pairwise_distances import pdist
from .pooling import avg_pool2d, max_pool2d
from .pooling1d import avg_pool1d, max_pool1d
from .rmsnorm import rms_norm
from .rrelu import rrelu, rrelu_
from .shuffle import channel_shuffle, pixel_shuffle, pixel_unshuffle
from .softmax_variants import gumbel_softmax
from .sparse import embedding
from .unpooling import max_unpool1d, max_unpool2d
from .upsampling import interpolate

if TYPE_CHECKING:
    from numpy.typing import DTypeLike
from .adaptive_pooling3d import adaptive_avg_pool3d, adaptive_max_pool3d
from .conv3d import conv3d, conv_transpose3d
from .dropout3d import dropout3d
from .fractional_pooling import fractional_max_pool2d, fractional_max_pool3d
from .pooling3d import avg_pool3d, max_pool3d
from .unpooling3d import max_unpool3d

__all__ = [
    "BinaryCrossEntropy",
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "affine_grid",
    "alpha_dropout",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "batch_norm",
    "bilinear",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "celu",
    "celu_",
    "channel_shuffle",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "cosine_embedding_loss",
    "cosine_similarity",
    "cross_entropy",
    "ctc_loss",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "elu",
    "elu_",
    "embedding",
    "embedding_bag",
    "feature_alpha_dropout",
    "fold",
    "fractional_max_pool2d",
    "fractional_max_pool3d",
    "gaussian_nll_loss",
    "gelu",
    "glu",
    "grid_sample",
    "group_norm",
    "gumbel_softmax",
    "hardshrink",
    "hardsigmoid",
    "hardswish",
    "hardtanh",
    "hardtanh_",
    "hinge_embedding_loss",
    "huber_loss",
    "instance_norm",
    "interpolate",
    "kl_div",
    "l1_loss",
    "layer_norm",
    "leaky_relu",
    "leaky_relu_",
    "linear",
    "local_response_norm",
    "log_softmax",
    "logsigmoid",
    "lp_pool1d",
    "lp_pool2d",
    "lp_pool3d",
    "margin_ranking_loss",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_unpool1d",
    "max_unpool2d",
    "max_unpool3d",
    "mish",
    "mse_loss",
    "multi_head_attention_forward",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "nll_loss",
    "normalize",
    "one_hot",
    "pad",
    "pairwise_distance",
    "pdist",
    "pixel_shuffle",
    "pixel_unshuffle",
    "poisson_nll_loss",
    "prelu",
    "relu",
    "relu6",
    "relu_",
    "rms_norm",
    "rrelu",
    "rrelu_",
    "scaled_dot_product_attention",
    "selu",
    "selu_",
    "sigmoid",
    "silu",
    "smooth_l1_loss",
    "soft_margin_loss",
    "softmax",
    "softmin",
    "softplus",
    "softshrink",
    "softsign",
    "tanh",
    "tanhshrink",
    "threshold",
    "threshold_",
    "triplet_margin_loss",
    "triplet_margin_with_distance_loss",
    "unfold",
]

# ---------------------------------------------------------------- activations


def _in_place(input: Tensor, op: Callable[[Tensor], Tensor]) -> Tensor:
    """`op(input)` written into `input`'s memory (``inplace=True``); input becomes the result.

    It goes through the in-place operators' machinery, `Tensor._inplace`, and
    its rules: a leaf that requires grad cannot change, and a backward that
    needed the old value raises.
    """
    return input._inplace(lambda t, _: op(t), None)


def _run(input: Tensor, op: Callable[[Tensor], Tensor], inplace: bool) -> Tensor:
    """`op(input)`, written into input's memory when inplace=True."""
    return _in_place(input, op) if inplace else op(input)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    return _run(input, Tensor.relu, inplace)


def relu_(input: Tensor) -> Tensor:
    """relu, in place."""
    return relu(input, inplace=True)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(beta x)) / beta, and x itself where beta x > threshold."""
    return input.softplus(beta, threshold)


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x)."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x)."""
    return input.tanh()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope * x."""
    return _run(input, lambda t: t.leaky_relu(negative_slope), inplace)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """leaky_relu, in place."""
    return leaky_relu(input, negative_slope, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF (approximate="tanh" for the tanh formula)."""
    return input.gelu(approximate)


def _exp_below_zero(x: Tensor, alpha: float, slope: float, op: str) -> Tensor:
    """x where x > 0, else alpha (e^(slope x) - 1): the shape of ELU, SELU and CELU.

    NOTE: the exponential only sees min(x, 0). e^x of a large x, on the branch
    that `where` throws away, would be inf, and its gradient 0 * inf = nan.
    At x = 0 the slope is alpha * slope, from the exponential side, as in PyTorch.
    """
    require_float(x.dtype, op)
    positive = x > 0
    below = where(positive, 0.0, x)
    return where(positive, x, (below * slope).expm1() * alpha)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha (e^x - 1)."""
    return _run(input, lambda t: _exp_below_zero(t, alpha, 1.0, "elu"), inplace)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """elu, in place."""
    return elu(input, alpha, inplace=True)


# SELU's constants (Klambauer et al., 2017): they keep activations at mean 0, variance 1
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha), with scale = 1.0507... and alpha = 1.6733... (self-normalising)."""
    return _run(input, lambda t: _exp_below_zero(t, _SELU_ALPHA, 1.0, "selu") * _SELU_SCALE, inplace)


def selu_(input: Tensor) -> Tensor:
    """selu, in place."""
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha (e^(x / alpha) - 1): an ELU whose slope is continuous at 0."""
    if alpha == 0:
        raise RuntimeError("celu: alpha cannot be 0 (CELU divides x by alpha)")
    return _run(input, lambda t: _exp_below_zero(t, alpha, 1.0 / alpha, "celu"), inplace)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """celu, in place."""
    return celu(input, alpha, inplace=True)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (also called swish)."""
    require_float(input.dtype, "silu")
    return _run(input, lambda t: t * t.sigmoid(), inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x)); softplus is linear past 20, so mish(1000) = 1000 without overflow."""
    require_float(input.dtype, "mish")
    return _run(input, lambda t: t * t.softplus().tanh(), inplace)


def _hardtanh(x: Tensor, min_val: float, max_val: float) -> Tensor:
    """x clamped to [min_val, max_val].

    NOTE: the slope is 0 at x = min_val and x = max_val, as in PyTorch's
    hardtanh (clamp's is 1 there), hence `where` rather than `clamp`.
    """
    if x.dtype.kind != "f":  # integers stay integers, as in PyTorch (they have no gradient)
        return x.clamp(min_val, max_val).to(x.dtype)
    return where(x <= min_val, min_val, where(x >= max_val, max_val, x))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """min_val where x < min_val, max_val where x > max_val, else x."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val cannot be greater than max_val, got {min_val} > {max_val}")
    return _run(input, lambda t: _hardtanh(t, min_val, max_val), inplace)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """hardtanh, in place."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6): hardtanh(x, 0, 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), so logsigmoid(-1000) = -1000, not log(0).

    NOTE: softplus with an infinite threshold is log(1 + e^z) computed exactly
    (NumPy's logaddexp), never replaced by z, and never overflowing.
    """
    require_float(input.dtype, "logsigmoid")
    return -(-input).softplus(1.0, math.inf)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|): like tanh, but its tails approach +-1 slowly (as 1/x)."""
    return input / (input.abs() + 1)


def _hardsigmoid(x: Tensor) -> Tensor:
    """0 for x <= -3, 1 for x >= 3, else x / 6 + 1/2; its slope is 0 at x = +-3, as in PyTorch."""
    require_float(x.dtype, "hardsigmoid")
    return where(x <= -3.0, 0.0, where(x >= 3.0, 1.0, (x + 3.0) / 6.0))


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6: a piecewise-linear sigmoid."""
    return _run(input, _hardsigmoid, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * hardsigmoid(x): a piecewise swish (x * sigmoid(x)); its slope is 0 at -3 and 1 at 3."""
    return _run(input, lambda t: t * _hardsigmoid(t), inplace)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else a x, with the slopes a = weight: one for all, or one per channel (dim 1).

    Shapes: input (N, C, *), weight (C,) or a single slope (1,) or ().
    dL/da_c = sum of x over the channel's elements with x <= 0.
    """
    require_float(input.dtype, "prelu")
    if weight.ndim > 1:
        raise RuntimeError(f"prelu: expected weight to be a scalar or 1-D tensor, got shape {weight.shape}")
    if weight.dtype != input.dtype:
        raise RuntimeError(f"prelu: weight of dtype {weight.dtype} does not match the input's {input.dtype}")
    if weight.numel() == 1:
        slope = weight.reshape(())
    else:
        if input.ndim == 0:
            raise RuntimeError(f"prelu: a 0-d input takes a single slope, got weight of shape {weight.shape}")
        channels = input.shape[1] if input.ndim > 1 else 1
        if channels != weight.numel():
            raise RuntimeError(
                f"prelu: Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                f"{weight.numel()} and channel size = {channels} (input of shape {input.shape})."
            )
        slope = weight.reshape(-1, *(1,) * (input.ndim - 2))  # (C, 1, ..., 1) lines up with dim 1
    return where(input > 0, input, input * slope)


def _implicit_dim(name: str, ndim: int) -> int:
    """PyTorch's deprecated guess of the dim when none is given (0 for 0-, 1- and 3-d input, else 1)."""
    warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument."
    )
    return 0 if ndim in (0, 1, 3) else 1


# `_stacklevel` is PyTorch's, for where its warning points; kept for its position only, since
# the library's warnings always point at the user's line (warning.py)


def softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DTypeLike | None = None
) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along dim (input cast to `dtype` first, if given)."""
    input = input if dtype is None else input.to(dtype)
    return input.softmax(_implicit_dim("softmax", input.ndim) if dim is None else dim)


def log_softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DTypeLike | None = None
) -> Tensor:
    """x_i - log(sum_j exp(x_j)) along dim, stable for large |x| (input cast to `dtype` first, if given)."""
    input = input if dtype is None else input.to(dtype)
    return input.log_softmax(_implicit_dim("log_softmax", input.ndim) if dim is None else dim)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p).

    The expectation is unchanged, so evaluation (training=False) is the identity.
    The mask comes from the global generator (see `tg.manual_seed`). An integer
    or bool tensor cannot hold the scaled values: a RuntimeError, as in PyTorch
    (which still allows p = 0 and p = 1, where nothing needs scaling).
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input

    def drop(t: Tensor) -> Tensor:  # the mask is drawn only once the in-place checks have passed
        if p == 1.0:
            return t * Tensor._wrap(np.zeros((), t.dtype))
        if t.dtype.kind != "f" and t.numel() > 0:
            torch_name = type_name(t.dtype).removeprefix("tinygrad_edu.").removesuffix("Tensor")
            raise RuntimeError(
                f"dropout: result type Float can't be cast to the desired output type {torch_name}"
            )
        keep = default_generator().random(t.shape) >= p
        return t * Tensor._wrap((keep / (1.0 - p)).astype(t.dtype))

    return _in_place(input, drop) if inplace else drop(input)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices (*,) as rows of 0s with a 1 at the class: (*, num_classes), int64.

    ``num_classes=-1`` takes the largest index + 1. No gradient (indices have none).
    """
    if tensor.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    classes = tensor.data
    if num_classes == -1:
        if classes.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(classes.max()) + 1
    if classes.size and classes.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if classes.size and classes.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._wrap((classes[..., None] == np.arange(num_classes)).astype(np.int64))


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x W^T + b.  Shapes: x (*, in), W (out, in), b (out,) -> y (*, out).

    One op in the graph (LinearBackward), like PyTorch's single addmm node.
    """
    check_input_weight_bias("linear", input, weight, bias)
    return linalg.linear(input, weight, bias)


# ---------------------------------------------------------------- distances


def normalize(input: Tensor, p: float = 2.0, dim: int | tuple[int, ...] = 1, eps: float = 1e-12) -> Tensor:
    """x / max(||x||_p, eps) along dim: vectors of length 1, and a zero vector stays zero.

    NOTE: at a zero vector the divisor is the constant eps, so the gradient
    there is upstream / eps (1e12 by default), as in PyTorch: large, not nan.
    """
    return input / input.norm(p, dim, keepdim=True).clamp(min=eps)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 x2) / (max(||x1||, eps) max(||x2||, eps)) along dim, after broadcasting x1 with x2.

    Each vector is divided by its own (clamped) length before the product, as
    PyTorch does, so the result stays in [-1, 1] and a zero vector gives 0.
    """
    if not isinstance(dim, int):
        raise TypeError(f"cosine_similarity(): argument 'dim' must be int, not {type(dim).__name__}")
    if eps < 0:
        raise RuntimeError(f"cosine_similarity: eps must be non-negative, got {eps}")
    if x1.dtype.kind != "f" and x2.dtype.kind != "f":
        raise RuntimeError(
            f"cosine_similarity: expected floating point tensors, got {x1.dtype} and {x2.dtype}"
        )
    if x1.dtype.kind != "f":  # an integer tensor beside a float one takes the float dtype
        x1 = x1.to(x2.dtype)
    if x2.dtype.kind != "f":
        x2 = x2.to(x1.dtype)
    shape = broadcast_shape(x1.shape, x2.shape, op="cosine_similarity")
    x1, x2 = x1.broadcast_to(shape), x2.broadcast_to(shape)
    unit1 = x1 / x1.norm(2, dim, keepdim=True).clamp(min=eps)
    unit2 = x2 / x2.norm(2, dim, keepdim=True).clamp(min=eps)
    return (unit1 * unit2).sum(dim)


def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """||x1 - x2 + eps||_p along the last dim (x1 and x2 broadcast).

    eps moves the kink of the norm away from x1 = x2, where it would leave the
    gradient undefined: there the distance is eps * D^(1/p), and its gradient finite.
    """
    return (x1 - x2 + eps).norm(p, -1, keepdim)
