"""`once_differentiable`: for a custom Function whose backward cannot be differentiated again.

A backward written with NumPy (not with Tensor ops) gives a right first
derivative but records no graph, so a second derivative through it would
silently miss a term. Decorated with `once_differentiable`, it runs with
recording off, and where a graph of the gradient is wanted its results are
put behind a `DelayedError` node, whose backward raises PyTorch's error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from . import function
from .function import Function, Node
from .grad_mode import is_recording, no_grad

if TYPE_CHECKING:
    from ..tensor import Tensor


class DelayedError(Function):
    """y = g for a gradient g computed by a `once_differentiable` backward; dL/d(sources): an error.

    g was computed off the graph, so the graph cannot say how it depends on
    what it was computed from. This node stands where that dependence would
    be, with those `sources` (the incoming gradient and the op's inputs) as
    its inputs: every backward that needs the dependence reaches it and
    raises, rather than passing on a derivative that is silently missing a term.
    """

    @staticmethod
    def forward(ctx: Node, g: np.ndarray, *sources: np.ndarray) -> np.ndarray:
        return g

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> None:
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable"
        )


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a Function's `backward` that can be differentiated only once (PyTorch's decorator).

    For a backward that is not written with Tensor ops (NumPy, say), so
    recording it would be meaningless. It runs with recording off. When the
    graph of the gradient is wanted (``create_graph=True``) and the incoming
    gradient is itself on a graph, each gradient it returns is recorded as a
    `DelayedError`: going back through it raises PyTorch's RuntimeError.
    (An incoming gradient that is on no graph, as at the start of backward,
    gives gradients on no graph either, as in PyTorch.)
    """

    @functools.wraps(backward)
    def wrapper(ctx: Node, *grad_outputs: Tensor) -> Any:
        creating_graph = is_recording()  # (the engine records backward for create_graph only)
        with no_grad():
            grads = backward(ctx, *grad_outputs)
        recorded = [g for g in grad_outputs if isinstance(g, function.Tensor) and g.requires_grad]
        if not (creating_graph and recorded):
            return grads
        sources = (*recorded, *[x for x in ctx.inputs if isinstance(x, function.Tensor) and x.requires_grad])
        if type(grads) is tuple:
            return tuple(_behind_error(g, sources) for g in grads)
        return _behind_error(grads, sources)

    return wrapper


def _behind_error(g: Any, sources: tuple[Tensor, ...]) -> Any:
    """A gradient (a Tensor, or the array or number a NumPy backward returns) as the output of a
    DelayedError; None as it is."""
    if g is None:
        return g
    return DelayedError.apply(
        function.Tensor._wrap(np.asarray(g.data if isinstance(g, function.Tensor) else g)), *sources
    )
