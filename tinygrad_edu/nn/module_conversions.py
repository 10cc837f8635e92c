"""A model's dtype and device: `Module.to`, `float`, `double`, `half`, `cpu`, `share_memory`.

`to` changes the dtype of every floating-point parameter and buffer (and
gradient) in place: the tensors stay the same objects and only their arrays
are replaced, so an optimizer made before still updates them. Integer
buffers (a BatchNorm's step counter) keep their dtype, as in PyTorch. There
is one device, the CPU, so the device forms return the model unchanged.

`ModuleConversions` is a class of methods only, which `Module` inherits.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Module` outside Module's own class, as in tensor_methods/)

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..tensor import Tensor, parse_to
from .parameter import is_lazy

if TYPE_CHECKING:
    from .module import Module


class ModuleConversions:
    """Casting a model's tensors: `to(dtype)`, `float()`, `double()`, `half()`, and the device no-ops."""

    def to(
        self: Module, *args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False
    ) -> Module:
        """Cast every float parameter and buffer (and gradient) to `dtype`, in place; returns self.

        Takes the forms of `Tensor.to`: ``to(dtype)``, ``to(device)``,
        ``to(device, dtype)``, ``to(tensor)`` and keywords. The parameters stay
        the same objects, so an optimizer made before still holds them. The
        only device is the CPU.
        """
        dtype = parse_to(args, dtype, device)
        if dtype is None:
            return self
        if dtype.kind != "f":
            raise TypeError(f"Module.to only accepts floating point dtypes, but got desired dtype={dtype}")
        for tensor in [*self.parameters(), *self.buffers()]:
            if tensor.dtype.kind == "f" and is_lazy(tensor):  # no values yet: the dtype to make them in
                tensor._retype(dtype)
            elif tensor.dtype.kind == "f":
                tensor.data = tensor.data.astype(dtype, copy=False)
                if tensor._grad is not None:
                    tensor._grad = Tensor._wrap(tensor._grad.data.astype(dtype, copy=False))
        return self

    def cpu(self: Module) -> Module:
        """Itself: every parameter already lives in the CPU's memory."""
        return self

    def float(self: Module) -> Module:
        """Same as ``to(float32)``."""
        return self.to(np.float32)

    def double(self: Module) -> Module:
        """Same as ``to(float64)``."""
        return self.to(np.float64)

    def half(self: Module) -> Module:
        """Same as ``to(float16)``."""
        return self.to(np.float16)

    def share_memory(self: Module) -> Module:
        """Itself: with no worker processes, the arrays need no shared memory."""
        return self
