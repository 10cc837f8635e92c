"""Channel dropout for volumes: `Dropout3d` and `F.dropout3d`.

As `Dropout2d` (dropout.py) for feature maps: in a volume, neighbouring
voxels are strongly correlated, so dropping single ones regularizes little.
Each (sample, channel) of an (N, C, D, H, W) input is kept or zeroed as a
whole, and the kept ones are scaled by 1 / (1 - p) so that the expectation
is unchanged. A (C, D, H, W) input is one sample. Masks come from the
global generator; in evaluation (training=False) it is the identity.
"""

from __future__ import annotations

from ..tensor import Tensor
from ..warning import warn
from .dropout import _check_p, _DropoutNd, _feature_dropout


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each channel of an (N, C, D, H, W) or (C, D, H, W) input with probability p; scale the rest
    by 1/(1-p).

    As in PyTorch, other ranks are deprecated (they warn) and are read as
    unbatched: one draw per element of the first dim.
    """
    _check_p(p)
    if input.ndim not in (4, 5):
        warn(
            f"dropout3d: Received a {input.ndim}-D input to dropout3d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout3d "
            "exists to provide channel-wise dropout on inputs with 3 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs)."
        )
    return _feature_dropout(input, p, training, inplace, "dropout3d", batched=input.ndim == 5)


class Dropout3d(_DropoutNd):
    """In training, zero each channel with probability p and scale the rest by 1/(1-p); identity in eval.

    Shape: (N, C, D, H, W) or (C, D, H, W) -> same. One draw per channel, shared by its D x H x W positions.
    """

    def forward(self, input: Tensor) -> Tensor:
        return dropout3d(input, self.p, self.training, self.inplace)
