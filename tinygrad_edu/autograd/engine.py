"""The backward engine: the chain rule applied over a recorded graph.

Gradients are kept in a dict keyed by the node (or leaf tensor) they belong
to. Every node is numbered when it is recorded (`seq`), and an op's inputs
exist before it does, so a node's consumers always carry larger numbers than
the node. Backward therefore takes the pending node with the largest number
next (a heap, as PyTorch does): by then every consumer has run and all the
contributions to the gradient of its output have been summed. A node turns
that gradient into one gradient per input (its Function's `backward`), which
is added to the entry of the node that produced that input (after being
made to fit the input's shape and dtype, for an op recorded by `apply`,
such as a user's: `_conform`). Leaf gradients
are written to `.grad` only at the end, after the leaves' hooks have run,
and saved values are released only then, so a backward that fails half-way
(in an op or in a hook) leaves every leaf and the graph as they were.
When no graph is recorded, the gradient of a slice x[t] comes as the slice
alone (`Scattered`) and is added in place into the sum for x: a loop over
an RNN's time steps costs O(size of x) in backward, not O(size of x) per step.
`autograd.grad` runs only the nodes that lead to the inputs it was asked
about, and hands back their gradients instead of writing `.grad`;
``backward(inputs=...)`` runs the same part of the graph and writes `.grad`
of those inputs only. In anomaly mode the same loop runs watched (anomaly_mode.py).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Container, Sequence
from heapq import heapify, heappop, heappush
from typing import TYPE_CHECKING, Any

import numpy as np

from . import anomaly_mode, function
from .function import Node
from .grad_mode import _state, switch
from .hooks import run_tensor_hooks
from .outputs import Slots, several_backward

if TYPE_CHECKING:
    from ..tensor import Tensor


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Tensor | Sequence[Tensor] | None = None,
) -> None:
    """Accumulate d(tensors)/d(leaf) into the `.grad` of every leaf that requires grad.

    `grad_tensors` gives each output's dL/d(output); None (for one or all)
    stands for 1, which only a one-element output may leave out. With
    `inputs`, only those tensors (leaves or not) get a `.grad`, and only the
    part of the graph that leads to them runs.
    """
    roots = _roots(tensors, grad_tensors)
    retain_graph = create_graph if retain_graph is None else retain_graph
    if inputs is None:
        _accumulate(_run(roots, retain_graph, create_graph), create_graph)
        return
    inputs = _differentiated(inputs, "backward")
    if not inputs:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    keys = [x.grad_fn or x for x in inputs]
    found = _run(roots, retain_graph, create_graph, keys)
    # (a non-leaf that retains its grad has had it stored by its own hook already)
    keep = {x: found[k] for x, k in zip(inputs, keys) if k in found and not x.retains_grad}
    _accumulate(keep, create_graph)


def _accumulate(grads: dict, create_graph: bool) -> None:
    """Add each gradient to its tensor's `.grad` (whose hooks have run: `_backpropagate`), then
    call the tensor's post-accumulate-grad hooks, if any.

    As in PyTorch, a second backward adds into the existing `.grad` in place
    (a reference to it sees the sum), unless that `.grad` is part of a graph
    or one is being made (create_graph): then the sum is a new, recorded tensor.
    """
    Tensor = function.Tensor
    for t, grad in grads.items():
        # `_grad`, not the `grad` setter: these gradients have been checked for shape and dtype
        old = t._grad
        if old is not None:
            if create_graph or old.grad_fn is not None or old.requires_grad or not _can_add_into(old, grad):
                t._grad = old + grad
            else:
                old.data += grad.data
                old._bump_version()
        elif create_graph and grad.grad_fn is not None:
            t._grad = grad  # keeps its graph, to be differentiated again
        else:
            t._grad = Tensor._wrap(np.array(grad.data))  # own memory, never a shared view
        if t._post_accumulate_grad_hooks:
            _run_post_accumulate_hooks(t._post_accumulate_grad_hooks, t)


def _run_post_accumulate_hooks(hooks: list, leaf: Tensor) -> None:
    """Call each `hook(leaf)` registered by register_post_accumulate_grad_hook, now that leaf.grad
    holds the sum: the hook may read it, step an optimizer, or set it to None (PyTorch's
    "optimizer in backward"). A hook returns nothing."""
    for hook in list(hooks):  # (a copy: a hook may remove itself)
        returned = hook(leaf)
        if isinstance(returned, function.Tensor):
            raise RuntimeError("Tensor post accumulate grad hooks should return None.")
        if returned is not None:
            raise TypeError(f"expected Variable, but hook returned '{type(returned).__name__}'")


def _can_add_into(old: Tensor, grad: Tensor) -> bool:
    """Can `grad` be added into `old`'s memory? (A `.grad` set by hand may be read-only, or another dtype.)"""
    data = old.data
    return data.flags.writeable and data.dtype == grad.data.dtype and data.shape == grad.data.shape


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return d(outputs)/d(inputs) without touching any `.grad`.

    With `create_graph=True` the returned gradients are themselves recorded,
    so they can be differentiated again (Hessian-vector products, penalties).
    An input the outputs do not depend on gets None with `allow_unused=True`,
    zeros with `materialize_grads=True`, and is an error otherwise.
    """
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "autograd.grad: materialize_grads=True gives zeros for unused inputs, which "
            "contradicts allow_unused=False: leave allow_unused out or set it to True"
        )
    inputs = _differentiated(inputs, "grad")
    if not inputs:
        raise RuntimeError("grad: the `inputs` argument cannot be empty: give the tensors to differentiate")
    keys = [x.grad_fn or x for x in inputs]
    roots = _roots(outputs, grad_outputs)
    strict = not (allow_unused or materialize_grads)
    # strict: an unused input is an error raised before anything is released (the graph stays usable)
    retain = create_graph if retain_graph is None else retain_graph
    found = _run(roots, retain, create_graph, keys, require_all=strict)
    result = tuple(found.get(k) for k in keys)
    if materialize_grads:
        zeros = function.Tensor._wrap
        result = tuple(
            zeros(np.zeros_like(x.data), create_graph) if g is None else g for x, g in zip(inputs, result)
        )
    return result


def _unused_error(i: int) -> RuntimeError:
    return RuntimeError(
        f"The differentiated Tensor at index {i} appears to not have been used in the "
        "graph. Set allow_unused=True if this is the desired behavior."
    )


def _differentiated(inputs: Tensor | Sequence[Tensor], caller: str) -> list[Tensor]:
    """The tensors to differentiate with respect to, as a list, each checked to require grad."""
    inputs = [inputs] if isinstance(inputs, function.Tensor) else list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, function.Tensor):
            raise TypeError(f"{caller}: inputs must be Tensors, but input {i} is a {type(x).__name__}")
        x._refresh_view()  # a view's graph is remade before it is looked for
        if not x.requires_grad:
            raise RuntimeError(
                f"{caller}: input {i} does not require grad, so no gradient can be computed for it"
            )
    return inputs


def _roots(
    tensors: Tensor | Sequence[Tensor], grads: Tensor | Sequence[Tensor | None] | None
) -> list[tuple[Tensor, Tensor]]:
    """Pair each output with its starting gradient, checking both (either may be one Tensor)."""
    Tensor = function.Tensor
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grads is None:
        grads = [None] * len(tensors)
    elif isinstance(grads, Tensor):
        grads = [grads]
    else:
        grads = list(grads)
    if len(tensors) != len(grads):
        raise RuntimeError(f"got {len(grads)} gradients for {len(tensors)} outputs")
    roots = []
    for i, (t, g) in enumerate(zip(tensors, grads)):
        t._refresh_view()
        if not t.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn. "
                "It was likely computed under no_grad() or from .detach(), .data or .numpy(), "
                "or none of the leaf tensors it depends on was created with requires_grad=True."
            )
        if g is None:
            if t.data.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs, but the "
                    f"output has shape {t.shape}; pass `gradient=` a tensor of that shape"
                )
            g = Tensor._wrap(np.array(1, t.data.dtype).reshape(t.data.shape))  # the one element is 1
        elif not isinstance(g, Tensor):
            try:
                g = Tensor(g, dtype=t.dtype)
            except (TypeError, ValueError):
                raise TypeError(
                    f"gradients can be either Tensors or None, but got {type(g).__name__}"
                ) from None
        if g.shape != t.shape:
            raise RuntimeError(
                f"Mismatch in shape: gradient has shape {g.shape} but the output has shape {t.shape}"
            )
        if g.dtype != t.dtype:  # (a float32 gradient for a float64 output, say) cast, as PyTorch does
            g = g.to(t.dtype)
        roots.append((t, g))
    return roots


def _run(
    roots: list[tuple[Tensor, Tensor]],
    retain_graph: bool,
    create_graph: bool,
    capture: list | None = None,
    observer: Callable[[Node, Tensor, list], None] | None = None,
    require_all: bool = False,
) -> dict:
    """Backpropagate from `roots`. Returns the gradients of leaves, or of `capture` keys.

    With `capture` keys (nodes, or leaves), only the nodes that lead to one
    of them run; an empty `capture` runs every node and returns nothing.
    `observer(node, grad, edges)`, if given, sees each step: the gradient of
    the node's output and the (input index, parent, gradient) it passed on.
    The backward-steps drawing in viz/backward.py is built on it.
    With `require_all`, a `capture` key that gets no gradient is an error.
    """
    # The cycle collector is held off meanwhile: backward makes no reference
    # cycles, but it allocates many small objects, and each burst would start
    # a collection that walks the whole (possibly 100,000-node) graph again.
    # Backward formulas themselves are recorded only for create_graph.
    was_collecting = gc.isenabled()
    gc.disable()
    modes = switch(bool(create_graph), _state.inference)
    try:
        if anomaly_mode.state.enabled:  # (read once per backward: the loop itself has no check for it)
            return anomaly_mode.backpropagate_checked(
                _backpropagate, roots, retain_graph, capture, observer, require_all
            )
        return _backpropagate(roots, retain_graph, capture, observer, require_all)
    finally:
        switch(*modes)
        if was_collecting:
            gc.enable()


def _backpropagate(
    roots: list[tuple[Tensor, Tensor]],
    retain_graph: bool,
    capture: list | None,
    observer: Callable[[Node, Tensor, list], None] | None,
    require_all: bool = False,
) -> dict:
    grads: dict = {}
    for t, start in roots:
        _add(grads, t.grad_fn or t, start)
    # the nodes that have a gradient, as a heap of (-seq, node): the newest comes out first
    # (every seq is different, so two entries never get as far as comparing their nodes)
    ready = [(-node.seq, node) for node in grads if isinstance(node, Node)]
    heapify(ready)
    captured = {}
    wanted = set(capture) if capture is not None else ()
    # with wanted inputs (autograd.grad, backward(inputs=)) only the nodes that
    # lead to one run, as in PyTorch: the graph below them is neither computed nor released
    needed = _leading_to(wanted, [node for _, node in ready]) if capture else None
    done = []
    Tensor = function.Tensor
    # The node that the last step made ready first, kept out of the heap: in a
    # chain it is the next to run, and comparing its number with the heap's
    # newest costs less than a push and a pop. At most one node waits here.
    waiting: Node | None = None
    while ready or waiting is not None:
        if waiting is not None and (not ready or waiting.seq > -ready[0][0]):
            node, waiting = waiting, None
        else:
            node = heappop(ready)[1]
        grad = grads.pop(node)
        backward: Callable[[Node, Any], Any] = node.function.backward
        if type(grad) is not Tensor:
            if type(grad) is Slots:  # the gradients of an op's several outputs (outputs.py)
                backward = several_backward
                grad = tuple(grad.grads)
            else:
                grad = _whole(grad)
        if needed is not None and node not in needed:
            # off the path to the wanted inputs: not run, as in PyTorch (a wanted node is hooked and kept)
            if node in wanted:
                captured[node] = grad if node._hooks is None else node._hooks.on_output(grad)
            continue
        if node._saved is None:
            raise RuntimeError(
                f"Trying to backward through the graph a second time ({node.name()} was "
                "freed by an earlier backward). Pass retain_graph=True to the first "
                "backward if you need to go through it again."
            )
        if node._hooks is not None:  # (hooks.py: the output's hooks, then the node's)
            grad, backward = node._hooks.around(node, grad, backward, captured if node in wanted else None)
        elif node in wanted:
            captured[node] = grad
        done.append(node)
        in_grads: Any = backward(node, grad)  # a user's op may return anything
        if type(in_grads) is not tuple:
            in_grads = (in_grads,)
        if node._checks_gradients:  # (see Node._checks_gradients)
            in_grads = _checked(in_grads, node)
        # hand each input's gradient to the node (or leaf) that produced the input
        for g, parent in zip(in_grads, node.parents):
            if g is None or parent is None:
                continue
            previous = grads.get(parent)
            if previous is None:
                grads[parent] = g
                if isinstance(parent, Node):
                    if waiting is None:
                        waiting = parent
                    else:
                        heappush(ready, (-parent.seq, parent))
            elif type(previous) is Tensor and type(g) is Tensor:
                grads[parent] = previous + g
            elif type(previous) is Slots:
                grads[parent] = previous.add(g)
            else:
                grads[parent] = _summed(previous, g)
        if observer is not None:
            observer(node, grad, _handed_on(node, in_grads))
    # the hooks of leaves, before any .grad is written or anything released:
    # a hook that fails leaves every leaf and the graph as they were
    for leaf, g in grads.items():  # (only leaves are left: every node has been popped)
        if type(g) is not Tensor:
            grads[leaf] = g = _whole(g)
        if leaf._hooks and (capture is None or leaf in wanted):
            grads[leaf] = run_tensor_hooks(leaf._hooks, g)
    if capture is not None:
        captured.update((k, v) for k, v in grads.items() if k in wanted)
        if require_all and len(captured) < len(wanted):  # raised before the release below
            raise _unused_error(next(i for i, k in enumerate(capture) if k not in captured))
    if not retain_graph:
        for node in done:
            node._saved = None  # release what it saved
    return grads if capture is None else captured


def _handed_on(node: Node, in_grads: tuple) -> list[tuple[int, Any, Tensor]]:
    """(input index, parent, gradient) for each gradient a step handed on."""
    return [
        (i, parent, g if type(g) is function.Tensor else g.only() if type(g) is Slots else _whole(g))
        for i, (g, parent) in enumerate(zip(in_grads, node.parents))
        if g is not None and parent is not None
    ]


def _leading_to(wanted: Container[object], roots: list[Node]) -> set[Node]:
    """The nodes below `roots` that have a `wanted` node or leaf among their inputs' producers."""
    leading: set[Node] = set()
    seen: set[Node] = set()
    stack = [(node, False) for node in roots]
    while stack:  # depth first, each node judged after every node below it
        node, below_done = stack.pop()
        if below_done:
            if any(p is not None and (p in wanted or p in leading) for p in node.parents):
                leading.add(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in node.parents if isinstance(p, Node) and p not in seen)
    return leading


