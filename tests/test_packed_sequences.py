"""nn.utils.rnn (padding and packing sequences of different lengths) and recurrent layers on packed batches.

The packing functions are checked against packings written out step by step
in NumPy, and by round trips; the layers against each sequence run alone
(the unpacked path, so these run without PyTorch) and against PyTorch's
layers, whose weights are copied into ours, where it is installed.
Gradients are checked against finite differences in float64.
"""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_edu as tg
from tinygrad_edu.nn.recurrent import GRU, LSTM, RNN
from tinygrad_edu.nn.utils.rnn import (
    PackedSequence,
    invert_permutation,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    pad_sequence,
    unpack_sequence,
    unpad_sequence,
)
from tinygrad_edu.testing import gradcheck

RNG = np.random.default_rng(17)
LAYERS = {"RNN": RNN, "LSTM": LSTM, "GRU": GRU}


def _t(array: np.ndarray, requires_grad: bool = False) -> tg.Tensor:
    return tg.tensor(np.asarray(array, dtype=np.float64), requires_grad=requires_grad)


def _sequences(lengths: list[int], features: int = 2) -> list[np.ndarray]:
    return [RNG.standard_normal((n, features)) for n in lengths]


def _packed_by_hand(seqs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(data, batch_sizes) of sequences already sorted longest first: step after step, the running ones."""
    steps = max(len(s) for s in seqs)
    rows = [s[t] for t in range(steps) for s in seqs if len(s) > t]
    return np.stack(rows), np.array([sum(len(s) > t for s in seqs) for t in range(steps)])


# ---------------------------------------------------------------- padding


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence_places_each_sequence_and_the_padding(batch_first: bool, side: str) -> None:
    seqs = _sequences([3, 1, 4])
    out = pad_sequence([_t(s) for s in seqs], batch_first=batch_first, padding_value=-7.0, padding_side=side)
    expected = np.full((3, 4, 2), -7.0)  # (B, T, 2)
    for b, s in enumerate(seqs):
        if side == "right":
            expected[b, : len(s)] = s
        else:
            expected[b, 4 - len(s) :] = s
    np.testing.assert_array_equal(out.data, expected if batch_first else expected.transpose(1, 0, 2))
    back = unpad_sequence(out, tg.tensor([3, 1, 4]), batch_first=batch_first) if side == "right" else []
    for got, s in zip(back, seqs):
        np.testing.assert_array_equal(got.data, s)


def test_pad_sequence_takes_a_tensor_keeps_the_first_dtype_and_is_differentiable() -> None:
    rows = tg.tensor(RNG.standard_normal((2, 3)))
    np.testing.assert_array_equal(pad_sequence(rows).data, rows.data.T)  # a tensor is its rows, of length 3
    mixed = pad_sequence([tg.ones(2, dtype=tg.float32), tg.ones(3, dtype=tg.float64)])
    assert mixed.dtype == tg.float32 and mixed.shape == (3, 2)
    a, b = _t(RNG.standard_normal((3, 2)), True), _t(RNG.standard_normal((1, 2)), True)
    assert gradcheck(lambda a, b: pad_sequence([a, b], batch_first=True, padding_side="left"), [a, b])


def test_pad_sequence_errors() -> None:
    with pytest.raises(RuntimeError, match="received an empty list of sequences"):
        pad_sequence([])
    with pytest.raises(RuntimeError, match="Expected padding_side to be one of left or right, but got up."):
        pad_sequence([tg.ones(2)], padding_side="up")
    with pytest.raises(RuntimeError, match=r"pad_sequence: .* sequence 1 has shape \[3, 4\]"):
        pad_sequence([tg.ones(2, 3), tg.ones(3, 4)])
    with pytest.raises(RuntimeError, match="pad_sequence: .* sequence 0 has shape \\[\\]"):
        pad_sequence([tg.ones(()), tg.ones(3)])


# ---------------------------------------------------------------- packing


@pytest.mark.parametrize("batch_first", [False, True])
def test_pack_padded_sequence_matches_packing_by_hand_and_round_trips(batch_first: bool) -> None:
    seqs = _sequences([4, 4, 2, 1])
    padded = pad_sequence([_t(s) for s in seqs], batch_first=batch_first)
    packed = pack_padded_sequence(padded, [4, 4, 2, 1], batch_first=batch_first)
    data, sizes = _packed_by_hand(seqs)
    np.testing.assert_array_equal(packed.data.data, data)
    np.testing.assert_array_equal(packed.batch_sizes.data, sizes)
    assert packed.batch_sizes.dtype == tg.int64
    assert packed.sorted_indices is None and packed.unsorted_indices is None
    again, lengths = pad_packed_sequence(packed, batch_first=batch_first, padding_value=0.0)
    np.testing.assert_array_equal(again.data, padded.data)
    np.testing.assert_array_equal(lengths.data, [4, 4, 2, 1])
    assert lengths.dtype == tg.int64


def test_unsorted_batches_are_sorted_stably_and_put_back() -> None:
    lengths = [2, 3, 2, 3, 1, 2]
    seqs = _sequences(lengths)
    packed = pack_sequence([_t(s) for s in seqs], enforce_sorted=False)
    order = [1, 3, 0, 2, 5, 4]  # longest first, ties in their order
    np.testing.assert_array_equal(packed.sorted_indices.data, order)
    np.testing.assert_array_equal(packed.unsorted_indices.data[order], np.arange(6))
    data, sizes = _packed_by_hand([seqs[k] for k in order])
    np.testing.assert_array_equal(packed.data.data, data)
    np.testing.assert_array_equal(packed.batch_sizes.data, sizes)
    for got, s in zip(unpack_sequence(packed), seqs):  # in the caller's order
        np.testing.assert_array_equal(got.data, s)
    padded, back = pad_packed_sequence(packed, batch_first=True, padding_value=5.0, total_length=4)
    assert padded.shape == (6, 4, 2)
    np.testing.assert_array_equal(back.data, lengths)
    for b, s in enumerate(seqs):
        np.testing.assert_array_equal(padded.data[b, : len(s)], s)
        assert np.all(padded.data[b, len(s) :] == 5.0)


@pytest.mark.parametrize("lengths", [[3, 2, 1], (3, 2, 1), np.array([3, 2, 1]), tg.tensor([3, 2, 1])])
def test_lengths_may_be_a_list_tuple_array_or_tensor(lengths: object) -> None:
    packed = pack_padded_sequence(tg.arange(9.0).reshape(3, 3), lengths)
    np.testing.assert_array_equal(packed.data.data, [0, 1, 2, 3, 4, 6])
    np.testing.assert_array_equal(packed.batch_sizes.data, [3, 2, 1])


def test_packing_is_differentiable() -> None:
    x = _t(RNG.standard_normal((4, 3, 2)), True)
    packed = lambda x: pack_padded_sequence(x, [3, 4, 1], enforce_sorted=False).data
    assert gradcheck(packed, [x])
    data = _t(RNG.standard_normal((6, 2)), True)
    sizes, order = tg.tensor([3, 2, 1]), tg.tensor([2, 0, 1])
    unpack = lambda d: pad_packed_sequence(PackedSequence(d, sizes, order), True, -1.0, 5)[0]
    assert gradcheck(unpack, [data])


def test_packing_errors_say_what_is_wrong() -> None:
    x = tg.zeros(4, 3, 2)
    with pytest.raises(RuntimeError, match="`lengths` array must be sorted in decreasing order when"):
        pack_padded_sequence(x, [2, 3, 1])
    with pytest.raises(RuntimeError, match="Length of all samples has to be greater than 0"):
        pack_padded_sequence(x, [3, 2, 0])
    with pytest.raises(RuntimeError, match="Length of all samples has to be greater than 0"):
        pack_padded_sequence(x, [0, 3, 2], enforce_sorted=False)
    with pytest.raises(RuntimeError, match=r"Expected `len\(lengths\)` to be equal to batch_size, but got 2"):
        pack_padded_sequence(x, [3, 2])
    with pytest.raises(
        RuntimeError, match="a length of 5 in `lengths` is longer than the input's 4 time steps"
    ):
        pack_padded_sequence(x, [5, 3, 1], enforce_sorted=False)
    with pytest.raises(RuntimeError, match="'lengths' argument should be a 1D CPU int64 tensor, but got 2D"):
        pack_padded_sequence(x, tg.tensor([[3, 2, 1]]))
    with pytest.raises(TypeError, match="lengths should hold integers"):
        pack_padded_sequence(x, ["3", "2", "1"])
    with pytest.raises(RuntimeError, match="Cannot pack empty tensors."):
        pack_padded_sequence(tg.zeros(0, 3), [1, 1, 1])
    with pytest.raises(IndexError, match="pack_padded_sequence: input must be"):
        pack_padded_sequence(tg.zeros(4), [3])
    with pytest.raises(RuntimeError, match="received an empty list of sequences"):
        pack_sequence([])
    packed = pack_sequence([tg.ones(3), tg.ones(2)])
    with pytest.raises(ValueError, match="got total_length=2 and max sequence length being 3"):
        pad_packed_sequence(packed, total_length=2)


def test_packed_sequence_is_a_named_tuple_with_conversions() -> None:
    packed = PackedSequence(tg.ones(3), tg.tensor([2, 1]), tg.tensor([1, 0]))
    assert isinstance(packed, tuple) and packed._fields[0] == "data"
    np.testing.assert_array_equal(packed.unsorted_indices.data, [1, 0])  # worked out from sorted_indices
    np.testing.assert_array_equal(invert_permutation(tg.tensor([2, 0, 1])).data, [1, 2, 0])
    assert invert_permutation(None) is None
    double = packed.double()
    assert type(double) is PackedSequence and double.data.dtype == tg.float64
    assert double.batch_sizes is packed.batch_sizes and double.sorted_indices is packed.sorted_indices
    assert packed.to(tg.float32) is packed and packed.float() is packed and packed.cpu() is packed
    assert packed.long().data.dtype == tg.int64 and not packed.is_cuda
    pair = PackedSequence((tg.ones(3), tg.tensor([2, 1])))  # the older (data, batch_sizes) form
    assert pair.sorted_indices is None and pair.batch_sizes.shape == (2,)
    with pytest.raises(TypeError, match="batch_sizes should be a Tensor, got list"):
        PackedSequence(tg.ones(3), [2, 1])


def test_nn_utils_is_a_package_with_the_old_names() -> None:
    from tinygrad_edu.nn.utils import clip_grad_norm_, parameters_to_vector

    assert (
        tg.nn.utils.clip_grad_norm_ is clip_grad_norm_
        and tg.nn.utils.parameters_to_vector is parameters_to_vector
    )
    assert tg.nn.utils.rnn.pack_sequence is pack_sequence


# ---------------------------------------------------------------- recurrent layers on packed batches


def _layer(kind: str, bidirectional: bool, num_layers: int = 2) -> tg.nn.Module:
    tg.manual_seed(3)
    return LAYERS[kind](3, 4, num_layers=num_layers, bidirectional=bidirectional, dtype=tg.float64)


def _states(kind: str, layer: tg.nn.Module, batch: int) -> tuple[tg.Tensor, ...]:
    shape = ((2 if layer.bidirectional else 1) * layer.num_layers, batch, 4)
    return tuple(_t(RNG.standard_normal(shape)) for _ in range(2 if kind == "LSTM" else 1))


@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_a_packed_batch_gives_what_each_sequence_gives_alone(kind: str, bidirectional: bool) -> None:
    layer, lengths = _layer(kind, bidirectional), [2, 5, 1, 3]
    seqs = _sequences(lengths, 3)
    hx = _states(kind, layer, 4)
    arg = hx if kind == "LSTM" else hx[0]
    out, final = layer(pack_sequence([_t(s) for s in seqs], enforce_sorted=False), arg)
    assert isinstance(out, PackedSequence) and out.data.shape == (11, 4 * (2 if bidirectional else 1))
    finals = final if kind == "LSTM" else (final,)
    for b, (seq, got) in enumerate(zip(seqs, unpack_sequence(out))):
        alone = tuple(state[:, b] for state in hx)
        want, want_final = layer(_t(seq), alone if kind == "LSTM" else alone[0])
        np.testing.assert_allclose(got.data, want.data, rtol=1e-12, atol=1e-12)
        for state, expected in zip(finals, want_final if kind == "LSTM" else (want_final,)):
            np.testing.assert_allclose(state.data[:, b], expected.data, rtol=1e-12, atol=1e-12)


def test_batch_first_does_not_change_a_packed_batch() -> None:
    packed = pack_sequence([_t(s) for s in _sequences([3, 2], 3)])
    plain, first = _layer("GRU", False), _layer("GRU", False)
    first.batch_first = True
    out, h = plain(packed)
    out_first, h_first = first(packed)
    np.testing.assert_array_equal(out.data.data, out_first.data.data)
    np.testing.assert_array_equal(h.data, h_first.data)
    assert h.shape == (2, 2, 4)


def test_lstm_on_a_packed_batch_passes_gradcheck() -> None:
    layer = _layer("LSTM", True, num_layers=1)
    x = _t(RNG.standard_normal((3, 3, 3)), True)
    h0, c0 = (_t(RNG.standard_normal((2, 3, 4)), True) for _ in range(2))
    weights = list(layer.parameters())

    def run(x: tg.Tensor, h0: tg.Tensor, c0: tg.Tensor, *params: tg.Tensor) -> list[tg.Tensor]:
        out, (h, c) = layer(pack_padded_sequence(x, [2, 3, 1], enforce_sorted=False), (h0, c0))
        return [out.data, h, c]

    assert gradcheck(run, [x, h0, c0, *weights])


def test_packed_input_errors() -> None:
    gru = _layer("GRU", False, num_layers=1)
    packed = pack_sequence([_t(s) for s in _sequences([3, 2], 3)])
    with pytest.raises(RuntimeError, match=r"Expected hidden size \(1, 2, 4\), got \[2, 4\]"):
        gru(packed, _t(np.zeros((2, 4))))
    with pytest.raises(
        RuntimeError, match="input.size\\(-1\\) must be equal to input_size. Expected 3, got 2"
    ):
        gru(pack_sequence([_t(s) for s in _sequences([3, 2], 2)]))
    with pytest.raises(RuntimeError, match="input must have 2 dimensions, got 3"):
        gru(pack_sequence([_t(np.zeros((3, 1, 3))), _t(np.zeros((2, 1, 3)))]))
    with pytest.raises(ValueError, match="RNN input dtype \\(float32\\) does not match weight dtype"):
        gru(packed.float())


# ---------------------------------------------------------------- against PyTorch


def _torch_pair(kind: str, bidirectional: bool):  # noqa: ANN202
    torch = pytest.importorskip("torch")
    ours = _layer(kind, bidirectional)
    theirs = getattr(torch.nn, kind)(3, 4, num_layers=2, bidirectional=bidirectional).double()
    for name, param in ours.named_parameters():
        getattr(theirs, name).data = torch.tensor(param.data)
    return torch, ours, theirs


@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("with_h0", [False, True])
def test_packed_layers_match_pytorch(kind: str, bidirectional: bool, with_h0: bool) -> None:
    torch, ours, theirs = _torch_pair(kind, bidirectional)
    from torch.nn.utils import rnn as trnn

    x, lengths = RNG.standard_normal((5, 4, 3)), [2, 5, 3, 5]
    hx = _states(kind, ours, 4) if with_h0 else None
    ours_x, theirs_x = _t(x, True), torch.tensor(x, requires_grad=True)
    ours_hx = None if hx is None else (hx if kind == "LSTM" else hx[0])
    theirs_hx = None if hx is None else tuple(torch.tensor(s.data) for s in hx)
    if theirs_hx is not None and kind != "LSTM":
        theirs_hx = theirs_hx[0]
    out, final = ours(pack_padded_sequence(ours_x, lengths, enforce_sorted=False), ours_hx)
    t_out, t_final = theirs(trnn.pack_padded_sequence(theirs_x, lengths, enforce_sorted=False), theirs_hx)
    np.testing.assert_allclose(out.data.data, t_out.data.detach().numpy(), rtol=1e-10, atol=1e-12)
    for name in ("batch_sizes", "sorted_indices", "unsorted_indices"):
        np.testing.assert_array_equal(getattr(out, name).data, getattr(t_out, name).numpy())
    finals = final if kind == "LSTM" else (final,)
    t_finals = t_final if kind == "LSTM" else (t_final,)
    for a, b in zip(finals, t_finals):
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-10, atol=1e-12)
    weight = RNG.standard_normal(out.data.shape)
    loss = (out.data * _t(weight)).sum() + sum((s * s).sum() for s in finals)
    t_loss = (t_out.data * torch.tensor(weight)).sum() + sum((s * s).sum() for s in t_finals)
    loss.backward()
    t_loss.backward()
    for name, param in ours.named_parameters():
        np.testing.assert_allclose(param.grad.data, getattr(theirs, name).grad.numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours_x.grad.data, theirs_x.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_padding_and_packing_match_pytorch() -> None:
    torch = pytest.importorskip("torch")
    from torch.nn.utils import rnn as trnn

    seqs = _sequences([2, 4, 4, 1, 3])
    for side in ("left", "right"):
        ours = pad_sequence([_t(s) for s in seqs], True, 9.0, side)
        theirs = trnn.pad_sequence([torch.tensor(s) for s in seqs], True, 9.0, side)
        np.testing.assert_array_equal(ours.data, theirs.numpy())
    ours_p = pack_sequence([_t(s) for s in seqs], enforce_sorted=False)
    theirs_p = trnn.pack_sequence([torch.tensor(s) for s in seqs], enforce_sorted=False)
    for ours_field, theirs_field in zip(ours_p, theirs_p):
        np.testing.assert_array_equal(ours_field.data, theirs_field.numpy())
    padded, lengths = pad_packed_sequence(ours_p, padding_value=-1.0, total_length=6)
    t_padded, t_lengths = trnn.pad_packed_sequence(theirs_p, padding_value=-1.0, total_length=6)
    np.testing.assert_array_equal(padded.data, t_padded.numpy())
    np.testing.assert_array_equal(lengths.data, t_lengths.numpy())


def test_packing_error_messages_match_pytorch() -> None:
    torch = pytest.importorskip("torch")
    from torch.nn.utils import rnn as trnn

    cases = [([2, 3, 1], True), ([3, 2, 0], True), ([3, 2], True), ([0, 3, 1], False)]
    for lengths, enforce in cases:
        with pytest.raises(RuntimeError) as theirs:
            trnn.pack_padded_sequence(torch.zeros(4, 3, 2), lengths, enforce_sorted=enforce)
        with pytest.raises(RuntimeError) as ours:
            pack_padded_sequence(tg.zeros(4, 3, 2), lengths, enforce_sorted=enforce)
        assert str(ours.value) == str(theirs.value)
