"""Hooks on a graph node (``y.grad_fn.register_prehook`` / ``register_hook``), as in PyTorch.

The order of the five steps around a node (autograd/hooks.py), what each hook
sees and may replace, the errors for a hook that returns the wrong thing (which
leave the graph and every .grad as they were), and, over every op of the op
table, that the hooks see one gradient per `next_functions` pair, of the
input's shape, and that backward is linear in what a pre-hook hands it.
"""

from __future__ import annotations

import collections
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.autograd.function import Function, Node
from tinygrad_edu.autograd.outputs import OutputBackward
from tinygrad_edu.viz import backward_steps

from .op_table import OPS, Op, SinCos
from .test_gradients import op_inputs


def _graph_nodes(root: Node) -> list[Node]:
    seen, todo = [], [root]
    while todo:
        node = todo.pop()
        if isinstance(node, Node) and node not in seen:
            seen.append(node)
            todo.extend(next_node for next_node, _ in node.next_functions)
    return seen


def test_the_hooks_run_in_pytorchs_order_and_see_what_it_shows() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    w = tg.tensor([3.0, 4.0])
    y = x * w
    y.retain_grad()
    log: list[Any] = []
    y.register_hook(lambda g: log.append(("tensor hook", y.grad)))
    y.grad_fn.register_prehook(lambda go: log.append(("pre-hook", y.grad, go)))
    y.grad_fn.register_hook(lambda gi, go: log.append(("hook", gi, go)))
    y.sum().backward()
    assert [entry[0] for entry in log] == ["tensor hook", "pre-hook", "hook"]
    assert log[0][1] is None  # retain_grad stores y.grad after the tensor's hooks
    _, retained, grad_outputs = log[1]
    assert retained.tolist() == [1.0, 1.0] and len(grad_outputs) == 1
    assert grad_outputs[0].tolist() == [1.0, 1.0]
    _, grad_inputs, grad_outputs = log[2]
    # one per pair of next_functions: x's, and None for w, which takes no gradient
    assert len(y.grad_fn.next_functions) == 2 and len(grad_inputs) == 2
    assert grad_inputs[0].tolist() == [3.0, 4.0] and grad_inputs[1] is None
    assert grad_outputs[0].tolist() == [1.0, 1.0]


def test_a_constant_that_takes_no_gradient_gets_none_in_grad_inputs() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = a + 1
    seen = []
    b.grad_fn.register_hook(lambda gi, go: seen.append(gi))
    b.sum().backward()
    assert len(seen[0]) == len(b.grad_fn.next_functions) == 2
    assert seen[0][0].tolist() == [1.0, 1.0] and seen[0][1] is None


def test_a_pre_hook_replaces_what_backward_gets_and_retain_grad_keeps_the_gradient_before_it() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    handle = y.grad_fn.register_prehook(lambda go: (go[0] * 10,))
    y.sum().backward(retain_graph=True)
    assert x.grad.tolist() == [20.0, 20.0] and y.grad.tolist() == [1.0, 1.0]
    handle.remove()
    x.grad = None
    y.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_a_hook_replaces_grad_inputs_and_is_gone_after_the_with_block() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * tg.tensor([3.0, 4.0])
    with y.grad_fn.register_hook(lambda gi, go: (gi[0] * 3, None)):
        y.sum().backward(retain_graph=True)
    assert x.grad.tolist() == [9.0, 12.0]
    x.grad = None
    y.sum().backward()
    assert x.grad.tolist() == [3.0, 4.0]


def test_hooks_that_return_none_leave_the_gradients_alone_and_run_in_the_order_registered() -> None:
    x = tg.tensor([1.0, -2.0], requires_grad=True)
    y = x.tanh()
    order = []
    y.grad_fn.register_prehook(lambda go: order.append(1))
    y.grad_fn.register_prehook(lambda go: order.append(2))
    y.grad_fn.register_hook(lambda gi, go: order.append(3))
    y.grad_fn.register_hook(lambda gi, go: (gi[0] * 2,))
    y.grad_fn.register_hook(lambda gi, go: order.append(gi[0].tolist()))  # sees the last hook's
    y.sum().backward()
    expected = 1 - np.tanh(x.data) ** 2
    np.testing.assert_allclose(order[3], 2 * expected, rtol=1e-6)
    assert order[:3] == [1, 2, 3]
    np.testing.assert_allclose(x.grad.data, 2 * expected, rtol=1e-6)