def _checked(in_grads: tuple, node: Node) -> tuple:
    """What the backward of an op recorded by `apply` returned: one gradient per input, each fitted
    to its input (None where there is none, or where the input takes no gradient)."""
    if len(in_grads) > len(node.parents) and all(g is None for g in in_grads[len(node.parents) :]):
        in_grads = in_grads[: len(node.parents)]  # (extra Nones at the end are allowed, as in PyTorch)
    if len(in_grads) != len(node.parents):
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {len(node.parents)}, got {len(in_grads)})"
        )
    for i, (g, x) in enumerate(zip(in_grads, node.inputs)):
        if g is not None and not isinstance(x, function.Tensor):
            raise RuntimeError(
                f"function {node.name()} returned a gradient different than None at position {i + 1}, but "
                f"the corresponding forward input was not a Tensor (a {type(x).__name__}): return None there"
            )
    return tuple(
        None if g is None or parent is None else _conform(g, x, node, i)
        for i, (g, parent, x) in enumerate(zip(in_grads, node.parents, node.inputs))
    )


def _conform(g: object, x: Tensor, node: Node, i: int) -> Tensor | Scattered:
    """Make an op's gradient a Tensor of its input's shape and dtype, as PyTorch does.

    A custom backward may return a number, an array, a gradient broadcast to
    the output's shape, or another dtype. Only nodes recorded by `apply` are
    checked (`Node._checks_gradients`): the library's `_apply1`/`_apply2` ops
    return the input's shape and dtype already, which tests/test_gradients.py
    checks for every op.
    """
    if type(g) is Scattered:
        return g  # (Index.backward's, which knows x's shape and dtype; a user's op may subclass Index)
    if not isinstance(g, function.Tensor):
        g = function.Tensor._wrap(np.asarray(g, dtype=x.dtype))
    if g.shape != x.shape and not _an_earlier_shape_of(x, g.shape):
        g = _fit_shape(g, x.shape, node, i)
    if g.dtype != x.dtype:
        g = g.to(x.dtype)
    return g


