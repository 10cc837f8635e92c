"""Recurrent layers `RNN`, `LSTM` and `GRU`, which run a cell over a whole sequence.

Each cell (recurrent_cells.py, whose docstring gives the equations) maps the
input x_t and the state h_{t-1} to h_t; a layer applies it at t = 1 .. L,
starting from h_0 (zeros unless given), and returns every h_t (the output)
and the last state h_L. Options, as in PyTorch:

- ``num_layers``: a stack of layers, each reading the outputs of the one
  below; ``dropout`` zeroes the outputs of every layer but the last (in
  training mode only), drawn from the global generator (`tg.manual_seed`).
- ``bidirectional``: a second layer reads the sequence backwards (t = L .. 1)
  with weights of its own ("..._reverse"); both outputs at step t are
  joined, so the output has 2 hidden_size features, and h_n holds both
  directions' final states, forward first.
- ``batch_first``: input and output are (N, L, H) instead of (L, N, H);
  h_0 and h_n are (D num_layers, N, H) either way.
- ``proj_size`` (LSTM only): h_t = W_hr (o * tanh(c_t)) is projected down to
  proj_size features, which is what the next step and the next layer see.

Given a `PackedSequence` (nn/utils/rnn.py) of sequences of different lengths,
a layer returns one packed the same way, and final states taken at each
sequence's own last step: it runs on the padded (L, N, *) batch, where at
each step a sequence that has ended (or, read backwards, not yet begun) keeps
its state: h_t = where(running_t, cell(x_t, h_{t-1}), h_{t-1}).

Inside a direction the input's part of every step, W_ih x_t + b_ih, does not
depend on the state, so one matmul computes it for all steps at once; the
loop over time then does only the recurrent part (see `_run_direction`).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ..dtypes import get_default_dtype
from ..factories import zeros
from ..ops.elementwise import where
from ..ops.joining import cat, stack
from ..tensor import Tensor, check_device
from . import functional as F
from . import init
from .input_checks import check_tensors
from .module import Module
from .parameter import Parameter
from .recurrent_cells import (
    GRUCell,
    LSTMCell,
    RNNCell,
    RNNCellBase,
    check_state_pair,
    gru_step,
    lstm_step,
    rnn_step,
)
from .recurrent_checks import check_input_and_states, check_options, check_state_ranks
from .utils.rnn import PackedSequence, packed_from_padded, padded_from_packed

__all__ = ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNBase", "RNNCell", "RNNCellBase"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}  # gates stacked in the weights, per mode
_NAMES = {"RNN_TANH": "RNN", "RNN_RELU": "RNN", "LSTM": "LSTM", "GRU": "GRU"}


class _Weights(NamedTuple):
    """One layer's weights in one direction; the biases are None with bias=False, hr without proj_size."""

    ih: Tensor
    hh: Tensor
    b_ih: Tensor | None
    b_hh: Tensor | None
    hr: Tensor | None


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the weights, their names and initialisation, the checks and the loops.

    Attributes, for layer l and direction suffix "" or "_reverse" (k = 1/sqrt(hidden_size),
    G the number of gates: 1 for RNN, 4 for LSTM, 3 for GRU, H the state's size: proj_size or hidden_size):
        weight_ih_l{l}{suffix}: (G hidden_size, input_size) for l = 0, else (G hidden_size, D H),
            initially U(-k, k)
        weight_hh_l{l}{suffix}: (G hidden_size, H), initially U(-k, k)
        bias_ih_l{l}{suffix}, bias_hh_l{l}{suffix}: (G hidden_size,), initially U(-k, k); absent
            when bias=False
        weight_hr_l{l}{suffix}: (proj_size, hidden_size), LSTM with proj_size > 0 only; U(-k, k)
    """

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        check_options(input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size)
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        self._make_weights(np.dtype(dtype or get_default_dtype()))
        self.reset_parameters()

    def _make_weights(self, dtype: np.dtype) -> None:
        """Register every weight in PyTorch's order: by layer, then direction, then ih, hh, biases, hr."""
        gates = _GATES[self.mode] * self.hidden_size
        state_size = self.proj_size or self.hidden_size
        directions = 2 if self.bidirectional else 1
        self._flat_weights_names: list[str] = []
        self._all_weights: list[list[str]] = []
        for layer in range(self.num_layers):
            for direction in range(directions):
                inputs = self.input_size if layer == 0 else state_size * directions
                shapes: dict[str, tuple[int, ...]] = {
                    "weight_ih": (gates, inputs),
                    "weight_hh": (gates, state_size),
                }
                if self.bias:
                    shapes.update(bias_ih=(gates,), bias_hh=(gates,))
                if self.proj_size > 0:
                    shapes["weight_hr"] = (self.proj_size, self.hidden_size)
                suffix = "_reverse" if direction == 1 else ""
                names = [f"{kind}_l{layer}{suffix}" for kind in shapes]
                for name, shape in zip(names, shapes.values()):
                    setattr(self, name, Parameter(np.empty(shape, dtype=dtype)))
                self._flat_weights_names += names
                self._all_weights.append(names)

    def reset_parameters(self) -> None:
        """Draw every weight and bias from U(-k, k), k = 1/sqrt(hidden_size), as PyTorch does."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The weights of each layer and direction, in order (PyTorch's `all_weights`)."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self) -> None:
        """Does nothing: PyTorch packs the weights into one block of memory for cuDNN; there is none here."""

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text

    # ------------------------------------------------------------ forward

    def _step(self, gi: Tensor, state: tuple[Tensor, ...], w: _Weights) -> tuple[Tensor, ...]:
        """One time step: the next state from the input's projection gi = W_ih x_t + b_ih."""
        raise NotImplementedError

    def _run(
        self, input: Tensor | PackedSequence, hx: tuple[Tensor, ...] | None
    ) -> tuple[Any, tuple[Tensor, ...]]:
        """Check the arguments, run the layers; (output, final states) in the caller's layout."""
        name = _NAMES[self.mode]
        if isinstance(input, PackedSequence):
            return self._run_packed(input, hx)
        check_tensors(name, ("input",), (input,), required=1)
        if input.ndim not in (2, 3):
            tensor = " tensor" if name == "RNN" else ""  # (PyTorch's messages differ so)
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.ndim}D{tensor} instead")
        batched = input.ndim == 3
        if hx is not None:
            check_state_ranks(name, hx, input.ndim)
        if not batched:  # a batch of one, at dim 1 of (L, N, H)
            x, hx = input.unsqueeze(1), None if hx is None else tuple(s.unsqueeze(1) for s in hx)
        else:
            x = input.transpose(0, 1) if self.batch_first else input
        states = self._initial_states(x, hx)
        output, finals = self._layers(x, states)
        if not batched:
            return output.squeeze(1), tuple(s.squeeze(1) for s in finals)
        return (output.transpose(0, 1) if self.batch_first else output), finals

    def _run_packed(
        self, packed: PackedSequence, hx: tuple[Tensor, ...] | None
    ) -> tuple[PackedSequence, tuple[Tensor, ...]]:
        """`_run` for a packed batch: hx and the final states in the caller's order, the rest sorted."""
        data, batch_sizes = packed.data, packed.batch_sizes
        for state in hx or ():
            check_tensors(_NAMES[self.mode], ("hx",), (state,), required=1)
        if data.ndim != 2:
            raise RuntimeError(f"input must have 2 dimensions, got {data.ndim}")
        x = padded_from_packed(data, batch_sizes)  # (L, N, input_size), sorted longest first
        states = self._initial_states(x, hx)
        if hx is not None and packed.sorted_indices is not None:
            states = tuple(s.index_select(1, packed.sorted_indices) for s in states)
        running = np.arange(x.shape[1]) < batch_sizes.data[:, None]  # (L, N): sequence n still runs at step t
        output, finals = self._layers(x, states, running)
        if packed.unsorted_indices is not None:
            finals = tuple(s.index_select(1, packed.unsorted_indices) for s in finals)
        out = PackedSequence(packed_from_padded(output, batch_sizes), batch_sizes, *packed[2:])
        return out, finals

    def _initial_states(self, x: Tensor, hx: tuple[Tensor, ...] | None) -> tuple[Tensor, ...]:
        """The states for x (L, N, input_size): hx, checked, or zeros; (h_0,) or (h_0, c_0)."""
        layers = self.num_layers * (2 if self.bidirectional else 1)
        shapes = [(layers, x.shape[1], self.proj_size or self.hidden_size)]
        if self.mode == "LSTM":
            shapes.append((layers, x.shape[1], self.hidden_size))  # the cell state is never projected
        if hx is None:
            hx = tuple(zeros(*shape, dtype=x.dtype) for shape in shapes)
        weight = self._parameters[self._flat_weights_names[0]]
        check_input_and_states(_NAMES[self.mode], x, weight, self.input_size, hx, shapes)
        return hx

    def _layers(
        self, x: Tensor, states: tuple[Tensor, ...], running: np.ndarray | None = None
    ) -> tuple[Tensor, tuple[Tensor, ...]]:
        """Run every layer and direction over x (L, N, input_size); (output, the final states stacked).

        running (L, N) (a packed batch only) says which sequences still run at each step.
        """
        directions = 2 if self.bidirectional else 1
        initial = [s.unbind(0) for s in states]  # per state kind, one (N, H) per layer and direction
        finals: list[tuple[Tensor, ...]] = []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                state = tuple(s[k] for s in initial)
                out, final = self._run_direction(x, state, self._weights(k), direction == 1, running)
                outputs.append(out)
                finals.append(final)
            x = cat(outputs, 2) if directions == 2 else outputs[0]
            if layer < self.num_layers - 1:  # dropout between layers, not after the last
                x = F.dropout(x, self.dropout, self.training)
        return x, tuple(stack([final[i] for final in finals]) for i in range(len(states)))

    def _weights(self, k: int) -> _Weights:
        """The weights of layer and direction number k, found by name (so a replaced Parameter is used)."""
        layer, direction = divmod(k, 2 if self.bidirectional else 1)
        suffix = f"_l{layer}" + ("_reverse" if direction == 1 else "")
        get = self._parameters.get  # (None for a bias or projection the layer does not have)
        return _Weights(
            get("weight_ih" + suffix),
            get("weight_hh" + suffix),
            get("bias_ih" + suffix),
            get("bias_hh" + suffix),
            get("weight_hr" + suffix),
        )

    def _run_direction(
        self, x: Tensor, state: tuple[Tensor, ...], w: _Weights, reverse: bool, running: np.ndarray | None
    ) -> tuple[Tensor, tuple[Tensor, ...]]:
        """One layer in one direction over x (L, N, in): (every step's h as (L, N, H), the final state)."""
        # The classic speed-up: W_ih x_t + b_ih does not depend on the state, so one
        # matmul computes it for all L steps at once, and the loop below does only the
        # recurrent part W_hh h + ..., which must wait for the previous step.
        # (Backward adds each step's slice of the gradient in place into the whole
        # projection's, so it stays linear in L: see Scattered in autograd/engine.py.)
        projected = F.linear(x, w.ih, w.b_ih).unbind(0)
        outputs = []
        for t in reversed(range(len(projected))) if reverse else range(len(projected)):
            new = self._step(projected[t], state, w)
            if running is not None and not running[t].all():
                # a sequence not running at t keeps its state: its final one once it has ended, or
                # (read backwards) h_0 until its last step comes
                keep = Tensor(running[t, :, None])
                new = tuple(where(keep, n, s) for n, s in zip(new, state))
            state = new
            outputs.append(state[0])
        if reverse:
            outputs.reverse()  # the output at t belongs at t, whichever way the sequence was read
        return stack(outputs), state


