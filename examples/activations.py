"""Activation functions, their derivatives by autograd, and why deep sigmoid stacks stop learning.

Part 1. Sigmoid, tanh, ReLU and leaky ReLU on a grid of inputs x, with their
derivatives. No derivative is typed in: each activation acts elementwise, so
y_i depends only on x_i, and one backward of y.sum() gives d(sum)/dx_i =
dy_i/dx_i, the whole derivative curve at once (activations.png).

Part 2. Vanishing gradients. The sigmoid's slope is at most 0.25 (at 0) and
tiny away from 0. Back-propagation through a stack of layers multiplies one
such factor per layer, so in a deep sigmoid network the gradient shrinks
roughly geometrically on its way back to the first layers, which then barely
learn. ReLU's slope is exactly 1 wherever the unit is active, so the same
stack with ReLU loses far less on the way back. (It still loses some: the
default init, PyTorch's, draws weights a little too small for ReLU to keep the
signal's size exactly; nn.init.kaiming_normal_ is scaled to do that.)
The script builds both stacks (same depth, width and default init), does one
backward and prints and plots the mean |gradient| of each layer's weight
(vanishing_gradients.png, log scale).

Run:  python examples/activations.py           (a few seconds, most of it importing matplotlib)
      python examples/activations.py --smoke
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tinygrad_edu as tg
from tinygrad_edu import nn

ACTIVATIONS = {
    "sigmoid": lambda t: t.sigmoid(),
    "tanh": lambda t: t.tanh(),
    "ReLU": lambda t: t.relu(),
    "leaky ReLU (0.1)": lambda t: t.leaky_relu(0.1),
}


def activation_curves(points: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    grid = np.linspace(-5, 5, points)
    curves = {}
    for name, f in ACTIVATIONS.items():
        x = tg.tensor(grid, requires_grad=True)
        y = f(x)
        y.sum().backward()  # dy_i/dx_i for every grid point in one backward
        curves[name] = (y.data.copy(), x.grad.data.copy())
    print("Part 1: activation values and slopes (slopes by autograd)")
    at = [-2.0, 0.0, 2.0]
    idx = [int(np.argmin(np.abs(grid - a))) for a in at]
    print(f"  {'':18s}" + "".join(f"{f'f({a:g})':>9s}{f'df({a:g})':>9s}" for a in at))
    for name, (y, dy) in curves.items():
        print(f"  {name:18s}" + "".join(f"{y[i]:9.4f}{dy[i]:9.4f}" for i in idx))
    print(f"  largest slope of sigmoid: {curves['sigmoid'][1].max():.4f} (= 1/4, at x = 0)")
    return {"x": grid, **curves}


def make_stack(depth: int, width: int, activation: type[nn.Module]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    return nn.Sequential(*layers)


def layer_gradients(depth: int, width: int, seed: int) -> dict[str, np.ndarray]:
    results = {}
    for name, activation in (("sigmoid", nn.Sigmoid), ("ReLU", nn.ReLU)):
        tg.manual_seed(seed)  # the same weights for both stacks: only the activation differs
        model = make_stack(depth, width, activation)
        x = tg.randn(64, width)
        target = tg.randn(64, width)
        loss = nn.MSELoss()(model(x), target)
        loss.backward()
        linears = [m for m in model if isinstance(m, nn.Linear)]
        results[name] = np.array([np.abs(m.weight.grad.data).mean() for m in linears])
    print(f"\nPart 2: mean |dL/dW| per layer after one backward ({depth} layers of width {width})")
    print(f"  {'layer':>5s} {'sigmoid stack':>14s} {'ReLU stack':>12s}")
    for i in range(depth):
        print(f"  {i + 1:5d} {results['sigmoid'][i]:14.2e} {results['ReLU'][i]:12.2e}")
    for name, g in results.items():
        print(f"  {name:7s} stack: the last layer's gradient is {g[-1] / g[0]:.3g} times the first layer's")
    print("  Each sigmoid layer multiplies the backward signal by a slope <= 0.25; ReLU's slope is 0 or 1.")
    return results


def plot(curves: dict, grads: dict, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 4, figsize=(12, 5), sharex=True)
    for col, name in enumerate(ACTIVATIONS):
        y, dy = curves[name]
        axes[0, col].plot(curves["x"], y)
        axes[0, col].set_title(name)
        axes[1, col].plot(curves["x"], dy, color="tab:orange")
        axes[1, col].set_xlabel("x")
    axes[0, 0].set_ylabel("f(x)")
    axes[1, 0].set_ylabel("f'(x) by autograd")
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "activations.png", dpi=100)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, g in grads.items():
        ax.plot(np.arange(1, len(g) + 1), g, marker="o", label=f"{name} stack")
    ax.set(
        yscale="log",
        xlabel="layer (1 = next to the input)",
        ylabel="mean |gradient| of the weight",
        title="Vanishing gradients after one backward",
    )
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(out / "vanishing_gradients.png", dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Activations, their derivatives, and vanishing gradients.")
    parser.add_argument("--depth", type=int, default=10, help="layers in each stack")
    parser.add_argument("--width", type=int, default=32, help="units per layer")
    parser.add_argument("--points", type=int, default=401, help="grid points for the curves")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("out/activations"), help="folder for the figures")
    parser.add_argument("--smoke", action="store_true", help="a coarser grid, to check that it runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.points = 51
    args.out.mkdir(parents=True, exist_ok=True)
    curves = activation_curves(args.points)
    grads = layer_gradients(args.depth, args.width, args.seed)
    plot(curves, grads, args.out)
    print(f"figures written to {args.out}/ (activations.png, vanishing_gradients.png)")
    return {"curves": curves, "gradients": grads}


if __name__ == "__main__":
    main()
