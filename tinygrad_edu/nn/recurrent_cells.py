"""Recurrent cells: one time step of an Elman RNN, an LSTM and a GRU.

A cell maps the input x at one step and the previous hidden state h to the
next hidden state h'. With sigma the logistic sigmoid and * the elementwise
product, the three cells compute (every W x + b is a `linear`):

    RNNCell   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)          (or relu)

    LSTMCell  i  = sigma(W_ii x + b_ii + W_hi h + b_hi)           input gate
              f  = sigma(W_if x + b_if + W_hf h + b_hf)           forget gate
              g  = tanh(W_ig x + b_ig + W_hg h + b_hg)            candidate cell
              o  = sigma(W_io x + b_io + W_ho h + b_ho)           output gate
              c' = f * c + i * g,   h' = o * tanh(c')

    GRUCell   r  = sigma(W_ir x + b_ir + W_hr h + b_hr)           reset gate
              z  = sigma(W_iz x + b_iz + W_hz h + b_hz)           update gate
              n  = tanh(W_in x + b_in + r * (W_hn h + b_hn))      candidate state
              h' = (1 - z) * n + z * h

The gates' weights are stacked in one matrix, in PyTorch's order (LSTM: i, f,
g, o; GRU: r, z, n), so each cell does two matmuls per step: W_ih x and
W_hh h, each then cut into its gates. Note that the GRU's reset gate
multiplies W_hn h + b_hn, after the matmul, as PyTorch (and cuDNN) do; the
GRU paper puts it before (W_hn (r * h)), which is a different function.

Each step is written as a function of the input's projection gi = W_ih x + b_ih,
so that the full layers (recurrent.py) can compute gi for all time steps at
once and run only the recurrent part step by step.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from ..factories import zeros
from ..tensor import Tensor, check_device
from . import functional as F
from . import init
from .input_checks import check_tensors, type_name
from .module import Module
from .parameter import Parameter


def rnn_step(gi: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None, nonlinearity: str) -> Tensor:
    """h' = act(gi + W_hh h + b_hh), act being tanh or relu."""
    pre = gi + F.linear(h, w_hh, b_hh)
    return pre.tanh() if nonlinearity == "tanh" else pre.relu()


