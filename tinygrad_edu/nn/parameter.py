"""`Parameter`: a Tensor that a Module registers as one of its learnable weights.

Also `UninitializedParameter` and `UninitializedBuffer`, what a lazy layer
(nn/lazy.py) holds before its first input tells it their shapes.
"""

from __future__ import annotations

import sys
from typing import Any, TypeGuard

import numpy as np

from ..dtypes import get_default_dtype
from ..tensor import Tensor, check_device


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


# ---------------------------------------------------------------- uninitialized tensors


def is_lazy(value: Any) -> TypeGuard[UninitializedTensorMixin]:
    """True for an `UninitializedParameter` or `UninitializedBuffer` (one that has no values yet)."""
    return isinstance(value, UninitializedTensorMixin)


_PACKAGE = __name__.split(".")[0] + "."


def _reader_of_data() -> str:
    """The library function the user called that read an uninitialized tensor's data, for the error.

    Looked up on the call stack, and only once the read is refused: the
    outermost of the frames, from the read outward, that run this package's
    code (`Tensor.__add__`, `Tensor.sum`, `linear`), not the helper inside
    it that did the reading.
    """
    frame = sys._getframe(2)  # (0 is this function, 1 the `data` property)
    name = "an op"
    while frame is not None and frame.f_globals.get("__name__", "").startswith(_PACKAGE):
        name = getattr(frame.f_code, "co_qualname", frame.f_code.co_name)  # (Python 3.11+)
        frame = frame.f_back  # type: ignore[assignment]
    return name


class UninitializedTensorMixin(Tensor):
    """What `UninitializedParameter` and `UninitializedBuffer` share: a tensor whose shape is not known yet.

    A lazy layer (nn/lazy.py) holds these until its first input shows the
    sizes, then `materialize` gives each its shape and turns it, the same
    object, into an ordinary Parameter (or Tensor). Until then it holds a
    placeholder array of shape (0,) that carries only the dtype: reading
    `.shape` raises RuntimeError, and reading `.data`, which every op and
    most Tensor methods do, raises ValueError. What does work, as in
    PyTorch: `dtype`, `requires_grad`, `grad` (None), `size()` and `ndim`
    (the placeholder's, (0,) and 1), `module.to(dtype)` (the dtype it will
    be materialized with), `repr`, `copy.deepcopy`.
    """

    cls_to_become: type[Tensor] = Tensor

    def materialize(self, shape: tuple[int, ...], device: Any = None, dtype: Any = None) -> None:
        """Give it `shape` (zeros, for the layer's ``reset_parameters`` to fill) and become ``cls_to_become``.

        dtype None keeps the placeholder's dtype, which ``module.to(dtype)`` may have changed.
        """
        check_device(device)
        dtype = np.dtype(dtype) if dtype is not None else self._placeholder().dtype
        if self._requires_grad and dtype.kind != "f":
            raise RuntimeError(
                f"cannot materialize an uninitialized parameter that requires gradients with dtype {dtype}: "
                "only floating point dtypes can require gradients"
            )
        _data_slot.__set__(self, np.zeros(shape, dtype=dtype))
        # the same object, so the modules and optimizers that hold it keep it
        self.__class__ = self.cls_to_become  # type: ignore[assignment]

    def _placeholder(self) -> np.ndarray:
        return _data_slot.__get__(self)

    def _retype(self, dtype: np.dtype) -> None:
        """`Module.to(dtype)`: there are no values to cast, only the dtype they will be made with."""
        _data_slot.__set__(self, np.empty((0,), dtype=dtype))

    def _refuse(self, what: str) -> ValueError:
        return ValueError(
            f"Attempted to use an uninitialized parameter in {what}. An uninitialized parameter (or buffer) "
            "has no values and no shape yet: run the lazy module that holds it on one batch first (it "
            "infers the sizes from it), or call `materialize(shape)`."
        )

    @property
    def data(self) -> np.ndarray:
        raise self._refuse(_reader_of_data())

    @data.setter
    def data(self, value: Any) -> None:
        raise self._refuse("an assignment to .data")

    @property
    def shape(self) -> tuple[int, ...]:
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. It is usually read by "
            "`load_state_dict` loading an uninitialized parameter into an initialized one. Run the "
            "lazy module on one batch first, so that its parameters have shapes."
        )

    @property
    def dtype(self) -> np.dtype:
        return self._placeholder().dtype

    @property
    def ndim(self) -> int:
        return self._placeholder().ndim

    def size(self, dim: int | None = None) -> Any:
        shape = self._placeholder().shape
        return shape if dim is None else shape[dim]

    def requires_grad_(self, requires_grad: bool = True) -> Any:
        raise self._refuse("Tensor.requires_grad_")

    # the setter stays allowed, as in PyTorch (only floating dtypes may require grad)
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, requires_grad: bool) -> None:
        if requires_grad and self.dtype.kind != "f":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, got {self.dtype}"
            )
        self._requires_grad = bool(requires_grad)

    def __len__(self) -> int:
        raise self._refuse("Tensor.__len__")

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        """A new uninitialized tensor of the same type, dtype and requires_grad."""
        return type(self)(self.requires_grad, dtype=self.dtype)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A `Parameter` whose shape is not known yet: what lazy layers (`nn.LazyLinear`, ...) hold at first.

    It has a dtype but no values and no shape; the only things to do with
    it are to change its dtype (``module.to(dtype)``) and to `materialize`
    it, which the lazy layer does on its first input, turning it into an
    ordinary Parameter, the same object.
    """

    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        _placeholder_init(self, requires_grad, device, dtype)


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer (a Tensor) whose shape is not known yet, as a lazy batch norm's running statistics are.

    `materialize` turns it into an ordinary Tensor, the same object.
    """

    cls_to_become = Tensor

    def __init__(
        self, requires_grad: bool = False, device: Any = None, dtype: Any = None, persistent: bool = True
    ) -> None:
        _placeholder_init(self, requires_grad, device, dtype)
        self.persistent = persistent


def _placeholder_init(tensor: UninitializedTensorMixin, requires_grad: bool, device: Any, dtype: Any) -> None:
    """Make `tensor` a leaf around an empty (0,) array of `dtype` (None: the default dtype).

    The placeholder carries only the dtype that `materialize` will use.
    """
    cls = type(tensor)
    if not isinstance(requires_grad, bool):
        raise TypeError(
            f"{cls.__name__}(): argument 'requires_grad' must be bool, not {type(requires_grad).__name__}"
        )
    check_device(device)
    placeholder = np.empty((0,), dtype=np.dtype(dtype or get_default_dtype()))
    # Built as the class it will become, whose `data` can be set (and which refuses
    # requires_grad for an integer dtype), then marked uninitialized.
    tensor.__class__ = cls.cls_to_become  # type: ignore[assignment]
    try:
        Tensor._adopt(tensor, placeholder, requires_grad)
    finally:
        tensor.__class__ = cls
