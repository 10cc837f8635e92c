"""`ParameterList` and `ParameterDict`: a list and a dict whose Parameters are registered.

A plain Python list of Parameters assigned to a module is invisible to
`parameters()`, to the optimizer and to `state_dict()`: only attributes that
are Parameters (or Modules) get registered. These two containers keep each
entry as an attribute of their own, named by its position ("0", "1", ...)
or by its key, so it is registered and state dict keys read "params.0" or
"params.left", as in PyTorch.

A Tensor put in becomes a `Parameter` (sharing its array, with
``requires_grad=True``); any other object (None, a number) is kept as it
is, as an ordinary attribute, and is neither a parameter nor saved.
(PyTorch keeps these two in ``container.py``; they have a file of their
own here to keep files short.)
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Iterable, Iterator, KeysView, Mapping
from typing import Any

from ..tensor import Tensor
from .container import _key_value_pairs
from .module import Module, _check_name
from .parameter import Parameter


def _as_parameter(value: Any) -> Any:
    """A Tensor becomes a Parameter over the same array; anything else stays as it is."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


def _describe(value: Any) -> str:
    """An entry as PyTorch's repr shows it: "Parameter containing: [float32 of size 2x3]"."""
    if isinstance(value, Tensor):
        size = "x".join(str(n) for n in value.shape)
        return f"{type(value).__name__} containing: [{value.dtype} of size {size}]"
    return f"Object of type: {type(value).__name__}"


class ParameterList(Module):
    """A list of parameters, registered under their positions "0", "1", ...

    Indexing, assignment by index, `append`, `extend`, ``+=``, `len` and
    iteration work as on a list (a slice gives a new ParameterList of the
    same parameters); PyTorch's ParameterList has no insert, pop or del, and
    neither has this one. It has no forward: calling it is an error.

    Example::

        params = nn.ParameterList([tg.zeros(3), tg.ones(2, 3)])
        params.append(tg.zeros(4))
        names = [name for name, _ in params.named_parameters()]  # "0", "1", "2"
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self += values

    def _name(self, idx: int) -> str:
        """The attribute name of position ``idx`` (negative counts from the end)."""
        idx = operator.index(idx)
        if not -len(self) <= idx < len(self):
            raise IndexError(f"index {idx} is out of range")
        return str(idx % len(self))

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return type(self)(self[i] for i in range(*idx.indices(len(self))))
        return getattr(self, self._name(idx))

    def __setitem__(self, idx: int, value: Any) -> None:
        setattr(self, self._name(idx), _as_parameter(value))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(len(self)))

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def append(self, value: Any) -> ParameterList:
        """Add ``value`` at the end (a Tensor becomes a Parameter); returns self."""
        value = _as_parameter(value)  # (first: an integer tensor is refused before the list grows)
        self._size += 1
        self[self._size - 1] = value
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Append each of ``values`` in turn; returns self. A Tensor is one value, not a list."""
        if isinstance(values, Tensor) or not isinstance(values, Iterable):
            raise TypeError(
                f"ParameterList.extend should be called with an iterable, but got {type(values).__name__}"
            )
        for value in [_as_parameter(value) for value in values]:  # all made before one is added
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return "\n".join(f"  ({i}): {_describe(value)}" for i, value in enumerate(self))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterList should not be called.")

    def __dir__(self) -> list[str]:
        return [name for name in super().__dir__() if not name.isdigit()]


