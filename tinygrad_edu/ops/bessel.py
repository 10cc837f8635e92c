"""The modified Bessel functions of the first kind, orders 0 and 1, as differentiable ops.

    i0 x    I0(x) = sum_k (x/2)^2k / (k!)^2                 d/dx = I1(x)
    i1 x    I1(x) = sum_k (x/2)^(2k+1) / (k! (k+1)!)        d/dx = I0(x) - I1(x)/x   (1/2 at 0)
    i0e x   e^-|x| I0(x)                                   d/dx = i1e(x) - sign(x) i0e(x)
    i1e x   e^-|x| I1(x)                                   d/dx = i0e(x) - i1e(x) (sign(x) + 1/x)

The scaled forms (the "e") stay finite where I0 and I1 overflow (|x| > 713).
Each backward is written with the four ops, so derivatives of every order work.

The values: the power series (positive terms only, so no cancellation) for
|x| < 20, and for |x| >= 20 the asymptotic series

    e^-x I_nu(x) sqrt(2 pi x) = sum_k (-1)^k a_k(nu) / x^k,
    a_k(nu) = (4nu^2 - 1)(4nu^2 - 9)...(4nu^2 - (2k-1)^2) / (k! 8^k),

whose terms shrink until k is near 2x, so 30 of them reach float64
rounding from x = 20 on. I0 is even and I1 odd.
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor, _floating
from .elementwise import where

_SERIES_BELOW = 20.0
_SERIES_TERMS = 60  # (x/2)^2k / (k!)^2 at x = 20, k = 60 is 1e-38 of I0(20) = 4e7
_ASYMPTOTIC_TERMS = 30


def _series(order: int, a: np.ndarray) -> np.ndarray:
    """I_order(a) for 0 <= a < 20 by the power series, each term the one before times y / (k (k + order))."""
    y = a * a / 4
    term = np.ones_like(a) if order == 0 else a / 2
    total = term.copy()
    for k in range(1, _SERIES_TERMS):
        term = term * y / (k * (k + order))
        total += term
    return total


def _asymptotic_scaled(order: int, a: np.ndarray) -> np.ndarray:
    """e^-a I_order(a) for a >= 20 by the asymptotic series."""
    four_nu_squared = 4.0 * order * order
    term = np.ones_like(a)
    total = term.copy()
    for k in range(1, _ASYMPTOTIC_TERMS):
        term = term * -(four_nu_squared - (2 * k - 1) ** 2) / (8 * k * a)
        total += term
    return total / np.sqrt(2 * math.pi * a)


@np.errstate(all="ignore")  # (I0 and I1 overflow to inf beyond |x| = 713: an answer)
def bessel_i(order: int, x: np.ndarray, scaled: bool) -> np.ndarray:
    """I_order(x), or e^-|x| I_order(x) when `scaled`, elementwise (float64), for order 0 or 1."""
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    small = a < _SERIES_BELOW
    series = _series(order, np.where(small, a, 0.0))
    tail = _asymptotic_scaled(order, np.where(small, _SERIES_BELOW, a))
    if scaled:
        result = np.where(small, series * np.exp(-a), tail)
    else:  # e^a as (e^(a/2))^2 times the rest would round twice; e^a overflows only where I does
        result = np.where(small, series, tail * np.exp(a))
    return np.copysign(result, x) if order == 1 else result


class I0(Function):
    """y = I0(x);  dy/dx = I1(x)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return bessel_i(0, x, scaled=False).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * I1._apply1(x)


class I1(Function):
    """y = I1(x);  dy/dx = I0(x) - I1(x) / x, and 1/2 at x = 0"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return bessel_i(1, x, scaled=False).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        near, safe = _near_zero(x)
        return grad * where(near, _i1_slope_series(x), I0._apply1(safe) - I1._apply1(safe) / safe)


class I0e(Function):
    """y = e^-|x| I0(x);  dy/dx = i1e(x) - sign(x) i0e(x)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return bessel_i(0, x, scaled=True).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * (I1e._apply1(x) - x.sign() * I0e._apply1(x))


class I1e(Function):
    """y = e^-|x| I1(x);  dy/dx = i0e(x) - i1e(x) (sign(x) + 1/x), and 1/2 at x = 0"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return bessel_i(1, x, scaled=True).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        near, safe = _near_zero(x)
        slope = I0e._apply1(safe) - I1e._apply1(safe) * (safe.sign() + 1.0 / safe)
        # near 0: e^-|x| (I1'(x) - sign(x) I1(x))
        series = (_i1_slope_series(x) - x.sign() * I1._apply1(x)) * (-x.abs()).exp()
        return grad * where(near, series, slope)


_NEAR_ZERO = 1e-2


def _near_zero(x: Tensor) -> tuple[Tensor, Tensor]:
    """(|x| < 1/100, x with those places replaced by 1).

    NOTE: I1(x)/x is 0/0 at x = 0, and its derivative I1'(x)/x - I1(x)/x^2
    cancels ever worse as x nears 0. There I1' comes from its own series
    (`_i1_slope_series`) instead; and the formula with the division must
    never see those x, or the nan of its gradient at 0 would survive the
    0 that `where` sends it (nan * 0 is nan).
    """
    near = Tensor._wrap(np.abs(x.data) < _NEAR_ZERO)
    return near, where(near, 1.0, x)


def _i1_slope_series(x: Tensor) -> Tensor:
    """I1'(x) = sum_k (2k+1) (x/2)^2k / (2 k! (k+1)!) = 1/2 + 3x^2/16 + 5x^4/384 + 7x^6/18432 + ...

    Four terms reach float64 rounding for |x| < 1/100, and so do their derivatives.
    """
    square = x * x
    return ((square * (7 / 18432) + 5 / 384) * square + 3 / 16) * square + 0.5


def i0(x: Tensor) -> Tensor:
    """I0(x), the modified Bessel function of the first kind of order 0."""
    return I0._apply1(_floating(x))


def i1(x: Tensor) -> Tensor:
    """I1(x), the modified Bessel function of the first kind of order 1."""
    return I1._apply1(_floating(x))


def i0e(x: Tensor) -> Tensor:
    """e^-|x| I0(x), the exponentially scaled I0."""
    return I0e._apply1(_floating(x))


def i1e(x: Tensor) -> Tensor:
    """e^-|x| I1(x), the exponentially scaled I1."""
    return I1e._apply1(_floating(x))
