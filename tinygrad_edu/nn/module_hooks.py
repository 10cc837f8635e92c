"""Module hooks: functions that see, and may replace, what goes into and out of a module.

A forward pre-hook runs before `forward` and may replace its arguments; a
forward hook runs after it and may replace its output: the way to look at the
activations of a hidden layer without changing the model's code. A backward
pre-hook sees the gradients at the module's outputs, a full backward hook
those at its inputs too, and either may replace them; how they reach into
the graph is in backward_hooks.py.

Each kind is a list of entries on the module, run in order; `Module.__call__`
(module.py) runs the forward ones through the methods here, and registering
returns a handle whose ``remove()`` takes the entry out again.
`ModuleHooks` is a class of methods only, which `Module` inherits.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Module` outside Module's own class, as in tensor_methods/)

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..autograd.hooks import RemovableHandle
from ..warning import warn
from .backward_hooks import Grads

if TYPE_CHECKING:
    from .module import Module


def _add_hook(hooks: list, entry: tuple, prepend: bool) -> RemovableHandle:
    if prepend:
        hooks.insert(0, entry)
    else:
        hooks.append(entry)
    return RemovableHandle(hooks, entry)


class ModuleHooks:
    """Registering hooks (`register_forward_hook`, ...) and running the forward ones."""

    def _run_pre_hooks(self: Module, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        for hook, with_kwargs in list(self._forward_pre_hooks):  # (a copy: a hook may remove itself)
            if with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError(
                            "forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                            f"but got {result}."
                        )
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        return args, kwargs

    def _run_hooks(self: Module, args: tuple, kwargs: dict, output: Any, called: list) -> Any:
        for entry in list(self._forward_hooks):
            hook, with_kwargs, always_call = entry
            if always_call:
                called.append(entry)
            result = hook(self, args, kwargs, output) if with_kwargs else hook(self, args, output)
            if result is not None:
                output = result
        return output

    def _run_always_called(self: Module, args: tuple, kwargs: dict, output: Any, called: list) -> None:
        """After forward (or a hook) raised: run the always_call hooks that have not run yet.

        `output` is None when forward itself failed. The first error is the one
        raised; one from such a hook is only reported, as a warning.
        """
        for entry in list(self._forward_hooks):
            hook, with_kwargs, always_call = entry
            if not always_call or any(entry is done for done in called):
                continue
            try:
                result = hook(self, args, kwargs, output) if with_kwargs else hook(self, args, output)
                output = output if result is None else result
            except Exception as error:
                warn(
                    f"forward hook with always_call=True raised {type(error).__name__}: {error}; "
                    "it was silenced, as forward had raised an error already"
                )

    def register_forward_pre_hook(
        self: Module, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, args)`` before each forward; a non-None result replaces args.

        With ``with_kwargs=True`` the hook is ``hook(module, args, kwargs)`` and
        returns None or a new ``(args, kwargs)``. ``prepend=True`` runs it first.
        """
        return _add_hook(self._forward_pre_hooks, (hook, with_kwargs), prepend)

    def register_forward_hook(
        self: Module,
        hook: Callable[..., Any],
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each forward; a non-None result replaces output.

        With ``with_kwargs=True`` the hook is ``hook(module, args, kwargs, output)``.
        ``prepend=True`` runs it before the hooks already registered. With
        ``always_call=True`` it runs even when forward, a pre-hook or an
        earlier hook raises (``output`` is then None if forward did not
        finish), before the error goes on: a place to undo what a pre-hook set up.
        """
        return _add_hook(self._forward_hooks, (hook, with_kwargs, always_call), prepend)

    def register_full_backward_pre_hook(
        self: Module, hook: Callable[[Module, Grads], Grads | None], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` once the gradients of this module's outputs are known.

        ``grad_output[j]`` is dL/d(output j), of that output's shape: one entry
        for a module that returns a Tensor, one per element when it returns a
        tuple, None for an element that is not a Tensor or got no gradient.
        A returned tuple of the same length replaces grad_output in the rest
        of backward (the module's parameters and inputs get the new one).
        The hook runs before `register_full_backward_hook`'s hooks, and
        ``prepend=True`` runs it before the pre-hooks already registered.

        While it is registered, forward sees (and the caller gets) read-only
        views of the module's tensors that require grad: changing them in
        place raises, as in PyTorch (which allows it inside ``no_grad``;
        here it raises there too).
        """
        return _add_hook(self._backward_hooks, (hook, True), prepend)

    def register_full_backward_hook(
        self: Module, hook: Callable[[Module, Grads, Grads], Grads | None], prepend: bool = False
    ) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` once the gradients of the module's inputs are known.

        ``grad_input[i]`` is dL/d(args[i]) for the i-th positional argument of
        forward, of its shape (keyword arguments get none): zeros for a Tensor
        that does not require grad or got no gradient, None for an argument
        that is not a Tensor. ``grad_output`` is as in
        `register_full_backward_pre_hook`, after the pre-hooks. A returned
        tuple of the same length replaces grad_input: the inputs' producers
        (or the inputs' ``.grad``) receive it. When no input requires grad
        the hook runs with the output gradients instead, grad_input all None,
        and may return only None. ``prepend=True`` runs it first.

        While it is registered, forward sees (and the caller gets) read-only
        views of the module's tensors that require grad: changing them in
        place raises, as in PyTorch (which allows it inside ``no_grad``;
        here it raises there too).
        """
        return _add_hook(self._backward_hooks, (hook, False), prepend)
