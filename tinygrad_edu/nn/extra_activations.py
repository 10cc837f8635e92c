"""Softmin, GLU and the thresholding activations (Threshold, Hardshrink, Softshrink, Tanhshrink).

Each is a function, re-exported by `functional` (``F.glu``, ...), and a thin
module around it. All are composed from Tensor operations, so gradients and
second derivatives come from those::

    softmin(x)     = softmax(-x)                       small values get large weights
    glu(a | b)     = a * sigmoid(b)                    the input cut in two halves a and b along dim
    threshold(x)   = x where x > threshold, else value
    hardshrink(x)  = x where |x| > lambd, else 0
    softshrink(x)  = x - clamp(x, -lambd, lambd)       x moved lambd toward 0, and 0 within [-lambd, lambd]
    tanhshrink(x)  = x - tanh(x)

The three thresholding functions have slope 0 at their corners
(x = threshold, x = +-lambd), as in PyTorch, and let NaN through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..dtypes import require_float
from ..ops.elementwise import where
from ..ops.movement import normalize_dim
from ..tensor import Tensor
from .activation_functions import _implicit_dim
from .module import Module

if TYPE_CHECKING:
    from numpy.typing import DTypeLike


def softmin(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DTypeLike | None = None
) -> Tensor:
    """exp(-x_i) / sum_j exp(-x_j) along dim: softmax of -x, so the smallest value weighs most.

    (input cast to `dtype` first, if given; `_stacklevel` is PyTorch's, kept for its position.)
    """
    input = input if dtype is None else input.to(dtype)
    if dim is None:
        dim = _implicit_dim("softmin", input.ndim)
    require_float(input.dtype, "softmin")
    return (-input).softmax(dim)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """The gated linear unit: a * sigmoid(b), a and b the first and second halves of input along dim.

    Shape: (*, 2n, *) -> (*, n, *). Each output is its half a, let through by
    a gate sigmoid(b) in (0, 1) computed from the other half.
    """
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    dim = normalize_dim(dim, input.ndim)
    if input.shape[dim] % 2 != 0:
        raise RuntimeError(
            f"Halving dimension must be even, but dimension {dim} is size {input.shape[dim]} "
            f"(glu of input of shape {input.shape})"
        )
    require_float(input.dtype, "glu")
    half = input.shape[dim] // 2
    return input.narrow(dim, 0, half) * input.narrow(dim, half, half).sigmoid()


def _threshold(x: Tensor, threshold: float, value: float) -> Tensor:
    """x where x > threshold, else value; NaN stays NaN (it is not <= threshold)."""
    if x.dtype == np.bool_:
        raise NotImplementedError("\"threshold_cpu\" not implemented for 'Bool'")
    if x.dtype.kind != "f":  # as PyTorch: an integer input cuts both numbers to integers, toward 0
        threshold, value = int(threshold), int(value)
        return where(x <= threshold, value, x).to(x.dtype)
    return where(x <= threshold, value, x)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, else value.  The slope is 0 at x = threshold."""
    return threshold_(input, threshold, value) if inplace else _threshold(input, threshold, value)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    """threshold, written into input's memory (the in-place operators' rules apply)."""
    return input._inplace(lambda t, _: _threshold(t, threshold, value), None)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0: small values are set to zero, the others kept as they are."""
    require_float(input.dtype, "hardshrink")
    return where((input >= -lambd) & (input <= lambd), 0.0, input)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd where x > lambd, x + lambd where x < -lambd, else 0: x shrunk toward 0 by lambd.

    Written as x - clamp(x, -lambd, lambd): inside the interval the two terms
    cancel exactly, outside the clamp is the constant +-lambd. clamp's slope
    is 1 at its bounds, so this slope is 0 there, as PyTorch's.
    """
    if lambd < 0:
        raise RuntimeError(f"softshrink: lambda must be greater or equal to 0, but found to be {lambd}")
    require_float(input.dtype, "softshrink")
    return input - input.clamp(-lambd, lambd)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x): about x^3 / 3 near 0, and x -+ 1 far from it."""
    return input - input.tanh()


# ---------------------------------------------------------------- layers


class Softmin(Module):
    """y_i = exp(-x_i) / sum_j exp(-x_j) along dim.  Shape: any -> same."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return softmin(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class GLU(Module):
    """y = a * sigmoid(b), a and b the halves of the input along dim.  Shape: (*, 2n, *) -> (*, n, *)."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Threshold(Module):
    """y = x where x > threshold, else value.  Shape: any -> same.  inplace=True overwrites the input."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}" + (", inplace=True" if self.inplace else "")


class Hardshrink(Module):
    """y = x where |x| > lambd, else 0.  Shape: any -> same."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return hardshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Module):
    """y = x - lambd where x > lambd, x + lambd where x < -lambd, else 0.  Shape: any -> same.

    A negative lambd is refused at the call, as in PyTorch.
    """

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return softshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Tanhshrink(Module):
    """y = x - tanh(x).  Shape: any -> same."""

    def forward(self, input: Tensor) -> Tensor:
        return tanhshrink(input)
