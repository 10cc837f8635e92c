"""`F.ctc_loss` and `nn.CTCLoss`: Connectionist Temporal Classification (Graves et al., 2006).

A model emits, at each of T time steps, log-probabilities over C labels,
one of which is the blank. A path (one label per step) reads as a target
sequence once repeats are merged and blanks dropped ("aa-ab" reads "aab"):
the loss is -log of the total probability of the paths that read the target.

The sum over paths is a dynamic programme over the extended target
l' = (blank, l1, blank, l2, ..., lS, blank), of length 2S + 1. alpha_t(s),
the log-probability of the paths of t + 1 steps that have read l' up to s, is

    alpha_0(0) = lp_0(blank),  alpha_0(1) = lp_0(l1),  alpha_0(s) = -inf otherwise
    alpha_t(s) = lp_t(l'_s) + logsumexp(alpha_{t-1}(s), alpha_{t-1}(s-1), alpha_{t-1}(s-2))

where the jump from s - 2 is allowed only onto a label differing from the
label two back (not onto a blank, not between two equal labels, which need
a blank in between). The paths that read the target end on its last label
or the blank after it: loss = -logsumexp(alpha_{T-1}(2S), alpha_{T-1}(2S-1)).

The recursion runs as one loop over time, each step a few Tensor ops on the
(N, 2S + 1) states of the whole batch at once, so the gradient with respect
to log_probs comes from the engine, by backpropagation through the loop.

NOTE: PyTorch's own backward returns exp(lp) - gamma, the gradient with
respect to the logits of a log_softmax, where the true derivative with
respect to log_probs is -gamma (gamma the posterior of each label at each
step). The two agree once passed back through log_softmax (the softmax's
Jacobian removes the difference), which is how CTC is used; the gradient
here is the true derivative, so it also passes a finite-difference check.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..dtypes import require_float
from ..ops.elementwise import where
from ..ops.joining import cat, stack
from ..tensor import Tensor
from .loss import _Loss
from .loss_functions import _check_reduction

Lengths = Tensor | Sequence[int]
_CHECKS = "(while checking arguments for ctc_loss_allocate_outputs)"


def ctc_loss(
    log_probs: Tensor,
    targets: Tensor,
    input_lengths: Lengths,
    target_lengths: Lengths,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Tensor:
    """-log p(target | log_probs), summed over the alignments (see the module docstring).

    Shape: log_probs (T, N, C) (or (T, C) for one sequence), log-probabilities
    over C labels at T steps; targets (N, S) padded, or 1-d with the N targets
    concatenated (sum(target_lengths) labels); input_lengths and
    target_lengths (N,), tensors or tuples of ints -> (N,) for "none", else a
    scalar. "mean" divides each loss by its target length (at least 1), then
    takes the mean over the batch. An impossible alignment (a target too long
    for its input) gives an infinite loss, and a NaN gradient, as in PyTorch;
    zero_infinity=True makes both 0.
    """
    _check_reduction(reduction)
    in_lens = _lengths(input_lengths, "input_lengths")
    tg_lens = _lengths(target_lengths, "target_lengths")
    lp = log_probs if log_probs.ndim == 3 else log_probs.unsqueeze(1)  # one sequence: a batch of one
    labels = _checked_targets(lp, targets, in_lens, tg_lens, blank)
    nll = _negative_log_likelihood(lp, labels, in_lens, tg_lens, blank, zero_infinity)
    if zero_infinity:
        nll = where(np.isinf(nll.data), 0.0, nll)
    if reduction == "mean":
        loss = (nll / Tensor._wrap(np.maximum(tg_lens, 1).astype(nll.dtype))).mean()
    elif reduction == "sum":
        loss = nll.sum()
    else:
        loss = nll
    return loss if log_probs.ndim == 3 or loss.ndim == 0 else loss.squeeze(0)


def _lengths(lengths: Lengths, name: str) -> np.ndarray:
    """The lengths as int64, from an integer tensor (0-d or 1-d) or a sequence of ints."""
    if isinstance(lengths, Tensor):
        if lengths.dtype.kind not in "iu":
            raise RuntimeError(f"{name} must be integral")
        return lengths.data.reshape(-1).astype(np.int64)
    if not isinstance(lengths, Sequence) or not all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in lengths
    ):
        raise TypeError(f"ctc_loss(): {name} must be a tuple of ints or an integer Tensor, not {lengths!r}")
    return np.array(lengths, dtype=np.int64).reshape(-1)


def _checked_targets(
    lp: Tensor, targets: Tensor, in_lens: np.ndarray, tg_lens: np.ndarray, blank: int
) -> np.ndarray:
    """PyTorch's checks, in its order; then the targets as an (N, max S) array of labels.

    Positions past a target's length hold the blank (read by nothing that counts).
    """
    if lp.numel() == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    if lp.ndim != 3:
        raise RuntimeError(
            f"Expected 3-dimensional tensor, but got {lp.ndim}-dimensional tensor for argument #1 "
            f"'log_probs' {_CHECKS}"
        )
    require_float(lp.dtype, "ctc_loss")
    if targets.ndim not in (1, 2):
        raise RuntimeError(
            f"Expected 1 to 2 dimensions, but got {targets.ndim}-dimensional tensor for argument #2 "
            f"'targets' {_CHECKS}"
        )
    steps, batch, classes = lp.shape
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    if len(in_lens) != batch:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(tg_lens) != batch:
        raise RuntimeError("target_lengths must be of size batch_size")
    for n in tg_lens:
        if n < 0:
            raise RuntimeError(
                f"Expected target_lengths to have value at least 0, but got value {n} {_CHECKS}"
            )
    longest = int(tg_lens.max(initial=0))
    given = targets.data.astype(np.int64)
    if targets.ndim == 1:  # concatenated: cut it into the N targets
        _check_size(targets, 0, int(tg_lens.sum()), "")
        starts = np.concatenate([[0], np.cumsum(tg_lens)[:-1]]).astype(np.int64)
        position = starts[:, None] + np.arange(longest)
        used = np.arange(longest) < tg_lens[:, None]
        labels = np.where(used, given[np.where(used, position, 0)] if given.size else 0, blank)
    else:
        _check_size(targets, 0, batch, "")
        if targets.shape[1] < longest:
            _check_size(targets, 1, longest, "at least ")
        used = np.arange(longest) < tg_lens[:, None]
        labels = np.where(used, given[:, :longest], blank)
    for n in in_lens:
        if n < 0:
            raise RuntimeError(
                f"Expected input_lengths to have value at least 0, but got value {n} {_CHECKS}"
            )
        if n > steps:
            raise RuntimeError(
                f"Expected input_lengths to have value at most {steps}, but got value {n} {_CHECKS}"
            )
    if ((labels < 0) | (labels >= classes)).any():  # (PyTorch reads out of bounds here)
        bad = labels[(labels < 0) | (labels >= classes)][0]
        raise IndexError(f"ctc_loss: target label {bad} is out of range for {classes} classes")
    return labels.astype(np.int64)


def _check_size(targets: Tensor, dim: int, size: int, at_least: str) -> None:
    if targets.shape[dim] != size and not (at_least and targets.shape[dim] >= size):
        raise RuntimeError(
            f"Expected tensor to have size {at_least}{size} at dimension {dim}, but got size "
            f"{targets.shape[dim]} for argument #2 'targets' {_CHECKS}"
        )


def _negative_log_likelihood(
    lp: Tensor, labels: np.ndarray, in_lens: np.ndarray, tg_lens: np.ndarray, blank: int, zero_infinity: bool
) -> Tensor:
    """-log p(target_n | lp[:, n]) for each n: the forward (alpha) recursion, one step per time step."""
    batch, longest = labels.shape
    width = 2 * longest + 1
    extended = np.full((batch, width), blank, dtype=np.int64)  # l' = blank, l1, blank, l2, ..., blank
    extended[:, 1::2] = labels
    skip = np.zeros((batch, width), dtype=bool)  # may a path jump from s - 2 onto s?
    skip[:, 2:] = extended[:, 2:] != extended[:, :-2]
    # lp_t(l'_s) for every t, n, s: (T, N, 2S + 1)
    emit = lp.gather(2, np.broadcast_to(extended, (lp.shape[0], batch, width)).copy())
    never = Tensor._wrap(np.full((batch, width), -np.inf, dtype=lp.dtype))
    alpha = where(np.arange(width) < 2, emit[0], never)  # start on the first blank or the first label
    alphas = [alpha]
    for t in range(1, int(in_lens.max(initial=1))):
        one_back = cat([never[:, :1], alpha[:, :-1]], 1)
        two_back = where(skip, cat([never[:, :2], alpha[:, :-2]], 1), never)
        alpha = _logsumexp([alpha, one_back, two_back]) + emit[t]
        alphas.append(alpha)
    # the two places each path may end, at its own last step
    last = np.maximum(in_lens - 1, 0)
    rows = np.arange(batch)
    path = stack(alphas)
    on_blank = path[last, rows, 2 * tg_lens]
    on_label = where(tg_lens > 0, path[last, rows, np.maximum(2 * tg_lens - 1, 0)], never[:, 0])
    nll = -_logsumexp([on_blank, on_label])
    impossible = np.isinf(nll.data)
    if impossible.any() and not zero_infinity:
        # PyTorch's gradient for an impossible target is NaN at each of its steps; so is that of
        # -log(0 * (sum of those log-probabilities)), log's slope at 0 being infinite
        steps = (np.arange(lp.shape[0])[:, None] < in_lens)[..., None]  # (T, N, 1)
        used = where(steps, lp, 0.0).sum((0, 2))
        with np.errstate(divide="ignore"):  # (log 0 = -inf is meant)
            nll = where(impossible, -where(impossible, used * 0.0, 1.0).log(), nll)
    # no steps at all: the empty target is certain, any other impossible
    return where(in_lens == 0, Tensor._wrap(np.where(tg_lens == 0, 0.0, np.inf).astype(lp.dtype)), nll)


def _logsumexp(terms: list[Tensor]) -> Tensor:
    """log(sum(exp(terms))) elementwise, in PyTorch's arithmetic: shifted by the largest term (0 when all
    are -inf), summed in the given order.

    NOTE: when every term is -inf (a state no path reaches) the result is
    -inf and the gradient 0, not the 0 * inf = NaN of the plain formula: the
    unreachable states are everywhere in the recursion, and their gradient
    must not spoil the reachable ones'.
    """
    top = np.max([t.data for t in terms], axis=0)
    shift = np.where(np.isneginf(top), 0.0, top).astype(terms[0].dtype)
    total = (terms[0] - shift).exp()
    for t in terms[1:]:
        total = total + (t - shift).exp()
    reached = total.data > 0
    return where(reached, where(reached, total, 1.0).log() + shift, -np.inf)


# ---------------------------------------------------------------- module


class CTCLoss(_Loss):
    """The CTC loss; see `F.ctc_loss`.

    Shape:
        log_probs (T, N, C) or (T, C); targets (N, S) or (sum(target_lengths),);
        input_lengths, target_lengths (N,) -> scalar, or (N,) for "none".
    """

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__(reduction=reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(
        self, log_probs: Tensor, targets: Tensor, input_lengths: Lengths, target_lengths: Lengths
    ) -> Tensor:
        return ctc_loss(
            log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction, self.zero_infinity
        )
