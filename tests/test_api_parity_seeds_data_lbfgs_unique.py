"""PyTorch parity of manual_seed's conversions, Subset's indices, LBFGS's state and unique's recording.

Each behaviour is pinned here without torch; where torch is installed, the
same calls are made on it and compared.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.data import Subset, TensorDataset, random_split
from tinygrad_edu.ops.unique import unique_consecutive
from tinygrad_edu.optim import LBFGS

# --- manual_seed -------------------------------------------------------------------

# (what tg.manual_seed is given, the seed it keeps): int() first, as torch.manual_seed
CONVERTED = [
    (1.5, 1),
    (True, 1),
    ("7", 7),
    (" 7 ", 7),
    (b"7", 7),
    (np.int64(5), 5),
    (np.float64(2.5), 2),
    (-1, 2**64 - 1),
]
# (what it is given, int()'s own error, or the range check's)
REFUSED = [
    ("abc", ValueError, "invalid literal"),
    ("1.5", ValueError, "invalid literal"),
    (None, TypeError, "NoneType"),
    ([1], TypeError, "list"),
    (float("nan"), ValueError, "NaN"),
    (float("inf"), OverflowError, "infinity"),
    (2**64, ValueError, "seed in"),
    (-(2**63) - 1, ValueError, "seed in"),
]


@pytest.mark.parametrize(("seed", "kept"), CONVERTED, ids=[repr(s) for s, _ in CONVERTED])
def test_manual_seed_converts_with_int_as_torch(seed, kept):
    tg.manual_seed(seed)
    assert tg.initial_seed() == kept
    first = tg.rand(3).tolist()
    tg.manual_seed(kept)
    assert tg.rand(3).tolist() == first  # the same stream as the int itself
    torch = pytest.importorskip("torch")
    assert torch.manual_seed(seed).initial_seed() == kept


@pytest.mark.parametrize(("seed", "error", "match"), REFUSED, ids=[repr(s) for s, _, _ in REFUSED])
def test_manual_seed_refuses_what_int_refuses_and_keeps_the_stream(seed, error, match):
    tg.manual_seed(11)
    with pytest.raises(error, match=match):
        tg.manual_seed(seed)
    assert tg.initial_seed() == 11
    torch = pytest.importorskip("torch")
    with pytest.raises(error):
        torch.manual_seed(seed)


@pytest.mark.parametrize("seed", [1.5, True, "7", None], ids=repr)
def test_a_generators_manual_seed_takes_only_an_int_as_torchs(seed):
    g = tg.Generator().manual_seed(3)
    message = f"manual_seed expected a long, but got {type(seed).__name__}"
    with pytest.raises(RuntimeError, match=message):
        g.manual_seed(seed)
    assert g.initial_seed() == 3
    assert g.manual_seed(np.int64(4)).initial_seed() == 4  # (a NumPy int is taken; torch refuses it)
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match=message):
        torch.Generator().manual_seed(seed)


# --- Subset and random_split ---------------------------------------------------------


def ten(lib):
    return (
        lib.utils.data.TensorDataset(lib.arange(10.0) * 10)
        if lib is not tg
        else TensorDataset(tg.arange(10.0) * 10)
    )


SUBSET_READS = {
    "int": lambda s, lib: s[1],
    "negative": lambda s, lib: s[-1],
    "0-d tensor": lambda s, lib: s[lib.tensor(2)],
    "numpy int": lambda s, lib: s[np.int64(3)],
    "slice": lambda s, lib: s[1:3],
    "list": lambda s, lib: s[[0, 3]],
}


@pytest.mark.parametrize("read", SUBSET_READS.values(), ids=SUBSET_READS.keys())
def test_subset_keeps_its_indices_as_given_and_reads_as_torch(read):
    indices = [4, 2, 7, 9]
    subset = Subset(ten(tg), indices)
    assert subset.indices is indices
    ours = read(subset, tg)[0].tolist()  # (the values by hand: the next test)
    torch = pytest.importorskip("torch")
    assert ours == read(torch.utils.data.Subset(ten(torch), indices), torch)[0].tolist()


def test_subset_values_by_hand_and_any_sequence_of_indices():
    subset = Subset(ten(tg), [4, 2, 7, 9])
    assert subset[-1][0].item() == 90.0 and subset[tg.tensor(2)][0].item() == 70.0
    assert subset[1:3][0].tolist() == [20.0, 70.0] and subset[[0, 3]][0].tolist() == [40.0, 90.0]
    for indices in (range(2, 5), np.array([3, 1]), tg.tensor([3, 1])):
        kept = Subset(ten(tg), indices)
        assert kept.indices is indices and kept[1][0].item() == 10.0 * indices[1]
    with pytest.raises(IndexError):
        subset[4]


def test_random_split_gives_lists_of_ints_and_a_loader_reads_the_list_at_each_batch():
    parts = random_split(ten(tg), [3, 7], generator=tg.Generator().manual_seed(0))
    assert [type(p.indices) for p in parts] == [list, list]
    assert all(type(i) is int for p in parts for i in p.indices)
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))
    indices = [1, 2, 3]
    loader = tg.data.DataLoader(Subset(ten(tg), indices), batch_size=2)
    indices[0] = 9  # as in torch, the loader reads the list as it is then
    assert [batch[0].tolist() for batch in loader] == [[90.0, 20.0], [30.0]]


# --- LBFGS state ---------------------------------------------------------------------


def lbfgs_state(lib, param, **kwargs):
    """LBFGS's state after one step on sum((w - 1)^4) + sum(b^2), float32 parameters."""
    w = param(lib.tensor([0.5, -1.0, 2.0]))
    b = param(lib.tensor([0.3, -0.2]))
    opt = lib.optim.LBFGS([w, b], max_iter=3, **kwargs)

    def closure():
        opt.zero_grad()
        loss = ((w - 1) ** 4).sum() + (b**2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return opt.state_dict()["state"][0]


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_state_has_torchs_keys_and_kinds(line_search_fn):
    state = lbfgs_state(tg, tg.nn.Parameter, line_search_fn=line_search_fn)
    assert list(state) == [
        "func_evals", "n_iter", "al", "d", "t", "old_dirs", "old_stps", "ro", "H_diag",
        "prev_flat_grad", "prev_loss",
    ]  # fmt: skip
    assert len(state["al"]) == 100 and state["al"][1:] == [None] * 99
    assert type(state["prev_loss"]) is float and type(state["n_iter"]) is int
    for value in (state["H_diag"], *state["ro"], state["al"][0]):
        assert isinstance(value, np.ndarray) and value.shape == () and value.dtype == np.float32
    for value in (state["d"], state["prev_flat_grad"], *state["old_dirs"], *state["old_stps"]):
        assert isinstance(value, np.ndarray) and value.shape == (5,) and value.dtype == np.float32
    torch = pytest.importorskip("torch")
    theirs = lbfgs_state(torch, torch.nn.Parameter, line_search_fn=line_search_fn)
    assert list(state) == list(theirs)
    for key in ("H_diag", "d", "prev_flat_grad"):
        np.testing.assert_allclose(state[key], theirs[key].numpy(), rtol=1e-4, err_msg=key)
    assert len(state["ro"]) == len(theirs["ro"]) and len(state["al"]) == len(theirs["al"])


def test_lbfgs_first_iteration_keeps_h_diag_the_int_1_as_torch():
    state = lbfgs_state(tg, tg.nn.Parameter)
    one_iteration = lbfgs_state(tg, tg.nn.Parameter, max_eval=1)  # stops after the first iteration
    assert "al" not in one_iteration and one_iteration["H_diag"] == 1 and type(one_iteration["H_diag"]) is int
    assert "al" in state


def test_an_older_lbfgs_checkpoint_with_float_h_diag_and_no_al_still_loads():
    x = tg.nn.Parameter(tg.tensor([0.5, -1.0], dtype=tg.float64))
    opt = LBFGS([x], max_iter=3)

    def closure():
        opt.zero_grad()
        loss = ((x - 1) ** 4).sum()
        loss.backward()
        return loss

    opt.step(closure)
    saved = copy.deepcopy(opt.state_dict())
    old = copy.deepcopy(saved)
    del old["state"][0]["al"]
    old["state"][0]["H_diag"] = float(old["state"][0]["H_diag"])
    old["state"][0]["ro"] = [float(r) for r in old["state"][0]["ro"]]
    start = x.data.copy()
    opt.step(closure)
    expected = x.data.copy()
    x.data[...] = start
    opt.load_state_dict(old)
    state = opt.state[x]
    assert isinstance(state["H_diag"], np.ndarray) and all(isinstance(r, np.ndarray) for r in state["ro"])
    opt.step(closure)  # (al is scratch: the step does not need the one it lacks)
    np.testing.assert_array_equal(x.data, expected)


# --- unique --------------------------------------------------------------------------

NAN = math.nan
CONSECUTIVE = [
    ([1.0, 1.0, NAN, NAN, 2.0, 2.0, 1.0], {}),
    ([[1, 2], [1, 2], [3, 4], [1, 2]], {"dim": 0}),
    ([[1, 2], [1, 2], [3, 4], [1, 2]], {"dim": 1}),
    ([[1, 2], [1, 2], [3, 4], [1, 2]], {}),
    ([[NAN, 1.0], [NAN, 1.0]], {"dim": 0}),
    (5.0, {}),
    ([], {}),
    ([True, True, False], {}),
]


@pytest.mark.parametrize(("data", "kwargs"), CONSECUTIVE)
def test_unique_consecutive_matches_torch(data, kwargs):
    x = tg.tensor(data)
    values, inverse, counts = unique_consecutive(x, return_inverse=True, return_counts=True, **kwargs)
    assert inverse.dtype == counts.dtype == np.int64
    if kwargs.get("dim") is None:  # x == values[inverse] (nan aside), and counts sum to the elements
        np.testing.assert_array_equal(values.data[inverse.data], x.data)
        assert counts.data.sum() == x.data.size
    torch = pytest.importorskip("torch")
    theirs = torch.unique_consecutive(torch.tensor(data), return_inverse=True, return_counts=True, **kwargs)
    for ours, expected in zip((values, inverse, counts), theirs):
        np.testing.assert_array_equal(ours.data, expected.numpy())


def test_unique_consecutive_keeps_a_value_that_comes_back_and_refuses_what_torch_refuses():
    assert unique_consecutive(tg.tensor([1, 1, 2, 2, 1])).tolist() == [1, 2, 1]
    with pytest.raises(TypeError, match="argument 'return_counts' must be bool, not int"):
        unique_consecutive(tg.tensor([1]), return_counts=1)
    with pytest.raises(IndexError):
        unique_consecutive(tg.tensor(5.0), dim=0)
    with pytest.raises(RuntimeError, match="0 sized dimensions"):
        unique_consecutive(tg.zeros(3, 0), dim=0)
    with pytest.raises(TypeError, match="argument 'return_inverse' must be bool, not int"):
        tg.tensor([1.0]).unique(return_inverse=1)


UNIQUE_FORMS = {
    "unique": (lambda x: x.unique(), "unique"),
    "inverse and counts": (lambda x: x.unique(return_inverse=True, return_counts=True), "unique"),
    "dim": (lambda x: x.unique(dim=0, return_inverse=True), "unique_dim"),
    "consecutive": (lambda x: unique_consecutive(x, return_counts=True), "unique_consecutive"),
    "consecutive dim": (lambda x: unique_consecutive(x, return_inverse=True, dim=0), "unique_consecutive"),
}


@pytest.mark.parametrize(("form", "op"), UNIQUE_FORMS.values(), ids=UNIQUE_FORMS.keys())
def test_unique_values_are_recorded_and_backward_raises_torchs_not_implemented_error(form, op):
    x = tg.tensor([3.0, 1.0, 3.0, 2.0], requires_grad=True)
    results = form(x)
    results = results if isinstance(results, tuple) else (results,)
    assert results[0].requires_grad and results[0].grad_fn is not None
    assert all(not r.requires_grad and r.dtype == np.int64 for r in results[1:])  # not differentiable
    with pytest.raises(NotImplementedError, match=f"the derivative for {op} is not implemented"):
        results[0].sum().backward()
    assert x.grad is None
    with tg.no_grad():
        assert not form(x)[0].requires_grad if len(results) > 1 else not form(x).requires_grad
    assert tg.tensor([1, 2, 2]).unique().grad_fn is None  # integers: nothing to record
