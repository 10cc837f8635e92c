"""Custom Functions whose forward returns several arrays (autograd/outputs.py), as in PyTorch.

``a, b = Op.apply(x)`` gives a tuple of Tensors; backward runs once, with one
gradient per output. Checked: the gradients against finite differences (first
and second derivatives, over drawn shapes, broadcasting included), the
outputs the loss leaves unused, non-differentiable and integer outputs, saved
outputs (also once dropped), in-place changes, hooks, released graphs,
`once_differentiable`, memory, ctx attributes, and the pictures. (The op
table, tests/op_table.py, has two rows of such Functions too.)
"""

from __future__ import annotations

import gc
import re
import weakref

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.autograd.function import Function, once_differentiable
from tinygrad_edu.testing import gradcheck, gradgradcheck
from tinygrad_edu.testing.strategies import broadcastable_shapes, shapes, tensors

from .op_table import ProductAndSum, SinCos


def _x(values=(0.3, -1.2, 2.0)) -> tg.Tensor:
    return tg.tensor(np.array(values), requires_grad=True)


def test_apply_returns_a_tuple_of_tensors_each_made_by_the_op() -> None:
    x = _x()
    s, c = SinCos.apply(x)
    np.testing.assert_allclose(s.data, np.sin(x.data))
    np.testing.assert_allclose(c.data, np.cos(x.data))
    assert s.requires_grad and c.requires_grad
    assert repr(s.grad_fn) == "<SinCosBackward (output 0)>" and s.grad_fn.index == 0 and c.grad_fn.index == 1
    ((op, _),) = s.grad_fn.next_functions
    assert c.grad_fn.next_functions[0][0] is op and type(op).__name__ == "SinCosBackward"
    # the op's saved values, read through either output's grad_fn (in PyTorch, the op's node)
    assert c.grad_fn.saved_tensors == op.saved_tensors == (s, c)  # (SinCos saves its outputs)
    assert type(SinCos.apply(x.detach())) is tuple  # also when nothing is recorded
    assert SinCos.apply(x.detach())[0].grad_fn is None


def test_backward_gets_every_outputs_gradient_at_once() -> None:
    x = _x()
    s, c = SinCos.apply(x)
    (2 * s + 3 * c).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * np.cos(x.data) - 3 * np.sin(x.data))


def test_an_output_the_loss_does_not_use_gets_zeros_or_none() -> None:
    seen = []

    class Spy(Function):
        @staticmethod
        def forward(ctx, x, materialize):
            ctx.set_materialize_grads(materialize)
            return x * 2.0, x * 3.0

        @staticmethod
        def backward(ctx, ga, gb):
            seen.append((ga, gb))
            return (ga if ga is not None else 0) * 2.0 + (gb if gb is not None else 0) * 3.0, None

    x = _x()
    Spy.apply(x, True)[1].sum().backward()
    ga, gb = seen.pop()
    assert ga.shape == (3,) and ga.dtype == tg.float64 and not ga.data.any()  # as PyTorch's default
    np.testing.assert_allclose(gb.data, 1.0)
    np.testing.assert_allclose(x.grad.data, 3.0)
    Spy.apply(x, False)[0].sum().backward()
    assert seen.pop()[1] is None
    np.testing.assert_allclose(x.grad.data, 5.0)


@given(tensors(shape=shapes(max_dims=3), elements=st.floats(-3, 3), requires_grad=True))
def test_first_and_second_derivatives_match_finite_differences(x: tg.Tensor) -> None:
    assert gradcheck(SinCos.apply, (x,))
    assert gradgradcheck(SinCos.apply, (x,))
    # one output alone, the other dropped before backward (it is saved: remade for the second derivative)
    assert gradgradcheck(lambda t: SinCos.apply(t)[1], (x,))


