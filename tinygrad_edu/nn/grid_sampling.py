"""`F.affine_grid` and `F.grid_sample`: read an image at arbitrary points (spatial transformers).

A grid holds, for each output pixel, the point of the input to read, in
normalised coordinates: x (along W) and y (along H) run over [-1, 1] from
one edge of the input to the other. `affine_grid` makes the grid of an
affine map, grid[n, h, w] = theta[n] @ (x_w, y_h, 1); `grid_sample` reads
the input there.

Reading a point (x, y) of an (H, W) image:

1. Unnormalise to pixel units: u = (x + 1) (W - 1) / 2 with
   align_corners=True (-1 and 1 are the centres of the corner pixels), or
   u = (x + 1) W / 2 - 1/2 with align_corners=False (they are the corner
   pixels' outer edges).
2. Apply the padding mode: "zeros" leaves u alone (pixels outside read as
   0), "border" clamps it to [0, W - 1], "reflection" reflects it back into
   the image (about the corner centres, or the outer edges), then clamps.
3. Interpolate: "nearest" rounds (halves to even); "bilinear" blends the
   four pixels around the point with weights (1 - t)(1 - s), t (1 - s), ...,
   t = u - floor(u); "bicubic" blends 4 x 4 pixels with the cubic
   convolution weights of `F.interpolate` (A = -0.75), padding each tap's
   position.

The pixel positions are worked out with NumPy; the weights t, 1 - t are
Tensor expressions of the grid, and the pixel values are read by indexing, so
the gradient reaches both the input (each pixel gets the weights of the
points that read it) and the grid (the slope of the blend), and second
derivatives come with them.

NOTE: gradients at the kinks, as PyTorch's kernels: the border and the
reflection clamps pass no gradient at the edges themselves (u = 0 or W - 1),
reflecting flips the gradient's sign, and "nearest" gives the grid a zero
gradient (as `round` does, and PyTorch).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..dtypes import torch_name
from ..ops.elementwise import where
from ..tensor import Tensor
from ..warning import warn
from .upsampling import cubic_weights

_MODES = ("bilinear", "nearest", "bicubic")
_PADDINGS = ("zeros", "border", "reflection")


def _default_align_corners(align_corners: bool | None) -> bool:
    """False, with PyTorch's warning, when align_corners is not given."""
    if align_corners is None:
        warn(
            "Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
            "Please specify align_corners=True if the old behavior is desired. See the documentation of "
            "grid_sample for details."
        )
        return False
    return align_corners


# ---------------------------------------------------------------- affine_grid


def affine_grid(theta: Tensor, size: Sequence[int], align_corners: bool | None = None) -> Tensor:
    """The sampling grid of a batch of affine maps: grid[n, h, w] = theta[n] @ (x_w, y_h, 1).

    Shape: theta (N, 2, 3) and size (N, C, H, W) -> grid (N, H, W, 2); or
    theta (N, 3, 4) and size (N, C, D, H, W) -> grid (N, D, H, W, 3). The
    points x_w run over [-1, 1] along W (over [-1 + 1/W, 1 - 1/W], the pixel
    centres, with align_corners=False), y_h and z_d likewise.
    """
    align_corners = _default_align_corners(align_corners)
    if theta.dtype.kind != "f":
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = tuple(size) if not isinstance(size, (list, tuple)) else size
    rank = len(size)
    if rank not in (4, 5):
        raise NotImplementedError(
            "affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. "
            f"Got size {size}."
        )
    k = rank - 2  # the spatial dims: theta is k x (k + 1)
    if theta.ndim != 3 or theta.shape[-2:] != (k, k + 1):
        kind, shape = ("2D", "Nx2x3") if k == 2 else ("3D", "Nx3x4")
        raise ValueError(
            f"Expected a batch of {kind} affine matrices of shape {shape} for size {size}. Got {theta.shape}."
        )
    spatial = [int(n) for n in size[2:]]
    if align_corners and min(spatial) == 1:
        warn(
            "Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
            "align_corners=True. This is not an intended use case of affine_grid. See the documentation "
            "of affine_grid for details."
        )
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    if theta.shape[0] != size[0]:
        raise RuntimeError(
            f"affine_grid: theta holds {theta.shape[0]} matrices but size asks for a batch of {size[0]}"
        )
    # the base grid (*spatial, k + 1): x first (it runs along the last dim), then y (and z), then 1
    axes = [_points(n, align_corners, theta.dtype.type) for n in reversed(spatial)]
    mesh = np.meshgrid(*axes[::-1], indexing="ij")[::-1]  # (each over *spatial)
    base = np.stack([*mesh, np.ones(spatial, dtype=theta.dtype)], axis=-1).reshape(1, -1, k + 1)
    grid = Tensor._wrap(base) @ theta.transpose(1, 2)  # (N, points, k): one matrix product per map
    return grid.reshape(size[0], *spatial, k)


