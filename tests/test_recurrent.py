"""Recurrent cells and layers (RNN, LSTM, GRU): values, gradients, parameters, dropout, errors, training.

Values are checked against a NumPy reference that writes out the cells'
equations step by step (so these run without PyTorch), and against
PyTorch's modules, whose weights are loaded into ours, where it is installed.
Gradients are checked against finite differences in float64.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu import optim
from tinygrad_edu.nn import Linear
from tinygrad_edu.nn import functional as F
from tinygrad_edu.nn.recurrent import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from tinygrad_edu.testing import gradcheck, gradgradcheck

RNG = np.random.default_rng(11)
LAYERS = {"RNN": RNN, "LSTM": LSTM, "GRU": GRU}
CELLS = {"RNNCell": RNNCell, "LSTMCell": LSTMCell, "GRUCell": GRUCell}


def _t(array: np.ndarray, requires_grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def _flat(result: object) -> list:
    """The tensors of a nested result ((out, h) or (out, (h, c))) in order."""
    if isinstance(result, (tuple, list)):
        return [t for part in result for t in _flat(part)]
    return [result]


# ---------------------------------------------------------------- NumPy reference


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def _reference_step(kind: str, x, state, w: dict) -> tuple:
    """One step of the cell `kind` on NumPy arrays; the equations of recurrent_cells.py, gate by gate."""
    h = state[0]
    b_ih, b_hh = w.get("bias_ih", 0.0), w.get("bias_hh", 0.0)
    gi, gh = x @ w["weight_ih"].T + b_ih, h @ w["weight_hh"].T + b_hh
    if kind in ("tanh", "relu"):
        pre = gi + gh
        return (np.tanh(pre) if kind == "tanh" else np.maximum(pre, 0),)
    size = gi.shape[1] // (4 if kind == "LSTM" else 3)
    part = lambda g, k: g[:, k * size : (k + 1) * size]
    if kind == "LSTM":
        i, f = _sigmoid(part(gi, 0) + part(gh, 0)), _sigmoid(part(gi, 1) + part(gh, 1))
        g, o = np.tanh(part(gi, 2) + part(gh, 2)), _sigmoid(part(gi, 3) + part(gh, 3))
        c = f * state[1] + i * g
        h = o * np.tanh(c)
        return (h @ w["weight_hr"].T if "weight_hr" in w else h), c
    r, z = _sigmoid(part(gi, 0) + part(gh, 0)), _sigmoid(part(gi, 1) + part(gh, 1))
    n = np.tanh(part(gi, 2) + r * part(gh, 2))
    return ((1 - z) * n + z * h,)


def _reference(module, x: np.ndarray, states: list[np.ndarray]):
    """A whole layer on x (L, N, in) from states (h_0[, c_0]) (D layers, N, H): (output, final states).

    Each layer and direction is a plain loop over time with weights looked up by
    PyTorch's names; the reverse direction reads the sequence from the end.
    """
    kind = getattr(module, "nonlinearity", None) or type(module).__name__
    weights = {k: np.asarray(v) for k, v in module.state_dict().items()}
    directions = 2 if module.bidirectional else 1
    finals = [[None] * (module.num_layers * directions) for _ in states]
    for layer in range(module.num_layers):
        outputs = []
        for d in range(directions):
            k = layer * directions + d
            suffix = f"_l{layer}" + ("_reverse" if d else "")
            w = {name[: -len(suffix)]: v for name, v in weights.items() if name.endswith(suffix)}
            state = tuple(s[k] for s in states)
            out = [None] * len(x)
            for t in reversed(range(len(x))) if d else range(len(x)):
                state = _reference_step(kind, x[t], state, w)
                out[t] = state[0]
            outputs.append(np.stack(out))
            for i, s in enumerate(state):
                finals[i][k] = s
        x = np.concatenate(outputs, axis=2)
    return x, [np.stack(f) for f in finals]


def _states(module, batch: int) -> list[np.ndarray]:
    """Random h_0 (and c_0) of the shapes the module expects."""
    layers = module.num_layers * (2 if module.bidirectional else 1)
    shapes = [(layers, batch, module.proj_size or module.hidden_size)]
    if isinstance(module, LSTM):
        shapes.append((layers, batch, module.hidden_size))
    return [RNG.standard_normal(shape) for shape in shapes]


def _call(module, x, states: list | None):
    """module(x), module(x, h) or module(x, (h, c)): ours or PyTorch's."""
    if states is None:
        return module(x)
    return module(x, tuple(states) if len(states) == 2 else states[0])


