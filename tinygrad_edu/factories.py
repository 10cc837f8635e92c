"""Functions that make new tensors: constants, ranges and random numbers.

Each takes PyTorch's `device=` so that PyTorch code runs unchanged; the only
device is the CPU ("cpu"), and naming another raises.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from .dtypes import get_default_dtype
from .random import generator_or_default
from .tensor import Tensor, check_device


def _size(shape: tuple, size: Any = None, op: str = "tensor") -> tuple[int, ...]:
    """The shape from ``f(2, 3)``, ``f((2, 3))`` or ``f(size=(2, 3))``, checked as PyTorch checks it.

    Sizes are ints (an int-like such as np.int64 or a 0-d integer tensor too):
    a float is a TypeError rather than truncated, and a negative size a RuntimeError.
    """
    if size is not None:
        if shape:
            raise TypeError(f"{op}(): pass the size either as arguments or as size=, not both")
        shape = (size,)
    elif not shape:  # (f() is not f(()): PyTorch asks for the size, and f(()) makes a 0-d tensor)
        raise TypeError(f'{op}() missing 1 required positional arguments: "size"')
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(_count(n, "size", op) for n in shape)


def _count(n: Any, name: str, op: str) -> int:
    """`n` as a non-negative int: a size, a number of steps or of elements.

    A float (2.5) or a bool is a TypeError and a negative number a
    RuntimeError, as in PyTorch; NumPy would truncate the float and refuse
    the negative with a ValueError.
    """
    if isinstance(n, (bool, np.bool_)) or not hasattr(n, "__index__"):
        raise TypeError(f"{op}(): {name} must be an int, got {type(n).__name__} {n!r}")
    n = operator.index(n)
    if n < 0:
        raise RuntimeError(f"{op}(): {name} must be non-negative, got {n}")
    return n


def _number(value: Any, name: str, op: str) -> Any:
    """`value` as a Python number: a NumPy scalar's, or a 0-d Tensor's (one that needs no gradient).

    What PyTorch accepts as a Number: the dtype a factory infers then comes
    from the kind of number (float, int or bool), not from NumPy's type.
    """
    if isinstance(value, Tensor):
        if value.ndim != 0 or value.requires_grad:
            raise TypeError(f"{op}(): argument '{name}' must be Number, not Tensor")
        return value.item()
    return value.item() if isinstance(value, np.generic) else value


def _make(array: np.ndarray, requires_grad: bool, device: Any = None) -> Tensor:
    check_device(device)
    t = Tensor._wrap(array)
    return t.requires_grad_(True) if requires_grad else t


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Same as `Tensor(data, ...)` (copies `data`)."""
    check_device(device)
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """`data` as a Tensor, sharing memory with a NumPy array (or Tensor) when no cast is needed."""
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or np.dtype(dtype) == data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or np.dtype(dtype) == data.dtype):
        return Tensor._wrap(data)
    return Tensor(data, dtype=dtype)


def asarray(
    obj: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    copy: bool | None = None,
    requires_grad: bool | None = None,
) -> Tensor:
    """`obj` as a Tensor, sharing memory with a Tensor or NumPy array where it can (as torch.asarray).

    copy=None shares when no cast is needed and copies otherwise; copy=True
    always copies (a Tensor through a recorded clone); copy=False shares or
    raises ValueError. requires_grad=None keeps a Tensor's own setting. Where
    a Tensor comes back with another requires_grad, it is a new leaf on the
    same memory: PyTorch changes `obj` itself, here `obj` is left as it was.
    """
    shares = isinstance(obj, (Tensor, np.ndarray)) and (dtype is None or np.dtype(dtype) == obj.dtype)
    if copy is False and not shares:
        raise ValueError(
            f"asarray: a {obj.dtype} {type(obj).__name__} cannot share its memory as {np.dtype(dtype)}"
            if isinstance(obj, (Tensor, np.ndarray))
            else f"asarray: a {type(obj).__name__} has no memory to share: copy=False needs a Tensor or array"
        )
    out = as_tensor(obj, dtype, device)  # shares where it can
    if copy and shares:
        out = out.clone()  # (recorded, for a Tensor)
    if requires_grad is not None and requires_grad != out.requires_grad:
        if out is obj or out.grad_fn is not None:
            out = out.detach()  # a new leaf on the same memory
        out.requires_grad_(requires_grad)
    return out


def from_numpy(array: np.ndarray) -> Tensor:
    """A Tensor sharing `array`'s memory and dtype: a change to one shows in the other."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return Tensor._wrap(array)


def zeros(
    *shape: Any, size: Any = None, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    return _make(
        np.zeros(_size(shape, size, "zeros"), dtype=dtype or get_default_dtype()), requires_grad, device
    )


def empty(
    *shape: Any, size: Any = None, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor whose values are whatever the memory held: fill it before use (nn.init does)."""
    return _make(
        np.empty(_size(shape, size, "empty"), dtype=dtype or get_default_dtype()), requires_grad, device
    )