def _points(n: int, align_corners: bool, dtype: type[np.floating]) -> np.ndarray:
    """n points over [-1, 1] (PyTorch's linspace: each half counted from its own end), 0 for n = 1.

    With align_corners=False they shrink by (n - 1) / n onto the pixel centres.
    """
    if n <= 1:
        return np.zeros(max(n, 0), dtype=dtype)
    step = dtype(2.0) / dtype(n - 1)
    i = np.arange(n)
    points = np.where(i < n // 2, dtype(-1.0) + step * i, dtype(1.0) - step * (n - 1 - i)).astype(dtype)
    return points if align_corners else (points * dtype(n - 1) / dtype(n)).astype(dtype)


# ---------------------------------------------------------------- grid_sample


def grid_sample(
    input: Tensor,
    grid: Tensor,
    mode: str = "bilinear",
    padding_mode: str = "zeros",
    align_corners: bool | None = None,
) -> Tensor:
    """Read input (N, C, H, W) at the points of grid (N, Ho, Wo, 2) -> (N, C, Ho, Wo).

    grid[n, i, j] = (x, y) in normalised coordinates (see the module
    docstring); mode "bilinear" | "nearest" | "bicubic", padding_mode
    "zeros" | "border" | "reflection". align_corners defaults to False, with
    PyTorch's warning.
    """
    if mode not in _MODES:
        raise ValueError(
            "nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
            f"but got: '{mode}'"
        )
    if padding_mode not in _PADDINGS:
        raise ValueError(
            "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', "
            f"but got: '{padding_mode}'"
        )
    align_corners = _default_align_corners(align_corners)
    _check_inputs(input, grid, mode)
    (height, width), x, y = input.shape[2:], grid[..., 0], grid[..., 1]
    channels_last = input.permute(0, 2, 3, 1)  # (N, H, W, C): a pixel's channels in one read
    if mode == "bicubic":
        out = _bicubic(channels_last, x, y, padding_mode, align_corners)
    else:
        u = _padded(_unnormalise(x, width, align_corners), width, padding_mode, align_corners)
        v = _padded(_unnormalise(y, height, align_corners), height, padding_mode, align_corners)
        if mode == "nearest":
            out = _read(channels_last, np.rint(v.data), np.rint(u.data))
            if grid.requires_grad:  # (in the graph, as rounding is: the grid's gradient is 0, not None)
                out = where(np.zeros((), dtype=bool), grid[..., :1], out)
        else:
            out = _bilinear(channels_last, u, v)
    return out.permute(0, 3, 1, 2)


def _check_inputs(input: Tensor, grid: Tensor, mode: str) -> None:
    """PyTorch's checks, in its order: batch, coordinates per point, non-empty image, rank, dtypes."""
    if input.ndim == 0 or grid.ndim == 0 or input.shape[0] != grid.shape[0]:
        raise RuntimeError(
            "grid_sampler(): expected grid and input to have same batch size, but got input with sizes "
            f"{list(input.shape)} and grid with sizes {list(grid.shape)}"
        )
    if grid.shape[-1] != input.ndim - 2:
        raise RuntimeError(
            f"grid_sampler(): expected grid to have size {input.ndim - 2} in last dimension, but got grid "
            f"with sizes {list(grid.shape)}"
        )
    for d in range(2, input.ndim):
        if input.shape[d] == 0:
            raise RuntimeError(
                "grid_sampler(): expected input to have non-empty spatial dimensions, but input has sizes "
                f"{list(input.shape)} with dimension {d} being empty"
            )
    if input.ndim == 5 and grid.ndim == 5:
        if mode == "bicubic":
            raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
        raise NotImplementedError("grid_sample: 5-d (volumetric) inputs are not supported by tinygrad_edu")
    if input.ndim != 4 or grid.ndim != 4:
        raise RuntimeError(
            "grid_sampler(): expected 4D input and grid with same number of dimensions, but got input with "
            f"sizes {list(input.shape)} and grid with sizes {list(grid.shape)}"
        )
    if input.dtype.kind != "f":
        name = torch_name(input.dtype)
        raise NotImplementedError(f"\"grid_sampler_2d_cpu_kernel_impl\" not implemented for '{name}'")
    if grid.dtype != input.dtype:
        expected, found = torch_name(input.dtype), torch_name(grid.dtype)
        raise RuntimeError(f"expected scalar type {expected} but found {found}")


def _unnormalise(x: Tensor, size: int, align_corners: bool) -> Tensor:
    """[-1, 1] -> pixel units: (x + 1) (size - 1) / 2, or (x + 1) size / 2 - 1/2 (PyTorch's arithmetic)."""
    if align_corners:
        return (x + 1) * ((size - 1) / 2)
    return (x + 1) * (size / 2) - 0.5


def _padded(u: Tensor, size: int, padding_mode: str, align_corners: bool) -> Tensor:
    if padding_mode == "border":
        return _clamp(u, size)
    if padding_mode == "reflection":
        return _clamp(_reflect(u, size, align_corners), size)
    return u


def _clamp(u: Tensor, size: int) -> Tensor:
    """u clamped to [0, size - 1]. NOTE: the edges count as outside, so no gradient there (as PyTorch).

    A NaN lands on 0, as in PyTorch's kernel.
    """
    top = size - 1
    inside = (u.data > 0) & (u.data < top)
    edge = np.where(u.data > 0, np.minimum(u.data, top), 0).astype(u.dtype)
    return where(inside, u, Tensor._wrap(edge))


def _reflect(u: Tensor, size: int, align_corners: bool) -> Tensor:
    """u reflected into [low, low + span] by folding the line: about the corner centres 0 and size - 1
    (align_corners=True), or about the outer edges -1/2 and size - 1/2.

    Measured from low, the fold has period 2 span: take |u - low| modulo 2
    span (a whole number of double flips), then one more flip if it lies
    beyond span. The gradient is +1 or -1 by the number of flips.
    """
    if align_corners and size <= 1:  # nothing to reflect within: every point reads pixel 0
        return where(np.zeros(u.shape, dtype=bool), u, 0.0)  # (in the graph: u's gradient is 0, not None)
    low, twice_span = (0.0, 2 * (size - 1)) if align_corners else (-0.5, 2 * size)
    shifted = u - low if low else u
    magnitude = where(shifted.data < 0, -shifted, shifted)  # (+1 at 0, as PyTorch)
    extra = magnitude - np.trunc(magnitude.data / twice_span) * twice_span
    back = twice_span - extra
    folded = where(extra.data > back.data, back, extra)
    return folded + low if low else folded


def _read(image: Tensor, rows: np.ndarray, cols: np.ndarray) -> Tensor:
    """image[n, rows, cols, :] (N, Ho, Wo, C) at whole-number positions; 0 outside the image (or at NaN)."""
    n, height, width, _ = image.shape
    inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    r = np.where(inside, rows, 0).astype(np.int64)
    c = np.where(inside, cols, 0).astype(np.int64)
    batch = np.arange(n).reshape(n, 1, 1)
    return where(inside[..., None], image[batch, r, c], 0.0)


def _bilinear(image: Tensor, u: Tensor, v: Tensor) -> Tensor:
    """The four pixels around (u, v), each weighted by the area of the rectangle opposite it."""
    left, top = np.floor(u.data), np.floor(v.data)
    tx = (u - left).unsqueeze(-1)  # how far past the top-left pixel, along W and along H
    ty = (v - top).unsqueeze(-1)
    return (
        _read(image, top, left) * ((1 - ty) * (1 - tx))
        + _read(image, top, left + 1) * ((1 - ty) * tx)
        + _read(image, top + 1, left) * (ty * (1 - tx))
        + _read(image, top + 1, left + 1) * (ty * tx)
    )


def _bicubic(image: Tensor, x: Tensor, y: Tensor, padding_mode: str, align_corners: bool) -> Tensor:
    """The 4 x 4 pixels around the point, blended with cubic weights along W, then along H.

    The point itself is not padded; each tap's position is (a whole number
    past the point's floor), so the padding decides which pixel each tap reads.
    """
    height, width = image.shape[1:3]
    u, v = _unnormalise(x, width, align_corners), _unnormalise(y, height, align_corners)
    left, top = np.floor(u.data), np.floor(v.data)
    across = [w.unsqueeze(-1) for w in cubic_weights(u - left)]
    down = [w.unsqueeze(-1) for w in cubic_weights(v - top)]
    cols = [_tap(left + k, width, padding_mode, align_corners) for k in (-1, 0, 1, 2)]
    out = None
    for i, weight in zip((-1, 0, 1, 2), down):
        row = _tap(top + i, height, padding_mode, align_corners)
        blend = _read(image, row, cols[0]) * across[0]
        for col, w in zip(cols[1:], across[1:]):
            blend = blend + _read(image, row, col) * w
        out = blend * weight if out is None else out + blend * weight
    assert out is not None
    return out


def _tap(position: np.ndarray, size: int, padding_mode: str, align_corners: bool) -> np.ndarray:
    """A tap's pixel position after padding (only positions, no gradient: the taps are whole numbers)."""
    return _padded(Tensor._wrap(position), size, padding_mode, align_corners).data
