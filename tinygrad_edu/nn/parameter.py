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

    # On a Tensor `data` is a plain slot, read by every op; on a Parameter it is
    # a property, so that PyTorch's ``p.data = p.data - lr * p.grad`` (whose
    # right side is a Tensor here) stores an array, not a Tensor in the slot.
    @property
    def data(self) -> np.ndarray:
        return _data_slot.__get__(self)

    @data.setter
    def data(self, value: Any) -> None:
        if isinstance(value, Tensor):
            value = value.data  # shares the Tensor's array, as PyTorch shares storage
        elif not isinstance(value, np.ndarray):
            raise TypeError(f"Parameter.data must be a Tensor or a NumPy array, not {type(value).__name__}")
        _data_slot.__set__(self, value)

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


_data_slot = Tensor.__dict__["data"]  # the slot's own descriptor, which the property wraps
