"""Sliding boxes: `Unfold3d` (vol2col) copies every window of a volume into a column; `Fold3d` adds them back.

The 3-d twins of `Unfold` and `Fold` (ops/conv.py), for the volumetric
layers (conv3d, the 3-d pools). For a volume x of shape (N, C, D, H, W) and
a kd x kh x kw kernel, unfold gives (N, C*kd*kh*kw, L): one column per
window position (L = od * oh * ow of them, depth-major), and in each column
the window's values, channel first, then kernel depth, row and column. A 3-d
convolution is then one matrix product, and a 3-d pooling a reduction over
each column's kd*kh*kw values.

Fold is unfold's adjoint (it adds each column back onto its window, so an
element in several windows receives their sum): each is the other's
derivative, and second derivatives come for free.

Along each spatial dim the geometry is the 2-d one's: with size n, padding p
(zeros on both sides), dilation d, kernel size k and stride s there are

    blocks = floor((n + 2p - d (k - 1) - 1) / s) + 1

window positions. Both Functions loop over the kd*kh*kw kernel taps only:
tap (a, b, c) meets, across all windows, the strided grid of padded-volume
elements starting at (a d_d, b d_h, c d_w) with steps (s_d, s_h, s_w), so
one slice moves all of them at once.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence

import numpy as np

from ..autograd.function import Function, Node
from ..tensor import Tensor

Triple = tuple[int, int, int]
_BOTH = (slice(None), slice(None))  # every sample and channel


def blocks3d(
    size: Sequence[int], kernel: Triple, dilation: Triple, padding: Triple, stride: Triple
) -> Triple:
    """The number of window positions (od, oh, ow) along the three spatial dims (see the module docstring)."""
    od, oh, ow = (
        (n + 2 * p - d * (k - 1) - 1) // s + 1
        for n, k, d, p, s in zip(size, kernel, dilation, padding, stride)
    )
    return od, oh, ow


def _taps(kernel: Triple, dilation: Triple, stride: Triple, out: Triple) -> Iterator[tuple[Triple, tuple]]:
    """For each kernel tap (a, b, c): the slices of the padded volume it meets across the windows."""
    for tap in itertools.product(*(range(k) for k in kernel)):
        where = tuple(
            slice(i * d, i * d + s * (o - 1) + 1, s) for i, d, s, o in zip(tap, dilation, stride, out)
        )
        yield tap, where  # type: ignore[misc]


class Unfold3d(Function):
    """Every window of x as a column: x (N, C, D, H, W) -> cols (N, C*kd*kh*kw, L).

    dL/dx = fold3d(dL/dcols)
    """

    @staticmethod
    def forward(
        ctx: Node, x: np.ndarray, kernel: Triple, dilation: Triple, padding: Triple, stride: Triple
    ) -> np.ndarray:
        ctx.size, ctx.geometry = x.shape[2:], (kernel, dilation, padding, stride)
        n, c = x.shape[:2]
        out = blocks3d(x.shape[2:], kernel, dilation, padding, stride)
        padded = np.pad(x, ((0, 0), (0, 0), *((p, p) for p in padding)))
        windows = np.empty((n, c, *kernel, *out), dtype=x.dtype)
        for tap, where in _taps(kernel, dilation, stride, out):
            windows[_BOTH + tap] = padded[(...,) + where]
        return windows.reshape(n, c * math.prod(kernel), math.prod(out))

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None, None]:
        return Fold3d._apply1(grad, ctx.size, *ctx.geometry), None, None, None, None


class Fold3d(Function):
    """The columns added back onto their windows: cols (N, C*kd*kh*kw, L) -> x (N, C, D, H, W).

    dL/dcols = unfold3d(dL/dx)
    """

    @staticmethod
    def forward(
        ctx: Node,
        columns: np.ndarray,
        size: Triple,
        kernel: Triple,
        dilation: Triple,
        padding: Triple,
        stride: Triple,
    ) -> np.ndarray:
        ctx.geometry = (kernel, dilation, padding, stride)
        out = blocks3d(size, kernel, dilation, padding, stride)
        n, c = columns.shape[0], columns.shape[1] // math.prod(kernel)
        windows = columns.reshape(n, c, *kernel, *out)
        padded = np.zeros((n, c, *(m + 2 * p for m, p in zip(size, padding))), dtype=columns.dtype)
        for tap, where in _taps(kernel, dilation, stride, out):
            # NOTE: +=, not =: where windows overlap, an element collects every window's value
            padded[(...,) + where] += windows[_BOTH + tap]
        inside = tuple(slice(p, p + m) for m, p in zip(size, padding))
        return padded[(...,) + inside].copy()

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None, None, None, None]:
        return Unfold3d._apply1(grad, *ctx.geometry), None, None, None, None, None
