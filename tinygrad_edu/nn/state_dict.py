"""A module's state by key: what `Module.state_dict` returns and `Module.load_state_dict` takes.

The state of a model is its parameters and its persistent buffers (running
statistics, say), each under the attribute path that reaches it: "0.weight",
"bn.running_mean", in registration order, as PyTorch names them, so that a
checkpoint's keys can be matched against another model's.

Loading is all or nothing. Every value is checked first: that it is a Tensor
or an array of numbers (a NumPy array, or anything NumPy converts through
``__array__``, such as a PyTorch tensor), that its shape is the parameter's,
and (with strict=True) that no key is missing or unexpected; every problem
found is listed in one RuntimeError. Only then are the values copied, in place into
the existing arrays, so the parameters stay the same objects and an
optimizer made before the load still holds them. An uninitialized parameter
(or buffer) of a lazy layer (nn/lazy.py) is materialized with the loaded
value's shape first; an uninitialized value in the checkpoint loads nothing.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..tensor import Tensor
from .input_checks import type_name
from .parameter import is_lazy

if TYPE_CHECKING:
    from .module import Module


class IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What `load_state_dict` returns: the keys it missed and the keys it did not know."""

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"  # as PyTorch prints it
        return super().__repr__()


def state_tensors(module: Module, prefix: str = "") -> OrderedDict[str, Tensor]:
    """Key -> tensor for what state_dict saves: per module, parameters then persistent buffers."""
    out: OrderedDict[str, Tensor] = OrderedDict()
    for name, param in module._parameters.items():
        if param is not None:
            out[prefix + name] = param
    for name, buffer in module._buffers.items():
        if buffer is not None and name not in module._non_persistent_buffers:
            out[prefix + name] = buffer
    for name, child in module._modules.items():
        if child is not None:
            out.update(state_tensors(child, prefix + name + "."))
    return out


def load_into(module: Module, state_dict: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
    """`Module.load_state_dict`: check every value, then copy them all in place."""
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
    own = state_tensors(module)
    missing = [key for key in own if key not in state_dict]
    unexpected = [key for key in state_dict if key not in own]
    values, errors = {}, []
    for key, tensor in own.items():
        if key not in state_dict:
            continue
        value = state_dict[key]
        if is_lazy(value):  # an uninitialized parameter, from a lazy layer's state: nothing to copy
            if not is_lazy(tensor):
                value.shape  # noqa: B018 (raises PyTorch's RuntimeError: no shape to load from)
            continue
        # A list, a number, None: refused, as in PyTorch. Anything with __array__ is an array,
        # a PyTorch tensor included, so model.load_state_dict(torch_model.state_dict()) works.
        if not isinstance(value, Tensor) and not hasattr(type(value), "__array__"):
            errors.append(
                f"value for {key} is a {type_name(value)}, not a Tensor or a NumPy array "
                "(what state_dict() holds); convert it with np.asarray(value) first"
            )
            continue
        try:
            array = value.data if isinstance(value, Tensor) else np.asarray(value)
        except (TypeError, ValueError, RuntimeError) as error:  # (a torch bfloat16, say)
            errors.append(f"value for {key}, a {type_name(value)}, is not convertible to an array: {error}")
            continue
        if array.dtype.kind not in "biuf":  # (caught here, not half-way through the copies below)
            errors.append(f"value for {key} is not an array of numbers: got {type(value).__name__} {array!r}")
        elif not is_lazy(tensor) and array.shape != tensor.shape:  # (a lazy one takes the array's)
            errors.append(
                f"size mismatch for {key}: copying a param with shape {array.shape} from checkpoint, "
                f"the shape in current model is {tensor.shape}."
            )
        values[key] = array
    if strict:
        if unexpected:
            errors.insert(
                0, "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". "
            )
        if missing:
            errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". ")
    if errors:
        raise RuntimeError(
            f"Error(s) in loading state_dict for {type(module).__name__}:\n\t" + "\n\t".join(errors)
        )
    for key, array in values.items():
        tensor = own[key]
        if is_lazy(tensor):  # a lazy layer's parameter gets its shape from the checkpoint
            tensor.materialize(array.shape)
        tensor.data[...] = array
        tensor._bump_version()
    return IncompatibleKeys(missing, unexpected)
