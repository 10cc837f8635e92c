"""tg.special and the gamma family: derivatives of every order, values at the edges, and
agreement with PyTorch and with mpmath (each where installed)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg
from tinygrad_edu import special
from tinygrad_edu.testing import gradcheck, gradgradcheck

inf, nan = math.inf, math.nan

# (name, function of one tensor, where its values are drawn): smooth there, away from poles
SMOOTH = [
    ("gammaln", special.gammaln, (0.1, 8.0)),
    ("gammaln_negative", special.gammaln, (-3.9, -3.1)),
    ("digamma", special.digamma, (0.1, 8.0)),
    ("digamma_negative", special.digamma, (-1.9, -1.1)),
    ("polygamma1", lambda x: special.polygamma(1, x), (0.1, 8.0)),
    ("polygamma3_negative", lambda x: special.polygamma(3, x), (-0.9, -0.1)),
    ("multigammaln", lambda x: special.multigammaln(x, 4), (1.6, 6.0)),
    ("zeta_q", lambda q: special.zeta(3.5, q), (0.1, 6.0)),
    ("i0", special.i0, (-25.0, 25.0)),
    ("i1", special.i1, (-25.0, 25.0)),
    ("i0e", special.i0e, (0.001, 25.0)),
    ("i1e", special.i1e, (-25.0, -0.001)),
    ("erfc", special.erfc, (-4.0, 6.0)),
    ("erfcx", special.erfcx, (-3.0, 30.0)),
    ("ndtr", special.ndtr, (-6.0, 6.0)),
    ("log_ndtr", special.log_ndtr, (-40.0, 6.0)),
    ("ndtri", special.ndtri, (0.001, 0.999)),
    ("gammainc", lambda x: special.gammainc(3.5, x), (0.1, 10.0)),
    ("gammaincc", lambda x: special.gammaincc(0.4, x), (0.1, 10.0)),
    ("entr", special.entr, (0.05, 5.0)),
]


def _f64(values: list) -> tg.Tensor:
    return tg.tensor(np.array(values, dtype=np.float64))


def _drawn(data: st.DataObject, bounds: tuple[float, float]) -> tg.Tensor:
    values = data.draw(hnp.arrays(np.float64, st.integers(1, 4), elements=st.floats(*bounds)))
    return tg.tensor(values, requires_grad=True)


@pytest.mark.parametrize("name,fn,bounds", SMOOTH, ids=[n for n, _, _ in SMOOTH])
@given(data=st.data())
def test_first_and_second_derivatives_match_finite_differences(name, fn, bounds, data) -> None:
    x = _drawn(data, bounds)
    assert gradcheck(fn, [x])
    assert gradgradcheck(fn, [x])


def test_each_derivative_is_the_next_member_of_the_family() -> None:
    # lgamma' = digamma, digamma' = polygamma(1), ..., up to the fourth derivative of lgamma
    x = tg.tensor(np.array([0.3, 1.7, 4.5, -2.5, 11.0]), requires_grad=True)
    y = special.gammaln(x)
    for n in range(4):
        (y,) = tg.autograd.grad(y.sum(), [x], create_graph=True)
        expected = special.digamma(x) if n == 0 else special.polygamma(n, x)
        np.testing.assert_allclose(y.data, expected.data, rtol=1e-15)
    assert gradcheck(lambda t: special.polygamma(4, t), [x])


def test_values_at_poles_and_infinities_are_pytorchs() -> None:
    x = _f64([0.0, -0.0, -1.0, -2.0, inf, -inf, nan, 1.0, 2.0])
    # (expected values read off torch 2.13)
    np.testing.assert_array_equal(special.gammaln(x).data, [inf, inf, inf, inf, inf, inf, nan, 0, 0])
    np.testing.assert_array_equal(
        special.digamma(x).data[:7], [-inf, inf, nan, nan, inf, nan, nan]
    )  # -inf at +0, inf at -0
    np.testing.assert_array_equal(special.polygamma(1, x).data[[0, 1, 4, 5, 6]], [inf, inf, 0, nan, nan])
    np.testing.assert_array_equal(special.polygamma(2, x).data[:7], [-inf, -inf, -inf, -inf, nan, -inf, nan])
    s = _f64([2.0, 2.0, 2.0, 1.0, 0.5, 2.5, 2.0])
    q = _f64([inf, -inf, 0.0, 1.0, 1.0, -1.5, 1e300])
    np.testing.assert_array_equal(special.zeta(s, q).data, [nan, inf, inf, inf, nan, nan, 0.0])
    np.testing.assert_array_equal(special.i0(_f64([0.0, 800.0, -800.0])).data, [1.0, inf, inf])
    np.testing.assert_array_equal(special.i1(_f64([0.0, 800.0, -800.0])).data, [0.0, inf, -inf])
    np.testing.assert_array_equal(special.erfcx(_f64([inf, -inf])).data, [0.0, inf])
    np.testing.assert_array_equal(special.log_ndtr(_f64([inf, -inf])).data, [0.0, -inf])
    p = _f64([0.0, 1.0, -0.1, 1.1, nan])
    np.testing.assert_array_equal(special.ndtri(p).data, [-inf, inf, nan, nan, nan])
    np.testing.assert_array_equal(special.entr(_f64([0.0, -1.0, inf, nan])).data, [0.0, -inf, -inf, nan])
    np.testing.assert_array_equal(
        special.xlog1py(_f64([0.0, 0.0, 0.0, 2.0]), _f64([-1.0, -2.0, nan, -1.0])).data,
        [0.0, 0.0, nan, -inf],
    )
    a = _f64([0.0, 0.0, -1.0, 1.0, inf, inf, 2.0])
    x = _f64([1.0, 0.0, 1.0, 0.0, 1.0, inf, inf])
    np.testing.assert_array_equal(special.gammainc(a, x).data, [1.0, nan, nan, 0.0, 0.0, nan, 1.0])
    np.testing.assert_array_equal(special.gammaincc(a, x).data, [0.0, nan, nan, 1.0, 1.0, nan, 0.0])


def test_far_tails_stay_finite_and_exact() -> None:
    # ln Phi(-40) = ln(erfcx(40 / sqrt 2) / 2) - 800; erfcx(x) ~ 1 / (x sqrt(pi)) (1 - 1/(2x^2) + ...)
    z = 40 / math.sqrt(2)
    erfcx = 1 / (z * math.sqrt(math.pi)) * (1 - 1 / (2 * z * z) + 3 / (4 * z**4) - 15 / (8 * z**6))
    np.testing.assert_allclose(special.log_ndtr(_f64([-40.0])).data, [math.log(erfcx / 2) - 800], rtol=1e-12)
    np.testing.assert_allclose(
        special.erfc(_f64([26.0, 5.0])).data, [math.erfc(26.0), math.erfc(5.0)], rtol=1e-15
    )
    p = _f64([1e-300, 1e-20, 0.3, 0.5, 0.9, 1 - 1e-12])
    np.testing.assert_allclose(special.ndtr(special.ndtri(p)).data[1:], p.data[1:], rtol=1e-13)
    np.testing.assert_allclose(special.log_ndtr(special.ndtri(p)).data[0], math.log(1e-300), rtol=1e-14)


def test_derivatives_at_zero_of_the_bessel_functions() -> None:
    x = tg.tensor([0.0, 1e-300, -1e-3], requires_grad=True)
    for fn, slope in [(special.i1, 0.5), (special.i1e, 0.5), (special.i0, 0.0)]:
        (g,) = tg.autograd.grad(fn(x).sum(), [x], create_graph=True)
        assert g.data[0] == slope and g.data[1] == slope
        (g2,) = tg.autograd.grad(g.sum(), [x])
        assert np.all(np.isfinite(g2.data))


def test_errors_are_pytorchs() -> None:
    x = tg.tensor([1.5, 2.5], requires_grad=True)
    with pytest.raises(RuntimeError, match="does not support negative n"):
        special.polygamma(-1, x)
    with pytest.raises(TypeError, match="argument 'n' .* must be int, not float"):
        special.polygamma(1.5, x)
    with pytest.raises(RuntimeError, match="p has to be greater than or equal to 1"):
        special.multigammaln(x, 0)
    with pytest.raises(TypeError, match="must be Tensor, not float"):
        special.gammaln(2.0)
    with pytest.raises(TypeError, match="invalid combination of arguments"):
        special.zeta(2.0, 3.0)
    with pytest.raises(NotImplementedError, match="the derivative for 'zeta' is not implemented"):
        special.zeta(x + 1.0, tg.tensor([1.0, 2.0])).sum().backward()
    with pytest.raises(NotImplementedError, match="the derivative for 'igamma: input' is not implemented"):
        special.gammainc(x, tg.tensor([1.0, 2.0])).sum().backward()
    with pytest.raises(NotImplementedError, match="the derivative for 'igammac: input' is not implemented"):
        special.gammaincc(x, tg.tensor([1.0, 2.0])).sum().backward()
    with pytest.raises(NotImplementedError, match="not implemented for integer"):
        special.gammainc(tg.tensor([1, 2]), tg.tensor([1, 2]))
    assert x.grad is None


def test_dtypes_follow_pytorch() -> None:
    assert special.gammaln(tg.tensor([1, 2])).dtype == tg.float32  # integers: the default float
    assert special.zeta(2, tg.tensor([1, 2])).dtype == tg.float32
    single = tg.tensor([0.5, 3.0], dtype=tg.float32)
    for fn in (special.gammaln, special.digamma, special.i0e, special.erfcx, special.log_ndtr, special.entr):
        assert fn(single).dtype == tg.float32
    assert special.multigammaln(tg.tensor([3, 4]), 2).dtype == tg.float32
    assert special.softmax(tg.tensor([1, 2]), 0, dtype=tg.float64).dtype == tg.float64


def test_namespace_reuses_the_existing_ops() -> None:
    x = tg.tensor([-1.5, 0.25, 2.0])
    np.testing.assert_array_equal(special.expit(x).data, x.sigmoid().data)
    np.testing.assert_array_equal(special.psi(x).data, special.digamma(x).data)
    np.testing.assert_array_equal(special.round(x * 1.27, decimals=1).data, (x * 1.27).round(1).data)
    np.testing.assert_array_equal(special.logsumexp(x, 0).data, x.logsumexp(0).data)
    np.testing.assert_array_equal(special.xlogy(2.0, x.abs()).data, (x.abs().log() * 2.0).data)


def test_tensor_methods_and_function_forms() -> None:
    x = tg.tensor([0.5, 2.5, 4.0])
    np.testing.assert_array_equal(x.lgamma().data, special.gammaln(x).data)
    np.testing.assert_array_equal(x.digamma().data, special.digamma(x).data)
    np.testing.assert_array_equal(x.polygamma(2).data, special.polygamma(2, x).data)
    np.testing.assert_array_equal(x.mvlgamma(p=2).data[1:], special.multigammaln(x, 2).data[1:])
    np.testing.assert_array_equal(x.i0().data, special.i0(x).data)
    np.testing.assert_array_equal(tg.polygamma(1, x).data, special.polygamma(1, x).data)
    np.testing.assert_array_equal(tg.lgamma(x).data, x.lgamma().data)
    y = x.clone()
    y.polygamma_(1)
    np.testing.assert_array_equal(y.data, special.polygamma(1, x).data)
    assert tg.special is special


# ---------------------------------------------------------------- against mpmath and PyTorch

WIDE = np.concatenate(
    [
        np.random.default_rng(3).uniform(-30, 30, 300),
        np.random.default_rng(4).uniform(0, 3, 100),
        10.0 ** np.random.default_rng(5).uniform(-8, 100, 100),
        [0.5, 1.5, 2.5, 9.5, 10.0, -0.5, -7.999999, -3.000001],
    ]
)
WIDE = WIDE[WIDE != np.round(WIDE)]  # no poles


def test_gamma_family_agrees_with_mpmath_to_a_few_ulps() -> None:
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 40
    x = tg.tensor(WIDE)
    lgamma = np.array([float(mpmath.loggamma(v).real) for v in WIDE])
    # relative error, or absolute where ln |Gamma| is near one of its zeros (as measured: 1.3e-15)
    np.testing.assert_allclose(special.gammaln(x).data, lgamma, rtol=2e-15, atol=3e-16)
    positive = WIDE[WIDE > 0]
    digamma = np.array([float(mpmath.digamma(v)) for v in positive])
    # (absolute near digamma's zero at 1.4616, where relative digits are lost: 7.5e-16, as torch's)
    np.testing.assert_allclose(special.digamma(tg.tensor(positive)).data, digamma, rtol=1e-15, atol=1e-15)
    moderate = WIDE[np.abs(WIDE) < 1e6]
    # (for even n, psi^(n) has zeros between the negative poles, where relative digits are lost
    # by any formula: there only x > 0)
    for n, points in [(1, moderate), (2, positive[positive < 1e6]), (5, moderate)]:
        values = np.array([float(mpmath.psi(n, v)) for v in points])
        np.testing.assert_allclose(special.polygamma(n, tg.tensor(points)).data, values, rtol=2e-15)


def test_bessel_and_normal_functions_agree_with_mpmath() -> None:
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 40
    x = np.concatenate([np.linspace(-30, 30, 121), [1e-5, 19.99, 20.0, 500.0]])
    for fn, order, scaled in [(special.i0, 0, False), (special.i1, 1, False), (special.i0e, 0, True)]:
        expected = [mpmath.besseli(order, v) * (mpmath.exp(-abs(v)) if scaled else 1) for v in x]
        np.testing.assert_allclose(fn(tg.tensor(x)).data, np.array(expected, dtype=float), rtol=2e-15)
    t = np.linspace(-5, 27, 161)
    erfc = np.array([float(mpmath.erfc(v)) for v in t])
    np.testing.assert_allclose(special.erfc(tg.tensor(t)).data, erfc, rtol=1e-15)
    t = np.linspace(-38, 5, 173)
    log_ndtr = np.array([float(mpmath.log(mpmath.ncdf(v))) for v in t])
    np.testing.assert_allclose(
        special.log_ndtr(tg.tensor(t)).data, log_ndtr, rtol=3e-15
    )  # (measured: 2.5e-15)


def test_values_and_gradients_agree_with_pytorch() -> None:
    torch = pytest.importorskip("torch")
    from .torch_compare import assert_values_and_gradients_agree

    rng = np.random.default_rng(0)
    ts = torch.special
    cases = [  # (ours, theirs, values)
        (special.gammaln, ts.gammaln, WIDE),
        (special.i0, ts.i0, rng.uniform(-30, 30, 50)),
        (special.i1, ts.i1, rng.uniform(-30, 30, 50)),
        (special.i0e, ts.i0e, rng.uniform(-30, 30, 50)),
        (special.i1e, ts.i1e, rng.uniform(-30, 30, 50)),
        (special.erfc, ts.erfc, rng.uniform(-5, 26, 50)),
        (special.erfcx, ts.erfcx, rng.uniform(-5, 1e3, 50)),
        (special.log_ndtr, ts.log_ndtr, rng.uniform(-30, 8, 50)),
        (special.ndtri, ts.ndtri, rng.uniform(0, 1, 50)),
        (special.entr, ts.entr, rng.uniform(0.01, 5, 50)),
        (lambda t: special.polygamma(3, t), lambda t: ts.polygamma(3, t), rng.uniform(-20, 20, 50)),
        (lambda t: special.multigammaln(t, 3), lambda t: ts.multigammaln(t, 3), rng.uniform(1.01, 30, 50)),
        (lambda t: special.zeta(4.5, t), lambda t: ts.zeta(4.5, t), rng.uniform(0.01, 30, 50)),
        # (torch's gammainc is off by up to 2e-9 for a > 20, where it switches to an asymptotic series)
        (
            lambda t: special.gammainc(3.5, t),
            lambda t: ts.gammainc(torch.tensor(3.5, dtype=t.dtype), t),
            rng.uniform(0.01, 15, 50),
        ),
        (
            lambda t: special.gammaincc(12.0, t),
            lambda t: ts.gammaincc(torch.tensor(12.0, dtype=t.dtype), t),
            rng.uniform(0.01, 30, 50),
        ),
        # (torch's ndtr is 1 + erf(x / sqrt 2) halved, which loses the lower tail: compared above -2)
        (special.ndtr, ts.ndtr, rng.uniform(-2, 8, 50)),
    ]
    for ours_fn, theirs_fn, values in cases:
        x = tg.tensor(values, requires_grad=True)
        t = torch.tensor(values, requires_grad=True)
        assert_values_and_gradients_agree(torch, rng, ours_fn(x), theirs_fn(t), [x], [t])
    a, b = rng.uniform(-1, 3, (2, 40))
    x, y = tg.tensor(a * (a > 0), requires_grad=True), tg.tensor(b, requires_grad=True)
    tx, ty = torch.tensor(a * (a > 0), requires_grad=True), torch.tensor(b, requires_grad=True)
    assert_values_and_gradients_agree(torch, rng, special.xlog1py(x, y), ts.xlog1py(tx, ty), [x, y], [tx, ty])


def test_digamma_agrees_with_pytorch_and_trigamma_with_its_accuracy() -> None:
    torch = pytest.importorskip("torch")
    t = torch.tensor(WIDE)
    np.testing.assert_allclose(special.digamma(tg.tensor(WIDE)).data, torch.digamma(t).numpy(), rtol=1e-15)
    # torch's trigamma (polygamma(1), digamma's derivative) sums an asymptotic series with a term
    # too few: measured against mpmath it is off by up to 5e-10, ours by 7e-16 (test above)
    moderate = WIDE[np.abs(WIDE) < 1e6]
    np.testing.assert_allclose(
        special.polygamma(1, tg.tensor(moderate)).data,
        torch.polygamma(1, torch.tensor(moderate)).numpy(),
        rtol=1e-9,
    )
