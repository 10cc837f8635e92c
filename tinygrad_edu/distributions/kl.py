"""`kl_divergence(p, q)` = E_p[log p(X) - log q(X)], and `register_kl` to add a pair of families.

The closed forms, per batch element:

    Normal      1/2 (r + ((mu_p - mu_q) / s_q)^2 - 1 - log r),  r = (s_p / s_q)^2
    Bernoulli   p log(p/q) + (1-p) log((1-p)/(1-q))              (written with softplus of the logits)
    Categorical sum_k p_k (log p_k - log q_k)
    Uniform     log((b_q - a_q) / (b_p - a_p)), inf unless [a_p, b_p] lies in [a_q, b_q]
    Exponential r - 1 - log r,  r = rate_q / rate_p
    Laplace     -log(s) + |mu_p - mu_q| / b_q + s e^(-|mu_p - mu_q| / b_p) - 1,  s = b_p / b_q
    Beta        log B(a_q, b_q) - log B(a_p, b_p) + (a_p - a_q) psi(a_p) + (b_p - b_q) psi(b_p)
                + (a_q + b_q - a_p - b_p) psi(a_p + b_p)
    MultivariateNormal
                sum_i log Lq_ii - sum_i log Lp_ii + (|Lq^{-1} Lp|_F^2 + |Lq^{-1} (mu_q - mu_p)|^2 - n) / 2
                = (tr(Sq^{-1} Sp) + Mahalanobis + log det Sq - log det Sp - n) / 2,  S = L L^T
    OneHotCategorical   the Categorical's
    Independent the base pair's KL summed over the reinterpreted dims (both must reinterpret as many)

Where q gives 0 probability to something p can produce, the divergence is
inf; where p gives 0 to a term, that term is 0 (0 log 0 = 0).

The VAE's regulariser, KL(N(mu, sigma^2) || N(0, 1)) summed over the latent dims::

    kl = kl_divergence(Normal(mu, sigma), Normal(0.0, 1.0)).sum(-1)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..linalg import solve_triangular
from ..tensor import Tensor
from .bernoulli import Bernoulli
from .beta import Beta, log_beta
from .categorical import Categorical
from .distribution import Distribution
from .exponential import Exponential
from .independent import Independent, sum_rightmost
from .laplace import Laplace
from .multivariate_normal import MultivariateNormal, half_log_det, mahalanobis
from .normal import Normal
from .one_hot_categorical import OneHotCategorical
from .uniform import Uniform
from .utils import softplus

__all__ = ["kl_divergence", "register_kl"]

KLFunction = Callable[[Any, Any], Tensor]
_KL_REGISTRY: dict[tuple[type, type], KLFunction] = {}


def register_kl(type_p: type, type_q: type) -> Callable[[KLFunction], KLFunction]:
    """Decorator: `fn(p, q)` computes KL(p || q) for p of type_p and q of type_q (or their subclasses).

    @register_kl(Normal, Normal)
    def kl_normal_normal(p, q): ...
    """
    for name, t in (("type_p", type_p), ("type_q", type_q)):
        if not (isinstance(t, type) and issubclass(t, Distribution)):
            raise TypeError(f"Expected {name} to be a Distribution subclass but got {t}")

    def decorator(fn: KLFunction) -> KLFunction:
        _KL_REGISTRY[type_p, type_q] = fn
        return fn

    return decorator


def kl_divergence(p: Distribution, q: Distribution) -> Tensor:
    """KL(p || q), batch_shape, by the registered function of the most specific matching pair of types."""
    mro_p, mro_q = type(p).__mro__, type(q).__mro__
    matches = [(mro_p.index(tp) + mro_q.index(tq), fn) for (tp, tq), fn in _KL_REGISTRY.items()
               if tp in mro_p and tq in mro_q]  # fmt: skip
    if not matches:
        raise NotImplementedError(
            f"No KL(p || q) is implemented for p type {type(p).__name__} and q type {type(q).__name__}"
        )
    return min(matches, key=lambda m: m[0])[1](p, q)


def _inf_where(value: Tensor, condition: Tensor) -> Tensor:
    return value.masked_fill(condition, float("inf"))


@register_kl(Normal, Normal)
def _kl_normal_normal(p: Normal, q: Normal) -> Tensor:
    ratio = (p.scale / q.scale) ** 2
    shift = ((p.loc - q.loc) / q.scale) ** 2
    return 0.5 * (ratio + shift - 1 - ratio.log())


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p: Bernoulli, q: Bernoulli) -> Tensor:
    # log(p/q) = softplus(-l_q) - softplus(-l_p), and log((1-p)/(1-q)) = softplus(l_q) - softplus(l_p).
    ones = p.probs * (softplus(-q.logits) - softplus(-p.logits))
    ones = _inf_where(ones, q.probs == 0).masked_fill(p.probs == 0, 0.0)
    zeros = (1 - p.probs) * (softplus(q.logits) - softplus(p.logits))
    zeros = _inf_where(zeros, q.probs == 1).masked_fill(p.probs == 1, 0.0)
    return ones + zeros


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p: Categorical, q: Categorical) -> Tensor:
    terms = p.probs * (p.logits - q.logits)
    terms = _inf_where(terms, (q.probs == 0).expand(terms.shape))
    terms = terms.masked_fill((p.probs == 0).expand(terms.shape), 0.0)
    return terms.sum(-1)


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p: Uniform, q: Uniform) -> Tensor:
    result = ((q.high - q.low) / (p.high - p.low)).log()
    return _inf_where(result, (q.low > p.low) | (q.high < p.high))


@register_kl(Exponential, Exponential)
def _kl_exponential_exponential(p: Exponential, q: Exponential) -> Tensor:
    ratio = q.rate / p.rate
    return ratio - 1 - ratio.log()


@register_kl(Laplace, Laplace)
def _kl_laplace_laplace(p: Laplace, q: Laplace) -> Tensor:
    ratio = p.scale / q.scale
    gap = (p.loc - q.loc).abs()
    return -ratio.log() + gap / q.scale + ratio * (-gap / p.scale).exp() - 1


@register_kl(Beta, Beta)
def _kl_beta_beta(p: Beta, q: Beta) -> Tensor:
    ap, bp, aq, bq = p.concentration1, p.concentration0, q.concentration1, q.concentration0
    return (
        log_beta(aq, bq)
        - log_beta(ap, bp)
        + (ap - aq) * ap.digamma()
        + (bp - bq) * bp.digamma()
        + (aq + bq - ap - bp) * (ap + bp).digamma()
    )


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariatenormal_multivariatenormal(p: MultivariateNormal, q: MultivariateNormal) -> Tensor:
    if p.event_shape != q.event_shape:
        raise ValueError(
            "KL-divergence between two Multivariate Normals with different event shapes cannot be computed"
        )
    lp, lq, n = p._unbroadcasted_scale_tril, q._unbroadcasted_scale_tril, p.event_shape[0]
    # tr(Sq^{-1} Sp) = |Lq^{-1} Lp|_F^2: one triangular solve, no inverse
    trace = (solve_triangular(lq, lp, upper=False) ** 2).sum((-2, -1))
    return half_log_det(lq) - half_log_det(lp) + 0.5 * (trace + mahalanobis(lq, q.loc - p.loc) - n)


@register_kl(OneHotCategorical, OneHotCategorical)
def _kl_onehotcategorical_onehotcategorical(p: OneHotCategorical, q: OneHotCategorical) -> Tensor:
    return _kl_categorical_categorical(p._categorical, q._categorical)


@register_kl(Independent, Independent)
def _kl_independent_independent(p: Independent, q: Independent) -> Tensor:
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError  # (as PyTorch: which dims to sum would be ambiguous)
    return sum_rightmost(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims)
