"""Loss functions and modules: values against NumPy formulas, gradients, stability, errors."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F
from tinygrad_edu.testing import gradcheck, gradgradcheck

REDUCTIONS = ["mean", "sum", "none"]
rng = np.random.default_rng(1234)
X = rng.standard_normal((4, 3))
Y = rng.standard_normal((4, 3))
P = rng.uniform(0.05, 0.95, (4, 3))  # probabilities for BCE
B = (rng.uniform(size=(4, 3)) > 0.5).astype(np.float64)  # binary targets
LOGITS = rng.standard_normal((5, 4))
CLASSES = np.array([0, 3, 1, 3, 2])


def reduce_np(loss: np.ndarray, reduction: str) -> np.ndarray:
    return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]


def log_softmax_np(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(1, keepdims=True))


def t(a: np.ndarray, grad: bool = False) -> tg.Tensor:
    return tg.tensor(a, requires_grad=grad)


# ---------------------------------------------------------------- values


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses_values(reduction):
    np.testing.assert_allclose(
        F.mse_loss(t(X), t(Y), reduction=reduction).data, reduce_np((X - Y) ** 2, reduction)
    )
    np.testing.assert_allclose(
        F.l1_loss(t(X), t(Y), reduction=reduction).data, reduce_np(np.abs(X - Y), reduction)
    )
    np.testing.assert_allclose(
        nn.MSELoss(reduction=reduction)(t(X), t(Y)).data, reduce_np((X - Y) ** 2, reduction)
    )
    np.testing.assert_allclose(
        nn.L1Loss(reduction=reduction)(t(X), t(Y)).data, reduce_np(np.abs(X - Y), reduction)
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_values(reduction):
    expected = -(B * np.log(P) + (1 - B) * np.log(1 - P))
    np.testing.assert_allclose(
        F.binary_cross_entropy(t(P), t(B), reduction=reduction).data, reduce_np(expected, reduction)
    )
    w = rng.uniform(0.5, 2.0, (3,))
    got = nn.BCELoss(weight=t(w), reduction=reduction)(t(P), t(B)).data
    np.testing.assert_allclose(got, reduce_np(expected * w, reduction))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_values(reduction):
    sig = 1 / (1 + np.exp(-X))
    expected = -(B * np.log(sig) + (1 - B) * np.log(1 - sig))
    got = F.binary_cross_entropy_with_logits(t(X), t(B), reduction=reduction).data
    np.testing.assert_allclose(got, reduce_np(expected, reduction))
    pos_weight, w = np.array([1.0, 2.0, 0.5]), np.array([[2.0], [1.0], [0.5], [1.5]])
    weighted = -w * (pos_weight * B * np.log(sig) + (1 - B) * np.log(1 - sig))
    module = nn.BCEWithLogitsLoss(weight=t(w), reduction=reduction, pos_weight=t(pos_weight))
    np.testing.assert_allclose(module(t(X), t(B)).data, reduce_np(weighted, reduction))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_and_nll_values(reduction):
    per_sample = -log_softmax_np(LOGITS)[np.arange(5), CLASSES]
    expected = reduce_np(per_sample, reduction)
    np.testing.assert_allclose(F.cross_entropy(t(LOGITS), t(CLASSES), reduction=reduction).data, expected)
    np.testing.assert_allclose(nn.CrossEntropyLoss(reduction=reduction)(t(LOGITS), t(CLASSES)).data, expected)
    logp = t(log_softmax_np(LOGITS))
    np.testing.assert_allclose(nn.NLLLoss(reduction=reduction)(logp, t(CLASSES)).data, expected)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_weight_and_ignore_index(reduction):
    w = np.array([1.0, 2.0, 0.5, 3.0])
    target = CLASSES.copy()
    target[1] = -100
    keep = target != -100
    safe = np.where(keep, target, 0)
    per_sample = -log_softmax_np(LOGITS)[np.arange(5), safe] * w[safe] * keep
    expected = (
        per_sample.sum() / (w[safe] * keep).sum() if reduction == "mean" else reduce_np(per_sample, reduction)
    )
    got = F.cross_entropy(t(LOGITS), t(target), weight=t(w), reduction=reduction).data
    np.testing.assert_allclose(got, expected)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_probability_targets_and_smoothing(reduction):
    probs = rng.dirichlet(np.ones(4), size=5)
    logp = log_softmax_np(LOGITS)
    got = F.cross_entropy(t(LOGITS), t(probs), reduction=reduction).data
    np.testing.assert_allclose(got, reduce_np(-(probs * logp).sum(1), reduction))
    eps = 0.2
    smoothed = np.eye(4)[CLASSES] * (1 - eps) + eps / 4
    got = F.cross_entropy(t(LOGITS), t(CLASSES), reduction=reduction, label_smoothing=eps).data
    np.testing.assert_allclose(got, reduce_np(-(smoothed * logp).sum(1), reduction))


def test_cross_entropy_higher_dims_and_unbatched():
    x = rng.standard_normal((2, 3, 4))  # (N, C, d)
    y = np.array([[0, 2, 1, 1], [2, 2, 0, 1]])
    logp = log_softmax_np(x.transpose(0, 2, 1).reshape(-1, 3)).reshape(2, 4, 3)
    expected = -np.take_along_axis(logp, y[..., None], 2)[..., 0]
    np.testing.assert_allclose(F.cross_entropy(t(x), t(y), reduction="none").data, expected)
    single = F.cross_entropy(t(LOGITS[0]), t(np.array(2)), reduction="none")
    assert single.shape == ()
    np.testing.assert_allclose(single.data, -log_softmax_np(LOGITS[:1])[0, 2])


# ---------------------------------------------------------------- gradients (float64)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_losses_gradcheck(reduction):
    x, y, p, b = t(X, True), t(Y, True), t(P, True), t(B)
    logits = t(LOGITS, True)
    assert gradcheck(lambda x, y: F.mse_loss(x, y, reduction=reduction), [x, y])
    assert gradcheck(lambda x, y: F.l1_loss(x, y, reduction=reduction), [x, y])
    assert gradcheck(lambda p: F.binary_cross_entropy(p, b, reduction=reduction), [p])
    pw = t(np.array([1.0, 2.0, 0.5]))
    assert gradcheck(
        lambda x: F.binary_cross_entropy_with_logits(x, b, reduction=reduction, pos_weight=pw), [x]
    )
    target = CLASSES.copy()
    target[2] = -100
    assert gradcheck(
        lambda z: F.cross_entropy(z, t(target), reduction=reduction, label_smoothing=0.1), [logits]
    )
    probs = t(rng.dirichlet(np.ones(4), size=5))
    assert gradcheck(lambda z: F.cross_entropy(z, probs, reduction=reduction), [logits])
    assert gradcheck(
        lambda z: F.nll_loss(z, t(CLASSES), weight=t(np.arange(1.0, 5.0)), reduction=reduction), [logits]
    )


def test_loss_modules_gradcheck():
    x, logits = t(X, True), t(LOGITS, True)
    assert gradcheck(lambda x: nn.MSELoss()(x, t(Y)), [x])
    assert gradcheck(lambda x: nn.BCEWithLogitsLoss()(x, t(B)), [x])
    assert gradcheck(lambda z: nn.CrossEntropyLoss()(z, t(CLASSES)), [logits])
    assert gradcheck(lambda z: nn.NLLLoss()(z.log_softmax(1), t(CLASSES)), [logits])


def test_repeated_class_gradient_accumulates():
    # two samples pick column 3 of different rows, and nll over a single row picks one entry twice
    z = t(np.zeros((1, 4)), True)
    F.nll_loss(z[[0, 0]], t(np.array([3, 3])), reduction="sum").backward()
    np.testing.assert_allclose(z.grad.data, [[0, 0, 0, -2.0]])


def test_losses_twice_differentiable():
    x = t(X[:2], True)
    assert gradgradcheck(lambda x: F.binary_cross_entropy_with_logits(x, t(B[:2])), [x])
    z = t(LOGITS[:3], True)
    assert gradgradcheck(lambda z: F.cross_entropy(z, t(CLASSES[:3])), [z])
    p = t(P[:2], True)
    assert gradgradcheck(lambda p: F.binary_cross_entropy(p, t(B[:2])), [p])


def test_bce_with_logits_gradient_at_zero():
    x = t(np.zeros(2), True)
    F.binary_cross_entropy_with_logits(x, t(np.array([0.0, 1.0])), reduction="sum").backward()
    np.testing.assert_allclose(x.grad.data, [0.5, -0.5])  # sigmoid(0) - y


# ---------------------------------------------------------------- large logits


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_large_logits(dtype):
    z = tg.tensor(np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0]], dtype=dtype), requires_grad=True)
    loss = F.cross_entropy(z, t(np.array([0, 2])), reduction="sum")
    np.testing.assert_allclose(loss.item(), 1e4, rtol=1e-6)
    loss.backward()
    assert np.isfinite(z.grad.data).all()
    np.testing.assert_allclose(z.grad.data, [[0, 0, 0], [0, 1, -1]], atol=1e-6)  # softmax - onehot


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_with_logits_large_logits(dtype):
    x = tg.tensor(np.array([1e4, -1e4, 1e4, -1e4], dtype=dtype), requires_grad=True)
    y = tg.tensor(np.array([1.0, 0.0, 0.0, 1.0], dtype=dtype))
    loss = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    np.testing.assert_allclose(loss.data, [0, 0, 1e4, 1e4])
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.data, [0, 0, 1, -1])  # sigmoid(x) - y


def test_bce_clamps_log_at_minus_100():
    p = t(np.array([0.0, 1.0, 1.0]), True)
    loss = F.binary_cross_entropy(p, t(np.array([1.0, 0.0, 1.0])), reduction="none")
    np.testing.assert_allclose(loss.data, [100.0, 100.0, 0.0])
    loss.sum().backward()
    # PyTorch's (x - y) / max(x (1 - x), 1e-12): a saturated wrong prediction
    # gets a large gradient (the clamp alone would give it 0), a right one 0
    np.testing.assert_allclose(p.grad.data, [-1e12, 1e12, 0.0])


def test_bce_with_logits_keeps_tiny_losses():
    x = tg.tensor(np.array([40.0, -30.0]))
    loss = F.binary_cross_entropy_with_logits(x, tg.tensor(np.array([1.0, 0.0])), reduction="none")
    np.testing.assert_allclose(loss.data, np.log1p(np.exp(-np.array([40.0, 30.0]))), rtol=1e-12)


def test_every_target_ignored_gives_zero_gradient():
    x = tg.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nan without NumPy's 0/0 warning, as PyTorch is silent
        loss = F.cross_entropy(x, tg.tensor([-100, -100, -100]))
    assert np.isnan(loss.item())  # 0 / 0, as in PyTorch
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, np.zeros((3, 4)))


# ---------------------------------------------------------------- errors


def test_invalid_reduction():
    for call in (
        lambda: F.mse_loss(t(X), t(Y), reduction="avg"),
        lambda: F.cross_entropy(t(LOGITS), t(CLASSES), reduction="avg"),
        lambda: nn.BCELoss(reduction="max"),
    ):
        with pytest.raises(ValueError, match="not a valid value for reduction"):
            call()


def test_shape_errors_name_shapes():
    with pytest.raises(ValueError, match=r"\(4, 2\).*\(4, 3\)"):
        F.binary_cross_entropy_with_logits(t(X), t(B[:, :2]))
    with pytest.raises(ValueError, match=r"\(4, 2\).*\(4, 3\)"):
        F.binary_cross_entropy(t(P), t(B[:, :2]))
    with pytest.raises(ValueError, match=r"batch_size \(5\).*\(4\)"):
        F.cross_entropy(t(LOGITS), t(CLASSES[:4]))
    with pytest.raises(RuntimeError, match=r"\(5, 3\).*\(5, 4\)"):  # PyTorch's type here
        F.cross_entropy(t(LOGITS), t(np.ones((5, 3))))
    with pytest.warns(UserWarning, match="different to the input size"):
        F.mse_loss(t(X), t(Y[:1]))
    with pytest.raises(RuntimeError, match="broadcastable"), pytest.warns(UserWarning):
        F.mse_loss(t(X), t(Y[:, :2]))


@pytest.mark.parametrize(
    "call",
    [
        lambda z, y: F.cross_entropy(z, y),
        lambda z, y: nn.CrossEntropyLoss()(z, y),
        lambda z, y: F.cross_entropy(z.reshape(5, 4, 1), y.reshape(5, 1)),  # (N, C, d) with (N, d)
        lambda z, y: F.cross_entropy(z[0], y[0]),  # one sample: (C,) with ()
    ],
)
def test_float_class_indices_are_refused_with_the_fix(call):
    as_floats = t(CLASSES.astype(np.float32))  # a beginner's labels, read as floats
    with pytest.raises(RuntimeError, match=r"expected target dtype to be Long .* got float32") as error:
        call(t(LOGITS), as_floats)
    assert "target.long()" in str(error.value) and "class probabilities" in str(error.value)
    expected = call(t(LOGITS), t(CLASSES)).data
    np.testing.assert_allclose(call(t(LOGITS), as_floats.long()).data, expected, rtol=1e-12)


def test_float_targets_of_the_input_shape_are_still_probabilities():
    soft = rng.dirichlet(np.ones(4), size=5)
    expected = -(soft * log_softmax_np(LOGITS)).sum(1).mean()
    np.testing.assert_allclose(F.cross_entropy(t(LOGITS), t(soft)).data, expected, rtol=1e-12)
    np.testing.assert_allclose(nn.CrossEntropyLoss()(t(LOGITS), t(soft)).data, expected, rtol=1e-12)
    with pytest.raises(RuntimeError, match=r"nll_loss: expected target dtype to be Long .*target.long\(\)"):
        F.nll_loss(t(log_softmax_np(LOGITS)), t(CLASSES.astype(np.float64)))


def test_float_class_index_error_type_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="expected target dtype to be Long"):
        torch.nn.functional.cross_entropy(
            torch.from_numpy(LOGITS), torch.from_numpy(CLASSES.astype(np.float64))
        )
    with pytest.raises(RuntimeError, match="expected target dtype to be Long"):
        F.cross_entropy(t(LOGITS), t(CLASSES.astype(np.float64)))


def test_out_of_range_class_index():
    bad = CLASSES.copy()
    bad[0] = 4
    with pytest.raises(IndexError, match="Target 4 is out of bounds for 4 classes"):
        F.cross_entropy(t(LOGITS), t(bad))
    bad[0] = -1
    with pytest.raises(IndexError, match="Target -1"):
        F.nll_loss(t(LOGITS), t(bad))


def test_class_indices_are_int64_or_uint8_as_in_pytorch():
    expected = F.cross_entropy(t(LOGITS), t(CLASSES)).data
    np.testing.assert_allclose(F.cross_entropy(t(LOGITS), t(CLASSES.astype(np.uint8))).data, expected)
    for dtype in (np.int32, np.int8, np.bool_):
        for loss in (F.cross_entropy, F.nll_loss):
            with pytest.raises(RuntimeError, match=f"Long or Byte .* but got {np.dtype(dtype)}"):
                loss(t(LOGITS), t(CLASSES.astype(dtype)))


def test_bce_rejects_non_probabilities():
    with pytest.raises(RuntimeError, match="input should be between 0 and 1"):
        F.binary_cross_entropy(t(X), t(B))
    for bad in (2.0, -0.1, np.nan):  # a target outside [0, 1] too, as in PyTorch
        target = t(np.where(np.arange(B.size).reshape(B.shape) == 0, bad, B))
        with pytest.raises(RuntimeError, match="target should be between 0 and 1"):
            F.binary_cross_entropy(t(P), target)


def test_loss_dtypes_follow_pytorch():
    p32, b32 = t(P).float(), t(B).float()
    with pytest.raises(RuntimeError, match="expected a float target"):
        F.binary_cross_entropy_with_logits(p32, t(B).long())
    with pytest.raises(RuntimeError, match="target of dtype float64 does not match input of dtype float32"):
        F.binary_cross_entropy(p32, t(B))
    # a weight of another dtype leaves the loss in the input's dtype
    assert F.binary_cross_entropy(p32, b32, weight=t(np.ones(3))).dtype == np.float32
    assert F.binary_cross_entropy_with_logits(p32, b32, pos_weight=t(np.ones(3))).dtype == np.float32
    with pytest.raises(RuntimeError, match="weight of dtype float64 does not match input of dtype float32"):
        F.cross_entropy(t(LOGITS).float(), t(CLASSES), weight=t(np.ones(4)))


def test_loss_weights_are_buffers_as_in_pytorch():
    w = tg.tensor([1.0, 2.0, 0.5, 1.0])
    assert list(nn.CrossEntropyLoss(weight=w).state_dict()) == ["weight"]
    assert list(nn.NLLLoss(weight=w).state_dict()) == ["weight"]
    assert list(nn.BCEWithLogitsLoss(pos_weight=w).state_dict()) == ["pos_weight"]
    assert list(nn.BCELoss().state_dict()) == []  # no weight, no key
    loss = nn.CrossEntropyLoss(weight=w.tolist())  # a list is made a Tensor
    assert isinstance(loss.weight, tg.Tensor) and loss.weight.tolist() == w.tolist()


def test_cross_entropy_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    for reduction in REDUCTIONS:
        expected = torch.nn.functional.cross_entropy(
            torch.from_numpy(LOGITS), torch.from_numpy(CLASSES), reduction=reduction, label_smoothing=0.1
        )
        got = F.cross_entropy(t(LOGITS), t(CLASSES), reduction=reduction, label_smoothing=0.1)
        np.testing.assert_allclose(got.data, expected.numpy(), rtol=1e-10)
        expected = torch.nn.functional.binary_cross_entropy_with_logits(
            torch.from_numpy(X), torch.from_numpy(B), reduction=reduction
        )
        got = F.binary_cross_entropy_with_logits(t(X), t(B), reduction=reduction)
        np.testing.assert_allclose(got.data, expected.numpy(), rtol=1e-10)


def test_cross_entropy_records_two_nodes_as_pytorch_does():
    z = t(LOGITS, True)
    loss = F.cross_entropy(z, t(CLASSES))
    assert loss.grad_fn.name() == "NllLossBackward"
    (producer,) = [p for p in loss.grad_fn.parents if p is not None]
    assert producer.name() == "LogSoftmaxBackward" and producer.parents[0] is z
    loss.backward()  # softmax minus one-hot, over the batch size
    expected = np.exp(log_softmax_np(LOGITS))
    expected[np.arange(5), CLASSES] -= 1
    np.testing.assert_allclose(z.grad.data, expected / 5, rtol=1e-12)


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_cross_entropy_where_every_target_is_ignored_gives_nan_and_zero_gradients(lib_name):
    lib = pytest.importorskip(lib_name)
    x = lib.tensor([[1.0, 2.0, 3.0], [0.5, 0.0, -1.0]], dtype=lib.float64, requires_grad=True)
    for smoothing in (0.0, 0.1):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # PyTorch is silent about the 0/0, and so are we
            loss = lib.nn.functional.cross_entropy(x, lib.tensor([-100, -100]), label_smoothing=smoothing)
        loss.backward()
        assert np.isnan(loss.item()) and x.grad.tolist() == [[0.0] * 3] * 2, smoothing
        x.grad = None


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_one_sample_may_give_its_class_as_a_one_element_target(lib_name):
    lib = pytest.importorskip(lib_name)
    fn = lib.nn.functional
    x = lib.tensor([0.3, -1.2, 2.0], dtype=lib.float64, requires_grad=True)
    weight = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)
    for loss in (fn.nll_loss, fn.cross_entropy):
        for reduction in ("mean", "sum", "none"):
            as_list = loss(x, lib.tensor([1]), weight, reduction=reduction)
            as_scalar = loss(x, lib.tensor(1), weight, reduction=reduction)
            assert as_list.shape == as_scalar.shape == ()  # read as the 0-d target y, even for "none"
            assert as_list.item() == as_scalar.item(), (loss, reduction)
        with pytest.raises(
            ValueError, match="For 1D input, 1D target must have size 1, but got target size: 2"
        ):
            loss(x, lib.tensor([1, 2]))
        with pytest.raises(RuntimeError):  # a 2-d target for a 1-d input
            loss(x, lib.tensor([[1]]))


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_loss_weights_are_constants_that_fit_the_input_as_in_torch(lib_name):
    lib = pytest.importorskip(lib_name)
    fn = lib.nn.functional
    p, t = lib.tensor([0.2, 0.7]), lib.tensor([0.0, 1.0])
    trainable = lib.ones(2, requires_grad=True)
    ours = lib_name == "tinygrad_edu"
    calls = [
        (
            lambda: fn.binary_cross_entropy(p, t, weight=trainable),
            "not differentiable with respect to weight",
        ),
        (lambda: fn.binary_cross_entropy_with_logits(p, t, weight=trainable), "respect to weight"),
        (lambda: fn.binary_cross_entropy_with_logits(p, t, pos_weight=trainable), "respect to pos_weight"),
        (
            lambda: fn.nll_loss(lib.ones(1, 3), lib.tensor([0]), weight=lib.ones(3, requires_grad=True)),
            "weight",
        ),
        (
            lambda: fn.binary_cross_entropy(p, t, weight=lib.ones(3, 2), reduction="none"),
            r"\(3, 2\) does not",
        ),
        (lambda: fn.binary_cross_entropy(p, t, weight=lib.ones(3)), r"weight of shape \(3,\) does not"),
        (
            lambda: fn.binary_cross_entropy_with_logits(p, t, pos_weight=lib.ones(3, 2)),
            "broadcast to the input",
        ),
        (
            lambda: fn.cross_entropy(lib.ones(1, 3), lib.tensor([[0.2, 0.3, 0.5]]), ignore_index=0),
            "ignore_index",
        ),
    ]
    for call, message in calls:
        with pytest.raises(RuntimeError, match=message if ours else ""):
            call()
    with lib.no_grad():  # without recording, a weight that requires grad is just numbers
        assert fn.binary_cross_entropy(p, t, weight=trainable).item() > 0
    assert trainable.grad is None


# ---------------------------------------------------------------- huber, smooth L1, KL divergence


def huber_np(diff: np.ndarray, delta: float) -> np.ndarray:
    return np.where(np.abs(diff) < delta, 0.5 * diff**2, delta * (np.abs(diff) - 0.5 * delta))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("delta", [0.5, 1.0, 2.0])
def test_huber_and_smooth_l1_values(reduction, delta):
    d = X - Y  # (both pieces are used: |d| runs from 0.02 to 2.5)
    got = F.huber_loss(t(X), t(Y), reduction=reduction, delta=delta).data
    np.testing.assert_allclose(got, reduce_np(huber_np(d, delta), reduction), rtol=1e-14)
    got = nn.HuberLoss(reduction, delta)(t(X), t(Y)).data
    np.testing.assert_allclose(got, reduce_np(huber_np(d, delta), reduction), rtol=1e-14)
    expected = np.where(np.abs(d) < delta, 0.5 * d**2 / delta, np.abs(d) - 0.5 * delta)
    got = F.smooth_l1_loss(t(X), t(Y), reduction=reduction, beta=delta).data
    np.testing.assert_allclose(got, reduce_np(expected, reduction), rtol=1e-14)
    got = nn.SmoothL1Loss(reduction=reduction, beta=delta)(t(X), t(Y)).data
    np.testing.assert_allclose(got, reduce_np(expected, reduction), rtol=1e-14)


def test_huber_and_smooth_l1_gradients():
    # the gradient is d, capped at +-delta (smooth L1: d / beta, capped at +-1), 0 at d = 0
    x = t(np.array([1.0, 0.0, -1.0, 2.0, -0.3]), True)
    F.huber_loss(x, t(np.zeros(5)), reduction="sum", delta=0.5).backward()
    np.testing.assert_allclose(x.grad.data, [0.5, 0.0, -0.5, 0.5, -0.3])
    x.grad = None
    F.smooth_l1_loss(x, t(np.zeros(5)), reduction="sum", beta=0.5).backward()
    np.testing.assert_allclose(x.grad.data, [1.0, 0.0, -1.0, 1.0, -0.6])
    x.grad = None
    loss = F.smooth_l1_loss(x, t(np.zeros(5)), reduction="none", beta=0.0)  # beta = 0: L1
    np.testing.assert_allclose(loss.data, [1.0, 0.0, 1.0, 2.0, 0.3])
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.data, [1.0, 0.0, -1.0, 1.0, -1.0])
    x, y = t(X, True), t(Y, True)
    assert gradcheck(lambda x, y: F.huber_loss(x, y, delta=0.7), [x, y])
    assert gradgradcheck(lambda x, y: F.smooth_l1_loss(x, y, beta=0.7), [x, y])


def test_huber_weight_multiplies_each_element():
    w = rng.uniform(0.5, 2.0, X.shape)
    for reduction in REDUCTIONS:
        got = F.huber_loss(t(X), t(Y), reduction=reduction, weight=t(w)).data
        np.testing.assert_allclose(got, reduce_np(w * huber_np(X - Y, 1.0), reduction), rtol=1e-14)
    with pytest.raises(ValueError, match=r"weight of shape \(3,\) must have the input's shape \(4, 3\)"):
        F.huber_loss(t(X), t(Y), weight=t(np.ones(3)))


def test_huber_smooth_l1_and_kl_div_errors():
    for call in (
        lambda: F.huber_loss(t(X), t(Y), "avg"),
        lambda: F.smooth_l1_loss(t(X), t(Y), reduction="batchmean"),  # for kl_div alone
        lambda: nn.HuberLoss(reduction="max"),
        lambda: nn.SmoothL1Loss(reduction="max"),
        lambda: F.kl_div(t(X), t(P), reduction="avg"),
        lambda: nn.KLDivLoss(reduction="avg"),
    ):
        with pytest.raises(ValueError, match="not a valid value for reduction"):
            call()
    for call in (lambda: F.huber_loss(t(X), t(Y), delta=0.0), lambda: nn.HuberLoss(delta=-1.0)):
        with pytest.raises(RuntimeError, match="non-positive values for delta"):
            call()
    for call in (lambda: F.smooth_l1_loss(t(X), t(Y), beta=-0.1), lambda: nn.SmoothL1Loss(beta=-1.0)):
        with pytest.raises(RuntimeError, match="negative values for beta"):
            call()
    for loss in (F.huber_loss, F.smooth_l1_loss):
        with pytest.warns(UserWarning, match="different to the input size") as caught:
            loss(t(X), t(Y[:1]))
        assert caught[0].filename == __file__
        with pytest.raises(RuntimeError, match="broadcastable"), pytest.warns(UserWarning):
            loss(t(X), t(Y[:, :2]))
        with pytest.raises(NotImplementedError):
            loss(tg.tensor([1, 2]), tg.tensor([1, 3]))


def test_loss_modules_keep_their_options_and_repr_as_pytorch():
    huber, smooth, kl = (
        nn.HuberLoss("sum", 2.0),
        nn.SmoothL1Loss(beta=0.5),
        nn.KLDivLoss(reduction="batchmean", log_target=True),
    )
    assert (huber.reduction, huber.delta, smooth.beta, kl.reduction, kl.log_target) == (
        "sum",
        2.0,
        0.5,
        "batchmean",
        True,
    )
    assert [repr(m) for m in (huber, smooth, kl)] == ["HuberLoss()", "SmoothL1Loss()", "KLDivLoss()"]
    assert (nn.KLDivLoss().reduction, nn.KLDivLoss().log_target) == ("mean", False)


@pytest.mark.parametrize("reduction", ["batchmean", "sum", "none"])
def test_kl_div_values(reduction):
    logq = log_softmax_np(LOGITS)  # the model's log-probabilities (5, 4)
    p = rng.dirichlet(np.ones(4), size=5)  # the target distributions
    p[0, 1] = 0.0  # a zero probability: 0 log 0 = 0
    p[0] /= p[0].sum()
    per_element = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0) - p * logq
    expected = {"batchmean": per_element.sum() / 5, "sum": per_element.sum(), "none": per_element}[reduction]
    np.testing.assert_allclose(F.kl_div(t(logq), t(p), reduction=reduction).data, expected, rtol=1e-13)
    np.testing.assert_allclose(nn.KLDivLoss(reduction=reduction)(t(logq), t(p)).data, expected, rtol=1e-13)
    # targets given as log-probabilities (all positive here: e^-inf (-inf - x) is nan, as in PyTorch)
    p = rng.dirichlet(np.ones(4), size=5)
    got = F.kl_div(t(logq), t(np.log(p)), reduction=reduction, log_target=True).data
    np.testing.assert_allclose(got, F.kl_div(t(logq), t(p), reduction=reduction).data, rtol=1e-13)
    if reduction == "batchmean":  # the KL divergence per sample: sum_c p log(p / q), >= 0
        assert expected >= 0


def test_kl_div_mean_warns_and_gradients_at_a_zero_target():
    logq, p = t(log_softmax_np(LOGITS), True), t(np.array([[0.0, 0.5, 0.25, 0.25]] * 5), True)
    with pytest.warns(UserWarning, match="'batchmean'") as caught:
        loss = F.kl_div(logq, p)  # reduction="mean": the sum over the 20 elements, / 20
    assert caught[0].filename == __file__
    with pytest.warns(UserWarning, match="'batchmean'"):
        nn.KLDivLoss()(logq, p)
    np.testing.assert_allclose(loss.item(), F.kl_div(logq, p, reduction="sum").item() / 20)
    loss.backward()
    np.testing.assert_allclose(logq.grad.data, -p.data / 20)  # dl/dx = -y
    # d(p log p)/dp = log p + 1 is -inf at p = 0; PyTorch's xlogy(p, p) gives nan there (0 / 0)
    assert np.isnan(p.grad.data[:, 0]).all() and np.isfinite(p.grad.data[:, 1:]).all()
    np.testing.assert_allclose(
        p.grad.data[:, 1:], (np.log(p.data[:, 1:]) + 1.0 - logq.data[:, 1:]) / 20, rtol=1e-6
    )
    assert F.kl_div(t(np.array(-1.0)), t(np.array(0.5)), reduction="batchmean").item() == pytest.approx(
        0.5 * (np.log(0.5) + 1.0)
    )  # a 0-d input has no batch dim: batchmean is the sum
    x, y = t(LOGITS, True), t(rng.dirichlet(np.ones(4), size=5), True)
    assert gradgradcheck(lambda x, y: F.kl_div(x, y, reduction="batchmean"), [x, y])
    assert gradgradcheck(lambda x, y: F.kl_div(x, y, reduction="sum", log_target=True), [x, y])


def test_huber_smooth_l1_and_kl_div_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    fn = torch.nn.functional
    q, p = log_softmax_np(LOGITS), rng.dirichlet(np.ones(4), size=5)
    cases = [
        (lambda m, x, y: m.huber_loss(x, y, reduction="sum", delta=0.6), X, Y),
        (lambda m, x, y: m.huber_loss(x, y, weight=y.detach() * 0 + 2.0), X, Y),
        (lambda m, x, y: m.smooth_l1_loss(x, y, beta=0.6), X, Y),
        (lambda m, x, y: m.smooth_l1_loss(x, y, reduction="none", beta=0.0), X, Y),
        (lambda m, x, y: m.kl_div(x, y, reduction="batchmean"), q, p),
        (lambda m, x, y: m.kl_div(x, y, reduction="sum", log_target=True), q, np.log(p)),
    ]
    for case, a, b in cases:
        ours = [t(a, True), t(b, True)]
        theirs = [torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)]
        y, z = case(F, *ours), case(fn, *theirs)
        np.testing.assert_allclose(y.data, z.detach().numpy(), rtol=1e-13)
        y.sum().backward()
        z.sum().backward()
        for o, r in zip(ours, theirs):
            np.testing.assert_allclose(o.grad.data, r.grad.numpy(), rtol=1e-12, atol=1e-15)
    with pytest.warns(UserWarning, match="batchmean"):
        fn.kl_div(torch.tensor(q), torch.tensor(p))  # PyTorch warns for "mean" too


# ---------------------------------------------------------------- the deprecated size_average and reduce

# PyTorch's rule, as its documentation states it: a flag left as None counts as True;
# reduce=False keeps the per-element losses, else size_average picks the mean (True) or the sum (False).
LEGACY = [
    (None, None, None),  # neither given: `reduction` decides, and nothing is said
    (True, None, "mean"),
    (False, None, "sum"),
    (None, True, "mean"),
    (None, False, "none"),
    (True, True, "mean"),
    (False, True, "sum"),
    (True, False, "none"),
    (False, False, "none"),
]


@pytest.mark.parametrize("size_average, reduce, expected", LEGACY)
def test_legacy_flags_decide_the_reduction_with_pytorchs_warning(size_average, reduce, expected):
    calls = [
        (lambda **kw: F.mse_loss(t(X), t(Y), **kw), (X - Y) ** 2),
        (lambda **kw: F.l1_loss(t(X), t(Y), **kw), np.abs(X - Y)),
        (lambda **kw: nn.MSELoss(**kw)(t(X), t(Y)), (X - Y) ** 2),
        (lambda **kw: nn.L1Loss(**kw)(t(X), t(Y)), np.abs(X - Y)),
    ]
    for call, per_element in calls:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = call(size_average=size_average, reduce=reduce, reduction="sum").data
        messages = [str(w.message) for w in caught]
        if expected is None:  # the reduction passed, "sum", holds
            np.testing.assert_allclose(got, per_element.sum())
            assert messages == []
        else:  # the flags win over reduction="sum"
            np.testing.assert_allclose(got, reduce_np(per_element, expected))
            assert messages == [
                f"size_average and reduce args will be deprecated, please use reduction='{expected}' instead."
            ]


def test_legacy_flags_bind_by_position_as_in_pytorch():
    logp, w = t(log_softmax_np(LOGITS)), t(np.arange(1.0, 5.0))
    with pytest.warns(UserWarning, match="please use reduction='sum' instead"):
        module = nn.CrossEntropyLoss(w, False, 3)  # weight, size_average, ignore_index
    assert (module.reduction, module.ignore_index, module.weight is w) == ("sum", 3, True)
    with pytest.warns(UserWarning, match="reduction='none'"):
        module = nn.NLLLoss(None, None, 1, False)  # weight, size_average, ignore_index, reduce
    assert (module.reduction, module.ignore_index) == ("none", 1)
    with pytest.warns(UserWarning, match="reduction='sum'"):
        assert nn.BCEWithLogitsLoss(None, False).reduction == "sum"
    with pytest.warns(UserWarning, match="reduction='sum'"):
        assert nn.KLDivLoss(False, None, "mean", True).log_target is True
    with pytest.warns(UserWarning, match="reduction='none'"):
        assert nn.SmoothL1Loss(None, False, "mean", 0.5).beta == 0.5
    # F.cross_entropy(input, target, weight, size_average, ignore_index): ignoring class 3
    keep = CLASSES != 3
    expected = -log_softmax_np(LOGITS)[np.arange(5), CLASSES][keep].mean()
    np.testing.assert_allclose(F.cross_entropy(t(LOGITS), t(CLASSES), None, None, 3).data, expected)
    np.testing.assert_allclose(F.nll_loss(logp, t(CLASSES), None, None, 3).data, expected)
    with pytest.warns(UserWarning, match="reduction='none'"):
        losses = F.binary_cross_entropy(t(P), t(B), None, None, False).data
    np.testing.assert_allclose(losses, -(B * np.log(P) + (1 - B) * np.log(1 - P)))
    with pytest.warns(UserWarning, match="reduction='sum'"):
        total = F.smooth_l1_loss(t(X), t(Y), False, None, "none", 0.0).data
    np.testing.assert_allclose(total, np.abs(X - Y).sum())


def test_kl_div_with_legacy_flags_gives_only_the_deprecation_warning():
    logq, p = log_softmax_np(LOGITS), np.full((5, 4), 0.25)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = F.kl_div(t(logq), t(p), True).data  # size_average=True: the mean, by PyTorch's rule
    assert [str(w.message) for w in caught] == [
        "size_average and reduce args will be deprecated, please use reduction='mean' instead."
    ]
    np.testing.assert_allclose(got, (p * np.log(p) - p * logq).mean())


def test_mse_and_l1_loss_take_pytorchs_sample_weights():
    w = rng.uniform(0.5, 2.0, X.shape)
    for fn, per_element in ((F.mse_loss, (X - Y) ** 2), (F.l1_loss, np.abs(X - Y))):
        np.testing.assert_allclose(
            fn(t(X), t(Y), weight=t(w)).data, (w * per_element).sum() / w.sum(), rtol=1e-13
        )
        np.testing.assert_allclose(fn(t(X), t(Y), reduction="sum", weight=t(w)).data, (w * per_element).sum())
        np.testing.assert_allclose(fn(t(X), t(Y), reduction="none", weight=t(w)).data, w * per_element)
        with pytest.raises(ValueError, match="^Weights and input must have the same size.$"):
            fn(t(X), t(Y), weight=t(w[0]))
        x, weight = t(X, True), t(w, True)
        assert gradcheck(lambda x, weight: fn(x, t(Y), weight=weight), [x, weight])


def test_mse_and_l1_sample_weights_match_torch():
    torch = pytest.importorskip("torch")
    w = rng.uniform(0.5, 2.0, X.shape)
    for name in ("mse_loss", "l1_loss"):
        for reduction in REDUCTIONS:
            want = getattr(torch.nn.functional, name)(
                torch.tensor(X), torch.tensor(Y), reduction=reduction, weight=torch.tensor(w)
            )
            got = getattr(F, name)(t(X), t(Y), reduction=reduction, weight=t(w))
            np.testing.assert_allclose(got.data, want.numpy(), rtol=1e-13)


LOSS_MODULES = [
    "CrossEntropyLoss",
    "NLLLoss",
    "BCELoss",
    "BCEWithLogitsLoss",
    "MSELoss",
    "L1Loss",
    "HuberLoss",
    "SmoothL1Loss",
    "KLDivLoss",
]
LOSS_FUNCTIONS = [
    "cross_entropy",
    "nll_loss",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "mse_loss",
    "l1_loss",
    "huber_loss",
    "smooth_l1_loss",
    "kl_div",
]


def _parameters(fn):
    return [
        (p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "self"
    ]


@pytest.mark.parametrize("name", LOSS_MODULES + LOSS_FUNCTIONS)
def test_loss_signatures_match_torch(name):
    torch = pytest.importorskip("torch")
    if name in LOSS_MODULES:
        ours, theirs = getattr(nn, name).__init__, getattr(torch.nn, name).__init__
    else:
        ours, theirs = getattr(F, name), getattr(torch.nn.functional, name)
    assert _parameters(ours) == _parameters(theirs)


def test_legacy_reduction_matches_torch():
    torch = pytest.importorskip("torch")
    for size_average, reduce, _ in LEGACY:
        with warnings.catch_warnings(record=True) as theirs_warned:
            warnings.simplefilter("always")
            theirs = torch.nn.MSELoss(size_average, reduce).reduction
        with warnings.catch_warnings(record=True) as ours_warned:
            warnings.simplefilter("always")
            ours = nn.MSELoss(size_average, reduce).reduction
        assert ours == theirs
        assert [str(w.message) for w in ours_warned] == [str(w.message) for w in theirs_warned]


def test_bce_target_gradient_is_the_unclamped_minus_logit_as_in_pytorch():
    x = t(np.array([0.0, 1.0, 0.3, 1e-50]))
    y = t(np.array([0.0, 1.0, 0.5, 0.2]), grad=True)
    F.binary_cross_entropy(x, y, reduction="sum").backward()
    # log(1 - x) - log(x): infinite where x saturated, 115.13 (not the clamp's 100) at x = 1e-50
    np.testing.assert_allclose(y.grad.data, [np.inf, -np.inf, np.log(0.7 / 0.3), 50 * np.log(10)], rtol=1e-12)
