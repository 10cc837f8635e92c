"""Back-propagation by hand for one 2-input sigmoid neuron, checked against autograd.

The neuron and its loss on N examples (x1, x2, y):

    z    = w1*x1 + w2*x2 + b
    yhat = sigmoid(z)
    L    = (1/N) * sum((yhat - y)^2)              (mean squared error)

L depends on w1 only through z and yhat, so the chain rule multiplies the
local derivatives along that path:

    dL/dw1 = dL/dyhat * dyhat/dz * dz/dw1
           = (2/N)(yhat - y) * yhat(1 - yhat) * x1      summed over the examples

and likewise dL/dw2 (last factor x2) and dL/db (last factor 1). The first two
factors are shared: that shared part is the "error signal" at z, computed once
and reused for every parameter. This is exactly what loss.backward() does,
one recorded op at a time, from the loss back to the leaves.

The script computes the three gradients both ways in float64, prints them side
by side, checks they agree to 1e-12, prints the framework's backward steps as
a table and draws them (backward_steps.svg in --out; needs Graphviz's dot).

Run:  python examples/backprop_by_hand.py           (instant)
      python examples/backprop_by_hand.py --smoke
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tinygrad_edu as tg


def by_hand(x: np.ndarray, y: np.ndarray, w1: float, w2: float, b: float) -> dict[str, float]:
    """The chain rule written out with NumPy, one factor per line."""
    n = len(y)
    z = w1 * x[:, 0] + w2 * x[:, 1] + b
    yhat = 1.0 / (1.0 + np.exp(-z))
    dL_dyhat = 2.0 * (yhat - y) / n
    dyhat_dz = yhat * (1.0 - yhat)
    dL_dz = dL_dyhat * dyhat_dz  # the shared error signal, one number per example
    return {
        "loss": float(np.mean((yhat - y) ** 2)),
        "w1": float(np.sum(dL_dz * x[:, 0])),  # dz/dw1 = x1
        "w2": float(np.sum(dL_dz * x[:, 1])),  # dz/dw2 = x2
        "b": float(np.sum(dL_dz * 1.0)),  # dz/db  = 1
    }


def with_autograd(x: np.ndarray, y: np.ndarray, w1: float, w2: float, b: float):
    params = {
        name: tg.tensor(np.float64(v), requires_grad=True) for name, v in (("w1", w1), ("w2", w2), ("b", b))
    }
    for name, p in params.items():
        p.name = name  # names show up in the backward table and drawing
    x1, x2, target = tg.tensor(x[:, 0]), tg.tensor(x[:, 1]), tg.tensor(y)
    x1.name, x2.name, target.name = "x1", "x2", "y"
    z = params["w1"] * x1 + params["w2"] * x2 + params["b"]
    z.name = "z"
    yhat = z.sigmoid()
    yhat.name = "yhat"
    loss = ((yhat - target) ** 2).mean()
    loss.name = "L"
    return loss, params


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description="Chain-rule gradients of a sigmoid neuron, by hand and by autograd."
    )
    parser.add_argument("--samples", type=int, default=4, help="number of training examples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("out/backprop_by_hand"), help="folder for the SVG")
    parser.add_argument("--smoke", action="store_true", help="same as a normal run (it is instant)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    rng = np.random.default_rng(args.seed)
    x = rng.normal(size=(args.samples, 2))
    y = (x[:, 0] + x[:, 1] > 0).astype(np.float64)
    w1, w2, b = rng.normal(size=3)
    print(f"{args.samples} examples (x1, x2 -> y); starting at w1 = {w1:.4f}, w2 = {w2:.4f}, b = {b:.4f}\n")

    hand = by_hand(x, y, w1, w2, b)
    loss, params = with_autograd(x, y, w1, w2, b)
    steps = tg.viz.backward_steps(loss)  # replays backward without touching .grad
    loss.backward(retain_graph=True)

    print(f"loss: by hand {hand['loss']:.15f}, framework {loss.item():.15f}\n")
    print(f"{'gradient':9s} {'by hand (chain rule)':>24s} {'framework (.grad)':>24s} {'difference':>12s}")
    differences = {}
    for name, p in params.items():
        auto = p.grad.item()
        differences[name] = abs(hand[name] - auto)
        print(f"dL/d{name:5s} {hand[name]:24.16f} {auto:24.16f} {differences[name]:12.1e}")
    max_difference = max(differences.values())
    assert max_difference < 1e-12, f"hand and framework gradients differ by {max_difference}"
    print(f"\nlargest difference {max_difference:.1e} < 1e-12: the chain rule by hand is what backward does.")

    print("\nThe framework's backward, step by step (gradient arriving at each op, then what it sends on):")
    print(tg.viz.format_backward_table(steps))

    svg = None
    drawing = tg.viz.draw_backward(loss, title="Backward through a 2-input sigmoid neuron with MSE loss")
    try:
        svg = tg.viz.render_graph(drawing, str(args.out / "backward_steps"), format="svg")
        print(f"\nbackward steps drawn in {svg}")
    except RuntimeError as error:
        print(f"\ncould not draw the backward steps: {error}")
    return {
        "hand": hand,
        "autograd": {k: p.grad.item() for k, p in params.items()},
        "max_difference": max_difference,
        "svg": svg,
    }


if __name__ == "__main__":
    main()
