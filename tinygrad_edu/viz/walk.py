"""Reading a recorded graph as the pictures show it.

A node records its inputs and, per input, its parent: the node that made
it, the input itself for a leaf that requires grad, or None for a constant.
The helpers here find which tensor each node produced, look through the
hand-on ops that modules' backward hooks add, which no drawing shows, and
tell whether a tensor a node saved has been changed in place since.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..autograd.function import Node
from ..tensor import Tensor


def producer_outputs(
    nodes: list[Node], inputs_of: Callable[[Node], list[tuple[Any, Any]]] | None = None
) -> dict[Node, Tensor]:
    """For each node, the tensor it produced, found among its consumers' inputs.

    inputs_of(node): the node's (input, parent) pairs; by default the recorded ones.
    """
    out: dict[Node, Tensor] = {}
    for node in nodes:
        pairs = zip(node.inputs, node.parents) if inputs_of is None else inputs_of(node)
        for x, parent in pairs:
            if isinstance(parent, Node) and isinstance(x, Tensor) and x.grad_fn is parent:
                out.setdefault(parent, x)
    return out


def look_through(x: Any, parent: Any) -> tuple[Any, Any]:
    """(tensor, parent) with the ops the drawings leave out looked through.

    A module's backward hooks put ops that hand a tensor on unchanged
    (``Function.drawn = False``) around its inputs and outputs; the drawing
    shows the module's own tensors and ops, as if no hook were there.
    """
    while isinstance(parent, Node) and not parent.function.drawn:
        x, parent = parent.function.passed_on(parent)
    return x, parent


def drawn_inputs(node: Node) -> list[tuple[Any, Any]]:
    """The node's (input, parent) pairs, as the drawing shows them (see `look_through`)."""
    return [look_through(x, parent) for x, parent in zip(node.inputs, node.parents)]


def saved_then_changed(node: Node, t: Tensor) -> bool:
    """Whether `node` saved `t` (a leaf or an op's result) for backward, and `t` was changed in place since.

    A node keeps each tensor it saved with the tensor's version then (see
    `Node._saved`); the values the op used are not the ones `t` holds now.
    (For an input the op did not save, no version was kept: it cannot tell.)
    """
    saved = getattr(node, "_saved", None) or ()  # (None once backward has freed it)
    now = (t if t._base is None else t._base)._version
    return any(s is t and v != now for s, v in zip(saved[0::2], saved[1::2]))
