"""The margin losses (nn/margin_losses.py) and the Poisson and Gaussian NLL losses (nn/likelihood_losses.py).

Values against NumPy formulas for every reduction, gradients against finite
differences (first and second order, float64), the deprecated flags, the
modules' options, reprs and buffers, errors that name the shapes, nothing
changed by a failed call; and, when PyTorch is installed, values, gradients,
signatures, warnings and error types against PyTorch's.
"""

from __future__ import annotations

import inspect
import math
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.testing import gradcheck, gradgradcheck

rng = np.random.default_rng(5)
N, D = 5, 4
X1 = rng.standard_normal((N, D))
X2 = rng.standard_normal((N, D))
X3 = rng.standard_normal((N, D))
S1, S2 = rng.standard_normal(N), rng.standard_normal(N)  # scores
LABELS = np.array([1.0, -1.0, 1.0, -1.0, -1.0])  # +-1 per sample
SIGNS = np.where(rng.random((N, D)) > 0.5, 1.0, -1.0)  # +-1 per element
BITS = (rng.random((N, D)) > 0.5).astype(float)  # 0/1 per class
COUNTS = rng.poisson(3.0, (N, D)).astype(float)
COUNTS[0, :3] = [0.0, 1.0, 2.0]
VAR = rng.random((N, D)) + 0.2


def t(a: np.ndarray, grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def reduce_np(loss: np.ndarray, reduction: str) -> np.ndarray:
    return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]


