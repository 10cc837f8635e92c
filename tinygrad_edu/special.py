"""`tg.special`: PyTorch's torch.special, the special functions under one roof.

Each is differentiable where PyTorch's is (zeta, gammainc and gammaincc not
in their first argument, where PyTorch raises too), to every order: the
backward of each op is written with ops of this module.

    expit x                 1 / (1 + e^-x), the logistic sigmoid
    logit x                 ln(x / (1 - x)), its inverse
    erf, erfc, erfcx x      2/sqrt(pi) int_0^x e^(-t^2) dt;  1 - erf x;  e^(x^2) erfc x
    erfinv y                the x with erf x = y
    exp2, expm1, log1p      2^x;  e^x - 1;  ln(1 + x), the last two exact for small x
    gammaln x               ln |Gamma(x)|
    digamma x, psi x        d/dx ln Gamma(x)
    polygamma(n, x)         d^n/dx^n digamma(x)
    multigammaln(x, p)      ln Gamma_p(x) = p(p-1)/4 ln pi + sum_{j<p} ln Gamma(x - j/2)
    zeta(s, q)              sum_{k >= 0} (q + k)^-s, the Hurwitz zeta function
    gammainc, gammaincc     P(a, x) = 1/Gamma(a) int_0^x t^(a-1) e^-t dt;  1 - P(a, x)
    i0, i1, i0e, i1e        the modified Bessel functions I0, I1, and e^-|x| times them
    ndtr, log_ndtr, ndtri   the standard normal CDF Phi, ln Phi, and Phi's inverse
    sinc x                  sin(pi x) / (pi x)
    round x                 to `decimals` places, halves to even
    entr x                  -x ln x
    xlogy, xlog1py          x ln y;  x ln(1 + y), both 0 where x = 0
    logsumexp, softmax, log_softmax   along a dim, as the Tensor methods

The math lives in tinygrad_edu/ops/ (gamma.py, bessel.py, error_functions.py,
incomplete_gamma.py, log_products.py, special_functions.py).
"""

from __future__ import annotations

from typing import Any

from .ops import bessel, error_functions, gamma, incomplete_gamma, log_products, more_math
from .ops import special_functions as _special_functions
from .tensor import Tensor

__all__ = [
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "gammainc",
    "gammaincc",
    "gammaln",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "sinc",
    "softmax",
    "xlog1py",
    "xlogy",
    "zeta",
]