LAYER_CONFIGS = [
    ("RNN", {}),
    ("RNN", {"nonlinearity": "relu", "bias": False}),
    ("RNN", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {}),
    ("LSTM", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {"proj_size": 2, "bidirectional": True}),
    ("LSTM", {"proj_size": 3, "num_layers": 2, "bias": False}),
    ("GRU", {}),
    ("GRU", {"bias": False, "bidirectional": True}),
    ("GRU", {"num_layers": 3}),
]


@pytest.mark.parametrize("name, options", LAYER_CONFIGS)
@pytest.mark.parametrize("given_states", [False, True])
def test_layers_match_the_numpy_reference(name, options, given_states):
    module = LAYERS[name](3, 4, dtype=tg.float64, **options)
    x = RNG.standard_normal((5, 2, 3))
    states = _states(module, 2)
    output, finals = _reference(module, x, states if given_states else [np.zeros_like(s) for s in states])
    result = _flat(_call(module, _t(x), [_t(s) for s in states] if given_states else None))
    np.testing.assert_allclose(result[0].data, output, atol=1e-12)
    assert len(result) == 1 + len(finals)
    for ours, expected in zip(result[1:], finals):
        np.testing.assert_allclose(ours.data, expected, atol=1e-12)


CELL_CONFIGS = [(name, {}) for name in CELLS] + [
    ("RNNCell", {"nonlinearity": "relu"}),
    ("LSTMCell", {"bias": False}),
    ("GRUCell", {"bias": False}),
]


@pytest.mark.parametrize("name, options", CELL_CONFIGS)
def test_cells_match_the_numpy_reference(name, options):
    cell = CELLS[name](3, 4, dtype=tg.float64, **options)
    kind = options.get("nonlinearity", "tanh") if name == "RNNCell" else name[:-4]
    w = {k: np.asarray(v) for k, v in cell.state_dict().items()}
    x = RNG.standard_normal((2, 3))
    states = [RNG.standard_normal((2, 4)) for _ in range(2 if name == "LSTMCell" else 1)]
    expected = _reference_step(kind, x, tuple(states), w)
    ours = _flat(_call(cell, _t(x), [_t(s) for s in states]))
    for o, e in zip(ours, expected, strict=True):
        np.testing.assert_allclose(o.data, e, atol=1e-12)
    zeros = _reference_step(kind, x, tuple(np.zeros_like(s) for s in states), w)
    for o, e in zip(_flat(cell(_t(x))), zeros, strict=True):  # no state given: zeros
        np.testing.assert_allclose(o.data, e, atol=1e-12)


@pytest.mark.parametrize("name", LAYERS)
def test_batch_first_and_unbatched_inputs_are_the_same_computation(name):
    module = LAYERS[name](3, 4, num_layers=2, bidirectional=True, dtype=tg.float64)
    x, states = RNG.standard_normal((5, 2, 3)), [_t(s) for s in _states(module, 2)]
    expected = _flat(_call(module, _t(x), states))
    module.batch_first = True
    got = _flat(_call(module, _t(x.transpose(1, 0, 2)), states))
    np.testing.assert_allclose(got[0].data.transpose(1, 0, 2), expected[0].data, atol=1e-12)
    for g, e in zip(got[1:], expected[1:]):  # h_n keeps (D layers, N, H) with batch_first
        np.testing.assert_allclose(g.data, e.data, atol=1e-12)
    for batch_first in (False, True):  # one sequence (L, H_in) reads the same either way
        module.batch_first = batch_first
        single = _flat(_call(module, _t(x[:, 1]), [s[:, 1] for s in states]))
        np.testing.assert_allclose(single[0].data, expected[0].data[:, 1], atol=1e-12)
        for g, e in zip(single[1:], expected[1:]):
            assert g.shape == e.shape[:1] + e.shape[2:]
            np.testing.assert_allclose(g.data, e.data[:, 1], atol=1e-12)


@pytest.mark.parametrize("name", CELLS)
def test_unbatched_cell_input_is_a_batch_of_one(name):
    cell = CELLS[name](3, 4, dtype=tg.float64)
    x, states = RNG.standard_normal(3), [RNG.standard_normal(4) for _ in range(2)]
    states = states if name == "LSTMCell" else states[:1]
    single = _flat(_call(cell, _t(x), [_t(s) for s in states]))
    batch = _flat(_call(cell, _t(x[None]), [_t(s[None]) for s in states]))
    for s, b in zip(single, batch, strict=True):
        assert s.shape == (4,)
        np.testing.assert_allclose(s.data, b.data[0], atol=1e-12)


