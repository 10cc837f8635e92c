"""Module backward hooks: the gradients at a module's inputs and at its outputs.

`Module.register_full_backward_pre_hook` and `register_full_backward_hook`
treat a module as one step of the chain rule: ``grad_output``, dL/d(outputs),
arrives; ``grad_input``, dL/d(inputs), leaves. The graph has no node for a
module, only nodes for the ops inside it, so a call of a module with such
hooks adds one node at each end, as PyTorch does::

    x --Join--Tap--> x' --forward--> y --Join--Tap--> y'

The Join (`BackwardHookJoin`) takes the tensors that need a gradient and makes
a token, a scalar zero; one Tap (`BackwardHookTap`) per tensor takes the token
and gives back the tensor's values. Forward computes with x', the caller gets
y'. In backward each Tap writes the gradient it receives into a slot it shares
with its Join and sends the token a zero. The Join runs after all of its Taps
(the engine runs the newest node first, and the Taps were recorded after it),
so it finds every slot filled and hands them to the hooks at once: at the
output end to the pre-hooks, at the input end to the full hooks. What the
hooks return is what the Join passes on. (PyTorch puts one identity Function
with n outputs at each end; a Function here has one output, hence the pair.)

x' and y' are read-only views of x's and y's memory: an in-place op on them
would change x or y without recording the change on their graph, so it fails,
as it does in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ..autograd.function import Function, Node
from ..autograd.grad_mode import _state
from ..autograd.hooks import hook_name
from ..tensor import Tensor
from ..warning import warn

if TYPE_CHECKING:
    from .module import Module

Grads = tuple[Tensor | None, ...]  # one entry per positional input (or output); None: no gradient


class BackwardHookJoin(Function):
    """token = 0, a scalar made from n tensors;  dL/d(tensor_i): what `on_grads` makes of the Taps' slots."""

    drawn = False  # (graph drawings show the module's tensors, not its hook nodes)

    @staticmethod
    def forward(ctx: Node, on_grads: Callable[[list], list], slots: list, *arrays: np.ndarray) -> np.ndarray:
        ctx.on_grads, ctx.slots = on_grads, slots
        return np.zeros(())

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        grads = list(ctx.slots)
        ctx.slots[:] = [None] * len(grads)  # empty again for a second backward through a retained graph
        return (None, None, *ctx.on_grads(grads))


class BackwardHookTap(Function):
    """y = x, read-only, its differentiable input being the Join's token;  dL/dy to slot i, 0 to the token."""

    drawn = False

    @staticmethod
    def passed_on(node: Node) -> tuple[Tensor, Any]:
        """The tensor this Tap hands on, and its parent: the Join's input in the Tap's slot."""
        join, slot = cast(Node, node.parents[0]), node.inputs[3]  # a Tap's parent is always its Join
        return join.inputs[2 + slot], join.parents[2 + slot]

    @staticmethod
    def forward(ctx: Node, token: np.ndarray, array: np.ndarray, slots: list, i: int) -> np.ndarray:
        ctx.slots, ctx.i = slots, i
        view = array.view()
        view.flags.writeable = False
        return view

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, ...]:
        ctx.slots[ctx.i] = grad
        return Tensor._wrap(np.zeros(())), None, None, None


