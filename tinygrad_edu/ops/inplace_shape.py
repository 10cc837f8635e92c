"""Changing a tensor's shape in place: t_, transpose_ (swapdims_, swapaxes_), squeeze_, unsqueeze_.

The values and the memory stay; only the way the memory is read changes, so
x becomes a new NumPy view of its own memory (x.data = x.data.T, ...). For
autograd this is the out-of-place op applied to x's old self:

    x.t_()   is   x = old_x.t()   where old_x is x before the call

so x's new grad_fn is a transpose (or reshape) node whose input is the
graph x had, and a gradient flowing into the new x reaches everything that
made the old one. The old self is kept as a Tensor of its own (`_before`),
sharing x's memory and graph, so that a view x stays a view: of its old
self, which is still a view of the base (an in-place change made through x
afterwards is passed back along that chain, as for any view).

Views made of x before the change read x in its old shape. For them x
keeps, per change, a reader of its memory in the old shape (the inverse op
applied to the new x, itself a view of x) and the version the change made;
a view whose graph is older than that version is moved onto the reader the
next time it is used (`Tensor._follow_shape_change`), so both its values and
an in-place change made through it land where they belong.

A graph recorded before the change with x itself as an input (z = x * 2;
x.t_(); z.backward()) hands back a gradient of x's old shape: the engine
lets it through as it is (`engine._an_earlier_shape_of`), since it goes to
the node that made x in that shape.

As in PyTorch, the change counts as an in-place change (the version counter
of the memory goes up), and it is refused on a leaf that requires grad, or a
view of one, while grad mode is on.
"""

from __future__ import annotations

from collections.abc import Callable

from ..autograd.grad_mode import _state, enable_grad
from ..tensor import Tensor
from .movement import squeeze, transpose, unsqueeze


def _before(x: Tensor) -> Tensor:
    """A Tensor standing for x as it is now: the same memory, graph and view links."""
    old = Tensor._wrap(x.data, x._requires_grad)
    old.grad_fn = x.grad_fn
    if x._view is None:
        old._share_memory_of(x)  # x stays the base; old only shares its version counter
    else:
        old._base, old._view, old._view_version = x._base, x._view, x._view_version
    return old


def _change_shape(x: Tensor, view_op: Callable[[Tensor], Tensor], undo: Callable[[Tensor], Tensor]) -> Tensor:
    """Make x into view_op(x) in place (view_op: a transpose or reshape, which gives a view;
    undo(view_op(t)) reads t's memory as t did)."""
    x._refresh_view()
    recording = _state.enabled and x.requires_grad
    root = x._view_root()
    leaf = x if x.grad_fn is None else root if root.requires_grad and root.grad_fn is None else None
    if recording and leaf is not None:
        what = "a leaf Variable" if leaf is x else "a view of a leaf Variable"
        raise RuntimeError(
            f"{what} that requires grad is being used in an in-place operation "
            "(wrap the change of shape in `with tg.no_grad():`)"
        )
    old = _before(x)
    new = view_op(old)  # (its checks raise here, before x is touched)
    x.data = new.data
    if x._view is not None:  # a view: now of its old self, read as view_op says
        x._view = new._view  # (None for an empty tensor, which NumPy does not count as a view)
    if recording:
        x._set_grad_fn(new.grad_fn)
    x._bump_version()
    _remember_old_shape(x, undo)
    return x


def _remember_old_shape(x: Tensor, undo: Callable[[Tensor], Tensor]) -> None:
    """Keep a reader of x's memory in its old shape for the views made of x before the change."""
    with enable_grad():  # (recorded even now, so that the views' graphs can be remade from it later)
        old = undo(x)
    version = (x if x._base is None else x._base)._version
    layouts = x._layouts or []
    earlier = layouts[-1][1] if layouts else None
    if earlier is not None and earlier._view is not None:  # (None: an empty tensor, never a view)
        # the reader of the change before reads the shape x had before this one: old's
        earlier._view = (old, *earlier._view[1:])
    x._layouts = [*layouts, (version, old)]


def t_(x: Tensor) -> Tensor:
    """x.t() in place (a tensor of at most 2 dims)."""
    if x.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return _change_shape(x, lambda t: transpose(t, 0, -1), lambda t: transpose(t, 0, -1))


def transpose_(x: Tensor, dim0: int, dim1: int) -> Tensor:
    """x.transpose(dim0, dim1) in place."""
    return _change_shape(x, lambda t: transpose(t, dim0, dim1), lambda t: transpose(t, dim0, dim1))


def squeeze_(x: Tensor, dim: int | tuple | None = None) -> Tensor:
    """x.squeeze(dim) in place: the dims of size 1 (all of them, or those named) removed."""
    shape = x.shape
    return _change_shape(x, lambda t: squeeze(t, dim), lambda t: t.reshape(shape))


def unsqueeze_(x: Tensor, dim: int) -> Tensor:
    """x.unsqueeze(dim) in place: a dim of size 1 inserted at dim."""
    shape = x.shape
    return _change_shape(x, lambda t: unsqueeze(t, dim), lambda t: t.reshape(shape))
