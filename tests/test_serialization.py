"""Tests for tinygrad_edu.serialization: pickle-free save/load of state dicts."""

from __future__ import annotations

import io
import json
import math
import os
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_edu as tg
from tinygrad_edu.serialization import load, save


def assert_same_tree(loaded, expected, path="obj"):
    """Exact equality: same container types, same keys in order, arrays equal
    bit for bit with the same dtype and shape (Tensors as Tensors, then as arrays)."""
    if isinstance(expected, tg.Tensor):
        assert type(loaded) is type(expected) and loaded.requires_grad == expected.requires_grad, path
        loaded, expected = loaded.data, expected.data
    if isinstance(expected, (np.ndarray, np.generic)):
        assert type(loaded) is type(expected), path
        assert loaded.dtype == expected.dtype and loaded.shape == expected.shape, path
        assert np.asarray(loaded).tobytes() == np.asarray(expected).tobytes(), path
        return
    assert type(loaded) is type(expected), f"{path}: {type(loaded)} != {type(expected)}"
    if isinstance(expected, dict):
        assert list(loaded) == list(expected), path
        for key in expected:
            assert_same_tree(loaded[key], expected[key], f"{path}[{key!r}]")
    elif isinstance(expected, (list, tuple)):
        assert len(loaded) == len(expected), path
        for i, (a, b) in enumerate(zip(loaded, expected)):
            assert_same_tree(a, b, f"{path}[{i}]")
    elif isinstance(expected, float):
        assert repr(loaded) == repr(expected), path  # exact, and NaN equals NaN
    else:
        assert loaded == expected, path


def round_trip(obj):
    buffer = io.BytesIO()
    save(obj, buffer)
    buffer.seek(0)
    return load(buffer)


# --- round trips -----------------------------------------------------------


def test_checkpoint_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    checkpoint = {
        "model": {
            "0.weight": rng.standard_normal((4, 3)).astype(np.float32),
            "0.bias": tg.Tensor(rng.standard_normal(4).astype(np.float32)),
            "bn.num_batches_tracked": np.array(12, dtype=np.int64),
        },
        "optim": {
            "state": {
                0: {"step": 3, "exp_avg": rng.standard_normal((4, 3))},
                1: {"step": 3, "exp_avg": rng.standard_normal(4)},
            },
            "param_groups": [
                {
                    "lr": 1e-3,
                    "betas": (0.9, 0.999),
                    "eps": 1e-8,
                    "amsgrad": False,
                    "maximize": None,
                    "params": [0, 1],
                    "name": "body",
                }
            ],
        },
        "epoch": 7,
        "history": [(1, 0.5), (2, float("nan")), (3, float("-inf"))],
        "empty": {"list": [], "tuple": (), "dict": {}},
        "7": "a str key that looks like an int",
        7: "an int key",
    }
    path = tmp_path / "ckpt.npz"
    save(checkpoint, path)
    loaded = load(path)
    assert_same_tree(loaded, checkpoint)
    assert isinstance(loaded["model"]["0.bias"], tg.Tensor)
    assert isinstance(loaded["optim"]["param_groups"][0]["betas"], tuple)
    assert list(loaded["optim"]["state"]) == [0, 1]


def test_resuming_from_a_checkpoint_matches_training_on(tmp_path):
    def make_model():
        return tg.nn.Sequential(tg.nn.Linear(3, 4), tg.nn.Tanh(), tg.nn.Linear(4, 2))

    def train_step(model, optimizer, x):
        optimizer.zero_grad()
        (model(x) ** 2).mean().backward()
        optimizer.step()

    tg.manual_seed(0)
    model, x = make_model(), tg.randn(5, 3)
    optimizer = tg.optim.Adam(model.parameters(), lr=0.01)
    train_step(model, optimizer, x)
    save({"model": model.state_dict(), "optim": optimizer.state_dict()}, tmp_path / "c.npz")

    checkpoint = load(tmp_path / "c.npz")
    resumed = make_model()
    resumed.load_state_dict(checkpoint["model"])
    resumed_optimizer = tg.optim.Adam(resumed.parameters(), lr=0.5)
    resumed_optimizer.load_state_dict(checkpoint["optim"])
    assert resumed_optimizer.param_groups[0]["betas"] == (0.9, 0.999)
    assert resumed_optimizer.param_groups[0]["lr"] == 0.01
    for m, opt in ((model, optimizer), (resumed, resumed_optimizer)):
        train_step(m, opt, x)
    for p, q in zip(model.parameters(), resumed.parameters()):
        np.testing.assert_array_equal(p.data, q.data)


