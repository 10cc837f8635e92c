"""Tests of Module backward hooks: register_full_backward_pre_hook and register_full_backward_hook.

Each edge case states what PyTorch 2.x does; the last tests compare the
gradients a hook sees with PyTorch's directly, where PyTorch is installed.
"""

from __future__ import annotations

import warnings
from collections import namedtuple

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn


def recorder(calls: list, name: str = "hook"):
    """A full backward hook that notes (name, module, grad_input, grad_output) and changes nothing."""

    def hook(module, grad_input, grad_output):
        calls.append((name, module, grad_input, grad_output))

    return hook


def values(grads: tuple) -> list:
    """The arrays of a tuple of gradients (None stays None)."""
    return [None if g is None else g.data for g in grads]


class Scale(nn.Module):
    """y = a * b * c for two tensors and a number: three positional inputs."""

    def forward(self, a, b, c):
        return a * b * c


class Pair(nn.Module):
    """(2a, 3a, 5): several outputs, one of them not a Tensor."""

    def forward(self, a):
        return a * 2.0, a * 3.0, 5


# ---------------------------------------------------------------- when hooks fire, what they see


def test_full_hook_sees_the_gradients_at_the_inputs_and_outputs_of_linear():
    layer = nn.Linear(3, 2)
    calls = []
    layer.register_full_backward_hook(recorder(calls))
    x = tg.randn(4, 3, requires_grad=True)
    g = np.random.randn(4, 2).astype(np.float32)  # a random upstream gradient, not ones
    y = layer(x)
    assert calls == []  # nothing in forward
    y.backward(tg.tensor(g))
    [(_, module, grad_input, grad_output)] = calls
    assert module is layer and isinstance(grad_input, tuple) and isinstance(grad_output, tuple)
    np.testing.assert_allclose(grad_output[0].data, g)
    np.testing.assert_allclose(grad_input[0].data, g @ layer.weight.data, rtol=1e-6)  # dL/dx = g W
    assert grad_input[0].shape == x.shape and not grad_input[0].requires_grad
    np.testing.assert_allclose(x.grad.data, grad_input[0].data)
    np.testing.assert_allclose(layer.weight.grad.data, g.T @ x.data, rtol=1e-6)


def test_pre_hook_runs_first_and_may_replace_grad_output():
    layer = nn.Linear(3, 2)
    order, calls = [], []
    layer.register_full_backward_hook(lambda m, gi, go: order.append("full"))
    layer.register_full_backward_pre_hook(lambda m, go: order.append("pre"))
    layer.register_full_backward_pre_hook(lambda m, go: order.append("first pre"), prepend=True)
    layer.register_full_backward_hook(lambda m, gi, go: order.append("first full"), prepend=True)
    layer.register_full_backward_pre_hook(lambda m, go: (go[0] * 2.0,))
    layer.register_full_backward_hook(recorder(calls))
    x = tg.randn(4, 3, requires_grad=True)
    layer(x).sum().backward()
    assert order == ["first pre", "pre", "first full", "full"]  # as PyTorch: pre-hooks, then full hooks
    [(_, _, grad_input, grad_output)] = calls
    np.testing.assert_allclose(grad_output[0].data, np.full((4, 2), 2.0))  # the replaced grad_output
    # the parameters and the input see the doubled gradient too
    np.testing.assert_allclose(layer.bias.grad.data, [8.0, 8.0])
    np.testing.assert_allclose(grad_input[0].data, np.full((4, 2), 2.0) @ layer.weight.data, rtol=1e-6)


def test_a_returned_tuple_replaces_grad_input_for_the_hooks_after_and_the_inputs():
    layer = nn.Linear(3, 2)
    calls = []
    layer.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10.0,))
    layer.register_full_backward_hook(recorder(calls))
    x = tg.randn(4, 3, requires_grad=True)
    layer(x).sum().backward()
    expected = 10.0 * np.ones((4, 2)) @ layer.weight.data
    np.testing.assert_allclose(calls[0][2][0].data, expected, rtol=1e-6)
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-6)
    # a None entry: the hooks after see None, and that input gets no gradient at all
    x.grad = None
    other = nn.Linear(3, 2)
    other.register_full_backward_hook(lambda m, gi, go: (None,))
    other.register_full_backward_hook(recorder(calls))
    other(x).sum().backward()
    assert x.grad is None and calls[-1][2] == (None,)