class RNN(RNNBase):
    """An Elman RNN, h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) (or relu), over a sequence.

    Shape (D = 2 if bidirectional else 1, H_out = hidden_size):
        input (L, N, input_size), (N, L, input_size) with batch_first, or (L, input_size);
        hx (D num_layers, N, H_out) or (D num_layers, H_out), zeros when not given
        -> output (L, N, D H_out) (batch_first: (N, L, D H_out); unbatched: (L, D H_out)),
        h_n of hx's shape; a PackedSequence input gives a PackedSequence output, h_n (D num_layers, N, H_out)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        options = (num_layers, bias, batch_first, dropout, bidirectional)
        super().__init__(mode, input_size, hidden_size, *options, 0, device, dtype)

    def _step(self, gi: Tensor, state: tuple[Tensor, ...], w: _Weights) -> tuple[Tensor, ...]:
        return (rnn_step(gi, state[0], w.hh, w.b_hh, self.nonlinearity),)

    def forward(self, input: Tensor | PackedSequence, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        output, (h_n,) = self._run(input, None if hx is None else (hx,))
        return output, h_n


class LSTM(RNNBase):
    """A long short-term memory layer over a sequence; the cell's equations are in recurrent_cells.py.

    Shape (D = 2 if bidirectional else 1, H_out = proj_size or hidden_size):
        input as for RNN; hx a pair (h_0, c_0): h_0 (D num_layers, N, H_out), c_0
        (D num_layers, N, hidden_size) (without N for an unbatched input), zeros when not given
        -> output (L, N, D H_out) (batch_first: (N, L, D H_out); unbatched: (L, D H_out)),
        (h_n, c_n) of the shapes of (h_0, c_0)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        options = (num_layers, bias, batch_first, dropout, bidirectional)
        super().__init__("LSTM", input_size, hidden_size, *options, proj_size, device, dtype)

    def _step(self, gi: Tensor, state: tuple[Tensor, ...], w: _Weights) -> tuple[Tensor, ...]:
        return lstm_step(gi, state[0], state[1], w.hh, w.b_hh, w.hr)

    def forward(
        self, input: Tensor | PackedSequence, hx: tuple[Tensor, Tensor] | None = None
    ) -> tuple[Any, tuple[Tensor, Tensor]]:
        output, (h_n, c_n) = self._run(input, None if hx is None else check_state_pair("LSTM", hx))
        return output, (h_n, c_n)


class GRU(RNNBase):
    """A gated recurrent unit layer over a sequence; the cell's equations are in recurrent_cells.py.

    Shape: as for RNN.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        options = (num_layers, bias, batch_first, dropout, bidirectional)
        super().__init__("GRU", input_size, hidden_size, *options, 0, device, dtype)

    def _step(self, gi: Tensor, state: tuple[Tensor, ...], w: _Weights) -> tuple[Tensor, ...]:
        return (gru_step(gi, state[0], w.hh, w.b_hh),)

    def forward(self, input: Tensor | PackedSequence, hx: Tensor | None = None) -> tuple[Any, Tensor]:
        output, (h_n,) = self._run(input, None if hx is None else (hx,))
        return output, h_n
