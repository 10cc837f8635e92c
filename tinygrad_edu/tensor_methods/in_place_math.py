"""The in-place math of a Tensor: `x.add_(y)`, `x.exp_()`, `x.clamp_(0, 1)`, `x.cumsum_(0)`, ...

Each is one line, `self = f(self, other)` handed to `Tensor._inplace`
(tensor.py), which computes f out of place, writes the result into self's
memory and records the change for backward; f is the out-of-place method
(tensor_methods/pointwise.py, reductions.py) or the operator of the same
name. The operators `+=`, `-=`, `*=` and `/=` are tensor.py's, beside
`_inplace`; `//=`, `%=`, `&=`, `|=`, `^=`, `<<=` and `>>=` are names here
for the method forms. The comparisons in place (eq_, lt_, ...) write 1 and 0
in self's dtype and, as in PyTorch, are recorded with a gradient of zero.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..ops import clamping, elementwise, float_bits, renorm
    from ..tensor import Tensor, _times


class InPlaceMathMethods:
    """The in-place forms of the math: `x.add_(y)`, `x.exp_()`, `x.cumsum_(0)`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    # PyTorch's method forms of the in-place operators
    def add_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
        return self.__iadd__(_times(self, other, alpha))

    def sub_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
        return self.__isub__(_times(self, other, alpha))

    def mul_(self: Tensor, other: Any) -> Tensor:
        return self.__imul__(other)

    def div_(self: Tensor, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        if rounding_mode is None:
            return self.__itruediv__(other)
        return self._inplace(lambda t, o: t.div(o, rounding_mode=rounding_mode), other)

    def true_divide_(self: Tensor, other: Any) -> Tensor:
        return self.__itruediv__(other)

    def reciprocal_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.reciprocal(), None)

    divide_, multiply_, subtract_ = div_, mul_, sub_  # (PyTorch's longer names)

    # comparisons in place: self = (self < other), 1 and 0 in self's dtype
    def eq_(self: Tensor, other: Any) -> Tensor:
        return _compare_into(self, "eq", other)

    def ne_(self: Tensor, other: Any) -> Tensor:
        return _compare_into(self, "ne", other)

    def lt_(self: Tensor, other: Any) -> Tensor:
        return _compare_into(self, "lt", other)

    def le_(self: Tensor, other: Any) -> Tensor:
        return _compare_into(self, "le", other)

    def gt_(self: Tensor, other: Any) -> Tensor:
        return _compare_into(self, "gt", other)

    def ge_(self: Tensor, other: Any) -> Tensor:
        return _compare_into(self, "ge", other)

    greater_, greater_equal_, less_, less_equal_, not_equal_ = gt_, ge_, lt_, le_, ne_

    # products that add, in place: self = beta self + alpha (product); self keeps its shape
    def addmm_(self: Tensor, mat1: Tensor, mat2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return self._inplace(lambda t, m: t.addmm(*m, beta=beta, alpha=alpha), (mat1, mat2))

    def addmv_(self: Tensor, mat: Tensor, vec: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return self._inplace(lambda t, m: t.addmv(*m, beta=beta, alpha=alpha), (mat, vec))

    def addr_(self: Tensor, vec1: Tensor, vec2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return self._inplace(lambda t, v: t.addr(*v, beta=beta, alpha=alpha), (vec1, vec2))

    def baddbmm_(
        self: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1
    ) -> Tensor:
        return self._inplace(lambda t, b: t.baddbmm(*b, beta=beta, alpha=alpha), (batch1, batch2))

    def addbmm_(self: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1, alpha: float = 1) -> Tensor:
        return self._inplace(lambda t, b: t.addbmm(*b, beta=beta, alpha=alpha), (batch1, batch2))

    def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
        # (the bounds go as the operands: a tensor bound that needs a gradient makes the op recorded)
        return self._inplace(lambda t, bounds: t.clamp(*bounds), (min, max))

    clip_ = clamp_

    def pow_(self: Tensor, exponent: Any) -> Tensor:
        return self._inplace(Tensor.pow, exponent)

    def masked_fill_(self: Tensor, mask: Tensor, value: Any) -> Tensor:
        return self._inplace(lambda t, v: t.masked_fill(mask, v), value)

    # The in-place forms of the math of ops/trigonometry.py and ops/more_math.py on two or
    # three operands (those that PyTorch has); the others are passed on as a tuple
    def lerp_(self: Tensor, end: Any, weight: Any) -> Tensor:
        return self._inplace(lambda t, others: t.lerp(*others), (end, weight))

    def addcmul_(self: Tensor, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        return self._inplace(lambda t, others: t.addcmul(*others, value=value), (tensor1, tensor2))

    def addcdiv_(self: Tensor, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        return self._inplace(lambda t, others: t.addcdiv(*others, value=value), (tensor1, tensor2))

    def fmod_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.fmod, other)

    def atan2_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.atan2, other)

    def hypot_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.hypot, other)

    def copysign_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.copysign, other)

    def xlogy_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.xlogy, other)

    arctan2_ = atan2_

    # The in-place forms of one-input ops: self = f(self)
    def neg_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: -t, None)

    def abs_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.abs(), None)

    def exp_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.exp(), None)

    def log_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.log(), None)

    def sqrt_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.sqrt(), None)

    def sin_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.sin(), None)

    def cos_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.cos(), None)

    def tanh_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.tanh(), None)

    def sigmoid_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.sigmoid(), None)

    def relu_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.relu(), None)

    def floor_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.floor(), None)

    def ceil_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.ceil(), None)

    def round_(self: Tensor, decimals: int = 0) -> Tensor:
        return self._inplace(lambda t, _: t.round(decimals), None)

    def trunc_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.trunc(), None)

    def frac_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.frac(), None)

    def tan_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.tan(), None)

    def asin_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.asin(), None)

    def acos_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.acos(), None)

    def atan_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.atan(), None)

    def sinh_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.sinh(), None)

    def cosh_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.cosh(), None)

    def asinh_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.asinh(), None)

    def acosh_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.acosh(), None)

    def atanh_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.atanh(), None)

    def log2_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.log2(), None)

    def log10_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.log10(), None)

    def exp2_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.exp2(), None)

    def rsqrt_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.rsqrt(), None)

    def deg2rad_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.deg2rad(), None)

    def rad2deg_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.rad2deg(), None)

    def logit_(self: Tensor, eps: float | None = None) -> Tensor:
        return self._inplace(lambda t, _: t.logit(eps), None)

    def nan_to_num_(
        self: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        return self._inplace(lambda t, _: t.nan_to_num(nan, posinf, neginf), None)

    def sign_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.sign(), None)

    def square_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.square(), None)

    def expm1_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.expm1(), None)

    def log1p_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.log1p(), None)

    def erf_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.erf(), None)

    def lgamma_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.lgamma(), None)

    def digamma_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.digamma(), None)

    def polygamma_(self: Tensor, n: int) -> Tensor:
        return self._inplace(lambda t, _: t.polygamma(n), None)

    def mvlgamma_(self: Tensor, p: int) -> Tensor:
        return self._inplace(lambda t, _: t.mvlgamma(p), None)

    def i0_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.i0(), None)

    def erfc_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.erfc(), None)

    def erfinv_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.erfinv(), None)

    def sinc_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.sinc(), None)

    def logical_not_(self: Tensor) -> Tensor:
        """self = logical_not(self): 1 where self was 0, 0 elsewhere (in self's dtype)."""
        return self._inplace(lambda t, _: t.logical_not(), None)

    # (PyTorch's other names for some of them)
    fix_ = trunc_
    arcsin_, arccos_, arctan_, arcsinh_, arccosh_, arctanh_ = asin_, acos_, atan_, asinh_, acosh_, atanh_
    negative_, absolute_, sgn_ = neg_, abs_, sign_

    # ... and of two operands. The logical ones write 1 and 0 in self's dtype.
    def floor_divide_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.floor_divide, other)

    def remainder_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.remainder, other)

    def logical_and_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.logical_and, other)

    def logical_or_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.logical_or, other)

    def logical_xor_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.logical_xor, other)

    def heaviside_(self: Tensor, values: Any) -> Tensor:
        return self._inplace(Tensor.heaviside, values)

    def float_power_(self: Tensor, exponent: Any) -> Tensor:
        """`float_power` into self, which must be float64 (the dtype of the result), as in PyTorch."""
        if self.dtype != np.float64:
            raise RuntimeError(
                f"the base given to float_power_ has dtype {self.dtype} but the operation's result "
                "requires dtype float64"
            )
        return self._inplace(Tensor.float_power, exponent)

    def ldexp_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.ldexp, other)

    def gcd_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.gcd, other)

    def lcm_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.lcm, other)

    def bitwise_and_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_and, other)

    def bitwise_or_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_or, other)

    def bitwise_xor_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_xor, other)

    def bitwise_left_shift_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_left_shift, other)

    def bitwise_right_shift_(self: Tensor, other: Any) -> Tensor:
        return self._inplace(Tensor.bitwise_right_shift, other)

    def bitwise_not_(self: Tensor) -> Tensor:
        return self._inplace(lambda t, _: t.bitwise_not(), None)

    __ifloordiv__, __imod__, __ipow__ = floor_divide_, remainder_, pow_
    __iand__, __ior__, __ixor__ = bitwise_and_, bitwise_or_, bitwise_xor_
    __ilshift__, __irshift__ = bitwise_left_shift_, bitwise_right_shift_

    # running sums and products along a dim, in place: the dtype stays self's
    def cumsum_(self: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
        return self._inplace(lambda t, _: t.cumsum(_cumulative_dim(t, dim, dtype, "cumsum")), None)

    def cumprod_(self: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
        return self._inplace(lambda t, _: t.cumprod(_cumulative_dim(t, dim, dtype, "cumprod")), None)

    # one-bound clamps (ops/clamping.py)

    def clamp_min_(self: Tensor, min: Any) -> Tensor:
        return self._inplace(clamping.clamp_min, min)

    def clamp_max_(self: Tensor, max: Any) -> Tensor:
        return self._inplace(clamping.clamp_max, max)

    def renorm_(self: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
        return self._inplace(lambda t, _: renorm.renorm(t, p, dim, maxnorm), None)

    def nextafter_(self: Tensor, other: Tensor) -> Tensor:
        return self._inplace(float_bits.nextafter, other)


def _compare_into(x: Tensor, op: str, other: Any) -> Tensor:
    """x = (x `op` other) cast to x's dtype, in place (eq_, lt_, ...).

    A comparison is flat almost everywhere, so as in PyTorch it is recorded
    with a gradient of zero for x and for other: `where` with a mask that is
    never true carries the zeros, and the values are the comparison's.
    """
    if isinstance(other, str) or not isinstance(other, (Tensor, numbers.Number, np.generic)):
        raise TypeError(f"{op}_(): argument 'other' must be Tensor or Number, not {type(other).__name__}")

    def compared(t: Tensor, o: Any) -> Tensor:
        out = Tensor._wrap(getattr(t, op)(o).data.astype(t.dtype))
        nowhere = Tensor._wrap(np.zeros(out.shape, dtype=bool))
        if isinstance(o, Tensor) and o.requires_grad and t.data.dtype.kind == "f":
            out = elementwise.where(nowhere, o.to(t.dtype), out)
        if t.requires_grad:
            out = elementwise.where(nowhere, t, out)
        return out

    return x._inplace(compared, other)


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


def finish_imports() -> None:
    """Import what needs Tensor to exist: tensor.py calls this once the class is made."""
    global float_bits, renorm
    from ..ops import float_bits, renorm

    global clamping, elementwise, Tensor, _times
    from ..ops import clamping, elementwise
    from ..tensor import Tensor, _times