def test_the_gradient_reaches_inputs_made_by_earlier_ops_through_the_hook():
    first, second = nn.Linear(3, 4), nn.Linear(4, 2)
    second.register_full_backward_hook(lambda m, gi, go: (gi[0] * 0.0,))
    x = tg.randn(5, 3, requires_grad=True)
    second(first(x).tanh()).sum().backward()
    assert not first.weight.grad.data.any() and not x.grad.data.any()  # zeroed at the hook
    assert second.weight.grad.data.any()


# ---------------------------------------------------------------- inputs and outputs


def test_inputs_that_do_not_require_grad_get_zeros_and_non_tensors_none():
    module, calls = Scale(), []
    module.register_full_backward_hook(recorder(calls))
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([2.0, 5.0])
    module(a, b, 3.0).sum().backward()
    [(_, _, grad_input, grad_output)] = calls
    np.testing.assert_allclose(grad_input[0].data, [6.0, 15.0])  # b c
    np.testing.assert_array_equal(grad_input[1].data, [0.0, 0.0])  # PyTorch: zeros, not None
    assert grad_input[2] is None and len(grad_output) == 1


def test_an_input_the_output_does_not_use_gets_zeros_as_in_pytorch():
    class FirstOnly(nn.Module):
        def forward(self, a, b):
            return a * 2.0

    module, calls = FirstOnly(), []
    module.register_full_backward_hook(recorder(calls))
    a, b = tg.ones(2, requires_grad=True), tg.ones(2, requires_grad=True)
    module(a, b).sum().backward()
    assert values(calls[0][2])[1].tolist() == [0.0, 0.0]
    assert b.grad.tolist() == [0.0, 0.0]  # zeros, not None: the hook node passed them on


def test_when_no_input_requires_grad_the_hook_fires_with_the_output_gradients():
    layer, calls = nn.Linear(3, 2), []
    layer.register_full_backward_hook(recorder(calls))
    y = layer(tg.randn(4, 3))  # the first layer of a model: its input needs no gradient
    with pytest.warns(UserWarning, match="none of its inputs requires grad"):
        y.sum().backward()
    [(_, _, grad_input, grad_output)] = calls
    assert grad_input == (None,) and grad_output[0].shape == (4, 2)
    assert layer.weight.grad is not None
    # it may return only None, or None for every entry
    layer.register_full_backward_hook(lambda m, gi, go: (None,))
    layer.register_full_backward_hook(lambda m, gi, go: (go[0],))
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="may return only None"):
        layer(tg.randn(4, 3)).sum().backward()


def test_hooks_see_one_entry_per_output_and_none_where_no_gradient_came():
    module, calls, seen = Pair(), [], []
    module.register_full_backward_pre_hook(lambda m, go: seen.append(go))
    module.register_full_backward_hook(recorder(calls))
    a = tg.tensor([1.0, -1.0], requires_grad=True)
    twice, thrice, five = module(a)
    assert five == 5
    (twice.sum() + thrice.sum() * 2.0).backward(retain_graph=True)
    assert [g is None for g in seen[0]] == [False, False, True]
    np.testing.assert_allclose(seen[0][1].data, [2.0, 2.0])
    np.testing.assert_allclose(calls[0][2][0].data, [8.0, 8.0])  # 2 + 3 * 2
    twice.sum().backward()  # thrice is not used this time: its entry is None, as in PyTorch
    assert [g is None for g in seen[1]] == [False, True, True]
    np.testing.assert_allclose(calls[1][2][0].data, [2.0, 2.0])


def test_a_namedtuple_output_stays_one():
    Out = namedtuple("Out", ["y", "z"])

    class Named(nn.Module):
        def forward(self, a):
            return Out(a * 2.0, a.sum())

    module, calls = Named(), []
    module.register_full_backward_hook(recorder(calls))
    out = module(tg.ones(3, requires_grad=True))
    assert type(out) is Out
    out.z.backward()
    assert len(calls[0][3]) == 2 and calls[0][3][0] is None


def test_an_output_that_is_not_a_tensor_or_tuple_warns_and_the_hooks_never_run():
    class Listing(nn.Module):
        def forward(self, a):
            return [a * 2.0]

    module, calls = Listing(), []
    module.register_full_backward_hook(recorder(calls))
    with pytest.warns(UserWarning, match="returned a list"):
        out = module(tg.ones(2, requires_grad=True))
    out[0].sum().backward()
    assert calls == []


