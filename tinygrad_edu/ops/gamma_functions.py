"""The log-gamma function, the digamma function and the Hurwitz zeta function in NumPy.

NumPy has none of them (SciPy has, but is no dependency). All three are
evaluated over whole arrays, with loops over a fixed number of recurrence or
series terms only, to float64 rounding (see tests/test_special.py for the
measured errors):

    lgamma x     ln |Gamma(x)|
    digamma x    psi(x) = d/dx ln Gamma(x)
    zeta(s, q)   sum_{k >= 0} (q + k)^(-s), for s > 1

The polygamma functions come from zeta: for n >= 1,

    psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x),

which is why zeta accepts negative q (there the sum is still defined when s
is a whole number, and it is what PyTorch computes).

Values at the poles and infinities are PyTorch's (which follows the C++
standard and SciPy): lgamma is inf at 0, at the negative integers and at
-inf; digamma is -inf at +0, inf at -0 and nan at the negative integers.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

EULER_GAMMA = 0.57721566490153286061  # the Euler-Mascheroni constant, -psi(1)

# The Bernoulli numbers B_2, B_4, ..., B_24, exactly
_BERNOULLI = [
    Fraction(1, 6),
    Fraction(-1, 30),
    Fraction(1, 42),
    Fraction(-1, 30),
    Fraction(5, 66),
    Fraction(-691, 2730),
    Fraction(7, 6),
    Fraction(-3617, 510),
    Fraction(43867, 798),
    Fraction(-174611, 330),
    Fraction(854513, 138),
    Fraction(-236364091, 2730),
]

# ---------------------------------------------------------------- the Hurwitz zeta function

_DIRECT_TERMS = 10  # terms summed one by one, so that the rest starts at q + 10 >= 10
# B_2j / (2j)!, the weights of Euler-Maclaurin's correction terms
_EULER_MACLAURIN = [float(b / math.factorial(2 * j)) for j, b in enumerate(_BERNOULLI, start=1)]


def _zeta_of_positive(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    """zeta(s, q) for s > 1 and q > 0, by the Euler-Maclaurin formula.

    The first 10 terms are summed; the rest, sum_{k >= 0} (a + k)^(-s) with
    a = q + 10, is the integral a^(1-s) / (s - 1), plus half the first term,
    plus the corrections B_2j / (2j)! s (s+1) ... (s+2j-2) a^(-s-2j+1). With
    a >= 10 twelve corrections reach float64 rounding. Each correction is the
    one before times (s+2j-3)(s+2j-2) / a^2, so nothing overflows on the way.
    """
    total = np.zeros(np.broadcast(s, q).shape)
    for k in range(_DIRECT_TERMS):
        total += (q + k) ** -s
    a = q + _DIRECT_TERMS
    first = a**-s
    total += a * first / (s - 1) + first / 2
    term = first * s / a  # s a^(-s-1), times B_2 / 2! below
    for j, weight in enumerate(_EULER_MACLAURIN, start=1):
        if j > 1:
            term = term * ((s + 2 * j - 3) * (s + 2 * j - 2) / (a * a))
        total += weight * term
    return total


@np.errstate(all="ignore")  # (poles and overflow give infinities and nan: answers, not accidents)
def zeta(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The Hurwitz zeta function sum_{k >= 0} (q + k)^(-s), elementwise (float64).

    For q > 0 by Euler-Maclaurin (`_zeta_of_positive`). For q < 0 the sum has
    the m = -floor(q) negative terms f - m, ..., f - 1, where f = q + m is in
    (0, 1); with s a whole number they add up to (-1)^s (zeta(s, 1 - f) -
    zeta(s, m + 1 - f)), and the rest is zeta(s, f): three sums over positive
    q, however far below 0 q is.

    PyTorch's values elsewhere (those of Cephes): inf for s = 1 and at q a
    whole number <= 0, nan for s < 1, for q < 0 with s not whole, and for q = inf.
    """
    s, q = np.broadcast_arrays(np.asarray(s, dtype=np.float64), np.asarray(q, dtype=np.float64))
    pole = (q <= 0) & (q == np.floor(q))  # (-inf included)
    q = np.where(pole, 0.5, q)  # (any q that keeps the arithmetic below quiet; replaced at the end)
    negative = q < 0
    m = np.where(negative, -np.floor(q), 0.0)
    f = q + m
    inner = _zeta_of_positive(s, f)
    # 1 - f as -(q + m - 1), which is exact: 1 - f would lose the digits of an f near 1
    mirrored = np.where(negative, -(q + (m - 1)), 1.0)  # (1.0: any positive q, where unused)
    negative_terms = np.where(np.mod(s, 2) == 0, 1.0, -1.0) * (
        _zeta_of_positive(s, mirrored) - _zeta_of_positive(s, mirrored + m)
    )
    result = np.where(negative, inner + negative_terms, inner)
    result = np.where(pole | (s == 1), np.inf, result)
    undefined = (s < 1) | ((q < 0) & ~pole & (s != np.floor(s))) | (q == np.inf)
    return np.where(undefined, np.nan, result)


