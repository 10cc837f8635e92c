"""Functions with several outputs: a `forward` that returns a tuple of arrays.

    class MinMax(Function):
        @staticmethod
        def forward(ctx, x):                     # one array in, a tuple of two out
            ctx.save_for_backward(x)
            return x.min(), x.max()

        @staticmethod
        def backward(ctx, grad_min, grad_max):   # one gradient per output
            ...

    low, high = MinMax.apply(x)                  # a tuple of Tensors, as in PyTorch

Backward runs once for all the outputs, so the graph needs to know which
output each gradient belongs to. It records one extra node per output: the
op's own node (``MinMaxBackward``, the ctx) makes the outputs together, and
each output's ``grad_fn`` is an `Output` node whose one parent is the op's
node. In backward, each `Output` node hands on its output's gradient in its
own place of a `Slots`; the engine adds up the Slots that reach the op's
node (engine.py) and, when the op's turn comes, calls its backward with one
gradient per output. An output that got no gradient (the loss did not use
it) gets zeros, as in PyTorch, or None if forward called
``ctx.set_materialize_grads(False)``.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from . import function, in_place
from .function import Function, _as_output, _is_output, _place, _sequence
from .hooks import RemovableHandle
from .node import Node

if TYPE_CHECKING:
    from ..tensor import Tensor


class Output(Function):
    """y_i = output i of the op whose node is this node's parent;  dL/d(op's outputs) = dL/dy_i in slot i."""

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Any:  # (a Slots, for the op: not an input's gradient)
        grads: list[Tensor | None] = [None] * len(ctx.op._output_specs)
        grads[ctx.index] = grad
        return (Slots(ctx.op, grads),)


class OutputBackward(Node):
    """The grad_fn of one output of an op with several (`Output`)."""

    function = Output
    index: int  # which output of the op, its parent
    _checks_gradients = False  # (what it hands on is a `Slots`, for the op, not an input's gradient)

    @property
    def op(self) -> Node:
        """The node of the op this is an output of (the node's one parent)."""
        return cast(Node, self.parents[0])

    def name(self) -> str:
        return f"{self.op.name()} (output {self.index})"

    # What a user asks of an output's grad_fn is the op's (in PyTorch every output's
    # grad_fn is the op's node): its saved values, and its hooks, which see the
    # gradients of all its outputs, in one tuple.

    @property
    def saved_tensors(self) -> tuple[Tensor, ...]:
        return self.op.saved_tensors

    def register_prehook(self, fn: Any) -> RemovableHandle:
        return self.op.register_prehook(fn)

    def register_hook(self, fn: Any) -> RemovableHandle:
        return self.op.register_hook(fn)


Output._node_class = OutputBackward


class Slots:
    """dL/d(outputs) of an op with several outputs, one place per output (None: none yet)."""

    __slots__ = ("op", "grads")

    def __init__(self, op: Node, grads: list[Tensor | None]) -> None:
        self.op, self.grads = op, grads

    def add(self, other: Slots) -> Slots:
        """Self with other's gradients in their places (the engine owns self: changed in place).

        Each output's `Output` node runs once in a backward, so no place is filled twice.
        """
        for i, g in enumerate(other.grads):
            if g is not None:
                self.grads[i] = g
        return self

    def only(self) -> Tensor:
        """The one gradient of the Slots an `Output` node hands on."""
        return next(g for g in self.grads if g is not None)


def several_backward(op: Node, grads: tuple[Tensor | None, ...]) -> Any:
    """How the engine calls the backward of an op with several outputs: as it is written, with
    `grads`, one gradient per output, where an output that got none (None) gets zeros (module docstring)."""
    if op._materialize_grads:
        wrap = function.Tensor._wrap
        grads = tuple(
            wrap(np.zeros(*spec)) if g is None and spec is not None else g
            for g, spec in zip(grads, op._output_specs)
        )
    backward: Any = op.function.backward  # (written for as many gradients as outputs)
    return backward(op, *grads)


def _several_outputs(cls: type[Function], ctx: Node, args: tuple, result: tuple) -> tuple:
    """`Function.apply` for a forward that returned a tuple: a tuple of Tensors, recorded as above."""
    if ctx._dirty:
        for value in ctx._dirty:  # (forward changed them: whatever saved them must notice)
            x = in_place.input_holding(args, value)
            if x is not None:
                x._bump_version()
        raise RuntimeError(
            f"{cls.__name__}.forward marked an input dirty and returned several outputs: "
            "ctx.mark_dirty works in a Function with one output only"
        )
    wrap = function.Tensor._wrap
    outs: tuple[Any, ...] = tuple(
        None if r is None else wrap(r if type(r) is np.ndarray else _as_output(cls, r, args)) for r in result
    )
    arrays = [id(out.data) for out in outs if out is not None]
    if len(set(arrays)) < len(arrays):  # two outputs would share memory but not a version counter
        raise RuntimeError(
            f"{cls.__name__}.forward returned the same array as two outputs: return a copy "
            "(y.copy()) as the second"
        )
    marked = ctx._non_differentiable
    differentiable = [
        out is not None and out.data.dtype.kind == "f" and not (marked and _is_output(marked, r, out))
        for r, out in zip(result, outs)
    ]
    if not (any(ctx.needs_input_grad) and any(differentiable)):
        return outs
    _place(ctx, args)
    ctx._output_specs = tuple(None if out is None else (out.shape, out.data.dtype) for out in outs)
    if ctx._saved:
        ctx._saved = tuple(_as_saved_output(ctx, value, result, outs, differentiable) for value in ctx._saved)
        ctx._save(outs[differentiable.index(True)], None)  # (every output in it is a weak reference now)
    for i, out in enumerate(outs):
        if differentiable[i]:
            _attach(out, ctx, i)
    return outs


def _attach(out: Tensor, op: Node, i: int) -> None:
    """Make `out` output i of `op` in the graph: its grad_fn, an `Output` node."""
    node = OutputBackward()
    node.inputs, node.parents, node.needs_input_grad = (None,), (op,), (True,)
    node._saved, node.scope, node.seq, node.index = (), op.scope, next(_sequence), i
    out._requires_grad = True
    out.grad_fn = node


def _as_saved_output(op: Node, value: Any, result: tuple, outs: tuple, differentiable: list) -> Any:
    """A value given to save_for_backward: a weak reference if it is one of the outputs, else as it is.

    A weak reference, as a one-output op keeps its own output (node.py), so
    that no reference cycle runs through the outputs and the op's node. But
    where a one-output op's output lives as long as anything uses it, as an
    input, one of several outputs may be dropped unused while the op's node
    lives on. So the node also keeps, per saved output, a tensor that holds
    its array and counts its versions (the output becomes a view of it), and
    backward remakes a dropped output from that (`remade`): an in-place
    change made before it was dropped is still caught.
    """
    for i, (r, out) in enumerate(zip(result, outs)):
        if out is not None and value is not None and (value is r or value is out.data):
            ref = weakref.ref(out)
            if id(ref) not in op.__dict__.setdefault("_kept_outputs", {}):
                holder = function.Tensor._wrap(out.data)
                out._share_memory_of(holder)
                op._kept_outputs[id(ref)] = (holder, i, differentiable[i])
            return ref
    return value


def remade(op: Node, holder: Tensor, i: int, differentiable: bool) -> Tensor:
    """Output i of `op`, dropped since forward, made again from its `holder`: its values and version
    counter, and output i of op in the graph, so that a second derivative still sees how it depends
    on op's inputs."""
    out = function.Tensor._wrap(holder.data)
    out._share_memory_of(holder)
    if differentiable:
        _attach(out, op, i)
    return out
