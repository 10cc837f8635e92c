"""New tensors in a Tensor's dtype: `x.new_zeros(2, 3)`, `x.new_full(...)`, `x.new_tensor(data)`, ...

They make a tensor as the factories do (factories.py), in self's dtype
unless `dtype` is given, and on self's device (the CPU, the only one).
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..tensor import Tensor, _warn_copy_of_tensor, check_device


class NewTensorMethods:
    """New tensors like self: `x.new_zeros(2, 3)`, `x.new_tensor([1, 2])`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    # new_*: a new tensor in self's dtype unless `dtype` is given (and on self's device, the CPU)
    def new_tensor(
        self: Tensor, data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """A copy of `data` (a list, array or number)."""
        if isinstance(data, Tensor):
            _warn_copy_of_tensor("x.new_tensor(t)")
            data = data.data
        check_device(device)
        return Tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_zeros(
        self: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        from ..factories import _size, zeros

        size = _size(size, op="new_zeros")
        return zeros(size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def new_ones(
        self: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        from ..factories import _size, ones

        size = _size(size, op="new_ones")
        return ones(size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def new_empty(
        self: Tensor, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """Whatever the memory held: fill it before use."""
        from ..factories import _size, empty

        size = _size(size, op="new_empty")
        return empty(size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def new_full(
        self: Tensor,
        size: Sequence[int],
        fill_value: Any,
        *,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """`fill_value` everywhere (cast to the dtype). `size` is a tuple or list."""
        from ..factories import full

        if not isinstance(size, (tuple, list)):
            raise TypeError(f"new_full(): argument 'size' must be tuple of ints, not {type(size).__name__}")
        value = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
        return full(size, value, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)


def finish_imports() -> None:
    """Import what needs Tensor to exist: tensor.py calls this once the class is made."""
    global Tensor, _warn_copy_of_tensor, check_device
    from ..tensor import Tensor, _warn_copy_of_tensor, check_device
