"""Train a multilayer perceptron on the 8x8 handwritten digits, end to end.

The data: 1,797 grey images of 8x8 pixels (values 0..16), each a digit 0-9.
The model: 64 pixels -> 128 -> 64 -> 10 class scores, ReLU between layers,
trained with cross-entropy and Adam (learning rate on a cosine schedule) on
80% of the images and tested on the other 20%.

What it writes to --out (default out/digits):
  curves.png            training loss and test accuracy per epoch
  confusion.png         which digits are taken for which
  misclassified.png     a few test images the model gets wrong
  forward_graph.svg     the recorded graph of one forward pass and its loss

Run:  python examples/digits.py            (about 30 epochs, a few seconds)
      python examples/digits.py --smoke    (2 epochs, for tests)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tinygrad_edu as tg
from tinygrad_edu import nn, optim
from tinygrad_edu.data import DataLoader, TensorDataset, load_digits


def split(images: np.ndarray, labels: np.ndarray, test_fraction: float, seed: int):
    """Shuffle with a fixed seed and cut into train and test parts."""
    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = len(labels) - int(len(labels) * (1 - test_fraction))  # 1,797 -> 1,437 + 360
    test, train = order[:n_test], order[n_test:]
    return images[train], labels[train], images[test], labels[test]


def make_model(hidden: list[int]) -> nn.Module:
    sizes = [64, *hidden]
    layers: list[nn.Module] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    layers.append(nn.Linear(sizes[-1], 10))
    return nn.Sequential(*layers)


@tg.no_grad()
def accuracy(model: nn.Module, x: tg.Tensor, y: tg.Tensor) -> tuple[float, np.ndarray]:
    predicted = model(x).argmax(1).data
    return float((predicted == y.data).mean()), predicted


def train(args: argparse.Namespace) -> dict:
    tg.manual_seed(args.seed)
    images, labels = load_digits()
    x_train, y_train, x_test, y_test = split(images / 16.0, labels, 0.2, args.seed)
    train_set = TensorDataset(tg.tensor(x_train.astype(np.float32)), tg.tensor(y_train))
    x_test_t, y_test_t = tg.tensor(x_test.astype(np.float32)), tg.tensor(y_test)
    loader = DataLoader(
        train_set, batch_size=args.batch_size, shuffle=True, generator=tg.Generator().manual_seed(args.seed)
    )

    model = make_model(args.hidden)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    # The learning rate glides down to 0 along a half cosine: big steps early, fine ones at the end.
    schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{len(x_train)} training and {len(x_test)} test images; model with {n_params} parameters:")
    print(model)

    history = {"loss": [], "accuracy": []}
    epochs = progress(range(args.epochs), desc="epochs")
    for _ in epochs:
        model.train()
        total, count = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
            count += len(yb)
        schedule.step()
        model.eval()
        acc, _ = accuracy(model, x_test_t, y_test_t)
        history["loss"].append(total / count)
        history["accuracy"].append(acc)
        show(epochs, f"epoch {len(history['loss'])}: loss {total / count:.4f}, test accuracy {acc:.2%}")

    acc, predicted = accuracy(model, x_test_t, y_test_t)
    print(f"final test accuracy: {acc:.2%} ({int(round(acc * len(y_test)))}/{len(y_test)})")
    return {
        "model": model,
        "history": history,
        "accuracy": acc,
        "predicted": predicted,
        "x_test": x_test,
        "y_test": y_test,
        "loss_fn": loss_fn,
        "x_test_t": x_test_t,
    }


def progress(iterable, desc: str):
    """A tqdm progress bar when tqdm is installed (and output is a terminal), else the plain iterable."""
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, disable=None)  # None: no bar when output is not a terminal


def show(bar, text: str) -> None:
    """One line per epoch, so the falling loss stays on screen (above the bar, with tqdm)."""
    if hasattr(bar, "write"):
        bar.write(text)
    else:
        print(text)


def save_figures(result: dict, out: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: skipping the figures")
        return
    history = result["history"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    epochs = np.arange(1, len(history["loss"]) + 1)
    left.plot(epochs, history["loss"], marker="o")
    left.set(xlabel="epoch", ylabel="training loss (cross-entropy)", title="Loss")
    right.plot(epochs, np.array(history["accuracy"]) * 100, marker="o", color="tab:green")
    right.set(xlabel="epoch", ylabel="test accuracy (%)", title="Accuracy")
    fig.tight_layout()
    fig.savefig(out / "curves.png", dpi=100)
    plt.close(fig)

    y, p = result["y_test"], result["predicted"]
    confusion = np.zeros((10, 10), dtype=int)
    np.add.at(confusion, (y, p), 1)
    fig, ax = plt.subplots(figsize=(5, 4.5))
    ax.imshow(confusion, cmap="Blues")
    for i in range(10):
        for j in range(10):
            ax.text(
                j,
                i,
                confusion[i, j],
                ha="center",
                va="center",
                fontsize=8,
                color="white" if confusion[i, j] > confusion.max() / 2 else "black",
            )
    ax.set(
        xlabel="predicted digit",
        ylabel="true digit",
        title="Confusion matrix",
        xticks=range(10),
        yticks=range(10),
    )
    fig.tight_layout()
    fig.savefig(out / "confusion.png", dpi=100)
    plt.close(fig)

    wrong = np.flatnonzero(y != p)[:8]
    fig, axes = plt.subplots(1, max(len(wrong), 1), figsize=(1.6 * max(len(wrong), 1), 2))
    for ax, i in zip(np.atleast_1d(axes), wrong):
        ax.imshow(result["x_test"][i].reshape(8, 8), cmap="Greys")
        ax.set_title(f"true {y[i]}\nsaid {p[i]}", fontsize=9)
        ax.axis("off")
    if not len(wrong):
        np.atleast_1d(axes)[0].set_title("no mistakes")
    fig.tight_layout()
    fig.savefig(out / "misclassified.png", dpi=100)
    plt.close(fig)
    print(f"test images misclassified: {int((y != p).sum())}; a few are in {out / 'misclassified.png'}")


def save_graph(result: dict, out: Path) -> None:
    """Draw the graph of one forward pass (one image) and its loss, grouped by layer."""
    x, y = result["x_test_t"][:1], tg.tensor(result["y_test"][:1])
    x.name = "image"
    loss = result["loss_fn"](result["model"](x), y)
    loss.name = "loss"
    drawing = tg.viz.draw_graph(loss, model=result["model"], title="One forward pass of the digits MLP")
    try:
        tg.viz.render_graph(drawing, out / "forward_graph", format="svg")
    except RuntimeError as error:
        print(f"could not render the graph: {error}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Train an MLP on the 8x8 handwritten digits.")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate")
    parser.add_argument("--hidden", type=int, nargs="+", default=[128, 64], help="hidden layer sizes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("out/digits"), help="folder for the figures")
    parser.add_argument("--smoke", action="store_true", help="2 epochs, to check that it runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.epochs = 2
    args.out.mkdir(parents=True, exist_ok=True)
    result = train(args)
    save_figures(result, args.out)
    save_graph(result, args.out)
    print(f"figures and graph written to {args.out}/")
    return result


if __name__ == "__main__":
    main()
