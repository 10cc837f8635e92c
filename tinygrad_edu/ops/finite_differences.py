"""torch.gradient: the derivative of sampled values, estimated by finite differences.

Take samples f_0 ... f_{n-1} of a function along one dim, at points x_0 ... x_{n-1}.
With equal spacing h (x_i = i h):

    inside (0 < i < n-1)   f'_i ~ (f_{i+1} - f_{i-1}) / (2h)               central difference
    edge_order=1           f'_0 ~ (f_1 - f_0) / h                          one-sided, first order
                           f'_{n-1} ~ (f_{n-1} - f_{n-2}) / h
    edge_order=2           f'_0 ~ (-3 f_0 + 4 f_1 - f_2) / (2h)            one-sided, second order
                           f'_{n-1} ~ (3 f_{n-1} - 4 f_{n-2} + f_{n-3}) / (2h)

With coordinates x (spacing a list of 1-D tensors), let hl = x_i - x_{i-1} and
hr = x_{i+1} - x_i. Fitting a parabola through three neighbours gives

    inside                 f'_i ~ (hl^2 f_{i+1} - hr^2 f_{i-1} + (hr^2 - hl^2) f_i) / (hl hr (hl + hr))
    edge_order=2, left     f'_0 ~ -(2 h1 + h2) / (h1 (h1 + h2)) f_0 + (h1 + h2) / (h1 h2) f_1
                                  - h1 / (h2 (h1 + h2)) f_2            (h1 = x_1 - x_0, h2 = x_2 - x_1)
    edge_order=2, right    the mirror image, with h1 = x_{n-2} - x_{n-3}, h2 = x_{n-1} - x_{n-2}

which is the equal-spacing rule when hl = hr. The central and second-order
formulas are exact for polynomials of degree <= 2; the first-order edges only
for degree <= 1.

The result is one tensor per differentiated dim, each of input's shape. Each
is linear in input (and composed of slices, products and cat), so the
gradient flows back to input, and to coordinate tensors that require it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import get_default_dtype, promote_types
from ..tensor import Tensor
from .joining import cat
from .movement import normalize_dim


def _dims(dim: Any, ndim: int) -> list[int]:
    """The dims to differentiate, non-negative and distinct: all of them for dim=None."""
    if dim is None:
        return list(range(ndim))
    given = [dim] if isinstance(dim, (int, np.integer)) and not isinstance(dim, bool) else list(dim)
    for d in given:
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)):
            raise TypeError(
                f"gradient(): argument 'dim' must be an int or a tuple of ints, not {type(d).__name__}"
            )
    if ndim == 0 and given:
        raise IndexError(f"Dimension specified as {given[0]} but tensor has no dimensions")
    dims = [normalize_dim(int(d), ndim) for d in given]
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return dims


def _spacings(spacing: Any, dims: list[int], ndim: int, dim_given: bool) -> list[float | Tensor]:
    """One spacing per differentiated dim: a number h, or a 1-D tensor of coordinates."""
    if isinstance(spacing, Tensor) and spacing.ndim == 0:
        spacing = spacing.item()
    if isinstance(spacing, (int, float, np.number)):
        return [float(spacing)] * len(dims)
    if not isinstance(spacing, (list, tuple)):
        raise TypeError(
            "gradient(): spacing must be a number, a list of numbers or a list of 1-D tensors, "
            f"not {type(spacing).__name__}"
        )
    if len(spacing) != len(dims):
        if not dim_given:
            raise RuntimeError(
                "torch.gradient expected spacing to be unspecified, a scalar, or a list of length equal to "
                f"'self.dim() = {ndim}', since dim argument was not given, but got a list of length "
                f"{len(spacing)}"
            )
        raise RuntimeError(
            "torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim "
            "arguments to have the same length, but got a spacing argument of length "
            f"{len(spacing)} and a dim argument of length {len(dims)}."
        )
    tensors = bool(spacing) and isinstance(spacing[0], Tensor)
    for i, s in enumerate(spacing):
        if isinstance(s, Tensor) != tensors:
            wanted = "Tensor" if tensors else "a number"
            raise TypeError(f"expected {wanted} as element {i} in argument 1, but got {type(s).__name__}")
        if tensors and s.ndim != 1:
            raise RuntimeError(
                "torch.gradient expected each element of spacing to have one dimension, but got an element "
                f"with {s.ndim} dimensions!"
            )
    return list(spacing) if tensors else [float(s) for s in spacing]


def _part(f: Tensor, d: int, start: int, stop: int) -> Tensor:
    """f[start:stop] along dim d."""
    return f.narrow(d, start, stop - start)


def _equally_spaced(f: Tensor, d: int, h: float, edge_order: int) -> Tensor:
    """df/dx along d for samples h apart (the first table of the module docstring)."""
    n = f.shape[d]
    inside = (_part(f, d, 2, n) - _part(f, d, 0, n - 2)) / (2 * h)
    if edge_order == 1:
        first = (_part(f, d, 1, 2) - _part(f, d, 0, 1)) / h
        last = (_part(f, d, n - 1, n) - _part(f, d, n - 2, n - 1)) / h
    else:
        first = (-3 * _part(f, d, 0, 1) + 4 * _part(f, d, 1, 2) - _part(f, d, 2, 3)) / (2 * h)
        last = (3 * _part(f, d, n - 1, n) - 4 * _part(f, d, n - 2, n - 1) + _part(f, d, n - 3, n - 2)) / (
            2 * h
        )
    return cat([first, inside, last], d)


def _at_points(f: Tensor, d: int, x: Tensor, edge_order: int) -> Tensor:
    """df/dx along d for samples at the coordinates x (the second table of the module docstring)."""
    n = f.shape[d]
    if x.shape[0] != n:
        raise RuntimeError(
            f"torch.gradient expected the coordinates for dim {d} to have {n} elements (the size of that "
            f"dim), but got {x.shape[0]}"
        )
    along = (n,) + (1,) * (f.ndim - 1 - d)  # the shape that lays a vector along dim d
    dx = (x[1:] - x[:-1]).reshape((n - 1,) + along[1:])
    hl, hr = _part(dx, 0, 0, n - 2), _part(dx, 0, 1, n - 1)
    inside = (
        hl * hl * _part(f, d, 2, n)
        - hr * hr * _part(f, d, 0, n - 2)
        + (hr * hr - hl * hl) * _part(f, d, 1, n - 1)
    ) / (hl * hr * (hl + hr))
    if edge_order == 1:
        first = (_part(f, d, 1, 2) - _part(f, d, 0, 1)) / dx[0]
        last = (_part(f, d, n - 1, n) - _part(f, d, n - 2, n - 1)) / dx[n - 2]
    else:
        h1, h2 = dx[0], dx[1]
        first = (
            -(2 * h1 + h2) / (h1 * (h1 + h2)) * _part(f, d, 0, 1)
            + (h1 + h2) / (h1 * h2) * _part(f, d, 1, 2)
            - h1 / (h2 * (h1 + h2)) * _part(f, d, 2, 3)
        )
        h1, h2 = dx[n - 3], dx[n - 2]
        last = (
            h2 / (h1 * (h1 + h2)) * _part(f, d, n - 3, n - 2)
            - (h1 + h2) / (h1 * h2) * _part(f, d, n - 2, n - 1)
            + (2 * h2 + h1) / (h2 * (h1 + h2)) * _part(f, d, n - 1, n)
        )
    return cat([first, inside, last], d)


def _floating(t: Tensor, other: np.dtype | None = None) -> Tensor:
    """t in a float dtype: its own, promoted with `other`'s if that is a float; else the default float."""
    dtype = t.dtype if t.dtype.kind == "f" else get_default_dtype()
    if other is not None and other.kind == "f":
        dtype = promote_types(dtype, other)
    return t if t.dtype == dtype else t.to(dtype)


