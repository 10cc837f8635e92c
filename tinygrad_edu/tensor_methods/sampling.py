"""Random draws by a Tensor's methods: multinomial, bernoulli, and the in-place fills uniform_, normal_, ...

`p.multinomial(n)` and `p.bernoulli()` draw with the probabilities in p; the
methods ending in `_` fill self with draws from a distribution, from
`generator` or the global one (tg.manual_seed). The draws are sampling.py's
(uniform_ and normal_ take theirs from nn/init.py); they carry no gradient.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..tensor import Tensor


class SamplingMethods:
    """Random draws: `p.multinomial(3)`, `p.bernoulli()`, `x.uniform_()`, `x.normal_()`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    def multinomial(
        self: Tensor,
        num_samples: int,
        replacement: bool = False,
        *,
        generator: np.random.Generator | None = None,
    ) -> Tensor:
        """Category indices (int64) drawn with probabilities proportional to this (k,) or (B, k) tensor."""
        from .. import sampling  # (sampling.py imports tensor.py)

        return sampling.multinomial(self, num_samples, replacement, generator=generator)

    def bernoulli(
        self: Tensor, p: float | None = None, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """1 with probability self_i (or p), else 0, in self's shape and dtype."""
        from .. import sampling  # (sampling.py imports tensor.py)

        return sampling.bernoulli(self, p, generator=generator)

    def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: np.random.Generator | None = None) -> Tensor:
        """Fill in place with 1 with probability p (a number, or a tensor broadcast to self), else 0."""
        from .. import sampling  # (sampling.py imports tensor.py)

        return sampling.bernoulli_(self, p, generator=generator)

    def exponential_(
        self: Tensor, lambd: float = 1.0, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with samples of Exp(lambd), density lambd e^(-lambd x)."""
        from .. import sampling  # (sampling.py imports tensor.py)

        return sampling.exponential_(self, lambd, generator=generator)

    def geometric_(self: Tensor, p: float, *, generator: np.random.Generator | None = None) -> Tensor:
        """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
        from .. import sampling  # (sampling.py imports tensor.py)

        return sampling.geometric_(self, p, generator=generator)

    def log_normal_(
        self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with e^y for y ~ N(mean, std^2)."""
        from .. import sampling  # (sampling.py imports tensor.py)

        return sampling.log_normal_(self, mean, std, generator=generator)

    def cauchy_(
        self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with samples of the Cauchy distribution around median with scale sigma."""
        from .. import sampling  # (sampling.py imports tensor.py)

        return sampling.cauchy_(self, median, sigma, generator=generator)

    def random_(
        self: Tensor, from_: int = 0, to: int | None = None, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with integers drawn uniformly from [from_, to); random_(to) from 0."""
        from .. import sampling  # (sampling.py imports tensor.py)

        return sampling.random_(self, from_, to, generator=generator)

    def uniform_(
        self: Tensor, from_: float = 0.0, to: float = 1.0, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with samples of U(from_, to) from `generator` or the global one (as `nn.init.uniform_`).

        PyTorch names the bounds `from` and `to`; `from` is a Python keyword, so here it is `from_`.

        An in-place op like `copy_`: refused on a leaf that requires grad (use
        `nn.init.uniform_`, or no_grad), and no gradient flows to the old values.
        """
        from ..nn import init
        from ..sampling import fill_with_draws  # (draws nothing if the write is refused)

        return fill_with_draws(self, generator, lambda gen: init.uniform_samples(self, from_, to, gen))

    def normal_(
        self: Tensor, mean: float = 0.0, std: float = 1.0, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with samples of N(mean, std^2) from `generator` or the global one (as `uniform_`)."""
        from ..nn import init
        from ..sampling import fill_with_draws

        return fill_with_draws(self, generator, lambda gen: init.normal_samples(self, mean, std, gen))
