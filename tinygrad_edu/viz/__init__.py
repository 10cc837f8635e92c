"""Pictures of the recorded graph and of backpropagation through it.

`draw_graph(t)` draws what produced `t`: one node per op (Mul, MatMul, Sum...)
and one per tensor (its name, shape, dtype, and on request its values and
gradient). Data flows along the edges: input tensor -> op -> output tensor.
Parameters, inputs that require grad and constants are coloured apart, and
the ops recorded inside a module's `forward` are grouped in a labelled
cluster ("Linear(64 -> 32)").

`backward_steps(loss)` replays backward without touching any `.grad`: the
order in which the engine visits the ops and the gradient sent along every
edge. `format_backward_table` prints it, `draw_backward` draws it with the
edges numbered by step (step 0 is the seed dL/dL = 1), so the chain rule can
be checked number by number.

Every tensor has one name in all of them: its `.name` if it has one, else
"input 1", "constant 1", "weight" (a module's parameter; "0.weight" when
the model is passed as `model=`, or torchviz's `params=` dict) for leaves
and "Mul output" ("Mul 2 output" when several Muls made unnamed tensors)
for the result of an op; see `labels`. Values print as tensors print, on
one line.

Every drawing is a `graphviz.Digraph` (a `Drawing`): it shows itself inline
in Jupyter and saves with `render_graph(drawing, "graph.svg")`. Rendering needs the
Graphviz `dot` program; when it is missing, rendering says how to install it,
and the DOT text is always available as `.source`.

Modules: `forward` (draw_graph), `backward` (the replay, its table and
drawing), `labels` (names and number summaries), `walk` (reading the
recorded graph), `drawing` (the Drawing class and rendering).
"""

from .backward import (
    BackwardStep,
    GradEdge,
    backward_steps,
    draw_backward,
    format_backward_table,
    print_backward_steps,
)
from .drawing import Drawing, render_graph
from .forward import draw_graph

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
