"""1-d pooling layers, `MaxPool1d` and `AvgPool1d`, and their functions.

A 1-d pool slides a window of k places along the last dim of each channel of
(N, C, L), or (C, L), and keeps the largest value or the mean. It is the 2-d
pool (pooling.py) on a single row: (N, C, L) is pooled as (N, C, 1, L) with
a 1 x k window, so the padding, ceil_mode, the ties of max and the gradients
are the same, and so is the output size (kernel k, stride s, padding p, dilation d):

    out = floor((L + 2p - d (k - 1) - 1) / s) + 1       (ceil instead of floor with ceil_mode=True)

Each function first checks its arguments the way PyTorch's 1-d function does,
with its messages: max_pool1d with its own (it allows at most k // 2
padding, whatever the dilation), avg_pool1d with avg_pool2d's, which it
calls, as PyTorch's does.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..ops.conv import per_dim
from ..tensor import Tensor
from .module import Module
from .pooling import _MaxPoolNd, _no_stride, _pooled_size, avg_pool2d, max_pool2d


def max_pool1d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    dilation: int | Sequence[int] = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """The largest value in each window of k places along the last dim of each channel.

    Shape: (N, C, L) or (C, L) -> (N, C, out) or (C, out) (out: see the module docstring).
    It is max_pool2d on (N, C, 1, L) with a 1 x k window, so padding and ties
    behave the same; the indices (return_indices=True) are positions along L.
    """
    if input.ndim not in (2, 3) or 0 in input.shape[-2:]:
        raise RuntimeError(
            "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
            f"input, but got:{list(input.shape)}"
        )
    k = _one_int("max_pool1d", "kernel_size", kernel_size, _SIZE_1)
    s = k if _no_stride(stride) else _one_int("max_pool1d", "stride", stride, _SIZE_1)
    p = _one_int("max_pool1d", "padding", padding, _SIZE_1)
    d = _one_int("max_pool1d", "dilation", dilation, _SIZE_1)
    _check_max_pool1d(input.shape[-1], k, s, p, d, ceil_mode)
    pooled = max_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), (1, d), ceil_mode, return_indices)
    if isinstance(pooled, tuple):  # the one row is row 0, so its flat indices are the positions along L
        return pooled[0].squeeze(-2), pooled[1].squeeze(-2)
    return pooled.squeeze(-2)


def avg_pool1d(
    input: Tensor,
    kernel_size: int | Sequence[int],
    stride: int | Sequence[int] | None = None,
    padding: int | Sequence[int] = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
) -> Tensor:
    """The mean of each window of k places along the last dim of each channel.

    Shape: (N, C, L) or (C, L) -> (N, C, out) or (C, out) (out: see the module docstring).
    It is avg_pool2d on (N, C, 1, L) with a 1 x k window, and so are its
    checks and their messages, as in PyTorch.
    """
    _check_1d_input("avg_pool1d", input)
    k = _one_int("avg_pool1d", "kernel_size", kernel_size)
    s = k if _no_stride(stride) else _one_int("avg_pool1d", "stride", stride)
    p = _one_int("avg_pool1d", "padding", padding)
    return avg_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), ceil_mode, count_include_pad).squeeze(-2)


# PyTorch's two messages for a size given as a sequence of the wrong length, in 1-d functions
_ONE_INT = "{op}() argument '{name}' should contain one int (got {size})"
_SIZE_1 = "{op}() {name} must be an int, list of ints or tuple of ints of size 1 but got size {size}"


def _one_int(op: str, name: str, value: object, wrong_size: str = _ONE_INT) -> int:
    """An int, or a list or tuple of one int, as that int; otherwise PyTorch's error."""
    single = per_dim(value, 1)
    if single is not None:
        return single[0]
    if isinstance(value, (list, tuple)) and len(value) != 1:
        raise RuntimeError(wrong_size.format(op=op, name=name, size=len(value)))
    raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, not {type(value).__name__}")


def _check_1d_input(op: str, input: Tensor) -> None:
    """A 1-d pool takes (N, C, L) or (C, L); PyTorch's message otherwise."""
    if input.ndim not in (2, 3):
        raise RuntimeError(
            f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument #1 'self' "
            f"(while checking arguments for {op})"
        )


def _check_max_pool1d(n: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> None:
    """max_pool1d's own checks, in PyTorch's order and words (stricter on padding than 2-d's)."""
    if k <= 0:
        raise RuntimeError(f"max_pool1d() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"max_pool1d() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(
            f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
            f"kernel_size={k}"
        )
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    out = _pooled_size(n, k, s, p, d, ceil_mode)
    if out <= 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {out}")


# ---------------------------------------------------------------- layers


class MaxPool1d(_MaxPoolNd):
    """Max pooling along a sequence: the largest value in each window of each channel; see `F.max_pool1d`.

    Shape:
        input (N, C, L) or (C, L) -> output (N, C, out) or (C, out),
        out = floor((L + 2 padding - dilation (kernel_size - 1) - 1) / stride) + 1 (ceil with ceil_mode).
        stride defaults to kernel_size. No parameters.

    On ties the gradient goes to the first maximum of the window, as in PyTorch.
    """

    def forward(self, input: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        return max_pool1d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            self.ceil_mode,
            self.return_indices,
        )


class AvgPool1d(Module):
    """Average pooling along a sequence: the mean of each window of each channel; see `F.avg_pool1d`.

    Shape:
        input (N, C, L) or (C, L) -> output (N, C, out) or (C, out),
        out = floor((L + 2 padding - kernel_size) / stride) + 1 (ceil with ceil_mode).
        stride defaults to kernel_size. No parameters.

    As in PyTorch, kernel_size, stride and padding are kept as tuples of one int.
    """

    def __init__(
        self,
        kernel_size: int | tuple[int],
        stride: int | tuple[int] | None = None,
        padding: int | tuple[int] = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size = _as_tuple(kernel_size)
        self.stride = _as_tuple(stride if stride is not None else kernel_size)
        self.padding = _as_tuple(padding)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool1d(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad
        )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


def _as_tuple(value: int | Sequence[int]) -> tuple[int, ...]:
    """(value,) for an int, tuple(value) for a sequence: how AvgPool1d keeps its sizes."""
    return tuple(value) if isinstance(value, Sequence) else (value,)
