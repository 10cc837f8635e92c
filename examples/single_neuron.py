"""One neuron learns a truth table by gradient descent, with autograd doing the calculus.

The table has three inputs and one output, and the output is simply the second
input (the first and third are distractions):

    x1 x2 x3 | y
     0  0  0 | 0
     0  0  1 | 0
     0  1  0 | 1
     1  0  0 | 0
     1  1  0 | 1
     1  1  1 | 1

The model is one sigmoid neuron, p = sigmoid(w . x + b): the probability that
the output is 1. Training repeats four steps: forward (p for all six rows),
loss (binary cross-entropy, small when p is near y), backward (loss.backward()
fills w.grad and b.grad), and a step downhill (w -= lr * w.grad). The neuron
should learn a large positive weight for x2 and small ones for x1 and x3,
which lets it answer rows it never saw, such as [0, 1, 1] -> 1.

Writes loss.png (the loss per step) to --out.

Run:  python examples/single_neuron.py           (2,000 steps, about a second)
      python examples/single_neuron.py --smoke   (200 steps)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tinygrad_edu as tg
from tinygrad_edu import nn

X = np.array([[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 0], [1, 1, 1]], dtype=np.float32)
Y = np.array([0, 0, 1, 0, 1, 1], dtype=np.float32)
UNSEEN = np.array([[1, 0, 1], [0, 1, 1]], dtype=np.float32)  # the two rows of the 8 possible left out


def train(steps: int, lr: float, seed: int) -> dict:
    tg.manual_seed(seed)
    w = (tg.randn(3) * 0.5).requires_grad_()
    b = tg.zeros(1, requires_grad=True)
    x, y = tg.tensor(X), tg.tensor(Y)
    loss_fn = nn.BCELoss()
    print(f"start: w = {np.round(w.data, 3)}, b = {b.item():.3f}")
    losses = []
    bar = progress(range(steps), "steps")
    for step in bar:
        p = (x @ w + b).sigmoid()  # forward: one probability per row
        loss = loss_fn(p, y)
        w.grad = b.grad = None  # gradients add up across backward calls: clear them first
        loss.backward()
        with tg.no_grad():  # the update itself must not be recorded in a graph
            w -= lr * w.grad
            b -= lr * b.grad
        losses.append(loss.item())
        if step % max(steps // 10, 1) == 0 or step == steps - 1:
            show(bar, f"step {step:5d}: loss {losses[-1]:.4f}")
    print(f"end:   w = {np.round(w.data, 3)}, b = {b.item():.3f}  (x2 carries the answer)")
    return {"w": w, "b": b, "losses": losses}


@tg.no_grad()
def predict(w: tg.Tensor, b: tg.Tensor, rows: np.ndarray) -> np.ndarray:
    return (tg.tensor(rows) @ w + b).sigmoid().data


def progress(iterable, desc: str):
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, disable=None)  # None: no bar when output is not a terminal


def show(bar, text: str) -> None:
    """Print a line above the progress bar (or plainly, without tqdm) and keep the latest on the bar."""
    if hasattr(bar, "write"):
        bar.set_postfix_str(text.split(": ")[-1])
        bar.write(text)
    else:
        print(text)


def plot(losses: list[float], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(losses)
    ax.set(
        xlabel="gradient descent step",
        ylabel="binary cross-entropy",
        yscale="log",
        title="One neuron learning 'output = x2'",
    )
    fig.tight_layout()
    fig.savefig(out / "loss.png", dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="One sigmoid neuron learns a 3-input truth table.")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--lr", type=float, default=1.0, help="learning rate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("out/single_neuron"), help="folder for loss.png")
    parser.add_argument("--smoke", action="store_true", help="200 steps, to check that it runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.steps = 200
    args.out.mkdir(parents=True, exist_ok=True)
    result = train(args.steps, args.lr, args.seed)

    train_p = predict(result["w"], result["b"], X)
    print("\ntraining rows:")
    for row, target, p in zip(X.astype(int), Y.astype(int), train_p):
        print(f"  {row.tolist()} -> p(1) = {p:.4f}  (target {target})")
    unseen_p = predict(result["w"], result["b"], UNSEEN)
    print("rows it never saw (the answer is still x2):")
    for row, p in zip(UNSEEN.astype(int), unseen_p):
        print(f"  {row.tolist()} -> p(1) = {p:.4f}  -> predicts {int(p > 0.5)} (expected {row[1]})")
    plot(result["losses"], args.out)
    print(f"loss curve written to {args.out / 'loss.png'}")
    accuracy = float(((unseen_p > 0.5) == (UNSEEN[:, 1] == 1)).mean())
    return {
        **result,
        "unseen_probabilities": unseen_p,
        "unseen_accuracy": accuracy,
        "train_accuracy": float(((train_p > 0.5) == (Y == 1)).mean()),
    }


if __name__ == "__main__":
    main()