def test_shapes_of_outputs_and_states():
    module = LSTM(3, 5, num_layers=2, bidirectional=True, proj_size=2, batch_first=True)
    output, (h_n, c_n) = module(tg.randn(4, 6, 3))  # (N, L, H_in)
    assert output.shape == (4, 6, 4) and h_n.shape == (4, 4, 2) and c_n.shape == (4, 4, 5)
    output, h_n = GRU(3, 5, bidirectional=True)(tg.randn(6, 3))
    assert output.shape == (6, 10) and h_n.shape == (2, 5)
    assert RNNCell(3, 5)(tg.randn(3)).shape == (5,)
    assert [s.shape for s in LSTMCell(3, 5)(tg.randn(2, 3))] == [(2, 5), (2, 5)]


# ---------------------------------------------------------------- gradients


def _layer_function(module, n_states: int):
    """(x, *states, *params) -> every output tensor, for gradcheck (params are read by the module)."""

    def run(x, *rest):
        states = list(rest[:n_states])
        return tuple(_flat(_call(module, x, states)))

    return run


@pytest.mark.parametrize("name", CELLS)
def test_cell_gradients_match_finite_differences(name):
    for options in [{}, {"nonlinearity": "relu"}] if name == "RNNCell" else [{}]:
        cell = CELLS[name](2, 3, dtype=tg.float64, **options)
        x = _t(RNG.standard_normal((2, 2)), requires_grad=True)
        states = [_t(RNG.standard_normal((2, 3)), requires_grad=True) for _ in range(2)]
        states = states if name == "LSTMCell" else states[:1]
        fn = _layer_function(cell, len(states))
        inputs = [x, *states, *cell.parameters()]
        assert gradcheck(fn, inputs)
        assert gradgradcheck(fn, inputs)


@pytest.mark.parametrize("name, options", [(n, {}) for n in LAYERS] + [("LSTM", {"proj_size": 1})])
def test_layer_gradients_match_finite_differences(name, options):
    module = LAYERS[name](2, 2, dtype=tg.float64, **options)
    x = _t(RNG.standard_normal((3, 2, 2)), requires_grad=True)
    states = [_t(s, requires_grad=True) for s in _states(module, 2)]
    fn = _layer_function(module, len(states))
    inputs = [x, *states, *module.parameters()]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


@pytest.mark.parametrize("name", LAYERS)
def test_two_layer_bidirectional_gradients_match_finite_differences(name):
    module = LAYERS[name](2, 2, num_layers=2, bidirectional=True, dtype=tg.float64)
    x = _t(RNG.standard_normal((2, 1, 2)), requires_grad=True)
    states = [_t(s, requires_grad=True) for s in _states(module, 1)]
    fn = _layer_function(module, len(states))
    assert gradcheck(fn, [x, *states, *module.parameters()])
    # second order on a few weights only (each of both layers' directions), to keep the test short
    some = [module.weight_ih_l1, module.weight_hh_l1_reverse, module.bias_hh_l0_reverse, module.weight_hh_l0]
    assert gradgradcheck(fn, [x, *states, *some])


# ---------------------------------------------------------------- parameters and initialisation


def test_parameter_names_shapes_and_order_follow_pytorch():
    module = LSTM(3, 4, num_layers=2, bidirectional=True, proj_size=2)
    per_direction = [("weight_ih", (16, 3)), ("weight_hh", (16, 2)), ("bias_ih", (16,)), ("bias_hh", (16,))]
    expected = []
    for layer, inputs in ((0, 3), (1, 4)):  # layer 1 reads both directions' projected h: 2 x 2
        for suffix in ("", "_reverse"):
            for kind, shape in per_direction:
                shape = (16, inputs) if kind == "weight_ih" else shape
                expected.append((f"{kind}_l{layer}{suffix}", shape))
            expected.append((f"weight_hr_l{layer}{suffix}", (2, 4)))
    assert [(n, p.shape) for n, p in module.named_parameters()] == expected
    assert list(module.state_dict()) == [n for n, _ in expected]
    assert [[p.shape for p in ps] for ps in module.all_weights][0] == [s for _, s in expected[:5]]
    assert [n for n, _ in GRU(3, 4, bias=False).named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]
    assert [(n, p.shape) for n, p in GRUCell(3, 4).named_parameters()] == [
        ("weight_ih", (12, 3)),
        ("weight_hh", (12, 4)),
        ("bias_ih", (12,)),
        ("bias_hh", (12,)),
    ]
    assert RNNCell(3, 4, bias=False).bias_ih is None


