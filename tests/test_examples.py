"""Every example runs in --smoke mode, writes its files, and shows what it claims to show."""

from __future__ import annotations

import importlib.util
import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# script -> files it must write to --out
EXPECTED = {
    "digits.py": ["curves.png", "confusion.png", "misclassified.png"],
    "neuron.py": [],
    "single_neuron.py": ["loss.png"],
    "backprop_by_hand.py": [],
    "activations.py": ["activations.png", "vanishing_gradients.png"],
    "xor.py": ["xor_boundaries.png"],
    "grid_search_vs_gradient_descent.py": ["comparison.png"],
    "optimizers.py": ["optimizers.png"],
    "custom_op.py": [],
}


def dot_available() -> bool:
    import shutil

    return shutil.which("dot") is not None


def load_main(name: str):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_every_example_is_listed():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_example_runs_as_a_script(script, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", [script, "--smoke", "--out", str(tmp_path)])
    try:
        runpy.run_path(str(EXAMPLES / script), run_name="__main__")
    except SystemExit as exit_:  # a clean sys.exit is fine, anything else is a failure
        assert exit_.code in (None, 0)
    for name in EXPECTED[script]:
        assert (tmp_path / name).stat().st_size > 0, f"{script} did not write {name}"
    if script == "backprop_by_hand.py" and dot_available():
        assert (tmp_path / "backward_steps.svg").stat().st_size > 0
    if script == "digits.py" and dot_available():
        assert (tmp_path / "forward_graph.svg").stat().st_size > 0


def test_neuron_counts_and_agrees(tmp_path):
    r = load_main("neuron")(["--out", str(tmp_path)])
    assert r["neuron_numpy"] == pytest.approx(r["neuron_tensor"], abs=1e-12)
    assert r["neuron_numpy"] == pytest.approx(0.972494, abs=1e-5)  # the lesson's reference neuron
    assert r["network_output"] == pytest.approx(0.87080997, abs=1e-7)  # the lesson's seed-1 network
    assert r["n_params_neurons"] == r["n_params_linear"] == 5 * 4 + 4 + 4 * 4 + 4 + 4 + 1
    assert r["outputs"][0] == r["outputs"][1] and r["outputs"][2] == r["outputs"][3]


def test_single_neuron_generalises(tmp_path):
    r = load_main("single_neuron")(["--smoke", "--out", str(tmp_path)])
    assert r["losses"][-1] < r["losses"][0]
    assert r["train_accuracy"] == 1.0 and r["unseen_accuracy"] == 1.0
    p_101, p_011 = r["unseen_probabilities"]
    assert p_101 < 0.5 < p_011


def test_backprop_by_hand_matches_autograd(tmp_path):
    r = load_main("backprop_by_hand")(["--out", str(tmp_path)])
    assert r["max_difference"] < 1e-12


def test_activations_show_vanishing_gradients(tmp_path):
    r = load_main("activations")(["--smoke", "--out", str(tmp_path)])
    sig, relu = r["gradients"]["sigmoid"], r["gradients"]["ReLU"]
    assert sig[-1] / sig[0] > 1000 * (relu[-1] / relu[0])
    assert max(r["curves"]["sigmoid"][1]) == pytest.approx(0.25, abs=1e-3)


def test_xor(tmp_path):
    r = load_main("xor")(["--smoke", "--out", str(tmp_path)])
    assert r["neuron_accuracy"] <= 0.75
    assert r["network_accuracy"] == 1.0
    # the flat single neuron gets no p = 0.5 line (it would be rounding noise); the network does
    assert list(r["boundaries"].values()) == [False, True]


def test_grid_search_needs_a_bias(tmp_path):
    r = load_main("grid_search_vs_gradient_descent")(["--smoke", "--out", str(tmp_path)])
    assert r["grid_accuracy"] < 0.7 < r["gd_accuracy"]
    assert r["grid_train_accuracy"] < 0.7 < 0.95 < r["gd_train_accuracy"]
    assert r["grid_bias_train_accuracy"] > 0.95


def test_optimizers_all_learn(tmp_path):
    r = load_main("optimizers")(["--smoke", "--out", str(tmp_path)])
    for name, losses in r["losses"].items():
        assert losses[-1] < losses[0], name
        assert r["accuracies"][name] > 0.5, name


def test_custom_op_checks(tmp_path):
    r = load_main("custom_op")(["--smoke", "--out", str(tmp_path)])
    assert r["gradcheck"] and r["gradgradcheck"]
    assert r["hypothesis_examples"] >= 1
    assert "Jacobian mismatch" in r["wrong_caught"]