def test_keyword_arguments_get_no_entry_in_grad_input():
    layer, calls = nn.Linear(2, 2), []

    class Keywords(nn.Module):
        def forward(self, x=None):
            return layer(x)

    module = Keywords()
    module.register_full_backward_hook(recorder(calls))
    with pytest.warns(UserWarning):  # no positional input at all: no input requires grad
        module(x=tg.ones(1, 2, requires_grad=True)).sum().backward()
    assert calls[0][2] == ()


def test_integer_inputs_get_integer_zeros():
    class Pick(nn.Module):
        def forward(self, a, index):
            return a[index]

    module, calls = Pick(), []
    module.register_full_backward_hook(recorder(calls))
    module(tg.ones(3, requires_grad=True), tg.tensor([0, 0])).sum().backward()
    grad_a, grad_index = calls[0][2]
    assert grad_a.tolist() == [2.0, 0.0, 0.0]
    assert grad_index.dtype.kind == "i" and grad_index.tolist() == [0, 0]


def test_a_module_that_returns_its_input():
    class Same(nn.Module):
        def forward(self, a):
            return a

    module, calls = Same(), []
    module.register_full_backward_hook(recorder(calls))
    a = tg.ones(2, requires_grad=True)
    (module(a) * 3.0).sum().backward()
    assert values(calls[0][2])[0].tolist() == [3.0, 3.0] and values(calls[0][3])[0].tolist() == [3.0, 3.0]
    assert a.grad.tolist() == [3.0, 3.0]


# ---------------------------------------------------------------- the graph around a call


def test_a_module_called_twice_fires_once_per_call_the_later_call_first():
    layer = nn.Linear(2, 2)
    with tg.no_grad():
        layer.weight.copy_(tg.tensor([[1.0, 2.0], [3.0, 4.0]]))
        layer.bias.zero_()
    calls = []
    layer.register_full_backward_hook(recorder(calls))
    layer(layer(tg.ones(1, 2, requires_grad=True))).sum().backward()
    # outer call: dL/dy = 1, dL/dh = 1 W = [4, 6]; inner call: dL/dx = [4, 6] W = [22, 32] (PyTorch's values)
    assert [values(c[3])[0].tolist() for c in calls] == [[[1.0, 1.0]], [[4.0, 6.0]]]
    assert [values(c[2])[0].tolist() for c in calls] == [[[4.0, 6.0]], [[22.0, 32.0]]]


def test_nested_modules_fire_in_backward_order():
    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh())
    order = []
    for name, module in [("seq", model), ("linear", model[0]), ("tanh", model[1])]:
        module.register_full_backward_pre_hook(lambda m, go, name=name: order.append(name + " pre"))
        module.register_full_backward_hook(lambda m, gi, go, name=name: order.append(name))
    model(tg.ones(1, 2, requires_grad=True)).sum().backward()
    assert order == ["seq pre", "tanh pre", "tanh", "linear pre", "linear", "seq"]  # PyTorch's order


def test_no_grad_adds_no_hook_nodes_and_runs_no_hooks():
    layer, calls, seen = nn.Linear(2, 2), [], []
    layer.register_full_backward_hook(recorder(calls))
    layer.register_forward_hook(lambda m, args, out: seen.append(args[0]))
    x = tg.ones(1, 2, requires_grad=True)
    with tg.no_grad():
        y = layer(x)
    assert seen[0] is x  # forward got the caller's tensor itself
    assert y.grad_fn is None and not y.requires_grad
    y.data[0, 0] = 1.0  # its own writable array, not a hook's read-only view
    assert calls == []


def test_without_backward_hooks_the_graph_is_unchanged():
    layer = nn.Linear(2, 2)
    y = layer(tg.ones(1, 2, requires_grad=True))
    assert "Hook" not in y.grad_fn.name() and y.data.flags.writeable
    handle = layer.register_full_backward_hook(lambda m, gi, go: None)
    y = layer(tg.ones(1, 2, requires_grad=True))
    assert y.grad_fn.name() == "BackwardHookTapBackward" and y.grad_fn.scope is layer  # drawn in the layer
    handle.remove()
    assert "Hook" not in layer(tg.ones(1, 2, requires_grad=True)).grad_fn.name()


def test_handles_remove_hooks_and_a_call_keeps_the_hooks_it_started_with():
    layer, calls = nn.Linear(2, 2), []
    x = tg.ones(1, 2, requires_grad=True)
    handle = layer.register_full_backward_hook(recorder(calls, "full"))
    pre_handle = layer.register_full_backward_pre_hook(lambda m, go: calls.append(("pre",)))
    y = layer(x)
    handle.remove()
    pre_handle.remove()
    y.sum().backward()  # removed after forward: this call still runs them (as PyTorch)
    assert [c[0] for c in calls] == ["pre", "full"]
    calls.clear()
    layer(x).sum().backward()
    assert calls == []
    y = layer(x)
    with layer.register_full_backward_hook(recorder(calls)):  # registered after forward: not for this call
        y.sum().backward()
    assert calls == []


