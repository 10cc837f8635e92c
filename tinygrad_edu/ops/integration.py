"""The trapezoidal rule: the integral of samples y_0 ... y_{n-1} taken at x_0 ... x_{n-1}.

    trapezoid(y, x)             sum_i (x_{i+1} - x_i) (y_i + y_{i+1}) / 2
    cumulative_trapezoid(y, x)  the running sums of those n - 1 terms

along `dim`; with no x, the samples are dx apart (1 by default). x may be a
vector of the n sample points, or a tensor that broadcasts with y (its
differences taken along dim). Composites of slices, sums and products.
"""

from __future__ import annotations

from ..dtypes import get_default_dtype
from ..tensor import Tensor
from .movement import normalize_dim


def _areas(op: str, y: Tensor, x: Tensor | None, dx: float | None, dim: int) -> tuple[Tensor, int]:
    """The n - 1 trapezoids' areas along dim, and dim made non-negative."""
    if x is not None and dx is not None:
        raise TypeError(f"{op}() takes x or dx, not both")
    d = normalize_dim(dim, y.ndim)
    if y.dtype.kind not in "f":
        y = y.to(get_default_dtype())
    n = y.shape[d]
    mids = (y.narrow(d, min(n, 1), max(n - 1, 0)) + y.narrow(d, 0, max(n - 1, 0))) / 2
    if x is None:
        return mids if dx is None or dx == 1 else mids * dx, d
    if x.ndim == 1:
        if x.shape[0] != n:
            raise RuntimeError(f"{op}: There must be one `x` value for each sample point")
        widths = x.diff().reshape((-1,) + (1,) * (y.ndim - 1 - d))  # the widths laid along dim
    else:
        widths = x.diff(dim=dim)
    return mids * widths, d


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1) -> Tensor:
    """The integral of y along dim by the trapezoidal rule: (*, n, *) -> (*, *)."""
    areas, d = _areas("trapezoid", y, x, dx, dim)
    return areas.sum(d)


def trapz(y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1) -> Tensor:
    """trapezoid's older name: (*, n, *) -> (*, *)."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(
    y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1
) -> Tensor:
    """The running integral of y along dim: (*, n, *) -> (*, n - 1, *)."""
    areas, d = _areas("cumulative_trapezoid", y, x, dx, dim)
    return areas.cumsum(d)
