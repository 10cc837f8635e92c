"""grad_fn.next_functions, anomaly detection, and the message of a backward that cannot start.

Each behaviour is checked on its own, and, where PyTorch is installed, against PyTorch.
"""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import nn
from tinygrad_edu.autograd.accumulate_grad import AccumulateGrad
from tinygrad_edu.autograd.anomaly_mode import (
    is_anomaly_check_nan_enabled,
    is_anomaly_enabled,
    set_anomaly_enabled,
)
from tinygrad_edu.autograd.function import Function, Node

ANOMALY_ON = "Anomaly Detection has been enabled"


@pytest.fixture(autouse=True)
def _anomaly_mode_off_after_each_test():
    yield
    set_anomaly_enabled(False)


def leaf(values=(0.5, -1.0, 2.0)):
    return tg.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def shape_of(pairs) -> list:
    """next_functions as names: a node's class name, 'AccumulateGrad', or None."""
    return [None if fn is None else fn.name() for fn, _ in pairs]


# ---------------------------------------------------------------- next_functions


def test_the_lecture_walk_from_the_loss_reaches_the_leaf():
    x = leaf()
    loss = (x * 2).exp().sum()
    assert shape_of(loss.grad_fn.next_functions) == ["ExpBackward"]
    mul = loss.grad_fn.next_functions[0][0].next_functions[0][0]
    assert mul is loss.grad_fn.next_functions[0][0].next_functions[0][0]
    assert mul.name() == "MulBackward"
    pairs = mul.next_functions
    assert shape_of(pairs) == ["AccumulateGrad", None] and [i for _, i in pairs] == [0, 0]
    accumulate = pairs[0][0]
    assert isinstance(accumulate, AccumulateGrad) and accumulate.variable is x
    assert accumulate.next_functions == () and repr(accumulate) == "<AccumulateGrad>"


def test_a_printed_graph_walks_every_edge():
    x, w = leaf(), leaf((1.0, 2.0, 3.0))
    loss = (x * w + 1).tanh().sum()
    lines = []

    def show(fn, depth):
        lines.append("  " * depth + ("None" if fn is None else fn.name()))
        if fn is not None:
            for child, _ in fn.next_functions:
                show(child, depth + 1)

    show(loss.grad_fn, 0)
    assert lines == [
        "SumBackward",
        "  TanhBackward",
        "    AddBackward",
        "      MulBackward",
        "        AccumulateGrad",
        "        AccumulateGrad",
        "      None",
    ]


def test_a_non_leaf_input_is_represented_by_its_grad_fn():
    x = leaf()
    h = x.sin()
    y = h * h
    assert [fn for fn, _ in y.grad_fn.next_functions] == [h.grad_fn, h.grad_fn]


def test_an_in_place_op_links_to_the_op_that_made_the_old_values():
    x, w = leaf(), leaf((1.0, 2.0, 3.0))
    h = x * 3
    made_h = h.grad_fn
    h *= w  # as in PyTorch: no node of its own for the copy of h's old values
    assert shape_of(h.grad_fn.next_functions) == ["MulBackward", "AccumulateGrad"]
    assert h.grad_fn.next_functions[0][0] is made_h
    h.sum().backward()
    np.testing.assert_allclose(x.grad.data, 3 * w.data)
    np.testing.assert_allclose(w.grad.data, 3 * x.data)  # the old h, not the new one
    c = tg.ones(3)
    c *= w  # a constant changed in place by a leaf's values
    assert shape_of(c.grad_fn.next_functions) == [None, "AccumulateGrad"]


def test_a_leaf_has_one_accumulator_while_it_is_held_and_each_leaf_its_own():
    x, w = leaf(), leaf()
    first = (x * w).grad_fn.next_functions
    again = (x + 1).grad_fn.next_functions[0][0]
    assert first[0][0] is again and first[0][0].variable is x
    assert first[1][0] is not first[0][0] and first[1][0].variable is w


def test_next_functions_are_made_only_when_asked_for():
    x = leaf()
    y = x * 2
    assert "_accumulator" not in vars(x)  # recording made no accumulator
    assert "next_functions" not in vars(y.grad_fn)  # and cached nothing on the node
    assert y.grad_fn.next_functions[0][0].variable is x
    assert "_accumulator" in vars(x)


