"""Walking a model: its modules, children, buffers and the members at a dotted path.

A model is a tree: each module holds its children in ``_modules``, in the
order they were assigned. `named_modules` walks it depth first, naming each
module by the path of attributes that reaches it ("", "encoder",
"encoder.0"); everything that visits a model's members (`parameters()` in
module.py, `buffers()`, `apply`, `state_dict`) goes through it, so a module
or tensor shared by two paths is visited once, under its first name, as in
PyTorch. `get_submodule`, `get_parameter` and `get_buffer` go the other way,
from a path to what it names.

`ModuleWalking` is a class of methods only, which `Module` inherits.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Module` outside Module's own class, as in tensor_methods/)

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .parameter import Parameter

if TYPE_CHECKING:
    from ..tensor import Tensor
    from .module import Module


def _attribute(module: Module, name: str) -> Any:
    """``getattr(module, name)``, failing with the message of PyTorch's get_submodule family."""
    try:
        return getattr(module, name)
    except AttributeError:
        raise AttributeError(f"{module._get_name()} has no attribute `{name}`") from None


class ModuleWalking:
    """The walks over a model's tree: `named_modules`, `children`, `buffers`, `apply`, `get_submodule`, ..."""

    def named_modules(
        self: Module, memo: set | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """(name, module) for this module and every descendant, depth first; "" names self."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def modules(self: Module) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self: Module) -> Iterator[tuple[str, Module]]:
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self: Module) -> Iterator[Module]:
        for _, module in self.named_children():
            yield module

    def get_submodule(self: Module, target: str) -> Module:
        """The module at the dotted path `target`, named as in `named_modules` ("inner.1"); "" is self.

        Walks one attribute at a time, so it costs the depth of the path, not
        the size of the model. AttributeError names the first step that fails.
        """
        module = self
        if target == "":
            return module
        for name in target.split("."):
            module = _attribute(module, name)
            if not isinstance(module, Module):
                raise AttributeError(f"`{name}` is not an nn.Module")
        return module

    def get_parameter(self: Module, target: str) -> Parameter:
        """The parameter at the dotted path `target`, named as in `named_parameters` ("inner.0.weight")."""
        _, name, value = self._get_member(target)
        if not isinstance(value, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return value

    def get_buffer(self: Module, target: str) -> Tensor:
        """The buffer at the dotted path `target`, named as in `named_buffers` ("norm.running_mean")."""
        owner, name, value = self._get_member(target)
        if name not in owner._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return value

    def _get_member(self: Module, target: str) -> tuple[Module, str, Any]:
        """The module that holds the last name of `target`, that name, and what it holds under it."""
        path, _, name = target.rpartition(".")
        owner = self.get_submodule(path)
        return owner, name, _attribute(owner, name)

    def _named_members(
        self: Module, store: str, prefix: str, recurse: bool, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        # ids, not the tensors: Tensor.__eq__ is elementwise, so sets of tensors misbehave
        seen: set[int] = set()
        owners = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        for owner_prefix, owner in owners:
            for name, value in owner.__dict__[store].items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield owner_prefix + ("." if owner_prefix else "") + name, value

    def named_buffers(
        self: Module, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self: Module, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self: Module, fn: Callable[[Module], None]) -> Module:
        """Call fn on every child (recursively), then on self; returns self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self


def finish_imports() -> None:
    """Import what needs Module to exist: module.py calls this once the class is made."""
    global Module
    from .module import Module