# ---------------------------------------------------------------- log-gamma

# ln Gamma(2 + z) = (1 - gamma) z + sum_{k >= 2} (-1)^k (zeta(k) - 1) / k z^k, for |z| < 2;
# zeta(k) - 1 is zeta(k, 2). For |z| <= 1/2 the terms shrink like 4^-k: 30 reach float64 rounding.
_NEAR_TWO = [1 - EULER_GAMMA] + [
    float((-1) ** k * _zeta_of_positive(np.array(float(k)), np.array(2.0)) / k) for k in range(2, 31)
]

# Stirling: ln Gamma(x) = (x - 1/2) ln x - x + ln(2 pi)/2 + sum_j B_2j / (2j (2j-1) x^(2j-1))
_STIRLING = [float(b / (2 * j * (2 * j - 1))) for j, b in enumerate(_BERNOULLI[:8], start=1)]
_STIRLING_FROM = 10.0  # at x >= 10 eight terms reach float64 rounding
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def _lgamma_near(x: np.ndarray) -> np.ndarray:
    """ln |Gamma(x)| for -1/2 < x < 10 (x = n + z, n whole, |z| <= 1/2), by the series about 2.

    Gamma(x) is Gamma(2 + z) times (2+z)(3+z)...(n-1+z) for n >= 2, and
    divided by (1+z) for n = 1, by z (1+z) for n = 0. z = x - n is exact, so
    near the zeros of ln Gamma at 1 and 2 the result keeps its relative accuracy.
    """
    n = np.round(x)
    z = x - n
    series = np.zeros_like(z)
    for c in reversed(_NEAR_TWO):  # Horner, from the highest power
        series = (series + c) * z
    factors = np.ones_like(z)
    for j in range(2, 10):
        factors = np.where(n > j, factors * (j + z), factors)
    below_two = np.where(n == 1, np.log1p(z), np.where(n == 0, np.log(np.abs(z)) + np.log1p(z), 0.0))
    return series + np.log(factors) - below_two


def _lgamma_stirling(x: np.ndarray) -> np.ndarray:
    """ln Gamma(x) for x >= 10 by Stirling's series.

    (x - 1/2)(ln x - 1) + (ln(2 pi) - 1)/2 is the same sum as the first terms,
    written so that it overflows only when ln Gamma itself does.
    """
    inverse = 1 / x
    square = inverse * inverse
    series = np.zeros_like(x)
    for c in reversed(_STIRLING):
        series = series * square + c
    return (x - 0.5) * (np.log(x) - 1) + (_HALF_LOG_2PI - 0.5) + series * inverse


