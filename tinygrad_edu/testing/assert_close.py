"""assert_close: are two tensors (or numbers, or nested lists and dicts of them) close? As torch.testing's.

Element by element, actual a is close to expected e when

    |a - e| <= atol + rtol * |e|

(inf only matches the same inf; nan matches nan only with equal_nan=True).
Left out, rtol and atol come from the dtypes, the looser of the two:

    float16  1e-3, 1e-5      float32  1.3e-6, 1e-5      float64  1e-7, 1e-7
    integers and bool: 0, 0 (the values must be equal)

A failure is an AssertionError that says how many elements differ and
where the largest absolute and relative differences are::

    Tensor-likes are not close!

    Mismatched elements: 2 / 3 (66.7%)
    Greatest absolute difference: 0.5 at index (1,) (up to 1e-05 allowed)
    Greatest relative difference: 0.2 at index (1,) (up to 1.3e-06 allowed)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from ..tensor import Tensor

_TOLERANCES = {np.dtype(np.float16): (1e-3, 1e-5), np.dtype(np.float32): (1.3e-6, 1e-5)}
_TOLERANCES[np.dtype(np.float64)] = (1e-7, 1e-7)


class _Mismatch(Exception):
    """A failed comparison: its message, and the path of the item it happened at."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message, self.path = message, path


def assert_close(
    actual: Any,
    expected: Any,
    *,
    allow_subclasses: bool = True,
    rtol: float | None = None,
    atol: float | None = None,
    equal_nan: bool = False,
    check_device: bool = True,
    check_dtype: bool = True,
    check_layout: bool = True,
    check_stride: bool = False,
    msg: str | Callable[[str], str] | None = None,
) -> None:
    """Raise an AssertionError unless actual and expected are close (see the module docstring).

    Tensors (or NumPy arrays) must have the same shape, and with
    check_dtype the same dtype. Lists, tuples and dicts are compared item by
    item, and the message names the item that failed. `msg` replaces the
    message, or (a callable) is given it to rewrite. allow_subclasses,
    check_device, check_layout and check_stride are accepted for PyTorch's
    sake (there is one device, one layout, and strides are never compared).
    """
    if (rtol is None) != (atol is None):
        missing = "atol" if atol is None else "rtol"
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no {missing}.")
    try:
        _compare(actual, expected, rtol, atol, equal_nan, check_dtype)
    except _Mismatch as failure:
        message = failure.message
        if failure.path:
            message += f"\n\nThe failure occurred for item {failure.path}"
        if callable(msg):
            message = msg(message)
        elif msg is not None:
            message = msg
        raise AssertionError(message) from None


def _compare(
    a: Any, e: Any, rtol: float | None, atol: float | None, equal_nan: bool, check_dtype: bool
) -> None:
    arrays = (Tensor, np.ndarray)
    if isinstance(a, arrays) and type(a) is type(e) or isinstance(a, Tensor) and isinstance(e, Tensor):
        _compare_arrays(
            np.asarray(a.data if isinstance(a, Tensor) else a),
            np.asarray(e.data if isinstance(e, Tensor) else e),
            rtol,
            atol,
            equal_nan,
            check_dtype,
        )
    elif a is None and e is None:
        return
    elif _is_number(a) and _is_number(e):
        _compare_numbers(a, e, rtol, atol, equal_nan, check_dtype)
    elif isinstance(a, Mapping) and isinstance(e, Mapping):
        if set(a) != set(e):
            raise _Mismatch(
                "The keys of the mappings do not match:\n"
                f"Missing keys in the actual mapping: {sorted(set(e) - set(a), key=repr)}\n"
                f"Additional keys in the actual mapping: {sorted(set(a) - set(e), key=repr)}"
            )
        for key in a:
            _compare_item(a[key], e[key], f"[{key!r}]", rtol, atol, equal_nan, check_dtype)
    elif _is_sequence(a) and _is_sequence(e):
        if len(a) != len(e):
            raise _Mismatch(f"The length of the sequences mismatch: {len(a)} != {len(e)}")
        for i, (x, y) in enumerate(zip(a, e)):
            _compare_item(x, y, f"[{i}]", rtol, atol, equal_nan, check_dtype)
    else:
        raise TypeError(f"No comparison pair was able to handle inputs of type {type(a)} and {type(e)}.")


def _compare_item(a: Any, e: Any, step: str, *args: Any) -> None:
    try:
        _compare(a, e, *args)
    except _Mismatch as failure:
        raise _Mismatch(failure.message, step + failure.path) from None


def _is_number(x: Any) -> bool:
    return isinstance(x, (bool, int, float, np.bool_, np.integer, np.floating))


def _is_sequence(x: Any) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, (str, bytes))


