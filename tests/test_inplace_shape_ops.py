"""In-place changes of shape (ops/inplace_shape.py): t_, transpose_, swapdims_, swapaxes_, squeeze_,
unsqueeze_ on plain tensors, leaves, non-leaves and views, with the version counter."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.testing import gradcheck, gradgradcheck

CHANGES = {
    "t_": (lambda t: t.t_(), lambda t: t.t()),
    "transpose_": (lambda t: t.transpose_(0, -1), lambda t: t.transpose(0, -1)),
    "swapdims_": (lambda t: t.swapdims_(-1, 0), lambda t: t.transpose(0, -1)),
    "swapaxes_": (lambda t: t.swapaxes_(0, 1), lambda t: t.transpose(0, 1)),
    "squeeze_": (lambda t: t.squeeze_(), lambda t: t.squeeze()),
    "squeeze_dim": (lambda t: t.squeeze_(1), lambda t: t.squeeze(1)),
    "squeeze_dims": (lambda t: t.squeeze_((0, 1)), lambda t: t.squeeze((0, 1))),
    "unsqueeze_": (lambda t: t.unsqueeze_(1), lambda t: t.unsqueeze(1)),
}


def _version(t: tg.Tensor) -> int:
    """The version counter of t's memory (a view reads its base's)."""
    return (t if t._base is None else t._base)._version


@pytest.mark.parametrize("name", CHANGES)
def test_a_plain_tensor_changes_shape_in_memory_and_counts_a_version(name):
    in_place, out_of_place = CHANGES[name]
    x = tg.tensor(np.arange(6.0).reshape((3, 2) if name == "t_" else (3, 1, 2)))
    expected = out_of_place(x).data.copy()
    memory = x.data
    assert in_place(x) is x
    np.testing.assert_array_equal(x.data, expected)
    assert np.shares_memory(x.data, memory)  # the same memory, read another way
    assert x._version == 1 and x.grad_fn is None


@pytest.mark.parametrize("name", CHANGES)
def test_a_leaf_that_requires_grad_is_refused_and_left_alone_unless_under_no_grad(name):
    in_place, out_of_place = CHANGES[name]
    a = tg.tensor(np.arange(6.0).reshape((3, 2) if name == "t_" else (3, 1, 2)), requires_grad=True)
    before = a.data.copy()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        in_place(a)
    np.testing.assert_array_equal(a.data, before)
    assert a._version == 0
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        in_place(a[1:])
    with tg.no_grad():
        in_place(a)
    assert a.is_leaf and a.requires_grad and a.shape == out_of_place(tg.tensor(before)).shape
    assert a._version == 1


@pytest.mark.parametrize("name", CHANGES)
def test_a_non_leaf_records_the_change_so_the_gradient_reaches_the_old_value(name):
    in_place, out_of_place = CHANGES[name]
    shape = (3, 2) if name == "t_" else (3, 1, 2)
    rng = np.random.default_rng(0)
    a = tg.tensor(rng.standard_normal(shape), requires_grad=True)
    weight = tg.tensor(rng.standard_normal(out_of_place(a).shape))

    def f(a):
        y = a * a
        in_place(y)
        return y * weight

    assert gradcheck(f, [a])
    assert gradgradcheck(f, [a])
    y = a * 2.0
    in_place(y)
    np.testing.assert_array_equal(y.data, out_of_place(a * 2.0).data)
    assert not y.is_leaf and y._version == 1


@given(
    shape=st.lists(st.integers(1, 3), min_size=1, max_size=4),
    ops=st.lists(
        st.tuples(st.sampled_from(["transpose_", "squeeze_", "unsqueeze_"]), st.integers(0, 9)), max_size=4
    ),
)
def test_any_chain_of_changes_gives_the_out_of_place_values_and_gradients(shape, ops):
    rng = np.random.default_rng(len(shape))
    a = tg.tensor(rng.standard_normal(shape), requires_grad=True)
    b = tg.tensor(a.data.copy(), requires_grad=True)
    y, z = a * 3.0, b * 3.0
    for op, k in ops:
        if op == "transpose_":
            d0, d1 = k % y.ndim if y.ndim else 0, (k // 3) % y.ndim if y.ndim else 0
            y.transpose_(d0, d1)
            z = z.transpose(d0, d1)
        elif op == "squeeze_":
            y.squeeze_()
            z = z.squeeze()
        else:
            d = k % (y.ndim + 1)
            y.unsqueeze_(d)
            z = z.unsqueeze(d)
    assert y.shape == z.shape
    np.testing.assert_array_equal(y.data, z.data)
    upstream = tg.tensor(rng.standard_normal(z.shape))
    (y * upstream).sum().backward()
    (z * upstream).sum().backward()
    np.testing.assert_array_equal(a.grad.data, b.grad.data)
    assert y._version == len(ops)


def test_a_view_changed_in_shape_stays_a_view_of_its_base():
    a = tg.tensor(np.ones((3, 4)), requires_grad=True)
    b = a * 1.0
    v = b[1:]
    v.t_()
    assert v.shape == (4, 2) and v._base is b and _version(v) == 1 and b._version == 1
    v.mul_(2.0)  # through the transposed view, into b
    np.testing.assert_array_equal(b.data, [[1.0] * 4, [2.0] * 4, [2.0] * 4])
    b.sum().backward()
    np.testing.assert_array_equal(a.grad.data, [[1.0] * 4, [2.0] * 4, [2.0] * 4])
    # a change of the base afterwards is seen through the view, and its gradient too
    c = tg.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    d = c * 1.0
    w = d[0]
    w.unsqueeze_(0)
    d.mul_(3.0)
    np.testing.assert_array_equal(w.data, [[0.0, 3.0, 6.0]])
    (w * tg.tensor([[1.0, 2.0, 3.0]])).sum().backward()
    np.testing.assert_array_equal(c.grad.data, [[3.0, 6.0, 9.0], [0.0, 0.0, 0.0]])


def test_a_tensor_saved_for_backward_then_changed_in_shape_is_reported():
    a = tg.tensor(np.arange(1.0, 7.0).reshape(2, 3), requires_grad=True)
    y = a * 1.0
    z = y * y  # saves y
    y.t_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_errors_are_pytorchs_and_leave_the_tensor_as_it_was():
    x = tg.tensor(np.zeros((2, 3, 4)))
    cases = [
        (lambda: x.t_(), RuntimeError, r"t_\(\) expects a tensor with <= 2 dimensions, but self is 3D"),
        (lambda: x.transpose_(0, 5), IndexError, "Dimension out of range"),
        (lambda: x.squeeze_(7), IndexError, "Dimension out of range"),
        (lambda: x.unsqueeze_(5), IndexError, "Dimension out of range"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
        assert x.shape == (2, 3, 4) and x._version == 0


def test_the_same_graph_and_versions_as_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    values = rng.standard_normal((3, 1, 4))
    upstream = rng.standard_normal((3, 4))
    results = []
    for lib in (tg, torch):
        a = lib.tensor(values, requires_grad=True)
        y = a * a
        y.squeeze_(1)
        y.t_()
        y.unsqueeze_(0).swapaxes_(0, 2).squeeze_()
        v = y[1:]
        v.transpose_(0, 1)
        v.mul_(2.0)
        (y * lib.tensor(upstream)).sum().backward()
        results.append((y.detach().numpy().copy(), a.grad.numpy().copy(), y._version, tuple(y.shape)))
    (ours, ours_grad, ours_version, ours_shape), (theirs, theirs_grad, their_version, their_shape) = results
    assert ours_shape == their_shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    np.testing.assert_allclose(ours_grad, theirs_grad, rtol=1e-12)
    assert ours_version == their_version


def _views_made_before_the_change(lib):
    """Views of a tensor made before it changes shape, used after: values, writes and gradients."""
    a = lib.tensor(np.arange(1.0, 10.0).reshape(3, 3), requires_grad=True)
    b = a * 1.0
    row = b[0]  # b's first row, before b is transposed
    block = b[1:]
    b.t_()
    row.mul_(2.0)  # doubles what is now b's first column
    b.mul_(3.0)
    seen = (row * lib.tensor([1.0, 10.0, 100.0])).sum()  # row sees the tripling
    block.add_(1.0)
    total = (b * lib.tensor(np.arange(9.0).reshape(3, 3))).sum() + seen
    total.backward()
    return b.detach().numpy().copy(), row.detach().numpy().copy(), a.grad.numpy().copy()


def test_views_made_before_a_change_of_shape_keep_reading_the_old_shape():
    b, row, grad = _views_made_before_the_change(tg)
    a = np.arange(1.0, 10.0).reshape(3, 3)
    a[0] *= 2.0
    a *= 3.0
    a[1:] += 1.0
    np.testing.assert_array_equal(b, a.T)
    np.testing.assert_array_equal(row, a[0])
    torch = pytest.importorskip("torch")
    for ours, theirs in zip((b, row, grad), _views_made_before_the_change(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_a_graph_recorded_before_a_change_of_shape_still_backpropagates():
    a = tg.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = a * 1.0
    z = y * 2.0  # recorded while y is (2, 3)
    y.t_()
    z.sum().backward()
    np.testing.assert_array_equal(a.grad.data, np.full((2, 3), 2.0))


def test_graphs_recorded_between_several_changes_of_shape_each_get_their_gradient():
    a = tg.tensor(np.arange(6.0).reshape(2, 1, 3), requires_grad=True)
    y = a * 1.0
    z = (y * 2.0).sum()  # y (2, 1, 3)
    y.squeeze_(1)
    w = (y * 3.0).sum()  # y (2, 3)
    y.t_()
    v = (y * 5.0).sum()  # y (3, 2)
    y.unsqueeze_(0)
    u = (y * 4.0).sum()  # y (1, 3, 2)
    (z + w + v + u).backward()
    np.testing.assert_array_equal(a.grad.data, np.full((2, 1, 3), 2.0 + 3.0 + 5.0 + 4.0))
