"""`EmbeddingBag`: the sum, mean or max of the embeddings of each bag of indices, in one step.

A bag is a group of indices, a sentence as a bag of words, say. Instead of
looking up every row (Embedding) and then reducing each group, the rows are
reduced into one vector per bag:

    out[b] = reduce over the indices i in bag b of weight[i]     (b = 0 .. B-1)

The bags come as a 2-D input (B, L), B bags of L indices each, or as a
1-D input of all the indices one after the other with `offsets`, where bag
b starts (offsets[b]) and runs to the next start (the last one to the end).
An empty bag gives zeros; an index equal to `padding_idx` is left out of
its bag (and of the count that a mean divides by).

It is built from differentiable ops, so its gradient needs no formula:
sum and mean look the rows up (indexing) and add them into their bag
(index_add), dividing by the bag's size for the mean; with per_sample_weights
(sum only) each row is scaled first. max picks, per bag and per column, the
first row that holds the maximum, so that row alone gets the gradient, as in
PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops.elementwise import where
from ..ops.selection import index_add
from ..tensor import Tensor, check_device
from .module import Module
from .sparse import _check_padding_idx, _integers, _pretrained, _reset_table, _table, _unsupported

_MODES = ("sum", "mean", "max")


def embedding_bag(
    input: Tensor,
    weight: Tensor,
    offsets: Tensor | None = None,
    max_norm: float | None = None,
    norm_type: float = 2,
    scale_grad_by_freq: bool = False,
    mode: str = "mean",
    sparse: bool = False,
    per_sample_weights: Tensor | None = None,
    include_last_offset: bool = False,
    padding_idx: int | None = None,
) -> Tensor:
    """The sum, mean or max of the rows of `weight` named by each bag of `input`.

    Shape: input (B, L) with offsets=None, or (N,) with offsets (B,) (or
    (B + 1,) with include_last_offset=True, whose last entry is the end);
    weight (num_embeddings, embedding_dim) -> output (B, embedding_dim).
    per_sample_weights: input's shape, a weight per index (mode "sum" only).
    max_norm, scale_grad_by_freq and sparse are not implemented (as for Embedding).
    """
    if per_sample_weights is not None and per_sample_weights.shape != input.shape:
        raise ValueError(
            f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it must "
            f"have the same shape as the input ({input.shape})"
        )
    if weight.ndim != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.ndim}")
    indices, bag, n_bags = _bags(input, offsets, include_last_offset)
    if mode not in _MODES:
        raise ValueError("mode has to be one of sum, mean or max")
    _unsupported(max_norm, scale_grad_by_freq, sparse, "embedding_bag")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for "
            f"mode='sum' (got mode='{mode}'). Please open a feature request on GitHub."
        )
    rows = weight.shape[0]
    if padding_idx is not None:
        if not -rows <= padding_idx < rows:
            raise RuntimeError(
                f"padding_idx must be within the number of embeddings, -{rows} through {rows - 1}, "
                f"but got {padding_idx}"
            )
        padding_idx %= rows
    if per_sample_weights is not None and per_sample_weights.dtype != weight.dtype:
        raise RuntimeError(
            f"embedding_bag: expected per_sample_weights of weight's dtype {weight.dtype}, "
            f"got {per_sample_weights.dtype}"
        )
    bad = (indices < 0) | (indices >= rows)
    if bad.any():
        raise RuntimeError(
            "embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be "
            f"{indices[bad][0]} (num_embeddings = {rows})"
        )
    keep = (bag >= 0) & (indices != padding_idx)  # (bag -1: after the end; padding: left out)
    idx, bag = indices[keep], bag[keep]
    if mode == "max":
        return _bag_max(weight, idx, bag, n_bags)
    picked = weight[idx]  # (n, embedding_dim)
    if per_sample_weights is not None:
        picked = picked * per_sample_weights.reshape(-1)[keep].unsqueeze(1)
    zeros = Tensor._wrap(np.zeros((n_bags, weight.shape[1]), dtype=weight.dtype))
    out = index_add(zeros, 0, bag, picked)
    if mode == "mean":
        count = np.maximum(np.bincount(bag, minlength=n_bags), 1)  # (an empty bag stays 0)
        out = out / Tensor._wrap(count[:, None].astype(weight.dtype))
    return out


def _bags(
    input: Tensor, offsets: Tensor | None, include_last_offset: bool
) -> tuple[np.ndarray, np.ndarray, int]:
    """The indices as a flat array, the bag of each, and the number of bags; or PyTorch's errors."""
    if input.ndim == 2:
        if offsets is not None:
            raise ValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed "
                f"length sequences. However, found offsets of type {type(offsets)}"
            )
        if input.shape[1] == 0:
            raise RuntimeError(
                f"embedding_bag: a 2D input needs bags of at least one index, got {input.shape}"
            )
        n_bags, length = input.shape
        indices = _integers(input, 1, "indices", "embedding_bag").reshape(-1)
        return indices, np.repeat(np.arange(n_bags), length), n_bags
    if input.ndim != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    if offsets.ndim != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    indices = _integers(input, 1, "indices", "embedding_bag")
    starts = _integers(offsets, 2, "offsets", "embedding_bag")
    n = indices.size
    if starts.size and starts[0] != 0:
        raise RuntimeError(
            "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position "
            f"0. However, got {starts[0]}"
        )
    if starts.size and starts[-1] > n:
        raise RuntimeError(
            f"offsets[-1] can not be greater than input's length {n} but got offsets[-1] of {starts[-1]}"
        )
    if (np.diff(starts) < 0).any():
        raise RuntimeError(f"embedding_bag: offsets must not decrease, got {starts.tolist()}")
    if include_last_offset:
        starts = starts[:-1]  # (the last bag still runs to the end of input, as in PyTorch on the CPU)
    # position p belongs to the last bag that starts at or before p
    bag = np.searchsorted(starts, np.arange(n), side="right") - 1
    return indices, bag, starts.size