@pytest.mark.parametrize(
    "array",
    [
        np.arange(6, dtype=np.float32).reshape(2, 3),
        np.linspace(-1, 1, 5, dtype=np.float64),
        np.arange(-3, 3, dtype=np.int64),
        np.array([True, False, True]),
        np.array(2.5, dtype=np.float32),
        np.array(-7, dtype=np.int64),
        np.array(True),
        np.zeros((0, 3), dtype=np.float32),
        np.arange(12, dtype=np.float16).reshape(3, 4).T,
        np.array([np.nan, -0.0, np.inf], dtype=np.float64),
        np.arange(8, dtype=np.uint8).reshape(2, 2, 2),
    ],
    ids=lambda a: f"{a.dtype}{a.shape}",
)
def test_arrays_round_trip_exactly(array):
    loaded = round_trip({"x": array})["x"]
    assert loaded.dtype == array.dtype and loaded.shape == array.shape
    assert loaded.tobytes() == array.tobytes()


def test_tensors_come_back_as_leaf_tensors_and_arrays_as_arrays():
    # as torch.load: a saved result of an op comes back as a leaf that requires grad
    w = tg.tensor(np.arange(4, dtype=np.float64).reshape(2, 2), requires_grad=True)
    loss = (w * 2).sum()
    t, y, i, a = round_trip([w, loss, tg.tensor([1, 2]), w.data])
    assert type(t) is tg.Tensor and t.dtype == np.float64 and t.requires_grad and t.is_leaf
    np.testing.assert_array_equal(t.data, w.data)
    assert t.data is not w.data and not np.shares_memory(t.data, w.data)
    assert y.item() == 12.0 and y.requires_grad and y.grad_fn is None
    assert i.dtype == np.int64 and not i.requires_grad
    assert type(a) is np.ndarray
    (t * t).sum().backward()  # a leaf like any other
    np.testing.assert_array_equal(t.grad.data, 2 * w.data)


def test_numpy_scalars_keep_their_type():
    values = [np.float32(1.5), np.int64(-2), np.bool_(True), np.float64(0.1)]
    loaded = round_trip(values)
    assert [type(v) for v in loaded] == [type(v) for v in values]
    assert loaded == values


def test_python_leaves_keep_type_and_value():
    leaves = [None, True, False, 0, -(2**70), 0.1, -0.0, 1e308, "", "naïve ✓\x00"]
    loaded = round_trip(leaves)
    assert_same_tree(loaded, leaves)


def test_save_writes_exactly_the_given_path(tmp_path):
    path = tmp_path / "weights.bin"
    save({"w": np.ones(2)}, str(path))
    assert path.exists() and not (tmp_path / "weights.bin.npz").exists()
    np.testing.assert_array_equal(load(str(path))["w"], np.ones(2))


def test_file_is_a_plain_npz_with_a_unicode_manifest(tmp_path):
    path = tmp_path / "f.npz"
    save({"a": np.zeros(3), "b": (1, 2)}, path)
    with np.load(path, allow_pickle=False) as archive:
        manifest = archive["__manifest__"]
        assert manifest.dtype.kind == "U" and manifest.shape == ()
        assert json.loads(str(manifest))["format"] == "tinygrad_edu.save"
        assert len(archive.files) == 2


array_leaves = hnp.arrays(
    dtype=st.sampled_from([np.float32, np.float64, np.int64, np.int32, np.bool_, np.uint8]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3),
)
leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text() | array_leaves
trees = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=3)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(st.text(max_size=5) | st.integers(), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=75, deadline=None)
@given(trees)
def test_random_trees_round_trip(tree):
    assert_same_tree(round_trip(tree), tree)


