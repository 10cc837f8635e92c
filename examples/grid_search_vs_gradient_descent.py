"""Finding a neuron's weights by grid search versus by gradient descent.

The data: 1,000 random points in the unit cube, x = (x1, x2, x3), labelled 1
when x1 + x2 + x3 > 1.5 and 0 otherwise, plus a test set of 100 points drawn
with another seed. The true boundary is the plane x1 + x2 + x3 = 1.5.

Grid search: a sigmoid neuron WITHOUT a bias, p = sigmoid(w . x), answers 1
where w . x > 0. Try every weight vector on a grid, np.linspace(-10, 10, N) in
each of the three directions (N^3 candidates), keep the most accurate. The
search here is vectorised: the candidates are the rows of a matrix W, and one
matrix product X @ W.T scores a whole chunk of them on all points at once.

It tops out near 60%, however fine the grid. The set where w . x = 0 is a plane
through the origin, and the true boundary, x1 + x2 + x3 - 1.5 = 0, misses the
origin by 1.5: no weights can draw it. Give the neuron a bias b (p = sigmoid(w . x
+ b), boundary w . x + b = 0) and the right plane becomes reachable; the same
grid search, with b as a fourth direction, then finds it.

Gradient descent: logistic regression (the same neuron with a bias) trained on
binary cross-entropy with autograd. It follows the slope of the loss instead of
trying every point, so its cost does not grow as N^(number of weights).

Writes comparison.png (accuracies and run times) to --out.

Run:  python examples/grid_search_vs_gradient_descent.py           (a few seconds)
      python examples/grid_search_vs_gradient_descent.py --smoke   (small grids)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

import tinygrad_edu as tg
from tinygrad_edu import nn, optim


def make_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    np.random.seed(2024)
    x_train = np.random.rand(1000, 3)
    y_train = (x_train.sum(axis=1) > 1.5).astype(int)
    np.random.seed(123)
    x_test = np.random.rand(100, 3)
    y_test = (x_test.sum(axis=1) > 1.5).astype(int)
    return x_train, y_train, x_test, y_test


def grid_search(x: np.ndarray, y: np.ndarray, axes: list[np.ndarray], chunk: int = 20_000):
    """Best (weights, accuracy) over the grid spanned by `axes`; sigmoid(z) > 0.5 exactly when z > 0.

    A last column of ones in `x` turns the last weight into a bias.
    """
    mesh = np.meshgrid(*axes, indexing="ij")
    candidates = np.stack([m.ravel() for m in mesh], axis=1)  # (n_candidates, n_weights)
    best_acc, best_w = -1.0, None
    for start in range(0, len(candidates), chunk):
        w = candidates[start : start + chunk]
        predictions = (x @ w.T) > 0  # (n_points, chunk): every candidate on every point at once
        accuracy = (predictions == y[:, None]).mean(axis=0)
        i = int(np.argmax(accuracy))
        if accuracy[i] > best_acc:
            best_acc, best_w = float(accuracy[i]), w[i]
    return best_w, best_acc


def accuracy_of(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    return float((((x @ w) > 0) == y).mean())


def with_ones(x: np.ndarray) -> np.ndarray:
    return np.hstack([x, np.ones((len(x), 1))])


def gradient_descent(x: np.ndarray, y: np.ndarray, steps: int, lr: float, seed: int):
    tg.manual_seed(seed)
    model = nn.Linear(3, 1)  # weights AND a bias
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = optim.Adam(model.parameters(), lr=lr)
    xt, yt = tg.tensor(x.astype(np.float32)), tg.tensor(y[:, None].astype(np.float32))
    bar = progress(range(steps), "gradient descent")
    for step in bar:
        optimizer.zero_grad()
        loss = loss_fn(model(xt), yt)
        loss.backward()
        optimizer.step()
        if hasattr(bar, "set_postfix_str") and step % 20 == 0:
            bar.set_postfix_str(f"loss {loss.item():.4f}")
    w = np.append(model.weight.data[0], model.bias.data[0]).astype(np.float64)
    return w, loss.item()


def progress(iterable, desc: str):
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, disable=None)  # None: no bar when output is not a terminal


def plot(rows: list[tuple[str, float, float, float]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [r[0].replace(", ", ",\n") for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.bar(names, [r[2] * 100 for r in rows], color=["tab:red", "tab:green", "tab:blue"])
    left.set(ylabel="test accuracy (%)", ylim=(0, 105), title="Accuracy")
    right.bar(names, [r[3] for r in rows], color=["tab:red", "tab:green", "tab:blue"])
    right.set(ylabel="seconds", title="Run time")
    for ax in (left, right):
        ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    fig.savefig(out / "comparison.png", dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Grid search vs gradient descent for one sigmoid neuron.")
    parser.add_argument("--grid", type=int, default=100, help="N: grid points per weight (N^3 candidates)")
    parser.add_argument(
        "--bias-grid", type=int, default=21, help="grid points per direction with a bias (N^4)"
    )
    parser.add_argument("--steps", type=int, default=500, help="gradient descent steps")
    parser.add_argument("--lr", type=float, default=0.1, help="Adam's learning rate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("out/grid_search"), help="folder for the figure")
    parser.add_argument("--smoke", action="store_true", help="small grids, to check that it runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.grid, args.bias_grid, args.steps = 20, 11, 300
    args.out.mkdir(parents=True, exist_ok=True)
    x_train, y_train, x_test, y_test = make_data()
    print(
        f"{len(x_train)} training points, {y_train.mean():.1%} of them labelled 1; {len(x_test)} test points"
    )

    axis = np.linspace(-10, 10, args.grid)
    t0 = time.perf_counter()
    w_grid, train_grid = grid_search(x_train, y_train, [axis] * 3)
    t_grid = time.perf_counter() - t0
    test_grid = accuracy_of(x_test, y_test, w_grid)
    print(
        f"\ngrid search, no bias, {args.grid}^3 = {args.grid**3:,} candidates: best weights "
        f"{np.round(w_grid, 2)}, train accuracy {train_grid:.1%}, test {test_grid:.1%}, {t_grid:.2f} s"
    )

    t0 = time.perf_counter()
    w_gd, final_loss = gradient_descent(x_train, y_train, args.steps, args.lr, args.seed)
    t_gd = time.perf_counter() - t0
    train_gd, test_gd = (
        accuracy_of(with_ones(x_train), y_train, w_gd),
        accuracy_of(with_ones(x_test), y_test, w_gd),
    )
    print(
        f"gradient descent with bias, {args.steps} steps: w = {np.round(w_gd[:3], 2)}, b = {w_gd[3]:.2f}, "
        f"loss {final_loss:.4f}, train accuracy {train_gd:.1%}, test {test_gd:.1%}, {t_gd:.2f} s"
    )
    print(
        f"  its boundary: x1 + x2 + x3 = {-w_gd[3] / w_gd[:3].mean():.3f} "
        "(dividing by the mean weight; the truth is 1.5)"
    )

    baxis = np.linspace(-10, 10, args.bias_grid)
    t0 = time.perf_counter()
    w_bias, train_bias = grid_search(with_ones(x_train), y_train, [baxis] * 4)
    t_bias = time.perf_counter() - t0
    test_bias = accuracy_of(with_ones(x_test), y_test, w_bias)
    print(
        f"grid search WITH bias, {args.bias_grid}^4 = {args.bias_grid**4:,} candidates: w = "
        f"{np.round(w_bias[:3], 2)}, b = {w_bias[3]:.2f}, train accuracy {train_bias:.1%}, "
        f"test {test_bias:.1%}, {t_bias:.2f} s"
    )

    rows = [
        ("grid search, no bias", train_grid, test_grid, t_grid),
        ("grid search, with bias", train_bias, test_bias, t_bias),
        ("gradient descent, with bias", train_gd, test_gd, t_gd),
    ]
    print(f"\n{'method':30s} {'train acc':>10s} {'test acc':>9s} {'time (s)':>9s}")
    for name, tr, te, t in rows:
        print(f"{name:30s} {tr:10.1%} {te:9.1%} {t:9.2f}")
    print(
        "\nWhy the first row is stuck near 60%: without a bias the boundary w . x = 0 always passes through\n"
        "the origin, but the true boundary x1 + x2 + x3 = 1.5 does not, so no weights can draw it. With a\n"
        "bias the plane can move off the origin: (w, b) = (1, 1, 1, -1.5), or any positive multiple, fits.\n"
        "Grid search pays N^(number of parameters) evaluations for that; gradient descent pays per step."
    )
    plot(rows, args.out)
    print(f"figure written to {args.out / 'comparison.png'}")
    return {
        "grid_accuracy": test_grid,
        "grid_train_accuracy": train_grid,
        "grid_time": t_grid,
        "gd_accuracy": test_gd,
        "gd_train_accuracy": train_gd,
        "gd_time": t_gd,
        "grid_bias_accuracy": test_bias,
        "grid_bias_train_accuracy": train_bias,
    }


if __name__ == "__main__":
    main()
