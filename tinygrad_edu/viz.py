"""Pictures of the recorded graph and of backpropagation through it.

`draw_graph(t)` draws what produced `t`: one node per op (Mul, MatMul, Sum...)
and one per tensor (its `.name` or a short description, shape, dtype, and on
request its values and gradient). Data flows along the edges: input tensor ->
op -> output tensor. Parameters, inputs that require grad and constants are
coloured apart, and the ops recorded inside a module's `forward` are grouped
in a labelled cluster ("Linear(64 -> 32)").

`backward_steps(loss)` replays backward without touching any `.grad`: the
order in which the engine visits the ops and the gradient sent along every
edge. `format_backward_table` prints it, `draw_backward` draws it with the
edges numbered by step, so the chain rule can be checked number by number.

Every drawing is a `graphviz.Digraph` (a `Drawing`): it shows itself inline
in Jupyter and saves with `.render(path, format="svg")`. Rendering needs the
Graphviz `dot` program; when it is missing, rendering says how to install it,
and the DOT text is always available as `.source`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import graphviz
import numpy as np

from .autograd import engine
from .autograd.function import Node
from .autograd.graph import topological_order
from .tensor import Tensor

__all__ = [
    "BackwardStep",
    "Drawing",
    "GradEdge",
    "backward_steps",
    "draw_backward",
    "draw_graph",
    "format_backward_table",
    "print_backward_steps",
    "render_graph",
]

INSTALL_HINT = (
    "install Graphviz: apt-get install graphviz / brew install graphviz / "
    "conda install graphviz; the DOT source is available as .source"
)


class Drawing(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering says how to install Graphviz when `dot` is missing."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise _no_dot() from error

    def pipe(self, *args: Any, **kwargs: Any) -> Any:  # what Jupyter's inline display calls
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise _no_dot() from error


def _no_dot() -> RuntimeError:
    return RuntimeError(f"cannot render the graph: the Graphviz 'dot' program was not found; {INSTALL_HINT}")


COLORS = {"param": "lightgreen", "input": "lightblue", "const": "lightgrey", "tensor": "white"}


# ----------------------------------------------------------------- text helpers
def _summary(array: np.ndarray) -> str:
    """Small arrays in full, larger ones as min/mean/max."""
    a = np.asarray(array)
    if a.size <= 16:
        return np.array2string(a, precision=4, separator=", ").replace("\n", "")
    if a.dtype.kind not in "fiub":
        return f"<{a.size} values>"
    return f"min={a.min():.4g} mean={a.mean():.4g} max={a.max():.4g}"


def _is_parameter(t: Tensor) -> bool:
    return any(cls.__name__ == "Parameter" for cls in type(t).__mro__)


def _kind(t: Tensor) -> str:
    if t.grad_fn is not None:
        return "tensor"
    if _is_parameter(t):
        return "param"
    return "input" if t.requires_grad else "const"


def _escape(text: str) -> str:
    """`text` for a DOT label: backslashes kept literal, double quotes made single."""
    return text.replace("\\", "\\\\").replace('"', "'")


def _tensor_label(
    t: Tensor | None,
    show_values: bool,
    show_grads: bool,
    op: str = "",
    kind: str | None = None,
    stale: bool = False,
) -> str:
    """Name, shape and dtype of `t`, and on request its values and gradient.

    kind: what `t` was when the graph used it (default: what it is now).
    stale: `t` was changed in place since the graph used it, so its values
    and gradient now are not the ones the graph saw, and are not shown.
    """
    if t is None:  # the output of an op whose tensor is no longer an input anywhere
        return f"{op} output"
    kind = kind or _kind(t)
    title = t.name or {"param": "parameter", "input": "input", "const": "constant"}.get(kind, f"{op} output")
    lines = [title, f"shape {tuple(t.shape)}  {t.dtype}"]
    if stale:
        lines.append("(changed in place since)")
    elif show_values:
        lines.append(f"value {_summary(t.data)}")
    if show_grads and not stale and t._grad is not None:  # not .grad, which warns about every non-leaf
        lines.append(f"grad {_summary(t._grad.data)}")
    return "\\n".join(_escape(line) for line in lines)


def _op_name(node: Node) -> str:
    return getattr(type(node), "function", type(node)).__name__


def _param_name(t: Tensor, module: Any) -> str:
    """The attribute name of parameter `t` in `module` ("weight"), else "parameter"."""
    named = getattr(module, "named_parameters", None)
    for name, p in named() if callable(named) else ():
        if p is t:
            return name
    return "parameter"


def _module_label(module: Any) -> str:
    name = type(module).__name__
    if hasattr(module, "in_features") and hasattr(module, "out_features"):
        return f"{name}({module.in_features} -> {module.out_features})"
    return name


def _producer_outputs(
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


def _look_through(x: Any, parent: Any) -> tuple[Any, Any]:
    """(tensor, parent) with the ops the drawings leave out looked through.

    A module's backward hooks put ops that hand a tensor on unchanged
    (``Function.drawn = False``) around its inputs and outputs; the drawing
    shows the module's own tensors and ops, as if no hook were there.
    """
    while isinstance(parent, Node) and not parent.function.drawn:
        x, parent = parent.function.passed_on(parent)
    return x, parent


def _drawn_inputs(node: Node) -> list[tuple[Any, Any]]:
    """The node's (input, parent) pairs, as the drawing shows them (see `_look_through`)."""
    return [_look_through(x, parent) for x, parent in zip(node.inputs, node.parents)]