@given(shapes(max_dims=3, max_side=3), st.data())
def test_broadcast_inputs_get_gradients_of_their_own_shapes(shape, data) -> None:
    other = data.draw(broadcastable_shapes(shape, max_dims=3))
    a = data.draw(tensors(shape=shape, elements=st.floats(-2, 2), requires_grad=True))
    b = data.draw(tensors(shape=other, elements=st.floats(-2, 2), requires_grad=True))
    assert gradcheck(ProductAndSum.apply, (a, b))
    assert gradgradcheck(ProductAndSum.apply, (a, b))


def test_a_saved_output_dropped_unused_is_remade_from_its_values() -> None:
    x = _x()
    s, c = SinCos.apply(x)
    del c  # the op saved it
    s.sum().backward(create_graph=True)  # backward reads the remade cos x
    np.testing.assert_allclose(x.grad.data, np.cos(x.data))
    (hess,) = tg.autograd.grad(x.grad.sum(), x)
    np.testing.assert_allclose(hess.data, -np.sin(x.data))  # through the remade output's graph


def test_non_differentiable_and_integer_outputs_take_no_gradient() -> None:
    class MaxAndWhere(Function):
        @staticmethod
        def forward(ctx, x):
            i = np.argmax(x)
            ctx.mark_non_differentiable(i)
            ctx.save_for_backward(x)
            ctx.i = i
            return x.max(), i, np.float64(x.size)

        @staticmethod
        def backward(ctx, grad_max, grad_index, grad_size):
            assert not grad_index.data.any() and grad_size is not None  # zeros, as in PyTorch
            (x,) = ctx.saved_tensors
            g = tg.zeros_like(x)
            g[int(ctx.i)] = grad_max
            return g

    class MarkedFloat(Function):
        @staticmethod
        def forward(ctx, x):
            counted = np.float64(x.size)
            ctx.mark_non_differentiable(counted)
            return x * 2.0, counted

        @staticmethod
        def backward(ctx, grad, grad_counted):
            return grad * 2.0

    x = _x()
    top, index, size = MaxAndWhere.apply(x)
    assert top.requires_grad and not index.requires_grad and index.dtype == tg.int64
    assert size.requires_grad  # a float output nobody marked: differentiable
    top.backward()
    np.testing.assert_allclose(x.grad.data, [0.0, 0.0, 1.0])
    doubled, counted = MarkedFloat.apply(x)
    assert doubled.requires_grad and not counted.requires_grad and counted.grad_fn is None


def test_none_outputs_pass_through_and_odd_returns_are_refused() -> None:
    class WithNone(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0, None

        @staticmethod
        def backward(ctx, grad, grad_none):
            assert grad_none is None
            return grad * 2.0

    class Nested(Function):
        @staticmethod
        def forward(ctx, x):
            return x, (x, x)

    x = _x()
    doubled, nothing = WithNone.apply(x)
    assert nothing is None
    doubled.sum().backward()
    np.testing.assert_allclose(x.grad.data, 2.0)
    with pytest.raises(TypeError, match="Nested.forward returned a tuple inside its tuple"):
        Nested.apply(x)


def test_changing_a_saved_output_in_place_makes_backward_raise_naming_the_op() -> None:
    x = _x()
    s, c = SinCos.apply(x)
    c.mul_(2)
    with pytest.raises(RuntimeError, match="SinCosBackward needs version 0 .* now at version 1"):
        s.sum().backward()


def test_a_released_graph_raises_and_retain_graph_keeps_it() -> None:
    x = _x()
    s, c = SinCos.apply(x)
    (s + c).sum().backward(retain_graph=True)
    (s + c).sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * (np.cos(x.data) - np.sin(x.data)))
    with pytest.raises(RuntimeError, match=r"SinCosBackward \(output 0\) was freed"):
        s.sum().backward()


def test_hooks_and_retain_grad_see_one_outputs_gradient() -> None:
    x = _x()
    s, c = SinCos.apply(x)
    c.retain_grad()
    s.register_hook(lambda g: g * 10)
    (s + 2 * c).sum().backward()
    np.testing.assert_allclose(c.grad.data, 2.0)
    np.testing.assert_allclose(x.grad.data, 10 * np.cos(x.data) - 2 * np.sin(x.data))
    s2, c2 = SinCos.apply(x)
    (gs,) = tg.autograd.grad((s2 * c2).sum(), [s2])  # an output as the input asked about
    np.testing.assert_allclose(gs.data, c2.data)


