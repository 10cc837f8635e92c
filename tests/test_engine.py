"""The engine's rules: ordering, accumulation, release, hooks, grad mode, versions."""

from __future__ import annotations

import threading
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.testing import gradcheck, gradgradcheck


def f64(values, requires_grad=True):
    return tg.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def test_a_100000_op_chain_backpropagates_without_recursion():
    import sys

    limit = sys.getrecursionlimit()
    x = f64(1.0)
    h = x
    for _ in range(100_000):
        h = h * 1.0 + 0.0
    h.backward()
    assert x.grad.item() == 1.0
    assert sys.getrecursionlimit() == limit
    del h  # freeing the long chain must not overflow the stack either


def test_diamond_graph_sums_both_paths():
    x = f64(3.0)
    a = x * 2.0
    y = a * a + a.exp()  # a feeds two ops
    y.backward()
    a_val = 6.0
    assert np.isclose(x.grad.item(), (2 * a_val + np.exp(a_val)) * 2.0)


def test_each_node_runs_after_all_its_consumers_however_they_interleave():
    # a is used by ops recorded early, in the middle and last; b's and c's
    # branches join late. Run in any other order, a node would pass on a
    # gradient that is still missing a consumer's part.
    def f(x, w):
        a = x * w
        b = a.tanh()
        c = (a * 3.0).sigmoid()
        d = b * c + a
        return (d * a).sum() + (c - b).sum()

    x = f64(np.linspace(-1.0, 1.0, 6).reshape(2, 3))
    w = f64(np.linspace(0.5, 1.5, 3))
    assert gradcheck(f, (x, w))
    assert gradgradcheck(f, (x, w))


def test_backward_from_several_outputs_at_once():
    x = f64([0.5, -1.0])
    y = x.tanh()
    z = y * x
    tg.autograd.backward([z.sum(), y.sum()])  # y's node gets gradient from two roots
    t = np.tanh([0.5, -1.0])
    np.testing.assert_allclose(x.grad.data, (1 - t**2) * np.array([0.5, -1.0]) + t + (1 - t**2))


def test_gradients_accumulate_in_leaves_across_backward_calls():
    x = f64([1.0, 2.0])
    (x * x).sum().backward()
    (x * 3.0).sum().backward()
    np.testing.assert_allclose(x.grad.data, [2 + 3, 4 + 3])


def test_leaf_grads_do_not_share_memory():
    x, y = f64([1.0]), f64([2.0])
    (x + y).sum().backward()  # Add passes the same gradient to both
    x.grad.data[0] = 99.0
    assert y.grad.item() == 1.0


def test_non_leaf_grad_is_none_unless_retained():
    x = f64([1.0, 2.0])
    h = x * 2.0
    kept = x * 3.0
    kept.retain_grad()
    (h.sum() + kept.sum()).backward()
    with pytest.warns(UserWarning, match=r"non-leaf tensor.*MulBackward.*retain_grad"):
        assert h.grad is None and not h.is_leaf
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # neither a retained non-leaf nor a leaf warns
        np.testing.assert_array_equal(kept.grad.data, [1.0, 1.0])
        np.testing.assert_array_equal(x.grad.data, [5.0, 5.0])


def test_second_backward_through_a_released_graph_raises():
    x = f64([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])  # the failed call changed nothing


def test_retain_graph_allows_a_second_backward():
    x = f64([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [4.0, 8.0])


def test_saved_tensors_are_freed_after_backward():
    x = f64([1.0, 2.0])
    y = x * x
    node = y.grad_fn
    y.sum().backward()
    assert node._saved is None and node.released


def test_backward_on_non_scalar_needs_a_gradient():
    y = f64([[1.0, 2.0]]) * 2.0
    with pytest.raises(RuntimeError, match=r"scalar outputs.*\(1, 2\)"):
        y.backward()
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(1, 2\)"):
        y.backward(tg.ones(3, dtype=np.float64))


def test_backward_on_a_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        tg.tensor([1.0]).sum().backward()


def test_inplace_change_of_a_saved_tensor_makes_backward_raise_naming_the_op():
    x = f64([1.0, 2.0])
    h = x * 1.0
    y = (h * h).sum()
    h += 1.0
    with pytest.raises(RuntimeError, match="MulBackward.*inplace|inplace.*MulBackward"):
        y.backward()
    assert x.grad is None


def test_inplace_ops_on_non_leaf_keep_correct_gradients():
    x = f64([1.0, 2.0])
    h = x * 2.0
    z = h + 1.0  # uses the old h
    h *= 3.0  # h = 6x
    (z.sum() + h.sum()).backward()
    np.testing.assert_allclose(x.grad.data, [2.0 + 6.0, 2.0 + 6.0])


@pytest.mark.parametrize("update", ["+=", "-=", "*=", "/=", "add_ alpha"])
def test_an_in_place_op_with_an_operand_of_a_wider_dtype_hands_it_a_gradient_in_its_dtype(update):
    a = tg.tensor([1.0, 2.0], requires_grad=True)  # float32
    b = f64([3.0, 4.0])
    c = a * 1.0
    if update == "add_ alpha":
        c.add_(b, alpha=2.0)
    else:
        c = {"+=": c.__iadd__, "-=": c.__isub__, "*=": c.__imul__, "/=": c.__itruediv__}[update](b)
    assert c.dtype == np.float32  # the op runs in float64, and the result is cast back into c
    c.sum().backward()
    assert b.grad.dtype == np.float64 and a.grad.dtype == np.float32
    expected = {
        "+=": [1.0, 1.0],
        "-=": [-1.0, -1.0],
        "*=": [1.0, 2.0],
        "/=": [-1 / 9, -2 / 16],
        "add_ alpha": [2.0, 2.0],
    }
    np.testing.assert_allclose(b.grad.data, expected[update])


def test_inplace_on_a_leaf_that_requires_grad_is_refused_and_changes_nothing():
    x = f64([1.0, 2.0])
    with pytest.raises(RuntimeError, match="leaf Variable"):
        x += 1.0
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    with tg.no_grad():
        x -= 1.0
    np.testing.assert_array_equal(x.data, [0.0, 1.0])
    assert x._version == 1 and x.is_leaf


IN_PLACE_FORMS = {  # name_ -> the out-of-place op it writes back
    "neg_": lambda t: -t,
    "abs_": lambda t: t.abs(),
    "exp_": lambda t: t.exp(),
    "log_": lambda t: t.log(),
    "sqrt_": lambda t: t.sqrt(),
    "sin_": lambda t: t.sin(),
    "cos_": lambda t: t.cos(),
    "tanh_": lambda t: t.tanh(),
    "sigmoid_": lambda t: t.sigmoid(),
    "relu_": lambda t: t.relu(),
}


@pytest.mark.parametrize("name", sorted(IN_PLACE_FORMS))
def test_in_place_forms_of_one_input_ops_match_theirs_in_value_gradient_and_rules(name):
    out_of_place = IN_PLACE_FORMS[name]
    x = f64([0.3, 1.7, 2.5])
    h = x * 1.5
    returned = getattr(h, name)()
    assert returned is h and h._version == 1 and h.grad_fn is not None
    expected = out_of_place(x * 1.5)
    np.testing.assert_array_equal(h.data, expected.data)
    (h * h).sum().backward()
    want = tg.autograd.grad((expected * expected).sum(), x)[0]
    np.testing.assert_allclose(x.grad.data, want.data)
    with pytest.raises(RuntimeError, match="leaf Variable"):  # refused on a leaf that needs grad
        getattr(x, name)()
    np.testing.assert_array_equal(x.data, [0.3, 1.7, 2.5])


def test_pow_masked_fill_clip_and_rounding_in_place():
    r = tg.tensor([1.5, -1.5, 2.7])
    assert r.floor_().tolist() == [1.0, -2.0, 2.0] and r._version == 1
    assert tg.tensor([1.5, -1.5]).ceil_().tolist() == [2.0, -1.0]
    assert tg.tensor([2.5, -0.5, 1.26], dtype=tg.float64).round_(1).tolist() == [2.5, -0.5, 1.3]
    t = tg.tensor([1.0, 2.0, 3.0])
    assert t.pow_(2).tolist() == [1.0, 4.0, 9.0] and t._version == 1
    assert t.masked_fill_(t > 5, -1.0).tolist() == [1.0, 4.0, -1.0]
    assert t.clip_(0.0, 2.0).tolist() == [1.0, 2.0, 0.0] and t._version == 3
    with pytest.raises(RuntimeError):  # a mask that does not broadcast changes nothing
        t.masked_fill_(tg.tensor([True, False]), 0.0)
    assert t.tolist() == [1.0, 2.0, 0.0] and t._version == 3


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
@pytest.mark.parametrize("name", ["floor_", "ceil_", "round_", "trunc_", "zero_"])
def test_a_piecewise_constant_in_place_op_leaves_a_gradient_of_zero(lib_name, name):
    lib = pytest.importorskip(lib_name)
    x = lib.tensor([0.3, 1.7, 2.5], dtype=lib.float64, requires_grad=True)
    h = x * 1.5
    getattr(h, name)()
    (h * h + x).sum().backward()  # only the "+ x" reaches x: h's new values are constant in x
    assert x.grad.tolist() == [1.0, 1.0, 1.0]
    y = x * 1.5
    getattr(y[1:], name)()  # through a view: y's first element keeps its gradient of 1.5 * 2y
    x.grad = None
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2 * 1.5 * 0.45, 0.0, 0.0])