def _check_rankdir(rankdir: str) -> None:
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"rankdir must be 'TB' or 'LR' (or 'BT'/'RL'), got {rankdir!r}")


def _title(dot: graphviz.Digraph, title: str | None) -> None:
    """Caption `dot` with `title` (None or "" for none)."""
    if title is None or title == "":
        return
    if not isinstance(title, str):
        raise TypeError(f"title must be a string or None, got {type(title).__name__}")
    # nohtml: a title such as "<x>" is text, not one of Graphviz's HTML labels
    dot.attr(label=graphviz.nohtml(_escape(title)), labelloc="t", fontsize="16")


# ------------------------------------------------------------------ forward graph
def draw_graph(
    tensor: Tensor,
    show_values: bool = False,
    show_grads: bool = False,
    rankdir: str = "TB",
    max_depth: int | None = None,
    title: str | None = None,
) -> graphviz.Digraph:
    """Draw the graph that produced `tensor`, data flowing from inputs to the result.

    max_depth: draw only the ops at most that many steps from the root (the op
    that produced `tensor` is step 1); what lies beyond is shown as a "…" node.
    """
    _check_rankdir(rankdir)
    if not isinstance(tensor, Tensor):
        raise TypeError(
            f"draw_graph expects one Tensor (draw each output on its own), got {type(tensor).__name__}"
        )
    if max_depth is not None and (not isinstance(max_depth, Integral) or isinstance(max_depth, bool)):
        raise TypeError(f"max_depth must be an int or None, got {type(max_depth).__name__}")
    if max_depth is not None and max_depth < 0:
        raise ValueError(f"max_depth must be >= 0, got {max_depth}")
    dot = Drawing("graph", graph_attr={"rankdir": rankdir})
    _title(dot, title)
    dot.attr("node", style="filled", fontname="Helvetica", fontsize="11")

    tensor._refresh_view()  # draw the graph backward would use
    _, root = _look_through(tensor, tensor.grad_fn)  # (a module with backward hooks may have made it)
    nodes = [n for n in topological_order([root]) if n.function.drawn] if root is not None else []
    inputs = {node: _drawn_inputs(node) for node in nodes}
    depth: dict[Node, int] = {root: 1} if root is not None else {}
    for node in nodes:  # consumers come first, so each depth is final when reached
        for _, parent in inputs[node]:
            if isinstance(parent, Node):
                depth[parent] = min(depth.get(parent, 1 << 30), depth[node] + 1)
    drawn = [n for n in nodes if max_depth is None or depth[n] <= max_depth]
    outputs = _producer_outputs(drawn, inputs.__getitem__)
    if root is not None:
        outputs[root] = tensor

    ids: dict[Any, str] = {}
    statements: dict[Any, list[tuple[str, str, dict[str, str]]]] = {None: []}  # scope -> nodes
    edges: list[tuple[str, str]] = []

    def add(key: Any, prefix: str, label: str, scope: Any = None, **attrs: str) -> str:
        if key not in ids:
            ids[key] = f"{prefix}{len(ids)}"
            statements.setdefault(scope, []).append((ids[key], label, attrs))
        return ids[key]

    def tensor_node(t: Tensor | None, parent: Any, scope: Any = None) -> str:
        """The node of `t` as the graph used it: made by `parent` (a Node), or a leaf
        (`parent` is `t` itself for one that requires grad, None for a constant)."""
        key: tuple[object, ...]
        if isinstance(parent, Node):
            key, kind, op = ("out", parent), "tensor", _op_name(parent)
            # t is a later version of that output if an in-place op has made it since
            made_by = None if t is None else _look_through(t, t.grad_fn)[1]
            stale = t is not None and (made_by is not parent or t._changed_since_graph())
        else:
            assert t is not None  # (a leaf is always drawn from its tensor)
            kind = "const" if parent is None else "param" if _is_parameter(t) else "input"
            key, op, stale = ("leaf", id(t), kind), "", t.grad_fn is not None
        attrs = {"shape": "box", "fillcolor": COLORS[kind]}
        if t is tensor and parent is root_parent:  # (not an older version of it)
            attrs.update(penwidth="3", color="red")
        label = _tensor_label(t, show_values, show_grads, op, kind, stale)
        if t is not None and t.name is None and kind == "param":
            label = label.replace("parameter", _param_name(t, scope), 1)
        return add(key, "t", label, scope, **attrs)

    def cut(target: str) -> None:
        edges.append((add(("cut", target), "cut", "…", shape="plaintext", style=""), target))

    root_parent = root if root is not None else tensor if tensor.requires_grad else None
    root_id = tensor_node(tensor, root_parent, getattr(root, "scope", None))
    if root is not None and root not in drawn:
        cut(root_id)
    param_scopes: dict[int, set[Any]] = {}
    for node in drawn:
        for x, _ in inputs[node]:
            if isinstance(x, Tensor) and _is_parameter(x) and x.grad_fn is None:
                param_scopes.setdefault(id(x), set()).add(node.scope)
    for node in drawn:
        op_id = add(node, "op", _op_name(node), node.scope, shape="ellipse", fillcolor="lightyellow")
        edges.append((op_id, tensor_node(outputs.get(node), node, node.scope)))
        for x, parent in inputs[node]:
            if isinstance(parent, Node):
                t_id = tensor_node(
                    outputs.get(parent, x if isinstance(x, Tensor) else None), parent, parent.scope
                )
                if parent not in depth or (max_depth is not None and depth[parent] > max_depth):
                    cut(t_id)
            elif isinstance(x, Tensor):
                scopes = param_scopes.get(id(x), set())
                t_id = tensor_node(x, parent, next(iter(scopes)) if len(scopes) == 1 else None)
            else:
                continue  # plain Python arguments (exponents, dims) are not drawn
            edges.append((t_id, op_id))

    def emit(graph: graphviz.Digraph, scope: Any) -> None:
        for node_id, label, attrs in statements.get(scope, []):
            graph.node(node_id, label, **attrs)

    emit(dot, None)
    _add_clusters(dot, [s for s in statements if s is not None], emit)
    for edge in dict.fromkeys(edges):
        dot.edge(*edge)
    return dot


