"""The backward pass replayed step by step: `backward_steps`, its table and its picture.

`backward_steps(loss)` runs the engine from `loss` without touching any
`.grad` and records, for every op in the order the engine visits it, the
gradient arriving at it and the gradient it sends to each input.

Numbering. Step 0 is the seed, dL/dL = 1 (the gradient backward starts
with); steps 1, 2, ... are the ops in the order backward runs them. The
table and `draw_backward` number alike: a row, or an edge label "3: ...",
with step k shows what step k sent.

Names. Every gradient is dL/d(something) with one name per tensor, the same
in the table, `draw_backward` and `draw_graph` (see `labels`): dL/dy for a
tensor named y (a name longer than three characters in parentheses:
dL/d(hidden)), dL/d(Mul 2 output) for the result of the graph's second Mul,
dL/d(input 1) or dL/d(0.weight) for a leaf, on every edge into it, so a leaf
used twice gets two edges with the same name. The tensor backward starts
from is named by the same rules: the seed of an unnamed `(a * b).sum()` is
dL/d(Sum output) = 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import graphviz
import numpy as np

from ..autograd import engine
from ..autograd.function import Node
from ..autograd.graph import topological_order
from ..autograd.hooks import NodeHooks
from ..autograd.outputs import OutputBackward
from ..tensor import Tensor
from .drawing import COLORS, new_drawing
from .labels import Names, escape, leaf_kind, op_name, qualified_names, summary, tensor_label
from .walk import producer_outputs


@dataclass
class GradEdge:
    """The gradient one backward step sends to one of its op's inputs."""

    input_index: int
    target: Node | Tensor  # the producing node, or the leaf tensor itself
    tensor: Tensor | None  # the input tensor the gradient belongs to
    grad: np.ndarray


@dataclass
class BackwardStep:
    """One op visited by backward: the gradient it received and what it passed on.

    For an op with several outputs (a custom Function whose forward returns a
    tuple, autograd/outputs.py), `grad_output` and `output` are tuples, one
    entry per output (None for an output backward did not come through).
    """

    step: int
    op: str
    node: Node
    output: Tensor | None | tuple[Tensor | None, ...]
    grad_output: np.ndarray | tuple[np.ndarray | None, ...]  # dL/d(output), after its hooks ran on it
    edges: list[GradEdge] = field(default_factory=list)
    # did a hook (register_hook) change what was sent into grad_output? (for several outputs: into any)
    hooked: bool = False
    parts: tuple[Node | None, ...] = ()  # several outputs: each one's grad_fn, an Output node
    parts_hooked: tuple[bool, ...] = ()  # several outputs: `hooked`, for each