# --- errors ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "where"),
    [
        ({"a": [1, object()]}, "obj['a'][1]"),
        ({"s": {0: {"steps": {1, 2}}}}, "obj['s'][0]['steps']"),
        ({"x": np.array([None, 1], dtype=object)}, "obj['x']"),
        ({"c": 1 + 2j}, "obj['c']"),
        ({(1, 2): 3}, "obj"),
    ],
)
def test_unsupported_values_raise_type_error_naming_the_key(obj, where, tmp_path):
    with pytest.raises(TypeError) as info:
        save(obj, tmp_path / "bad.npz")
    assert where in str(info.value)


def test_a_model_or_an_optimizer_is_refused_with_a_pointer_to_its_state_dict():
    model = tg.nn.Linear(2, 1)
    for obj in (model, tg.optim.SGD(model.parameters(), lr=0.1)):
        with pytest.raises(
            TypeError, match=r"unsupported type (Linear|SGD): save its state_dict\(\) instead"
        ):
            save({"model": obj}, io.BytesIO())


def test_self_containing_object_raises():
    loop = {"a": []}
    loop["a"].append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        save(loop, io.BytesIO())


def test_shared_subtrees_are_fine():
    shared = [1, 2]
    loaded = round_trip({"a": shared, "b": shared, "c": [1, 2]})
    assert_same_tree(loaded, {"a": [1, 2], "b": [1, 2], "c": [1, 2]})
    assert loaded["a"] is loaded["b"] and loaded["c"] is not loaded["a"]  # as pickle: one object, twice


# --- what PyTorch's pickle keeps: types, identity, shared memory ------------


def test_a_parameter_comes_back_as_a_parameter_and_an_ordered_dict_as_one():
    frozen = tg.nn.Parameter(tg.ones(2), requires_grad=False)
    counts = tg.nn.Parameter(tg.tensor([1, 2]), requires_grad=False)
    tree = OrderedDict(b=tg.nn.Parameter(tg.zeros(3)), a=frozen, c=counts, t=tg.ones(1), d={"x": 1})
    loaded = round_trip(tree)
    assert_same_tree(loaded, tree)  # (exact types: Parameter, OrderedDict, dict; keys in order)
    assert loaded["b"].requires_grad and not loaded["a"].requires_grad and loaded["c"].dtype == np.int64
    state = tg.nn.Linear(3, 2).state_dict()
    assert type(state) is OrderedDict and type(round_trip(state)) is OrderedDict


def test_a_tensor_saved_twice_comes_back_as_one_object():
    w = tg.nn.Parameter(tg.ones(2))
    t = tg.arange(3.0)
    a = np.zeros(2)
    loaded = round_trip({"w": w, "tied": w, "t": [t, (t, a)], "a": a})
    assert loaded["w"] is loaded["tied"] and type(loaded["w"]) is tg.nn.Parameter
    assert loaded["t"][0] is loaded["t"][1][0] and loaded["a"] is loaded["t"][1][1]
    loaded["w"].data[0] = 5.0
    assert loaded["tied"].tolist() == [5.0, 1.0]


def test_views_of_one_array_share_memory_after_loading():
    x = tg.arange(12.0).reshape(3, 4)
    fortran = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    tree = {
        "x": x, "row": x[1], "t": x.T, "view": x.view(4, 3), "p": tg.nn.Parameter(x),
        "rev": x.data[::-1, ::2], "f": fortran, "col": fortran[:, 1], "bytes": fortran.T.view(np.uint8),
        "alone": tg.ones(2),
    }  # fmt: skip
    loaded = round_trip(tree)
    assert_same_tree(loaded, tree)
    base = loaded["x"].data
    for key in ("row", "t", "view", "p", "rev"):
        value = loaded[key].data if isinstance(loaded[key], tg.Tensor) else loaded[key]
        assert np.shares_memory(value, base), key
    assert np.shares_memory(loaded["col"], loaded["f"]) and np.shares_memory(loaded["bytes"], loaded["f"])
    assert not np.shares_memory(loaded["alone"].data, base)
    base[1, 0] = 100.0  # a write through one is seen through the others, as in the saved tree
    assert loaded["row"].tolist()[0] == 100.0 and loaded["t"].tolist()[0][1] == 100.0
    assert loaded["p"].tolist()[1][0] == 100.0 and loaded["rev"][1, 0] == 100.0
    loaded["f"][0, 1] = -1.0
    assert loaded["col"][0] == -1.0


