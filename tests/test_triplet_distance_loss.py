"""F.triplet_margin_with_distance_loss and nn.TripletMarginWithDistanceLoss (nn/distance_losses.py).

Values against NumPy formulas for the default and user-given distances,
swap and every reduction; gradients against finite differences (float64,
first and second order); errors, the module's options and repr; and, when
PyTorch is installed, values, gradients, reprs, errors and signatures
against PyTorch's.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.nn.distance_losses import TripletMarginWithDistanceLoss, triplet_margin_with_distance_loss
from tinygrad_edu.testing import gradcheck, gradgradcheck

from .torch_compare import assert_values_and_gradients_agree

SEEDS = st.integers(0, 2**32 - 1)
REDUCE = {"mean": np.mean, "sum": np.sum, "none": lambda a: a}


def t(a, grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def euclidean_np(a, b):  # F.pairwise_distance's default: ||a - b + 1e-6||_2
    return np.sqrt(((a - b + 1e-6) ** 2).sum(-1))


def l1(a, b):  # a user's distance, written with Tensor ops (works on NumPy arrays too)
    return (a - b).abs().sum(-1)


@settings(max_examples=6)
@given(SEEDS)
def test_values_match_numpy(seed):
    rng = np.random.default_rng(seed)
    a, p, n = (rng.standard_normal((5, 3)) for _ in range(3))
    for distance, reference in ((None, euclidean_np), (l1, lambda x, y: np.abs(x - y).sum(-1))):
        for swap in (False, True):
            far = reference(a, n) if not swap else np.minimum(reference(a, n), reference(p, n))
            per_triplet = np.maximum(1.5 + reference(a, p) - far, 0.0)
            for reduction, reduce in REDUCE.items():
                got = triplet_margin_with_distance_loss(
                    t(a), t(p), t(n), distance_function=distance, margin=1.5, swap=swap, reduction=reduction
                )
                np.testing.assert_allclose(got.data, reduce(per_triplet), rtol=1e-13)


def test_the_hinge_is_zero_once_the_negative_is_far_enough():
    a, p, n = t([[0.0, 0.0]]), t([[1.0, 0.0]]), t([[3.0, 4.0]])  # L1: d(a, p) = 1, d(a, n) = 7
    assert triplet_margin_with_distance_loss(a, p, n, distance_function=l1).item() == 0.0  # 1 + 1 - 7 < 0
    # swap: d(p, n) = 2 + 4 = 6 < 7, so the negative counts as 6 away: max(0, 6 + 1 - 6) = 1 with margin 6
    assert (
        triplet_margin_with_distance_loss(a, p, n, distance_function=l1, margin=6.0, swap=True).item() == 1.0
    )


@settings(max_examples=4)
@given(SEEDS)
def test_gradients_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    a, p, n = (t(rng.standard_normal((4, 3)), grad=True) for _ in range(3))
    for distance in (None, l1):
        for swap in (False, True):

            def fn(x, y, z, distance=distance, swap=swap):
                return triplet_margin_with_distance_loss(
                    x, y, z, distance_function=distance, margin=2.0, swap=swap, reduction="none"
                )

            assert gradcheck(fn, (a, p, n))
    assert gradgradcheck(lambda x, y, z: triplet_margin_with_distance_loss(x, y, z, margin=2.0), (a, p, n))


def test_module_holds_its_options_and_shows_the_default_distance():
    loss = TripletMarginWithDistanceLoss()
    assert (loss.margin, loss.swap, loss.reduction) == (1.0, False, "mean")
    assert repr(loss) == "TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()\n)"
    custom = TripletMarginWithDistanceLoss(distance_function=l1, margin=0.5, swap=True, reduction="sum")
    assert custom.distance_function is l1 and repr(custom) == "TripletMarginWithDistanceLoss()"
    rng = np.random.default_rng(1)
    a, p, n = (t(rng.standard_normal((4, 3))) for _ in range(3))
    want = triplet_margin_with_distance_loss(
        a, p, n, distance_function=l1, margin=0.5, swap=True, reduction="sum"
    )
    assert custom(a, p, n).item() == want.item()
    with pytest.raises(TypeError):
        TripletMarginWithDistanceLoss(l1)  # (keyword-only, as in PyTorch)


def _error_cases(lib, F_, Loss):
    x, y = lib.ones(2, 3), lib.ones(3)
    return [
        (lambda: F_(x, x, x, reduction="foo"), ValueError, "foo is not a valid value for reduction"),
        (lambda: F_(x, x, x, margin=0.0), ValueError, "margin must be greater than 0, got 0.0"),
        (lambda: F_(x, y, x), RuntimeError, "anchor 2D, positive 1D, and negative 2D inputs"),
        (
            lambda: Loss(margin=-1.0),
            ValueError,
            "TripletMarginWithDistanceLoss: expected margin to be greater",
        ),
    ]


def test_errors_name_the_problem():
    for call, error, message in _error_cases(
        tg, triplet_margin_with_distance_loss, TripletMarginWithDistanceLoss
    ):
        with pytest.raises(error, match=message):
            call()


def test_errors_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    F_ = torch.nn.functional.triplet_margin_with_distance_loss
    for call, error, message in _error_cases(torch, F_, torch.nn.TripletMarginWithDistanceLoss):
        with pytest.raises(error, match=message):
            call()


@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_values_and_gradients_match_torch_if_installed(swap, reduction):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    arrays = [rng.standard_normal((6, 4)) for _ in range(3)]
    for distance in (
        None,
        l1,
        lambda x, y: 1.0 - (x * y).sum(-1) / ((x * x).sum(-1) * (y * y).sum(-1)).sqrt(),
    ):
        ours = [t(v, grad=True) for v in arrays]
        theirs = [torch.tensor(v, requires_grad=True) for v in arrays]
        kwargs = {"distance_function": distance, "margin": 0.7, "swap": swap, "reduction": reduction}
        out = triplet_margin_with_distance_loss(*ours, **kwargs)
        ref = torch.nn.functional.triplet_margin_with_distance_loss(*theirs, **kwargs)
        assert_values_and_gradients_agree(torch, rng, out, ref, ours, theirs)
    assert repr(TripletMarginWithDistanceLoss()) == repr(torch.nn.TripletMarginWithDistanceLoss())


def test_signatures_match_torch_if_installed():
    torch = pytest.importorskip("torch")

    def parameters(fn):
        return [
            (p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "self"
        ]

    assert parameters(triplet_margin_with_distance_loss) == parameters(
        torch.nn.functional.triplet_margin_with_distance_loss
    )
    assert parameters(TripletMarginWithDistanceLoss.__init__) == parameters(
        torch.nn.TripletMarginWithDistanceLoss.__init__
    )
