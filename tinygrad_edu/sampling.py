"""Sampling from distributions whose parameters are tensors: multinomial, bernoulli, normal, poisson.

Also the in-place fillers PyTorch has besides `uniform_`/`normal_`
(`exponential_`, `geometric_`, `log_normal_`, `cauchy_`, `random_`,
`bernoulli_`) and `randint_like`. Every draw comes from the `generator=` given
or the global one, so ``tg.manual_seed(n)`` repeats a run. Each call checks
its arguments before drawing: a refused call leaves the generator (and the
tensor) as it was.

The samples are not differentiable in their parameters (PyTorch has no
reparameterisation here either): where a parameter requires grad, the result
is attached to it with a gradient of 0, as PyTorch's `NormalBackward` is.

The char-level language model's sampling step::

    probs = logits[:, -1].softmax(-1)           # (B, vocab)
    next_char = probs.multinomial(1)            # (B, 1), int64
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .dtypes import get_default_dtype
from .factories import _size, randint
from .ops import elementwise
from .ops.broadcast import broadcast_shape
from .random import generator_or_default
from .tensor import Tensor, check_device

Rng = np.random.Generator | None


def _zero_grad_from(sample: np.ndarray, *params: Any) -> Tensor:
    """`sample` as a Tensor that depends on the tensor `params` with a gradient of 0.

    where(False, p, sample) is `sample` everywhere, and sends no gradient to p
    (0, not nan, even where p is inf).
    """
    out = Tensor._wrap(sample)
    nowhere = Tensor._wrap(np.zeros(sample.shape, dtype=bool))
    for p in params:
        if isinstance(p, Tensor) and p.requires_grad:
            out = elementwise.where(nowhere, p.to(sample.dtype), out)
    return out


def fill_with_draws(tensor: Tensor, generator: Rng, draw: Callable[[np.random.Generator], Any]) -> Tensor:
    """``tensor.copy_(draw(gen))`` for the generator `gen` given (or the global one).

    The write can still be refused after the draw (a leaf that requires grad,
    an expanded tensor): then the generator's state is put back, so a failed
    call draws nothing, as in PyTorch, which checks before drawing.
    """
    gen = generator_or_default(generator)
    state = gen.bit_generator.state
    try:
        return tensor.copy_(Tensor._wrap(np.asarray(draw(gen))))
    except BaseException:
        gen.bit_generator.state = state
        raise


def _require_float(x: Tensor, op: str, error: type[Exception] = NotImplementedError) -> None:
    if x.data.dtype.kind != "f":
        raise error(f"{op}: expected a floating-point tensor, not {x.dtype}")


# ------------------------------------------------------------------ multinomial


def multinomial(
    input: Tensor, num_samples: int, replacement: bool = False, *, generator: Rng = None
) -> Tensor:
    """Category indices drawn with probabilities proportional to the rows of `input`.

    input (k,) or (B, k) of non-negative weights (they need not sum to 1):
    the result is int64 (num_samples,) or (B, num_samples). With
    replacement, each draw is independent: u ~ U(0, total) picks the first i
    with cumsum(w)[i] > u (inverse CDF), so a weight of 0 is never picked.
    Without, each row's categories race: key_i = w_i / E_i with E_i ~ Exp(1),
    and the num_samples largest keys win, in order. This is drawing one at a
    time without putting back (the race's winner is i with probability
    w_i / sum(w), and the others race on); categories of weight 0 come last.
    """
    rows = input.data if input.ndim == 2 else input.data[None]
    if input.data.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {input.dtype}")
    if input.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got shape {input.shape}")
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample n_sample <= 0 samples (got {num_samples})")
    k = rows.shape[-1]
    if not replacement and num_samples > k:
        raise RuntimeError(
            f"multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement "
            f"({num_samples} > {k})"
        )
    w = rows.astype(np.float64)
    if not np.all(np.isfinite(w) & (w >= 0)):
        raise RuntimeError("multinomial: probability tensor contains either `inf`, `nan` or element < 0")
    total = w.sum(-1, keepdims=True)
    if np.any(total <= 0):
        raise RuntimeError("multinomial: invalid multinomial distribution (sum of probabilities <= 0)")
    rng = generator_or_default(generator)
    if replacement:
        u = rng.random((len(w), num_samples)) * total  # (B, n), each in [0, total)
        picked = (np.cumsum(w, -1)[:, None, :] <= u[:, :, None]).sum(-1)
        picked = np.minimum(picked, k - 1)  # (u rounded up to the total: the last category)
    else:
        keys = w / rng.exponential(size=w.shape)
        picked = np.argsort(-keys, axis=-1, kind="stable")[:, :num_samples]
    picked = picked.astype(np.int64)
    return Tensor._wrap(picked if input.ndim == 2 else picked[0])


# ------------------------------------------------------------------ bernoulli


def bernoulli(input: Tensor, p: float | None = None, *, generator: Rng = None) -> Tensor:
    """1 with probability input_i (or, given p, with probability p), else 0; input's shape and dtype."""
    if p is None:
        _require_float(input, "bernoulli")
        probs = input.data
        if not np.all((probs >= 0) & (probs <= 1)):  # (nan fails both)
            raise RuntimeError("bernoulli: expected every probability in [0, 1] (p_in >= 0 && p_in <= 1)")
    else:
        _check_probability(p, "bernoulli_")
        probs = np.asarray(p)
    draws = generator_or_default(generator).random(input.shape) < probs
    return _zero_grad_from(draws.astype(input.dtype), input)


