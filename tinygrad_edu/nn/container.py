"""Containers: `Sequential` (a pipeline of modules), `ModuleList` (a list of them), `ModuleDict` (a dict)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any

from ..rollback import restored_on_error
from .module import Module
from .module_printing import _addindent


def _check_index(idx: int, size: int) -> int:
    if not -size <= idx < size:
        raise IndexError(f"index {idx} is out of range")
    return idx % size


def _only_sequential(other: object) -> Sequential:
    if not isinstance(other, Sequential):
        raise ValueError(
            f"add operator supports only objects of Sequential class, but {type(other)} is given."
        )
    return other


def _repeats(container: Sequential, times: object) -> int:
    """The factor of ``container * times``, checked as PyTorch checks it."""
    if not isinstance(times, int):
        raise TypeError(f"unsupported operand type(s) for *: {type(container)} and {type(times)}")
    if times <= 0:
        raise ValueError(f"Non-positive multiplication factor {times} for {type(container)}")
    return times


class _ModuleSequence(Module):
    """What Sequential and ModuleList share: modules in order, kept numbered "0", "1", ...

    Removing or inserting a module renumbers the rest, as in PyTorch, so the
    names (and state_dict keys) always follow the positions.
    """

    def __getitem__(self, idx: int | slice) -> Any:
        if isinstance(idx, slice):
            return self._slice(idx)
        return list(self._modules.values())[_check_index(idx, len(self))]

    def _slice(self, idx: slice) -> _ModuleSequence:
        """The modules at `idx` as a new container of this kind (each kind keeps names its own way)."""
        raise NotImplementedError

    def __setitem__(self, idx: int, module: Module) -> None:
        key = list(self._modules.keys())[_check_index(idx, len(self))]
        setattr(self, key, module)

    def __delitem__(self, idx: int | slice) -> None:
        keys = list(self._modules.keys())
        doomed = keys[idx] if isinstance(idx, slice) else [keys[_check_index(idx, len(self))]]
        for key in doomed:
            delattr(self, key)
        self._renumber(list(self._modules.values()))

    def _renumber(self, modules: list[Module]) -> None:
        """Hold `modules` under the names "0", "1", ..., as PyTorch does after a removal or insertion."""
        self._modules.clear()
        for i, module in enumerate(modules):
            self._modules[str(i)] = module

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> Any:
        """Add a module at the end (named by its position); returns self."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> Any:
        """Append each module in turn; returns self. If one is refused, none is added."""
        with restored_on_error(self._modules):
            for module in modules:
                self.append(module)
        return self

    def insert(self, index: int, module: Module) -> Any:
        """Put `module` before position `index` (negative counts from the end); returns self."""
        if not isinstance(module, Module):
            raise AssertionError(f"module should be of type: Module, got {type(module).__name__}")
        modules = list(self._modules.values())
        if not -len(modules) <= index <= len(modules):
            raise IndexError(f"Index out of range: {index}")
        modules.insert(index, module)
        self._renumber(modules)
        return self

    def pop(self, index: int | slice) -> Any:
        """Remove the module (or, for a slice, the modules) at `index` and return it."""
        module = self[index]
        del self[index]
        return module

    def __iadd__(self, modules: Iterable[Module]) -> Any:
        return self.extend(modules)

    def __add__(self, modules: Iterable[Module]) -> Any:
        """A new container with this one's modules, then `modules`."""
        return type(self)().extend(self).extend(modules)


class Sequential(_ModuleSequence):
    """Calls its modules in order, each on the previous one's output.

    ``Sequential(a, b, c)`` names them "0", "1", "2" (so state_dict keys read
    "0.weight"); ``Sequential(OrderedDict([("fc", a), ...]))`` keeps the names.
    Indexing by int gives a module, by slice a new Sequential of the same modules.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for i, module in enumerate(args):
                self.add_module(str(i), module)

    def _slice(self, idx: slice) -> Sequential:
        return Sequential(OrderedDict(list(self._modules.items())[idx]))

    # narrower than ModuleList's (any iterable of modules): PyTorch's Sequential adds only a Sequential
    def __add__(self, other: Sequential) -> Sequential:  # type: ignore[override]
        return super().__add__(_only_sequential(other))

    def __iadd__(self, other: Sequential) -> Sequential:  # type: ignore[override]
        return super().__iadd__(_only_sequential(other))

    def __mul__(self, times: int) -> Sequential:
        """A new Sequential running these modules `times` times over: the same modules, not copies."""
        return Sequential().extend(list(self) * _repeats(self, times))

    __rmul__ = __mul__

    def __imul__(self, times: int) -> Sequential:
        return self.extend(list(self) * (_repeats(self, times) - 1))

    def forward(self, input: Any) -> Any:
        for module in self:
            input = module(input)
        return input


class ModuleList(_ModuleSequence):
    """A list whose modules are registered (named "0", "1", ...); it has no forward of its own."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _slice(self, idx: slice) -> ModuleList:
        return ModuleList(list(self)[idx])

    def __repr__(self) -> str:
        """As PyTorch prints it: a run of identical modules on one line, "(0-2): 3 x Linear(...)"."""
        runs: list[list] = []  # [first index, last index, repr of each]
        for i, module in enumerate(self):
            text = repr(module)
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        if not runs:
            return self._get_name() + "()"
        lines = [
            _addindent(f"({a}): {text}" if a == b else f"({a}-{b}): {b - a + 1} x {text}", 2)
            for a, b, text in runs
        ]
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """A dict whose modules are registered under their keys, in insertion order; it has no forward of its own.

    ``ModuleDict({"encoder": a, "decoder": b})``, or the same as a list of
    (key, module) pairs, names the modules by their keys, so state_dict keys
    read "encoder.weight". Assigning to a key already there replaces the
    module in its place; a key must be a valid module name (a string without
    ".", and not the name of a method such as "keys").
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> KeysView[str]:
        return self._modules.keys()

    def values(self) -> ValuesView[Module]:
        return self._modules.values()

    def items(self) -> ItemsView[str, Module]:
        return self._modules.items()

    def pop(self, key: str) -> Module:
        """Remove the module under `key` and return it (KeyError if there is none)."""
        module = self[key]
        del self[key]
        return module

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add, or replace, the modules of a mapping or of (key, module) pairs, in their order."""
        if isinstance(modules, (Mapping, ModuleDict)):  # a ModuleDict has items() but is no Mapping
            pairs: Iterable = modules.items()
        elif isinstance(modules, Iterable):
            pairs = modules
        else:
            raise TypeError(
                "ModuleDict.update should be called with an iterable of key/value pairs, "
                f"but got {type(modules).__name__}"
            )
        with restored_on_error(self._modules):  # a bad pair or module anywhere: nothing is added
            for key, module in _key_value_pairs("ModuleDict", pairs):
                self[key] = module


def _key_value_pairs(kind: str, pairs: Iterable) -> Iterator[tuple[Any, Any]]:
    """Each element of `pairs` as a (key, value) pair, or the error PyTorch's dict update gives."""
    for i, pair in enumerate(pairs):
        if not isinstance(pair, Iterable):
            got = type(pair).__name__
            raise TypeError(f"{kind} update sequence element #{i} should be Iterable; is {got}")
        pair = tuple(pair)
        if len(pair) != 2:
            raise ValueError(f"{kind} update sequence element #{i} has length {len(pair)}; 2 is required")
        yield pair