class ParameterDict(Module):
    """An ordered dict of parameters, registered under their keys.

    ``d[key]``, ``d[key] = value``, ``del d[key]``, `len`, ``in``,
    iteration over the keys, `keys`, `values`, `items`, `get`, `pop`,
    `popitem`, `setdefault`, `update`, `clear`, `copy`, `fromkeys` and the
    ``|`` operators work as on a dict. A key must be a string that can name
    an attribute: no ".", not empty, not the name of a method such as
    "keys". It has no forward: calling it is an error.

    NOTE: as in PyTorch, a plain ``dict`` given to the constructor or to
    `update` is taken in sorted key order; an ``OrderedDict``, a
    ParameterDict or a list of ``(key, value)`` pairs keeps its order. A
    missing key raises KeyError, as a dict does (PyTorch raises
    AttributeError).

    Example::

        params = nn.ParameterDict({"right": tg.zeros(2), "left": tg.ones(2)})
        params["bias"] = tg.zeros(1)
        keys = list(params)  # "left", "right" (sorted), then "bias"
    """

    def __init__(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None) -> None:
        super().__init__()
        self._keys: dict[str, None] = {}
        if parameters is not None:
            self.update(parameters)

    def _check_key(self, key: object, present: bool = True) -> None:
        """A key is a string; with ``present``, one of the keys held."""
        if not isinstance(key, str):
            raise TypeError(
                "Index given to ParameterDict cannot be used as a key as it is not a string "
                f"(type is '{type(key).__name__}')."
            )
        if present and key not in self._keys:
            raise KeyError(key)

    def __getitem__(self, key: str) -> Any:
        self._check_key(key)
        return getattr(self, key)

    def _check_new_entry(self, key: str) -> None:
        """A key that ``d[key] = value`` takes: a string, and if new a free attribute name."""
        self._check_key(key, present=False)
        if key not in self._keys:
            _check_name(self, key, "parameter", self._parameters)  # no ".", not empty, no clash

    def __setitem__(self, key: str, value: Any) -> None:
        self._check_new_entry(key)
        setattr(self, key, _as_parameter(value))
        self._keys[key] = None

    def __delitem__(self, key: str) -> None:
        self._check_key(key)
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def keys(self) -> KeysView[str]:
        return self._keys.keys()

    def values(self) -> Iterator[Any]:
        return (self[key] for key in self._keys)

    def items(self) -> Iterator[tuple[str, Any]]:
        return ((key, self[key]) for key in self._keys)

    def get(self, key: str, default: Any = None) -> Any:
        """The value under ``key``, or ``default`` if there is none."""
        return self[key] if key in self else default

    def pop(self, key: str) -> Any:
        """Remove the value under ``key`` and return it."""
        value = self[key]
        del self[key]
        return value

    def popitem(self) -> tuple[str, Any]:
        """Remove the last key added and return ``(key, value)``."""
        if not self._keys:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def setdefault(self, key: str, default: Any = None) -> Any:
        """The value under ``key``; if there is none, first put ``default`` there."""
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self) -> None:
        """Remove every entry."""
        for key in list(self._keys):
            del self[key]

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same parameters, in the same order."""
        return ParameterDict(OrderedDict(self.items()))

    def fromkeys(self, keys: Iterable[str], default: Any = None) -> ParameterDict:
        """A new ParameterDict with ``default`` under each of ``keys``."""
        return ParameterDict((key, default) for key in keys)

    def update(self, parameters: ParameterDict | Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        """Add, or replace, the entries of a mapping or of ``(key, value)`` pairs."""
        if not isinstance(parameters, Iterable):
            raise TypeError(
                "ParameterDict.update should be called with an iterable of key/value pairs, "
                f"but got {type(parameters).__name__}"
            )
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs: Iterable = parameters.items()
        elif isinstance(parameters, Mapping):
            pairs = ((key, parameters[key]) for key in sorted(parameters))
        else:
            pairs = parameters
        # every pair checked, and every value made a Parameter, before one is added
        checked = [(key, _as_parameter(value)) for key, value in _key_value_pairs("ParameterDict", pairs)]
        for key, _ in checked:
            self._check_new_entry(key)
        for key, value in checked:
            self[key] = value

    def extra_repr(self) -> str:
        return "\n".join(f"  ({key}): {_describe(value)}" for key, value in self.items())

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterDict should not be called.")

    def __or__(self, other: ParameterDict) -> ParameterDict:
        merged = self.copy()
        merged.update(other)
        return merged

    def __ror__(self, other: ParameterDict) -> ParameterDict:
        merged = other.copy()
        merged.update(self)
        return merged

    def __ior__(self, other: ParameterDict) -> ParameterDict:
        self.update(other)
        return self
