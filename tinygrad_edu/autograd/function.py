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
``ctx.mark_non_differentiable(output)``. A forward may return a tuple of
arrays for several outputs: backward then receives one gradient per output
(outputs.py). A forward that changes an input's array in place says so with
``ctx.mark_dirty(x)`` and returns it (in_place.py). A backward that is not
written with Tensor ops (it uses NumPy, say) is decorated with
`once_differentiable`, so that differentiating it again raises instead of
giving a wrong answer.
"""

from __future__ import annotations

import functools
import inspect
import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np

from . import in_place
from .grad_mode import _state
from .node import _UNRECORDED, Node

_new = object.__new__

_sequence = itertools.count()  # numbers recorded nodes in order (Node.seq)

if TYPE_CHECKING:
    from ..tensor import Tensor
else:
    Tensor = None  # set by tensor.py once the class exists (the two modules need each other)


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
    # Does `apply` bind every call's arguments to forward's signature? Only for a ctx-less
    # forward with defaults, so that setup_context sees them among the inputs (as in PyTorch).
    _fills_defaults: bool = False
    _signature: inspect.Signature | None = None  # (made by _callers_signature when first needed)
    # Is this a user's Function? `apply` then watches what its forward does to its inputs
    # (in_place.py): the library's own Functions never change their inputs, nor return one.
    _users_own: bool = False

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
        cls._users_own = not cls.__module__.startswith("tinygrad_edu.")
        if cls.setup_context is Function.setup_context:
            cls._run_forward = cls.forward
        else:
            cls._run_forward = functools.partial(_forward_then_setup_context, cls)
            parameters = _callers_signature(cls).parameters.values()
            cls._fills_defaults = any(p.default is not p.empty for p in parameters)

    @staticmethod
    def forward(ctx: Node, *args: Any) -> np.ndarray:
        """Compute the result from NumPy arrays (Tensor inputs arrive unwrapped).

        Without ctx, ``forward(*args)``, when the Function defines `setup_context`.
        The library's own ops (run through `_apply1`/`_apply2`) may write to ctx
        but never read back what they wrote: when nothing is recorded they get
        the shared `_Unrecorded` ctx, which forgets every write.
        """
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function: a @staticmethod "
            "forward(ctx, *args) that computes the output from NumPy arrays"
        )

    @staticmethod
    def setup_context(ctx: Node, inputs: tuple, output: Any) -> None:
        """Optional: fill ctx after a ctx-less forward; `inputs` and `output` are what forward saw.

        inputs: forward's arguments (arrays for the Tensors);  output: what forward returned.
        """
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> Tensor | None | tuple[Tensor | None, ...]:
        """Given dL/d(output), return dL/d(input) for each input (None where not needed).

        For a forward that returned several outputs: ``backward(ctx, *grad_outputs)``,
        one gradient per output.
        """
        raise NotImplementedError(
            f"You must implement the backward method of {ctx.function.__name__} to use it with backward "
            "mode AD: a @staticmethod backward(ctx, grad) that returns one gradient per input of forward"
        )

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
    def apply(cls, *args: Any, **kwargs: Any) -> Tensor:
        """Run the op on Tensors (or plain values) and record it when grad is on.

        Keyword arguments are bound to forward's parameters (defaults filled
        in), as PyTorch binds them: forward then receives them all by position.
        So are a ctx-less forward's, always: setup_context sees every input.
        """
        if kwargs or cls._fills_defaults:
            args = _bound(cls, args, kwargs)
        for x in args:
            if isinstance(x, Tensor) and x._view is not None:
                x._refresh_view()  # a view whose memory changed elsewhere gets its graph remade first
        ctx = cls._node_class()
        ctx._saved = ()
        ctx._checks_gradients = True  # (any inputs, any backward: see Node._checks_gradients)
        if _state.enabled:
            ctx.needs_input_grad = tuple([isinstance(x, Tensor) and x._requires_grad for x in args])
        else:
            ctx.needs_input_grad = (False,) * len(args)
        guarded = in_place.guard_inputs(args) if cls._users_own and _state.enabled else ()
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
        except ValueError as error:
            refused = guarded and "read-only" in str(error) and in_place.written_error(cls, args, guarded)
            if refused:  # (NumPy's words for a write into a guarded array)
                raise refused from error
            raise
        finally:
            if guarded:
                in_place.release(guarded)
        if type(result) is tuple:
            # (a tuple of Tensors: `apply` is typed for the one output of the library's own ops)
            return _several_outputs(cls, ctx, args, result)  # type: ignore[return-value]
        out = Tensor._wrap(result if type(result) is np.ndarray else _as_output(cls, result, args))
        if any(ctx.needs_input_grad) and not (
            ctx._non_differentiable and _is_output(ctx._non_differentiable, result, out)
        ):
            _record(ctx, args, out, result)
        return in_place.users_output(cls, ctx, args, out) if cls._users_own else out

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
        what = "a list" if type(result) is list else "a tuple inside its tuple"
        raise TypeError(
            f"{cls.__name__}.forward returned {what}: forward returns one array, "
            "or a tuple of arrays (one per output)"
        )
    return np.asarray(result)


def _bound(cls: type[Function], args: tuple, kwargs: dict) -> tuple:
    """`apply`'s arguments as forward's positional ones, its defaults filled in (a TypeError if they
    do not fit forward's parameters, as PyTorch's; forward's keyword-only ones cannot be given)."""
    bound = _callers_signature(cls).bind(*args, **kwargs)
    bound.apply_defaults()
    if bound.kwargs:
        raise TypeError(f"{cls.__name__}.forward() got keyword-only arguments {sorted(bound.kwargs)}")
    return bound.args


def _callers_signature(cls: type[Function]) -> inspect.Signature:
    """forward's signature as `apply`'s caller fills it (without ctx, where forward takes one),
    made once and kept on the class."""
    signature = cls.__dict__.get("_signature")
    if signature is None:
        parameters = list(inspect.signature(cls.forward).parameters.values())
        skip = 1 if cls._run_forward is cls.forward else 0
        signature = inspect.Signature(parameters[skip:])
        cls._signature = signature
    return signature


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


def _record(ctx: Node, args: tuple, out: Tensor, result: Any) -> None:
    """Attach `ctx` to the graph as the producer of `out` (`_apply1`/`_apply2` do the same inline)."""
    if out.data.dtype.kind != "f":
        return  # integer and boolean results carry no gradient
    _place(ctx, args)
    if ctx._saved:
        ctx._save(out, result)
    out._requires_grad = True
    out.grad_fn = ctx


def _place(ctx: Node, args: tuple) -> None:
    """Put `ctx` in the graph: its inputs, where each one's gradient goes (its producer, itself
    for a leaf, or nowhere), and its scope and number in recording order."""
    ctx.inputs = args
    ctx.parents = tuple([(x.grad_fn or x) if need else None for x, need in zip(args, ctx.needs_input_grad)])
    ctx.scope = _state.scope
    ctx.seq = next(_sequence)


# Imported last, as they use this module's Function. PyTorch's path for the
# decorator is torch.autograd.function.once_differentiable, so it is found here too
from .once_differentiable import once_differentiable  # noqa: E402, F401
from .outputs import _several_outputs  # noqa: E402
