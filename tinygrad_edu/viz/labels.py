"""The words in the pictures and tables: tensor summaries and the names of tensors.

Every tensor a picture or table shows gets one name, the same everywhere:

- its `.name` when it has one (`w.name = "w"`);
- a parameter of a module: its attribute name in the module ("weight"),
  numbered in recording order ("weight 1", "weight 2") when several share it;
- any other leaf: "input 1", "input 2", ... (it requires grad) or
  "constant 1", ... (it does not), numbered in the order the ops that use
  them were recorded, so `x * w` makes x "input 1" and w "input 2".

`leaf_names` gives these names for a whole graph; `draw_graph`,
`draw_backward` and the backward table all use it, so a leaf is called the
same in each of them and on every edge into it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Node
from ..autograd.graph import topological_order
from ..tensor import Tensor

# what an unnamed leaf is called, before its number, by kind
DEFAULT_LEAF_NAMES = {"param": "parameter", "input": "input", "const": "constant"}


def summary(array: np.ndarray) -> str:
    """Small arrays in full, larger ones as min/mean/max."""
    a = np.asarray(array)
    if a.size <= 16:
        return np.array2string(a, precision=4, separator=", ").replace("\n", "")
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


def param_name(t: Tensor, module: Any) -> str:
    """The attribute name of parameter `t` in `module` ("weight"), else "parameter"."""
    named = getattr(module, "named_parameters", None)
    for name, p in named() if callable(named) else ():
        if p is t:
            return name
    return "parameter"


def module_label(module: Any) -> str:
    name = type(module).__name__
    if hasattr(module, "in_features") and hasattr(module, "out_features"):
        return f"{name}({module.in_features} -> {module.out_features})"
    return name


def leaf_names(root: Node | None) -> dict[tuple[int, str], str]:
    """The name of every leaf of the graph ending at `root`, keyed by (id(tensor), leaf_kind).

    A leaf with a `.name` keeps it. The others are numbered in the order of
    the ops that first use them (their recording numbers), inputs and
    constants apart; a parameter's attribute name is numbered only when
    another unnamed parameter of the graph shares it.
    """
    if root is None:
        return {}
    found: dict[tuple[int, str], tuple[Tensor, str]] = {}  # key -> (leaf, unnumbered name)
    for node in sorted(topological_order([root]), key=lambda n: n.seq):
        for x, parent in zip(node.inputs, node.parents):
            if isinstance(parent, Node) or not isinstance(x, Tensor):
                continue  # made by an op, or a plain Python argument
            key = (id(x), leaf_kind(x, parent))
            if key not in found:
                base = param_name(x, node.scope) if key[1] == "param" else DEFAULT_LEAF_NAMES[key[1]]
                found[key] = (x, base)
    names = {key: x.name for key, (x, _) in found.items() if x.name}
    unnamed = [(key, base) for key, (x, base) in found.items() if not x.name]
    uses: dict[str, int] = {}
    for _, base in unnamed:
        uses[base] = uses.get(base, 0) + 1
    counts = dict.fromkeys(uses, 0)
    for key, base in unnamed:
        counts[base] += 1
        numbered = key[1] != "param" or uses[base] > 1
        names[key] = f"{base} {counts[base]}" if numbered else base
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
