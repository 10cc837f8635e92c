"""Tests for tinygrad_edu.data: datasets, samplers, DataLoader, random_split, load_digits."""

from __future__ import annotations

import inspect
import itertools
import math
from collections import Counter, OrderedDict, defaultdict, namedtuple
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.data import (
    BatchSampler,
    ConcatDataset,
    DataLoader,
    Dataset,
    RandomSampler,
    Sampler,
    SequentialSampler,
    Subset,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
    default_convert,
    load_digits,
    random_split,
)


def make_dataset(n: int = 10) -> TensorDataset:
    """Row i of x is [i, i + 0.5, i + 0.25]; label i is i, so each sample names itself."""
    x = np.arange(n, dtype=np.float32)[:, None] + np.array([0.0, 0.5, 0.25], dtype=np.float32)
    y = np.arange(n, dtype=np.int64)
    return TensorDataset(tg.Tensor(x), tg.Tensor(y))


def epoch_labels(loader: DataLoader) -> np.ndarray:
    """The labels of one epoch, in the order the loader yielded them."""
    return np.concatenate([y.numpy() for _, y in loader]) if len(loader) else np.array([])


class SquaresDataset(Dataset):
    """A generic (non-tensor) data set: sample i is (vector [i, i*i], label i)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __getitem__(self, index: int) -> tuple[np.ndarray, int]:
        return np.array([index, index * index], dtype=np.float64), index

    def __len__(self) -> int:
        return self.n


# --- batches ---------------------------------------------------------------


def test_batches_are_lists_of_tensors_with_shapes_dtypes_and_values():
    ds = make_dataset(10)
    batches = list(DataLoader(ds, batch_size=4))
    assert all(type(b) is list and len(b) == 2 for b in batches)  # PyTorch's type, not a tuple
    assert [tuple(b[0].shape) for b in batches] == [(4, 3), (4, 3), (2, 3)]
    assert [tuple(b[1].shape) for b in batches] == [(4,), (4,), (2,)]
    for x, y in batches:
        assert isinstance(x, tg.Tensor) and isinstance(y, tg.Tensor)
        assert x.dtype == np.float32 and y.dtype == np.int64
    x_all = np.concatenate([b[0].numpy() for b in batches])
    np.testing.assert_array_equal(x_all, ds.tensors[0].numpy())
    np.testing.assert_array_equal(epoch_labels(DataLoader(ds, batch_size=4)), np.arange(10))


def test_pytorchs_import_path_torch_utils_data_works_with_the_name_changed():
    import tinygrad_edu.utils.data as utils_data
    from tinygrad_edu.utils.data import DataLoader as Loader

    assert Loader is DataLoader and utils_data is tg.data and tg.utils.data is tg.data


def test_tensor_dataset_getitem_and_len():
    ds = make_dataset(6)
    x, y = ds[4]
    assert len(ds) == 6
    np.testing.assert_array_equal(x.numpy(), ds.tensors[0].numpy()[4])
    assert y.numpy() == 4 and y.shape == ()


def test_tensor_dataset_accepts_numpy_arrays_and_keeps_dtype():
    ds = TensorDataset(np.zeros((3, 2), dtype=np.float64), np.arange(3))
    x, y = next(iter(DataLoader(ds, batch_size=3)))
    assert x.dtype == np.float64 and y.dtype == np.arange(3).dtype
    (value,) = TensorDataset(np.arange(3.0))[1]  # a single float64 sample stays float64
    assert value.dtype == np.float64 and value.shape == () and value.numpy() == 1.0


def test_tensor_dataset_size_mismatch_names_sizes():
    with pytest.raises(AssertionError, match=r"Size mismatch.*5.*4"):
        TensorDataset(tg.Tensor(np.zeros((5, 2))), tg.Tensor(np.zeros(4)))


def test_tensor_dataset_rejects_no_tensors_and_0d():
    empty = TensorDataset()  # (allowed, as in PyTorch, which refuses its length)
    with pytest.raises(IndexError):
        len(empty)
    with pytest.raises(IndexError, match="0-d tensor"):
        TensorDataset(tg.Tensor(np.float32(1.0)))


def test_tensor_dataset_samples_are_views_in_the_graph_as_in_pytorch():
    x = tg.zeros(4, 2, requires_grad=True)
    ds = TensorDataset(x, tg.arange(4))
    row, label = ds[1]
    assert row.requires_grad and label.item() == 1 and label.shape == ()
    with tg.no_grad():
        x.add_(1)
    assert row.tolist() == [1.0, 1.0]  # (a view of x's memory)
    (xb,) = next(iter(DataLoader(TensorDataset(x), batch_size=3)))
    (xb * tg.tensor([[1.0], [2.0], [3.0]])).sum().backward()  # the batch keeps its graph
    assert x.grad.tolist() == [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [0.0, 0.0]]


def test_default_collate_stacks_as_pytorch_promoting_and_keeping_the_graph():
    a = tg.ones(2, requires_grad=True)
    batch = default_collate([a, a * 2])
    assert batch.shape == (2, 2) and batch.requires_grad
    batch.sum().backward()
    assert a.grad.tolist() == [3.0, 3.0]
    assert (
        default_collate([tg.tensor([1, 2]), tg.tensor([1.0, 2.0])]).dtype == tg.float32
    )  # (tg.stack's rule)
    assert default_collate([np.ones(2, np.float32), np.ones(2, np.int64)]).dtype == tg.float32
    ordered = default_collate([OrderedDict(a=1, b=2.0), OrderedDict(a=3, b=4.0)])
    assert type(ordered) is OrderedDict and ordered["a"].tolist() == [1, 3]
    counts = default_collate([defaultdict(int, a=1)])
    assert type(counts) is defaultdict and counts["a"].tolist() == [1]
    with pytest.raises(TypeError, match="expected Tensor as element 1"):
        default_collate([tg.ones(2), np.ones(2)])
    with pytest.raises(TypeError, match="not Tensor"):
        default_collate(tg.ones(2))
    assert (
        default_collate(batch=[1, 2]).tolist() == [1, 2]
        and default_convert(data=np.ones(1)).dtype == tg.float64
    )


def test_tensor_dataset_batches_without_per_sample_calls():
    ds = make_dataset(20)
    # A per-sample __getitem__ call would raise; the loader must gather whole batches.
    with mock.patch.object(TensorDataset, "__getitem__", side_effect=AssertionError):
        labels = epoch_labels(DataLoader(ds, batch_size=8, shuffle=True, seed=0))
    assert sorted(labels.tolist()) == list(range(20))


def test_subclass_overriding_getitem_is_honoured():
    class Doubled(TensorDataset):
        def __getitem__(self, index):
            x, y = super().__getitem__(index)
            return tg.Tensor(x.numpy() * 2), y

    ds = Doubled(tg.Tensor(np.arange(5, dtype=np.float64)), tg.Tensor(np.arange(5)))
    x, _ = next(iter(DataLoader(ds, batch_size=5)))
    np.testing.assert_array_equal(x.numpy(), 2 * np.arange(5))


def test_generic_dataset_is_collated_per_sample():
    batches = list(DataLoader(SquaresDataset(7), batch_size=3))
    assert len(batches) == 3
    x, y = batches[1]
    assert type(batches[1]) is list
    assert x.shape == (3, 2) and x.dtype == np.float64
    assert y.dtype == np.int64  # Python ints become int64, as in PyTorch
    np.testing.assert_array_equal(y.numpy(), [3, 4, 5])
    np.testing.assert_array_equal(x.numpy()[:, 1], [9, 16, 25])


def test_collate_fn_makes_each_batch_and_pytorchs_loader_arguments_are_taken():
    seen = []

    def collate(samples):
        seen.append(len(samples))
        return samples  # the list of (x, y) pairs, as given

    loader = DataLoader(make_dataset(5), batch_size=2, num_workers=4, collate_fn=collate, pin_memory=True)
    batches = list(loader)
    assert seen == [2, 2, 1] and type(batches[0]) is list and len(batches[0][0]) == 2
    assert batches[0][0][0].shape == (3,)  # one sample's x, not stacked
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(make_dataset(5), num_workers=-1)


def test_default_collate_dicts_floats_and_ragged():
    batch = default_collate([{"a": 1.5, "b": "s"}, {"a": 2.5, "b": "t"}])
    assert batch["a"].dtype == np.float64 and batch["a"].numpy().tolist() == [1.5, 2.5]
    assert batch["b"] == ["s", "t"]
    with pytest.raises(RuntimeError):
        default_collate([(1, 2), (3,)])


def test_default_collate_of_python_numbers_infers_the_dtype_as_pytorch():
    mixed = default_collate([1, 2.5])  # an int first: a float among them makes a float batch
    assert mixed.dtype == np.float32 and mixed.tolist() == [1.0, 2.5]
    assert default_collate([True, 2]).dtype == np.int64 and default_collate([True, False]).dtype == np.bool_
    assert default_collate([1.0, 2]).dtype == np.float64
    for odd in ([1, "a"], [1.0, None]):
        with pytest.raises(TypeError):
            default_collate(odd)


def test_subset_of_tensor_dataset_through_loader():
    ds = make_dataset(12)
    subset = Subset(ds, [11, 2, 5, 7])
    assert len(subset) == 4
    assert subset[0][1].numpy() == 11
    np.testing.assert_array_equal(epoch_labels(DataLoader(subset, batch_size=3)), [11, 2, 5, 7])


# --- len and drop_last -----------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 40), batch_size=st.integers(1, 12), drop_last=st.booleans())
def test_len_matches_batches_and_drop_last(n, batch_size, drop_last):
    loader = DataLoader(make_dataset(n), batch_size=batch_size, drop_last=drop_last)
    sizes = [x.shape[0] for x, _ in loader]
    assert len(loader) == len(sizes)
    assert all(s == batch_size for s in sizes[:-1])
    if drop_last:
        assert sizes == [batch_size] * (n // batch_size)
    else:
        assert sum(sizes) == n
        assert len(loader) == math.ceil(n / batch_size)


def test_drop_last_with_shuffle_drops_only_the_tail():
    loader = DataLoader(make_dataset(10), batch_size=3, shuffle=True, drop_last=True, seed=4)
    labels = epoch_labels(loader)
    assert len(loader) == 3 and len(labels) == 9
    assert len(set(labels.tolist())) == 9


@pytest.mark.parametrize("bad", [0, -2, 2.0, True])
def test_batch_size_must_be_a_positive_int(bad):
    with pytest.raises(ValueError, match="positive integer value, but got batch_size="):
        DataLoader(make_dataset(3), batch_size=bad)


# --- batch_size=None: no batching -------------------------------------------


def test_batch_size_none_yields_each_sample_converted_not_collated():
    ds = make_dataset(5)
    loader = DataLoader(ds, batch_size=None)
    samples = list(loader)
    assert len(loader) == len(samples) == 5 and loader.batch_size is None
    for i, sample in enumerate(samples):
        assert type(sample) is list and len(sample) == 2  # the tuple made a list, as in PyTorch
        x, y = sample
        assert x.shape == (3,) and x.dtype == np.float32 and y.shape == () and y.item() == i
        np.testing.assert_array_equal(x.numpy(), ds.tensors[0].numpy()[i])
    # shuffled: the permutation a batch_size=1 loader draws from the same seed
    shuffled = [y.item() for _, y in DataLoader(ds, batch_size=None, shuffle=True, seed=3)]
    assert shuffled == epoch_labels(DataLoader(ds, batch_size=1, shuffle=True, seed=3)).tolist()
    assert sorted(shuffled) == list(range(5)) and shuffled != list(range(5))


def test_batch_size_none_on_a_plain_list_and_with_collate_fn():
    data = [3, 2.5, np.float32(1.5), np.arange(3), (np.int64(4), "a"), {"k": np.ones(2)}, "s", None]
    out = list(DataLoader(data, batch_size=None))
    assert out[:2] == [3, 2.5] and out[6:] == ["s", None]  # Python values stay as they are
    assert isinstance(out[2], tg.Tensor) and out[2].dtype == np.float32 and out[2].shape == ()
    assert isinstance(out[3], tg.Tensor) and out[3].tolist() == [0, 1, 2]
    assert type(out[4]) is list and out[4][0].dtype == np.int64 and out[4][1] == "a"
    assert isinstance(out[5]["k"], tg.Tensor) and out[5]["k"].dtype == np.float64
    # a collate_fn is given one sample at a time
    seen = list(DataLoader(make_dataset(3), batch_size=None, collate_fn=lambda sample: sample))
    assert type(seen[0]) is tuple and seen[0][0].shape == (3,)
    with pytest.raises(ValueError, match="^batch_size=None option disables auto-batching and is mutually"):
        DataLoader(data, batch_size=None, drop_last=True)


def test_default_convert_keeps_named_tuples_and_string_arrays():
    Pair = namedtuple("Pair", "a b")
    pair = default_convert(Pair(np.float64(1.0), 2))
    assert type(pair) is Pair and isinstance(pair.a, tg.Tensor) and pair.b == 2
    strings = np.array(["x", "y"])
    assert default_convert(strings) is strings  # no Tensor holds strings
    t = tg.ones(2)
    assert default_convert(t) is t


def test_batch_size_none_matches_torch():
    torch = pytest.importorskip("torch")
    tdata = pytest.importorskip("torch.utils.data")
    x, y = np.arange(12, dtype=np.float32).reshape(4, 3), np.arange(4)
    plain = [np.arange(2.0), (np.int32(5), 1.5, "a"), {"k": np.float32(2)}, 7]

    def structure(value):
        if isinstance(value, (tg.Tensor, torch.Tensor)):
            return ("tensor", np.asarray(value.numpy()).tolist(), str(value.numpy().dtype))
        if isinstance(value, dict):
            return {k: structure(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return (type(value).__name__, [structure(v) for v in value])
        return value

    ours = DataLoader(TensorDataset(x, y), batch_size=None)
    theirs = tdata.DataLoader(tdata.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=None)
    assert len(ours) == len(theirs) == 4
    assert [structure(s) for s in ours] == [structure(s) for s in theirs]
    ours, theirs = DataLoader(plain, batch_size=None), tdata.DataLoader(plain, batch_size=None)
    assert len(ours) == len(theirs) and [structure(s) for s in ours] == [structure(s) for s in theirs]


# --- shuffling -------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 3, 7, 50])
def test_every_sample_exactly_once_per_epoch(batch_size):
    loader = DataLoader(make_dataset(23), batch_size=batch_size, shuffle=True, seed=1)
    for _ in range(3):
        assert sorted(epoch_labels(loader).tolist()) == list(range(23))


def test_shuffle_changes_order_and_each_epoch_differs():
    loader = DataLoader(make_dataset(40), batch_size=8, shuffle=True, seed=0)
    first, second = epoch_labels(loader), epoch_labels(loader)
    assert not np.array_equal(first, np.arange(40))
    assert not np.array_equal(first, second)


def test_no_shuffle_keeps_order_every_epoch():
    loader = DataLoader(make_dataset(9), batch_size=4)
    assert epoch_labels(loader).tolist() == list(range(9)) == epoch_labels(loader).tolist()


def test_seed_makes_shuffling_reproducible():
    def two_epochs(seed):
        loader = DataLoader(make_dataset(30), batch_size=4, shuffle=True, seed=seed)
        return [epoch_labels(loader).tolist() for _ in range(2)]

    assert two_epochs(7) == two_epochs(7)
    assert two_epochs(7) != two_epochs(8)


def test_generator_makes_shuffling_reproducible():
    def one_epoch(seed):
        rng = np.random.default_rng(seed)
        return epoch_labels(DataLoader(make_dataset(30), batch_size=5, shuffle=True, generator=rng))

    np.testing.assert_array_equal(one_epoch(3), one_epoch(3))
    assert not np.array_equal(one_epoch(3), one_epoch(4))


def test_manual_seed_makes_default_shuffling_reproducible():
    def two_epochs(seed):
        tg.manual_seed(seed)
        loader = DataLoader(make_dataset(30), batch_size=4, shuffle=True)
        return [epoch_labels(loader).tolist() for _ in range(2)]

    runs = [two_epochs(11), two_epochs(11), two_epochs(12)]
    assert runs[0] == runs[1]
    assert runs[0][0] != runs[0][1]  # a new permutation per epoch
    assert runs[0] != runs[2]


def test_generator_and_seed_are_exclusive_and_checked():
    with pytest.raises(ValueError):
        DataLoader(make_dataset(3), shuffle=True, seed=1, generator=np.random.default_rng(1))
    with pytest.raises(TypeError):
        DataLoader(make_dataset(3), shuffle=True, generator=np.random.RandomState(1))


def test_seeded_shuffling_draws_one_permutation_per_epoch():
    # Pins the batches of a seeded loader: epoch k is the k-th permutation the seed's stream draws.
    loader = DataLoader(make_dataset(23), batch_size=5, shuffle=True, seed=7)
    rng = np.random.default_rng(7)
    for _ in range(3):
        assert epoch_labels(loader).tolist() == rng.permutation(23).tolist()
    # iter() draws the epoch, not the first next(): the first iterator made has the first permutation
    for batch_size in [5, None]:
        loader = DataLoader(make_dataset(23), batch_size=batch_size, shuffle=True, seed=7)
        first, second = iter(loader), iter(loader)
        list(second)
        labels = [np.atleast_1d(y.numpy()) for _, y in first]
        assert np.concatenate(labels).tolist() == np.random.default_rng(7).permutation(23).tolist()
    tg.manual_seed(5)
    default = DataLoader(make_dataset(23), batch_size=4, shuffle=True)
    assert epoch_labels(default).tolist() == tg.Generator().manual_seed(5).permutation(23).tolist()


# --- samplers --------------------------------------------------------------


def test_sequential_sampler_yields_python_ints_in_order():
    sampler = SequentialSampler(make_dataset(6))
    assert list(sampler) == list(range(6)) and len(sampler) == 6
    assert all(type(i) is int for i in sampler)


def test_random_sampler_permutes_each_epoch_anew():
    sampler = RandomSampler(range(30), generator=np.random.default_rng(0))
    first, second = list(sampler), list(sampler)
    assert sorted(first) == sorted(second) == list(range(30)) and len(sampler) == 30
    assert first != second and first != list(range(30))
    assert all(type(i) is int for i in first)


def test_random_sampler_is_reproducible_from_its_generator_or_the_global_seed():
    def epochs(**kwargs):
        sampler = RandomSampler(range(20), **kwargs)
        return [list(sampler) for _ in range(2)]

    assert epochs(generator=tg.Generator().manual_seed(3)) == epochs(generator=tg.Generator().manual_seed(3))
    assert epochs(generator=tg.Generator().manual_seed(3)) != epochs(generator=tg.Generator().manual_seed(4))
    tg.manual_seed(8)
    first = epochs()
    tg.manual_seed(8)
    assert epochs() == first


@pytest.mark.parametrize("num_samples", [3, 10, 25])
def test_random_sampler_num_samples_without_replacement_chains_permutations(num_samples):
    drawn = list(RandomSampler(range(10), num_samples=num_samples, generator=np.random.default_rng(1)))
    assert len(drawn) == num_samples
    for start in range(0, num_samples, 10):  # every run of 10 is part of one permutation
        block = drawn[start : start + 10]
        assert len(set(block)) == len(block)
    assert max(Counter(drawn).values()) == math.ceil(num_samples / 10)


def test_random_sampler_with_replacement_repeats_indices():
    sampler = RandomSampler(range(5), replacement=True, num_samples=200, generator=np.random.default_rng(2))
    drawn = list(sampler)
    assert len(sampler) == len(drawn) == 200
    assert set(drawn) == set(range(5))  # all show up, so many repeat...
    assert len(set(Counter(drawn).values())) > 1  # ...and not 40 times each, as 40 permutations would
    assert len(list(RandomSampler(range(5), replacement=True, generator=np.random.default_rng(2)))) == 5


def test_random_sampler_follows_a_growing_data_source():
    data = list(range(4))
    sampler = RandomSampler(data)
    data.extend([4, 5])
    assert len(sampler) == 6 and sorted(sampler) == list(range(6))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"replacement": 1}, TypeError, "^replacement should be a boolean value, but got replacement=1$"),
        (
            {"num_samples": 0},
            ValueError,
            "^num_samples should be a positive integer value, but got num_samples=0$",
        ),
        ({"num_samples": 2.5}, ValueError, "num_samples=2.5$"),
        ({"generator": np.random.RandomState(0)}, TypeError, "generator must be a tg.Generator"),
    ],
)
def test_random_sampler_checks_its_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        RandomSampler(range(3), **kwargs)


def test_random_sampler_on_an_empty_data_set_raises_as_in_pytorch():
    with pytest.raises(ValueError, match="num_samples=0$"):
        RandomSampler([])
    with pytest.raises(ValueError, match="num_samples=0$"):
        DataLoader(make_dataset(0), shuffle=True)


def test_subset_random_sampler_shuffles_exactly_the_given_indices():
    indices = [7, 2, 9, 4, 11, 0]
    sampler = SubsetRandomSampler(indices, generator=np.random.default_rng(0))
    epochs = [list(sampler) for _ in range(4)]
    assert all(sorted(e) == sorted(indices) for e in epochs) and len(sampler) == 6
    assert len({tuple(e) for e in epochs}) > 1  # a new order per epoch
    loader = DataLoader(make_dataset(12), batch_size=4, sampler=SubsetRandomSampler(indices))
    assert sorted(epoch_labels(loader).tolist()) == sorted(indices) and len(loader) == 2


def test_weighted_random_sampler_draws_in_proportion_to_the_weights():
    sampler = WeightedRandomSampler([1.0, 0.0, 3.0, 4.0], 8000, generator=np.random.default_rng(0))
    counts = np.bincount(list(sampler), minlength=4) / 8000
    assert len(sampler) == 8000 and counts[1] == 0
    np.testing.assert_allclose(counts, [0.125, 0.0, 0.375, 0.5], atol=0.02)


def test_weighted_random_sampler_without_replacement():
    rng = np.random.default_rng(0)
    sampler = WeightedRandomSampler([0.0, 1.0, 0.0, 1000.0, 1.0], 5, replacement=False, generator=rng)
    epochs = [list(sampler) for _ in range(200)]
    assert all(sorted(e) == list(range(5)) for e in epochs)  # each index once
    assert all(e[3:] == [0, 2] for e in epochs)  # weight 0 only once the others are used up
    assert Counter(e[0] for e in epochs)[3] > 190  # the heavy index nearly always first
    assert len(list(WeightedRandomSampler([1.0, 2.0, 3.0], 2, replacement=False))) == 2


def test_weighted_random_sampler_balances_classes_through_a_loader():
    labels = np.array([0] * 90 + [1] * 10)
    weights = 1.0 / np.bincount(labels)[labels]  # one over the size of each sample's class
    sampler = WeightedRandomSampler(weights, num_samples=4000, generator=np.random.default_rng(0))
    loader = DataLoader(TensorDataset(np.zeros((100, 2)), labels), batch_size=100, sampler=sampler)
    drawn = np.concatenate([y.numpy() for _, y in loader])
    assert len(loader) == 40 and abs(drawn.mean() - 0.5) < 0.05


@pytest.mark.parametrize(
    "weights, num_samples, replacement, message",
    [
        ([0.0, 0.0], 1, True, r"sum of probabilities <= 0"),
        ([1.0, -1.0], 1, True, r"`inf`, `nan` or element < 0"),
        ([1.0, np.nan], 1, True, r"`inf`, `nan` or element < 0"),
        ([1.0, np.inf], 1, True, r"`inf`, `nan` or element < 0"),
        ([1.0, 2.0], 3, False, r"cannot sample n_sample > prob_dist.size\(-1\) samples without replacement"),
    ],
)
def test_weighted_random_sampler_checks_the_weights_when_drawing(weights, num_samples, replacement, message):
    sampler = WeightedRandomSampler(weights, num_samples, replacement=replacement)  # as PyTorch: no error yet
    with pytest.raises(RuntimeError, match=message):
        list(sampler)


@pytest.mark.parametrize(
    "args, message",
    [
        (([1.0, 2.0], 0), "^num_samples should be a positive integer value, but got num_samples=0$"),
        (([1.0, 2.0], True), "num_samples=True$"),
        (([1.0, 2.0], 2, 1), "^replacement should be a boolean value, but got replacement=1$"),
        (([[1.0, 2.0]], 2), r"^weights should be a 1d sequence but given weights have shape \(1, 2\)$"),
    ],
)
def test_weighted_random_sampler_checks_its_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        WeightedRandomSampler(*args)


def reference_batches(indices, batch_size, drop_last):
    batches = [indices[i : i + batch_size] for i in range(0, len(indices), batch_size)]
    return [b for b in batches if len(b) == batch_size] if drop_last else batches


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, 30), batch_size=st.integers(1, 8), drop_last=st.booleans(), own=st.booleans())
def test_batch_sampler_chunks_any_iterable(n, batch_size, drop_last, own):
    # own: a sampler of the library's (one array, sliced); else a plain iterable (taken lazily)
    sampler = SequentialSampler(range(n)) if own else range(n)
    batches = list(BatchSampler(sampler, batch_size, drop_last))
    assert batches == reference_batches(list(range(n)), batch_size, drop_last)
    assert len(BatchSampler(sampler, batch_size, drop_last)) == len(batches)
    assert all(type(b) is list and all(type(i) is int for i in b) for b in batches)


def test_batch_sampler_takes_an_iterator_lazily():
    batches = BatchSampler(itertools.count(), 3, drop_last=False)  # an endless sampler
    assert list(itertools.islice(batches, 2)) == [[0, 1, 2], [3, 4, 5]]


@pytest.mark.parametrize(
    "batch_size, drop_last, message",
    [
        (0, False, "^batch_size should be a positive integer value, but got batch_size=0$"),
        (True, False, "batch_size=True$"),
        (2, 1, "^drop_last should be a boolean value, but got drop_last=1$"),
    ],
)
def test_batch_sampler_checks_its_arguments(batch_size, drop_last, message):
    with pytest.raises(ValueError, match=message):
        BatchSampler(range(4), batch_size, drop_last)


def test_sampler_base_class_is_generic_and_has_no_length():
    class Evens(Sampler[int]):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(0, self.n, 2))

    assert list(Evens(7)) == [0, 2, 4, 6]
    assert not hasattr(Sampler, "__len__")
    with pytest.raises(NotImplementedError):
        iter(Sampler())
    loader = DataLoader(make_dataset(7), batch_size=3, sampler=Evens(7))
    assert [y.numpy().tolist() for _, y in loader] == [[0, 2, 4], [6]]
    with pytest.raises(TypeError):
        len(loader)  # Evens has no __len__


# --- DataLoader with samplers ----------------------------------------------


@pytest.mark.parametrize("dataset", [make_dataset(10), SquaresDataset(10)], ids=["tensors", "generic"])
def test_loader_follows_any_iterable_of_indices_as_sampler(dataset):
    order = [3, 1, 4, 1, 5, 9, 2]
    loader = DataLoader(dataset, batch_size=3, sampler=order)
    assert len(loader) == 3 and loader.sampler is order
    assert [b[1].numpy().tolist() for b in loader] == [[3, 1, 4], [1, 5, 9], [2]]
    dropped = DataLoader(dataset, batch_size=3, sampler=order, drop_last=True)
    assert len(dropped) == 2 and epoch_labels(dropped).tolist() == order[:6]
    single = DataLoader(dataset, batch_size=None, sampler=order)
    assert len(single) == 7 and [int(y) for _, y in single] == order


def test_loader_with_a_sampler_still_gathers_whole_batches():
    ds = make_dataset(20)
    sampler = RandomSampler(ds, generator=np.random.default_rng(0))
    with mock.patch.object(TensorDataset, "__getitem__", side_effect=AssertionError):
        batches = list(DataLoader(ds, batch_size=8, sampler=sampler))
        custom = list(DataLoader(ds, batch_size=8, sampler=[5, 2, 7]))
    assert sorted(np.concatenate([y.numpy() for _, y in batches]).tolist()) == list(range(20))
    assert custom[0][1].numpy().tolist() == [5, 2, 7]


def test_shuffle_is_a_random_sampler_with_the_loaders_generator():
    ds = make_dataset(17)
    shuffled = DataLoader(ds, batch_size=4, shuffle=True, seed=3)
    assert type(shuffled.sampler) is RandomSampler and type(shuffled.batch_sampler) is BatchSampler
    sampled = DataLoader(ds, batch_size=4, sampler=RandomSampler(ds, generator=np.random.default_rng(3)))
    for _ in range(2):
        assert epoch_labels(shuffled).tolist() == epoch_labels(sampled).tolist()
    plain = DataLoader(ds, batch_size=4)
    assert type(plain.sampler) is SequentialSampler and plain.batch_sampler.sampler is plain.sampler


def test_sampler_subclass_overriding_iter_is_honoured():
    class Reversed(SequentialSampler):
        def __iter__(self):
            return reversed(range(len(self.data_source)))

    loader = DataLoader(make_dataset(5), batch_size=2, sampler=Reversed(range(5)))
    assert epoch_labels(loader).tolist() == [4, 3, 2, 1, 0]

    class LastFirst(BatchSampler):  # a batch sampler's own order counts as much
        def __iter__(self):
            return reversed(list(super().__iter__()))

    loader = DataLoader(make_dataset(5), batch_sampler=LastFirst(SequentialSampler(range(5)), 2, False))
    assert [b[1].numpy().tolist() for b in loader] == [[4], [2, 3], [0, 1]]


def test_loader_with_a_batch_sampler_uses_its_batches():
    ds = make_dataset(10)
    batches = [[0, 9], [4, 5, 6], [2]]
    loader = DataLoader(ds, batch_sampler=batches)
    assert len(loader) == 3 and loader.batch_size is None and loader.drop_last is False
    assert [b[1].numpy().tolist() for b in loader] == batches
    assert [b[1].numpy().tolist() for b in DataLoader(SquaresDataset(10), batch_sampler=batches)] == batches
    chunked = DataLoader(ds, batch_sampler=BatchSampler(SubsetRandomSampler([1, 3, 5, 7, 8]), 2, True))
    labels = [b[1].numpy().tolist() for b in chunked]
    assert len(chunked) == len(labels) == 2 and all(len(b) == 2 for b in labels)
    assert set(sum(labels, [])) <= {1, 3, 5, 7, 8}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"sampler": [0, 1], "shuffle": True}, "^sampler option is mutually exclusive with shuffle$"),
        (
            {"batch_sampler": [[0]], "batch_size": 2},
            "^batch_sampler option is mutually exclusive with batch_size, ",
        ),
        ({"batch_sampler": [[0]], "batch_size": None}, "^batch_sampler option is mutually exclusive"),
        ({"batch_sampler": [[0]], "shuffle": True}, "^batch_sampler option is mutually exclusive"),
        ({"batch_sampler": [[0]], "sampler": [0]}, "^batch_sampler option is mutually exclusive"),
        ({"batch_sampler": [[0]], "drop_last": True}, "^batch_sampler option is mutually exclusive"),
    ],
)
def test_sampler_options_that_exclude_each_other(kwargs, message):
    with pytest.raises(ValueError, match=message):
        DataLoader(make_dataset(4), **kwargs)


def sampler_cases(library):
    """Loader arguments with samplers, built from ``library``: PyTorch's torch.utils.data or ours."""
    return [
        ("sequential", {"batch_size": 3, "sampler": library.SequentialSampler(range(10))}),
        ("list", {"batch_size": 4, "sampler": [9, 0, 8, 1, 7, 2]}),
        ("list_drop", {"batch_size": 4, "sampler": [9, 0, 8, 1, 7, 2], "drop_last": True}),
        ("no_batch", {"batch_size": None, "sampler": [3, 3, 1]}),
        ("batch_sampler", {"batch_sampler": library.BatchSampler(range(10), 4, False)}),
        ("batch_sampler_drop", {"batch_sampler": library.BatchSampler(range(10), 4, True)}),
        ("batch_lists", {"batch_sampler": [[1, 2], [0], [9, 8, 7]]}),
    ]