def lstm_step(
    gi: Tensor, h: Tensor, c: Tensor, w_hh: Tensor, b_hh: Tensor | None, w_hr: Tensor | None = None
) -> tuple[Tensor, Tensor]:
    """(h', c') of the LSTM equations; with a projection W_hr (LSTM's proj_size), h' = W_hr (o * tanh(c'))."""
    i, f, g, o = (gi + F.linear(h, w_hh, b_hh)).chunk(4, -1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h = o.sigmoid() * c.tanh()
    return (h if w_hr is None else F.linear(h, w_hr)), c


def gru_step(gi: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    """h' of the GRU equations."""
    x_r, x_z, x_n = gi.chunk(3, -1)
    h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, -1)  # (apart: r multiplies W_hn h + b_hn alone)
    r = (x_r + h_r).sigmoid()
    z = (x_z + h_z).sigmoid()
    n = (x_n + r * h_n).tanh()
    return n + z * (h - n)  # = (1 - z) n + z h, one product fewer


def check_state_pair(op: str, hx: Any) -> tuple[Tensor, Tensor]:
    """An LSTM's state must be a pair (h, c) of Tensors (PyTorch fails on anything else too)."""
    if not (isinstance(hx, (tuple, list)) and len(hx) == 2 and all(isinstance(s, Tensor) for s in hx)):
        raise TypeError(f"{op}: hx must be a tuple (h_0, c_0) of two Tensors, not {type_name(hx)}")
    return hx[0], hx[1]


class RNNCellBase(Module):
    """What the three cells share: the weights, their initialisation, repr and the input checks.

    Attributes (k = 1/sqrt(hidden_size); G = 1 for RNNCell, 4 for LSTMCell, 3 for GRUCell):
        weight_ih: (G hidden_size, input_size), initially U(-k, k)
        weight_hh: (G hidden_size, hidden_size), initially U(-k, k)
        bias_ih, bias_hh: (G hidden_size,), initially U(-k, k); None when bias=False
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool,
        num_chunks: int,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_device(device)
        if input_size < 0 or hidden_size < 0:
            raise RuntimeError(
                f"{self._get_name()}: sizes must be non-negative, got input_size={input_size}, "
                f"hidden_size={hidden_size}"
            )
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        dtype = np.dtype(dtype or get_default_dtype())
        gates = num_chunks * hidden_size
        self.weight_ih = Parameter(np.empty((gates, input_size), dtype=dtype))
        self.weight_hh = Parameter(np.empty((gates, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(np.empty((gates,), dtype=dtype))
            self.bias_hh = Parameter(np.empty((gates,), dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw every weight and bias from U(-k, k), k = 1/sqrt(hidden_size), as PyTorch does."""
        bound = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0.0
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        nonlinearity = self.__dict__.get("nonlinearity", "tanh")
        if nonlinearity != "tanh":
            text += f", nonlinearity={nonlinearity}"
        return text

    def _batched(self, input: Tensor, states: tuple[Tensor, ...] | None, hidden_names: str) -> bool:
        """Check the ranks of input (1-D or 2-D) and states; True when the input has a batch dim.

        `hidden_names` is how PyTorch names the states in its message: "hidden", or "hx[{}]".
        """
        name = self._get_name()
        check_tensors(name, ("input",), (input,), required=1)
        if input.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        for k, state in enumerate(states or ()):
            check_tensors(name, ("hx",), (state,), required=1)
            if state.ndim not in (1, 2):
                raise ValueError(
                    f"{name}: Expected {hidden_names.format(k)} to be 1D or 2D, got {state.ndim}D instead"
                )
            if state.ndim != input.ndim:  # (PyTorch fails here with an odd size error, or none)
                raise RuntimeError(
                    f"{name}: Expected {hidden_names.format(k)} to be {input.ndim}D like the input of "
                    f"shape {input.shape}, got {state.ndim}D"
                )
        return input.ndim == 2

    def _check_sizes(self, input: Tensor, states: tuple[Tensor, ...]) -> None:
        """PyTorch's size checks of a batched input (N, input_size) and states (N, hidden_size)."""
        if input.shape[1] != self.input_size:
            raise RuntimeError(
                f"input has inconsistent input_size: got {input.shape[1]} expected {self.input_size}"
            )
        for k, state in enumerate(states):
            if state.shape[0] != input.shape[0]:
                raise RuntimeError(
                    f"Input batch size {input.shape[0]} doesn't match hidden{k} batch size {state.shape[0]}"
                )
            if state.shape[1] != self.hidden_size:
                raise RuntimeError(
                    f"hidden{k} has inconsistent hidden_size: got {state.shape[1]}, "
                    f"expected {self.hidden_size}"
                )

    def _zeros(self, input: Tensor) -> Tensor:
        return zeros(input.shape[0], self.hidden_size, dtype=input.dtype)


class RNNCell(RNNCellBase):
    """An Elman RNN cell: h' = tanh(W_ih x + b_ih + W_hh h + b_hh), or relu for nonlinearity="relu".

    Shape:
        input (N, input_size) or (input_size,), hx (N, hidden_size) or (hidden_size,)
        (zeros when not given) -> h' (N, hidden_size) or (hidden_size,)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity  # (checked when called, as in PyTorch)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        batched = self._batched(input, None if hx is None else (hx,), "hidden")
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        x = input if batched else input.unsqueeze(0)
        h = self._zeros(x) if hx is None else hx if batched else hx.unsqueeze(0)
        self._check_sizes(x, (h,))
        gi = F.linear(x, self.weight_ih, self.bias_ih)
        h = rnn_step(gi, h, self.weight_hh, self.bias_hh, self.nonlinearity)
        return h if batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """A long short-term memory cell: (h', c') from (x, (h, c)); equations in the module docstring.

    Shape:
        input (N, input_size) or (input_size,), hx a pair (h, c), each (N, hidden_size) or
        (hidden_size,) (zeros when not given) -> (h', c') of the same shapes as (h, c)
    """

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        if hx is not None:
            hx = check_state_pair(self._get_name(), hx)
        batched = self._batched(input, hx, "hx[{}]")
        x = input if batched else input.unsqueeze(0)
        if hx is None:
            h = c = self._zeros(x)
        else:
            h, c = hx if batched else (hx[0].unsqueeze(0), hx[1].unsqueeze(0))
        self._check_sizes(x, (h, c))
        gi = F.linear(x, self.weight_ih, self.bias_ih)
        h, c = lstm_step(gi, h, c, self.weight_hh, self.bias_hh)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """A gated recurrent unit cell: h' from (x, h); equations in the module docstring.

    Shape:
        input (N, input_size) or (input_size,), hx (N, hidden_size) or (hidden_size,)
        (zeros when not given) -> h' (N, hidden_size) or (hidden_size,)
    """

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        batched = self._batched(input, None if hx is None else (hx,), "hidden")
        x = input if batched else input.unsqueeze(0)
        h = self._zeros(x) if hx is None else hx if batched else hx.unsqueeze(0)
        self._check_sizes(x, (h,))
        gi = F.linear(x, self.weight_ih, self.bias_ih)
        h = gru_step(gi, h, self.weight_hh, self.bias_hh)
        return h if batched else h.squeeze(0)