def test_plain_arguments_and_integer_tensors_are_not_inputs():
    x = leaf()
    assert shape_of(x.sum(0).grad_fn.next_functions) == ["AccumulateGrad"]  # the dim is no input
    assert shape_of((x**2).grad_fn.next_functions) == ["AccumulateGrad"]  # a number exponent neither
    assert shape_of(tg.where(x > 0, x, tg.zeros(3)).grad_fn.next_functions) == ["AccumulateGrad", None]
    assert shape_of(tg.cat([x, tg.zeros(2)]).grad_fn.next_functions) == ["AccumulateGrad", None]


def test_an_op_of_a_users_function_lists_its_tensor_inputs():
    class Scale(Function):
        @staticmethod
        def forward(ctx, a, k):
            ctx.k = k
            return a * k

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.k, None

    x = leaf()
    assert shape_of(Scale.apply(x, 3.0).grad_fn.next_functions) == ["AccumulateGrad"]
    assert shape_of(Scale.apply(x.exp(), 3.0).grad_fn.next_functions) == ["ExpBackward"]


# (PyTorch computes 1 - x with one input, rsub; here it is Sub with the number first,
# wrapped as a Tensor: ((None, 0), (AccumulateGrad, 0)).)
EXPRESSIONS = {
    "x*2": lambda m, x, c: x * 2,
    "2*x": lambda m, x, c: 2 * x,
    "2+x": lambda m, x, c: 2.0 + x,
    "x*c": lambda m, x, c: x * c,
    "c*x": lambda m, x, c: c * x,
    "x+1": lambda m, x, c: x + 1,
    "2/x": lambda m, x, c: 2 / x,
    "x**2": lambda m, x, c: x**2,
    "sum": lambda m, x, c: x.sum(),
    "sum(0)": lambda m, x, c: x.sum(0),
    "reshape": lambda m, x, c: x.reshape(3, 1),
    "where": lambda m, x, c: m.where(x > 0, x, c),
    "cat": lambda m, x, c: m.cat([x, c]),
    "exp(x*2)": lambda m, x, c: (x * 2).exp(),
    "x*x.sin()": lambda m, x, c: x * x.sin(),
}


@pytest.mark.parametrize("name", list(EXPRESSIONS))
def test_next_functions_match_pytorch(name):
    torch = pytest.importorskip("torch")

    def walk(fn):  # the whole graph below fn (the ops' names differ: SumBackward0, SumBackward1, ...)
        if fn is None:
            return None
        if type(fn).__name__ == "AccumulateGrad":
            return ("leaf", tuple(fn.variable.shape))
        return [(walk(child), index) for child, index in fn.next_functions]

    values = np.array([0.5, -1.0, 2.0])
    ours = EXPRESSIONS[name](tg, tg.tensor(values, requires_grad=True), tg.tensor(values))
    theirs = EXPRESSIONS[name](torch, torch.tensor(values, requires_grad=True), torch.tensor(values))
    assert walk(ours.grad_fn) == walk(theirs.grad_fn)


# ---------------------------------------------------------------- anomaly mode: switches


def test_anomaly_mode_is_off_with_the_nan_check_armed_by_default():
    assert not is_anomaly_enabled() and is_anomaly_check_nan_enabled()


def test_detect_anomaly_warns_switches_on_and_restores():
    with pytest.warns(UserWarning, match=ANOMALY_ON):
        context = tg.autograd.detect_anomaly(check_nan=False)
    with context:
        assert is_anomaly_enabled() and not is_anomaly_check_nan_enabled()
    assert not is_anomaly_enabled() and is_anomaly_check_nan_enabled()
    with pytest.raises(ValueError), pytest.warns(UserWarning, match=ANOMALY_ON):
        with tg.autograd.detect_anomaly():
            raise ValueError
    assert not is_anomaly_enabled()


def test_detect_anomaly_as_a_decorator():
    with pytest.warns(UserWarning, match=ANOMALY_ON):

        @tg.autograd.detect_anomaly()
        def inside():
            return is_anomaly_enabled()

    assert not is_anomaly_enabled() and inside() and not is_anomaly_enabled()