def test_reprs():
    assert repr(RNN(3, 2)) == "RNN(3, 2)"
    assert repr(RNN(3, 2, nonlinearity="relu")) == "RNN(3, 2)"  # (PyTorch leaves it out too)
    with pytest.warns(UserWarning):
        assert repr(GRU(3, 2, 1, False, True, 0.5, True)) == (
            "GRU(3, 2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)"
        )
    assert repr(LSTM(3, 4, num_layers=2, proj_size=2)) == "LSTM(3, 4, proj_size=2, num_layers=2)"
    assert (
        repr(RNNCell(3, 2, bias=False, nonlinearity="relu")) == "RNNCell(3, 2, bias=False, nonlinearity=relu)"
    )
    assert (
        repr(LSTMCell(3, 2)) == "LSTMCell(3, 2)" and repr(GRUCell(3, 2, False)) == "GRUCell(3, 2, bias=False)"
    )


@pytest.mark.parametrize("make", [lambda: LSTM(16, 64, bidirectional=True), lambda: GRUCell(16, 64)])
def test_initial_weights_are_uniform_within_one_over_sqrt_hidden(make):
    module = make()
    bound = 1 / math.sqrt(64)
    values = np.concatenate([p.data.ravel() for p in module.parameters()])
    assert np.abs(values).max() <= bound and np.abs(values).max() > 0.99 * bound
    assert abs(values.mean()) < 0.05 * bound
    assert values.var() == pytest.approx(bound**2 / 3, rel=0.05)  # the variance of U(-k, k)
    for p in module.parameters():  # every tensor drawn, none left empty or shared
        assert np.abs(p.data).max() > 0.9 * bound and p.data.std() > 0.5 * bound
    tg.manual_seed(3)
    first = [p.data.copy() for p in make().parameters()]
    tg.manual_seed(3)
    again = make()
    assert all(np.array_equal(a, p.data) for a, p in zip(first, again.parameters()))
    again.reset_parameters()
    assert not any(np.array_equal(a, p.data) for a, p in zip(first, again.parameters()))


def test_dtype_and_to():
    module = GRU(2, 3, dtype=tg.float64)
    assert all(p.dtype == np.float64 for p in module.parameters())
    assert GRU(2, 3)(tg.randn(4, 1, 2))[0].dtype == np.float32
    module.float()
    output, h_n = module(tg.randn(4, 1, 2))
    assert output.dtype == h_n.dtype == np.float32


# ---------------------------------------------------------------- dropout between layers


def _split_layers(module, kind):
    """One single-layer module per layer of `module`, holding that layer's weights."""
    singles = []
    for layer in range(module.num_layers):
        inputs = module.input_size if layer == 0 else module.hidden_size * (2 if module.bidirectional else 1)
        single = kind(inputs, module.hidden_size, bidirectional=module.bidirectional, dtype=tg.float64)
        suffix = f"_l{layer}"
        single.load_state_dict(
            {k.replace(suffix, "_l0"): v for k, v in module.state_dict().items() if suffix in k}
        )
        singles.append(single)
    return singles


@pytest.mark.parametrize("name", LAYERS)
def test_dropout_acts_between_layers_in_training_only(name):
    kind = LAYERS[name]
    module = kind(3, 4, num_layers=3, dropout=0.4, bidirectional=True, dtype=tg.float64)
    x = _t(RNG.standard_normal((5, 2, 3)))
    singles = _split_layers(module, kind)  # (before seeding: building them draws weights)
    tg.manual_seed(5)
    output = module(x)[0]
    tg.manual_seed(5)  # the same draws, made by hand: dropout after layers 0 and 1, not after 2
    expected = x
    for layer, single in enumerate(singles):
        expected = single(expected)[0]
        if layer < 2:
            expected = F.dropout(expected, 0.4, training=True)
    np.testing.assert_allclose(output.data, expected.data, atol=1e-12)
    module.eval()
    expected = x
    for single in singles:
        expected = single(expected)[0]
    np.testing.assert_allclose(module(x)[0].data, expected.data, atol=1e-12)
    np.testing.assert_array_equal(module(x)[0].data, module(x)[0].data)  # eval: no randomness


