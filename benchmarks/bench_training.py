"""Training-step benchmark: one step of an MLP on the 8x8 digits.

A step is forward, cross-entropy, backward and an Adam update of a
64-128-64-10 ReLU MLP in float32, at batch 64 and at batch 1,437 (the whole
training split). It is timed next to a hand-written NumPy implementation of
the same step (the floor) and, when installed, PyTorch eager.

Run: make bench   (or python benchmarks/bench_training.py)
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

# One BLAS thread for every implementation: on a small shared machine, BLAS
# threads that spin against other work make timings swing by 10x.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from bench_core import interleaved_best  # noqa: E402  (benchmarks/ is on the path when run as a script)

import tinygrad_edu as tg  # noqa: E402
from tinygrad_edu import nn, optim  # noqa: E402
from tinygrad_edu.data import load_digits  # noqa: E402

SIZES = [64, 128, 64, 10]


def best_ms(steps: dict[str, Callable[[], object]], repeat: int, warmup: int = 3) -> dict[str, float]:
    """Each step's smallest time in ms, the steps taken in turn in each of `repeat` rounds
    (so a slow spell of a shared machine slows them alike; see bench_core.interleaved_best)."""
    for step in steps.values():
        for _ in range(warmup):
            step()
    return {name: seconds * 1e3 for name, seconds in interleaved_best(steps, repeat).items()}


class NumpyMLP:
    """The same step written out by hand: the floor."""

    def __init__(self, weights: list[np.ndarray], biases: list[np.ndarray], lr: float = 1e-3) -> None:
        self.params = [p.copy() for pair in zip(weights, biases) for p in pair]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t, self.lr, self.b1, self.b2, self.eps = 0, lr, 0.9, 0.999, 1e-8

    def step(self, x: np.ndarray, y: np.ndarray) -> float:
        w1, b1, w2, b2, w3, b3 = self.params
        h1 = x @ w1.T + b1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ w2.T + b2
        a2 = np.maximum(h2, 0)
        logits = a2 @ w3.T + b3
        shifted = logits - logits.max(1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(1, keepdims=True)
        n = len(y)
        loss = float(np.mean(np.log(total[:, 0]) - shifted[np.arange(n), y]))
        d_logits = exp / total
        d_logits[np.arange(n), y] -= 1
        d_logits /= n
        d_a2 = d_logits @ w3
        d_h2 = d_a2 * (h2 > 0)
        d_a1 = d_h2 @ w2
        d_h1 = d_a1 * (h1 > 0)
        grads = [d_h1.T @ x, d_h1.sum(0), d_h2.T @ a1, d_h2.sum(0), d_logits.T @ a2, d_logits.sum(0)]
        self.t += 1
        c1, c2 = 1 - self.b1**self.t, 1 - self.b2**self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v):
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * g * g
            p -= (self.lr / c1) * m / (np.sqrt(v / c2) + self.eps)
        return loss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    images, labels = load_digits()
    x_all = (images / 16.0).astype(np.float32)
    tg.manual_seed(0)
    layers = [nn.Linear(a, b) for a, b in zip(SIZES[:-1], SIZES[1:])]
    model = nn.Sequential(layers[0], nn.ReLU(), layers[1], nn.ReLU(), layers[2])
    opt = optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    floor = NumpyMLP([lin.weight.data for lin in layers], [lin.bias.data for lin in layers])

    # The two implementations take the same first step from the same weights.
    x0, y0 = x_all[:64], labels[:64]
    ours = loss_fn(model(tg.tensor(x0)), tg.tensor(y0)).item()
    assert abs(ours - floor.step(x0, y0)) < 1e-5, "tinygrad_edu and the NumPy floor disagree"

    print("Training step (forward, cross-entropy, backward, Adam) of a 64-128-64-10 MLP, float32")
    print(f"{'batch':>6}  {'implementation':<24}{'ms':>9}{'x floor':>10}")
    for batch in (64, 1437):
        x, y = x_all[:batch], labels[:batch]
        xt, yt = tg.tensor(x), tg.tensor(y)

        def tg_step(xt: tg.Tensor = xt, yt: tg.Tensor = yt) -> None:
            opt.zero_grad()
            loss = loss_fn(model(xt), yt)
            loss.backward()
            opt.step()

        steps = {"NumPy by hand (floor)": lambda x=x, y=y: floor.step(x, y), "tinygrad_edu": tg_step}
        torch_step = _torch_step(x, y)
        if torch_step:
            steps["PyTorch eager"] = torch_step
        times = best_ms(steps, args.repeat)
        for name, ms in times.items():
            print(f"{batch:>6}  {name:<24}{ms:>9.3f}{ms / times['NumPy by hand (floor)']:>10.2f}")


def _torch_step(x: np.ndarray, y: np.ndarray) -> Callable[[], None] | None:
    """The same step in PyTorch eager, when PyTorch is installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(64, 128),
        torch.nn.ReLU(),
        torch.nn.Linear(128, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 10),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    xt, yt = torch.tensor(x), torch.tensor(y)

    def step() -> None:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(xt), yt).backward()
        opt.step()

    return step


if __name__ == "__main__":
    main()
