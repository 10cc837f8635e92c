"""`Tensor`: a NumPy array that remembers how it was computed.

Every operation on Tensors is a `Function` (see autograd/function.py); when
an input requires grad, the result's `grad_fn` records that operation and
its inputs, building the graph that `backward()` walks in reverse.

The methods below are one-line doors into the ops: arithmetic
(ops/elementwise.py), one-input math (ops/unary.py), more math
(ops/trigonometry.py, ops/more_math.py, ops/powers.py, ops/special_functions.py),
bits of integers (ops/bitwise.py), reductions
(ops/reduce.py, ops/softmax.py, ops/cumulative.py, ops/statistics.py), movement
(ops/movement.py, ops/rearranging.py), picking and ordering elements
(ops/selection.py, ops/sorting.py), writing into chosen places
(ops/index_writes.py), matmul (ops/linalg.py) and diagonals (ops/matrix.py).
"""

from __future__ import annotations

import math
import numbers
import weakref
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

import numpy as np

from . import devices
from .autograd import engine, function, node
from .autograd.function import Node
from .autograd.grad_mode import _state
from .dtypes import from_type_name, get_default_dtype, type_name
from .printing import set_printoptions as set_printoptions  # re-exported: the package imports it from here
from .printing import tensor_repr
from .warning import warn

Scalar = int | float | bool
_new = object.__new__


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    """Copy `data` into a fresh array, applying PyTorch's default-dtype rules."""
    if isinstance(data, Tensor):
        data = data.data
    keeps_dtype = isinstance(data, (np.ndarray, np.generic))
    try:
        array = np.array(data, dtype=dtype)
    except (ValueError, TypeError) as error:  # ragged lists are a ValueError, as in PyTorch
        raise type(error)(f"tensor: cannot make a tensor from {type(data).__name__}: {error}") from None
    except OverflowError:  # a number the integer dtype cannot hold: PyTorch's rule, not NumPy's
        array = _fit_integer_dtype(np.array(data), np.dtype(dtype))
    if array.dtype.kind not in "biuf":
        raise TypeError(f"tensor: unsupported data of dtype {array.dtype} (need numbers or bools)")
    if dtype is None and not keeps_dtype and array.dtype.kind == "f":
        array = array.astype(_float_dtype_of_elements(data))  # Python floats default to float32
    return array