@pytest.mark.parametrize(
    "register, returned, error, words",
    [
        ("pre", lambda g: g[0], TypeError, "expected tuple, but hook returned 'Tensor'"),
        ("pre", lambda g: (g[0], g[0]), RuntimeError, "incorrect number of values (got 2, but expected 1)"),
        ("pre", lambda g: (tg.ones(3),), RuntimeError, "shape (2,)"),
        ("pre", lambda g: (g[0].double(),), RuntimeError, "float64"),
        ("post", lambda g: (g[0],), RuntimeError, "incorrect number of values (got 1, but expected 2)"),
        ("post", lambda g: (3.0, None), TypeError, "returned 'float' in grad_inputs"),
        ("post", lambda g: (g[0], g[0]), RuntimeError, "can't replace a None gradient"),
        ("post", lambda g: 5, TypeError, "expected tuple, but hook returned 'int'"),
    ],
)
def test_a_hook_that_returns_the_wrong_thing_is_refused_and_nothing_changes(
    register: str, returned: Any, error: type, words: str
) -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * tg.tensor([3.0, 4.0])
    x.grad = tg.tensor([5.0, 5.0])
    if register == "pre":
        handle = y.grad_fn.register_prehook(returned)
    else:
        handle = y.grad_fn.register_hook(lambda gi, go: returned(gi))
    with pytest.raises(error) as caught:
        y.sum().backward()
    assert words in str(caught.value)
    assert x.grad.tolist() == [5.0, 5.0] and not y.grad_fn.released
    handle.remove()
    y.sum().backward()  # the graph is still whole
    assert x.grad.tolist() == [8.0, 9.0]


def test_a_pre_hook_may_take_the_gradient_away_and_a_hook_may_return_a_namedtuple() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    w = tg.tensor([1.0, 1.0], requires_grad=True)
    y = x * 3
    y.grad_fn.register_prehook(lambda go: (None,))  # nothing flows on through y's node
    seen = []
    y.grad_fn.register_hook(lambda gi, go: seen.append((gi, go)))
    (y.exp() + w).sum().backward()
    assert x.grad is None and w.grad.tolist() == [1.0, 1.0]
    assert seen == [((None, None), (None,))]  # (x, and the constant 3)
    pair = collections.namedtuple("pair", "grad_x grad_w")
    z = x * w
    z.grad_fn.register_hook(lambda gi, go: pair(gi[0] * 0, gi[1]))
    z.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0] and w.grad.tolist() == [2.0, 3.0]


def test_a_tensor_hook_that_removes_itself_does_not_skip_the_next_one() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    log = []
    handle = y.register_hook(lambda g: handle.remove())
    y.register_hook(lambda g: log.append("second"))
    y.register_hook(lambda g: y.register_hook(lambda g: log.append("added")) and None)
    y.sum().backward(retain_graph=True)
    assert log == ["second"]  # the hook added while hooks ran waits for the next backward
    y.sum().backward()
    assert log == ["second", "second", "added"]


def test_node_hooks_run_only_when_the_node_runs() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = (y * y).sum()
    log = []
    y.register_hook(lambda g: log.append("tensor"))
    y.grad_fn.register_prehook(lambda go: log.append("pre"))
    y.grad_fn.register_hook(lambda gi, go: log.append("post"))
    (gy,) = tg.autograd.grad(z, y, retain_graph=True)  # stops at y: y's node does not run
    assert log == ["tensor"] and gy.tolist() == [4.0, 8.0]
    z.backward()
    assert log == ["tensor", "tensor", "pre", "post"]


def test_autograd_grad_takes_a_wanted_gradient_before_the_nodes_pre_hooks() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.grad_fn.register_prehook(lambda go: (go[0] * 10,))
    gy, gx = tg.autograd.grad(y.sum(), (y, x))
    assert gy.tolist() == [1.0, 1.0] and gx.tolist() == [20.0, 20.0]


def test_hooks_of_an_op_with_several_outputs_see_every_outputs_gradient() -> None:
    x = tg.tensor([0.5, 1.0], dtype=tg.float64, requires_grad=True)
    s, c = SinCos.apply(x)
    seen: dict[str, Any] = {}
    # each output's grad_fn stands for the op, as in PyTorch, where it is the op's node
    s.grad_fn.register_prehook(lambda go: seen.__setitem__("pre", go))
    c.grad_fn.register_hook(lambda gi, go: seen.__setitem__("post", (gi, go)))
    s.sum().backward(retain_graph=True)
    first, unused = seen["pre"]
    assert first.tolist() == [1.0, 1.0] and unused is None  # c was not used: None, as in PyTorch
    grad_inputs, grad_outputs = seen["post"]
    np.testing.assert_allclose(grad_inputs[0].data, np.cos(x.data))
    assert grad_outputs[1] is None
    # the unused output's None stays None, as in PyTorch
    with s.grad_fn.register_prehook(lambda go: (go[0], tg.ones_like(x))):
        with pytest.raises(RuntimeError, match="can't replace a None gradient with a non-None value"):
            s.sum().backward(retain_graph=True)
    x.grad = None
    with s.grad_fn.register_prehook(lambda go: (go[0] * 2, None)):
        s.sum().backward()
    np.testing.assert_allclose(x.grad.data, 2 * np.cos(x.data))


