"""How tensors print: PyTorch's layout, character for character, so the two can be read side by side.

``repr(x)`` is ``tensor(<body><suffixes>)``. The body is built in three steps:

1. **What is shown.** A tensor of more than ``threshold`` elements is summarised:
   along each dim longer than ``2 * edgeitems`` only the first and last
   ``edgeitems`` entries are kept, and ``...`` marks the gap.
2. **One format for all shown numbers**, chosen from the nonzero finite values
   (zeros, nan and inf take no part in the choice, nor in the common width):

   - integer and bool tensors print as Python prints the numbers;
   - floats that are all whole numbers print as ``1.`` ("int mode");
   - scientific (``1.2346e-05``) when the largest over the smallest magnitude
     exceeds 1000, or the largest exceeds 1e8, or the smallest is below 1e-4
     (``sci_mode`` True or False overrides the choice);
   - otherwise ``precision`` digits after the point (``0.1235``).

   Every number is then right-aligned to the widest, so columns line up.
3. **Layout.** Rows of a 1-d tensor wrap to fit ``linewidth``; an n-d tensor
   nests brackets, one more space of indent per level, with n-1 newlines
   between its slices.

The numbers are formatted with Python's own ``format``, as PyTorch does, so
rounding and the spelling of nan, inf and ``-0.`` agree with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .dtypes import get_default_dtype

if TYPE_CHECKING:
    from .tensor import Tensor


@dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_options = _PrintOptions()
_PROFILES: dict[str, dict[str, Any]] = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """How tensors print, as `torch.set_printoptions`: ``tg.set_printoptions(precision=2)``.

    precision: digits after the decimal point (default 4).
    threshold: tensors of more elements than this are summarised (default 1000).
    edgeitems: entries kept at each end of a summarised dim (default 3).
    linewidth: characters per line, for wrapping (default 80).
    profile: "default", "short" (2 digits, 2 edge items) or "full" (never
        summarise); it resets the four options above before the others apply.
    sci_mode: True always prints scientific notation, False never does, None
        lets the values decide. Unlike the others, every call sets it.

    An option left at None keeps its value.
    """
    if profile is not None:
        # PyTorch ignores an unknown profile; a typo is easier to find when it is an error.
        if profile not in _PROFILES:
            raise ValueError(f"set_printoptions(): profile must be one of {list(_PROFILES)}, got {profile!r}")
        for name, value in _PROFILES[profile].items():
            setattr(_options, name, value)
    given = {"precision": precision, "threshold": threshold, "edgeitems": edgeitems, "linewidth": linewidth}
    for name, value in given.items():
        if value is not None:
            setattr(_options, name, value)
    _options.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """The current print options, as keyword arguments for `set_printoptions`."""
    return asdict(_options)


@contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Print with other options inside a ``with`` block: ``with tg.printoptions(precision=2): ...``."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


# ---------------------------------------------------------------- the repr


def tensor_repr(tensor: Tensor) -> str:
    """``tensor([...], dtype=..., grad_fn=<...>)``: the body, then what the numbers alone don't say."""
    data = tensor._array()
    suffixes = []
    if data.size == 0:
        # Nothing to show: the shape, unless (0,), and any dtype but the default must be said.
        if data.ndim != 1:
            suffixes.append(f"size={data.shape}")
        if data.dtype != get_default_dtype():
            suffixes.append(f"dtype={data.dtype}")
        body = "[]"
    else:
        if _options.edgeitems == 0:  # a summary would be just "[...]": PyTorch then always gives the size
            suffixes.append(f"size={data.shape}")
        if data.dtype not in (get_default_dtype(), np.int64, np.bool_):
            suffixes.append(f"dtype={data.dtype}")
        body = format_body(data, indent=len("tensor("))
    if tensor.grad_fn is not None:
        suffixes.append(f"grad_fn=<{tensor.grad_fn.name()}>")
    elif tensor.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes("tensor(" + body, suffixes, indent=len("tensor("))


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` to the last line, or put it on a new line where it would pass `linewidth`."""
    # NOTE: PyTorch counts the body's last line as two characters longer than it is
    # (but not a suffix line it starts), so a suffix wraps a little early; kept to match.
    used = len(text) - text.rfind("\n") + 1
    pieces = [text]
    for suffix in suffixes:
        if used + len(suffix) + 2 > _options.linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            used = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            used += len(suffix) + 2
    return "".join(pieces) + ")"


# ---------------------------------------------------------------- the body


def format_body(data: np.ndarray, indent: int) -> str:
    """The bracketed numbers of a non-empty array, as if printed after `indent` characters."""
    summarize = data.size > _options.threshold
    if data.ndim == 0:
        return str(_formatted(data)[0].item())
    if summarize and _options.edgeitems == 0:
        return "[...]"
    shown = _shown(data) if summarize else data
    texts, width = _formatted(shown)
    return _layout(texts, width, data.shape, indent, summarize)


def _shown(data: np.ndarray) -> np.ndarray:
    """The entries a summary keeps: the first and last `edgeitems` along every long dim."""
    edge = _options.edgeitems
    for axis, size in enumerate(data.shape):
        if size > 2 * edge:
            data = np.take(data, np.r_[:edge, size - edge : size], axis=axis)
    return data


def _formatted(shown: np.ndarray) -> tuple[np.ndarray, int]:
    """Each shown number as text in the one format chosen for all, right-aligned; and that width."""
    if shown.dtype.kind not in "fc":
        texts = np.array([str(value) for value in shown.reshape(-1).tolist()], dtype=object)  # "True", "-3"
        counted = np.ones(shown.size, dtype=bool)
    else:
        flat = shown.reshape(-1).astype(np.float64)  # PyTorch formats Python floats too
        counted = np.isfinite(flat) & (flat != 0)  # only these choose the format and the width
        spec, int_mode = _float_spec(flat[counted])
        texts = np.array([format(value, spec) for value in flat.tolist()], dtype=object)
        if int_mode:  # a point says "float"; nan and inf take none
            texts[np.isfinite(flat)] += "."
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=texts.size)
    width = int(lengths.max(initial=1, where=counted))
    padded = np.array([text.rjust(width) for text in texts], dtype=object)
    return padded.reshape(shown.shape), width


def _float_spec(counted: np.ndarray) -> tuple[str, bool]:
    """The `format` spec for all the float numbers, chosen from the nonzero finite ones
    (`counted`), and whether it is int mode (whole numbers, written ``2.``)."""
    if counted.size == 0:
        return ".0f", True  # nothing but zeros, nan and inf: "0.", "nan", whatever sci_mode says
    magnitude = np.abs(counted)
    smallest, largest = magnitude.min(), magnitude.max()
    sci_mode = _options.sci_mode
    if sci_mode is None:
        sci_mode = bool(largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4)
    if sci_mode:
        return f".{_options.precision}e", False
    if np.all(counted == np.ceil(counted)):
        return ".0f", True
    return f".{_options.precision}f", False


def _layout(texts: np.ndarray, width: int, shape: tuple[int, ...], indent: int, summarize: bool) -> str:
    """Nest the shown texts in brackets; `shape` is the full array's, to know where `...` goes."""
    edge = _options.edgeitems
    cut = summarize and shape[0] > 2 * edge  # this dim lost its middle
    if texts.ndim == 1:
        items = list(texts)
        if cut:
            items = items[:edge] + [" ..."] + items[edge:]
        per_line = max(1, (_options.linewidth - indent) // (width + 2))  # each number and its ", "
        lines = [", ".join(items[start : start + per_line]) for start in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    slices = [_layout(row, width, shape[1:], indent + 1, summarize) for row in texts]
    if cut:
        slices = slices[:edge] + ["..."] + slices[edge:]
    return "[" + ("," + "\n" * (texts.ndim - 1) + " " * (indent + 1)).join(slices) + "]"
