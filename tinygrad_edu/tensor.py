"""`Tensor`: a NumPy array that remembers how it was computed.

Every operation on Tensors is a `Function` (see autograd/function.py); when
an input requires grad, the result's `grad_fn` records that operation and
its inputs, building the graph that `backward()` walks in reverse.

This file holds the core, in the order a reader needs it: how a tensor is
made (`__init__`, `_wrap`), its attributes, conversions (`item`, `numpy`,
`to`), autograd (`backward`, `grad`, `detach`, hooks, the version counter and
views), the machinery of in-place changes (`_inplace`), indexing, and the
operators (`+`, `*`, `@`, `==`, `&`, ... into ops/elementwise.py,
ops/linalg.py, ops/bitwise.py), the hot path of every op.

The other methods are one-line doors into the ops, a family per file in
tensor_methods/ (the list is at `class Tensor`): elementwise math,
reductions, sorting and searching, selection, shape, linear algebra, the
in-place forms, random draws and new tensors like this one.
"""

from __future__ import annotations

import decimal
import numbers
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from . import devices
from .autograd import engine, function, node
from .autograd.function import Node
from .autograd.grad_mode import _state
from .autograd.hooks import RemovableHandle
from .dtypes import can_cast, from_type_name, get_default_dtype, torch_name, type_name
from .printing import set_printoptions as set_printoptions  # re-exported: the package imports it from here
from .printing import tensor_repr
from .tensor_methods import (
    in_place_math,
    in_place_writes,
    linear_algebra,
    new_tensors,
    pointwise,
    reductions,
    sampling,
    searching,
    selection,
    shapes,
)
from .warning import warn, warn_once

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
    if dtype is None and not keeps_dtype and (array.dtype == np.uint64 or array.dtype.kind == "O"):
        array = _read_big_ints(data, array)  # (NumPy's uint64, or objects, for ints past int64's range)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"tensor: unsupported data of dtype {array.dtype} (need numbers or bools)")
    if dtype is not None and not keeps_dtype:
        _check_numbers(data)
    if dtype is None and not keeps_dtype and array.dtype.kind == "f":
        array = array.astype(_float_dtype_of_elements(data))  # Python floats default to float32
    return array


def _read_big_ints(data: Any, array: np.ndarray) -> np.ndarray:
    """`array` as PyTorch reads `data`: None is an error (no dtype to infer), and so is an int
    past int64's range, unless the data holds a float too: then all of it is floats."""
    values = list(np.asarray(data, dtype=object).flat)
    if any(value is None for value in values):
        raise RuntimeError("Could not infer dtype of NoneType")
    big = [v for v in values if type(v) is int and not -(2**63) <= v < 2**63]
    if not big:
        return array
    if not any(isinstance(v, float) for v in values):
        raise ValueError(f"Overflow when unpacking long long: {big[0]} does not fit in int64")
    return np.array(data, dtype=np.float64)  # (made float32 below, the default, as any float data)


def _check_numbers(data: Any) -> None:
    """Refuse data that is not numbers, which NumPy reads when told the dtype (None as nan, "3" as 3)."""
    kind = np.asarray(data).dtype.kind
    reals = (numbers.Real, decimal.Decimal)  # (an object array may hold ints beyond int64, Fractions, ...)
    if kind in "USV" or (
        kind == "O" and not all(isinstance(v, reals) for v in np.asarray(data, dtype=object).flat)
    ):
        raise TypeError(f"tensor: unsupported data {data!r:.60} (need numbers or bools)")


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
    if values.min() < low or values.max() > info.max or (values.dtype.kind == "f" and np.isnan(values).any()):
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


