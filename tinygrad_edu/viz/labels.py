"""The words in the pictures and tables: tensor summaries and the names of tensors.

Every tensor a picture or table shows gets one name, the same in
`draw_graph`, `draw_backward` and the backward table:

- its `.name` when it has one (`w.name = "w"`);
- a parameter (or buffer) of the model passed as `model=` (or in a
  `params=` dict, as torchviz's ``make_dot`` takes): its qualified name
  there, "0.weight", as ``model.named_parameters()`` gives it;
- any other parameter: its qualified name in the outermost module whose
  `forward` recorded an op of the graph ("layer.weight", or "weight" for
  a layer called on its own), numbered in recording order ("weight 1",
  "weight 2") when several parameters share it;
- any other leaf: "input 1", "input 2", ... (it requires grad) or
  "constant 1", ... (it does not), numbered in the order the ops that use
  them were recorded, so `x * w` makes x "input 1" and w "input 2";
- the result of an op: "Mul output", numbered in recording order
  ("Mul 1 output", "Mul 2 output") when several Muls of the graph made
  unnamed tensors; "SinCos output 1" for the second of the outputs of
  an op with several (a custom Function whose forward returns a tuple).
  The tensor a drawing or backward starts from is no exception: an
  unnamed loss `(a * b).sum()` is "Sum output".

`Names` works these out once for a whole graph, and every picture and table
asks it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..autograd.function import Function, Node
from ..autograd.graph import topological_order
from ..autograd.outputs import OutputBackward
from ..printing import format_body
from ..tensor import Tensor
from .walk import look_through, producer_outputs

# what an unnamed leaf is called, before its number, by kind
DEFAULT_LEAF_NAMES = {"param": "parameter", "input": "input", "const": "constant"}
ALWAYS_NUMBERED = ("input", "constant")  # a name that says nothing alone


def summary(array: np.ndarray) -> str:
    """Up to 16 values as tensors print them, on one line; more as min/mean/max.

    The numbers are formatted as in ``repr(tensor)`` (PyTorch's choice of
    digits, `tg.set_printoptions` included), but without the spaces that line
    up columns: on one line they only push the numbers apart.
    """
    a = np.asarray(array)
    if a.size == 0:
        return "[]"
    if a.size <= 16:
        one_line = re.sub(r"\s+", " ", format_body(a, indent=0))
        return one_line.replace("[ ", "[")
    if a.dtype.kind not in "fiub":
        return f"<{a.size} values>"
    return f"min={a.min():.4g} mean={a.mean():.4g} max={a.max():.4g}"


def escape(text: str) -> str:
    """`text` for a DOT label: backslashes kept literal, double quotes made single."""
    return text.replace("\\", "\\\\").replace('"', "'")


def is_parameter(t: Tensor) -> bool:
    return any(cls.__name__ == "Parameter" for cls in type(t).__mro__)


def kind(t: Tensor) -> str:
    """What `t` is now: "tensor" (made by an op), "param", "input" (a leaf that requires grad) or "const"."""
    if t.grad_fn is not None:
        return "tensor"
    if is_parameter(t):
        return "param"
    return "input" if t.requires_grad else "const"


def leaf_kind(t: Tensor, parent: Any) -> str:
    """What leaf `t` was when an op used it: `parent` is `t` itself if it required grad, else None."""
    if parent is None:
        return "const"
    return "param" if is_parameter(t) else "input"


def op_name(node: Node) -> str:
    return getattr(type(node), "function", type(node)).__name__


def module_label(module: Any) -> str:
    name = type(module).__name__
    if hasattr(module, "in_features") and hasattr(module, "out_features"):
        return f"{name}({module.in_features} -> {module.out_features})"
    return name


def qualified_names(model: Any = None, params: Mapping[str, Tensor] | None = None) -> dict[int, str]:
    """id(tensor) -> its name in `model` ("0.weight", parameters and buffers) or in `params`."""
    if model is not None and params is not None:
        raise ValueError("pass model= or params=, not both")
    if model is not None:
        if not callable(getattr(model, "named_parameters", None)):
            raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
        named_buffers = getattr(model, "named_buffers", None)
        pairs = [*model.named_parameters(), *(named_buffers() if callable(named_buffers) else ())]
    elif params is not None:
        if not isinstance(params, Mapping):
            raise TypeError(
                "params must be a dict of name -> tensor, such as dict(model.named_parameters()), "
                f"got {type(params).__name__}"
            )
        pairs = list(params.items())
    else:
        return {}
    names: dict[int, str] = {}
    for name, t in pairs:
        if not isinstance(t, Tensor):
            raise TypeError(f"params[{name!r}] must be a Tensor, got {type(t).__name__}")
        names.setdefault(id(t), str(name))  # (a tensor listed twice keeps its first name)
    return names


class Names:
    """The one name of every tensor of the graph that made `root` (see the module docstring).

    qualified: id(tensor) -> name, from `qualified_names(model, params)`.
    """

    def __init__(self, root: Tensor | None, qualified: Mapping[int, str] | None = None) -> None:
        made: dict[Node, Tensor] = {}
        nodes: list[Node] = []
        if root is not None and root.grad_fn is not None:
            nodes = sorted(topological_order([root.grad_fn]), key=lambda n: n.seq)
            made = producer_outputs(nodes)
            made[root.grad_fn] = root
        self.leaves = _leaf_names(nodes, {**_scope_names(nodes), **(qualified or {})})
        unnamed = [
            n
            for n in nodes
            if not _hands_on(n) and type(n) is not OutputBackward and not getattr(made.get(n), "name", None)
        ]
        self.outputs = _numbered({node: op_name(node) for node in unnamed}, ())

    def leaf(self, t: Tensor, kind: str) -> str:
        """The name of leaf `t`, used as `kind` ("param", "input" or "const")."""
        return t.name or self.leaves.get((id(t), kind)) or DEFAULT_LEAF_NAMES[kind]

    def output(self, node: Node, t: Tensor | None) -> str:
        """The name of `t`, the tensor `node` produced (None: no longer known)."""
        if t is not None and t.name:
            return t.name
        if isinstance(node, OutputBackward):  # one of several outputs of an op: "SinCos output 1"
            return f"{self.outputs.get(node.op, op_name(node.op))} output {node.index}"
        if _hands_on(node):  # its output is the tensor it hands on, as draw_graph shows it
            x, parent = look_through(t, node)
            return self.output(parent, x) if isinstance(parent, Node) else self.leaf(x, leaf_kind(x, parent))
        return f"{self.outputs.get(node, op_name(node))} output"


def _hands_on(node: Node) -> bool:
    """Whether `node` is an op that hands a tensor on unchanged, which drawings look through
    (a module's backward-hook Tap; its Join makes a token of its own)."""
    return not node.function.drawn and node.function.passed_on is not Function.passed_on


def _scope_names(nodes: list[Node]) -> dict[int, str]:
    """id(parameter) -> its qualified name in the outermost module that recorded an op of the graph.

    The outermost module holding a parameter gives it the longest name: "layer.weight", not "weight".
    (A module's backward-hook nodes, which no drawing shows, do not make it one of these modules.)
    """
    names: dict[int, str] = {}
    for scope in dict.fromkeys(n.scope for n in nodes if n.scope is not None and n.function.drawn):
        named = getattr(scope, "named_parameters", None)
        for name, p in named() if callable(named) else ():
            if len(name) > len(names.get(id(p), "")):
                names[id(p)] = name
    return names


def _leaf_names(nodes: list[Node], qualified: Mapping[int, str]) -> dict[tuple[int, str], str]:
    """The name of every unnamed leaf the nodes use, keyed by (id(tensor), leaf_kind)."""
    found: dict[tuple[int, str], str] = {}  # key -> unnumbered name, in recording order
    for node in nodes:
        for x, parent in zip(node.inputs, node.parents):
            if isinstance(parent, Node) or not isinstance(x, Tensor) or x.name:
                continue  # made by an op, a plain Python argument, or named by the user
            key = (id(x), leaf_kind(x, parent))
            if key not in found:
                found[key] = qualified.get(id(x)) or DEFAULT_LEAF_NAMES[key[1]]
    return _numbered(found, ALWAYS_NUMBERED)


def _numbered(bases: dict[Any, str], always: tuple[str, ...]) -> dict[Any, str]:
    """Each key's base name, numbered in order ("Mul 1", "Mul 2") where several keys share it
    or it is one of `always`."""
    uses: dict[str, int] = {}
    for base in bases.values():
        uses[base] = uses.get(base, 0) + 1
    counts = dict.fromkeys(uses, 0)
    names = {}
    for key, base in bases.items():
        counts[base] += 1
        names[key] = f"{base} {counts[base]}" if uses[base] > 1 or base in always else base
    return names


def tensor_label(
    t: Tensor, title: str, show_values: bool = False, show_grads: bool = False, stale: bool = False
) -> str:
    """`title`, shape and dtype of `t`, and on request its values and gradient.

    stale: `t` was changed in place since the graph used it, so its values
    and gradient now are not the ones the graph saw, and are not shown.
    """
    lines = [title, f"shape {tuple(t.shape)}  {t.dtype}"]
    if stale:
        lines.append("(changed in place since)")
    elif show_values:
        lines.append(f"value {summary(t.data)}")
    if show_grads and not stale and t._grad is not None:  # not .grad, which warns about every non-leaf
        lines.append(f"grad {summary(t._grad.data)}")
    return "\\n".join(escape(line) for line in lines)
