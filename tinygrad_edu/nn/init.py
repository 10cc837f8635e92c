"""Initialisers that overwrite a tensor's values in place (PyTorch's `torch.nn.init`).

Each writes into the tensor's array with recording off, bumps `_version` (so a
graph that saved the old values notices) and returns the tensor. Random ones
draw from the global generator, so `tg.manual_seed(n)` makes them repeatable,
or from the `generator=` they are given (a `tg.Generator`), which keeps their
draws apart from everything else.

For a weight of shape (out, in, *k), with receptive field r = prod(k):
fan_in = in * r and fan_out = out * r.
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.grad_mode import no_grad
from ..dtypes import require_float
from ..ops.special import erfinv
from ..random import generator_or_default
from ..tensor import Tensor
from ..warning import warn


def _fill(tensor: Tensor, values: np.ndarray | float) -> Tensor:
    with no_grad():
        tensor.data[...] = values
        tensor._bump_version()
    return tensor


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity: relu sqrt(2), tanh 5/3, leaky_relu sqrt(2/(1+slope^2))."""
    linear_fns = [
        "linear",
        "conv1d",
        "conv2d",
        "conv3d",
        "conv_transpose1d",
        "conv_transpose2d",
        "conv_transpose3d",
    ]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    if tensor.ndim < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions")
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Fill with samples of U(a, b), drawn from `generator` (default: the global one)."""
    return _fill(tensor, uniform_samples(tensor, a, b, generator))


def normal_(
    tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Fill with samples of N(mean, std^2), drawn from `generator` (default: the global one)."""
    return _fill(tensor, normal_samples(tensor, mean, std, generator))


def uniform_samples(tensor: Tensor, a: float, b: float, generator: np.random.Generator | None) -> np.ndarray:
    """Samples of U(a, b) to fill `tensor` with, refusing what PyTorch refuses."""
    require_float(tensor.dtype, "uniform_")
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}")
    return generator_or_default(generator).uniform(a, b, tensor.shape)


def normal_samples(
    tensor: Tensor, mean: float, std: float, generator: np.random.Generator | None
) -> np.ndarray:
    """Samples of N(mean, std^2) to fill `tensor` with, refusing what PyTorch refuses."""
    require_float(tensor.dtype, "normal_")
    if std < 0:
        raise RuntimeError(f"normal_ expects std >= 0.0, but found std {std}")
    return generator_or_default(generator).normal(mean, std, tensor.shape)


