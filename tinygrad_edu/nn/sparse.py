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
    indices = _integers(input, 1, "indices", "embedding")
    if indices.size and (indices.min() < 0 or indices.max() >= num_embeddings):
        bad = indices[(indices < 0) | (indices >= num_embeddings)].flat[0]
        raise IndexError(
            f"index out of range in self: embedding got index {bad}, but the table has {num_embeddings} rows "
            f"(valid indices are 0 to {num_embeddings - 1})"
        )
    return indices


def _integers(t: Tensor, position: int, name: str, op: str) -> np.ndarray:
    """t's NumPy array if it holds int64 or int32, else PyTorch's error naming argument #position of op."""
    if t.dtype not in (np.int64, np.int32):
        raise RuntimeError(
            f"Expected tensor for argument #{position} '{name}' to have one of the following scalar types: "
            f"Long, Int; but got {t.dtype} instead (while checking arguments for {op})"
        )
    return t.data


def _check_padding_idx(
    padding_idx: int | None, num_embeddings: int, spelled: str = "Padding_idx"
) -> int | None:
    """padding_idx as a row number in [0, num_embeddings) (a negative one counts from the end).

    (PyTorch's Embedding capitalises the name in its message, EmbeddingBag does not: `spelled`.)
    """
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise AssertionError(f"{spelled} must be within num_embeddings")
    return padding_idx % num_embeddings


def _unsupported(
    max_norm: float | None, scale_grad_by_freq: bool, sparse: bool, op: str = "embedding"
) -> None:
    """Refuse what is not implemented (for Embedding, or EmbeddingBag with op="embedding_bag")."""
    for name, value, default in [
        ("max_norm", max_norm, None),
        ("scale_grad_by_freq", scale_grad_by_freq, False),
        ("sparse", sparse, False),
    ]:
        if value != default:
            raise NotImplementedError(f"{op}: {name}={value!r} is not supported by tinygrad_edu")


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
        self.weight = _table((num_embeddings, embedding_dim), _weight, dtype, requires_grad=not _freeze)
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
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is (a copy of) `embeddings`, (num_embeddings, embedding_dim);
        frozen (requires_grad=False) unless freeze=False. The padding row is left as given."""
        weight = _pretrained(embeddings)
        rows, cols = weight.shape
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


# ---------------------------------------------------------------- the table, shared with EmbeddingBag


def _table(
    shape: tuple[int, int], _weight: Tensor | None, dtype: Any, requires_grad: bool = True
) -> Parameter:
    """The (num_embeddings, embedding_dim) weight: `_weight` if given (its shape checked), else a new
    uninitialised one of `dtype` (default: the default dtype) for reset_parameters to fill."""
    if _weight is None:
        return Parameter(np.empty(shape, dtype=np.dtype(dtype or get_default_dtype())), requires_grad)
    if tuple(_weight.shape) != shape:
        raise AssertionError("Shape of weight does not match num_embeddings and embedding_dim")
    return Parameter(_weight, requires_grad)


def _reset_table(weight: Tensor, padding_idx: int | None) -> None:
    """Draw weight from N(0, 1), then zero the row at padding_idx (if any)."""
    init.normal_(weight)
    if padding_idx is not None:
        with no_grad():
            weight[padding_idx].fill_(0.0)


def _pretrained(embeddings: Tensor) -> Tensor:
    """A copy of a pretrained (num_embeddings, embedding_dim) table, for from_pretrained."""
    if embeddings.ndim != 2:
        raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
    return Tensor(np.array(embeddings.data))