def _bag_max(weight: Tensor, idx: np.ndarray, bag: np.ndarray, n_bags: int) -> Tensor:
    """Per bag and column, the value of the first row that holds the bag's maximum (0 for an empty bag)."""
    n, dim = idx.size, weight.shape[1]
    values = weight.data[idx]
    best = np.full((n_bags, dim), -np.inf)
    np.maximum.at(best, bag, values)
    # the first position in the bag that holds the maximum (n where the bag is empty)
    position = np.where(values == best[bag], np.arange(n)[:, None], n)
    first = np.full((n_bags, dim), n)
    np.minimum.at(first, bag, position)
    empty = first == n
    row = idx[np.where(empty, 0, first)] if n else np.zeros((n_bags, dim), dtype=np.int64)
    picked = weight[row, np.arange(dim)]  # (on the graph: the gradient goes to those rows alone)
    return where(Tensor._wrap(~empty), picked, Tensor._wrap(np.zeros((), dtype=weight.dtype)))


class EmbeddingBag(Module):
    """A table of num_embeddings vectors of size embedding_dim, reduced per bag; see `F.embedding_bag`.

    Shape:
        input (B, L), or (N,) with offsets (B,) (B + 1 with include_last_offset)
        -> output (B, embedding_dim)

    Attributes:
        weight: (num_embeddings, embedding_dim), initially N(0, 1), with the
            row at padding_idx (if given) set to zeros

    max_norm, scale_grad_by_freq and sparse are not implemented (they must keep their defaults).
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        _weight: Tensor | None = None,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        _unsupported(max_norm, scale_grad_by_freq, sparse, "embedding_bag")
        padding_idx = _check_padding_idx(padding_idx, num_embeddings, "padding_idx")
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.max_norm, self.norm_type, self.scale_grad_by_freq = max_norm, norm_type, scale_grad_by_freq
        self.mode, self.sparse = mode, sparse
        self.include_last_offset, self.padding_idx = include_last_offset, padding_idx
        self.weight = _table((num_embeddings, embedding_dim), _weight, dtype)
        if _weight is None:
            self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw weight from N(0, 1), then zero the padding row."""
        _reset_table(self.weight, self.padding_idx)

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Tensor,
        freeze: bool = True,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
    ) -> EmbeddingBag:
        """An EmbeddingBag whose weight is (a copy of) `embeddings`, (num_embeddings, embedding_dim);
        frozen (requires_grad=False) unless freeze=False. The padding row is left as given."""
        weight = _pretrained(embeddings)
        rows, cols = weight.shape
        bag = cls(
            rows,
            cols,
            max_norm,
            norm_type,
            scale_grad_by_freq,
            mode,
            sparse,
            _weight=weight,
            include_last_offset=include_last_offset,
            padding_idx=padding_idx,
        )
        bag.weight.requires_grad = not freeze
        return bag

    def forward(
        self, input: Tensor, offsets: Tensor | None = None, per_sample_weights: Tensor | None = None
    ) -> Tensor:
        return embedding_bag(
            input,
            self.weight,
            offsets,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.mode,
            self.sparse,
            per_sample_weights,
            self.include_last_offset,
            self.padding_idx,
        )

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq is not False:
            text += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        text += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        return text
