"""Data sets, shaped like ``torch.utils.data.dataset``: map-style and iterable-style.

A map-style :class:`Dataset` answers ``dataset[i]`` (and usually ``len``):
a loader may visit its samples in any order, so it can shuffle them and
split them (:func:`random_split`, :class:`Subset`). An iterable-style
:class:`IterableDataset` is a stream: ``iter(dataset)`` yields the samples
in the order the data set chooses, as when they are read from a file too big
to hold or generated on the fly. It has no ``dataset[i]``, so nothing that
needs an index (a sampler, shuffling, :class:`ConcatDataset`) works on it;
:class:`ChainDataset` (``a + b``) plays ConcatDataset's part, one stream
after another. All are re-exported by `tinygrad_edu.data`.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from .random import default_generator, generator_or_seed
from .tensor import Tensor
from .warning import warn

_T_co = TypeVar("_T_co", covariant=True)


class Dataset(Generic[_T_co]):
    """A map-style data set: ``dataset[i]`` is the i-th sample.

    Subclasses implement ``__getitem__`` and, where the count is known,
    ``__len__`` (a loader needs it, to draw its indices). There is no default
    ``__len__``, as in PyTorch: ``len()`` of a data set without one is a
    TypeError, not a length made up.
    """

    def __getitem__(self, index: Any) -> _T_co:
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __add__(self, other: Dataset[_T_co]) -> ConcatDataset[_T_co]:
        """``a + b``: the samples of a, then those of b."""
        return ConcatDataset([self, other])


class IterableDataset(Dataset[_T_co], Iterable[_T_co]):
    """An iterable-style data set: ``iter(dataset)`` yields its samples, in its own order.

    Subclasses implement ``__iter__`` (it is abstract, so the base class
    cannot be instantiated) and may define ``__len__``. A
    :class:`DataLoader` over one calls ``iter(dataset)`` at each
    ``iter(loader)`` and takes ``batch_size`` samples at a time from it, in
    order; it cannot shuffle or sample, as a stream has no indices.
    ``dataset[i]`` raises NotImplementedError.
    """

    def __add__(self, other: Dataset[_T_co]) -> ChainDataset:  # type: ignore[override]
        """``a + b``: the stream of a, then that of b."""
        return ChainDataset([self, other])


class ChainDataset(IterableDataset[Any]):
    """Several iterable data sets as one stream: all of the first, then the second, ...

    ``datasets`` is kept as given and iterated at each ``iter()``, so pass a
    list, not a generator, to stream more than once. Each must be an
    :class:`IterableDataset` (an AssertionError, when it is reached, as in
    PyTorch); ``len`` is the sum of their lengths.
    """

    def __init__(self, datasets: Iterable[Dataset[Any]]) -> None:
        self.datasets = datasets

    def __iter__(self) -> Iterator[Any]:
        for dataset in self.datasets:
            yield from _checked_iterable(dataset)

    def __len__(self) -> int:
        total = 0
        for dataset in self.datasets:
            total += len(_checked_iterable(dataset))  # type: ignore[arg-type]
        return total


def _checked_iterable(dataset: Dataset[Any]) -> IterableDataset[Any]:
    # (PyTorch's type, raised explicitly, so `python -O` keeps it)
    if not isinstance(dataset, IterableDataset):
        raise AssertionError("ChainDataset only supports IterableDataset")
    return dataset


def get_worker_info() -> None:
    """Which worker process this code runs in: always None here.

    In PyTorch, inside one of a DataLoader's ``num_workers`` processes this
    returns the worker's ``id``, ``num_workers``, ``seed`` and its copy of the
    ``dataset``, so that an IterableDataset's ``__iter__`` can hand each
    worker its own share of the stream; in the main process it returns None.
    tinygrad_edu has no worker processes (``num_workers`` changes nothing),
    so the data set is always read in the main process, whole.
    """
    return None


class TensorDataset(Dataset[tuple[Tensor, ...]]):
    """Samples are the rows of the given tensors: ``dataset[i]`` is
    ``(tensors[0][i], tensors[1][i], ...)``.

    Every tensor must have the same size along its first dimension. NumPy
    arrays are accepted too and wrapped as Tensors (keeping their dtype).
    A sample is indexed out of the tensors, as in PyTorch: a row is a view
    of its tensor's memory, and of a tensor that requires grad it is
    recorded in the graph, so gradients flow back to the whole tensor.
    """

    def __init__(self, *tensors: Tensor | np.ndarray) -> None:
        wrapped = []
        for t in tensors:
            if not isinstance(t, (Tensor, np.ndarray)):
                raise TypeError(f"TensorDataset takes Tensors or numpy arrays, got {type(t).__name__}")
            t = t if isinstance(t, Tensor) else Tensor(t)
            if t.data.ndim == 0:  # (IndexError: PyTorch's, which reads its size along dim 0)
                raise IndexError("TensorDataset cannot hold a 0-d tensor (it has no rows)")
            wrapped.append(t)
        sizes = [t.shape[0] for t in wrapped]
        if len(set(sizes)) > 1:  # (none at all is allowed, as in PyTorch: then len() is the IndexError)
            # AssertionError is PyTorch's type for this; raised explicitly, so `python -O` keeps it
            raise AssertionError(
                "Size mismatch between tensors: first dimensions are " + ", ".join(str(s) for s in sizes)
            )
        self.tensors: tuple[Tensor, ...] = tuple(wrapped)

    def __getitem__(self, index: int) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]

    def _gather(self, indices: np.ndarray) -> list[Tensor]:
        """All samples at ``indices`` at once, stacked along a new first dim (a batch, as collated)."""
        # (indexed as a Tensor only where a graph is to be recorded: else one NumPy copy)
        return [t[indices] if t.requires_grad else Tensor._wrap(t.data[indices]) for t in self.tensors]


class Subset(Dataset[_T_co]):
    """The samples of ``dataset`` at the positions ``indices``, in that order.

    ``indices`` is kept as given (a list, a range, an array...), as PyTorch
    keeps it, and ``subset[i]`` is ``dataset[indices[i]]``: so ``i`` is
    whatever ``indices`` can be indexed with (a negative int, a 0-d integer
    Tensor, a slice of a list). A list ``i`` asks for several samples at
    once, ``dataset[[indices[j] for j in i]]``.
    """

    def __init__(self, dataset: Dataset[_T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):  # several samples at once, as PyTorch's Subset allows
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)

    def _positions(self, batch: np.ndarray) -> np.ndarray:
        """``indices[batch]`` as an int array: where a batch of this subset's samples sit in ``dataset``."""
        if isinstance(self.indices, (np.ndarray, Tensor)):
            return np.asarray(self.indices)[batch]
        # A list (or range...) is read at the batch's positions only, as PyTorch
        # reads it at each batch (so a change to it shows), not converted whole
        picked = map(self.indices.__getitem__, batch.tolist())
        return np.fromiter(picked, dtype=np.int64, count=len(batch))