def gradient(
    input: Tensor,
    *,
    spacing: Any = 1,
    dim: int | list[int] | tuple[int, ...] | None = None,
    edge_order: int = 1,
) -> tuple[Tensor, ...]:
    """The derivative of input along each dim in `dim` (all by default), as finite differences.

    spacing: a number h (samples h apart in every dim), a list of numbers (one per dim) or a
    list of 1-D coordinate tensors (one per dim, as many as that dim's samples). edge_order
    (1 or 2) is the order of the one-sided differences at the two ends; inside, the central
    difference is always second order. See the module docstring for the formulas.
    Returns a tuple of tensors of input's shape, one per dim: (*) -> ((*), ...).
    Integer input gives results in the default float dtype.
    """
    if not isinstance(input, Tensor):
        raise TypeError(
            f"gradient(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if isinstance(edge_order, bool) or not isinstance(edge_order, (int, np.integer)):
        raise TypeError(f"gradient(): argument 'edge_order' must be int, not {type(edge_order).__name__}")
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if input.dtype == np.bool_:
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. "
            "Use the `^` or `logical_xor()` operator instead."
        )
    dims = _dims(dim, input.ndim)
    spacings = _spacings(1 if spacing is None else spacing, dims, input.ndim, dim is not None)
    if any(input.shape[d] < edge_order + 1 for d in dims):
        raise RuntimeError("torch.gradient expected each dimension size to be at least edge_order+1")
    out = []
    for d, s in zip(dims, spacings):  # (a loop over dims)
        if isinstance(s, Tensor):
            f = _floating(input, s.dtype)
            out.append(_at_points(f, d, _floating(s, f.dtype), edge_order))
        else:
            out.append(_equally_spaced(_floating(input), d, s, edge_order))
    return tuple(out)