def test_dropout_of_one_layer_warns_and_changes_nothing():
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1, but got "):
        module = RNN(3, 4, dropout=0.5, dtype=tg.float64)
    x = _t(RNG.standard_normal((5, 2, 3)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = RNN(3, 4, dtype=tg.float64)
    plain.load_state_dict(module.state_dict())
    np.testing.assert_array_equal(module(x)[0].data, plain(x)[0].data)


# ---------------------------------------------------------------- errors


def _raises(error: type[Exception], message: str, fn) -> None:
    with pytest.raises(error) as info:
        fn()
    assert str(info.value) == message


def test_constructor_errors_are_pytorchs():
    _raises(
        ValueError,
        "Unknown nonlinearity 'x'. Select from 'tanh' or 'relu'.",
        lambda: RNN(3, 2, nonlinearity="x"),
    )
    dropout = (
        "dropout should be a number in range [0, 1] representing the probability of an element being zeroed"
    )
    _raises(ValueError, dropout, lambda: RNN(3, 2, 2, dropout=1.5))
    _raises(ValueError, dropout, lambda: GRU(3, 2, 2, dropout=True))
    _raises(TypeError, "bias should be of type bool, got: int", lambda: LSTM(3, 2, bias=1))
    _raises(TypeError, "batch_first should be of type bool, got: int", lambda: LSTM(3, 2, batch_first=1))
    _raises(TypeError, "hidden_size should be of type int, got: float", lambda: LSTM(3, 2.0))
    _raises(ValueError, "input_size must be greater than zero", lambda: GRU(0, 2))
    _raises(ValueError, "hidden_size must be greater than zero", lambda: RNN(3, 0))
    _raises(ValueError, "num_layers must be greater than zero", lambda: LSTM(3, 2, 0))
    _raises(ValueError, "proj_size has to be smaller than hidden_size", lambda: LSTM(3, 2, proj_size=2))
    _raises(
        ValueError,
        "proj_size should be a positive integer or zero to disable projections",
        lambda: LSTM(3, 2, proj_size=-1),
    )
    with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
        GRUCell(3, 2, device="cuda")


def test_layer_forward_errors_are_pytorchs():
    rnn, lstm, gru = RNN(3, 2), LSTM(3, 2), GRU(3, 2, batch_first=True)
    x = tg.randn(5, 4, 3)
    _raises(
        ValueError,
        "RNN: Expected input to be 2D or 3D, got 4D tensor instead",
        lambda: rnn(tg.randn(5, 4, 3, 1)),
    )
    _raises(ValueError, "GRU: Expected input to be 2D or 3D, got 1D instead", lambda: gru(tg.randn(3)))
    _raises(
        RuntimeError,
        "input.size(-1) must be equal to input_size. Expected 3, got 7",
        lambda: rnn(tg.randn(5, 4, 7)),
    )
    _raises(RuntimeError, "Expected hidden size (1, 4, 2), got [1, 3, 2]", lambda: rnn(x, tg.randn(1, 3, 2)))
    _raises(  # batch_first: the batch is dim 0 of the input, but dim 1 of h_0
        RuntimeError, "Expected hidden size (1, 5, 2), got [1, 4, 2]", lambda: gru(x, tg.randn(1, 4, 2))
    )
    _raises(
        RuntimeError,
        "For batched 3-D input, hx should also be 3-D but got 2-D tensor",
        lambda: rnn(x, tg.randn(4, 2)),
    )
    _raises(
        RuntimeError,
        "For unbatched 2-D input, hx should also be 2-D but got 3-D tensor",
        lambda: rnn(tg.randn(5, 3), tg.randn(1, 1, 2)),
    )
    _raises(
        RuntimeError,
        "For batched 3-D input, hx and cx should also be 3-D but got (2-D, 3-D) tensors",
        lambda: lstm(x, (tg.randn(4, 2), tg.randn(1, 4, 2))),
    )
    _raises(
        RuntimeError,
        "Expected hidden[0] size (1, 4, 2), got [1, 4, 3]",
        lambda: lstm(x, (tg.randn(1, 4, 3), tg.randn(1, 4, 2))),
    )
    _raises(
        RuntimeError,
        "Expected hidden[1] size (1, 4, 2), got [1, 4, 3]",
        lambda: lstm(x, (tg.randn(1, 4, 2), tg.randn(1, 4, 3))),
    )
    _raises(
        RuntimeError, "Expected sequence length to be larger than 0 in RNN", lambda: lstm(tg.randn(0, 4, 3))
    )
    with pytest.raises(
        ValueError, match=r"RNN input dtype \(float64\) does not match weight dtype \(float32\)"
    ):
        rnn(tg.randn(5, 4, 3, dtype=tg.float64))
    with pytest.raises(RuntimeError, match="hx of dtype float64 does not match input of dtype float32"):
        rnn(x, tg.randn(1, 4, 2, dtype=tg.float64))
    with pytest.raises(TypeError, match=r"hx must be a tuple \(h_0, c_0\)"):
        lstm(x, tg.randn(1, 4, 2))
    with pytest.raises(
        TypeError, match=r"RNN: argument 'input' \(position 1\) must be Tensor, not numpy.ndarray"
    ):
        rnn(np.zeros((5, 4, 3)))


def test_cell_forward_errors_are_pytorchs():
    rnn, lstm, gru = RNNCell(3, 2), LSTMCell(3, 2), GRUCell(3, 2)
    x = tg.randn(4, 3)
    _raises(
        ValueError, "RNNCell: Expected input to be 1D or 2D, got 3D instead", lambda: rnn(tg.randn(1, 4, 3))
    )
    _raises(
        ValueError,
        "GRUCell: Expected hidden to be 1D or 2D, got 3D instead",
        lambda: gru(x, tg.randn(1, 4, 2)),
    )
    _raises(
        ValueError,
        "LSTMCell: Expected hx[1] to be 1D or 2D, got 0D instead",
        lambda: lstm(x, (tg.randn(4, 2), tg.tensor(1.0))),
    )
    _raises(RuntimeError, "input has inconsistent input_size: got 5 expected 3", lambda: gru(tg.randn(4, 5)))
    _raises(RuntimeError, "input has inconsistent input_size: got 5 expected 3", lambda: rnn(tg.randn(5)))
    _raises(
        RuntimeError,
        "hidden0 has inconsistent hidden_size: got 5, expected 2",
        lambda: rnn(x, tg.randn(4, 5)),
    )
    _raises(
        RuntimeError, "Input batch size 4 doesn't match hidden0 batch size 5", lambda: gru(x, tg.randn(5, 2))
    )
    _raises(
        RuntimeError,
        "Input batch size 4 doesn't match hidden1 batch size 3",
        lambda: lstm(x, (tg.randn(4, 2), tg.randn(3, 2))),
    )
    _raises(RuntimeError, "Unknown nonlinearity: foo", lambda: RNNCell(3, 2, nonlinearity="foo")(x))
    with pytest.raises(RuntimeError, match="Expected hidden to be 2D like the input"):  # PyTorch: IndexError
        rnn(x, tg.randn(2))
    with pytest.raises(RuntimeError, match="linear: input of dtype float64 does not match weight"):
        gru(tg.randn(4, 3, dtype=tg.float64))
    with pytest.raises(TypeError, match=r"hx must be a tuple \(h_0, c_0\)"):
        lstm(x, tg.randn(4, 2))


def test_a_failed_call_changes_nothing():
    module = LSTM(3, 2, num_layers=2)
    before = {k: v.copy() for k, v in module.state_dict().items()}
    h_0, c_0 = tg.randn(2, 4, 2, requires_grad=True), tg.randn(2, 4, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"hidden\[1\] size"):
        module(tg.randn(5, 4, 3), (h_0, c_0))
    assert all(np.array_equal(before[k], v) for k, v in module.state_dict().items())
    assert all(p.grad is None for p in module.parameters()) and h_0.grad is None


# ---------------------------------------------------------------- training


def test_an_rnn_learns_the_running_sum():
    """y_t = x_1 + ... + x_t: the hidden state must carry the sum along; the loss falls 100-fold."""
    tg.manual_seed(0)
    data = np.random.default_rng(0).uniform(-1, 1, (6, 32, 1)).astype(np.float32)  # (L, N, 1)
    x, y = tg.tensor(data), tg.tensor(np.cumsum(data, axis=0))
    rnn, head = RNN(1, 8), Linear(8, 1)
    opt = optim.Adam([*rnn.parameters(), *head.parameters()], lr=0.02)
    losses = []
    for _ in range(200):
        opt.zero_grad()
        loss = ((head(rnn(x)[0]) - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] / 100
    fresh = np.random.default_rng(1).uniform(-1, 1, (6, 64, 1)).astype(np.float32)  # unseen sequences
    with tg.no_grad():
        error = ((head(rnn(tg.tensor(fresh))[0]).data - np.cumsum(fresh, axis=0)) ** 2).mean()
    assert error < losses[0] / 50


# ---------------------------------------------------------------- PyTorch


def _torch_pair(torch, name: str, options: dict):
    ours = (LAYERS | CELLS)[name](3, 4, dtype=tg.float64, **options)
    theirs = getattr(torch.nn, name)(3, 4, dtype=torch.float64, **options)
    return ours, theirs


@pytest.mark.parametrize("name, options", LAYER_CONFIGS + [(n, {"batch_first": True}) for n in LAYERS])
def test_parameters_and_state_dict_keys_equal_pytorchs(name, options):
    torch = pytest.importorskip("torch")
    ours, theirs = _torch_pair(torch, name, options)
    assert [(n, p.shape) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in theirs.named_parameters()
    ]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)


def _compare_with_torch(torch, ours, theirs, x: np.ndarray, states: list[np.ndarray] | None):
    ours.load_state_dict(theirs.state_dict())
    mine, yours = _t(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    my_states = None if states is None else [_t(s, requires_grad=True) for s in states]
    your_states = None if states is None else [torch.tensor(s, requires_grad=True) for s in states]
    got, expected = _flat(_call(ours, mine, my_states)), _flat(_call(theirs, yours, your_states))
    assert len(got) == len(expected)
    upstream = [RNG.standard_normal(tuple(e.shape)) for e in expected]
    for g, e in zip(got, expected):
        assert g.shape == tuple(e.shape)
        np.testing.assert_allclose(g.data, e.detach().numpy(), atol=1e-12)
    tg.autograd.backward(got, [_t(u) for u in upstream])
    torch.autograd.backward(expected, [torch.tensor(u) for u in upstream])
    np.testing.assert_allclose(mine.grad.data, yours.grad.numpy(), atol=1e-12)
    for m, y in zip(my_states or [], your_states or []):
        np.testing.assert_allclose(m.grad.data, y.grad.numpy(), atol=1e-12)
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.data, q.grad.numpy(), atol=1e-12, err_msg=name)


@pytest.mark.parametrize(
    "name, options", LAYER_CONFIGS + [(n, {"batch_first": True, "num_layers": 2}) for n in LAYERS]
)
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("given_states", [False, True])
def test_layers_match_pytorch(name, options, batched, given_states):
    torch = pytest.importorskip("torch")
    ours, theirs = _torch_pair(torch, name, options)
    shape = ((2, 5, 3) if options.get("batch_first") else (5, 2, 3)) if batched else (5, 3)
    states = [s if batched else s[:, 0] for s in _states(ours, 2)] if given_states else None
    _compare_with_torch(torch, ours, theirs, RNG.standard_normal(shape), states)


@pytest.mark.parametrize("name", CELLS)
@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("given_states", [False, True])
def test_cells_match_pytorch(name, batched, given_states):
    torch = pytest.importorskip("torch")
    for options in [{}, {"bias": False}] + ([{"nonlinearity": "relu"}] if name == "RNNCell" else []):
        ours, theirs = _torch_pair(torch, name, options)
        lead = (2,) if batched else ()
        states = [RNG.standard_normal(lead + (4,)) for _ in range(2 if name == "LSTMCell" else 1)]
        _compare_with_torch(
            torch, ours, theirs, RNG.standard_normal(lead + (3,)), states if given_states else None
        )


def test_dropout_matches_pytorch_in_eval_and_draws_fresh_masks_in_training():
    """The masks differ from PyTorch's (each library draws its own), so only eval mode is compared."""
    torch = pytest.importorskip("torch")
    ours, theirs = _torch_pair(torch, "GRU", {"num_layers": 2, "dropout": 0.5})
    ours.load_state_dict(theirs.state_dict())
    x = RNG.standard_normal((4, 3, 3))
    ours.eval()
    theirs.eval()
    np.testing.assert_allclose(ours(_t(x))[0].data, theirs(torch.tensor(x))[0].detach().numpy(), atol=1e-12)
    ours.train()
    assert not np.allclose(ours(_t(x))[0].data, ours(_t(x))[0].data)  # a fresh mask each call
