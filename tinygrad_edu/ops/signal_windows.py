"""Window functions for spectral analysis: bartlett, blackman, hamming, hann and kaiser.

A window of length N tapers a signal's ends before a Fourier transform. With
n = 0 .. N-1 and M = N - 1 (symmetric windows, periodic=False):

    bartlett   w[n] = 1 - |2n / M - 1|                                 (a triangle)
    hann       w[n] = 0.5 - 0.5 cos(2 pi n / M)
    hamming    w[n] = alpha - beta cos(2 pi n / M)                     (0.54, 0.46 by default)
    blackman   w[n] = 0.42 - 0.5 cos(2 pi n / M) + 0.08 cos(4 pi n / M)
    kaiser     w[n] = I0(beta sqrt(1 - (2n / M - 1)^2)) / I0(beta)     (I0: modified Bessel function)

periodic=True (the default, as for an FFT of length N) gives the first N values
of the symmetric window of length N + 1. A window of length 1 is [1] and of
length 0 empty. The values are computed in float64 and rounded once to dtype
(the default float unless given; only floating dtypes); requires_grad=True
makes a leaf that requires grad.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from ..factories import _make
from ..tensor import Tensor
from .selection import _is_int


def _window(
    op: str,
    window_length: int,
    periodic: bool,
    shape: Callable[[np.ndarray], np.ndarray],
    dtype: Any,
    device: Any,
    requires_grad: bool,
) -> Tensor:
    """`shape` evaluated at t = 2n / M - 1 in [-1, 1] (n = 0 .. M), the checks and the dtype."""
    if not _is_int(window_length):
        raise TypeError(
            f"{op}(): argument 'window_length' (position 1) must be int, not {type(window_length).__name__}"
        )
    if window_length < 0:
        raise RuntimeError(f"{op} requires non-negative window_length, got window_length={window_length}")
    dtype = np.dtype(dtype) if dtype is not None else get_default_dtype()
    if dtype.kind != "f":
        raise RuntimeError(f"{op} expects floating point dtypes, got: {dtype}")
    if window_length <= 1:
        return _make(np.ones(window_length, dtype=dtype), requires_grad, device)
    length = window_length + 1 if periodic else window_length
    t = np.linspace(-1.0, 1.0, length)  # 2n / M - 1
    return _make(shape(t)[:window_length].astype(dtype), requires_grad, device)


def _cosines(a0: float, a1: float, a2: float = 0.0) -> Callable[[np.ndarray], np.ndarray]:
    """a0 - a1 cos(2 pi n / M) + a2 cos(4 pi n / M), as a function of t = 2n / M - 1."""
    return lambda t: a0 - a1 * np.cos(np.pi * (t + 1)) + a2 * np.cos(2 * np.pi * (t + 1))


def bartlett_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The triangular window 1 - |2n / M - 1|: (window_length,)."""
    return _window(
        "bartlett_window", window_length, periodic, lambda t: 1 - np.abs(t), dtype, device, requires_grad
    )


def hann_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """The raised cosine 0.5 - 0.5 cos(2 pi n / M): (window_length,)."""
    return _window("hann_window", window_length, periodic, _cosines(0.5, 0.5), dtype, device, requires_grad)


def hamming_window(
    window_length: int,
    periodic: bool = True,
    alpha: float = 0.54,
    beta: float = 0.46,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """alpha - beta cos(2 pi n / M): (window_length,). The defaults cancel the first side lobe."""
    return _window(
        "hamming_window", window_length, periodic, _cosines(alpha, beta), dtype, device, requires_grad
    )


def blackman_window(
    window_length: int,
    periodic: bool = True,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """0.42 - 0.5 cos(2 pi n / M) + 0.08 cos(4 pi n / M): (window_length,)."""
    return _window(
        "blackman_window", window_length, periodic, _cosines(0.42, 0.5, 0.08), dtype, device, requires_grad
    )


def kaiser_window(
    window_length: int,
    periodic: bool = True,
    beta: float = 12.0,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """I0(beta sqrt(1 - (2n / M - 1)^2)) / I0(beta): (window_length,). A larger beta, a narrower window."""

    def shape(t: np.ndarray) -> np.ndarray:
        root = np.sqrt(np.clip(1 - t * t, 0, None))  # (clip: 1 - t^2 may round below 0)
        return np.i0(beta * root) / np.i0(beta)

    return _window("kaiser_window", window_length, periodic, shape, dtype, device, requires_grad)
