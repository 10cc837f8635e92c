"""Backward hooks: functions that see, and may replace, gradients as backward runs.

When the gradient of a tensor y (made by an op) reaches y's node, ``y.grad_fn``,
five things happen in turn, in PyTorch's order:

1. y's hooks run on it:  ``y.register_hook(fn)``,  fn(grad) -> new grad or None;
2. retain_grad's hook stores it in ``y.grad`` (``y.retain_grad()``);
3. the node's pre-hooks run:  ``y.grad_fn.register_prehook(fn)``,
   fn(grad_outputs) -> new grad_outputs or None;
4. the node's backward turns it into one gradient per input;
5. the node's hooks see both:  ``y.grad_fn.register_hook(fn)``,
   fn(grad_inputs, grad_outputs) -> new grad_inputs or None.

grad_outputs is a tuple with one gradient per output of the op (one, except
for a Function with several outputs, where an output the loss did not use
has None); grad_inputs has one gradient per pair of ``grad_fn.next_functions``
(None for an input that gets none). Steps 1 and 2 belong to the tensor and
run whenever its gradient is computed; 3 to 5 belong to the node and run only
when the node runs: ``autograd.grad(z, y)`` stops at y, so y's node never runs.

A node keeps its hooks in a `NodeHooks`, made when the first one is
registered: for a node without hooks, the engine pays one check. A leaf's
hooks (step 1 only) are a list on the leaf, run just before `.grad` is written.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import function

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .node import Node


class NodeHooks:
    """The hooks of one node, by step (module docstring)."""

    __slots__ = ("tensor", "keeps", "pre", "post")

    def __init__(self) -> None:
        self.tensor: list[Callable] = []  # 1: the hooks of the node's output tensor
        self.keeps: list[Callable] = []  # 2: retain_grad's, one per tensor that keeps the gradient
        self.pre: list[Callable] = []  # 3: Node.register_prehook's
        self.post: list[Callable] = []  # 5: Node.register_hook's

    def on_output(self, grad: Tensor) -> Tensor:
        """Steps 1 and 2: the gradient of the node's output, as the tensor's hooks leave it."""
        if self.tensor:
            grad = run_tensor_hooks(self.tensor, grad)
        for keep in self.keeps:
            keep(grad)
        return grad

    def around(
        self, node: Node, grad: Any, backward: Callable, captured: dict | None
    ) -> tuple[Any, Callable]:
        """Steps 1-3 on `grad`, and step 5 put after `backward`: what the engine then runs.

        captured: where `autograd.grad` keeps the gradient of this node's output, if it was asked
        for (it takes it after step 2, as PyTorch does).
        """
        grad = self.on_output(grad)
        if captured is not None:
            captured[node] = grad
        if self.pre:
            several = type(grad) is tuple  # (an op with several outputs: one gradient each already)
            grads = grad if several else (grad,)
            for hook in list(self.pre):  # (a copy: a hook may remove itself)
                grads = _replaced(hook, grads, hook(grads), "grad_outputs")
            grad = grads if several else grads[0]
            if grad is None:  # (a pre-hook took the gradient away: nothing flows on, as in PyTorch)
                backward = _no_gradients
        if self.post:
            backward = functools.partial(_then_post_hooks, backward, list(self.post))
        return grad, backward


def _no_gradients(node: Node, grad: None) -> tuple[None, ...]:
    """The backward of a node whose pre-hook replaced its one gradient with None."""
    return (None,) * len(node.parents)


def _then_post_hooks(backward: Callable, hooks: list[Callable], node: Node, grad: Any) -> tuple:
    """Run `backward`, then step 5: each hook sees (grad_inputs, grad_outputs) and may replace grad_inputs."""
    from . import engine  # (which imports this module)

    in_grads = backward(node, grad)
    if type(in_grads) is not tuple:
        in_grads = (in_grads,)
    if node._checks_gradients:  # (the hooks see what the inputs will get; checking twice changes nothing)
        in_grads = engine._checked(in_grads, node)
    grad_outputs = grad if type(grad) is tuple else (grad,)
    places = node._edges()
    # (an input that takes no gradient gets None, whatever backward computed for it)
    got = [in_grads[i] if i < len(in_grads) and node.parents[i] is not None else None for i in places]
    grad_inputs = tuple(g if g is None or type(g) is function.Tensor else engine._whole(g) for g in got)
    for hook in hooks:
        new = _replaced(hook, grad_inputs, hook(grad_inputs, grad_outputs), "grad_inputs")
        if new is not grad_inputs:
            grad_inputs = new
            updated = list(in_grads) + [None] * (len(node.parents) - len(in_grads))
            for i, g in zip(places, grad_inputs):
                updated[i] = g
            in_grads = tuple(updated)
    return in_grads


def _replaced(hook: Callable, grads: tuple, result: Any, what: str) -> tuple:
    """What a node hook returned in place of `grads`: a tuple of as many, each of the same shape and dtype."""
    if result is None:
        return grads
    if not isinstance(result, tuple):
        raise TypeError(
            f"expected tuple, but hook returned '{type(result).__name__}' (hooks on a Node "
            f"take and return a tuple of gradients: hook {hook_name(hook)} replaces {what})"
        )
    if len(result) != len(grads):
        raise RuntimeError(
            f"hook {hook_name(hook)} has returned an incorrect number of values "
            f"(got {len(result)}, but expected {len(grads)})"
        )
    for new, old in zip(result, grads):
        if old is None:
            if new is not None:
                raise RuntimeError(
                    f"can't replace a None gradient with a non-None value (hook {hook_name(hook)}, {what})"
                )
        elif new is not None:
            _check_replacement(hook, new, old, f" in {what}")
    return tuple(result)


def _check_replacement(hook: Callable, new: Any, old: Tensor, where: str = "") -> None:
    """Raise unless `new`, which a hook returned in place of the gradient `old`, is a Tensor like it."""
    if not isinstance(new, function.Tensor):
        raise TypeError(
            f"expected Variable, but hook {hook_name(hook)} returned '{type(new).__name__}'{where}"
        )
    if new.shape != old.shape:
        raise RuntimeError(
            f"hook {hook_name(hook)} has changed the size of value{where}: it returned a gradient of shape "
            f"{new.shape} for one of shape {old.shape} (a hook may change the values only)"
        )
    if new.dtype != old.dtype:
        raise RuntimeError(
            f"hook {hook_name(hook)} has changed the type of value{where} (was {old.dtype} got {new.dtype}): "
            "a hook may change the values only"
        )


def run_tensor_hooks(hooks: list[Callable], grad: Tensor) -> Tensor:
    """Call each tensor hook with the gradient; a Tensor it returns replaces it (same shape and dtype)."""
    for hook in list(hooks):  # (a copy: a hook may remove itself, or add another for the next backward)
        result = hook(grad)
        if result is not None:
            _check_replacement(hook, result, grad)
            grad = result
    return grad


class RemovableHandle:
    """Returned by the `register_*hook` methods: `.remove()` takes the hook away again.

    As a context manager, the hook is in place for the `with` block only.
    """

    def __init__(self, hooks: list, hook: Any) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        for i, hook in enumerate(self._hooks):
            if hook is self._hook:  # by identity: two registrations of one function are two hooks
                del self._hooks[i]
                return

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()


def hook_name(hook: Callable) -> str:
    """How an error message names a hook: its function's name, quoted, else the hook's repr."""
    return repr(getattr(hook, "__name__", hook))
