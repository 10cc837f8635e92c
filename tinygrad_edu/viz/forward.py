"""`draw_graph`: the picture of what produced a tensor, data flowing from inputs to result.

One node per op (Mul, MatMul, Sum...) and one per tensor: its name (see
`labels`), shape, dtype, and on request its values and gradient. Data flows
along the edges: input tensor -> op -> output tensor. Parameters, inputs
that require grad and constants are coloured apart, and the ops recorded
inside a module's `forward` are grouped in a labelled cluster
("Linear(64 -> 32)"), nested as the modules are.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral
from typing import Any

import graphviz

from ..autograd.function import Node
from ..autograd.graph import topological_order
from ..autograd.outputs import OutputBackward
from ..tensor import Tensor
from .drawing import COLORS, new_drawing
from .labels import Names, is_parameter, leaf_kind, module_label, op_name, qualified_names, tensor_label
from .walk import drawn_inputs, look_through, producer_outputs, saved_then_changed

# an edge into an op that saved its tensor, which was changed in place since
_SAVED_THEN_CHANGED = {"color": "red", "fontcolor": "red", "label": "saved, then changed"}


def draw_graph(
    tensor: Tensor,
    show_values: bool = False,
    show_grads: bool = False,
    rankdir: str = "TB",
    max_depth: int | None = None,
    title: str | None = None,
    model: Any = None,
    params: Mapping[str, Tensor] | None = None,
) -> graphviz.Digraph:
    """Draw the graph that produced `tensor`, data flowing from inputs to the result.

    Tensors are named as in `draw_backward` and the backward table: their
    `.name`, else "input 1", "constant 1", "weight", "Mul 2 output"... (see
    `labels`); with `model` (or torchviz's `params` dict,
    ``dict(model.named_parameters())``) parameters are named "0.weight".
    max_depth: draw only the ops at most that many steps from the root (the op
    that produced `tensor` is step 1); what lies beyond is shown as a "…" node.
    """
    dot = new_drawing("graph", rankdir, title)
    if not isinstance(tensor, Tensor):
        raise TypeError(
            f"draw_graph expects one Tensor (draw each output on its own), got {type(tensor).__name__}"
        )
    if max_depth is not None and (not isinstance(max_depth, Integral) or isinstance(max_depth, bool)):
        raise TypeError(f"max_depth must be an int or None, got {type(max_depth).__name__}")
    if max_depth is not None and max_depth < 0:
        raise ValueError(f"max_depth must be >= 0, got {max_depth}")

    qualified = qualified_names(model, params)
    tensor._refresh_view()  # draw the graph backward would use
    names = Names(tensor, qualified)  # (from the same root as draw_backward, hooks and all)
    _, root = look_through(tensor, tensor.grad_fn)  # (a module with backward hooks may have made it)
    nodes = [n for n in topological_order([root]) if n.function.drawn] if root is not None else []
    inputs = {node: drawn_inputs(node) for node in nodes}
    depth: dict[Node, int] = {root: 1} if root is not None else {}
    for node in nodes:  # consumers come first, so each depth is final when reached
        # (one output of an op with several is a step from its consumer; its op, none further)
        step = 0 if type(node) is OutputBackward else 1
        for _, parent in inputs[node]:
            if isinstance(parent, Node):
                depth[parent] = min(depth.get(parent, 1 << 30), depth[node] + step)
    for node in nodes:  # an op's outputs are drawn with it: each is as near as the op
        if isinstance(node, OutputBackward):
            depth[node] = min(depth[node], depth[node.op])
    drawn = [n for n in nodes if max_depth is None or depth[n] <= max_depth]
    outputs = producer_outputs(drawn, inputs.__getitem__)
    if root is not None:
        outputs[root] = tensor

    ids: dict[Any, str] = {}
    statements: dict[Any, list[tuple[str, str, dict[str, str]]]] = {None: []}  # scope -> nodes
    edges: list[tuple[str, str] | tuple[str, str, dict[str, str]]] = []

    def add(key: Any, prefix: str, label: str, scope: Any = None, **attrs: str) -> str:
        if key not in ids:
            ids[key] = f"{prefix}{len(ids)}"
            statements.setdefault(scope, []).append((ids[key], label, attrs))
        return ids[key]

    def tensor_node(t: Tensor | None, parent: Any, scope: Any = None, user: Node | None = None) -> str:
        """The node of `t` as the graph used it: made by `parent` (a Node), or a leaf
        (`parent` is `t` itself for one that requires grad, None for a constant) that op `user` took."""
        key: tuple[object, ...]
        if isinstance(parent, Node):
            key, kind = ("out", parent), "tensor"
            # t is a later version of that output if an in-place op has made it since
            made_by = None if t is None else look_through(t, t.grad_fn)[1]
            stale = t is not None and (made_by is not parent or t._changed_since_graph())
            name = names.output(parent, t)
        else:
            assert t is not None  # (a leaf is always drawn from its tensor)
            kind = leaf_kind(t, parent)
            # an op made it since, or changed the values `user` saved: the graph used older ones
            stale = t.grad_fn is not None or (user is not None and saved_then_changed(user, t))
            key = ("leaf", id(t), kind, stale)
            name = names.leaf(t, kind)
        attrs = {"shape": "box", "fillcolor": COLORS[kind]}
        if t is tensor and parent is root_parent:  # (not an older version of it)
            attrs.update(penwidth="3", color="red")
        if t is None:  # the output of an op whose tensor is no longer an input anywhere
            return add(key, "t", name, scope, **attrs)
        return add(key, "t", tensor_label(t, name, show_values, show_grads, stale), scope, **attrs)

    def cut(target: str) -> None:
        if ("cut", target) not in ids:  # one "…" per cut tensor, however many ops use it
            edges.append((add(("cut", target), "cut", "…", shape="plaintext", style=""), target))

    root_parent = root if root is not None else tensor if tensor.requires_grad else None
    root_id = tensor_node(tensor, root_parent, getattr(root, "scope", None))
    if root is not None and root not in drawn:
        cut(root_id)
    param_scopes: dict[int, set[Any]] = {}
    for node in drawn:
        for x, _ in inputs[node]:
            if isinstance(x, Tensor) and is_parameter(x) and x.grad_fn is None:
                param_scopes.setdefault(id(x), set()).add(node.scope)

    def op_node(node: Node) -> str:
        return add(node, "op", op_name(node), node.scope, shape="ellipse", fillcolor="lightyellow")

    for node in drawn:
        if isinstance(node, OutputBackward):  # one of an op's several outputs: an edge from the op
            op, label = node.op, f"output {node.index}"
            edges.append((op_node(op), tensor_node(outputs.get(node), node, op.scope), {"label": label}))
            continue
        op_id = op_node(node)
        if "_output_specs" not in node.__dict__:  # (an op with several outputs has no one output)
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
                t_id = tensor_node(x, parent, next(iter(scopes)) if len(scopes) == 1 else None, node)
            else:
                continue  # plain Python arguments (exponents, dims) are not drawn
            if isinstance(parent, Node) and saved_then_changed(node, x):
                # the op saved this tensor, which an in-place op has changed since: backward
                # through the op would fail (a leaf gets a box of its own for that, above)
                edges.append((t_id, op_id, _SAVED_THEN_CHANGED))
            else:
                edges.append((t_id, op_id))

    def emit(graph: graphviz.Digraph, scope: Any) -> None:
        for node_id, label, attrs in statements.get(scope, []):
            graph.node(node_id, label, **attrs)

    emit(dot, None)
    _add_clusters(dot, [s for s in statements if s is not None], emit)
    for tail, head, *attrs in edges:  # (x * x draws two edges from x into the Mul: it has two inputs)
        dot.edge(tail, head, **(attrs[0] if attrs else {}))
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
        # numbered, not named by id(): the same model draws the same DOT text every time
        cluster = graphviz.Digraph(name=f"cluster_{scopes.index(scope)}")
        cluster.attr(label=module_label(scope), style="rounded,dashed", color="grey40")
        emit(cluster, scope)
        for s in scopes:
            if parent_of.get(id(s)) is scope:
                cluster.subgraph(build(s))
        return cluster

    for s in scopes:
        if id(s) not in parent_of:
            dot.subgraph(build(s))
