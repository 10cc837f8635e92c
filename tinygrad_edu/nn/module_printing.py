"""How a model prints: `repr(model)` nests each child's repr under its name, as PyTorch does.

    Sequential(
      (0): Linear(in_features=4, out_features=2, bias=True)
      (1): ReLU()
    )

A layer says what goes inside its own parentheses with `extra_repr`; the
children, each indented by two more spaces, follow. `dir(model)` lists the
registered parameters, buffers and children beside the attributes.
`ModulePrinting` is a class of methods only, which `Module` inherits.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Module` outside Module's own class, as in tensor_methods/)

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .module import Module


def _addindent(text: str, spaces: int) -> str:
    """Indent every line but the first (how PyTorch nests child reprs)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


class ModulePrinting:
    """`repr(model)`, the `extra_repr` each layer fills in, and `dir(model)`."""

    def extra_repr(self: Module) -> str:
        """The text inside this module's parentheses in repr; layers override it."""
        return ""

    def _get_name(self: Module) -> str:
        return type(self).__name__

    def __repr__(self: Module) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _addindent(repr(module), 2) for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"

    def __dir__(self: Module) -> list[str]:
        members = list(self._parameters) + list(self._buffers) + list(self._modules)
        # not "0", "1", ...: no attribute syntax reaches them (PyTorch leaves them out too)
        return sorted(key for key in set(super().__dir__()) | set(members) if not key[0].isdigit())