def test_failed_inplace_leaves_the_tensor_as_it_was():
    t = tg.tensor([[1.0, 2.0]])
    with pytest.raises(RuntimeError, match=r"\(1, 2\).*\(3, 2\)"):
        t += tg.ones(3, 2)
    np.testing.assert_array_equal(t.data, [[1.0, 2.0]])
    assert t._version == 0


def test_hooks_see_and_can_replace_gradients():
    x = f64([1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.data.copy()))
    h = x * 3.0
    handle = h.register_hook(lambda g: g * 10.0)
    h.sum().backward()
    np.testing.assert_array_equal(seen[0], [30.0, 30.0])
    np.testing.assert_array_equal(x.grad.data, [30.0, 30.0])
    handle.remove()
    with pytest.raises(RuntimeError, match="doesn't require"):
        tg.tensor([1.0]).register_hook(print)


def test_retained_grad_is_the_gradient_after_every_hook():
    x = f64([1.0, 2.0])
    h = x * 3.0
    h.register_hook(lambda g: g + 1.0)
    h.retain_grad()
    h.register_hook(lambda g: g * 10.0)  # registered after retain_grad, runs before it (as in PyTorch)
    h.sum().backward()
    np.testing.assert_array_equal(h.grad.data, [20.0, 20.0])
    np.testing.assert_array_equal(x.grad.data, [60.0, 60.0])


def test_set_grad_enabled_as_a_call_a_block_and_a_decorator():
    x = f64([1.0])
    try:
        tg.set_grad_enabled(False)  # a bare call switches at once, as in PyTorch
        assert not tg.is_grad_enabled() and (x * 2.0).grad_fn is None
    finally:
        tg.set_grad_enabled(True)
    assert (x * 2.0).grad_fn is not None
    with tg.set_grad_enabled(False):
        assert not tg.is_grad_enabled()
    assert tg.is_grad_enabled()
    switch = tg.set_grad_enabled(False)
    tg.set_grad_enabled(True)
    for _ in range(2):  # an object used twice, as PyTorch allows
        with switch:
            assert not tg.is_grad_enabled()
        assert tg.is_grad_enabled()

    @tg.set_grad_enabled(False)
    def infer():
        return tg.is_grad_enabled()

    assert tg.is_grad_enabled() and infer() is False and tg.is_grad_enabled()
    block = tg.no_grad()  # making a no_grad object switches nothing until it is entered
    assert tg.is_grad_enabled()
    with block:
        assert not tg.is_grad_enabled()


def test_no_grad_and_enable_grad_as_context_managers_and_decorators():
    x = f64([1.0])
    with tg.no_grad():
        assert not tg.is_grad_enabled()
        assert (x * 2.0).grad_fn is None
        with tg.enable_grad():
            assert (x * 2.0).grad_fn is not None
    assert tg.is_grad_enabled()

    @tg.no_grad()
    def infer(t):
        return t * 2.0

    assert not infer(x).requires_grad and tg.is_grad_enabled()

    @tg.no_grad  # bare, as PyTorch also allows
    def bare(t):
        return t * 2.0

    @tg.enable_grad
    def recording(t):
        return t * 2.0

    assert bare.__name__ == "bare" and not bare(x).requires_grad and tg.is_grad_enabled()
    with tg.no_grad():
        assert recording(x).requires_grad


def test_a_decorated_generator_runs_each_step_in_the_mode_and_the_caller_in_its_own():
    x = f64([1.0])
    seen = []

    @tg.no_grad()
    def predict(times):
        for _ in range(times):
            sent = yield x * 2.0
            seen.append((tg.is_grad_enabled(), sent))
        return "done"

    steps = predict(2)
    assert tg.is_grad_enabled()  # making the generator switches nothing
    first = next(steps)
    assert not first.requires_grad and tg.is_grad_enabled()
    assert not steps.send("hello").requires_grad and tg.is_grad_enabled()
    with pytest.raises(StopIteration) as stop:
        next(steps)
    assert stop.value.value == "done" and seen == [(False, "hello"), (False, None)]

    @tg.enable_grad()
    def catching():
        try:
            yield 1
        except KeyError:
            yield tg.is_grad_enabled()
        finally:
            seen.append(("closed", tg.is_grad_enabled()))

    with tg.no_grad():
        gen = catching()
        next(gen)
        assert gen.throw(KeyError("k")) is True and not tg.is_grad_enabled()
        gen.close()  # its finally block runs in the decorator's mode too
    assert seen[-1] == ("closed", True)


