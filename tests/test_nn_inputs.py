"""A NumPy array or a list given to a layer, F.linear or F.conv*d: a TypeError naming the argument."""

from __future__ import annotations

import re

import numpy as np
import pytest

import tinygrad_edu as tg
import tinygrad_edu.nn as nn
import tinygrad_edu.nn.functional as F

ARRAY = np.zeros((2, 4), dtype=np.float32)

# (a layer, the input it should have been given as a Tensor); each fails differently inside
LAYERS = [
    ("Linear", lambda: nn.Linear(4, 3), ARRAY),
    ("Conv1d", lambda: nn.Conv1d(1, 1, 2), np.zeros((1, 1, 5), np.float32)),
    ("Conv2d", lambda: nn.Conv2d(1, 1, 2), np.zeros((1, 1, 3, 3), np.float32)),
    ("ReLU", nn.ReLU, ARRAY),
    ("Tanh", nn.Tanh, ARRAY),
    ("BatchNorm1d", lambda: nn.BatchNorm1d(4), ARRAY),
    ("LayerNorm", lambda: nn.LayerNorm(4), ARRAY),
    ("Embedding", lambda: nn.Embedding(5, 2), np.array([1, 2])),
    ("MaxPool2d", lambda: nn.MaxPool2d(2), np.zeros((1, 1, 4, 4), np.float32)),
]


@pytest.mark.parametrize("name, make, array", LAYERS, ids=[case[0] for case in LAYERS])
def test_layer_given_an_array_raises_a_type_error_naming_it(name, make, array):
    layer = make()
    before = {key: value.copy() for key, value in layer.state_dict().items()}
    expected = (
        f"{name}: argument 'input' (position 1) must be Tensor, not numpy.ndarray; "
        "wrap it with tg.tensor(...) first"
    )
    with pytest.raises(TypeError, match=f"^{re.escape(expected)}$") as info:
        layer(array)
    assert isinstance(info.value.__cause__, (AttributeError, TypeError))  # the original error, kept
    for key, value in layer.state_dict().items():  # (running statistics untouched)
        np.testing.assert_array_equal(value, before[key])
    layer(tg.tensor(array))  # the fix the message gives works


@pytest.mark.parametrize(
    "value, type_name",
    [
        ([[1.0, 2.0, 3.0, 4.0]], "list"),
        (((1.0, 2.0, 3.0, 4.0),), "tuple"),
        (np.float32(1.0), "numpy.float32"),
    ],
)
def test_lists_tuples_and_numpy_scalars_are_named_too(value, type_name):
    with pytest.raises(
        TypeError, match=f"^Linear: argument 'input' \\(position 1\\) must be Tensor, not {type_name};"
    ):
        nn.Linear(4, 3)(value)


def test_the_innermost_layer_given_the_array_is_named():
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
    with pytest.raises(TypeError, match="^Linear: argument 'input'") as info:
        model(ARRAY)
    assert not isinstance(info.value.__cause__.__cause__, TypeError)  # not explained twice


def test_later_arguments_are_named_by_forward_signature():
    with pytest.raises(
        TypeError, match=r"^CosineSimilarity: argument 'x2' \(position 2\) must be Tensor, not numpy"
    ):
        nn.CosineSimilarity(dim=1)(tg.tensor(ARRAY), ARRAY)


class ConvertsItself(nn.Module):
    """A module whose forward takes arrays on purpose."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x: np.ndarray) -> tg.Tensor:
        return self.fc(tg.tensor(x))


class Broken(nn.Module):
    def forward(self, x: tg.Tensor, extra: object = None) -> tg.Tensor:
        return x.no_such_method()


class SumsAList(nn.Module):
    def forward(self, xs: list) -> tg.Tensor:
        return xs[0] + "text"


def test_other_failures_and_successes_are_left_alone():
    out = ConvertsItself()(ARRAY)  # a module meant to take arrays works as before
    assert out.shape == (2, 3)
    with pytest.raises(AttributeError, match="no_such_method"):  # no array given: the error as raised
        Broken()(tg.zeros(2))
    with pytest.raises(AttributeError, match="no_such_method"):  # nor with a number or a string
        Broken()(tg.zeros(2), "mode")
    with pytest.raises(TypeError) as info:  # a list of Tensors is not an array
        SumsAList()([tg.zeros(2), tg.ones(2)])
    assert "must be Tensor" not in str(info.value)


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: F.linear(ARRAY, tg.zeros(3, 4)),
            "linear(): argument 'input' (position 1) must be Tensor, not numpy.ndarray",
        ),
        (
            lambda: F.linear(tg.zeros(2, 4), ARRAY),
            "linear(): argument 'weight' (position 2) must be Tensor, not numpy.ndarray",
        ),
        (
            lambda: F.linear(tg.zeros(2, 4), tg.zeros(3, 4), [1.0, 2.0, 3.0]),
            "linear(): argument 'bias' (position 3) must be Tensor, not list",
        ),
        (
            lambda: F.linear(None, tg.zeros(3, 4)),
            "linear(): argument 'input' (position 1) must be Tensor, not NoneType",
        ),
        (
            lambda: F.conv1d(np.zeros((1, 1, 5)), tg.zeros(1, 1, 2)),
            "conv1d(): argument 'input' (position 1) must be Tensor, not numpy.ndarray",
        ),
        (
            lambda: F.conv2d(tg.zeros(1, 1, 3, 3), np.zeros((1, 1, 2, 2))),
            "conv2d(): argument 'weight' (position 2) must be Tensor, not numpy.ndarray",
        ),
        (
            lambda: F.conv2d(tg.zeros(1, 1, 3, 3), tg.zeros(1, 1, 2, 2), [0.0]),
            "conv2d(): argument 'bias' (position 3) must be Tensor, not list",
        ),
    ],
)
def test_linear_and_conv_functions_refuse_non_tensors(call, message):
    with pytest.raises(TypeError) as info:
        call()
    assert str(info.value) == message


def test_linear_messages_match_torch():
    torch = pytest.importorskip("torch")
    weight = np.zeros((3, 4), np.float32)
    cases = [
        lambda lib, w: lib.nn.functional.linear(ARRAY, w),
        lambda lib, w: lib.nn.functional.linear([[1.0, 2.0, 3.0, 4.0]], w),
        lambda lib, w: lib.nn.functional.linear(lib.zeros(2, 4), w, [1.0, 2.0, 3.0]),
        lambda lib, w: lib.nn.functional.linear(lib.zeros(2, 4), weight),
    ]
    for case in cases:
        with pytest.raises(TypeError) as theirs:
            case(torch, torch.from_numpy(weight))
        with pytest.raises(TypeError) as ours:
            case(tg, tg.tensor(weight))
        assert str(ours.value) == str(theirs.value)
    for make in (lambda lib: lib.nn.Linear(4, 3), lambda lib: lib.nn.ReLU(), lambda lib: lib.nn.LayerNorm(4)):
        with pytest.raises(TypeError, match="must be Tensor, not numpy.ndarray"):
            make(torch)(ARRAY)
        with pytest.raises(TypeError, match="must be Tensor, not numpy.ndarray"):
            make(tg)(ARRAY)
