"""The regularized incomplete gamma functions, differentiable in x (as in PyTorch, not in a).

    gammainc(a, x)    P(a, x) = 1/Gamma(a) integral_0^x t^(a-1) e^-t dt    dP/dx = x^(a-1) e^-x / Gamma(a)
    gammaincc(a, x)   Q(a, x) = 1 - P(a, x)                                 dQ/dx = -dP/dx

Evaluated by the two classical expansions, each where it converges fast:
for x < a + 1 the series

    P(a, x) = x^a e^-x / Gamma(a + 1) sum_{k >= 0} x^k / ((a+1)(a+2)...(a+k)),

and for x >= a + 1 the continued fraction of Q, run by Lentz's method

    Q(a, x) = x^a e^-x / Gamma(a) * 1/(x+1-a - 1(1-a)/(x+3-a - 2(2-a)/(x+5-a - ...))).

Both loops stop once every element has converged; that takes about
9 sqrt(a) steps near x = a, so they are meant for a up to about 1e4.
NOTE: the prefactor e^(a ln x - x - lgamma) loses about a ln(a) ulps for large a.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor
from .gamma import Lgamma
from .gamma_functions import lgamma
from .more_math import on_floats, quiet

_MAX_STEPS = 2000
_TOLERANCE = 1e-17
_TINY = 1e-300  # stands in for 0 in Lentz's method


def _lower_series(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """P(a, x) by the series (for x < a + 1)."""
    term = 1 / a
    total = term.copy()
    for k in range(1, _MAX_STEPS):
        term = term * x / (a + k)
        total += term
        if np.all(np.abs(term) <= _TOLERANCE * np.abs(total)):
            break
    return total * np.exp(a * np.log(x) - x - lgamma(a))


def _upper_fraction(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Q(a, x) by the continued fraction (for x >= a + 1), evaluated forward by Lentz's method."""
    b = x + 1 - a
    c = np.full_like(x, 1 / _TINY)
    d = 1 / b
    h = d
    for i in range(1, _MAX_STEPS):
        an = -i * (i - a)
        b = b + 2
        d = an * d + b
        d = np.where(np.abs(d) < _TINY, _TINY, d)
        c = b + an / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        d = 1 / d
        step = d * c
        h = h * step
        if np.all(np.abs(step - 1) <= _TOLERANCE):
            break
    return h * np.exp(a * np.log(x) - x - lgamma(a))


@np.errstate(all="ignore")  # (nan outside the domain: an answer)
def gammainc_pair(a: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(P(a, x), Q(a, x)) elementwise (float64), each computed directly where it is the small one.

    PyTorch's values at the edges: nan for a < 0, x < 0 or a = x = 0; at a = 0
    P = 1; at x = 0 P = 0; at a = inf P = 0 (nan if x = inf too); at x = inf P = 1.
    """
    a, x = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(x, dtype=np.float64))
    regular = (a > 0) & (x > 0) & np.isfinite(a) & np.isfinite(x)
    aa, xx = np.where(regular, a, 1.0), np.where(regular, x, 1.0)
    by_series = xx < aa + 1
    series = _lower_series(np.where(by_series, aa, 1.0), np.where(by_series, xx, 0.5))
    fraction = _upper_fraction(np.where(by_series, 1.0, aa), np.where(by_series, 2.0, xx))
    p = np.where(by_series, series, 1 - fraction)
    q = np.where(by_series, 1 - series, fraction)
    edge_p = np.where((a == 0) | (x == np.inf), 1.0, 0.0)  # (x = 0 and a = inf: 0)
    invalid = (a < 0) | (x < 0) | ((a == 0) & (x == 0)) | ((a == np.inf) & (x == np.inf)) | np.isnan(a + x)
    p = np.where(invalid, np.nan, np.where(regular, p, edge_p))
    q = np.where(invalid, np.nan, np.where(regular, q, 1 - edge_p))
    return p, q


def _density(a: Tensor, x: Tensor) -> Tensor:
    """dP/dx = x^(a-1) e^-x / Gamma(a) = e^((a-1) ln x - x - lgamma(a)), as Tensor ops (PyTorch's formula)."""
    return ((a - 1.0) * x.log() - x - Lgamma._apply1(a)).exp()


class Gammainc(Function):
    """y = P(a, x), the regularized lower incomplete gamma function;
    dy/dx = x^(a-1) e^-x / Gamma(a), and no derivative in a (PyTorch raises, and so does this)
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, x)
        return gammainc_pair(a, x)[0].astype(np.result_type(a, x), copy=False)

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> tuple[None, Tensor]:
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'igamma: input' is not implemented.")
        a, x = ctx.saved_tensors
        return None, grad * _density(a, x)


class Gammaincc(Function):
    """y = Q(a, x) = 1 - P(a, x), the regularized upper incomplete gamma function;
    dy/dx = -x^(a-1) e^-x / Gamma(a), and no derivative in a
    """

    @staticmethod
    def forward(ctx: Node, a: np.ndarray, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, x)
        return gammainc_pair(a, x)[1].astype(np.result_type(a, x), copy=False)

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> tuple[None, Tensor]:
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'igammac: input' is not implemented.")
        a, x = ctx.saved_tensors
        return None, -(grad * _density(a, x))


def gammainc(input: Tensor, other: Tensor) -> Tensor:
    """P(input, other), the regularized lower incomplete gamma function (float tensors only)."""
    return on_floats(Gammainc, input, other, integers=False)


def gammaincc(input: Tensor, other: Tensor) -> Tensor:
    """Q(input, other) = 1 - P(input, other), the regularized upper incomplete gamma function."""
    return on_floats(Gammaincc, input, other, integers=False)
