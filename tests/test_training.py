"""End-to-end training: the digits MLP, XOR, and save / load / continue."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import nn, optim
from tinygrad_edu.data import DataLoader, TensorDataset, load_digits


def _digits_split(seed: int = 0):
    images, labels = load_digits()
    order = np.random.default_rng(seed).permutation(len(labels))
    test, train = order[:360], order[360:]
    x = (images / 16.0).astype(np.float32)  # pixels scaled to [0, 1]
    return x[train], labels[train], x[test], labels[test]


def test_digits_mlp_reaches_95_percent():
    """64-64-10 with ReLU, Adam lr 1e-3, batch 32, 20 epochs, 80/20 split with a fixed seed."""
    tg.manual_seed(0)
    x_train, y_train, x_test, y_test = _digits_split()
    assert len(y_train) == 1437 and len(y_test) == 360
    model = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(
        TensorDataset(tg.tensor(x_train), tg.tensor(y_train)), batch_size=32, shuffle=True, seed=0
    )
    first = last = None
    for _ in range(20):
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            first = loss.item() if first is None else first
            last = loss.item()
    with tg.no_grad():
        accuracy = (model(tg.tensor(x_test)).argmax(1).data == y_test).mean()
    assert last < first / 5
    assert accuracy >= 0.95, f"test accuracy {accuracy:.3f}"


def test_xor_is_solved_by_a_2_8_1_network():
    tg.manual_seed(0)
    x = tg.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = tg.tensor([[0.0], [1.0], [1.0], [0.0]])
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    opt = optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(300):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    with tg.no_grad():
        predictions = (model(x).sigmoid().data > 0.5).astype(np.float32)
    np.testing.assert_array_equal(predictions, y.data)
    assert loss.item() < 0.05


def _train_steps(model, opt, x, y, steps):
    loss_fn = nn.CrossEntropyLoss()
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()


def test_save_load_and_continue_training_gives_identical_results(tmp_path):
    x_train, y_train, _, _ = _digits_split()
    x, y = tg.tensor(x_train[:64]), tg.tensor(y_train[:64])

    def fresh():
        tg.manual_seed(3)
        model = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10))
        return model, optim.Adam(model.parameters(), lr=1e-2)

    straight, opt_straight = fresh()
    _train_steps(straight, opt_straight, x, y, 10)

    first, opt_first = fresh()
    _train_steps(first, opt_first, x, y, 5)
    tg.save(first.state_dict(), tmp_path / "model.npz")
    tg.save(opt_first.state_dict(), tmp_path / "optim.npz")

    resumed, opt_resumed = fresh()
    resumed.load_state_dict(tg.load(tmp_path / "model.npz"))
    opt_resumed.load_state_dict(tg.load(tmp_path / "optim.npz"))
    _train_steps(resumed, opt_resumed, x, y, 5)

    for (name, a), (_, b) in zip(straight.state_dict().items(), resumed.state_dict().items()):
        np.testing.assert_array_equal(a, b, err_msg=name)


@pytest.mark.parametrize("script", ["digits.py"])
def test_examples_run_in_smoke_mode(script, tmp_path):
    import runpy
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "examples" / script
    argv = sys.argv
    sys.argv = [str(path), "--smoke", "--out", str(tmp_path)]
    try:
        runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = argv
    assert any(tmp_path.iterdir())
