"""Datasets, samplers and mini-batch loading, shaped like ``torch.utils.data``.

A :class:`Dataset` maps an index to a sample; an :class:`IterableDataset`
is a stream of samples (both live in `dataset.py`, with the other data sets,
and are re-exported here). A sampler says which indices an epoch visits, in
which order (:class:`RandomSampler` and the others live in `sampler.py`). A
:class:`DataLoader` walks a dataset in the order of its sampler (a stream in
its own order) and stacks ``batch_size`` samples along a new first
dimension, yielding Tensors; with ``batch_size=None`` it yields the samples
one by one, their arrays made Tensors.

For a :class:`TensorDataset` (and a :class:`Subset` of one) the loader gathers
a whole batch with one NumPy fancy-indexing call per tensor instead of a
Python loop over samples; any other dataset is read sample by sample and
collated. The library's samplers draw an epoch's indices as one array, so
neither is there a Python loop over indices.

Random order is reproducible: pass ``generator`` (a ``tg.Generator``, or any
``numpy.random.Generator``) to a sampler, or ``generator`` or ``seed`` to a
shuffling loader; with neither, each epoch is drawn from tinygrad_edu's
global generator, so ``tg.manual_seed(n)`` fixes it, as ``torch.manual_seed``
does for PyTorch's loader.

``load_digits()`` returns the 8x8 handwritten digits data set, which ships
inside the package (see ``datasets/DATA_LICENSE.md``).
"""

from __future__ import annotations

import functools
import gzip
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from typing import Any

import numpy as np

from .collate import default_collate, default_convert
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    get_worker_info,
    random_split,
)
from .random import generator_or_seed
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
    _epoch_batches,
    batch_count,
    uses_own,
)
from .warning import warn

__all__ = [
    "BatchSampler",
    "ChainDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "default_collate",
    "default_convert",
    "get_worker_info",
    "load_digits",
    "random_split",
]


def _batch_getter(dataset: Dataset[Any]) -> Callable[[np.ndarray], Any] | None:
    """A function fetching a whole batch by fancy indexing, or None where the
    data set must be read sample by sample.

    The fast path is taken only where ``__getitem__`` is the library's own, so
    a subclass that transforms its samples still sees every call.
    """
    if uses_own(dataset, TensorDataset, "__getitem__"):
        return dataset._gather
    if uses_own(dataset, Subset, "__getitem__"):
        inner = _batch_getter(dataset.dataset)
        if inner is not None:
            return lambda indices: inner(dataset._positions(indices))
    return None


def _check_worker_options(
    num_workers: int, timeout: float, prefetch_factor: int | None, persistent_workers: bool
) -> int | None:
    """PyTorch's checks of the worker options, in its order; returns prefetch_factor (2 with workers)."""
    if num_workers < 0:
        raise ValueError(
            "num_workers option should be non-negative; use num_workers=0 to disable multiprocessing."
        )
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError(
            "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to "
            "enable multiprocessing, otherwise set prefetch_factor to None."
        )
    if num_workers > 0 and prefetch_factor is None:
        prefetch_factor = 2
    elif prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")
    return prefetch_factor


def _check_loader_options(
    batch_size: int | None, shuffle: bool, sampler: object, batch_sampler: object, drop_last: bool
) -> None:
    """The DataLoader's errors for arguments that contradict each other, in PyTorch's order."""
    if sampler is not None and shuffle:
        raise ValueError("sampler option is mutually exclusive with shuffle")
    if batch_sampler is not None:
        if batch_size != 1 or shuffle or sampler is not None or drop_last:
            raise ValueError(
                "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"
            )
    elif batch_size is None and drop_last:
        raise ValueError(
            "batch_size=None option disables auto-batching and is mutually exclusive with drop_last"
        )


def _check_stream_options(shuffle: object, sampler: object, batch_sampler: object) -> None:
    """PyTorch's errors for the options that need indices, given with an IterableDataset (first)."""
    if shuffle not in {False, None}:  # both mean unspecified (False was the default once)
        raise ValueError(
            f"DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle={shuffle}"
        )
    if sampler is not None:
        raise ValueError(
            f"DataLoader with IterableDataset: expected unspecified sampler option, but got sampler={sampler}"
        )
    if batch_sampler is not None:
        raise ValueError(
            "DataLoader with IterableDataset: expected unspecified batch_sampler option, "
            f"but got batch_sampler={batch_sampler}"
        )


class _InfiniteConstantSampler(Sampler[None]):
    """The sampler of a loader over an IterableDataset: None, forever, as PyTorch's.

    A stream has no indices to draw. This stands in as ``loader.sampler``
    (and inside ``loader.batch_sampler``), with no ``len``; the loader reads
    the samples from ``iter(dataset)`` itself.
    """

    def __iter__(self) -> Iterator[None]:
        return itertools.repeat(None)


