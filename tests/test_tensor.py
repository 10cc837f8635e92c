"""Tensor construction, dtypes, operators, reductions, shapes, indexing and errors."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import warning
from tinygrad_edu.testing import gradcheck


def test_dtype_rules():
    assert tg.tensor([1.0, 2.0]).dtype == np.float32
    assert tg.tensor(1.5).dtype == np.float32
    assert tg.tensor([1, 2]).dtype == np.int64
    assert tg.tensor([True]).dtype == np.bool_
    assert tg.tensor(np.zeros(2)).dtype == np.float64
    assert tg.zeros(2).dtype == np.float32 and tg.rand(2).dtype == np.float32
    assert (tg.tensor([1.0]) * 2.0).dtype == np.float32  # a Python float does not promote
    assert (tg.tensor([1, 2]) * 0.5).dtype == np.float32
    assert (tg.tensor([1, 2]) + tg.tensor([0.5], dtype=np.float64)).dtype == np.float64
    assert tg.arange(3).dtype == np.int64 and tg.arange(0, 1, 0.5).dtype == np.float32
    tg.set_default_dtype(np.float64)
    try:
        assert tg.tensor([1.0]).dtype == np.float64 and tg.get_default_dtype() == np.float64
    finally:
        tg.set_default_dtype(np.float32)


# (list, the dtype torch.tensor infers for it: checked against PyTorch 2.13)
ELEMENT_DTYPES = [
    ([np.float64(1.0), 2.0], np.float64),  # a NumPy float keeps its dtype, a Python float is float32
    ([1, np.float64(2.0)], np.float64),
    ([np.float32(1.0), 2.0], np.float32),
    ([np.float16(1.0), 2.0], np.float32),  # float16 and float32: the wider
    ([np.float16(1.0), np.float16(2.0)], np.float16),
    ([np.float64(1.0), np.float32(2.0)], np.float64),
    ([np.int64(1), 2.0], np.float32),  # an integer does not widen a float
    ([True, np.float64(2.0)], np.float64),
    ([np.int32(1), 2], np.int64),
    ([np.int32(1), np.int32(2)], np.int32),
    ([[1.0, 2.0], (np.float64(3.0), 4.0)], np.float64),  # found at any depth
    ([np.array([1.0, 2.0]), np.array([3.0, 4.0])], np.float64),
    ([np.array([1.0, 2.0], dtype=np.float32), [3.0, 4.0]], np.float32),
    ([[1, 2], [3.0, 4]], np.float32),
]


@pytest.mark.parametrize("data, dtype", ELEMENT_DTYPES, ids=[repr(d) for d, _ in ELEMENT_DTYPES])
def test_a_list_takes_the_widest_dtype_of_its_numpy_elements_as_in_pytorch(data, dtype):
    assert tg.tensor(data).dtype == dtype
    assert tg.tensor(data).tolist() == np.array(data).tolist()
    assert tg.tensor([tg.tensor(1.0, dtype=tg.float64), 2.0]).dtype == np.float64


def test_array_likes_of_other_kinds_keep_the_default_float_dtype():
    import array

    # not lists: nothing to look into, so the default dtype, as before lists were looked into
    assert tg.tensor(array.array("d", [1.0, 2.0])).dtype == np.float32
    assert tg.tensor(memoryview(array.array("d", [1.0]))).dtype == np.float32
    assert tg.tensor([array.array("d", [1.0]), [2.0]]).dtype == np.float32


def test_constructor_copies_and_accepts_tensors():
    a = np.array([1.0, 2.0])
    t = tg.tensor(a)
    a[0] = 5.0
    assert t.data[0] == 1.0
    with pytest.warns(UserWarning, match=r"t\.detach\(\)\.clone\(\)"):
        assert tg.Tensor(t).data is not t.data


def test_requires_grad_on_integers_is_an_error():
    with pytest.raises(RuntimeError, match="floating point"):
        tg.tensor([1, 2], requires_grad=True)
    with pytest.raises(RuntimeError, match="floating point"):
        tg.tensor([1, 2]).requires_grad_()


def test_setting_requires_grad_follows_requires_grad_s_rules():
    # the attribute is the method's checks in another spelling, as in PyTorch
    t = tg.tensor([1, 2])
    with pytest.raises(RuntimeError, match="floating point"):
        t.requires_grad = True
    assert not t.requires_grad
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(RuntimeError, match="leaf variables.*detach"):
        y.requires_grad = False
    assert y.requires_grad and y.grad_fn is not None
    y.requires_grad = True  # (no change: allowed)
    x.requires_grad = False  # freezing a leaf, as for a layer's weights
    assert not x.requires_grad and not (x * 2).requires_grad
    x.requires_grad = True
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_attributes_and_conversions():
    t = tg.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    assert t.shape == (1, 3) and t.ndim == 2 and t.size() == (1, 3) and t.size(-1) == 3
    assert t.numel() == 3 and t.is_leaf and t.grad_fn is None and t.T.shape == (3, 1)
    assert t.detach().tolist() == [[1.0, 2.0, 3.0]]
    with pytest.raises(RuntimeError, match="detach"):
        t.numpy()
    assert t.sum().item() == 6.0
    with pytest.raises(RuntimeError, match="3 elements"):
        t.item()
    # float() and int() raise PyTorch's ValueError, so `except ValueError` code behaves the same
    for convert in (float, int):
        with pytest.raises(ValueError, match=r"only one element tensors .*shape \(1, 3\)"):
            convert(t.detach())
    assert float(tg.tensor([[2.5]])) == 2.5 and int(tg.tensor(7)) == 7
    assert "requires_grad=True" in repr(t) and "grad_fn=<SumBackward>" in repr(t.sum())
    assert np.asarray(t.detach()).shape == (1, 3)


def test_operators_with_numbers_and_arrays_on_either_side():
    t = tg.tensor([1.0, 2.0])
    for result, expected in [
        (t + 1, [2, 3]),
        (1 + t, [2, 3]),
        (t - 1, [0, 1]),
        (1 - t, [0, -1]),
        (t * 2, [2, 4]),
        (2 * t, [2, 4]),
        (t / 2, [0.5, 1]),
        (2 / t, [2, 1]),
        (t**2, [1, 4]),
        (2**t, [2, 4]),
        (-t, [-1, -2]),
        (np.array([1.0, 1.0]) + t, [2, 3]),
        (t @ np.array([1.0, 1.0]), 3),
    ]:
        assert isinstance(result, tg.Tensor)
        np.testing.assert_allclose(result.data, expected)


def test_comparisons_give_bool_tensors_without_grad():
    t = tg.tensor([1.0, 2.0], requires_grad=True)
    for result in (t == 1.0, t != 1.0, t < 2, t <= 2, t > 1, t >= 1):
        assert result.dtype == np.bool_ and not result.requires_grad
    np.testing.assert_array_equal((t > 1).data, [False, True])


def test_floor_division_and_remainder_as_pythons_and_pytorchs():
    i = tg.tensor([7, -7])
    assert (i // 2).tolist() == [3, -4] and (i // 2).dtype == np.int64
    assert (i % 3).tolist() == [1, 2] and (7 // tg.tensor([2, -3])).tolist() == [3, -3]
    assert (i // 2.0).dtype == np.float32 and (i % 2.5).tolist() == [2.0, 0.5]  # a float lifts ints
    assert (7.5 % tg.tensor([2, -3])).tolist() == [1.5, -1.5]  # the sign of the divisor
    x = tg.tensor([3.5, -2.5], requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for floor_divide is not implemented"):
        (x // 2).sum().backward()  # recorded, but without a derivative, as in PyTorch
    y = tg.tensor([1.5, 2.0], requires_grad=True)
    (x % y).sum().backward()  # d/dx = 1, d/dy = -floor(x / y)
    assert x.grad.tolist() == [1.0, 1.0] and y.grad.tolist() == [-2.0, 2.0]
    with pytest.raises(RuntimeError, match=r"floor_divide: shapes \(2, 3\) and \(4,\)"):
        tg.ones(2, 3) // tg.ones(4)


def test_float_division_by_zero_is_inf_or_nan_without_a_warning():
    x = tg.tensor([1.0, -1.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # PyTorch does not warn; NumPy would
        assert (x // 0.0).tolist()[:2] == [np.inf, -np.inf] and np.isnan((x // 0.0).data[2])
        assert np.isnan((x % 0.0).data).all()
        assert (tg.tensor([1.0]) // tg.tensor([False])).tolist() == [
            np.inf
        ]  # a float makes it a float division
    assert (tg.tensor([True]) // tg.tensor([2])).tolist() == [0] and (tg.tensor([5]) % True).tolist() == [0]


def test_elementwise_values():
    x = tg.tensor(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
    np.testing.assert_allclose(x.relu().data, np.maximum(x.data, 0))
    np.testing.assert_allclose(x.leaky_relu().data, np.where(x.data > 0, x.data, 0.01 * x.data))
    np.testing.assert_allclose(x.sigmoid().data, 1 / (1 + np.exp(-x.data)))
    np.testing.assert_allclose(x.softplus().data, np.log1p(np.exp(x.data)))
    np.testing.assert_allclose(x.clamp(-1, 1).data, np.clip(x.data, -1, 1))
    import math

    gelu = [v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.data]
    np.testing.assert_allclose(x.gelu().data, gelu, rtol=1e-14)
    big = tg.tensor(np.array([-1e4, 1e4]))
    np.testing.assert_array_equal(big.sigmoid().data, [0.0, 1.0])


def test_reductions_with_dims_and_keepdim():
    a = np.arange(24.0).reshape(2, 3, 4)
    t = tg.tensor(a)
    cases = [
        (t.sum(), a.sum()),
        (t.sum(1), a.sum(1)),
        (t.sum((0, -1), keepdim=True), a.sum((0, 2), keepdims=True)),
        (t.mean(-1), a.mean(-1)),
        (t.max(), a.max()),
        (t.amax((1, 2)), a.max((1, 2))),
        (t.min(-2, keepdim=True).values, a.min(-2, keepdims=True)),
        (t.var(1), a.var(1, ddof=1)),
        (t.var(1, correction=0), a.var(1)),
        (t.std(), a.std(ddof=1)),
        (t.logsumexp(-1), np.log(np.exp(a).sum(-1))),
    ]
    for result, expected in cases:
        np.testing.assert_allclose(result.data, expected, rtol=1e-12)
    values, indices = t.max(2)
    np.testing.assert_array_equal(indices.data, a.argmax(2))
    assert t.argmax().item() == 23 and t.argmin(1).shape == (2, 4)


def test_softmax_family_is_stable_for_large_logits():
    logits = tg.tensor(np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]]), requires_grad=True)
    p = logits.softmax(-1)
    np.testing.assert_allclose(p.data, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]])
    lp = logits.log_softmax(-1)
    assert np.isfinite(lp.data).all()
    np.testing.assert_allclose(lp.data[0], [0.0, -1e4, -2e4])
    lse = logits.logsumexp(1)
    np.testing.assert_allclose(lse.data, [1e4, -1e4 + np.log(3)])
    (lp[0, 1] + lse.sum()).backward()
    assert np.isfinite(logits.grad.data).all()


def test_unknown_dims_raise_index_error():
    t = tg.zeros(2, 3)
    for call in (lambda: t.sum(2), lambda: t.mean(-3), lambda: t.softmax(5), lambda: t.max(4)):
        with pytest.raises(IndexError, match="Dimension out of range"):
            call()


def test_shape_mismatch_names_both_shapes_and_the_op():
    a, b = tg.zeros(2, 3), tg.zeros(4, 3)
    with pytest.raises(RuntimeError, match=r"Add.*\(2, 3\).*\(4, 3\)"):
        a + b  # constants: NumPy broadcasts them, and its refusal is reworded
    with pytest.raises(RuntimeError, match=r"Mul.*\(2, 3\).*\(4, 3\)"):
        a.requires_grad_() * b  # recorded: checked before an Expand is made
    with pytest.raises(RuntimeError, match=r"MatMul.*\(2, 3\).*\(4, 3\)"):
        a @ b
    with pytest.raises(RuntimeError, match=r"cat.*\(2, 3\).*\(3, 4\)"):
        tg.cat([a, b.T], 0)
    with pytest.raises(RuntimeError, match=r"reshape.*\(4,\).*\(2, 3\)"):
        a.reshape(4)


def test_broadcast_error_names_the_clashing_sizes_at_the_rightmost_dim_as_pytorch():
    # PyTorch compares from the last dim: (2, 3) with (3, 2) clashes first at dim -1
    with pytest.raises(RuntimeError, match=r"sizes 3 and 2 at dimension -1 \(counting from the right\)"):
        tg.zeros(2, 3) + tg.zeros(3, 2)
    with pytest.raises(RuntimeError, match=r"sizes 4 and 1 and 5 at dimension -2"):
        tg.broadcast_shapes((4, 1), (1,), (5, 1))
    assert tg.broadcast_shapes((5, 1, 4), (3, 1), ()) == (5, 3, 4)


def test_shape_ops():
    t = tg.tensor(np.arange(6.0).reshape(2, 3))
    assert t.reshape(3, 2).shape == (3, 2) and t.view(-1).shape == (6,)
    assert t.unsqueeze(0).shape == (1, 2, 3) and t.unsqueeze(-1).shape == (2, 3, 1)
    assert t.reshape(1, 2, 1, 3).squeeze().shape == (2, 3)
    assert t.reshape(1, 2, 1, 3).squeeze(2).shape == (1, 2, 3)
    assert t.transpose(0, 1).shape == (3, 2) and t.permute(1, 0).shape == (3, 2)
    assert t.flatten().shape == (6,) and tg.zeros(2, 3, 4).flatten(1).shape == (2, 12)
    assert t.reshape(2, 1, 3).expand(2, 4, -1).shape == (2, 4, 3)
    assert t.broadcast_to((5, 2, 3)).shape == (5, 2, 3)
    assert tg.stack([t, t], 1).shape == (2, 2, 3) and tg.cat([t, t], -1).shape == (2, 6)
    with pytest.raises(RuntimeError, match="stack expects"):
        tg.stack([t, t.T])


def test_indexing_kinds_and_repeated_index_gradients():
    a = np.arange(12.0).reshape(3, 4)
    t = tg.tensor(a, requires_grad=True)
    np.testing.assert_array_equal(t[1].data, a[1])
    np.testing.assert_array_equal(t[:, 1:3].data, a[:, 1:3])
    np.testing.assert_array_equal(t[None, ..., -1].data, a[None, ..., -1])
    np.testing.assert_array_equal(t[[0, 0, 2]].data, a[[0, 0, 2]])
    np.testing.assert_array_equal(t[t.detach() > 5].data, a[a > 5])
    np.testing.assert_array_equal(t[tg.tensor([2, 1])].data, a[[2, 1]])
    t[[0, 0, 2], [1, 1, 3]].sum().backward()
    expected = np.zeros((3, 4))
    expected[0, 1], expected[2, 3] = 2.0, 1.0
    np.testing.assert_array_equal(t.grad.data, expected)


def test_integers_beside_index_arrays_go_first_as_in_pytorch():
    a = np.arange(24.0).reshape(2, 3, 4)
    t = tg.tensor(a, requires_grad=True)
    # NumPy would give shape (2, 3): the integer joins the index array and their dim moves first
    np.testing.assert_array_equal(t[0, :, [1, 2]].data, a[0][:, [1, 2]])
    np.testing.assert_array_equal(t[None, 1, [0, 2], ...].data, a[None, 1][:, [0, 2], ...])
    np.testing.assert_array_equal(t[0, ..., [3]].data, a[0][..., [3]])
    np.testing.assert_array_equal(t[tg.tensor(0), :, [1, 2]].data, a[0][:, [1, 2]])  # a 0-d tensor is an int
    np.testing.assert_array_equal(t[:, 0, [1, 2]].data, a[:, 0, [1, 2]])  # side by side: NumPy's order
    np.testing.assert_array_equal(t[:, 0, a[0, 0] > 1].data, a[:, 0][:, a[0, 0] > 1])
    assert gradcheck(lambda x: x[1, :, [0, 0, 3]] ** 2, [t])
    y = t * 1.0
    y[0, :, [1, 2]] = tg.ones(3, 2, dtype=np.float64) * t[1, 0, 0]  # the same order when writing
    expected = a.copy()
    expected[0][:, [1, 2]] = a[1, 0, 0]
    np.testing.assert_array_equal(y.data, expected)
    y.sum().backward()
    assert t.grad.data[1, 0, 0] == 7.0 and t.grad.data[0, 0, 1] == 0.0


def test_wrong_index_types_raise():
    t = tg.zeros(3)
    for bad in (1.5, "a", [0.5]):
        with pytest.raises(IndexError, match="valid indices"):
            t[bad]


def test_a_negative_step_is_refused_as_in_pytorch_and_changes_nothing():
    t = tg.arange(6.0)
    for step in (-1, -2):
        with pytest.raises(ValueError, match="step must be greater than zero"):
            t[::step]
        with pytest.raises(ValueError, match="step must be greater than zero"):
            t[::step] = 1.0
    assert t.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0] and t._version == 0


def test_tuples_inside_an_index_are_lists_and_uint8_tensors_are_masks():
    t = tg.arange(6.0).reshape(2, 3)
    assert t[(0, 1),].tolist() == t[[0, 1]].tolist()
    assert t[(0, 1), (1, 2)].tolist() == [1.0, 5.0]
    with pytest.warns(UserWarning, match="uint8 tensor treats it as a mask"):
        picked = t[tg.tensor([1, 0], dtype=tg.uint8)]
    assert picked.tolist() == [[0.0, 1.0, 2.0]]  # row 0 (a mask), not rows 1 and 0


def test_setitem_and_inplace_values():
    t = tg.zeros(2, 3)
    t[0] = 1.0
    t[1, 1:] = tg.tensor([2.0, 3.0])
    t += 1
    t *= 2
    np.testing.assert_array_equal(t.data, [[4, 4, 4], [2, 6, 8]])
    assert t._version == 4
    t.zero_()
    assert not t.data.any()


def test_setitem_through_index_arrays_needs_the_values_dtype_as_in_pytorch():
    t = tg.zeros(2, 3)
    t[0, 1:] = tg.tensor([2, 3])  # slices and integers copy with a cast
    t[t > 1] = tg.tensor(7, dtype=tg.float64)  # one mask and one value: a fill, with a cast
    assert t.tolist() == [[0.0, 7.0, 7.0], [0.0, 0.0, 0.0]]
    for index in ([0, 1], (1, tg.tensor([0, 2])), tg.tensor([[True, False, False], [False, True, False]])):
        with pytest.raises(RuntimeError, match="got Float for the destination and Long for the source"):
            t[index] = tg.tensor([1, 2])  # index arrays put values: NumPy would cast them
    assert t.tolist() == [[0.0, 7.0, 7.0], [0.0, 0.0, 0.0]] and t._version == 2
    t[[0, 1], [0, 0]] = tg.tensor([1.0, 2.0])
    assert t[:, 0].tolist() == [1.0, 2.0]


def test_where_broadcasts_and_checks_the_condition():
    a = tg.tensor(np.array([[1.0], [-1.0]]), requires_grad=True)
    out = tg.where(a > 0, a, tg.zeros(1, 3, dtype=np.float64))
    assert out.shape == (2, 3)
    out.sum().backward()
    np.testing.assert_array_equal(a.grad.data, [[3.0], [0.0]])
    with pytest.raises(RuntimeError, match="boolean tensor, but got a tensor with dtype float32"):
        tg.where(tg.ones(2), a, a)


def test_all_any_and_empty():
    mask = tg.tensor([[True, False], [True, True]])
    assert mask.all().item() is False and mask.all(1).tolist() == [False, True]
    assert mask.any(0, keepdim=True).tolist() == [[True, True]] and not tg.tensor([1.0, 0.0]).all().item()
    assert mask.all().dtype == np.bool_ and not mask.all().requires_grad
    counts = tg.tensor([[1, 0], [2, 3]], dtype=tg.uint8)  # uint8 answers in uint8, as in PyTorch
    assert counts.all().dtype == np.uint8 and counts.all().item() == 0 and counts.any(1).tolist() == [1, 1]
    assert tg.tensor([1, 2], dtype=tg.int8).all().dtype == np.bool_
    # dim=() reduces nothing here, as in PyTorch 2: each element is tested on its own
    assert counts.all(dim=()).tolist() == [[1, 0], [1, 1]] and mask.any(dim=()).tolist() == mask.tolist()
    assert tg.empty(2, 3).shape == (2, 3) and tg.empty(size=(4,)).dtype == np.float32


def test_pytorchs_keyword_names_are_accepted():
    assert tg.zeros(size=(2, 3)).shape == (2, 3) and tg.randn(size=[4]).shape == (4,)
    assert tg.full(size=(2,), fill_value=1.5).dtype == np.float32
    assert tg.ones_like(input=tg.zeros(3, dtype=np.float64)).dtype == np.float64
    picked = tg.where(condition=tg.tensor([True, False]), input=tg.ones(2), other=tg.zeros(2))
    assert picked.tolist() == [1.0, 0.0]
    with pytest.raises(TypeError, match="either as arguments or as size="):
        tg.zeros(2, size=(2,))


# Calls by PyTorch's argument names and positions (from a sweep of signatures against
# torch 2.13): each runs in tg, and in torch when it is installed.
KEYWORD_CALLS = [
    lambda lib: lib.arange(end=3).tolist() == [0, 1, 2],
    lambda lib: lib.randint(high=10, size=(3,)).shape == (3,),
    lambda lib: lib.rand_like(lib.ones(2), generator=lib.Generator().manual_seed(1)).shape == (2,),
    lambda lib: lib.randn_like(lib.ones(2), dtype=lib.float64).dtype == lib.float64,
    lambda lib: lib.promote_types(type1=lib.int64, type2=lib.float32) == lib.float32,
    lambda lib: lib.ones(2).to(lib.float64, False, True).dtype == lib.float64,
    lambda lib: lib.ones(3).gather(0, lib.tensor([2, 0]), sparse_grad=False).tolist() == [1.0, 1.0],
    lambda lib: lib.zeros(2).copy_(lib.ones(2), non_blocking=True).tolist() == [1.0, 1.0],
    lambda lib: (lambda t: (t.numpy(force=True).__setitem__(0, 9.0), t.tolist() == [9.0, 1.0])[1])(
        lib.ones(2, requires_grad=True)
    ),  # (the array is the tensor's memory, detached)
    lambda lib: lib.tensor([1.5, 2**64]).dtype == lib.float32,  # (a float among big ints: all floats)
    lambda lib: lib.stack([lib.ones(2), lib.zeros(2, dtype=lib.int64)], -1).tolist() == [[1.0, 0.0]] * 2,
    lambda lib: bool((lib.zeros(50).uniform_(to=0.5) <= 0.5).all()),
    lambda lib: lib.linalg.norm(input=lib.tensor([3.0, 4.0])).item() == 5.0,
    lambda lib: lib.linalg.svdvals(lib.eye(2), driver=None).tolist() == [1.0, 1.0],
]


@pytest.mark.parametrize("call", KEYWORD_CALLS)
def test_pytorchs_argument_names_and_positions_work(call):
    assert call(tg)


def test_those_calls_work_in_torch_too():
    torch = pytest.importorskip("torch")
    for call in KEYWORD_CALLS:
        assert call(torch)


def test_factories_and_manual_seed():
    tg.manual_seed(5)
    a = tg.randn(3, 2)
    tg.manual_seed(5)
    b = tg.randn((3, 2))
    np.testing.assert_array_equal(a.data, b.data)
    assert tg.ones(2, 2).data.sum() == 4 and tg.full((2,), 7.0).data.tolist() == [7.0, 7.0]
    assert tg.eye(3).data.trace() == 3 and tg.zeros_like(a).shape == (3, 2)
    assert tg.ones_like(a).dtype == a.dtype and tg.randn_like(a).shape == (3, 2)
    r = tg.rand(1000)
    assert 0 <= r.data.min() and r.data.max() < 1
    assert tg.zeros(2, requires_grad=True).requires_grad


def test_matmul_variants_match_numpy():
    rng = np.random.default_rng(0)
    cases = [
        ((3,), (3,)),
        ((2, 3), (3,)),
        ((3,), (3, 4)),
        ((5, 2, 3), (3, 4)),
        ((2, 1, 2, 3), (4, 3, 2)),
    ]
    for sa, sb in cases:
        a, b = rng.standard_normal(sa), rng.standard_normal(sb)
        np.testing.assert_allclose((tg.tensor(a) @ tg.tensor(b)).data, a @ b)


# ---------------------------------------------------------------- PyTorch's edge cases


def test_float_ops_on_integers_give_the_default_float_dtype():
    i = tg.tensor([-1, 0, 2])
    np.testing.assert_allclose(i.sigmoid().data, 1 / (1 + np.exp([1.0, 0.0, -2.0])), rtol=1e-6)
    for name in ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "erf"):
        assert getattr(tg.tensor([1, 2]), name)().dtype == np.float32, name
    assert (tg.tensor([1, 2]) ** 2.5).dtype == np.float32
    assert (tg.tensor([1, 2]) ** 2).dtype == np.int64
    with pytest.raises(RuntimeError, match="negative integer powers"):
        tg.tensor([1, 2]) ** -1
    lse = tg.tensor([[1, 2], [3, 4]]).logsumexp(1)
    np.testing.assert_allclose(lse.data, [2.3132617, 4.3132617], rtol=1e-6)


def test_promotion_follows_pytorch_where_numpy_differs():
    f32, i64, i32 = tg.ones(3), tg.tensor([1, 2, 3]), tg.tensor([1, 2, 3], dtype=np.int32)
    f64_0d, i64_0d = tg.tensor(2.0, dtype=np.float64), tg.tensor(2)
    # a 0-d tensor of the same category does not widen a dimensioned one
    assert (f32 * f64_0d).dtype == np.float32 and (i32 * i64_0d).dtype == np.int32
    # it does lift a lower category
    assert (i64 * f64_0d).dtype == np.float64 and (tg.tensor([True]) + i64_0d).dtype == np.int64
    # among 0-d tensors, or dimensioned ones, the wider dtype wins; a float beats any integer
    assert (tg.tensor(2.0) * f64_0d).dtype == np.float64 and (i64 * f32).dtype == np.float32
    assert tg.where(tg.tensor([True, False, True]), f32, f64_0d).dtype == np.float32
    assert tg.cat([i64, f32]).dtype == np.float32 and tg.stack([i64, f32]).dtype == np.float32
    assert (f32 == tg.ones(3, dtype=np.float64)).dtype == np.bool_


def test_a_promoted_operand_gets_its_gradient_in_its_own_dtype():
    s = tg.tensor(2.0, dtype=np.float64, requires_grad=True)
    x = tg.ones(3, requires_grad=True)
    y = x * s
    assert y.dtype == np.float32
    y.sum().backward()
    assert s.grad.dtype == np.float64 and s.grad.item() == 3.0
    assert x.grad.dtype == np.float32 and np.all(x.grad.data == 2.0)


def test_matmul_of_two_dtypes_is_an_error_as_in_pytorch():
    a, b = tg.ones(2, 2), tg.ones(2, 2, dtype=np.float64)
    with pytest.raises(RuntimeError, match="same dtype, got float32 and float64"):
        a @ b
    with pytest.raises(RuntimeError, match="same dtype, got int64 and float32"):
        tg.ones(2, 2, dtype=np.int64) @ a
    # a NumPy operand is promoted with the Tensor, as in the elementwise ops
    assert (a @ np.ones(2)).dtype == np.float64 and (np.ones((1, 2)) @ a).dtype == np.float64


def test_cat_and_clamp_edge_cases_match_pytorch():
    with pytest.raises(RuntimeError, match=r"zero-dimensional tensor \(at position 1\)"):
        tg.cat([tg.ones(2), tg.tensor(1.0)])
    with pytest.raises(ValueError, match="non-empty list"):  # PyTorch's types: ValueError here,
        tg.cat([])
    with pytest.raises(RuntimeError, match="non-empty list"):  # RuntimeError for stack
        tg.stack([])
    # PyTorch's legacy rule: a 1-D empty tensor joins a tensor of any shape, and is left out
    empty, x = tg.zeros(0, dtype=np.float64, requires_grad=True), tg.ones(2, 2, requires_grad=True)
    joined = tg.cat([empty, x, empty], dim=-1)
    assert joined.shape == (2, 2) and joined.dtype == np.float64  # (it still counts in the dtype)
    joined.sum().backward()
    assert empty.grad.shape == (0,) and x.grad.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    with pytest.raises(RuntimeError, match=r"got \(0, 3\) for tensor 1 and \(2, 2\) for tensor 2"):
        tg.cat([empty, tg.zeros(0, 3), tg.ones(2, 2)])  # (an empty tensor of 2 dims is not one)
    x = tg.arange(24.0).reshape(2, 3, 4)
    for joined in (tg.stack([x[0].t(), x[1].t()], 2), tg.cat([x[0].t(), x[1].t()], 1)):
        assert joined.is_contiguous()  # row-major whatever the pieces' layout, as PyTorch's
    ints = tg.arange(3)
    assert ints.clamp(0, 1).dtype == np.int64
    np.testing.assert_array_equal(ints.clamp(0.5, 1.5).data, np.array([0.5, 1.0, 1.5], np.float32))
    assert ints.clamp(min=0.5).dtype == np.float32


def test_to_takes_pytorchs_forms_and_only_the_cpu():
    t = tg.ones(2, requires_grad=True)
    assert t.to("cpu") is t and t.cpu() is t and t.device == tg.device("cpu")
    assert t.to("cpu", np.float64).dtype == np.float64
    assert t.to(device="cpu:0", dtype="float64").dtype == np.float64
    assert t.to(tg.zeros(1, dtype=np.float64)).dtype == np.float64
    copied = t.to("cpu", copy=True)
    assert copied is not t and copied.data is not t.data and copied.requires_grad
    with pytest.raises(RuntimeError, match="CPU only; device 'cuda' is not available"):
        t.to("cuda")
    assert t.to("cpu", non_blocking=True) is t
    with pytest.raises(TypeError, match="more than one dtype: float16, float64"):
        t.to(np.float64, dtype=np.float16)


def test_rand_and_randn_draw_floats_only_and_round_float16_draws():
    for op in (tg.rand, tg.randn):
        with pytest.raises(NotImplementedError, match=f"{op.__name__}: not implemented for dtype int64"):
            op(3, dtype=tg.int64)
        tg.manual_seed(0)
        half = op(4, dtype=tg.float16)  # NumPy draws no float16: drawn in float32, then rounded
        tg.manual_seed(0)
        assert (
            half.dtype == np.float16
            and half.tolist() == op(4, dtype=tg.float32).data.astype(np.float16).tolist()
        )


def test_storage_questions_answer_as_for_a_dense_cpu_tensor():
    # `if x.is_cuda: ...` in PyTorch code takes the CPU branch here
    for t in (tg.ones(2), tg.nn.Parameter(tg.ones(2)), tg.ones(2, requires_grad=True) * 2):
        assert t.is_cpu is True and t.is_complex() is False
        assert not (t.is_cuda or t.is_mps or t.is_meta or t.is_sparse or t.is_quantized or t.is_nested)


def test_factories_and_linear_take_device_cpu_as_pytorch_code_passes_it():
    device = "cpu"
    made = [
        tg.tensor([1.0], device=device),
        tg.zeros(2, device=device),
        tg.ones(2, device=device),
        tg.empty(2, device=device),
        tg.full((2,), 3.0, device=device),
        tg.rand(2, device=device),
        tg.randn(2, device=device),
        tg.arange(3, device=device),
        tg.eye(2, device=device),
        tg.zeros_like(tg.ones(2), device=device),
        tg.ones_like(tg.ones(2), device=device),
        tg.full_like(tg.ones(2), 2.0, device=device),
        tg.rand_like(tg.ones(2), device=device),
        tg.randn_like(tg.ones(2), device=device),
        tg.nn.Linear(2, 3, device=device, dtype=np.float64).weight,
    ]
    assert all(str(t.device) == "cpu" for t in made) and made[-1].dtype == np.float64
    tg.manual_seed(0)
    expected = tg.randn(2).tolist()
    tg.manual_seed(0)
    with pytest.raises(RuntimeError, match="device 'cuda:0' is not available"):
        tg.randn(2, device="cuda:0")
    assert tg.randn(2).tolist() == expected  # the failed call drew nothing
    with pytest.raises(RuntimeError, match="CPU only"):
        tg.nn.Linear(2, 3, device="cuda")


def test_ragged_list_is_a_value_error_as_in_pytorch():
    with pytest.raises(ValueError, match="cannot make a tensor from list"):
        tg.tensor([[1, 2], [3]])


def test_var_and_std_take_pytorchs_unbiased_forms():
    a = np.array([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]])
    x = tg.tensor(a)
    np.testing.assert_allclose(x.var(False).item(), np.var(a))  # var(unbiased) over everything
    np.testing.assert_allclose(x.std(1, False).data, np.std(a, axis=1))
    np.testing.assert_allclose(x.var(0, True, True).data, np.var(a, axis=0, ddof=1, keepdims=True))
    with pytest.raises(TypeError, match="either unbiased or correction"):
        x.var(unbiased=False, correction=1)
    with pytest.raises(TypeError, match="no second unbiased"):
        x.var(False, True)


def test_float32_arange_does_not_drift():
    np.testing.assert_array_equal(tg.arange(0, 1, 0.1).data, np.arange(0, 1, 0.1).astype(np.float32))
    assert tg.arange(-3.3, 7.1, 0.37).data[-1] == np.float32(-3.3 + 28 * 0.37)


def test_factories_take_numbers_as_pytorch_reads_them():
    # a 0-d tensor or a NumPy scalar is a number: its kind (float, int, bool) picks the dtype
    assert (
        tg.full((2,), tg.tensor(2.5)).tolist() == [2.5, 2.5]
        and tg.full((2,), tg.tensor(2.5)).dtype == tg.float32
    )
    assert tg.full((2,), tg.tensor(True)).dtype == tg.bool and tg.full((1,), np.float32(0.5)).item() == 0.5
    assert tg.arange(tg.tensor(3)).dtype == tg.int64 and tg.arange(tg.tensor(1), tg.tensor(4)).tolist() == [
        1,
        2,
        3,
    ]
    with pytest.raises(TypeError, match="'fill_value' must be Number, not Tensor"):
        tg.full((2,), tg.tensor([1.0, 2.0]))  # (not 0-d)
    with pytest.raises(TypeError, match="'end' must be Number"):
        tg.arange(tg.tensor(3.0, requires_grad=True))
    with pytest.raises(ValueError, match="step 0.5 is 0 as int64"):
        tg.arange(0, 2.5, 0.5, dtype=tg.int64)  # (NumPy would give five zeros)


def test_reduction_edge_cases_match_pytorch():
    x = tg.tensor(np.arange(60.0).reshape(3, 4, 5))
    assert x.sum(dim=()).item() == 1770.0  # an empty dim tuple reduces everything
    assert x.amax(dim=(), keepdim=True).shape == (1, 1, 1)
    assert x.argmax(keepdim=True).shape == (1, 1, 1) and x.argmax(keepdim=True).item() == 59
    a, b = tg.tensor([1.0, 5.0]), tg.tensor([3.0, 2.0])
    assert a.max(b).tolist() == [3.0, 5.0] and a.min(b).tolist() == [1.0, 2.0]  # the elementwise form
    assert tg.zeros(0, 3).amax(1).shape == (0,)  # only an empty reduced dim is an error
    with pytest.raises(IndexError, match="dim 0 to have non-zero size"):
        tg.zeros(0, 3).amax(0)
    with pytest.raises(RuntimeError, match="empty: give a dim"):
        tg.zeros(0, 3).max()
    with pytest.raises(IndexError, match="dim 0 to have non-zero size"):
        tg.zeros(0, 3).argmax(0)
    with pytest.raises(IndexError, match="dim to be specified"):
        tg.zeros(0, 3).argmin()
    assert tg.zeros(0, 3).argmax(1).shape == (0,)
    # the stable shifts start from -inf, so an empty dim works as in PyTorch (log(0) = -inf)
    with np.errstate(divide="ignore"):
        assert tg.zeros(0, 3).logsumexp(0).tolist() == [-np.inf] * 3
        assert tg.zeros(0, 3).softmax(0).shape == (0, 3) and tg.zeros(0, 3).log_softmax(0).shape == (0, 3)
    with pytest.raises(IndexError, match="size 0"):
        tg.zeros(0, 3).max(0)
    with np.errstate(invalid="ignore"):
        assert np.isnan(tg.tensor([np.inf, 1.0, 2.0]).softmax(0).data).all()
        assert np.isnan(tg.tensor([np.inf, 1.0, 2.0]).log_softmax(0).data).all()
    with np.errstate(divide="ignore"):
        assert tg.tensor([-np.inf, -np.inf]).logsumexp(0).item() == -np.inf


def test_std_of_constant_values_has_zero_gradient():
    x = tg.tensor(np.ones(3), requires_grad=True)
    s = x.std()
    s.backward()
    assert s.item() == 0.0
    np.testing.assert_array_equal(x.grad.data, np.zeros(3))
    y = tg.tensor(np.array([1.0, 2.0, 4.0]), requires_grad=True)
    y.std().backward()  # elsewhere the usual (x - mean) / ((N - 1) std)
    np.testing.assert_allclose(y.grad.data, (y.data - y.data.mean()) / (2 * y.data.std(ddof=1)))


def test_pytorchs_function_forms_and_dtype_names():
    x = tg.tensor([[1.0, 5.0, 3.0], [7.0, 2.0, 2.0]])
    values, indices = tg.max(x, 1)  # `_, predicted = torch.max(outputs, 1)`
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    assert tg.sum(x, dim=0).tolist() == x.sum(0).tolist() and tg.argmax(x, 1).tolist() == [1, 0]
    np.testing.assert_allclose(tg.sigmoid(x).data, x.sigmoid().data)
    assert tg.mm(x, x.t()).shape == (2, 2) and tg.numel(x) == 6 and tg.is_tensor(x)
    assert not tg.is_tensor(x.data)
    assert tg.long == np.int64 and tg.int == np.int32 and tg.float == np.float32
    assert tg.double == np.float64 and tg.half == np.float16 and tg.bool == np.bool_
    assert (tg.int8, tg.int16, tg.short, tg.uint8) == (np.int8, np.int16, np.int16, np.uint8)
    assert tg.tensor([0, 1], dtype=tg.long).dtype == np.int64 and x.to(tg.double).dtype == np.float64
    assert tg.allclose(x, x + 1e-9) and not tg.allclose(x, x + 1e-3)
    assert tg.equal(x, x.clone()) and not tg.equal(x, x.reshape(3, 2))


def test_function_forms_name_their_first_argument_input_as_pytorch():
    x = tg.tensor([[1.0, 5.0, 3.0], [7.0, 2.0, 2.0]])
    assert tg.sum(input=x, dim=1).tolist() == [9.0, 11.0]
    assert tg.clamp(input=x, min=2.0, max=5.0).tolist() == [[2.0, 5.0, 3.0], [5.0, 2.0, 2.0]]
    assert tg.lerp(input=tg.zeros(2), end=tg.ones(2), weight=0.25).tolist() == [0.25, 0.25]
    var, mean = tg.var_mean(input=x, dim=1)
    assert mean.tolist() == pytest.approx([3.0, 11.0 / 3.0]) and var.shape == (2,)
    forms = [getattr(tg, name) for name in tg.__all__ if getattr(tg.Tensor, name, None) is not None]
    firsts = {f.__name__: next(iter(inspect.signature(f).parameters)) for f in forms if callable(f)}
    assert firsts.pop("polygamma") == "n"  # (PyTorch's order: polygamma(n, input))
    assert firsts.pop("where") == "condition"  # (tg.where(condition, input, other); x.where(condition, y))
    assert firsts.pop("device") == "type"  # (tg.device is PyTorch's device class; x.device a tensor's)
    assert firsts.pop("isin") == "elements"  # (torch.isin(elements, test_elements))
    assert firsts.pop("lu") == "A"  # (torch.lu(A, pivot=True, get_infos=False), a Python function of A)
    assert len(firsts) > 150 and set(firsts.values()) == {"input"}, firsts
    assert tg.asin is tg.arcsin  # (aliases stay one function)


def test_a_0d_tensor_formats_as_its_number():
    loss = tg.tensor(0.25, requires_grad=True) * 1.0
    assert f"{loss:.4f}" == "0.2500" and f"{loss}" == "0.25" and f"{tg.tensor(3):>3}" == "  3"
    assert f"{tg.tensor([1.0])}" == repr(tg.tensor([1.0]))  # more than 0-d: the repr
    with pytest.raises(TypeError):
        f"{tg.tensor([1.0]):.2f}"


def test_in_place_method_forms():
    w = tg.ones(2, requires_grad=True)
    (w * w).sum().backward()
    with tg.no_grad():
        assert w.sub_(0.1 * w.grad) is w  # the hand-written SGD step
    assert w.tolist() == pytest.approx([0.8, 0.8]) and w.grad_fn is None
    y = tg.zeros(3)
    y.copy_([1.0, 2.0, 3.0]).add_(1.0, alpha=2.0).mul_(2.0).div_(4.0).clamp_(0.0, 2.0)
    assert y.tolist() == [1.5, 2.0, 2.0]
    y.fill_(7.0)
    assert y.tolist() == [7.0, 7.0, 7.0] and y.zero_().tolist() == [0.0, 0.0, 0.0]
    # integer and bool tensors too: the value is cast to their dtype, as in PyTorch
    assert tg.tensor([1, 2]).zero_().tolist() == [0, 0] and tg.tensor([True]).zero_().tolist() == [False]
    assert tg.tensor([1, 2]).fill_(7.5).tolist() == [7, 7]
    assert tg.zeros(2, dtype=tg.float64).fill_(0.1).tolist() == [0.1, 0.1]  # no float32 detour
    # recorded: the gradient of the result flows to copy_'s source, not to the old values
    x = tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True)
    src = tg.tensor([3.0, 4.0], dtype=tg.float64, requires_grad=True)
    h = x * 2.0
    h.copy_(src * src)
    h.sum().backward()
    assert src.grad.tolist() == [6.0, 8.0] and x.grad.tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match="leaf Variable"):
        x.add_(1.0)
    tg.manual_seed(3)
    u = tg.empty(1000).uniform_(-1.0, 1.0)
    assert -1.0 <= u.min().item() and u.max().item() < 1.0
    assert abs(tg.empty(4000).normal_(2.0, 0.5).mean().item() - 2.0) < 0.05


@pytest.mark.parametrize("fill", ["uniform_", "normal_"])
def test_random_fills_are_in_place_ops_with_torchs_refusals(fill):
    w = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        getattr(w, fill)()
    with pytest.raises(NotImplementedError, match=f"{fill}: .* need a float tensor, not int64"):
        getattr(tg.tensor([1, 2, 3]), fill)()
    bad = (2.0, 1.0) if fill == "uniform_" else (0.0, -1.0)
    with pytest.raises(RuntimeError, match=r"\[from, to\) range|std >= 0.0"):
        getattr(w, fill)(*bad)
    with pytest.raises(RuntimeError, match=r"\[from, to\) range|std >= 0.0"):
        getattr(tg.nn.init, fill)(w, *bad)
    assert w.tolist() == [1.0, 2.0, 3.0] and w._version == 0  # every refusal left w alone
    h = w * 1.0
    getattr(h, fill)()  # a non-leaf: its new values do not depend on w
    h.sum().backward()
    assert w.grad.tolist() == [0.0, 0.0, 0.0] and h.tolist() != [1.0, 2.0, 3.0]
    with tg.no_grad():
        getattr(w, fill)(0.0, 0.5)
    assert w._version == 1 and w.requires_grad and w.grad_fn is None


def test_method_aliases_of_pytorch():
    x = tg.tensor([[1.0, 5.0, 3.0], [7.0, 2.0, 2.0]])
    assert x.eq(2.0).sum().item() == 2 and x.gt(2.0).tolist() == (x > 2.0).tolist()
    assert x.ne(2.0).sum().item() == 4 and x.le(2.0).sum().item() == 3
    assert x.add(1.0, alpha=2.0).tolist() == (x + 2.0).tolist() and x.sub(x).abs().sum().item() == 0
    assert x.mul(2.0).div(2.0).neg().tolist() == (-x).tolist()
    assert x.t().shape == (3, 2) and x.contiguous() is x and x.clip(2.0, 3.0).max().item() == 3.0
    assert x.view_as(tg.zeros(3, 2)).shape == (3, 2) and x.type_as(tg.tensor([1])).dtype == np.int64
    with pytest.raises(RuntimeError, match="<= 2 dimensions"):
        tg.zeros(1, 1, 1).t()
    assert x.flip(1)[0].tolist() == [3.0, 5.0, 1.0] and x.flip((0, 1))[0].tolist() == [2.0, 2.0, 7.0]
    assert x.new_zeros(2).dtype == x.dtype and x.new_ones((1, 2)).tolist() == [[1.0, 1.0]]
    r = tg.tensor([0.5, 1.5, -1.2, 2.7], requires_grad=True)
    assert r.round().tolist() == [0.0, 2.0, -1.0, 3.0]  # halves to even
    assert r.floor().tolist() == [0.0, 1.0, -2.0, 2.0] and r.ceil().tolist() == [1.0, 2.0, -1.0, 3.0]
    assert tg.tensor([np.nan, 1.0]).isnan().tolist() == [True, False]
    # the roundings stay on the graph with a zero gradient, as in PyTorch (a loss through them still runs)
    for rounding in (r.round, r.floor, r.ceil, r.trunc, r.sign):
        y = rounding()
        assert y.requires_grad and y.grad_fn.name() == f"{rounding.__name__.capitalize()}Backward"
        y.sum().backward()
        assert r.grad.tolist() == [0.0] * 4
        r.grad = None
    with pytest.raises(NotImplementedError, match="floor is not implemented for bool"):
        tg.tensor([True]).floor()
    assert tg.tensor([True]).sign().tolist() == [True] and tg.tensor([7]).round().tolist() == [7]


def test_flip_masked_fill_and_square_are_differentiable():
    a = tg.tensor(np.linspace(-1.0, 1.0, 6).reshape(2, 3), requires_grad=True)
    mask = tg.tensor([[True, False, False], [False, False, True]])
    assert gradcheck(lambda t: t.flip(0, -1) * t, (a,))
    assert gradcheck(lambda t: t.masked_fill(mask, 2.0) * t, (a,))
    assert gradcheck(lambda t: t.square(), (a,))


def test_masked_fill_keeps_the_dtype_of_an_integer_or_bool_tensor():
    mask = tg.tensor([True, False])
    ints = tg.tensor([1, 2])
    for value in (0.5, tg.tensor(0.5), -2.7):  # cast to int64 as in PyTorch: toward 0
        filled = ints.masked_fill(mask, value)
        assert filled.dtype == np.int64 and filled.tolist() == [int(float(value)), 2]
    ints.masked_fill_(mask, 7.9)
    assert ints.tolist() == [7, 2] and ints.dtype == np.int64
    with pytest.raises(RuntimeError, match="cannot be converted to type uint8"):
        tg.tensor([1, 2], dtype=tg.uint8).masked_fill(mask, -2.7)  # out of uint8's range, as in PyTorch
    with pytest.raises(RuntimeError, match="cannot be converted to type int64"):
        tg.tensor([1, 2]).masked_fill(mask, float("nan"))  # (NumPy would write the smallest int64)
    flags = tg.tensor([False, False]).masked_fill(mask, 3)
    assert flags.dtype == np.bool_ and flags.tolist() == [True, False]


def test_new_factories_of_pytorch():
    array = np.arange(3.0)
    shared = tg.from_numpy(array)
    array[0] = 9.0
    assert shared.tolist() == [9.0, 1.0, 2.0] and shared.dtype == np.float64
    assert tg.as_tensor(array).data is array and tg.as_tensor(array, dtype=tg.float32).data is not array
    with pytest.raises(TypeError, match="expected np.ndarray"):
        tg.from_numpy([1.0])
    assert tg.linspace(-1, 1, 5).tolist() == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert tg.linspace(0, 1, 3).dtype == np.float32
    tg.manual_seed(0)
    draws = tg.randint(2, 5, (100,))
    assert draws.dtype == np.int64 and draws.shape == (100,) and set(draws.tolist()) == {2, 3, 4}
    assert tg.randint(3, (2, 2)).shape == (2, 2) and tg.randint(3, size=(4,)).max().item() < 3
    perm = tg.randperm(10)
    assert sorted(perm.tolist()) == list(range(10)) and perm.dtype == np.int64
    tg.manual_seed(0)
    assert tg.randint(2, 5, (100,)).tolist() == draws.tolist()  # from the global generator
    with pytest.raises(TypeError, match="needs a size"):
        tg.randint(5)


def test_a_generator_of_ones_own_keeps_its_stream_apart_from_the_global_one():
    g = tg.Generator().manual_seed(42)
    assert g.initial_seed() == 42 and isinstance(g, np.random.Generator)
    first = tg.randn(3, generator=g).tolist() + tg.randperm(5, generator=g).tolist()
    tg.manual_seed(0)
    global_draw = tg.rand(2).tolist()
    g.manual_seed(42)  # restarting g repeats its stream, whatever the global generator did
    assert tg.randn(3, generator=g).tolist() + tg.randperm(5, generator=g).tolist() == first
    tg.manual_seed(0)
    assert tg.rand(2).tolist() == global_draw  # and g's draws never touched the global stream
    assert tg.randint(0, 10, (4,), generator=g).shape == (4,) and tg.rand(2, generator=g).shape == (2,)
    assert tg.manual_seed(3) is tg.manual_seed(4)  # PyTorch's default generator: one object, reseeded
    with pytest.raises(TypeError, match="generator must be a tg.Generator"):
        tg.randn(2, generator=np.random.RandomState(0))
    with pytest.raises(RuntimeError, match="manual_seed expected a long, but got float"):
        g.manual_seed(1.5)  # a Generator's manual_seed is strict, as PyTorch's (tg.manual_seed converts)
    with pytest.raises(RuntimeError, match="cuda"):
        tg.Generator(device="cuda")


def test_uniform_and_normal_fill_from_the_generator_given():
    g = tg.Generator()

    def fill_from_g():
        g.manual_seed(1)
        return (
            tg.empty(4).uniform_(-1.0, 1.0, generator=g).tolist() + tg.empty(3).normal_(generator=g).tolist()
        )

    tg.manual_seed(0)
    global_draw = tg.rand(2).tolist()
    filled = fill_from_g()
    assert fill_from_g() == filled  # g's stream alone decides the values
    tg.manual_seed(0)
    fill_from_g()
    assert tg.rand(2).tolist() == global_draw  # and the global stream is not touched
    with pytest.raises(TypeError):  # keyword-only, as in PyTorch
        tg.empty(2).uniform_(0.0, 1.0, g)
    with pytest.raises(TypeError, match="generator must be a tg.Generator"):
        tg.empty(2).normal_(generator=np.random.RandomState(0))


def test_constructor_arguments_after_the_data_are_keywords_as_in_pytorch():
    # torch.Tensor(2, 3) is an uninitialised 2x3 tensor; here it would silently have
    # read 3 as requires_grad, so it is refused with the way to say it
    with pytest.raises(TypeError, match=r"tg.zeros\(2, 3\)"):
        tg.Tensor(2, 3)
    with pytest.raises(TypeError):
        tg.tensor(2.0, True)  # torch.tensor takes requires_grad by keyword only
    assert tg.Tensor(2.0, requires_grad=True).requires_grad


def test_type_names_the_dtype_as_pytorch_does_under_this_packages_name():
    x = tg.tensor([1.5, 2.5], requires_grad=True)
    assert x.type() == "tinygrad_edu.FloatTensor"
    names = {
        tg.float16: "HalfTensor",
        tg.float64: "DoubleTensor",
        np.int8: "CharTensor",
        np.uint8: "ByteTensor",
        np.int16: "ShortTensor",
        tg.int32: "IntTensor",
        tg.int64: "LongTensor",
        tg.bool: "BoolTensor",
    }
    for dtype, name in names.items():
        assert tg.zeros(1).to(dtype).type() == f"tinygrad_edu.{name}"
    # with a dtype or a name, a conversion, as .to() (and self when nothing changes)
    double = x.type(tg.float64)
    assert double.dtype == np.float64 and double.grad_fn is not None
    assert x.type("tinygrad_edu.LongTensor").tolist() == [1, 2] and x.type(tg.float32) is x
    with pytest.raises(ValueError, match=r"invalid type: 'torch.FloatTensor' \(the type names are"):
        x.type("torch.FloatTensor")


def test_reductions_take_numpys_axis_for_dim_as_pytorch_does():
    a = np.arange(12.0).reshape(3, 4)
    x = tg.tensor(a)
    for name in ["sum", "mean", "amax", "amin", "var", "std", "prod", "logsumexp", "argmax", "argmin"]:
        np.testing.assert_array_equal(getattr(x, name)(axis=1).data, getattr(x, name)(dim=1).data)
    for name in ["cumsum", "softmax", "log_softmax"]:
        np.testing.assert_array_equal(getattr(x, name)(axis=0).data, getattr(x, name)(0).data)
    assert x.sum(axis=(0, 1)).item() == a.sum() and tg.mean(x, axis=0, keepdim=True).shape == (1, 4)
    assert x.max(axis=1).indices.tolist() == [3, 3, 3] and x.min(axis=0).values.tolist() == a[0].tolist()
    assert (x > 5).all(axis=1).tolist() == [False, False, True] and (x > 5).any(axis=0).tolist() == [True] * 4
    with pytest.raises(TypeError, match="sum\\(\\) got both dim and axis"):
        x.sum(1, axis=0)
    with pytest.raises(TypeError, match="softmax\\(\\) missing required argument 'dim'"):
        x.softmax()


def test_cuda_is_never_available():
    assert tg.cuda.is_available() is False and tg.cuda.device_count() == 0
    device = "cuda" if tg.cuda.is_available() else "cpu"  # PyTorch's idiom picks the CPU
    assert tg.zeros(2, device=device).to(device).device == tg.device("cpu")


def test_in_place_numpy_update_of_data_with_a_tensor_computes_off_the_graph():
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    data, version = w.data, w._version
    w.data -= 0.25 * w.grad  # NumPy's np.subtract(w.data, Tensor, out=(w.data,))
    assert w.data is data and w.tolist() == [0.5, 1.0]
    assert w.is_leaf and w.requires_grad and w._version == version  # as PyTorch's .data: unseen by autograd
    a = np.ones(2, dtype=np.float32)
    a *= tg.tensor([2.0, 3.0])
    assert type(a) is np.ndarray and a.tolist() == [2.0, 3.0]
    ints = np.ones(2, dtype=np.int64)
    with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output"):  # NumPy's casting rule
        ints += tg.tensor([0.5, 0.5])


def test_a_tensor_assigned_to_a_plain_tensors_data_is_reported_where_it_shows(tmp_path):
    # `.data` is a plain slot on a Tensor (a Parameter checks assignments): the slip
    # w.data = w.data - lr * w.grad (a Tensor on the right) is caught at the next use
    class Double(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return 2 * x

        @staticmethod
        def backward(ctx, grad):
            return 2 * grad

    w = tg.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    w.data = w.data - 0.25 * w.grad
    uses = [repr, lambda t: t * t, lambda t: 3.0 - t, lambda t: t.tanh(), lambda t: t.sum(), lambda t: t @ t]
    uses += [lambda t: t.detach().numpy(), Double.apply, lambda t: t.clone(), lambda t: t.numpy()]
    uses += [lambda t: t.sum().item(), float, lambda t: t.tolist(), lambda t: t[0].item()]
    for use in uses:
        with pytest.raises(
            TypeError, match=r"\.data holds a Tensor.*w\.data = w\.data - lr \* w\.grad\.data"
        ):
            use(w)
    memmapped = tg.nn.Parameter(np.zeros(2))
    memmapped.data = np.lib.format.open_memmap(str(tmp_path / "w.npy"), mode="w+", shape=(2,))
    assert "tensor([0., 0.]" in repr(memmapped)  # an ndarray subclass is fine
    w.data = w.data.data  # an array again: everything works
    assert repr(w).startswith("tensor([0.5") and w.tolist() == [0.5, 1.0]
    assert (w * w).tolist() == [0.25, 1.0] and w.tanh().grad_fn is not None


def test_other_numpy_ufuncs_with_a_tensor_are_the_tensors_operators():
    t = tg.tensor([1.0, 2.0], requires_grad=True)
    for result, expected in [
        (np.array([1.0, 1.0]) - t, [0.0, -1.0]),
        (np.float64(2.0) * t, [2.0, 4.0]),
        (np.array([2.0, 2.0]) ** t, [2.0, 4.0]),
        (np.add(t, np.array([1.0, 1.0])), [2.0, 3.0]),
    ]:
        assert isinstance(result, tg.Tensor) and result.grad_fn is not None
        np.testing.assert_allclose(result.data, expected)
    assert (np.array([0.0, 3.0]) < t).tolist() == [True, False]  # t > array
    assert (np.array([1.0, 3.0]) == t).tolist() == [True, False]
    with pytest.raises(RuntimeError, match="np.exp was given a Tensor that requires grad"):
        np.exp(t)


def test_a_numpy_function_of_a_tensor_without_grad_gives_a_tensor_as_in_pytorch():
    def sigmoid(x):  # a NumPy lesson's helper, given a Tensor
        return 1 / (1 + np.exp(-x))

    s = sigmoid(tg.tensor([0.5, 1.0]))
    assert isinstance(s, tg.Tensor) and s.grad_fn is None and s.dtype == tg.float32
    np.testing.assert_allclose(s.data, 1 / (1 + np.exp(-np.array([0.5, 1.0]))), rtol=1e-6)
    assert np.isnan(tg.tensor([1.0, float("nan")])).tolist() == [False, True]
    assert np.maximum(tg.tensor([1.0, 3.0]), tg.tensor([2.0, 2.0])).tolist() == [2.0, 3.0]
    fractions, wholes = np.modf(tg.tensor([1.5, 2.25]))
    assert fractions.tolist() == [0.5, 0.25] and wholes.tolist() == [1.0, 2.0]


# Calls that PyTorch refuses, and what we raise for each: (call, error type, message regex).
# Each call gets the library (tg or torch), so the torch test below can check the type
# is PyTorch's own.
BAD_FACTORY_CALLS = [
    # told the dtype, NumPy would read None as nan and "3" as 3.0
    (
        lambda lib: lib.tensor([1.0, None], dtype=lib.float64),
        TypeError,
        r"tensor: unsupported data \[1.0, None\]",
    ),
    (lambda lib: lib.tensor(None, dtype=lib.float32), TypeError, r"tensor: unsupported data None"),
    (lambda lib: lib.tensor("3", dtype=lib.float32), TypeError, r"tensor: unsupported data '3'"),
    # not told the dtype, PyTorch cannot infer one from None, nor hold an int past int64's range
    (lambda lib: lib.tensor(None), RuntimeError, r"Could not infer dtype of NoneType"),
    (lambda lib: lib.tensor([1, None]), RuntimeError, r"Could not infer dtype of NoneType"),
    (lambda lib: lib.tensor(2**63), ValueError, r"Overflow when unpacking long long"),
    (lambda lib: lib.tensor([[1], [-(2**63) - 1]]), ValueError, r"Overflow when unpacking long long"),
    (lambda lib: lib.zeros(), TypeError, r"zeros\(\) missing 1 required positional arguments"),
    (lambda lib: lib.full((2,), lib.tensor([1.0, 2.0])), TypeError, r"'fill_value' must be Number"),
    # a float written into integers must fit (NumPy would write the smallest integer for nan)
    (lambda lib: lib.full((2,), float("nan"), dtype=lib.int64), RuntimeError, r"converted to type int64_t"),
    (lambda lib: lib.full((2,), 255.5, dtype=lib.uint8), RuntimeError, r"converted to type uint8_t"),
    (lambda lib: lib.ones(2.5), TypeError, r"ones\(\): size must be an int, got float 2.5"),
    (lambda lib: lib.zeros(2.7, 1.2), TypeError, r"zeros\(\): size must be an int, got float 2.7"),
    (lambda lib: lib.rand(2.5), TypeError, r"rand\(\): size must be an int"),
    (lambda lib: lib.randn((2, 1.5)), TypeError, r"randn\(\): size must be an int, got float 1.5"),
    (lambda lib: lib.full((2.5,), 1.0), TypeError, r"full\(\): size must be an int"),
    (lambda lib: lib.zeros(True), TypeError, r"zeros\(\): size must be an int, got bool"),
    (lambda lib: lib.zeros(-1), RuntimeError, r"zeros\(\): size must be non-negative, got -1"),
    (lambda lib: lib.ones(2, -1), RuntimeError, r"ones\(\): size must be non-negative, got -1"),
    (lambda lib: lib.rand(-1), RuntimeError, r"rand\(\): size must be non-negative"),
    (lambda lib: lib.randn(-1), RuntimeError, r"randn\(\): size must be non-negative"),
    (lambda lib: lib.full((-1,), 1.0), RuntimeError, r"full\(\): size must be non-negative"),
    (lambda lib: lib.empty(-1), RuntimeError, r"empty\(\): size must be non-negative"),
    (lambda lib: lib.eye(-1), RuntimeError, r"eye\(\): n must be non-negative, got -1"),
    (lambda lib: lib.eye(2, -1), RuntimeError, r"eye\(\): m must be non-negative, got -1"),
    (lambda lib: lib.randint(5, (-1,)), RuntimeError, r"randint\(\): size must be non-negative"),
    (lambda lib: lib.randint(5, 2, (3,)), RuntimeError, r"randint\(\): low must be less than high.*5 >= 2"),
    (lambda lib: lib.randperm(-3), RuntimeError, r"randperm\(\): n must be non-negative, got -3"),
    (lambda lib: lib.randperm(2.5), TypeError, r"randperm\(\): n must be an int, got float"),
    (lambda lib: lib.linspace(0, 1, -1), RuntimeError, r"linspace\(\): number of steps must be non-negative"),
    (lambda lib: lib.arange(0, 5, 0), RuntimeError, r"arange\(\): step must be nonzero"),
    (
        lambda lib: lib.arange(0, 5, -1),
        RuntimeError,
        r"arange\(\): the bounds are inconsistent with the step",
    ),
    (lambda lib: lib.arange(5, 0), RuntimeError, r"from 5 to 0 by steps of 1"),
    (lambda lib: lib.arange(0.0, 1.0, -0.5), RuntimeError, r"inconsistent with the step's sign"),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_FACTORY_CALLS)
def test_factories_refuse_float_and_negative_sizes_and_empty_ranges(call, error, message):
    tg.manual_seed(0)
    with pytest.raises(error, match=message):
        call(tg)
    # checked before drawing: a failed call leaves the global generator where it was
    after_failure = tg.rand(3).tolist()
    tg.manual_seed(0)
    assert tg.rand(3).tolist() == after_failure


def test_factory_errors_are_torchs_types():
    torch = pytest.importorskip("torch")
    for call, error, _ in BAD_FACTORY_CALLS:
        with pytest.raises(error):
            call(torch)


def test_factories_still_take_int_likes_and_count_down_with_a_negative_step():
    assert tg.zeros(np.int64(2), tg.tensor(3)).shape == (2, 3) and tg.ones((0,)).shape == (0,)
    assert tg.eye(np.int32(2)).shape == (2, 2) and tg.empty(size=(2, 0)).shape == (2, 0)
    assert tg.arange(5, 0, -2).tolist() == [5, 3, 1] and tg.arange(5, 5, -1).shape == (0,)
    assert tg.linspace(0, 1, 0).shape == (0,) and tg.randperm(0).shape == (0,)
    assert tg.randint(4, 5, (2,)).tolist() == [4, 4]
    assert tg.ones(2).new_zeros(np.int64(3)).shape == (3,)


X23 = np.arange(6.0).reshape(2, 3)

# As BAD_FACTORY_CALLS, for operators and methods of one tensor x = X23 (float64).
BAD_TENSOR_CALLS = [
    (lambda x, lib: x.reshape(-2, 3), RuntimeError, r"reshape: invalid size -2 in shape \(-2, 3\)"),
    (lambda x, lib: x.view(3, -7), RuntimeError, r"reshape: invalid size -7 in shape \(3, -7\)"),
    (lambda x, lib: x.reshape(-1, -1), RuntimeError, r"reshape: only one size can be inferred"),
    (lambda x, lib: x.new_zeros(-1), RuntimeError, r"new_zeros\(\): size must be non-negative"),
    (lambda x, lib: x.new_ones(2.5), TypeError, r"new_ones\(\): size must be an int, got float"),
    (lambda x, lib: lib.tensor([5, 7]) % 0, RuntimeError, r"remainder: integer division by zero"),
    (lambda x, lib: lib.tensor([5, 7]) // 0, RuntimeError, r"floor_divide: integer division by zero"),
    (lambda x, lib: lib.tensor([5, 7]) % lib.tensor([1, 0]), RuntimeError, "remainder: integer division"),
    (lambda x, lib: 5 % lib.tensor([0, 1]), RuntimeError, "remainder: integer division by zero"),
    (lambda x, lib: lib.tensor([5], dtype=lib.int32) // 0, RuntimeError, "floor_divide: integer division"),
    # a bool divisor of an integer is an integer division; two bools cannot be divided at all
    (lambda x, lib: lib.tensor([5]) // lib.tensor([False]), RuntimeError, "floor_divide: integer division"),
    (lambda x, lib: lib.tensor([5]) % lib.tensor([False]), RuntimeError, "remainder: integer division"),
    (lambda x, lib: lib.tensor([True]) // lib.tensor([True]), NotImplementedError, "floor_divide is not"),
    (
        lambda x, lib: True // lib.tensor([True]),
        NotImplementedError,
        "floor_divide is not implemented for two",
    ),
    (lambda x, lib: lib.tensor([True]) % lib.tensor([True]), NotImplementedError, "remainder is not"),
    (
        lambda x, lib: lib.div(lib.tensor([True]), True, rounding_mode="trunc"),
        NotImplementedError,
        "div is not implemented for two bool tensors",
    ),
    (lambda x, lib: -lib.tensor([True]), RuntimeError, r"negation \(-\) is not supported for bool.*~mask"),
    (lambda x, lib: lib.tensor([True]).neg(), RuntimeError, r"negation \(-\) is not supported"),
    (lambda x, lib: lib.tensor([True]) - lib.tensor([False]), RuntimeError, r"sub: subtraction.*bool"),
    (lambda x, lib: lib.tensor([True]) - True, RuntimeError, r"sub: subtraction \(-\) with a bool tensor"),
    (lambda x, lib: lib.tensor([True]) - 1, RuntimeError, r"sub: subtraction \(-\) with a bool tensor"),
    (lambda x, lib: 1.5 - lib.tensor([True]), RuntimeError, r"sub: subtraction \(-\) with a bool tensor"),
    (lambda x, lib: lib.tensor([1, 2]) - True, RuntimeError, r"sub: subtraction \(-\) with a bool tensor"),
    (lambda x, lib: True - lib.tensor([1.0]), RuntimeError, r"sub: subtraction \(-\) with a bool tensor"),
    (lambda x, lib: x.sub(lib.tensor(True)), RuntimeError, r"sub: subtraction \(-\) with a bool tensor"),
    (lambda x, lib: x.__isub__(True), RuntimeError, r"sub: subtraction \(-\) with a bool tensor"),
    (
        lambda x, lib: x[0].mm(x.T),
        RuntimeError,
        r"mm\(\): both arguments must be matrices.*\(3,\) and \(3, 2\)",
    ),
    (lambda x, lib: x.mm(x[0]), RuntimeError, r"mm\(\): both arguments must be matrices"),
    (lambda x, lib: x.clamp(lib.ones(2)), RuntimeError, r"clamp: shapes \(2, 3\) and \(2,\) are not broad"),
    (lambda x, lib: x.clamp(max=lib.ones(4)), RuntimeError, r"clamp: shapes \(2, 3\) and \(4,\)"),
    (
        lambda x, lib: x.allclose(lib.ones(4, dtype=lib.float64)),
        RuntimeError,
        r"allclose: shapes \(2, 3\) and \(4,\)",
    ),
    (
        lambda x, lib: lib.allclose(x, lib.ones(4, dtype=lib.float64)),
        RuntimeError,
        r"allclose: shapes \(2, 3\) and \(4,\)",
    ),
    (lambda x, lib: lib.mm(x[0], x[0]), RuntimeError, r"mm\(\): both arguments must be matrices"),
    (
        lambda x, lib: x.__setitem__(0, lib.ones(2)),
        RuntimeError,
        r"setitem: a value of shape \(2,\) .*\(3,\)",
    ),
    (
        lambda x, lib: x.__setitem__(lib.tensor([0, 1]), lib.ones(3, 3, dtype=lib.float64)),
        RuntimeError,
        r"setitem: a value of shape \(3, 3\) cannot be broadcast to the shape \(2, 3\)",
    ),
    (lambda x, lib: x.fill_(lib.ones(2)), RuntimeError, r"fill_: the value must be a number or a 0-d tensor"),
    (lambda x, lib: x.fill_(lib.ones(1)), RuntimeError, r"fill_: .*got a tensor of shape \(1,\)"),
    (lambda x, lib: x.copy_(lib.ones(4)), RuntimeError, r"copy_: src of shape \(4,\) .* shape \(2, 3\)"),
    (lambda x, lib: x.copy_(lib.ones(2, 2, 3)), RuntimeError, r"copy_: src of shape \(2, 2, 3\)"),
    (
        lambda x, lib: x.masked_fill(lib.tensor([True, False, True, False]), 1.0),
        RuntimeError,
        r"masked_fill: the mask's shape \(4,\) and the tensor's shape \(2, 3\) are not broadcastable",
    ),
    (lambda x, lib: x.masked_fill(x > 1, lib.ones(3)), RuntimeError, r"masked_fill: the value must be"),
    (lambda x, lib: x.new_full(2, 1.0), TypeError, r"new_full\(\): argument 'size' must be tuple of ints"),
    (lambda x, lib: x.new_full((-1,), 1.0), RuntimeError, r"full\(\): size must be non-negative"),
    (lambda x, lib: x.new_empty(2.5), TypeError, r"new_empty\(\): size must be an int, got float"),
    (lambda x, lib: x[0].detach_(), RuntimeError, r"Can't detach views in-place.*Use detach\(\) instead"),
    # a float written into integers must fit, as a number to fill with
    (
        lambda x, lib: x.long().fill_(float("inf")),
        RuntimeError,
        r"converted to type int64_t without overflow",
    ),
    (lambda x, lib: x.long().__setitem__(0, float("nan")), RuntimeError, r"converted to type int64_t"),
    (
        lambda x, lib: x.long().index_fill_(0, lib.tensor([0]), float("nan")),
        RuntimeError,
        r"converted to type int64_t",
    ),
    # a 0-d tensor has no dim to cut
    (lambda x, lib: x[0, 0].narrow(0, 0, 1), RuntimeError, r"narrow\(\) cannot be applied to a 0-dim tensor"),
    (lambda x, lib: x[0, 0].split(1), RuntimeError, r"split expects at least a 1-dimensional tensor"),
    (lambda x, lib: x[0, 0].chunk(1), RuntimeError, r"chunk expects at least a 1-dimensional tensor"),
    (lambda x, lib: x[0, 0].select(0, 0), IndexError, r"select\(\) cannot be applied to a 0-dim tensor"),
    (
        lambda x, lib: x[0, 0].index_select(0, lib.tensor([0, 0])),
        RuntimeError,
        r"index_select\(\): Index to scalar can have only 1 value, got 2",
    ),
    (lambda x, lib: lib.tensor([1, 2]).softmax(0), NotImplementedError, r"softmax"),
    (lambda x, lib: lib.tensor([1, 2]).log_softmax(0), NotImplementedError, r"log_softmax"),
    (lambda x, lib: x.T.detach_(), RuntimeError, r"Can't detach views in-place"),
    (lambda x, lib: x[0].fill_diagonal_(1.0), RuntimeError, r"fill_diagonal_: dimensions must larger than 1"),
    (
        lambda x, lib: x.reshape(1, 2, 3).fill_diagonal_(1.0),
        RuntimeError,
        r"fill_diagonal_: all dimensions of input must be of equal length \(got shape \(1, 2, 3\)\)",
    ),
    (lambda x, lib: x.fill_diagonal_(1.0, wrap=1), TypeError, r"argument 'wrap' must be bool, not int"),
    (lambda x, lib: x.fill_diagonal_(lib.ones(1)), TypeError, r"'fill_value' must be a number or a 0-d"),
    # bool tensors where PyTorch has no kernel for them (NumPy would compute something)
    (lambda x, lib: (x > 0).argmax(), RuntimeError, r"argmax\(\): does not support bool input"),
    (lambda x, lib: (x > 0).argmin(1), RuntimeError, r"argmin\(\): does not support bool input"),
    (lambda x, lib: (x > 0).relu(), RuntimeError, r"Boolean inputs not supported for relu"),
    (lambda x, lib: (x > 0).abs(), NotImplementedError, r"\"abs_cpu\" not implemented for 'Bool'"),
    (lambda x, lib: lib.nn.functional.softsign(x > 0), NotImplementedError, r"not implemented for 'Bool'"),
    (lambda x, lib: lib.nn.functional.relu6(x > 0), RuntimeError, r"Bool inputs not supported for hardtanh"),
    (lambda x, lib: lib.nn.functional.threshold(x > 0, 0.5, 0.0), NotImplementedError, r"threshold_cpu"),
    (lambda x, lib: (x > 0).clamp(False, True), NotImplementedError, r"clamp_scalar_cpu"),
    (lambda x, lib: (x > 0).clamp_(0, 2), RuntimeError, r"can't be cast to the desired output type"),
    # dims and positions out of range, named twice, or of an index dtype PyTorch refuses
    (lambda x, lib: x[0].narrow(0, 4, 0), IndexError, r"start out of range .*\[-3, 3\], but got 4"),
    (lambda x, lib: x[0].narrow(0, -4, 1), IndexError, r"start out of range .*but got -4"),
    (lambda x, lib: x[0, 0].flatten(1), IndexError, r"Dimension out of range"),
    (lambda x, lib: x[:1].squeeze((0, 0)), RuntimeError, r"more than once"),
    (lambda x, lib: x[0][lib.tensor([1], dtype=lib.int8)], IndexError, r"must be long, int, byte or bool"),
    (lambda x, lib: x.allclose(x.float()), RuntimeError, r"Double did not match Float"),
    (lambda x, lib: x.long().isclose(x), RuntimeError, r"Long did not match Double"),
    (lambda x, lib: x.isclose(1.0), TypeError, r"argument 'other' \(position 2\) must be Tensor, not float"),
    (lambda x, lib: x.max(1, other=x), TypeError, r"max\(other=...\) is elementwise"),
    (lambda x, lib: lib.nn.functional.linear(x, x[0], x[0, 0]), RuntimeError, r"cannot be multiplied"),
    (lambda x, lib: lib.nn.functional.mse_loss(x.long(), x.long()), NotImplementedError, r"mse_cpu"),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD_TENSOR_CALLS)
def test_tensor_ops_refuse_what_torch_refuses_and_change_nothing(call, error, message):
    x = tg.tensor(X23)
    with pytest.raises(error, match=message):
        call(x, tg)
    assert x.tolist() == X23.tolist() and x._version == 0


def test_tensor_op_errors_are_torchs_types():
    torch = pytest.importorskip("torch")
    for call, error, _ in BAD_TENSOR_CALLS:
        x = torch.tensor(X23)
        with pytest.raises(error):
            call(x, torch)
        assert x.tolist() == X23.tolist()


def test_a_bool_array_is_refused_in_a_subtraction_like_a_bool_tensor():
    # (PyTorch hands `tensor - ndarray` to NumPy, which subtracts; here an array is an operand)
    x = tg.tensor(X23)
    for call in (lambda: x - np.array(True), lambda: np.array([True, False, True]) - x):
        with pytest.raises(RuntimeError, match=r"sub: subtraction \(-\) with a bool tensor"):
            call()
    assert (x - np.array(1.0)).tolist() == (X23 - 1).tolist()


def test_the_allowed_neighbours_of_those_errors_still_work():
    x = tg.tensor(X23)
    assert x.reshape(-1, 2).shape == (3, 2) and x.view(6).shape == (6,)
    f = tg.tensor([1.0, -1.0, 0.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        assert np.isnan((f % 0).data).all() and (f // 0).tolist()[:2] == [np.inf, -np.inf]
    assert (tg.tensor([5, 7]) % 2).tolist() == [1, 1] and (tg.tensor([5, 7]) // 2).tolist() == [2, 3]
    assert (tg.tensor([True]) + tg.tensor([True])).tolist() == [True] and (~tg.tensor([True])).tolist() == [
        False
    ]
    assert (tg.tensor([3]) - 1).tolist() == [2] and (-tg.tensor([2])).tolist() == [-2]
    assert x.mm(x.T).tolist() == (X23 @ X23.T).tolist() and x.allclose(x + 1e-12)
    assert x.clamp(tg.tensor([1.0, 2.0, 3.0])).tolist() == [[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]]
    assert x.masked_fill(tg.ones(2, 2, 3, dtype=tg.bool), 0.0).shape == (2, 2, 3)  # broadcasts, as torch
    assert x.masked_fill(x > 2, tg.tensor(9.0)).tolist() == [[0.0, 1.0, 2.0], [9.0, 9.0, 9.0]]
    y = x.clone()
    y[0] = tg.tensor([7.0])  # a value that broadcasts to the part it is assigned to
    y.fill_(tg.tensor(2.0))
    assert y.tolist() == [[2.0] * 3] * 2 and y.copy_(tg.tensor([1.0, 2.0, 3.0])).tolist()[1] == [
        1.0,
        2.0,
        3.0,
    ]


def test_nonzero_and_where_with_the_condition_alone_give_pytorchs_indices():
    t = tg.tensor([[1.0, 0.0, 3.0], [0.0, 0.0, -2.0]], requires_grad=True)
    rows = t.nonzero()
    assert rows.dtype == np.int64 and rows.tolist() == [[0, 0], [0, 2], [1, 2]]
    index = t.nonzero(as_tuple=True)
    assert [i.tolist() for i in index] == [[0, 0, 1], [0, 2, 2]]
    assert t[index].tolist() == [1.0, 3.0, -2.0]
    assert [i.tolist() for i in tg.where(t != 0)] == [[0, 0, 1], [0, 2, 2]]
    assert not rows.requires_grad and tg.nonzero(t).tolist() == rows.tolist()
    # a 0-d tensor: (N, 0) rows, and as a tuple it counts as 1-d
    assert tg.tensor(5).nonzero().shape == (1, 0) and tg.tensor(0).nonzero().shape == (0, 0)
    assert [i.tolist() for i in tg.tensor(5).nonzero(as_tuple=True)] == [[0]]
    with pytest.raises(TypeError, match="condition alone, or the condition, input and other"):
        tg.where(t > 0, t)


def test_isclose_logical_not_half_and_is_floating_point():
    a = tg.tensor([1.0, 2.0, float("nan"), 1e-9])
    b = tg.tensor([1.0 + 1e-6, 2.1, float("nan"), 0.0])
    assert a.isclose(b).tolist() == [True, False, False, True]
    assert tg.isclose(a, b, equal_nan=True).tolist() == [True, False, True, True]
    assert tg.isclose(a, b, rtol=0, atol=1e-8).tolist() == [False, False, False, True]
    with pytest.raises(RuntimeError, match=r"isclose: shapes \(4,\) and \(3,\) are not broadcastable"):
        a.isclose(tg.ones(3))
    assert tg.tensor([1, 0, 2]).logical_not().tolist() == [False, True, False]
    assert tg.logical_not(tg.tensor([0.5, 0.0])).dtype == np.bool_
    x = tg.ones(2, requires_grad=True)
    h = x.half()
    assert h.dtype == np.float16 and h.grad_fn is not None
    assert x.is_floating_point() and tg.is_floating_point(h) and not tg.tensor([1]).is_floating_point()


def test_new_tensor_full_and_empty_keep_the_source_dtype():
    x = tg.zeros(2, dtype=tg.float64, requires_grad=True)
    t = x.new_tensor([1, 2])
    assert t.dtype == np.float64 and t.tolist() == [1.0, 2.0] and not t.requires_grad
    assert tg.tensor([1, 2]).new_tensor([1.7, -2.5]).tolist() == [1, -2]  # cast to int64, as torch
    assert x.new_tensor([1, 2], dtype=tg.int32, requires_grad=False).dtype == np.int32
    assert x.new_tensor([1.5], requires_grad=True).requires_grad
    a = np.array([1.0, 2.0])
    copied = x.new_tensor(a)
    a[0] = 9.0
    assert copied.tolist() == [1.0, 2.0]
    full = x.new_full((2, 3), 3)
    assert full.dtype == np.float64 and full.shape == (2, 3) and full.data.flat[0] == 3.0
    assert tg.tensor([1]).new_full([2], 3.7).tolist() == [3, 3]  # truncated to int64, as torch
    assert x.new_full((1,), tg.tensor(2.5)).tolist() == [2.5]
    assert x.new_full((1,), 1.0, dtype=tg.float32, requires_grad=True).requires_grad
    assert x.new_empty(2, 3).shape == (2, 3) and x.new_empty((4,)).dtype == np.float64
    assert x.new_empty(2, dtype=tg.int64).dtype == np.int64
    assert x.new_zeros(2, device="cpu").dtype == np.float64 and x.new_ones((1, 2)).tolist() == [[1.0, 1.0]]
    for make in (
        x.new_zeros,
        x.new_ones,
        x.new_empty,
        lambda *size, device: x.new_tensor(size, device=device),
    ):
        with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
            make(2, device="cuda")


def test_detach_in_place_makes_a_leaf_and_keeps_the_graph_already_recorded():
    g = tg.tensor([1.0, 2.0], requires_grad=True)
    y = g * 2
    z = y * 3  # recorded before y is detached: still flows back to g
    assert y.detach_() is y
    assert y.is_leaf and not y.requires_grad and y.grad_fn is None and y._version == 0
    z.sum().backward()
    assert g.grad.tolist() == [6.0, 6.0]
    g.grad = None
    (y * g).sum().backward()  # y is a constant now: d/dg = y
    assert g.grad.tolist() == [2.0, 4.0]
    assert g.detach_() is g and not g.requires_grad  # a leaf may be detached too
    d = tg.tensor([1.0], requires_grad=True).detach()  # detach() shares memory but is no view
    assert d.detach_() is d


def test_fill_diagonal_fills_square_tall_wrapped_and_cubic_tensors():
    eye3 = np.eye(3)
    np.testing.assert_array_equal(tg.zeros(3, 3).fill_diagonal_(5).data, 5 * eye3)
    tall = tg.zeros(7, 3).fill_diagonal_(5.0)
    np.testing.assert_array_equal(tall.data, 5 * np.vstack([eye3, np.zeros((4, 3))]))
    wrapped = tg.zeros(7, 3).fill_diagonal_(5.0, wrap=True)  # starts again after a gap row
    np.testing.assert_array_equal(wrapped.data, 5 * np.vstack([eye3, np.zeros((1, 3)), eye3]))
    assert tg.zeros(5, 1).fill_diagonal_(1.0, wrap=True).tolist() == [[1.0], [0.0], [1.0], [0.0], [1.0]]
    np.testing.assert_array_equal(tg.zeros(3, 7).fill_diagonal_(1.0, wrap=True).data, np.eye(3, 7))
    cube = tg.zeros(2, 2, 2).fill_diagonal_(4.0)
    assert cube.data[0, 0, 0] == cube.data[1, 1, 1] == 4.0 and cube.data.sum() == 8.0
    ints = tg.zeros(2, 2, dtype=tg.int64).fill_diagonal_(5.7)
    assert ints.tolist() == [[5, 0], [0, 5]] and ints.dtype == np.int64  # cast, as torch
    assert tg.zeros(2, 2).fill_diagonal_(tg.tensor(2.0)).tolist() == [[2.0, 0.0], [0.0, 2.0]]
    base = tg.zeros(3, 3)
    base.T[:, :2].fill_diagonal_(1.0)  # through a view: the base changes
    np.testing.assert_array_equal(base.data, np.diag([1.0, 1.0, 0.0]))
    x = tg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 1.0
    version = y._version
    y.fill_diagonal_(9.0)
    assert y.tolist() == [[9.0, 2.0], [3.0, 9.0]] and y._version == version + 1
    y.sum().backward()
    assert x.grad.tolist() == [[0.0, 1.0], [1.0, 0.0]]  # the overwritten places get nothing
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x.fill_diagonal_(0.0)


def test_a_tensor_built_from_a_tensor_warns_and_the_library_never_does():
    t = tg.tensor([1.0, 2.0], requires_grad=True)
    for build in (tg.tensor, tg.Tensor, t.new_tensor):
        with pytest.warns(UserWarning, match=r"cut from t's graph.*t\.detach\(\)\.clone\(\)") as record:
            copy = build(t)
        assert record[0].filename == __file__  # the user's line, not the library's
        assert copy.tolist() == [1.0, 2.0] and not copy.requires_grad and copy.data is not t.data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tg.tensor([tg.tensor(1.0), tg.tensor(2.0)])  # a list of 0-d tensors, as torch: no warning
        tg.tensor(t.detach().numpy())
        tg.as_tensor(t)
        tg.cat([t, t]), tg.stack([t, t]), tg.nn.Parameter(t.detach()), tg.where(t > 1, t, 0.0)


def test_float_of_a_tensor_that_requires_grad_warns_once_as_torch(monkeypatch):
    monkeypatch.setattr(warning, "GIVEN_ONCE", set())
    t = tg.tensor([1.5, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(t.detach()[0]) == 1.5 and int(t[0]) == 1 and t[0].item() == 1.5  # no warning
        assert f"{t[0]:.1f}" == "1.5"
    with pytest.warns(UserWarning, match=r"float\(\) of a tensor that requires grad.*t\.detach\(\)"):
        assert float(t[0]) == 1.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(t[1]) == 2.0  # once per run, as PyTorch's warning


def test_python_protocols_behave_as_pytorchs():
    x = tg.tensor([[1.5, 2.0], [3.0, 4.0]])
    assert 1.5 in x and 7 not in x and tg.tensor(4.0) in x  # `in`: any element equal
    with pytest.raises(RuntimeError, match="only supports Tensor or scalar"):
        _ = "a" in x
    assert abs(tg.tensor([-1.0, 2.0])).tolist() == [1.0, 2.0]
    assert (x == None) is False and (x != None) is True  # noqa: E711  (so `if x == None:` works)


def test_shape_methods_take_pytorchs_keyword_forms():
    x = tg.tensor(np.arange(6.0).reshape(2, 3))
    pairs = [
        (x.reshape(shape=(3, 2)), x.reshape(3, 2)),
        (tg.reshape(x, shape=(3, 2)), x.reshape(3, 2)),
        (x.view(size=(3, 2)), x.view(3, 2)),
        (x.permute(dims=(1, 0)), x.permute(1, 0)),
        (tg.permute(x, dims=(1, 0)), x.permute(1, 0)),
        (x.flip(dims=(0,)), x.flip(0)),
        (x[:1].expand(size=(2, 3)), x[:1].expand(2, 3)),
        (x.repeat(repeats=(2, 1)), x.repeat(2, 1)),
        (x.tile(dims=(2, 1)), x.tile(2, 1)),
        (x.where(x > 2, other=0.0), x.where(x > 2, 0.0)),
    ]
    for by_keyword, by_position in pairs:
        assert by_keyword.shape == by_position.shape and by_keyword.tolist() == by_position.tolist()
    with pytest.raises(TypeError, match="multiple values for argument 'shape'"):
        x.reshape(3, 2, shape=(3, 2))
    assert x.flip(dims=()).tolist() == x.tolist() and x.flip([]).tolist() == x.tolist()  # flips nothing


def test_softmax_methods_take_a_dtype_to_compute_in():
    x = tg.tensor([[1.0, 2.0, 3.0]], requires_grad=True)  # float32
    for probs, direct in (
        (x.softmax(1, dtype=tg.float64), tg.softmax(x.double(), 1)),
        (tg.log_softmax(x, 1, tg.float64), x.double().log_softmax(1)),
    ):
        assert probs.dtype == np.float64 and probs.tolist() == direct.tolist()
    x.softmax(1, dtype=tg.float64)[0, 0].backward()
    assert x.grad.dtype == np.float32


def test_view_with_a_dtype_reads_the_same_bytes_as_that_dtype():
    x = tg.tensor([[1.0, -2.0, 0.5]])  # float32
    bits = x.view(tg.int32)
    assert bits.shape == (1, 3) and bits.dtype == np.int32
    assert bits.tolist() == [[int(np.float32(v).view(np.int32)) for v in (1.0, -2.0, 0.5)]]
    assert x.view(np.int16).shape == (1, 6) and x.double().view(tg.int32).shape == (1, 6)
    assert x.view(dtype=tg.int32).tolist() == bits.tolist()  # (by keyword, as PyTorch takes it)
    bits.zero_()  # the same memory, so the same version counter
    assert x.tolist() == [[0.0, 0.0, 0.0]] and x._version == 1
    with pytest.raises(RuntimeError, match="cannot view float32 as int64"):
        x.view(tg.int64)  # 12 bytes in the last dim: not a whole number of int64s
    y = tg.tensor([1.0, 2.0], requires_grad=True)
    assert not y.view(tg.int32).requires_grad and y.view(tg.float32).requires_grad


def test_flip_and_repeat_give_new_tensors_not_views():
    x = tg.arange(3.0)
    y = x.flip(0)
    y[0] = 100.0
    assert x.tolist() == [0.0, 1.0, 2.0]
    leaf = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    leaf.flip(0).mul_(2.0)  # not a view of a leaf: in place is allowed, as in PyTorch
    for repeated in (x.repeat(1), x.tile(1), x.reshape(1, 3).repeat(2, 1)):
        repeated[0] = 100.0  # writable, and x's own memory untouched
        assert x.tolist() == [0.0, 1.0, 2.0]
    assert x.reshape(1, 3).repeat(2, 1).tolist() == [[0.0, 1.0, 2.0]] * 2


def test_integer_division_and_powers_follow_pytorchs_dtypes():
    ints = tg.tensor([1, 2])
    assert (ints / tg.tensor(np.float64(4.0))).dtype == np.float64  # a 0-d float of a higher kind wins
    assert (ints / tg.tensor([4.0])).dtype == np.float32 and (ints / 4).dtype == np.float32
    assert (tg.tensor([2, 1, -1]) ** tg.tensor([-1, -2, -3])).tolist() == [0, 1, -1]  # 1 / x^|p|, toward 0
    assert (2 ** tg.tensor([-1, 3])).tolist() == [0, 8]
    assert tg.pow(2, tg.tensor([-1, 3])).tolist() == [0, 8]  # the function form takes a number base too
    assert (
        tg.pow(2.0, tg.tensor([1, 3])).tolist() == [2.0, 8.0]
        and tg.pow(2.0, tg.tensor([1])).dtype == np.float32
    )
    assert (tg.tensor(np.int32([3])) ** 2).dtype == np.int32
    assert (tg.tensor(np.uint8([3, 20])) ** 2).tolist() == [9, 144]
    with pytest.raises(RuntimeError, match="negative integer powers"):
        tg.tensor([2]) ** -1


def test_powers_of_masks_follow_pytorch():
    mask = tg.tensor([True, False])
    assert (mask**True).tolist() == [True, False] and (mask**False).tolist() == [True, True]
    assert (mask**True).dtype == np.bool_  # a mask to a bool power stays a mask
    assert (mask**2).dtype == np.int64 and (2**mask).tolist() == [2, 1]
    negative = mask ** tg.tensor([-2, -1])  # in integers: 1^-2 = 1, and 0^-1 rounds to 0, as in PyTorch
    assert negative.dtype == np.int64 and negative.tolist() == [1, 0]
    with pytest.raises(RuntimeError, match="can't be cast"):
        mask.clone().pow_(tg.tensor([-2, -1]))
    for power in (lambda: mask**mask, lambda: True**mask, lambda: tg.pow(mask, mask)):
        with pytest.raises(NotImplementedError, match="not implemented for 'Bool'"):
            power()


def test_indexing_with_an_empty_list_selects_nothing():
    x = tg.ones(3, 2, requires_grad=True)
    picked = x[[]]
    assert picked.shape == (0, 2)
    picked.sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0]] * 3
    y = tg.ones(3, 2)
    y[[]] = 5.0
    assert y.sum().item() == 6.0


def test_a_dtype_given_to_tensor_takes_any_real_numbers():
    from decimal import Decimal
    from fractions import Fraction

    assert tg.tensor([Fraction(1, 2), Decimal("1.5")], dtype=tg.float64).tolist() == [0.5, 1.5]
    assert tg.tensor([1.5, 2**70], dtype=tg.float64).tolist() == [1.5, 2.0**70]  # (an int beyond int64)
    with pytest.raises(TypeError, match="complex"):
        tg.tensor([1 + 2j], dtype=tg.float64)


def test_index_select_of_a_0_d_tensor_takes_its_one_element():
    x = tg.tensor(3.0, dtype=tg.float64, requires_grad=True)
    for index in (tg.tensor([0]), tg.tensor(0)):
        picked = x.index_select(0, index)
        assert picked.shape == () and picked.item() == 3.0
    assert gradcheck(lambda t: t.index_select(0, tg.tensor([0])) * t, (x,))
    picked = tg.tensor(5.0).index_select(0, tg.tensor([0]))
    picked += 1.0  # a copy, as index_select always makes: its source stays 5
    assert picked.item() == 6.0 and picked._base is None
    with pytest.raises(IndexError, match="out of"):
        x.index_select(0, tg.tensor([1]))


def test_the_forms_pytorch_accepts_beside_those_errors():
    flags = tg.tensor([True, False])
    assert flags.clamp(0, 2).dtype == tg.int64 and flags.clamp(0, 2).tolist() == [1, 0]  # (promoted)
    a, b = tg.tensor([1.0, -2.0]), tg.tensor([0.0, 0.0])
    assert a.max(other=b).tolist() == [1.0, 0.0] and a.min(other=b).tolist() == [0.0, -2.0]
    x = tg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = tg.tensor([0.5, -1.0], requires_grad=True)
    y = tg.nn.functional.linear(x, w)  # a weight of shape (in,): one output, without its dim
    assert y.shape == (2,) and y.tolist() == [-1.5, -2.5]
    y.sum().backward()
    assert w.grad.tolist() == [4.0, 6.0] and tg.nn.functional.linear(x[0], w).shape == ()
    assert x.narrow(0, -2, 2).tolist() == x.tolist() and x[0, 0].flatten(-1).shape == (1,)
    assert x[tg.tensor([1], dtype=tg.int32)].shape == (1, 2) and x[tg.tensor(1, dtype=tg.int8)].shape == (2,)


def test_the_nn_edges_pytorch_has():
    F = tg.nn.functional
    x, w = tg.ones(3, 4), tg.ones(2, 4)
    assert F.linear(x, w, tg.tensor(1.0)).tolist() == [[5.0, 5.0]] * 3  # a bias that broadcasts
    b = tg.zeros(3, 1, requires_grad=True)
    F.linear(x, w, b).sum().backward()
    assert b.grad.tolist() == [[2.0], [2.0], [2.0]]
    with pytest.raises(RuntimeError, match=r"bias of shape \(4,\) does not match"):
        F.linear(x, w, tg.ones(4))
    with pytest.raises(NotImplementedError, match="mse_cpu\" not implemented for 'Bool'"):
        F.mse_loss(tg.tensor([True]), tg.tensor([False]))
    assert F.mse_loss(tg.tensor([1]), tg.tensor([0.5])).item() == 0.25  # (promoted to float: computed)
    a = tg.tensor([float("nan"), -1.0, 0.0, 2.0], requires_grad=True)
    F.relu(a).sum().backward()
    assert a.grad.tolist() == [1.0, 0.0, 0.0, 1.0]  # a NaN passes its gradient on, as in PyTorch
    for name, slope in (("elu", 1.0), ("celu", 1.0), ("selu", 1.0507009873554805)):  # likewise
        a = tg.tensor([float("nan")], dtype=tg.float64, requires_grad=True)
        getattr(F, name)(a).sum().backward()
        assert a.grad.item() == pytest.approx(slope)
    for make in (tg.zeros, tg.ones, tg.empty, tg.rand, tg.randn):
        with pytest.raises(TypeError, match="missing 1 required positional arguments"):
            make()
        assert make(()).shape == ()
