"""In-place custom Functions: a `forward` that changes an input's array and says so.

    class AddOne_(Function):
        @staticmethod
        def forward(ctx, x):
            np.add(x, 1, out=x)          # x's own memory changes
            ctx.mark_dirty(x)
            return x                     # a changed input must be returned

        @staticmethod
        def backward(ctx, grad):
            return grad

    y = AddOne_.apply(h)                 # y is h, now with AddOne_Backward as its grad_fn

As with the library's in-place ops (``h.add_(1)``, tensor.py's `_inplace`), the
changed tensor counts one more version (so a backward that saved its old
values raises), becomes the op's output in the graph, and tells the tensors
it is a view of that their memory changed. Unlike them, the op cannot run on
a copy first: forward changes the memory itself.

That is why a leaf that requires grad (and any view of one) reaches a custom
forward read-only while grad mode is on: a forward that writes into it fails
before anything has changed, with PyTorch's message, where PyTorch itself
finds out only after the write. A forward that only reads its inputs never
notices, but a view of such a leaf that it returns stays read-only: an
in-place change of it would change the leaf (PyTorch refuses those too).
The library's own Functions are not guarded: they never write into their
inputs (tests/test_gradients.py checks). Only Functions with one output may
mark inputs dirty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..warning import warn
from . import function
from .grad_mode import _state

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .function import Function
    from .node import Node


def _unwritable(x: Tensor) -> str | None:
    """Why forward may not write into x's array in grad mode (None: it may), in PyTorch's words."""
    root = x._view_root()
    if root._requires_grad and root.grad_fn is None:
        return (
            "a leaf Variable that requires grad"
            if root is x
            else "a view of a leaf Variable that requires grad"
        )
    if x._view is not None and x._view_version is None:  # (as tensor.py's `_inplace` refuses)
        return "a view made in no_grad mode"
    return None


def guard_inputs(args: tuple) -> list[tuple[int, np.ndarray, str]]:
    """Make the arrays of the inputs that forward must not write read-only: (index, array, why) each."""
    guarded = []
    for i, x in enumerate(args):
        if isinstance(x, function.Tensor) and isinstance(x.data, np.ndarray) and x.data.flags.writeable:
            why = _unwritable(x)
            if why is not None:
                x.data.flags.writeable = False
                guarded.append((i, x.data, why))
    return guarded


def release(guarded: list[tuple[int, np.ndarray, str]]) -> None:
    """Undo `guard_inputs`."""
    for _, array, _ in guarded:
        array.flags.writeable = True


def written_error(
    cls: type[Function], args: tuple, guarded: list[tuple[int, np.ndarray, str]]
) -> RuntimeError | None:
    """The error for a forward that tried to write into one of the `guarded` arrays, or None
    if it may have written into an input that is read-only on its own (an expanded tensor)."""
    places = [i for i, _, _ in guarded]
    tensors = [(i, x) for i, x in enumerate(args) if isinstance(x, function.Tensor)]
    if any(not x.data.flags.writeable for i, x in tensors if i not in places):
        return None
    for _, x in tensors:  # forward was writing in place: any other input it changed counts a version
        if x.data.flags.writeable:
            x._bump_version()
    whys = sorted({why for _, _, why in guarded})
    listed = ", ".join(map(str, places))
    which = f"input {listed}" if len(places) == 1 else f"one of inputs {listed}"
    return RuntimeError(
        f"{' or '.join(whys)} is being used in an in-place operation: {cls.__name__}."
        f"forward wrote into the array of {which}. Write into a copy (x = x.copy()), or change it "
        "under tg.no_grad()"
    )


def users_output(cls: type[Function], ctx: Node, args: tuple, out: Tensor) -> Tensor:
    """What `apply` returns for a user's Function, whose forward returned the array of `out`.

    An input marked dirty is returned in out's place (`dirty_output`). An input's
    array returned as it is, unmarked, makes out an alias of that input: the two
    count their changes on one version counter, and out may not be changed in
    place in grad mode (tensor.py's `_inplace` refuses), since the change would
    reach the input behind the op's backward; PyTorch refuses it too.
    """
    if ctx._dirty:
        return dirty_output(ctx, args, out)
    x = input_holding(args, out.data)
    if x is not None:
        out._share_memory_of(x)
        out.__dict__["_input_returned_by"] = cls.__name__
    return out


def dirty_output(ctx: Node, args: tuple, out: Tensor) -> Tensor:
    """The result of `apply` when forward marked inputs dirty: the changed input, now the op's output.

    out: the Tensor `apply` made around forward's array, recorded as the op's output when the
    op was recorded; the input that owns that array takes its place.
    """
    changed = None
    for value in ctx._dirty:
        x = input_holding(args, value)
        if x is None:
            warn(
                "ctx.mark_dirty() received an array that was not an input's. Only the arrays of "
                "inputs that forward changed in place should be passed to ctx.mark_dirty()."
            )
            continue
        x._bump_version()  # (first: whatever else saved x notices the change, even if we raise below)
        why = _unwritable(x) if _state.enabled else None
        if why is not None:  # (np.add.at, say, writes into a read-only array all the same)
            raise RuntimeError(f"{why} has been used in an in-place operation.")
        if out.data is not value:
            raise RuntimeError(
                "Some elements marked as dirty during the forward method were not returned as output. "
                "The inputs that are modified inplace must all be outputs of the Function."
            )
        changed = x
    if changed is None:
        return out
    if out.grad_fn is not None:
        changed._set_grad_fn(out.grad_fn)
        if ctx._saved:
            ctx._output_moved(out, changed)  # forward's output, if saved, is `changed` now
        changed._write_back()
    return changed


def input_holding(args: tuple, array: np.ndarray) -> Tensor | None:
    """The input Tensor whose array `array` is (the one forward received), or None."""
    return next((x for x in args if isinstance(x, function.Tensor) and x.data is array), None)
