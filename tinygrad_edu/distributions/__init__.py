"""`tg.distributions`, as torch.distributions: probability distributions with log_prob, sampling and KL.

    Distribution        the base: batch_shape, event_shape, sample, rsample, log_prob, entropy, ...
    Normal              N(loc, scale^2)                     rsample, cdf, icdf
    Bernoulli           coin flips, probs= or logits=
    Categorical         one of K classes, probs= or logits=
    Uniform             U[low, high)                        rsample, cdf, icdf
    Exponential         Exp(rate)                           rsample, cdf, icdf
    Laplace             Laplace(loc, scale)                 rsample, cdf, icdf
    Beta                Beta(concentration1, concentration0)
    MultivariateNormal  N(loc, Sigma) over vectors          rsample; covariance, precision or scale_tril
    OneHotCategorical   Categorical with one-hot vectors as draws
    Independent         a batch's rightmost dims read as one event (log_prob summed over them)
    constraints         the sets parameters and values are checked against
    kl_divergence       KL(p || q) for the pairs registered with register_kl (kl.py within a
                        family, kl_across.py across two)

Draws come from the global generator, so ``tg.manual_seed(n)`` repeats them.
One file per family; the math of each is in its module docstring.
"""

from . import constraints, kl_across  # noqa: F401 (importing kl_across registers its KL pairs)
from .bernoulli import Bernoulli
from .beta import Beta
from .categorical import Categorical
from .distribution import Distribution
from .exponential import Exponential
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical
from .uniform import Uniform

__all__ = [
    "Bernoulli",
    "Beta",
    "Categorical",
    "Distribution",
    "Exponential",
    "Independent",
    "Laplace",
    "MultivariateNormal",
    "Normal",
    "OneHotCategorical",
    "Uniform",
    "constraints",
    "kl_divergence",
    "register_kl",
]