def _tolerances(dtypes: list[np.dtype], rtol: float | None, atol: float | None) -> tuple[float, float]:
    if rtol is not None and atol is not None:
        return rtol, atol
    pairs = [_TOLERANCES.get(d, (0.0, 0.0)) for d in dtypes]
    return max(r for r, _ in pairs), max(t for _, t in pairs)


def _close(a: Any, e: Any, rtol: float, atol: float, equal_nan: bool) -> Any:
    """Elementwise closeness; an infinite expected value is matched only exactly (rtol * inf allows all)."""
    with np.errstate(invalid="ignore", over="ignore"):
        close = (a == e) | (np.isfinite(e) & (np.abs(a - e) <= atol + rtol * np.abs(e)))
    return close | (np.isnan(a) & np.isnan(e)) if equal_nan else close


def _compare_numbers(
    a: Any, e: Any, rtol: float | None, atol: float | None, equal_nan: bool, check: bool
) -> None:
    if isinstance(a, (bool, np.bool_)) and isinstance(e, (bool, np.bool_)):
        if bool(a) != bool(e):
            raise _Mismatch(f"Booleans mismatch: {a} is not {e}")
        return
    if check and type(a) is not type(e):
        raise _Mismatch(f"The (d)types do not match: {type(a)} != {type(e)}.")
    kinds = [
        np.dtype(np.float64) if isinstance(v, (float, np.floating)) else np.dtype(np.int64) for v in (a, e)
    ]
    _scalar_verdict(a, e, *_tolerances(kinds, rtol, atol), equal_nan)


def _scalar_verdict(a: Any, e: Any, rtol: float, atol: float, equal_nan: bool) -> None:
    """Two numbers (python's, or 0-d tensors' items): the "Scalars are not close!" message."""
    if _close(np.float64(a), np.float64(e), rtol, atol, equal_nan):
        return
    absolute = abs(a - e)
    relative = absolute / abs(e) if e != 0 else (float("nan") if absolute != absolute else float("inf"))
    lines = [
        f"Expected {e} but got {a}.",
        f"Absolute difference: {absolute}",
        f"Relative difference: {relative}",
    ]
    raise _Mismatch(f"Scalars are not {_verb(rtol, atol)}!\n\n" + _allowed(lines, rtol, atol))


def _verb(rtol: float, atol: float) -> str:
    return "equal" if rtol == 0 and atol == 0 else "close"


def _allowed(lines: list[str], rtol: float, atol: float) -> str:
    """The message's lines, each difference followed by the tolerance on it (none when 0)."""
    if not (rtol == 0 and atol == 0):
        lines[-2] += f" (up to {atol} allowed)"
        lines[-1] += f" (up to {rtol} allowed)"
    return "\n".join(lines)


def _compare_arrays(
    a: np.ndarray, e: np.ndarray, rtol: float | None, atol: float | None, equal_nan: bool, check: bool
) -> None:
    if a.shape != e.shape:
        raise _Mismatch(f"The values for attribute 'shape' do not match: {a.shape} != {e.shape}.")
    if check and a.dtype != e.dtype:
        raise _Mismatch(f"The values for attribute 'dtype' do not match: {a.dtype} != {e.dtype}.")
    rtol, atol = _tolerances([a.dtype, e.dtype], rtol, atol)
    common = np.result_type(a.dtype, e.dtype)
    if common == np.bool_:
        common = np.dtype(np.int64)  # (so that differences can be taken)
    a, e = a.astype(common), e.astype(common)
    if a.ndim == 0:
        return _scalar_verdict(a.item(), e.item(), rtol, atol, equal_nan)
    close = _close(a, e, rtol, atol, equal_nan).reshape(-1)
    if close.all():
        return
    # the greatest differences among the mismatched elements (nan counts as greatest)
    absolute = np.abs(a - e).reshape(-1)
    absolute[close] = 0
    float_dtype = common if common.kind == "f" else get_default_dtype()
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = absolute.astype(float_dtype) / np.abs(e.reshape(-1)).astype(float_dtype)
    relative[close] = 0
    lines = [
        f"Mismatched elements: {(~close).sum()} / {close.size} ({(~close).sum() / close.size:.1%})",
        _greatest("absolute", absolute, a.shape),
        _greatest("relative", relative, a.shape),
    ]
    raise _Mismatch(f"Tensor-likes are not {_verb(rtol, atol)}!\n\n" + _allowed(lines, rtol, atol))


def _greatest(what: str, differences: np.ndarray, shape: tuple[int, ...]) -> str:
    i = int(np.argmax(differences))  # (np.argmax finds the first nan, if any)
    where = tuple(int(n) for n in np.unravel_index(i, shape))
    return f"Greatest {what} difference: {differences[i].item()} at index {where}"
