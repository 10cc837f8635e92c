"""Operations that move elements without changing them: reshape, expand, permute, index, repeat.

Their backward moves the gradient back: reshape it, sum what was broadcast,
permute it back, or scatter it to the indexed places.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..autograd.engine import Scattered
from ..autograd.function import Function, Node
from ..autograd.grad_mode import _state
from ..tensor import Tensor
from ..warning import warn


def _shape_arg(shape: tuple) -> tuple[int, ...]:
    """Accept both f(2, 3) and f((2, 3)), as PyTorch does."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    if set(map(type, shape)) <= {int}:
        return shape  # the usual case, checked without a Python-level loop
    for s in shape:
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"shape sizes must be ints, got {type(s).__name__} in {shape}")
    return tuple(int(s) for s in shape)


def normalize_dim(dim: int, ndim: int) -> int:
    """A dim in [-ndim, ndim) as a non-negative int, or PyTorch's IndexError."""
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return int(dim) % n


class Reshape(Function):
    """y = x with a new shape;  the gradient is reshaped back"""

    view = True

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        return grad.reshape(ctx.shape), None

    @staticmethod
    def write_back(x: Tensor, y: Tensor, shape: tuple[int, ...]) -> Tensor:
        return y.reshape(x.shape)


def reshape(x: Tensor, shape: tuple) -> Tensor:
    shape = _shape_arg(shape)
    try:
        y = Reshape._apply1(x, shape)
    except ValueError:
        _check_inferred(shape, "reshape")
        raise RuntimeError(
            f"reshape: shape {shape} is invalid for input of shape {x.shape} (size {x.data.size})"
        ) from None
    if y.data.shape != shape:  # only when a size was inferred: NumPy infers any negative one
        _check_inferred(shape, "reshape")
    return y


def _check_inferred(shape: tuple[int, ...], op: str) -> None:
    """Refuse what NumPy's reshape lets through or words obscurely: -1 is the one size to infer."""
    if shape.count(-1) > 1:
        raise RuntimeError(f"{op}: only one size can be inferred (given as -1), got shape {shape}")
    bad = [s for s in shape if s < -1]
    if bad:
        raise RuntimeError(
            f"{op}: invalid size {bad[0]} in shape {shape}: sizes must be non-negative, or -1 for "
            "the one size to infer"
        )


