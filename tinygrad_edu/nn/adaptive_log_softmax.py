"""`AdaptiveLogSoftmaxWithLoss`: a softmax over many classes that is cheap for the frequent ones.

Grave et al., "Efficient softmax approximation for GPUs" (2016). With
classes sorted from most to least frequent, ``cutoffs = [c1, c2, ...]``
splits them into a shortlist 0..c1-1 and clusters c1..c2-1, c2..c3-1, ...,
up to n_classes - 1. The head is a Linear layer scoring the shortlist and
one entry per cluster; cluster i has its own small tail, a two-layer
projection in_features -> in_features // div_value^(i+1) -> its size
(rare classes get fewer dims). Then

    log p(y) = head_logprob[y]                                       y in the shortlist
    log p(y) = head_logprob[cluster of y] + tail_logprob[y - its first class]   otherwise

so in training a tail runs only on the rows whose target lies in its
cluster, and the loss is the mean of -log p(target). `log_prob` gives the
whole (N, n_classes) distribution and `predict` its argmax. The parameter
names (head.weight, tail.0.0.weight, ...) and shapes are PyTorch's, so a
PyTorch state dict loads.

Gradients come from the Tensor ops used: log_softmax, gather, index_select
and index_copy; the rows of each cluster are found in NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from ..ops.joining import cat
from ..tensor import Tensor, check_device
from .container import ModuleList, Sequential
from .linear import Linear
from .module import Module


class _ASMoutput(NamedTuple):
    """What forward returns (PyTorch's name): the target log-probabilities (N,) and the loss ()."""

    output: Tensor
    loss: Tensor


class AdaptiveLogSoftmaxWithLoss(Module):
    """Adaptive softmax with its negative log-likelihood loss (see the module docstring).

    Shape:
        input (N, in_features) or (in_features,), target (N,) or () with 0 <= target < n_classes
        -> (output (N,) or (), loss ()), output[i] = log p(target[i] | input[i]), loss = -mean(output).

    Attributes:
        head: Linear(in_features, cutoffs[0] + number of clusters, bias=head_bias)
        tail: ModuleList of Sequential(Linear(in_features, h_i, bias=False), Linear(h_i, size_i, bias=False)),
            h_i = int(in_features // div_value^(i+1)); each Linear initialized as Linear's default.
    """

    def __init__(
        self,
        in_features: int,
        n_classes: int,
        cutoffs: Sequence[int],
        div_value: float = 4.0,
        head_bias: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        cutoffs = list(cutoffs)
        if len(cutoffs) == 0:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if (
            cutoffs != sorted(cutoffs)
            or min(cutoffs) <= 0
            or max(cutoffs) > n_classes - 1
            or len(set(cutoffs)) != len(cutoffs)
            or any(int(c) != c for c in cutoffs)
        ):
            raise ValueError(
                "cutoffs should be a sequence of unique, positive integers sorted in an increasing order, "
                "where each value is between 1 and n_classes-1"
            )
        self.in_features, self.n_classes = in_features, n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.div_value, self.head_bias = div_value, head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(in_features, self.head_size, bias=head_bias, dtype=dtype)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hidden = int(in_features // (div_value ** (i + 1)))
            size = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(
                Sequential(
                    Linear(in_features, hidden, bias=False, dtype=dtype),
                    Linear(hidden, size, bias=False, dtype=dtype),
                )
            )

    def reset_parameters(self) -> None:
        """Draw every weight (and the head's bias) again, as when built."""
        self.head.reset_parameters()
        for projection in self.tail:
            for linear in projection.children():
                linear.reset_parameters()

    def forward(self, input_: Tensor, target_: Tensor) -> _ASMoutput:
        """(log p(target | input) for each row, the mean of their negatives)."""
        _check_shapes(input_, target_)
        batched = target_.ndim > 0
        input = input_ if batched else input_.unsqueeze(0)
        target = np.asarray(target_.data).reshape(-1)
        batch = target.shape[0]
        output = Tensor._wrap(np.zeros(batch, dtype=input.dtype))
        head_index = np.zeros(batch, dtype=np.int64)  # which head entry each row reads
        used = 0
        bounds = [0] + self.cutoffs
        for i, (low, high) in enumerate(zip(bounds[:-1], bounds[1:])):
            rows = np.nonzero((target >= low) & (target < high))[0]
            if rows.size == 0:
                continue
            used += rows.size
            if i == 0:
                head_index[rows] = target[rows]
                continue
            head_index[rows] = self.shortlist_size + i - 1
            picked = Tensor._wrap(rows.astype(np.int64))
            tail_logprob = self.tail[i - 1](input.index_select(0, picked)).log_softmax(1)
            within = Tensor._wrap((target[rows] - low).astype(np.int64)[:, None])
            output = output.index_copy(0, picked, tail_logprob.gather(1, within).squeeze(1))
        if used != batch:
            raise RuntimeError(
                f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                f"[{target.min()}, {target.max()}] were found. "
            )
        head_logprob = self.head(input).log_softmax(1)
        output = output + head_logprob.gather(1, Tensor._wrap(head_index[:, None])).squeeze(1)
        loss = (-output).mean()
        return _ASMoutput(output if batched else output.squeeze(0), loss)

    def _full_log_prob(self, input: Tensor, head_output: Tensor) -> Tensor:
        """(N, n_classes): the shortlist's head log-probabilities, then each cluster's plus its head entry."""
        head_logprob = head_output.log_softmax(1)
        pieces = [head_logprob[:, : self.shortlist_size]]
        for i, projection in enumerate(self.tail):
            cluster = head_logprob[:, self.shortlist_size + i].unsqueeze(1)
            pieces.append(projection(input).log_softmax(1) + cluster)
        return cat(pieces, 1)

    def log_prob(self, input: Tensor) -> Tensor:
        """log p(c | input) for every class c: (N, in_features) -> (N, n_classes)."""
        return self._full_log_prob(input, self.head(input))

    def predict(self, input: Tensor) -> Tensor:
        """The most likely class of each row, (N, in_features) -> (N,) int64: log_prob(input).argmax(1),
        with the tails run only on the rows whose head's best entry is a cluster."""
        head_output = self.head(input)
        best = np.asarray(head_output.data.argmax(1), dtype=np.int64)
        rows = np.nonzero(best >= self.shortlist_size)[0]
        if rows.size:
            picked = Tensor._wrap(rows)
            log_prob = self._full_log_prob(input.index_select(0, picked), head_output.index_select(0, picked))
            best[rows] = log_prob.data.argmax(1)
        return Tensor._wrap(best)


def _check_shapes(input: Tensor, target: Tensor) -> None:
    """A 1-d target needs a 2-d input with as many rows, a 0-d target a 1-d input (PyTorch's messages)."""
    if target.ndim == 1:
        if input.shape[0] != target.shape[0]:
            raise RuntimeError("Input and target should have the same size in the batch dimension.")
        if input.ndim != 2:
            raise RuntimeError(
                f"1D target tensor expects 2D input tensors, but found inputs with size {input.size()}"
            )
    elif target.ndim == 0:
        if input.ndim != 1:
            raise RuntimeError(
                f"0D target tensor expects 1D input tensors, but found inputs with size {input.size()}"
            )
    else:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
