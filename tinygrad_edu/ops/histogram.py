"""torch.histogram: how many elements of a float tensor fall in each bin, and the bins' edges.

With edges e_0 < e_1 < ... < e_B, bin b holds the elements x with e_b <= x < e_{b+1};
the last bin also holds x = e_B. Elements outside [e_0, e_B] (and nan) are not counted.

    bins = B (an int)     B equal bins from range = (lo, hi), by default (min(x), max(x));
                          a range of one value v becomes (v - 0.5, v + 0.5), as NumPy does
    bins = edges (1-D)    the given edges, in increasing order
    weight                each element counts its weight instead of 1
    density=True          hist_b / (sum(hist) * (e_{b+1} - e_b)): the histogram integrates to 1

The result (hist, bin_edges) has input's dtype and no gradient: counts are
piecewise constant in x.
"""

from __future__ import annotations

import math
from collections import namedtuple
from typing import Any

import numpy as np

from ..dtypes import torch_name
from ..tensor import Tensor
from .selection import _is_int

Histogram = namedtuple("Histogram", ["hist", "bin_edges"])  # (torch.return_types.histogram)


def _c_name(dtype: np.dtype) -> str:
    """The C++ name PyTorch's histogram messages give a dtype: float, double, long int, ..."""
    names = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int", "bool": "bool"}
    return names.get(dtype.name, dtype.name)


def _equal_bins(data: np.ndarray, bins: int, range: Any, dtype: np.dtype) -> np.ndarray:
    """The bins + 1 edges of `bins` equal bins over `range` (the data's range when None)."""
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    if range is None:
        low, high = (float(data.min()), float(data.max())) if data.size else (0.0, 1.0)
    else:
        if len(range) != 2:
            raise RuntimeError(
                "torch.histogramdd: for a 1-dimensional histogram range should have 2 elements, "
                f"but got {len(range)}"
            )
        low, high = float(range[0]), float(range[1])
    if low > high:
        raise RuntimeError(
            f"torch.histogramdd: min should not exceed max, but got min {low:g} max {high:g} for dimension 0"
        )
    if not (math.isfinite(low) and math.isfinite(high)):
        raise RuntimeError(f"torch.histogramdd: dimension 0's range [{low:g}, {high:g}] is not finite")
    if low == high:
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, bins + 1).astype(dtype)


def _given_edges(bins: Tensor, dtype: np.dtype) -> np.ndarray:
    if bins.ndim != 1:
        raise RuntimeError(
            "torch.histogramdd: bins tensor should have one dimension, but got "
            f"{bins.ndim} dimensions in the bins tensor for dimension 0"
        )
    if bins.shape[0] < 2:
        raise RuntimeError(
            f"torch.histogram(): bins must be > 0, but got {bins.shape[0] - 1} for dimension 0"
        )
    if bins.dtype != dtype:
        raise RuntimeError(
            "torch.histogramdd: input tensor and bins tensors should have the same dtype, but got input with "
            f"dtype {_c_name(dtype)} and bins for dimension 0 with dtype {_c_name(bins.dtype)}"
        )
    return bins.data.copy()


def histogram(
    input: Tensor,
    bins: int | Tensor = 100,
    *,
    range: tuple[float, float] | None = None,
    weight: Tensor | None = None,
    density: bool = False,
) -> Histogram:
    """(hist, bin_edges) of input's elements: (*) -> (B,), (B + 1,). See the module docstring."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"histogram(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    dtype = input.dtype
    if dtype not in (np.float32, np.float64):
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{torch_name(dtype)}'")
    data = input.data.reshape(-1)
    if isinstance(bins, Tensor):
        if range is not None:
            raise TypeError("histogram(): range= goes with an int number of bins, not with a tensor of edges")
        edges = _given_edges(bins, dtype)
    elif _is_int(bins):
        edges = _equal_bins(data, int(bins), range, dtype)
    else:
        raise TypeError(f"histogram(): argument 'bins' must be int or Tensor, not {type(bins).__name__}")
    weights = None
    if weight is not None:
        if tuple(weight.shape) != tuple(input.shape):
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided it should have the same shape as the "
                "input tensor excluding its innermost dimension, but got input with shape "
                f"{[data.size, 1]} and weight with shape {list(weight.shape)}"
            )
        if weight.dtype != dtype:
            raise RuntimeError(
                "torch.histogramdd: if weight tensor is provided, input tensor and weight tensor should "
                f"have the same dtype, but got input({_c_name(dtype)}), and weight({_c_name(weight.dtype)})"
            )
        weights = weight.data.reshape(-1)
    count = edges.shape[0] - 1
    inside = (data >= edges[0]) & (data <= edges[-1])  # (nan is never inside)
    which = np.minimum(np.searchsorted(edges, data[inside], side="right") - 1, count - 1)  # (e_B: last bin)
    hist = np.bincount(which, None if weights is None else weights[inside], minlength=count).astype(dtype)
    if density:
        with np.errstate(divide="ignore", invalid="ignore"):  # (no element counted: nan, as PyTorch)
            hist = (hist / (hist.sum() * np.diff(edges))).astype(dtype)
    return Histogram(Tensor._wrap(hist), Tensor._wrap(edges))
