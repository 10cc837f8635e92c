"""Stateless functions behind the layers and losses (PyTorch's `torch.nn.functional`).

Everything here is composed from Tensor operations, so it is differentiable
twice, too. This file is the namespace only: each function lives in a file
named after its family and is re-exported here, where PyTorch has it.

The activations are in `activation_functions` (relu, gelu, elu, hardtanh,
softmax, ...), with more in `extra_activations`, `rrelu` and
`softmax_variants`; `linear`, `dropout` and `one_hot` in `layer_functions`
(the channel dropouts in `dropout` and `dropout3d`); `normalize`,
`cosine_similarity` and `pairwise_distance` in `distance_functions`, `pdist`
in `pairwise_distances`. The losses live in `loss_functions`,
`classification_losses`, `margin_losses`, `multi_margin_losses` and
`likelihood_losses`, `ctc_loss` in `ctc_loss`,
`triplet_margin_with_distance_loss` in `distance_losses`. `pad` is in
`padding`, `interpolate` in `upsampling`, `grid_sample` and `affine_grid` in
`grid_sampling`, `embedding_bag` in `embedding_bag`, `fold` and `unfold` in
ops/conv.py, and the functions of the layers in `conv`, `conv_transpose`,
`conv3d`, `bilinear`, `shuffle`, `pooling`, `pooling1d`, `pooling3d`,
`lp_pooling`, `unpooling`, `adaptive_pooling`, `adaptive_pooling3d`,
`fractional_pooling`, `unpooling3d`, `batchnorm`, `instancenorm`,
`normalization`, `rmsnorm`, `local_response_norm`, `sparse`, `attention` and
`multihead_attention`.
"""

from __future__ import annotations

from ..ops.conv import fold, unfold
from .activation_functions import (
    celu,
    celu_,
    elu,
    elu_,
    gelu,
    hardsigmoid,
    hardswish,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    log_softmax,
    logsigmoid,
    mish,
    prelu,
    relu,
    relu6,
    relu_,
    selu,
    selu_,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    tanh,
)
from .adaptive_pooling import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
)
from .adaptive_pooling3d import adaptive_avg_pool3d, adaptive_max_pool3d
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
from .conv3d import conv3d, conv_transpose3d
from .conv_transpose import conv_transpose1d, conv_transpose2d
from .ctc_loss import ctc_loss
from .distance_functions import cosine_similarity, normalize, pairwise_distance
from .distance_losses import triplet_margin_with_distance_loss
from .dropout import alpha_dropout, dropout1d, dropout2d, feature_alpha_dropout
from .dropout3d import dropout3d
from .embedding_bag import embedding_bag
from .extra_activations import glu, hardshrink, softmin, softshrink, tanhshrink, threshold, threshold_
from .fractional_pooling import fractional_max_pool2d, fractional_max_pool3d
from .grid_sampling import affine_grid, grid_sample
from .instancenorm import instance_norm
from .layer_functions import dropout, linear, one_hot
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
from .pooling3d import avg_pool3d, max_pool3d
from .rmsnorm import rms_norm
from .rrelu import rrelu, rrelu_
from .shuffle import channel_shuffle, pixel_shuffle, pixel_unshuffle
from .softmax_variants import gumbel_softmax
from .sparse import embedding
from .unpooling import max_unpool1d, max_unpool2d
from .unpooling3d import max_unpool3d
from .upsampling import interpolate

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