def test_a_file_of_format_version_1_still_loads(tmp_path):
    path = tmp_path / "v1.npz"
    root = {"type": "dict", "items": [
        ["w", {"type": "tensor", "key": "a0", "requires_grad": True}],
        ["a", {"type": "array", "key": "a1"}],
        ["n", {"type": "scalar", "key": "a2"}],
        ["l", {"type": "list", "items": [{"type": "int", "value": 3}, {"type": "none"}]}],
    ]}  # fmt: skip
    write_npz(path, __manifest__=manifest(root), a0=np.ones(2), a1=np.arange(3), a2=np.array(np.float32(1.5)))
    loaded = load(path)
    assert type(loaded) is dict and list(loaded) == ["w", "a", "n", "l"]
    assert type(loaded["w"]) is tg.Tensor and loaded["w"].requires_grad and loaded["w"].tolist() == [1.0, 1.0]
    assert loaded["a"].tolist() == [0, 1, 2] and type(loaded["n"]) is np.float32 and loaded["l"] == [3, None]


def version_2_file(path, root, **arrays):
    header = {"format": "tinygrad_edu.save", "version": 2, "root": root}
    write_npz(path, __manifest__=np.array(json.dumps(header)), **arrays)


def view_node(dtype="<f8", shape=(2,), strides=(8,), offset=0):
    layout = {"dtype": dtype, "shape": list(shape), "strides": list(strides), "offset": offset}
    return {"type": "array", "key": "a0", "view": layout}


@pytest.mark.parametrize(
    "root",
    [
        view_node(offset=16),  # past the end of the 3 float64s
        view_node(offset=-8),
        view_node(shape=(4,)),
        view_node(strides=(-8,)),  # would read before the start
        view_node(dtype="|O"),  # object pointers made from bytes
        {"type": "ref", "id": 0},  # a ref to nothing
        {"type": "list", "items": [{"type": "ref", "id": 0}, {"type": "list", "items": [], "id": 0}]},
    ],
    ids=[
        "past-end",
        "negative-offset",
        "too-long",
        "before-start",
        "object-dtype",
        "dangling-ref",
        "ref-first",
    ],
)
def test_a_crafted_view_or_ref_is_refused(root, tmp_path):
    path = tmp_path / "crafted.npz"
    version_2_file(path, root, a0=np.zeros(3))
    with pytest.raises(ValueError, match="tinygrad_edu save file|malformed"):
        load(path)


def write_npz(path, **arrays):
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def manifest(root):
    return np.array(json.dumps({"format": "tinygrad_edu.save", "version": 1, "root": root}))


def write_npy(path):
    with open(path, "wb") as f:
        np.save(f, np.zeros(2))


NOT_SAVE_FILES = {
    "npz without manifest": lambda p: write_npz(p, a0=np.zeros(2)),
    "single npy array": write_npy,
    "text": lambda p: p.write_text("not numpy at all"),
    "empty": lambda p: p.write_bytes(b""),
    "broken zip": lambda p: p.write_bytes(b"PK\x03\x04 broken zip"),
    "other format": lambda p: write_npz(p, __manifest__=np.array(json.dumps({"format": "x"}))),
    "manifest not json": lambda p: write_npz(p, __manifest__=np.array("{not json")),
    "manifest not str": lambda p: write_npz(p, __manifest__=np.arange(3, dtype=np.uint8)),
    "missing array": lambda p: write_npz(p, __manifest__=manifest({"type": "array", "key": "a0"})),
    "unknown node": lambda p: write_npz(p, __manifest__=manifest({"type": "spaceship"})),
    "bad leaf": lambda p: write_npz(p, __manifest__=manifest({"type": "int", "value": "1"})),
    "bad key": lambda p: write_npz(
        p, __manifest__=manifest({"type": "dict", "items": [[1.5, {"type": "none"}]]})
    ),
    "node without type": lambda p: write_npz(p, __manifest__=manifest({"items": []})),
    "int tensor that requires grad": lambda p: write_npz(
        p,
        __manifest__=manifest({"type": "tensor", "key": "a0", "requires_grad": True}),
        a0=np.arange(2),
    ),
}