def test_inference_mode_is_no_grad_for_evaluation_code():
    x = f64([1.0])
    with tg.inference_mode():
        assert not tg.is_grad_enabled() and (x * 2.0).grad_fn is None
        with tg.inference_mode(False):  # switched off again: recording as before
            assert (x * 2.0).grad_fn is not None
    assert tg.is_grad_enabled()

    @tg.inference_mode
    def bare(t):
        return t * 2.0

    @tg.inference_mode()
    def called(t):
        return t * 2.0

    assert not bare(x).requires_grad and not called(x).requires_grad and tg.is_grad_enabled()


def test_inside_inference_mode_enable_grad_turns_the_grad_mode_on_but_nothing_records():
    x = f64([1.0])
    with tg.inference_mode():
        assert tg.is_inference_mode_enabled() and not tg.is_grad_enabled()
        with tg.enable_grad():  # as in PyTorch: the grad mode says yes, inference mode still rules
            assert tg.is_grad_enabled() and not (x * 2.0).requires_grad
        with tg.set_grad_enabled(True):
            assert not (x * 2.0).requires_grad
        assert not tg.is_grad_enabled()
    with tg.no_grad(), tg.enable_grad():  # (outside inference mode, enable_grad records again)
        assert (x * 2.0).requires_grad
    assert not tg.is_inference_mode_enabled() and tg.is_grad_enabled()


def test_the_librarys_own_graph_checks_follow_inference_mode_not_enable_grad():
    w = tg.ones(3, requires_grad=True)
    with tg.inference_mode(), tg.enable_grad():  # (is_grad_enabled says yes; nothing records)
        loss = tg.nn.functional.cross_entropy(tg.ones(2, 3), tg.tensor([0, 1]), weight=w)
        assert not loss.requires_grad and tg.ones(3, requires_grad=True).sum(dtype=tg.int64).item() == 3


def test_set_grad_enabled_takes_a_bool_only():
    for bad in (None, 1, "no"):  # (None turned recording off for good, quietly)
        with pytest.raises(TypeError, match="must be bool"):
            tg.set_grad_enabled(bad)
    assert tg.is_grad_enabled()


def test_grad_mode_is_thread_local():
    results = {}

    def worker():
        results["other"] = tg.is_grad_enabled()

    with tg.no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert results["other"] is True


def test_autograd_grad_leaves_dot_grad_alone_and_gives_hessian_vector_products():
    x = f64([1.0, 2.0])
    y = (x**3).sum()
    (g,) = tg.autograd.grad(y, x, create_graph=True)
    np.testing.assert_allclose(g.data, 3 * x.data**2)
    v = f64([1.0, -1.0], requires_grad=False)
    (hv,) = tg.autograd.grad((g * v).sum(), x)
    np.testing.assert_allclose(hv.data, 6 * x.data * v.data)
    assert x.grad is None


def test_autograd_grad_unused_inputs():
    x, z = f64([1.0]), f64([2.0])
    y = (x * 2.0).sum()
    with pytest.raises(RuntimeError, match="not have been used"):
        tg.autograd.grad(y, [x, z], retain_graph=True)
    gx, gz = tg.autograd.grad(y, [x, z], allow_unused=True)
    assert gx.item() == 2.0 and gz is None


