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
- ``"bicubic"`` (4-d): x as for the linear modes, but not held at 0 on the
  left; output i blends the four inputs floor(x) - 1 .. floor(x) + 2 (clamped
  to the input) with Keys' cubic convolution weights (A = -0.75), along W
  and then along H. It overshoots: a step comes out with ripples.
- ``"area"``: the mean over each output's window of the input, which is
  adaptive average pooling (`F.adaptive_avg_pool2d` and its kin) to the size.

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
from .adaptive_pooling import _check_non_empty, _mean_along, adaptive_avg_pool1d, adaptive_avg_pool2d
from .module import Module

_NEAREST = ("nearest", "nearest-exact")
_LINEAR = {3: "linear", 4: "bilinear", 5: "trilinear"}  # the linear mode of each input rank
_IMAGE_ONLY = ("bicubic", "lanczos")  # modes for 4-d inputs alone
_CUBIC_A = -0.75  # the cubic convolution's free parameter, as PyTorch (and OpenCV)
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
    as for a size. align_corners is for the linear and bicubic modes only
    (default False).
    """
    if mode in (*_NEAREST, "area") and align_corners is not None:
        raise ValueError(
            "align_corners option can only be set with the interpolating modes: "
            "linear | bilinear | bicubic | trilinear"
        )
    sizes, scales = _output_sizes(input, size, scale_factor, recompute_scale_factor)
    if antialias:
        if mode not in ("bilinear", *_IMAGE_ONLY) or input.ndim != 4:
            raise ValueError(
                "Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires "
                "a 4-D tensor as input"
            )
        raise NotImplementedError("interpolate: antialias=True is not supported by tinygrad_edu")
    _check_mode(input, mode, bool(align_corners))
    if mode == "area":
        return _area(input, sizes)
    _check_sizes(input, sizes)
    out = input
    # Dims from the last to the first: PyTorch blends the last dim innermost, so the roundings agree.
    for dim, n_out, scale in reversed(list(zip(range(2, input.ndim), sizes, scales))):
        n_in = input.shape[dim]
        if mode in _NEAREST:
            source = _nearest_sources(n_in, n_out, scale, mode == "nearest-exact", input)
            out = out if source is None else out.index_select(dim, Tensor._wrap(source))
        elif mode == "bicubic":  # (blended even at an unchanged size, as in PyTorch)
            out = _cubic_blend(out, dim, n_in, n_out, scale, bool(align_corners))
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


def _check_mode(input: Tensor, mode: str, align_corners: bool) -> None:
    """The input rank the mode needs, and a float dtype where the output blends values.

    ("area" leaves the dtype to the adaptive pool, which checks it.)
    """
    image_only = mode in _IMAGE_ONLY and input.ndim == 4
    if input.ndim not in _LINEAR or (mode not in (*_NEAREST, "area", *_LINEAR.values()) and not image_only):
        raise NotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {input.ndim}D) for the modes: "
            f"{_ALL_MODES} (got {mode})"
        )
    if mode in _LINEAR.values() and mode != _LINEAR[input.ndim]:
        needed = {name: rank for rank, name in _LINEAR.items()}[mode]
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs {needed}D input")
    if mode == "lanczos":
        if align_corners:
            raise ValueError("Lanczos mode does not support align_corners=True")
        raise ValueError("Lanczos mode requires antialias=True")
    if mode not in (*_NEAREST, "area"):
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


def cubic_weights(t: Tensor | np.ndarray) -> list:
    """The weights of the four taps at -1, 0, 1, 2 for a point t in [0, 1] past tap 0.

    Keys' cubic convolution kernel with A = -0.75, as PyTorch (and OpenCV):
    W(d) = ((A + 2) d - (A + 3)) d^2 + 1 for |d| <= 1 and
    W(d) = ((A d - 5A) d + 8A) d - 4A for 1 < |d| < 2, at the distances
    d = 1 + t, t, 1 - t, 2 - t. They sum to 1. t may be an array, or a
    Tensor (`F.grid_sample`), whose weights are then differentiable in t.
    """
    a = _CUBIC_A

    def near(d: Tensor | np.ndarray) -> Tensor | np.ndarray:
        return ((a + 2) * d - (a + 3)) * d * d + 1

    def far(d: Tensor | np.ndarray) -> Tensor | np.ndarray:
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _cubic_blend(
    x: Tensor, dim: int, n_in: int, n_out: int, scale: float | None, align_corners: bool
) -> Tensor:
    """Cubic interpolation along dim: sum over k of W_k x[i - 1 + k], the taps clamped to the input."""
    dtype = x.dtype.type
    if align_corners:
        step = dtype(n_in - 1) / dtype(n_out - 1) if n_out > 1 else dtype(0.0)
        source = step * np.arange(n_out, dtype=dtype)
    else:  # centres onto centres, left of the first centre too (four taps need the distance)
        source = _centres(_step(n_in, n_out, scale, dtype), n_out, dtype)
    # NOTE: PyTorch floors the position in float32 (floorf), even for float64 inputs
    start = np.minimum(np.floor(source.astype(np.float32)).astype(np.int64), n_in - 1)
    t = np.clip(source - start.astype(dtype), 0.0, 1.0).astype(dtype)
    shape = (n_out,) + (1,) * (x.ndim - dim - 1)  # the weights broadcast along dim
    out = None
    for k, weight in enumerate(cubic_weights(t)):
        taps = Tensor._wrap(np.clip(start - 1 + k, 0, n_in - 1))
        term = x.index_select(dim, taps) * Tensor._wrap(weight.astype(dtype).reshape(shape))
        out = term if out is None else out + term
    assert out is not None
    return out


def _area(input: Tensor, sizes: list[int]) -> Tensor:
    """Adaptive average pooling to `sizes`: PyTorch's "area" mode, with the adaptive pools' checks."""
    if input.ndim == 3:
        return adaptive_avg_pool1d(input, sizes[0])
    if input.ndim == 4:
        return adaptive_avg_pool2d(input, (sizes[0], sizes[1]))
    # 5-d: the mean over a box is a mean along W, then along H, then along D
    _check_non_empty("adaptive_avg_pool3d", input, range(2, 5))
    require_float(input.dtype, "adaptive_avg_pool3d")
    out = input
    for dim, size in zip((-1, -2, -3), reversed(sizes)):
        out = _mean_along(out, dim, size)
    return out


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
