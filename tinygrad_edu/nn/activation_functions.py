"""Activation functions: relu, sigmoid, tanh, gelu, the ELU family, the hard ones, softmax, ...

The nonlinearities between layers, as functions (`F.relu(x)`); the layers in
activation.py call them. Each is composed from Tensor operations, so it is
differentiable twice. Where PyTorch has ``inplace=True`` the result is
written into the input's memory through the in-place machinery of Tensor
(`_in_place`), with its checks. At a kink (hardtanh's ends, hardsigmoid's
+-3) the slope is the one PyTorch uses. More activations are in
extra_activations.py, rrelu.py and softmax_variants.py; all are in `F`
(functional.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..dtypes import require_float
from ..ops.elementwise import where
from ..tensor import Tensor
from ..warning import warn

if TYPE_CHECKING:
    from numpy.typing import DTypeLike


def _in_place(input: Tensor, op: Callable[[Tensor], Tensor]) -> Tensor:
    """`op(input)` written into `input`'s memory (``inplace=True``); input becomes the result.

    It goes through the in-place operators' machinery, `Tensor._inplace`, and
    its rules: a leaf that requires grad cannot change, and a backward that
    needed the old value raises.
    """
    return input._inplace(lambda t, _: op(t), None)


def _run(input: Tensor, op: Callable[[Tensor], Tensor], inplace: bool) -> Tensor:
    """`op(input)`, written into input's memory when inplace=True."""
    return _in_place(input, op) if inplace else op(input)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0)."""
    return _run(input, Tensor.relu, inplace)


def relu_(input: Tensor) -> Tensor:
    """relu, in place."""
    return relu(input, inplace=True)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(beta x)) / beta, and x itself where beta x > threshold."""
    return input.softplus(beta, threshold)


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e^-x)."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """(e^x - e^-x) / (e^x + e^-x)."""
    return input.tanh()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope * x."""
    return _run(input, lambda t: t.leaky_relu(negative_slope), inplace)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """leaky_relu, in place."""
    return leaky_relu(input, negative_slope, inplace=True)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF (approximate="tanh" for the tanh formula)."""
    return input.gelu(approximate)


def _exp_below_zero(x: Tensor, alpha: float, slope: float, op: str) -> Tensor:
    """x where x > 0, else alpha (e^(slope x) - 1): the shape of ELU, SELU and CELU.

    NOTE: the exponential only sees min(x, 0). e^x of a large x, on the branch
    that `where` throws away, would be inf, and its gradient 0 * inf = nan.
    At x = 0 the slope is alpha * slope, from the exponential side, as in PyTorch;
    a NaN takes the x side (not x <= 0), so its gradient is 1, as there too.
    """
    require_float(x.dtype, op)
    positive = ~(x <= 0)
    below = where(positive, 0.0, x)
    return where(positive, x, (below * slope).expm1() * alpha)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha (e^x - 1)."""
    return _run(input, lambda t: _exp_below_zero(t, alpha, 1.0, "elu"), inplace)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """elu, in place."""
    return elu(input, alpha, inplace=True)


# SELU's constants (Klambauer et al., 2017): they keep activations at mean 0, variance 1
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha), with scale = 1.0507... and alpha = 1.6733... (self-normalising)."""
    return _run(input, lambda t: _exp_below_zero(t, _SELU_ALPHA, 1.0, "selu") * _SELU_SCALE, inplace)


def selu_(input: Tensor) -> Tensor:
    """selu, in place."""
    return selu(input, inplace=True)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha (e^(x / alpha) - 1): an ELU whose slope is continuous at 0."""
    if alpha == 0:
        raise RuntimeError("celu: alpha cannot be 0 (CELU divides x by alpha)")
    return _run(input, lambda t: _exp_below_zero(t, alpha, 1.0 / alpha, "celu"), inplace)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    """celu, in place."""
    return celu(input, alpha, inplace=True)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (also called swish)."""
    require_float(input.dtype, "silu")
    return _run(input, lambda t: t * t.sigmoid(), inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x)); softplus is linear past 20, so mish(1000) = 1000 without overflow."""
    require_float(input.dtype, "mish")
    return _run(input, lambda t: t * t.softplus().tanh(), inplace)


