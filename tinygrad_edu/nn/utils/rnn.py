"""Batches of sequences of different lengths, as in `torch.nn.utils.rnn`.

A batch of B sequences x_b of lengths L_b (each (L_b, *)) can be held two ways:

- *padded*: one (T, B, *) tensor, T = max L_b, each sequence followed by
  padding (`pad_sequence`); simple, but a recurrent layer would step through
  the padding too, and its final state would be taken after it;
- *packed* (`PackedSequence`): the sequences sorted longest first and read
  time step by time step, keeping at step t only the batch_sizes[t]
  sequences still running. With lengths 3, 2, 1 (a b c / d e / f)::

      t:            0      1    2
      running:    a d f   b e   c        data = [a, d, f, b, e, c]
      batch_sizes:  3      2    1

  A recurrent layer given a PackedSequence (recurrent.py) updates at step t
  only the sequences still running, so each one's final state is taken at
  its own last step, and the output is packed the same way.

`sorted_indices` remembers the sort (sorted position -> original position)
when the batch was not already longest first (``enforce_sorted=False``);
`unsorted_indices` is its inverse, which puts results back in the caller's
order.

Packing and unpacking are each one gather by an index array worked out from
`batch_sizes` in NumPy (`_padded_rows`), so they are differentiable and
loop over no element.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from ...factories import full
from ...ops.joining import cat
from ...tensor import Tensor

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpad_sequence",
    "pack_sequence",
    "unpack_sequence",
]


class _PackedSequenceFields(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(_PackedSequenceFields):
    """A packed batch of sequences (see the module docstring); made by `pack_padded_sequence`.

    Fields:
        data: (sum of the lengths, *), the running sequences' steps, step after step
        batch_sizes: (T,) int64, how many sequences run at each step (non-increasing)
        sorted_indices: (B,) int64 or None, the original index of each sorted sequence
        unsorted_indices: (B,) int64 or None, the inverse permutation (computed when not given)
    """

    def __new__(
        cls,
        data: Any,
        batch_sizes: Tensor | None = None,
        sorted_indices: Tensor | None = None,
        unsorted_indices: Tensor | None = None,
    ) -> PackedSequence:
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # PyTorch's older form: one (data, batch_sizes) pair
            data, batch_sizes = data
        if not isinstance(batch_sizes, Tensor):
            raise TypeError(
                f"PackedSequence: batch_sizes should be a Tensor, got {type(batch_sizes).__name__}"
            )
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """The sequence with `data` converted as ``Tensor.to`` would; itself when nothing changes."""
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else self._replace(data=data)

    def cpu(self) -> PackedSequence:
        """Itself: everything lives in the CPU's memory."""
        return self

    @property
    def is_cuda(self) -> bool:
        """Always False: NumPy computes on the CPU."""
        return False

    # (last in the class: from here on, `float` and `int` name these methods in the class body)

    def double(self) -> PackedSequence:
        return self.to(np.float64)

    def float(self) -> PackedSequence:
        return self.to(np.float32)

    def half(self) -> PackedSequence:
        return self.to(np.float16)

    def long(self) -> PackedSequence:
        return self.to(np.int64)

    def int(self) -> PackedSequence:
        return self.to(np.int32)


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse permutation q (q[p[i]] = i) of a 1-D int64 tensor p; None for None."""
    if permutation is None:
        return None
    inverse = np.empty_like(permutation.data)
    inverse[permutation.data] = np.arange(permutation.shape[0])
    return Tensor(inverse)


def _padded_rows(batch_sizes: np.ndarray, total_length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """For packed data with these batch_sizes, which row holds step t of sequence b.

    Returns (rows, running), both (T, B) (T = total_length or len(batch_sizes)):
    running[t, b] says sequence b still runs at step t, and then rows[t, b]
    is its row in the packed data; elsewhere rows[t, b] is n = sum(batch_sizes),
    the row just past the data, where the callers put the padding value.
    """
    steps = total_length or len(batch_sizes)
    sizes = np.zeros(steps, dtype=np.int64)
    sizes[: len(batch_sizes)] = batch_sizes
    running = np.arange(batch_sizes[0])[None, :] < sizes[:, None]
    starts = np.cumsum(sizes) - sizes  # where each step's rows begin in the data
    return np.where(running, starts[:, None] + np.arange(batch_sizes[0]), sizes.sum()), running


def padded_from_packed(data: Tensor, batch_sizes: Tensor, padding_value: float = 0.0) -> Tensor:
    """The packed data (n, *) as (T, B, *), in the packed (sorted) order, padded with padding_value."""
    rows, _ = _padded_rows(batch_sizes.data)
    return _with_padding_row(data, padding_value)[rows]


def packed_from_padded(padded: Tensor, batch_sizes: Tensor) -> Tensor:
    """The inverse of `padded_from_packed`: the running steps of (T, B, *), step after step, as (n, *)."""
    _, running = _padded_rows(batch_sizes.data)
    steps, batch = running.shape
    return padded.reshape(steps * batch, *padded.shape[2:])[np.flatnonzero(running)]


def _with_padding_row(data: Tensor, padding_value: float) -> Tensor:
    """data (n, *) with one more row, all padding_value, at index n."""
    return cat([data, full((1, *data.shape[1:]), padding_value, dtype=data.dtype)])


def pad_sequence(
    sequences: Tensor | Iterable[Tensor],
    batch_first: bool = False,
    padding_value: float = 0.0,
    padding_side: str = "right",
) -> Tensor:
    """Pad sequences (L_b, *) to the longest length T and stack them: (T, B, *) (batch_first: (B, T, *)).

    ``padding_side="left"`` puts the padding before each sequence instead of
    after it. The result has the first sequence's dtype.
    """
    if not isinstance(sequences, (Tensor, Iterable)):
        raise RuntimeError(
            f"pad_sequence: Expected iterable for input sequences, but got arg of type: {type(sequences)}"
        )
    sequences = list(sequences.unbind(0) if isinstance(sequences, Tensor) else sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    first = sequences[0]
    for k, seq in enumerate(sequences):
        if seq.ndim == 0 or seq.shape[1:] != first.shape[1:]:
            raise RuntimeError(
                f"pad_sequence: every sequence must be (length, *) with one trailing shape, but sequence "
                f"{k} has shape {list(seq.shape)} and sequence 0 {list(first.shape)}"
            )
    lengths = np.array([seq.shape[0] for seq in sequences])
    longest = int(lengths.max())
    # row of step t of sequence b in the sequences joined end to end; the padding row past them elsewhere
    t = np.arange(longest)[:, None] - (longest - lengths if padding_side == "left" else 0)
    present = (t >= 0) & (t < lengths)
    rows = np.where(present, np.cumsum(lengths) - lengths + t, lengths.sum())
    joined = cat([seq.to(first.dtype) for seq in sequences])
    return _with_padding_row(joined, padding_value)[rows.T if batch_first else rows]


def pack_padded_sequence(
    input: Tensor, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Pack a padded batch (T, B, *) (batch_first: (B, T, *)) whose sequence b has length lengths[b].

    With enforce_sorted (the default) the lengths must be non-increasing;
    otherwise the sequences are sorted here (longest first, ties in their
    order), and the sort is kept in sorted_indices / unsorted_indices.
    """
    lengths = _lengths_array(lengths)
    if input.ndim < 2:
        raise IndexError(
            f"pack_padded_sequence: input must be (T, B, *) or (B, T, *), but got {input.ndim}-D"
        )
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    batch = input.shape[0 if batch_first else 1]
    if len(lengths) != batch:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} (batch_size={batch})"
        )
    sorted_indices = None
    if not enforce_sorted:
        order = np.argsort(-lengths, kind="stable")
        lengths, sorted_indices = lengths[order], Tensor(order)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if lengths[-1] <= 0:
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0"
        )
    if np.any(lengths[1:] > lengths[:-1]):
        raise RuntimeError(
            "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
            "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this "
            "requirement if you do not need ONNX exportability."
        )
    steps = input.shape[1 if batch_first else 0]
    if lengths[0] > steps:
        raise RuntimeError(
            f"pack_padded_sequence: a length of {lengths[0]} in `lengths` is longer than the input's "
            f"{steps} time steps (input shape {list(input.shape)}, batch_first={batch_first})"
        )
    # batch_sizes[t] = how many lengths exceed t
    batch_sizes = Tensor((lengths[None, :] > np.arange(lengths[0])[:, None]).sum(1).astype(np.int64))
    padded = input.transpose(0, 1) if batch_first else input
    return PackedSequence(packed_from_padded(padded[: lengths[0]], batch_sizes), batch_sizes, sorted_indices)


