"""Root-mean-square normalization, `RMSNorm`, and its function `rms_norm`.

Layer norm (normalization.py) centres each example and divides it by its
standard deviation. RMS norm (Zhang and Sennrich, 2019) leaves out the
centring: it only divides each example by the root mean square of its last
few dims (normalized_shape), and then applies a learned scale per element:

    y = x / sqrt(mean(x^2) + eps) * weight

with the mean taken over the last len(normalized_shape) dims. There is no
shift (bias): without centring there is nothing for it to undo. It is
cheaper than layer norm and, in practice, as good; most recent transformer
language models use it.

eps=None stands for the machine epsilon of the input's dtype (the gap
between 1 and the next float: 1.19e-7 in float32, 2.22e-16 in float64), as
in PyTorch.

Composed from Tensor operations (mean, rsqrt, ...), so its gradients and
second derivatives come from those.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype, require_float
from ..tensor import Tensor, check_device
from . import init
from .module import Module
from .parameter import Parameter


def rms_norm(
    input: Tensor,
    normalized_shape: Sequence[int],
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    """Divide each example by its root mean square over the last dims: y = x / sqrt(mean(x^2) + eps) * weight.

    Shape: input (*, *normalized_shape) -> the same; weight: normalized_shape.
    eps=None is the machine epsilon of the input's dtype. The result keeps the
    input's dtype, whatever the weight's.

    NOTE: at x = 0 (a whole example of zeros) the output is 0 and its slope
    1 / sqrt(eps), large (6.7e7 in float64) but finite, as in PyTorch.
    """
    shape = _shape_of("rms_norm", normalized_shape)
    if not shape:
        raise RuntimeError(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
            f"element, but got normalized_shape = {list(shape)}"
        )
    if len(shape) > input.ndim or input.shape[input.ndim - len(shape) :] != shape:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*{str(list(shape))[1:-1]}], "
            f"but got input of size{list(input.shape)}"
        )
    if weight is not None and weight.shape != shape:
        raise RuntimeError(
            "Expected weight to be of same shape as normalized_shape, but got weight of shape "
            f"{list(weight.shape)} and normalized_shape = {list(shape)}"
        )
    require_float(input.dtype, "rms_norm")
    if eps is None:
        eps = float(np.finfo(input.dtype).eps)
    dims = tuple(range(-len(shape), 0))
    out = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    if weight is not None:
        out = out * weight
    return out if out.dtype == input.dtype else out.to(input.dtype)


def _shape_of(op: str, normalized_shape: object) -> tuple[int, ...]:
    """normalized_shape, a list or tuple of ints, as a tuple; PyTorch's TypeError for anything else."""
    if not isinstance(normalized_shape, (list, tuple)):
        raise TypeError(
            f"{op}(): argument 'normalized_shape' (position 2) must be tuple of ints, "
            f"not {type(normalized_shape).__name__}"
        )
    for i, n in enumerate(normalized_shape):
        if not isinstance(n, numbers.Integral) or isinstance(n, bool):
            raise TypeError(
                f"{op}(): argument 'normalized_shape' (position 2) must be tuple of ints, but found "
                f"element of type {type(n).__name__} at pos {i}"
            )
    return tuple(int(n) for n in normalized_shape)


class RMSNorm(Module):
    """RMS normalization: each example divided by its root mean square over its last dims; see `F.rms_norm`.

    Shape:
        input (*, *normalized_shape) -> output the same shape

    Attributes:
        weight: normalized_shape, initially ones; None when elementwise_affine=False

    eps=None (the default) is the machine epsilon of the input's dtype. Like
    layer norm it behaves the same in training and evaluation.
    """

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float | None = None,
        elementwise_affine: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        shape = (
            (normalized_shape,) if isinstance(normalized_shape, (int, numbers.Integral)) else normalized_shape
        )
        self.normalized_shape = tuple(int(n) for n in shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        weight = None
        if elementwise_affine:
            if min(self.normalized_shape, default=0) < 0:
                raise RuntimeError(
                    f"Trying to create tensor with negative dimension {min(self.normalized_shape)}: "
                    f"{list(self.normalized_shape)}"
                )
            weight = Parameter(np.empty(self.normalized_shape, dtype=np.dtype(dtype or get_default_dtype())))
        self.register_parameter("weight", weight)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """weight to ones."""
        if self.weight is not None:
            init.ones_(self.weight)

    def forward(self, x: Tensor) -> Tensor:  # (PyTorch's RMSNorm names its input x)
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