def test_once_differentiable_takes_every_outputs_gradient() -> None:
    class NumpySinCos(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.x = x
            return np.sin(x), np.cos(x)

        @staticmethod
        @once_differentiable
        def backward(ctx, grad_sin, grad_cos):
            return grad_sin.data * np.cos(ctx.x) - grad_cos.data * np.sin(ctx.x)

    x = _x()
    s, c = NumpySinCos.apply(x)
    (s + c).sum().backward(create_graph=True)
    np.testing.assert_allclose(x.grad.data, np.cos(x.data) - np.sin(x.data))
    x2 = _x()
    s, c = NumpySinCos.apply(x2)
    (g,) = tg.autograd.grad((s * s + c).sum(), x2, create_graph=True)  # s's gradient is on a graph
    with pytest.raises(RuntimeError, match="differentiate twice a function that was marked"):
        g.sum().backward()


def test_outputs_and_the_op_node_are_freed_with_no_cycle_left() -> None:
    x = _x()
    s, c = SinCos.apply(x)
    op = weakref.ref(s.grad_fn.parents[0])
    was = gc.isenabled()
    gc.disable()  # freed by reference counting alone: no cycle through the saved outputs
    try:
        del s, c
        assert op() is None
    finally:
        if was:
            gc.enable()


def test_anomaly_mode_names_the_op_of_a_nan_gradient() -> None:
    class NanBack(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0, x * 2.0

        @staticmethod
        def backward(ctx, ga, gb):
            return ga * np.nan

    x = _x()
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        anomaly = tg.autograd.detect_anomaly()
    with pytest.warns(UserWarning, match="NanBack"), anomaly:
        a, b = NanBack.apply(x)
        with pytest.raises(RuntimeError, match="Function 'NanBackBackward' returned nan values in its 0th"):
            (a + b).sum().backward()


def test_the_pictures_draw_the_op_once_with_an_edge_to_each_output() -> None:
    from tinygrad_edu import viz

    x = _x()
    x.name = "x"
    s, c = SinCos.apply(x)
    c.name = "c"
    c.register_hook(lambda g: g * 2)
    loss = (s + c).sum()
    source = viz.draw_graph(loss).source
    (op,) = re.findall(r"(op\d+) \[label=SinCos ", source)  # one box for the op, none for its Output nodes
    assert re.search(rf'{op} -> t\d+ \[label="output 0"\]', source)
    assert re.search(rf'{op} -> t\d+ \[label="output 1"\]', source)
    assert "SinCos output 0" in source and "Output" not in source
    table = viz.format_backward_table(viz.backward_steps(loss))
    # the op's step receives both gradients, the hooked one marked, and sends one
    assert re.search(
        r"^3\s+SinCos\s+dL/d\(SinCos output 0\)\s+\(3,\)\s+\[1\., 1\., 1\.\]\n"
        r"\s+dL/dc after hooks\s+\(3,\)\s+\[2\., 2\., 2\.\]\n"
        r"\s+-> dL/dx ",
        table,
        flags=re.M,
    )
    assert "Output" not in table
    drawn = viz.draw_backward(loss).source
    assert "3. SinCosBackward\\nthe gradient of c after hooks: [2., 2., 2.]" in drawn
    assert drawn.count('-> op3 [label="2: dL/d') == 2  # both outputs' gradients go to the op itself
    table = viz.format_backward_table(viz.backward_steps(c.sum()))  # one output in the graph
    assert re.search(r"^2\s+SinCos\s+dL/dc after hooks\s+\(3,\)\s+\[2\., 2\., 2\.\]$", table, flags=re.M)
    # backward from one of the outputs itself: the seed goes to the op
    table = viz.format_backward_table(viz.backward_steps(s, tg.ones(3, dtype=tg.float64)))
    assert re.search(
        r"^0\s+seed\s+-> dL/d\(SinCos output 0\)\s+\(3,\)\s+\[1\., 1\., 1\.\]$", table, flags=re.M
    )
    assert re.search(r"^1\s+SinCos\s+dL/d\(SinCos output 0\)\s", table, flags=re.M)


def test_a_saved_output_changed_in_place_then_dropped_still_makes_backward_raise() -> None:
    x = _x()
    s, c = SinCos.apply(x)
    c.mul_(2)
    del c  # its values changed, then it went: backward must not use the changed values silently
    with pytest.raises(RuntimeError, match="SinCosBackward needs version 0 .* now at version 1"):
        s.sum().backward()


def test_the_same_array_as_two_outputs_is_refused() -> None:
    class Twice(Function):
        @staticmethod
        def forward(ctx, x):
            y = x * 2.0
            return y, y  # two Tensors on one array would not share a version counter

    with pytest.raises(RuntimeError, match="Twice.forward returned the same array as two outputs"):
        Twice.apply(_x())


def test_ctx_attributes_of_the_users_own_do_not_collide_with_the_bookkeeping() -> None:
    class Named(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.output_specs, ctx.kept_outputs = "mine", ["mine"]
            s, c = np.sin(x), np.cos(x)
            ctx.save_for_backward(c)
            return s, c

        @staticmethod
        def backward(ctx, grad_sin, grad_cos):
            assert ctx.output_specs == "mine" and ctx.kept_outputs == ["mine"]
            (c,) = ctx.saved_tensors
            return grad_sin * c

    x = _x()
    Named.apply(x)[0].sum().backward()
    np.testing.assert_allclose(x.grad.data, np.cos(x.data))


def test_a_marked_output_dropped_and_remade_stays_non_differentiable() -> None:
    class WithCount(Function):
        @staticmethod
        def forward(ctx, x):
            total = np.float64(x.sum())  # a NumPy scalar, wrapped into a Tensor by apply
            ctx.mark_non_differentiable(total)
            ctx.save_for_backward(total)
            return x * 2.0, total

        @staticmethod
        def backward(ctx, grad, grad_total):
            (total,) = ctx.saved_tensors
            assert not total.requires_grad
            return grad * 2.0

    x = _x()
    doubled, total = WithCount.apply(x)
    assert not total.requires_grad
    del total
    doubled.sum().backward()
    np.testing.assert_allclose(x.grad.data, 2.0)


def test_unused_outputs_get_zeros_of_their_own_dtype_and_unmarked_integers_no_gradient() -> None:
    seen = []

    class Mixed(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0, (x * 3.0).astype(np.float32), np.argsort(x)

        @staticmethod
        def backward(ctx, g64, g32, g_index):
            seen.append((g32.dtype, g_index.dtype, g_index.shape))
            return g64 * 2.0 + g32.double() * 3.0

    x = _x()
    doubled, tripled, order = Mixed.apply(x)
    assert tripled.requires_grad and tripled.dtype == tg.float32
    assert not order.requires_grad and order.grad_fn is None  # integers carry no gradient, marked or not
    doubled.sum().backward()
    assert seen == [(tg.float32, tg.int64, (3,))]
    np.testing.assert_allclose(x.grad.data, 2.0)


def test_draw_graph_draws_every_output_of_an_op_it_draws_even_at_a_depth_limit() -> None:
    from tinygrad_edu import viz

    x = _x()
    s, c = SinCos.apply(x)
    loss = s.sum() + (c * 2).sum()  # s is 2 ops from the root, c 3: the op is drawn at depth 3
    source = viz.draw_graph(loss, max_depth=3).source
    (op,) = re.findall(r"(op\d+) \[label=SinCos ", source)
    assert re.search(rf'{op} -> t\d+ \[label="output 0"\]', source)
    assert re.search(rf'{op} -> t\d+ \[label="output 1"\]', source)  # not cut off with a "…"
