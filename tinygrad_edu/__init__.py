"""tinygrad_edu: a small, readable automatic-differentiation framework on NumPy."""

from __future__ import annotations

import builtins
import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

from . import (
    autograd,
    backends,
    cuda,
    data,
    distributions,
    linalg,
    nn,
    optim,
    special,
    testing,
    utils,
    viz,
    warning,
)
from .autograd import (
    Function,
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled, set_anomaly_enabled
from .backends import (
    are_deterministic_algorithms_enabled,
    is_deterministic_algorithms_warn_only_enabled,
    use_deterministic_algorithms,
)
from .devices import device
from .dtype_info import finfo, iinfo
from .dtypes import (
    bool_,
    can_cast,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    promote_types,
    set_default_dtype,
    uint8,
)
from .factories import (
    arange,
    as_tensor,
    asarray,
    empty,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .index_factories import tril_indices, triu_indices
from .legacy_types import (
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
)
from .linalg.lu_solve import lu_unpack
from .more_factories import empty_like, logspace
from .nn.functional import cosine_similarity, pairwise_distance, pdist
from .nn.top_level import (
    adaptive_avg_pool1d,
    adaptive_max_pool1d,
    alpha_dropout,
    alpha_dropout_,
    avg_pool1d,
    batch_norm,
    bilinear,
    celu,
    celu_,
    channel_shuffle,
    constant_pad_nd,
    conv1d,
    conv2d,
    conv3d,
    conv_transpose1d,
    conv_transpose2d,
    conv_transpose3d,
    dropout,
    dropout_,
    embedding,
    feature_alpha_dropout,
    feature_alpha_dropout_,
    feature_dropout,
    feature_dropout_,
    group_norm,
    hardshrink,
    instance_norm,
    layer_norm,
    max_pool1d,
    max_pool1d_with_indices,
    max_pool2d,
    max_pool3d,
    pixel_shuffle,
    pixel_unshuffle,
    prelu,
    rms_norm,
    rrelu,
    rrelu_,
    rsub,
    scalar_tensor,
    selu,
    selu_,
    threshold,
    threshold_,
)
from .ops.broadcast import result_type_of as result_type
from .ops.cdist import cdist
from .ops.clamping import clamp_max, clamp_min
from .ops.combinations import combinations
from .ops.comparing import isin
from .ops.deprecated_linalg import chain_matmul, frobenius_norm, nuclear_norm
from .ops.einsum import einsum
from .ops.elementwise import where
from .ops.finite_differences import gradient
from .ops.flat_indices import unravel_index
from .ops.float_bits import frexp, nextafter
from .ops.grids import broadcast_shapes, broadcast_tensors, meshgrid
from .ops.histogram import histogram
from .ops.integration import cumulative_trapezoid, trapezoid, trapz
from .ops.joining import cat, column_stack, concat, concatenate, dstack, hstack, row_stack, stack, vstack
from .ops.legacy_linalg import (
    cholesky,
    cholesky_inverse,
    cholesky_solve,
    eig,
    lstsq,
    lu,
    lu_solve,
    matrix_rank,
    qr,
    solve,
    symeig,
    triangular_solve,
)
from .ops.more_products import block_diag, cartesian_prod, tensordot
from .ops.quantiles import mode, nanmedian, nanquantile, quantile
from .ops.rearranging import repeat_interleave_function as repeat_interleave
from .ops.renorm import renorm
from .ops.scatter_views import diagonal_scatter, select_scatter, slice_scatter
from .ops.searching import argwhere, bucketize, msort, searchsorted, take_along_dim
from .ops.shape_helpers import atleast_1d, atleast_2d, atleast_3d, broadcast_to
from .ops.signal_windows import bartlett_window, blackman_window, hamming_window, hann_window, kaiser_window
from .ops.statistics import std_mean, var_mean
from .ops.unique import unique_consecutive
from .ops.vandermonde import vander
from .printing import get_printoptions, printoptions, set_printoptions
from .random import Generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .sampling import bernoulli, multinomial, normal, poisson, randint_like
from .serialization import load, save
from .size import Size
from .special import polygamma  # (torch's order: polygamma(n, input), not the method's)
from .tensor import Tensor

warning.quiet_float_errors()  # silent nan and inf, as in PyTorch (warning.py)

# PyTorch's dtype names (they shadow the builtins inside this namespace only, as torch's do)
float, double, half = float32, float64, float16
int, long, short, bool = int32, int64, int16, bool_

# PyTorch's function forms of Tensor methods: tg.sum(x, 1) is x.sum(1)
add = Tensor.add
sub = Tensor.sub
mul = Tensor.mul
div = Tensor.div
subtract = Tensor.subtract
multiply = Tensor.multiply
divide = Tensor.divide
true_divide = Tensor.true_divide
clone = Tensor.clone
sign = Tensor.sign
erf = Tensor.erf
reciprocal = Tensor.reciprocal
abs = Tensor.abs
exp = Tensor.exp
log = Tensor.log
log1p = Tensor.log1p
expm1 = Tensor.expm1
sqrt = Tensor.sqrt
sin = Tensor.sin
cos = Tensor.cos
sigmoid = Tensor.sigmoid
tanh = Tensor.tanh
relu = Tensor.relu
softmax = Tensor.softmax
log_softmax = Tensor.log_softmax
logsumexp = Tensor.logsumexp
prod = Tensor.prod
cumsum = Tensor.cumsum
norm = Tensor.norm
svd = Tensor.svd
matrix_exp = Tensor.matrix_exp
lgamma = Tensor.lgamma
digamma = Tensor.digamma
mvlgamma = Tensor.mvlgamma
i0 = Tensor.i0
erfc = Tensor.erfc
scatter_reduce = Tensor.scatter_reduce
index_reduce = Tensor.index_reduce
sum = Tensor.sum
mean = Tensor.mean
var = Tensor.var
std = Tensor.std
max = Tensor.max
min = Tensor.min
argmax = Tensor.argmax
argmin = Tensor.argmin
median = Tensor.median
unique = Tensor.unique
amax = Tensor.amax
amin = Tensor.amin
all = Tensor.all
any = Tensor.any
maximum = Tensor.maximum
minimum = Tensor.minimum
clamp = Tensor.clamp
clip = Tensor.clip
pow = Tensor.pow
remainder = Tensor.remainder
floor_divide = Tensor.floor_divide
round = Tensor.round
floor = Tensor.floor
ceil = Tensor.ceil
isnan = Tensor.isnan
square = Tensor.square
matmul = Tensor.matmul
mm = Tensor.mm
dot = Tensor.dot
outer = Tensor.outer
ger = Tensor.ger
allclose = Tensor.allclose
isclose = Tensor.isclose
nonzero = Tensor.nonzero
logical_not = Tensor.logical_not
is_floating_point = Tensor.is_floating_point
bmm = Tensor.bmm
reshape = Tensor.reshape
flatten = Tensor.flatten
squeeze = Tensor.squeeze
unsqueeze = Tensor.unsqueeze
transpose = Tensor.transpose
permute = Tensor.permute
flip = Tensor.flip
tile = Tensor.tile
split = Tensor.split
chunk = Tensor.chunk
unbind = Tensor.unbind
unflatten = Tensor.unflatten
select = Tensor.select
narrow = Tensor.narrow
index_select = Tensor.index_select
masked_select = Tensor.masked_select
tril = Tensor.tril
triu = Tensor.triu
gather = Tensor.gather
scatter = Tensor.scatter
scatter_add = Tensor.scatter_add
index_add = Tensor.index_add
sort = Tensor.sort
argsort = Tensor.argsort
topk = Tensor.topk
numel = Tensor.numel
masked_fill = Tensor.masked_fill
# the math of ops/trigonometry.py and ops/more_math.py, with PyTorch's other names (arcsin, fix, ...)
tan = Tensor.tan
asin = Tensor.asin
acos = Tensor.acos
atan = Tensor.atan
sinh = Tensor.sinh
cosh = Tensor.cosh
asinh = Tensor.asinh
acosh = Tensor.acosh
atanh = Tensor.atanh
arcsin = Tensor.arcsin
arccos = Tensor.arccos
arctan = Tensor.arctan
arcsinh = Tensor.arcsinh
arccosh = Tensor.arccosh
arctanh = Tensor.arctanh
atan2 = Tensor.atan2
arctan2 = Tensor.arctan2
hypot = Tensor.hypot
log2 = Tensor.log2
log10 = Tensor.log10
exp2 = Tensor.exp2
rsqrt = Tensor.rsqrt
logaddexp = Tensor.logaddexp
xlogy = Tensor.xlogy
logit = Tensor.logit
lerp = Tensor.lerp
addcmul = Tensor.addcmul
addcdiv = Tensor.addcdiv
fmod = Tensor.fmod
trunc = Tensor.trunc
fix = Tensor.fix
frac = Tensor.frac
deg2rad = Tensor.deg2rad
rad2deg = Tensor.rad2deg
copysign = Tensor.copysign
heaviside = Tensor.heaviside
signbit = Tensor.signbit
isinf = Tensor.isinf
isfinite = Tensor.isfinite
isposinf = Tensor.isposinf
isneginf = Tensor.isneginf
nan_to_num = Tensor.nan_to_num
logical_and = Tensor.logical_and
logical_or = Tensor.logical_or
logical_xor = Tensor.logical_xor
# ops/cumulative.py, ops/statistics.py, ops/rearranging.py and ops/matrix.py (tg.repeat_interleave,
# tg.var_mean and tg.std_mean, which have no method, are imported above)
cumprod = Tensor.cumprod
cummax = Tensor.cummax
cummin = Tensor.cummin
logcumsumexp = Tensor.logcumsumexp
diff = Tensor.diff
nansum = Tensor.nansum
nanmean = Tensor.nanmean
count_nonzero = Tensor.count_nonzero
aminmax = Tensor.aminmax
kthvalue = Tensor.kthvalue
bincount = Tensor.bincount
histc = Tensor.histc
roll = Tensor.roll
rot90 = Tensor.rot90
movedim = Tensor.movedim
moveaxis = Tensor.moveaxis
swapaxes = Tensor.swapaxes
swapdims = Tensor.swapdims
tensor_split = Tensor.tensor_split
take = Tensor.take
diagonal = Tensor.diagonal
diag = Tensor.diag
diag_embed = Tensor.diag_embed
trace = Tensor.trace
mv = Tensor.mv
negative = Tensor.negative
absolute = Tensor.absolute
sgn = Tensor.sgn
ravel = Tensor.ravel
is_signed = Tensor.is_signed
conj = Tensor.conj
resolve_conj = Tensor.resolve_conj
resolve_neg = Tensor.resolve_neg
is_neg = Tensor.is_neg
is_conj = Tensor.is_conj
is_inference = Tensor.is_inference
split_with_sizes = Tensor.split_with_sizes
adjoint = Tensor.adjoint
isreal = Tensor.isreal
logaddexp2 = Tensor.logaddexp2
sinc = Tensor.sinc
float_power = Tensor.float_power
ldexp = Tensor.ldexp
gcd = Tensor.gcd
lcm = Tensor.lcm
bitwise_and = Tensor.bitwise_and
bitwise_or = Tensor.bitwise_or
bitwise_xor = Tensor.bitwise_xor
bitwise_not = Tensor.bitwise_not
bitwise_left_shift = Tensor.bitwise_left_shift
bitwise_right_shift = Tensor.bitwise_right_shift
erfinv = Tensor.erfinv
index_fill = Tensor.index_fill
index_copy = Tensor.index_copy
index_put = Tensor.index_put
index_put_ = Tensor.index_put_
masked_scatter = Tensor.masked_scatter
put = Tensor.put
negative_ = Tensor.negative_
square_ = Tensor.square_
expm1_ = Tensor.expm1_
log1p_ = Tensor.log1p_
erf_ = Tensor.erf_
sinc_ = Tensor.sinc_
ldexp_ = Tensor.ldexp_
gcd_ = Tensor.gcd_
lcm_ = Tensor.lcm_
# The in-place function forms (tg.relu_(x) is x.relu_()), and tg.detach
abs_ = Tensor.abs_
acos_ = Tensor.acos_
acosh_ = Tensor.acosh_
addmv_ = Tensor.addmv_
arccos_ = Tensor.arccos_
arccosh_ = Tensor.arccosh_
arcsin_ = Tensor.arcsin_
arcsinh_ = Tensor.arcsinh_
arctan_ = Tensor.arctan_
arctanh_ = Tensor.arctanh_
asin_ = Tensor.asin_
asinh_ = Tensor.asinh_
atan_ = Tensor.atan_
atanh_ = Tensor.atanh_
ceil_ = Tensor.ceil_
clamp_ = Tensor.clamp_
clamp_max_ = Tensor.clamp_max_
clamp_min_ = Tensor.clamp_min_
clip_ = Tensor.clip_
cos_ = Tensor.cos_
cosh_ = Tensor.cosh_
deg2rad_ = Tensor.deg2rad_
detach_ = Tensor.detach_
erfc_ = Tensor.erfc_
exp2_ = Tensor.exp2_
exp_ = Tensor.exp_
fill_ = Tensor.fill_
fix_ = Tensor.fix_
floor_ = Tensor.floor_
frac_ = Tensor.frac_
i0_ = Tensor.i0_
log10_ = Tensor.log10_
log2_ = Tensor.log2_
log_ = Tensor.log_
logit_ = Tensor.logit_
nan_to_num_ = Tensor.nan_to_num_
neg_ = Tensor.neg_
rad2deg_ = Tensor.rad2deg_
reciprocal_ = Tensor.reciprocal_
relu_ = Tensor.relu_
round_ = Tensor.round_
rsqrt_ = Tensor.rsqrt_
sigmoid_ = Tensor.sigmoid_
sin_ = Tensor.sin_
sinh_ = Tensor.sinh_
sqrt_ = Tensor.sqrt_
tan_ = Tensor.tan_
tanh_ = Tensor.tanh_
trunc_ = Tensor.trunc_
xlogy_ = Tensor.xlogy_
zero_ = Tensor.zero_
detach = Tensor.detach
# PyTorch's function forms that a course coming from PyTorch meets: comparisons, the BLAS-style
# products, the older linear-algebra names, splits and flips, statistics (helper P's additions)
t = Tensor.t
neg = Tensor.neg
positive = Tensor.positive
eq = Tensor.eq
ne = Tensor.ne
lt = Tensor.lt
le = Tensor.le
gt = Tensor.gt
ge = Tensor.ge
greater = Tensor.greater
greater_equal = Tensor.greater_equal
less = Tensor.less
less_equal = Tensor.less_equal
not_equal = Tensor.not_equal
fmax = Tensor.fmax
fmin = Tensor.fmin
addmm = Tensor.addmm
addmv = Tensor.addmv
addr = Tensor.addr
baddbmm = Tensor.baddbmm
addbmm = Tensor.addbmm
inner = Tensor.inner
kron = Tensor.kron
vdot = Tensor.vdot
cross = Tensor.cross
dist = Tensor.dist
det = Tensor.det
logdet = Tensor.logdet
slogdet = Tensor.slogdet
inverse = Tensor.inverse
matrix_power = Tensor.matrix_power
pinverse = Tensor.pinverse
diagflat = Tensor.diagflat
hsplit = Tensor.hsplit
vsplit = Tensor.vsplit
dsplit = Tensor.dsplit
fliplr = Tensor.fliplr
flipud = Tensor.flipud
cov = Tensor.cov
corrcoef = Tensor.corrcoef
is_nonzero = Tensor.is_nonzero
is_same_size = Tensor.is_same_size


def _function_form(method: Callable) -> Callable:
    """`method` called as PyTorch's function form, whose first argument is `input`, not `self`."""
    signature = inspect.signature(method)
    first, *rest = signature.parameters.values()

    @functools.wraps(method)
    def function(*args: Any, **kwargs: Any) -> Any:
        if "input" in kwargs:  # tg.sum(input=x, dim=1)
            args = (kwargs.pop("input"), *args)
        return method(*args, **kwargs)

    function.__signature__ = signature.replace(parameters=[first.replace(name="input"), *rest])  # type: ignore[attr-defined]
    return function


def _is_tensor_method(value: object) -> builtins.bool:
    return callable(value) and getattr(Tensor, getattr(value, "__name__", ""), None) is value


# Each function form above becomes a function of `input`, one per method (so aliases stay one function)
_forms: dict[Callable, Callable] = {}
for _name, _value in list(globals().items()):
    if _is_tensor_method(_value):
        if _value not in _forms:
            _forms[_value] = _function_form(_value)
        globals()[_name] = _forms[_value]
del _forms, _name, _value


def real(input: Tensor) -> Tensor:
    """The real part: a real tensor itself (tinygrad_edu has no complex dtypes)."""
    return input.real


def imag(input: Tensor) -> Tensor:
    """Refused for real tensors, as in PyTorch."""
    return input.imag


def is_tensor(obj: object) -> builtins.bool:
    """True for a tg.Tensor (a Parameter included)."""
    return isinstance(obj, Tensor)


def equal(input: Tensor, other: Tensor) -> builtins.bool:
    """Same shape and the same values."""
    return input.shape == other.shape and builtins.bool(np.array_equal(input.data, other.data))


__version__ = "0.1.0"

__all__ = [
    "BoolTensor",
    "ByteTensor",
    "CharTensor",
    "DoubleTensor",
    "FloatTensor",
    "Function",
    "Generator",
    "HalfTensor",
    "IntTensor",
    "LongTensor",
    "ShortTensor",
    "Tensor",
    "abs",
    "absolute",
    "acos",
    "acosh",
    "add",
    "addcdiv",
    "addcmul",
    "adjoint",
    "all",
    "allclose",
    "amax",
    "amin",
    "aminmax",
    "any",
    "arange",
    "are_deterministic_algorithms_enabled",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "argmax",
    "argmin",
    "argsort",
    "argwhere",
    "as_tensor",
    "asarray",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "autograd",
    "backends",
    "bernoulli",
    "bincount",
    "bitwise_and",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "bmm",
    "bool",
    "bool_",
    "broadcast_shapes",
    "broadcast_tensors",
    "bucketize",
    "cat",
    "cdist",
    "ceil",
    "chunk",
    "clamp",
    "clamp_max",
    "clamp_min",
    "clip",
    "clone",
    "column_stack",
    "concat",
    "concatenate",
    "conj",
    "copysign",
    "cos",
    "cosh",
    "count_nonzero",
    "cuda",
    "cummax",
    "cummin",
    "cumprod",
    "cumsum",
    "data",
    "deg2rad",
    "device",
    "diag",
    "diag_embed",
    "diagonal",
    "diff",
    "digamma",
    "distributions",
    "can_cast",
    "promote_types",
    "result_type",
    "div",
    "divide",
    "dot",
    "double",
    "dstack",
    "einsum",
    "empty",
    "empty_like",
    "enable_grad",
    "equal",
    "erf",
    "erf_",
    "erfc",
    "erfinv",
    "exp",
    "exp2",
    "expm1",
    "expm1_",
    "eye",
    "finfo",
    "fix",
    "flatten",
    "flip",
    "float",
    "float16",
    "float32",
    "float64",
    "float_power",
    "floor",
    "floor_divide",
    "fmod",
    "frac",
    "from_numpy",
    "full",
    "full_like",
    "gather",
    "gcd",
    "gcd_",
    "ger",
    "get_default_dtype",
    "half",
    "heaviside",
    "histc",
    "hstack",
    "hypot",
    "i0",
    "iinfo",
    "imag",
    "index_add",
    "index_copy",
    "index_fill",
    "index_put",
    "index_put_",
    "index_reduce",
    "index_select",
    "inference_mode",
    "int",
    "int16",
    "int32",
    "int64",
    "int8",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "is_floating_point",
    "is_deterministic_algorithms_warn_only_enabled",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "is_signed",
    "is_tensor",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "kthvalue",
    "lcm",
    "lcm_",
    "ldexp",
    "ldexp_",
    "lerp",
    "lgamma",
    "linalg",
    "linspace",
    "load",
    "log",
    "log10",
    "log1p",
    "log1p_",
    "log2",
    "log_softmax",
    "logaddexp",
    "logaddexp2",
    "logcumsumexp",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logit",
    "logspace",
    "logsumexp",
    "long",
    "lu_unpack",
    "manual_seed",
    "get_printoptions",
    "get_rng_state",
    "initial_seed",
    "seed",
    "set_rng_state",
    "masked_fill",
    "masked_scatter",
    "masked_select",
    "matmul",
    "matrix_exp",
    "max",
    "maximum",
    "mean",
    "median",
    "meshgrid",
    "min",
    "minimum",
    "mm",
    "mode",
    "moveaxis",
    "movedim",
    "msort",
    "mul",
    "multinomial",
    "multiply",
    "mv",
    "mvlgamma",
    "nan_to_num",
    "nanmean",
    "nanmedian",
    "nanquantile",
    "nansum",
    "narrow",
    "negative",
    "negative_",
    "nn",
    "no_grad",
    "nonzero",
    "norm",
    "normal",
    "numel",
    "ones",
    "ones_like",
    "optim",
    "outer",
    "permute",
    "poisson",
    "polygamma",
    "pow",
    "printoptions",
    "prod",
    "put",
    "quantile",
    "rad2deg",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "randperm",
    "ravel",
    "real",
    "reciprocal",
    "relu",
    "remainder",
    "repeat_interleave",
    "reshape",
    "resolve_conj",
    "roll",
    "rot90",
    "round",
    "row_stack",
    "rsqrt",
    "save",
    "scatter",
    "scatter_add",
    "scatter_reduce",
    "searchsorted",
    "select",
    "set_anomaly_enabled",
    "set_default_dtype",
    "set_grad_enabled",
    "set_printoptions",
    "sgn",
    "short",
    "sigmoid",
    "sign",
    "signbit",
    "sin",
    "sinc",
    "sinc_",
    "sinh",
    "softmax",
    "sort",
    "special",
    "split",
    "sqrt",
    "square",
    "square_",
    "squeeze",
    "stack",
    "std",
    "std_mean",
    "sub",
    "subtract",
    "sum",
    "svd",
    "swapaxes",
    "swapdims",
    "take",
    "take_along_dim",
    "tan",
    "tanh",
    "tensor",
    "tensor_split",
    "testing",
    "tile",
    "topk",
    "trace",
    "transpose",
    "tril",
    "triu",
    "true_divide",
    "trunc",
    "uint8",
    "unbind",
    "unflatten",
    "unique",
    "unique_consecutive",
    "unsqueeze",
    "use_deterministic_algorithms",
    "utils",
    "var",
    "var_mean",
    "viz",
    "vstack",
    "where",
    "xlogy",
    "zeros",
    "zeros_like",
    "Size",
    "t",
    "neg",
    "positive",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "not_equal",
    "fmax",
    "fmin",
    "addmm",
    "addmv",
    "addr",
    "baddbmm",
    "addbmm",
    "inner",
    "kron",
    "vdot",
    "cross",
    "dist",
    "det",
    "logdet",
    "slogdet",
    "inverse",
    "matrix_power",
    "pinverse",
    "diagflat",
    "hsplit",
    "vsplit",
    "dsplit",
    "fliplr",
    "flipud",
    "cov",
    "corrcoef",
    "is_nonzero",
    "is_same_size",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "broadcast_to",
    "tensordot",
    "block_diag",
    "cartesian_prod",
    "isin",
    "trapezoid",
    "trapz",
    "cumulative_trapezoid",
    "tril_indices",
    "triu_indices",
    "cosine_similarity",
    "pairwise_distance",
    "pdist",
    "cholesky",
    "cholesky_inverse",
    "cholesky_solve",
    "is_conj",
    "is_inference",
    "is_neg",
    "lu",
    "lu_solve",
    "matrix_rank",
    "qr",
    "solve",
    "eig",
    "symeig",
    "lstsq",
    "resolve_neg",
    "split_with_sizes",
    "triangular_solve",
    "abs_",
    "acos_",
    "acosh_",
    "addmv_",
    "arccos_",
    "arccosh_",
    "arcsin_",
    "arcsinh_",
    "arctan_",
    "arctanh_",
    "asin_",
    "asinh_",
    "atan_",
    "atanh_",
    "ceil_",
    "clamp_",
    "clamp_max_",
    "clamp_min_",
    "clip_",
    "cos_",
    "cosh_",
    "deg2rad_",
    "detach_",
    "erfc_",
    "exp2_",
    "exp_",
    "fill_",
    "fix_",
    "floor_",
    "frac_",
    "i0_",
    "log10_",
    "log2_",
    "log_",
    "logit_",
    "nan_to_num_",
    "neg_",
    "rad2deg_",
    "reciprocal_",
    "relu_",
    "round_",
    "rsqrt_",
    "sigmoid_",
    "sin_",
    "sinh_",
    "sqrt_",
    "tan_",
    "tanh_",
    "trunc_",
    "xlogy_",
    "zero_",
    "detach",
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "alpha_dropout",
    "alpha_dropout_",
    "avg_pool1d",
    "batch_norm",
    "bilinear",
    "celu",
    "celu_",
    "channel_shuffle",
    "constant_pad_nd",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "dropout",
    "dropout_",
    "embedding",
    "feature_alpha_dropout",
    "feature_alpha_dropout_",
    "feature_dropout",
    "feature_dropout_",
    "group_norm",
    "hardshrink",
    "instance_norm",
    "layer_norm",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool3d",
    "pixel_shuffle",
    "pixel_unshuffle",
    "prelu",
    "rms_norm",
    "rrelu",
    "rrelu_",
    "rsub",
    "scalar_tensor",
    "selu",
    "selu_",
    "threshold",
    "threshold_",
    "bartlett_window",
    "blackman_window",
    "chain_matmul",
    "combinations",
    "diagonal_scatter",
    "frexp",
    "frobenius_norm",
    "gradient",
    "hamming_window",
    "hann_window",
    "histogram",
    "kaiser_window",
    "nextafter",
    "nuclear_norm",
    "renorm",
    "select_scatter",
    "slice_scatter",
    "unravel_index",
    "vander",
]
