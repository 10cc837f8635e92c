"""Samplers: which indices of a dataset an epoch visits, and in which order (``torch.utils.data``'s).

:class:`SequentialSampler`, :class:`RandomSampler`,
:class:`SubsetRandomSampler` and :class:`WeightedRandomSampler` give indices;
a :class:`BatchSampler` groups them into batches. The library's samplers draw
an epoch's indices as one array, so that a `DataLoader` can slice its batches
out of it without a Python loop over indices; any other iterable of indices
works as a sampler too, and is read one index at a time. All are re-exported
by `tinygrad_edu.data`, where PyTorch users look for them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any, Generic, TypeGuard, TypeVar

import numpy as np

from tinygrad_edu.random import generator_or_default, generator_or_seed


def _check_positive_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value}")


_T_co = TypeVar("_T_co", covariant=True)


class Sampler(Generic[_T_co]):
    """Base class of the samplers: iterating over one gives the indices (for a
    batch sampler, the lists of indices) of one epoch, in order.

    Subclasses implement ``__iter__``, and ``__len__`` where the count is
    known (``len(loader)`` needs it). A :class:`DataLoader` takes any iterable
    of indices as its sampler; subclass this one to write your own, e.g.
    ``class ShortestFirst(Sampler[int])``.
    """

    # No default __len__: list(sampler) asks for the length first and would
    # fail on it, where iterating alone works.
    def __iter__(self) -> Iterator[_T_co]:
        raise NotImplementedError(f"{type(self).__name__} must implement __iter__")


class _ArraySampler(Sampler[int]):
    """A sampler that draws all the indices of an epoch at once, as an array
    (`_draw`), so that a loader can slice its batches out of them."""

    def _draw(self) -> np.ndarray:
        raise NotImplementedError

    def __iter__(self) -> Iterator[int]:
        # Drawn here, not at the first next(): each iter() is one epoch.
        return iter(self._draw().tolist())


_C = TypeVar("_C")


def uses_own(obj: object, cls: type[_C], method: str) -> TypeGuard[_C]:
    """Is `obj` a `cls` whose `method` is `cls`'s own, not a subclass's override?

    The loaders' fast paths (a whole epoch or batch at once) skip the method,
    so they are taken only where that skips nothing a user wrote.
    """
    return isinstance(obj, cls) and getattr(type(obj), method) is getattr(cls, method)


def _epoch_array(sampler: Iterable[Any]) -> np.ndarray | None:
    """One epoch of ``sampler``'s indices as an array, or None where the
    sampler must be iterated: any but the library's own, and a subclass of
    one that overrides ``__iter__``."""
    if uses_own(sampler, _ArraySampler, "__iter__"):
        return sampler._draw()
    return None


class SequentialSampler(_ArraySampler):
    """The indices ``0, 1, ..., len(data_source) - 1``, in order, every epoch."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def _draw(self) -> np.ndarray:
        return np.arange(len(self.data_source))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(_ArraySampler):
    """Random indices into ``data_source``, drawn anew every epoch.

    Without replacement (the default) an epoch is a random permutation of
    ``range(len(data_source))``; a larger ``num_samples`` appends further
    permutations, a smaller one keeps the first ``num_samples`` indices. With
    ``replacement=True`` each of the ``num_samples`` indices is drawn
    uniformly on its own, so indices repeat. ``num_samples`` defaults to the
    length of ``data_source``, read at each epoch.

    ``generator`` (a ``tg.Generator`` or ``numpy.random.Generator``) draws
    the indices; without it they come from the global generator, which
    ``tg.manual_seed`` seeds.
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: np.random.Generator | None = None,
    ) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={replacement}")
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator_or_seed(generator, seed=None)
        _check_positive_int("num_samples", self.num_samples)

    @property
    def num_samples(self) -> int:
        """The number of indices an epoch yields."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _draw(self) -> np.ndarray:
        n, count = len(self.data_source), self.num_samples
        generator = generator_or_default(self.generator)
        if self.replacement:
            return generator.integers(n, size=count)
        permutations = [generator.permutation(n) for _ in range(-(-count // n))]  # ceil(count / n)
        return np.concatenate(permutations)[:count]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(_ArraySampler):
    """The given ``indices``, each once, in a new random order every epoch.

    The usual way to hold out a validation set without a :class:`Subset`:
    two loaders on one dataset, each with the sampler of its own indices.
    ``generator`` as in :class:`RandomSampler`.
    """

    def __init__(self, indices: Sequence[int], generator: np.random.Generator | None = None) -> None:
        self.indices = indices
        self.generator = generator_or_seed(generator, seed=None)

    def _draw(self) -> np.ndarray:
        indices = np.asarray(self.indices)  # (first: indices it cannot read are refused before a draw)
        order = generator_or_default(self.generator).permutation(len(indices))
        return indices[order]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(_ArraySampler):
    """``num_samples`` indices into ``range(len(weights))`` per epoch, index
    ``i`` drawn with probability ``weights[i] / sum(weights)``.

    With ``replacement=True`` (the default) every draw is from all the
    indices, so they repeat: weighting each sample by one over the size of
    its class gives batches with balanced classes. With
    ``replacement=False`` an index drawn once is not drawn again; once the
    indices of positive weight are used up, those of weight 0 follow in
    increasing order (PyTorch also goes on with them, in an order of its
    own). ``generator`` as in :class:`RandomSampler`. The weights are checked
    at each epoch, as PyTorch does: they must be finite and non-negative,
    with a positive sum.
    """

    def __init__(
        self,
        weights: Sequence[float] | np.ndarray,
        num_samples: int,
        replacement: bool = True,
        generator: np.random.Generator | None = None,
    ) -> None:
        _check_positive_int("num_samples", num_samples)
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        weights = np.asarray(weights, dtype=np.float64)
        if weights.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape {weights.shape}")
        self.weights = weights
        self.num_samples = int(num_samples)
        self.replacement = replacement
        self.generator = generator_or_seed(generator, seed=None)

    def _draw(self) -> np.ndarray:
        weights, generator = self.weights, generator_or_default(self.generator)
        if not (np.isfinite(weights).all() and (weights >= 0).all()):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        total = weights.sum()
        if total <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        if self.replacement:
            return generator.choice(len(weights), size=self.num_samples, p=weights / total)
        if self.num_samples > len(weights):
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
        # NOTE: an exponential race: index i arrives at time E_i / w_i with
        # E_i ~ Exp(1), so it comes first with probability w_i / sum(w), and
        # so on among the rest. Sorting by w_i / E_i, largest first, is the
        # race; weight 0 gives key 0, and the stable sort keeps index order.
        keys = weights / generator.exponential(size=len(weights))
        return np.argsort(-keys, kind="stable")[: self.num_samples]

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Group the indices ``sampler`` yields into lists of ``batch_size``.

    The last list is shorter when the indices do not divide evenly, or left
    out with ``drop_last=True``. ``sampler`` is any iterable of indices; its
    ``len`` is needed only for ``len(batch_sampler)``.
    """

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        _check_positive_int("batch_size", batch_size)
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = int(batch_size)
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        return (batch if isinstance(batch, list) else batch.tolist() for batch in self._index_batches())

    def _index_batches(self) -> Iterator[np.ndarray | list[Any]]:
        """One epoch of batches: slices of one array where the sampler draws
        one (see `_epoch_array`), else lists taken from its iterator."""
        order = _epoch_array(self.sampler)
        if order is None:
            return self._lists_from(iter(self.sampler))
        stop = len(order) - len(order) % self.batch_size if self.drop_last else len(order)
        return (order[start : start + self.batch_size] for start in range(0, stop, self.batch_size))

    def _lists_from(self, indices: Iterator[Any]) -> Iterator[list[Any]]:
        while batch := list(itertools.islice(indices, self.batch_size)):
            if self.drop_last and len(batch) < self.batch_size:
                return
            yield batch

    def __len__(self) -> int:
        return batch_count(len(self.sampler), self.batch_size, self.drop_last)  # type: ignore[arg-type]


def batch_count(n: int, batch_size: int, drop_last: bool) -> int:
    """How many batches n samples make: a last short batch counts unless dropped."""
    return n // batch_size if drop_last else math.ceil(n / batch_size)


def _epoch_batches(batch_sampler: Iterable[Any]) -> Iterator[Any]:
    """The batches of indices of one epoch, as arrays where the library draws them."""
    if uses_own(batch_sampler, BatchSampler, "__iter__"):
        return batch_sampler._index_batches()
    return iter(batch_sampler)
