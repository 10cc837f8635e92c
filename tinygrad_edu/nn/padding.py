"""`pad` (``F.pad``): grow a tensor at both ends of its last dims, or crop it.

``pad`` lists amounts two by two from the last dim backwards:
``(left, right)`` pads the last dim, ``(left, right, top, bottom)`` the last
two, and so on. A negative amount removes elements instead. For the row
``[a b c d]`` and ``pad=(2, 2)`` the four modes give::

    constant (value 0):  0 0 | a b c d | 0 0
    reflect:             c b | a b c d | c b     (the edge itself is not repeated)
    replicate:           a a | a b c d | d d
    circular:            c d | a b c d | a b     (wraps around)

There is no backward written here: `pad` is built from differentiable
Tensor ops, so its first and second derivatives come with them.

- ``"constant"`` crops with a slice and grows by concatenating blocks of
  ``value``; the gradient is the slice of the output's gradient that lies
  over the input.
- The other modes work out, for every output position along a padded dim,
  which input position it copies, and gather those with `index_select`;
  an input element copied several times receives the sum of their gradients.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..ops.joining import cat
from ..tensor import Tensor

_MODES = ("constant", "reflect", "replicate", "circular")
_DIM_LETTERS = "WHD"  # the padded dims, from the last: width, height, depth


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (or, with negative amounts, crop) the last ``len(pad) // 2`` dims of ``input``.

    ``pad = (left_last, right_last, left_second_last, right_second_last, ...)``.
    Shape: ``(*, n)`` with ``pad=(l, r)`` gives ``(*, n + l + r)``, and so on
    for each pair.

    - ``"constant"``: fill with ``value`` (default 0); any number of dims.
    - ``"reflect"``: mirror at the edge, without repeating it; each amount
      must be less than the size of its dim.
    - ``"replicate"``: repeat the edge element.
    - ``"circular"``: wrap around; each amount at most the size of its dim
      (what is left of it, after the negative amounts have cropped it).

    As in PyTorch, the last three modes pad the last 1, 2 or 3 dims of an
    input with one or two more dims than that (a batch of channels, or the
    channels alone), and ``value`` is only for ``"constant"``.
    """
    _check_pad(input, pad, mode, value)
    pairs = [(input.ndim - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]
    if mode == "constant":
        return _pad_constant(input, pairs, 0 if value is None else value)
    _check_other_mode(input, pairs, mode)
    out = input
    for dim, left, right in pairs:
        source = _SOURCES[mode](input.shape[dim], left, right)
        out = out.index_select(dim, Tensor._wrap(source))
    return out


def _check_pad(input: Tensor, pad: Sequence[int], mode: str, value: float | None) -> None:
    """The checks every mode shares, in PyTorch's order and with its messages."""
    if isinstance(pad, Tensor) or not isinstance(pad, Sequence):
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not {type(pad).__name__}")
    for i, amount in enumerate(pad):
        if isinstance(amount, bool) or not isinstance(amount, (int, np.integer)):
            raise TypeError(
                "pad(): argument 'pad' (position 2) must be tuple of ints, "
                f"but found element of type {type(amount).__name__} at pos {i}"
            )
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if len(pad) % 2 != 0:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(
            "Padding length should be less than or equal to two times the input dimension "
            f"but got padding length {len(pad)} and input of dimension {input.ndim}"
        )
    if mode != "constant" and value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')


def _pad_constant(x: Tensor, pairs: list[tuple[int, int, int]], value: float) -> Tensor:
    """Crop the negative amounts with a slice, then join blocks of `value` at the ends.

    The result is always a new tensor, as in PyTorch: a crop alone (a slice,
    so a view) is copied, so that changing the result in place leaves the
    input alone.
    """
    grown = False
    for dim, left, right in pairs:
        size = x.shape[dim]
        if size + left + right < 0:
            raise RuntimeError(
                f"The input size {size}, plus negative padding {left} and {right} resulted in a "
                f"negative output size, which is invalid. Check dimension {dim} of your input."
            )
        cut_left, cut_right = max(-left, 0), max(-right, 0)
        if cut_left + cut_right > size:
            raise RuntimeError(
                f"pad: negative padding ({left}, {right}) removes more than the {size} elements "
                f"of dimension {dim} of the input"
            )
        if cut_left or cut_right:
            x = x[(slice(None),) * dim + (slice(cut_left, size - cut_right),)]
        if left > 0 or right > 0:
            pieces = [_filled(x, dim, left, value), x, _filled(x, dim, right, value)]
            x = cat([p for p in pieces if p is not None], dim)
            grown = True
    return x if grown else x.clone()


def _filled(x: Tensor, dim: int, size: int, value: float) -> Tensor | None:
    """A constant block shaped like ``x`` but ``size`` long along ``dim`` (None if size <= 0)."""
    if size <= 0:
        return None
    shape = x.shape[:dim] + (size,) + x.shape[dim + 1 :]
    return Tensor._wrap(np.full(shape, value, dtype=x.dtype))


def _check_other_mode(input: Tensor, pairs: list[tuple[int, int, int]], mode: str) -> None:
    """Reflect, replicate and circular pad the last 1-3 dims of a (batch of) channels."""
    n_pairs = len(pairs)
    if n_pairs not in (1, 2, 3) or input.ndim not in (n_pairs + 1, n_pairs + 2):
        raise NotImplementedError(
            f"Padding size {2 * n_pairs} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    if mode == "circular":
        for dim, left, right in pairs:
            _check_circular(input.shape[dim], left, right)
        return
    batched = input.ndim == n_pairs + 2
    if 0 in input.shape[1 if batched else 0 :]:
        raise RuntimeError(
            f"Expected {n_pairs + 1}D or {n_pairs + 2}D (batch mode) tensor with possibly 0 batch size "
            f"and other non-zero dimensions for input, but got: {list(input.shape)}"
        )
    for dim, left, right in pairs:
        if mode == "reflect" and (left >= input.shape[dim] or right >= input.shape[dim]):
            raise RuntimeError(
                "Padding size should be less than the corresponding input dimension, but got: "
                f"padding ({left}, {right}) at dimension {dim} of input {list(input.shape)}"
            )
    sizes = [input.shape[dim] + left + right for dim, left, right in pairs]
    # As in PyTorch, a padded dim may come out empty, but not all of them.
    if min(sizes) < 0 or max(sizes) < 1:
        letters = _DIM_LETTERS[n_pairs - 1 :: -1]  # "W", "HW" or "DHW"
        given = ", ".join(f"{c}: {input.shape[dim]}" for c, (dim, _, _) in zip(letters, pairs[::-1]))
        got = " ".join(f"{c}: {size}" for c, size in zip(letters, sizes[::-1]))
        raise RuntimeError(f"input ({given}) is too small. Calculated output {got}")


def _check_circular(n: int, left: int, right: int) -> None:
    """Circular padding wraps around the input once, after any crop, at most."""
    if left > n or right > n:
        raise RuntimeError("Padding value causes wrapping around more than once.")
    if n + left + right < 0:
        raise RuntimeError("Negative padding value is resulting in an empty dimension")
    core = n - max(-left, 0) - max(-right, 0)
    if max(left, 0) > core or max(right, 0) > core:  # a crop left too little to wrap around
        raise RuntimeError("Padding value causes wrapping around more than once.")


def _reflect(n: int, left: int, right: int) -> np.ndarray:
    """Output position i copies input position j = i - left, mirrored at 0 and n - 1.

    NOTE: one mirroring suffices because each amount is less than n: the
    mirror image of j < 0 is -j, and of j > n - 1 it is 2 (n - 1) - j.
    """
    j = np.abs(np.arange(-left, n + right))
    return np.where(j > n - 1, 2 * (n - 1) - j, j)


def _replicate(n: int, left: int, right: int) -> np.ndarray:
    """Output position i copies input position i - left, clamped to [0, n - 1]."""
    return np.clip(np.arange(-left, n + right), 0, n - 1)


def _circular(n: int, left: int, right: int) -> np.ndarray:
    """Crop the negative amounts first, then wrap around what is left (the core), as PyTorch does.

    With the core starting at input position s and c long, output position i
    copies s + (i - max(left, 0)) mod c.
    """
    start, core = max(-left, 0), n - max(-left, 0) - max(-right, 0)
    if core == 0:
        return np.arange(0)
    return start + np.arange(-max(left, 0), core + max(right, 0)) % core


_SOURCES: dict[str, Callable[[int, int, int], np.ndarray]] = {
    "reflect": _reflect,
    "replicate": _replicate,
    "circular": _circular,
}
