"""The functions of the first layers: `linear` (Linear), `dropout` (Dropout), `one_hot`.

`linear` is the affine map y = x W^T + b, one op in the graph; `dropout`
zeroes elements at random while training and scales the rest so that the
expectation stays the same; `one_hot` turns class indices into rows of 0s
and 1s (the dense form of what `embedding` looks up, in sparse.py). The
channel dropouts are in dropout.py and dropout3d.py; all are in `F`
(functional.py).
"""

from __future__ import annotations

import numpy as np

from ..dtypes import torch_name
from ..ops import linalg
from ..random import default_generator
from ..tensor import Tensor
from .activation_functions import _in_place
from .input_checks import check_input_weight_bias


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
            raise RuntimeError(
                f"dropout: result type Float can't be cast to the desired output type {torch_name(t.dtype)}"
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
    PyTorch's rarer forms work too: W (in,) with no bias gives y (*), and b
    may have any shape that broadcasts to y (an add after the op, then).
    """
    check_input_weight_bias("linear", input, weight, bias)
    return linalg.linear(input, weight, bias)