def _an_earlier_shape_of(x: Tensor, shape: tuple[int, ...]) -> bool:
    """Did x have this shape before a change of shape in place (t_, squeeze_, ...; ops/inplace_shape.py)?

    A node recorded before the change is handed a gradient of x's shape then,
    which goes to the node that made x then: it fits as it is.
    """
    return x._layouts is not None and any(old.shape == shape for _, old in x._layouts)


def _fit_shape(g: Tensor, shape: tuple[int, ...], node: Node, i: int) -> Tensor:
    """Sum a broadcast gradient back to its input's shape, as PyTorch does for custom ops."""
    from ..ops.broadcast import broadcasts_to
    from ..ops.movement import sum_to_shape

    if not broadcasts_to(shape, g.shape):
        raise RuntimeError(
            f"Function {node.name()} returned an invalid gradient at index {i} - got "
            f"{g.shape} but expected shape compatible with {shape}"
        )
    return sum_to_shape(g, shape)


class Scattered:
    """A gradient that is zero but at some places: `values` added at `index` of zeros(`shape`).

    The gradient of x[index] is such a tensor, and Index.backward returns it in
    this form when no graph is being recorded. The engine then adds the values
    into the gradient it is summing for x, in place and at those places only:
    a loop over x[0], x[1], ..., x[L-1] (an RNN's time steps) costs O(x.size)
    in all, where L whole-size gradients (mostly zeros) would cost O(L x.size).
    IndexAdd, the recorded form of the same gradient, computes its values with `dense`.

    basic: the index has no index arrays (ints, slices, None, ...), so it names
    no place twice (the indexing op knows: ops/movement.py's `_is_basic`).
    """

    __slots__ = ("values", "index", "shape", "basic")

    def __init__(self, values: np.ndarray, index: tuple, shape: tuple[int, ...], basic: bool) -> None:
        self.values, self.index, self.shape, self.basic = values, index, shape, basic

    def add_to(self, total: np.ndarray) -> None:
        if self.basic:
            total[self.index] += self.values
        else:
            np.add.at(total, self.index, self.values)  # an index array may name a place twice

    def dense(self) -> np.ndarray:
        total = np.zeros(self.shape, dtype=self.values.dtype)
        if self.basic:
            total[self.index] = self.values
        else:
            np.add.at(total, self.index, self.values)
        return total


def _summed(previous: Tensor | Scattered | np.ndarray, g: Tensor | Scattered) -> np.ndarray:
    """previous + g as an array that the engine owns, so that later contributions are added in place.

    (A gradient summed this way is kept as a bare array until it is handed on: `_whole`.)
    """
    if isinstance(previous, np.ndarray):
        total = previous
    elif isinstance(previous, Scattered):
        total = previous.dense()
    else:
        total = np.array(previous.data)  # a copy: the Tensor may be someone else's gradient too
    if isinstance(g, Scattered):
        g.add_to(total)
    else:
        total += g.data
    return total


def _whole(g: Scattered | np.ndarray) -> Tensor:
    """A gradient kept as a `Scattered` or a summed array, as the Tensor it stands for."""
    return function.Tensor._wrap(g if isinstance(g, np.ndarray) else g.dense())


def _add(grads: dict, key: object, g: Tensor) -> None:
    """Sum gradient contributions that reach the same place."""
    previous = grads.get(key)
    grads[key] = g if previous is None else previous + g