def ones(
    *shape: Any, size: Any = None, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    return _make(
        np.ones(_size(shape, size, "ones"), dtype=dtype or get_default_dtype()), requires_grad, device
    )


def full(
    size: Any, fill_value: float, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    fill_value = _number(fill_value, "fill_value", "full")
    if dtype is None:
        is_float = isinstance(fill_value, float)
        dtype = get_default_dtype() if is_float else np.bool_ if isinstance(fill_value, bool) else np.int64
    from .ops.broadcast import check_written  # (ops import this module)

    check_written(fill_value, np.dtype(dtype))
    value = np.asarray(fill_value).astype(dtype)  # (-1 into uint8 is 255, as in PyTorch; NumPy refuses it)
    return _make(np.full(_size((), size, "full"), value, dtype=dtype), requires_grad, device)


def rand(
    *shape: Any,
    size: Any = None,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Uniform samples in [0, 1) from `generator`, or the global one (see `manual_seed`)."""
    draw = np.random.Generator.random
    return _sample("rand", draw, _size(shape, size, "rand"), generator, dtype, device, requires_grad)


def randn(
    *shape: Any,
    size: Any = None,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Standard normal samples from `generator`, or the global one (see `manual_seed`)."""
    draw = np.random.Generator.standard_normal
    return _sample("randn", draw, _size(shape, size, "randn"), generator, dtype, device, requires_grad)


def _sample(
    op: str,
    draw: Callable,
    shape: tuple,
    generator: np.random.Generator | None,
    dtype: Any,
    device: Any,
    requires_grad: bool,
) -> Tensor:
    """`draw(generator, shape, dtype=...)` in the default float dtype unless `dtype` is given.

    NumPy draws float32 and float64 only: float16 samples are drawn in float32
    and rounded. Other dtypes are refused, as PyTorch refuses them.
    """
    check_device(device)  # before drawing: a failed call leaves the generator as it was
    dtype = np.dtype(dtype or get_default_dtype())
    if dtype.kind != "f":
        raise NotImplementedError(f"{op}: not implemented for dtype {dtype} (a floating dtype is needed)")
    drawn = draw(generator_or_default(generator), shape, dtype=np.float32 if dtype == np.float16 else dtype)
    return _make(drawn.astype(dtype, copy=False), requires_grad)


def arange(
    start: float | None = None,
    end: float | None = None,
    step: float = 1,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """start, start+step, ... up to but not including end (int64 when all are ints).

    As in PyTorch, one number is the end (``arange(5)``), and ``arange(end=5)`` starts at 0.
    """
    if start is None and end is None:
        raise TypeError("arange() missing 1 required positional argument: 'end'")
    if end is None:
        start, end = 0, start
    elif start is None:
        start = 0
    start, end, step = (
        _number(v, name, "arange") for v, name in ((start, "start"), (end, "end"), (step, "step"))
    )
    if step == 0:
        raise RuntimeError(f"arange(): step must be nonzero (start {start}, end {end})")
    if (end - start) * step < 0:  # NumPy would give an empty tensor; PyTorch refuses
        raise RuntimeError(
            f"arange(): the bounds are inconsistent with the step's sign: from {start} to {end} "
            f"by steps of {step} (to count down, give a negative step and end < start)"
        )
    if dtype is None:
        all_ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if all_ints else get_default_dtype()
    if np.dtype(dtype).kind in "iu" and int(step) == 0:  # (NumPy would repeat the start)
        raise ValueError(f"arange(): step must be nonzero, but step {step} is 0 as {np.dtype(dtype)}")
    # float steps are added in float64, then rounded once (float32 steps would drift)
    array = np.arange(start, end, step, dtype=np.float64 if np.dtype(dtype).kind == "f" else dtype)
    return _make(array.astype(dtype, copy=False), requires_grad, device)


def linspace(
    start: float,
    end: float,
    steps: int,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """`steps` evenly spaced values from start to end, both included."""
    dtype = dtype or get_default_dtype()
    steps = _count(steps, "number of steps", "linspace")
    return _make(np.linspace(start, end, steps).astype(dtype), requires_grad, device)


def randint(
    low: int = 0,
    high: int | None = None,
    size: Any = None,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """Integers drawn uniformly from [low, high) (``randint(high, size)`` starts at 0), int64."""
    check_device(device)
    if size is None:
        low, high, size = 0, low, high  # randint(high, size)
    elif high is None:
        low, high = 0, low  # randint(high, size=size)
    if size is None:
        raise TypeError("randint() needs a size: randint(high, size) or randint(low, high, size)")
    shape = _size((), size, "randint")
    if low >= high:
        raise RuntimeError(
            f"randint(): low must be less than high (the range is [low, high)), got {low} >= {high}"
        )
    values = generator_or_default(generator).integers(low, high, shape)
    return _make(values.astype(dtype or np.int64), requires_grad)


def randperm(
    n: int,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    """0, ..., n-1 in a random order (int64), from `generator` or the global one."""
    check_device(device)
    n = _count(n, "n", "randperm")
    return _make(generator_or_default(generator).permutation(n).astype(dtype or np.int64), requires_grad)


def eye(
    n: int, m: int | None = None, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    n, m = _count(n, "n", "eye"), None if m is None else _count(m, "m", "eye")
    return _make(np.eye(n, m, dtype=dtype or get_default_dtype()), requires_grad, device)


def zeros_like(input: Tensor, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _make(np.zeros(input.shape, dtype=dtype or input.dtype), requires_grad, device)


def ones_like(input: Tensor, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _make(np.ones(input.shape, dtype=dtype or input.dtype), requires_grad, device)


def full_like(
    input: Tensor, fill_value: float, dtype: Any = None, device: Any = None, requires_grad: bool = False
) -> Tensor:
    return _make(np.full(input.shape, fill_value, dtype=dtype or input.dtype), requires_grad, device)


def rand_like(
    input: Tensor,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    shape, dtype = input.shape, dtype or input.dtype
    return rand(shape, generator=generator, dtype=dtype, device=device, requires_grad=requires_grad)


def randn_like(
    input: Tensor,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
) -> Tensor:
    shape, dtype = input.shape, dtype or input.dtype
    return randn(shape, generator=generator, dtype=dtype, device=device, requires_grad=requires_grad)