def trunc_normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Fill with samples of N(mean, std^2) conditioned on lying in [a, b].

    By the inverse CDF, one uniform draw per element: with Phi the standard
    normal CDF, u ~ U(Phi(alpha), Phi(beta)) for alpha = (a - mean) / std and
    beta = (b - mean) / std, and x = mean + std * Phi^-1(u). Through erf,
    Phi(z) = (1 + erf(z / sqrt(2))) / 2, so 2u - 1 is drawn and inverted by
    erfinv. Warns when mean is more than 2 std outside [a, b]: there the
    bounds' CDFs round towards 0 or 1 and lose the precision the draw needs.
    The uniform draws come from `generator` (default: the global one).
    """
    if mean < a - 2 * std or mean > b + 2 * std:
        warn(
            "trunc_normal_: mean is more than 2 std from [a, b], so the values may not follow "
            "the truncated normal distribution"
        )
    if a > b:
        raise RuntimeError(f"trunc_normal_ expects a <= b, but got a={a} > b={b}")
    require_float(tensor.dtype, "trunc_normal_")
    rng = generator_or_default(generator)
    low, high = (math.erf((bound - mean) / (std * math.sqrt(2.0))) for bound in (a, b))
    values = mean + std * math.sqrt(2.0) * erfinv(rng.uniform(low, high, tensor.shape))
    return _fill(tensor, np.clip(values, a, b))  # rounding may step just outside [a, b]


def orthogonal_(tensor: Tensor, gain: float = 1, generator: np.random.Generator | None = None) -> Tensor:
    """Fill with a (semi-)orthogonal matrix times gain (Saxe et al., 2013).

    A tensor of shape (rows, *rest) is filled as a (rows, prod(rest)) matrix
    W with orthonormal rows when rows <= cols (W W^T = gain^2 I), orthonormal
    columns otherwise. W comes from the QR factorisation of a matrix of N(0, 1)
    samples, each column of Q times the sign of R's diagonal entry: without
    that, QR's own sign convention would make W not uniformly distributed.
    The samples come from `generator` (default: the global one).
    """
    if tensor.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    require_float(tensor.dtype, "orthogonal_")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    sample = generator_or_default(generator).normal(0.0, 1.0, (rows, cols))
    # QR makes orthonormal columns, so a wide matrix is factored as its transpose
    q, r = np.linalg.qr(sample.T if rows < cols else sample)
    q *= np.sign(np.diag(r))
    return _fill(tensor, gain * (q.T if rows < cols else q).reshape(tensor.shape))


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-d tensor (out, in) with the identity: 1 where i = j, else 0.

    A Linear layer so initialised passes its first min(out, in) inputs through unchanged.
    """
    if tensor.ndim != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported (eye_ got shape {tensor.shape})")
    rows, cols = tensor.shape
    return _fill(tensor, np.eye(rows, cols))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with `val`, a number or a 0-d tensor (checked as `Tensor.fill_` checks it)."""
    with no_grad():
        return tensor.fill_(val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    return _fill(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return _fill(tensor, 1.0)


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))  (Glorot & Bengio, 2010)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None) -> Tensor:
    """N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float | None:
    if 0 in tensor.shape:
        warn("Initializing zero-element tensors is a no-op")
        return None
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    """U(-bound, bound) with bound = gain * sqrt(3 / fan)  (He et al., 2015).

    With a = sqrt(5) (nn.Linear's default) the bound is 1 / sqrt(fan_in).
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    """N(0, std^2) with std = gain / sqrt(fan)."""
    std = _kaiming_std(tensor, a, mode, nonlinearity)
    if std is None:
        return tensor
    return normal_(tensor, 0.0, std, generator)


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a conv weight (out, in, *k) so that the convolution passes its input through (the Dirac delta).

    Zeros, with a 1 at the kernel's centre (k // 2 along each kernel dim)
    where output channel o of each group matches input channel o: so the
    first min(out / groups, in) channels of each group are kept as they are.
    For 3, 4 or 5 dims (Conv1d, Conv2d, Conv3d weights).
    """
    if tensor.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    out_per_group = tensor.shape[0] // groups  # (groups=0: ZeroDivisionError, as in PyTorch)
    if tensor.shape[0] % groups:
        raise ValueError("dim 0 must be divisible by groups")
    channels = np.arange(min(out_per_group, tensor.shape[1]))
    outs = (np.arange(groups)[:, None] * out_per_group + channels).reshape(-1)  # (groups * n,)
    ins = np.tile(channels, groups)
    values = np.zeros(tensor.shape, dtype=tensor.dtype)
    centre = tuple(k // 2 for k in tensor.shape[2:])
    values[(outs, ins) + centre] = 1
    return _fill(tensor, values)


def sparse_(
    tensor: Tensor, sparsity: float, std: float = 0.01, generator: np.random.Generator | None = None
) -> Tensor:
    """Fill a 2-d tensor (rows, cols) with N(0, std^2), then zero ceil(sparsity * rows) of each column.

    The zeroed rows are drawn anew for each column (Martens, 2010, "Deep
    learning via Hessian-free optimization"). Every draw comes from
    `generator` (PyTorch takes the zeroed rows from the global generator).
    """
    if tensor.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = tensor.shape
    # as PyTorch's slice [:ceil(sparsity * rows)] of a permutation (a negative count counts from the end);
    # counted before drawing, so that a bad sparsity leaves the generator as it was
    n_zeros = len(range(rows)[: math.ceil(sparsity * rows)])
    values = normal_samples(tensor, 0.0, std, generator)
    # each column's row ranks in a random order: the rows ranked below n_zeros are zeroed
    ranks = np.argsort(generator_or_default(generator).random((rows, cols)), axis=0).argsort(axis=0)
    values[ranks < n_zeros] = 0
    return _fill(tensor, values)
