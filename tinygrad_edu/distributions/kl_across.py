"""KL(p || q) for p and q of two different families, the pairs PyTorch has among ours.

Each is E_p[log p(X)] - E_p[log q(X)], the first term minus p's entropy H(p),
the second from the moments of X under p. With q = Normal(m, s):

    -E_p[log q] = log(s sqrt(2 pi)) + E_p[(X - m)^2] / (2 s^2),  E_p[(X - m)^2] = Var_p + (E_p X - m)^2

which gives p = Laplace, Uniform, Exponential and Beta against a Normal. The others:

    Normal(mu, sigma) || Laplace(m, b)
        -H(p) + log(2b) + E|X - m| / b, with the folded normal's mean (d = mu - m)
        E|X - m| = sigma sqrt(2/pi) e^(-d^2 / 2 sigma^2) + d erf(d / (sigma sqrt 2))
    Uniform(a, c) || Exponential(r)   -log(c - a) - log r + r (a + c) / 2, inf if a < 0
    Beta(al, be) || Exponential(r)    -H(p) - log r + r al / (al + be)
    Beta || Uniform(a, c)             -H(p) + log(c - a), inf unless [0, 1] lies in [a, c]
    Uniform(a, c) || Beta(al, be)
        -log(c - a) + log B(al, be) - (al - 1) E[log X] - (be - 1) E[log(1 - X)], where
        E[log X] = (c log c - a log a) / (c - a) - 1 (and likewise for 1 - X);
        inf unless [a, c] lies in [0, 1]

A p that gives probability to a region where q has none has KL = inf: a
Normal or a Laplace against a Uniform, an Exponential or a Beta, and an
Exponential against a Uniform or a Beta.
"""

from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor
from .beta import Beta, log_beta
from .distribution import Distribution
from .exponential import Exponential
from .kl import _inf_where, register_kl
from .laplace import Laplace
from .normal import Normal
from .uniform import Uniform

__all__: list[str] = []  # (nothing to import: importing the module registers the pairs)


def _kl_against_normal(p: Laplace | Uniform | Exponential | Beta, q: Normal) -> Tensor:
    """-H(p) - E_p[log q] for q = Normal, from p's entropy, mean and variance (any of the four families)."""
    second_moment = p.variance + (p.mean - q.loc) ** 2
    return -p.entropy() + (q.scale * math.sqrt(2 * math.pi)).log() + second_moment / (2 * q.scale**2)


for _family in (Laplace, Uniform, Exponential, Beta):
    register_kl(_family, Normal)(_kl_against_normal)


@register_kl(Normal, Laplace)
def _kl_normal_laplace(p: Normal, q: Laplace) -> Tensor:
    d = p.loc - q.loc
    folded_mean = (
        p.scale * math.sqrt(2 / math.pi) * (-(d**2) / (2 * p.scale**2)).exp()
        + d * (d / (p.scale * math.sqrt(2))).erf()
    )
    return -p.entropy() + (2 * q.scale).log() + folded_mean / q.scale


@register_kl(Uniform, Exponential)
def _kl_uniform_exponential(p: Uniform, q: Exponential) -> Tensor:
    result = -p.entropy() - q.rate.log() + q.rate * p.mean
    return _inf_where(result, p.low < 0)


@register_kl(Beta, Exponential)
def _kl_beta_exponential(p: Beta, q: Exponential) -> Tensor:
    return -p.entropy() - q.rate.log() + q.rate * p.mean


@register_kl(Beta, Uniform)
def _kl_beta_uniform(p: Beta, q: Uniform) -> Tensor:
    result = -p.entropy() + (q.high - q.low).log()
    return _inf_where(result, (q.low > 0) | (q.high < 1))


@register_kl(Uniform, Beta)
def _kl_uniform_beta(p: Uniform, q: Beta) -> Tensor:
    a, c, width = p.low, p.high, p.high - p.low
    mean_log_x = (c.xlogy(c) - a.xlogy(a)) / width - 1  # (x log x is 0 at 0)
    mean_log_1mx = ((1 - a).xlogy(1 - a) - (1 - c).xlogy(1 - c)) / width - 1
    alpha, beta = q.concentration1, q.concentration0
    result = -width.log() + log_beta(alpha, beta) - (alpha - 1) * mean_log_x - (beta - 1) * mean_log_1mx
    return _inf_where(result, (a < 0) | (c > 1))


def _infinite(p: Distribution, q: Distribution) -> Tensor:
    """inf over p's batch: p puts probability where q has none."""
    return Tensor(np.full(tuple(p.batch_shape), np.inf, dtype=p.mean.dtype))


for _p, _q in [
    (Normal, Uniform),
    (Normal, Exponential),
    (Normal, Beta),
    (Laplace, Uniform),
    (Laplace, Exponential),
    (Laplace, Beta),
    (Exponential, Uniform),
    (Exponential, Beta),
]:
    register_kl(_p, _q)(_infinite)