def test_set_detect_anomaly_switches_at_once_or_for_a_block():
    tg.autograd.set_detect_anomaly(True)
    assert is_anomaly_enabled()
    with tg.autograd.set_detect_anomaly(False):
        assert not is_anomaly_enabled()
    assert is_anomaly_enabled()
    tg.autograd.set_detect_anomaly(False)
    with tg.autograd.set_detect_anomaly(True, check_nan=False):
        assert is_anomaly_enabled() and not is_anomaly_check_nan_enabled()
    assert not is_anomaly_enabled() and is_anomaly_check_nan_enabled()

    @tg.autograd.set_detect_anomaly(True)
    def inside():
        return is_anomaly_enabled()

    assert not is_anomaly_enabled() and inside() and not is_anomaly_enabled()


def test_anomaly_mode_is_the_same_in_every_thread_as_in_pytorch():
    tg.autograd.set_detect_anomaly(True)
    seen = []
    thread = threading.Thread(target=lambda: seen.append(is_anomaly_enabled()))
    thread.start()
    thread.join()
    assert seen == [True]


def test_recording_pays_nothing_once_the_mode_is_off():
    with tg.autograd.set_detect_anomaly(True):
        assert "__init__" in vars(Node)
        kept = (leaf() * 2).grad_fn
    assert "__init__" not in vars(Node)
    assert kept._forward_trace is not None and (leaf() * 2).grad_fn._forward_trace is None


# ---------------------------------------------------------------- anomaly mode: backward


def nan_at_sqrt(x):
    return x.sqrt() * 0  # at x = 0: sqrt's gradient is inf, times 0 is nan


def test_a_nan_gradient_raises_naming_the_op_and_warns_with_the_forward_line():
    x = tg.tensor([0.0, 1.0], requires_grad=True)
    with tg.autograd.set_detect_anomaly(True):
        y = nan_at_sqrt(x)
        with (
            pytest.raises(RuntimeError) as error,
            pytest.warns(UserWarning, match="Error detected in SqrtBackward") as caught,
            np.errstate(all="ignore"),
        ):
            y.sum().backward()
    assert str(error.value) == "Function 'SqrtBackward' returned nan values in its 0th output."
    message = str(caught[-1].message)
    assert "Traceback of forward call that caused the error:" in message
    assert "in nan_at_sqrt" in message and "return x.sqrt() * 0" in message.rstrip().splitlines()[-1]
    assert tg.__file__.rsplit("/", 1)[0] not in message  # it ends at the user's line, not at Tensor.sqrt
    assert caught[-1].filename == __file__  # the warning names the line that called backward
    assert x.grad is None  # nothing was written


