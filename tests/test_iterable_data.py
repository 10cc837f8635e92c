"""Tests for iterable-style data: IterableDataset, ChainDataset, get_worker_info, DataLoader over a stream."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.data import (
    BatchSampler,
    ChainDataset,
    ConcatDataset,
    DataLoader,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    get_worker_info,
    random_split,
)


class Count(IterableDataset):
    """The stream 0, 1, ..., n - 1 (Python ints); counts the calls of iter()."""

    def __init__(self, n: int) -> None:
        self.n, self.iter_calls = n, 0

    def __iter__(self) -> Iterator[int]:
        self.iter_calls += 1
        return iter(range(self.n))


class CountWithLen(Count):
    """A Count whose ``__len__`` says ``length``, true or not."""

    def __init__(self, n: int, length: int) -> None:
        super().__init__(n)
        self.length = length

    def __len__(self) -> int:
        return self.length


def values(batches: list[tg.Tensor]) -> list[list[int]]:
    return [b.numpy().tolist() for b in batches]


# --- the data sets -------------------------------------------------------------


def test_iterable_dataset_is_an_abstract_dataset_without_len_or_indexing():
    with pytest.raises(TypeError, match="abstract"):
        IterableDataset()
    ds = Count(3)
    assert isinstance(ds, Dataset) and list(ds) == [0, 1, 2]
    with pytest.raises(NotImplementedError):
        ds[0]
    with pytest.raises(TypeError, match="object of type 'Count' has no len()"):
        len(ds)


def test_a_dataset_has_no_default_len_as_in_pytorch():
    assert not hasattr(Dataset, "__len__")
    with pytest.raises(TypeError, match="object of type 'Dataset' has no len()"):
        len(Dataset())


def test_the_data_sets_are_generic_as_in_pytorch():
    class Floats(IterableDataset[float]):
        def __iter__(self) -> Iterator[float]:
            return iter([0.5, 1.5])

    assert list(Floats()) == [0.5, 1.5] and Dataset[int] is not Dataset


def test_adding_iterable_datasets_chains_them():
    a, b = Count(2), CountWithLen(3, 3)
    chained = a + b
    assert type(chained) is ChainDataset and chained.datasets == [a, b]
    assert list(chained) == [0, 1, 0, 1, 2] and list(chained) == [0, 1, 0, 1, 2]  # a new stream each time
    assert a.iter_calls == 2 and b.iter_calls == 2
    with pytest.raises(TypeError, match="has no len"):
        len(chained)  # a has no __len__
    assert len(CountWithLen(2, 5) + CountWithLen(9, 4)) == 9  # the lengths they report, summed


def test_chain_dataset_refuses_a_map_style_member_when_it_reaches_it():
    chained = ChainDataset([Count(2), TensorDataset(np.arange(3))])
    stream = iter(chained)
    assert [next(stream), next(stream)] == [0, 1]  # the first stream is read before the check
    with pytest.raises(AssertionError, match="^ChainDataset only supports IterableDataset$"):
        next(stream)
    with pytest.raises(AssertionError, match="^ChainDataset only supports IterableDataset$"):
        len(ChainDataset([CountWithLen(2, 2), [1, 2]]))
    with pytest.raises(AssertionError, match="^ChainDataset only supports IterableDataset$"):
        list(Count(1) + TensorDataset(np.arange(3)))  # + on an IterableDataset chains whatever comes


@pytest.mark.parametrize(
    "datasets",
    [[Count(2)], [TensorDataset(np.arange(3)), CountWithLen(2, 2)]],
    ids=["alone", "after a map-style one"],
)
def test_concat_dataset_refuses_iterable_datasets(datasets):
    with pytest.raises(AssertionError, match="^ConcatDataset does not support IterableDataset$"):
        ConcatDataset(datasets)
    with pytest.raises(AssertionError, match="^datasets should not be an empty iterable$"):
        ConcatDataset([])


def test_map_style_plus_iterable_is_a_concat_dataset_so_it_is_refused():
    with pytest.raises(AssertionError, match="does not support IterableDataset"):
        TensorDataset(np.arange(3)) + Count(2)


def test_random_split_and_subset_of_a_stream_fail_where_they_need_len_or_indexing():
    with pytest.raises(TypeError, match="object of type 'Count' has no len()"):
        random_split(Count(4), [2, 2])
    parts = random_split(CountWithLen(4, 4), [3, 1])  # a length is enough to split the indices...
    assert [type(p) for p in parts] == [Subset, Subset] and [len(p) for p in parts] == [3, 1]
    with pytest.raises(NotImplementedError):
        parts[0][0]  # ...but no sample can be looked up
    subset = Subset(Count(4), [0, 1])
    assert len(subset) == 2
    with pytest.raises(NotImplementedError):
        subset[0]
    with pytest.raises(NotImplementedError):
        list(DataLoader(subset))  # a Subset is map-style: the loader indexes it


def test_get_worker_info_is_none_even_with_num_workers():
    seen = []

    class Sharded(IterableDataset):
        """PyTorch's pattern: each worker reads its share; in the main process, all of it."""

        def __iter__(self):
            info = get_worker_info()
            seen.append(info)
            if info is None:
                return iter(range(3, 7))
            return iter(range(3 + info.id, 7, info.num_workers))  # pragma: no cover

    assert get_worker_info() is None
    loader = DataLoader(Sharded(), num_workers=2)
    assert values(list(loader)) == [[3], [4], [5], [6]] and seen == [None]


