"""Tensors print as PyTorch prints them: hand-written expectations (copied from PyTorch's
output) that run without torch, then the same cases and random ones compared with torch."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.printing import get_printoptions, printoptions, set_printoptions


@pytest.fixture(autouse=True)
def default_print_options():
    """Every test starts and ends with the default options."""
    set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")


nan, inf = float("nan"), float("inf")

# (tensor, what PyTorch prints for it): the strings are PyTorch 2.13's output
EXPECTED = [
    (lambda: tg.tensor([0.123456789, 2 / 3]), "tensor([0.1235, 0.6667])"),
    (lambda: tg.tensor([1.0, 2.0]), "tensor([1., 2.])"),
    (lambda: tg.tensor([1.5, -2.25, 1000.0]), "tensor([   1.5000,   -2.2500, 1000.0000])"),
    (lambda: tg.tensor(0.5), "tensor(0.5000)"),
    (lambda: tg.tensor(3), "tensor(3)"),
    (lambda: tg.tensor(True), "tensor(True)"),
    (lambda: tg.tensor([]), "tensor([])"),
    (lambda: tg.zeros(0, 3), "tensor([], size=(0, 3))"),
    (lambda: tg.zeros(2, 0, dtype=tg.int64), "tensor([], size=(2, 0), dtype=int64)"),
    (lambda: tg.tensor([nan, 1.5]), "tensor([   nan, 1.5000])"),
    (lambda: tg.tensor([-0.0, 1.5]), "tensor([-0.0000, 1.5000])"),
    (lambda: tg.tensor([-inf, 1.0]), "tensor([-inf, 1.])"),
    (lambda: tg.tensor([-0.0, 0.0]), "tensor([-0., 0.])"),
    (lambda: tg.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
    (lambda: tg.tensor([1.0, 1001.0]), "tensor([1.0000e+00, 1.0010e+03])"),
    (lambda: tg.tensor([1.0, 1e9]), "tensor([1.0000e+00, 1.0000e+09])"),
    (lambda: tg.tensor([True, False]), "tensor([ True, False])"),
    (lambda: tg.tensor([1, -200, 3]), "tensor([   1, -200,    3])"),
    (lambda: tg.arange(2000), "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"),
    (
        lambda: tg.arange(12.0).reshape(3, 4) / 7,
        "tensor([[0.0000, 0.1429, 0.2857, 0.4286],\n"
        "        [0.5714, 0.7143, 0.8571, 1.0000],\n"
        "        [1.1429, 1.2857, 1.4286, 1.5714]])",
    ),
    (
        lambda: tg.arange(8).reshape(2, 2, 2),
        "tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])",
    ),
    (
        lambda: tg.arange(30) * 1000,
        "tensor([    0,  1000,  2000,  3000,  4000,  5000,  6000,  7000,  8000,  9000,\n"
        "        10000, 11000, 12000, 13000, 14000, 15000, 16000, 17000, 18000, 19000,\n"
        "        20000, 21000, 22000, 23000, 24000, 25000, 26000, 27000, 28000, 29000])",
    ),
    (
        lambda: tg.arange(10000.0).reshape(100, 100),
        "tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 9.7000e+01, 9.8000e+01,\n"
        "         9.9000e+01],\n"
        "        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.9700e+02, 1.9800e+02,\n"
        "         1.9900e+02],\n"
        "        [2.0000e+02, 2.0100e+02, 2.0200e+02,  ..., 2.9700e+02, 2.9800e+02,\n"
        "         2.9900e+02],\n"
        "        ...,\n"
        "        [9.7000e+03, 9.7010e+03, 9.7020e+03,  ..., 9.7970e+03, 9.7980e+03,\n"
        "         9.7990e+03],\n"
        "        [9.8000e+03, 9.8010e+03, 9.8020e+03,  ..., 9.8970e+03, 9.8980e+03,\n"
        "         9.8990e+03],\n"
        "        [9.9000e+03, 9.9010e+03, 9.9020e+03,  ..., 9.9970e+03, 9.9980e+03,\n"
        "         9.9990e+03]])",
    ),
    (lambda: tg.tensor([0.5, 1.5], dtype=tg.float16), "tensor([0.5000, 1.5000], dtype=float16)"),
    (
        lambda: tg.tensor([1.0, 2.0], dtype=tg.float64, requires_grad=True),
        "tensor([1., 2.], dtype=float64, requires_grad=True)",
    ),
    (
        lambda: tg.tensor([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5], requires_grad=True),
        "tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000],\n"
        "       requires_grad=True)",
    ),
    (
        lambda: (tg.arange(10.0) + 0.5).requires_grad_(),
        "tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000, 6.5000, 7.5000, 8.5000,\n"
        "        9.5000], requires_grad=True)",
    ),
    (
        lambda: tg.nn.Parameter(tg.tensor([[1.0, 2.0]])),
        "Parameter containing:\ntensor([[1., 2.]], requires_grad=True)",
    ),
]


@pytest.mark.parametrize("case", range(len(EXPECTED)))
def test_repr_is_pytorchs(case):
    make, expected = EXPECTED[case]
    x = make()
    assert repr(x) == expected and str(x) == expected


def test_a_grad_fn_is_named_after_the_values():
    y = tg.tensor([0.25, 2.0], requires_grad=True) * 2
    assert repr(y) == "tensor([0.5000, 4.0000], grad_fn=<MulBackward>)"


def test_options_change_the_output_and_the_default_profile_restores_it():
    x = tg.tensor([0.123456789, 1.0, 2.5])
    set_printoptions(precision=2)
    assert repr(x) == "tensor([0.12, 1.00, 2.50])"
    set_printoptions(sci_mode=True)  # precision is kept
    assert repr(x) == "tensor([1.23e-01, 1.00e+00, 2.50e+00])"
    assert repr(tg.zeros(2)) == "tensor([0., 0.])"  # no nonzero value: sci_mode has nothing to format
    set_printoptions(sci_mode=False)
    assert repr(tg.tensor([1e-9, 1.0])) == "tensor([0.00, 1.00])"
    set_printoptions(profile="default")  # each call sets sci_mode: back to None here
    assert repr(x) == "tensor([0.1235, 1.0000, 2.5000])"
    assert repr(tg.tensor([1e-9, 1.0])) == "tensor([1.0000e-09, 1.0000e+00])"


def test_summarising_edge_items_and_line_width():
    long = tg.arange(10)
    set_printoptions(threshold=5)
    assert repr(long) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    set_printoptions(edgeitems=1)
    assert repr(long) == "tensor([0,  ..., 9])"
    assert repr(tg.arange(27.0).reshape(3, 3, 3)) == (
        "tensor([[[ 0.,  ...,  2.],\n         ...,\n         [ 6.,  ...,  8.]],\n\n"
        "        ...,\n\n        [[18.,  ..., 20.],\n         ...,\n         [24.,  ..., 26.]]])"
    )
    set_printoptions(profile="short")  # a profile resets the rest: 2 digits, 2 edge items
    assert repr(tg.tensor([0.123456789])) == "tensor([0.12])"
    assert repr(long) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"
    set_printoptions(profile="full", linewidth=30)
    assert repr(tg.arange(12)) == "tensor([ 0,  1,  2,  3,  4,\n         5,  6,  7,  8,  9,\n        10, 11])"
    assert "..." not in repr(tg.arange(5000))
    set_printoptions(profile="default", edgeitems=0)  # nothing shown, so the size is
    assert repr(tg.arange(3)) == "tensor([0, 1, 2], size=(3,))"


def test_get_printoptions_and_the_printoptions_context():
    assert get_printoptions() == {
        "precision": 4,
        "threshold": 1000,
        "edgeitems": 3,
        "linewidth": 80,
        "sci_mode": None,
    }
    with printoptions(precision=1, sci_mode=True):
        assert repr(tg.tensor([2.0, 0.5])) == "tensor([2.0e+00, 5.0e-01])"
    assert get_printoptions()["precision"] == 4 and repr(tg.tensor([2.0, 0.5])) == "tensor([2.0000, 0.5000])"


def test_an_unknown_profile_is_an_error_that_changes_nothing():
    set_printoptions(precision=2)
    with pytest.raises(ValueError, match="profile must be one of"):
        set_printoptions(profile="long", precision=6)
    assert get_printoptions()["precision"] == 2


def test_the_package_exports_set_printoptions():
    tg.set_printoptions(precision=1)
    assert repr(tg.tensor([0.25])) == "tensor([0.2])"


# ---------------------------------------------------------------- against PyTorch

CASES = [
    [0.123456789, 2 / 3],
    [[1.5, -2.0], [3.25, 4.0]],
    [1e-3, 1.0],
    [1e-4, 1.0],
    [0.0001, 0.1],
    [1.0, 1000.0],
    [1e8, 1.0],
    [2.5e8],
    [123456789.0],
    [-1e10, 3.0],
    [nan, inf, -inf],
    [nan, 0.0, 2.5],
    [-0.0, -1.0, 2.0],
    np.arange(1, 1300.0).reshape(-1, 1),
    np.arange(1, 1300.0).reshape(1, -1),
    np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5),
    np.arange(1001.0).reshape(7, 11, 13),
    np.arange(-50, 50) * 123457,
    np.arange(24).reshape(2, 3, 4) % 2 == 0,
    np.linspace(-1, 1, 33).reshape(3, 11),
    np.float32(np.pi) * np.arange(30),
]
OPTIONS = [
    {},
    {"precision": 2},
    {"precision": 0},
    {"precision": 10},
    {"sci_mode": True},
    {"sci_mode": False},
    {"profile": "short"},
    {"threshold": 5, "edgeitems": 1},
    {"threshold": 5, "edgeitems": 0},
    {"linewidth": 30},
    {"linewidth": 200, "profile": "full"},
]


def torch_repr(torch, array, options, requires_grad=False):
    torch.set_printoptions(**options)
    try:
        return repr(torch.tensor(array, requires_grad=requires_grad)).replace("torch.", "")
    finally:
        torch.set_printoptions(profile="default", sci_mode=None)


def our_repr(array, options, requires_grad=False):
    set_printoptions(profile="default")
    set_printoptions(**options)
    return repr(tg.tensor(array, requires_grad=requires_grad))


@pytest.mark.parametrize("options", OPTIONS, ids=str)
@pytest.mark.parametrize("case", range(len(CASES)))
def test_same_as_torch(case, options):
    torch = pytest.importorskip("torch")
    array = np.asarray(CASES[case])
    array = array.astype(np.float32) if array.dtype == np.float64 else array  # no dtype suffix
    assert our_repr(array, options) == torch_repr(torch, array, options)


def random_array(rng):
    """A random float, int or bool array of 0 to 4 dims, some long enough to summarise."""
    shape = tuple(rng.integers(1, rng.choice([9, 40]), rng.integers(0, 5)))
    kind = rng.integers(0, 4)
    if kind == 0:
        array = (rng.standard_normal(shape) * 10.0 ** rng.integers(-8, 10)).astype(np.float32)
    elif kind == 1:
        array = np.round(rng.standard_normal(shape) * 10.0 ** rng.integers(0, 10)).astype(np.float32)
    elif kind == 2:
        return rng.integers(-(10 ** int(rng.integers(1, 12))), 10**11, shape)
    else:
        return rng.random(shape) < 0.5
    if rng.random() < 0.3:  # a few special values, which take no part in the width
        array.flat[rng.integers(0, array.size, 3)] = rng.choice([nan, inf, -inf, 0.0, -0.0], 3)
    return array


@pytest.mark.parametrize("seed", range(8))
def test_same_as_torch_on_random_tensors_and_options(seed):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(seed)
    for _ in range(100):
        array, options = random_array(rng), {}
        if rng.random() < 0.5:
            options = {
                "precision": int(rng.integers(0, 8)),
                "threshold": int(rng.integers(1, 300)),
                "edgeitems": int(rng.integers(1, 4)),
                "linewidth": int(rng.integers(20, 120)),
                "sci_mode": [None, True, False][rng.integers(0, 3)],
            }
        requires_grad = bool(array.dtype == np.float32 and rng.random() < 0.3)
        expected = torch_repr(torch, array, options, requires_grad)
        assert our_repr(array, options, requires_grad) == expected, (options, array.shape)