def _hardtanh(x: Tensor, min_val: float, max_val: float) -> Tensor:
    """x clamped to [min_val, max_val].

    NOTE: the slope is 0 at x = min_val and x = max_val, as in PyTorch's
    hardtanh (clamp's is 1 there), hence `where` rather than `clamp`.
    """
    if x.dtype == np.bool_:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if x.dtype.kind != "f":  # integers stay integers, as in PyTorch (they have no gradient)
        return x.clamp(min_val, max_val).to(x.dtype)
    return where(x <= min_val, min_val, where(x >= max_val, max_val, x))


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """min_val where x < min_val, max_val where x > max_val, else x."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val cannot be greater than max_val, got {min_val} > {max_val}")
    return _run(input, lambda t: _hardtanh(t, min_val, max_val), inplace)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """hardtanh, in place."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6): hardtanh(x, 0, 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), so logsigmoid(-1000) = -1000, not log(0).

    NOTE: softplus with an infinite threshold is log(1 + e^z) computed exactly
    (NumPy's logaddexp), never replaced by z, and never overflowing.
    """
    require_float(input.dtype, "logsigmoid")
    return -(-input).softplus(1.0, math.inf)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|): like tanh, but its tails approach +-1 slowly (as 1/x)."""
    return input / (input.abs() + 1)


def _hardsigmoid(x: Tensor) -> Tensor:
    """0 for x <= -3, 1 for x >= 3, else x / 6 + 1/2; its slope is 0 at x = +-3, as in PyTorch."""
    require_float(x.dtype, "hardsigmoid")
    return where(x <= -3.0, 0.0, where(x >= 3.0, 1.0, (x + 3.0) / 6.0))


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6: a piecewise-linear sigmoid."""
    return _run(input, _hardsigmoid, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x * hardsigmoid(x): a piecewise swish (x * sigmoid(x)); its slope is 0 at -3 and 1 at 3."""
    return _run(input, lambda t: t * _hardsigmoid(t), inplace)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else a x, with the slopes a = weight: one for all, or one per channel (dim 1).

    Shapes: input (N, C, *), weight (C,) or a single slope (1,) or ().
    dL/da_c = sum of x over the channel's elements with x <= 0.
    """
    require_float(input.dtype, "prelu")
    if weight.ndim > 1:
        raise RuntimeError(f"prelu: expected weight to be a scalar or 1-D tensor, got shape {weight.shape}")
    if weight.dtype != input.dtype:
        raise RuntimeError(f"prelu: weight of dtype {weight.dtype} does not match the input's {input.dtype}")
    if weight.numel() == 1:
        slope = weight.reshape(())
    else:
        if input.ndim == 0:
            raise RuntimeError(f"prelu: a 0-d input takes a single slope, got weight of shape {weight.shape}")
        channels = input.shape[1] if input.ndim > 1 else 1
        if channels != weight.numel():
            raise RuntimeError(
                f"prelu: Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                f"{weight.numel()} and channel size = {channels} (input of shape {input.shape})."
            )
        slope = weight.reshape(-1, *(1,) * (input.ndim - 2))  # (C, 1, ..., 1) lines up with dim 1
    return where(input > 0, input, input * slope)


def _implicit_dim(name: str, ndim: int) -> int:
    """PyTorch's deprecated guess of the dim when none is given (0 for 0-, 1- and 3-d input, else 1)."""
    warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument."
    )
    return 0 if ndim in (0, 1, 3) else 1


# `_stacklevel` is PyTorch's, for where its warning points; kept for its position only, since
# the library's warnings always point at the user's line (warning.py)


def softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DTypeLike | None = None
) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along dim (input cast to `dtype` first, if given)."""
    return input.softmax(_implicit_dim("softmax", input.ndim) if dim is None else dim, dtype)


def log_softmax(
    input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: DTypeLike | None = None
) -> Tensor:
    """x_i - log(sum_j exp(x_j)) along dim, stable for large |x| (input cast to `dtype` first, if given)."""
    return input.log_softmax(_implicit_dim("log_softmax", input.ndim) if dim is None else dim, dtype)