def _lengths_array(lengths: Any) -> np.ndarray:
    """lengths (a Tensor, array or list of numbers) as a 1-D int64 array, as PyTorch converts them."""
    values = np.asarray(lengths.data if isinstance(lengths, Tensor) else lengths)
    if values.dtype.kind not in "biuf":
        raise TypeError(
            f"pack_padded_sequence: lengths should hold integers, but got {type(lengths).__name__} "
            f"of {values.dtype}"
        )
    if values.ndim != 1:
        raise RuntimeError(
            f"'lengths' argument should be a 1D CPU int64 tensor, but got {values.ndim}D cpu Long tensor"
        )
    return values.astype(np.int64)


def pad_packed_sequence(
    sequence: PackedSequence,
    batch_first: bool = False,
    padding_value: float = 0.0,
    total_length: int | None = None,
) -> tuple[Tensor, Tensor]:
    """The inverse of `pack_padded_sequence`: (padded (T, B, *) or (B, T, *), lengths (B,) int64).

    The batch comes back in the caller's order (unsorted_indices). T is the
    longest length, or total_length (at least that) when given, so that the
    output lines up with a padded input of T steps.
    """
    steps = sequence.batch_sizes.shape[0]
    if total_length is not None:
        if total_length < steps:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in input, but got "
                f"total_length={total_length} and max sequence length being {steps}"
            )
        steps = total_length
    rows, running = _padded_rows(sequence.batch_sizes.data, steps)
    lengths = running.sum(0)
    if sequence.unsorted_indices is not None:  # back to the caller's order, in the same gather
        rows, lengths = rows[:, sequence.unsorted_indices.data], lengths[sequence.unsorted_indices.data]
    padded = _with_padding_row(sequence.data, padding_value)[rows.T if batch_first else rows]
    return padded, Tensor(lengths.astype(np.int64))


def pack_sequence(sequences: Iterable[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (L_b, *): `pack_padded_sequence` of their `pad_sequence`."""
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    lengths = [seq.shape[0] if seq.ndim else 0 for seq in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpad_sequence(padded_sequences: Tensor, lengths: Any, batch_first: bool = False) -> list[Tensor]:
    """The inverse of `pad_sequence`: the sequences padded[:lengths[b], b] (batch_first: [b, :lengths[b]])."""
    padded = padded_sequences if batch_first else padded_sequences.transpose(0, 1)
    return [padded[b, : int(length)] for b, length in enumerate(_lengths_array(lengths))]


def unpack_sequence(packed_sequences: PackedSequence) -> list[Tensor]:
    """The inverse of `pack_sequence`: the list of sequences, in the caller's order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