def test_pytorchs_import_path_has_the_iterable_names():
    import tinygrad_edu.utils.data as utils_data

    for name in ("IterableDataset", "ChainDataset", "get_worker_info"):
        assert name in tg.data.__all__ and getattr(utils_data, name) is getattr(tg.data, name)
    assert tg.data.__all__ == sorted(tg.data.__all__)
    assert all(hasattr(tg.data, name) for name in tg.data.__all__)


# --- DataLoader over a stream ----------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 12), batch_size=st.integers(1, 5), drop_last=st.booleans())
def test_loader_takes_batches_in_order_from_the_stream(n, batch_size, drop_last):
    batches = list(DataLoader(Count(n), batch_size=batch_size, drop_last=drop_last))
    full, rest = divmod(n, batch_size)
    starts = range(0, n - (rest if drop_last else 0), batch_size)
    assert values(batches) == [list(range(s, min(s + batch_size, n))) for s in starts]
    assert len(batches) == full + (rest > 0 and not drop_last)
    assert all(isinstance(b, tg.Tensor) and b.dtype == np.int64 for b in batches)


def test_loader_collates_structured_samples_and_numpy_arrays():
    class Pairs(IterableDataset):
        def __iter__(self):
            return ({"x": np.full(2, i, dtype=np.float32), "y": i} for i in range(3))

    first, last = DataLoader(Pairs(), batch_size=2)
    assert first["x"].dtype == np.float32 and first["x"].numpy().tolist() == [[0, 0], [1, 1]]
    assert first["y"].numpy().tolist() == [0, 1] and last["y"].numpy().tolist() == [2]
    assert last["x"].shape == (1, 2)


def test_batch_size_none_yields_samples_converted_one_by_one():
    class Arrays(IterableDataset):
        def __iter__(self):
            return iter([(np.arange(2.0), 7), (np.arange(2.0) + 1, 8)])

    samples = list(DataLoader(Arrays(), batch_size=None))
    assert [type(s) for s in samples] == [list, list]  # default_convert makes tuples lists
    assert isinstance(samples[0][0], tg.Tensor) and samples[0][0].shape == (2,)
    assert samples[1][0].numpy().tolist() == [1.0, 2.0] and samples[1][1] == 8 and type(samples[1][1]) is int
    assert list(DataLoader(Count(3), batch_size=None)) == [0, 1, 2]  # ints are not made Tensors


def test_collate_fn_gets_lists_of_samples_or_single_samples():
    assert list(DataLoader(Count(5), batch_size=2, collate_fn=tuple)) == [(0, 1), (2, 3), (4,)]
    assert list(DataLoader(Count(3), batch_size=None, collate_fn=lambda s: -s)) == [0, -1, -2]


def test_each_iter_of_the_loader_calls_iter_of_the_dataset_at_once():
    ds = Count(4)
    loader = DataLoader(ds, batch_size=3)
    first = iter(loader)
    assert ds.iter_calls == 1  # at iter(loader), not at the first next()
    assert values(list(first)) == [[0, 1, 2], [3]]
    assert values(list(loader)) == [[0, 1, 2], [3]] and ds.iter_calls == 2


class Once(IterableDataset):
    """An iterator (not a generator) counting its next() calls, with one more sample after its end."""

    def __init__(self, n: int) -> None:
        self.n, self.calls = n, 0

    def __iter__(self):
        return self

    def __next__(self) -> int:
        self.calls += 1
        if self.calls == self.n + 1 or self.calls > self.n + 2:
            raise StopIteration
        return self.calls


def test_an_ended_stream_is_not_asked_again_when_batching():
    ds = Once(3)
    batches = iter(DataLoader(ds, batch_size=2))
    assert values(list(batches)) == [[1, 2], [3]] and ds.calls == 4
    with pytest.raises(StopIteration):
        next(batches)
    assert ds.calls == 4
    ds = Once(4)
    assert values(list(DataLoader(ds, batch_size=2, drop_last=True))) == [[1, 2], [3, 4]] and ds.calls == 5


