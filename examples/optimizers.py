"""SGD, SGD with momentum and Adam, raced on the 8x8 digits under identical conditions.

The three runs share everything but the update rule: the same MLP (64 pixels ->
64 -> 10, ReLU), the same initial weights (tg.manual_seed before each model is
built), and the same mini-batches in the same order (the loader's seed).

  SGD:           w <- w - lr * g
  SGD+momentum:  v <- 0.9 v + g;  w <- w - lr * v        (a running sum of past
                 gradients: steady directions speed up, zig-zags cancel)
  Adam:          per-weight step sizes from running means of g and g^2, so
                 every weight moves at a similar pace whatever its gradient's scale

Writes optimizers.png (training loss per epoch, one curve per optimizer) to
--out and prints the final test accuracies.

Run:  python examples/optimizers.py           (15 epochs each, several seconds)
      python examples/optimizers.py --smoke   (2 epochs)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tinygrad_edu as tg
from tinygrad_edu import nn, optim
from tinygrad_edu.data import DataLoader, TensorDataset, load_digits

OPTIMIZERS = {
    "SGD (lr 0.05)": lambda params: optim.SGD(params, lr=0.05),
    "SGD + momentum 0.9 (lr 0.05)": lambda params: optim.SGD(params, lr=0.05, momentum=0.9),
    "Adam (lr 0.001)": lambda params: optim.Adam(params, lr=1e-3),
}


def load(seed: int):
    images, labels = load_digits()
    order = np.random.default_rng(seed).permutation(len(labels))
    test, train = order[:360], order[360:]
    x = (images / 16.0).astype(np.float32)
    return x[train], labels[train], x[test], labels[test]


def run(
    name: str, make_optimizer, data, epochs: int, batch_size: int, seed: int
) -> tuple[list[float], float]:
    x_train, y_train, x_test, y_test = data
    tg.manual_seed(seed)  # the same initial weights for every optimizer
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    optimizer = make_optimizer(model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    # A loader with its own seeded generator shuffles the same way in every run: the same batches, same order.
    loader = DataLoader(
        TensorDataset(tg.tensor(x_train), tg.tensor(y_train)),
        batch_size=batch_size,
        shuffle=True,
        generator=tg.Generator().manual_seed(seed),
    )
    losses = []
    bar = progress(range(epochs), name)
    for _ in bar:
        total, count = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
            count += len(yb)
        losses.append(total / count)
        if hasattr(bar, "set_postfix_str"):
            bar.set_postfix_str(f"loss {losses[-1]:.4f}")
    with tg.no_grad():
        accuracy = float((model(tg.tensor(x_test)).argmax(1).data == y_test).mean())
    return losses, accuracy


def progress(iterable, desc: str):
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, disable=None)  # None: no bar when output is not a terminal


def plot(curves: dict[str, list[float]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, losses in curves.items():
        ax.plot(np.arange(1, len(losses) + 1), losses, marker="o", label=name)
    ax.set(
        xlabel="epoch",
        ylabel="training loss (cross-entropy)",
        yscale="log",
        title="Same model, same init, same batches",
    )
    ax.legend()
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(out / "optimizers.png", dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Compare SGD, SGD with momentum and Adam on the digits.")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("out/optimizers"), help="folder for optimizers.png")
    parser.add_argument("--smoke", action="store_true", help="2 epochs, to check that it runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.epochs = 2
    args.out.mkdir(parents=True, exist_ok=True)
    data = load(args.seed)
    print(f"{len(data[1])} training and {len(data[3])} test images; MLP 64-64-10")
    curves, accuracies = {}, {}
    for name, make in OPTIMIZERS.items():
        curves[name], accuracies[name] = run(name, make, data, args.epochs, args.batch_size, args.seed)
    print(f"\n{'optimizer':30s} {'final train loss':>16s} {'test accuracy':>14s}")
    for name in OPTIMIZERS:
        print(f"{name:30s} {curves[name][-1]:16.4f} {accuracies[name]:14.1%}")
    plot(curves, args.out)
    print(f"loss curves written to {args.out / 'optimizers.png'}")
    return {"losses": curves, "accuracies": accuracies}


if __name__ == "__main__":
    main()
