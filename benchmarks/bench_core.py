"""Core benchmark: the cost of recording and backpropagating elementwise ops.

1. A chain of 2,000 elementwise ops (mul, add, tanh in turn) on a 4x4 float64
   tensor, forward plus backward, in microseconds per op, next to a
   hand-written NumPy forward and backward of the same chain (the floor) and,
   when it is installed, PyTorch eager.
2. A chain of 100,000 scalar ops, forward and backward, next to its NumPy version.
3. A loop over the slices x[t] of one tensor (an RNN's time steps), for two
   lengths: the cost per slice should not grow with the length.

Run: make bench   (or python benchmarks/bench_core.py)
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

# One BLAS thread for every implementation: on a small shared machine, BLAS
# threads that spin against other work make timings swing by 10x.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import tinygrad_edu as tg  # noqa: E402


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Smallest wall time of `repeat` runs, in seconds (the least disturbed run)."""
    return interleaved_best({"fn": fn}, repeat)["fn"]


def interleaved_best(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Each function's smallest wall time, in seconds, over `rounds` rounds that run them in turn.

    On a shared machine a slow spell then slows every implementation alike,
    rather than only the one that happened to be running, so the ratios hold
    steady even while the absolute times swing.
    """
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def numpy_chain(x0: np.ndarray, c: np.ndarray, n: int) -> np.ndarray:
    """Forward and backward of the chain by hand: the floor nothing can beat."""
    h, saved = x0, []
    for i in range(n):
        if i % 3 == 0:
            h = h * c
        elif i % 3 == 1:
            h = h + c
        else:
            h = np.tanh(h)
            saved.append(h)
    g = np.ones_like(h)
    for i in reversed(range(n)):
        if i % 3 == 0:
            g = g * c  # d(h*c)/dh = c
        elif i % 3 == 2:
            y = saved.pop()
            g = g * (1.0 - y * y)  # d tanh(h)/dh = 1 - tanh^2
    return g


def tg_forward(x0: np.ndarray, c: np.ndarray, n: int) -> tuple[tg.Tensor, tg.Tensor]:
    x = tg.tensor(x0, requires_grad=True)
    ct = tg.tensor(c)
    h = x
    for i in range(n):
        if i % 3 == 0:
            h = h * ct
        elif i % 3 == 1:
            h = h + ct
        else:
            h = h.tanh()
    return x, h


def tg_chain(x0: np.ndarray, c: np.ndarray, n: int) -> np.ndarray:
    x, h = tg_forward(x0, c, n)
    h.backward(tg.ones_like(h))
    return x.grad.data


def torch_chain(x0: np.ndarray, c: np.ndarray, n: int) -> np.ndarray:
    import torch

    x = torch.tensor(x0, requires_grad=True)
    ct = torch.tensor(c)
    h = x
    for i in range(n):
        if i % 3 == 0:
            h = h * ct
        elif i % 3 == 1:
            h = h + ct
        else:
            h = h.tanh()
    h.backward(torch.ones_like(h))
    return x.grad.numpy()


def deep_chain(deep: int) -> str:
    """Forward and backward of a chain of `deep` scalar ops, next to NumPy by hand: one line."""
    s0, sc = np.asarray(0.3), np.asarray(0.9)
    fwd_times, bwd_times = [], []
    for _ in range(3):  # best of 3, like the NumPy version
        start = time.perf_counter()
        x, h = tg_forward(s0, sc, deep)
        fwd_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        h.backward()
        bwd_times.append(time.perf_counter() - start)
        del x, h
    t_fwd, t_bwd = min(fwd_times), min(bwd_times)
    t_np = best_of(lambda: numpy_chain(s0, sc, deep), 3)
    return (
        f"\nChain of {deep} scalar ops: forward {t_fwd:.3f} s, backward {t_bwd:.3f} s, "
        f"total {t_fwd + t_bwd:.3f} s; NumPy by hand {t_np:.3f} s; "
        f"ratio {(t_fwd + t_bwd) / t_np:.1f}x"
    )


def slice_loop(lengths: tuple[int, ...] = (25, 400)) -> str:
    """Forward and backward of sum_t (x[t] * w).sum() over the L slices of x (L, 32, 256), per slice."""
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal(256)
    lines = []
    for n in lengths:
        x0 = rng.standard_normal((n, 32, 256))

        def ours(x0: np.ndarray = x0) -> np.ndarray:
            x, w = tg.tensor(x0, requires_grad=True), tg.tensor(w0)
            loss = (x[0] * w).sum()
            for t in range(1, len(x0)):
                loss = loss + (x[t] * w).sum()
            loss.backward()
            return x.grad.data

        def by_hand(x0: np.ndarray = x0) -> np.ndarray:
            loss = sum(float((x0[t] * w0).sum()) for t in range(len(x0)))
            grad = np.empty_like(x0)
            for t in range(len(x0)):
                grad[t] = w0  # d/dx[t] of (x[t] w).sum()
            return grad + 0.0 * loss

        assert np.allclose(ours(), by_hand()), "tinygrad_edu disagrees with NumPy"
        best = interleaved_best({"ours": ours, "numpy": by_hand}, 5)
        lines.append(
            f"{n} slices: {best['ours'] / n * 1e6:.1f} us per slice, NumPy by hand "
            f"{best['numpy'] / n * 1e6:.1f} us; ratio {best['ours'] / best['numpy']:.1f}x"
        )
    return "\nLoop over the slices x[t] of x (L, 32, 256), forward + backward:\n" + "\n".join(lines)


def print_rows(best: dict[str, float], n: int) -> None:
    """One table row per implementation: us per op, and the ratio to the floor (the first entry)."""
    floor = next(iter(best.values()))
    for name, seconds in best.items():
        print(f"{name:<24}{seconds / n * 1e6:>10.2f}{seconds / floor:>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000, help="length of the 4x4 chain")
    parser.add_argument("--deep", type=int, default=100_000, help="length of the scalar chain")
    parser.add_argument("--repeat", type=int, default=30, help="rounds of the 4x4 chain (best kept)")
    args = parser.parse_args()

    # The deep chain runs first, before PyTorch is imported: its forward time is
    # mostly Python's cycle collector walking every live object, and importing
    # PyTorch adds about 150,000 of them (16-21x instead of 13x here), which
    # would make our figure depend on whether PyTorch happens to be installed.
    deep_line = deep_chain(args.deep)
    slices_lines = slice_loop()

    rng = np.random.default_rng(0)
    x0, c = rng.standard_normal((4, 4)), rng.uniform(0.5, 1.0, (4, 4))
    n = args.ops
    assert np.allclose(numpy_chain(x0, c, n), tg_chain(x0, c, n)), "tinygrad_edu disagrees with NumPy"

    floor_fn, tg_fn = (lambda: numpy_chain(x0, c, n)), (lambda: tg_chain(x0, c, n))
    best = interleaved_best(
        {"NumPy by hand (floor)": floor_fn, "tinygrad_edu": tg_fn, "forward": lambda: tg_forward(x0, c, n)},
        args.repeat,
    )
    fwd = best.pop("forward")
    print(f"Chain of {n} elementwise ops (mul, add, tanh) on 4x4 float64, forward + backward")
    print(f"{'implementation':<24}{'us/op':>10}{'x floor':>10}")
    print_rows(best, n)
    print(f"(tinygrad_edu forward alone: {fwd / n * 1e6:.2f} us/op)")

    # PyTorch, when installed, is timed after the rest, alongside the floor and
    # our chain once more: importing it adds about 150,000 objects that Python's
    # cycle collector then walks during our forward too, so our figure with
    # PyTorch loaded is shown as well, rather than in place of the first.
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(1)
        best = interleaved_best(
            {
                "NumPy by hand (floor)": floor_fn,
                "PyTorch eager": lambda: torch_chain(x0, c, n),
                "tinygrad_edu": tg_fn,
            },
            args.repeat,
        )
        print("The same, timed again after importing PyTorch:")
        print_rows(best, n)

    print(deep_line)
    print(slices_lines)


if __name__ == "__main__":
    main()