class HookedCall:
    """One call of a module that has backward hooks: its hook nodes' state and the hooks they run.

    The hooks are copied when the module is called, so hooks registered or
    removed after forward do not change this call's backward (as in PyTorch).
    """

    def __init__(self, module: Module) -> None:
        self.module = module
        self.hooks = [hook for hook, is_pre in module._backward_hooks if not is_pre]
        self.pre_hooks = [hook for hook, is_pre in module._backward_hooks if is_pre]
        self.inputs: list[tuple | None] = []  # per positional input: (shape, dtype) of a Tensor, else None
        self.input_taps: list[int] | None = None  # positions given a Tap; None: no input needs a gradient
        self.outputs: list[tuple | None] = []
        self.output_taps: list[int] | None = None
        self.grad_output: Grads | None = None  # from the output Join, for the input Join's full hooks

    def wrap_inputs(self, args: tuple) -> tuple:
        """The positional arguments forward gets: a Tap in place of each Tensor that requires grad."""
        self.inputs = _specs(args)
        args, self.input_taps = self._wrap(args, self._at_inputs)
        return args

    def wrap_outputs(self, output: Any) -> Any:
        """What the caller gets: a Tap in place of the output, or of each tensor of a tuple, needing grad."""
        single = isinstance(output, Tensor)
        if not single and not isinstance(output, tuple):
            warn(
                f"{self.module._get_name()} returned a {type(output).__name__}: its backward hooks run only "
                "for a module that returns a Tensor or a tuple of Tensors"
            )
            return output
        values = (output,) if single else output
        self.outputs = _specs(values)
        tapped, self.output_taps = self._wrap(values, self._at_outputs)
        if single:
            return tapped[0]
        return tapped if type(output) is tuple else type(output)(*tapped)  # (a namedtuple stays one)

    def _wrap(self, values: tuple, on_grads: Callable[[list], list]) -> tuple[tuple, list[int] | None]:
        """Put a Join and Taps in front of the values that need a gradient; also return their positions."""
        positions = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
        if not positions or not _state.enabled:
            return values, None
        slots: list[Tensor | None] = [None] * len(positions)
        previous, _state.scope = _state.scope, self.module  # drawings show the hook nodes in the module
        try:
            token = BackwardHookJoin.apply(on_grads, slots, *[values[i] for i in positions])
            tapped = list(values)
            for slot, i in enumerate(positions):
                tapped[i] = BackwardHookTap.apply(token, values[i].data, slots, slot)
                tapped[i]._share_memory_of(values[i])  # one version counter: later in-place changes are seen
        finally:
            _state.scope = previous
        return tuple(tapped), positions

    def _at_outputs(self, grads: list) -> list:
        """The output Join's step: pre-hooks may replace grad_output; what goes on into forward's graph."""
        taps = self.output_taps
        assert taps is not None  # this Join exists because some outputs were given Taps
        arrived = dict(zip(taps, grads))
        grad_output = tuple(arrived.get(i) for i in range(len(self.outputs)))  # None: no gradient came
        for hook in self.pre_hooks:
            result = hook(self.module, grad_output)
            if result is not None:
                grad_output = self._checked(hook, result, self.outputs, taps, "grad_output")
        self.grad_output = grad_output
        if self.input_taps is None:
            self._full_hooks_without_inputs()
        return [grad_output[i] for i in taps]

    def _full_hooks_without_inputs(self) -> None:
        """No input needs a gradient, so no input Join will run: full hooks fire now, grad_input all None."""
        grad_input: Grads = (None,) * len(self.inputs)
        if self.hooks:
            warn(
                f"the full backward hooks of {self.module._get_name()} run with its output gradients: "
                "none of its inputs requires grad, so grad_input is all None"
            )
        for hook in self.hooks:
            result = hook(self.module, grad_input, self.grad_output)
            only_none = isinstance(result, (tuple, list)) and all(g is None for g in result)
            if result is not None and not only_none:
                raise RuntimeError(
                    f"backward hook {hook_name(hook)} of {self.module._get_name()} returned gradients, "
                    "but none of the module's inputs requires grad: it may return only None "
                    "(or a tuple of None)"
                )
        self.grad_output = None

    def _at_inputs(self, grads: list) -> list:
        """The input Join's step: full hooks see (grad_input, grad_output) and may replace grad_input."""
        if self.grad_output is None:
            return grads  # it did not come through this call's outputs (a double backward): no hooks
        taps = self.input_taps
        assert taps is not None  # this Join exists because some inputs were given Taps
        arrived = dict(zip(taps, grads))
        # as in PyTorch: zeros for a Tensor input that got no gradient, None for any other argument
        grad_input = tuple(
            _zeros(spec) if arrived.get(i) is None else arrived[i] for i, spec in enumerate(self.inputs)
        )
        for hook in self.hooks:
            result = hook(self.module, grad_input, self.grad_output)
            if result is not None:
                grad_input = self._checked(hook, result, self.inputs, taps, "grad_input")
        self.grad_output = None
        return [grad_input[i] for i in taps]

    def _checked(self, hook: Callable, result: Any, specs: list, taps: list[int], what: str) -> Grads:
        """`result` as the new grad_input or grad_output, after checking its length, shapes and dtypes."""
        kind = "backward hook" if what == "grad_input" else "backward pre-hook"
        where = f"{kind} {hook_name(hook)} of {self.module._get_name()}"
        if not isinstance(result, (tuple, list)):
            raise TypeError(
                f"{where} must return None or a tuple of {len(specs)} gradients (one per {what} entry), "
                f"got {type(result).__name__}"
            )
        if len(result) != len(specs):
            raise RuntimeError(
                f"{where} returned an invalid number of {what}: got {len(result)}, but expected {len(specs)}"
            )
        for i in taps:
            g = result[i]
            if g is None:
                continue
            if not isinstance(g, Tensor):
                raise TypeError(
                    f"{where} returned a {type(g).__name__} as {what}[{i}]: expected a Tensor or None"
                )
            if (g.shape, g.dtype) != specs[i]:
                raise RuntimeError(
                    f"{where} returned {what}[{i}] of shape {g.shape} and dtype {g.dtype} for a tensor of "
                    f"shape {specs[i][0]} and dtype {specs[i][1]}: a hook may change the values only"
                )
        return tuple(result)


def _specs(values: tuple) -> list[tuple | None]:
    """(shape, dtype) of each Tensor among `values`, None for anything else."""
    return [(v.shape, v.dtype) if isinstance(v, Tensor) else None for v in values]


def _zeros(spec: tuple | None) -> Tensor | None:
    """Zeros of a (shape, dtype) from `_specs`; None for None."""
    return None if spec is None else Tensor._wrap(np.zeros(*spec))
