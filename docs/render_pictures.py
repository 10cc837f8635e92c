"""Render the few pictures the documentation pages show, into docs/img/.

Run from the repository root after changing the drawing code:

    python docs/render_pictures.py

The SVG files are committed, so building the site does not need Graphviz.
The same drawings appear inline in the notebooks, made by the tutorial code.
"""

from __future__ import annotations

from pathlib import Path

import tinygrad_edu as tg
from tinygrad_edu import nn

IMG = Path(__file__).resolve().parent / "img"


def named(value: float, name: str, requires_grad: bool = True) -> tg.Tensor:
    t = tg.tensor(value, dtype=tg.float64, requires_grad=requires_grad)
    t.name = name
    return t


def neuron() -> tuple[tg.Tensor, tg.Tensor]:
    """The two-input sigmoid neuron of the backpropagation tutorial, and its loss."""
    x1, x2 = named(2.0, "x1", False), named(-1.0, "x2", False)
    w1, w2, b = named(0.5, "w1"), named(0.25, "w2"), named(0.1, "b")
    z = w1 * x1 + w2 * x2 + b
    z.name = "z"
    y = z.sigmoid()
    y.name = "y"
    loss = (y - 1.0) ** 2
    loss.name = "L"
    return y, loss


def mlp() -> tuple[nn.Module, tg.Tensor]:
    """A two-layer network and the sum of its outputs for a batch of five."""
    tg.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    return model, model(tg.randn(5, 3)).sum()


def main() -> list[str]:
    IMG.mkdir(exist_ok=True)
    y, loss = neuron()
    model, out = mlp()
    drawings = {
        "neuron": tg.viz.draw_graph(y, rankdir="LR"),
        "neuron_backward": tg.viz.draw_backward(loss),
        "mlp": tg.viz.draw_graph(out, model=model),  # parameters named "0.weight", as PyTorch does
    }
    return [tg.viz.render_graph(dot, str(IMG / name), format="svg") for name, dot in drawings.items()]


if __name__ == "__main__":
    for path in main():
        print("wrote", path)