def sum_to_shape(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Sum `g` over the dimensions that broadcasting added or stretched, giving `shape`."""
    lead = g.ndim - len(shape)
    dims = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1
    )
    summed = g.sum(dims, keepdim=True) if dims else g
    return summed.reshape(shape) if summed.shape != shape else summed


class Expand(Function):
    """y = x broadcast to a larger shape;  dL/dx = dL/dy summed over the broadcast dims"""

    view = True

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.shape = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        return sum_to_shape(grad, ctx.shape), None


def expand(x: Tensor, sizes: tuple) -> Tensor:
    sizes = _shape_arg(sizes)
    if sizes == x.data.shape:
        return x
    if -1 not in sizes:
        try:
            return Expand._apply1(x, sizes)  # NumPy checks the sizes as PyTorch would
        except ValueError:
            pass  # the checks below name the problem
    if len(sizes) < x.ndim:
        raise RuntimeError(
            f"expand: the target shape {sizes} has fewer dimensions than the tensor's {x.shape}"
        )
    lead = len(sizes) - x.ndim
    target = list(sizes)
    for i, n in enumerate(x.shape):
        want = sizes[lead + i]
        if want == -1:
            target[lead + i] = n
        elif n != want and n != 1:
            raise RuntimeError(
                f"expand: the expanded size ({want}) must match the existing size ({n}) at "
                f"non-singleton dimension {lead + i}. Target sizes: {sizes}. Tensor sizes: {x.shape}"
            )
    if any(s < 0 for s in target):
        raise RuntimeError(f"expand: -1 is not allowed in a new leading dimension: {sizes}")
    shape = tuple(target)
    return x if shape == x.shape else Expand._apply1(x, shape)


class Permute(Function):
    """y = x with its dimensions reordered;  the gradient is permuted back"""

    view = True

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
        ctx.dims = dims
        return x.transpose(dims)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None]:
        return Permute._apply1(grad, _inverse(ctx.dims)), None

    @staticmethod
    def write_back(x: Tensor, y: Tensor, dims: tuple[int, ...]) -> Tensor:
        return Permute._apply1(y, _inverse(dims))


def _inverse(dims: tuple[int, ...]) -> tuple[int, ...]:
    """The permutation that undoes `dims`."""
    return tuple(sorted(range(len(dims)), key=dims.__getitem__))


def permute(x: Tensor, dims: tuple) -> Tensor:
    dims = tuple(normalize_dim(d, x.ndim) for d in _shape_arg(dims))
    if sorted(dims) != list(range(x.ndim)):
        raise RuntimeError(
            f"permute: dims {dims} are not a permutation of the {x.ndim} dims of shape {x.shape}"
        )
    return Permute._apply1(x, dims)


# ---------------------------------------------------------------- indexing

_INDEX_HELP = (
    "only integers, slices (`:`), ellipsis (`...`), None and integer or boolean "
    "arrays/tensors are valid indices"
)


_INDEX_TENSOR_DTYPES = tuple(np.dtype(t) for t in (np.int64, np.int32, np.uint8, np.bool_))


def check_index(index: object) -> tuple:
    """Validate an index and turn Tensors, lists and arrays in it into NumPy arrays of its own.

    Its own copies: backward scatters the gradient with the same index, so a
    later in-place change to an index tensor must not move it.
    """
    items = index if isinstance(index, tuple) else (index,)
    checked = []
    for item in items:
        # (a tuple inside the index tuple is a list of indices: x[(0, 1), :] is x[[0, 1], :])
        if isinstance(item, Tensor) and item.ndim and item.data.dtype not in _INDEX_TENSOR_DTYPES:
            raise IndexError(
                "tensors used as indices must be long, int, byte or bool tensors; "
                f"got one of dtype {item.dtype}"
            )
        if isinstance(item, (Tensor, list, tuple, np.ndarray)):
            empty_list = isinstance(item, (list, tuple)) and not item
            item = np.array(item.data if isinstance(item, Tensor) else item)
            if empty_list:
                item = item.astype(np.int64)  # x[[]] selects nothing (NumPy reads [] as floats)
            if item.ndim == 0 and item.dtype.kind in "iu":
                item = int(item)  # a 0-d integer tensor indexes as an integer, as in PyTorch
            elif item.dtype == np.uint8:  # PyTorch's old masks, before bool tensors
                warn("indexing with a uint8 tensor treats it as a mask (deprecated, as in PyTorch); use bool")
                item = item.astype(bool)
        if isinstance(item, np.ndarray):
            if item.dtype.kind not in "iub":
                raise IndexError(f"{_INDEX_HELP}; got an array of dtype {item.dtype}")
        elif isinstance(item, slice):
            if item.step is not None and item.step < 0:
                raise ValueError(
                    f"step must be greater than zero, as in PyTorch: a slice with step {item.step} "
                    "is refused (x.flip(dim) reverses a dim)"
                )
        elif not (item is None or item is Ellipsis or isinstance(item, (int, np.integer))):
            raise IndexError(f"{_INDEX_HELP}; got {type(item).__name__} {item!r}")
        checked.append(item)
    return tuple(checked)


def integers_first(index: tuple) -> tuple[tuple, tuple] | None:
    """Split an index that mixes integers with index arrays into (integers, the rest).

    PyTorch applies the integers first, as plain indexing. NumPy counts an
    integer beside an index array as one more index array, which can move
    the result's dims: for x of shape (2, 3, 4), x[0, :, [1, 2]] has shape
    (3, 2) in PyTorch and (2, 3) in NumPy. Returns (the integers, with ``:``
    for every dim the rest indexes; the rest), or None when NumPy's order is
    already PyTorch's.
    """
    if len(index) < 2:
        return None
    ints = [isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in index]
    if not any(ints) or _is_basic(index):
        return None
    # NumPy agrees with PyTorch when the integers and arrays stand next to each other
    advanced = [
        i for i, (item, is_int) in enumerate(zip(index, ints)) if is_int or isinstance(item, np.ndarray)
    ]
    if advanced[-1] - advanced[0] == len(advanced) - 1:
        return None
    first, rest = [], []
    for item, is_int in zip(index, ints):
        if is_int:
            first.append(item)
        elif item is not None:
            mask = isinstance(item, np.ndarray) and item.dtype == np.bool_
            first += [item] if item is Ellipsis else [slice(None)] * (item.ndim if mask else 1)
            rest.append(item)
        else:
            rest.append(item)
    return tuple(first), tuple(rest)


def _is_basic(index: tuple) -> bool:
    return not any([isinstance(i, np.ndarray) for i in index])


class Index(Function):
    """y = x[index];  dL/dx = zeros with dL/dy added at the indexed places"""

    view = True

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, index: tuple) -> np.ndarray:
        ctx.index, ctx.shape = index, x.shape
        if _is_basic(index) and Ellipsis not in index:
            # NumPy gives a scalar copy for x[0] of a vector; with `...` it gives a 0-d
            # view, which is PyTorch's result: r = y[0]; r *= 2 changes y
            return x[index + (Ellipsis,)]
        return x[index]

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | Scattered, None]:  # type: ignore[override]
        # (a Scattered is for the engine only, which knows how to add it: see its docstring)
        if not _state.enabled:  # no graph to record: the engine adds grad at the indexed places itself
            return Scattered(grad.data, ctx.index, ctx.shape, _is_basic(ctx.index)), None
        return IndexAdd._apply1(grad, ctx.index, ctx.shape), None

    @staticmethod
    def write_back(x: Tensor, y: Tensor, index: tuple) -> Tensor:
        return IndexPut.apply(x, y, index)


class IndexAdd(Function):
    """y = zeros(shape) with g added at `index`  (repeated indices accumulate);  dL/dg = dL/dy[index]

    g may be smaller than y[index] (a 0-d g adds one value at every place):
    its gradient is then dL/dy[index] summed back to g's shape.
    """

    @staticmethod
    def forward(ctx: Node, g: np.ndarray, index: tuple, shape: tuple[int, ...]) -> np.ndarray:
        ctx.index, ctx.g_shape = index, g.shape
        return Scattered(g, index, shape, _is_basic(index)).dense()  # (the rule the engine adds by)

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor, None, None]:
        return sum_to_shape(Index._apply1(grad, ctx.index), ctx.g_shape), None, None


class IndexPut(Function):
    """y = x with y[index] = v;  dL/dx = dL/dy with the overwritten places zeroed, dL/dv = dL/dy[index]"""

    @staticmethod
    def forward(ctx: Node, x: np.ndarray, v: np.ndarray, index: tuple) -> np.ndarray:
        ctx.index = index
        out = x.copy()
        out[index] = v
        return out

    @staticmethod
    def backward(ctx: Node, grad: Tensor) -> tuple[Tensor | None, Tensor | None, None]:
        need_x, need_v, _ = ctx.needs_input_grad
        gx = gv = None
        if need_x:
            keep = np.ones(grad.shape, dtype=bool)
            keep[ctx.index] = False
            gx = grad * keep
        if need_v:
            gv = Index._apply1(grad, ctx.index)
        return gx, gv, None


def squeeze(x: Tensor, dim: int | tuple | None = None) -> Tensor:
    if dim is None:
        dims = {i for i, n in enumerate(x.shape) if n == 1}
    else:
        given = dim if isinstance(dim, tuple) else (dim,)
        dims = {normalize_dim(d, x.ndim) for d in given}
        if len(dims) < len(given):
            raise RuntimeError(f"squeeze: dim {given} lists a dimension more than once")
    shape = tuple(n for i, n in enumerate(x.shape) if not (i in dims and n == 1))
    return reshape(x, (shape,))


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    dim = normalize_dim(dim, x.ndim + 1)
    return reshape(x, (x.shape[:dim] + (1,) + x.shape[dim:],))


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    if x.ndim == 0:
        normalize_dim(start_dim, 0), normalize_dim(end_dim, 0)  # (a scalar has dims 0 and -1 only)
        return reshape(x, ((1,),))
    start, end = normalize_dim(start_dim, x.ndim), normalize_dim(end_dim, x.ndim)
    if start > end:
        raise RuntimeError(f"flatten: start_dim {start_dim} cannot come after end_dim {end_dim}")
    size = int(np.prod(x.shape[start : end + 1]))
    return reshape(x, (x.shape[:start] + (size,) + x.shape[end + 1 :],))


def repeat(x: Tensor, sizes: tuple) -> Tensor:
    """x tiled sizes[i] times along dim i (x first gains leading dims of 1 if sizes is longer).

    Built from reshape and expand: (n,) repeated r times is (1, n) expanded
    to (r, n), then flattened. So the gradient is expand's: the copies' gradients summed.
    """
    sizes = _shape_arg(sizes)
    if len(sizes) < x.ndim:
        raise RuntimeError(
            f"repeat: number of dimensions of repeat dims ({len(sizes)}) can not be smaller than "
            f"number of dimensions of tensor ({x.ndim})"
        )
    _check_counts(sizes, "repeat")
    shape = (1,) * (len(sizes) - x.ndim) + x.shape
    spaced = tuple(m for n in shape for m in (1, n))  # a dim of 1 before every dim
    copies = tuple(m for r, n in zip(sizes, shape) for m in (r, n))
    tiled = reshape(x, (spaced,)).expand(copies).reshape(tuple(r * n for r, n in zip(sizes, shape)))
    # a new tensor, as in PyTorch, even where NumPy's reshape made a view (all counts 1, or copies
    # along a dim of size 1, which stay x's memory with stride 0)
    return tiled.clone() if np.may_share_memory(tiled.data, x.data) else tiled


def tile(x: Tensor, dims: tuple) -> Tensor:
    """`repeat`, where dims shorter than x's shape count as 1 for the leading dims."""
    dims = _shape_arg(dims)
    _check_counts(dims, "tile")
    return repeat(x, (1,) * (x.ndim - len(dims)) + dims)


def _check_counts(counts: tuple[int, ...], op: str) -> None:
    """Refuse a negative number of copies (expand would read a -1 as "keep this size")."""
    if any(c < 0 for c in counts):
        raise RuntimeError(f"{op}: the number of copies must be non-negative in every dim, got {counts}")


def unflatten(x: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """x with dim `dim` split into dims of `sizes`, undoing a flatten; one size may be -1 (what is left)."""
    if x.ndim == 0:
        raise RuntimeError(f"unflatten: dimension specified as {dim} but tensor has no dimensions")
    d = normalize_dim(dim, x.ndim)
    _check_inferred(tuple(sizes), "unflatten")
    n, known = x.shape[d], math.prod(s for s in sizes if s != -1)
    if -1 in sizes and known == 0 and n == 0:
        raise RuntimeError(
            f"unflatten: the -1 in {list(sizes)} cannot be inferred: the dim has 0 elements, so any size fits"
        )
    if -1 in sizes and known and n % known == 0:
        sizes = [n // known if s == -1 else s for s in sizes]
    elif -1 in sizes or known != n:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {d} ({n}) "
            "in the input tensor"
        )
    return reshape(x, (x.shape[:d] + tuple(sizes) + x.shape[d + 1 :],))


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    dims = list(range(x.ndim))
    a, b = normalize_dim(dim0, x.ndim), normalize_dim(dim1, x.ndim)
    if x.ndim:
        dims[a], dims[b] = dims[b], dims[a]
    return Permute._apply1(x, tuple(dims))