# The families of methods, one file each in tensor_methods/ (see its __init__.py):
class Tensor(
    pointwise.PointwiseMethods,  # exp, tanh, pow, floor, isnan, atan2, lerp, clamp, ...
    reductions.ReductionMethods,  # sum, mean, max, var, softmax, cumsum, all, argmax, ...
    searching.SearchingMethods,  # sort, topk, median, quantile, unique, nonzero, ...
    selection.SelectionMethods,  # where, masked_fill, gather, scatter, index_put, ...
    shapes.ShapeMethods,  # reshape, view, permute, expand, split, flip, roll, ...
    linear_algebra.LinearAlgebraMethods,  # matmul, mm, dot, addmm, kron, det, diagonal, ...
    in_place_math.InPlaceMathMethods,  # add_, exp_, clamp_, cumsum_, ...
    in_place_writes.InPlaceWriteMethods,  # fill_, copy_, index_put_, scatter_, t_, ...
    sampling.SamplingMethods,  # multinomial, bernoulli, uniform_, normal_, ...
    new_tensors.NewTensorMethods,  # new_zeros, new_ones, new_full, new_tensor
):
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
    _post_accumulate_grad_hooks: list | None = None  # called with the leaf once its .grad holds the sum
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

    def resolve_neg(self) -> Tensor:
        """The tensor itself (PyTorch's pending negation is for complex views; none is ever pending here)."""
        return self

    def is_conj(self) -> bool:
        """False: a real tensor never has a conjugation pending."""
        return False

    def is_neg(self) -> bool:
        """False: a negation is never pending."""
        return False

    def is_inference(self) -> bool:
        """False: what tg.inference_mode makes are ordinary tensors without a graph."""
        return False

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

    def contiguous(self, memory_format: Any = None) -> Tensor:
        """The tensor itself if `is_contiguous()`, else a row-major copy of it (on the graph, as clone).

        `memory_format` is accepted for PyTorch's code and ignored (as in `is_contiguous`).
        """
        return self if self.data.flags.c_contiguous else self.clone()

    def size(self, dim: int | None = None) -> tuple[int, ...] | int:
        return self.shape if dim is None else self.shape[movement.normalize_dim(dim, self.ndim)]

    def numel(self) -> int:
        return int(self.data.size)

    def nelement(self) -> int:
        """The number of elements (numel)."""
        return self.numel()

    def ndimension(self) -> int:
        """The number of dims (dim())."""
        return self.ndim

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

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The underlying array (shared, not copied); with ``force=True`` also of a tensor that
        requires grad (PyTorch's force detaches first, and shares memory too)."""
        data = self._array()
        if self.requires_grad and not force:
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
        operator stands for (``np.exp(tensor)``, as a NumPy lesson's helper
        ``sigmoid = lambda x: 1 / (1 + np.exp(-x))`` calls it) computes on the
        values and gives a Tensor back, off the graph, as in PyTorch; for a
        Tensor that requires grad it raises, since NumPy cannot record it.
        """
        out = kwargs.get("out", ())
        arrays = [x.data if isinstance(x, Tensor) else x for x in inputs]
        if method == "__call__" and out and all(isinstance(o, np.ndarray) for o in out):
            return ufunc(*arrays, **kwargs)
        if method != "__call__" or kwargs:
            return NotImplemented
        names = _OPERATORS.get(ufunc)
        if names is not None and len(inputs) == 2:
            left, right = inputs
            if isinstance(left, Tensor):
                return getattr(left, names[0])(right)
            return getattr(right, names[1])(left)
        if any(isinstance(x, Tensor) and x.requires_grad for x in inputs):
            raise RuntimeError(
                f"np.{ufunc.__name__} was given a Tensor that requires grad, and NumPy cannot record "
                f"it for backward: use the Tensor op (tg.{ufunc.__name__}(x), if it exists, or x's "
                f"method), or np.{ufunc.__name__}(x.detach().numpy()) for the plain values"
            )
        result = ufunc(*arrays)
        if isinstance(result, tuple):  # (np.modf, np.frexp: one array per output)
            return tuple(Tensor._wrap(np.asarray(r)) for r in result)
        return Tensor._wrap(np.asarray(result))

    def item(self) -> Scalar:
        data = self._array()
        if data.size != 1:
            raise RuntimeError(f"a Tensor with {data.size} elements cannot be converted to Scalar")
        return data.item()

    def tolist(self) -> Any:
        return self._array().tolist()

    def __float__(self) -> float:
        value = float(self._one_element())
        if self._requires_grad:
            warn_once(  # (once per run, as PyTorch)
                "float",
                "float() of a tensor that requires grad gives a plain number, which backward cannot "
                "see: a loss or a weight turned into a float leaves the graph. To read the value, "
                "write float(t.detach()) or t.item().",
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
        ``to(device)``, ``to(device, dtype)``, ``to(device=..., dtype=...)``,
        each followed by non_blocking and copy, by position or by name.
        The only device is the CPU, so ``"cpu"`` changes nothing and any other
        device is an error; `non_blocking` has nothing to do and is ignored.
        """
        flags = 0
        while flags < 2 and len(args) > flags and isinstance(args[-1 - flags], bool):
            flags += 1  # (trailing bools: non_blocking, then copy)
        if flags == 2:
            copy = copy or args[-1]
        args = args[: len(args) - flags]
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

    def _view_root(self) -> Tensor:
        """The tensor this one is a view of, through any chain of views: self, unless self is a view."""
        root = self
        while root._view is not None:
            root = root._view[0]
        return root

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

        grad_fn._node_hooks().keeps.append(keep)

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
            hooks = self.grad_fn._node_hooks().tensor  # (run where the gradient reaches its node)
            hooks.append(hook)
            return RemovableHandle(hooks, hook)
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self._hooks, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]) -> RemovableHandle:
        """Call `hook(self)` each time backward has added into this leaf's `.grad`.

        The hook sees the sum and may use it (step an optimizer there, in
        backward, then set `.grad` to None); it returns nothing. Leaves only,
        as in PyTorch; autograd/engine.py calls the hooks (`_accumulate`).
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._post_accumulate_grad_hooks is None:
            self._post_accumulate_grad_hooks = []
        self._post_accumulate_grad_hooks.append(hook)
        return RemovableHandle(self._post_accumulate_grad_hooks, hook)

    # ------------------------------------------------------------ in place
    # The machinery every in-place change goes through, and the operators +=, -=, *=, /=.
    # The method forms (add_, exp_, fill_, index_put_, ...) are in tensor_methods/in_place_*.py.

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
        root = self._view_root()
        made_without_grad = self._view is not None and self._view_version is None
        if made_without_grad and _state.enabled and (recording or root.requires_grad):
            raise RuntimeError(
                "a view made in no_grad mode is being changed in place with grad mode on: its base "
                "would not see the change. Take the view outside no_grad, or change it under no_grad."
            )
        if _state.enabled and "_input_returned_by" in self.__dict__:  # (autograd/in_place.py)
            name = self.__dict__["_input_returned_by"]
            raise RuntimeError(
                f"Output 0 of {name} is a view of its input ({name}.forward returned that input's "
                "array as it is) and is being modified in place, which would change the input behind "
                f"{name}'s backward and give wrong gradients. Clone the output first, or return a copy "
                "from forward"
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
        if not can_cast(out.dtype, self.dtype):  # (PyTorch's rule: never down from float to int, or to bool)
            raise RuntimeError(
                f"result type {torch_name(out.dtype)} can't be cast to the desired output type "
                f"{torch_name(self.dtype)}"
            )
        if not self.data.flags.writeable:
            raise RuntimeError(
                f"in-place operation on a read-only tensor of shape {self.shape} (an expanded tensor, a "
                "view of a leaf made by a custom Function, or an input or output of a module with backward "
                "hooks): clone() it first"
            )
        self.data[...] = out.data
        self._bump_version()
        if out.grad_fn is not None:
            if out.dtype != self.dtype:
                # self keeps its dtype, so its gradient arrives in it (float32 for an
                # op done in float64): the engine casts what the op hands on to its inputs
                out.grad_fn._checks_gradients = True
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

    # ------------------------------------------------------------ indexing

    def __getitem__(self, index: Any) -> Tensor:
        index = movement.check_index(index)
        split = movement.integers_first(index)
        if split is not None:
            return self[split[0]][split[1]]
        return movement.Index._apply1(self, index)

    def __setitem__(self, index: Any, value: Any) -> None:
        index = movement.check_index(index)
        split = movement.integers_first(index)
        if split is not None:
            self[split[0]][split[1]] = value  # the integers give a view, which writes into self
            return
        if isinstance(value, (float, np.floating)):  # (a float into integers: in range, and not nan)
            broadcast.check_written(value, self.data.dtype)
        if isinstance(value, Tensor) and value.data.dtype != self.data.dtype:
            index_writes.check_setitem_dtype(index, value, self)
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

    # ------------------------------------------------------------ dtype conversions
    # Last in the class on purpose: from its `def` on, a method named `float`,
    # `int` or `bool` hides the builtin type of that name in the annotations of
    # the class body (for a type checker), so the annotations above still mean the builtins.

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other.dtype)

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


# function.py, node.py, the ops modules and the method families use Tensor: they get it after it is defined.
function.Tensor = node.Tensor = Tensor  # type: ignore[misc]  # (mypy sees their TYPE_CHECKING imports)
from .ops import (  # noqa: E402
    bitwise,
    broadcast,
    elementwise,
    index_writes,
    linalg,
    movement,
    unary,
)
from .ops.broadcast import binary, binary_op  # noqa: E402
from .ops.elementwise import Add, Div, Mul  # noqa: E402

for _family in (
    pointwise,
    reductions,
    searching,
    selection,
    shapes,
    linear_algebra,
    in_place_math,
    in_place_writes,
    new_tensors,
):  # (sampling imports what it needs when called)
    _family.finish_imports()  # (the ops they call import this module, so they could not import them before)
del _family
