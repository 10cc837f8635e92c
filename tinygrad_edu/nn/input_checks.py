"""What a layer says when it is given a NumPy array (or a list) where a Tensor belongs.

It is a beginner's first mistake: ``tg.data.load_digits()`` returns NumPy
arrays, and ``model(images)`` then fails deep inside some op, complaining
about an attribute the array lacks, naming neither the layer nor the fix.
PyTorch answers with a TypeError that names the function and the argument;
so do `F.linear` and the convolutions here (`check_tensors`), and
`Module.__call__` turns any AttributeError or TypeError from a forward that
was given an array into one (`explain_array_input`). That runs only once
forward has failed, so a call that succeeds pays nothing for it.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..tensor import Tensor

if TYPE_CHECKING:
    from .module import Module


def type_name(value: object) -> str:
    """The type as PyTorch's messages name it: "list" for a builtin, "numpy.ndarray", "torch.Tensor"."""
    cls = type(value)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def check_tensors(op: str, names: Sequence[str], values: Sequence[object], required: int) -> None:
    """Raise PyTorch's TypeError for the first value that is not a Tensor.

    The first `required` values must be Tensors; the others may also be None
    (an optional bias). Callers test `isinstance` inline first (as
    `check_input_weight_bias` does) and call this only when that fails, so
    the usual call costs one check per argument.
    """
    for position, (name, value) in enumerate(zip(names, values), 1):
        if isinstance(value, Tensor) or (value is None and position > required):
            continue
        raise TypeError(
            f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type_name(value)}"
        )


def check_input_weight_bias(op: str, input: object, weight: object, bias: object) -> None:
    """`check_tensors` for F.linear and the convolutions: input and weight Tensors, bias one or None."""
    if not (
        isinstance(input, Tensor)
        and isinstance(weight, Tensor)
        and (bias is None or isinstance(bias, Tensor))
    ):
        check_tensors(op, ("input", "weight", "bias"), (input, weight, bias), required=2)


def check_same_dtype(op: str, input: Tensor, named: list[tuple[str, Tensor | None]]) -> None:
    """The norms' rule, as PyTorch's on the CPU: weights and statistics in the input's dtype, not promoted."""
    for name, tensor in named:
        if tensor is not None and tensor.dtype != input.dtype:
            raise RuntimeError(
                f"mixed dtype (CPU): all inputs must share same datatype. {op}: the input is {input.dtype} "
                f"but {name} is {tensor.dtype} (convert one, e.g. model.to(input.dtype))"
            )


def _is_array_like(value: object) -> bool:
    """A NumPy array or scalar, another library's tensor, or a (nested) list or tuple of numbers."""
    if isinstance(value, Tensor):
        return False
    if hasattr(type(value), "__array__"):
        return True
    if not isinstance(value, (list, tuple)):
        return False
    first: Any = value
    while isinstance(first, (list, tuple)) and first:  # down the first entries: one step per dim
        first = first[0]
    if not isinstance(first, (int, float, complex)):  # a list of Tensors, of strings, an empty list
        return False
    try:
        return np.asarray(value).dtype.kind in "biufc"
    except ValueError:  # ragged
        return False


def _argument(module: Module, position: int) -> str:
    """How to name forward's positional argument number `position` (from 1): "argument 'input'"."""
    try:
        parameters = list(inspect.signature(module.forward).parameters.values())
    except (TypeError, ValueError):  # (no signature to read)
        return "argument"
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return f"argument '{positional[position - 1].name}'" if position <= len(positional) else "argument"


def explain_array_input(module: Module, args: tuple, error: Exception) -> None:
    """Raise a TypeError naming the module and the argument when `error` came from an array input.

    Called by `Module.__call__` when forward raised `error` (an AttributeError
    or a TypeError); returns, leaving `error` to propagate, when no positional
    argument is array-like, and when an inner layer has already explained it
    (the innermost layer that got the array is the one named).
    """
    if getattr(error, "_explains_array_input", False):
        return
    for position, value in enumerate(args, 1):
        if _is_array_like(value):
            explained = TypeError(
                f"{module._get_name()}: {_argument(module, position)} (position {position}) must be Tensor, "
                f"not {type_name(value)}; wrap it with tg.tensor(...) first"
            )
            explained._explains_array_input = True  # type: ignore[attr-defined]
            raise explained from error