@pytest.mark.parametrize("make", NOT_SAVE_FILES.values(), ids=NOT_SAVE_FILES.keys())
def test_files_in_another_format_raise_value_error(make, tmp_path):
    path = tmp_path / "other.npz"
    make(path)
    with pytest.raises(ValueError, match="tinygrad_edu save file|malformed"):
        load(path)


def test_text_and_torch_files_are_refused_with_advice_that_fits(tmp_path):
    text = tmp_path / "notes.pt"
    text.write_text("not numpy at all")
    with pytest.raises(ValueError, match="is not a tinygrad_edu save file: it is not a NumPy .npz") as info:
        load(text)
    assert "allow_pickle" not in str(info.value)  # (NumPy's advice, which tg.load has no use for)
    # a file from torch.save: a zip archive with a pickle in it (here one written by hand)
    torch_file = tmp_path / "model.pt"
    with zipfile.ZipFile(torch_file, "w") as z:
        z.writestr("model/data.pkl", b"\x80\x02}q\x00.")
        z.writestr("model/version", b"3")
    with pytest.raises(ValueError, match=r"written by torch.save.*v.numpy\(\)"):
        load(torch_file)


def test_newer_format_version_is_refused(tmp_path):
    path = tmp_path / "v3.npz"
    header = {"format": "tinygrad_edu.save", "version": 3, "root": {"type": "none"}}
    write_npz(path, __manifest__=np.array(json.dumps(header)))
    with pytest.raises(ValueError, match="version"):
        load(path)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.npz")


# --- loading never runs code ----------------------------------------------


class MakesDirectoryWhenUnpickled:
    """Unpickling this object calls os.mkdir(path): a visible side effect."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def evil_array(marker):
    array = np.empty(1, dtype=object)
    array[0] = MakesDirectoryWhenUnpickled(marker)
    return array


def test_crafted_file_is_really_dangerous_to_unpickle(tmp_path):
    # Guards the tests below: this file does run code when pickle is allowed.
    marker = tmp_path / "probe_marker"
    path = tmp_path / "evil.npz"
    write_npz(path, __manifest__=manifest({"type": "array", "key": "a0"}), a0=evil_array(marker))
    with np.load(path, allow_pickle=True) as archive:
        archive["a0"]
    assert marker.exists()


def test_pickled_array_member_cannot_run_code(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "evil.npz"
    write_npz(path, __manifest__=manifest({"type": "array", "key": "a0"}), a0=evil_array(marker))
    with pytest.raises(ValueError):
        load(path)
    assert not marker.exists()


def test_pickled_manifest_cannot_run_code(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "evil.npz"
    write_npz(path, __manifest__=evil_array(marker))
    with pytest.raises(ValueError):
        load(path)
    assert not marker.exists()


def test_raw_pickle_file_cannot_run_code(tmp_path):
    import pickle

    marker = tmp_path / "marker"
    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps(MakesDirectoryWhenUnpickled(marker)))
    with pytest.raises(ValueError):
        load(path)
    assert not marker.exists()


def test_npz_members_are_standard_npy(tmp_path):
    # Any NumPy user can read the arrays without tinygrad_edu.
    path = tmp_path / "w.npz"
    save({"w": np.arange(3.0)}, path)
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["__manifest__.npy", "a0.npy"]
    assert math.isclose(float(np.load(path)["a0"].sum()), 3.0)


def test_load_accepts_pytorchs_cpu_map_location_and_weights_only(tmp_path):
    path = tmp_path / "state.npz"
    tg.save({"w": np.arange(3.0)}, path)
    for kwargs in (
        {"map_location": "cpu"},
        {"weights_only": True},
        {"map_location": "cpu:0", "weights_only": False},
    ):
        np.testing.assert_array_equal(tg.load(path, **kwargs)["w"], np.arange(3.0))
    with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
        tg.load(path, map_location="cuda")


def test_a_view_inside_the_memory_loads(tmp_path):
    # (the control for the crafted files above: the same node, in bounds, is read)
    path = tmp_path / "view.npz"
    version_2_file(path, view_node(offset=8), a0=np.arange(3.0))
    np.testing.assert_array_equal(load(path), [1.0, 2.0])