def test_without_batching_each_next_asks_the_stream_as_pytorch_does():
    ds = Once(1)
    samples = iter(DataLoader(ds, batch_size=None))
    assert list(samples) == [1] and ds.calls == 2
    assert next(samples) == 3  # the iterator went on after its StopIteration, and so does the loader


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"shuffle": True}, "expected unspecified shuffle option, but got shuffle=True"),
        ({"shuffle": 1}, "expected unspecified shuffle option, but got shuffle=1"),
        ({"shuffle": True, "sampler": [0]}, "expected unspecified shuffle option, but got shuffle=True"),
        ({"sampler": [0, 1]}, "expected unspecified sampler option, but got sampler=[0, 1]"),
        ({"batch_sampler": [[0]]}, "expected unspecified batch_sampler option, but got batch_sampler=[[0]]"),
    ],
)
def test_options_that_need_indices_are_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        DataLoader(Count(3), **kwargs)
    assert str(info.value) == "DataLoader with IterableDataset: " + message


def test_other_option_errors_are_the_map_style_ones():
    with pytest.raises(ValueError, match="mutually exclusive with drop_last"):
        DataLoader(Count(3), batch_size=None, drop_last=True)
    with pytest.raises(ValueError, match="batch_size should be a positive integer value"):
        DataLoader(Count(3), batch_size=0)
    for shuffle in (False, None, 0):  # "unspecified"
        assert values(list(DataLoader(Count(2), shuffle=shuffle))) == [[0], [1]]


def test_loader_fields_over_a_stream_and_they_stay_fixed():
    loader = DataLoader(Count(3), batch_size=2, drop_last=True)
    assert isinstance(loader.batch_sampler, BatchSampler) and loader.batch_sampler.sampler is loader.sampler
    assert loader.batch_size == 2 and loader.drop_last and not loader.shuffle
    with pytest.raises(TypeError, match="has no len"):
        len(loader.sampler)  # an endless placeholder: a stream has no indices
    assert DataLoader(Count(3), batch_size=None).batch_sampler is None
    for name, value in (("batch_size", 3), ("sampler", None), ("dataset", Count(1)), ("drop_last", False)):
        with pytest.raises(ValueError, match=f"^{name} attribute should not be set after DataLoader is"):
            setattr(loader, name, value)
    assert values(list(loader)) == [[0, 1]]


