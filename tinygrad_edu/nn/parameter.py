"""`Parameter`: a Tensor that a Module registers as one of its learnable weights."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from ..tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor with ``requires_grad=True`` that modules collect in `parameters()`.

    ``Parameter(t)`` shares t's array (no copy), as ``torch.nn.Parameter`` shares
    storage; assigning it as a module attribute registers it under that name.
    """

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        if data is None:
            array = np.empty((0,), dtype=get_default_dtype())
        elif isinstance(data, Tensor):
            array = data.data
        else:
            array = np.asarray(data)
        self._adopt(array, requires_grad)

    def __deepcopy__(self, memo: dict[int, Any]) -> Parameter:
        """A new Parameter of the same type over a copy of the values, keeping ``requires_grad``.

        As in PyTorch, only the values travel: the gradient, hooks and any
        other attribute stay behind, so ``copy.deepcopy(model)`` starts with
        no gradients. (``copy.deepcopy`` itself records the result in
        ``memo``, so a parameter used twice, as tied weights are, comes out
        as one copy.) A plain Tensor's deepcopy keeps its ``.grad``.
        """
        # order="K" keeps the memory layout (PyTorch's preserve_format)
        return type(self)(self.data.copy(order="K"), self.requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
