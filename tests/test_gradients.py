"""Generic property tests: every row of the op table against finite differences.

First derivatives (gradcheck) and second derivatives (gradgradcheck) in
float64, over shapes and values drawn by Hypothesis, broadcasting pairs,
size-1 dims and negative dims included. Throughout, every gradient that a
library op returns must have its input's shape and dtype already: the
engine relies on that and checks only users' ops (`_every_gradient_checked`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg
from tinygrad_edu.autograd import engine
from tinygrad_edu.autograd.function import Function, Node
from tinygrad_edu.testing import gradcheck, gradgradcheck
from tinygrad_edu.testing.strategies import broadcastable_shapes, shapes

from .op_table import OPS, UNDIFFERENTIABLE, Op

IDS = [op.name for op in OPS]


def _matmul_shapes(draw: st.DrawFn, mode: str) -> list[tuple[int, ...]]:
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    if mode == "2d":
        return [(n, k), (k, m)]
    if mode == "vec":
        return draw(st.sampled_from([[(k,), (k, m)], [(n, k), (k,)], [(k,), (k,)]]))
    if mode == "linear":  # x (*, in), weight (out, in), bias (out,): k in, m out
        batch = draw(st.sampled_from([(), (n,), (2, n)]))
        return [batch + (k,), (m, k), (m,)]
    return [(2, 1, n, k), (3, k, m)]


@st.composite
def op_inputs(draw: st.DrawFn, op: Op) -> list[tg.Tensor]:
    side = op.extra.get("min_side", 1)
    if "matmul" in op.extra:
        shape_list = _matmul_shapes(draw, op.extra["matmul"])[: op.arity]
    elif op.broadcast:
        first = draw(shapes(min_dims=op.min_dims, max_dims=3, min_side=side, max_side=3))
        second = draw(broadcastable_shapes(first, max_dims=3, max_side=3))
        shape_list = draw(st.permutations([first, second]))
    else:
        first = draw(shapes(min_dims=op.min_dims, max_dims=3, min_side=side, max_side=3))
        shape_list = [first] * op.arity
    arrays = [draw(hnp.arrays(np.float64, s, elements=op.domain)) for s in shape_list]
    values = np.concatenate([a.reshape(-1) for a in arrays])
    for kink in op.kinks:
        assume(np.all(np.abs(values - kink) > 1e-2))
    if op.distinct:
        ordered = np.sort(values)
        assume(np.all(np.diff(ordered) > 1e-2))
    return [tg.tensor(a, requires_grad=True) for a in arrays]


def _library_functions() -> list[type[Function]]:
    found, todo = [], list(Function.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("tinygrad_edu."):
            found.append(cls)
    return found


@pytest.fixture(scope="module", autouse=True)
def _every_gradient_checked() -> Iterator[None]:
    """The engine checks every op's gradients here, and a library op's must need no fixing.

    Outside the tests it checks only ops recorded by `apply` (Node._checks_gradients)
    and takes what the library's `_apply1`/`_apply2` record as it comes, so a library
    gradient of the wrong shape or dtype would pass unnoticed there: it is caught here.
    """
    fix = engine._conform

    def conform(g: Any, x: tg.Tensor, node: Any, i: int) -> Any:
        fixed = fix(g, x, node, i)
        if node.function.__module__.startswith("tinygrad_edu."):
            assert fixed is g, (
                f"{node.name()} returned a gradient of shape {np.shape(g)} and dtype "
                f"{getattr(g, 'dtype', type(g).__name__)} for its input {i} of shape {x.shape} "
                f"and dtype {x.dtype}"
            )
        return fixed

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Node, "_checks_gradients", True)
        patch.setattr(engine, "_conform", conform)
        yield


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_first_derivatives_match_finite_differences(op: Op, data: st.DataObject) -> None:
    inputs = data.draw(op_inputs(op))
    before = [x.data.copy() for x in inputs]
    assert gradcheck(op.fn, inputs, eps=op.eps)
    for x, original in zip(inputs, before):
        np.testing.assert_array_equal(x.data, original)  # ops never mutate their inputs


@pytest.mark.parametrize(
    "op", [op for op in OPS if op.second_order], ids=[o.name for o in OPS if o.second_order]
)
@given(data=st.data())
def test_second_derivatives_match_finite_differences(op: Op, data: st.DataObject) -> None:
    inputs = data.draw(op_inputs(op))
    assert gradgradcheck(op.fn, inputs, eps=op.eps)


@pytest.mark.parametrize("op", OPS, ids=IDS)
@given(data=st.data())
def test_gradients_have_the_inputs_shape_and_dtype(op: Op, data: st.DataObject) -> None:
    dtype = data.draw(st.sampled_from([np.float64, np.float32]))
    inputs = [tg.tensor(x.data.astype(dtype), requires_grad=True) for x in data.draw(op_inputs(op))]
    out = op.fn(*inputs)
    upstream = np.random.default_rng(1).standard_normal(out.shape)  # not only ones
    out.backward(tg.tensor(upstream))
    for x in inputs:
        assert x.grad is not None
        assert x.grad.shape == x.shape and x.grad.dtype == x.dtype


def test_every_function_has_a_row() -> None:
    covered = {name for op in OPS + UNDIFFERENTIABLE for name in op.covers}
    missing = {cls.__name__ for cls in _library_functions()} - covered
    assert not missing, f"ops without a row in tests/op_table.py: {sorted(missing)}"


@pytest.mark.parametrize("op", UNDIFFERENTIABLE, ids=[op.name for op in UNDIFFERENTIABLE])
@given(data=st.data())
def test_an_op_without_a_derivative_is_recorded_and_its_backward_raises(op: Op, data: st.DataObject) -> None:
    inputs = data.draw(op_inputs(op))
    y = op.fn(*inputs)
    assert y.requires_grad and y.grad_fn is not None  # recorded, as in PyTorch
    with pytest.raises(RuntimeError, match=f"derivative for {op.name} is not implemented"):
        y.sum().backward()
    assert all(x.grad is None for x in inputs)  # the failed backward changed nothing
    with pytest.raises(
        RuntimeError, match=f"derivative for {op.name}"
    ):  # (not "a second time": nothing freed)
        y.sum().backward()


def test_gradcheck_catches_a_wrong_backward() -> None:
    class WrongSquare(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * x  # should be 2x

    x = tg.tensor(np.array([1.0, -2.0]), requires_grad=True)
    x.name = "x"
    with pytest.raises(tg.testing.GradcheckError, match=r"input 0 \(x\).*element \(0,\).*analytic 1\.0"):
        gradcheck(WrongSquare.apply, [x])
    assert gradcheck(WrongSquare.apply, [x], raise_exception=False) is False
    assert (
        tg.autograd.gradcheck is gradcheck and tg.autograd.gradgradcheck is gradgradcheck
    )  # PyTorch's place

    # with no input requiring grad there is nothing to compare: an error, not a pass
    constant = tg.tensor(np.array([1.0, -2.0]))
    for check in (gradcheck, gradgradcheck):
        with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
            check(WrongSquare.apply, [constant])


def test_gradcheck_perturbs_any_memory_layout_and_always_puts_the_input_back() -> None:
    # a transposed (non-contiguous) input: its elements are perturbed in its own memory
    xt = tg.tensor(np.arange(6.0).reshape(2, 3)).T.detach().requires_grad_()
    assert not xt.data.flags.c_contiguous
    assert gradcheck(lambda t: (t * t * t).sum(0), [xt])
    # a function that raises at a perturbed point leaves the input as it was
    x = tg.tensor(np.array([0.5, 1.0]), requires_grad=True)
    target = tg.tensor(np.array([0.0, 1.0]))
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        gradcheck(lambda p: tg.nn.functional.binary_cross_entropy(p, target), [x])
    assert x.tolist() == [0.5, 1.0]


def test_gradcheck_says_what_a_function_returned_when_it_is_not_tensors() -> None:
    x = tg.tensor(np.array([1.0, -2.0]), requires_grad=True)
    for fn, got in [
        (lambda t: 3.0, "float"),
        (lambda t: t.data * 2, "ndarray"),
        (lambda t: (t * 2, t.data), "Tensor, ndarray"),
    ]:
        with pytest.raises(TypeError, match=f"must return a Tensor or a tuple of Tensors.*returned {got} "):
            gradcheck(fn, [x])


def test_gradgradcheck_catches_a_backward_that_is_not_differentiable() -> None:
    class DetachedSquare(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * x.detach() * 2.0  # right value, but cut from the graph

    class NumpySquare(DetachedSquare):
        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return tg.tensor(2.0 * x.data * grad.data)  # right value, but made off the graph entirely

    x = tg.tensor(np.array([1.5, -0.5]), requires_grad=True)
    for square in (DetachedSquare, NumpySquare):
        assert gradcheck(square.apply, [x])
        with pytest.raises(tg.testing.GradcheckError, match="analytic 0.0"):
            gradgradcheck(square.apply, [x])
