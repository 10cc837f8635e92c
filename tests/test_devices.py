"""tg.device, as torch.device: made from PyTorch's strings, taken where a device is, refused off the CPU."""

import numpy as np
import pytest

import tinygrad_edu as tg


def test_the_usual_line_picks_the_cpu_and_runs_a_training_step_there():
    device = tg.device("cuda" if tg.cuda.is_available() else "cpu")
    model = tg.nn.Linear(3, 1).to(device)
    x = tg.randn(4, 3, device=device).to(device)
    model(x).sum().backward()
    assert device == tg.device("cpu") and x.device == device and model.weight.grad.shape == (1, 3)
    assert tg.ones(2).to(device, tg.float64).dtype == np.float64
    assert tg.Generator(device=device).device == device


def test_names_equality_and_errors_as_pytorch():
    assert (str(tg.device("cuda:1")), repr(tg.device("cuda", 0))) == (
        "cuda:1",
        "device(type='cuda', index=0)",
    )
    assert repr(tg.device("cpu")) == "device(type='cpu')" and tg.device(tg.device("mps")).type == "mps"
    assert tg.ones(1).device != "cpu"  # a device is not its string, as in PyTorch
    assert len({tg.device("cpu"), tg.device("cpu"), tg.device("cuda:0")}) == 2
    for bad in ("xpu9", "cpu:-1", "cuda:x", "gpu"):
        with pytest.raises(RuntimeError, match=f"Invalid device string: '{bad}'"):
            tg.device(bad)
    with pytest.raises(RuntimeError, match="device 'cuda:0' is not available"):
        tg.ones(2).to(tg.device("cuda:0"))
    with pytest.raises(AttributeError, match="cannot be changed"):
        tg.device("cpu").type = "cuda"


def test_the_same_as_pytorch():
    torch = pytest.importorskip("torch")
    for args in [("cpu",), ("cuda",), ("cuda:1",), ("cuda", 2), ("mps",), ("meta",)]:
        ours, theirs = tg.device(*args), torch.device(*args)
        assert (str(ours), repr(ours), ours.type, ours.index) == (
            str(theirs),
            repr(theirs),
            theirs.type,
            theirs.index,
        )


def test_the_usual_reproducibility_lines_run_and_keep_their_settings():
    tg.manual_seed(0)
    tg.cuda.manual_seed(0)
    tg.cuda.manual_seed_all(0)  # (no GPU: nothing to seed, as in PyTorch without one)
    with pytest.raises(ValueError):
        tg.cuda.manual_seed_all("seed")
    tg.backends.cudnn.benchmark, tg.backends.cudnn.deterministic = False, True
    assert tg.backends.cudnn.deterministic and not tg.backends.cudnn.is_available()
    device = "mps" if tg.backends.mps.is_available() else "cpu"
    assert tg.ones(1).to(device).device == tg.device("cpu")
    assert not tg.are_deterministic_algorithms_enabled()
    try:
        tg.use_deterministic_algorithms(True, warn_only=True)
        assert tg.are_deterministic_algorithms_enabled()
        assert tg.is_deterministic_algorithms_warn_only_enabled()
        with pytest.raises(TypeError, match="'mode' must be bool, not str"):
            tg.use_deterministic_algorithms("yes")
        assert tg.are_deterministic_algorithms_enabled()  # (a refused call changes nothing)
    finally:
        tg.use_deterministic_algorithms(False)
        tg.backends.cudnn.deterministic = False


def test_the_backend_switches_are_pytorchs():
    torch = pytest.importorskip("torch")
    for ours, theirs in ((tg.backends.cudnn, torch.backends.cudnn), (tg.backends.mps, torch.backends.mps)):
        for name in ("enabled", "benchmark", "deterministic", "is_available"):
            assert hasattr(ours, name) == hasattr(theirs, name), name
    assert tg.are_deterministic_algorithms_enabled() == torch.are_deterministic_algorithms_enabled()
