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

With ``assign=True`` (PyTorch's option for building a model without memory
for its weights first) the checkpoint's tensors are not copied but put in
place: each parameter becomes a Parameter over the loaded value, with the
loaded value's dtype, keeping the old one's ``requires_grad``. An optimizer
made before then holds the old parameters, so make it after the load.

`ModuleStateDict`, at the end, holds the two doors, `state_dict()` and
`load_state_dict()`: a class of methods only, which `Module` inherits.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Module` outside Module's own class, as in tensor_methods/)

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..tensor import Tensor
from ..warning import warn
from .input_checks import type_name
from .parameter import Parameter, is_lazy

if TYPE_CHECKING:
    from .module import Module


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What `load_state_dict` returns: the keys it missed and the keys it did not know.

    (Named with PyTorch's underscore, so that it prints as PyTorch's does.)
    """

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"  # as PyTorch prints it
        return super().__repr__()


IncompatibleKeys = _IncompatibleKeys


def _state_entries(module: Module, prefix: str = "") -> OrderedDict[str, tuple[Module, str, Tensor]]:
    """Key -> (module holding it, its name there, tensor): per module, parameters then persistent buffers."""
    out: OrderedDict[str, tuple[Module, str, Tensor]] = OrderedDict()
    for name, param in module._parameters.items():
        if param is not None:
            out[prefix + name] = (module, name, param)
    for name, buffer in module._buffers.items():
        if buffer is not None and name not in module._non_persistent_buffers:
            out[prefix + name] = (module, name, buffer)
    for name, child in module._modules.items():
        if child is not None:
            out.update(_state_entries(child, prefix + name + "."))
    return out


def state_tensors(module: Module, prefix: str = "") -> OrderedDict[str, Tensor]:
    """Key -> tensor for what state_dict saves, in PyTorch's order."""
    return OrderedDict((key, entry[2]) for key, entry in _state_entries(module, prefix).items())


def _count_of_a_norm_layer(entry: tuple) -> bool:
    """Is this (owner, name, tensor) a batch or instance norm layer's num_batches_tracked?"""
    owner, name, _ = entry
    return name == "num_batches_tracked" and hasattr(owner, "track_running_stats")


def load_into(
    module: Module, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
) -> _IncompatibleKeys:
    """`Module.load_state_dict`: check every value, then copy them all in place (or put them in place)."""
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
    entries = _state_entries(module)
    own = OrderedDict((key, entry[2]) for key, entry in entries.items())
    # a checkpoint without a norm layer's num_batches_tracked (PyTorch's before 0.4.1 had none)
    # loads, and the layer keeps its own count, as in PyTorch
    missing = [key for key in own if key not in state_dict and not _count_of_a_norm_layer(entries[key])]
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
        owner, name, tensor = entries[key]
        if is_lazy(tensor):  # a lazy layer's parameter gets its shape from the checkpoint
            tensor.materialize(array.shape)
        elif assign:
            _put(owner, name, tensor, state_dict[key], array)
            continue
        tensor.data[...] = array
        tensor._bump_version()
    return _IncompatibleKeys(missing, unexpected)


def _put(owner: Module, name: str, old: Tensor, value: Any, array: np.ndarray) -> None:
    """load_state_dict(assign=True) for one entry: the loaded value takes the old tensor's place."""
    new = value if isinstance(value, Tensor) else Tensor(array)
    if isinstance(old, Parameter):
        if isinstance(new, Parameter):
            new.requires_grad_(old.requires_grad)
        else:  # over the same array, as PyTorch's Parameter(tensor) shares its storage
            new = Parameter(new, requires_grad=old.requires_grad)
    setattr(owner, name, new)


class ModuleStateDict:
    """Saving and loading a model's values: `state_dict()` and `load_state_dict(...)`."""

    def state_dict(
        self: Module, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> dict[str, Any]:
        """The NumPy arrays behind the parameters and buffers by key (the Tensors with keep_vars=True).

        Not copies, as in PyTorch: the arrays follow training. Take a snapshot
        (of the best model so far, say) with ``copy.deepcopy(model.state_dict())``.
        NOTE: writing into them, like writing into ``.data``, bypasses autograd's
        version checks; load values with `load_state_dict` instead.
        ``destination``, a dict, receives the entries and is returned, as in
        PyTorch; so are PyTorch's deprecated positional arguments
        ``(destination, prefix, keep_vars)``, with its FutureWarning.
        """
        if args:
            if len(args) > 3:
                raise TypeError(f"state_dict() takes at most 3 positional arguments ({len(args)} given)")
            warn(
                "Positional args are being deprecated, use kwargs instead: "
                "state_dict(destination=..., prefix=..., keep_vars=...)",
                FutureWarning,
            )
            given: list[Any] = [*args, *[destination, prefix, keep_vars][len(args) :]]
            destination, prefix, keep_vars = given
        tensors = state_tensors(self, prefix)
        out = OrderedDict() if destination is None else destination
        for key, tensor in tensors.items():
            # (an uninitialized parameter of a lazy layer has no array: it stands for itself, as in PyTorch)
            out[key] = tensor if keep_vars or is_lazy(tensor) else tensor.data
        return out

    def load_state_dict(
        self: Module, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
    ) -> IncompatibleKeys:
        """Copy values into the parameters and buffers, in place; nothing changes if any check fails.

        Values must be Tensors or arrays: NumPy's, or anything with ``__array__``,
        so ``model.load_state_dict(torch_model.state_dict())`` works (a list is
        refused, as PyTorch refuses it). Raises RuntimeError listing missing and
        unexpected keys (when strict), values of the wrong type and shape
        mismatches (always). Returns (missing_keys, unexpected_keys).
        ``assign=True`` puts the loaded tensors in place of the old ones instead
        of copying into them (see state_dict.py).
        """
        return load_into(self, state_dict, strict, assign)