def test_the_index_of_the_nan_output_is_the_inputs():
    a, b = tg.tensor([0.0], requires_grad=True), tg.tensor([0.0], requires_grad=True)
    with tg.autograd.set_detect_anomaly(True), np.errstate(all="ignore"):
        q = a / b  # d/da = 1/0 = inf, d/db = -0/0 = nan
        with pytest.raises(RuntimeError, match="'DivBackward' returned nan values in its 1th output"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                q.sum().backward()


def test_without_the_nan_check_nan_gradients_flow():
    x = tg.tensor([0.0, 1.0], requires_grad=True)
    with tg.autograd.set_detect_anomaly(True, check_nan=False), np.errstate(all="ignore"):
        nan_at_sqrt(x).sum().backward()
    assert np.isnan(x.grad.data[0]) and x.grad.data[1] == 0


def test_without_anomaly_mode_nan_gradients_flow():
    x = tg.tensor([0.0, 1.0], requires_grad=True)
    with np.errstate(all="ignore"):
        nan_at_sqrt(x).sum().backward()
    assert np.isnan(x.grad.data[0])


def test_an_error_in_a_backward_is_traced_to_its_forward_and_passes_through():
    class Broken(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 1

        @staticmethod
        def backward(ctx, grad):
            raise ValueError("boom")

    with tg.autograd.set_detect_anomaly(True):
        y = Broken.apply(leaf())  # the line the warning must show
        with pytest.raises(ValueError, match="boom"), pytest.warns(UserWarning) as caught:
            y.sum().backward()
    message = str(caught[-1].message)
    assert message.startswith("Error detected in BrokenBackward. Traceback of forward call")
    assert "y = Broken.apply(leaf())" in message


def test_library_frames_between_user_lines_stay_in_the_forward_trace():
    class Root(nn.Module):
        def forward(self, x):
            return x.sqrt()  # the last line the trace shows

    with tg.autograd.set_detect_anomaly(True):
        y = Root()(tg.tensor([0.0, 1.0], requires_grad=True)) * 0
    trace = "".join(y.grad_fn.parents[0]._forward_trace)
    assert trace.rstrip().splitlines()[-1].strip() == "return x.sqrt()  # the last line the trace shows"
    assert "nn/module.py" in trace and "__call__" in trace  # the module call, as in PyTorch's trace


def test_a_node_recorded_before_the_mode_has_no_forward_trace_to_show():
    x = tg.tensor([0.0], requires_grad=True)
    y = nan_at_sqrt(x)
    with tg.autograd.set_detect_anomaly(True):
        with pytest.raises(RuntimeError), pytest.warns(UserWarning) as caught, np.errstate(all="ignore"):
            y.sum().backward()
    assert str(caught[-1].message) == (
        "Error detected in SqrtBackward. No forward pass information available. "
        "Enable detect anomaly during forward pass for more information."
    )


def test_an_error_in_a_leaf_hook_is_not_blamed_on_the_last_op():
    x = leaf()
    x.register_hook(lambda g: 1 / 0)
    with tg.autograd.set_detect_anomaly(True):
        y = (x * 2).sum()
        with pytest.raises(ZeroDivisionError), warnings.catch_warnings():
            warnings.simplefilter("error")  # any warning would fail the test
            y.backward()


def test_gradients_in_anomaly_mode_are_the_usual_ones():
    x = leaf()
    with tg.autograd.set_detect_anomaly(True):
        y = (x * x.sin()).sum()
        (g,) = tg.autograd.grad(y, x, create_graph=True)
        (gg,) = tg.autograd.grad(g.sum(), x)
    v = x.data
    np.testing.assert_allclose(g.data, np.sin(v) + v * np.cos(v))
    np.testing.assert_allclose(gg.data, 2 * np.cos(v) - v * np.sin(v))


def test_the_nan_check_reads_as_pytorchs():
    torch = pytest.importorskip("torch")
    messages = []
    for m in (tg, torch):
        x = m.tensor([0.0], requires_grad=True)
        with m.autograd.set_detect_anomaly(True):
            y = x.sqrt() * 0
            with pytest.raises(RuntimeError) as error, warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                y.sum().backward()
        messages.append(str(error.value).replace("Backward0", "Backward"))
    assert messages[0] == messages[1]


# ---------------------------------------------------------------- backward that cannot start


@pytest.mark.parametrize(
    "make",
    [
        lambda: tg.ones(3),  # no leaf requires grad
        lambda: leaf().detach() * 2,
        lambda: tg.no_grad()(lambda: leaf() * 2)(),
    ],
    ids=["no requires_grad", "detach", "no_grad"],
)
def test_backward_of_a_tensor_without_a_graph_says_why(make):
    with pytest.raises(RuntimeError) as error:
        make().sum().backward()
    message = str(error.value)
    assert message.startswith("element 0 of tensors does not require grad and does not have a grad_fn. ")
    assert "no_grad()" in message and ".detach()" in message and "requires_grad=True" in message


def test_the_message_starts_with_pytorchs():
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError) as theirs:
        torch.ones(3).sum().backward()
    with pytest.raises(RuntimeError) as ours:
        tg.ones(3).sum().backward()
    assert str(ours.value).startswith(str(theirs.value))


# ---------------------------------------------------------------- a Function missing a method


def test_a_function_without_forward_or_backward_says_which_method_to_write():
    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    class NoForward(Function):
        pass

    x = tg.ones(2, requires_grad=True)
    y = NoBackward.apply(x).sum()
    with pytest.raises(NotImplementedError, match="You must implement the backward method of NoBackward"):
        y.backward()
    assert x.grad is None
    with pytest.raises(NotImplementedError, match="You must implement the forward function"):
        NoForward.apply(x)


def test_the_backward_pictures_take_the_seed_of_a_non_scalar_output():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    with pytest.raises(RuntimeError, match="pass `grad=`"):
        tg.viz.print_backward_steps(y)
    steps = tg.viz.backward_steps(y, tg.tensor([1.0, -1.0]))
    assert steps[0].grad_output.tolist() == [1.0, -1.0] and steps[0].edges[0].grad.tolist() == [3.0, -3.0]
    assert "[3., -3.]" in tg.viz.draw_backward(y, grad=tg.tensor([1.0, -1.0])).source