def _add_clusters(dot: graphviz.Digraph, scopes: list[Any], emit: Any) -> None:
    """One cluster per module scope, nested where one scope module is a child of another."""

    def children_of(module: Any) -> list[Any]:
        children = getattr(module, "children", None)
        return list(children()) if callable(children) else []

    # A scope's cluster goes in the nearest enclosing module that is a scope too:
    # the modules between (a Sequential, which records no op) get no box.
    is_scope = {id(s) for s in scopes}
    parent_of: dict[int, Any] = {}
    distance: dict[int, int] = {}
    for p in scopes:  # breadth first through p's submodules, one level a step
        level, seen, steps = [p], {id(p)}, 0
        while level:
            level = [c for m in level for c in children_of(m) if id(c) not in seen]
            steps += 1
            for c in level:
                seen.add(id(c))
                if id(c) in is_scope and steps < distance.get(id(c), 1 << 30):
                    parent_of[id(c)], distance[id(c)] = p, steps

    def build(scope: Any) -> graphviz.Digraph:
        cluster = graphviz.Digraph(name=f"cluster_{id(scope)}")
        cluster.attr(label=_module_label(scope), style="rounded,dashed", color="grey40")
        emit(cluster, scope)
        for s in scopes:
            if parent_of.get(id(s)) is scope:
                cluster.subgraph(build(s))
        return cluster

    for s in scopes:
        if id(s) not in parent_of:
            dot.subgraph(build(s))


# ------------------------------------------------------------------ backward replay
@dataclass
class GradEdge:
    """The gradient one backward step sends to one of its op's inputs."""

    input_index: int
    target: Node | Tensor  # the producing node, or the leaf tensor itself
    tensor: Tensor | None  # the input tensor the gradient belongs to
    grad: np.ndarray


@dataclass
class BackwardStep:
    """One op visited by backward: the gradient it received and what it passed on."""

    step: int
    op: str
    node: Node
    output: Tensor | None
    grad_output: np.ndarray  # dL/d(output of this op)
    edges: list[GradEdge] = field(default_factory=list)