def bernoulli_(self: Tensor, p: float | Tensor = 0.5, *, generator: Rng = None) -> Tensor:
    """self filled, in place, with 1 with probability p (a number, or a tensor broadcast to self) else 0."""
    if isinstance(p, Tensor):
        probs = p.data
        if not np.all((probs >= 0) & (probs <= 1)):
            raise RuntimeError("bernoulli_: expected every probability in [0, 1] (p_in >= 0 && p_in <= 1)")
        try:
            probs = np.broadcast_to(probs, self.shape)
        except ValueError:
            raise RuntimeError(
                f"bernoulli_: the probabilities of shape {p.shape} cannot be expanded to the tensor's "
                f"shape {self.shape}"
            ) from None
    else:
        _check_probability(p, "bernoulli_")
        probs = np.asarray(p)
    return fill_with_draws(self, generator, lambda gen: gen.random(self.shape) < probs)


def _check_probability(p: Any, op: str) -> None:
    if not 0 <= p <= 1:
        raise RuntimeError(f"{op} expects p to be in [0, 1], but got p={p}")


# ------------------------------------------------------------------ normal, poisson


def normal(
    mean: Tensor | float,
    std: Tensor | float = 1.0,
    size: Any = None,
    *,
    generator: Rng = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Samples of N(mean, std^2): mean + std * z with z ~ N(0, 1).

    The overloads of torch.normal: tensor mean and/or tensor std (they
    broadcast; the result has their shape and dtype), or float mean and
    float std with a `size`. The gradient to a tensor mean or std is 0.
    """
    check_device(device)
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError(
                "normal(): with a float mean and a float std, give the size (normal(0., 1., (2, 3)))"
            )
        shape = _size((), size, "normal")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
        z = generator_or_default(generator).standard_normal(shape)
        out = Tensor._wrap(np.asarray(float(mean) + float(std) * z, dtype=dtype or get_default_dtype()))
        return out.requires_grad_(True) if requires_grad else out
    if size is not None:
        raise TypeError(
            "normal(): a size is for a float mean and std; with a tensor, the result has its shape"
        )
    for t in tensors:
        _require_float(t, "normal")
    if isinstance(std, Tensor):
        if np.any(std.data < 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    shape = broadcast_shape(*(t.shape for t in tensors), op="normal")
    out_dtype = np.result_type(*(t.data.dtype for t in tensors))
    mu, sigma = (t.data if isinstance(t, Tensor) else t for t in (mean, std))
    z = generator_or_default(generator).standard_normal(shape)
    return _zero_grad_from((mu + sigma * z).astype(out_dtype), mean, std)


def poisson(input: Tensor, generator: Rng = None) -> Tensor:
    """Counts drawn from Poisson(rate_i), one per element of `input` (the rates), in input's dtype."""
    _require_float(input, "poisson")
    if not np.all(input.data >= 0):
        raise RuntimeError("poisson: invalid Poisson rate, expected rate to be non-negative")
    counts = generator_or_default(generator).poisson(input.data)
    return _zero_grad_from(counts.astype(input.dtype), input)


def randint_like(
    input: Tensor,
    low: int = 0,
    high: int | None = None,
    *,
    generator: Rng = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high) in input's shape and dtype; randint_like(x, high) from 0."""
    if high is None:
        low, high = 0, low
    out = randint(low, high, input.shape, generator=generator, dtype=dtype or input.dtype, device=device)
    return out.requires_grad_(True) if requires_grad else out


# ------------------------------------------------------------------ in-place fillers


def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Rng = None) -> Tensor:
    """Fill with samples of Exp(lambd), density lambd e^(-lambd x) on x >= 0."""
    _require_float(self, "exponential_ (a continuous distribution)", RuntimeError)
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    return fill_with_draws(self, generator, lambda gen: gen.exponential(1 / lambd, self.shape))


def geometric_(self: Tensor, p: float, *, generator: Rng = None) -> Tensor:
    """Fill with the number of Bernoulli(p) trials up to and including the first success (1, 2, ...)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    return fill_with_draws(self, generator, lambda gen: gen.geometric(p, self.shape))


def log_normal_(self: Tensor, mean: float = 1.0, std: float = 2.0, *, generator: Rng = None) -> Tensor:
    """Fill with e^y for y ~ N(mean, std^2): mean and std are those of the log."""
    _require_float(self, "log_normal_")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
    return fill_with_draws(self, generator, lambda gen: gen.lognormal(mean, std, self.shape))


def cauchy_(self: Tensor, median: float = 0.0, sigma: float = 1.0, *, generator: Rng = None) -> Tensor:
    """Fill with samples of the Cauchy distribution, density 1 / (pi sigma (1 + ((x - median) / sigma)^2))."""
    _require_float(self, "cauchy_ (a continuous distribution)", RuntimeError)
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
    return fill_with_draws(self, generator, lambda gen: median + sigma * gen.standard_cauchy(self.shape))


def random_(self: Tensor, from_: int = 0, to: int | None = None, *, generator: Rng = None) -> Tensor:
    """Fill with integers drawn uniformly from [from_, to); random_(to) from 0.

    With no bound, [0, 2^mantissa] for a float dtype (every such integer is
    exact) and [0, max] for an integer one, as in PyTorch.
    """
    if to is None and from_ != 0:
        from_, to = 0, from_  # random_(to)
    if to is None:
        kind = self.data.dtype
        if kind == np.bool_:
            to = 2
        elif kind.kind == "f":
            to = 2 ** (np.finfo(kind).nmant + 1) + 1  # (the stored bits and the implicit leading 1)
        else:
            to = int(np.iinfo(kind).max) + 1
    if from_ >= to:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}")
    return fill_with_draws(
        self, generator, lambda gen: gen.integers(from_, to, self.shape).astype(self.dtype)
    )
