"""Stateless functions behind the layers and losses (PyTorch's `torch.nn.functional`).

Everything here is composed from Tensor operations, so it is differentiable
twice, too. The loss functions live in `loss_functions` and `pad` in
`padding`; both are re-exported here, where PyTorch has them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..ops import linalg
from ..random import default_generator
from ..tensor import Tensor
from ..warning import warn
from .loss_functions import (
    BinaryCrossEntropy,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    nll_loss,
)
from .padding import pad

__all__ = [
    "BinaryCrossEntropy",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "dropout",
    "gelu",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_softmax",
    "mse_loss",
    "nll_loss",
    "one_hot",
    "pad",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "tanh",
]

# ---------------------------------------------------------------- activations


def _in_place(input: Tensor, op: Callable[[Tensor], Tensor]) -> Tensor:
    """`op(input)` written into `input`'s memory (``inplace=True``); input becomes the result.

    It goes through the in-place operators' machinery, `Tensor._inplace`, and
    its rules: a leaf that requires grad cannot change, and a backward that
    needed the old value raises.
    """
    return input._inplace(lambda t, _: op(t), None)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    return _in_place(input, Tensor.relu) if inplace else input.relu()


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
    if inplace:
        return _in_place(input, lambda t: t.leaky_relu(negative_slope))
    return input.leaky_relu(negative_slope)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF (approximate="tanh" for the tanh formula)."""
    return input.gelu(approximate)


def _implicit_dim(name: str, ndim: int) -> int:
    """PyTorch's deprecated guess of the dim when none is given (0 for 0-, 1- and 3-d input, else 1)."""
    warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument."
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along dim."""
    return input.softmax(_implicit_dim("softmax", input.ndim) if dim is None else dim)


def log_softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """x_i - log(sum_j exp(x_j)) along dim, stable for large |x|."""
    return input.log_softmax(_implicit_dim("log_softmax", input.ndim) if dim is None else dim)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p).

    The expectation is unchanged, so evaluation (training=False) is the identity.
    The mask comes from the global generator (see `tg.manual_seed`).
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input

    def drop(t: Tensor) -> Tensor:  # the mask is drawn only once the in-place checks have passed
        if p == 1.0:
            return t * Tensor._wrap(np.zeros((), t.dtype))
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
    return linalg.linear(input, weight, bias)
