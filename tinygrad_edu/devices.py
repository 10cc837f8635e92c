"""`tg.device`: PyTorch's device object, for code that writes ``torch.device("cuda" if ... else "cpu")``.

Everything here runs on the CPU through NumPy, so a device is only a name.
`tg.device("cpu")` goes wherever PyTorch takes a device (``x.to(device)``,
``model.to(device)``, the ``device=`` of the factories), and ``x.device`` is
one. A device of another type can be made, as in PyTorch, and is refused
only when a tensor is asked to go there (`tensor.check_device`).
"""

from __future__ import annotations

import re

# the device types PyTorch's device strings may name
_TYPES = frozenset(("cpu", "cuda", "mps", "xpu", "meta", "hpu", "mtia", "xla", "ipu", "privateuseone"))
_PATTERN = re.compile(r"([a-z_]+)(?::(\d+))?")


class device:  # noqa: N801  (PyTorch's name)
    """A device: its `type` ("cpu", "cuda", ...) and `index` (None, or which one of that type).

    >>> tg.device("cuda:1"), tg.device("cpu").type
    (device(type='cuda', index=1), 'cpu')
    """

    __slots__ = ("type", "index")
    type: str
    index: int | None

    def __init__(self, type: str | device, index: int | None = None) -> None:  # noqa: A002  (PyTorch's name)
        if isinstance(type, device):  # a copy of a device
            index = type.index
            type = type.type
        match = _PATTERN.fullmatch(type) if isinstance(type, str) else None
        if match is None or match[1] not in _TYPES or (match[2] is not None and index is not None):
            raise RuntimeError(f"Invalid device string: '{type}'")
        object.__setattr__(self, "type", match[1])
        object.__setattr__(self, "index", int(match[2]) if match[2] is not None else index)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a device cannot be changed (its {name} is fixed)")

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")  # what every tensor's `.device` is