class Scale(Function):
    """y = 2x, whose backward hands back a number and a broadcast gradient: the engine fits both."""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, b: np.ndarray) -> np.ndarray:
        return 2 * x + b

    @staticmethod
    def backward(ctx: Any, grad: tg.Tensor) -> Any:
        return grad * 2, 1.0


def test_grad_inputs_are_what_the_inputs_will_get_fitted_to_their_shapes() -> None:
    x = tg.tensor([[1.0, 2.0]], requires_grad=True)
    b = tg.tensor(0.5, requires_grad=True)
    y = Scale.apply(x, b)
    seen = []
    y.grad_fn.register_hook(lambda gi, go: seen.append(gi))
    y.sum().backward()
    gx, gb = seen[0]
    assert gx.shape == (1, 2) and gb.shape == () and gb.dtype == b.dtype


def test_grad_inputs_of_indexing_are_whole_tensors() -> None:
    x = tg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    r = x[1]
    seen = []
    r.grad_fn.register_hook(lambda gi, go: seen.append(gi) or (gi[0] * 2,))
    (r * 3).sum().backward()
    assert seen[0][0].tolist() == [[0.0, 0.0], [3.0, 3.0]]
    assert x.grad.tolist() == [[0.0, 0.0], [6.0, 6.0]]


def test_with_create_graph_what_a_hook_returns_is_differentiated_again() -> None:
    x = tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True)
    y = x**2
    y.grad_fn.register_prehook(lambda go: (go[0] * 3,))
    (gx,) = tg.autograd.grad(y.sum(), x, create_graph=True)
    assert gx.tolist() == [6.0, 12.0]  # 3 * 2x
    (ggx,) = tg.autograd.grad(gx.sum(), x)
    assert ggx.tolist() == [6.0, 6.0]


def test_the_backward_table_marks_a_gradient_a_pre_hook_changed() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    z = y.sum()
    y.grad_fn.register_prehook(lambda go: (go[0] * 10,))
    steps = backward_steps(z)
    mul = next(s for s in steps if s.node is y.grad_fn)
    assert mul.hooked and mul.grad_output.tolist() == [10.0, 10.0]
    assert not next(s for s in steps if s.node is z.grad_fn).hooked


@pytest.mark.parametrize("op", OPS, ids=[op.name for op in OPS])
@given(data=st.data())
def test_every_node_hook_sees_one_gradient_per_edge_and_backward_is_linear_in_grad_outputs(
    op: Op, data: st.DataObject
) -> None:
    inputs = data.draw(op_inputs(op))
    out = op.fn(*inputs).sum()
    out.backward(retain_graph=True)
    plain = [x.grad.data.copy() for x in inputs]
    for x in inputs:
        x.grad = None
    nodes = _graph_nodes(out.grad_fn)
    checked = []

    def edges_fit(node: Node) -> Any:
        def hook(grad_inputs: tuple, grad_outputs: tuple) -> tuple:
            places = node._edges()
            assert len(grad_inputs) == len(node.next_functions) == len(places)
            for g, i in zip(grad_inputs, places):
                if g is not None:
                    assert g.shape == node.inputs[i].shape
            checked.append(node)
            return tuple(grad_inputs)  # the same gradients, in a new tuple

        return hook

    for node in nodes:
        if isinstance(node, OutputBackward):
            continue  # (its hooks are the op's, which is in `nodes` too)
        node.register_hook(edges_fit(node))
        node.register_prehook(lambda go: tuple(go))
    out.grad_fn.register_prehook(lambda go: (go[0] * 2,))
    out.backward()
    assert out.grad_fn in checked
    for x, g in zip(inputs, plain):
        # (not exact: logcumsumexp's backward works with log |grad|, and a float32 cast
        # of a tiny value rounds to a subnormal)
        np.testing.assert_allclose(x.grad.data, 2 * g, rtol=1e-9, atol=1e-30)
