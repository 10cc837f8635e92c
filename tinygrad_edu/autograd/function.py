"""`Function`: the one pattern for a differentiable operation.

Every op, the library's and a user's, is a subclass with two static methods::

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):          # NumPy arrays in, a NumPy array out
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):         # Tensors in, one gradient per input out
            a, b = ctx.saved_tensors
            return grad * b, grad * a

and is called as ``Mul.apply(x, y)``. `apply` does all the bookkeeping: it
unwraps the inputs, runs `forward`, wraps the result in a Tensor and, when a
graph is being recorded, creates the graph node. The node is also the `ctx`
that `forward` and `backward` receive; its class is named after the op
(``MulBackward``), so ``y.grad_fn`` reads like PyTorch's.

``ctx.needs_input_grad`` says, already in `forward`, which inputs need a
gradient, so forward can save only what backward will use (the library's Mul
keeps x for y's gradient only when y needs one).

`backward` is written with Tensor operations. With ``create_graph=True`` those
operations are recorded too, which is what makes second derivatives work;
otherwise they run with recording off and cost no more than NumPy calls
wrapped in Tensors.

PyTorch 2's extras work too. A Function may split forward in two: a
``forward(*args)`` without ctx that only computes, and a
``setup_context(ctx, inputs, output)`` that `apply` calls right after it
with the same arrays, to save what backward needs. An output that is not
differentiable (an index, a count) is declared with
``ctx.mark_non_differentiable(output)``. A backward that is not written
with Tensor ops (it uses NumPy, say) is decorated with
`once_differentiable`, so that differentiating it again raises instead of
giving a wrong answer.
"""

from __future__ import annotations

import functools
import itertools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from .grad_mode import _state

_new = object.__new__

