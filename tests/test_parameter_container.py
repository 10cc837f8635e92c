"""Tests of nn.ParameterList and nn.ParameterDict: registration (parameters,
state dicts, optimizers), list and dict behaviour, reprs and errors; and,
when PyTorch is installed, the same reprs, keys and errors as PyTorch's."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn


class Mixture(nn.Module):
    """A model whose weights live in a ParameterList and a ParameterDict."""

    def __init__(self) -> None:
        super().__init__()
        self.scales = nn.ParameterList([tg.ones(3), tg.full((3,), 2.0)])
        self.heads = nn.ParameterDict({"right": tg.zeros(3), "left": tg.ones(3)})

    def forward(self, x: tg.Tensor) -> tg.Tensor:
        for scale in self.scales:
            x = x * scale
        return x * self.heads["left"] + self.heads["right"]


# ---------------------------------------------------------------- registration


def test_entries_are_registered_parameters():
    model = Mixture()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["scales.0", "scales.1", "heads.left", "heads.right"]  # a plain dict is sorted
    assert list(model.state_dict()) == names
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in model.parameters())
    assert [id(p) for p in model.parameters()] == [
        id(model.scales[0]),
        id(model.scales[1]),
        id(model.heads["left"]),
        id(model.heads["right"]),
    ]


def test_a_tensor_becomes_a_parameter_over_the_same_array():
    t = tg.zeros(2)
    params = nn.ParameterList([t])
    heads = nn.ParameterDict({"a": t})
    for p in (params[0], heads["a"]):
        assert type(p) is nn.Parameter and p.requires_grad and not t.requires_grad
        assert p.data is t.data
    p = nn.Parameter(tg.ones(1))
    assert nn.ParameterList([p])[0] is p and nn.ParameterDict({"p": p})["p"] is p  # kept as it is


def test_load_state_dict_and_optimizer_reach_the_entries():
    model, other = Mixture(), Mixture()
    for p in other.parameters():
        p.data[...] = np.arange(3.0)
    model.load_state_dict(other.state_dict())
    np.testing.assert_array_equal(model.heads["right"].data, [0.0, 1.0, 2.0])

    opt = tg.optim.SGD(model.parameters(), lr=0.5)
    model(tg.ones(3)).sum().backward()
    opt.step()
    # out = x s0 s1 l + r with everything at [0, 1, 2]: d/dr = 1 and d/ds0 = s1 l = [0, 1, 4]
    np.testing.assert_allclose(model.heads["right"].data, [-0.5, 0.5, 1.5])
    np.testing.assert_allclose(model.scales[0].data, [0.0, 0.5, 0.0])


def test_other_objects_are_kept_but_not_registered():
    params = nn.ParameterList([tg.zeros(1), None, 3])
    assert len(params) == 3 and params[1] is None and params[2] == 3
    assert list(params.state_dict()) == ["0"] and len(list(params.parameters())) == 1
    heads = nn.ParameterDict({"w": tg.zeros(1), "note": "text"})
    assert heads["note"] == "text" and list(heads.state_dict()) == ["w"]


# ---------------------------------------------------------------- ParameterList as a list


def test_parameter_list_indexing_slicing_and_assignment():
    a, b, c = (nn.Parameter(tg.full((1,), float(i))) for i in range(3))
    params = nn.ParameterList([a, b, c])
    assert params[0] is a and params[-1] is c and list(params) == [a, b, c] and len(params) == 3
    part = params[::-1]
    assert isinstance(part, nn.ParameterList) and list(part) == [c, b, a]
    assert list(part.state_dict()) == ["0", "1", "2"] and part[0] is c
    params[-2] = tg.zeros(4)  # replaces b in its place
    assert params[1] is not b and params[1].shape == (4,)
    assert [n for n, _ in params.named_parameters()] == ["0", "1", "2"]


def test_parameter_list_append_extend_and_iadd_return_it():
    params = nn.ParameterList()
    assert params.append(tg.zeros(1)) is params
    assert params.extend([tg.zeros(2), tg.zeros(3)]) is params
    params += (tg.zeros(4) for _ in range(2))
    assert [p.shape for p in params] == [(1,), (2,), (3,), (4,), (4,)]
    assert [n for n, _ in params.named_parameters()] == ["0", "1", "2", "3", "4"]


@pytest.mark.parametrize(
    "act, error, message",
    [
        (lambda p: p[2], IndexError, "^index 2 is out of range$"),
        (lambda p: p[-3], IndexError, "^index -3 is out of range$"),
        (lambda p: p.__setitem__(5, tg.zeros(1)), IndexError, "^index 5 is out of range$"),
        (lambda p: p["0"], TypeError, "cannot be interpreted as an integer"),
        (
            lambda p: p.extend(tg.zeros(2)),
            TypeError,
            "^ParameterList.extend should be called with an iterable, but got Tensor$",
        ),
        (lambda p: p.extend(3), TypeError, "but got int$"),
        (
            lambda p: p.__setitem__(0, 5),
            TypeError,
            r"^cannot assign 'int' as parameter '0' \(nn.Parameter or None expected\)$",
        ),
        (lambda p: p(tg.zeros(1)), RuntimeError, "^ParameterList should not be called.$"),
    ],
)
def test_parameter_list_errors(act, error, message):
    params = nn.ParameterList([tg.zeros(1), tg.zeros(2)])
    with pytest.raises(error, match=message):
        act(params)
    assert len(params) == 2 and [p.shape for p in params] == [(1,), (2,)]


def test_parameter_list_repr_and_dir():
    params = nn.ParameterList([tg.zeros(2, 3), tg.zeros(4, dtype=np.float64), None])
    assert repr(params) == (
        "ParameterList(\n"
        "    (0): Parameter containing: [float32 of size 2x3]\n"
        "    (1): Parameter containing: [float64 of size 4]\n"
        "    (2): Object of type: NoneType\n"
        ")"
    )
    assert repr(nn.ParameterList()) == "ParameterList()"
    assert "append" in dir(params) and not any(name.isdigit() for name in dir(params))


# ---------------------------------------------------------------- ParameterDict as a dict


def test_parameter_dict_order_follows_pytorch():
    pairs = [("b", tg.zeros(1)), ("a", tg.zeros(2))]
    assert list(nn.ParameterDict(dict(pairs))) == ["a", "b"]  # a plain dict: sorted keys
    assert list(nn.ParameterDict(OrderedDict(pairs))) == ["b", "a"]
    assert list(nn.ParameterDict(pairs)) == ["b", "a"]
    assert list(nn.ParameterDict(nn.ParameterDict(pairs))) == ["b", "a"]
    heads = nn.ParameterDict(pairs)
    heads["c"] = tg.zeros(3)
    heads["b"] = tg.ones(4)  # replacing keeps the key's place
    assert list(heads) == ["b", "a", "c"] and list(heads.state_dict()) == ["b", "a", "c"]
    assert list(reversed(heads)) == ["c", "a", "b"]


def test_parameter_dict_methods():
    a, b = nn.Parameter(tg.zeros(1)), nn.Parameter(tg.zeros(2))
    heads = nn.ParameterDict([("a", a), ("b", b)])
    assert list(heads.keys()) == ["a", "b"] and list(heads.values()) == [a, b]
    assert list(heads.items()) == [("a", a), ("b", b)] and len(heads) == 2 and "a" in heads
    assert heads.get("a") is a and heads.get("zz") is None and heads.get("zz", 7) == 7
    assert heads.setdefault("a", tg.ones(9)) is a
    c = heads.setdefault("c", tg.ones(3))
    assert isinstance(c, nn.Parameter) and list(heads) == ["a", "b", "c"]
    copied = heads.copy()
    assert list(copied.items()) == list(heads.items()) and copied is not heads
    assert heads.popitem() == ("c", c) and heads.pop("a") is a and list(heads) == ["b"]
    del heads["b"]
    assert len(heads) == 0 and list(heads.parameters()) == [] and "b" not in dir(heads)
    copied.clear()
    assert list(copied) == [] and list(copied.state_dict()) == []
    same = heads.fromkeys(["x", "y"], a)
    assert list(same.items()) == [("x", a), ("y", a)] and len(list(same.parameters())) == 1


def test_parameter_dict_or_operators():
    left = nn.ParameterDict([("a", tg.zeros(1)), ("b", tg.zeros(1))])
    right = nn.ParameterDict([("b", tg.ones(2)), ("c", tg.ones(3))])
    merged = left | right
    assert list(merged) == ["a", "b", "c"] and merged["b"] is right["b"] and list(left) == ["a", "b"]
    left |= right
    assert list(left) == ["a", "b", "c"] and left["c"] is right["c"]


@pytest.mark.parametrize(
    "act, error, message",
    [
        (lambda d: d["missing"], KeyError, "missing"),
        (lambda d: d.pop("missing"), KeyError, "missing"),
        (lambda d: d.__delitem__("missing"), KeyError, "missing"),
        (lambda d: nn.ParameterDict().popitem(), KeyError, "dictionary is empty"),
        (
            lambda d: d[3],
            TypeError,
            r"^Index given to ParameterDict cannot be used as a key as it is not a string "
            r"\(type is 'int'\)\.$",
        ),
        (lambda d: d.__setitem__(3, tg.zeros(1)), TypeError, "not a string"),
        (lambda d: d.__setitem__("a.b", tg.zeros(1)), KeyError, "contain"),
        (lambda d: d.__setitem__("", tg.zeros(1)), KeyError, "empty string"),
        (lambda d: d.__setitem__("keys", tg.zeros(1)), KeyError, "attribute 'keys' already exists"),
        (lambda d: d.__setitem__("w", 5), TypeError, "cannot assign 'int' as parameter 'w'"),
        (lambda d: d.update(5), TypeError, "^ParameterDict.update should be called with an iterable"),
        (
            lambda d: d.update([5]),
            TypeError,
            "^ParameterDict update sequence element #0 should be Iterable; is int$",
        ),
        (lambda d: d.update([("x", tg.zeros(1), 3)]), ValueError, "element #0 has length 3; 2 is required$"),
        (lambda d: d(tg.zeros(1)), RuntimeError, "^ParameterDict should not be called.$"),
    ],
)
def test_parameter_dict_errors_leave_it_unchanged(act, error, message):
    heads = nn.ParameterDict({"w": tg.zeros(1)})
    with pytest.raises(error, match=message):
        act(heads)
    assert list(heads) == ["w"] and list(heads.state_dict()) == ["w"]


def test_parameter_dict_repr_nested():
    class Model(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.heads = nn.ParameterDict({"x": tg.zeros(1)})
            self.scales = nn.ParameterList([tg.zeros(2), tg.zeros(3, 4)])

    assert repr(Model()) == (
        "Model(\n"
        "  (heads): ParameterDict(  (x): Parameter containing: [float32 of size 1])\n"
        "  (scales): ParameterList(\n"
        "      (0): Parameter containing: [float32 of size 2]\n"
        "      (1): Parameter containing: [float32 of size 3x4]\n"
        "  )\n"
        ")"
    )


# ---------------------------------------------------------------- PyTorch, side by side


def test_containers_match_torch_if_installed():
    torch = pytest.importorskip("torch")

    def build(lib):
        model = lib.nn.Module()
        model.scales = lib.nn.ParameterList([lib.zeros(2, 3), lib.zeros(3)])
        model.scales.append(lib.zeros(1, dtype=lib.float64))
        model.heads = lib.nn.ParameterDict({"right": lib.zeros(2), "left": lib.zeros(2)})
        model.heads.update([("z", lib.zeros(4)), ("a", lib.zeros(1))])
        model.heads |= lib.nn.ParameterDict({"b": lib.zeros(1)})
        model.heads.setdefault("c", lib.zeros(2))
        model.heads.popitem()
        return model

    ours, theirs = build(tg), build(torch)
    their_repr = repr(theirs)
    for name in ["float32", "float64"]:
        their_repr = their_repr.replace(f"torch.{name}", name)
    their_repr = their_repr.replace("torch.FloatTensor", "float32")
    assert repr(ours) == their_repr
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [p.shape for p in ours.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})


def test_container_errors_match_torch_if_installed():
    torch = pytest.importorskip("torch")
    for lib in (tg, torch):
        params = lib.nn.ParameterList([lib.zeros(1)])
        heads = lib.nn.ParameterDict({"w": lib.zeros(1)})
        for act, error in [
            (lambda: params[1], IndexError),
            (lambda: params.extend(lib.zeros(2)), TypeError),
            (lambda: params.__setitem__(0, 5), TypeError),
            (lambda: params(), RuntimeError),
            (lambda: heads[3], TypeError),
            (lambda: heads.__setitem__("a.b", lib.zeros(1)), KeyError),
            (lambda: heads.__setitem__("keys", lib.zeros(1)), KeyError),
            (lambda: heads.update([(1, 2, 3)]), ValueError),
            (lambda: heads(1), RuntimeError),
        ]:
            with pytest.raises(error):
                act()