def test_retained_graph_fires_once_per_backward_and_double_backward_skips_hooks():
    layer, calls = nn.Linear(2, 2), []
    layer.register_full_backward_hook(recorder(calls))
    x = tg.ones(1, 2, requires_grad=True)
    y = layer(x)
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    assert len(calls) == 2
    np.testing.assert_allclose(calls[0][2][0].data, calls[1][2][0].data)

    class Square(nn.Module):
        def forward(self, a):
            return a * a  # dL/da = 2 a g: recorded with create_graph, through the input's hook node

    # create_graph: the hook sees a gradient with a graph; the second backward reaches the input's
    # hook node without passing the outputs', and the hooks stay silent (as PyTorch's do)
    square, calls = Square(), []
    square.register_full_backward_hook(recorder(calls))
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    (g,) = tg.autograd.grad(square(x).sum(), x, create_graph=True)
    assert len(calls) == 1 and calls[0][2][0].grad_fn is not None
    g.sum().backward()
    assert len(calls) == 1 and x.grad.tolist() == [2.0, 2.0]


def test_the_hook_nodes_pass_first_and_second_derivatives_through_unchanged():
    class Mixed(nn.Module):
        def forward(self, a, b):
            return a * b, (b * b).tanh()

    module = Mixed()
    module.register_full_backward_hook(lambda m, gi, go: None)
    module.register_full_backward_pre_hook(lambda m, go: None)

    def fn(a, b):
        p, q = module(a, b)
        return p.sin() + q

    inputs = [tg.tensor(np.random.randn(3), requires_grad=True) for _ in range(2)]  # float64
    assert tg.testing.gradcheck(fn, inputs)
    assert tg.testing.gradgradcheck(fn, inputs)


# ---------------------------------------------------------------- in place (PyTorch raises)


def test_changing_a_hooked_modules_input_or_output_in_place_raises_and_changes_nothing():
    layer = nn.Linear(2, 2)
    relu = nn.ReLU(inplace=True)
    relu.register_full_backward_hook(lambda m, gi, go: None)
    h = layer(tg.tensor([[1.0, -1.0]], requires_grad=True))
    before = h.data.copy()
    with pytest.raises(RuntimeError, match="read-only tensor .* backward hooks"):
        relu(h)  # ReLU(inplace=True) writes into its (hooked) input
    np.testing.assert_array_equal(h.data, before)
    layer.register_full_backward_pre_hook(lambda m, go: None)
    y = layer(tg.ones(1, 2))
    with pytest.raises(RuntimeError, match="in-place"):
        y += 1.0
    with pytest.raises(RuntimeError, match="in-place"):
        y[0].mul_(2.0)  # a view of a hooked output: also refused, as in PyTorch
    with tg.no_grad(), pytest.raises(RuntimeError, match="in-place"):
        y.zero_()  # NOTE: PyTorch allows this one (a documented difference)
    # an input that does not require grad is handed over as it is: in place is allowed there
    x = tg.ones(1, 2)
    assert relu(x) is x


def test_an_in_place_change_of_a_hooked_input_after_the_call_is_caught_in_backward():
    class Square(nn.Module):
        def forward(self, a):
            return a * a  # saves a (the hooked view) for backward

    module = Square()
    module.register_full_backward_hook(lambda m, gi, go: None)
    h = tg.ones(2, requires_grad=True) * 1.0
    y = module(h)
    h.mul_(2.0)  # the view forward saved shares h's memory and its version counter
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


# ---------------------------------------------------------------- wrong results from hooks


def test_a_wrong_number_of_gradients_raises_a_clear_error():
    layer = nn.Linear(2, 2)
    x = tg.ones(1, 2, requires_grad=True)
    handle = layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="invalid number of grad_input: got 2, but expected 1"):
        layer(x).sum().backward()
    handle.remove()
    layer.register_full_backward_pre_hook(lambda m, go: ())
    with pytest.raises(RuntimeError, match="invalid number of grad_output: got 0, but expected 1"):
        layer(x).sum().backward()


