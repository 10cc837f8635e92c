"""Channel dropout (`Dropout1d`, `Dropout2d`), `AlphaDropout` and `FeatureAlphaDropout`, and their functions.

Plain dropout (``F.dropout``, in layer_functions.py) zeroes single elements. In a
feature map, neighbouring positions are strongly correlated, so a zeroed
element is easily guessed from its neighbours and regularizes little.
Channel dropout zeroes whole channels instead: for an (N, C, *) input it
draws one keep-or-drop decision per (sample, channel) and applies it to all
the channel's positions, scaling the kept channels by 1 / (1 - p) so that the
expectation is unchanged.

Alpha dropout is for self-normalizing networks (SELU): zeroing would shift
the mean and variance that SELU keeps at 0 and 1, so a dropped element is
set to SELU's negative saturation value -alpha' (alpha' = scale * alpha =
1.7581) instead, and an affine map a x + b brings mean and variance back:

    y = a (x where kept, else -alpha') + b,   a = ((1 - p) (1 + p alpha'^2))^(-1/2),  b = a alpha' p

Feature alpha dropout does the same to whole channels, as channel dropout.

All draw their masks from the global generator (``tg.manual_seed`` makes
them reproducible) and are the identity in evaluation (training=False).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..dtypes import torch_name
from ..random import default_generator
from ..tensor import Tensor
from ..warning import warn
from .module import Module

_ALPHA = 1.7580993408473766  # SELU's scale * alpha: its output as x -> -inf is -_ALPHA


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _apply(input: Tensor, inplace: bool, drop: Callable[[Tensor], Tensor]) -> Tensor:
    """drop(input), or written into input's memory with inplace=True (the in-place operators' rules)."""
    return input._inplace(lambda t, _: drop(t), None) if inplace else drop(input)


def _refuse_integers(x: Tensor, op: str) -> None:
    """An integer tensor cannot hold the scaled values (PyTorch's error)."""
    if x.dtype.kind != "f":
        raise RuntimeError(
            f"{op}: result type Float can't be cast to the desired output type {torch_name(x.dtype)}"
        )


def _feature_dropout(
    input: Tensor, p: float, training: bool, inplace: bool, op: str, batched: bool
) -> Tensor:
    """Zero whole channels: one draw per (N, C) of an (N, C, *) input, or per C of an unbatched (C, *)."""
    if not training or p == 0.0 or input.numel() == 0:
        return input

    def drop(t: Tensor) -> Tensor:  # the mask is drawn only once the in-place checks have passed
        _refuse_integers(t, op)
        if p == 1.0:
            return t * Tensor._wrap(np.zeros((), t.dtype))
        lead = 2 if batched else 1
        if t.ndim < lead:  # (an unbatched input has a batch of one added first, as in PyTorch)
            raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
        channels = t.shape[:lead] + (1,) * (t.ndim - lead)  # broadcasts over the positions
        keep = default_generator().random(channels) >= p
        return t * Tensor._wrap((keep / (1.0 - p)).astype(t.dtype))

    return _apply(input, inplace, drop)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each channel of an (N, C, L) or (C, L) input with probability p; scale the rest by 1/(1-p)."""
    _check_p(p)
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.ndim}D input (of shape "
            f"{input.shape}). Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
            "spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs)."
        )
    return _feature_dropout(input, p, training, inplace, "dropout1d", batched=input.ndim == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each channel of an (N, C, H, W) input with probability p; scale the rest by 1/(1-p).

    As in PyTorch, a 3-d input is read as (N, C, L), not as an unbatched
    (C, H, W), with a warning; other ranks are deprecated (they warn) and
    take one draw per element of the first two dims.
    """
    _check_p(p)
    if input.ndim not in (3, 4):
        warn(
            f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout2d "
            "exists to provide channel-wise dropout on inputs with 2 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs)."
        )
    if input.ndim == 3:
        warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead."
        )
    return _feature_dropout(input, p, training, inplace, "dropout2d", batched=True)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout that keeps SELU's mean 0 and variance 1: dropped elements become -alpha', then y = a x' + b.

    Each element is dropped with probability p (see the module docstring
    for a and b). Note the default training=False, as in PyTorch.
    """
    _check_p(p)
    if not training or p == 0.0 or input.numel() == 0:
        return input

    def drop(t: Tensor) -> Tensor:
        _refuse_integers(t, "alpha_dropout")
        if p == 1.0:  # (a would be infinite: PyTorch returns zeros)
            return t * Tensor._wrap(np.zeros((), t.dtype))
        return _alpha_drop(t, p, t.shape)

    return _apply(input, inplace, drop)


def _alpha_drop(t: Tensor, p: float, mask_shape: tuple[int, ...]) -> Tensor:
    """a (t where kept, else -alpha') + b, with one keep-or-drop draw per element of `mask_shape`
    (t's shape, or its channels with 1s that broadcast over the positions)."""
    keep = (default_generator().random(mask_shape) >= p).astype(t.dtype)
    a = 1.0 / np.sqrt((_ALPHA * _ALPHA * p + 1.0) * (1.0 - p))
    scale = keep * t.dtype.type(a)  # a where kept, 0 where dropped
    shift = (keep - 1) * t.dtype.type(_ALPHA * a) + t.dtype.type(_ALPHA * a * p)  # b, or b - a alpha'
    return t * Tensor._wrap(scale) + Tensor._wrap(shift)


def feature_alpha_dropout(
    input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False
) -> Tensor:
    """Alpha dropout of whole channels: each (sample, channel) of an (N, C, *) input is kept, or all
    its positions become -alpha', then y = a x' + b (see the module docstring for a and b).

    As in PyTorch, the first two dims are always read as (N, C), even for an
    unbatched input, and training defaults to False.
    """
    _check_p(p)
    if not training or p == 0.0 or input.numel() == 0:
        return input

    def drop(t: Tensor) -> Tensor:
        if p == 1.0:  # (before the other checks, as in PyTorch)
            return t * Tensor._wrap(np.zeros((), t.dtype))
        if t.ndim < 2:
            raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
        _refuse_integers(t, "feature_alpha_dropout")
        return _alpha_drop(t, p, t.shape[:2] + (1,) * (t.ndim - 2))

    return _apply(input, inplace, drop)


# ---------------------------------------------------------------- layers


class _DropoutNd(Module):
    """What the dropout layers share: p, checked when built, and inplace."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        _check_p(p)
        self.p = p
        self.inplace = inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """In training, zero each channel with probability p and scale the rest by 1/(1-p); identity in eval.

    Shape: (N, C, L) or (C, L) -> same. One draw per channel, shared by its L positions.
    """

    def forward(self, input: Tensor) -> Tensor:
        return dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """In training, zero each channel with probability p and scale the rest by 1/(1-p); identity in eval.

    Shape: (N, C, H, W) -> same. One draw per channel, shared by its H x W positions.
    """

    def forward(self, input: Tensor) -> Tensor:
        return dropout2d(input, self.p, self.training, self.inplace)


class AlphaDropout(_DropoutNd):
    """Dropout for SELU networks: keeps mean 0 and variance 1 (see `F.alpha_dropout`); identity in eval.

    Shape: any -> same. As in PyTorch, the layer ignores inplace (it always
    returns a new tensor) though it stores and prints it.
    """

    def forward(self, input: Tensor) -> Tensor:
        return alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(_DropoutNd):
    """Alpha dropout of whole channels, for SELU networks (see `F.feature_alpha_dropout`); identity in eval.

    Shape: (N, C, *) -> same. One draw per (sample, channel), shared by its positions. As
    AlphaDropout, the layer ignores inplace (it always returns a new tensor) though it stores and prints it.
    """

    def forward(self, input: Tensor) -> Tensor:
        return feature_alpha_dropout(input, self.p, self.training)