_sequence = itertools.count()  # numbers recorded nodes in order (Node.seq)

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by tensor.py once the class exists (the two modules need each other)


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
    _pre_hooks: list | None = None
    _last_hook_keeps_grad = False  # True once the last pre-hook is retain_grad's
    _non_differentiable: tuple = ()  # what forward passed to mark_non_differentiable
    _forward_trace: list[str] | None = None  # where forward was called, kept in anomaly mode

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
        pairs = iter(saved)  # (t0, v0, t1, v1, ...): zip over one iterator twice takes two at a time
        try:
            for tensor, version in zip(pairs, pairs):
                if tensor is not None:  # (None: forward saved nothing in this place)
                    if type(tensor) is weakref.ReferenceType:
                        tensor = tensor()
                    # a view counts the changes made to its base
                    if (tensor._version if tensor._base is None else tensor._base._version) != version:
                        self._modified(tensor, version)
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

        Computed when asked for (accumulate_grad.py), never while recording.
        """
        return _next_functions(self)

    @property
    def released(self) -> bool:
        """True once backward has freed what this node saved."""
        return self._saved is None

    def name(self) -> str:
        return type(self).__name__

    def register_prehook(self, hook: Any, retains_grad: bool = False) -> None:
        """Call `hook(grad)` with the gradient of this node's output before backward.

        The hook of `retain_grad` (``retains_grad=True``) always runs last, so
        `.grad` shows the gradient that every other hook has had its say on,
        as in PyTorch.
        """
        if self._pre_hooks is None:
            self._pre_hooks = []
        if retains_grad:
            self._pre_hooks.append(hook)
            self._last_hook_keeps_grad = True
        else:
            at = len(self._pre_hooks) - 1 if self._last_hook_keeps_grad else len(self._pre_hooks)
            self._pre_hooks.insert(at, hook)

    def _save(self, out: Tensor, result: Any) -> None:
        """Turn the arrays given to `save_for_backward` into tensors, noting their versions."""
        pairs: list = []
        for value in self._saved:  # type: ignore[union-attr]  # (only called when something was saved)
            if value is None:
                pairs += (None, None)
            elif value is result or value is out.data:
                # A weak reference: the output owns this node, and a strong
                # one back would make a reference cycle per op.
                pairs += (weakref.ref(out), 0)
            else:
                for tensor in self.inputs:
                    if isinstance(tensor, Tensor) and tensor.data is value:
                        break
                else:
                    tensor = Tensor._wrap(np.asarray(value))  # made in forward: nothing else holds it
                pairs += (tensor, (tensor if tensor._base is None else tensor._base)._version)
        self._saved = tuple(pairs)

    def _output_moved(self, out: Tensor, tensor: Tensor) -> None:
        """The output this node saved now lives in `tensor` (an in-place op wrote it there)."""
        owner = tensor if tensor._base is None else tensor._base
        saved = list(self._saved)  # type: ignore[arg-type]  # (only called while the values are held)
        for i in range(0, len(saved), 2):
            if type(saved[i]) is weakref.ReferenceType and saved[i]() is out:
                saved[i], saved[i + 1] = weakref.ref(tensor), owner._version
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


class Function:
    """Base class of differentiable operations; see the module docstring."""

    _node_class: type[Node] = Node
    # True for ops whose result may be a view of their (one) input's memory,
    # such as reshape and slicing: the result then shares the input's version
    # counter, so an in-place change through either is seen by both, and
    # `write_back` records such a change on the input.
    view: bool = False
    # False for ops that only hand a tensor on (the module hook nodes of
    # nn/backward_hooks.py): the graph drawing leaves them out and draws the
    # tensor they hand on, `passed_on(node)`, in their place.
    drawn: bool = True

    # What `apply` calls with (ctx, *arrays): forward itself, or, for a Function
    # that defines setup_context (PyTorch 2's style, whose forward takes no ctx),
    # forward and then setup_context. Chosen once per class, so that apply pays
    # nothing per call for the choice.
    _run_forward: Callable[..., Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:  # Sq(x): the op's inputs given to the class itself
            name = type(self).__name__
            raise TypeError(
                f"{name}(...) does not run the op (a Function is never instantiated): write {name}.apply(...)"
            )

    def __call__(self, *args: Any) -> NoReturn:
        # PyTorch's old style, an instance called like a function, which it also refuses
        name = type(self).__name__
        raise RuntimeError(
            f"a Function is not called on an instance: write {name}.apply(...), not {name}()(...)"
        )

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._node_class = type(f"{cls.__name__}Backward", (Node,), {"function": cls})
        if cls.setup_context is Function.setup_context:
            cls._run_forward = cls.forward
        else:
            cls._run_forward = functools.partial(_forward_then_setup_context, cls)

    @staticmethod
    def forward(ctx: Node, *args: Any) -> np.ndarray:
        """Compute the result from NumPy arrays (Tensor inputs arrive unwrapped).

        Without ctx, ``forward(*args)``, when the Function defines `setup_context`.
        The library's own ops (run through `_apply1`/`_apply2`) may write to ctx
        but never read back what they wrote: when nothing is recorded they get
        the shared `_Unrecorded` ctx, which forgets every write.
        """
        raise NotImplementedError

    @staticmethod
    def setup_context(ctx: Node, inputs: tuple, output: Any) -> None:
        """Optional: fill ctx after a ctx-less forward; `inputs` and `output` are what forward saw.

        inputs: forward's arguments (arrays for the Tensors);  output: what forward returned.
        """
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor | None | tuple[Tensor | None, ...]:
        """Given dL/d(output), return dL/d(input) for each input (None where not needed)."""
        raise NotImplementedError

    @staticmethod
    def passed_on(node: Node) -> tuple[Any, Any]:
        """For an op with ``drawn = False``: (the tensor its output carries on, that tensor's parent)."""
        raise NotImplementedError

    @staticmethod
    def write_back(x: Tensor, y: Tensor, *consts: Any) -> Tensor:
        """For a view op y = f(x, *consts): x's new value after y was changed in place.

        Written with recorded Tensor ops; their node becomes x's grad_fn (see
        `Tensor._write_back`). Only ops with ``view = True`` need it.
        """
        raise NotImplementedError(f"{y.grad_fn} cannot pass an in-place change back to its input")

    @classmethod
    def apply(cls, *args: Any) -> Tensor:
        """Run the op on Tensors (or plain values) and record it when grad is on."""
        for x in args:
            if isinstance(x, Tensor) and x._view is not None:
                x._refresh_view()  # a view whose memory changed elsewhere gets its graph remade first
        ctx = cls._node_class()
        ctx._saved = ()
        if _state.enabled:
            ctx.needs_input_grad = tuple([isinstance(x, Tensor) and x._requires_grad for x in args])
        else:
            ctx.needs_input_grad = (False,) * len(args)
        try:
            result = cls._run_forward(ctx, *[x.data if isinstance(x, Tensor) else x for x in args])
        except (TypeError, AttributeError) as error:
            _check_data(args)
            if "'numpy.ndarray' object has no attribute" not in str(error):
                raise
            split = cls._run_forward is not cls.forward  # (a forward and a setup_context)
            where = "forward and setup_context receive" if split else "forward receives"
            raise AttributeError(  # a user's forward that treats its arguments as Tensors
                f"{error}: {cls.__name__}.{where} NumPy arrays, not Tensors, so it "
                "computes with NumPy functions (np.exp(x), say, not x.exp()); backward receives Tensors"
            ) from error
        out = Tensor._wrap(result if type(result) is np.ndarray else _as_output(cls, result, args))
        if any(ctx.needs_input_grad) and not (
            ctx._non_differentiable and _is_output(ctx._non_differentiable, result, out)
        ):
            # where each input's gradient goes: its producer, itself (a leaf), or nowhere
            parents = [(x.grad_fn or x) if need else None for x, need in zip(args, ctx.needs_input_grad)]
            _record(ctx, args, tuple(parents), out, result)
        return out

    # Shortcuts for the library's most common calls, the same steps as `apply`
    # without walking an argument list of unknown length: one or two Tensors,
    # followed by a few plain values (dims, shapes) that get no gradient.
    # Every op runs through them, forward and backward, so they do the work
    # of `Tensor._wrap` and `_record` in place instead of calling them: each
    # call saved is a few per cent of a chain of small ops (bench_core.py).

    @classmethod
    def _apply1(cls, x: Tensor, *consts: Any) -> Tensor:
        if x._view is not None:
            x._refresh_view()
        need = x._requires_grad and _state.enabled
        if need:
            ctx = cls._node_class()
            ctx._saved = ()
            ctx.needs_input_grad = ((True,) + (False,) * len(consts)) if consts else (True,)
        else:
            ctx = _UNRECORDED[1 + len(consts)]
        try:  # (free in Python 3.11+ while nothing is raised)
            result = cls.forward(ctx, x.data, *consts) if consts else cls.forward(ctx, x.data)
        except (TypeError, AttributeError):
            _check_data((x,))
            raise
        out = _new(Tensor)
        out.data = result if type(result) is np.ndarray else _as_output(cls, result, (x,))
        out._requires_grad, out._version = False, 0
        out._grad = out.grad_fn = out._base = out._view = None
        if cls.view and out.data.base is not None and np.may_share_memory(out.data, x.data):
            out._share_memory_of(x)
            out._view = (x, cls, consts)
            # (mypy still takes out._base for the None set above; _share_memory_of set it)
            out._view_version = out._base._version if _state.enabled else None  # type: ignore[attr-defined]
        if need and out.data.dtype.kind == "f":  # (as `_record`)
            ctx.inputs = (x, *consts) if consts else (x,)
            ctx.parents = (x.grad_fn or x,) + (None,) * len(consts)
            ctx.scope = _state.scope
            ctx.seq = next(_sequence)
            if ctx._saved:
                ctx._save(out, result)
            out._requires_grad = True
            out.grad_fn = ctx
        return out

    @classmethod
    def _apply2(cls, a: Tensor, b: Tensor, *consts: Any) -> Tensor:
        if a._view is not None:
            a._refresh_view()
        if b._view is not None:
            b._refresh_view()
        need_a = need_b = False
        if (a._requires_grad or b._requires_grad) and _state.enabled:  # (the thread-local read costs)
            need_a, need_b = a._requires_grad, b._requires_grad
        if need_a or need_b:
            ctx = cls._node_class()
            ctx._saved = ()
            # literal tuples where possible: nothing to allocate
            if consts:
                ctx.needs_input_grad = (need_a, need_b) + (False,) * len(consts)
            elif need_a and need_b:
                ctx.needs_input_grad = (True, True)
            elif need_a:
                ctx.needs_input_grad = (True, False)
            else:
                ctx.needs_input_grad = (False, True)
        else:
            ctx = _UNRECORDED[2 + len(consts)]
        try:
            result = cls.forward(ctx, a.data, b.data, *consts) if consts else cls.forward(ctx, a.data, b.data)
        except (TypeError, AttributeError):
            _check_data((a, b))
            raise
        out = _new(Tensor)
        out.data = result if type(result) is np.ndarray else _as_output(cls, result, (a, b))
        out._requires_grad, out._version = False, 0
        out._grad = out.grad_fn = out._base = out._view = None
        if (need_a or need_b) and out.data.dtype.kind == "f":  # (as `_record`)
            ctx.inputs = (a, b, *consts) if consts else (a, b)
            parents = ((a.grad_fn or a) if need_a else None, (b.grad_fn or b) if need_b else None)
            ctx.parents = parents + (None,) * len(consts) if consts else parents
            ctx.scope = _state.scope
            ctx.seq = next(_sequence)
            if ctx._saved:
                ctx._save(out, result)
            out._requires_grad = True
            out.grad_fn = ctx
        return out


def _as_output(cls: type[Function], result: Any, args: tuple) -> np.ndarray:
    """What `forward` returned (a number or an array-like) as an array."""
    if isinstance(result, Tensor):  # forward met a Tensor where it expects an array: whose?
        _check_data(args)
    if isinstance(result, (tuple, list)):
        raise TypeError(
            f"{cls.__name__}.forward returned a {type(result).__name__}: a Function has exactly one "
            "output, one array (write one Function per output)"
        )
    return np.asarray(result)


def _check_data(args: tuple) -> None:
    """Raise if one of the Tensors in `args` has a Tensor in `.data` (see `Tensor._array`)."""
    for x in args:
        if isinstance(x, Tensor):
            x._array()


def _forward_then_setup_context(cls: type[Function], ctx: Node, *args: Any) -> Any:
    """PyTorch 2's split forward: compute without ctx, then let setup_context fill ctx."""
    output = cls.forward(*args)
    cls.setup_context(ctx, args, output)
    return output


def _is_output(marked: tuple, result: Any, out: Tensor) -> bool:
    """Is one of the `marked` values forward's output (what it returned, or its array)?"""
    return any(value is result or value is out.data for value in marked)


def _record(ctx: Node, args: tuple, parents: tuple, out: Tensor, result: Any) -> None:
    """Attach `ctx` to the graph as the producer of `out` (`_apply1`/`_apply2` do the same inline)."""
    if out.data.dtype.kind != "f":
        return  # integer and boolean results carry no gradient
    ctx.inputs = args
    ctx.parents = parents
    ctx.scope = _state.scope
    ctx.seq = next(_sequence)
    if ctx._saved:
        ctx._save(out, result)
    out._requires_grad = True
    out.grad_fn = ctx


# Imported last, as they use this module's classes. once_differentiable: PyTorch's
# path for it is torch.autograd.function.once_differentiable, so it is found here too
from .accumulate_grad import AccumulateGrad  # noqa: E402
from .accumulate_grad import next_functions as _next_functions  # noqa: E402
from .once_differentiable import once_differentiable  # noqa: E402, F401