def _fit_integer_dtype(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """`values` as an integer dtype, or PyTorch's error for a value it cannot hold.

    As in PyTorch, an unsigned dtype takes integers down to minus its largest
    value, written modulo 2**bits (-2 becomes 254 in uint8), but floats only
    within its range; floats are truncated toward zero.
    """
    if values.dtype.kind == "O":  # an int beyond 64 bits, which no dtype holds
        raise ValueError("tensor: an integer in the data does not fit in 64 bits")
    info = np.iinfo(dtype)
    low = -info.max if info.min == 0 and values.dtype.kind in "iu" else info.min
    if values.min() < low or values.max() > info.max:
        raise RuntimeError(f"tensor: value cannot be converted to type {dtype.name} without overflow")
    return values.astype(dtype)


_PLAIN = frozenset((float, int, bool))


def _float_dtype_of_elements(data: Any) -> np.dtype:
    """The float dtype PyTorch infers for a nested list that holds floats.

    The widest float among the elements, a Python float counting as the
    default dtype (float32) and a NumPy float, array or Tensor as its own
    dtype: [np.float64(1.0), 2.0] is float64, [np.int64(1), 2.0] float32.
    Anything else (a Python float, another library's array) gets the default dtype.
    """
    if not isinstance(data, (list, tuple)):
        return get_default_dtype()
    found: set[np.dtype] = set()
    pending: list[Sequence] = [data]
    while pending:  # (a list of Python numbers, the common case, is looked at in C by set(map(...)))
        items = pending.pop()
        kinds = set(map(type, items))
        if float in kinds:
            found.add(get_default_dtype())
        if kinds <= _PLAIN:
            continue
        for item in items:
            if isinstance(item, (list, tuple)):
                pending.append(item)
            elif isinstance(item, (np.ndarray, np.generic, Tensor)):
                if item.dtype.kind == "f":
                    found.add(np.dtype(item.dtype))
    return np.result_type(*found) if found else get_default_dtype()


class Tensor:
    """An n-dimensional array with automatic differentiation.

    >>> x = tg.tensor([1.0, 2.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad            # dy/dx = 2x
    tensor([2., 4.])
    """

    # `_base`: the tensor whose memory this one views (detach, reshape, slicing...),
    # or None. Tensors that share memory share the base's `_version` counter.
    # `_view`: (parent, view Function, its arguments) for a view made by an op,
    # so that an in-place change through it can be recorded on the parent, and
    # `_view_version`: the base's version when the view's graph was last right
    # (None for a view made without recording, whose graph is never remade).
    # `_grad` is what the `grad` property shows.
    __slots__ = (
        "data",
        "_requires_grad",
        "_grad",
        "grad_fn",
        "_version",
        "_base",
        "_view",
        "_view_version",
        "__dict__",
        "__weakref__",
    )
    name: str | None = None  # shown in graph drawings
    _hooks: list | None = None
    _layouts: list | None = None  # (version, old-shape reader) per in-place change of shape
    _view_version: int | None  # (a slot, set only on views)

    def __init__(self, data: Any, *sizes: int, requires_grad: bool = False, dtype: Any = None) -> None:
        if sizes:  # PyTorch's torch.Tensor(2, 3), an uninitialised tensor of that size
            raise TypeError(
                f"Tensor(data) takes the data only: for a tensor of size {(data, *sizes)} "
                f"write tg.zeros{(data, *sizes)} or tg.empty{(data, *sizes)}"
            )
        if isinstance(data, Tensor):
            _warn_copy_of_tensor("tg.tensor(t) (or tg.Tensor(t))")
        self._adopt(_to_array(data, dtype), requires_grad)

    def _adopt(self, array: np.ndarray, requires_grad: bool) -> None:
        """Set the fields every tensor starts with: a leaf around `array` (not copied)."""
        self.data: np.ndarray = array
        self._grad: Tensor | None = None
        self.grad_fn: Node | None = None
        self._version = 0
        self._base: Tensor | None = None
        self._view: tuple | None = None
        self._requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _wrap(cls, data: np.ndarray, requires_grad: bool = False) -> Tensor:
        """A Tensor around `data` without copying or checking (for the library's own use).

        The fields of `_adopt`, set here inline: every op makes one of these,
        and the call would add to every op's cost.
        """
        t = _new(Tensor)
        t.data = data
        t._requires_grad = requires_grad
        t._grad = None
        t.grad_fn = None
        t._version = 0
        t._base = None
        t._view = None
        return t

    # ------------------------------------------------------------ attributes

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user (not by a recorded op)."""
        return self.grad_fn is None

    @property
    def T(self) -> Tensor:
        """All dims reversed (the matrix transpose for 2-D)."""
        return movement.Permute._apply1(self, tuple(range(self.ndim - 1, -1, -1)))

    @property
    def mT(self) -> Tensor:
        """Transpose of the last two dims (a batch of matrices)."""
        n = self.data.ndim
        if n < 2:
            raise RuntimeError(f"mT needs at least 2 dims, got shape {self.shape}")
        return movement.Permute._apply1(self, (*range(n - 2), n - 1, n - 2))

    # The conjugate-transpose names of complex linear algebra. Every dtype here is real, where
    # the conjugate changes nothing, so they are transposes (conj, real: the tensor itself).
    @property
    def mH(self) -> Tensor:
        """mT (for real tensors the conjugate transpose is the transpose)."""
        return self._matrix_transpose("tensor.mH")

    def adjoint(self) -> Tensor:
        """mT, under linear algebra's name (as `mH`)."""
        return self._matrix_transpose("tensor.adjoint()")

    @property
    def H(self) -> Tensor:
        """The transpose of a matrix (2-D only: mH for batches)."""
        if self.data.ndim == 0:
            warn("Tensor.H is deprecated on 0-D tensors, as in PyTorch. Consider using x.conj().")
            return self
        if self.data.ndim != 2:
            raise RuntimeError(
                f"tensor.H is only supported on matrices (2-D tensors). Got {self.ndim}-D tensor."
                + (" For batches of matrices, consider using tensor.mH" if self.ndim > 2 else "")
            )
        return self.mT

    def _matrix_transpose(self, name: str) -> Tensor:
        if self.data.ndim < 2:
            raise RuntimeError(
                f"{name} is only supported on matrices or batches of matrices. Got {self.ndim}-D tensor."
            )
        return self.mT

    def conj(self) -> Tensor:
        """The tensor itself: the complex conjugate of a real number is that number."""
        return self

    def resolve_conj(self) -> Tensor:
        """The tensor itself (there is never a conjugation pending on a real tensor)."""
        return self

    @property
    def real(self) -> Tensor:
        """The tensor itself: a real tensor is its own real part."""
        return self

    @property
    def imag(self) -> Tensor:
        """Refused, as PyTorch refuses it for real tensors (their imaginary part is no tensor of theirs)."""
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")

    def isreal(self) -> Tensor:
        """True everywhere (a bool tensor of this shape): every element of a real tensor is real."""
        return Tensor._wrap(np.ones(self.shape, dtype=bool))

    # memory: sizes in bytes, and strides in elements, as NumPy lays the array out

    def is_signed(self) -> bool:
        """True for dtypes that hold negative numbers: floats and signed integers (not uint8, bool)."""
        return self.data.dtype.kind in "if"

    def element_size(self) -> int:
        """Bytes per element: 4 for float32, 1 for bool."""
        return self.data.itemsize

    @property
    def itemsize(self) -> int:
        """Bytes per element (`element_size()`)."""
        return self.data.itemsize

    @property
    def nbytes(self) -> int:
        """numel() * itemsize: the bytes of the elements (an expanded tensor counts each copy)."""
        return self.data.size * self.data.itemsize

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        """The steps, in elements, from one element to the next along each dim (or along `dim`).

        NumPy's strides (in bytes) over the element size: (3, 1) for a fresh
        2x3 tensor, (1, 3) for its transpose, 0 along an expanded dim. Where
        PyTorch copies and NumPy makes a view, they differ: ``flip`` here is a
        view with negative strides.

        NOTE: a step along a dim of size 1 (or in an empty tensor) reaches no
        element, and NumPy leaves it arbitrary. For a contiguous tensor these
        are reported as PyTorch gives them, the row-major steps of the shape.
        """
        data = self.data
        if data.flags.c_contiguous:
            # each dim's step is the product of the sizes after it (an empty dim counts as 1)
            sizes = [max(n, 1) for n in data.shape[1:]] + [1]
            strides = tuple(int(np.prod(sizes[d:])) for d in range(data.ndim))
        else:
            strides = tuple(s // data.itemsize for s in data.strides)
        if dim is None:
            return strides
        if self.data.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return strides[movement.normalize_dim(dim, self.ndim)]

    def is_contiguous(self, memory_format: Any = None) -> bool:
        """Are the elements laid out in row-major order with no gaps (as `contiguous()` makes them)?

        `memory_format` is accepted for PyTorch's code and ignored: row-major
        is the one layout.
        """
        return bool(self.data.flags.c_contiguous)

    def size(self, dim: int | None = None) -> tuple[int, ...] | int:
        return self.shape if dim is None else self.shape[movement.normalize_dim(dim, self.ndim)]

    def numel(self) -> int:
        return int(self.data.size)

    def is_nonzero(self) -> bool:
        """Whether the one element of self is not 0 (RuntimeError for more or fewer elements)."""
        return bool(self)

    def is_same_size(self, other: Tensor) -> bool:
        """Whether self and other have the same shape."""
        return self.data.shape == other.data.shape

    def equal(self, other: Tensor) -> bool:
        """Same shape and the same values (tg.equal)."""
        return self.data.shape == other.data.shape and bool(np.array_equal(self.data, other.data))

    def dim(self) -> int:
        return self.data.ndim

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(len(self)))

    def __contains__(self, element: Any) -> bool:
        """`element in x`: does any element of x equal it (a number, or a tensor that broadcasts)?"""
        if not isinstance(element, (Tensor, numbers.Number, np.generic)):
            raise RuntimeError(
                f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a {type(element)}."
            )
        return bool((self == element).any())

    # Hashed by identity (as objects are), even though == is elementwise: tensors
    # key the gradient and optimizer-state dicts. object's hash runs in C.
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        """As PyTorch prints it: ``tensor([0.1235, 0.6667], requires_grad=True)`` (see printing.py)."""
        return tensor_repr(self)

    def __format__(self, spec: str) -> str:
        """A 0-d tensor formats as its number (f"{loss:.4f}"), as in PyTorch; others as their repr."""
        if self.data.ndim == 0:
            return format(self.data.item(), spec)
        return object.__format__(self, spec)

    # ------------------------------------------------------------ conversion

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        data = self._array()
        if self.requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
            )
        return data

    def _array(self) -> np.ndarray:
        """`.data`, checked to be an array, for the places where a mistake would show.

        On a plain Tensor `.data` is a slot that every op reads, too hot a path
        for a property that would check each assignment (Parameters have one),
        so a Tensor assigned there by mistake is reported here: when the tensor
        is printed or read, and by an op whose forward fails on it.
        """
        if isinstance(self.data, Tensor):
            raise TypeError(
                "a tensor's .data holds a Tensor, not a NumPy array: a Tensor was assigned to it, as by "
                "`w.data = w.data - lr * w.grad` (w.grad is a Tensor, so the right side is one). Assign an "
                "array (`w.data = w.data - lr * w.grad.data`) or update in place (`w.data -= lr * w.grad`, "
                "or `with tg.no_grad(): w -= lr * w.grad`)"
            )
        return self.data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return self.data if dtype is None else self.data.astype(dtype)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """What a NumPy ufunc does when one of its operands is a Tensor.

        An in-place update of a plain array, such as ``w.data -= lr * w.grad``
        (NumPy runs it as ``np.subtract(w.data, lr * w.grad, out=(w.data,))``),
        computes with the Tensors' arrays, off the graph. Any other call is
        the Tensor's operator: ``array + tensor`` is ``tensor.__radd__(array)``,
        a Tensor on the graph, as ``2.0 + tensor`` is. A ufunc that no
        operator stands for (``np.exp(tensor)``) raises a TypeError: write
        ``tensor.exp()``.
        """
        out = kwargs.get("out", ())
        if method == "__call__" and out and all(isinstance(o, np.ndarray) for o in out):
            return ufunc(*[x.data if isinstance(x, Tensor) else x for x in inputs], **kwargs)
        names = _OPERATORS.get(ufunc)
        if method != "__call__" or names is None or kwargs or len(inputs) != 2:
            return NotImplemented
        left, right = inputs
        if isinstance(left, Tensor):
            return getattr(left, names[0])(right)
        return getattr(right, names[1])(left)

    def item(self) -> Scalar:
        data = self._array()
        if data.size != 1:
            raise RuntimeError(f"a Tensor with {data.size} elements cannot be converted to Scalar")
        return data.item()

    def tolist(self) -> Any:
        return self._array().tolist()

    def __float__(self) -> float:
        value = float(self._one_element())
        if self._requires_grad and not _warned_once.get("float"):
            _warned_once["float"] = True  # once per run, as PyTorch
            warn(
                "float() of a tensor that requires grad gives a plain number, which backward cannot "
                "see: a loss or a weight turned into a float leaves the graph. To read the value, "
                "write float(t.detach()) or t.item()."
            )
        return value

    def __int__(self) -> int:
        return int(self._one_element())

    def _one_element(self) -> Scalar:
        """The number in a one-element tensor, for float() and int() (a ValueError otherwise, as PyTorch)."""
        data = self._array()
        if data.size != 1:
            raise ValueError(
                "only one element tensors can be converted to Python scalars "
                f"(this one has shape {self.shape})"
            )
        return data.item()

    def __index__(self) -> int:
        if self.data.dtype.kind not in "biu" or self.data.size != 1:
            raise TypeError(
                "only integer tensors of a single element can be converted to an index "
                f"(got {self.dtype} of shape {self.shape})"
            )
        return int(self.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self.data.size} values is ambiguous")
        return bool(self.item())

    def to(
        self,
        *args: Any,
        dtype: Any = None,
        device: Any = None,
        non_blocking: bool = False,
        copy: bool = False,
    ) -> Tensor:
        """The tensor as another dtype (differentiable between float dtypes).

        Takes PyTorch's forms: ``to(dtype)``, ``to(other_tensor)`` (its dtype),
        ``to(device)``, ``to(device, dtype)``, ``to(device=..., dtype=...)``.
        The only device is the CPU, so ``"cpu"`` changes nothing and any other
        device is an error; `non_blocking` has nothing to do and is ignored.
        """
        dtype = parse_to(args, dtype, device)
        if dtype is not None and dtype != self.dtype:
            return unary.Cast._apply1(self, dtype)
        return self.clone() if copy else self

    def cpu(self) -> Tensor:
        """The tensor itself: it already lives in the CPU's memory."""
        return self

    @property
    def device(self) -> devices.device:
        """Always ``tg.device("cpu")``: NumPy computes on the CPU."""
        return devices.CPU

    # PyTorch's questions about where and how a tensor is stored, answered for
    # the one kind there is here: a dense tensor in the CPU's memory.
    is_cpu = True
    is_cuda = is_mps = is_meta = is_sparse = is_quantized = is_nested = False

    def is_complex(self) -> bool:
        """False: there are no complex dtypes here."""
        return False

    def type(self, dtype: Any = None, non_blocking: bool = False) -> str | Tensor:
        """With no dtype, the tensor's type name; with one, the tensor as that dtype (as `to`).

        The names are PyTorch's with this package's name in front:
        "tinygrad_edu.FloatTensor" for float32, "tinygrad_edu.DoubleTensor"
        for float64, "tinygrad_edu.LongTensor" for int64 (PyTorch's
        "torch.FloatTensor", ...). `dtype` may be such a name, a legacy type
        such as `tg.DoubleTensor`, or a dtype; `non_blocking` has nothing to
        do and is ignored.
        """
        from .legacy_types import LegacyTensorType  # (that module builds on this one)

        if dtype is None:
            return type_name(self.dtype)
        if isinstance(dtype, LegacyTensorType):
            dtype = dtype.dtype
        if isinstance(dtype, str) and _names_no_dtype(dtype):
            dtype = from_type_name(dtype)
        return self.to(dtype)

    def is_floating_point(self) -> bool:
        return self.data.dtype.kind == "f"

    # ------------------------------------------------------------ autograd

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Tensor | Sequence[Tensor] | None = None,
    ) -> None:
        """Compute d(self)/d(leaf) for every leaf that requires grad and add it to leaf.grad.

        With `inputs`, only those tensors (leaves or not) get a `.grad`.
        """
        engine.backward([self], [gradient], retain_graph, create_graph, inputs)

    def detach(self) -> Tensor:
        """The same values (shared memory, and so the same version counter), cut from the graph."""
        out = Tensor._wrap(self.data)
        out._share_memory_of(self)
        return out

    def detach_(self) -> Tensor:
        """Cut this tensor from the graph in place: it becomes a leaf that needs no gradient.

        Its values, memory and version stay as they are, and a graph recorded
        earlier that uses it still backpropagates. Refused on a view (a slice,
        a reshape, ...), whose graph is its base's, as in PyTorch.
        """
        if self._view is not None:
            raise RuntimeError(
                f"Can't detach views in-place (this tensor of shape {self.shape} is a view of another "
                "tensor's memory). Use detach() instead."
            )
        self._set_grad_fn(None)
        return self

    def _bump_version(self) -> None:
        """Count one more in-place change of this tensor's memory (on the counter its views share)."""
        (self if self._base is None else self._base)._version += 1

    def _share_memory_of(self, other: Tensor) -> None:
        """Mark self as a view of `other`'s memory: both then count changes on one version counter."""
        self._base = other if other._base is None else other._base

    def clone(self) -> Tensor:
        """A copy with its own memory, still on the graph."""
        return unary.Clone._apply1(self)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables; use .detach() for a non-leaf"
            )
        if requires_grad and self.data.dtype.kind != "f":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, got {self.dtype}"
            )
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def requires_grad(self) -> bool:
        """Whether backward computes a gradient for this tensor: set for a leaf, inherited by results."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, requires_grad: bool) -> None:
        self.requires_grad_(requires_grad)  # with its checks: leaves only, floating dtypes only

    @property
    def grad(self) -> Tensor | None:
        """dL/d(self), summed over backward calls: kept for leaves, and for non-leaves after retain_grad()."""
        grad = self._grad
        if grad is None and self.grad_fn is not None and not self.retains_grad:
            warn(
                f"reading .grad of a non-leaf tensor (made by an op, grad_fn={self.grad_fn}): backward "
                "does not keep it, so it is None. Call .retain_grad() on this tensor before backward to "
                "keep it, or read the .grad of a leaf (a tensor you made with requires_grad=True)."
            )
        return grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None, got {type(value).__name__}")
            if value.data.shape != self.data.shape or value.data.dtype != self.data.dtype:
                raise RuntimeError(
                    f"assigned grad of shape {value.shape} and dtype {value.dtype} does not match "
                    f"the tensor's shape {self.shape} and dtype {self.dtype}"
                )
        self._grad = value

    def _clear_grad(self, set_to_none: bool) -> None:
        """`zero_grad` of modules and optimizers, for one tensor: `.grad` to None, or to 0 in place.

        In place, as PyTorch, so code that holds the gradient tensor sees the zeros.
        """
        grad = self._grad
        if grad is None or set_to_none:
            self._grad = None
            return
        if grad.grad_fn is not None:  # built with create_graph=True: new zeros, off its graph
            self._grad = Tensor._wrap(np.zeros_like(grad.data))
            return
        grad.data.fill(0)
        grad._bump_version()

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf tensor whose `.grad` is kept (see `retain_grad`)."""
        return self.grad_fn is not None and getattr(self, "_retains_grad", False)

    def retain_grad(self) -> None:
        """Keep the gradient of this non-leaf tensor in `.grad` after backward."""
        self._refresh_view()
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or getattr(self, "_retains_grad", False):
            return
        self._retains_grad = True
        self._keep_grad_of(self.grad_fn)

    def _keep_grad_of(self, grad_fn: Node) -> None:
        """Have `grad_fn` store the gradient of its output in self.grad (while self is its output)."""
        ref = weakref.ref(self)

        def keep(grad: Tensor) -> None:
            tensor = ref()
            if tensor is not None and tensor.grad_fn is grad_fn:
                tensor._grad = grad if tensor._grad is None else tensor._grad + grad

        grad_fn.register_prehook(keep, retains_grad=True)

    def _set_grad_fn(self, grad_fn: Node | None) -> None:
        """Make `grad_fn` this tensor's producer (after an in-place change), keeping a retain_grad."""
        self.grad_fn, self._requires_grad = grad_fn, grad_fn is not None
        if grad_fn is not None and getattr(self, "_retains_grad", False):
            self._keep_grad_of(grad_fn)

    def _refresh_view(self) -> None:
        """Remake a view's graph from its parent's if their memory changed through another tensor.

        After ``r = y[:2]; y *= 2``, r holds the doubled values but its graph
        still reads the old y; PyTorch remakes it, and so does this, each
        time a recorded op or backward is about to use r. Any other tensor is
        left alone (the per-op paths check ``_view is not None`` inline first).
        """
        if self._view is None or not self._stale():
            return
        self._follow_shape_change()
        stale, parent = [self], self._view[0]
        while parent._view is not None and parent._stale():  # (a loop: view chains may be long)
            parent._follow_shape_change()
            stale.append(parent)
            parent = parent._view[0]
        for view in reversed(stale):
            view._remake_graph()

    def _follow_shape_change(self) -> None:
        """Re-parent a view made before its parent changed shape in place (t_, squeeze_, ...).

        The view reads its parent in the parent's old shape, so from now on it
        is a view of a tensor that reads the parent's memory in that shape
        (ops/inplace_shape.py keeps one per change, with the base's version at
        the change: a graph made before that version predates it).
        """
        assert self._view is not None  # (only views are re-parented)
        layouts = self._view[0]._layouts
        if layouts is None or self._view_version is None:
            return
        for version, old in layouts:
            if self._view_version < version:
                self._view = (old, *self._view[1:])
                return

    def _stale(self) -> bool:
        """Is this view's graph older than the last change to its memory, and to be remade now?"""
        return (
            _state.enabled
            and self._changed_since_graph()
            and not (self.grad_fn is None and self.requires_grad)  # made a leaf by requires_grad_()
        )

    def _changed_since_graph(self) -> bool:
        """Is this a view whose memory changed (through any tensor sharing it) after its graph was made?"""
        return (
            self._view is not None
            and self._view_version is not None
            and self._view_version != self._base._version  # type: ignore[union-attr]  # (a view has a base)
        )

    def _remake_graph(self) -> None:
        """Take this view's graph from its parent's (which is up to date) again."""
        assert self._view is not None and self._base is not None  # (only views are remade)
        parent, fn, consts = self._view
        self._set_grad_fn(fn._apply1(parent, *consts).grad_fn)
        self._view_version = self._base._version

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call `hook(grad)` when this tensor's gradient is computed; a returned Tensor replaces it."""
        self._refresh_view()
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            self.grad_fn.register_prehook(hook)
            assert self.grad_fn._pre_hooks is not None  # (register_prehook has made the list)
            return RemovableHandle(self.grad_fn._pre_hooks, hook)
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self._hooks, hook)

    # ------------------------------------------------------------ in place

    def _inplace(self, op: Callable[[Tensor, Any], Tensor], other: Any) -> Tensor:
        """`self = op(self, other)` written into self's memory.

        The result is computed out of place first, so a failing op changes
        nothing. When the op is recorded, it runs on a copy of self's old
        values that stands where self stood in the graph (PyTorch's
        "original self", made without a node of its own), so backward keeps
        the old values, and self becomes the op's output. Every change bumps
        the version counter of self's memory (shared with every view of it),
        which lets backward notice a tensor that was saved for it and changed
        since.
        """
        self._refresh_view()
        recording = _state.enabled and (self.requires_grad or _any_requires_grad(other))
        root = self
        while root._view is not None:
            root = root._view[0]
        made_without_grad = self._view is not None and self._view_version is None
        if made_without_grad and _state.enabled and (recording or root.requires_grad):
            raise RuntimeError(
                "a view made in no_grad mode is being changed in place with grad mode on: its base "
                "would not see the change. Take the view outside no_grad, or change it under no_grad."
            )
        if recording and root.requires_grad and root.grad_fn is None:
            what = "a leaf Variable" if root is self else "a view of a leaf Variable"
            raise RuntimeError(
                f"{what} that requires grad is being used in an in-place operation "
                "(wrap the update in `with tg.no_grad():`)"
            )
        old = self._old_values() if recording else self
        out = op(old, other)
        if recording and out.grad_fn is None:
            # a piecewise-constant op (floor_, round_, ...): the new values get a gradient
            # of 0, as in PyTorch, rather than keeping the old values' graph
            nowhere = Tensor._wrap(np.zeros(out.shape, dtype=bool))
            out = elementwise.where(nowhere, old, out)
        if out.shape != self.shape:
            raise RuntimeError(
                f"output with shape {self.shape} doesn't match the broadcast shape {out.shape}"
            )
        if not np.can_cast(out.dtype, self.dtype, "same_kind"):
            raise RuntimeError(
                f"result type {out.dtype} can't be cast to the desired output type {self.dtype}"
            )
        if not self.data.flags.writeable:
            raise RuntimeError(
                f"in-place operation on a read-only tensor of shape {self.shape} (an expanded tensor, or "
                "an input or output of a module with backward hooks): clone() it first"
            )
        self.data[...] = out.data
        self._bump_version()
        if out.grad_fn is not None:
            self._set_grad_fn(out.grad_fn)
            if out.grad_fn._saved:
                out.grad_fn._output_moved(out, self)  # out is dropped now; self holds its values
            self._write_back()
        return self

    def _old_values(self) -> Tensor:
        """A copy of self's values in self's place in the graph: the input of an in-place op."""
        old = Tensor._wrap(self.data.copy(), self._requires_grad)
        old.grad_fn = self.grad_fn
        if self.name is not None:  # the drawings call the old values by the same name
            old.name = self.name
        return old

    def _write_back(self) -> None:
        """Record on every tensor this one is a view of that its memory changed (PyTorch's CopySlices).

        After ``r = y[:2]; r *= 3`` the values of y changed through r. y's
        grad_fn becomes "y with [:2] replaced by r", so a gradient through y
        sees the change. Each view Function says how, in its `write_back`.
        """
        views, value = [], self
        while value._view is not None:
            assert value._base is not None  # (a view has a base)
            value._view_version = value._base._version  # its graph (the change) is current: keep it
            parent, fn, consts = value._view
            parent._set_grad_fn(fn.write_back(parent, value, *consts).grad_fn)
            views.append(value)
            value = parent
        # Then, as in PyTorch, each view reads its graph from the base's new one: a
        # gradient that reaches the base must not pass through the view's own node.
        for view in reversed(views):
            view._remake_graph()

    def __iadd__(self, other: Any) -> Tensor:
        return self._inplace(binary_op(Add), other)

    def __isub__(self, other: Any) -> Tensor:
        return self._inplace(elementwise.subtract, other)

    def __imul__(self, other: Any) -> Tensor:
        return self._inplace(binary_op(Mul), other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self._inplace(binary_op(Div), other)

    def zero_(self) -> Tensor:
        return self.fill_(0.0)

    def fill_(self, value: float) -> Tensor:
        """Every element set to `value` (a number or a 0-d tensor), in place."""
        if isinstance(value, Tensor) and value.data.ndim:
            raise RuntimeError(
                f"fill_: the value must be a number or a 0-d tensor, got a tensor of shape {value.shape} "
                "(to write a tensor's values into this one, use copy_)"
            )
        return self.copy_(value)

    def fill_diagonal_(self, fill_value: Any, wrap: bool = False) -> Tensor:
        """fill_value (a number or 0-d tensor, cast to self's dtype) on the main diagonal, in place.

        The diagonal is a[i, i] (a[i, ..., i] for more dims, which must all
        have one length); a tall matrix's diagonal ends at the last column, or
        with wrap=True starts again one row further down. The gradient of
        self afterwards is 0 on the diagonal.
        """
        if isinstance(fill_value, Tensor) and fill_value.data.ndim:
            raise TypeError(
                f"fill_diagonal_(): argument 'fill_value' must be a number or a 0-d tensor, got a tensor "
                f"of shape {fill_value.shape}"
            )
        on_diagonal = selection.diagonal_mask(self.shape, wrap)
        value = Tensor._wrap(np.asarray(fill_value.item() if isinstance(fill_value, Tensor) else fill_value))
        return self._inplace(lambda t, v: elementwise.where(on_diagonal, v.to(t.dtype), t), value)

    def copy_(self, src: Any) -> Tensor:
        """src's values (broadcast to self's shape, cast to self's dtype) written into self.

        The gradient of self afterwards flows to src, as in PyTorch.
        """
        # where(False, t, v) rather than t * 0 + v: right even where t is inf or nan
        nowhere = Tensor._wrap(np.zeros(self.shape, dtype=bool))
        src = src if isinstance(src, Tensor) else broadcast.as_operand(src, self, fill=True)
        if src.data.shape != self.data.shape and not broadcast.broadcasts_to(src.data.shape, self.data.shape):
            raise RuntimeError(
                f"copy_: src of shape {src.shape} cannot be broadcast to this tensor's shape {self.shape}"
            )
        return self._inplace(lambda t, v: elementwise.where(nowhere, t, v.to(t.dtype)), src)

    def apply_(self, callable: Callable[[Any], Any]) -> Tensor:
        """self[i] = callable(self[i]) for each element, in place (a Python loop: slow, no gradient)."""
        return python_maps.apply_(self, callable)

    def map_(self, tensor: Tensor, callable: Callable[[Any, Any], Any]) -> Tensor:
        """self[i] = callable(self[i], tensor[i]), tensor broadcast to self, in place (a Python loop)."""
        return python_maps.map_(self, tensor, callable)

    # PyTorch's method forms of the in-place operators
    def add_(self, other: Any, *, alpha: float = 1) -> Tensor:
        return self.__iadd__(_times(self, other, alpha))

    def sub_(self, other: Any, *, alpha: float = 1) -> Tensor:
        return self.__isub__(_times(self, other, alpha))

    def mul_(self, other: Any) -> Tensor:
        return self.__imul__(other)

    def div_(self, other: Any) -> Tensor:
        return self.__itruediv__(other)

    true_divide_ = div_

    def clamp_(self, min: float | None = None, max: float | None = None) -> Tensor:
        return self._inplace(lambda t, _: t.clamp(min, max), None)

    clip_ = clamp_

    def pow_(self, exponent: Any) -> Tensor:
        return self._inplace(Tensor.pow, exponent)

    def masked_fill_(self, mask: Tensor, value: Any) -> Tensor:
        return self._inplace(lambda t, v: t.masked_fill(mask, v), value)

    # The in-place forms of the math of ops/trigonometry.py and ops/more_math.py on two or
    # three operands (those that PyTorch has); the others are passed on as a tuple
    def lerp_(self, end: Any, weight: Any) -> Tensor:
        return self._inplace(lambda t, others: t.lerp(*others), (end, weight))

    def addcmul_(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        return self._inplace(lambda t, others: t.addcmul(*others, value=value), (tensor1, tensor2))

    def addcdiv_(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        return self._inplace(lambda t, others: t.addcdiv(*others, value=value), (tensor1, tensor2))

    def fmod_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.fmod, other)

    def atan2_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.atan2, other)

    def hypot_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.hypot, other)

    def copysign_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.copysign, other)

    def xlogy_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.xlogy, other)

    arctan2_ = atan2_

    # The in-place forms of one-input ops: self = f(self)
    def neg_(self) -> Tensor:
        return self._inplace(lambda t, _: -t, None)

    def abs_(self) -> Tensor:
        return self._inplace(lambda t, _: t.abs(), None)

    def exp_(self) -> Tensor:
        return self._inplace(lambda t, _: t.exp(), None)

    def log_(self) -> Tensor:
        return self._inplace(lambda t, _: t.log(), None)

    def sqrt_(self) -> Tensor:
        return self._inplace(lambda t, _: t.sqrt(), None)

    def sin_(self) -> Tensor:
        return self._inplace(lambda t, _: t.sin(), None)

    def cos_(self) -> Tensor:
        return self._inplace(lambda t, _: t.cos(), None)

    def tanh_(self) -> Tensor:
        return self._inplace(lambda t, _: t.tanh(), None)

    def sigmoid_(self) -> Tensor:
        return self._inplace(lambda t, _: t.sigmoid(), None)

    def relu_(self) -> Tensor:
        return self._inplace(lambda t, _: t.relu(), None)

    def floor_(self) -> Tensor:
        return self._inplace(lambda t, _: t.floor(), None)

    def ceil_(self) -> Tensor:
        return self._inplace(lambda t, _: t.ceil(), None)

    def round_(self, decimals: int = 0) -> Tensor:
        return self._inplace(lambda t, _: t.round(decimals), None)

    def trunc_(self) -> Tensor:
        return self._inplace(lambda t, _: t.trunc(), None)

    def frac_(self) -> Tensor:
        return self._inplace(lambda t, _: t.frac(), None)

    def tan_(self) -> Tensor:
        return self._inplace(lambda t, _: t.tan(), None)

    def asin_(self) -> Tensor:
        return self._inplace(lambda t, _: t.asin(), None)

    def acos_(self) -> Tensor:
        return self._inplace(lambda t, _: t.acos(), None)

    def atan_(self) -> Tensor:
        return self._inplace(lambda t, _: t.atan(), None)

    def sinh_(self) -> Tensor:
        return self._inplace(lambda t, _: t.sinh(), None)

    def cosh_(self) -> Tensor:
        return self._inplace(lambda t, _: t.cosh(), None)

    def asinh_(self) -> Tensor:
        return self._inplace(lambda t, _: t.asinh(), None)

    def acosh_(self) -> Tensor:
        return self._inplace(lambda t, _: t.acosh(), None)

    def atanh_(self) -> Tensor:
        return self._inplace(lambda t, _: t.atanh(), None)

    def log2_(self) -> Tensor:
        return self._inplace(lambda t, _: t.log2(), None)

    def log10_(self) -> Tensor:
        return self._inplace(lambda t, _: t.log10(), None)

    def exp2_(self) -> Tensor:
        return self._inplace(lambda t, _: t.exp2(), None)

    def rsqrt_(self) -> Tensor:
        return self._inplace(lambda t, _: t.rsqrt(), None)

    def deg2rad_(self) -> Tensor:
        return self._inplace(lambda t, _: t.deg2rad(), None)

    def rad2deg_(self) -> Tensor:
        return self._inplace(lambda t, _: t.rad2deg(), None)

    def logit_(self, eps: float | None = None) -> Tensor:
        return self._inplace(lambda t, _: t.logit(eps), None)

    def nan_to_num_(
        self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        return self._inplace(lambda t, _: t.nan_to_num(nan, posinf, neginf), None)

    def sign_(self) -> Tensor:
        return self._inplace(lambda t, _: t.sign(), None)

    def square_(self) -> Tensor:
        return self._inplace(lambda t, _: t.square(), None)

    def expm1_(self) -> Tensor:
        return self._inplace(lambda t, _: t.expm1(), None)

    def log1p_(self) -> Tensor:
        return self._inplace(lambda t, _: t.log1p(), None)

    def erf_(self) -> Tensor:
        return self._inplace(lambda t, _: t.erf(), None)

    def lgamma_(self) -> Tensor:
        return self._inplace(lambda t, _: t.lgamma(), None)

    def digamma_(self) -> Tensor:
        return self._inplace(lambda t, _: t.digamma(), None)

    def polygamma_(self, n: int) -> Tensor:
        return self._inplace(lambda t, _: t.polygamma(n), None)

    def mvlgamma_(self, p: int) -> Tensor:
        return self._inplace(lambda t, _: t.mvlgamma(p), None)

    def i0_(self) -> Tensor:
        return self._inplace(lambda t, _: t.i0(), None)

    def erfc_(self) -> Tensor:
        return self._inplace(lambda t, _: t.erfc(), None)

    def erfinv_(self) -> Tensor:
        return self._inplace(lambda t, _: t.erfinv(), None)

    def sinc_(self) -> Tensor:
        return self._inplace(lambda t, _: t.sinc(), None)

    def logical_not_(self) -> Tensor:
        """self = logical_not(self): 1 where self was 0, 0 elsewhere (in self's dtype)."""
        return self._inplace(lambda t, _: t.logical_not(), None)

    # (PyTorch's other names for some of them)
    fix_ = trunc_
    arcsin_, arccos_, arctan_, arcsinh_, arccosh_, arctanh_ = asin_, acos_, atan_, asinh_, acosh_, atanh_
    negative_, absolute_, sgn_ = neg_, abs_, sign_

    # ... and of two operands. The logical ones write 1 and 0 in self's dtype.
    def floor_divide_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.floor_divide, other)

    def remainder_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.remainder, other)

    def logical_and_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.logical_and, other)

    def logical_or_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.logical_or, other)

    def logical_xor_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.logical_xor, other)

    def heaviside_(self, values: Any) -> Tensor:
        return self._inplace(Tensor.heaviside, values)

    def float_power_(self, exponent: Any) -> Tensor:
        """`float_power` into self, which must be float64 (the dtype of the result), as in PyTorch."""
        if self.dtype != np.float64:
            raise RuntimeError(
                f"the base given to float_power_ has dtype {self.dtype} but the operation's result "
                "requires dtype float64"
            )
        return self._inplace(Tensor.float_power, exponent)

    def ldexp_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.ldexp, other)

    def gcd_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.gcd, other)

    def lcm_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.lcm, other)

    def bitwise_and_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_and, other)

    def bitwise_or_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_or, other)

    def bitwise_xor_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_xor, other)

    def bitwise_left_shift_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_left_shift, other)

    def bitwise_right_shift_(self, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_right_shift, other)

    def bitwise_not_(self) -> Tensor:
        return self._inplace(lambda t, _: t.bitwise_not(), None)

    __ifloordiv__, __imod__ = floor_divide_, remainder_
    __iand__, __ior__, __ixor__ = bitwise_and_, bitwise_or_, bitwise_xor_
    __ilshift__, __irshift__ = bitwise_left_shift_, bitwise_right_shift_

    # running sums and products along a dim, in place: the dtype stays self's
    def cumsum_(self, dim: int, *, dtype: Any = None) -> Tensor:
        return self._inplace(lambda t, _: t.cumsum(_cumulative_dim(t, dim, dtype, "cumsum")), None)

    def cumprod_(self, dim: int, *, dtype: Any = None) -> Tensor:
        return self._inplace(lambda t, _: t.cumprod(_cumulative_dim(t, dim, dtype, "cumprod")), None)

    # writing into chosen places (ops/index_writes.py)
    def index_fill_(self, dim: int, index: Tensor, value: Any) -> Tensor:
        return self._inplace(lambda t, v: index_writes.index_fill(t, dim, index, v), value)

    def index_copy_(self, dim: int, index: Tensor, source: Tensor) -> Tensor:
        return self._inplace(lambda t, v: index_writes.index_copy(t, dim, index, v), source)

    def index_put_(self, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False) -> Tensor:
        return self._inplace(lambda t, v: index_writes.index_put(t, indices, v, accumulate), values)

    def masked_scatter_(self, mask: Tensor, source: Tensor) -> Tensor:
        return self._inplace(lambda t, v: index_writes.masked_scatter(t, mask, v), source)

    def put_(self, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
        return self._inplace(lambda t, v: index_writes.put(t, index, v, accumulate), source)

    def scatter_(
        self, dim: int, index: Tensor, src: Tensor | float | None = None, *, value: float | None = None
    ) -> Tensor:
        return self._inplace(lambda t, v: selection.scatter(t, dim, index, v, value), src)

    def scatter_add_(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        return self._inplace(lambda t, v: selection.scatter_add(t, dim, index, v), src)

    def index_add_(self, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1) -> Tensor:
        """`index_add` written into self."""
        return self._inplace(lambda t, v: selection.index_add(t, dim, index, v, alpha), source)

    def scatter_reduce_(
        self, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """`scatter_reduce` written into self."""
        reduce_into = partial(scatter_reduce.scatter_reduce, dim=dim, index=index, reduce=reduce)
        return self._inplace(lambda t, v: reduce_into(t, src=v, include_self=include_self), src)

    def index_reduce_(
        self, dim: int, index: Tensor, source: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """`index_reduce` written into self."""
        reduce_into = partial(scatter_reduce.index_reduce, dim=dim, index=index, reduce=reduce)
        return self._inplace(lambda t, v: reduce_into(t, source=v, include_self=include_self), source)

    # in-place changes of shape (ops/inplace_shape.py): the same memory read another way
    def t_(self) -> Tensor:
        return inplace_shape.t_(self)

    def transpose_(self, dim0: int, dim1: int) -> Tensor:
        return inplace_shape.transpose_(self, dim0, dim1)

    def swapdims_(self, dim0: int, dim1: int) -> Tensor:
        return inplace_shape.transpose_(self, dim0, dim1)

    def swapaxes_(self, axis0: int, axis1: int) -> Tensor:
        return inplace_shape.transpose_(self, axis0, axis1)

    def squeeze_(self, dim: int | tuple | None = None) -> Tensor:
        return inplace_shape.squeeze_(self, dim)

    def unsqueeze_(self, dim: int) -> Tensor:
        return inplace_shape.unsqueeze_(self, dim)

    def tril_(self, diagonal: int = 0) -> Tensor:
        """self.tril(diagonal), in place: the elements above the diagonal set to 0."""
        return self._inplace(lambda t, _: selection.tril(t, diagonal), None)

    def triu_(self, diagonal: int = 0) -> Tensor:
        """self.triu(diagonal), in place: the elements below the diagonal set to 0."""
        return self._inplace(lambda t, _: selection.triu(t, diagonal), None)

    def uniform_(
        self, a: float = 0.0, b: float = 1.0, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with samples of U(a, b) from `generator` or the global one (as `nn.init.uniform_`).

        An in-place op like `copy_`: refused on a leaf that requires grad (use
        `nn.init.uniform_`, or no_grad), and no gradient flows to the old values.
        """
        from .nn import init
        from .sampling import fill_with_draws  # (draws nothing if the write is refused)

        return fill_with_draws(self, generator, lambda gen: init.uniform_samples(self, a, b, gen))

    def normal_(
        self, mean: float = 0.0, std: float = 1.0, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with samples of N(mean, std^2) from `generator` or the global one (as `uniform_`)."""
        from .nn import init
        from .sampling import fill_with_draws

        return fill_with_draws(self, generator, lambda gen: init.normal_samples(self, mean, std, gen))

    def __setitem__(self, index: Any, value: Any) -> None:
        index = movement.check_index(index)
        split = movement.integers_first(index)
        if split is not None:
            self[split[0]][split[1]] = value  # the integers give a view, which writes into self
            return
        if not isinstance(value, Tensor):
            value = broadcast.as_operand(value, self, fill=True)
        try:
            self._inplace(lambda t, v: movement.IndexPut.apply(t, v, index), value)
        except ValueError:  # NumPy's broadcast error: PyTorch's type, with both shapes
            target = np.shape(self.data[index])
            if broadcast.broadcasts_to(value.shape, target):
                raise
            raise RuntimeError(
                f"setitem: a value of shape {value.shape} cannot be broadcast to the shape {target} "
                f"of the part it is assigned to (in a tensor of shape {self.shape})"
            ) from None

    # ------------------------------------------------------------ operators

    def __add__(self, other: Any) -> Tensor:
        return binary(Add, self, other)

    # 2 + x and 2 * x record the same op as x + 2 and x * 2 (the tensor first), as PyTorch
    # does, so their graphs (next_functions, the drawings) read alike.
    def __radd__(self, other: Any) -> Tensor:
        return binary(Add, self, other)

    def __sub__(self, other: Any) -> Tensor:
        return elementwise.subtract(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return elementwise.subtract(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return binary(Mul, self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return binary(Mul, self, other)

    def __truediv__(self, other: Any) -> Tensor:
        if isinstance(other, Tensor) and other.data.dtype.kind == "f":
            return binary(Div, self, other)  # (an integer self takes other's float dtype, by promotion)
        return binary(Div, _floating(self), other)

    def __rtruediv__(self, other: Any) -> Tensor:
        if isinstance(other, (int, float)):  # number / x is reciprocal(x) * number, as in PyTorch
            return _floating(self).reciprocal() * other
        return binary(Div, other, _floating(self))

    def __floordiv__(self, other: Any) -> Tensor:
        return self.floor_divide(other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return broadcast.as_operand(other, self).floor_divide(self)

    def floor_divide(self, other: Any) -> Tensor:
        """floor(self / other) per element; integers stay integers.

        It carries no gradient (PyTorch records it, then refuses to differentiate it).
        """
        return elementwise.divide_rounded(self, other, "floor", op="floor_divide")

    def __mod__(self, other: Any) -> Tensor:
        return binary(elementwise.Remainder, self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return binary(elementwise.Remainder, other, self)

    def remainder(self, other: Any) -> Tensor:
        """self mod other with the sign of other, as Python's % (and PyTorch's remainder)."""
        return binary(elementwise.Remainder, self, other)

    def __pow__(self, exponent: Any) -> Tensor:
        return self.pow(exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return binary(elementwise.Pow, base, self)

    def __matmul__(self, other: Any) -> Tensor:
        return linalg.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return linalg.matmul(other, self)

    def __neg__(self) -> Tensor:
        try:
            return unary.Neg._apply1(self)
        except TypeError:
            if self.data.dtype == np.bool_:  # (NumPy's TypeError; PyTorch's is a RuntimeError)
                raise RuntimeError(
                    "neg: negation (-) is not supported for bool tensors: to invert a mask use ~mask"
                ) from None
            raise

    def __pos__(self) -> Tensor:
        return self

    def positive(self) -> Tensor:
        """self itself (+self); refused for bool tensors, as in PyTorch."""
        if self.data.dtype == np.bool_:
            raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
        return self

    # comparisons and logic: results are bool tensors that carry no gradient

    def _no_grad_op(self, other: Any, fn: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Tensor:
        """fn(self, other) by NumPy, with no gradient (comparisons, logic, floor division)."""
        other = other.data if isinstance(other, Tensor) else other
        try:
            return Tensor._wrap(np.asarray(fn(self.data, other)))
        except ValueError:
            shape = np.shape(other)
            raise RuntimeError(
                f"{fn.__name__}: shapes {self.shape} and {shape} are not broadcastable"
            ) from None

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        if other is None:  # (`x == None` is False, as in PyTorch, so `if x == None:` works)
            return False  # type: ignore[return-value]
        return self._no_grad_op(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        if other is None:
            return True  # type: ignore[return-value]
        return self._no_grad_op(other, np.not_equal)

    def __lt__(self, other: Any) -> Tensor:
        return self._no_grad_op(other, np.less)

    def __le__(self, other: Any) -> Tensor:
        return self._no_grad_op(other, np.less_equal)

    def __gt__(self, other: Any) -> Tensor:
        return self._no_grad_op(other, np.greater)

    def __ge__(self, other: Any) -> Tensor:
        return self._no_grad_op(other, np.greater_equal)

    # PyTorch's method forms of the operators
    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    greater, greater_equal, less, less_equal, not_equal = __gt__, __ge__, __lt__, __le__, __ne__

    def add(self, other: Any, *, alpha: float = 1) -> Tensor:
        """self + alpha * other (tg.add(input, other, alpha=...) too, where input may be a number)."""
        return self + _times(self, other, alpha)

    def sub(self, other: Any, *, alpha: float = 1) -> Tensor:
        """self - alpha * other."""
        return self - _times(self, other, alpha)

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """self / other; rounding_mode "trunc" or "floor" rounds the quotient toward 0 or down.

        A rounded quotient is piecewise constant and carries no gradient, as floor_divide.
        """
        if rounding_mode is None:
            return self / other
        return elementwise.divide_rounded(self, other, rounding_mode)

    mul, neg = __mul__, __neg__
    # PyTorch's longer names for the same ops
    subtract, multiply, divide, true_divide = sub, mul, div, __truediv__
    negative = neg

    # bits of integer and bool tensors (ops/bitwise.py): on bools, & | ^ ~ are logical; no gradient

    def bitwise_and(self, other: Any) -> Tensor:
        return bitwise.bitwise(np.bitwise_and, self, other, "bitwise_and")

    def bitwise_or(self, other: Any) -> Tensor:
        return bitwise.bitwise(np.bitwise_or, self, other, "bitwise_or")

    def bitwise_xor(self, other: Any) -> Tensor:
        return bitwise.bitwise(np.bitwise_xor, self, other, "bitwise_xor")

    def bitwise_left_shift(self, other: Any) -> Tensor:
        """self * 2**other for integers, in their bits: 0 where other is negative or too large."""
        return bitwise.bitwise(np.left_shift, self, other, "bitwise_left_shift")

    def bitwise_right_shift(self, other: Any) -> Tensor:
        """floor(self / 2**other) for integers, in their bits (-1 or 0 where other is out of range)."""
        return bitwise.bitwise(np.right_shift, self, other, "bitwise_right_shift")

    def bitwise_not(self) -> Tensor:
        return bitwise.bitwise_not(self)

    __and__, __or__, __xor__ = bitwise_and, bitwise_or, bitwise_xor
    __lshift__, __rshift__ = bitwise_left_shift, bitwise_right_shift

    def __rand__(self, other: Any) -> Tensor:
        return bitwise.bitwise(np.bitwise_and, other, self, "bitwise_and")

    def __ror__(self, other: Any) -> Tensor:
        return bitwise.bitwise(np.bitwise_or, other, self, "bitwise_or")

    def __rxor__(self, other: Any) -> Tensor:
        return bitwise.bitwise(np.bitwise_xor, other, self, "bitwise_xor")

    def __rlshift__(self, other: Any) -> Tensor:
        return bitwise.bitwise(np.left_shift, other, self, "bitwise_left_shift")

    def __rrshift__(self, other: Any) -> Tensor:
        return bitwise.bitwise(np.right_shift, other, self, "bitwise_right_shift")

    def __invert__(self) -> Tensor:
        return bitwise.bitwise_not(self, "~")

    def gcd(self, other: Tensor) -> Tensor:
        """The greatest common divisor of each pair of integers (>= 0)."""
        return bitwise.gcd(self, other)

    def lcm(self, other: Tensor) -> Tensor:
        """The least common multiple of each pair of integers (>= 0)."""
        return bitwise.lcm(self, other)

    def logical_not(self) -> Tensor:
        """True where the element is 0 (or False), as a bool tensor (no gradient)."""
        return Tensor._wrap(np.logical_not(self.data))

    def logical_and(self, other: Any) -> Tensor:
        """True where both elements are non-zero, as a bool tensor (no gradient)."""
        return self._no_grad_op(other, np.logical_and)

    def logical_or(self, other: Any) -> Tensor:
        """True where either element is non-zero, as a bool tensor (no gradient)."""
        return self._no_grad_op(other, np.logical_or)

    def logical_xor(self, other: Any) -> Tensor:
        """True where exactly one of the two elements is non-zero, as a bool tensor (no gradient)."""
        return self._no_grad_op(other, np.logical_xor)

    def sign(self) -> Tensor:
        """-1, 0 or 1 per element (gradient 0); nan gives 0 and a bool tensor stays itself, as in PyTorch."""
        if self.data.dtype == np.bool_:
            return Tensor._wrap(self.data.copy())
        return unary.Sign._apply1(self)

    sgn = sign  # (PyTorch's name that extends to complex numbers)

    # ------------------------------------------------------------ elementwise

    def exp(self) -> Tensor:
        return unary.Exp._apply1(_floating(self))

    def log(self) -> Tensor:
        return unary.Log._apply1(_floating(self))

    def log1p(self) -> Tensor:
        return unary.Log1p._apply1(_floating(self))

    def expm1(self) -> Tensor:
        return unary.Expm1._apply1(_floating(self))

    def sqrt(self) -> Tensor:
        return unary.Sqrt._apply1(_floating(self))

    def abs(self) -> Tensor:
        return unary.Abs._apply1(self)

    __abs__ = abs  # abs(x)

    def sin(self) -> Tensor:
        return unary.Sin._apply1(_floating(self))

    def cos(self) -> Tensor:
        return unary.Cos._apply1(_floating(self))

    def reciprocal(self) -> Tensor:
        return unary.Reciprocal._apply1(_floating(self))

    def tanh(self) -> Tensor:
        return activation.Tanh._apply1(_floating(self))

    def sigmoid(self) -> Tensor:
        return activation.Sigmoid._apply1(_floating(self))

    def relu(self) -> Tensor:
        return activation.Relu._apply1(self)

    def erf(self) -> Tensor:
        return unary.Erf._apply1(_floating(self))

    def lgamma(self) -> Tensor:
        """ln |Gamma(self)| (ops/gamma.py)."""
        return gamma.lgamma(self)

    def digamma(self) -> Tensor:
        """psi(self) = d/dx ln Gamma(x) at self."""
        return gamma.digamma(self)

    def polygamma(self, n: int) -> Tensor:
        """psi^(n)(self), the n-th derivative of digamma."""
        return gamma.polygamma(n, self)

    def mvlgamma(self, p: int) -> Tensor:
        """The multivariate log-gamma function of dimension p."""
        return gamma.mvlgamma(self, p)

    def i0(self) -> Tensor:
        """I0(self), the modified Bessel function of the first kind of order 0 (ops/bessel.py)."""
        return bessel.i0(self)

    def erfc(self) -> Tensor:
        """1 - erf(self), accurate where it is tiny (ops/error_functions.py)."""
        return error_functions.erfc(self)

    def erfinv(self) -> Tensor:
        """The inverse of erf: the x in [-inf, inf] with erf(x) = self (nan outside [-1, 1])."""
        return special_functions.erfinv(self)

    def sinc(self) -> Tensor:
        """sin(pi self) / (pi self), and 1 where self is 0 (the normalized sinc)."""
        return special_functions.sinc(self)

    def leaky_relu(self, negative_slope: float = 0.01) -> Tensor:
        return activation.leaky_relu(self, negative_slope)

    def gelu(self, approximate: str = "none") -> Tensor:
        return activation.gelu(self, approximate)

    def softplus(self, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
        return activation.Softplus._apply1(self, beta, threshold)

    def clamp(self, min: float | None = None, max: float | None = None) -> Tensor:
        return unary.clamp(self, min, max)

    clip = clamp

    def square(self) -> Tensor:
        """self * self (bools as int64, as in PyTorch)."""
        x = self.long() if self.data.dtype == np.bool_ else self
        return x * x

    absolute = abs

    def masked_fill(self, mask: Tensor, value: Any) -> Tensor:
        """`value` (a number or a 0-d tensor) where `mask` is True, self elsewhere (the two broadcast)."""
        if isinstance(value, Tensor) and value.data.ndim:
            raise RuntimeError(
                f"masked_fill: the value must be a number or a 0-d tensor, got one of shape {value.shape}"
            )
        mask_shape = np.shape(mask)
        if mask_shape != self.data.shape:
            try:
                np.broadcast_shapes(mask_shape, self.data.shape)
            except ValueError:
                raise RuntimeError(
                    f"masked_fill: the mask's shape {mask_shape} and the tensor's shape {self.shape} "
                    "are not broadcastable"
                ) from None
        return elementwise.where(mask, value, self)

    # rounding and tests: piecewise constant, so no gradient (PyTorch's is zero)

    def round(self, decimals: int = 0) -> Tensor:
        """Nearest value with `decimals` digits; halves go to even, as in PyTorch (gradient 0)."""
        return unary.rounded(unary.Round, self, decimals)

    def floor(self) -> Tensor:
        return unary.rounded(unary.Floor, self)

    def ceil(self) -> Tensor:
        return unary.rounded(unary.Ceil, self)

    def trunc(self) -> Tensor:
        """Rounded toward 0; integers stay as they are (gradient 0)."""
        return unary.rounded(unary.Trunc, self)

    fix = trunc

    def heaviside(self, values: Any) -> Tensor:
        """The step function: 0 where self < 0, `values` (self's dtype) where self == 0, 1 where self > 0."""
        return more_math.heaviside(self, values)

    def isnan(self) -> Tensor:
        return Tensor._wrap(np.isnan(self.data))

    def isinf(self) -> Tensor:
        return Tensor._wrap(np.isinf(self.data))

    def isposinf(self) -> Tensor:
        return Tensor._wrap(np.isposinf(self.data))

    def isneginf(self) -> Tensor:
        return Tensor._wrap(np.isneginf(self.data))

    def isfinite(self) -> Tensor:
        """True where the element is neither inf, -inf nor nan."""
        return Tensor._wrap(np.isfinite(self.data))

    def signbit(self) -> Tensor:
        """True where the sign bit is set: below 0, and -0.0."""
        return Tensor._wrap(np.signbit(self.data))

    def maximum(self, other: Any) -> Tensor:
        return binary(elementwise.Maximum, self, other)

    def minimum(self, other: Any) -> Tensor:
        return binary(elementwise.Minimum, self, other)

    def fmax(self, other: Tensor) -> Tensor:
        """The elementwise maximum, taking the number where the other value is nan (ops/comparing.py)."""
        return comparing.fmax(self, other)

    def fmin(self, other: Tensor) -> Tensor:
        """The elementwise minimum, taking the number where the other value is nan."""
        return comparing.fmin(self, other)

    def isin(self, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
        """Whether each element is among test_elements (a bool tensor of self's shape)."""
        return comparing.isin(self, test_elements, assume_unique=assume_unique, invert=invert)

    def pow(self, exponent: Any) -> Tensor:
        if isinstance(exponent, (int, float)) and not isinstance(exponent, bool):
            if self.data.dtype.kind == "f" or isinstance(exponent, float):
                return elementwise.Pow._apply1(_floating(self), float(exponent))
            if exponent < 0:
                raise RuntimeError(
                    f"pow: integers to negative integer powers are not allowed, got {exponent}"
                )
            return elementwise.Pow._apply1(self, exponent)
        return binary(elementwise.Pow, self, exponent)

    # ------------------------------------------------------------ more math
    # (ops/trigonometry.py and ops/more_math.py; the NumPy-style names after each group are
    # PyTorch's aliases)

    def tan(self) -> Tensor:
        return trigonometry.Tan._apply1(_floating(self))

    def asin(self) -> Tensor:
        return trigonometry.Asin._apply1(_floating(self))

    def acos(self) -> Tensor:
        return trigonometry.Acos._apply1(_floating(self))

    def atan(self) -> Tensor:
        return trigonometry.Atan._apply1(_floating(self))

    def sinh(self) -> Tensor:
        return trigonometry.Sinh._apply1(_floating(self))

    def cosh(self) -> Tensor:
        return trigonometry.Cosh._apply1(_floating(self))

    def asinh(self) -> Tensor:
        return trigonometry.Asinh._apply1(_floating(self))

    def acosh(self) -> Tensor:
        return trigonometry.Acosh._apply1(_floating(self))

    def atanh(self) -> Tensor:
        return trigonometry.Atanh._apply1(_floating(self))

    arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh

    def atan2(self, other: Any) -> Tensor:
        """The angle of the point (other, self), in [-pi, pi]: atan(self / other) in the right quadrant."""
        return more_math.on_floats(trigonometry.Atan2, self, other)

    arctan2 = atan2

    def hypot(self, other: Any) -> Tensor:
        """sqrt(self^2 + other^2), with no overflow for large values."""
        return more_math.on_floats(trigonometry.Hypot, self, other, integers=False)

    def log2(self) -> Tensor:
        return more_math.Log2._apply1(_floating(self))

    def log10(self) -> Tensor:
        return more_math.Log10._apply1(_floating(self))

    def exp2(self) -> Tensor:
        return more_math.Exp2._apply1(_floating(self))

    def rsqrt(self) -> Tensor:
        """1 / sqrt(self)."""
        return more_math.Rsqrt._apply1(_floating(self))

    def logaddexp(self, other: Any) -> Tensor:
        """log(exp(self) + exp(other)), with no overflow for large values."""
        return more_math.on_floats(more_math.LogAddExp, self, other, integers=False)

    def logaddexp2(self, other: Tensor) -> Tensor:
        """log2(2**self + 2**other), with no overflow for large values."""
        return powers.logaddexp2(self, other)

    def float_power(self, exponent: Any) -> Tensor:
        """self ** exponent computed in float64 (the result is float64 whatever the dtypes)."""
        return powers.float_power(self, exponent)

    def ldexp(self, other: Tensor) -> Tensor:
        """self * 2**other (a float tensor: the default float dtype for integers)."""
        return powers.ldexp(self, other)

    def xlogy(self, other: Any) -> Tensor:
        """self * log(other), and 0 where self == 0 (unless other is nan)."""
        return more_math.on_floats(more_math.Xlogy, self, other)

    def logit(self, eps: float | None = None) -> Tensor:
        """log(self / (1 - self)), the inverse of sigmoid; with eps, self clamped to [eps, 1 - eps] first."""
        return more_math.logit(self, eps)

    def lerp(self, end: Any, weight: Any) -> Tensor:
        """self + weight * (end - self): self at weight 0, end at weight 1 (weight a number or a tensor)."""
        return more_math.lerp(self, end, weight)

    def addcmul(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        """self + value * tensor1 * tensor2."""
        return more_math.addcmul(self, tensor1, tensor2, value)

    def addcdiv(self, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        """self + value * tensor1 / tensor2."""
        return more_math.addcdiv(self, tensor1, tensor2, value)

    def fmod(self, other: Any) -> Tensor:
        """self mod other with the sign of self, as C's fmod (remainder has the sign of other)."""
        return binary(more_math.Fmod, self, other)

    def frac(self) -> Tensor:
        """self - trunc(self): the fractional part, with self's sign."""
        return more_math.frac(self)

    def deg2rad(self) -> Tensor:
        return _floating(self) * (np.pi / 180.0)

    def rad2deg(self) -> Tensor:
        return _floating(self) * (180.0 / np.pi)

    def copysign(self, other: Any) -> Tensor:
        """|self| with the sign of other (-0.0 counts as negative)."""
        return more_math.on_floats(more_math.Copysign, self, other)

    def nan_to_num(
        self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        """nan, inf and -inf replaced (the infinities by default with the dtype's largest finite values)."""
        return more_math.nan_to_num(self, nan, posinf, neginf)

    # ------------------------------------------------------------ reductions
    # `axis=` and `keepdims=` are NumPy's names for `dim` and `keepdim`, which PyTorch's
    # reductions accept too (give one of each pair)

    def sum(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.sum(self, _dim(dim, axis, "sum"), _keep(keepdim, keepdims, "sum"), dtype)

    def mean(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.mean(self, _dim(dim, axis, "mean"), _keep(keepdim, keepdims, "mean"), dtype)

    def max(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Any:
        """As PyTorch: max() or max(dims) the values, max(int dim) (values, indices), max(x) elementwise."""
        dim, keepdim = _dim(dim, axis, "max"), _keep(keepdim, keepdims, "max")
        if isinstance(dim, Tensor):
            if keepdim:
                raise TypeError("max(other) is elementwise: keepdim belongs to max(dim), a reduction")
            return self.maximum(dim)
        if isinstance(dim, (int, np.integer)):
            return sorting.max_along(self, dim, keepdim, largest=True)
        return reduce.amax(self, dim, keepdim)

    def min(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Any:
        """As PyTorch: min() or min(dims) the values, min(int dim) (values, indices), min(x) elementwise."""
        dim, keepdim = _dim(dim, axis, "min"), _keep(keepdim, keepdims, "min")
        if isinstance(dim, Tensor):
            if keepdim:
                raise TypeError("min(other) is elementwise: keepdim belongs to min(dim), a reduction")
            return self.minimum(dim)
        if isinstance(dim, (int, np.integer)):
            return sorting.max_along(self, dim, keepdim, largest=False)
        return reduce.amin(self, dim, keepdim)

    def amax(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.amax(self, _dim(dim, axis, "amax"), _keep(keepdim, keepdims, "amax"))

    def amin(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.amin(self, _dim(dim, axis, "amin"), _keep(keepdim, keepdims, "amin"))

    def var(
        self,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: int | None = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.var(
            self, _dim(dim, axis, "var"), unbiased, _keep(keepdim, keepdims, "var"), correction=correction
        )

    def std(
        self,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: int | None = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.std(
            self, _dim(dim, axis, "std"), unbiased, _keep(keepdim, keepdims, "std"), correction=correction
        )

    def prod(
        self,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return reduce.prod(self, _dim(dim, axis, "prod"), _keep(keepdim, keepdims, "prod"), dtype)

    def cumsum(self, dim: int | None = None, *, dtype: Any = None, axis: Any = None) -> Tensor:
        return reduce.cumsum(self, _dim(dim, axis, "cumsum", required=True), dtype)

    # running products, maxima and log-sum-exps, and differences (ops/cumulative.py)

    def cumprod(self, dim: int | None = None, *, dtype: Any = None, axis: Any = None) -> Tensor:
        return cumulative.cumprod(self, _dim(dim, axis, "cumprod", required=True), dtype)

    def cummax(self, dim: int | None = None, *, axis: Any = None) -> Any:
        """(values, indices) of the running max along dim; the gradient goes to the element taken."""
        return cumulative.cummax(self, _dim(dim, axis, "cummax", required=True), largest=True)

    def cummin(self, dim: int | None = None, *, axis: Any = None) -> Any:
        """(values, indices) of the running min along dim; the gradient goes to the element taken."""
        return cumulative.cummax(self, _dim(dim, axis, "cummin", required=True), largest=False)

    def logcumsumexp(self, dim: int | None = None, *, axis: Any = None) -> Tensor:
        """log(cumsum(exp(self))) along dim, without overflow."""
        return cumulative.logcumsumexp(self, _dim(dim, axis, "logcumsumexp", required=True))

    def diff(
        self, n: int = 1, dim: int = -1, prepend: Tensor | None = None, append: Tensor | None = None
    ) -> Tensor:
        """The n-th difference along dim (self[1:] - self[:-1], n times), prepend and append joined first."""
        return cumulative.diff(self, n, dim, prepend, append)

    # summaries (ops/statistics.py)

    def nansum(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """The sum of the elements that are not nan."""
        return statistics.nansum(self, _dim(dim, axis, "nansum"), _keep(keepdim, keepdims, "nansum"), dtype)

    def nanmean(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        dtype: Any = None,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """The mean of the elements that are not nan."""
        return statistics.nanmean(
            self, _dim(dim, axis, "nanmean"), _keep(keepdim, keepdims, "nanmean"), dtype
        )

    def count_nonzero(self, dim: int | tuple | None = None, *, axis: Any = None) -> Tensor:
        """The number of nonzero elements (along dims), as int64; no gradient."""
        return statistics.count_nonzero(self, _dim(dim, axis, "count_nonzero"))

    def aminmax(self, *, dim: int | None = None, keepdim: bool = False, axis: Any = None) -> Any:
        """(min, max) over all elements, or along one dim, as amin and amax give them."""
        return statistics.aminmax(self, _dim(dim, axis, "aminmax"), keepdim)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        """(values, indices) of the k-th smallest element along dim, counting k from 1."""
        return statistics.kthvalue(self, k, dim, keepdim)

    def bincount(self, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
        """How often each of 0, 1, ..., max(self) occurs in this 1-d integer tensor (or its weights' sums)."""
        return statistics.bincount(self, weights, minlength)

    def histc(self, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
        """The counts of a histogram of `bins` equal bins from min to max (the data's range if equal)."""
        return statistics.histc(self, bins, min, max)

    def cov(
        self, *, correction: int = 1, fweights: Tensor | None = None, aweights: Tensor | None = None
    ) -> Tensor:
        """The covariance matrix of the variables (rows) of self (V, N) -> (V, V) (ops/covariance.py)."""
        return covariance.cov(self, correction=correction, fweights=fweights, aweights=aweights)

    def corrcoef(self) -> Tensor:
        """The Pearson correlation matrix of the variables (rows) of self (V, N) -> (V, V)."""
        return covariance.corrcoef(self)

    # ------------------------------------------------------------ sampling (sampling.py)

    def multinomial(
        self, num_samples: int, replacement: bool = False, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Category indices (int64) drawn with probabilities proportional to this (k,) or (B, k) tensor."""
        from . import sampling  # (sampling.py imports this module)

        return sampling.multinomial(self, num_samples, replacement, generator=generator)

    def bernoulli(self, p: float | None = None, *, generator: np.random.Generator | None = None) -> Tensor:
        """1 with probability self_i (or p), else 0, in self's shape and dtype."""
        from . import sampling  # (sampling.py imports this module)

        return sampling.bernoulli(self, p, generator=generator)

    def bernoulli_(self, p: Any = 0.5, *, generator: np.random.Generator | None = None) -> Tensor:
        """Fill in place with 1 with probability p (a number, or a tensor broadcast to self), else 0."""
        from . import sampling  # (sampling.py imports this module)

        return sampling.bernoulli_(self, p, generator=generator)

    def exponential_(self, lambd: float = 1.0, *, generator: np.random.Generator | None = None) -> Tensor:
        """Fill with samples of Exp(lambd), density lambd e^(-lambd x)."""
        from . import sampling  # (sampling.py imports this module)

        return sampling.exponential_(self, lambd, generator=generator)

    def geometric_(self, p: float, *, generator: np.random.Generator | None = None) -> Tensor:
        """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
        from . import sampling  # (sampling.py imports this module)

        return sampling.geometric_(self, p, generator=generator)

    def log_normal_(
        self, mean: float = 1.0, std: float = 2.0, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with e^y for y ~ N(mean, std^2)."""
        from . import sampling  # (sampling.py imports this module)

        return sampling.log_normal_(self, mean, std, generator=generator)

    def cauchy_(
        self, median: float = 0.0, sigma: float = 1.0, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with samples of the Cauchy distribution around median with scale sigma."""
        from . import sampling  # (sampling.py imports this module)

        return sampling.cauchy_(self, median, sigma, generator=generator)

    def random_(
        self, from_: int = 0, to: int | None = None, *, generator: np.random.Generator | None = None
    ) -> Tensor:
        """Fill with integers drawn uniformly from [from_, to); random_(to) from 0."""
        from . import sampling  # (sampling.py imports this module)

        return sampling.random_(self, from_, to, generator=generator)

    # ------------------------------------------------------------ searching, order statistics

    def take_along_dim(self, indices: Tensor, dim: int | None = None) -> Tensor:
        """self's elements at `indices` along dim (the other dims broadcast); flattened without dim."""
        return searching.take_along_dim(self, indices, dim)

    def argwhere(self) -> Tensor:
        """The indices of the nonzero elements, one row each (as nonzero())."""
        return searching.argwhere(self)

    def msort(self) -> Tensor:
        """self sorted along its first dim."""
        return searching.msort(self)

    def quantile(
        self, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear"
    ) -> Tensor:
        """The q-th quantiles (q a number or a 1-d tensor in [0, 1]) of all elements or along dim."""
        return quantiles.quantile(self, q, dim, keepdim, interpolation=interpolation)

    def nanquantile(
        self, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear"
    ) -> Tensor:
        """quantile of the values that are not nan."""
        return quantiles.nanquantile(self, q, dim, keepdim, interpolation=interpolation)

    def nanmedian(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """The lower median of the non-nan values; with dim, (values, indices) along it."""
        return quantiles.nanmedian(self, dim, keepdim)

    def mode(self, dim: int = -1, keepdim: bool = False) -> Any:
        """(values, indices) of the most frequent value along dim (ties: the smallest value, last place)."""
        return quantiles.mode(self, dim, keepdim)

    # ------------------------------------------------------------ one-bound clamps, windows, where

    def clamp_min(self, min: Any) -> Tensor:
        """max(self, min) elementwise (min a number or a tensor)."""
        return clamping.clamp_min(self, min)

    def clamp_max(self, max: Any) -> Tensor:
        """min(self, max) elementwise (max a number or a tensor)."""
        return clamping.clamp_max(self, max)

    def clamp_min_(self, min: Any) -> Tensor:
        return self._inplace(clamping.clamp_min, min)

    def clamp_max_(self, max: Any) -> Tensor:
        return self._inplace(clamping.clamp_max, max)

    def unfold(self, dimension: int, size: int, step: int) -> Tensor:
        """The windows of `size` elements, `step` apart, along dimension, as a new last dim (a copy)."""
        return windows.unfold(self, dimension, size, step)

    def where(self, condition: Tensor, y: Any) -> Tensor:
        """self where condition is True, else y: tg.where(condition, self, y)."""
        return elementwise.where(condition, self, y)

    def nelement(self) -> int:
        """The number of elements (numel)."""
        return self.numel()

    def ndimension(self) -> int:
        """The number of dims (dim())."""
        return self.ndim

    def norm(
        self, p: float | str = "fro", dim: int | tuple | None = None, keepdim: bool = False, dtype: Any = None
    ) -> Tensor:
        return reduce.norm(self, p, dim, keepdim, dtype)

    def svd(self, some: bool = True, compute_uv: bool = True) -> Any:
        """torch.svd (deprecated; tg.linalg.svd is the current form): (U, S, V) with self = U diag(S) V^T."""
        from .linalg.svd import svd_old  # (tg.linalg is built on Tensor: imported when called)

        return svd_old(self, some, compute_uv)

    def matrix_exp(self) -> Tensor:
        """e^A = I + A + A^2/2! + ... for each square matrix A of self (tg.linalg.matrix_exp)."""
        from .linalg.matrix_exp import matrix_exp

        return matrix_exp(self)

    def logsumexp(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return softmax.logsumexp(self, _dim(dim, axis, "logsumexp"), _keep(keepdim, keepdims, "logsumexp"))

    def softmax(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        return softmax.softmax(self, _dim(dim, axis, "softmax", required=True))

    def log_softmax(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        return softmax.log_softmax(self, _dim(dim, axis, "log_softmax", required=True))

    def all(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """True where every element (along dims) is nonzero; a bool tensor, no gradient."""
        return _logical(np.all, self, _dim(dim, axis, "all"), _keep(keepdim, keepdims, "all"))

    def any(
        self,
        dim: int | tuple | None = None,
        keepdim: bool = False,
        *,
        axis: Any = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        """True where some element (along dims) is nonzero; a bool tensor, no gradient."""
        return _logical(np.any, self, _dim(dim, axis, "any"), _keep(keepdim, keepdims, "any"))

    def argmax(
        self,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        axis: int | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return _arg(np.argmax, self, _dim(dim, axis, "argmax"), _keep(keepdim, keepdims, "argmax"))

    def argmin(
        self,
        dim: int | None = None,
        keepdim: bool = False,
        *,
        axis: int | None = None,
        keepdims: bool | None = None,
    ) -> Tensor:
        return _arg(np.argmin, self, _dim(dim, axis, "argmin"), _keep(keepdim, keepdims, "argmin"))

    def median(self, dim: int | None = None, keepdim: bool = False) -> Any:
        """median() the lower median of all elements; median(dim) (values, indices) along dim.

        Of an even count the lower of the two middle values is taken (their
        mean would be a value x does not hold). For ties see sorting.median_along.
        """
        if dim is None:
            if keepdim:
                raise TypeError("median() missing the required argument 'dim' (keepdim needs one)")
            return reduce.median(self)
        return sorting.median_along(self, dim, keepdim)

    def unique(
        self,
        sorted: bool = True,
        return_inverse: bool = False,
        return_counts: bool = False,
        dim: int | None = None,
    ) -> Any:
        """The distinct values, ascending; and, if asked, the inverse indices and counts (no gradient)."""
        return unique.unique(self, sorted, return_inverse, return_counts, dim)

    def unique_consecutive(
        self, return_inverse: bool = False, return_counts: bool = False, dim: int | None = None
    ) -> Any:
        """The first element of each run of equal neighbours; and, if asked, inverse indices and counts."""
        return unique.unique_consecutive(self, return_inverse, return_counts, dim)

    # ------------------------------------------------------------ selection

    def gather(self, dim: int, index: Tensor) -> Tensor:
        return selection.gather(self, dim, index)

    def scatter(
        self, dim: int, index: Tensor, src: Tensor | float | None = None, *, value: float | None = None
    ) -> Tensor:
        """self with src's elements (or `value`) written at the places `index` names along dim."""
        return selection.scatter(self, dim, index, src, value)

    def scatter_add(self, dim: int, index: Tensor, src: Tensor) -> Tensor:
        """self with src's elements added at the places `index` names along dim (repeats add up)."""
        return selection.scatter_add(self, dim, index, src)

    def index_add(self, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1) -> Tensor:
        """self with alpha * source's i-th slice along dim added to slice index[i] (repeats add up)."""
        return selection.index_add(self, dim, index, source, alpha)

    def scatter_reduce(
        self, dim: int, index: Tensor, src: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """self with src's elements reduced ("sum", "prod", "mean", "amax", "amin") into the places
        `index` names along dim (ops/scatter_reduce.py)."""
        return scatter_reduce.scatter_reduce(self, dim, index, src, reduce, include_self=include_self)

    def index_reduce(
        self, dim: int, index: Tensor, source: Tensor, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """self with source's i-th slice along dim reduced ("prod", "mean", "amax", "amin") into
        slice index[i]."""
        return scatter_reduce.index_reduce(self, dim, index, source, reduce, include_self=include_self)

    # writing into chosen places (ops/index_writes.py); the in-place forms are with the others

    def index_fill(self, dim: int, index: Tensor, value: Any) -> Tensor:
        """self with `value` (a number or 0-d tensor) in the slices at positions `index` along dim."""
        return index_writes.index_fill(self, dim, index, value)

    def index_copy(self, dim: int, index: Tensor, source: Tensor) -> Tensor:
        """self with source's i-th slice along dim in place of slice index[i]."""
        return index_writes.index_copy(self, dim, index, source)

    def index_put(self, indices: Sequence[Tensor], values: Tensor, accumulate: bool = False) -> Tensor:
        """self with self[indices] = values (indices a tuple of tensors); accumulate=True adds instead."""
        return index_writes.index_put(self, indices, values, accumulate)

    def masked_scatter(self, mask: Tensor, source: Tensor) -> Tensor:
        """self with source's elements, in order, where `mask` is True."""
        return index_writes.masked_scatter(self, mask, source)

    def put(self, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
        """self with source's elements at positions `index` of self flattened (or added, accumulate=True)."""
        return index_writes.put(self, index, source, accumulate)

    def sort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
        """(values, indices) along dim."""
        return sorting.sort(self, dim, descending, stable)

    def argsort(self, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        return sorting.argsort(self, dim, descending, stable)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
        """(values, indices) of the k largest (or smallest) along dim."""
        return sorting.topk(self, k, dim, largest, sorted)

    # ------------------------------------------------------------ shape

    def reshape(self, *shape: Any) -> Tensor:
        return movement.reshape(self, shape)

    def view(self, *shape: Any) -> Tensor:
        """Same as reshape (NumPy decides whether memory is shared)."""
        return movement.reshape(self, shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return movement.flatten(self, start_dim, end_dim)

    def squeeze(self, dim: int | tuple | None = None) -> Tensor:
        return movement.squeeze(self, dim)

    def unsqueeze(self, dim: int) -> Tensor:
        return movement.unsqueeze(self, dim)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        return movement.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        return movement.permute(self, dims)

    def expand(self, *sizes: Any) -> Tensor:
        return movement.expand(self, sizes)

    def broadcast_to(self, shape: Sequence[int]) -> Tensor:
        return movement.expand(self, (tuple(shape),))

    def expand_as(self, other: Tensor) -> Tensor:
        return movement.expand(self, (other.shape,))

    def view_as(self, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def ravel(self) -> Tensor:
        """The elements as a vector, in row-major order (a view where NumPy can make one)."""
        return self.reshape(-1)

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

    def repeat(self, *sizes: Any) -> Tensor:
        return movement.repeat(self, sizes)

    def tile(self, *dims: Any) -> Tensor:
        return movement.tile(self, dims)

    def split(self, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        return joining.split(self, split_size_or_sections, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        return joining.chunk(self, chunks, dim)

    def hsplit(self, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        """Views cut along dim 1 (dim 0 of a vector) (ops/shape_helpers.py)."""
        return shape_helpers.hsplit(self, indices_or_sections)

    def vsplit(self, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        """Views cut along dim 0 of a tensor of at least 2 dims."""
        return shape_helpers.vsplit(self, indices_or_sections)

    def dsplit(self, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:
        """Views cut along dim 2 of a tensor of at least 3 dims."""
        return shape_helpers.dsplit(self, indices_or_sections)

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        return joining.unbind(self, dim)

    def unflatten(self, dim: int, sizes: Sequence[int]) -> Tensor:
        return movement.unflatten(self, dim, sizes)

    def select(self, dim: int, index: int) -> Tensor:
        return selection.select(self, dim, index)

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        return selection.narrow(self, dim, start, length)

    def index_select(self, dim: int, index: Tensor) -> Tensor:
        return selection.index_select(self, dim, index)

    def masked_select(self, mask: Tensor) -> Tensor:
        return selection.masked_select(self, mask)

    def tril(self, diagonal: int = 0) -> Tensor:
        return selection.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        return selection.triu(self, diagonal)

    def t(self) -> Tensor:
        """The transpose of a matrix (a tensor of at most 2 dims, as PyTorch's t())."""
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self.T

    def contiguous(self, memory_format: Any = None) -> Tensor:
        """The tensor itself if `is_contiguous()`, else a row-major copy of it (on the graph, as clone).

        `memory_format` is accepted for PyTorch's code and ignored (as in `is_contiguous`).
        """
        return self if self.data.flags.c_contiguous else self.clone()

    def flip(self, *dims: Any) -> Tensor:
        """The elements in reverse order along each of `dims`: a copy, as in PyTorch (not NumPy's view)."""
        given = dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        axes = reduce.normalize_dims(tuple(given), self.ndim)
        backwards = tuple(slice(None, None, -1) if d in axes else slice(None) for d in range(self.ndim))
        return self[backwards].clone()

    def fliplr(self) -> Tensor:
        """flip(1): the columns in reverse order (at least 2 dims)."""
        return shape_helpers.fliplr(self)

    def flipud(self) -> Tensor:
        """flip(0): the rows in reverse order (at least 1 dim)."""
        return shape_helpers.flipud(self)

    # rearranging (ops/rearranging.py)

    def repeat_interleave(
        self, repeats: int | Tensor, dim: int | None = None, *, output_size: int | None = None
    ) -> Tensor:
        """Each element (each slice along dim) repeated in place: [a, b] -> [a, a, b, b] for 2."""
        return rearranging.repeat_interleave(self, repeats, dim, output_size)

    def roll(self, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
        """The elements shifted along dims, those pushed off one end coming back at the other."""
        return rearranging.roll(self, shifts, dims)

    def rot90(self, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
        """Turned k quarter turns in the plane of dims, from the first dim toward the second."""
        return rearranging.rot90(self, k, dims)

    def movedim(self, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
        """Dims `source` moved to the places `destination`, the others keeping their order (a view)."""
        return rearranging.movedim(self, source, destination)

    moveaxis = movedim  # (NumPy's name)

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        """transpose, under NumPy's name."""
        return movement.transpose(self, axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        """transpose, under another of PyTorch's names."""
        return movement.transpose(self, dim0, dim1)

    def tensor_split(
        self, indices_or_sections: int | Sequence[int] | Tensor, dim: int = 0
    ) -> tuple[Tensor, ...]:
        """Views cut along dim: a number of nearly equal sections, or cut at the given indices."""
        return rearranging.tensor_split(self, indices_or_sections, dim)

    def take(self, index: Tensor) -> Tensor:
        """The elements at the given positions of the tensor flattened, in index's shape."""
        return rearranging.take(self, index)

    # new_*: a new tensor in self's dtype unless `dtype` is given (and on self's device, the CPU)

    def new_tensor(
        self, data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """A copy of `data` (a list, array or number)."""
        if isinstance(data, Tensor):
            _warn_copy_of_tensor("x.new_tensor(t)")
            data = data.data
        check_device(device)
        return Tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_zeros(
        self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        from .factories import _size, zeros

        size = _size(size, op="new_zeros")
        return zeros(size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def new_ones(
        self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        from .factories import _size, ones

        size = _size(size, op="new_ones")
        return ones(size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def new_empty(
        self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False
    ) -> Tensor:
        """Whatever the memory held: fill it before use."""
        from .factories import _size, empty

        size = _size(size, op="new_empty")
        return empty(size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def new_full(
        self,
        size: Sequence[int],
        fill_value: Any,
        *,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
    ) -> Tensor:
        """`fill_value` everywhere (cast to the dtype). `size` is a tuple or list."""
        from .factories import full

        if not isinstance(size, (tuple, list)):
            raise TypeError(f"new_full(): argument 'size' must be tuple of ints, not {type(size).__name__}")
        value = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
        return full(size, value, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def __getitem__(self, index: Any) -> Tensor:
        index = movement.check_index(index)
        split = movement.integers_first(index)
        if split is not None:
            return self[split[0]][split[1]]
        return movement.Index._apply1(self, index)

    def matmul(self, other: Any) -> Tensor:
        return linalg.matmul(self, other)

    def dot(self, tensor: Tensor) -> Tensor:
        """The dot product of two vectors of one length and dtype (a 0-d tensor)."""
        return linalg.dot(self, tensor)

    def outer(self, vec2: Tensor) -> Tensor:
        """The outer product of two vectors: y[i, j] = self[i] vec2[j]."""
        return linalg.outer(self, vec2)

    ger = outer  # (PyTorch's older name)

    def mm(self, mat2: Tensor) -> Tensor:
        """The product of two matrices (both 2-D, as PyTorch's mm: use matmul for vectors or batches)."""
        return linalg.mm(self, mat2)

    def isclose(
        self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> Tensor:
        """|self - other| <= atol + rtol |other|, elementwise, as a bool tensor (no gradient).

        The shapes must broadcast; nan is close to nan only with ``equal_nan=True``.
        """
        return Tensor._wrap(self._close(other, rtol, atol, equal_nan, "isclose"))

    def allclose(
        self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> bool:
        """`isclose` everywhere (as torch.allclose)."""
        return bool(self._close(other, rtol, atol, equal_nan, "allclose").all())

    def _close(self, other: Tensor, rtol: float, atol: float, equal_nan: bool, op: str) -> np.ndarray:
        try:
            return np.asarray(np.isclose(self.data, other.data, rtol, atol, equal_nan))
        except ValueError:
            raise RuntimeError(f"{op}: shapes {self.shape} and {other.shape} are not broadcastable") from None

    def nonzero(self, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
        """The indices of the non-zero elements, in row-major order (no gradient).

        An int64 tensor of shape (N, ndim), one row per element; with
        ``as_tuple=True``, one 1-D tensor per dim instead, which indexes them:
        ``t[t.nonzero(as_tuple=True)]`` are the N elements themselves.
        """
        if as_tuple:  # (a 0-d tensor counts as 1-d here, as in PyTorch)
            return tuple(Tensor._wrap(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(self.data)))
        return Tensor._wrap(np.argwhere(self.data).astype(np.int64))

    def bmm(self, mat2: Tensor) -> Tensor:
        """Batched matrix product of two 3-D tensors, (B, n, k) @ (B, k, m), with no broadcasting."""
        return linalg.bmm(self, mat2)

    def mv(self, vec: Tensor) -> Tensor:
        """The product of a matrix (n, m) and a vector (m,), a vector (n,)."""
        return matrix.mv(self, vec)

    # products that add (ops/fused_products.py), more products (ops/more_products.py)

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha mat1 @ mat2 (self broadcast to the product's shape)."""
        return fused_products.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def addmv(self, mat: Tensor, vec: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha mat @ vec."""
        return fused_products.addmv(self, mat, vec, beta=beta, alpha=alpha)

    def addr(self, vec1: Tensor, vec2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha outer(vec1, vec2)."""
        return fused_products.addr(self, vec1, vec2, beta=beta, alpha=alpha)

    def baddbmm(self, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha batch1 @ batch2, batch by batch."""
        return fused_products.baddbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def addbmm(self, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        """beta self + alpha sum_i batch1[i] @ batch2[i]."""
        return fused_products.addbmm(self, batch1, batch2, beta=beta, alpha=alpha)

    def inner(self, other: Tensor) -> Tensor:
        """The sums over the last dims of self and other: (*a, k), (*b, k) -> (*a, *b)."""
        return more_products.inner(self, other)

    def kron(self, other: Tensor) -> Tensor:
        """The Kronecker product (blocks self[i, j] * other)."""
        return more_products.kron(self, other)

    def vdot(self, other: Tensor) -> Tensor:
        """The dot product of two vectors (conjugating self: for real tensors, dot)."""
        return more_products.vdot(self, other)

    def cross(self, other: Tensor, dim: int | None = None) -> Tensor:
        """The cross product of the 3-vectors along dim (the first dim of size 3 if None, with a warning)."""
        return distances.cross(self, other, dim)

    def dist(self, other: Tensor, p: float = 2) -> Tensor:
        """||self - other||_p over all elements (shapes broadcast), a 0-d tensor."""
        return distances.dist(self, other, p)

    # PyTorch's older names for tg.linalg's functions (tg.linalg is built on Tensor: imported when called)

    def det(self) -> Tensor:
        """The determinant of each matrix of self (*, n, n) (tg.linalg.det)."""
        from .linalg.inverse import det

        return det(self)

    def logdet(self) -> Tensor:
        """log det of each matrix of self (*, n, n): nan where det < 0, -inf where det = 0."""
        from .linalg.inverse import slogdet

        sign, logabsdet = slogdet(self)
        return elementwise.where(sign.data < 0, math.nan, logabsdet)

    def slogdet(self) -> Any:
        """(sign, logabsdet) of each matrix of self (tg.linalg.slogdet)."""
        from .linalg.inverse import slogdet

        return slogdet(self)

    def inverse(self) -> Tensor:
        """The inverse of each matrix of self (*, n, n) (tg.linalg.inv)."""
        from .linalg.inverse import inv

        return inv(self)

    def matrix_power(self, n: int) -> Tensor:
        """self^n for each matrix of self (*, m, m) (tg.linalg.matrix_power)."""
        from .linalg.inverse import matrix_power

        return matrix_power(self, n)

    def pinverse(self, rcond: float = 1e-15) -> Tensor:
        """The pseudo-inverse of each matrix of self (*, m, n) -> (*, n, m) (tg.linalg.pinv, rtol=rcond)."""
        from .linalg.spectral import pinv

        return pinv(self, rtol=rcond)

    # diagonals (ops/matrix.py)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The diagonal of dims (dim1, dim2), shifted by offset, as the last dim (a view)."""
        return matrix.diagonal(self, offset, dim1, dim2)

    def diag(self, diagonal: int = 0) -> Tensor:
        """A vector laid on a diagonal of a square matrix, or a copy of a matrix's diagonal."""
        return matrix.diag(self, diagonal)

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        """Zeros with the last dim laid on a diagonal of two new dims (dim1, dim2)."""
        return matrix.diag_embed(self, offset, dim1, dim2)

    def diagflat(self, offset: int = 0) -> Tensor:
        """The flattened self on diagonal `offset` of a square zero matrix."""
        return more_products.diagflat(self, offset)

    def trace(self) -> Tensor:
        """The sum of a matrix's main diagonal."""
        return matrix.trace(self)

    # ------------------------------------------------------------ dtype conversions
    # Last in the class on purpose: from its `def` on, a method named `float`,
    # `int` or `bool` hides the builtin type of that name in the annotations of
    # the class body (for a type checker), so the annotations above still mean the builtins.

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def half(self) -> Tensor:
        return self.to(np.float16)

    def byte(self) -> Tensor:
        return self.to(np.uint8)

    def char(self) -> Tensor:
        return self.to(np.int8)

    def short(self) -> Tensor:
        return self.to(np.int16)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def bool(self) -> Tensor:
        return self.to(np.bool_)


class RemovableHandle:
    """Returned by the `register_*hook` methods: `.remove()` takes the hook away again.

    As a context manager, the hook is in place for the `with` block only.
    """

    def __init__(self, hooks: list, hook: Any) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        for i, hook in enumerate(self._hooks):
            if hook is self._hook:  # by identity: two registrations of one function are two hooks
                del self._hooks[i]
                return

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()


# The ufuncs behind Python's operators, with the Tensor's method for each side: np.add(a, t)
# (which array + tensor runs) is t.__radd__(a), np.less(a, t) is t > a.
_OPERATORS = {
    np.add: ("__add__", "__radd__"),
    np.subtract: ("__sub__", "__rsub__"),
    np.multiply: ("__mul__", "__rmul__"),
    np.true_divide: ("__truediv__", "__rtruediv__"),
    np.floor_divide: ("__floordiv__", "__rfloordiv__"),
    np.remainder: ("__mod__", "__rmod__"),
    np.power: ("__pow__", "__rpow__"),
    np.matmul: ("__matmul__", "__rmatmul__"),
    np.equal: ("__eq__", "__eq__"),
    np.not_equal: ("__ne__", "__ne__"),
    np.less: ("__lt__", "__gt__"),
    np.less_equal: ("__le__", "__ge__"),
    np.greater: ("__gt__", "__lt__"),
    np.greater_equal: ("__ge__", "__le__"),
    np.bitwise_and: ("__and__", "__rand__"),
    np.bitwise_or: ("__or__", "__ror__"),
    np.bitwise_xor: ("__xor__", "__rxor__"),
    np.left_shift: ("__lshift__", "__rlshift__"),
    np.right_shift: ("__rshift__", "__rrshift__"),
}


def parse_to(args: tuple, dtype: Any, device: Any) -> np.dtype | None:
    """The dtype that a call of ``.to(*args, dtype=, device=)`` asks for, in PyTorch's forms.

    An argument is a Tensor (take its dtype), a device ("cpu", "cuda:0": a
    string that names no dtype) or a dtype. The only device is the CPU, so
    naming another one is an error.
    """
    dtypes = [] if dtype is None else [dtype]
    for arg in args:
        if isinstance(arg, Tensor):
            dtypes.append(arg.dtype)
        elif isinstance(arg, devices.device) or (isinstance(arg, str) and _names_no_dtype(arg)):
            device = arg
        else:
            dtypes.append(arg)
    if len(dtypes) > 1:
        raise TypeError(f"to() received more than one dtype: {', '.join(str(np.dtype(d)) for d in dtypes)}")
    check_device(device)
    return np.dtype(dtypes[0]) if dtypes else None


def check_device(device: Any) -> None:
    """Accept the `device=` of PyTorch code when it names the CPU (or is None); refuse any other."""
    if device is not None and str(device).split(":")[0] != "cpu":
        raise RuntimeError(
            f"tinygrad_edu computes with NumPy on the CPU only; device {str(device)!r} is not available "
            "(use 'cpu', or leave the device out)"
        )


def _names_no_dtype(name: str) -> bool:
    try:
        np.dtype(name)
    except TypeError:
        return True
    return False


def _dim(dim: Any, axis: Any, op: str, required: bool = False) -> Any:
    """The dims a reduction was given, as `dim` or as `axis` (NumPy's name, which PyTorch accepts)."""
    if axis is None:
        if dim is None and required:
            raise TypeError(f"{op}() missing required argument 'dim' (or its other name, axis)")
        return dim
    if dim is not None:
        raise TypeError(f"{op}() got both dim and axis, two names for one argument: give one")
    return axis


def _keep(keepdim: bool, keepdims: bool | None, op: str) -> bool:
    """`keepdim`, or `keepdims` (NumPy's name, which PyTorch accepts too)."""
    if keepdims is None:
        return keepdim
    if keepdim:
        raise TypeError(f"{op}() got both keepdim and keepdims, two names for one argument: give one")
    return keepdims


def _times(input: Any, other: Any, alpha: float) -> Any:
    """`other` scaled by the `alpha=` of add/sub (left alone for the usual 1).

    As in PyTorch, a float alpha is refused when both operands are integers
    (the result would be an integer tensor, and alpha * other would not).
    """
    if isinstance(alpha, float) and all(_is_integral(x) for x in (input, other)):
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
    return other if alpha == 1 else other * alpha


def _is_integral(x: Any) -> bool:
    """An integer or bool tensor, array or number."""
    kind = x.data.dtype.kind if isinstance(x, Tensor) else np.asarray(x).dtype.kind
    return kind in "biu"


# Warnings given once per run, as PyTorch's (keyed by name; a test may clear it)
_warned_once: dict[str, bool] = {}


def _warn_copy_of_tensor(call: str) -> None:
    """The warning of a Tensor built from a Tensor: a copy that leaves the source's graph behind."""
    warn(
        f"{call}, with t a Tensor, copies t's values into a new tensor cut from t's graph, which is "
        "rarely what code that passes a tensor means. Say what you mean: t.detach().clone() for a "
        "copy, and .requires_grad_(True) after it for a new leaf that needs a gradient."
    )


def _any_requires_grad(other: Any) -> bool:
    """Does the operand of an in-place op (a tuple of them, for lerp_ and the like) need a gradient?"""
    if type(other) is tuple:
        return any(isinstance(t, Tensor) and t.requires_grad for t in other)
    return isinstance(other, Tensor) and other.requires_grad


def _floating(t: Tensor) -> Tensor:
    """`t` if it holds floats, else `t` as the default float dtype.

    Ops such as exp, sigmoid, division and logsumexp give floats for integer
    input, as in PyTorch (NumPy would give float64, and sigmoid's formula
    would give integers).
    """
    return t if t.data.dtype.kind == "f" else t.to(get_default_dtype())


def _cumulative_dim(x: Tensor, dim: int, dtype: Any, op: str) -> int:
    """The dim of cumsum_ or cumprod_, after PyTorch's checks: the result must keep x's dtype."""
    if dtype is not None and np.dtype(dtype) != x.dtype:
        raise RuntimeError(
            f"Bad in-place call: input tensor dtype {x.dtype} and output tensor dtype {np.dtype(dtype)} "
            "should match"
        )
    if x.dtype == np.bool_:
        raise NotImplementedError(f"{op}_ is not implemented for bool tensors, as in PyTorch")
    return dim


def _logical(test: Callable, x: Tensor, dim: int | tuple | None, keepdim: bool) -> Tensor:
    return Tensor._wrap(np.asarray(test(x.data, axis=reduce.normalize_dims(dim, x.ndim), keepdims=keepdim)))


def _arg(pick: Callable, x: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    if x.data.size == 0 and (dim is None or x.shape[movement.normalize_dim(dim, x.ndim)] == 0):
        where = "dim to be specified" if dim is None else f"dim {dim} to have non-zero size"
        raise IndexError(
            f"{pick.__name__}(): Expected reduction {where} for an empty tensor (shape {x.shape})"
        )
    if dim is None:  # the index into the flattened tensor
        index = np.asarray(pick(x.data))
        return Tensor._wrap(index.reshape((1,) * x.ndim) if keepdim else index)
    d = movement.normalize_dim(dim, x.ndim)
    return Tensor._wrap(np.asarray(pick(x.data, axis=d, keepdims=keepdim)))


# function.py, node.py and the ops modules use Tensor, so they get it after it is defined.
function.Tensor = node.Tensor = Tensor  # type: ignore[misc]  # (mypy sees their TYPE_CHECKING imports)
from .ops import (  # noqa: E402
    activation,
    bessel,
    bitwise,
    broadcast,
    clamping,
    comparing,
    covariance,
    cumulative,
    distances,
    elementwise,
    error_functions,
    fused_products,
    gamma,
    index_writes,
    inplace_shape,
    joining,
    linalg,
    matrix,
    more_math,
    more_products,
    movement,
    powers,
    python_maps,
    quantiles,
    rearranging,
    reduce,
    scatter_reduce,
    searching,
    selection,
    shape_helpers,
    softmax,
    sorting,
    special_functions,
    statistics,
    trigonometry,
    unary,
    unique,
    windows,
)
from .ops.broadcast import binary, binary_op  # noqa: E402
from .ops.elementwise import Add, Div, Mul  # noqa: E402
