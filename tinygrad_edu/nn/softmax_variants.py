"""Two relatives of softmax: `Softmax2d`, across channels, and `gumbel_softmax`, a differentiable sample.

Softmax2d applies softmax over the channels of an image, (N, C, H, W) or
(C, H, W): at every position the C values become probabilities,

    y[n, c, h, w] = exp(x[n, c, h, w]) / sum_c' exp(x[n, c', h, w])

which is softmax along dim -3: a per-pixel classifier's output.

gumbel_softmax draws a sample from the categorical distribution with
log-probabilities `logits` (up to a constant) in a way that gradients can
pass through (Jang et al., 2017; Maddison et al., 2017). The Gumbel-max
trick says that argmax(logits + g), with g a Gumbel(0, 1) sample per class
(g = -log(E), E ~ Exp(1)), is a sample of that distribution; argmax has no
useful gradient, so it is relaxed to a softmax at temperature tau:

    y = softmax((logits + g) / tau)

Small tau gives nearly one-hot samples (and large gradient variance),
large tau nearly uniform ones. With hard=True the result is the one-hot
vector of the argmax, but its gradient is that of the soft y (the
"straight-through" estimator): y_hard - detach(y) + y has y_hard's value
and y's gradient. The noise comes from the library's global generator, so
``tg.manual_seed`` makes samples reproducible.

Both are composed from Tensor operations (softmax, detach, ...), so their
gradients and second derivatives come from those.
"""

from __future__ import annotations

import numpy as np

from ..ops.movement import normalize_dim
from ..random import default_generator
from ..tensor import Tensor
from ..warning import warn
from .module import Module


def gumbel_softmax(
    logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """softmax((logits + g) / tau) along dim, g a fresh Gumbel(0, 1) sample per element.

    Shape: any -> same. With hard=True: the one-hot vector of each sample's
    largest value (the first, on ties), with the soft sample's gradient.
    eps is deprecated and unused, as in PyTorch.
    """
    if eps != 1e-10:
        warn("`eps` parameter is deprecated and has no effect.")
    if logits.dtype.kind != "f":
        raise RuntimeError(
            "gumbel_softmax: the Gumbel noise is drawn from a continuous distribution, so logits must be "
            f"floating point, not {logits.dtype}"
        )
    axis = normalize_dim(dim, logits.ndim)  # (checked before the noise is drawn)
    gumbels = Tensor._wrap(default_generator().gumbel(size=logits.shape).astype(logits.dtype))
    soft = ((logits + gumbels) / tau).softmax(axis)
    if not hard:
        return soft
    if soft.ndim == 0:  # a single class: its one-hot vector is 1
        hard_sample = np.ones_like(soft.data)
    else:
        hard_sample = np.zeros_like(soft.data)
        np.put_along_axis(hard_sample, np.argmax(soft.data, axis=axis, keepdims=True), 1.0, axis=axis)
    # straight through: the value of the one-hot vector, the gradient of the soft sample
    return Tensor._wrap(hard_sample) - soft.detach() + soft


class Softmax2d(Module):
    """Softmax over the channels at each position (along dim -3); see the module docstring.

    Shape:
        input (N, C, H, W) or (C, H, W) -> output the same shape. No parameters.
    """

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.ndim}D instead")
        return input.softmax(-3)
