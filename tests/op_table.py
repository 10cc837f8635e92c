"""The table of differentiable ops that drives the generic gradient property tests.

One row per op: how to call it, which input domain keeps finite differences
honest (away from kinks, ties and poles), and which shapes to draw. A new op
is tested by adding one row; `test_every_function_has_a_row` fails until it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

import tinygrad_edu as tg
from tinygrad_edu import special
from tinygrad_edu.autograd.function import once_differentiable
from tinygrad_edu.nn.functional import (
    adaptive_avg_pool3d,
    adaptive_max_pool3d,
    avg_pool2d,
    avg_pool3d,
    batch_norm,
    conv1d,
    conv2d,
    conv3d,
    conv_transpose3d,
    embedding,
    fold,
    layer_norm,
    max_pool2d,
    max_pool3d,
    unfold,
)
from tinygrad_edu.ops.activation import ReluGrad, SigmoidGrad, TanhGrad
from tinygrad_edu.ops.conv3d import Fold3d, Unfold3d
from tinygrad_edu.ops.softmax import LogSoftmaxGrad

FINITE = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
POSITIVE = st.floats(0.2, 3, allow_nan=False, allow_infinity=False)
PROBABILITY = st.floats(0.05, 0.95, allow_nan=False, allow_infinity=False)


@dataclass(frozen=True)
class Op:
    name: str
    fn: Callable[..., tg.Tensor]
    covers: tuple[str, ...]  # the Function classes this row exercises
    arity: int = 1
    domain: st.SearchStrategy = FINITE
    broadcast: bool = False  # draw mutually broadcastable shapes for the inputs
    min_dims: int = 0
    kinks: tuple[float, ...] = ()  # points where the derivative jumps: keep inputs away
    distinct: bool = False  # values must be pairwise distinct (max/min ties)
    same_shape: bool = False  # all inputs take the first input's shape
    second_order: bool = True
    eps: float = 1e-6  # finite-difference step; larger only where float32 rounding is involved
    extra: dict = field(default_factory=dict)


def _setitem(x: tg.Tensor, v: tg.Tensor) -> tg.Tensor:
    y = x * 1.0
    y[0] = v[0] * 2.0
    return y


def _nll(x: tg.Tensor, reduction: str = "mean", weighted: bool = False) -> tg.Tensor:
    """nll_loss of x (C,), (N, C) or (N, C, d), with targets that cycle through the classes."""
    n_classes = x.shape[1] if x.ndim > 1 else x.shape[0]
    shape = (x.shape[0], *x.shape[2:]) if x.ndim > 1 else ()
    target = tg.tensor(np.arange(int(np.prod(shape))).reshape(shape) % n_classes)
    if not weighted:
        return tg.nn.functional.nll_loss(x, target, reduction=reduction)
    weight = tg.tensor(np.arange(1.0, n_classes + 1.0), dtype=x.dtype)  # and class 1 is ignored
    return tg.nn.functional.nll_loss(x, target, weight, ignore_index=1, reduction=reduction)


def _gather(x: tg.Tensor) -> tg.Tensor:
    """x.gather(-1, index) with an index that picks some places twice and some never."""
    index = (np.arange(x.data.size).reshape(x.shape) * 7 + 1) % x.shape[-1]
    return x.gather(-1, tg.tensor(index)) ** 2


def _rotations(shape: tuple[int, ...]) -> np.ndarray:
    """An index for dim -1 whose rows name distinct places: row r is (r, r+1, ...) mod n, less one."""
    n = shape[-1]
    rows = np.arange(int(np.prod(shape[:-1]))).reshape(shape[:-1] + (1,))
    return ((rows + np.arange(n)) % n)[..., : max(n - 1, 1)]


def _scatter(x: tg.Tensor, src: tg.Tensor) -> tg.Tensor:
    """x.scatter(-1, index, src) with no place written twice, some places of x kept and src's
    last column unused. (Where a place is written twice only one value lands, yet each gets
    the gradient, as in PyTorch: finite differences would disagree.)"""
    return x.scatter(-1, tg.tensor(_rotations(x.shape)), src) ** 2


def _scatter_reduce(reduce: str, include_self: bool = True):
    """x.scatter_reduce(-1, index, src, reduce) with an index that names some places twice and some
    never (as _scatter_add), squared so that the second derivative is not zero."""

    def fn(x: tg.Tensor, src: tg.Tensor) -> tg.Tensor:
        index = (np.arange(x.data.size).reshape(x.shape) * 7 + 1) % x.shape[-1]
        return x.scatter_reduce(-1, tg.tensor(index), src, reduce, include_self=include_self) ** 2

    return fn


def _index_reduce(reduce: str):
    """x.index_reduce(-1, index, src, reduce, include_self=False) with index (0, 0, 1, 1, ...): repeated
    positions, and (for a length over 2) places that keep x's value."""

    def fn(x: tg.Tensor, src: tg.Tensor) -> tg.Tensor:
        n = x.shape[-1] if x.ndim else 1
        return x.index_reduce(-1, tg.tensor(np.arange(n) // 2), src, reduce, include_self=False) * x

    return fn


def _scatter_add(x: tg.Tensor, src: tg.Tensor) -> tg.Tensor:
    """x.scatter_add(-1, index, src) with an index that names some places twice and some never."""
    index = (np.arange(x.data.size).reshape(x.shape) * 7 + 1) % x.shape[-1]
    return x.scatter_add(-1, tg.tensor(index), src) ** 2


def _index_add(x: tg.Tensor, src: tg.Tensor) -> tg.Tensor:
    """x.index_add(-1, index, src, alpha=-1.5) with index (0, 0, 1, 1, ...): repeated positions,
    and (for a length over 2) places that get nothing."""
    n = x.shape[-1] if x.ndim else 1
    return x.index_add(-1, tg.tensor(np.arange(n) // 2), src, alpha=-1.5) ** 2


def _index_add_inplace(x: tg.Tensor, src: tg.Tensor) -> tg.Tensor:
    """(x * 1).index_add_(0, index, source) with a source twice x's length along dim 0, whose
    index names every place twice."""
    y = x * 1.0
    n = x.shape[0]
    y.index_add_(0, tg.tensor(np.arange(2 * n) % n), tg.cat([src, src.exp()]))
    return y * x


def _nan_to_num(a: tg.Tensor) -> tg.Tensor:
    """nan_to_num of a with every other element replaced by nan, inf or -inf (in turn) first: the
    gradient passes to the rest and is 0 where a value was replaced."""
    index = np.arange(a.numel()).reshape(a.shape)
    specials = np.array([np.nan, np.inf, -np.inf])[index // 2 % 3]
    x = tg.where(tg.tensor(index % 2 == 0), tg.tensor(specials), a)
    return tg.nan_to_num(x, nan=0.5, posinf=2.0, neginf=-3.0) * a


class ScaledExp(tg.Function):
    """y = w e^x in PyTorch 2's style: forward without ctx, and setup_context saving an input
    and the output;  dL/dx = dL/dy y,  dL/dw = dL/dy e^x (the engine sums it back to w's shape)."""

    @staticmethod
    def forward(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        return w * np.exp(x)

    @staticmethod
    def setup_context(ctx, inputs: tuple, output: np.ndarray) -> None:
        ctx.save_for_backward(inputs[0], output)

    @staticmethod
    def backward(ctx, grad: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
        x, y = ctx.saved_tensors
        return grad * y, grad * x.exp()


class SinCos(tg.Function):
    """(sin x, cos x), a Function with two outputs, both saved;  dL/dx = g_sin cos x - g_cos sin x."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s, c = np.sin(x), np.cos(x)
        ctx.save_for_backward(s, c)
        return s, c

    @staticmethod
    def backward(ctx, grad_sin: tg.Tensor, grad_cos: tg.Tensor) -> tg.Tensor:
        s, c = ctx.saved_tensors
        return grad_sin * c - grad_cos * s


class ProductAndSum(tg.Function):
    """(a b, a + b) for a and b that broadcast;  dL/da = g_p b + g_s, dL/db = g_p a + g_s
    (of the broadcast shape: the engine sums each back to its input's, as for any custom op)."""

    @staticmethod
    def forward(ctx, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ctx.save_for_backward(a, b)
        return a * b, a + b

    @staticmethod
    def backward(ctx, grad_product: tg.Tensor, grad_sum: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
        a, b = ctx.saved_tensors
        return grad_product * b + grad_sum, grad_product * a + grad_sum


class Exp_(tg.Function):
    """exp in place, as a user writes it: forward changes its input's array, marks it dirty and
    saves it (it is the output now);  dL/dx = g exp(x) = g y."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        np.exp(x, out=x)
        ctx.mark_dirty(x)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, grad: tg.Tensor) -> tg.Tensor:
        (y,) = ctx.saved_tensors
        return grad * y


def _exp_in_place_of_a_row(a: tg.Tensor) -> tg.Tensor:
    """a copy of a with its first row changed in place, by a custom Function, through a view."""
    y = a * 1.0
    Exp_.apply(y[0])
    return y * a


def _product_times_tanh_of_sum(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    product, total = ProductAndSum.apply(a, b)
    return product * total.tanh()


class NumpySquare(tg.Function):
    """y = x^2 with a backward in NumPy, marked once_differentiable: dL/dx = 2 x dL/dy, once."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    @once_differentiable
    def backward(ctx, grad: tg.Tensor) -> tg.Tensor:
        (x,) = ctx.saved_tensors
        return tg.tensor(2.0 * x.data * grad.data)  # (.data: the NumPy array)


def _through_hooked_module(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    """a b + tanh(b^2) through a module with backward hooks: its hook nodes pass gradients on unchanged."""

    class Pair(tg.nn.Module):
        def forward(self, a: tg.Tensor, b: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
            return a * b, (b * b).tanh()

    module = Pair()
    module.register_full_backward_pre_hook(lambda m, grad_output: None)
    module.register_full_backward_hook(lambda m, grad_input, grad_output: None)
    p, q = module(a, b)
    return p + q


def _einsum_diagonal(a: tg.Tensor) -> tg.Tensor:
    """The diagonal and the trace of a square (outer-product) matrix: repeated subscripts."""
    m = a.unsqueeze(-1) * a.unsqueeze(-2).sin()
    return tg.einsum("...ii->...i", m) * tg.einsum("...ii", m).unsqueeze(-1)


def _nan_reductions(a: tg.Tensor) -> tg.Tensor:
    """nansum and nanmean of a with every other element along the last dim replaced by nan (the
    first is kept, so no slice is all nan): those get no gradient, the others theirs."""
    odd = np.broadcast_to(np.arange(a.shape[-1]) % 2 == 1, a.shape)
    x = tg.where(tg.tensor(odd), np.nan, a)
    return x.nanmean(-1, keepdim=True) * x.nansum() + x.nansum(0)


def _var_std_mean(a: tg.Tensor) -> tg.Tensor:
    """var_mean over dim 0 times std_mean over the last dim (their shapes broadcast)."""
    var, mean = tg.var_mean(a, 0)
    std, mean_last = tg.std_mean(a, -1, keepdim=True, correction=0)
    return var * std + mean * mean_last


def _diagonal_write_back(a: tg.Tensor) -> tg.Tensor:
    """A diagonal (one above the main one, of dims 0 and -1) scaled in place: the change reaches
    its base through the view."""
    y = a * 1.0
    y.diagonal(1, 0, -1).mul_(a.diagonal(1, 0, -1).exp())
    return y * a


def _inplace_fused(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    y = a * 1.0
    y.lerp_(b, 0.3)
    y.addcmul_(a, b, value=-0.5)
    y.addcdiv_(b, a.exp(), value=2.0)
    return y


def _inplace_positive(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    """The in-place binary math on positive operands, where none of them has a kink. (One tensor
    each: hypot saves its result, which a second in-place op would change before backward.)"""
    y = [a * 1.0 for _ in range(4)]
    return y[0].hypot_(b) * y[1].atan2_(b) + y[2].xlogy_(b) * y[3].copysign_(b)


def _inplace(x: tg.Tensor, y: tg.Tensor) -> tg.Tensor:
    z = x * 1.0
    z += y
    z *= y
    z -= x
    z /= y
    return z


# ---- layers (conv, pooling, normalization, embedding): inputs are built from the drawn tensors


def _image(t: tg.Tensor) -> tg.Tensor:
    """t of shape (H, W) or (C, H, W) as a batch of one image, (1, C, H, W)."""
    return t.reshape(1, -1, *t.shape[-2:])


def _kernels(b: tg.Tensor) -> tg.Tensor:
    """Two 2x2 kernels, b's first and last 2x2 corners: (2, C, 2, 2) for b of shape (C, H, W)."""
    corners = _image(b)[0]
    return tg.stack([corners[:, :2, :2], corners[:, -2:, -2:]])


def _conv2d_groups(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    """Depthwise conv2d (groups = C, one 2x2 kernel per channel from b), stride 2, dilated along W."""
    x, weight = _image(a), _image(b)[0][:, None, :2, :2]
    return conv2d(x, weight, stride=2, padding=1, dilation=(1, 2), groups=x.shape[1])


def _conv1d(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    """conv1d of a, (C, L) unbatched or (N, C, L), with two length-2 kernels cut from b."""
    w = b.reshape(-1, *b.shape[-2:])[0]
    return conv1d(a, tg.stack([w[:, :2], w[:, -2:]]), b.reshape(-1)[:2], stride=2, padding=1)


def _fold(a: tg.Tensor) -> tg.Tensor:
    """fold of a's (A, B) columns (one channel, an (A, 1) kernel, B windows one row apart, so they
    overlap), padded 1 along H."""
    rows, windows = a.shape[-2:]
    return fold(a, (rows + windows - 3, 1), (rows, 1), padding=(1, 0)) ** 2


_GEOMETRY_3D = ((2, 1, 2), (1, 2, 1), (1, 0, 1), (2, 1, 1))  # kernel, dilation, padding, stride


def _volume(t: tg.Tensor) -> tg.Tensor:
    """t of shape (D, H, W) as a batch of one single-channel volume, (1, 1, D, H, W)."""
    return t.reshape(1, 1, *t.shape)


def _kernels3d(b: tg.Tensor) -> tg.Tensor:
    """Two 2x2x2 kernels, b's first and last 2x2x2 corners: (2, 1, 2, 2, 2) for b of shape (D, H, W)."""
    return tg.stack([b[:2, :2, :2], b[-2:, -2:, -2:]]).unsqueeze(1)


def _fold3d(a: tg.Tensor) -> tg.Tensor:
    """Fold3d of the squared columns of a's volume: both Functions, and overlapping windows."""
    columns = Unfold3d._apply1(_volume(a), *_GEOMETRY_3D)
    return Fold3d._apply1(columns * columns, tuple(a.shape), *_GEOMETRY_3D)


def _batch_norm(a: tg.Tensor, b: tg.Tensor, training: bool = True) -> tg.Tensor:
    """batch_norm of a (N, C, *) with weight and bias cut from b, and running statistics (updated in
    training, with no gradient; read in eval). eps=0.5 keeps near-equal values well conditioned."""
    per_channel = b.reshape(b.shape[0], b.shape[1], -1)
    mean = tg.zeros(a.shape[1], dtype=a.dtype)
    var = tg.ones(a.shape[1], dtype=a.dtype) * 2.0
    weight, bias = per_channel[0, :, 0], per_channel[-1, :, -1]
    return batch_norm(a, mean, var, weight, bias, training=training, eps=0.5)


def _layer_norm(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    """layer_norm over a's last dim (weight and bias cut from b) times one over its last two dims."""
    rows = b.reshape(-1, b.shape[-1])
    last = layer_norm(a, a.shape[-1:], rows[0], rows[-1], eps=0.5)
    return last * layer_norm(a, a.shape[-2:], eps=0.5) if a.ndim > 1 else last


def _embedding(a: tg.Tensor) -> tg.Tensor:
    """embedding with a's rows as the table (n, d): row 0 picked four times, row n-1 once. (Not
    padding_idx: its row's value comes out but gets no gradient, by design, which finite
    differences would contradict; tests/test_layers.py checks it.)"""
    table = a.reshape(-1, a.shape[-1])
    n = table.shape[0]
    return embedding(tg.tensor(np.array([[0, n - 1], [0, 0], [0, n // 2]])), table) ** 2


# ---- tg.linalg: matrices built from the drawn tensor b (*, n, k), away from the points where the
# ops are undefined (singular matrices) or not differentiable (tied eigen- or singular values)


def _invertible(b: tg.Tensor) -> tg.Tensor:
    """(*, n, n) with every singular value >= n: its symmetric part b b^T / k + n I is >= n I, the
    skew part (from sin(b) b^T) cannot lower that. Row 0 is negated, so that det < 0."""
    n, k = b.shape[-2:]
    t = b.sin() @ b.mT
    a = b @ b.mT / k + (t - t.mT) / k + n * tg.eye(n, dtype=b.dtype)
    return a * tg.tensor(np.where(np.arange(n) == 0, -1.0, 1.0)[:, None], dtype=b.dtype)


def _positive_definite(b: tg.Tensor) -> tg.Tensor:
    """(*, n, n) symmetric with eigenvalues >= n: b b^T / k + n I."""
    n, k = b.shape[-2:]
    return b @ b.mT / k + n * tg.eye(n, dtype=b.dtype)


def _separated_symmetric(b: tg.Tensor) -> tg.Tensor:
    """(*, n, n) symmetric with eigenvalues in [-10, -1.9], [10, 18.1], [30, 38.1]: diag(-10, 10, 30)
    plus 0.3 b b^T / k, positive semi-definite with a norm of at most 8.1 (|b| <= 3, n <= 3)."""
    n, k = b.shape[-2:]
    return tg.tensor(np.diag([-10.0, 10.0, 30.0][:n])) + 0.3 * (b @ b.mT) / k


def _separated_rectangular(b: tg.Tensor) -> tg.Tensor:
    """(*, n, k) with singular values within 2.7 of 10, 20, 30: distinct and far from 0."""
    n, k = b.shape[-2:]
    return tg.tensor(np.eye(n, k) * np.array([10.0, 20.0, 30.0][:k])) + 0.3 * b


def _pivots_apart(b: tg.Tensor) -> tg.Tensor:
    """(*, n, k) whose LU pivots are far from ties: 20 at (i + 1 mod n, i) plus b (|b| <= 3), so
    that partial pivoting swaps rows, always to the same one, as finite differences move b."""
    n, k = b.shape[-2:]
    return tg.tensor(np.roll(20.0 * np.eye(n, k), 1, axis=0), dtype=b.dtype) + b


def _square_pivots_apart(b: tg.Tensor) -> tg.Tensor:
    """(*, n, n) from b (*, n, k), as _pivots_apart: 0.3 b b^T / k has entries of at most 2.7."""
    n, k = b.shape[-2:]
    return tg.tensor(np.roll(20.0 * np.eye(n), 1, axis=0), dtype=b.dtype) + 0.3 * (b @ b.mT) / k


def _lu_solve_both_sides(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    """A X = b and X A^T = b^T with (LU, pivots) of one square A from a."""
    factors = tg.linalg.lu_factor(_square_pivots_apart(a))
    return tg.linalg.lu_solve(*factors, b) + tg.linalg.lu_solve(*factors, b.mT, left=False, adjoint=True).mT


def _lu_unpack(a: tg.Tensor) -> tg.Tensor:
    _, lower, upper = tg.lu_unpack(*tg.linalg.lu_factor(_pivots_apart(a)))
    return lower.exp() @ upper


def _eigh(a: tg.Tensor) -> tg.Tensor:
    """The eigenvectors squared (whose sign NumPy chooses: squares do not depend on it) times the
    eigenvalues."""
    w, u = tg.linalg.eigh(_separated_symmetric(a))
    return u * u * w.unsqueeze(-2)


def _row_and_column_sums_apart(a: tg.Tensor) -> tg.Tensor:
    """a (*, n, k) in [0.2, 3] plus 10 (row + column index): no entry near |x|'s kink at 0, and each
    row sum more than 7 k above the one before (each column sum 7 n), so that no max or min ties."""
    n, k = a.shape[-2:]
    return a + 10.0 * (np.arange(n)[:, None] + np.arange(k))


def _solve_vector_and_left(a: tg.Tensor, b: tg.Tensor) -> tg.Tensor:
    """solve with a batch of vectors (b's first column) and, with left=False, X A = b^T; plus one
    matrix for the whole batch (broadcast)."""
    a = _invertible(a)
    x = tg.linalg.solve(a, b[..., 0]).unsqueeze(-1) * tg.linalg.solve(a, b.mT, left=False).mT.sum(-1, True)
    return x + tg.linalg.solve(a.reshape(-1, *a.shape[-2:])[0], b)


def _svd_products(a: tg.Tensor) -> tg.Tensor:
    """U diag(S)^2 Vh and (U o U)(Vh o Vh) (neither depends on the singular vectors' signs), plus S."""
    u, s, vh = tg.linalg.svd(_separated_rectangular(a), full_matrices=False)
    return (u * s.unsqueeze(-2) ** 2) @ vh + (u * u) @ (vh * vh) + s.sum(-1, keepdim=True).unsqueeze(-1)


# (A row whose result could be empty takes a min_side: gradgradcheck cannot perturb an empty
# upstream gradient.)
OPS = [
    Op("add", lambda a, b: a + b, ("Add",), arity=2, broadcast=True),
    Op("sub", lambda a, b: a - b, ("Sub",), arity=2, broadcast=True),
    Op("mul", lambda a, b: a * b, ("Mul",), arity=2, broadcast=True),
    Op("div", lambda a, b: a / b, ("Div",), arity=2, broadcast=True, domain=POSITIVE),
    Op("rsub_scalar", lambda a: 2.0 - a, ("Sub",)),
    Op("rdiv_scalar", lambda a: 2.0 / a, ("Reciprocal", "Mul"), domain=POSITIVE),
    Op("reciprocal", lambda a: a.reciprocal(), ("Reciprocal",), domain=POSITIVE),
    # floor(a/b) jumps where a/b is a whole number: values in (1.3, 2.4), pairwise
    # apart, keep a/b in (0.54, 1.85) and away from 1
    Op(
        "remainder",
        lambda a, b: a % b,
        ("Remainder",),
        arity=2,
        broadcast=True,
        domain=st.floats(1.3, 2.4),
        distinct=True,
    ),
    Op("remainder_scalar", lambda a: a % 1.7, ("Remainder",), kinks=(-1.7, 0.0, 1.7)),
    Op("pow_scalar", lambda a: a**2.5, ("Pow",), domain=POSITIVE),
    Op("pow_int", lambda a: a**3, ("Pow",)),
    Op("pow_tensor", lambda a, b: a**b, ("Pow",), arity=2, broadcast=True, domain=POSITIVE),
    Op("rpow", lambda a: 2.0**a, ("Pow",)),
    Op("maximum", lambda a, b: a.maximum(b), ("Maximum",), arity=2, broadcast=True, distinct=True),
    # nextafter: a moved one ulp towards b; dy/da = 1, dy/db = 0, as in PyTorch (times a: a 2nd derivative)
    Op("nextafter", lambda a, b: tg.nextafter(a, b) * a, ("Nextafter",), arity=2, broadcast=True),
    Op("minimum", lambda a, b: a.minimum(b), ("Minimum",), arity=2, broadcast=True, distinct=True),
    Op(
        "where",
        lambda a, b: tg.where(a > 0, a * 2.0, b),
        ("Where",),
        arity=2,
        broadcast=True,
        kinks=(0.0,),
    ),
    Op("neg", lambda a: -a, ("Neg",)),
    Op("exp", lambda a: a.exp(), ("Exp",)),
    Op("expm1", lambda a: a.expm1(), ("Expm1",)),
    Op("log", lambda a: a.log(), ("Log",), domain=POSITIVE),
    Op("log1p", lambda a: a.log1p(), ("Log1p",), domain=st.floats(-0.7, 3)),
    Op("sqrt", lambda a: a.sqrt(), ("Sqrt",), domain=POSITIVE),
    Op("abs", lambda a: a.abs(), ("Abs",), kinks=(0.0,)),
    # the roundings are piecewise constant (derivative 0), drawn between their jumps: a in (0.05, 0.95)
    Op(
        "floor_ceil_trunc",
        lambda a: (a - 2.0).floor() * a + (a + 1.0).ceil() * a * a + (a - 2.0).trunc(),
        ("Floor", "Ceil", "Trunc"),
        domain=PROBABILITY,
    ),
    Op(  # a / (b + 1) in (0, 1) and (a - 1) / (b + 1) in (-1, 0): between the jumps
        "div_rounded",
        lambda a, b: (
            tg.div(a, b + 1.0, rounding_mode="trunc") * a
            + tg.div(a - 1.0, b + 1.0, rounding_mode="floor") * b
        ),
        ("DivTrunc", "DivFloor"),
        arity=2,
        broadcast=True,
        domain=PROBABILITY,
    ),
    Op(
        "round_sign",
        lambda a: a.round() * a + (a - 0.5).sign() * a * a + (a * 10.0).round(-1),
        ("Round", "Sign"),
        domain=PROBABILITY,
        kinks=(0.5,),
    ),
    Op("sin", lambda a: a.sin(), ("Sin",)),
    Op("cos", lambda a: a.cos(), ("Cos",)),
    # ops/trigonometry.py: each inside its function's domain, away from poles and edges
    Op("tan", lambda a: a.tan(), ("Tan",), domain=st.floats(-1.2, 1.2)),
    Op("asin", lambda a: a.asin(), ("Asin", "Rsqrt"), domain=st.floats(-0.9, 0.9)),
    Op("acos", lambda a: a.acos(), ("Acos", "Rsqrt"), domain=st.floats(-0.9, 0.9)),
    Op("atan", lambda a: a.atan(), ("Atan",)),
    Op("sinh", lambda a: a.sinh(), ("Sinh", "Cosh")),
    Op("cosh", lambda a: a.cosh(), ("Cosh", "Sinh")),
    Op("asinh", lambda a: a.asinh(), ("Asinh", "Rsqrt")),
    Op("acosh", lambda a: a.acosh(), ("Acosh", "Rsqrt"), domain=st.floats(1.1, 3)),
    Op("atanh", lambda a: a.atanh(), ("Atanh",), domain=st.floats(-0.9, 0.9)),
    # atan2 jumps by 2 pi where a crosses 0 with b < 0, and hypot has a cone at (0, 0): no zeros
    Op("atan2", lambda a, b: a.atan2(b), ("Atan2",), arity=2, broadcast=True, kinks=(0.0,)),
    Op("hypot", lambda a, b: a.hypot(b), ("Hypot",), arity=2, broadcast=True, kinks=(0.0,)),
    # ops/more_math.py
    Op("log2", lambda a: a.log2(), ("Log2",), domain=POSITIVE),
    Op("log10", lambda a: a.log10(), ("Log10",), domain=POSITIVE),
    Op("exp2", lambda a: a.exp2(), ("Exp2",)),
    Op("rsqrt", lambda a: a.rsqrt(), ("Rsqrt",), domain=POSITIVE),
    Op("logaddexp", lambda a, b: a.logaddexp(b), ("LogAddExp",), arity=2, broadcast=True),
    Op("xlogy", lambda a, b: a.xlogy(b), ("Xlogy",), arity=2, broadcast=True, domain=POSITIVE),
    # x of either sign and often exactly 0, where xlogy is 0 and dy/dx is still ln z
    Op("xlogy_x_at_0", lambda a, b: a.xlogy(b * b + 0.5), ("Xlogy", "Mul", "Add"), arity=2, broadcast=True),
    Op("logit", lambda a: a.logit(), ("Logit",), domain=PROBABILITY),
    # eps=0.2 clamps x to [0.2, 0.8] first: the gradient is 0 outside
    Op("logit_eps", lambda a: a.logit(eps=0.2), ("Logit",), domain=PROBABILITY, kinks=(0.2, 0.8)),
    # as remainder's row, with a negative dividend: trunc(-a/b) jumps where a/b is a whole number
    Op(
        "fmod",
        lambda a, b: (-a).fmod(b),
        ("Fmod", "Neg"),
        arity=2,
        broadcast=True,
        domain=st.floats(1.3, 2.4),
        distinct=True,
    ),
    Op("fmod_scalar", lambda a: a.fmod(-1.7), ("Fmod",), kinks=(-1.7, 1.7)),
    # the sign of b decides: no zeros, where signs flip (b gets a gradient of zeros)
    Op("copysign", lambda a, b: a.copysign(b), ("Copysign",), arity=2, broadcast=True, kinks=(0.0,)),
    Op("frac", lambda a: a.frac() * a, ("Sub", "Mul"), kinks=(-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0)),
    Op("nan_to_num", _nan_to_num, ("Where", "Mul")),
    # ops/special_functions.py and ops/powers.py (tests/test_tensor_more_names.py checks their
    # edges). sinc: a series near 0 (|x| < 0.5 / pi), the quotient elsewhere
    Op("erfinv", lambda a: a.erfinv(), ("Erfinv",), domain=st.floats(-0.9, 0.9)),
    Op("sinc", lambda a: a.sinc(), ("Where", "Sin", "Div")),
    Op("logaddexp2", lambda a, b: a.logaddexp2(b), ("LogAddExp", "Div"), arity=2, broadcast=True),
    Op("ldexp", lambda a, b: a.ldexp(b), ("Exp2", "Mul"), arity=2, broadcast=True),
    Op(  # integer exponents, one per element and one broadcast
        "ldexp_int",
        lambda a: a.ldexp(tg.tensor(np.arange(a.data.size).reshape(a.shape) % 5 - 2)) + a.ldexp(tg.tensor(3)),
        ("Ldexp",),
    ),
    Op("float_power", lambda a, b: a.float_power(b), ("Pow",), arity=2, broadcast=True, domain=POSITIVE),
    # lerp: a tensor weight takes both of its formulas (|w| < 0.5 or not), numbers one each
    Op("lerp", lambda a, b, w: a.lerp(b, w), ("Where", "Sub", "Mul", "Add"), arity=3, same_shape=True),
    Op(
        "lerp_number_weight",
        lambda a, b: a.lerp(b, 0.3) * a.lerp(b, 0.8),
        ("Sub", "Mul", "Add"),
        arity=2,
        broadcast=True,
    ),
    Op("addcmul", lambda a, b, c: a.addcmul(b, c, value=-1.5), ("Add", "Mul"), arity=3, same_shape=True),
    Op(
        "addcdiv",
        lambda a, b, c: a.addcdiv(b, c, value=0.5),
        ("Add", "Div", "Mul"),
        arity=3,
        same_shape=True,
        domain=POSITIVE,
    ),
    Op("tanh", lambda a: a.tanh(), ("Tanh",)),
    Op("sigmoid", lambda a: a.sigmoid(), ("Sigmoid",)),
    # the fused backward ops, called directly (g, y): their own backward gives tanh's,
    # sigmoid's, relu's and log_softmax's second derivatives
    Op("tanh_grad", TanhGrad.apply, ("TanhGrad",), arity=2, same_shape=True),
    Op("sigmoid_grad", SigmoidGrad.apply, ("SigmoidGrad",), arity=2, same_shape=True),
    Op("relu", lambda a: a.relu(), ("Relu",), kinks=(0.0,)),
    Op("relu_grad", ReluGrad.apply, ("ReluGrad",), arity=2, same_shape=True, kinks=(0.0,)),
    Op("leaky_relu", lambda a: a.leaky_relu(0.1), ("Where", "Mul"), kinks=(0.0,)),
    Op("gelu", lambda a: a.gelu(), ("Erf",)),
    Op("gelu_tanh", lambda a: a.gelu(approximate="tanh"), ("Tanh",)),
    Op("softplus", lambda a: a.softplus(beta=2.0, threshold=4.0), ("Softplus",), kinks=(2.0,)),
    # nn.functional's activations, composites: kinks= keeps inputs off the points where the
    # slope jumps (or, for elu, selu, celu and softsign, the second derivative)
    Op("elu", lambda a: tg.nn.functional.elu(a, alpha=0.5), ("Where", "Expm1"), kinks=(0.0,)),
    Op("selu", tg.nn.functional.selu, ("Where", "Expm1", "Mul"), kinks=(0.0,)),
    Op("celu", lambda a: tg.nn.functional.celu(a, alpha=2.0), ("Where", "Expm1"), kinks=(0.0,)),
    Op("silu", tg.nn.functional.silu, ("Sigmoid", "Mul")),
    Op("mish", tg.nn.functional.mish, ("Softplus", "Tanh", "Mul")),
    Op("hardtanh", lambda a: tg.nn.functional.hardtanh(a, -0.5, 1.5), ("Where",), kinks=(-0.5, 1.5)),
    # relu6 of 3a has its corners (0 and 6) at a = 0 and 2; hardsigmoid and hardswish
    # of 2a have theirs (-3 and 3) at a = -1.5 and 1.5
    Op("relu6", lambda a: tg.nn.functional.relu6(a * 3.0), ("Where",), kinks=(0.0, 2.0)),
    Op("logsigmoid", tg.nn.functional.logsigmoid, ("Softplus", "Neg")),
    Op("softsign", tg.nn.functional.softsign, ("Abs", "Div"), kinks=(0.0,)),
    Op("hardsigmoid", lambda a: tg.nn.functional.hardsigmoid(a * 2.0), ("Where",), kinks=(-1.5, 1.5)),
    Op("hardswish", lambda a: tg.nn.functional.hardswish(a * 2.0), ("Where", "Mul"), kinks=(-1.5, 1.5)),
    # prelu's slopes come from the second input: one per channel (dim 1), or one for all
    Op(
        "prelu",
        lambda a, w: tg.nn.functional.prelu(a, w.reshape(-1)[: a.shape[1]]),
        ("Where", "Mul", "Index"),
        arity=2,
        same_shape=True,
        min_dims=2,
        kinks=(0.0,),
    ),
    Op(
        "prelu_one_slope",
        lambda a, w: tg.nn.functional.prelu(a, w.reshape(-1)[0]),
        ("Where", "Mul", "Index"),
        arity=2,
        same_shape=True,
        kinks=(0.0,),
    ),
    Op("clamp", lambda a: a.clamp(-1.0, 1.0), ("Clamp",), kinks=(-1.0, 1.0)),
    Op("clamp_min", lambda a: a.clamp(min=0.5), ("Clamp",), kinks=(0.5,)),
    # tensor bounds: distinct values keep x away from both bounds (and lo from hi)
    Op("clamp_tensor_min", lambda a, lo: a.clamp(min=lo), ("Clamp",), arity=2, broadcast=True, distinct=True),
    Op(
        "clamp_tensor_bounds",
        lambda a, lo, hi: a.clamp(lo, hi),
        ("Clamp",),
        arity=3,
        same_shape=True,
        distinct=True,
    ),
    # through float32 and back: a larger step keeps float32 rounding out of the differences
    Op("cast", lambda a: a.float().double() * a, ("Cast",), eps=1e-2),
    Op("clone", lambda a: a.clone() * a, ("Clone",)),
    Op(
        "module_backward_hooks",
        _through_hooked_module,
        ("BackwardHookJoin", "BackwardHookTap"),
        arity=2,
        same_shape=True,
    ),
    Op("sum_all", lambda a: a.sum(), ("Sum",)),
    Op("sum_dim", lambda a: a.sum(-1, keepdim=True), ("Sum",), min_dims=1),
    Op("sum_dims", lambda a: a.sum((0, -1)), ("Sum",), min_dims=2),
    Op("mean", lambda a: a.mean(0), ("Sum", "Div"), min_dims=1),
    Op("var", lambda a: a.var(-1), ("Sum",), min_dims=1, extra={"min_side": 2}),
    Op("var_all_biased", lambda a: a.var(correction=0), ("Sum",)),
    Op(
        "std",
        lambda a: a.std(0, keepdim=True),
        ("Sqrt",),
        min_dims=1,
        distinct=True,
        extra={"min_side": 2},
    ),
    # |x| <= 1.5 keeps a product of up to 27 elements small enough that float64
    # rounding stays out of the finite differences (3^18 is 4e8); zeros are welcome
    Op("prod_all", lambda a: a.prod(), ("Prod",), domain=st.floats(-1.5, 1.5)),
    Op("prod_dim", lambda a: a.prod(-1, keepdim=True), ("Prod",), min_dims=1, domain=st.floats(-1.5, 1.5)),
    Op("cumsum", lambda a: a.cumsum(-1) * a, ("Cumsum",)),
    Op("cumsum_dim0", lambda a: a.cumsum(0, dtype=tg.float64) ** 2, ("Cumsum",), min_dims=1),
    # ops/cumulative.py. cumprod is exact at zeros too, but a quotient rule where there are none
    # loses digits next to them (tests/test_reduce_shape_ops.py checks zeros, both orders)
    Op("cumprod", lambda a: a.cumprod(-1) * a, ("Cumprod", "Cumsum"), kinks=(0.0,)),
    Op("cumprod_dim0", lambda a: a.cumprod(0) ** 2, ("Cumprod",), min_dims=1, kinks=(0.0,)),
    # (the upstream gradient of logcumsumexp is often exactly 0 here, where a is)
    Op("logcumsumexp", lambda a: a.logcumsumexp(-1) * a, ("LogCumSumExp",)),
    Op("logcumsumexp_dim0", lambda a: (a * 3.0).logcumsumexp(0) ** 2, ("LogCumSumExp",), min_dims=1),
    Op(
        "cummax_cummin",
        lambda a: a.cummax(-1).values * a.cummin(0).values,
        ("Index", "IndexAdd"),
        min_dims=1,
        distinct=True,
    ),
    Op(
        "diff_prepend_append",
        lambda a, b: a.diff(2, -1, prepend=b, append=b.exp()) ** 2,
        ("Cat", "Sub", "Index"),
        arity=2,
        same_shape=True,
        min_dims=1,
    ),
    Op("diff_dim0", lambda a: a.diff(dim=0) * a.sum(), ("Sub", "Index"), min_dims=1, extra={"min_side": 2}),
    # |x| has a kink at 0 and so has the norm of a slice of zeros
    Op("norm", lambda a: a.norm(), ("Sqrt", "Where"), kinks=(0.0,)),
    Op("norm_p3_dim", lambda a: a.norm(3, dim=-1), ("Pow", "Abs"), min_dims=1, kinks=(0.0,)),
    Op(
        "norm_inf",
        lambda a: a.norm(float("inf"), dim=0),
        ("Amax",),
        min_dims=1,
        domain=POSITIVE,
        distinct=True,
    ),
    # normalize and cosine_similarity clamp the length of a slice of zeros (a kink): no zeros;
    # pairwise_distance: values pairwise apart keep x1 - x2 + eps off 0, where |.| has its kink
    Op(
        "normalize",
        lambda a: tg.nn.functional.normalize(a, dim=-1),
        ("Div", "Clamp", "Sqrt"),
        min_dims=1,
        kinks=(0.0,),
    ),
    Op(
        "normalize_p1_dim0",
        lambda a: tg.nn.functional.normalize(a, p=1.0, dim=0),
        ("Div", "Clamp", "Abs"),
        min_dims=1,
        kinks=(0.0,),
    ),
    Op(
        "cosine_similarity",
        lambda a, b: tg.nn.functional.cosine_similarity(a, b, dim=-1),
        ("Div", "Clamp", "Expand", "Sum"),
        arity=2,
        broadcast=True,
        min_dims=1,
        kinks=(0.0,),
    ),
    Op(
        "pairwise_distance",
        tg.nn.functional.pairwise_distance,
        ("Sub", "Add", "Sqrt"),
        arity=2,
        broadcast=True,
        distinct=True,
    ),
    Op(
        "pairwise_distance_p3_keepdim",
        lambda a, b: tg.nn.functional.pairwise_distance(a, b, p=3.0, keepdim=True),
        ("Sub", "Pow", "Abs"),
        arity=2,
        broadcast=True,
        distinct=True,
    ),
    Op("amax_all", lambda a: a.max(), ("Amax",), distinct=True),
    Op("amax_dims", lambda a: a.amax((0, -1), keepdim=True), ("Amax",), min_dims=2, distinct=True),
    Op("amin", lambda a: a.min(), ("Amin",), distinct=True),
    Op("amin_dims", lambda a: a.amin((0, -1), keepdim=True), ("Amin",), min_dims=2, distinct=True),
    Op("max_dim", lambda a: a.max(-1).values, ("Index",), min_dims=1, distinct=True),
    Op("min_dim", lambda a: a.min(0, keepdim=True).values, ("Index",), min_dims=1, distinct=True),
    Op("median_all", lambda a: tg.median(a) * a, ("Median", "Mul"), distinct=True),
    Op("nanmedian_all", lambda a: tg.nanmedian(a) * a, ("NanMedian", "Mul"), distinct=True),
    Op("median_dim", lambda a: a.median(-1).values ** 2, ("Index",), min_dims=1, distinct=True),
    # ops/statistics.py
    Op("nansum_nanmean", _nan_reductions, ("NanSum", "Where"), min_dims=1),
    Op("var_mean_std_mean", _var_std_mean, ("Sum", "Sqrt"), min_dims=1, distinct=True, extra={"min_side": 2}),
    Op(
        "aminmax",
        lambda a: a.aminmax(dim=-1, keepdim=True).min * a.aminmax(dim=0, keepdim=True).max + a.aminmax().max,
        ("Amin", "Amax"),
        min_dims=1,
        distinct=True,
    ),
    Op("kthvalue", lambda a: a.kthvalue(a.shape[0], 0).values ** 2, ("Index",), min_dims=1, distinct=True),
    Op("dot", lambda a, b: tg.dot(a.reshape(-1), b.reshape(-1) ** 2), ("MatMul",), arity=2),
    Op("outer", lambda a, b: tg.outer(a.reshape(-1), b.reshape(-1).exp()), ("Mul", "Reshape"), arity=2),
    Op(
        "add_sub_alpha",
        lambda a, b: tg.add(a, b, alpha=-1.5) * tg.sub(b, a, alpha=2.0),
        ("Add", "Sub", "Mul"),
        arity=2,
        broadcast=True,
    ),
    Op(
        "hstack_vstack",
        lambda a, b: tg.hstack([a, b]).sum() * tg.vstack([b, a]) ** 2,
        ("Cat", "Reshape"),
        arity=2,
        same_shape=True,
    ),
    Op("logsumexp", lambda a: a.logsumexp(-1), ("Exp", "Log"), min_dims=1),
    Op("softmax", lambda a: a.softmax(-1), ("Exp", "Div"), min_dims=1),
    Op("log_softmax", lambda a: a.log_softmax(0), ("LogSoftmax",), min_dims=1),
    Op("log_softmax_last", lambda a: a.log_softmax(-1), ("LogSoftmax",), min_dims=2),
    Op(
        "log_softmax_grad",
        lambda g, y: LogSoftmaxGrad.apply(g, y, (g.ndim - 1,)),
        ("LogSoftmaxGrad",),
        arity=2,
        same_shape=True,
        min_dims=1,
    ),
    Op(
        "binary_cross_entropy",
        lambda x, y: tg.nn.functional.binary_cross_entropy(x, y, reduction="none"),
        ("BinaryCrossEntropy",),
        arity=2,
        domain=PROBABILITY,
        same_shape=True,
    ),
    # huber and smooth_l1 against a target of 0.25: the quadratic and linear pieces meet at
    # 0.25 +- delta (the second derivative jumps there); then the target's gradient, in the
    # quadratic piece (|a - b| < 6 < 8) and in the linear one (a + 4 - b >= 1 > 0.5)
    Op(
        "huber_loss",
        lambda a: tg.nn.functional.huber_loss(a, tg.full_like(a, 0.25), reduction="none"),
        ("Where", "Abs", "Mul"),
        kinks=(-0.75, 1.25),
    ),
    Op(
        "huber_loss_target",
        lambda a, b: (
            tg.nn.functional.huber_loss(a, b, delta=8.0)
            + tg.nn.functional.huber_loss(a + 4.0, b, reduction="sum", delta=0.5)
        ),
        ("Where", "Abs", "Sub"),
        arity=2,
        same_shape=True,
    ),
    Op(
        "smooth_l1_loss",
        lambda a: tg.nn.functional.smooth_l1_loss(a, tg.full_like(a, 0.25), reduction="none", beta=0.5),
        ("Where", "Abs", "Div"),
        kinks=(-0.25, 0.75),
    ),
    Op(
        "smooth_l1_loss_beta_0",
        lambda a, b: tg.nn.functional.smooth_l1_loss(a, b + 4.0, reduction="sum", beta=0.0),
        ("Abs", "Sub"),
        arity=2,
        same_shape=True,
    ),
    Op(
        "kl_div",
        lambda a, b: tg.nn.functional.kl_div(a, b, reduction="batchmean"),
        ("Where", "Log", "Mul"),
        arity=2,
        same_shape=True,
        domain=POSITIVE,
    ),
    Op(
        "kl_div_log_target",
        lambda a, b: tg.nn.functional.kl_div(a, b, reduction="none", log_target=True),
        ("Exp", "Sub", "Mul"),
        arity=2,
        same_shape=True,
    ),
    Op("nll_mean", _nll, ("NllLoss",), min_dims=1),
    Op("nll_sum", lambda a: _nll(a, "sum"), ("NllLoss",), min_dims=1),
    Op("nll_none", lambda a: _nll(a, "none"), ("NllLoss",), min_dims=1),
    Op("nll_weighted", lambda a: _nll(a, "sum", weighted=True), ("NllLoss",), min_dims=1),
    Op("reshape", lambda a: a.reshape(-1) * a.reshape(-1), ("Reshape",)),
    Op("flatten", lambda a: a.flatten(), ("Reshape",)),
    Op("squeeze_unsqueeze", lambda a: a.unsqueeze(0).unsqueeze(-1).squeeze(0), ("Reshape",)),
    Op("expand", lambda a: a.reshape(-1)[:1].expand(3, 1) * 1.0, ("Expand",), min_dims=1),
    Op("permute", lambda a: a.permute(*range(a.ndim - 1, -1, -1)), ("Permute",)),
    Op("transpose", lambda a: a.transpose(0, -1) ** 2, ("Permute",), min_dims=1),
    Op("T", lambda a: a.T * 3.0, ("Permute",)),
    Op("index_basic", lambda a: a[..., 0:1, None] * 2.0, ("Index", "IndexAdd"), min_dims=1),
    Op("index_int", lambda a: a[0], ("Index",), min_dims=1),
    Op("index_array_repeated", lambda a: a[[0, 0, -1]] ** 2, ("Index", "IndexAdd"), min_dims=1),
    Op("index_mask", lambda a: a[a.detach() > 0] * 3.0, ("Index", "IndexAdd"), kinks=(0.0,)),
    Op("gather", _gather, ("Index", "IndexAdd"), min_dims=1),
    Op("sort", lambda a: a.sort(0, descending=True).values * a, ("Index",), min_dims=1, distinct=True),
    Op("topk", lambda a: a.topk(1, -1, largest=False).values ** 2, ("Index",), min_dims=1, distinct=True),
    Op(
        "index_select",
        lambda a: a.index_select(-1, tg.tensor([0, 0])) * 2.0,
        ("Index", "IndexAdd"),
        min_dims=1,
    ),
    Op("scatter", _scatter, ("IndexPut", "Index"), arity=2, min_dims=1, same_shape=True),
    # 1.5 written along the first row of dim 0 (a's first element, for a vector)
    Op(
        "scatter_value",
        lambda a: a.scatter(0, tg.zeros(*(1,) * (a.ndim - 1), a.shape[-1], dtype=tg.int64), 1.5) * a,
        ("IndexPut",),
        min_dims=1,
    ),
    Op("scatter_add", _scatter_add, ("IndexAdd", "Add"), arity=2, min_dims=1, same_shape=True),
    Op(
        "scatter_reduce_sum", _scatter_reduce("sum"), ("ScatterReduce",), arity=2, min_dims=1, same_shape=True
    ),
    Op(
        "scatter_reduce_mean_excluding_self",
        _scatter_reduce("mean", include_self=False),
        ("ScatterReduce",),
        arity=2,
        min_dims=1,
        same_shape=True,
    ),
    # prod's gradients divide by the factors, so factors near 0 make finite differences (and 1/src**2
    # in the second derivative) ill-conditioned: kinks=(0.0,) keeps them away. Exact zeros take
    # another path, tested in tests/test_scatter_reduce.py, as is ProdZerosDoubleBackward, which
    # appears only in a graph of the gradient where two zeros of src meet, and raises by design (as
    # PyTorch does)
    Op(
        "scatter_reduce_prod",
        _scatter_reduce("prod"),
        ("ScatterReduce", "ProdZerosDoubleBackward"),
        arity=2,
        min_dims=1,
        same_shape=True,
        kinks=(0.0,),
    ),
    Op(
        "scatter_reduce_amax",
        _scatter_reduce("amax"),
        ("ScatterReduce",),
        arity=2,
        min_dims=1,
        same_shape=True,
        distinct=True,
    ),
    Op(
        "scatter_reduce_amin_excluding_self",
        _scatter_reduce("amin", include_self=False),
        ("ScatterReduce",),
        arity=2,
        min_dims=1,
        same_shape=True,
        distinct=True,
    ),
    Op(
        "index_reduce_prod", _index_reduce("prod"), ("ScatterReduce",), arity=2, same_shape=True, kinks=(0.0,)
    ),
    Op(
        "index_reduce_amax",
        _index_reduce("amax"),
        ("ScatterReduce",),
        arity=2,
        same_shape=True,
        distinct=True,
    ),
    Op("index_add", _index_add, ("IndexAdd", "Add", "Mul"), arity=2, same_shape=True),
    Op(
        "index_add_inplace",
        _index_add_inplace,
        ("IndexAdd", "Add", "Cat", "Clone"),
        arity=2,
        min_dims=1,
        same_shape=True,
    ),
    Op("narrow_select", lambda a: a.narrow(0, 0, 1).select(0, 0) ** 2, ("Index",), min_dims=1),
    Op("masked_select", lambda a: a.masked_select(a.detach() > 0) ** 2, ("Index",), kinks=(0.0,)),
    Op("tril_triu", lambda a: a.tril(-1) * a + a.triu(1) ** 2, ("Where",), min_dims=2),
    Op("unflatten", lambda a: a.reshape(-1).unflatten(0, (1, -1)) * a.reshape(-1), ("Reshape",)),
    # ops/rearranging.py: repeated places (repeat_interleave, take) add their gradients up
    Op(
        "repeat_interleave",
        lambda a: (
            a.repeat_interleave(tg.tensor((np.arange(a.shape[0]) + 1) % 3), dim=0) ** 2
            + a.repeat_interleave(2).sum()
        ),
        ("Index", "IndexAdd"),
        min_dims=1,
    ),
    Op("roll", lambda a: a.roll((1, -2), (0, -1)) * a + a.roll(2) ** 2, ("Index", "IndexAdd"), min_dims=1),
    Op(
        "rot90_movedim",
        lambda a: a.rot90(1, (0, -1)).movedim(0, -1) ** 2 + a.rot90(-1).swapaxes(0, 1).sum(),
        ("Index", "Permute", "Clone"),
        min_dims=2,
    ),
    Op(
        "tensor_split",
        lambda a, b: tg.cat(a.tensor_split(3, -1)[::-1], -1) * b + tg.cat(a.tensor_split([1, -1])) ** 2,
        ("Index", "Cat"),
        arity=2,
        same_shape=True,
        min_dims=1,
    ),
    Op(
        "take",
        lambda a: a.take(tg.tensor((np.arange(2 * a.numel()) * 5 + 1) % a.numel() - a.numel())) ** 2,
        ("Index", "IndexAdd"),
    ),
    # ops/matrix.py: diagonals with offsets, of dims in either order
    Op(
        "diagonal_offset",
        lambda a: a.diagonal(1, -1, 0) ** 2,
        ("Diagonal", "DiagEmbed"),
        min_dims=2,
        extra={"min_side": 2},
    ),
    Op("diag_embed", lambda a: a.diag_embed(-1, -1, 0) * a.sum(), ("DiagEmbed", "Diagonal"), min_dims=1),
    Op("diagonal_write_back", _diagonal_write_back, ("Diagonal", "DiagEmbed", "Where", "Clone"), min_dims=2),
    Op(
        "diag_trace",
        lambda a: a.reshape(a.shape[0], -1).trace() * a.reshape(-1).diag(1),
        ("Diagonal",),
        min_dims=1,
    ),
    Op(
        "mv",
        lambda a, b: a.reshape(a.shape[0], -1).mv(b.reshape(b.shape[0], -1)[0].exp()),
        ("MatMul",),
        arity=2,
        same_shape=True,
        min_dims=1,
    ),
    # tg.linalg (tinygrad_edu/linalg/): matrices from the helpers above
    Op("linalg_det", lambda a: tg.linalg.det(_invertible(a)), ("Det", "Inv"), min_dims=2),
    Op(
        "linalg_slogdet",
        lambda a: tg.linalg.slogdet(_invertible(a)).logabsdet * tg.linalg.slogdet(_invertible(a)).sign,
        ("LogAbsDet", "Inv"),
        min_dims=2,
    ),
    Op("linalg_inv", lambda a: tg.linalg.inv(_invertible(a)), ("Inv", "MatMul"), min_dims=2),
    Op(
        "linalg_solve",
        lambda a, b: tg.linalg.solve(_invertible(a), b),
        ("Solve", "MatMul"),
        arity=2,
        same_shape=True,
        min_dims=2,
    ),
    Op(
        "linalg_solve_vector_left_broadcast",
        _solve_vector_and_left,
        ("Solve", "Expand", "Permute"),
        arity=2,
        same_shape=True,
        min_dims=2,
    ),
    Op(
        "linalg_cholesky",
        lambda a: (
            tg.linalg.cholesky(_positive_definite(a))
            + tg.linalg.cholesky(_positive_definite(a), upper=True) ** 2
        ),
        ("Cholesky", "Solve"),
        min_dims=2,
    ),
    Op(
        "linalg_eigvalsh",
        lambda a: tg.linalg.eigvalsh(_separated_symmetric(a)),
        ("Eigvalsh", "EighVectors"),
        min_dims=2,
    ),
    Op(
        "linalg_eigvalsh_upper",
        lambda a: tg.linalg.eigvalsh(_separated_symmetric(a), UPLO="U") ** 2,
        ("Eigvalsh", "EighVectors"),
        min_dims=2,
    ),
    Op("linalg_eigh", _eigh, ("EighVectors", "Eigvalsh"), min_dims=2),
    # [[0, A], [A^T, 0]] has |n - k| zero eigenvalues: for n = 1, k = 3 two of them tie
    Op(
        "linalg_svdvals",
        lambda a: tg.linalg.svdvals(_separated_rectangular(a)),
        ("Eigvalsh", "Cat", "Index"),
        min_dims=2,
    ),
    Op("linalg_pinv", lambda a: tg.linalg.pinv(_separated_rectangular(a)), ("Pinv",), min_dims=2),
    Op(
        "linalg_pinv_hermitian",
        lambda a: tg.linalg.pinv(_separated_symmetric(a), hermitian=True),
        ("Pinv",),
        min_dims=2,
    ),
    Op(
        "linalg_matrix_power",
        lambda a: tg.linalg.matrix_power(_invertible(a), 3) + tg.linalg.matrix_power(_invertible(a), -2),
        ("MatMul", "Inv"),
        min_dims=2,
    ),
    Op(
        "linalg_matrix_norm_spectral",
        lambda a: (
            tg.linalg.matrix_norm(_separated_rectangular(a), 2)
            * tg.linalg.matrix_norm(_separated_rectangular(a), "nuc")
            + tg.linalg.matrix_norm(_separated_rectangular(a), -2)
        ),
        ("Eigvalsh", "Amax", "Sum"),
        min_dims=2,
    ),
    Op(
        "linalg_matrix_norm_sums",
        lambda a: (
            tg.linalg.matrix_norm(_row_and_column_sums_apart(a), float("inf"))
            * tg.linalg.matrix_norm(_row_and_column_sums_apart(a), -1, dim=(-1, -2), keepdim=True)
            + tg.linalg.norm(_row_and_column_sums_apart(a), "fro", dim=(-2, -1)) ** 2
        ),
        ("Abs", "Sum", "Amax", "Neg"),
        min_dims=2,
        domain=POSITIVE,
    ),
    # p < 1 and p < 0: |x|^p has an infinite slope at 0 (kinks= keeps values off it)
    Op(
        "linalg_vector_norm",
        lambda a: tg.linalg.vector_norm(a, 0.5, dim=-1, keepdim=True) * tg.linalg.vector_norm(a, -1.5),
        ("Abs", "Pow", "Where", "Sum"),
        kinks=(0.0,),
    ),
    Op(
        "linalg_cross",
        lambda a, b: tg.linalg.cross(
            tg.stack([a, a.sin(), a.exp()], 0), tg.stack([b.cos(), b, b * b], 0), dim=0
        ),
        ("Index", "IndexAdd", "Mul", "Sub"),
        arity=2,
        same_shape=True,
    ),
    Op("linalg_vecdot", lambda a, b: tg.linalg.vecdot(a, b.exp()), ("Mul", "Sum"), arity=2, broadcast=True),
    # tg.special (tinygrad_edu/special.py): the gamma family, Bessel and error functions
    # ops/gamma.py: each backward is the next member of the family (lgamma -> digamma -> polygamma(1) -> ...)
    Op("lgamma", lambda a: special.gammaln(a), ("Lgamma", "Digamma", "Polygamma"), domain=st.floats(0.2, 6)),
    # between the poles at -3 and -2, where Gamma < 0 (ln |Gamma|)
    Op("lgamma_negative", lambda a: special.gammaln(a), ("Lgamma", "Digamma"), domain=st.floats(-2.9, -2.1)),
    Op("digamma", lambda a: special.digamma(a), ("Digamma", "Polygamma"), domain=st.floats(0.2, 6)),
    Op("polygamma", lambda a: special.polygamma(2, a), ("Polygamma",), domain=st.floats(-0.9, -0.1)),
    Op("mvlgamma", lambda a: special.multigammaln(a + 1.5, 3), ("Lgamma",), domain=POSITIVE),
    Op("zeta", lambda a: special.zeta(2.5, a), ("Zeta",), domain=POSITIVE),
    # q < 0 with s whole: the sum over the negative terms
    Op("zeta_negative_q", lambda a: special.zeta(3.0, a), ("Zeta",), domain=st.floats(-2.9, -2.1)),
    # ops/bessel.py (i0e and i1e have kinks at 0: e^-|x|)
    Op("i0", lambda a: special.i0(a), ("I0", "I1")),
    Op("i1", lambda a: special.i1(a), ("I1", "I0")),
    Op("i0e", lambda a: special.i0e(a), ("I0e", "I1e"), kinks=(0.0,)),
    Op("i1e", lambda a: special.i1e(a), ("I1e", "I0e"), kinks=(0.0,)),
    # ops/error_functions.py
    Op("erfc", lambda a: special.erfc(a), ("Erfc",)),
    Op("erfcx", lambda a: special.erfcx(a), ("Erfcx",)),
    Op("ndtr", lambda a: special.ndtr(a), ("Erfc",)),
    Op("log_ndtr", lambda a: special.log_ndtr(a * 4.0), ("LogNdtr",)),
    Op("ndtri", lambda a: special.ndtri(a), ("Ndtri",), domain=PROBABILITY),
    # ops/incomplete_gamma.py: differentiable in x only, as in PyTorch
    Op("gammainc", lambda a: special.gammainc(2.5, a), ("Gammainc", "Lgamma"), domain=POSITIVE),
    Op("gammaincc", lambda a: special.gammaincc(0.7, a * 3.0), ("Gammaincc", "Lgamma"), domain=POSITIVE),
    # ops/log_products.py
    Op("entr", lambda a: special.entr(a), ("Entr",), domain=POSITIVE),
    Op(
        "xlog1py",
        lambda a, b: a.xlog1py(b) if hasattr(a, "xlog1py") else special.xlog1py(a, b),
        ("Xlog1py",),
        arity=2,
        broadcast=True,
        domain=POSITIVE,
    ),
    # x of either sign and often exactly 0, where xlog1py is 0 and dy/dx is still ln(1 + y)
    Op("xlog1py_x_at_0", lambda a, b: special.xlog1py(a, b * b), ("Xlog1py", "Mul"), arity=2, broadcast=True),
    Op("linalg_svd", _svd_products, ("SvdFactor",), min_dims=2),
    Op(
        "linalg_qr",
        lambda a: tg.linalg.qr(_separated_rectangular(a)).Q ** 3 @ tg.linalg.qr(_separated_rectangular(a)).R,
        ("QrFactor", "SolveTriangular"),
        min_dims=2,
        kinks=(0.0,),  # (a column already zero below the diagonal gets no reflection: R's sign jumps there)
    ),
    # LuFactor: L, U and the packed LU of tall, square and wide matrices
    Op(
        "linalg_lu",
        lambda a: tg.linalg.lu(_pivots_apart(a)).L ** 2 @ tg.linalg.lu(_pivots_apart(a)).U,
        ("LuFactor", "SolveTriangular"),
        min_dims=2,
    ),
    Op(
        "linalg_lu_factor",
        lambda a: tg.linalg.lu_factor(_pivots_apart(a)).LU ** 2 + tg.linalg.lu_factor_ex(_pivots_apart(a)).LU,
        ("LuFactor", "SolveTriangular"),
        min_dims=2,
    ),
    # lu_solve is two substitutions on LU's triangles (no Function of its own)
    Op(
        "linalg_lu_solve",
        _lu_solve_both_sides,
        ("LuFactor", "SolveTriangular", "Index"),
        arity=2,
        same_shape=True,
        min_dims=2,
    ),
    Op("lu_unpack", _lu_unpack, ("LuFactor", "Where"), min_dims=2),
    Op(
        "linalg_solve_triangular",
        lambda a, b: (
            tg.linalg.solve_triangular(_invertible(a), b, upper=True)
            + tg.linalg.solve_triangular(_invertible(a), b.mT, upper=False, left=False, unitriangular=True).mT
        ),
        ("SolveTriangular",),
        arity=2,
        same_shape=True,
        min_dims=2,
    ),
    # the 0-norm counts (no gradient, CountNonzero); kinks= keeps values off 0, where the count jumps
    Op(
        "linalg_vector_norm_zero",
        lambda a: tg.linalg.vector_norm(a, 0, dim=-1, keepdim=True) * a,
        ("CountNonzero",),
        kinks=(0.0,),
    ),
    Op(
        "linalg_multi_dot",
        lambda a, b: tg.linalg.multi_dot([a, b, b.mT, a.mT]) + tg.linalg.multi_dot([a[0], b, b.mT[:, 0]]),
        ("MatMul",),
        arity=2,
        extra={"matmul": "2d"},
    ),
    Op("setitem", _setitem, ("IndexPut", "Clone"), arity=2, min_dims=1, same_shape=True),
    Op(
        "inplace",
        _inplace,
        ("Add", "Mul", "Sub", "Div", "Clone"),
        arity=2,
        domain=POSITIVE,
        same_shape=True,
    ),
    Op("inplace_fused", _inplace_fused, ("Clone", "Mul", "Add", "Div", "Exp"), arity=2, same_shape=True),
    Op(
        "inplace_positive",
        _inplace_positive,
        ("Hypot", "Atan2", "Xlogy", "Copysign"),
        arity=2,
        same_shape=True,
        domain=POSITIVE,
    ),
    Op("cat", lambda a, b: tg.cat([a, b, a], 0), ("Cat",), arity=2, min_dims=1, same_shape=True),
    Op("stack", lambda a, b: tg.stack([a, b], -1), ("Cat", "Reshape"), arity=2, same_shape=True),
    Op(
        "split",
        lambda a, b: tg.cat(a.split([1, 2], 0)[::-1]) * b,
        ("Index", "Cat"),
        arity=2,
        same_shape=True,
        extra={"min_side": 3},
        min_dims=1,
    ),
    Op("chunk", lambda a: a.chunk(2, -1)[-1] ** 2, ("Index",), min_dims=1),
    Op("unbind", lambda a: tg.stack(a.unbind(-1)[::-1], -1) * a, ("Index", "Cat"), min_dims=1),
    Op("repeat", lambda a: a.repeat(2, *[2] * a.ndim) ** 2, ("Reshape", "Expand")),
    Op("tile", lambda a: a.tile(3) * a.sum(), ("Reshape", "Expand")),
    Op("matmul_2d", lambda a, b: a @ b, ("MatMul",), arity=2, extra={"matmul": "2d"}),
    Op("matmul_vec", lambda a, b: a @ b, ("MatMul",), arity=2, extra={"matmul": "vec"}),
    Op("matmul_batch", lambda a, b: a @ b, ("MatMul", "Expand"), arity=2, extra={"matmul": "batch"}),
    # (B, n, k) @ (B, k, n): the second operand is the first's shape, transposed
    Op("bmm", lambda a, b: tg.bmm(a, b.mT), ("MatMul",), arity=2, min_dims=3, same_shape=True),
    Op(
        "einsum_matmul",
        lambda a, b: tg.einsum("...ij,...kj->...ik", a, b),
        ("Einsum",),
        arity=2,
        min_dims=2,
        same_shape=True,
    ),
    # k is in one operand only: summed before the product
    Op(
        "einsum_private",
        lambda a, b: tg.einsum("...ij,...kj->...i", a, b.exp()),
        ("Einsum", "Sum"),
        arity=2,
        min_dims=2,
        same_shape=True,
    ),
    Op(
        "einsum_broadcast",
        lambda a, b: tg.einsum("...,...->...", a, b) * tg.einsum("...,...->", a, b.exp()),
        ("Einsum", "Expand"),
        arity=2,
        broadcast=True,
    ),
    Op(
        "einsum_three",
        lambda a, b, c: tg.einsum("...ij,...kj,...kl->...il", a, b, c),
        ("Einsum",),
        arity=3,
        min_dims=2,
        same_shape=True,
    ),
    Op("einsum_diagonal", _einsum_diagonal, ("Einsum", "Index", "Permute"), min_dims=1),
    Op("einsum_sum", lambda a: tg.einsum("...i->", a) * a, ("Einsum", "Sum"), min_dims=1),
    # users' Functions: PyTorch 2's setup_context, with broadcast inputs whose gradients `apply`
    # sums back; and a backward marked once_differentiable, so first derivatives only. (Its
    # DelayedError nodes appear only in a graph of the gradient, whose backward they make raise,
    # by design: test_engine checks that; there is no derivative of theirs to compare.)
    Op("setup_context", ScaledExp.apply, ("ScaledExp",), arity=2, broadcast=True),
    # users' Functions with several outputs (autograd/outputs.py); in the second, the output
    # saved for backward and not used (sin x) is dropped before backward, which remakes it
    Op(
        "several_outputs",
        _product_times_tanh_of_sum,
        ("ProductAndSum", "Output", "Tanh", "Mul"),
        arity=2,
        broadcast=True,
    ),
    Op("several_outputs_one_used", lambda a: SinCos.apply(a)[1] * a, ("SinCos", "Output", "Mul")),
    Op("mark_dirty", lambda a: Exp_.apply(a * 1.0) * a, ("Exp_", "Mul")),
    Op("mark_dirty_view", _exp_in_place_of_a_row, ("Exp_", "Index", "IndexPut"), min_dims=1),
    Op(
        "once_differentiable",
        lambda a: NumpySquare.apply(a) * a,
        ("NumpySquare", "DelayedError"),
        second_order=False,
    ),
    Op("linear", tg.nn.functional.linear, ("Linear",), arity=3, extra={"matmul": "linear"}),
    Op("linear_no_bias", tg.nn.functional.linear, ("Linear",), arity=2, extra={"matmul": "linear"}),
    # pad, constant mode: the last dim grows, the one before loses its first row and gains one
    Op(
        "pad_constant",
        lambda a: tg.nn.functional.pad(a, (1, 2, -1, 1)[: 2 * min(a.ndim, 2)], value=0.5) ** 2,
        ("Cat", "Index", "IndexAdd", "Clone"),
        extra={"min_side": 2},
    ),
    Op(
        "pad_reflect_replicate_circular",
        lambda a: (
            tg.nn.functional.pad(a, (1, 1), mode="reflect")
            * tg.nn.functional.pad(a, (2, 0), mode="replicate")
            + tg.nn.functional.pad(a, (1, 1), mode="circular") ** 2
        ),
        ("Index", "IndexAdd"),
        min_dims=2,
        extra={"min_side": 2},
    ),
    # sliding windows (ops/conv.py): Unfold's backward is Fold and Fold's is Unfold; the squares
    # give the second derivatives something to check
    Op(
        "unfold",
        lambda a: unfold(_image(a)[0], 2, dilation=(1, 2), padding=1, stride=(2, 1)) ** 2,
        ("Unfold", "Fold"),
        min_dims=2,
        extra={"min_side": 2},
    ),
    Op("fold", _fold, ("Fold", "Unfold"), min_dims=2, extra={"min_side": 2}),
    Op(
        "conv2d",
        lambda a, b: conv2d(_image(a), _kernels(b), b.reshape(-1)[:2], stride=(1, 2), padding=1),
        ("Unfold", "MatMul", "Reshape"),
        arity=2,
        same_shape=True,
        min_dims=2,
        extra={"min_side": 2},
    ),
    # "same" with a span of 3 along H: the odd total padding puts the extra zero at the bottom
    Op(
        "conv2d_same_dilated",
        lambda a, b: conv2d(_image(a), _kernels(b), padding="same", dilation=(2, 1)),
        ("Unfold", "MatMul", "Cat"),
        arity=2,
        same_shape=True,
        min_dims=2,
        extra={"min_side": 2},
    ),
    Op(
        "conv2d_groups",
        _conv2d_groups,
        ("Unfold", "MatMul"),
        arity=2,
        same_shape=True,
        min_dims=2,
        extra={"min_side": 2},
    ),
    Op("conv1d", _conv1d, ("Unfold", "MatMul"), arity=2, same_shape=True, min_dims=2, extra={"min_side": 2}),
    # vol2col (ops/conv3d.py): Unfold3d's backward is Fold3d and Fold3d's is Unfold3d
    Op(
        "unfold3d",
        lambda a: Unfold3d._apply1(_volume(a), *_GEOMETRY_3D) ** 2,
        ("Unfold3d", "Fold3d"),
        min_dims=3,
        extra={"min_side": 2},
    ),
    Op("fold3d", _fold3d, ("Fold3d", "Unfold3d"), min_dims=3, extra={"min_side": 2}),
    Op(
        "conv3d",
        lambda a, b: conv3d(
            _volume(a), _kernels3d(b), b.reshape(-1)[:2], stride=(1, 2, 1), padding=1, dilation=(2, 1, 1)
        ),
        ("Unfold3d", "MatMul", "Reshape"),
        arity=2,
        same_shape=True,
        min_dims=3,
        extra={"min_side": 2},
    ),
    # "same" with spans (2, 3, 2): odd totals along D and W put the extra zero at the end
    Op(
        "conv3d_same_dilated",
        lambda a, b: conv3d(_volume(a), _kernels3d(b), padding="same", dilation=(1, 2, 1)),
        ("Unfold3d", "MatMul"),
        arity=2,
        same_shape=True,
        min_dims=3,
        extra={"min_side": 2},
    ),
    Op(
        "conv_transpose3d",
        lambda a, b: conv_transpose3d(
            _volume(a),
            _kernels3d(b).transpose(0, 1),
            b.reshape(-1)[-2:],
            stride=2,
            padding=(1, 0, 0),
            output_padding=(1, 0, 1),
        ),
        ("Fold3d", "MatMul"),
        arity=2,
        same_shape=True,
        min_dims=3,
        extra={"min_side": 2},
    ),
    # max pooling: distinct values, so no box has a tie
    Op(
        "max_pool3d",
        lambda a: max_pool3d(_volume(a), 2, stride=1, padding=1) ** 2,
        ("Unfold3d", "Index"),
        min_dims=3,
        distinct=True,
        extra={"min_side": 2},
    ),
    Op(
        "max_pool3d_ceil_dilated",
        lambda a: max_pool3d(_volume(a)[0], (1, 2, 2), 2, (0, 1, 1), (1, 2, 1), ceil_mode=True) ** 2,
        ("Unfold3d", "Index"),
        min_dims=3,
        distinct=True,
        extra={"min_side": 2},
    ),
    Op(
        "avg_pool3d",
        lambda a: avg_pool3d(_volume(a), 2, stride=1, padding=1, count_include_pad=False) ** 2,
        ("Unfold3d", "Sum", "Div"),
        min_dims=3,
        extra={"min_side": 2},
    ),
    Op(
        "avg_pool3d_ceil_divisor",
        lambda a: avg_pool3d(_volume(a), (2, 1, 2), stride=2, ceil_mode=True, divisor_override=3) ** 2,
        ("Unfold3d", "Sum", "Div"),
        min_dims=3,
        extra={"min_side": 2},
    ),
    Op(
        "adaptive_avg_pool3d",
        lambda a: adaptive_avg_pool3d(_volume(a), (2, 1, 2)) ** 2,
        ("Cat",),
        min_dims=3,
        extra={"min_side": 2},
    ),
    Op(
        "adaptive_max_pool3d",
        lambda a: adaptive_max_pool3d(_volume(a)[0], (2, 1, 2)) ** 2,
        ("Cat", "Index"),
        min_dims=3,
        distinct=True,
        extra={"min_side": 2},
    ),
    # max pooling: distinct values, so no window has a tie
    Op(
        "max_pool2d",
        lambda a: max_pool2d(_image(a), 2, stride=1, padding=1) ** 2,
        ("Unfold", "Index", "Cat"),
        min_dims=2,
        distinct=True,
        extra={"min_side": 2},
    ),
    Op(
        "max_pool2d_ceil_dilated",
        lambda a: max_pool2d(_image(a)[0], 2, stride=2, padding=1, dilation=(2, 1), ceil_mode=True) ** 2,
        ("Unfold", "Index"),
        min_dims=2,
        distinct=True,
        extra={"min_side": 2},
    ),
    Op(
        "avg_pool2d",
        lambda a: avg_pool2d(_image(a), 2, stride=1, padding=1, count_include_pad=False) ** 2,
        ("Unfold", "Sum", "Div"),
        min_dims=2,
        extra={"min_side": 2},
    ),
    Op(
        "avg_pool2d_ceil",
        lambda a: avg_pool2d(_image(a), (2, 1), stride=2, ceil_mode=True) ** 2,
        ("Unfold", "Sum", "Div"),
        min_dims=2,
        extra={"min_side": 2},
    ),
    Op(
        "batch_norm_train",
        _batch_norm,
        ("Sum", "Sqrt"),
        arity=2,
        same_shape=True,
        min_dims=2,
        extra={"min_side": 2},
    ),
    Op(
        "batch_norm_eval",
        lambda a, b: _batch_norm(a, b, training=False) ** 2,
        ("Sqrt", "Mul"),
        arity=2,
        same_shape=True,
        min_dims=2,
    ),
    Op("layer_norm", _layer_norm, ("Sum", "Sqrt"), arity=2, same_shape=True, min_dims=1),
    Op("embedding", _embedding, ("Index", "IndexAdd"), min_dims=2),
]


# Ops that PyTorch records but cannot differentiate: backward raises, naming the op
# (test_gradients.py checks each; the table of rows above cannot, having no derivative to compare)
UNDIFFERENTIABLE = [
    Op("floor_divide", lambda a, b: a // b, ("FloorDivide", "Undifferentiable"), arity=2, broadcast=True),
    Op("heaviside", lambda a, b: a.heaviside(b), ("Heaviside",), arity=2, broadcast=True),
    # unique's values are recorded; its inverse and counts are int64 constants
    Op("unique", lambda a: a.unique(), ("Unique", "Distinct")),
    Op("unique", lambda a: a.unique(sorted=False, return_inverse=True, return_counts=True)[0], ("Unique",)),
    Op("unique_dim", lambda a: a.unique(dim=0), ("UniqueDim",), min_dims=1),
    Op(
        "unique_dim",
        lambda a: a.unique(return_inverse=True, return_counts=True, dim=-1)[0],
        ("UniqueDim",),
        min_dims=1,
    ),
    Op("unique_consecutive", lambda a: a.unique_consecutive(), ("UniqueConsecutive",)),
    Op(
        "unique_consecutive",
        lambda a: tg.unique_consecutive(a, return_inverse=True, return_counts=True, dim=0)[0],
        ("UniqueConsecutive",),
        min_dims=1,
    ),
]