def _tensor(op: str, input: Any) -> Tensor:
    """`input`, which must be a Tensor (PyTorch's TypeError otherwise)."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"special_{op}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    return input


def expit(input: Tensor) -> Tensor:
    """1 / (1 + e^-input), the logistic sigmoid."""
    return _tensor("expit", input).sigmoid()


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """ln(p / (1 - p)), with p = input clamped to [eps, 1 - eps] when eps is given."""
    return _tensor("logit", input).logit(eps)


def erf(input: Tensor) -> Tensor:
    """erf x = 2/sqrt(pi) integral_0^x e^(-t^2) dt."""
    return _tensor("erf", input).erf()


def erfc(input: Tensor) -> Tensor:
    """erfc x = 1 - erf x, accurate where it is tiny (x >> 1)."""
    return error_functions.erfc(_tensor("erfc", input))


def erfcx(input: Tensor) -> Tensor:
    """erfcx x = e^(x^2) erfc x, finite where erfc underflows."""
    return error_functions.erfcx(_tensor("erfcx", input))


def erfinv(input: Tensor) -> Tensor:
    """The x with erf x = input, for input in [-1, 1]."""
    return _special_functions.erfinv(_tensor("erfinv", input))


def exp2(input: Tensor) -> Tensor:
    """2^x."""
    return _tensor("exp2", input).exp2()


def expm1(input: Tensor) -> Tensor:
    """e^x - 1, exact for small x."""
    return _tensor("expm1", input).expm1()


def log1p(input: Tensor) -> Tensor:
    """ln(1 + x), exact for small x."""
    return _tensor("log1p", input).log1p()


def gammaln(input: Tensor) -> Tensor:
    """ln |Gamma(x)| (torch.lgamma)."""
    return gamma.lgamma(_tensor("gammaln", input))


def digamma(input: Tensor) -> Tensor:
    """psi(x) = d/dx ln Gamma(x)."""
    return gamma.digamma(_tensor("digamma", input))


psi = digamma


def polygamma(n: int, input: Tensor) -> Tensor:
    """psi^(n)(x) = d^n/dx^n psi(x), for n >= 0 (0: digamma)."""
    return gamma.polygamma(n, _tensor("polygamma", input))


def multigammaln(input: Tensor, p: int) -> Tensor:
    """ln Gamma_p(x) = p(p-1)/4 ln pi + sum_{j=0}^{p-1} ln Gamma(x - j/2), the multivariate log-gamma."""
    return gamma.mvlgamma(_tensor("multigammaln", input), p)


def zeta(input: Any, other: Any) -> Tensor:
    """sum_{k >= 0} (other + k)^-input, the Hurwitz zeta function (one of the two may be a number)."""
    return gamma.zeta(input, other)


def gammainc(input: Tensor, other: Tensor) -> Tensor:
    """P(a, x) = 1/Gamma(a) integral_0^x t^(a-1) e^-t dt, with a = input and x = other."""
    return incomplete_gamma.gammainc(input, other)


def gammaincc(input: Tensor, other: Tensor) -> Tensor:
    """Q(a, x) = 1 - P(a, x) = 1/Gamma(a) integral_x^inf t^(a-1) e^-t dt."""
    return incomplete_gamma.gammaincc(input, other)


def i0(input: Tensor) -> Tensor:
    """I0(x) = sum_k (x/2)^2k / (k!)^2, the modified Bessel function of order 0."""
    return bessel.i0(_tensor("i0", input))


def i0e(input: Tensor) -> Tensor:
    """e^-|x| I0(x)."""
    return bessel.i0e(_tensor("i0e", input))


def i1(input: Tensor) -> Tensor:
    """I1(x) = sum_k (x/2)^(2k+1) / (k! (k+1)!), the modified Bessel function of order 1."""
    return bessel.i1(_tensor("i1", input))


def i1e(input: Tensor) -> Tensor:
    """e^-|x| I1(x)."""
    return bessel.i1e(_tensor("i1e", input))


def ndtr(input: Tensor) -> Tensor:
    """Phi(x) = (1 + erf(x / sqrt 2)) / 2, the standard normal CDF."""
    return error_functions.ndtr(_tensor("ndtr", input))


def log_ndtr(input: Tensor) -> Tensor:
    """ln Phi(x), finite far into the lower tail (ln Phi(-40) = -804.6)."""
    return error_functions.log_ndtr(_tensor("log_ndtr", input))


def ndtri(input: Tensor) -> Tensor:
    """Phi^-1(p), the x with Phi(x) = p: -inf at 0, inf at 1, nan outside [0, 1]."""
    return error_functions.ndtri(_tensor("ndtri", input))


def sinc(input: Tensor) -> Tensor:
    """sin(pi x) / (pi x), and 1 at x = 0."""
    return _tensor("sinc", input).sinc()


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """x rounded to `decimals` decimal places, halves to even."""
    return _tensor("round", input).round(decimals)


def entr(input: Tensor) -> Tensor:
    """-x ln x, 0 at x = 0 and -inf for x < 0."""
    return log_products.entr(_tensor("entr", input))


def xlogy(input: Any, other: Any) -> Tensor:
    """x ln y, and 0 where x = 0 (unless y is nan); one of the two may be a number."""
    return more_math.on_floats(more_math.Xlogy, input, other)


def xlog1py(input: Any, other: Any) -> Tensor:
    """x ln(1 + y), and 0 where x = 0 (unless y is nan); one of the two may be a number."""
    return log_products.xlog1py(input, other)


def logsumexp(input: Tensor, dim: int | tuple[int, ...], keepdim: bool = False) -> Tensor:
    """ln sum exp(x) along dim, without overflow."""
    return _tensor("logsumexp", input).logsumexp(dim, keepdim)


def softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """e^x_i / sum_j e^x_j along dim (input cast to `dtype` first, if given)."""
    return _tensor("softmax", input).softmax(dim, dtype)


def log_softmax(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """x_i - ln sum_j e^x_j along dim (input cast to `dtype` first, if given)."""
    return _tensor("log_softmax", input).log_softmax(dim, dtype)
