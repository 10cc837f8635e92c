"""`Node`: one recorded operation, the `grad_fn` of its output and the `ctx` of its Function.

When `Function.apply` (function.py) records an op, it makes a node of a
class named after the op (``MulBackward``) and hands it to `forward` and
`backward` as their `ctx`. The node keeps what backward needs: the inputs,
where each input's gradient goes (`parents`), which inputs need one
(`needs_input_grad`), what forward saved, and its place in the recording
order (`seq`). Saved tensors are checked against later in-place changes
when backward reads them (`saved_tensors`), and released by backward.

Ops that record nothing (no input needs a gradient) share one `_Unrecorded`
ctx per number of arguments instead of making a node each time.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np

from .accumulate_grad import accumulator_of
from .hooks import NodeHooks, RemovableHandle

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .accumulate_grad import AccumulateGrad
    from .function import Function
else:
    Tensor = None  # set by tensor.py once the class exists (the two modules need each other)

_Ref = weakref.ref  # (how a node holds the output it saved: see `_save`)


class Node:
    """A recorded operation: the `grad_fn` of its output and the `ctx` of its Function.

    inputs:  the arguments `apply` received (Tensors and plain values).
    parents: per input, where its gradient goes: the input's own `grad_fn`
             at the time of the call, the input itself for a leaf, or None
             for a non-Tensor argument. Keeping the producer (not the tensor)
             keeps the graph right even if the tensor is later changed in place.
    needs_input_grad: per input, does a gradient need to flow to it? Set
             before `forward` runs, so forward can save only what backward
             will use (as in PyTorch).
    seq:     the node's number in recording order: larger than the numbers
             of the nodes its inputs came from (backward's order, engine.py).
    """

    # Slots for what every recorded node holds (fewer objects for the cycle
    # collector to walk); ctx attributes an op sets itself go to __dict__.
    # `_saved` holds what `save_for_backward` was given, then (once recorded)
    # each saved tensor followed by its version at the time, in one flat
    # tuple (t0, v0, t1, v1, ...; one object per node instead of two), and
    # None after backward has released them.
    __slots__ = ("inputs", "parents", "needs_input_grad", "scope", "seq", "_saved", "__dict__")
    inputs: tuple[Any, ...]
    parents: tuple[Node | Tensor | None, ...]
    needs_input_grad: tuple[bool, ...]
    scope: object  # the module running forward when the node was made (see grad_mode._State)
    seq: int
    _saved: tuple[Any, ...] | None
    function: type[Function]
    _hooks: NodeHooks | None = None  # (hooks.py) made when the first hook is registered
    _non_differentiable: tuple = ()  # what forward passed to mark_non_differentiable
    _dirty: tuple = ()  # what forward passed to mark_dirty (in_place.py)
    _materialize_grads = True  # see set_materialize_grads
    _forward_trace: list[str] | None = None  # where forward was called, kept in anomaly mode
    # Does the engine check the gradients backward returns against the inputs'
    # shapes and dtypes (engine._conform)? Yes for every op recorded by `apply`,
    # users' ops among them. No for the library's own calls through `_apply1`
    # and `_apply2`: their operands have one shape already (`binary` broadcasts
    # first) and their backward formulas keep shapes and dtypes, which
    # tests/test_gradients.py checks for every op; asking costs 5% of a chain of small ops.
    _checks_gradients = False

    if TYPE_CHECKING:
        # Any other attribute is one an op set on its ctx for its backward
        # (ctx.shape, ctx.dims, ...): free-form, as PyTorch's ctx is.
        def __getattr__(self, name: str) -> Any: ...
        def __setattr__(self, name: str, value: Any) -> None: ...

    def save_for_backward(self, *values: Any) -> None:
        """Keep values that `backward` needs: inputs, the output, constants, or None (nothing)."""
        self._saved = values

    def mark_non_differentiable(self, *outputs: np.ndarray) -> None:
        """Declare forward's output not differentiable: it gets requires_grad=False and no grad_fn.

        For results that carry no gradient, such as indices or counts. Called
        in forward (or setup_context) with the array forward returns; an array
        that is not the output is ignored, as PyTorch ignores a marked input.
        """
        for value in outputs:
            if not isinstance(value, (np.ndarray, np.generic)):
                raise RuntimeError(
                    "mark_non_differentiable only accepts the arrays forward returns, "
                    f"but got {type(value).__name__}"
                )
        self._non_differentiable = outputs

    def mark_dirty(self, *inputs: np.ndarray) -> None:
        """Declare that forward changed these inputs' arrays in place (and returns the one it changed).

        The input becomes the op's output, as after ``x.add_(1)``, and counts
        one more version; see in_place.py. Called in forward (or setup_context)
        with the input arrays forward received.
        """
        for value in inputs:
            if not isinstance(value, np.ndarray):
                got = type(value).__name__
                raise RuntimeError(f"mark_dirty only accepts the input arrays forward changed, but got {got}")
        self._dirty = inputs

    def set_materialize_grads(self, value: bool) -> None:
        """For an op with several outputs: does backward get zeros (True, the default) or None
        for the gradient of an output that the loss did not use? (See outputs.py.)"""
        self._materialize_grads = bool(value)

    @property
    def saved_tensors(self) -> tuple[Tensor, ...]:
        """The saved values as Tensors, checked against later in-place changes."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(
                f"Trying to backward through the graph a second time: the values "
                f"{self.name()} saved were freed by the first backward. "
                "Pass retain_graph=True to the first backward to keep them."
            )
        if not saved:
            return ()
        tensors = []
        try:
            for i in range(0, len(saved), 2):  # (saved is t0, v0, t1, v1, ...)
                tensor = saved[i]
                if tensor is not None:  # (None: forward saved nothing in this place)
                    if type(tensor) is _Ref:
                        ref, tensor = tensor, tensor()
                        if tensor is None:
                            tensor = self._output_again(ref)
                    # a view counts the changes made to its base
                    if (tensor._version if tensor._base is None else tensor._base._version) != saved[i + 1]:
                        self._modified(tensor, saved[i + 1])
                tensors.append(tensor)
        except AttributeError:
            if not hasattr(self, "seq"):  # read in forward: nothing is saved until forward returns
                return ()  # (as in PyTorch)
            raise
        return tuple(tensors)

    def _modified(self, tensor: Tensor, version: int) -> None:
        """Raise: `tensor`, saved at `version`, has been changed in place since."""
        now = (tensor if tensor._base is None else tensor._base)._version
        raise RuntimeError(
            "one of the variables needed for gradient computation has been "
            f"modified by an inplace operation: {self.name()} needs version "
            f"{version} of a saved tensor of shape {tensor.shape}, which is "
            f"now at version {now}"
        )

    @property
    def next_functions(self) -> tuple[tuple[Node | AccumulateGrad | None, int], ...]:
        """PyTorch's view of the edges: (where the gradient goes, 0) per Tensor input.

        >>> (x * 2).grad_fn.next_functions    # x a leaf that requires grad
        ((<AccumulateGrad>, 0), (None, 0))

        The producer's node for an input made by an op, the leaf's
        `AccumulateGrad` (accumulate_grad.py) for a leaf, (None, 0) for a
        Tensor that gets no gradient (a constant, or the 2 of ``x * 2``).
        Plain arguments (dims, shapes, exponents) are no inputs in PyTorch
        either; integer and boolean Tensors (an index, the condition of
        `where`) are left out, as PyTorch leaves them out for most ops.
        Computed when asked for, never while recording.
        """
        pairs: list[tuple[Any, int]] = []
        for i in self._edges():
            parent = self.parents[i]
            if parent is None:
                pairs.append((None, 0))
            elif isinstance(parent, Node):
                pairs.append((parent, 0))
            else:
                pairs.append((accumulator_of(parent), 0))
        return tuple(pairs)

    def _edges(self) -> list[int]:
        """The places of the inputs that `next_functions` lists: each one with a parent, and each
        floating-point Tensor that gets no gradient."""
        return [
            i
            for i, (x, parent) in enumerate(zip(self.inputs, self.parents))
            if parent is not None or (isinstance(x, Tensor) and x.data.dtype.kind in "fc")
        ]

    @property
    def released(self) -> bool:
        """True once backward has freed what this node saved."""
        return self._saved is None

    def name(self) -> str:
        return type(self).__name__

    def register_prehook(self, fn: Any) -> RemovableHandle:
        """Call ``fn(grad_outputs)`` each time this node is about to run its backward.

        grad_outputs: a tuple, the gradient of each output of the op (one, for
        most ops). fn may return a tuple of as many gradients, of the same
        shapes and dtypes, for backward to use instead; or None.
        """
        hooks = self._node_hooks()
        hooks.pre.append(fn)
        return RemovableHandle(hooks.pre, fn)

    def register_hook(self, fn: Any) -> RemovableHandle:
        """Call ``fn(grad_inputs, grad_outputs)`` each time this node has run its backward.

        grad_inputs: a tuple, the gradient for each pair of `next_functions`
        (None for an input that gets none); grad_outputs: as in
        `register_prehook`. fn may return a tuple to use instead of grad_inputs; or None.
        """
        hooks = self._node_hooks()
        hooks.post.append(fn)
        return RemovableHandle(hooks.post, fn)

    def _node_hooks(self) -> NodeHooks:
        """This node's hooks (hooks.py), made when first asked for."""
        if self._hooks is None:
            self._hooks = NodeHooks()
        return self._hooks

    def _save(self, out: Tensor, result: Any) -> None:
        """Turn the arrays given to `save_for_backward` into tensors, noting their versions."""
        saved: tuple = ()
        for value in self._saved:  # type: ignore[union-attr]  # (only called when something was saved)
            if value is None:
                saved += (None, None)
            elif value is result or value is out.data:
                # A weak reference: the output owns this node, and a strong
                # one back would make a reference cycle per op.
                saved += (_Ref(out), 0)
            else:
                for tensor in self.inputs:
                    if isinstance(tensor, Tensor) and tensor.data is value:
                        break
                else:
                    if type(value) is _Ref:  # one of several outputs (outputs.py)
                        saved += (value, 0)
                        continue
                    tensor = Tensor._wrap(np.asarray(value))  # made in forward: nothing else holds it
                saved += (tensor, (tensor if tensor._base is None else tensor._base)._version)
        self._saved = saved

    def _output_again(self, ref: weakref.ReferenceType) -> Tensor:
        """The saved output that `ref` pointed to, which no longer exists: remade, if it was one of
        several outputs of this op (outputs.py), which keeps what it needs for that."""
        kept = self.__dict__.get("_kept_outputs", {})
        if id(ref) not in kept:
            raise RuntimeError(f"the output that {self.name()} saved for backward no longer exists")
        from .outputs import remade  # (outputs.py builds on this module)

        return remade(self, *kept[id(ref)])

    def _output_moved(self, out: Tensor, tensor: Tensor) -> None:
        """The output this node saved now lives in `tensor` (an in-place op wrote it there)."""
        owner = tensor if tensor._base is None else tensor._base
        saved = list(self._saved)  # type: ignore[arg-type]  # (only called while the values are held)
        for i in range(0, len(saved), 2):
            if type(saved[i]) is _Ref and saved[i]() is out:
                saved[i], saved[i + 1] = _Ref(tensor), owner._version
        self._saved = tuple(saved)

    def __repr__(self) -> str:
        return f"<{self.name()}>"


class _Unrecorded(Node):
    """The ctx of a library op that records nothing (no input needs a gradient).

    Such a ctx is read by nobody after forward, so one shared instance per
    number of arguments serves every call, instead of a new node per op
    (the backward of every op runs this way when no graph is to be created).
    It forgets whatever forward writes to it: nothing it was handed stays
    alive, and no two calls, even in two threads, see each other's writes.
    Users' ops, through `Function.apply`, always get a node of their own.
    """

    __slots__ = ()

    def __init__(self, n_args: int) -> None:
        object.__setattr__(self, "needs_input_grad", (False,) * n_args)
        object.__setattr__(self, "_saved", ())

    def __setattr__(self, name: str, value: Any) -> None:
        pass

    def save_for_backward(self, *values: Any) -> None:
        pass


# by number of arguments (the library's ops take fewer than 8)
_UNRECORDED = tuple(_Unrecorded(n) for n in range(8))
