"""The argument checks of the recurrent layers (recurrent.py), with PyTorch's messages and in its order.

Kept apart so that recurrent.py reads as the computation: a layer checks its
constructor's options once (`check_options`) and, at each call, the input
and the initial states (`check_state_ranks`, `check_input_and_states`).
"""

from __future__ import annotations

import numbers
from typing import Any

from ..tensor import Tensor
from ..warning import warn
from .input_checks import check_tensors


def check_options(
    input_size: Any,
    hidden_size: Any,
    num_layers: int,
    bias: Any,
    batch_first: Any,
    dropout: Any,
    proj_size: int,
) -> None:
    """PyTorch's checks of the constructor's arguments."""
    if not isinstance(dropout, numbers.Real) or isinstance(dropout, bool) or not 0 <= float(dropout) <= 1:
        raise ValueError(
            "dropout should be a number in range [0, 1] representing the probability of an element "
            "being zeroed"
        )
    if float(dropout) > 0 and num_layers == 1:
        warn(
            "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
            f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}"
        )
    for name, flag in (("bias", bias), ("batch_first", batch_first)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} should be of type bool, got: {type(flag).__name__}")
    for name, size in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(size, int):
            raise TypeError(f"{name} should be of type int, got: {type(size).__name__}")
        if size <= 0:
            raise ValueError(f"{name} must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


def check_state_ranks(name: str, hx: tuple[Tensor, ...], rank: int) -> None:
    """h_0 (and c_0) must have the input's rank: 3-D for a batch, 2-D for one sequence."""
    for state in hx:
        check_tensors(name, ("hx",), (state,), required=1)
    if all(state.ndim == rank for state in hx):
        return
    kind = "batched 3-D" if rank == 3 else "unbatched 2-D"
    if len(hx) == 1:
        raise RuntimeError(f"For {kind} input, hx should also be {rank}-D but got {hx[0].ndim}-D tensor")
    ranks = ", ".join(f"{state.ndim}-D" for state in hx)
    raise RuntimeError(f"For {kind} input, hx and cx should also be {rank}-D but got ({ranks}) tensors")


def check_input_and_states(
    name: str,
    x: Tensor,
    weight: Tensor,
    input_size: int,
    hx: tuple[Tensor, ...],
    shapes: list[tuple[int, int, int]],
) -> None:
    """x (L, N, input_size) matches the weights' dtype and input_size; each state its shape and x's dtype."""
    if x.dtype != weight.dtype:
        raise ValueError(
            f"RNN input dtype ({x.dtype}) does not match weight dtype ({weight.dtype}). "
            f"Convert input: input.to(tg.{weight.dtype}), or convert model: model.to(tg.{x.dtype})"
        )
    if x.shape[2] != input_size:
        raise RuntimeError(
            f"input.size(-1) must be equal to input_size. Expected {input_size}, got {x.shape[2]}"
        )
    for k, (state, shape) in enumerate(zip(hx, shapes)):
        if state.shape != shape:
            which = f"[{k}]" if len(hx) > 1 else ""
            raise RuntimeError(f"Expected hidden{which} size {shape}, got {list(state.shape)}")
        if state.dtype != x.dtype:
            raise RuntimeError(f"{name}: hx of dtype {state.dtype} does not match input of dtype {x.dtype}")
    if x.shape[0] == 0:
        raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
