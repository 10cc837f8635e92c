"""`Embedding`: a lookup table of learned vectors, one row per index (words, tokens, categories).

Looking up rows is indexing, ``weight[indices]``, so the gradient is that of
indexing: each row receives the sum of the gradients of the places that
picked it (a row picked twice gets both), and rows nobody picked get zero.
It is one-hot encoding followed by a Linear layer without the wasted
multiplications by zero.

``padding_idx`` names a row that pads short sequences to a common length:
it starts as zeros and never receives a gradient, so it stays whatever it
is set to.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.grad_mode import no_grad
from ..dtypes import get_default_dtype
from ..ops.elementwise import where
from ..tensor import Tensor, check_device
from . import init
from .module import Module
from .parameter import Parameter


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """The rows of `weight` at the integer `input` indices: weight[input].

    Shape: input (*) of int64 or int32, weight (num_embeddings, embedding_dim)
    -> output (*, embedding_dim).
    dL/dweight[r] = the sum of dL/doutput over the places where input == r,
    and zero for r = padding_idx (its value is still looked up).
    max_norm, scale_grad_by_freq and sparse are not implemented.
    """
    _unsupported(max_norm, scale_grad_by_freq, sparse)
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    padding_idx = _check_padding_idx(padding_idx, weight.shape[0])
    indices = _check_indices(input, weight.shape[0])
    rows = weight[indices]
    if padding_idx is None:
        return rows
    # where the index is padding_idx, take the row's value from a detached copy: no gradient flows back
    keep = Tensor._wrap((indices != padding_idx)[..., None])
    return where(keep, rows, rows.detach())


def _check_indices(input: Tensor, num_embeddings: int) -> np.ndarray:
    """The indices as a NumPy int array, or PyTorch's errors (negative indices are out of range too)."""
    if input.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar types: "
            f"Long, Int; but got {input.dtype} instead (while checking arguments for embedding)"
        )
    indices = input.data
    if indices.size and (indices.min() < 0 or indices.max() >= num_embeddings):
        bad = indices[(indices < 0) | (indices >= num_embeddings)].flat[0]
        raise IndexError(
            f"index out of range in self: embedding got index {bad}, but the table has {num_embeddings} rows "
            f"(valid indices are 0 to {num_embeddings - 1})"
        )
    return indices


def _check_padding_idx(padding_idx: int | None, num_embeddings: int) -> int | None:
    """padding_idx as a row number in [0, num_embeddings) (a negative one counts from the end)."""
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise AssertionError("Padding_idx must be within num_embeddings")
    return padding_idx % num_embeddings


def _unsupported(max_norm: float | None, scale_grad_by_freq: bool, sparse: bool) -> None:
    for name, value, default in [
        ("max_norm", max_norm, None),
        ("scale_grad_by_freq", scale_grad_by_freq, False),
        ("sparse", sparse, False),
    ]:
        if value != default:
            raise NotImplementedError(f"embedding: {name}={value!r} is not supported by tinygrad_edu")


class Embedding(Module):
    """A table of num_embeddings learned vectors of size embedding_dim, looked up by index; see `F.embedding`.

    Shape:
        input (*) of int64 (or int32) indices in [0, num_embeddings) -> output (*, embedding_dim)

    Attributes:
        weight: (num_embeddings, embedding_dim), initially N(0, 1), with the
            row at padding_idx (if given) set to zeros

    max_norm, scale_grad_by_freq and sparse are not implemented (they must keep their defaults).
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Tensor | None = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        _unsupported(max_norm, scale_grad_by_freq, sparse)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = _check_padding_idx(padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            dtype = np.dtype(dtype or get_default_dtype())
            self.weight = Parameter(
                np.empty((num_embeddings, embedding_dim), dtype=dtype), requires_grad=not _freeze
            )
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Draw weight from N(0, 1), then zero the padding row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0.0)

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Tensor,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is (a copy of) `embeddings`, (num_embeddings, embedding_dim);
        frozen (requires_grad=False) unless freeze=False. The padding row is left as given."""
        if embeddings.ndim != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        weight = Tensor(np.array(embeddings.data))
        return cls(
            rows,
            cols,
            padding_idx,
            max_norm,
            norm_type,
            scale_grad_by_freq,
            sparse,
            _weight=weight,
            _freeze=freeze,
        )

    def forward(self, input: Tensor) -> Tensor:
        return embedding(input, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        return text
