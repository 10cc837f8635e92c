"""Two special functions as differentiable ops: the inverse error function and sinc.

    erfinv y    the x with erf x = y, for y in [-1, 1]    dx/dy = sqrt(pi)/2 e^(x^2)
    sinc x      sin(pi x) / (pi x), and 1 at x = 0       d/dx = (cos(pi x) - sinc x) / x, 0 at 0

erfinv is a Function over the NumPy evaluation of ops/special.py; sinc is
composed from sin, division and where.
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor, _floating
from . import special
from .elementwise import where
from .more_math import quiet


class Erfinv(Function):
    """x = erfinv y, the inverse of erf;  dx/dy = 1 / erf'(x) = sqrt(pi)/2 e^(x^2)

    Outside [-1, 1] the result is nan, and at -1 and 1 it is -inf and inf,
    as is the gradient there, as in PyTorch.
    """

    @staticmethod
    @quiet
    def forward(ctx: Node, y: np.ndarray) -> np.ndarray:
        x = special.erfinv(y).astype(y.dtype, copy=False)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * (x * x).exp() * (math.sqrt(math.pi) / 2)


def erfinv(y: Tensor) -> Tensor:
    """The inverse error function (integers and bools as the default float)."""
    return Erfinv._apply1(_floating(y))


@quiet  # (sinc of an infinity is nan, as in PyTorch)
def sinc(x: Tensor) -> Tensor:
    """The normalized sinc, sin(pi x) / (pi x), with sinc(0) = 1.

    NOTE: x is replaced by 1 at 0 before dividing, not only the result: the
    gradient of the division at 0 would be 0 / 0 = nan, and nan times the 0
    that `where` sends there is still nan. So the gradient at 0 is 0, the
    slope of sinc there; its own derivative at 0 comes out 0 as well, not
    sinc's curvature -pi^2/3 (PyTorch's is nan there).
    """
    x = _floating(x)
    at_zero = Tensor._wrap(x.data == 0)
    pi_x = where(at_zero, 1.0, x) * math.pi
    return where(at_zero, 1.0, pi_x.sin() / pi_x)
