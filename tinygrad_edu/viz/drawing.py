"""The drawing object every `tg.viz` function returns, and its rendering.

A `Drawing` is a `graphviz.Digraph`: it shows itself inline in Jupyter and
saves with `render_graph(drawing, "graph.svg")`. Rendering needs the Graphviz `dot`
program; when it is missing, rendering says how to install it, and the DOT
text is always available as `.source`.
"""

from __future__ import annotations

import os
from typing import Any

import graphviz

from .labels import escape

INSTALL_HINT = (
    "install Graphviz: apt-get install graphviz / brew install graphviz / "
    "conda install graphviz; the DOT source is available as .source"
)

FONT = "Helvetica"

# fill colour of a tensor node, by what the tensor is (see `labels.kind`)
COLORS = {"param": "lightgreen", "input": "lightblue", "const": "lightgrey", "tensor": "white"}


class Drawing(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering says how to install Graphviz when `dot` is missing."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise no_dot_error() from error

    def pipe(self, *args: Any, **kwargs: Any) -> Any:  # what Jupyter's inline display calls
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise no_dot_error() from error


def no_dot_error() -> RuntimeError:
    return RuntimeError(f"cannot render the graph: the Graphviz 'dot' program was not found; {INSTALL_HINT}")


def new_drawing(name: str, rankdir: str, title: str | None) -> Drawing:
    """An empty drawing laid out along `rankdir`, captioned with `title` (None or "" for none)."""
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"rankdir must be 'TB' or 'LR' (or 'BT'/'RL'), got {rankdir!r}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string or None, got {type(title).__name__}")
    # One font for everything: the graph's own (the title, the clusters' labels) is
    # Graphviz's serif Times unless set, beside the nodes' and edges' Helvetica.
    dot = Drawing(name, graph_attr={"rankdir": rankdir, "fontname": FONT})
    if title:
        # nohtml: a title such as "<x>" is text, not one of Graphviz's HTML labels
        dot.attr(label=graphviz.nohtml(escape(title)), labelloc="t", fontsize="16")
    dot.attr("node", style="filled", fontname=FONT, fontsize="11")
    dot.attr("edge", fontname=FONT)
    return dot


def render_graph(dot: graphviz.Digraph, path: str, format: str | None = None) -> str:
    """Render `dot` to a file and return its path.

    The suffix of `path` picks the format ("graph.png" writes a PNG); a path
    without .svg, .png or .pdf gets `format`'s suffix added (svg if not given).
    """
    stem, suffix = os.path.splitext(path)
    if suffix.lower() in (".svg", ".png", ".pdf"):
        if format is not None and format != suffix[1:].lower():
            raise ValueError(f"the path {path!r} asks for {suffix[1:]}, but format={format!r}")
        path, format = stem, suffix[1:].lower()  # (graphviz adds the suffix itself)
    elif suffix[1:].lower() in graphviz.FORMATS:
        raise ValueError(f"render_graph writes svg, png or pdf, but the path {path!r} asks for {suffix[1:]}")
    format = format or "svg"
    if format not in ("svg", "png", "pdf"):
        raise ValueError(f"format must be 'svg', 'png' or 'pdf', got {format!r}")
    try:
        return dot.render(path, format=format, cleanup=True)
    except graphviz.ExecutableNotFound as error:  # a plain Digraph, not a Drawing
        raise no_dot_error() from error