_FIXED_AFTER_INIT = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")


class _LoaderIterator:
    """What ``iter(loader)`` returns: one epoch's batches, as in PyTorch.

    Its ``len()`` is that of the loader's batch sampler (its sampler with
    ``batch_size=None``), so over an IterableDataset it is a TypeError. There
    it also warns at each batch past the data set's length as last read by
    ``len(loader)`` before this epoch began: PyTorch's check that ``__len__``
    told the truth. Like PyTorch, it counts batches against that number of
    samples, so with ``batch_size > 1`` a stream may run long unwarned.
    """

    def __init__(self, loader: DataLoader, batches: Iterator[Any]) -> None:
        self._loader, self._batches = loader, batches
        self._reported_len, self._num_yielded = loader._reported_len, 0

    def __iter__(self) -> _LoaderIterator:
        return self

    def __next__(self) -> Any:
        batch = next(self._batches)
        self._num_yielded += 1
        if self._reported_len is not None and self._num_yielded > self._reported_len:
            warn(
                f"Length of IterableDataset {self._loader.dataset} was reported to be {self._reported_len}"
                f"(when accessing len(dataloader)), but {self._num_yielded} samples have been fetched. "
            )
        return batch

    def __len__(self) -> int:
        return len(self._loader._index_sampler)  # type: ignore[arg-type]


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` samples.

    Each batch stacks its samples along a new first dimension; for a
    :class:`TensorDataset` a batch is a list of Tensors, one per dataset
    tensor. ``drop_last=True`` drops a final batch smaller than
    ``batch_size``.

    The order comes from ``sampler``: by default a :class:`SequentialSampler`,
    or, with ``shuffle=True``, a :class:`RandomSampler` that draws a new
    permutation every epoch (every ``iter(loader)``); pass ``generator`` or
    ``seed`` to fix the sequence of permutations, otherwise it follows
    ``tg.manual_seed``. A ``sampler`` of your own (any iterable of indices)
    replaces both, so it cannot be combined with ``shuffle``, and
    ``generator`` and ``seed`` do not apply to it. ``batch_sampler``, an
    iterable of lists of indices such as a :class:`BatchSampler`, makes the
    batches itself, in place of ``batch_size``, ``shuffle``, ``sampler`` and
    ``drop_last``. ``len(loader)`` is the length of the batch sampler (of the
    sampler with ``batch_size=None``).

    An :class:`IterableDataset` gives its samples in its own order: each
    ``iter(loader)`` calls ``iter(dataset)`` and takes ``batch_size``
    samples at a time from it, in order, until it ends (``drop_last`` drops
    a last short batch). A stream has no indices, so ``shuffle``,
    ``sampler`` and ``batch_sampler`` are errors with it (shuffle it inside
    ``__iter__`` instead); ``len(loader)`` needs the data set's own
    ``__len__`` (a TypeError without one), is counted in batches from it,
    and the loader warns when more batches come than that length (see
    `_LoaderIterator`).

    ``batch_size=None`` turns batching off: the loader yields each sample on
    its own, passed through :func:`default_convert` (a TensorDataset sample
    becomes a list of Tensors without the batch dimension), and
    ``len(loader)`` is the number of samples. ``drop_last`` must then be
    False, since there is no last batch to drop.

    ``collate_fn(samples)`` makes a batch from a list of samples, in place of
    :func:`default_collate`; with ``batch_size=None`` it is given one sample
    at a time, in place of :func:`default_convert`. Batches are always made
    in the calling thread. The options of PyTorch's worker processes
    (``num_workers``, ``timeout``, ``worker_init_fn``,
    ``multiprocessing_context``, ``prefetch_factor``, ``persistent_workers``,
    ``in_order``) and of its pinned memory (``pin_memory``,
    ``pin_memory_device``) are accepted, checked as PyTorch checks them and
    kept as attributes, so PyTorch code runs unchanged; they change nothing,
    since there are no worker processes (``worker_init_fn`` is never
    called) and no GPU.
    """

    def __init__(
        self,
        dataset: Dataset[Any],
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Iterable[Any] | None = None,
        batch_sampler: Iterable[Sequence[Any]] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: np.random.Generator | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
        seed: int | None = None,
    ) -> None:
        prefetch_factor = _check_worker_options(num_workers, timeout, prefetch_factor, persistent_workers)
        is_stream = isinstance(dataset, IterableDataset)
        if is_stream:  # checked first, as PyTorch does: no sampler can help with a stream
            _check_stream_options(shuffle, sampler, batch_sampler)
        shuffle = bool(shuffle)
        _check_loader_options(batch_size, shuffle, sampler, batch_sampler, drop_last)
        self.dataset = dataset
        self.shuffle = shuffle
        # the worker and pinned-memory options, kept as PyTorch keeps them (they change nothing here)
        self.num_workers, self.timeout, self.prefetch_factor = num_workers, timeout, prefetch_factor
        self.worker_init_fn, self.multiprocessing_context = worker_init_fn, multiprocessing_context
        self.persistent_workers, self.in_order = persistent_workers, in_order
        self.pin_memory, self.pin_memory_device = pin_memory, pin_memory_device
        self.generator = generator_or_seed(generator, seed)
        if is_stream:
            sampler = _InfiniteConstantSampler()
        elif sampler is None and shuffle:
            sampler = RandomSampler(dataset, generator=self.generator)  # type: ignore[arg-type]
        elif sampler is None:
            sampler = SequentialSampler(dataset)  # type: ignore[arg-type]
        if batch_sampler is not None:  # it makes the batches: batch_size and drop_last have no say
            batch_size, drop_last = None, False
        elif batch_size is not None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)  # type: ignore[arg-type]
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.batch_size = None if batch_size is None else int(batch_size)
        self.drop_last = drop_last
        if collate_fn is None:
            collate_fn = default_convert if batch_sampler is None else default_collate
        self.collate_fn = collate_fn
        # a whole batch by fancy indexing, where that gives what collating would
        self._get_batch = _batch_getter(dataset) if collate_fn is default_collate else None
        self._reported_len: int | None = None  # a stream's length, as len(loader) last read it
        self._initialized = True

    def __setattr__(self, name: str, value: Any) -> None:
        # The sampler and batching were built from these in __init__: changing one later would be ignored.
        if self.__dict__.get("_initialized") and name in _FIXED_AFTER_INIT:
            raise ValueError(f"{name} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def _index_sampler(self) -> Iterable[Any]:
        """What an epoch iterates over: the batch sampler, or the sampler with ``batch_size=None``."""
        return self.sampler if self.batch_sampler is None else self.batch_sampler

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            # the stream's own length, kept to warn if more comes (_LoaderIterator)
            length = self._reported_len = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is not None:
                length = batch_count(length, self.batch_size, self.drop_last)
            return length
        return len(self._index_sampler)  # type: ignore[arg-type]

    def __iter__(self) -> _LoaderIterator:
        if isinstance(self.dataset, IterableDataset):
            # iter(dataset) now, not at the first next(), as PyTorch does: each iter() is a fresh stream
            return _LoaderIterator(self, self._stream(iter(self.dataset)))
        # The order is drawn here, not at the first next(): each iter() is one epoch.
        if self.batch_sampler is None:
            return _LoaderIterator(self, (self.collate_fn(self.dataset[i]) for i in self.sampler))
        return _LoaderIterator(self, self._batches(_epoch_batches(self.batch_sampler)))

    def _batches(self, index_batches: Iterator[Any]) -> Iterator[Any]:
        for indices in index_batches:
            if self._get_batch is not None:
                yield self._get_batch(np.asarray(indices))
            else:
                keys = indices.tolist() if isinstance(indices, np.ndarray) else indices
                yield self.collate_fn([self.dataset[i] for i in keys])

    def _stream(self, samples: Iterator[Any]) -> Iterator[Any]:
        """A stream's batches: ``batch_size`` samples at a time, collated, or each sample converted."""
        if self.batch_size is None:
            # map asks the stream again at every next(), as PyTorch's loader does
            return map(self.collate_fn, samples)
        return self._stream_batches(samples, self.batch_size)

    def _stream_batches(self, samples: Iterator[Any], batch_size: int) -> Iterator[Any]:
        while True:
            batch = list(itertools.islice(samples, batch_size))
            if batch and (len(batch) == batch_size or not self.drop_last):
                yield self.collate_fn(batch)
            if len(batch) < batch_size:  # the stream has ended: it is not asked again, as in PyTorch
                return


@functools.cache
def _read_digits() -> tuple[np.ndarray, np.ndarray]:
    source = resources.files("tinygrad_edu") / "datasets" / "digits.csv.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.float64)
    images = table[:, :64]
    labels = table[:, 64].astype(np.int64)
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 handwritten digits of the UCI "Optical Recognition of
    Handwritten Digits" set (Alpaydin and Kaynak, 1998): the 1797 images
    that scikit-learn's ``load_digits`` holds, in the same order.

    Returns a plain pair ``(images, labels)``, like scikit-learn's
    ``load_digits(return_X_y=True)`` (not its Bunch): ``images`` is a float64 array of shape
    ``(1797, 64)`` holding pixel counts 0..16 (reshape to ``(-1, 8, 8)`` to
    view them), ``labels`` an int64 array of shape ``(1797,)`` with classes
    0..9. The data ships with the package, so no download is needed; each call
    returns fresh copies the caller may modify.
    """
    images, labels = _read_digits()
    return images.copy(), labels.copy()