def test_sampled_batches_and_lengths_match_torch():
    torch = pytest.importorskip("torch")
    tdata = pytest.importorskip("torch.utils.data")
    x, y = np.arange(30, dtype=np.float32).reshape(10, 3), np.arange(10)
    our_ds, their_ds = TensorDataset(x, y), tdata.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    for (name, ours_kw), (_, theirs_kw) in zip(sampler_cases(tg.data), sampler_cases(tdata)):
        mine, theirs = DataLoader(our_ds, **ours_kw), tdata.DataLoader(their_ds, **theirs_kw)
        assert len(mine) == len(theirs), name
        assert (mine.batch_size, mine.drop_last) == (theirs.batch_size, theirs.drop_last), name
        got = [[t.numpy().tolist() for t in batch] for batch in mine]
        want = [[t.numpy().tolist() for t in batch] for batch in theirs]
        assert got == want, name


def test_samplers_match_torch():
    tdata = pytest.importorskip("torch.utils.data")
    for n, batch_size, drop_last in itertools.product([0, 1, 7, 12], [1, 3, 5], [False, True]):
        ours = BatchSampler(SequentialSampler(range(n)), batch_size, drop_last)
        theirs = tdata.BatchSampler(tdata.SequentialSampler(range(n)), batch_size, drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
    # Random draws differ; what they can hold, their number and their types agree.
    for make, can_hold, distinct in [
        (lambda lib: lib.RandomSampler(range(9)), range(9), True),
        (lambda lib: lib.RandomSampler(range(9), num_samples=20), range(9), False),
        (lambda lib: lib.RandomSampler(range(9), True, 4), range(9), False),
        (lambda lib: lib.SubsetRandomSampler([4, 8, 1]), [4, 8, 1], True),
        (lambda lib: lib.WeightedRandomSampler([1, 0, 2], 5), [0, 2], False),
        (lambda lib: lib.WeightedRandomSampler([1, 0, 2], 2, False), [0, 2], True),
    ]:
        ours, theirs = make(tg.data), make(tdata)
        drawn, their_drawn = list(ours), list(theirs)
        assert len(ours) == len(theirs) == len(drawn) == len(their_drawn)
        for indices in (drawn, their_drawn):
            assert all(type(i) is int for i in indices) and set(indices) <= set(can_hold)
            assert not distinct or len(set(indices)) == len(indices)


def test_sampler_errors_match_torch():
    tdata = pytest.importorskip("torch.utils.data")

    calls = [
        lambda lib: lib.RandomSampler([]),
        lambda lib: lib.RandomSampler(range(3), replacement="yes"),
        lambda lib: lib.WeightedRandomSampler([1.0, 2.0], -1),
        lambda lib: lib.WeightedRandomSampler(np.ones((2, 2)), 1),
        lambda lib: lib.BatchSampler(range(3), 0, False),
        lambda lib: lib.BatchSampler(range(3), 2, None),
        lambda lib: list(lib.WeightedRandomSampler([0.0, 0.0], 1)),
        lambda lib: list(lib.WeightedRandomSampler([1.0, 2.0], 3, replacement=False)),
        lambda lib: lib.DataLoader(list(range(4)), sampler=[0], shuffle=True),
        lambda lib: lib.DataLoader(list(range(4)), batch_sampler=[[0]], drop_last=True),
    ]
    for call in calls:
        with pytest.raises(Exception) as theirs:
            call(tdata)
        with pytest.raises(theirs.type) as mine:
            call(tg.data)
        assert str(mine.value) == str(theirs.value)


# --- random_split ----------------------------------------------------------


def assert_partition(subsets, n, sizes):
    assert [len(s) for s in subsets] == sizes
    indices = np.concatenate([s.indices for s in subsets])
    assert sorted(indices.tolist()) == list(range(n))


@pytest.mark.parametrize(
    ("n", "lengths", "sizes"),
    [
        (10, [7, 3], [7, 3]),
        (10, [0.7, 0.3], [7, 3]),
        (11, [0.5, 0.5], [6, 5]),
        (10, [1 / 3, 1 / 3, 1 / 3], [4, 3, 3]),
    ],
)
def test_random_split_sizes_and_disjointness(n, lengths, sizes):
    subsets = random_split(make_dataset(n), lengths, seed=0)
    assert all(isinstance(s, Subset) for s in subsets)
    assert_partition(subsets, n, sizes)


def test_random_split_subsets_read_the_right_samples():
    ds = make_dataset(8)
    for subset in random_split(ds, [5, 3], seed=2):
        for i in range(len(subset)):
            assert subset[i][1].numpy() == subset.indices[i]


def test_random_split_is_reproducible_and_random():
    def split(**kwargs):
        return [s.indices for s in random_split(make_dataset(50), [25, 25], **kwargs)]

    assert split(seed=5) == split(seed=5)
    assert split(seed=5) != split(seed=6)
    assert split(generator=np.random.default_rng(1)) == split(generator=np.random.default_rng(1))
    tg.manual_seed(9)
    first = split()
    tg.manual_seed(9)
    assert split() == first
    assert split(seed=5)[0] != list(range(25))


@pytest.mark.parametrize("lengths", [[5, 4], [0.5, 0.6], [6, -1, 5]])
def test_random_split_rejects_bad_lengths(lengths):
    with pytest.raises(ValueError):
        random_split(make_dataset(10), lengths, seed=0)


# --- digits ----------------------------------------------------------------

# Class counts of scikit-learn's load_digits(), from its documentation and
# np.bincount(sklearn.datasets.load_digits().target).
SKLEARN_DIGITS_CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
# sklearn.datasets.load_digits().data[0], a zero.
SKLEARN_DIGITS_FIRST_IMAGE = [
    0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11,
    8, 0, 0, 4, 12, 0, 0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1,
    12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0,
]  # fmt: skip


def test_load_digits_shapes_dtypes_and_ranges():
    images, labels = load_digits()
    assert images.shape == (1797, 64) and images.dtype == np.float64
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.min() == 0 and images.max() == 16
    np.testing.assert_array_equal(images, np.round(images))
    assert set(labels.tolist()) == set(range(10))


def test_load_digits_matches_scikit_learn():
    images, labels = load_digits()
    assert np.bincount(labels).tolist() == SKLEARN_DIGITS_CLASS_COUNTS
    np.testing.assert_array_equal(images[0], SKLEARN_DIGITS_FIRST_IMAGE)
    assert labels[0] == 0


def test_load_digits_returns_independent_copies():
    images, labels = load_digits()
    images[:] = -1
    labels[:] = -1
    images2, labels2 = load_digits()
    assert images2.min() == 0 and labels2.min() == 0


def test_digits_through_loader():
    images, labels = load_digits()
    train, test = random_split(TensorDataset(images, labels), [0.8, 0.2], seed=0)
    assert len(train) + len(test) == 1797
    ordered = DataLoader(train, batch_size=64)
    np.testing.assert_array_equal(np.concatenate([x.numpy() for x, _ in ordered]), images[train.indices])
    np.testing.assert_array_equal(epoch_labels(ordered), labels[train.indices])
    x, y = next(iter(DataLoader(train, batch_size=64, shuffle=True, seed=0)))
    assert x.shape == (64, 64) and x.dtype == np.float64 and y.dtype == np.int64


def test_random_split_takes_pytorchs_generator_idiom():
    dataset = TensorDataset(tg.arange(10))

    def split() -> list[list[int]]:
        parts = random_split(dataset, [0.8, 0.2], generator=tg.Generator().manual_seed(42))
        return [sorted(int(dataset[i][0]) for i in part.indices) for part in parts]

    tg.manual_seed(1)
    first = split()
    tg.manual_seed(2)  # the global generator does not matter: the split comes from its own
    assert split() == first and [len(p) for p in first] == [8, 2]


def test_default_collate_keeps_namedtuples_and_subset_takes_a_list_as_torch():
    Pair = namedtuple("Pair", "x y")
    batch = default_collate([Pair(1, 2.0), Pair(3, 4.0)])
    assert type(batch) is Pair and batch.x.tolist() == [1, 3] and batch.y.tolist() == [2.0, 4.0]
    assert default_collate([("a", 1), ("b", 2)])[0] == ("a", "b")  # strings come as they are
    subset = Subset(TensorDataset(tg.arange(10.0)), [4, 2, 7])
    (values,) = subset[[0, 2]]
    assert values.tolist() == [4.0, 7.0] and subset[1][0].item() == 2.0


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_default_collate_of_samples_of_different_shapes_names_them(lib_name):
    lib = pytest.importorskip(lib_name)
    collate = lib.utils.data.default_collate if lib_name == "torch" else default_collate
    with pytest.raises(
        RuntimeError, match="" if lib_name == "torch" else r"\(2,\) at entry 0 and \(3,\) at entry 2"
    ):
        collate([lib.ones(2), lib.ones(2), lib.ones(3)])


# ---------------------------------------------------------------- ConcatDataset


def test_concat_dataset_reads_each_part_in_turn():
    first, empty, second = make_dataset(3), TensorDataset(np.zeros((0, 3)), np.zeros(0)), make_dataset(5)
    both = ConcatDataset(iter([first, empty, second]))  # any iterable of data sets
    assert both.datasets == [first, empty, second] and both.cumulative_sizes == [3, 3, 8]
    assert len(both) == 8
    labels = [int(both[i][1].item()) for i in range(8)]
    assert labels == [0, 1, 2, 0, 1, 2, 3, 4]
    assert [int(both[i][1].item()) for i in (-1, -5, -6, -8)] == [4, 0, 2, 0]
    with pytest.raises(ValueError, match="^absolute value of index should not exceed dataset length$"):
        both[-9]
    with pytest.raises(IndexError):
        both[8]
    with pytest.raises(AssertionError, match="^datasets should not be an empty iterable$"):
        ConcatDataset([])


def test_adding_datasets_concatenates_them_and_a_loader_batches_across_the_seam():
    both = make_dataset(3) + make_dataset(4)
    assert isinstance(both, ConcatDataset) and both.cumulative_sizes == [3, 7]
    batches = [y.tolist() for _, y in DataLoader(both, batch_size=3)]
    assert batches == [[0, 1, 2], [0, 1, 2], [3]]


def test_concat_dataset_matches_torch():
    torch = pytest.importorskip("torch")
    tdata = pytest.importorskip("torch.utils.data")
    parts = [np.arange(3.0), np.arange(0.0), np.arange(10.0, 14.0)]
    ours = ConcatDataset([TensorDataset(p) for p in parts])
    theirs = tdata.ConcatDataset([tdata.TensorDataset(torch.from_numpy(p)) for p in parts])
    assert ours.cumulative_sizes == theirs.cumulative_sizes and len(ours) == len(theirs)
    for i in range(-len(ours), len(ours)):
        assert ours[i][0].item() == theirs[i][0].item()
    for index in (-8, 7):
        with pytest.raises(Exception) as their_error:
            theirs[index]
        with pytest.raises(their_error.type):
            ours[index]


# ---------------------------------------------------------------- worker options


def test_loader_accepts_and_keeps_the_worker_options_as_torch():
    calls = []
    loader = DataLoader(
        make_dataset(4),
        2,
        False,
        None,
        None,
        2,  # num_workers
        None,
        True,  # pin_memory
        False,
        5.0,  # timeout
        calls.append,  # worker_init_fn
        "spawn",  # multiprocessing_context
        tg.Generator().manual_seed(0),  # generator, at PyTorch's position
        persistent_workers=True,
        pin_memory_device="cuda",
        in_order=False,
    )
    assert (loader.num_workers, loader.timeout, loader.prefetch_factor) == (2, 5.0, 2)  # PyTorch's default
    assert (loader.worker_init_fn, loader.multiprocessing_context) == (calls.append, "spawn")
    assert (loader.persistent_workers, loader.in_order) == (True, False)
    assert (loader.pin_memory, loader.pin_memory_device) == (True, "cuda")
    assert loader.generator is not None
    assert [y.tolist() for _, y in loader] == [[0, 1], [2, 3]]
    assert calls == []  # no worker processes, so no worker to initialise
    assert DataLoader(make_dataset(4), num_workers=1, prefetch_factor=5).prefetch_factor == 5
    assert DataLoader(make_dataset(4)).prefetch_factor is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"timeout": -1}, "timeout option should be non-negative"),
        (
            {"prefetch_factor": 2},
            "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to "
            "enable multiprocessing, otherwise set prefetch_factor to None.",
        ),
        ({"num_workers": 2, "prefetch_factor": -1}, "prefetch_factor option should be non-negative"),
        ({"persistent_workers": True}, "persistent_workers option needs num_workers > 0"),
        ({"num_workers": -1, "timeout": -1}, "num_workers option should be non-negative; "),
    ],
)
def test_loader_checks_the_worker_options_as_torch(kwargs, message):
    with pytest.raises(ValueError) as info:
        DataLoader(make_dataset(4), **kwargs)
    assert str(info.value).startswith(message)


def test_worker_option_errors_and_signature_match_torch():
    tdata = pytest.importorskip("torch.utils.data")
    for kwargs in (
        {"timeout": -1},
        {"prefetch_factor": 2},
        {"num_workers": 2, "prefetch_factor": -1},
        {"persistent_workers": True},
    ):
        with pytest.raises(ValueError) as theirs:
            tdata.DataLoader(list(range(4)), **kwargs)
        with pytest.raises(ValueError) as ours:
            DataLoader(list(range(4)), **kwargs)
        assert str(ours.value) == str(theirs.value)
    ours_params = inspect.signature(DataLoader).parameters
    theirs_params = inspect.signature(tdata.DataLoader).parameters
    assert [(p.name, p.kind) for p in theirs_params.values()] == [
        (p.name, p.kind) for p in ours_params.values() if p.name != "seed"
    ]
