"""tinygrad_edu/distributions: the families' values against PyTorch's (where installed), and checks of
their own that need no PyTorch: densities that integrate to 1, cdfs that are the integral of the
density, sample moments within a few standard errors of the formulas, KL against its definition,
gradients against finite differences, and PyTorch's validation errors."""

import math
import re

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.distributions as D
from tinygrad_edu.testing import gradcheck

# name -> (family, parameters, values inside the support, one per batch element)
CASES = {
    "Normal": ("Normal", {"loc": [0.3, -1.2, 2.0], "scale": [0.5, 1.0, 2.5]}, [0.1, -0.4, 3.0]),
    "Bernoulli(probs)": ("Bernoulli", {"probs": [0.1, 0.5, 0.9]}, [1.0, 0.0, 1.0]),
    "Bernoulli(logits)": ("Bernoulli", {"logits": [-2.0, 0.3, 4.0]}, [0.0, 1.0, 1.0]),
    "Categorical(probs)": ("Categorical", {"probs": [[1.0, 2.0, 3.0], [0.5, 0.2, 0.3]]}, [2, 0]),
    "Categorical(logits)": ("Categorical", {"logits": [[0.1, -2.0, 1.5], [3.0, 0.0, 0.2]]}, [1, 0]),
    "Uniform": ("Uniform", {"low": [-1.0, 0.0, 2.0], "high": [1.0, 0.5, 5.0]}, [0.2, 0.1, 4.9]),
    "Exponential": ("Exponential", {"rate": [0.5, 1.0, 3.0]}, [0.2, 1.5, 0.0]),
    "Laplace": ("Laplace", {"loc": [0.0, 1.0, -2.0], "scale": [1.0, 0.3, 2.0]}, [0.5, 1.2, -5.0]),
    "Beta": ("Beta", {"concentration1": [0.5, 2.0, 3.0], "concentration0": [0.7, 2.0, 1.5]}, [0.2, 0.5, 0.9]),
}
CONTINUOUS = ["Normal", "Uniform", "Exponential", "Laplace", "Beta"]


def ours(case, requires_grad=False, **kwargs):
    family, params, _ = CASES[case]
    tensors = {k: tg.tensor(v, dtype=tg.float64, requires_grad=requires_grad) for k, v in params.items()}
    return getattr(D, family)(**tensors, **kwargs), tensors


def value_of(case):
    family, _, value = CASES[case]
    return tg.tensor(value, dtype=tg.int64 if family == "Categorical" else tg.float64)


# ------------------------------------------------------------------ against PyTorch


def theirs(torch, case, requires_grad=False):
    family, params, _ = CASES[case]
    tensors = {
        k: torch.tensor(v, dtype=torch.float64, requires_grad=requires_grad) for k, v in params.items()
    }
    return getattr(torch.distributions, family)(**tensors), tensors


def _torch_value(torch, case):
    return torch.tensor(value_of(case).data)


