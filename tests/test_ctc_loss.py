"""F.ctc_loss and nn.CTCLoss (nn/ctc_loss.py).

Values against a brute-force sum over every path (each of the C^T label
sequences, collapsed and compared with the target), for every reduction,
padded and concatenated targets, tuple and tensor lengths and unbatched
input; impossible targets (inf, and NaN gradients unless zero_infinity);
gradients against finite differences (float64, first and second order);
PyTorch's errors; and, when PyTorch is installed, losses and gradients
against PyTorch's (through log_softmax: see the NOTE in nn/ctc_loss.py).
"""

from __future__ import annotations

import inspect
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.nn.ctc_loss import CTCLoss, ctc_loss
from tinygrad_edu.testing import gradcheck, gradgradcheck

SEEDS = st.integers(0, 2**32 - 1)


def t(a, grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def log_softmax(x: np.ndarray) -> np.ndarray:
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


def brute_force_nll(lp: np.ndarray, target: list[int], blank: int) -> float:
    """-log of the summed probability of every path of lp (T, C) that collapses onto target."""
    steps, classes = lp.shape
    total = 0.0
    for path in itertools.product(range(classes), repeat=steps):
        merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        if [c for c in merged if c != blank] == list(target):
            total += np.exp(sum(lp[i, c] for i, c in enumerate(path)))
    return -np.log(total) if total > 0 else np.inf


def random_case(rng, steps=4, batch=3, classes=3, longest=3):
    lp = log_softmax(rng.standard_normal((steps, batch, classes)) * 1.5)
    blank = int(rng.integers(0, classes))
    labels = rng.integers(0, classes - 1, (batch, longest))
    labels = labels + (labels >= blank)  # never the blank
    input_lengths = rng.integers(0, steps + 1, batch)
    target_lengths = rng.integers(0, longest + 1, batch)
    return lp, labels, input_lengths, target_lengths, blank


# ---------------------------------------------------------------- values


def test_small_cases_worked_out_by_hand():
    p = np.array([[0.2, 0.8], [0.6, 0.4]])  # T = 2 steps over {blank, a}
    lp = t(np.log(p)[:, None, :])
    # "a" is read by the paths aa, a-, -a
    want = -np.log(p[0, 1] * p[1, 1] + p[0, 1] * p[1, 0] + p[0, 0] * p[1, 1])
    got = ctc_loss(lp, tg.tensor([[1]]), (2,), (1,), reduction="none")
    np.testing.assert_allclose(got.data, [want])
    # the empty target: only the all-blank path; "aa" needs a blank between: impossible in 2 steps
    np.testing.assert_allclose(
        ctc_loss(lp, tg.tensor([[1]]), (2,), (0,), reduction="sum").item(), -np.log(0.2 * 0.6)
    )
    assert ctc_loss(lp, tg.tensor([[1, 1]]), (2,), (2,), reduction="sum").item() == np.inf


@settings(max_examples=6)
@given(SEEDS)
def test_values_match_a_brute_force_sum_over_paths(seed):
    rng = np.random.default_rng(seed)
    lp, labels, input_lengths, target_lengths, blank = random_case(rng)
    want = np.array(
        [
            brute_force_nll(lp[: input_lengths[n], n], list(labels[n, : target_lengths[n]]), blank)
            if input_lengths[n] > 0
            else (0.0 if target_lengths[n] == 0 else np.inf)
            for n in range(lp.shape[1])
        ]
    )
    concatenated = np.concatenate([labels[n, : target_lengths[n]] for n in range(len(labels))])
    for targets in (tg.tensor(labels), tg.tensor(concatenated)):
        for lengths in (
            (tg.tensor(input_lengths), tg.tensor(target_lengths)),
            (tuple(input_lengths), list(target_lengths)),
        ):
            none = ctc_loss(t(lp), targets, *lengths, blank=blank, reduction="none")
            np.testing.assert_allclose(none.data, want, rtol=1e-12)
            total = ctc_loss(t(lp), targets, *lengths, blank=blank, reduction="sum")
            np.testing.assert_allclose(total.item(), want.sum(), rtol=1e-12)
            mean = ctc_loss(t(lp), targets, *lengths, blank=blank)  # each by its target length (at least 1)
            np.testing.assert_allclose(mean.item(), (want / np.maximum(target_lengths, 1)).mean(), rtol=1e-12)
            zeroed = ctc_loss(t(lp), targets, *lengths, blank=blank, reduction="none", zero_infinity=True)
            np.testing.assert_allclose(zeroed.data, np.where(np.isinf(want), 0.0, want), rtol=1e-12)


def test_one_unbatched_sequence_is_a_batch_of_one():
    rng = np.random.default_rng(1)
    lp, labels, _, _, _ = random_case(rng, steps=5, batch=1)
    batched = ctc_loss(t(lp), tg.tensor(labels), (5,), (3,), reduction="none")
    for lengths in (((5,), (3,)), (tg.tensor(5), tg.tensor(3))):
        single = ctc_loss(t(lp[:, 0]), tg.tensor(labels[0]), *lengths, reduction="none")
        assert single.shape == ()
        np.testing.assert_allclose(single.item(), batched.data[0], rtol=1e-15)


def test_module_passes_its_options():
    rng = np.random.default_rng(2)
    lp, labels, input_lengths, target_lengths, blank = random_case(rng, steps=5)
    module = CTCLoss(blank=blank, reduction="sum", zero_infinity=True)
    assert (module.blank, module.reduction, module.zero_infinity) == (blank, "sum", True)
    assert repr(module) == "CTCLoss()"
    want = ctc_loss(
        t(lp), tg.tensor(labels), input_lengths.tolist(), target_lengths.tolist(), blank, "sum", True
    )
    assert (
        module(t(lp), tg.tensor(labels), input_lengths.tolist(), target_lengths.tolist()).item()
        == want.item()
    )
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        CTCLoss(reduction="foo")


def test_float32_stays_float32():
    lp = tg.tensor(log_softmax(np.random.default_rng(3).standard_normal((4, 2, 3))).astype(np.float32))
    loss = ctc_loss(lp, tg.tensor([[1, 2], [2, 2]]), (4, 4), (2, 2))
    assert loss.dtype == np.float32


# ---------------------------------------------------------------- gradients


@settings(max_examples=4)
@given(SEEDS)
def test_gradients_match_finite_differences(seed):
    rng = np.random.default_rng(seed)
    lp, labels, input_lengths, _, blank = random_case(rng, steps=5)
    target_lengths = np.minimum(rng.integers(0, 4, 3), (input_lengths + 1) // 2)  # (possible targets)
    input_lengths, target_lengths = tuple(input_lengths.tolist()), tuple(target_lengths.tolist())
    for reduction in ("mean", "none"):
        assert gradcheck(
            lambda x, r=reduction: ctc_loss(x, tg.tensor(labels), input_lengths, target_lengths, blank, r),
            (t(lp, grad=True),),
        )
    # through log_softmax, as the loss is used; and wrt logits, twice
    logits = t(rng.standard_normal((5, 3, 3)), grad=True)
    assert gradcheck(
        lambda x: ctc_loss(x.log_softmax(2), tg.tensor(labels), input_lengths, target_lengths, blank),
        (logits,),
    )


def test_second_derivatives_match_finite_differences():
    rng = np.random.default_rng(4)
    logits = t(rng.standard_normal((3, 2, 3)), grad=True)
    assert gradgradcheck(
        lambda x: ctc_loss(x.log_softmax(2), tg.tensor([[1, 2], [2, 0]]), (3, 3), (2, 1)), (logits,)
    )


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # (NumPy's, backpropagating an infinite loss)
def test_impossible_targets_give_inf_and_nan_gradients_unless_zero_infinity():
    rng = np.random.default_rng(5)
    lp = log_softmax(rng.standard_normal((4, 2, 3)))
    labels, lengths = tg.tensor([[1, 1, 1], [2, 1, 0]]), ((3, 4), (3, 2))  # 1 1 1 needs 5 steps
    x = t(lp, grad=True)
    loss = ctc_loss(x, labels, *lengths, reduction="none")
    assert loss.data[0] == np.inf and np.isfinite(loss.data[1])
    loss.sum().backward()
    # NaN at each of the impossible sequence's own steps (all labels), finite elsewhere, as PyTorch
    assert np.isnan(x.grad.data[:3, 0]).all() and (x.grad.data[3, 0] == 0).all()
    assert np.isfinite(x.grad.data[:, 1]).all()
    y = t(lp, grad=True)
    zeroed = ctc_loss(y, labels, *lengths, reduction="none", zero_infinity=True)
    assert zeroed.data[0] == 0.0
    zeroed.sum().backward()
    assert (y.grad.data[:, 0] == 0).all()
    np.testing.assert_allclose(y.grad.data[:, 1], x.grad.data[:, 1])


# ---------------------------------------------------------------- errors


def _error_cases(lib, ctc):
    lp = lib.zeros(6, 3, 5, dtype=lib.float64)
    targets = lib.ones(3, 3, dtype=lib.int64)
    il, tl = lib.tensor([6, 5, 4]), lib.tensor([3, 2, 0])
    return [
        (lambda: ctc(lp, targets, il, tl, reduction="foo"), ValueError, "foo is not a valid value"),
        (lambda: ctc(lp[:0], targets, il, tl), RuntimeError, "log_probs tensor must not be empty"),
        (
            lambda: ctc(lp[..., None], targets, il, tl),
            RuntimeError,
            "Expected 3-dimensional tensor, but got 5",
        ),
        (lambda: ctc(lp, targets[..., None], il, tl), RuntimeError, "Expected 1 to 2 dimensions, but got 3"),
        (lambda: ctc(lp, targets, il, tl, blank=5), RuntimeError, "blank must be in label range"),
        (lambda: ctc(lp, targets, il[:2], tl), RuntimeError, "input_lengths must be of size batch_size"),
        (lambda: ctc(lp, targets, il, tl[:2]), RuntimeError, "target_lengths must be of size batch_size"),
        (lambda: ctc(lp, targets, il.double(), tl), RuntimeError, "input_lengths must be integral"),
        (lambda: ctc(lp, targets, 6, tl), TypeError, "input_lengths"),
        (
            lambda: ctc(lp, targets[:2], il, tl),
            RuntimeError,
            r"Expected tensor to have size 3 at dimension 0, but got size 2 for argument #2 'targets'",
        ),
        (
            lambda: ctc(lp, targets, il, lib.tensor([3, 2, 4])),
            RuntimeError,
            "Expected tensor to have size at least 4 at dimension 1, but got size 3",
        ),
        (
            lambda: ctc(lp, lib.ones(4, dtype=lib.int64), il, tl),
            RuntimeError,
            "Expected tensor to have size 5 at dimension 0, but got size 4",
        ),
        (
            lambda: ctc(lp, targets, il, lib.tensor([3, -1, 0])),
            RuntimeError,
            "Expected target_lengths to have value at least 0, but got value -1",
        ),
        (
            lambda: ctc(lp, targets, lib.tensor([7, 5, 4]), tl),
            RuntimeError,
            "Expected input_lengths to have value at most 6, but got value 7",
        ),
    ]


def test_errors_name_the_problem():
    for call, error, message in _error_cases(tg, ctc_loss):
        with pytest.raises(error, match=message):
            call()
    with pytest.raises(IndexError, match="target label 9 is out of range for 5 classes"):
        ctc_loss(t(np.zeros((6, 1, 5))), tg.tensor([[1, 9]]), (6,), (2,))


def test_error_types_and_messages_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    for call, error, message in _error_cases(torch, torch.nn.functional.ctc_loss):
        with pytest.raises(error, match=message):
            call()


# ---------------------------------------------------------------- against PyTorch


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # (NumPy's, backpropagating an infinite loss)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_losses_and_gradients_match_torch_if_installed(reduction, zero_infinity):
    torch = pytest.importorskip("torch")
    F_ = torch.nn.functional
    rng = np.random.default_rng(6)
    for _ in range(12):
        steps, batch, classes, longest = (int(n) for n in rng.integers(1, [12, 5, 6, 6]))
        classes += 1
        _, labels, input_lengths, target_lengths, blank = random_case(rng, steps, batch, classes, longest)
        if rng.random() < 0.3:
            labels[:, 1:] = labels[:, :1]  # repeated labels need a blank in between
        logits = rng.standard_normal((steps, batch, classes)) * 2
        concatenated = np.concatenate([labels[n, : target_lengths[n]] for n in range(batch)])
        targets = concatenated if rng.random() < 0.4 else labels
        ours, theirs = t(logits, grad=True), torch.tensor(logits, requires_grad=True)
        lengths = (tuple(int(n) for n in input_lengths), tuple(int(n) for n in target_lengths))
        out = ctc_loss(ours.log_softmax(2), tg.tensor(targets), *lengths, blank, reduction, zero_infinity)
        ref = F_.ctc_loss(
            theirs.log_softmax(2), torch.tensor(targets), *lengths, blank, reduction, zero_infinity
        )
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12, atol=1e-14)
        upstream = rng.standard_normal(out.shape)
        out.backward(tg.tensor(upstream))
        ref.backward(torch.tensor(upstream))
        # equal, NaN in the same places (the impossible targets' steps, without zero_infinity)
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_float32_matches_torch_if_installed():
    torch = pytest.importorskip("torch")
    logits = np.random.default_rng(7).standard_normal((8, 3, 5)).astype(np.float32)
    args = (np.array([[1, 2, 3], [4, 4, 1], [2, 0, 0]]), (8, 7, 5), (3, 3, 1))
    out = ctc_loss(tg.tensor(logits).log_softmax(2), tg.tensor(args[0]), *args[1:], reduction="none")
    ref = torch.nn.functional.ctc_loss(
        torch.tensor(logits).log_softmax(2), torch.tensor(args[0]), *args[1:], reduction="none"
    )
    np.testing.assert_allclose(out.data, ref.numpy(), rtol=1e-5)


def test_signatures_match_torch_if_installed():
    torch = pytest.importorskip("torch")

    def parameters(fn):
        return [
            (p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values() if p.name != "self"
        ]

    assert parameters(ctc_loss) == parameters(torch.nn.functional.ctc_loss)
    assert parameters(CTCLoss.__init__) == parameters(torch.nn.CTCLoss.__init__)
    assert parameters(CTCLoss.forward) == parameters(torch.nn.CTCLoss.forward)