@pytest.mark.parametrize(
    ("batch_size", "drop_last", "expected"), [(2, False, 4), (2, True, 3), (3, False, 3), (None, False, 7)]
)
def test_len_of_a_loader_is_counted_from_the_datasets_len(batch_size, drop_last, expected):
    loader = DataLoader(CountWithLen(0, 7), batch_size=batch_size, drop_last=drop_last)
    assert len(loader) == expected
    assert expected == (
        7 if batch_size is None else (7 // batch_size if drop_last else math.ceil(7 / batch_size))
    )
    with pytest.raises(TypeError, match="has no len"):
        len(iter(loader))  # the iterator's len is its sampler's, as in PyTorch: a stream has none


def test_len_of_a_loader_over_a_stream_without_len_is_a_type_error():
    with pytest.raises(TypeError, match="object of type 'Count' has no len()"):
        len(DataLoader(Count(3)))


def fetch_with_warnings(
    loader: DataLoader, read_len_first: bool
) -> tuple[list, list[warnings.WarningMessage]]:
    if read_len_first:
        len(loader)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        batches = list(loader)
    return batches, caught


def test_loader_warns_when_the_stream_runs_past_the_len_it_reported():
    ds = CountWithLen(5, 3)
    batches, caught = fetch_with_warnings(DataLoader(ds, batch_size=None), read_len_first=True)
    assert batches == [0, 1, 2, 3, 4]  # every sample still comes
    assert [str(w.message) for w in caught] == [
        f"Length of IterableDataset {ds} was reported to be 3(when accessing len(dataloader)), "
        f"but {k} samples have been fetched. "
        for k in (4, 5)
    ]
    assert all(w.category is UserWarning and w.filename == __file__ for w in caught)  # the user's line


def test_the_length_check_counts_batches_and_needs_len_read_before_the_epoch():
    _, caught = fetch_with_warnings(DataLoader(CountWithLen(9, 3), batch_size=2), read_len_first=True)
    assert [str(w.message).split("but ")[1] for w in caught] == [  # batches 4 and 5 of 5
        "4 samples have been fetched. ",
        "5 samples have been fetched. ",
    ]
    _, caught = fetch_with_warnings(DataLoader(CountWithLen(6, 3), batch_size=2), read_len_first=True)
    assert caught == []  # 3 batches against 3 samples: PyTorch's rule does not see it
    _, caught = fetch_with_warnings(DataLoader(CountWithLen(5, 3), batch_size=None), read_len_first=False)
    assert caught == []  # len(loader) was never read
    loader = DataLoader(CountWithLen(5, 3), batch_size=None)
    epoch = iter(loader)
    len(loader)  # read after this epoch began: it counts from the next one
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert list(epoch) == [0, 1, 2, 3, 4] and caught == []
        assert list(loader) == [0, 1, 2, 3, 4] and len(caught) == 2


def test_a_generator_of_synthetic_samples_trains_a_linear_model():
    """The teaching example: samples made on the fly, streamed in batches through a DataLoader."""

    class Noisy(IterableDataset):
        def __init__(self, n: int, seed: int) -> None:
            self.n, self.seed = n, seed

        def __iter__(self):
            rng = np.random.default_rng(self.seed)  # the same stream every epoch
            for _ in range(self.n):
                x = rng.normal(size=2).astype(np.float32)
                yield x, np.float32(x @ np.array([2.0, -1.0]) + 0.5)

    tg.manual_seed(0)
    model = tg.nn.Linear(2, 1)
    optimizer = tg.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        for x, y in DataLoader(Noisy(256, seed=1), batch_size=32):
            loss = tg.nn.functional.mse_loss(model(x).squeeze(-1), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    np.testing.assert_allclose(model.weight.detach().numpy(), [[2.0, -1.0]], atol=0.05)
    np.testing.assert_allclose(model.bias.detach().numpy(), [0.5], atol=0.05)


# --- against PyTorch ---------------------------------------------------------------


def torch_twin(tdata, dataset: Count):
    """The same stream as a torch IterableDataset (with the same __len__, if any)."""
    members = {"__iter__": lambda self: iter(range(dataset.n))}
    if isinstance(dataset, CountWithLen):
        members["__len__"] = lambda self: dataset.length
    return type(type(dataset).__name__, (tdata.IterableDataset,), members)()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"batch_size": 3},
        {"batch_size": 3, "drop_last": True},
        {"batch_size": None},
        {"batch_size": 4, "num_workers": 0, "collate_fn": list},
        {"shuffle": True},
        {"shuffle": "no"},
        {"sampler": [0]},
        {"batch_sampler": [[0]]},
        {"batch_size": None, "drop_last": True},
        {"batch_size": -1},
    ],
)
@pytest.mark.parametrize(
    "dataset", [Count(7), CountWithLen(7, 4), CountWithLen(7, 7)], ids=["no len", "short", "len"]
)
def test_loader_over_a_stream_matches_torch(kwargs, dataset):
    torch = pytest.importorskip("torch")
    tdata = torch.utils.data

    def run(make_loader):
        try:
            loader = make_loader()
        except Exception as error:
            return type(error), str(error).replace("torch.", "")
        try:
            length = len(loader)
        except TypeError as error:
            length = str(error)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            batches = [b.tolist() if hasattr(b, "tolist") else b for b in loader]
        return length, batches, [str(w.message).split("but ")[-1] for w in caught]

    ours = run(lambda: DataLoader(dataset, **kwargs))
    theirs = run(lambda: tdata.DataLoader(torch_twin(tdata, dataset), **kwargs))
    assert ours == theirs


def test_datasets_match_torch():
    torch = pytest.importorskip("torch")
    tdata = torch.utils.data
    ours, theirs = Count(3) + CountWithLen(2, 2), torch_twin(tdata, Count(3)) + torch_twin(tdata, Count(2))
    assert type(theirs).__name__ == type(ours).__name__ and list(ours) == list(theirs)
    for make in (lambda lib, ds: lib.ConcatDataset([ds]), lambda lib, ds: lib.random_split(ds, [1, 2])):
        with pytest.raises(Exception) as mine:
            make(tg.data, Count(3))
        with pytest.raises(Exception) as torchs:
            make(tdata, torch_twin(tdata, Count(3)))
        assert type(mine.value) is type(torchs.value) and str(mine.value) == str(torchs.value)
    assert tdata.get_worker_info() is get_worker_info() is None
    assert set(tg.data.__all__) <= set(tdata.__all__) | {"load_digits"}


@pytest.mark.parametrize(
    "kwargs", [{"batch_size": 2}, {"batch_size": 2, "drop_last": True}, {"batch_size": None}]
)
def test_an_ended_stream_is_asked_again_only_where_torch_asks_again(kwargs):
    torch = pytest.importorskip("torch")

    def run(loader_class, dataset_class):
        ds = type(
            "Once", (dataset_class,), {k: Once.__dict__[k] for k in ("__init__", "__iter__", "__next__")}
        )(3)
        batches = iter(loader_class(ds, **kwargs))
        first = [b.tolist() if hasattr(b, "tolist") else b for b in batches]
        return first, [b.tolist() if hasattr(b, "tolist") else b for b in batches], ds.calls

    ours = run(DataLoader, IterableDataset)
    assert ours == run(torch.utils.data.DataLoader, torch.utils.data.IterableDataset)
