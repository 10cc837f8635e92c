"""The complementary error function and the normal distribution's functions, differentiable.

    erfc x       1 - erf x                          d/dx = -2/sqrt(pi) e^(-x^2)
    erfcx x      e^(x^2) erfc x (no overflow)       d/dx = 2x erfcx(x) - 2/sqrt(pi)
    ndtr x       Phi(x) = (1 + erf(x / sqrt 2)) / 2 d/dx = phi(x) = e^(-x^2/2) / sqrt(2 pi)
    log_ndtr x   ln Phi(x)                          d/dx = phi(x) / Phi(x)
    ndtri p      Phi^-1(p)                          d/dp = 1 / phi(x) = sqrt(2 pi) e^(x^2/2)

The point of erfcx and log_ndtr is the far tail: erfc(30) is 2e-393, 0 in
float64, yet erfcx(30) = 0.0187 and ln Phi(-42) = -886 are ordinary numbers.
For x >= 3/4 erfcx is the continued fraction

    erfcx(x) = 1 / (sqrt(pi) (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))))

which never forms e^(-x^2); below 3/4, erfc = 1 - erf loses little to
cancellation (erfc(3/4) is 0.29).
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor, _floating
from . import special
from .more_math import quiet

_FRACTION_DEPTH = 400  # enough for float64 rounding from x = 3/4 on (80 would do from x = 3)
_FRACTION_FROM = 0.75
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_SQRT_2PI = math.sqrt(2 * math.pi)
_SQRT_HALF = math.sqrt(0.5)


def _erfcx_fraction(a: np.ndarray) -> np.ndarray:
    """erfcx(a) for a >= 3/4 by the continued fraction, evaluated from its depth up."""
    fraction = a.copy()
    for n in range(_FRACTION_DEPTH, 0, -1):
        fraction = a + (n / 2.0) / fraction
    return 1 / (math.sqrt(math.pi) * fraction)


@np.errstate(all="ignore")  # (inf and nan where the values are: answers, not accidents)
def erfcx_array(x: np.ndarray) -> np.ndarray:
    """e^(x^2) erfc(x), elementwise (float64): the fraction from 3/4 on, e^(x^2) (1 - erf x) below."""
    x = np.asarray(x, dtype=np.float64)
    far = x >= _FRACTION_FROM
    tail = _erfcx_fraction(np.where(far, x, 1.0))
    near = np.where(far, 0.0, x)
    return np.where(far, tail, np.exp(near * near) * (1 - special.erf(near)))


def _exp_of_minus_square(a: np.ndarray) -> np.ndarray:
    """e^(-a^2) for a > 0, with the rounding error of a * a put back.

    NOTE: at a = 26 an error of half an ulp in a^2 (676) is 6e-14 of e^(-a^2).
    Veltkamp's split a = high + low into two halves of 26 bits makes
    high^2, 2 high low and low^2 exact, which gives the error e of the
    rounded square; e^(-a^2) is then e^(-square) (1 - e). (Beyond a = 27.3
    e^(-a^2) is 0 in float64; a is capped so that the split cannot overflow.)
    """
    a = np.minimum(a, 30.0)
    square = a * a
    split = a * 134217729.0  # 2^27 + 1
    high = split - (split - a)
    low = a - high
    error = ((high * high - square) + 2 * high * low) + low * low
    return np.exp(-square) * (1 - error)


@np.errstate(all="ignore")
def erfc_array(x: np.ndarray) -> np.ndarray:
    """1 - erf(x), elementwise (float64), to full relative accuracy where it is tiny."""
    x = np.asarray(x, dtype=np.float64)
    far = x >= _FRACTION_FROM
    at = np.where(far, x, 1.0)
    return np.where(
        far, _exp_of_minus_square(at) * _erfcx_fraction(at), 1 - special.erf(np.where(far, 0.0, x))
    )


@np.errstate(all="ignore")
def log_ndtr_array(x: np.ndarray) -> np.ndarray:
    """ln Phi(x), elementwise (float64): from erfcx below x = -1 (Phi itself underflows
    from x = -38 on), as log1p(-erfc(x / sqrt 2) / 2) above."""
    x = np.asarray(x, dtype=np.float64)
    t = x * _SQRT_HALF
    low = x < -1
    tail = np.log(erfcx_array(-np.where(low, t, -1.0)) / 2) - t * t
    return np.where(low, tail, np.log1p(-erfc_array(np.where(low, 0.0, t)) / 2))


@np.errstate(all="ignore")
def ndtri_array(p: np.ndarray) -> np.ndarray:
    """The x with Phi(x) = p, elementwise (float64); -inf at 0, inf at 1, nan outside [0, 1].

    For p in [1/4, 3/4], sqrt(2) erfinv(2p - 1) (2p - 1 is exact there).
    Beyond, by symmetry, the lower tail q = min(p, 1 - p) (1 - p is exact for
    p >= 1/2): Newton's method on ln Phi(x) = ln q, which is nearly a parabola,
    with the slope phi / Phi = sqrt(2/pi) / erfcx(-x / sqrt 2). It starts from
    erfinv where 2q - 1 still tells q apart from 0, else from
    x = -u, u^2 = -2 ln q - 2 ln u - ln(2 pi) (the tail Phi(-u) ~ phi(u) / u).
    """
    p = np.asarray(p, dtype=np.float64)
    central = (p >= 0.25) & (p <= 0.75)
    middle = math.sqrt(2) * special.erfinv(2 * np.where(central, p, 0.5) - 1)
    q = np.where(p < 0.5, p, 1 - p)
    q = np.where(central | (q <= 0) | np.isnan(q), 0.1, q)  # (any q in range, where unused)
    log_q = np.log(q)
    u = np.sqrt(-2 * log_q)
    u = np.sqrt(-2 * log_q - 2 * np.log(u) - math.log(2 * math.pi))
    x = np.where(q > 1e-15, math.sqrt(2) * special.erfinv(2 * q - 1), -u)
    for _ in range(4):
        slope = math.sqrt(2 / math.pi) / erfcx_array(-x * _SQRT_HALF)
        x = x - (log_ndtr_array(x) - log_q) / slope
    result = np.where(central, middle, np.where(p < 0.5, x, -x))
    result = np.where(p == 0, -np.inf, np.where(p == 1, np.inf, result))
    return np.where((p < 0) | (p > 1) | np.isnan(p), np.nan, result)


class Erfc(Function):
    """y = erfc x = 1 - erf x;  dy/dx = -2/sqrt(pi) e^(-x^2)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return erfc_array(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * (-(x * x)).exp() * -_TWO_OVER_SQRT_PI


class Erfcx(Function):
    """y = erfcx x = e^(x^2) erfc x;  dy/dx = 2x y - 2/sqrt(pi)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = erfcx_array(x).astype(x.dtype, copy=False)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        x, y = ctx.saved_tensors
        return grad * (2.0 * x * y - _TWO_OVER_SQRT_PI)


class LogNdtr(Function):
    """y = ln Phi(x);  dy/dx = phi(x) / Phi(x) = e^(-(y + x^2/2)) / sqrt(2 pi)

    NOTE: the slope as one exponential: phi and Phi both underflow for
    x < -38, but y + x^2/2 stays moderate (about -ln|x| - ln sqrt(2 pi)).
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        y = log_ndtr_array(x).astype(x.dtype, copy=False)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        x, y = ctx.saved_tensors
        return grad * (-(y + x * x * 0.5)).exp() / _SQRT_2PI


class Ndtri(Function):
    """x = Phi^-1(p);  dx/dp = 1 / phi(x) = sqrt(2 pi) e^(x^2/2)  (inf at p = 0 and 1)"""

    @staticmethod
    def forward(ctx: Node, p: np.ndarray) -> np.ndarray:
        x = ndtri_array(p).astype(p.dtype, copy=False)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * (x * x * 0.5).exp() * _SQRT_2PI


def erfc(x: Tensor) -> Tensor:
    """1 - erf(x), accurate where it is tiny."""
    return Erfc._apply1(_floating(x))


def erfcx(x: Tensor) -> Tensor:
    """e^(x^2) erfc(x), the scaled complementary error function."""
    return Erfcx._apply1(_floating(x))


def ndtr(x: Tensor) -> Tensor:
    """Phi(x), the standard normal CDF: erfc(-x / sqrt 2) / 2 (its gradient is erfc's)."""
    return Erfc._apply1(_floating(x) * -_SQRT_HALF) * 0.5


def log_ndtr(x: Tensor) -> Tensor:
    """ln Phi(x), finite far into the lower tail."""
    return LogNdtr._apply1(_floating(x))


def ndtri(p: Tensor) -> Tensor:
    """Phi^-1(p), the standard normal quantile."""
    return Ndtri._apply1(_floating(p))
