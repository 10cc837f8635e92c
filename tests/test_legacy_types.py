"""The legacy tensor types (tg.FloatTensor, ...): constructors, isinstance, .type(), as PyTorch's."""

import numpy as np
import pytest

import tinygrad_edu as tg

LEGACY = {
    "HalfTensor": np.float16,
    "FloatTensor": np.float32,
    "DoubleTensor": np.float64,
    "CharTensor": np.int8,
    "ShortTensor": np.int16,
    "IntTensor": np.int32,
    "LongTensor": np.int64,
    "ByteTensor": np.uint8,
    "BoolTensor": np.bool_,
}


@pytest.mark.parametrize("name", LEGACY)
def test_each_type_makes_tensors_of_its_dtype_and_recognises_them(name):
    kind, dtype = getattr(tg, name), np.dtype(LEGACY[name])
    assert kind.dtype == dtype and repr(kind) == f"<class 'tinygrad_edu.{name}'>"
    made = [kind([1, 0]), kind(2, 3), kind(np.int64(4)), kind()]
    assert [t.dtype for t in made] == [dtype] * 4
    assert [t.shape for t in made] == [(2,), (2, 3), (4,), (0,)]
    assert made[0].tolist() == [1, 0]
    assert all(isinstance(t, kind) for t in made)
    others = [t for t in LEGACY.values() if np.dtype(t) != dtype]
    assert not any(isinstance(tg.zeros(2, dtype=t), kind) for t in others)
    assert not isinstance(np.zeros(2, dtype=dtype), kind)  # a tensor type, not a dtype test
    assert tg.ones(2, dtype=tg.float64).type(kind).dtype == dtype
    assert tg.ones(2, dtype=dtype).type() == f"tinygrad_edu.{name}"  # the name .type() gives


def test_data_is_converted_as_pytorch_converts_it():
    assert tg.LongTensor([1.7, -1.7]).tolist() == [1, -1]  # truncated toward zero
    assert tg.FloatTensor((2, 3)).tolist() == [2.0, 3.0]  # a tuple is data, not a shape
    assert tg.FloatTensor(np.ones(2)).dtype == np.float32


def test_a_tensor_of_the_same_dtype_is_aliased_into_the_graph():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    alias = tg.FloatTensor(x)
    assert alias is not x and alias.requires_grad and np.shares_memory(alias.data, x.data)
    (alias * alias).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        ((2.5,), {}, TypeError, r"FloatTensor\(\): data must be a sequence \(got float\)"),
        ((2, 3.0), {}, TypeError, r"either sizes \(ints\) or one sequence"),
        ((tg.ones(2, dtype=tg.int64),), {}, TypeError, "expected a tensor of dtype float32, got int64"),
        ((2,), {"device": "cuda"}, RuntimeError, "device 'cuda' is not available"),
        ((-1,), {}, RuntimeError, "non-negative"),
    ],
)
def test_bad_calls_say_what_is_wrong(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        tg.FloatTensor(*args, **kwargs)


def test_the_same_as_pytorch():
    torch = pytest.importorskip("torch")
    for name in LEGACY:
        ours, theirs = getattr(tg, name), getattr(torch, name)
        for data in ([1, 0], [[0.5, 2.5]], (3, 1), [-2]):
            np.testing.assert_array_equal(ours(data).numpy(), theirs(data).numpy())
        assert ours(2, 3).shape == tuple(theirs(2, 3).shape) and ours().shape == tuple(theirs().shape)
        assert isinstance(tg.zeros(1, dtype=LEGACY[name]), ours)
        assert isinstance(torch.zeros(1, dtype=getattr(torch, np.dtype(LEGACY[name]).name)), theirs)