def backward_steps(loss: Tensor, grad: Tensor | None = None) -> list[BackwardStep]:
    """Run backward from `loss` through the engine, recording every step's gradients.

    The engine runs as for `autograd.grad`: no `.grad` is changed and the
    graph is retained, so it can still be backpropagated through afterwards.
    Call it before `loss.backward()` (or after `backward(retain_graph=True)`):
    a plain backward frees the values the replay needs.
    """
    loss._refresh_view()  # step through the graph backward would use
    if loss.grad_fn is None:
        raise RuntimeError("the tensor has no grad_fn: there is no recorded graph to step through")
    if grad is None:
        if loss.data.size != 1:
            raise RuntimeError(f"pass `grad=` for a non-scalar output of shape {loss.shape}")
        grad = Tensor._wrap(np.ones_like(loss.data))
    outputs = _producer_outputs(topological_order([loss.grad_fn]))
    outputs[loss.grad_fn] = loss
    steps: list[BackwardStep] = []

    def record(node: Node, g: Tensor, edges: list) -> None:
        step = BackwardStep(len(steps) + 1, _op_name(node), node, outputs.get(node), np.array(g.data))
        for i, parent, gi in edges:
            x = node.inputs[i]
            step.edges.append(GradEdge(i, parent, x if isinstance(x, Tensor) else None, np.array(gi.data)))
        steps.append(step)

    try:
        engine._run([(loss, grad)], retain_graph=True, create_graph=False, capture=[], observer=record)
    except RuntimeError as error:
        if "second time" not in str(error):
            raise
        raise RuntimeError(
            f"{error} To picture the backward pass, call backward_steps/draw_backward before "
            "loss.backward(), or call loss.backward(retain_graph=True)."
        ) from None
    return steps


def _dname(t: Tensor | None, fallback: str) -> str:
    return f"dL/d{t.name}" if t is not None and t.name else f"dL/d({fallback})"


def _edge_name(edge: GradEdge, step: BackwardStep) -> str:
    if isinstance(edge.target, Node):
        fallback = f"{_op_name(edge.target)} output"
    else:
        # a parameter is named by its module ("weight"), as in the graph drawing
        scope = getattr(step.node, "scope", None)
        fallback = (
            _param_name(edge.target, scope)
            if _is_parameter(edge.target)
            else f"input {edge.input_index} of {step.op}"
        )
    return _dname(edge.tensor, fallback)


def format_backward_table(steps: list[BackwardStep]) -> str:
    """A printable table: per step the gradient arriving at the op, then what it sends on."""
    rows = [("step", "op", "gradient", "shape", "values")]
    for s in steps:
        rows.append(
            (
                str(s.step),
                s.op,
                _dname(s.output, f"{s.op} output"),
                str(s.grad_output.shape),
                _summary(s.grad_output),
            )
        )
        for e in s.edges:
            rows.append(("", "", f"-> {_edge_name(e, s)}", str(e.grad.shape), _summary(e.grad)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4] for r in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return "\n".join(line.rstrip() for line in lines)


def print_backward_steps(loss: Tensor) -> None:
    """Print the table of `backward_steps(loss)`."""
    print(format_backward_table(backward_steps(loss)))


def draw_backward(loss: Tensor, rankdir: str = "BT", title: str | None = None) -> graphviz.Digraph:
    """Draw backprop: ops and leaves, edges numbered by step and labelled with gradients."""
    _check_rankdir(rankdir)
    steps = backward_steps(loss)
    dot = Drawing("backward", graph_attr={"rankdir": rankdir})
    _title(dot, title)
    dot.attr("node", style="filled", fontname="Helvetica", fontsize="11")
    dot.attr("edge", fontname="Helvetica", fontsize="9", color="firebrick", fontcolor="firebrick")
    ids = {id(s.node): f"op{s.step}" for s in steps}
    dot.node(
        "start",
        _tensor_label(loss, False, False, "loss"),
        shape="box",
        fillcolor="white",
        penwidth="3",
        color="red",
    )
    for s in steps:
        dot.node(ids[id(s.node)], f"{s.step}. {s.node.name()}", shape="ellipse", fillcolor="mistyrose")
    first, leaves = steps[0], set()
    dot.edge("start", ids[id(first.node)], label=f"0: {_dname(loss, 'loss')} = {_summary(first.grad_output)}")
    for s in steps:
        for e in s.edges:
            if isinstance(e.target, Node):
                target = ids.get(id(e.target))
            else:
                target = f"leaf{id(e.target)}"
                if target not in leaves:
                    leaves.add(target)
                    dot.node(
                        target,
                        _tensor_label(e.target, False, False),
                        shape="box",
                        fillcolor=COLORS[_kind(e.target)],
                    )
            if target is not None:
                label = f"{s.step}: {_edge_name(e, s)} = {_summary(e.grad)}".replace('"', "'")
                dot.edge(ids[id(s.node)], target, label=label)
    return dot


# ------------------------------------------------------------------ rendering
def render_graph(dot: graphviz.Digraph, path: str, format: str = "svg") -> str:
    """Render `dot` to `path` (svg, png or pdf) and return the written file's path."""
    if format not in ("svg", "png", "pdf"):
        raise ValueError(f"format must be 'svg', 'png' or 'pdf', got {format!r}")
    try:
        return dot.render(path, format=format, cleanup=True)
    except graphviz.ExecutableNotFound as error:  # a plain Digraph, not a Drawing
        raise _no_dot() from error