def test_autograd_grad_runs_only_the_part_of_the_graph_that_leads_to_its_inputs():
    calls = []

    class Below(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2.0

        @staticmethod
        def backward(ctx, grad):
            calls.append("below")
            return grad * 2.0

    x, w = f64([1.0, 2.0]), f64([3.0, 4.0])
    w.register_hook(lambda g: calls.append("w hook"))
    a = Below.apply(x) * w
    # d/da stops at a: what made a is neither run nor released, and w's hook does not fire
    (ga,) = tg.autograd.grad((a * a).sum(), a)
    assert ga.tolist() == [12.0, 32.0] and calls == []
    (gx,) = tg.autograd.grad((a * a).sum(), x)  # so a second call can still go through it
    assert gx.tolist() == [72.0, 256.0] and calls == ["below"]
    assert x.grad is None and w.grad is None


def test_autograd_grad_runs_the_hooks_of_the_inputs_it_returns():
    # as in PyTorch: a hook's replacement is what autograd.grad returns
    x = f64([1.0, 2.0])
    x.register_hook(lambda g: g * 10.0)
    a = x * 2.0
    a.register_hook(lambda g: g + 1.0)
    (gx,) = tg.autograd.grad((x * 3.0).sum(), x)
    assert gx.tolist() == [30.0, 30.0]
    (ga,) = tg.autograd.grad((a * a).sum(), a)
    assert ga.tolist() == [5.0, 9.0]
    (gx,) = tg.autograd.grad((a * a).sum(), x)  # through a's hook, then x's
    assert gx.tolist() == [100.0, 180.0] and x.grad is None


def test_backward_create_graph_gives_differentiable_grads():
    x = f64([0.5])
    y = x.sin().sum()
    y.backward(create_graph=True)
    first = x.grad
    assert first.requires_grad
    (second,) = tg.autograd.grad(first.sum(), x)
    np.testing.assert_allclose(second.data, -np.sin(0.5))


def test_custom_function_pattern_and_wrong_gradient_count():
    class Cube(tg.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3.0 * x * x

    x = f64([2.0])
    y = Cube.apply(x)
    assert type(y.grad_fn).__name__ == "CubeBackward"
    y.sum().backward()
    assert x.grad.item() == 12.0

    class TooMany(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1.0

        @staticmethod
        def backward(ctx, grad):
            return grad, grad

    with pytest.raises(RuntimeError, match="TooManyBackward.*expected 1, got 2"):
        TooMany.apply(f64([1.0])).sum().backward()

    class TwoInAList(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return [x * 2.0, x * 3.0]  # several outputs come as a tuple (tests/test_several_outputs.py)

    with pytest.raises(TypeError, match="TwoInAList.forward returned a list.*tuple of arrays"):
        TwoInAList.apply(f64([1.0]))  # NumPy would silently stack the two into one array

    class TensorMinded(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return x.exp()  # a common slip: forward gets arrays, which have no .exp()

    with pytest.raises(AttributeError, match="TensorMinded.forward receives NumPy arrays.*np.exp"):
        TensorMinded.apply(f64([1.0]))
    # PyTorch's old style, an instance called like a function: refused, pointing at apply
    with pytest.raises(RuntimeError, match=r"write TensorMinded.apply\(...\), not TensorMinded\(\)\(...\)"):
        TensorMinded()(f64([1.0]))
    # and the inputs given to the class itself
    with pytest.raises(TypeError, match=r"TensorMinded\(...\) does not run the op.*write TensorMinded.apply"):
        TensorMinded(f64([1.0]))

    class Typo(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return ctx.missing  # any other AttributeError passes through untouched

    with pytest.raises(AttributeError, match="missing") as caught:
        Typo.apply(f64([1.0]))
    assert "receives NumPy arrays" not in str(caught.value)


def test_saved_tensors_read_in_forward_are_empty_as_in_torch():
    # nothing is saved until forward returns; a forward that looks anyway sees ()
    seen = []

    class Peek(tg.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y, x * y)
            seen.append(ctx.saved_tensors)
            return x * y

        @staticmethod
        def backward(ctx, grad):
            x, y, _ = ctx.saved_tensors
            return grad * y, grad * x

    x, y = f64([2.0]), f64([5.0])
    Peek.apply(x, y).sum().backward()
    assert seen == [()] and x.grad.item() == 5.0 and y.grad.item() == 2.0


def test_custom_function_gradient_of_wrong_shape_is_reported():
    class Bad(tg.Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum()

        @staticmethod
        def backward(ctx, grad):
            return tg.ones(5, dtype=np.float64)

    with pytest.raises(RuntimeError, match=r"BadBackward.*\(5,\).*\(2, 3\)"):
        Bad.apply(f64(np.ones((2, 3)))).backward()


def test_a_library_function_applied_to_broadcasting_inputs_gets_gradients_of_their_shapes():
    # `x * y` broadcasts first (a recorded Expand), and the engine takes the library's
    # gradients as they come; `Mul.apply` skips that step, so its gradients are fitted
    from tinygrad_edu.ops.elementwise import Mul

    x, y = f64(np.arange(3.0).reshape(3, 1)), f64([[1.0, 2.0]])
    Mul.apply(x, y).sum().backward()
    assert x.grad.tolist() == [[3.0], [3.0], [3.0]] and y.grad.tolist() == [[3.0, 3.0]]


def test_a_starting_gradient_of_another_dtype_is_cast_to_the_outputs():
    x = f64([1.0, 2.0])
    y = x * 3.0
    y.backward(tg.tensor([1.0, 1.0], dtype=tg.float32))
    assert x.grad.dtype == np.float64 and x.grad.tolist() == [3.0, 3.0]
    leaf = f64([1.0])  # a leaf as its own output: the gradient goes straight to .grad
    leaf.backward(tg.tensor([2.0], dtype=tg.float32))
    assert leaf.grad.dtype == np.float64


def test_setup_context_gets_forwards_arrays_and_saves_as_forward_would():
    seen = []

    class Cube(tg.Function):  # PyTorch 2's style: forward without ctx
        @staticmethod
        def forward(x, k):
            return k * x**3

        @staticmethod
        def setup_context(ctx, inputs, output):
            seen.append((inputs, output, ctx.needs_input_grad))
            x, k = inputs
            ctx.k = k
            ctx.save_for_backward(x, output)  # an input and the output, as forward could

        @staticmethod
        def backward(ctx, grad):
            x, y = ctx.saved_tensors
            return grad * 3.0 * y / x, None

    x = f64([1.0, 2.0])
    y = Cube.apply(x, 2.0)
    (inputs, output, needs) = seen[0]
    assert inputs[0] is x.data and inputs[1] == 2.0 and output is y.data and needs == (True, False)
    assert y.grad_fn.name() == "CubeBackward" and y.tolist() == [2.0, 16.0]
    (g,) = tg.autograd.grad(y.sum(), x, create_graph=True)
    assert g.tolist() == [6.0, 24.0]  # 3 k x^2
    (h,) = tg.autograd.grad(g.sum(), x)  # through the saved output: 6 k x
    assert h.tolist() == [12.0, 24.0]
    assert gradcheck(lambda t: Cube.apply(t, 2.0), [x]) and gradgradcheck(lambda t: Cube.apply(t, 2.0), [x])
    with tg.no_grad():  # called without recording too, as in PyTorch
        assert Cube.apply(x, 1.0).grad_fn is None and seen[-1][2] == (False, False)
    # what it saved is checked against in-place changes as forward's saves are
    z = x * 1.0
    y = Cube.apply(z, 1.0)
    z += 1.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()

    class WithCtx(Cube):  # forward must not take ctx once setup_context is defined (as PyTorch)
        @staticmethod
        def forward(ctx, x, k):
            return x

    with pytest.raises(TypeError, match="missing .*required .*argument.*'k'"):
        WithCtx.apply(x, 1.0)

    class TensorMinded(Cube):
        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0].detach())

    with pytest.raises(AttributeError, match="forward and setup_context receive NumPy arrays"):
        TensorMinded.apply(x, 1.0)


def test_mark_non_differentiable_gives_an_output_off_the_graph():
    calls = []

    class Floor(tg.Function):
        @staticmethod
        def forward(ctx, x):
            y = np.floor(x)
            ctx.mark_non_differentiable(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            calls.append(grad)
            return grad

    x = f64([1.5, -0.5])
    y = Floor.apply(x)
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf and y.tolist() == [1.0, -1.0]
    (y * x).sum().backward()  # no gradient through y
    assert x.grad.tolist() == [1.0, -1.0] and calls == []
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        Floor.apply(x).sum().backward()

    class Total(tg.Function):  # in setup_context, on the NumPy scalar forward returned
        @staticmethod
        def forward(x):
            return x.sum()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.mark_non_differentiable(output)

    assert not Total.apply(x).requires_grad

    class MarksItsInput(Floor):  # not the output: ignored, as PyTorch ignores it
        @staticmethod
        def forward(ctx, x):
            ctx.mark_non_differentiable(x)
            return np.floor(x)

    assert MarksItsInput.apply(x).grad_fn.name() == "MarksItsInputBackward"

    class MarksANumber(Floor):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_non_differentiable(3)
            return x

    with pytest.raises(RuntimeError, match="only accepts the arrays forward returns, but got int"):
        MarksANumber.apply(x)


def _square(lib):
    """y = x^2, x saved, with a backward marked once_differentiable (for tinygrad_edu or torch)."""
    recording = []

    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, grad):
            recording.append(lib.is_grad_enabled())
            (x,) = ctx.saved_tensors
            return 2.0 * x * grad

    return Square, recording


def test_once_differentiable_backward_runs_once_and_refuses_a_second_time():
    Square, recording = _square(tg)
    assert Square.backward.__name__ == "backward"
    x = f64([3.0, -1.0])
    (g,) = tg.autograd.grad(Square.apply(x).sum(), x)
    assert g.tolist() == [6.0, -2.0] and recording == [False]
    # the incoming gradient is on a graph (it depends on x): the gradient we get is too,
    # and going back through it raises, with autograd.grad and with backward alike
    (g,) = tg.autograd.grad((Square.apply(x) * x).sum(), x, create_graph=True)
    assert g.tolist() == [27.0, 3.0] and recording[-1] is False  # 3 x^2, computed without recording
    assert g.grad_fn is not None
    with pytest.raises(RuntimeError, match="differentiate twice a function that was marked with @once"):
        tg.autograd.grad(g.sum(), x)
    (Square.apply(x) * x).sum().backward(create_graph=True)
    first = x.grad
    with pytest.raises(RuntimeError, match="marked with @once_differentiable"):
        first.sum().backward()
    assert x.grad is first  # the failed backward changed nothing
    # at the start of backward the incoming gradient is on no graph: the result is on none
    (g,) = tg.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
    assert not g.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        tg.autograd.grad(g.sum(), x)
    # the missing dependence may be on the op's input alone (z reaches g only through x)
    z, w = f64([2.0, 1.0]), f64([1.0, 1.0])
    via_z = z * 1.0
    (g,) = tg.autograd.grad((Square.apply(via_z) * w).sum(), via_z, create_graph=True)
    with pytest.raises(RuntimeError, match="marked with @once_differentiable"):
        tg.autograd.grad(g.sum(), z)

    class Scale(tg.Function):  # a tuple with None in it passes through
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        @tg.autograd.function.once_differentiable
        def backward(ctx, grad):
            return grad * ctx.k, None

    (g,) = tg.autograd.grad((Scale.apply(x, 2.0) * x).sum(), x, create_graph=True)
    assert g.tolist() == [12.0, -4.0]
    with pytest.raises(RuntimeError, match="marked with @once_differentiable"):
        g.sum().backward()

    class NumpyScale(tg.Function):  # a backward in NumPy returns an array: it is put behind the error too
        @staticmethod
        def forward(ctx, x):
            return x * 2.0

        @staticmethod
        @tg.autograd.function.once_differentiable
        def backward(ctx, grad):
            return grad.data * 2.0

    (g,) = tg.autograd.grad((NumpyScale.apply(x) * x).sum(), x, create_graph=True)
    assert g.tolist() == [12.0, -4.0]
    with pytest.raises(RuntimeError, match="marked with @once_differentiable"):
        g.sum().backward()  # (it went through, silently missing the term of the NumPy backward)


def test_function_extras_behave_as_torchs():
    torch = pytest.importorskip("torch")

    def observe(lib):
        Square, recording = _square(lib)
        x = lib.tensor([3.0, -1.0], dtype=lib.float64, requires_grad=True)
        (first,) = lib.autograd.grad(Square.apply(x).sum(), x)
        (root,) = lib.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
        with warnings.catch_warnings():  # torch's about the cycle x.grad makes with x
            warnings.simplefilter("ignore")
            (Square.apply(x) * x).sum().backward(create_graph=True)
        try:
            x.grad.sum().backward()
            error = None
        except RuntimeError as caught:
            error = str(caught)

        class Floor(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = x // 1.0
                ctx.mark_non_differentiable(y)
                return y

        class Cube(lib.autograd.Function):
            @staticmethod
            def forward(x):
                return x * x * x

            @staticmethod
            def setup_context(ctx, inputs, output):
                ctx.save_for_backward(inputs[0], output)

            @staticmethod
            def backward(ctx, grad):
                x, y = ctx.saved_tensors
                return 3.0 * grad * y / x

        floor = Floor.apply(x)
        (g,) = lib.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)
        return {
            "first": first.tolist(),
            "root_requires_grad": root.requires_grad,
            "error": error,
            "recording": recording,
            "floor": (floor.requires_grad, floor.grad_fn is None, floor.is_leaf),
            "setup_context": (g.tolist(), h.tolist()),
        }

    ours = observe(tg)
    assert ours["error"] is not None and ours["floor"] == (False, True, True)
    assert ours == observe(torch)


def test_grad_fn_names_the_op():
    x = f64([1.0])
    assert (x * 2.0).grad_fn.name() == "MulBackward"
    assert repr((x.reshape(1, 1) @ f64([[1.0]])).grad_fn) == "<MatMulBackward>"


def test_tanh_backward_is_one_recorded_op_that_is_differentiable_again():
    x = f64([0.3, -1.2])
    (g,) = tg.autograd.grad(x.tanh().sum(), x, create_graph=True)
    assert g.grad_fn.name() == "TanhGradBackward"  # g (1 - y^2) as one op, not three
    np.testing.assert_allclose(g.data, 1 - np.tanh(x.data) ** 2)
    (h,) = tg.autograd.grad(g.sum(), x)  # d/dx (1 - tanh^2) = -2 tanh (1 - tanh^2)
    y = np.tanh(x.data)
    np.testing.assert_allclose(h.data, -2 * y * (1 - y**2))


def test_views_share_the_version_counter_of_their_memory():
    def saved_square(x):
        y = x * 1.0
        return y, (y * y).sum()

    changes = {
        "through a slice": lambda y: y[0:2].__iadd__(5.0),
        "through detach": lambda y: y.detach().zero_(),
        "of a sibling view": lambda y: y[2:].__imul__(2.0),
    }
    for change in changes.values():
        y, loss = saved_square(f64([1.0, 2.0, 3.0, 4.0]))
        change(y)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()  # the silent alternative: a gradient of the changed values

    x = f64([1.0, 2.0, 3.0, 4.0])  # a saved view, its base changed afterwards
    y = x * 1.0
    v = y.reshape(2, 2)
    loss = (v * v).sum()
    with tg.no_grad():
        y += 1.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()

    x = f64([1.0, 2.0, 3.0])  # writing back through indexing stays differentiable
    y = x * 2.0
    y[0:2] += 5.0
    (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.data, [28.0, 36.0, 24.0])  # 4 (2x + 5), 4 (2x + 5), 8x


def test_an_inplace_change_through_a_view_is_recorded_on_what_it_views():
    # PyTorch's CopySlices. Without it y's graph keeps y's old values, and each
    # gradient below is silently that of the unchanged y.
    def through_a_slice(x):
        y = x * 1.0
        r = y[:2]
        r *= x[3]
        return (y * y).sum()

    def setitem_on_a_row(x):
        m = x.reshape(2, 2) * 2.0
        row = m[0]
        row[1] = x[0] * x[2]
        return (m * m.sum()).sum()

    def through_a_view_of_a_view(x):
        m = x.reshape(2, 2) * 1.0
        m.reshape(4)[1:3] += x.sum()  # a slice of a reshape
        m.T[0] *= x[1]  # a row of a transpose: the first column of m
        return (m**3).sum()

    def into_a_constant(x):
        y = tg.zeros(4, dtype=np.float64)
        r = y[1:3]
        r += x[:2] * x[2]  # y had no graph; now it has one
        return (y * y).sum()

    for f in (through_a_slice, setitem_on_a_row, through_a_view_of_a_view, into_a_constant):
        x = f64([0.5, -1.2, 2.0, 0.7])
        assert gradcheck(f, [x]), f.__name__
        assert gradgradcheck(f, [x]), f.__name__


def test_an_inplace_change_through_a_view_of_a_leaf_is_refused_and_changes_nothing():
    w = f64([1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="view of a leaf Variable"):
        w[0:2] *= 2.0
    with pytest.raises(RuntimeError, match="view of a leaf Variable"):
        w.reshape(3, 1)[0] += 1.0
    np.testing.assert_array_equal(w.data, [1.0, 2.0, 3.0])
    assert w._version == 0 and w.is_leaf
    tg.manual_seed(0)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        tg.nn.functional.dropout(w, 0.5, inplace=True)
    after = tg.rand(1).item()
    tg.manual_seed(0)
    assert after == tg.rand(1).item()  # the failed call drew no dropout mask
    with tg.no_grad():  # the way to change a parameter in place
        w[0:2] *= 2.0
    np.testing.assert_array_equal(w.data, [2.0, 4.0, 3.0])


def test_changing_what_backward_needs_raises_or_cannot_matter():
    x = f64([[1.0, 3.0], [4.0, 2.0]])
    m = x.amax(1, keepdim=True)  # amax needs its output to find the winners
    m -= 1.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        (x - m).exp().sum().backward()  # it used to give a nan gradient

    x = f64([1.0, 2.0, 3.0])
    mask = tg.tensor([True, False, True])
    y = tg.where(mask, x * 2.0, x * 0.0)
    mask[0] = False
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()

    # an index is copied when it is used, so changing the index tensor later moves nothing
    x = f64([1.0, 2.0, 3.0, 4.0])
    i = tg.tensor([0, 1])
    y = x[i]
    i += 2
    (y * tg.tensor([1.0, 10.0], dtype=np.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 10.0, 0.0, 0.0])


def test_forward_knows_needs_input_grad_and_keeps_only_what_backward_uses():
    # b * 3 needs only the 3 for b's gradient, so b may change in place before backward
    a = f64([1.0, 2.0])
    b = a * 2.0
    c = (b * 3.0) + (b / 4.0) + b @ tg.ones(2, 2, dtype=np.float64) + b.tanh() * 0.0 + 2.0 / b
    b += 1.0
    c.sum().backward()
    # d(2 / b)/db = -2 / b^2 at the old b = [2, 4]; 2 / b is reciprocal(b) * 2, which keeps 1/b
    np.testing.assert_allclose(a.grad.data, 2 * (3.0 + 0.25 + 2.0 - 2.0 / np.array([4.0, 16.0])))
    d = a * 2.0
    e = d * d  # each factor is the other's gradient: changing d must raise
    d += 1.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        e.sum().backward()

    seen = []

    class Scale(tg.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            seen.append(ctx.needs_input_grad)  # known already, as in PyTorch
            ctx.save_for_backward(k if ctx.needs_input_grad[0] else None)
            return x * k

        @staticmethod
        def backward(ctx, grad):
            (k,) = ctx.saved_tensors
            return grad * k, None

    x = f64([1.0, 2.0])
    Scale.apply(x, tg.tensor(3.0, dtype=np.float64)).sum().backward()
    with tg.no_grad():
        Scale.apply(x, 2.0)
    assert seen == [(True, False), (False, False)] and x.grad.tolist() == [3.0, 3.0]


def test_an_op_that_records_nothing_keeps_nothing_alive():
    # Library ops that record nothing share one throwaway ctx (function._Unrecorded),
    # which must forget what forward hands it: x ** 3 saves x unconditionally.
    import weakref

    from tinygrad_edu.autograd.function import _UNRECORDED

    x = tg.tensor(np.arange(3.0))
    memory = weakref.ref(x.data)
    with tg.no_grad():
        y = f64([1.0, 2.0, 3.0]) ** x  # (the recording-off path, with an input that needs grad)
    z = x**3.0
    assert y.grad_fn is None and z.grad_fn is None
    del x
    assert memory() is None
    ctx = _UNRECORDED[2]
    ctx.index = np.zeros(3)  # as Index.forward does
    ctx.save_for_backward(np.zeros(3))
    assert not hasattr(ctx, "index") and ctx._saved == () and ctx.needs_input_grad == (False, False)


def test_assigning_grad_checks_type_shape_and_dtype():
    x = f64([1.0, 2.0])
    x.grad = tg.ones(2, dtype=np.float64)
    with pytest.raises(RuntimeError, match=r"shape \(3,\).*shape \(2,\)"):
        x.grad = tg.ones(3, dtype=np.float64)
    with pytest.raises(RuntimeError, match="dtype float32"):
        x.grad = tg.ones(2)
    with pytest.raises(TypeError, match="Tensor or None"):
        x.grad = np.ones(2)
    assert x.grad.tolist() == [1.0, 1.0]  # the failed assignments changed nothing


def test_a_hook_may_change_the_values_of_a_gradient_but_not_its_shape_or_dtype():
    x = f64([1.0, 2.0])
    x.register_hook(lambda g: tg.ones(3, dtype=np.float64))
    with pytest.raises(
        RuntimeError,
        match=r"changed the size of value: it returned a gradient of shape \(3,\) for one of shape \(2,\)",
    ):
        (x * 2.0).sum().backward()
    assert x.grad is None
    h = f64([1.0, 2.0]) * 2.0
    h.register_hook(lambda g: g.float())
    with pytest.raises(RuntimeError, match=r"changed the type of value \(was float64 got float32\)"):
        h.sum().backward()


@pytest.mark.parametrize("failure", ["wrong shape", "raises"])
def test_a_failing_leaf_hook_leaves_every_grad_and_the_graph_as_they_were(failure):
    a, b = f64([1.0, 2.0, 3.0]), f64([4.0, 5.0, 6.0])

    def bad(g):
        if failure == "raises":
            raise ValueError("the hook's own error")
        return g[:2]

    handle = b.register_hook(bad)
    s = (a * b).sum()
    with pytest.raises((RuntimeError, ValueError), match="hook|own error"):
        s.backward()
    assert a.grad is None and b.grad is None  # a's gradient was ready too, but not written
    handle.remove()
    b.register_hook(lambda g: g * 2.0)
    s.backward()  # the graph was not freed by the failed call
    assert a.grad.tolist() == [4.0, 5.0, 6.0] and b.grad.tolist() == [2.0, 4.0, 6.0]


def test_a_view_whose_memory_changed_elsewhere_gets_its_graph_remade():
    # as PyTorch: the gradient through a view sees every change to its memory,
    # whether made through the base, through another view, or through itself
    def base_changed_then_view_used(x):
        y = x * 1.0
        r = y[:2]
        y *= x[2]
        return (r * r).sum()

    def base_changed_then_view_changed(x):
        y = x * 1.0
        r = y[:2]
        y *= 2.0
        r *= x[1]
        return (y * y).sum()

    def sibling_changed(x):
        y = x * 1.0
        a, b = y[:2], y[1:]
        a *= x[0]
        return (b**3).sum()

    def through_a_transpose(x):
        m = x.reshape(2, 2) * 1.0
        t = m.T
        m[0] *= x[3]
        return (t * t).sum()

    for f in (
        base_changed_then_view_used,
        base_changed_then_view_changed,
        sibling_changed,
        through_a_transpose,
    ):
        assert gradcheck(f, [f64([0.5, -1.2, 2.0, 0.7])]), f.__name__

    # a parameter view taken before an optimizer-style update keeps working
    w = f64([1.0, 2.0])
    first = w[:1]
    with tg.no_grad():
        w -= 0.5
    (first * 3.0).sum().backward()
    assert w.grad.tolist() == [3.0, 0.0]


def test_retain_grad_survives_in_place_changes():
    x = f64([1.0, 2.0, 3.0])
    y = x * 1.0
    y.retain_grad()
    r = y[:2]
    r *= 3.0
    y *= 2.0
    (y * y).sum().backward()
    np.testing.assert_allclose(y.grad.data, 2 * y.data)  # the gradient at y's latest value


def test_relu_keeps_its_output_as_pytorch_so_its_input_may_change():
    x = f64([-1.0, 2.0])
    b = x * 1.0
    a = b.relu()
    b += 1.0
    (a * a).sum().backward()
    assert x.grad.tolist() == [0.0, 4.0]
    h = x * 1.0
    tg.nn.functional.relu(h, inplace=True)  # the saved output is now h itself...
    loss = (h * 3.0).sum()
    h += 1.0  # ...so changing h again is caught
    with pytest.raises(RuntimeError, match="ReluBackward needs version"):
        loss.backward()


# A step of a random program over the tensors made so far: take a view of one
# of them, or change one in place by a number that depends on x.
VIEW_STEPS = st.one_of(
    st.tuples(st.just("slice"), st.integers(0, 99), st.integers(0, 3), st.integers(1, 4)),
    st.tuples(st.just("row"), st.integers(0, 99), st.integers(0, 3)),
    st.tuples(st.just("transpose"), st.integers(0, 99)),
    st.tuples(st.just("flatten"), st.integers(0, 99)),
    st.tuples(st.sampled_from(["*=", "+=", "-="]), st.integers(0, 99), st.integers(0, 11)),
)


@given(steps=st.lists(VIEW_STEPS, min_size=1, max_size=6))
def test_random_views_and_in_place_changes_have_the_gradients_of_their_values(steps):
    """Whatever views are taken and changed, in whatever order, backward sees every change.

    gradcheck compares with finite differences, which only see the values; a
    graph that missed a change through a view, its base or a sibling fails it.
    """

    def program(x):
        tensors = [x * 1.0]
        for kind, pick, *args in steps:
            t = tensors[pick % len(tensors)]
            if kind == "slice" and t.ndim:
                start = args[0] % t.shape[0]
                tensors.append(t[start : start + args[1]])
            elif kind == "row" and t.ndim:
                tensors.append(t[args[0] % t.shape[0]])
            elif kind == "transpose" and t.ndim == 2:
                tensors.append(t.T)
            elif kind == "flatten":
                tensors.append(t.reshape(-1))  # a view, or a copy when t is a transpose
            elif kind in ("*=", "+=", "-="):
                factor = x.reshape(-1)[args[0]] * 0.5 + 1.0
                if kind == "*=":
                    t *= factor
                elif kind == "+=":
                    t += factor
                else:
                    t -= factor
        return sum(((t * t).sum() for t in tensors), tg.tensor(0.0, dtype=np.float64))

    x = f64(np.linspace(-1.0, 1.0, 12).reshape(4, 3))
    assert gradcheck(program, [x])


def test_views_after_in_place_changes_behave_as_pytorchs():
    x = f64([1.0, 2.0, 3.0, 4.0])
    y = x * 1.0
    r = y[:2]
    r.retain_grad()
    r *= 2.0
    ((r * r).sum() + y.sum()).backward()
    assert r.grad.tolist() == [4.0, 8.0]  # only r's own uses: the base's gradient is not r's
    assert x.grad.tolist() == [10.0, 18.0, 1.0, 1.0]

    x = f64([1.0, 2.0, 3.0, 4.0])
    y = x * 1.0
    r = y[:2]
    y *= 2.0
    r.register_hook(lambda g: g * 10.0)  # on r's remade graph, so it runs
    (r * r).sum().backward()
    assert x.grad.tolist() == [80.0, 160.0, 0.0, 0.0]
    y = f64([1.0, 2.0, 3.0, 4.0]) * 1.0
    r = y[:2]
    y *= 2.0
    steps = tg.viz.backward_steps(r, tg.ones(2, dtype=np.float64))  # pictures follow the same graph
    assert steps[0].node.parents[0] is y.grad_fn

    y = f64([1.0, 2.0, 3.0, 4.0]) * 1.0
    r = y[:2]
    out = r.sum()
    y *= 2.0
    with pytest.raises(RuntimeError, match="not have been used"):  # r's graph is new: out never used it
        tg.autograd.grad(out, r, retain_graph=True)
    assert tg.autograd.grad(r, r, tg.ones(2, dtype=np.float64))[0].tolist() == [1.0, 1.0]

    d = tg.ones(4)
    v = d[:2]
    v.requires_grad_()  # a view made a leaf by hand stays one when its memory changes
    (v * v).sum().backward()
    with tg.no_grad():
        v -= 0.5 * v.grad
    (v * v).sum().backward()
    assert v.grad.tolist() == [2.0, 2.0]

    x = f64([1.0, 2.0, 3.0, 4.0])
    t = y = x * 1.0
    for _ in range(600):  # a long chain of views is remade with a loop, not recursion
        t = t.reshape(2, 2).reshape(-1)
    y *= 2.0
    (t * t).sum().backward()
    assert x.grad.tolist() == [8.0, 16.0, 24.0, 32.0]

    y = f64([1.0, 2.0]) * 1.0
    with tg.no_grad():
        v = y[:1]
    with pytest.raises(RuntimeError, match="view made in no_grad mode"):
        v *= 2.0
    assert y.tolist() == [1.0, 2.0]


# ---- gradients of indexed tensors: the engine adds each slice's gradient in place


INDICES = st.sampled_from(
    [
        (0,),
        (-1,),
        (slice(1, None),),
        (slice(None, 2),),
        (slice(None, None, 2),),
        (Ellipsis, 1),
        (None, 1, slice(0, 2)),
        (np.array([0, 0, 1]),),  # a place named twice
        (slice(None), np.array([2, 0, 2])),
    ]
)


@given(st.lists(INDICES, min_size=1, max_size=6), st.booleans(), st.booleans())
def test_gradients_of_many_indexings_of_one_tensor_add_up_right(indices, leaf, also_whole):
    data = np.arange(12.0).reshape(3, 4) / 7.0
    x0 = f64(data)
    x = x0 if leaf else x0 * 1.0
    if not leaf:
        x.retain_grad()
        seen = []
        x.register_hook(lambda g: seen.append(g.data.copy()))
    loss = (x * x).sum() if also_whole else 0.0
    expected = 2 * data if also_whole else np.zeros_like(data)
    for k, index in enumerate(indices):
        weight = np.cos(np.arange(np.size(data[index])) + k).reshape(np.shape(data[index]))
        loss = loss + (x[index] * tg.tensor(weight)).sum()
        np.add.at(expected, index, weight)  # dL/dx: each weight added where its slice came from
    loss.backward(retain_graph=True)
    np.testing.assert_allclose(x.grad.data, expected, rtol=1e-12)
    if not leaf:
        np.testing.assert_allclose(seen[0], expected, rtol=1e-12)  # the hook saw the whole sum
        np.testing.assert_allclose(x0.grad.data, expected, rtol=1e-12)
    # the same through autograd.grad, with create_graph (Index's recorded backward) and without
    for create_graph in (False, True):
        (g,) = tg.autograd.grad(loss, x, retain_graph=True, create_graph=create_graph)
        assert type(g) is tg.Tensor
        np.testing.assert_allclose(g.data, expected, rtol=1e-12)


def test_a_loop_over_slices_is_differentiable_twice():
    x = f64(np.linspace(-1.0, 1.0, 12).reshape(4, 3))
    loss = sum((x[t] ** 3).sum() for t in range(4)) + (x[1:] * x[:-1]).sum()
    (g,) = tg.autograd.grad(loss, x, create_graph=True)
    (h,) = tg.autograd.grad(g.sum(), x)
    near = np.zeros((4, 3))
    near[1:] += 1.0
    near[:-1] += 1.0  # d/dx of sum(d/dx (x[1:] x[:-1])): each neighbour counts once
    np.testing.assert_allclose(h.data, 6 * x.data + near, rtol=1e-12)
    assert gradgradcheck(lambda x: sum((x[t] * x[t].sin()).sum() for t in range(4)), [x])


def test_the_backward_steps_show_a_slices_gradient_whole():
    x = f64([1.0, 2.0, 3.0])
    steps = tg.viz.backward_steps(x[0] * 2.0 + x[1:].sum())
    passed_to_x = [edge.grad.tolist() for step in steps for edge in step.edges if edge.target is x]
    assert sorted(passed_to_x) == [[0.0, 1.0, 1.0], [2.0, 0.0, 0.0]]


@pytest.mark.parametrize("lib_name", ["tinygrad_edu", "torch"])
def test_a_second_backward_adds_into_the_grad_one_holds(lib_name):
    lib = pytest.importorskip(lib_name)
    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    (x * 2).sum().backward()
    held = x.grad
    (x * 3).sum().backward()
    assert held is x.grad and held.tolist() == [5.0, 5.0]  # added in place: the reference sees the sum
    # while a graph is being made, the sum is a new tensor, and the one held keeps its values
    (x * x).sum().backward(create_graph=True)
    assert held.tolist() == [5.0, 5.0] and x.grad.tolist() == [7.0, 9.0] and x.grad.grad_fn is not None


def test_a_grad_set_by_hand_that_cannot_take_the_sum_in_place_is_replaced():
    x = f64([1.0, 2.0])
    x.grad = tg.tensor(np.float64(1.0)).expand(2)  # a read-only (broadcast) view
    (x * 3).sum().backward()
    assert x.grad.tolist() == [4.0, 4.0]


class _TwoInputs(tg.Function):
    """a * b, whose backward returns `extra` after the two gradients."""

    extra: tuple = ()

    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, grad):
        return (grad, grad, *ctx.function.extra)


def test_a_backward_may_return_extra_nones_but_no_extra_gradients():
    x = f64([1.0, 2.0])

    class TrailingNones(_TwoInputs):
        extra = (None, None)

    class OneTooMany(_TwoInputs):
        extra = (tg.ones(2),)

    TrailingNones.apply(x, x).sum().backward()  # (as PyTorch: the Nones are dropped)
    assert x.grad.tolist() == [2.0, 2.0]
    with pytest.raises(
        RuntimeError,
        match=r"OneTooManyBackward returned an incorrect number of gradients \(expected 2, got 3\)",
    ):
        OneTooMany.apply(x, x).sum().backward()


def test_grad_with_no_inputs_is_an_error():
    x = f64([1.0])
    with pytest.raises(RuntimeError, match="`inputs` argument cannot be empty"):
        tg.autograd.grad((x * 2).sum(), [])


class _Scale(tg.Function):
    @staticmethod
    def forward(ctx, a, k=2.0, shift=0.0):
        ctx.k = k
        return a * k + shift

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.k, None, None


class _ScaleWithSetup(tg.Function):
    @staticmethod
    def forward(a, k=2.0):
        return a * k

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.k = inputs[1]  # (the default too: apply binds it, as PyTorch does)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.k, None


def test_apply_binds_keyword_arguments_and_defaults_to_forward_as_pytorch():
    x = f64([1.0, 2.0])
    assert _Scale.apply(x, k=3.0).tolist() == [3.0, 6.0] and _Scale.apply(x, 3.0, shift=1.0).tolist() == [
        4.0,
        7.0,
    ]
    y = _ScaleWithSetup.apply(x)
    y.sum().backward()
    assert y.tolist() == [2.0, 4.0] and x.grad.tolist() == [2.0, 2.0]
    assert _ScaleWithSetup.apply(x, k=4.0).tolist() == [4.0, 8.0]
    with pytest.raises(TypeError, match="unexpected keyword argument 'q'"):
        _Scale.apply(x, q=1)

    class KeywordOnly(_ScaleWithSetup):
        @staticmethod
        def forward(a, *, k=3.0):  # (apply passes forward its arguments by position)
            return a * k

    with pytest.raises(TypeError, match=r"keyword-only arguments \['k'\]"):
        KeywordOnly.apply(x, k=5.0)  # (as PyTorch refuses it; it was dropped, silently)


def test_a_gradient_for_an_input_that_is_no_tensor_is_an_error():
    class GradientForK(tg.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, grad):
            return grad * 2.0, grad  # (k = 2.0 is a number: PyTorch refuses a gradient for it)

    x = f64([1.0])
    with pytest.raises(
        RuntimeError, match="different than None at position 2, .* not a Tensor \\(a float\\)"
    ):
        GradientForK.apply(x, 2.0).sum().backward()
    assert x.grad is None
