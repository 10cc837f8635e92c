"""The gamma family as differentiable ops: each derivative is the next member of the family.

    lgamma x           ln |Gamma(x)|                  d/dx = psi(x)
    digamma x          psi(x) = d/dx ln Gamma(x)      d/dx = psi^(1)(x)
    polygamma(n, x)    psi^(n)(x), n >= 1             d/dx = psi^(n+1)(x)
    zeta(s, q)         sum_k (q + k)^(-s)             d/dq = -s zeta(s + 1, q)
    mvlgamma(x, p)     ln Gamma_p(x) = p(p-1)/4 ln pi + sum_{j<p} ln Gamma(x - j/2)

Every backward is written with the next op of the family, so derivatives of
every order work: lgamma's second derivative is polygamma(1), its third
polygamma(2), and so on. The values come from ops/gamma_functions.py,
computed in float64 and given back in the input's dtype; integer input gives
the default float dtype, as in PyTorch. zeta has no derivative in s (PyTorch
raises, and so does this backward).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor, _floating
from . import gamma_functions
from .more_math import on_floats, quiet


class Lgamma(Function):
    """y = ln |Gamma(x)|;  dy/dx = psi(x)

    inf at 0, at the negative integers and at +-inf, as in PyTorch.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return gamma_functions.lgamma(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * Digamma._apply1(x)


class Digamma(Function):
    """y = psi(x) = Gamma'(x) / Gamma(x);  dy/dx = psi^(1)(x), the trigamma function

    -inf at +0, inf at -0, nan at the negative integers and -inf, as in PyTorch.
    """

    @staticmethod
    def forward(ctx: Node, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return gamma_functions.digamma(x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * Polygamma._apply1(x, 1)


class Polygamma(Function):
    """y = psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x), for n >= 1;  dy/dx = psi^(n+1)(x)"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, n: int) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.n = n
        return gamma_functions.polygamma(n, x).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        (x,) = ctx.saved_tensors
        return grad * Polygamma._apply1(x, ctx.n + 1), None


class Zeta(Function):
    """y = zeta(s, q) = sum_{k >= 0} (q + k)^(-s), the Hurwitz zeta function;
    dy/dq = -s zeta(s + 1, q), and no derivative in s (PyTorch has none either)
    """

    @staticmethod
    def forward(ctx: Node, s: np.ndarray, q: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(s, q)
        return gamma_functions.zeta(s, q).astype(np.result_type(s, q), copy=False)

    @staticmethod
    @quiet
    def backward(ctx: Node, grad: Tensor) -> tuple[None, Tensor | None]:
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        s, q = ctx.saved_tensors
        return None, grad * -s * Zeta._apply2(s + 1.0, q)


def lgamma(x: Tensor) -> Tensor:
    """ln |Gamma(x)| elementwise (integers and bools as the default float)."""
    return Lgamma._apply1(_floating(x))


def digamma(x: Tensor) -> Tensor:
    """psi(x) = d/dx ln Gamma(x) elementwise (integers and bools as the default float)."""
    return Digamma._apply1(_floating(x))


def polygamma(n: int, x: Tensor) -> Tensor:
    """psi^(n)(x), the n-th derivative of digamma (n = 0: digamma itself)."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if n == 0:
        return digamma(x)
    return Polygamma._apply1(_floating(x), int(n))


def mvlgamma(x: Tensor, p: int) -> Tensor:
    """The multivariate log-gamma function of dimension p, elementwise:

        ln Gamma_p(x) = p (p - 1) / 4 ln pi + sum_{j = 0}^{p-1} ln Gamma(x - j/2)

    (p = 1 is lgamma). Composed from lgamma, so its derivatives are digamma's sums.
    """
    if not isinstance(p, (int, np.integer)) or isinstance(p, bool):
        raise TypeError(f"mvlgamma(): argument 'p' (position 2) must be int, not {type(p).__name__}")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = _floating(x)
    offsets = np.arange(-(p - 1) / 2, 0.5, 0.5, dtype=x.data.dtype)  # -(p-1)/2, ..., -1/2, 0
    terms = lgamma(x.unsqueeze(-1) + Tensor._wrap(offsets))
    return terms.sum(-1) + p * (p - 1) / 4 * math.log(math.pi)


def zeta(s: Any, q: Any) -> Tensor:
    """The Hurwitz zeta function zeta(s, q), elementwise over s and q broadcast together.

    One of them may be a number; integers give the default float dtype.
    """
    if not isinstance(s, Tensor) and not isinstance(q, Tensor):
        names = f"{type(s).__name__}, {type(q).__name__}"
        raise TypeError(
            f"zeta() received an invalid combination of arguments - got ({names}): one must be a Tensor"
        )
    return on_floats(Zeta, s, q)
