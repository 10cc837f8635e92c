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
    """The normalized sinc, sin(u) / u with u = pi x, and sinc(0) = 1.

    Near 0 (|u| < 0.5) it is the series sum_k (-u^2)^k / (2k + 1)!, to k = 5:
    the quotient's gradient, (cos u - sin(u)/u) / u, subtracts two numbers
    near 1 and loses every digit as u shrinks. The series is off by less than
    1e-11 of the gradient (float64), and gives the slope 0 and the curvature
    -pi^2/3 at 0 (PyTorch's is nan).
    NOTE: u is replaced by 1 near 0 before dividing, not only the result: the
    gradient of the division at 0 would be 0 / 0 = nan, and nan times the 0
    that `where` sends there is still nan. Likewise u by 0 away from 0 in the series.
    """
    x = _floating(x)
    near_zero = Tensor._wrap(np.abs(x.data) < 0.5 / math.pi)
    u = x * math.pi
    # each branch sees only its own elements (0 or 1 elsewhere): the branch `where` does not
    # pick gets a gradient of 0, and 0 times an overflowed u^10 would still be nan
    near, far = where(near_zero, u, 0.0), where(near_zero, 1.0, u)
    u2 = near * near
    series: Tensor | float = 1.0
    for n in (110.0, 72.0, 42.0, 20.0, 6.0):  # 1 - u^2/6 (1 - u^2/20 (1 - ...)), (2k)(2k + 1) inside out
        series = 1.0 - u2 / n * series
    return where(near_zero, series, far.sin() / far)
