"""Tests of tg.testing's own rules: what gradcheck and gradgradcheck check and refuse, and the strategies.

(That they find wrong gradients in the library's ops is in test_gradients.py.)
PyTorch's rules for which outputs are checked, inputs left as they were
after a check, and strategies usable as a user's own property tests would.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu.autograd.function import Function
from tinygrad_edu.testing import GradcheckError, gradcheck, gradgradcheck
from tinygrad_edu.testing.strategies import broadcastable_shapes, shapes, tensors

DETERMINISTIC = settings(max_examples=10, derandomize=True, database=None, deadline=None)


def _x(values=(1.0, 2.0)) -> tg.Tensor:
    return tg.tensor(np.array(values), requires_grad=True)


# ------------------------------------------------------------------ gradcheck
class NanBackward(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * float("nan")


def test_gradcheck_fails_on_a_nan_gradient_as_torch_allclose_does() -> None:
    x = _x()
    with pytest.raises(GradcheckError, match=r"input 0 .*element \(0,\).*analytic nan vs numeric 1\.99"):
        gradcheck(NanBackward.apply, [x])
    assert gradcheck(NanBackward.apply, [x], raise_exception=False) is False


def test_gradcheck_checks_the_outputs_that_require_grad_as_pytorch() -> None:
    x = _x()
    # a detached (or integer) output beside a differentiable one is not checked
    assert gradcheck(lambda a: (a.sin(), a.detach() * 2.0, a.argmax()), [x])
    # with no differentiable output, every floating output must have a zero numeric derivative
    assert gradcheck(lambda a: a.detach() * 0.0 + 1.0, [x])
    with pytest.raises(GradcheckError, match=r"analytic 0\.0 .*output 0 does not require grad"):
        gradcheck(lambda a: a.detach() * 2.0, [x])


def test_gradgradcheck_takes_one_grad_output_per_differentiable_output() -> None:
    x = _x()
    assert gradgradcheck(lambda a: (a.argmax(), (a**3).sum()), [x])  # an integer output first
    v = tg.tensor(np.array(1.5), requires_grad=True)
    assert gradgradcheck(lambda a: (a.argmax(), (a**3).sum()), [x], [v])
    with pytest.raises(ValueError, match="got 2 grad_outputs for the function's 1 outputs"):
        gradgradcheck(lambda a: (a**3).sum(), [x], [v, v])


class CubeCutOffFromItsGradient(Function):
    """x^3 whose backward detaches the upstream gradient: right first derivatives, wrong second."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad.detach() * 3.0 * x * x


def test_a_gradgradcheck_failure_names_the_users_input_and_the_upstream_gradient() -> None:
    x = _x()
    assert gradcheck(CubeCutOffFromItsGradient.apply, [x])
    message = (
        r"^Second-derivative mismatch: the gradient for input 0, differentiated with respect to "
        r"grad_outputs\[0\] \(an upstream gradient v\) of shape \(2,\): .*analytic 0\.0 vs numeric 3\.0"
    )
    with pytest.raises(GradcheckError, match=message):
        gradgradcheck(CubeCutOffFromItsGradient.apply, [x])


def test_gradgradcheck_does_not_pass_when_nothing_is_differentiable() -> None:
    x = _x()
    with tg.no_grad(), pytest.raises(ValueError, match="none of the function's outputs requires grad"):
        gradgradcheck(lambda a: a.sin(), [x])


def test_gradcheck_names_an_input_it_cannot_perturb() -> None:
    expanded = tg.tensor(np.array([1.0, 2.0])).expand(3, 2).detach().requires_grad_()
    with pytest.raises(RuntimeError, match=r"input 0 of shape \(3, 2\) has a dimension with stride 0"):
        gradcheck(lambda a: a * a, [expanded])
    read_only = _x()
    read_only.data.flags.writeable = False
    with pytest.raises(RuntimeError, match="input 1 of shape .2,. is read-only"):
        gradcheck(lambda a, b: a * b, [_x(), read_only])


def test_gradcheck_reports_and_undoes_a_function_that_changes_its_input() -> None:
    def bump(a):
        with tg.no_grad():
            a.add_(1.0)
        return a * 2.0

    x = _x()
    with pytest.raises(RuntimeError, match="the function changed input 0 in place"):
        gradcheck(bump, [x])
    assert x.tolist() == [1.0, 2.0] and x.is_leaf and x.requires_grad

    base = _x()
    non_leaf = base * 1.0
    before = non_leaf.grad_fn
    with pytest.raises(RuntimeError, match="the function changed input 0 in place"):
        gradcheck(lambda a: a.mul_(2.0), [non_leaf])
    assert non_leaf.tolist() == [1.0, 2.0] and non_leaf.grad_fn is before


def test_gradcheck_leaves_the_grad_of_its_inputs_alone() -> None:
    base = _x()
    retained = base * 3.0
    retained.retain_grad()
    leaf = _x((0.5, -1.0))
    leaf.grad = tg.tensor(np.array([7.0, 8.0]))
    assert gradcheck(lambda a, b: (a.sin() * b).sum(), [retained, leaf])
    with pytest.raises(GradcheckError):
        gradcheck(NanBackward.apply, [retained])
    assert retained.grad is None and base.grad is None
    assert leaf.grad.tolist() == [7.0, 8.0] and leaf.requires_grad


def test_gradcheck_of_an_output_that_is_a_view_of_the_input() -> None:
    # the output shares the input's memory: its values are read before the next perturbation
    assert gradcheck(lambda a: a.reshape(-1), [tg.tensor(np.array(0.5), requires_grad=True)])
    assert gradgradcheck(lambda a: a.reshape(-1) * a, [_x()])


# ------------------------------------------------------------------ strategies
def test_tensors_takes_a_dtype_strategy() -> None:
    drawn = set()

    @DETERMINISTIC
    @given(tensors(shape=(2,), dtype=st.sampled_from([np.float32, np.float64]), requires_grad=True))
    def check(t: tg.Tensor) -> None:  # as a user's own property test would
        assert t.requires_grad and t.shape == (2,) and np.all(np.abs(t.data) <= 10)
        drawn.add(t.dtype)

    check()
    assert drawn <= {np.dtype(np.float32), np.dtype(np.float64)} and drawn


def test_tensors_refuses_an_integer_dtype_that_requires_grad_when_made() -> None:
    with pytest.raises(ValueError, match="only floating point tensors can require gradients, not int64"):
        tensors(dtype=np.int64, requires_grad=True)
    assert tensors(dtype=np.int64) is not None  # without gradients, integers are fine


def test_shape_strategies_reach_the_sides_they_are_given() -> None:
    # the shape's own side 6 (not only 1) is among the broadcastable shapes
    found = find(broadcastable_shapes((2, 6)), lambda s: 6 in s, settings=DETERMINISTIC)
    assert np.broadcast_shapes(found, (2, 6)) == (2, 6)
    assert min(find(shapes(min_dims=1, min_side=5), lambda s: True, settings=DETERMINISTIC)) >= 5


def test_gradcheck_arguments_as_in_pytorch() -> None:
    x = tg.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    with pytest.raises(TypeError):  # eps, atol, rtol are keyword-only, as in PyTorch
        gradcheck(lambda a: a * 2, [x], 1e-6)
    with pytest.raises(TypeError):
        gradgradcheck(lambda a: a * a, [x], None, 1e-6)
    # a lone non-Tensor is one argument (PyTorch's rule), so the error says what is missing
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda a: a * 2, 3.0)
    assert gradcheck(lambda a: a * 2, x, eps=1e-6, atol=1e-5, rtol=1e-3)