class ConcatDataset(Dataset[_T_co]):
    """The samples of several data sets one after another, as one data set.

    ``cumulative_sizes[k]`` is the number of samples in ``datasets[0..k]``,
    so sample i lives in the first data set whose cumulative size exceeds i.
    """

    def __init__(self, datasets: Iterable[Dataset[_T_co]]) -> None:
        self.datasets: list[Dataset[_T_co]] = list(datasets)
        if not self.datasets:  # (PyTorch's type, raised explicitly, so `python -O` keeps it)
            raise AssertionError("datasets should not be an empty iterable")
        if any(isinstance(d, IterableDataset) for d in self.datasets):  # a stream has no index to look up
            raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes: list[int] = list(itertools.accumulate(len(d) for d in self.datasets))  # type: ignore[arg-type]

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            index += len(self)
        which = bisect.bisect_right(self.cumulative_sizes, index)
        if which == len(self.datasets):
            raise IndexError(f"index {index} is out of range for a ConcatDataset of {len(self)} samples")
        return self.datasets[which][index - (self.cumulative_sizes[which - 1] if which else 0)]


def random_split(
    dataset: Dataset[_T_co],
    lengths: Sequence[int | float],
    generator: np.random.Generator | None = None,
    seed: int | None = None,
) -> list[Subset[_T_co]]:
    """Split ``dataset`` into non-overlapping random subsets of the given lengths.

    ``lengths`` are either sample counts summing to ``len(dataset)`` or
    fractions summing to 1; as in PyTorch, fractional lengths are floored and
    the leftover samples are given one each to the subsets in turn. Each
    subset's ``indices`` is a list of ints, as in PyTorch.
    """
    n = len(dataset)  # type: ignore[arg-type]
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        if any(not 0 <= frac <= 1 for frac in lengths):
            raise ValueError(f"Fractions must lie in [0, 1], got {list(lengths)}")
        counts = [math.floor(n * frac) for frac in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warn(f"Length of split at index {i} is 0")
    else:
        counts = [int(length) for length in lengths]
        if any(c != length or c < 0 for c, length in zip(counts, lengths)):
            raise ValueError(f"Lengths must be non-negative ints or fractions, got {lengths}")
    if sum(counts) != n:
        raise ValueError(
            f"Sum of input lengths ({sum(counts)}) does not equal the length of the input dataset ({n})"
        )
    rng = generator_or_seed(generator, seed)
    # Python ints in lists, as PyTorch's subsets hold (its randperm(n).tolist())
    order = (rng if rng is not None else default_generator()).permutation(n).tolist()
    bounds = itertools.accumulate(counts, initial=0)
    return [Subset(dataset, order[lo:hi]) for lo, hi in itertools.pairwise(bounds)]
