"""Helpers the families share: fitting parameters together, and moving between probs and logits.

    binary:       logit = log p - log(1 - p),        p = sigmoid(logit)
    categorical:  logit_k = log p_k (normalised),    p = softmax(logits)

Probabilities are clamped into [eps, 1 - eps] (eps of their dtype) before a
log, so p = 0 gives a large negative logit rather than -inf, as in PyTorch.
"""

from __future__ import annotations

from numbers import Number
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from ..ops.grids import broadcast_tensors
from ..tensor import Tensor


def broadcast_all(*values: Any) -> tuple[Tensor, ...]:
    """The parameters as tensors of one broadcast shape.

    Tensors keep their dtype; a Python number becomes a tensor of the first
    tensor's dtype (the default dtype when all are numbers), as in PyTorch.
    """
    if not all(isinstance(v, (Tensor, Number)) for v in values):
        raise ValueError("Input arguments must all be instances of Number or Tensor.")
    tensors = [v for v in values if isinstance(v, Tensor)]
    dtype = tensors[0].dtype if tensors else get_default_dtype()
    as_tensors = [v if isinstance(v, Tensor) else Tensor(np.asarray(v, dtype=dtype)) for v in values]
    return tuple(broadcast_tensors(*as_tensors))


def clamp_probs(probs: Tensor) -> Tensor:
    """probs clamped into [eps, 1 - eps], eps the machine epsilon of their dtype."""
    eps = float(np.finfo(probs.dtype).eps)
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """log p (categorical) or log p - log(1 - p) (binary), with p clamped away from 0 and 1."""
    p = clamp_probs(probs)
    return p.log() - (-p).log1p() if is_binary else p.log()


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """sigmoid(logits) (binary) or softmax over the last dim (categorical)."""
    return logits.sigmoid() if is_binary else logits.softmax(-1)


def softplus(x: Tensor) -> Tensor:
    """log(1 + e^x), exact for every x (no threshold): logaddexp(x, 0); its derivative is sigmoid(x)."""
    return x.logaddexp(x.new_zeros(x.shape))


def as_tensor_value(value: Any, like: Tensor) -> Tensor:
    """`value` as a Tensor: a number becomes one of `like`'s dtype (for cdf/icdf without validation)."""
    return value if isinstance(value, Tensor) else Tensor(np.asarray(value, dtype=like.dtype))
