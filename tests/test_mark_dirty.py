"""Custom Functions that change an input in place and say so with ``ctx.mark_dirty`` (autograd/in_place.py).

The first derivatives and second derivatives of such a Function, also through a
view, are checked by the op table's rows "mark_dirty" and "mark_dirty_view";
here: the result is the input itself, its version and grad_fn, and the refusals
(a leaf that requires grad, a view of one, a changed input that is not returned),
each of which leaves the tensors as they were; and an input returned unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_edu as tg

from .op_table import Exp_


class AddOne_(tg.Function):
    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        x += 1
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
        return grad


class AddInto(tg.Function):
    """x += w in place;  dL/dx = g, dL/dw = g."""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        x += w
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx: Any, grad: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
        return grad, grad


def test_the_result_is_the_changed_input_with_a_new_version_and_the_ops_grad_fn() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    y = a * 2
    version = y._version
    z = AddOne_.apply(y)
    assert z is y and y.tolist() == [3.0, 5.0]
    assert y._version == version + 1 and type(y.grad_fn).__name__ == "AddOne_Backward"
    (y * y).sum().backward()
    assert a.grad.tolist() == [12.0, 20.0]  # d/da (2a + 1)^2 = 4 (2a + 1)


def test_a_saved_output_is_the_changed_input_and_second_derivatives_see_it() -> None:
    a = tg.tensor([0.5, -1.0], dtype=tg.float64, requires_grad=True)
    y = Exp_.apply(a * 1.0)
    (g,) = tg.autograd.grad(y.sum(), a, create_graph=True)
    np.testing.assert_allclose(g.data, np.exp(a.data))
    (gg,) = tg.autograd.grad(g.sum(), a)
    np.testing.assert_allclose(gg.data, np.exp(a.data))


def test_a_value_saved_before_the_change_makes_backward_raise() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    y = a.exp()  # exp saves its output, y
    AddOne_.apply(y)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_a_tensor_that_required_no_grad_joins_the_graph() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    p = tg.zeros(2)
    q = AddInto.apply(p, a)
    assert q is p and p.requires_grad and type(p.grad_fn).__name__ == "AddIntoBackward"
    (p * 3).sum().backward()
    assert a.grad.tolist() == [3.0, 3.0]


def test_retain_grad_follows_the_tensor_to_its_new_grad_fn() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    y = a * 2
    y.retain_grad()
    AddOne_.apply(y)
    (y * y).sum().backward()
    assert y.grad.tolist() == [6.0, 10.0]  # 2 y, for the new y


@pytest.mark.parametrize("as_view", [False, True])
def test_a_leaf_that_requires_grad_is_refused_before_forward_changes_it(as_view: bool) -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    x = a[0] if as_view else a
    what = "a view of a leaf Variable" if as_view else "a leaf Variable"
    with pytest.raises(
        RuntimeError, match=f"^{what} that requires grad is being used in an in-place operation"
    ):
        AddOne_.apply(x)
    assert a.tolist() == [1.0, 2.0] and a._version == 0 and a.grad_fn is None
    assert a.data.flags.writeable  # handed to forward read-only, and writable again
    with tg.no_grad():
        assert AddOne_.apply(a) is a  # under no_grad a leaf may be changed, as in PyTorch
    assert a.tolist() == [2.0, 3.0] and a._version == 1 and a.grad_fn is None


def test_a_view_made_in_no_grad_mode_is_refused_as_the_librarys_in_place_ops_refuse_it() -> None:
    a = tg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = a * 1
    with tg.no_grad():
        v = b[0]
    with pytest.raises(
        RuntimeError, match="^a view made in no_grad mode is being used in an in-place operation"
    ):
        AddOne_.apply(v)
    assert b.tolist() == [[1.0, 2.0], [3.0, 4.0]] and b._version == 0


def test_a_write_that_numpy_lets_through_a_read_only_array_is_still_refused() -> None:
    class AddAt_(tg.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            np.add.at(x, [0, 0], 1.0)  # (ufunc.at ignores the read-only flag)
            ctx.mark_dirty(x)
            return x

    a = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(
        RuntimeError, match="^a leaf Variable that requires grad has been used in an in-place"
    ):
        AddAt_.apply(a)
    assert a.grad_fn is None and a.is_leaf and a._version == 1  # changed, as in PyTorch, and counted


def test_when_forward_is_stopped_at_a_leaf_the_inputs_it_may_have_changed_count_a_version() -> None:
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    with pytest.raises(RuntimeError, match="input 1"):
        _WritesBoth.apply(b, a)
    assert b._version == 1  # b may have been written before the write into a failed
    expanded = (a * 1).expand(3, 2)
    with pytest.raises(ValueError, match="read-only"):  # not blamed on the leaf a, input 1
        _WritesBoth.apply(expanded, a)


class _WritesBoth(tg.Function):
    @staticmethod
    def forward(ctx: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x *= 2
        y *= 2
        return x.copy()


def test_a_forward_that_writes_into_a_leaf_without_saying_so_is_refused_too() -> None:
    class Sneaky(tg.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            np.multiply(x, 2, out=x)  # (PyTorch would let this through, and give a wrong gradient)
            return x.copy()

        @staticmethod
        def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
            return grad * 2

    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Sneaky.forward wrote into the array of input 0\b"):
        Sneaky.apply(a)
    with pytest.raises(RuntimeError, match="one of inputs 0, 1"):
        AddInto.apply(a, b)
    assert a.tolist() == [1.0, 2.0] and b.tolist() == [3.0]


def test_a_view_of_a_leaf_that_forward_returns_stays_read_only() -> None:
    class FirstRow(tg.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            return x[0]

        @staticmethod
        def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
            return tg.stack([grad, tg.zeros_like(grad)])

    a = tg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    r = FirstRow.apply(a)
    with pytest.raises(RuntimeError, match="read-only tensor of shape"):
        with tg.no_grad():
            r += 1  # it would change the leaf a
    assert a.tolist() == [[1.0, 2.0], [3.0, 4.0]] and a.data.flags.writeable


def test_a_changed_input_that_is_not_returned_is_refused_and_counts_its_change() -> None:
    class NotReturned(tg.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            x += 1
            ctx.mark_dirty(x)
            return x * 2

        @staticmethod
        def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
            return grad * 2

    y = tg.tensor([1.0, 2.0], requires_grad=True) * 1
    with pytest.raises(RuntimeError, match="marked as dirty during the forward method were not returned"):
        NotReturned.apply(y)
    assert y._version == 1  # a backward that saved y will notice


def test_mark_dirty_takes_input_arrays_only_and_one_output() -> None:
    class MarksATensor(tg.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            ctx.mark_dirty(tg.tensor(x))
            return x

    class MarksANewArray(tg.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            y = x * 2
            ctx.mark_dirty(y)
            return y

        @staticmethod
        def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
            return grad * 2

    class TwoOutputs(tg.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            x += 1
            ctx.mark_dirty(x)
            return x, x * 2

    y = tg.tensor([1.0, 2.0], requires_grad=True) * 1
    with pytest.raises(
        RuntimeError, match="mark_dirty only accepts the input arrays forward changed, but got Tensor"
    ):
        MarksATensor.apply(y)
    with pytest.warns(UserWarning, match="not an input's"):
        z = MarksANewArray.apply(y)
    assert z is not y and z.tolist() == [2.0, 4.0] and y._version == 0
    with pytest.raises(RuntimeError, match="ctx.mark_dirty works in a Function with one output only"):
        TwoOutputs.apply(y)
    assert y._version == 1


def test_an_input_returned_as_it_is_shares_its_version_and_is_not_changed_in_place_in_grad_mode() -> None:
    class Same(tg.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            return x

        @staticmethod
        def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
            return grad

    a = tg.tensor([1.0, 2.0], requires_grad=True)
    y = a.exp()  # exp saves its output, y
    out = Same.apply(y)
    assert out is not y and out.data is y.data and out._base is y
    with pytest.raises(RuntimeError, match="Output 0 of Same is a view of its input"):
        out += 1
    assert y.tolist() == pytest.approx(np.exp([1.0, 2.0]).tolist()) and y._version == 0
    with tg.no_grad():
        out += 1  # allowed, as in PyTorch: and y, which shares the memory, counts the change
    assert y._version == 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_setup_context_may_mark_an_input_dirty() -> None:
    class Double_(tg.Function):
        @staticmethod
        def forward(x: np.ndarray) -> np.ndarray:
            x *= 2
            return x

        @staticmethod
        def setup_context(ctx: Any, inputs: tuple, output: np.ndarray) -> None:
            ctx.mark_dirty(inputs[0])

        @staticmethod
        def backward(ctx: Any, grad: tg.Tensor) -> tg.Tensor:
            return grad * 2

    a = tg.tensor([1.0, 2.0], requires_grad=True)
    y = a + 0
    assert Double_.apply(y) is y and y.tolist() == [2.0, 4.0]
    y.sum().backward()
    assert a.grad.tolist() == [2.0, 2.0]
