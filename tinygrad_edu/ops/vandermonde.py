"""torch.vander: the Vandermonde matrix of a vector, whose columns are its powers.

    vander(x, N)                   V[i, j] = x_i ** (N - 1 - j)    (decreasing powers, as NumPy)
    vander(x, N, increasing=True)  V[i, j] = x_i ** j

For x = (x_0, ..., x_{n-1}) and N = n, V c is the polynomial with coefficients c
evaluated at every x_i, so solving V c = y fits a polynomial through the points.

The powers are running products of [1, x, x, ..., x] along the columns (cumprod),
as PyTorch builds them: x ** 0 is exactly 1 and its derivative exactly 0, even at
x = 0, where the formula k x^(k-1) of pow's gradient would give 0 * inf.
"""

from __future__ import annotations

from ..dtypes import int64
from ..tensor import Tensor
from .joining import cat
from .selection import _is_int


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:
    """The matrix of the powers 0 .. N-1 of x (N = len(x) by default): (n,) -> (n, N).

    Integer and bool x give int64, as in PyTorch; floats keep their dtype.
    """
    if not isinstance(x, Tensor):
        raise TypeError(f"vander(): argument 'x' (position 1) must be Tensor, not {type(x).__name__}")
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    if N is None:
        N = x.shape[0]
    elif not _is_int(N):
        raise TypeError(f"vander(): argument 'N' (position 2) must be int, not {type(N).__name__}")
    if N < 0:
        raise RuntimeError("N must be non-negative.")
    if x.dtype.kind != "f":
        x = x.to(int64)
    n = x.shape[0]
    if N <= 1:
        return x.new_ones((n, N))  # (no powers but x ** 0, whose derivative is 0)
    factors = cat([x.new_ones((n, 1)), x.unsqueeze(1).expand(n, N - 1)], 1)  # [1, x, x, ...]
    powers = factors.cumprod(1)  # [1, x, x^2, ...]
    return powers if increasing else powers.flip(1)
