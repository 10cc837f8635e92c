"""tg.asarray: shares memory where it can, copies where it must, as torch.asarray."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg


def test_an_array_is_shared_unless_a_cast_or_a_copy_is_asked_for():
    a = np.ones(3)
    shared, copied, cast = tg.asarray(a), tg.asarray(a, copy=True), tg.asarray(a, dtype=tg.float32)
    a[0] = 5.0
    assert shared.tolist() == [5.0, 1.0, 1.0] and shared.dtype == np.float64
    assert copied.tolist() == [1.0, 1.0, 1.0] and cast.tolist() == [1.0, 1.0, 1.0]
    assert cast.dtype == np.float32


def test_python_values_take_pytorchs_dtypes():
    assert tg.asarray([1, 2]).dtype == np.int64
    assert tg.asarray([1.0, 2.0]).dtype == np.float32  # the default float dtype, not NumPy's float64
    assert tg.asarray(True).dtype == np.bool_ and tg.asarray(np.float32(2.5)).dtype == np.float32


def test_a_tensor_comes_back_itself_or_through_a_recorded_copy_or_cast():
    x = tg.ones(2, requires_grad=True)
    assert tg.asarray(x) is x
    copied = tg.asarray(x, copy=True)
    assert copied is not x and copied.grad_fn is not None and copied.grad_fn.name() == "CloneBackward"
    (tg.asarray(x, dtype=tg.float64) * 3.0).sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [3.0, 3.0]


def test_another_requires_grad_gives_a_new_leaf_on_the_same_memory():
    x = tg.ones(2, requires_grad=True)
    y = tg.asarray(x, requires_grad=False)
    assert not y.requires_grad and x.requires_grad  # x itself keeps its setting
    with tg.no_grad():
        x.mul_(2.0)
    assert y.tolist() == [2.0, 2.0]
    z = tg.asarray(np.zeros(2), requires_grad=True)
    assert z.requires_grad and z.is_leaf


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: tg.asarray([1, 2], copy=False), "list has no memory to share"),
        (lambda: tg.asarray(np.ones(2), dtype=tg.float32, copy=False), "float64 ndarray cannot share"),
        (lambda: tg.asarray(tg.ones(2), dtype=tg.float64, copy=False), "float32 Tensor cannot share"),
    ],
)
def test_copy_false_that_cannot_share_raises_valueerror(call, error):
    with pytest.raises(ValueError, match=error):
        call()


def test_integers_cannot_require_grad():
    with pytest.raises(RuntimeError, match="floating point"):
        tg.asarray([1, 2], requires_grad=True)


def test_matches_torch_where_installed():
    torch = pytest.importorskip("torch")
    for obj in ([1, 2], [1.0, 2.5], 3.5, True, np.arange(3), np.float32(2.5)):
        ours, theirs = tg.asarray(obj), torch.asarray(obj)
        assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
