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

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
