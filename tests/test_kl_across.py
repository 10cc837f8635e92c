"""KL(p || q) between two different families (distributions/kl_across.py).

Each closed form is checked against its definition, E_p[log p(X) - log q(X)]
by the midpoint rule over p's support, and against PyTorch when it is installed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import distributions as D
from tinygrad_edu.testing import gradcheck


def f64(values):
    return tg.tensor(values, dtype=tg.float64)


# p, q (parameters as lists: one batch of three pairs), and the interval p lives on
MAKERS = {
    "Normal": lambda: D.Normal(f64([0.3, -1.0, 2.0]), f64([1.2, 0.5, 2.0])),
    "Laplace": lambda: D.Laplace(f64([0.1, -0.5, 1.0]), f64([0.7, 1.5, 0.3])),
    "Uniform": lambda: D.Uniform(f64([0.1, 0.2, 0.5]), f64([0.8, 0.7, 0.9])),
    "Exponential": lambda: D.Exponential(f64([0.7, 1.5, 3.0])),
    "Beta": lambda: D.Beta(f64([1.5, 2.5, 3.0]), f64([2.0, 1.5, 1.2])),
    "WideUniform": lambda: D.Uniform(f64([-0.5, -0.1, -0.2]), f64([1.5, 1.0, 1.2])),
}
FINITE = [
    ("Normal", "Laplace"),
    ("Laplace", "Normal"),
    ("Uniform", "Normal"),
    ("Exponential", "Normal"),
    ("Beta", "Normal"),
    ("Uniform", "Exponential"),
    ("Beta", "Exponential"),
    ("Beta", "WideUniform"),
    ("Uniform", "Beta"),
]
INFINITE = [
    ("Normal", "Uniform"),
    ("Normal", "Exponential"),
    ("Normal", "Beta"),
    ("Laplace", "Uniform"),
    ("Laplace", "Exponential"),
    ("Laplace", "Beta"),
    ("Exponential", "Uniform"),
    ("Exponential", "Beta"),
    ("WideUniform", "Exponential"),  # (low < 0: mass where the Exponential has none)
    ("WideUniform", "Beta"),
]


def _support(p: D.Distribution) -> tuple[np.ndarray, np.ndarray]:
    """Each batch element's interval to integrate over: its support, cut where p is negligible."""
    if isinstance(p, D.Uniform):
        return p.low.data, p.high.data
    if isinstance(p, D.Beta):
        return np.zeros(3), np.ones(3)
    if isinstance(p, D.Exponential):
        return np.zeros(3), np.full(3, 60.0)
    return p.mean.data - 60.0, p.mean.data + 60.0


@pytest.mark.parametrize(("p_name", "q_name"), FINITE)
def test_kl_across_families_is_its_definition(p_name, q_name):
    p, q = MAKERS[p_name](), MAKERS[q_name]()
    lo, hi = _support(p)
    n = 600_000
    h = (hi - lo) / n
    x = lo + (np.arange(n)[:, None] + 0.5) * h  # (points, batch): midpoints, inside every support
    lp, lq = p.log_prob(f64(x)).data, q.log_prob(f64(x)).data
    want = (np.exp(lp) * (lp - lq)).sum(0) * h
    np.testing.assert_allclose(D.kl_divergence(p, q).data, want, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(("p_name", "q_name"), INFINITE)
def test_kl_across_families_is_inf_where_q_has_no_mass_that_p_has(p_name, q_name):
    kl = D.kl_divergence(MAKERS[p_name](), MAKERS[q_name]())
    assert kl.shape == (3,) and kl.dtype == tg.float64 and np.isinf(kl.data).all()


def test_a_uniform_inside_or_outside_beta_and_exponential_supports():
    inside = D.kl_divergence(D.Uniform(0.0, 1.0), D.Beta(1.0, 1.0))  # U(0, 1) is Beta(1, 1)
    assert inside.item() == pytest.approx(0.0, abs=1e-12)
    assert D.kl_divergence(D.Beta(1.0, 1.0), D.Uniform(0.0, 1.0)).item() == pytest.approx(0.0, abs=1e-12)
    assert D.kl_divergence(D.Beta(2.0, 2.0), D.Uniform(0.2, 1.0)).item() == math.inf


def test_kl_across_families_is_differentiable_in_both_sets_of_parameters():
    loc, scale = f64([0.3, -1.0]).requires_grad_(), f64([1.2, 0.5]).requires_grad_()
    m, b = f64([0.1, -0.5]).requires_grad_(), f64([0.7, 1.5]).requires_grad_()

    def normal_laplace(loc, scale, m, b):
        return D.kl_divergence(D.Normal(loc, scale), D.Laplace(m, b))

    def laplace_normal(loc, scale, m, b):
        return D.kl_divergence(D.Laplace(m, b), D.Normal(loc, scale))

    for kl in (normal_laplace, laplace_normal):
        assert gradcheck(kl, [loc, scale, m, b])


@pytest.mark.parametrize(("p_name", "q_name"), FINITE + INFINITE)
def test_kl_across_families_matches_pytorch(p_name, q_name):
    torch = pytest.importorskip("torch")

    def theirs(name):
        ours = MAKERS[name]()
        family = type(ours).__name__
        params = {"Normal": ("loc", "scale"), "Laplace": ("loc", "scale"), "Uniform": ("low", "high"),
                  "Exponential": ("rate",), "Beta": ("concentration1", "concentration0")}[family]  # fmt: skip
        return getattr(torch.distributions, family)(*[torch.tensor(getattr(ours, k).data) for k in params])

    want = torch.distributions.kl_divergence(theirs(p_name), theirs(q_name)).numpy()
    got = D.kl_divergence(MAKERS[p_name](), MAKERS[q_name]()).data
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
