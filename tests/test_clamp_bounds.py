"""clamp with tensor bounds: the result's dtype, broadcasting, and a gradient for each bound.

The gradients against finite differences are the op table's rows
(clamp_tensor_min, clamp_tensor_bounds); here, the rules at the edges that
finite differences cannot see: which of x, lo and hi gets the gradient when
lo > hi, and the dtypes. Checked against torch where it is installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg

X = [0.0, 1.0, 2.0, 3.0, 1.0, 5.0]
LO = [1.0, 1.0, 1.0, 1.0, 2.0, 2.0]
HI = [2.0, 2.0, 2.0, 2.0, 2.0, 1.0]  # the last: lo > hi, so y is hi


def _grads(lib, x, lo, hi):
    ts = [lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in (x, lo, hi)]
    y = ts[0].clamp(ts[1], ts[2])
    y.backward(lib.arange(1.0, len(x) + 1.0, dtype=lib.float64))
    return [np.asarray(y.detach().numpy() if lib is not tg else y.data)] + [
        np.asarray(t.grad.numpy() if lib is not tg else t.grad.data) for t in ts
    ]


def test_each_of_x_lo_hi_gets_the_gradient_where_it_is_the_result():
    y, gx, glo, ghi = _grads(tg, X, LO, HI)
    np.testing.assert_array_equal(y, [1.0, 1.0, 2.0, 2.0, 2.0, 1.0])
    np.testing.assert_array_equal(gx, [0, 2, 3, 0, 0, 0])  # lo <= x <= hi
    np.testing.assert_array_equal(glo, [1, 0, 0, 0, 0, 0])  # x < lo < hi
    np.testing.assert_array_equal(ghi, [0, 0, 0, 4, 0, 6])  # x > hi, or hi < lo


def test_a_broadcast_bound_gets_its_gradient_summed_to_its_shape():
    x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    lo = tg.tensor([[1.5], [2.5]], requires_grad=True)
    y = x.clamp(min=lo)
    assert y.shape == (2, 3)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0, 1, 2])
    np.testing.assert_array_equal(lo.grad.data, [[1], [2]])


def test_the_dtype_is_that_of_x_and_the_bounds_together():
    assert tg.tensor([1, 2, 3]).clamp(max=tg.tensor(2.5)).dtype == tg.float32
    np.testing.assert_array_equal(tg.tensor([1, 2, 3]).clamp(max=tg.tensor(2.5)).data, [1, 2, 2.5])
    assert tg.tensor([1.0, 2.0]).clamp(min=tg.tensor([1.5, 0.0], dtype=tg.float64)).dtype == tg.float64
    assert tg.tensor([1, 2, 3], dtype=tg.int32).clamp(max=tg.tensor(2)).dtype == tg.int32
    assert tg.tensor([1, 2, 3], dtype=tg.int32).clamp(max=tg.tensor([2])).dtype == tg.int64
    # a number beside a tensor bound: the number does not widen a float32 x
    assert tg.tensor([1.0, 2.0]).clamp(min=1.5, max=tg.tensor(0.5)).dtype == tg.float32


def test_in_place_clamp_keeps_self_dtype_or_refuses():
    x = tg.tensor([1.0, 2.0])
    x.clamp_(min=tg.tensor([1.5, 0.0], dtype=tg.float64))
    assert x.dtype == tg.float32
    np.testing.assert_array_equal(x.data, [1.5, 2.0])
    ints = tg.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast"):
        ints.clamp_(min=tg.tensor([1.5, 0.0]))
    np.testing.assert_array_equal(ints.data, [1, 2])


def test_in_place_clamp_of_a_constant_hands_a_tensor_bound_its_gradient():
    for bound in ("min", "max"):
        b = tg.tensor([1.0, 0.1, -1.0], requires_grad=True)
        x = tg.tensor([0.1, 0.2, 0.3])  # needs no gradient itself: the bound makes the op recorded
        x.clamp_(**{bound: b}).sum().backward()
        wins = [1.0, 0.0, 0.0] if bound == "min" else [0.0, 1.0, 1.0]  # where the bound is the result
        np.testing.assert_array_equal(b.grad.data, wins)
        assert x.requires_grad and not x.is_leaf


def test_nan_in_x_or_a_bound_gives_nan_and_bad_shapes_name_both():
    y = tg.tensor([1.0, float("nan")]).clamp(tg.tensor([float("nan"), 0.0]), tg.tensor(5.0))
    assert np.isnan(y.data).all()
    with pytest.raises(RuntimeError, match=r"\(2,\) and \(3,\)"):
        tg.tensor([1.0, 2.0]).clamp(min=tg.ones(3))


def test_against_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    for _ in range(20):
        x, lo, hi = (np.round(rng.uniform(-2, 2, 8), 1) for _ in range(3))  # ties included
        for ours, theirs in zip(_grads(tg, x, lo, hi), _grads(torch, x, lo, hi)):
            np.testing.assert_array_equal(ours, theirs)