def backward_steps(loss: Tensor, grad: Tensor | None = None) -> list[BackwardStep]:
    """Run backward from `loss` through the engine, recording every step's gradients.

    The steps are numbered from 1 in the order the engine runs them (step 0,
    the seed `grad`, is not a step of its own: it is `steps[0].grad_output`).
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
    nodes = topological_order([loss.grad_fn])
    outputs = producer_outputs(nodes)
    outputs[loss.grad_fn] = loss
    steps: list[BackwardStep] = []
    parts: dict[Node, dict[int, Node]] = {}  # op with several outputs -> the Output nodes backward ran

    def record(node: Node, g: Any, edges: list) -> None:
        if type(node) is OutputBackward:  # one output of an op with several: shown in the op's step
            parts.setdefault(node.op, {})[node.index] = node
            return
        if type(g) is tuple:  # (the op's several outputs' gradients)
            ran = parts.pop(node, {})
            part = tuple(ran.get(i) for i in range(len(g)))
            step = BackwardStep(
                len(steps) + 1,
                op_name(node),
                node,
                tuple(None if p is None else outputs.get(p) for p in part),
                tuple(None if p is None else np.array(gi.data) for p, gi in zip(part, g)),
                parts=part,
            )
            step.parts_hooked = tuple(p is not None and (_hooked(p) or _hooked(node)) for p in part)
            step.hooked = any(step.parts_hooked)
        else:
            step = BackwardStep(len(steps) + 1, op_name(node), node, outputs.get(node), np.array(g.data))
            step.hooked = _hooked(node)
        for i, parent, gi in edges:
            x = node.inputs[i]
            step.edges.append(GradEdge(i, parent, x if isinstance(x, Tensor) else None, np.array(gi.data)))
        steps.append(step)

    # retain_grad's hooks would write .grad: the replay runs without them
    keeps: dict[NodeHooks, list] = {}
    for node in nodes:
        if isinstance(node, Node) and node._hooks is not None and node._hooks.keeps:
            keeps[node._hooks], node._hooks.keeps = node._hooks.keeps, []
    try:
        engine._run([(loss, grad)], retain_graph=True, create_graph=False, capture=[], observer=record)
    except RuntimeError as error:
        if "second time" not in str(error):
            raise
        raise RuntimeError(
            f"{error} To picture the backward pass, call backward_steps/draw_backward before "
            "loss.backward(), or call loss.backward(retain_graph=True)."
        ) from None
    finally:
        for hooks, kept in keeps.items():
            hooks.keeps = kept
    return steps


def _hooked(node: Node) -> bool:
    """May a hook have changed the gradient `node` received (its output's hooks, or its pre-hooks)?"""
    return node._hooks is not None and bool(node._hooks.tensor or node._hooks.pre)


LABEL_PAD = "    "  # (see draw_backward's `label`)


class _StepNames:
    """The names the steps mention: `labels.Names` for the graph backward ran through."""

    def __init__(self, steps: list[BackwardStep], qualified: Mapping[int, str]) -> None:
        self.outputs: dict[Node, Tensor | None] = {}
        for s in steps:
            if s.parts:
                made = cast(tuple, s.output)
                self.outputs.update((p, t) for p, t in zip(s.parts, made) if p is not None)
            else:
                self.outputs[s.node] = cast("Tensor | None", s.output)
        loss = self.outputs.get(_arrivals(steps[0])[0][0]) if steps else None
        self.names = Names(loss, qualified)

    def of_output(self, node: Node) -> str:
        """The name of the tensor `node` produced."""
        return self.names.output(node, self.outputs.get(node))

    def of_target(self, edge: GradEdge) -> str:
        """The name of the tensor `edge` sends a gradient to."""
        if isinstance(edge.target, Node):
            return self.of_output(edge.target)
        return self.names.leaf(edge.target, leaf_kind(edge.target, edge.target))  # (it requires grad)


def _arrivals(step: BackwardStep) -> list[tuple[Node, np.ndarray, bool]]:
    """What arrived at the step's op: (the node whose output it is the gradient of, the gradient,
    changed by hooks?), one per output that backward came through (several, for an op with several
    outputs, each the output of an Output node). The first step's first is the seed."""
    if not step.parts:
        return [(step.node, cast(np.ndarray, step.grad_output), step.hooked)]
    parts = zip(step.parts, cast(tuple, step.grad_output), step.parts_hooked)
    return [(p, g, hooked) for p, g, hooked in parts if p is not None]


def _d(name: str) -> str:
    """dL/dw for a short name such as w or x1, dL/d(name) for longer ones."""
    return f"dL/d{name}" if name.isidentifier() and len(name) <= 3 else f"dL/d({name})"


def format_backward_table(
    steps: list[BackwardStep], model: Any = None, params: Mapping[str, Tensor] | None = None
) -> str:
    """A printable table: the seed (step 0), then per step the gradient arriving at the op
    and, on the rows marked "->", the gradients it sends to its inputs.

    model, params: name parameters as `model.named_parameters()` (or the dict
    `params`) does, "0.weight"; see `labels`.
    """
    return _table(steps, qualified_names(model, params))


def _table(steps: list[BackwardStep], qualified: Mapping[int, str]) -> str:
    """`format_backward_table` with the parameters' names already worked out."""
    names = _StepNames(steps, qualified)
    rows = [("step", "op", "gradient", "shape", "values")]
    if steps:
        loss, seed, _ = _arrivals(steps[0])[0]
        rows.append(("0", "seed", f"-> {_d(names.of_output(loss))}", str(seed.shape), summary(seed)))
    for s in steps:
        for k, (made, grad, hooked) in enumerate(_arrivals(s)):
            received = _d(names.of_output(made)) + (" after hooks" if hooked else "")
            rows.append(
                (
                    str(s.step) if k == 0 else "",
                    s.op if k == 0 else "",
                    received,
                    str(grad.shape),
                    summary(grad),
                )
            )
        for e in s.edges:
            rows.append(("", "", f"-> {_d(names.of_target(e))}", str(e.grad.shape), summary(e.grad)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4] for r in rows]
    lines.insert(1, "-" * max(len(line) for line in lines))
    return "\n".join(line.rstrip() for line in lines)


def print_backward_steps(
    loss: Tensor, grad: Tensor | None = None, model: Any = None, params: Mapping[str, Tensor] | None = None
) -> None:
    """Print the table of `backward_steps(loss, grad)`, parameters named after `model` or `params`."""
    qualified = qualified_names(model, params)  # (a wrong argument fails before backward runs)
    print(_table(backward_steps(loss, grad), qualified))


def draw_backward(
    loss: Tensor,
    rankdir: str = "BT",
    title: str | None = None,
    grad: Tensor | None = None,
    show_values: bool = True,
    model: Any = None,
    params: Mapping[str, Tensor] | None = None,
) -> graphviz.Digraph:
    """Draw backprop: ops and leaves, edges numbered by step and labelled with gradients.

    The edge from the loss is step 0, the seed: 1 (or `grad`, for a loss
    that is not a scalar), labelled with the loss's name (dL/d(Sum output)
    for an unnamed sum); an edge "k: dL/d(name) = ..." is the gradient
    step k sends. Names and numbers are those of `format_backward_table`.
    show_values: write each gradient's values on its edge (False: only
    "k: dL/d(name)", for graphs whose tensors are too big to read).
    model, params: name parameters as `model.named_parameters()` (or the dict
    `params`) does, "0.weight", as `draw_graph` and the table do.
    """
    dot = new_drawing("backward", rankdir, title)
    qualified = qualified_names(model, params)  # (a wrong argument fails before backward runs)
    steps = backward_steps(loss, grad)
    names = _StepNames(steps, qualified)
    dot.attr("edge", fontsize="9", color="firebrick", fontcolor="firebrick")
    ids = {s.node: f"op{s.step}" for s in steps}
    first = steps[0]
    loss_node, seed, _ = _arrivals(first)[0]
    loss_name = names.of_output(loss_node)
    dot.node(
        "start", tensor_label(loss, loss_name), shape="box", fillcolor="white", penwidth="3", color="red"
    )
    for s in steps:
        # (one line per output of an op with several: which gradient the hooks changed)
        several = len(s.parts) > 1
        hooked = "".join(
            f"\\n{f'the gradient of {names.of_output(made)}' if several else 'its gradient'} after hooks: "
            + summary(g)
            for made, g, changed in _arrivals(s)
            if changed
        )
        dot.node(ids[s.node], f"{s.step}. {s.node.name()}{hooked}", shape="ellipse", fillcolor="mistyrose")

    def label(step: int, name: str, grad: np.ndarray) -> str:
        value = f" = {summary(grad)}" if show_values else ""
        # Graphviz sets a label to the right of its edge; the trailing spaces keep it from
        # running into the next edge's label, where two read as one line.
        return escape(f"{step}: {_d(name)}{value}") + LABEL_PAD

    dot.edge("start", ids[first.node], label=label(0, loss_name, seed))
    leaves: dict[int, str] = {}  # id of a leaf -> its node's name, numbered as met: the same every run
    for s in steps:
        for e in s.edges:
            if isinstance(e.target, Node):
                # (an output of an op with several: the edge goes to the op)
                target = ids.get(e.target.op if isinstance(e.target, OutputBackward) else e.target)
            elif id(e.target) in leaves:
                target = leaves[id(e.target)]
            else:
                target = leaves[id(e.target)] = f"leaf{len(leaves)}"
                color = COLORS[leaf_kind(e.target, e.target)]
                dot.node(target, tensor_label(e.target, names.of_target(e)), shape="box", fillcolor=color)
            if target is not None:
                dot.edge(ids[s.node], target, label=label(s.step, names.of_target(e), e.grad))
    return dot