@np.errstate(all="ignore")  # (poles and overflow give infinities and nan: answers, not accidents)
def lgamma(x: np.ndarray) -> np.ndarray:
    """ln |Gamma(x)|, elementwise (float64).

    x >= 10: Stirling; -1/2 < x < 10: the series about 2 with a few steps of
    Gamma(x + 1) = x Gamma(x); x <= -1/2: the reflection formula
    Gamma(x) Gamma(1 - x) = pi / sin(pi x), with sin(pi x) taken from x's
    distance to the nearest whole number (exact), not from pi x.
    """
    x = np.asarray(x, dtype=np.float64)
    big = x >= _STIRLING_FROM
    reflect = x <= -0.5
    near = _lgamma_near(np.where(big | reflect, 1.5, x))
    far = _lgamma_stirling(np.where(big, x, _STIRLING_FROM))
    mirror = np.where(reflect, 1 - x, _STIRLING_FROM)
    of_mirror = np.where(
        mirror >= _STIRLING_FROM,
        _lgamma_stirling(mirror),
        _lgamma_near(np.where(mirror < _STIRLING_FROM, mirror, 1.5)),
    )
    distance = np.abs(x - np.round(x))
    reflected = math.log(math.pi) - np.log(np.sin(math.pi * distance)) - of_mirror
    result = np.where(big, far, np.where(reflect, reflected, near))
    return np.where((x <= 0) & (x == np.floor(x)), np.inf, result)  # the poles, and -inf


# ---------------------------------------------------------------- digamma

# psi(x) = ln x - 1/(2x) - sum_j B_2j / (2j x^2j), for x >= 10: seven terms
_DIGAMMA_SERIES = [float(b / (2 * j)) for j, b in enumerate(_BERNOULLI[:7], start=1)]
_DIGAMMA_FROM = 10.0


def _digamma_positive(x: np.ndarray) -> np.ndarray:
    """psi(x) for x > 0: psi(x) = psi(x + 1) - 1/x, up to x >= 10, then the asymptotic series."""
    shifted = x.copy()
    result = np.zeros_like(x)
    for _ in range(int(_DIGAMMA_FROM)):  # (from x > 0, ten steps reach 10)
        low = shifted < _DIGAMMA_FROM
        result = np.where(low, result - 1 / shifted, result)
        shifted = np.where(low, shifted + 1, shifted)
    square = 1 / (shifted * shifted)
    series = np.zeros_like(x)
    for c in reversed(_DIGAMMA_SERIES):
        series = (series + c) * square
    return result + np.log(shifted) - 0.5 / shifted - series


@np.errstate(all="ignore")  # (poles and overflow give infinities and nan: answers, not accidents)
def digamma(x: np.ndarray) -> np.ndarray:
    """psi(x) = Gamma'(x) / Gamma(x), elementwise (float64).

    For x < 0 the reflection psi(x) = psi(1 - x) - pi / tan(pi x), with
    tan(pi x) taken from x's fractional part (tan has period pi).
    """
    x = np.asarray(x, dtype=np.float64)
    negative = x < 0
    positive = _digamma_positive(np.where(negative, 1 - x, np.where(x > 0, x, 1.0)))
    reflection = math.pi / np.tan(math.pi * np.fmod(x, 1.0))
    result = np.where(negative, positive - reflection, positive)
    result = np.where(x == 0, np.copysign(np.inf, -x), result)  # -inf at +0, inf at -0
    undefined = (negative & (x == np.floor(x))) | np.isnan(x)  # the negative whole numbers and -inf
    return np.where(undefined, np.nan, result)


@np.errstate(all="ignore")  # (poles and overflow give infinities and nan: answers, not accidents)
def polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """psi^(n)(x), the n-th derivative of digamma, for n >= 1: (-1)^(n+1) n! zeta(n + 1, x).

    At the infinities PyTorch's values: 0 at inf and nan at -inf for n = 1,
    nan at inf and an infinity at -inf for n >= 2.
    """
    x = np.asarray(x, dtype=np.float64)
    result = (-1.0) ** (n + 1) * math.factorial(n) * zeta(np.float64(n + 1), x)
    if n == 1:
        result = np.where(x == np.inf, 0.0, np.where(x == -np.inf, np.nan, result))
    return result
