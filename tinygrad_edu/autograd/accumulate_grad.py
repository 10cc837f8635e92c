"""`AccumulateGrad`: a leaf as `grad_fn.next_functions` (node.py) shows it, as in PyTorch.

Each node keeps, per input, where that input's gradient goes (`Node.parents`):
the node that made the input, the input itself when it is a leaf, or None. PyTorch
shows the same edges as ``grad_fn.next_functions``, a tuple of (node, index)
pairs, one per Tensor input of the op, where a leaf that requires grad is
represented by an `AccumulateGrad` object: the step that adds the gradient
into the leaf's `.grad`. (The index says which output of that node the input
was; every op here has one output, so it is always 0.)

Walking the pairs from the loss down is the classic way to print a graph::

    >>> x = tg.tensor([1.0, 2.0], requires_grad=True)
    >>> loss = (x * 2).sum()
    >>> loss.grad_fn
    <SumBackward>
    >>> loss.grad_fn.next_functions
    ((<MulBackward>, 0),)
    >>> loss.grad_fn.next_functions[0][0].next_functions    # x, and the constant 2
    ((<AccumulateGrad>, 0), (None, 0))
    >>> loss.grad_fn.next_functions[0][0].next_functions[0][0].variable is x
    True

Nothing here is computed while recording: the pairs are made when asked for,
so the graph costs nothing more to build.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..tensor import Tensor


class AccumulateGrad:
    """Where the gradient of the leaf `variable` ends up: added into ``variable.grad``.

    One object per leaf for as long as someone holds it, as in PyTorch
    (``a is b`` for two lookups of the same leaf). The leaf keeps only a weak
    reference to it, so a leaf whose accumulator nobody asked for carries nothing.
    """

    __slots__ = ("variable", "__weakref__")
    next_functions: tuple = ()  # a leaf is where the graph ends

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def name(self) -> str:
        return "AccumulateGrad"

    def __repr__(self) -> str:
        return "<AccumulateGrad>"


def accumulator_of(leaf: Tensor) -> AccumulateGrad:
    """The leaf's `AccumulateGrad`: the one already handed out, if it is still alive, or a new one."""
    ref = leaf.__dict__.get("_accumulator")
    accumulator = ref() if ref is not None else None
    if accumulator is None:
        accumulator = AccumulateGrad(leaf)
        leaf.__dict__["_accumulator"] = weakref.ref(accumulator)
    return accumulator
