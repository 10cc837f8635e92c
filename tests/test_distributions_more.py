"""MultivariateNormal, Independent and OneHotCategorical (tinygrad_edu/distributions): values,
gradients, KL and errors against PyTorch's (where installed), and checks of their own that need no
PyTorch: gradients against finite differences, sample moments within 5 standard errors, a diagonal
MultivariateNormal against a product of Normals, and the three parametrisations against each other."""

import math
import re

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.distributions as D
from tinygrad_edu.distributions import constraints
from tinygrad_edu.testing import gradcheck

RNG = np.random.default_rng(1234)


def _spd(batch, n, rng=RNG):
    """Symmetric positive-definite matrices (*batch, n, n), well conditioned: A A^T + I."""
    a = rng.normal(size=batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + np.eye(n)


# name -> (loc, covariance), with the batch shapes broadcasting in several ways
MVN_CASES = {
    "single": (RNG.normal(size=(3,)), _spd((), 3)),
    "batched loc": (RNG.normal(size=(4, 3)), _spd((), 3)),
    "batched matrix": (RNG.normal(size=(2,)), _spd((3,), 2)),
    "broadcast both": (RNG.normal(size=(4, 3)), _spd((2, 1), 3)),
}
KINDS = ["covariance_matrix", "precision_matrix", "scale_tril"]


def _matrix(cov, kind):
    """The matrix that describes `cov` in the parametrisation `kind`."""
    return {"covariance_matrix": cov, "precision_matrix": np.linalg.inv(cov)}.get(
        kind, np.linalg.cholesky(cov)
    )


def _values(case, sample_dims=(5,)):
    """Points to evaluate log_prob at: sample_dims + the batch shape + (n,)."""
    loc, cov = MVN_CASES[case]
    batch = np.broadcast_shapes(loc.shape[:-1], cov.shape[:-2])
    return np.random.default_rng(7).normal(size=sample_dims + batch + loc.shape[-1:])


def mvn(case, kind, lib=None, requires_grad=False):
    """(the distribution, its (loc, matrix) tensors), from tinygrad_edu (lib None) or torch (lib torch)."""
    loc, cov = MVN_CASES[case]
    if lib is None:
        params = [
            tg.tensor(v, dtype=tg.float64, requires_grad=requires_grad) for v in (loc, _matrix(cov, kind))
        ]
        return D.MultivariateNormal(params[0], **{kind: params[1]}), params
    params = [
        lib.tensor(v, dtype=lib.float64, requires_grad=requires_grad) for v in (loc, _matrix(cov, kind))
    ]
    return lib.distributions.MultivariateNormal(params[0], **{kind: params[1]}), params


def _close(got, want, rtol=1e-12, atol=1e-12):
    assert isinstance(got, tg.Tensor) and tuple(got.shape) == tuple(want.shape)
    np.testing.assert_allclose(got.data, want.detach().numpy(), rtol=rtol, atol=atol)


def _torch_message(msg):
    """PyTorch's message with torch.Size([2, 3]) written as the tuple (2, 3), as shapes print here."""
    return re.sub(
        r"torch\.Size\(\[(.*?)\]\)", lambda m: str(tuple(int(x) for x in m.group(1).split(",") if x)), msg
    )


# ------------------------------------------------------------------ MultivariateNormal against PyTorch

MVN_PROPERTIES = ["scale_tril", "covariance_matrix", "precision_matrix", "mean", "mode", "variance", "stddev"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", MVN_CASES)
def test_multivariate_normal_matches_pytorch(case, kind):
    torch = pytest.importorskip("torch")
    mine, _ = mvn(case, kind)
    theirs, _ = mvn(case, kind, torch)
    assert mine.batch_shape == tuple(theirs.batch_shape) and mine.event_shape == tuple(theirs.event_shape)
    for name in MVN_PROPERTIES:
        _close(getattr(mine, name), getattr(theirs, name))
    x = _values(case)
    _close(mine.log_prob(tg.tensor(x)), theirs.log_prob(torch.tensor(x)))
    _close(mine.log_prob(tg.tensor(x[:, None])), theirs.log_prob(torch.tensor(x[:, None])))  # (5, 1, ...)
    _close(mine.entropy(), theirs.entropy())
    _close(mine.perplexity(), theirs.perplexity())
    shape = (2,) + mine.batch_shape
    wide, theirs_wide = mine.expand(shape), theirs.expand(shape)
    assert wide.batch_shape == shape and wide._validate_args == mine._validate_args
    for name in MVN_PROPERTIES:
        _close(getattr(wide, name), getattr(theirs_wide, name))
    _close(wide.log_prob(tg.tensor(x[:, None])), theirs_wide.log_prob(torch.tensor(x[:, None])))
    _close(wide.entropy(), theirs_wide.entropy())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", ["single", "broadcast both"])
def test_multivariate_normal_gradients_match_pytorch(case, kind, monkeypatch):
    torch = pytest.importorskip("torch")
    import torch.distributions.multivariate_normal as torch_mvn

    mine, params = mvn(case, kind, requires_grad=True)
    theirs, tparams = mvn(case, kind, torch, requires_grad=True)
    x, w = _values(case), np.random.default_rng(3).normal(size=(6,) + mine.batch_shape + mine.event_shape)
    tg.manual_seed(11)
    draw = mine.rsample((6,))
    # PyTorch's rsample is given the same noise as ours: eps = L^{-1} (draw - loc)
    eps = np.linalg.solve(mine._unbroadcasted_scale_tril.data, (draw.data - mine.loc.data)[..., None])[..., 0]
    monkeypatch.setattr(torch_mvn, "_standard_normal", lambda shape, dtype, device: torch.tensor(eps))
    tdraw = theirs.rsample((6,))
    _close(draw, tdraw, rtol=1e-10)
    loss = mine.log_prob(tg.tensor(x)).sum() + 0.3 * mine.entropy().sum() + (draw * tg.tensor(w)).sum()
    tloss = (
        theirs.log_prob(torch.tensor(x)).sum()
        + 0.3 * theirs.entropy().sum()
        + (tdraw * torch.tensor(w)).sum()
    )
    loss.backward()
    tloss.backward()
    for p, tp in zip(params, tparams):
        np.testing.assert_allclose(p.grad.data, tp.grad.numpy(), rtol=1e-9, atol=1e-11)


# ------------------------------------------------------------------ Independent against PyTorch


def _normal_pair(lib, batch=(2, 3, 4), requires_grad=False):
    rng = np.random.default_rng(5)
    loc, scale = rng.normal(size=batch), rng.uniform(0.5, 2.0, size=batch)
    lib_ = tg if lib is None else lib
    params = [lib_.tensor(v, dtype=lib_.float64, requires_grad=requires_grad) for v in (loc, scale)]
    return (D if lib is None else lib.distributions).Normal(*params), params


INDEPENDENT_CASES = {
    "Normal, 1": (lambda lib: _normal_pair(lib)[0], 1),
    "Normal, 2": (lambda lib: _normal_pair(lib)[0], 2),
    "Normal, 0": (lambda lib: _normal_pair(lib)[0], 0),
    "MultivariateNormal, 1": (lambda lib: mvn("broadcast both", "scale_tril", lib)[0], 1),
    "Bernoulli, 1": (lambda lib: (D if lib is None else lib.distributions).Bernoulli(_probs(lib)), 1),
}


def _probs(lib):
    lib_ = tg if lib is None else lib
    return lib_.tensor([[0.2, 0.7], [0.5, 0.9], [0.1, 0.4]], dtype=lib_.float64)


def independent(case, lib=None):
    make, n = INDEPENDENT_CASES[case]
    return (D if lib is None else lib.distributions).Independent(make(lib), n)


@pytest.mark.parametrize("case", INDEPENDENT_CASES)
def test_independent_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    mine, theirs = independent(case), independent(case, torch)
    assert mine.batch_shape == tuple(theirs.batch_shape) and mine.event_shape == tuple(theirs.event_shape)
    assert mine.has_rsample == theirs.has_rsample
    assert mine.has_enumerate_support == theirs.has_enumerate_support
    assert repr(mine.support) == repr(theirs.support)
    for name in ["mean", "mode", "variance", "stddev"]:
        _close(getattr(mine, name), getattr(theirs, name))
    x = mine.sample((3,))
    assert x.shape == (3,) + mine.batch_shape + mine.event_shape
    assert bool(mine.support.check(x).all()) and mine.support.check(x).shape == (3,) + mine.batch_shape
    _close(mine.log_prob(x), theirs.log_prob(torch.tensor(x.data)))
    _close(mine.entropy(), theirs.entropy())
    wide, theirs_wide = mine.expand((5,) + mine.batch_shape), theirs.expand((5,) + mine.batch_shape)
    assert wide.batch_shape == tuple(theirs_wide.batch_shape) and wide.event_shape == mine.event_shape
    _close(wide.log_prob(x[:, None]), theirs_wide.log_prob(torch.tensor(x.data[:, None])))
    assert repr(mine) == _torch_message(repr(theirs))


def test_independent_gradients_match_pytorch():
    torch = pytest.importorskip("torch")
    base, params = _normal_pair(None, requires_grad=True)
    tbase, tparams = _normal_pair(torch, requires_grad=True)
    mine, theirs = D.Independent(base, 2), torch.distributions.Independent(tbase, 2)
    x = np.random.default_rng(2).normal(size=(3, 2, 3, 4))
    w = np.random.default_rng(4).normal(size=(2,))
    (mine.log_prob(tg.tensor(x)).sum() + (mine.entropy() * tg.tensor(w)).sum()).backward()
    (theirs.log_prob(torch.tensor(x)).sum() + (theirs.entropy() * torch.tensor(w)).sum()).backward()
    for p, tp in zip(params, tparams):
        np.testing.assert_allclose(p.grad.data, tp.grad.numpy(), rtol=1e-12, atol=1e-13)


# ------------------------------------------------------------------ OneHotCategorical against PyTorch

ONE_HOT_CASES = {
    "probs": {"probs": [0.1, 0.6, 0.3]},
    "batched probs": {"probs": [[1.0, 2.0, 3.0, 4.0], [0.5, 0.2, 0.3, 0.0]]},
    "batched logits": {"logits": [[[0.1, -2.0, 1.5], [3.0, 0.0, 0.2]]] * 2},
}


def one_hot(case, lib=None, requires_grad=False):
    ((name, value),) = ONE_HOT_CASES[case].items()
    if lib is None:
        param = tg.tensor(value, dtype=tg.float64, requires_grad=requires_grad)
        return D.OneHotCategorical(**{name: param}), param
    param = lib.tensor(value, dtype=lib.float64, requires_grad=requires_grad)
    return lib.distributions.OneHotCategorical(**{name: param}), param


@pytest.mark.parametrize("case", ONE_HOT_CASES)
def test_one_hot_categorical_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    mine, _ = one_hot(case)
    theirs, _ = one_hot(case, torch)
    assert mine.batch_shape == tuple(theirs.batch_shape) and mine.event_shape == tuple(theirs.event_shape)
    assert mine.param_shape == tuple(theirs.param_shape) and mine.has_enumerate_support
    for name in ["probs", "logits", "mean", "mode", "variance", "stddev"]:
        _close(getattr(mine, name), getattr(theirs, name))
    for expand in (True, False):
        _close(mine.enumerate_support(expand), theirs.enumerate_support(expand))
    support = mine.enumerate_support()
    _close(mine.log_prob(support), theirs.log_prob(torch.tensor(support.data)))
    _close(mine.entropy(), theirs.entropy())
    wide, theirs_wide = mine.expand((3,) + mine.batch_shape), theirs.expand((3,) + mine.batch_shape)
    assert wide.batch_shape == tuple(theirs_wide.batch_shape)
    _close(wide.log_prob(support[:, None]), theirs_wide.log_prob(torch.tensor(support.data[:, None])))
    _close(wide.entropy(), theirs_wide.entropy())
    sample = mine.sample((4,))
    assert sample.dtype == tg.float64 and sample.shape == (4,) + mine.batch_shape + mine.event_shape
    assert repr(mine) == repr(theirs) == "OneHotCategorical()"


@pytest.mark.parametrize("case", ONE_HOT_CASES)
def test_one_hot_categorical_gradients_match_pytorch(case):
    torch = pytest.importorskip("torch")
    mine, param = one_hot(case, requires_grad=True)
    theirs, tparam = one_hot(case, torch, requires_grad=True)
    support = mine.enumerate_support()
    w = np.random.default_rng(6).normal(size=support.shape[:-1])
    ((mine.log_prob(support) * tg.tensor(w)).sum() + mine.entropy().sum()).backward()
    (
        (theirs.log_prob(torch.tensor(support.data)) * torch.tensor(w)).sum() + theirs.entropy().sum()
    ).backward()
    np.testing.assert_allclose(param.grad.data, tparam.grad.numpy(), rtol=1e-12, atol=1e-13)


# ------------------------------------------------------------------ KL against PyTorch


def _kl_pairs(lib):
    """name -> (p, q), from tinygrad_edu (lib None) or torch."""
    dists = D if lib is None else lib.distributions
    lib_ = tg if lib is None else lib
    t = lambda v: lib_.tensor(v, dtype=lib_.float64)
    loc, cov = MVN_CASES["broadcast both"]
    rng = np.random.default_rng(9)  # (the same draws for both libraries)
    other_loc, other_cov = rng.normal(size=(3,)), _spd((4, 1, 1), 3, rng)
    base_p = _normal_pair(lib)[0]
    base_q = dists.Normal(base_p.loc * 0.7 + 0.2, base_p.scale * 1.4)
    logits = [[0.1, -2.0, 1.5], [3.0, 0.0, 0.2]]
    return {
        "MVN": (
            dists.MultivariateNormal(t(loc), covariance_matrix=t(cov)),
            dists.MultivariateNormal(t(other_loc), precision_matrix=t(np.linalg.inv(other_cov))),
        ),
        "MVN scale_tril": (
            dists.MultivariateNormal(t(other_loc), scale_tril=t(np.linalg.cholesky(other_cov))),
            dists.MultivariateNormal(t(loc), covariance_matrix=t(cov)),
        ),
        "Independent(Normal, 2)": (dists.Independent(base_p, 2), dists.Independent(base_q, 2)),
        "Independent(MVN, 1)": (
            dists.Independent(dists.MultivariateNormal(t(loc), covariance_matrix=t(cov)), 1),
            dists.Independent(dists.MultivariateNormal(t(loc[::-1].copy()), scale_tril=t(np.eye(3))), 1),
        ),
        "OneHotCategorical": (
            dists.OneHotCategorical(logits=t(logits)),
            dists.OneHotCategorical(probs=t([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])),
        ),
    }


@pytest.mark.parametrize("case", list(_kl_pairs(None)))
def test_kl_divergence_matches_pytorch(case):
    torch = pytest.importorskip("torch")
    p, q = _kl_pairs(None)[case]
    tp, tq = _kl_pairs(torch)[case]
    _close(D.kl_divergence(p, q), torch.distributions.kl_divergence(tp, tq))
    _close(D.kl_divergence(q, p), torch.distributions.kl_divergence(tq, tp))


def test_kl_divergence_gradients_match_pytorch():
    torch = pytest.importorskip("torch")
    loc, cov = MVN_CASES["broadcast both"]
    other = _spd((), 3, np.random.default_rng(10))
    grads = []
    for lib in (tg, torch):
        ps = [lib.tensor(v, requires_grad=True) for v in (loc, cov, np.linalg.cholesky(other))]
        dists = D if lib is tg else torch.distributions
        p = dists.MultivariateNormal(ps[0], covariance_matrix=ps[1])
        q = dists.MultivariateNormal(ps[0][0] * 0.5, scale_tril=ps[2])
        dists.kl_divergence(p, q).sum().backward()
        grads.append([x.grad.data if lib is tg else x.grad.numpy() for x in ps])
    for g, want in zip(*grads):
        np.testing.assert_allclose(g, want, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------ errors against PyTorch

I2, LOC = [[1.0, 0.0], [0.0, 1.0]], [0.0, 1.0]


def _mvn(m, t, *args, **kwargs):
    """m.MultivariateNormal with every list argument made a tensor by t."""
    tensor = lambda v: t(v) if isinstance(v, (list, float)) else v
    return m.MultivariateNormal(*map(tensor, args), **{k: tensor(v) for k, v in kwargs.items()})


ERRORS = [
    ("MVN none", lambda m, t: _mvn(m, t, LOC)),
    ("MVN two", lambda m, t: _mvn(m, t, LOC, I2, scale_tril=I2)),
    ("MVN 0-d loc", lambda m, t: _mvn(m, t, 0.0, [[1.0]])),
    ("MVN 1-d covariance", lambda m, t: _mvn(m, t, [0.0], [1.0])),
    ("MVN 1-d precision", lambda m, t: _mvn(m, t, [0.0], precision_matrix=[1.0])),
    ("MVN 1-d scale_tril", lambda m, t: _mvn(m, t, [0.0], scale_tril=[1.0])),
    ("MVN not PD", lambda m, t: _mvn(m, t, LOC, [[1.0, 2.0], [2.0, 1.0]])),
    ("MVN not symmetric", lambda m, t: _mvn(m, t, LOC, [[1.0, 0.5], [0.0, 1.0]])),
    ("MVN precision not PD", lambda m, t: _mvn(m, t, LOC, precision_matrix=[[-1.0, 0.0], [0.0, 1.0]])),
    ("MVN scale_tril upper", lambda m, t: _mvn(m, t, LOC, scale_tril=[[1.0, 0.5], [0.0, 1.0]])),
    ("MVN scale_tril diagonal", lambda m, t: _mvn(m, t, LOC, scale_tril=[[1.0, 0.0], [0.3, -1.0]])),
    ("MVN nan loc", lambda m, t: _mvn(m, t, [0.0, float("nan")], I2)),
    ("MVN value event", lambda m, t: _mvn(m, t, LOC, I2).log_prob(t([1.0, 2.0, 3.0]))),
    ("MVN value batch", lambda m, t: _mvn(m, t, [LOC] * 2, I2).log_prob(t([[1.0, 2.0]] * 3))),
    ("MVN unchecked", lambda m, t: _mvn(m, t, LOC, [[1.0, 2.0], [2.0, 1.0]], validate_args=False)),
    ("Independent ndims", lambda m, t: m.Independent(m.Normal(t(LOC), 1.0), 2)),
    (
        "Independent enumerate",
        lambda m, t: m.Independent(m.Bernoulli(t([[0.3, 0.6]])), 1).enumerate_support(),
    ),
    ("Independent value", lambda m, t: m.Independent(m.Normal(t(LOC), 1.0), 1).log_prob(t([0.0, 1.0, 2.0]))),
    ("OneHot both", lambda m, t: m.OneHotCategorical(t([0.5, 0.5]), t([0.0, 0.0]))),
    ("OneHot neither", lambda m, t: m.OneHotCategorical()),
    ("OneHot 0-d", lambda m, t: m.OneHotCategorical(t(0.5))),
    ("OneHot simplex", lambda m, t: m.OneHotCategorical(t([0.7, -0.5]))),
    ("OneHot value", lambda m, t: m.OneHotCategorical(t([0.5, 0.5])).log_prob(t([1.0, 1.0]))),
    ("OneHot event", lambda m, t: m.OneHotCategorical(t([0.5, 0.5])).log_prob(t([1.0, 0.0, 0.0]))),
]


@pytest.mark.parametrize("make", [e[1] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors_match_pytorch(make):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as want:
        make(torch.distributions, torch.tensor)
    with pytest.raises(Exception) as got:
        make(D, tg.tensor)
    # PyTorch's LinAlgError is a RuntimeError, as is this package's
    assert isinstance(got.value, type(want.value)) or (
        isinstance(got.value, RuntimeError) and isinstance(want.value, RuntimeError)
    )
    assert str(got.value) == _torch_message(str(want.value))


def test_kl_errors_match_pytorch():
    torch = pytest.importorskip("torch")
    for lib, t in ((torch.distributions, torch.tensor), (D, tg.tensor)):
        small = lib.MultivariateNormal(t([0.0, 1.0]), t([[1.0, 0], [0, 1]]))
        large = lib.MultivariateNormal(t([0.0, 1.0, 2.0]), scale_tril=t([[1.0, 0, 0], [0, 1, 0], [0, 0, 1]]))
        # PyTorch's message holds a run of spaces from a line continuation: compared word by word
        with pytest.raises(ValueError) as err:
            lib.kl_divergence(small, large)
        words = (
            "KL-divergence between two Multivariate Normals with different event shapes cannot be computed"
        )
        assert str(err.value).split() == words.split()
        one = lib.Independent(lib.Normal(t([[0.0, 1.0]]), 1.0), 1)
        two = lib.Independent(lib.Normal(t([[0.0, 1.0]]), 1.0), 2)
        with pytest.raises(NotImplementedError):
            lib.kl_divergence(one, two)


# ------------------------------------------------------------------ without PyTorch: gradients


def _mvn_from(kind, loc, raw):
    """MultivariateNormal whose matrix is built from `raw` inside the function, so that a finite
    difference in any element of raw keeps the matrix symmetric (or lower-triangular)."""
    n = raw.shape[-1]
    if kind == "scale_tril":  # the lower triangle, its diagonal kept positive
        matrix = raw.tril(-1) + (raw.diagonal(dim1=-2, dim2=-1).exp()).diag_embed()
    else:
        matrix = raw @ raw.mT + tg.eye(n, dtype=tg.float64)
    return D.MultivariateNormal(loc, **{kind: matrix})


@pytest.mark.parametrize("kind", KINDS)
def test_multivariate_normal_passes_gradcheck(kind):
    rng = np.random.default_rng(8)
    loc = tg.tensor(rng.normal(size=(2, 3)), requires_grad=True)
    raw = tg.tensor(rng.normal(size=(2, 3, 3)) * 0.5, requires_grad=True)
    x = tg.tensor(rng.normal(size=(4, 2, 3)))
    assert gradcheck(lambda m, r: _mvn_from(kind, m, r).log_prob(x), [loc, raw])
    assert gradcheck(lambda r: _mvn_from(kind, loc, r).entropy(), [raw])

    def draw(m, r):
        tg.manual_seed(5)  # the same noise at every finite-difference step
        return _mvn_from(kind, m, r).rsample((3,))

    assert gradcheck(draw, [loc, raw])
    q = D.MultivariateNormal(tg.tensor(rng.normal(size=(3,))), covariance_matrix=tg.tensor(_spd((), 3, rng)))
    assert gradcheck(lambda m, r: D.kl_divergence(_mvn_from(kind, m, r), q), [loc, raw])
    assert gradcheck(lambda m, r: D.kl_divergence(q, _mvn_from(kind, m, r)), [loc, raw])


def test_independent_and_one_hot_pass_gradcheck():
    rng = np.random.default_rng(12)
    loc = tg.tensor(rng.normal(size=(2, 3)), requires_grad=True)
    scale = tg.tensor(rng.uniform(0.5, 2.0, size=(2, 3)), requires_grad=True)
    x = tg.tensor(rng.normal(size=(4, 2, 3)))
    assert gradcheck(lambda m, s: D.Independent(D.Normal(m, s), 2).log_prob(x), [loc, scale])
    assert gradcheck(lambda m, s: D.Independent(D.Normal(m, s), 1).entropy(), [loc, scale])
    q = D.Independent(D.Normal(tg.tensor(rng.normal(size=(3,))), 1.5), 1)
    assert gradcheck(lambda m, s: D.kl_divergence(D.Independent(D.Normal(m, s), 1), q), [loc, scale])
    probs = tg.tensor(rng.uniform(0.1, 1.0, size=(2, 4)), requires_grad=True)
    logits = tg.tensor(rng.normal(size=(2, 4)), requires_grad=True)
    support = D.OneHotCategorical(probs).enumerate_support()
    for name, param in (("probs", probs), ("logits", logits)):
        assert gradcheck(lambda p, name=name: D.OneHotCategorical(**{name: p}).log_prob(support), [param])
        assert gradcheck(lambda p, name=name: D.OneHotCategorical(**{name: p}).entropy(), [param])
        other = D.OneHotCategorical(logits=tg.tensor(rng.normal(size=(4,))))
        assert gradcheck(
            lambda p, name=name: D.kl_divergence(D.OneHotCategorical(**{name: p}), other), [param]
        )


# ------------------------------------------------------------------ without PyTorch: the formulas


def test_diagonal_multivariate_normal_is_a_product_of_normals():
    rng = np.random.default_rng(13)
    loc, var = rng.normal(size=(2, 4)), rng.uniform(0.3, 3.0, size=(2, 4))
    x = tg.tensor(rng.normal(size=(5, 2, 4)))
    normals = D.Normal(tg.tensor(loc), tg.tensor(np.sqrt(var)))
    product = D.Independent(normals, 1)
    for kind, matrix in (
        ("covariance_matrix", np.apply_along_axis(np.diag, -1, var)),
        ("precision_matrix", np.apply_along_axis(np.diag, -1, 1 / var)),
        ("scale_tril", np.apply_along_axis(np.diag, -1, np.sqrt(var))),
    ):
        dist = D.MultivariateNormal(tg.tensor(loc), **{kind: tg.tensor(matrix)})
        np.testing.assert_allclose(dist.log_prob(x).data, normals.log_prob(x).data.sum(-1), rtol=1e-12)
        np.testing.assert_allclose(dist.log_prob(x).data, product.log_prob(x).data, rtol=1e-12)
        np.testing.assert_allclose(dist.entropy().data, normals.entropy().data.sum(-1), rtol=1e-12)
        np.testing.assert_allclose(dist.variance.data, var, rtol=1e-12)
        np.testing.assert_allclose(dist.stddev.data, product.stddev.data, rtol=1e-12)
        other = D.MultivariateNormal(tg.tensor(loc[::-1].copy()), scale_tril=tg.eye(4, dtype=tg.float64) * 2)
        by_coordinate = D.kl_divergence(normals, D.Normal(tg.tensor(loc[::-1].copy()), 2.0)).data.sum(-1)
        np.testing.assert_allclose(D.kl_divergence(dist, other).data, by_coordinate, rtol=1e-12)


@pytest.mark.parametrize("case", MVN_CASES)
def test_the_three_parametrisations_agree(case):
    dists = [mvn(case, kind)[0] for kind in KINDS]
    x = tg.tensor(_values(case))
    loc, cov = MVN_CASES[case]
    for dist in dists:
        full = dist.batch_shape + dist.event_shape * 2
        np.testing.assert_allclose(dist.covariance_matrix.data, np.broadcast_to(cov, full), rtol=1e-12)
        np.testing.assert_allclose(
            dist.precision_matrix.data, np.broadcast_to(np.linalg.inv(cov), full), rtol=1e-10
        )
        np.testing.assert_allclose(
            dist.scale_tril.data, np.broadcast_to(np.linalg.cholesky(cov), full), rtol=1e-10
        )
        # against the density written with Sigma itself: -(d^T Sigma^{-1} d + log det(2 pi Sigma)) / 2
        d = x.data - loc
        quad = d[..., None, :] @ np.linalg.solve(
            np.broadcast_to(cov, d.shape[:-1] + cov.shape[-2:]), d[..., None]
        )
        want = -0.5 * (quad[..., 0, 0] + np.linalg.slogdet(2 * np.pi * cov)[1])
        np.testing.assert_allclose(dist.log_prob(x).data, want, rtol=1e-12)
        np.testing.assert_allclose(dist.entropy().data, dists[0].entropy().data, rtol=1e-12)
        np.testing.assert_allclose(D.kl_divergence(dist, dists[0]).data, 0.0, atol=1e-12)


def test_multivariate_normal_density_integrates_to_one_and_kl_is_its_definition():
    """On a 2-d grid: the density sums to 1, and E_p[log p - log q] is the closed-form KL and entropy."""
    cov_p, cov_q = np.array([[1.0, 0.6], [0.6, 0.8]]), np.array([[2.0, -0.3], [-0.3, 1.5]])
    f64 = {"dtype": tg.float64}
    p = D.MultivariateNormal(tg.tensor([0.3, -0.2], **f64), covariance_matrix=tg.tensor(cov_p))
    q = D.MultivariateNormal(tg.tensor([-0.5, 0.4], **f64), precision_matrix=tg.tensor(np.linalg.inv(cov_q)))
    axis = np.linspace(-10, 10, 1001)
    grid = np.stack(np.meshgrid(axis, axis, indexing="ij"), -1)
    lp, lq = p.log_prob(tg.tensor(grid)).data, q.log_prob(tg.tensor(grid)).data
    area = (axis[1] - axis[0]) ** 2  # (tails beyond 10 standard deviations are below 1e-20)
    np.testing.assert_allclose((np.exp(lp) * area).sum(), 1.0, rtol=1e-10)
    np.testing.assert_allclose((np.exp(lp) * (lp - lq) * area).sum(), D.kl_divergence(p, q).item(), rtol=1e-9)
    np.testing.assert_allclose(-(np.exp(lp) * lp * area).sum(), p.entropy().item(), rtol=1e-9)


def test_multivariate_normal_sample_moments():
    tg.manual_seed(0)
    loc, cov = MVN_CASES["broadcast both"]
    dist = D.MultivariateNormal(tg.tensor(loc), covariance_matrix=tg.tensor(cov))
    n = 20_000
    x = dist.sample((n,))
    assert x.shape == (n,) + dist.batch_shape + dist.event_shape and not x.requires_grad
    x = x.data
    full = np.broadcast_to(cov, dist.batch_shape + cov.shape[-2:])
    m = x.mean(0)
    np.testing.assert_array_less(np.abs(m - loc), 5 * np.sqrt(np.diagonal(full, 0, -2, -1) / n))
    centred = x - m
    products = centred[..., :, None] * centred[..., None, :]  # (n, *batch, 3, 3)
    sample_cov, spread = products.mean(0), products.std(0)
    np.testing.assert_array_less(np.abs(sample_cov - full), 5 * spread / np.sqrt(n))


def test_multivariate_normal_rsample_and_sample():
    loc = tg.tensor([1.0, -1.0], requires_grad=True)
    tril = tg.tensor([[1.0, 0.0], [0.5, 2.0]], requires_grad=True)
    dist = D.MultivariateNormal(loc, scale_tril=tril)
    assert dist.has_rsample and dist.rsample().requires_grad and not dist.sample().requires_grad
    assert dist.sample((4, 3)).shape == (4, 3, 2) and dist.sample().dtype == tg.float32
    tg.manual_seed(3)
    first = dist.sample((5,))
    tg.manual_seed(3)
    np.testing.assert_array_equal(dist.rsample((5,)).data, first.data)
    # the draw is loc + L eps: d(sum of a draw)/d loc = the number of draws, per coordinate
    dist.rsample((7,)).sum().backward()
    np.testing.assert_allclose(loc.grad.data, [7.0, 7.0])


def test_independent_moves_batch_dims_to_the_event():
    base = D.Normal(tg.zeros(2, 3, 4), tg.ones(2, 3, 4))
    dist = D.Independent(base, 2)
    assert dist.batch_shape == (2,) and dist.event_shape == (3, 4) and dist.has_rsample
    assert dist.log_prob(tg.zeros(5, 2, 3, 4)).shape == (5, 2) and dist.entropy().shape == (2,)
    np.testing.assert_allclose(dist.entropy().data, 12 * (0.5 + 0.5 * math.log(2 * math.pi)), rtol=1e-6)
    tg.manual_seed(4)
    first = dist.sample((3,))
    tg.manual_seed(4)
    np.testing.assert_array_equal(base.sample((3,)).data, first.data)
    wide = dist.expand((6, 2))
    assert wide.batch_shape == (6, 2) and wide.base_dist.batch_shape == (6, 2, 3, 4)
    assert not D.Independent(D.Bernoulli(tg.ones(2, 3) * 0.5), 1).has_rsample
    assert not D.Independent(D.Bernoulli(tg.ones(2, 3) * 0.5), 1).has_enumerate_support
    assert D.Independent(D.Bernoulli(tg.ones(2, 3) * 0.5), 0).has_enumerate_support
    assert (
        repr(D.Independent(D.Normal(tg.zeros(2), tg.ones(2)), 1))
        == "Independent(Normal(loc: (2,), scale: (2,)), 1)"
    )
    # a value outside the support is caught by the base's check
    with pytest.raises(ValueError, match="within the support"):
        D.Independent(D.Bernoulli(tg.ones(2, 3) * 0.5), 1).log_prob(tg.ones(2, 3) * 0.5)
    # sample moments: the base's
    tg.manual_seed(1)
    normal = D.Normal(tg.tensor([[0.5, -2.0]], dtype=tg.float64), tg.tensor([[1.0, 3.0]], dtype=tg.float64))
    x = D.Independent(normal, 1).sample((20_000,)).data
    np.testing.assert_array_less(
        np.abs(x.mean(0) - normal.mean.data), 5 * normal.stddev.data / np.sqrt(20_000)
    )


def test_one_hot_categorical_samples_and_support():
    probs = tg.tensor([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]], dtype=tg.float64)
    dist = D.OneHotCategorical(probs)
    tg.manual_seed(0)
    n = 40_000
    x = dist.sample((n,))
    assert x.shape == (n, 2, 3) and x.dtype == tg.float64 and bool(dist.support.check(x).all())
    freq, p = x.data.mean(0), probs.data
    np.testing.assert_array_less(np.abs(freq - p), 5 * np.sqrt(p * (1 - p) / n) + 1e-12)
    np.testing.assert_array_less(
        np.abs(x.data.var(0) - dist.variance.data), 5 * np.sqrt(p * (1 - p) / n) + 1e-12
    )
    support = dist.enumerate_support()
    assert support.shape == (3, 2, 3) and dist.enumerate_support(False).shape == (3, 1, 3)
    np.testing.assert_allclose(dist.log_prob(support).exp().sum(0).data, 1.0, rtol=1e-12)
    entropy = -(dist.log_prob(support).exp() * dist.log_prob(support).clamp(min=-1e300)).sum(0)
    np.testing.assert_allclose(dist.entropy().data, entropy.data, rtol=1e-12)
    np.testing.assert_array_equal(dist.mode.data, [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_allclose(D.kl_divergence(dist, dist).data, 0.0, atol=1e-15)
    assert D.kl_divergence(D.OneHotCategorical(probs[1]), D.OneHotCategorical(probs[0])).item() < math.inf
    assert D.kl_divergence(D.OneHotCategorical(probs[0]), D.OneHotCategorical(probs[1])).item() == math.inf
    tg.manual_seed(2)
    first = dist.sample((5,))
    tg.manual_seed(2)
    np.testing.assert_array_equal(dist.sample((5,)).data, first.data)


def test_validate_args_false_reaches_the_categorical_inside():
    """NOTE: PyTorch builds the inner Categorical with the default validate_args, so it checks the
    probs even when told not to; here validate_args=False is passed on."""
    dist = D.OneHotCategorical(tg.tensor([0.7, -0.5]), validate_args=False)
    assert not dist._categorical._validate_args
    with pytest.raises(ValueError, match="Categorical"):
        D.OneHotCategorical(tg.tensor([0.7, -0.5]))


def test_new_constraints():
    pd = constraints.positive_definite
    assert pd.event_dim == 2 and constraints.lower_cholesky.event_dim == 2
    good, bad = np.array([[2.0, 1.0], [1.0, 2.0]]), np.array([[1.0, 1.5], [1.5, 1.0]])  # (eigenvalue -0.5)
    singular = np.ones((2, 2))  # (eigenvalues 0 and 2: semi-definite only)
    np.testing.assert_array_equal(
        pd.check(tg.tensor(np.stack([good, bad, singular, -good]))).data, [True, False, False, False]
    )
    assert not pd.check(tg.tensor([[1.0, 0.1], [0.0, 1.0]])).item()  # (not symmetric)
    assert not pd.check(tg.ones(2, 3)).item()  # (not square)
    np.testing.assert_array_equal(
        pd.check(tg.tensor(np.stack([good, good + [[0, 5e-7], [0, 0]]]))).data, [True, True]
    )  # (symmetric to rounding is symmetric)
    assert not pd.check(tg.tensor([[float("nan"), 0.0], [0.0, 1.0]])).item()
    lc = constraints.lower_cholesky
    cases = [[[1.0, 0.0], [3.0, 2.0]], [[1.0, 0.1], [3.0, 2.0]], [[1.0, 0.0], [3.0, 0.0]]]
    np.testing.assert_array_equal(lc.check(tg.tensor(cases)).data, [True, False, False])
    np.testing.assert_array_equal(
        constraints.real_vector.check(tg.tensor([[0.0, 1.0], [float("nan"), 1.0]])).data, [True, False]
    )
    assert repr(pd) == "PositiveDefinite()" and repr(lc) == "LowerCholesky()"
    assert repr(constraints.real_vector) == "IndependentConstraint(Real(), 1)"


def test_parameters_are_validated():
    with pytest.raises(
        ValueError, match=r"covariance_matrix .* to satisfy the constraint PositiveDefinite\(\)"
    ):
        D.MultivariateNormal(tg.zeros(2), tg.ones(2, 2))
    with pytest.raises(ValueError, match=r"scale_tril .* to satisfy the constraint LowerCholesky\(\)"):
        D.MultivariateNormal(tg.zeros(2), scale_tril=tg.ones(2, 2))
    with pytest.raises(tg.linalg.LinAlgError):  # unchecked: the Cholesky factorization fails instead
        D.MultivariateNormal(tg.zeros(2), tg.ones(2, 2), validate_args=False)
    with pytest.raises(ValueError, match="within the support"):
        D.OneHotCategorical(tg.ones(3)).log_prob(tg.tensor([1.0, 1.0, 0.0]))


def test_loc_and_matrix_of_different_sizes_are_refused():
    with pytest.raises(
        ValueError, match=r"loc of shape \(2,\) does not fit covariance_matrix of shape \(3, 3\)"
    ):
        D.MultivariateNormal(tg.zeros(2), tg.eye(3))
    with pytest.raises(TypeError, match="`loc` must be a Tensor"):
        D.MultivariateNormal([0.0, 1.0], tg.eye(2))


def test_batch_shapes_that_do_not_broadcast_are_refused():
    # (PyTorch raises a RuntimeError from torch.broadcast_shapes; the message here is tg.broadcast_shapes')
    with pytest.raises(RuntimeError, match=r"shapes \(3,\) and \(2,\) are not broadcastable"):
        D.MultivariateNormal(tg.zeros(2, 2), tg.eye(2).expand(3, 2, 2))