def _call(dist, name, value):
    """dist.name(value) (or the property), or the type of the exception it raised."""
    try:
        attr = getattr(dist, name)
        return attr(value) if name in ("log_prob", "cdf", "icdf") else attr() if callable(attr) else attr
    except NotImplementedError:
        return NotImplementedError


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(
    "name", ["log_prob", "entropy", "mean", "mode", "variance", "stddev", "cdf", "icdf", "perplexity"]
)
def test_values_match_pytorch(case, name):
    torch = pytest.importorskip("torch")
    value = value_of(case)
    if name == "icdf":
        value = tg.tensor([0.2, 0.5, 0.95][: value.shape[0]], dtype=tg.float64)
    mine, _ = ours(case)
    theirs_dist, _ = theirs(torch, case)
    got, want = _call(mine, name, value), _call(theirs_dist, name, torch.tensor(value.data))
    if want is NotImplementedError:  # the family has no such method in PyTorch: nor here
        assert got is NotImplementedError
        return
    assert isinstance(got, tg.Tensor) and got.shape == tuple(want.shape)
    np.testing.assert_allclose(got.data, want.detach().numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("case", CASES)
def test_gradients_of_log_prob_and_entropy_match_pytorch(case):
    torch = pytest.importorskip("torch")
    mine, params = ours(case, requires_grad=True)
    theirs_dist, tparams = theirs(torch, case, requires_grad=True)
    (mine.log_prob(value_of(case)).sum() + 0.3 * mine.entropy().sum()).backward()
    (theirs_dist.log_prob(_torch_value(torch, case)).sum() + 0.3 * theirs_dist.entropy().sum()).backward()
    # NOTE: PyTorch's trigamma (in Beta's entropy gradient) is off by up to 1.5e-9 at these points,
    # measured against mpmath, where this package's is within 2e-15: Beta gets that much room.
    rtol = 5e-9 if CASES[case][0] == "Beta" else 1e-10
    for k in params:
        np.testing.assert_allclose(params[k].grad.data, tparams[k].grad.numpy(), rtol=rtol, atol=1e-12)


KL_CASES = ["Normal", "Bernoulli(probs)", "Categorical(logits)", "Uniform", "Exponential", "Laplace", "Beta"]


def _other(case, scale=1.3, shift=0.2):
    """A second distribution of the same family, its parameters moved (Uniform's widened, to contain p)."""
    family, params, _ = CASES[case]
    moved = {}
    for k, v in params.items():
        v = np.asarray(v, dtype=np.float64)
        moved[k] = {"low": v - shift, "high": v + shift, "logits": v[..., ::-1] + shift}.get(k, v * scale)
    if family == "Bernoulli":
        moved = {"probs": np.asarray(params["probs"]) ** 1.5}
    return family, moved


@pytest.mark.parametrize("case", KL_CASES)
def test_kl_divergence_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    family, moved = _other(case)
    p, _ = ours(case)
    q = getattr(D, family)(**{k: tg.tensor(v.copy()) for k, v in moved.items()})
    tp, _ = theirs(torch, case)
    tq = getattr(torch.distributions, family)(**{k: torch.tensor(v.copy()) for k, v in moved.items()})
    np.testing.assert_allclose(
        D.kl_divergence(p, q).data, torch.distributions.kl_divergence(tp, tq).numpy(), rtol=1e-12, atol=1e-14
    )
    # and the other way round, where the support allows (a wider uniform in a narrower one: inf)
    np.testing.assert_allclose(
        D.kl_divergence(q, p).data, torch.distributions.kl_divergence(tq, tp).numpy(), rtol=1e-12, atol=1e-14
    )


def _torch_message(msg):
    """PyTorch's message with torch.Size([2, 3]) written as the tuple (2, 3), as shapes print here."""
    return re.sub(
        r"torch\.Size\(\[(.*?)\]\)", lambda m: str(tuple(int(x) for x in m.group(1).split(",") if x)), msg
    )


ERRORS = [
    ("Normal", lambda m, t: m.Normal(t([0.0, 1.0]), t([1.0, -1.0]))),
    ("Normal nan", lambda m, t: m.Normal(t([0.0, float("nan")]), t([1.0, 1.0]))),
    ("Normal shape", lambda m, t: m.Normal(t([0.0, 1.0]), t([1.0, 2.0])).log_prob(t([1.0, 2.0, 3.0]))),
    ("Normal number", lambda m, t: m.Normal(0.0, 1.0).log_prob(1.0)),
    ("Uniform bounds", lambda m, t: m.Uniform(1.0, 0.0)),
    ("Uniform outside", lambda m, t: m.Uniform(0.0, 1.0).log_prob(t([2.0]))),
    ("Uniform cdf", lambda m, t: m.Uniform(0.0, 2.0).cdf(t(3.0))),
    ("Bernoulli value", lambda m, t: m.Bernoulli(t([0.3])).log_prob(t([0.5]))),
    ("Bernoulli probs", lambda m, t: m.Bernoulli(t([0.3, 1.2]))),
    ("Bernoulli both", lambda m, t: m.Bernoulli(probs=t([0.3]), logits=t([0.3]))),
    ("Bernoulli neither", lambda m, t: m.Bernoulli()),
    ("Categorical simplex", lambda m, t: m.Categorical(t([-0.3, 0.2]))),
    ("Categorical 0-d", lambda m, t: m.Categorical(t(0.3))),
    ("Categorical value", lambda m, t: m.Categorical(logits=t([0.3, 0.2])).log_prob(t(2))),
    ("Categorical half", lambda m, t: m.Categorical(logits=t([0.3, 0.2])).log_prob(t(1.5))),
    ("Categorical batch", lambda m, t: m.Categorical(t([[0.3, 0.7]] * 2)).log_prob(t([1, 0, 1]))),
    ("Exponential rate", lambda m, t: m.Exponential(t([1.0, 0.0]))),
    ("Exponential value", lambda m, t: m.Exponential(t([1.0])).log_prob(t([-1.0]))),
    ("Laplace scale", lambda m, t: m.Laplace(t([0.0]), t([-2.0]))),
    # (Beta's are not compared: PyTorch's come from the Dirichlet inside it; see test_beta_errors)
]


@pytest.mark.parametrize("make", [e[1] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors_match_pytorch(make):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as want:
        make(torch.distributions, torch.tensor)
    with pytest.raises(type(want.value)) as got:
        make(D, tg.tensor)
    assert str(got.value) == _torch_message(str(want.value))


def test_beta_errors():
    """PyTorch's name the Dirichlet it builds inside (and print "Beta()"); these name Beta's parameters."""
    with pytest.raises(ValueError) as bad_parameter:
        D.Beta(tg.tensor([2.0]), tg.tensor([0.0]))
    assert str(bad_parameter.value) == (
        "Expected parameter concentration0 (Tensor of shape (1,)) of distribution "
        "Beta(concentration1: tensor([2.]), concentration0: tensor([0.])) to satisfy the constraint "
        "GreaterThan(lower_bound=0.0), but found invalid values:\ntensor([0.])"
    )
    with pytest.raises(
        ValueError, match=r"within the support \(Interval\(lower_bound=0.0, upper_bound=1.0\)\)"
    ):
        D.Beta(tg.tensor([2.0]), 2.0).log_prob(tg.tensor([1.5]))


# ------------------------------------------------------------------ without PyTorch: the formulas


@pytest.mark.parametrize(
    "case, lo, hi",
    [("Normal", -15.0, 25.0), ("Uniform", -2.0, 6.0), ("Exponential", 0.0, 80.0), ("Laplace", -60, 40)]
    + [("Beta", 0.0, 1.0)],
)
def test_density_integrates_to_one_and_cdf_and_entropy_are_its_integrals(case, lo, hi):
    dist, _ = ours(case, validate_args=False)
    if case == "Beta":  # a density with finite ends, for the trapezoid rule
        dist = D.Beta(
            tg.tensor([1.0, 2.0, 3.0], dtype=tg.float64), tg.tensor([1.5, 2.0, 4.0], dtype=tg.float64)
        )
    x = np.linspace(lo, hi, 400_001)[:, None]
    density = dist.log_prob(tg.tensor(x)).exp().data  # (grid, batch)
    inside = np.isfinite(density)  # Uniform's log 0 = -inf gives 0
    density = np.where(inside, density, 0.0)
    # the trapezoid rule's error: O(h^2) where the density is smooth, up to h max(p) across a jump
    h = x[1, 0] - x[0, 0]
    atol = h * density.max() if case == "Uniform" else 1e-6
    np.testing.assert_allclose(np.trapezoid(density, x[:, 0], axis=0), 1.0, atol=atol)
    with np.errstate(invalid="ignore", divide="ignore"):  # 0 log 0 outside the support, dropped
        surprise = np.where(density > 0, -density * np.log(density), 0.0)
    np.testing.assert_allclose(dist.entropy().data, np.trapezoid(surprise, x[:, 0], axis=0), atol=atol)
    try:
        cdf = dist.cdf(tg.tensor(x[::40_000])).data
    except NotImplementedError:
        return
    running = np.concatenate(
        [np.zeros((1, 3)), np.cumsum((density[1:] + density[:-1]) / 2, 0) * (x[1] - x[0])]
    )
    np.testing.assert_allclose(cdf, running[::40_000] + cdf[:1], atol=atol)
    q = tg.tensor([[0.1], [0.5], [0.9]], dtype=tg.float64)
    np.testing.assert_allclose(dist.cdf(dist.icdf(q)).data, np.broadcast_to(q.data, (3, 3)), rtol=1e-12)


@pytest.mark.parametrize("case", ["Bernoulli(probs)", "Bernoulli(logits)", "Categorical(probs)"])
def test_probabilities_of_the_support_sum_to_one(case):
    dist, _ = ours(case)
    support = dist.enumerate_support()  # (values, *batch_shape)
    assert support.shape[1:] == dist.batch_shape
    np.testing.assert_allclose(dist.log_prob(support).exp().sum(0).data, 1.0, rtol=1e-12)
    entropy = -(dist.log_prob(support).exp() * dist.log_prob(support)).sum(0)
    np.testing.assert_allclose(dist.entropy().data, entropy.data, rtol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_sample_moments_match_mean_and_variance(case):
    tg.manual_seed(0)
    dist, _ = ours(case)
    n = 40_000
    x = dist.sample((n,))
    assert x.shape == (n,) + dist.batch_shape + dist.event_shape and not x.requires_grad
    assert bool(dist.support.check(x).all())
    if case.startswith("Categorical"):  # no mean: compare the frequencies with the probabilities
        freq = (x.data[..., None] == np.arange(3)).mean(0)
        p = dist.probs.data
        np.testing.assert_allclose(freq, p, atol=5 * np.sqrt(p * (1 - p) / n).max())
        return
    m, v = x.data.mean(0), x.data.var(0)
    np.testing.assert_array_less(np.abs(m - dist.mean.data), 5 * np.sqrt(dist.variance.data / n))
    fourth = ((x.data - m) ** 4).mean(0)
    np.testing.assert_array_less(np.abs(v - dist.variance.data), 5 * np.sqrt((fourth - v**2) / n))


@pytest.mark.parametrize("case", CASES)
def test_manual_seed_repeats_the_draws(case):
    dist, _ = ours(case)
    tg.manual_seed(3)
    first = dist.sample((5,))
    tg.manual_seed(3)
    np.testing.assert_array_equal(dist.sample((5,)).data, first.data)
    assert not np.array_equal(dist.sample((5,)).data, first.data)


def test_samples_keep_the_parameters_dtype():
    assert D.Normal(tg.tensor([0.0]), 1.0).sample((2,)).dtype == tg.float32
    assert D.Normal(0.0, 1.0).rsample().dtype == tg.get_default_dtype()
    assert D.Normal(tg.tensor(0.0, dtype=tg.float64), 1).scale.dtype == tg.float64
    assert D.Bernoulli(tg.tensor([0.5])).sample().dtype == tg.float32
    assert D.Categorical(tg.ones(3)).sample((4,)).dtype == tg.int64
    assert D.Beta(tg.tensor([2.0]), 3.0).sample().dtype == tg.float32


def test_sample_n_is_sample_of_n_with_pytorchs_warning():
    tg.manual_seed(0)
    with pytest.warns(
        FutureWarning, match=r"`sample_n\(n\)` will be deprecated. Use `sample\(\(n,\)\)` instead."
    ):
        drawn = D.Normal(tg.zeros(2), 1.0).sample_n(3)
    tg.manual_seed(0)
    assert drawn.shape == (3, 2) and drawn.tolist() == D.Normal(tg.zeros(2), 1.0).sample((3,)).tolist()


@pytest.mark.parametrize("case", KL_CASES)
def test_kl_divergence_is_its_definition(case):
    family, moved = _other(case)
    p, _ = ours(case, validate_args=False)
    q = getattr(D, family)(**{k: tg.tensor(v.copy()) for k, v in moved.items()}, validate_args=False)
    if case == "Beta":  # densities with finite ends, for the trapezoid rule
        a, b = tg.tensor([1.5, 2.0, 3.0], dtype=tg.float64), tg.tensor([1.5, 2.0, 4.0], dtype=tg.float64)
        p, q = D.Beta(a, b, validate_args=False), D.Beta(a * 1.3, b * 1.1, validate_args=False)
    if case in CONTINUOUS:  # E_p[log p - log q] on a fine grid over the support
        lo, hi = {"Beta": (0.0, 1.0), "Exponential": (0.0, 80.0)}.get(case, (-60.0, 60.0))
        x = np.linspace(lo, hi, 1_200_001)[:, None]
        lp, lq = p.log_prob(tg.tensor(x)).data, q.log_prob(tg.tensor(x)).data
        with np.errstate(invalid="ignore"):  # (-inf) - (-inf) outside the support, dropped next
            integrand = np.where(np.isfinite(lp), np.exp(lp) * (lp - lq), 0.0)
        integrand = np.where(np.exp(lp) == 0, 0.0, integrand)  # 0 log 0 = 0 at Beta's ends
        want = np.trapezoid(integrand, x[:, 0], axis=0)
        atol = 1e-4 if case == "Uniform" else 1e-7  # a jump at each end: error up to h max(p)
    else:
        support = p.enumerate_support()
        lp, lq = p.log_prob(support).data, q.log_prob(support).data
        want, atol = (np.exp(lp) * (lp - lq)).sum(0), 1e-14
    np.testing.assert_allclose(D.kl_divergence(p, q).data, want, rtol=1e-6, atol=atol)
    np.testing.assert_allclose(D.kl_divergence(p, p).data, 0.0, atol=1e-12)


def test_kl_of_disjoint_supports_is_inf():
    inside = D.kl_divergence(D.Uniform(0.0, 1.0), D.Uniform(-1.0, 2.0))
    np.testing.assert_allclose(inside.item(), math.log(3))
    assert D.kl_divergence(D.Uniform(0.0, 3.0), D.Uniform(-1.0, 2.0)).item() == math.inf
    p, q = D.Categorical(tg.tensor([0.5, 0.5, 0.0])), D.Categorical(tg.tensor([0.5, 0.0, 0.5]))
    assert D.kl_divergence(p, q).item() == math.inf
    assert math.isfinite(D.kl_divergence(q.expand(()), D.Categorical(tg.tensor([0.2, 0.3, 0.5]))).item())
    assert D.kl_divergence(D.Bernoulli(0.5), D.Bernoulli(0.0)).item() == math.inf
    assert D.kl_divergence(D.Bernoulli(1.0), D.Bernoulli(0.5)).item() == pytest.approx(math.log(2))


def test_kl_of_unknown_pairs_and_register_kl():
    with pytest.raises(NotImplementedError, match="implemented for p type Bernoulli and q type Normal"):
        D.kl_divergence(D.Bernoulli(0.5), D.Normal(0.0, 1.0))
    with pytest.raises(TypeError, match="type_p to be a Distribution subclass"):
        D.register_kl(int, D.Normal)

    class Shifted(D.Normal):
        pass

    # A subclass uses its parent's pair until it registers one of its own, which then wins.
    assert D.kl_divergence(Shifted(0.0, 1.0), D.Normal(1.0, 1.0)).item() == pytest.approx(0.5)

    @D.register_kl(Shifted, D.Normal)
    def _kl(p, q):
        return tg.tensor(-1.0)

    assert D.kl_divergence(Shifted(0.0, 1.0), D.Normal(1.0, 1.0)).item() == -1.0
    assert D.kl_divergence(D.Normal(0.0, 1.0), D.Normal(1.0, 1.0)).item() == pytest.approx(0.5)


# ------------------------------------------------------------------ gradients


@pytest.mark.parametrize("case", CASES)
def test_log_prob_and_entropy_pass_gradcheck(case):
    value = value_of(case)
    family, params, _ = CASES[case]
    inputs = [tg.tensor(v, dtype=tg.float64, requires_grad=True) for v in params.values()]

    def make(*ps):
        return getattr(D, family)(**dict(zip(params, ps)), validate_args=False)

    assert gradcheck(lambda *ps: make(*ps).log_prob(value), inputs)
    if family != "Uniform":  # (Uniform's log_prob jumps at its ends: checked well inside them)
        assert gradcheck(lambda *ps: make(*ps).entropy(), inputs)
    if family in ("Normal", "Exponential", "Laplace", "Uniform"):
        assert gradcheck(lambda *ps: make(*ps).cdf(tg.tensor(CASES[case][2], dtype=tg.float64)), inputs)


@pytest.mark.parametrize("case", ["Normal", "Uniform", "Exponential", "Laplace"])
def test_rsample_passes_gradcheck_and_sample_has_no_gradient(case):
    family, params, _ = CASES[case]
    inputs = [tg.tensor(v, dtype=tg.float64, requires_grad=True) for v in params.values()]

    def draw(*ps):
        tg.manual_seed(5)  # the same noise at every finite-difference step
        return getattr(D, family)(**dict(zip(params, ps))).rsample((4,))

    assert gradcheck(draw, inputs)
    dist = getattr(D, family)(*inputs)
    assert dist.has_rsample and dist.rsample().requires_grad and not dist.sample().requires_grad


def test_families_without_rsample_say_so():
    for dist in (D.Bernoulli(0.3), D.Categorical(tg.ones(2)), D.Beta(1.0, 2.0)):
        assert not dist.has_rsample
        with pytest.raises(NotImplementedError):
            dist.rsample()


def test_reinforce_gradient_reaches_the_logits():
    """The policy-gradient loss -log p(a) * advantage moves the logits toward (or away from) a."""
    logits = tg.tensor([[0.0, 0.0, 0.0]], dtype=tg.float64, requires_grad=True)
    dist = D.Categorical(logits=logits)
    action = tg.tensor([1])
    (-(dist.log_prob(action) * 2.0).sum()).backward()
    # d/dl_k (-2 log softmax(l)_1) = 2 (p_k - [k == 1])
    np.testing.assert_allclose(logits.grad.data, [[2 / 3, 2 / 3 - 2, 2 / 3]], rtol=1e-12)


# ------------------------------------------------------------------ shapes, validation, expand


def test_shapes_of_samples_and_log_prob():
    dist = D.Normal(tg.zeros(2, 1), tg.ones(3))
    assert dist.batch_shape == (2, 3) and dist.event_shape == ()
    assert dist.sample().shape == (2, 3) and dist.sample((4, 5)).shape == (4, 5, 2, 3)
    assert dist.log_prob(tg.zeros(7, 1, 3)).shape == (7, 2, 3)
    cat = D.Categorical(tg.ones(2, 4))
    assert cat.batch_shape == (2,) and cat.param_shape == (2, 4) and cat.sample((3,)).shape == (3, 2)
    assert cat.log_prob(tg.tensor([[1], [3]])).shape == (2, 2)
    with pytest.raises(TypeError):
        dist.sample(3)  # a shape is a tuple, as in PyTorch


def test_validate_args_can_be_turned_off_per_object_and_by_default():
    with pytest.raises(ValueError):
        D.Normal(0.0, -1.0)
    assert np.isnan(D.Normal(0.0, -1.0, validate_args=False).log_prob(tg.tensor(0.0)).item())
    assert D.Uniform(0.0, 1.0, validate_args=False).log_prob(tg.tensor(2.0)).item() == -math.inf
    D.Distribution.set_default_validate_args(False)
    try:
        D.Normal(0.0, -1.0)
    finally:
        D.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        D.Normal(0.0, -1.0)
    with pytest.raises(ValueError):
        D.Distribution.set_default_validate_args(3)


def test_expand_shares_the_parameters():
    loc = tg.tensor([0.0, 1.0], requires_grad=True)
    dist = D.Normal(loc, 1.0).expand((3, 2))
    assert dist.batch_shape == (3, 2) and dist.sample().shape == (3, 2)
    dist.log_prob(tg.zeros(3, 2)).sum().backward()
    np.testing.assert_allclose(loc.grad.data, [0.0, -3.0])
    with pytest.raises(RuntimeError):
        D.Bernoulli(tg.tensor([0.1, 0.2])).expand((3,))
    cat = D.Categorical(logits=tg.zeros(2, 3)).expand((4, 2))
    assert cat.batch_shape == (4, 2) and cat.logits.shape == (4, 2, 3) and "probs" not in cat.__dict__


def test_constraints_check_and_print():
    C = D.constraints
    assert C.positive.check(tg.tensor([1.0, 0.0, -1.0])).tolist() == [True, False, False]
    assert C.simplex.check(tg.tensor([[0.2, 0.8], [0.5, 0.6]])).tolist() == [True, False]
    assert C.integer_interval(0, 2).check(tg.tensor([0.0, 2.0, 3.0, 1.5])).tolist() == [
        True,
        True,
        False,
        False,
    ]
    assert C.independent(C.real, 1).check(tg.tensor([[1.0, float("nan")], [0.0, 1.0]])).tolist() == [
        False,
        True,
    ]
    assert repr(C.unit_interval) == "Interval(lower_bound=0.0, upper_bound=1.0)"
    assert repr(C.independent(C.real, 1)) == "IndependentConstraint(Real(), 1)"
    assert D.Normal(0.0, 1.0).__repr__() == "Normal(loc: 0.0, scale: 1.0)"