@pytest.mark.parametrize(
    "result, error, message",
    [
        (lambda g: g, TypeError, "must return None or a tuple of 1 gradients"),
        (lambda g: (g.data,), TypeError, "ndarray as grad_input"),
        (lambda g: (tg.ones(3),), RuntimeError, r"shape \(3,\)"),
        (lambda g: (g.double(),), RuntimeError, "dtype float64"),
    ],
)
def test_a_hook_may_change_values_only(result, error, message):
    layer = nn.Linear(2, 2)
    layer.register_full_backward_hook(lambda m, gi, go: result(gi[0]))
    with pytest.raises(error, match=message):
        layer(tg.ones(1, 2, requires_grad=True)).sum().backward()


def test_a_list_is_accepted_as_pytorch_accepts_it():
    layer = nn.Linear(2, 2)
    layer.register_full_backward_pre_hook(lambda m, go: [go[0] * 0.0])
    x = tg.ones(1, 2, requires_grad=True)
    layer(x).sum().backward()
    assert not x.grad.data.any() and not layer.bias.grad.data.any()


# ---------------------------------------------------------------- against PyTorch


def _hook_everything(model, log: list) -> None:
    """Full and pre hooks on every module of `model` (ours or PyTorch's), logging gradients as arrays."""

    def numpy(grads):
        return [None if g is None else np.array(g.detach().numpy()) for g in grads]

    for name, module in model.named_modules():
        module.register_full_backward_pre_hook(lambda m, go, name=name: log.append((name, "pre", numpy(go))))
        module.register_full_backward_hook(
            lambda m, gi, go, name=name: log.append((name, "full", numpy(gi), numpy(go)))
        )


@pytest.mark.parametrize("input_requires_grad", [True, False])
def test_hooks_on_an_mlp_see_what_pytorchs_see(input_requires_grad):
    torch = pytest.importorskip("torch")
    model = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3))
    reference = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.ReLU(), torch.nn.Linear(5, 3)).double()
    model.double()
    with torch.no_grad():
        for (_, ours), (_, theirs) in zip(model.named_parameters(), reference.named_parameters()):
            theirs.copy_(torch.from_numpy(ours.data))
    x = np.random.randn(6, 4)
    g = np.random.randn(6, 3)
    logs = [], []
    for lib, net, log in [(tg, model, logs[0]), (torch, reference, logs[1])]:
        _hook_everything(net, log)
        # the second layer's hook rescales its input gradient: the change must reach the first layer
        net[2].register_full_backward_hook(lambda m, gi, go: (gi[0] * 0.5,))
        xin = lib.tensor(x, requires_grad=input_requires_grad)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the first layer's input needs no grad in one case
            net(xin).backward(lib.tensor(g))
    assert len(logs[0]) == 8  # a pre and a full hook on each of the 4 modules
    assert [entry[:2] for entry in logs[0]] == [entry[:2] for entry in logs[1]]
    for ours, theirs in zip(*logs):
        for our_grads, their_grads in zip(ours[2:], theirs[2:]):
            assert [a is None for a in our_grads] == [b is None for b in their_grads], ours[:2]
            for a, b in zip(our_grads, their_grads):
                if a is not None:
                    np.testing.assert_allclose(a, b, rtol=1e-10, err_msg=str(ours[:2]))
    for (_, ours), (_, theirs) in zip(model.named_parameters(), reference.named_parameters()):
        np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-10)


def test_several_inputs_and_outputs_match_pytorch():
    torch = pytest.importorskip("torch")

    def build(lib):
        class Mixed(lib.nn.Module):
            def forward(self, a, b, c):
                return a * b * c, (a + b).sum(), b * 2.0

        return Mixed()

    a, b = np.random.randn(3), np.random.randn(3)
    logs = [], []
    for lib, log in [(tg, logs[0]), (torch, logs[1])]:
        module = build(lib)
        _hook_everything(module, log)
        ta, tb = lib.tensor(a, requires_grad=True), lib.tensor(b)
        p, s, _ = module(ta, tb, 1.5)
        (p.sum() * 2.0 + s).backward()
    assert [entry[1] for entry in logs[0]] == ["pre", "full"]
    for ours, theirs in zip(*logs):
        assert ours[:2] == theirs[:2]
        for our_grads, their_grads in zip(ours[2:], theirs[2:]):
            assert [x is None for x in our_grads] == [y is None for y in their_grads]
            for x, y in zip(our_grads, their_grads):
                if x is not None:
                    np.testing.assert_allclose(x, y, rtol=1e-12)
