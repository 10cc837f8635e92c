"""`F.interpolate` and the `Upsample` layers: resize the spatial dims of (N, C, *) inputs.

Each output position along a spatial dim reads from a source position in the
input; the modes differ in how they map and read:

- ``"nearest"``: output i copies input floor(i * s), s = in / out (or
  1 / scale_factor): the nearest position to the left.
- ``"nearest-exact"``: output i copies the input whose centre is nearest to
  the output's centre, floor((i + 1/2) s), so a downscale picks symmetrically.
- ``"linear"`` (3-d), ``"bilinear"`` (4-d), ``"trilinear"`` (5-d): output i
  sits at x = (i + 1/2) s - 1/2 in input coordinates (x = i (in - 1) / (out - 1)
  with align_corners=True, which maps the corner samples onto each other),
  and blends its two neighbours: (1 - t) input[floor(x)] + t input[floor(x) + 1],
  t = x - floor(x). In several dims this is done one dim after the other.

The source positions and weights are worked out with NumPy, once per call
and per dim, in PyTorch's arithmetic (in the input's float type), so the
values are PyTorch's. The tensor work is `index_select` and products with
constant weights, so gradients (an input read by several outputs receives
the sum of their gradients) and second derivatives come with them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..dtypes import require_float
from ..tensor import Tensor
from .module import Module

_NEAREST = ("nearest", "nearest-exact")
_LINEAR = {3: "linear", 4: "bilinear", 5: "trilinear"}  # the linear mode of each input rank
_ALL_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"

Sizes = int | Sequence[int]
Factors = float | Sequence[float]


def interpolate(
    input: Tensor,
    size: Sizes | None = None,
    scale_factor: Factors | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
    recompute_scale_factor: bool | None = None,
    antialias: bool = False,
) -> Tensor:
    """Resize the spatial dims of input (N, C, *) to `size`, or by `scale_factor`.

    Shape: (N, C, L), (N, C, H, W) or (N, C, D, H, W) -> the same with the
    new spatial sizes. Give exactly one of size (an int, or one per spatial
    dim) and scale_factor (a number, or one per spatial dim; the output size is
    floor(in * scale_factor)). With a scale factor the source positions use
    1 / scale_factor, unless recompute_scale_factor=True, which uses in / out
    as for a size. align_corners is for the linear modes only (default False).
    """
    if mode in _NEAREST and align_corners is not None:
        raise ValueError(
            "align_corners option can only be set with the interpolating modes: "
            "linear | bilinear | bicubic | trilinear"
        )
    sizes, scales = _output_sizes(input, size, scale_factor, recompute_scale_factor)
    if antialias:
        if mode != "bilinear" or input.ndim != 4:
            raise ValueError(
                "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires "
                "a 4-D tensor as input"
            )
        raise NotImplementedError("interpolate: antialias=True is not supported by tinygrad_edu")
    _check_mode(input, mode)
    _check_sizes(input, sizes)
    out = input
    # Dims from the last to the first: PyTorch blends the last dim innermost, so the roundings agree.
    for dim, n_out, scale in reversed(list(zip(range(2, input.ndim), sizes, scales))):
        n_in = input.shape[dim]
        if mode in _NEAREST:
            source = _nearest_sources(n_in, n_out, scale, mode == "nearest-exact", input)
            out = out if source is None else out.index_select(dim, Tensor._wrap(source))
        elif n_out != n_in:  # (an unchanged size copies, as in PyTorch)
            out = _blend(out, dim, n_in, n_out, scale, bool(align_corners))
    return input.clone() if out is input else out  # (always a new tensor, as in PyTorch)


def _output_sizes(
    input: Tensor, size: Sizes | None, scale_factor: Factors | None, recompute: bool | None
) -> tuple[list[int], list[float | None]]:
    """The output size of each spatial dim, and the scale factor (or None) the source positions use."""
    spatial = input.ndim - 2
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if size is not None:
        if recompute:
            raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
        sizes = list(size) if isinstance(size, Sequence) else [size] * spatial
        if isinstance(size, Sequence) and len(sizes) != spatial:
            raise ValueError(
                "Input and output must have the same number of spatial dimensions, but got input with "
                f"spatial dimensions of {list(input.shape[2:])} and output size of {size}. Please provide "
                "input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format."
            )
        if not all(isinstance(n, (int, np.integer)) for n in sizes):
            raise TypeError(
                "expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, int], "
                f"but got size with types {[type(n) for n in sizes]}"
            )
        return [int(n) for n in sizes], [None] * spatial
    assert scale_factor is not None  # (for the type checker: one of the two is given)
    factors = (
        [float(f) for f in scale_factor]
        if isinstance(scale_factor, Sequence)
        else [float(scale_factor)] * spatial
    )
    if len(factors) != spatial:
        raise ValueError(
            "Input and scale_factor must have the same number of spatial dimensions, but got input with "
            f"spatial dimensions of {list(input.shape[2:])} and scale_factor of shape {scale_factor}. "
            "Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in "
            "(s1, s2, ...,sK) format."
        )
    sizes = [int(n * f) for n, f in zip(input.shape[2:], factors)]  # truncated, as in PyTorch
    return sizes, [None if recompute else f for f in factors]


def _check_mode(input: Tensor, mode: str) -> None:
    """The input rank the mode needs, and a float dtype where the output blends values."""
    if mode in ("area", "bicubic", "lanczos"):
        raise NotImplementedError(
            f"interpolate: mode {mode!r} is not supported by tinygrad_edu "
            "(it has nearest, nearest-exact, linear, bilinear and trilinear)"
        )
    if input.ndim not in _LINEAR or mode not in (*_NEAREST, *_LINEAR.values()):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for the modes: "
            f"{_ALL_MODES} (got {mode})"
        )
    if mode not in _NEAREST and mode != _LINEAR[input.ndim]:
        needed = {name: rank for rank, name in _LINEAR.items()}[mode]
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {needed}D input")
    if mode not in _NEAREST:
        require_float(input.dtype, f"interpolate (mode {mode!r})")
    elif input.dtype.kind != "f" and input.dtype != np.uint8:  # as PyTorch: floats and bytes
        raise NotImplementedError(f"interpolate (mode {mode!r}) is not implemented for dtype {input.dtype}")


def _check_sizes(input: Tensor, sizes: list[int]) -> None:
    spatial = input.shape[2:]
    if min(spatial) <= 0 or min(sizes) <= 0:
        letters = "DHW"[3 - len(sizes) :]
        given = ", ".join(f"{c}: {n}" for c, n in zip(letters, spatial))
        wanted = ", ".join(f"{c}: {n}" for c, n in zip(letters, sizes))
        joint = " and output" if len(sizes) == 1 else " output"  # (PyTorch's wording differs by rank)
        raise RuntimeError(
            f"Input and output sizes should be greater than 0, but got input ({given}){joint} ({wanted})"
        )
    if input.numel() == 0 and 0 in input.shape[1:]:
        raise RuntimeError(
            f"Non-empty {input.ndim}D data tensor expected but got a tensor with sizes {list(input.shape)}"
        )


def _step(n_in: int, n_out: int, scale: float | None, dtype: type[np.floating]) -> np.floating:
    """Input positions per output position: 1 / scale_factor when one is given, else in / out."""
    if scale is not None and scale > 0:
        return dtype(1.0 / scale)
    return dtype(n_in) / dtype(n_out)


def _centres(step: np.floating, n_out: int, dtype: type[np.floating]) -> np.ndarray:
    """(i + 1/2) step - 1/2 for each output position i, the centre of output i in input coordinates.

    NOTE: rounded once, in PyTorch's float type, as its compiled kernel does (a
    fused multiply-add): the products are taken in a wider type first.
    """
    wide = np.float64 if dtype == np.float32 else np.longdouble
    return (wide(step) * (np.arange(n_out, dtype=wide) + 0.5) - 0.5).astype(dtype)


def _nearest_sources(
    n_in: int, n_out: int, scale: float | None, exact: bool, input: Tensor
) -> np.ndarray | None:
    """The input position each output position copies (None: each its own).

    As in PyTorch, whose kernels differ here: images (4-d inputs) work in
    float32 and take two shortcuts (same size: a copy; twice the size: i // 2);
    3-d and 5-d inputs work in the input's float type, rounded to float32
    before the floor.
    """
    image = input.ndim == 4
    dtype = np.float64 if input.dtype == np.float64 and not image else np.float32
    if image and not exact and n_out in (n_in, 2 * n_in):
        return None if n_out == n_in else np.arange(n_out) // 2
    step = _step(n_in, n_out, scale, dtype)
    if exact:  # the input whose centre is nearest: round the centre, (i + 1/2) s - 1/2
        x = np.maximum(_centres(step, n_out, dtype), dtype(0.0)) + dtype(0.5)
    else:
        x = step * np.arange(n_out, dtype=dtype)
    return np.minimum(np.floor(x.astype(np.float32)).astype(np.int64), n_in - 1)


def _blend(x: Tensor, dim: int, n_in: int, n_out: int, scale: float | None, align_corners: bool) -> Tensor:
    """Linear interpolation along dim: (1 - t) x[i0] + t x[i1] for each output position."""
    dtype = x.dtype.type
    if align_corners:  # corners onto corners: x = i (in - 1) / (out - 1)
        step = dtype(n_in - 1) / dtype(n_out - 1) if n_out > 1 else dtype(0.0)
        source = step * np.arange(n_out, dtype=dtype)
    else:  # centres onto centres; positions left of the first centre read it alone
        source = np.maximum(_centres(_step(n_in, n_out, scale, dtype), n_out, dtype), dtype(0.0))
    left = np.minimum(np.floor(source).astype(np.int64), n_in - 1)
    right = left + (left < n_in - 1)  # the last position has no right neighbour: it reads itself
    t = np.clip(source - left.astype(dtype), 0.0, 1.0).astype(dtype)
    shape = (n_out,) + (1,) * (x.ndim - dim - 1)  # the weights broadcast along dim
    near, far = Tensor._wrap((1 - t).reshape(shape)), Tensor._wrap(t.reshape(shape))
    return x.index_select(dim, Tensor._wrap(left)) * near + x.index_select(dim, Tensor._wrap(right)) * far


# ---------------------------------------------------------------- layers


class Upsample(Module):
    """Resize (N, C, *) inputs to `size` or by `scale_factor` with `F.interpolate`'s modes.

    Shape: (N, C, L), (N, C, H, W) or (N, C, D, H, W) -> the same with the new
    spatial sizes. No parameters. scale_factor is kept as a float (or a tuple of them).
    """

    def __init__(
        self,
        size: Sizes | None = None,
        scale_factor: Factors | None = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        self.scale_factor: Factors | None = None  # (a scale_factor of 0 counts as none given, as in PyTorch)
        if isinstance(scale_factor, Sequence):
            self.scale_factor = tuple(float(f) for f in scale_factor)
        elif scale_factor:
            self.scale_factor = float(scale_factor)
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return interpolate(
            input,
            self.size,
            self.scale_factor,
            self.mode,
            self.align_corners,
            recompute_scale_factor=self.recompute_scale_factor,
        )

    def extra_repr(self) -> str:
        shown = (
            f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        )
        return f"{shown}, mode={self.mode!r}"


class UpsamplingNearest2d(Upsample):
    """Upsample with mode="nearest" for (N, C, H, W) images."""

    def __init__(self, size: Sizes | None = None, scale_factor: Factors | None = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Upsample with mode="bilinear" and align_corners=True for (N, C, H, W) images."""

    def __init__(self, size: Sizes | None = None, scale_factor: Factors | None = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