def _cos_np(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(-1) / np.sqrt(((a * a).sum(-1) + 1e-12) * ((b * b).sum(-1) + 1e-12))


def _dist_np(a: np.ndarray, b: np.ndarray, p: float) -> np.ndarray:
    return (np.abs(a - b + 1e-6) ** p).sum(-1) ** (1 / p)


def _stirling_np(y: np.ndarray) -> np.ndarray:
    safe = np.where(y > 1, y, 2.0)
    return np.where(y > 1, safe * np.log(safe) - safe + 0.5 * np.log(2 * np.pi * safe), 0.0)


# name -> (ours(reduction), the NumPy per-element losses)
CASES = {
    "margin_ranking": (
        lambda r: F.margin_ranking_loss(t(S1), t(S2), t(LABELS), 0.3, reduction=r),
        lambda: np.maximum(0.0, -LABELS * (S1 - S2) + 0.3),
    ),
    "hinge_embedding": (
        lambda r: F.hinge_embedding_loss(t(X1), t(SIGNS), 0.7, reduction=r),
        lambda: np.where(SIGNS == 1, X1, np.maximum(0.0, 0.7 - X1)),
    ),
    "soft_margin": (
        lambda r: F.soft_margin_loss(t(X1), t(SIGNS), reduction=r),
        lambda: np.log1p(np.exp(-SIGNS * X1)),
    ),
    "multilabel_soft_margin": (
        lambda r: F.multilabel_soft_margin_loss(t(X1), t(BITS), t(np.arange(1.0, D + 1)), reduction=r),
        lambda: (
            np.arange(1.0, D + 1) * (BITS * np.log1p(np.exp(-X1)) + (1 - BITS) * np.log1p(np.exp(X1)))
        ).mean(-1),
    ),
    "cosine_embedding": (
        lambda r: F.cosine_embedding_loss(t(X1), t(X2), t(LABELS), 0.1, reduction=r),
        lambda: np.where(LABELS == 1, 1 - _cos_np(X1, X2), np.maximum(0.0, _cos_np(X1, X2) - 0.1)),
    ),
    "triplet_margin": (
        lambda r: F.triplet_margin_loss(t(X1), t(X2), t(X3), 1.5, reduction=r),
        lambda: np.maximum(0.0, _dist_np(X1, X2, 2) - _dist_np(X1, X3, 2) + 1.5),
    ),
    "triplet_margin_p1_swap": (
        lambda r: F.triplet_margin_loss(t(X1), t(X2), t(X3), 1.5, 1.0, swap=True, reduction=r),
        lambda: np.maximum(
            0.0, _dist_np(X1, X2, 1) - np.minimum(_dist_np(X1, X3, 1), _dist_np(X2, X3, 1)) + 1.5
        ),
    ),
    "poisson_nll": (
        lambda r: F.poisson_nll_loss(t(X1), t(COUNTS), reduction=r),
        lambda: np.exp(X1) - COUNTS * X1,
    ),
    "poisson_nll_rates_full": (
        lambda r: F.poisson_nll_loss(t(VAR), t(COUNTS), log_input=False, full=True, reduction=r),
        lambda: VAR - COUNTS * np.log(VAR + 1e-8) + _stirling_np(COUNTS),
    ),
    "gaussian_nll": (
        lambda r: F.gaussian_nll_loss(t(X1), t(X2), t(VAR), reduction=r),
        lambda: 0.5 * (np.log(VAR) + (X1 - X2) ** 2 / VAR),
    ),
    "gaussian_nll_full_one_var_per_sample": (
        lambda r: F.gaussian_nll_loss(t(X1), t(X2), t(VAR[:, 0]), full=True, reduction=r),
        lambda: 0.5 * (np.log(VAR[:, :1]) + (X1 - X2) ** 2 / VAR[:, :1] + np.log(2 * np.pi)),
    ),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", CASES)
def test_values_match_the_formulas(name, reduction):
    ours, formula = CASES[name]
    got = ours(reduction)
    np.testing.assert_allclose(got.data, reduce_np(formula(), reduction), rtol=1e-13, atol=1e-15)
    assert got.dtype == np.float64


def test_the_losses_are_zero_once_the_margin_is_met():
    # ranked right by more than the margin, similar pairs at distance 0, far dissimilar ones
    assert F.margin_ranking_loss(t([3.0]), t([1.0]), t([1.0]), margin=1.0).item() == 0.0
    assert F.hinge_embedding_loss(t([0.0, 2.0]), t([1.0, -1.0]), margin=1.5).item() == 0.0
    assert F.triplet_margin_loss(t([[0.0, 0.0]]), t([[0.1, 0.0]]), t([[5.0, 0.0]])).item() == 0.0
    same = F.cosine_embedding_loss(t([[1.0, 2.0]]), t([[2.0, 4.0]]), t([1.0]))
    assert same.item() == pytest.approx(0.0, abs=1e-12)  # (1e-12 is added to the squared lengths)
    # a label that is neither +1 nor -1 adds both hinge terms, as in PyTorch
    assert F.hinge_embedding_loss(t([0.25]), t([0.0]), margin=1.0).item() == 0.25 + 0.75


# name -> (function of the inputs that require grad, their values), away from the hinges' kinks
GRADIENT_CASES = {
    "margin_ranking": (lambda a, b: F.margin_ranking_loss(a, b, t(LABELS), 0.3), [S1, S2]),
    "hinge_embedding": (lambda x: F.hinge_embedding_loss(x, t(SIGNS), 0.7, reduction="sum"), [X1]),
    "soft_margin": (lambda x: F.soft_margin_loss(x, t(SIGNS), reduction="none"), [X1]),
    "multilabel_soft_margin": (lambda x, w: F.multilabel_soft_margin_loss(x, t(BITS), w), [X1, VAR[0]]),
    "cosine_embedding": (lambda a, b: F.cosine_embedding_loss(a, b, t(LABELS), -0.9), [X1, X2]),
    "triplet_margin": (lambda a, p, n: F.triplet_margin_loss(a, p, n, 3.0, swap=True), [X1, X2, X3]),
    "triplet_margin_p3": (lambda a, p, n: F.triplet_margin_loss(a, p, n, 3.0, 3.0), [X1, X2, X3]),
    "poisson_nll": (lambda x, y: F.poisson_nll_loss(x, y, full=True), [X1, COUNTS + 0.5]),
    "poisson_nll_rates": (lambda x: F.poisson_nll_loss(x, t(COUNTS), log_input=False), [VAR]),
    "gaussian_nll": (lambda x, y, v: F.gaussian_nll_loss(x, y, v, reduction="sum"), [X1, X2, VAR]),
    "gaussian_nll_shared_var": (lambda x, v: F.gaussian_nll_loss(x, t(X2), v), [X1, VAR[:, :1]]),
}


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_gradients_against_finite_differences(name):
    fn, arrays = GRADIENT_CASES[name]
    inputs = [t(a, grad=True) for a in arrays]
    assert gradcheck(fn, inputs) and gradgradcheck(fn, inputs)


def test_hinge_slope_at_the_kink_is_pytorchs_clamp_min():
    # max(0, z) at z = 0 passes the gradient (slope 1), as PyTorch's clamp_min does
    a, b = t([1.0], grad=True), t([1.5], grad=True)
    F.margin_ranking_loss(a, b, t([1.0]), margin=-0.5).backward()  # -(1 - 1.5) - 0.5 = 0
    assert (a.grad.item(), b.grad.item()) == (-1.0, 1.0)


def test_soft_margin_and_multilabel_losses_stay_finite_for_large_margins():
    x = t([-1000.0, 1000.0], grad=True)
    loss = F.soft_margin_loss(x, t([1.0, -1.0]), reduction="none")
    np.testing.assert_array_equal(loss.data, [1000.0, 1000.0])  # log(1 + e^1000) = 1000
    loss.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [-1.0, 1.0])
    big = F.multilabel_soft_margin_loss(t([[1000.0, -1000.0]]), t([[0.0, 1.0]]))
    assert big.item() == 1000.0


def test_gaussian_variance_below_eps_is_clamped_but_still_gets_its_slope():
    # value with var clamped at eps; gradient the slope at eps (PyTorch clamps without recording it)
    x, y, v = t([0.0]), t([0.1]), t([1e-9], grad=True)
    loss = F.gaussian_nll_loss(x, y, v, eps=1e-6)
    assert loss.item() == pytest.approx(0.5 * (math.log(1e-6) + 0.01 / 1e-6), rel=1e-14)
    loss.backward()
    assert v.grad.item() == pytest.approx(0.5 * (1 / 1e-6 - 0.01 / 1e-12), rel=1e-12)
    assert F.gaussian_nll_loss(x, y, 0.5).item() == pytest.approx(0.5 * (math.log(0.5) + 0.02), rel=1e-14)


def test_poisson_stirling_term_gives_finite_target_gradients_at_zero():
    # (PyTorch's gradient is nan at y = 0, from log(0) behind the mask)
    y = t([0.0, 1.0, 3.0], grad=True)
    F.poisson_nll_loss(t([0.5, 0.5, 0.5]), y, full=True, reduction="sum").backward()
    np.testing.assert_allclose(y.grad.data, [-0.5, -0.5, -0.5 + math.log(3.0) + 0.5 / 3.0], rtol=1e-14)


# ---------------------------------------------------------------- modules

MODULES = [
    (nn.MarginRankingLoss(0.3), lambda m: m(t(S1), t(S2), t(LABELS)), "margin_ranking"),
    (nn.HingeEmbeddingLoss(0.7), lambda m: m(t(X1), t(SIGNS)), "hinge_embedding"),
    (nn.SoftMarginLoss(), lambda m: m(t(X1), t(SIGNS)), "soft_margin"),
    (
        nn.MultiLabelSoftMarginLoss(t(np.arange(1.0, D + 1))),
        lambda m: m(t(X1), t(BITS)),
        "multilabel_soft_margin",
    ),
    (nn.CosineEmbeddingLoss(0.1), lambda m: m(t(X1), t(X2), t(LABELS)), "cosine_embedding"),
    (nn.TripletMarginLoss(1.5), lambda m: m(t(X1), t(X2), t(X3)), "triplet_margin"),
    (
        nn.TripletMarginLoss(1.5, 1.0, swap=True),
        lambda m: m(t(X1), t(X2), t(X3)),
        "triplet_margin_p1_swap",
    ),
    (nn.PoissonNLLLoss(), lambda m: m(t(X1), t(COUNTS)), "poisson_nll"),
    (
        nn.PoissonNLLLoss(False, True),
        lambda m: m(t(VAR), t(COUNTS)),
        "poisson_nll_rates_full",
    ),
    (nn.GaussianNLLLoss(), lambda m: m(t(X1), t(X2), t(VAR)), "gaussian_nll"),
    (
        nn.GaussianNLLLoss(full=True),
        lambda m: m(t(X1), t(X2), t(VAR[:, 0])),
        "gaussian_nll_full_one_var_per_sample",
    ),
]


@pytest.mark.parametrize("module, call, name", MODULES, ids=[name for _, _, name in MODULES])
def test_modules_call_their_functions(module, call, name):
    np.testing.assert_allclose(call(module).data, CASES[name][0]("mean").data, rtol=1e-15)
    module.reduction = "none"
    np.testing.assert_allclose(call(module).data, CASES[name][0]("none").data, rtol=1e-15)
    module.reduction = "mean"
    assert repr(module) == f"{type(module).__name__}()"  # PyTorch's losses print no options


def test_module_options_and_buffers():
    loss = nn.TripletMarginLoss(2.0, 1.0, 1e-3, True, reduction="sum")
    assert (loss.margin, loss.p, loss.eps, loss.swap, loss.reduction) == (2.0, 1.0, 1e-3, True, "sum")
    poisson = nn.PoissonNLLLoss(False, True, None, 1e-4)
    assert (poisson.log_input, poisson.full, poisson.eps, poisson.reduction) == (False, True, 1e-4, "mean")
    gauss = nn.GaussianNLLLoss(full=True, eps=1e-3, reduction="none")
    assert (gauss.full, gauss.eps, gauss.reduction) == (True, 1e-3, "none")
    with pytest.raises(TypeError):
        nn.GaussianNLLLoss(True)  # keyword-only, as in PyTorch
    weighted = nn.MultiLabelSoftMarginLoss(t([1.0, 2.0]))
    assert list(weighted.state_dict()) == ["weight"]  # a buffer, as in PyTorch
    assert list(nn.MultiLabelSoftMarginLoss().state_dict()) == []
    for cls in (nn.MarginRankingLoss, nn.HingeEmbeddingLoss, nn.CosineEmbeddingLoss):
        assert cls(0.5).margin == 0.5 and cls().reduction == "mean"
    assert (nn.MarginRankingLoss().margin, nn.HingeEmbeddingLoss().margin) == (0.0, 1.0)


def test_legacy_flags_bind_by_position_and_warn():
    with pytest.warns(UserWarning, match="reduction='sum'") as caught:
        module = nn.MarginRankingLoss(0.5, False)  # margin, size_average
    assert (module.margin, module.reduction) == (0.5, "sum")
    assert caught[0].filename == __file__
    with pytest.warns(UserWarning, match="reduction='none'"):
        assert nn.PoissonNLLLoss(True, False, None, 1e-8, False).reduction == "none"
    with pytest.warns(UserWarning, match="reduction='none'"):
        per_sample = F.triplet_margin_loss(t(X1), t(X2), t(X3), 1.5, 2, 1e-6, False, None, False)
    assert per_sample.shape == (N,)
    with pytest.warns(UserWarning, match="reduction='sum'"):
        total = F.hinge_embedding_loss(t(X1), t(SIGNS), 0.7, False)
    assert total.item() == pytest.approx(CASES["hinge_embedding"][0]("sum").item(), rel=1e-14)


# ---------------------------------------------------------------- errors


def test_shape_errors_name_the_shapes():
    with pytest.raises(
        RuntimeError, match=r"same dimension.*input1: \(5,\), input2: \(5,\), target: \(5, 1\)"
    ):
        F.margin_ranking_loss(t(S1), t(S2), t(LABELS[:, None]))
    with pytest.raises(RuntimeError, match=r"margin_ranking_loss: shapes \(5,\) and \(4,\)"):
        F.margin_ranking_loss(t(S1), t(S2[:4]), t(LABELS))
    with pytest.raises(RuntimeError, match=r"hinge_embedding_loss: shapes \(5, 4\) and \(3,\)"):
        F.hinge_embedding_loss(t(X1), t([1.0, -1.0, 1.0]))
    with pytest.raises(
        RuntimeError, match=r"target of shape \(5, 3\) does not broadcast to the input's shape \(5, 4\)"
    ):
        F.soft_margin_loss(t(X1), t(SIGNS[:, :3]))
    with pytest.raises(RuntimeError, match=r"multilabel_soft_margin_loss: shapes \(5, 4\) and \(5, 3\)"):
        F.multilabel_soft_margin_loss(t(X1), t(BITS[:, :3]))
    with pytest.raises(
        RuntimeError,
        match=r"0D target tensor expects 1D input tensors, but found inputs with sizes \[5, 4\] and \[5, 4\]",
    ):
        F.cosine_embedding_loss(t(X1), t(X2), t(1.0))
    with pytest.raises(RuntimeError, match="multi-target not supported"):
        F.cosine_embedding_loss(t(X1), t(X2), t(SIGNS))
    with pytest.raises(RuntimeError, match=r"cosine_embedding_loss: shapes \(5,\) and \(3,\)"):
        F.cosine_embedding_loss(t(X1), t(X2), t([1.0, 1.0, -1.0]))
    with pytest.raises(
        RuntimeError,
        match=r"anchor 2D, positive 1D, and negative 2D inputs \(of shapes \(5, 4\), \(4,\) and \(5, 4\)\)",
    ):
        F.triplet_margin_loss(t(X1), t(X2[0]), t(X3))
    with pytest.raises(RuntimeError, match=r"poisson_nll_loss: shapes \(5, 4\) and \(3,\)"):
        F.poisson_nll_loss(t(X1), t([1.0, 2.0, 3.0]))
    with pytest.raises(
        ValueError, match=r"var is of incorrect size: var of shape \(4,\) for input of shape \(5, 4\)"
    ):
        F.gaussian_nll_loss(t(X1), t(X2), t(VAR[0]))
    with pytest.raises(ValueError, match="var is of incorrect size"):
        F.gaussian_nll_loss(t(X1), t(X2), t(np.ones((1, 1))))  # two mismatched dims
    with pytest.raises(IndexError, match="no dimensions"):
        F.multilabel_soft_margin_loss(t(1.0), t(1.0))


def test_argument_errors():
    for call in (
        lambda: F.margin_ranking_loss(t(S1), t(S2), t(LABELS), reduction="avg"),
        lambda: F.gaussian_nll_loss(t(X1), t(X2), t(VAR), reduction="avg"),
        lambda: nn.SoftMarginLoss(reduction="avg"),
        lambda: nn.GaussianNLLLoss(reduction="batchmean"),
    ):
        with pytest.raises(ValueError, match="avg|batchmean"):
            call()
    with pytest.raises(ValueError, match="margin must be greater than 0, got 0"):
        F.triplet_margin_loss(t(X1), t(X2), t(X3), margin=0.0)
    with pytest.raises(ValueError, match="expected margin to be greater than 0, got -1.0 instead"):
        nn.TripletMarginLoss(-1.0)
    with pytest.raises(ValueError, match="var has negative entry/entries"):
        F.gaussian_nll_loss(t(X1), t(X2), -1.0)
    with pytest.raises(ValueError, match="var has negative entry/entries"):
        F.gaussian_nll_loss(t(X1), t(X2), t(-VAR))
    with pytest.raises(RuntimeError, match="not differentiable with respect to target"):
        F.soft_margin_loss(t(X1), t(SIGNS, grad=True))
    with pytest.raises(RuntimeError, match="can't be cast"):
        F.soft_margin_loss(tg.tensor([1, 2]), tg.tensor([1, -1]))
    for call in (F.poisson_nll_loss, lambda a, b: F.gaussian_nll_loss(a, b, 1.0)):
        with pytest.raises(NotImplementedError):
            call(tg.tensor([1, 2]), tg.tensor([1, 2]))


def test_a_failed_call_changes_nothing():
    loss = nn.CosineEmbeddingLoss(0.1, reduction="sum")
    a, b = t(X1, grad=True), t(X2, grad=True)
    with pytest.raises(RuntimeError):
        loss(a, b, t(SIGNS))
    assert (loss.margin, loss.reduction) == (0.1, "sum")
    assert a.grad is None and b.grad is None
    np.testing.assert_array_equal(a.data, X1)
    v = t(VAR, grad=True)
    with pytest.raises(ValueError):
        F.gaussian_nll_loss(a, b, v, reduction="avg")
    np.testing.assert_array_equal(v.data, VAR)  # the clamp never touched the caller's variance


# ---------------------------------------------------------------- against PyTorch

# name -> (call(lib, *tensors, reduction), the arrays, the indices of those that may require grad)
TORCH_CASES = {
    "margin_ranking": (
        lambda F_, a, b, y, r: F_.margin_ranking_loss(a, b, y, 0.3, reduction=r),
        [S1, S2, LABELS],
        (0, 1, 2),
    ),
    "margin_ranking_broadcast": (
        lambda F_, a, b, y, r: F_.margin_ranking_loss(a, b, y, reduction=r),
        [X1[:, :1], X2[:1], SIGNS],
        (0, 1),
    ),
    "hinge_embedding": (
        lambda F_, x, y, r: F_.hinge_embedding_loss(x, y, 0.7, reduction=r),
        [X1, SIGNS],
        (0,),  # (the labels only choose a branch: no gradient)
    ),
    "soft_margin": (lambda F_, x, y, r: F_.soft_margin_loss(x, y, reduction=r), [X1, SIGNS], (0,)),
    "soft_margin_broadcast": (
        lambda F_, x, y, r: F_.soft_margin_loss(x, y, reduction=r),
        [X1, SIGNS[0]],
        (0,),
    ),
    "multilabel_soft_margin": (
        lambda F_, x, y, w, r: F_.multilabel_soft_margin_loss(x, y, w, reduction=r),
        [X1, BITS, VAR[0]],
        (0, 1, 2),
    ),
    "multilabel_soft_margin_3d": (
        lambda F_, x, y, r: F_.multilabel_soft_margin_loss(x, y, reduction=r),
        [X1.reshape(1, N, D), BITS.reshape(1, N, D)],
        (0,),
    ),
    "cosine_embedding": (
        lambda F_, a, b, y, r: F_.cosine_embedding_loss(a, b, y, 0.1, reduction=r),
        [X1, np.vstack([X2[:-1], np.zeros(D)]), LABELS],
        (0, 1),
    ),
    "cosine_embedding_1d": (
        lambda F_, a, b, y, r: F_.cosine_embedding_loss(a, b, y, -0.5, reduction=r),
        [X1[0], X2[0], np.array(-1.0)],
        (0, 1),
    ),
    "triplet_margin": (
        lambda F_, a, p, n, r: F_.triplet_margin_loss(a, p, n, 2.5, 2.0, 1e-6, True, reduction=r),
        [X1, X2, X3],
        (0, 1, 2),
    ),
    "triplet_margin_p1": (
        lambda F_, a, p, n, r: F_.triplet_margin_loss(a, p, n, 1.0, 1.0, reduction=r),
        [X1, X2, X3],
        (0, 1, 2),
    ),
    "poisson_nll": (
        lambda F_, x, y, r: F_.poisson_nll_loss(x, y, True, True, reduction=r),
        [X1, COUNTS + 0.25],
        (0, 1),
    ),
    "poisson_nll_rates": (
        lambda F_, x, y, r: F_.poisson_nll_loss(x, y, False, True, eps=1e-3, reduction=r),
        [VAR, COUNTS],
        (0,),
    ),
    "gaussian_nll": (
        lambda F_, x, y, v, r: F_.gaussian_nll_loss(x, y, v, True, reduction=r),
        [X1, X2, np.where(VAR > 0.5, VAR, 1e-9)],  # some variances below eps
        (0, 1, 2),
    ),
    "gaussian_nll_var_per_sample": (
        lambda F_, x, y, v, r: F_.gaussian_nll_loss(x, y, v, reduction=r),
        [X1, X2, VAR[:, 0]],
        (0, 1, 2),
    ),
    "gaussian_nll_var_size_1_dim": (
        lambda F_, x, y, v, r: F_.gaussian_nll_loss(x, y, v, reduction=r),
        [X1, X2[0], VAR[:1]],
        (0, 1, 2),
    ),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", TORCH_CASES)
def test_values_and_gradients_match_torch_if_installed(name, reduction):
    torch = pytest.importorskip("torch")
    call, arrays, with_grad = TORCH_CASES[name]
    ours = [tg.tensor(a, requires_grad=i in with_grad) for i, a in enumerate(arrays)]
    theirs = [torch.tensor(a, requires_grad=i in with_grad) for i, a in enumerate(arrays)]
    y, z = call(F, *ours, reduction), call(torch.nn.functional, *theirs, reduction)
    np.testing.assert_allclose(y.data, z.detach().numpy(), rtol=1e-13, atol=1e-15)
    upstream = rng.standard_normal(y.shape)
    y.backward(tg.tensor(upstream))
    z.backward(torch.tensor(upstream))
    for i in with_grad:
        np.testing.assert_allclose(ours[i].grad.data, theirs[i].grad.numpy(), rtol=1e-12, atol=1e-14)


def test_float32_dtypes_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    a, b = X1.astype(np.float32), X2.astype(np.float32)
    for name in ("margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss", "poisson_nll_loss"):
        args = (a[:, 0], b[:, 0], LABELS.astype(np.float32)) if name == "margin_ranking_loss" else (a, b)
        y = getattr(F, name)(*[tg.tensor(x) for x in args])
        z = getattr(torch.nn.functional, name)(*[torch.tensor(x) for x in args])
        assert y.dtype == np.float32 and str(z.dtype) == "torch.float32"
        np.testing.assert_allclose(y.data, z.numpy(), rtol=1e-5)


BAD_CALLS = [
    lambda F_, T: F_.margin_ranking_loss(T(S1), T(S2), T(LABELS[:, None])),
    lambda F_, T: F_.margin_ranking_loss(T(S1), T(S2[:4]), T(LABELS)),
    lambda F_, T: F_.hinge_embedding_loss(T(X1), T(SIGNS[:3, :3])),
    lambda F_, T: F_.soft_margin_loss(T(X1), T(SIGNS[:, :3])),
    lambda F_, T: F_.multilabel_soft_margin_loss(T(1.0), T(1.0)),
    lambda F_, T: F_.cosine_embedding_loss(T(X1), T(X2), T(1.0)),
    lambda F_, T: F_.cosine_embedding_loss(T(X1[0]), T(X2[0]), T(LABELS)),
    lambda F_, T: F_.cosine_embedding_loss(T(X1), T(X2), T(SIGNS)),
    lambda F_, T: F_.triplet_margin_loss(T(X1), T(X2[0]), T(X3)),
    lambda F_, T: F_.triplet_margin_loss(T(X1), T(X2), T(X3), margin=-1.0),
    lambda F_, T: F_.triplet_margin_loss(T(X1), T(X2), T(X3), reduction="avg"),
    lambda F_, T: F_.poisson_nll_loss(T(X1), T(X2[:, :3])),
    lambda F_, T: F_.gaussian_nll_loss(T(X1), T(X2), -1.0),
    lambda F_, T: F_.gaussian_nll_loss(T(X1), T(X2), T(VAR[0])),
    lambda F_, T: F_.gaussian_nll_loss(T(X1), T(X2), T(VAR), reduction="avg"),
]


@pytest.mark.parametrize("call", BAD_CALLS)
def test_error_types_match_torch_if_installed(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as theirs:
        call(torch.nn.functional, torch.tensor)
    with pytest.raises(type(theirs.value)):
        call(F, tg.tensor)


MODULE_NAMES = [
    "MarginRankingLoss",
    "HingeEmbeddingLoss",
    "SoftMarginLoss",
    "CosineEmbeddingLoss",
    "MultiLabelSoftMarginLoss",
    "TripletMarginLoss",
    "PoissonNLLLoss",
    "GaussianNLLLoss",
]
FUNCTION_NAMES = [
    "margin_ranking_loss",
    "hinge_embedding_loss",
    "soft_margin_loss",
    "cosine_embedding_loss",
    "multilabel_soft_margin_loss",
    "triplet_margin_loss",
    "poisson_nll_loss",
    "gaussian_nll_loss",
]


def _parameters(fn):
    return [
        (p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "self"
    ]


@pytest.mark.parametrize("name", MODULE_NAMES + FUNCTION_NAMES)
def test_signatures_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    if name in MODULE_NAMES:
        ours, theirs = getattr(nn, name).__init__, getattr(torch.nn, name).__init__
    else:
        ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    assert _parameters(ours) == _parameters(theirs)


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_module_reprs_and_legacy_warnings_match_torch_if_installed(name):
    torch = pytest.importorskip("torch")
    legacy = {} if name == "GaussianNLLLoss" else {"size_average": False}
    with warnings.catch_warnings(record=True) as theirs_warned:
        warnings.simplefilter("always")
        theirs = getattr(torch.nn, name)(**legacy)
    with warnings.catch_warnings(record=True) as ours_warned:
        warnings.simplefilter("always")
        ours = getattr(nn, name)(**legacy)
    assert repr(ours) == repr(theirs) and ours.reduction == theirs.reduction
    assert [str(w.message) for w in ours_warned] == [str(w.message) for w in theirs_warned]
