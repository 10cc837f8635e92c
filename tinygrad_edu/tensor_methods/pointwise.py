"""A Tensor's elementwise math: exp, log, tanh, pow, floor, isnan, atan2, lerp, ...

One line each, into the op that computes it: one-input math (ops/unary.py),
activations (ops/activation.py), rounding and the tests isnan, isinf, ...
(no gradient), trigonometry (ops/trigonometry.py), more math
(ops/more_math.py, ops/powers.py, ops/special_functions.py, ops/gamma.py,
ops/bessel.py, ops/error_functions.py), clamps (ops/clamping.py) and
comparisons of values (ops/comparing.py, isclose). Integer inputs of the
float-valued ops become the default float dtype first (`_floating`, tensor.py),
as in PyTorch. The operators (+, *, ==, &, ...) are in tensor.py.
"""

# mypy: disable-error-code="misc"
# (the code of mypy's refusal of `self: Tensor` outside Tensor's own class: see __init__.py)

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..dtypes import torch_name

if TYPE_CHECKING:
    from ..ops import (
        activation,
        bessel,
        clamping,
        comparing,
        elementwise,
        error_functions,
        float_bits,
        gamma,
        more_math,
        powers,
        renorm,
        special_functions,
        trigonometry,
        unary,
    )
    from ..ops.broadcast import binary
    from ..tensor import Tensor, _floating


class PointwiseMethods:
    """Elementwise math: `x.exp()`, `x.tanh()`, `x.pow(2)`, `x.isnan()`, `x.atan2(y)`, ..."""

    __slots__ = ()  # (a Tensor's fields are its own slots)

    def exp(self: Tensor) -> Tensor:
        return unary.Exp._apply1(_floating(self))

    def log(self: Tensor) -> Tensor:
        return unary.Log._apply1(_floating(self))

    def log1p(self: Tensor) -> Tensor:
        return unary.Log1p._apply1(_floating(self))

    def expm1(self: Tensor) -> Tensor:
        return unary.Expm1._apply1(_floating(self))

    def sqrt(self: Tensor) -> Tensor:
        return unary.Sqrt._apply1(_floating(self))

    def abs(self: Tensor) -> Tensor:
        if self.data.dtype == np.bool_:  # (PyTorch's refusal, where NumPy's abs keeps the bools)
            raise NotImplementedError("\"abs_cpu\" not implemented for 'Bool'")
        return unary.Abs._apply1(self)

    __abs__ = abs  # abs(x)

    def sin(self: Tensor) -> Tensor:
        return unary.Sin._apply1(_floating(self))

    def cos(self: Tensor) -> Tensor:
        return unary.Cos._apply1(_floating(self))

    def reciprocal(self: Tensor) -> Tensor:
        return unary.Reciprocal._apply1(_floating(self))

    def tanh(self: Tensor) -> Tensor:
        return activation.Tanh._apply1(_floating(self))

    def sigmoid(self: Tensor) -> Tensor:
        return activation.Sigmoid._apply1(_floating(self))

    def relu(self: Tensor) -> Tensor:
        if self.data.dtype == np.bool_:  # (PyTorch's refusal, where max(x, 0) would give integers)
            raise RuntimeError("Boolean inputs not supported for relu")
        return activation.Relu._apply1(self)

    def erf(self: Tensor) -> Tensor:
        return unary.Erf._apply1(_floating(self))

    def lgamma(self: Tensor) -> Tensor:
        """ln |Gamma(self)| (ops/gamma.py)."""
        return gamma.lgamma(self)

    def digamma(self: Tensor) -> Tensor:
        """psi(self) = d/dx ln Gamma(x) at self."""
        return gamma.digamma(self)

    def polygamma(self: Tensor, n: int) -> Tensor:
        """psi^(n)(self), the n-th derivative of digamma."""
        return gamma.polygamma(n, self)

    def mvlgamma(self: Tensor, p: int) -> Tensor:
        """The multivariate log-gamma function of dimension p."""
        return gamma.mvlgamma(self, p)

    def i0(self: Tensor) -> Tensor:
        """I0(self), the modified Bessel function of the first kind of order 0 (ops/bessel.py)."""
        return bessel.i0(self)

    def erfc(self: Tensor) -> Tensor:
        """1 - erf(self), accurate where it is tiny (ops/error_functions.py)."""
        return error_functions.erfc(self)

    def erfinv(self: Tensor) -> Tensor:
        """The inverse of erf: the x in [-inf, inf] with erf(x) = self (nan outside [-1, 1])."""
        return special_functions.erfinv(self)

    def sinc(self: Tensor) -> Tensor:
        """sin(pi self) / (pi self), and 1 where self is 0 (the normalized sinc)."""
        return special_functions.sinc(self)

    def leaky_relu(self: Tensor, negative_slope: float = 0.01) -> Tensor:
        return activation.leaky_relu(self, negative_slope)

    def gelu(self: Tensor, approximate: str = "none") -> Tensor:
        return activation.gelu(self, approximate)

    def softplus(self: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
        return activation.Softplus._apply1(self, beta, threshold)

    def clamp(self: Tensor, min: float | None = None, max: float | None = None) -> Tensor:
        return unary.clamp(self, min, max)

    clip = clamp

    def square(self: Tensor) -> Tensor:
        """self * self (bools as int64, as in PyTorch)."""
        x = self.long() if self.data.dtype == np.bool_ else self
        return x * x

    absolute = abs

    # rounding and tests: piecewise constant, so no gradient (PyTorch's is zero)
    def round(self: Tensor, decimals: int = 0) -> Tensor:
        """Nearest value with `decimals` digits; halves go to even, as in PyTorch (gradient 0)."""
        return unary.rounded(unary.Round, self, decimals)

    def floor(self: Tensor) -> Tensor:
        return unary.rounded(unary.Floor, self)

    def ceil(self: Tensor) -> Tensor:
        return unary.rounded(unary.Ceil, self)

    def trunc(self: Tensor) -> Tensor:
        """Rounded toward 0; integers stay as they are (gradient 0)."""
        return unary.rounded(unary.Trunc, self)

    fix = trunc

    def heaviside(self: Tensor, values: Any) -> Tensor:
        """The step function: 0 where self < 0, `values` (self's dtype) where self == 0, 1 where self > 0."""
        return more_math.heaviside(self, values)

    def isnan(self: Tensor) -> Tensor:
        return Tensor._wrap(np.isnan(self.data))

    def isinf(self: Tensor) -> Tensor:
        return Tensor._wrap(np.isinf(self.data))

    def isposinf(self: Tensor) -> Tensor:
        return Tensor._wrap(np.isposinf(self.data))

    def isneginf(self: Tensor) -> Tensor:
        return Tensor._wrap(np.isneginf(self.data))

    def isfinite(self: Tensor) -> Tensor:
        """True where the element is neither inf, -inf nor nan."""
        return Tensor._wrap(np.isfinite(self.data))

    def signbit(self: Tensor) -> Tensor:
        """True where the sign bit is set: below 0, and -0.0."""
        return Tensor._wrap(np.signbit(self.data))

    def maximum(self: Tensor, other: Any) -> Tensor:
        return binary(elementwise.Maximum, self, other)

    def minimum(self: Tensor, other: Any) -> Tensor:
        return binary(elementwise.Minimum, self, other)

    def fmax(self: Tensor, other: Tensor) -> Tensor:
        """The elementwise maximum, taking the number where the other value is nan (ops/comparing.py)."""
        return comparing.fmax(self, other)

    def fmin(self: Tensor, other: Tensor) -> Tensor:
        """The elementwise minimum, taking the number where the other value is nan."""
        return comparing.fmin(self, other)

    def isin(
        self: Tensor, test_elements: Any, *, assume_unique: bool = False, invert: bool = False
    ) -> Tensor:
        """Whether each element is among test_elements (a bool tensor of self's shape)."""
        return comparing.isin(self, test_elements, assume_unique=assume_unique, invert=invert)

    def pow(self: Tensor, exponent: Any) -> Tensor:
        if not isinstance(self, Tensor):  # tg.pow(2, x): a number raised to a tensor's powers
            return binary(elementwise.Pow, self, exponent)
        if isinstance(exponent, (int, float)) and not isinstance(exponent, bool):
            if self.data.dtype.kind == "f" or isinstance(exponent, float):
                return elementwise.Pow._apply1(_floating(self), float(exponent))
            if exponent < 0:
                raise RuntimeError(
                    f"pow: integers to negative integer powers are not allowed, got {exponent}"
                )
            return elementwise.Pow._apply1(self, exponent)
        if self.data.dtype == np.bool_ and isinstance(exponent, (bool, np.bool_)):
            return self | (not exponent)  # x^1 = x, x^0 = 1: a mask stays a mask, as in PyTorch
        return binary(elementwise.Pow, self, exponent)

    # (ops/trigonometry.py and ops/more_math.py; the NumPy-style names after each group are
    # PyTorch's aliases)

    def tan(self: Tensor) -> Tensor:
        return trigonometry.Tan._apply1(_floating(self))

    def asin(self: Tensor) -> Tensor:
        return trigonometry.Asin._apply1(_floating(self))

    def acos(self: Tensor) -> Tensor:
        return trigonometry.Acos._apply1(_floating(self))

    def atan(self: Tensor) -> Tensor:
        return trigonometry.Atan._apply1(_floating(self))

    def sinh(self: Tensor) -> Tensor:
        return trigonometry.Sinh._apply1(_floating(self))

    def cosh(self: Tensor) -> Tensor:
        return trigonometry.Cosh._apply1(_floating(self))

    def asinh(self: Tensor) -> Tensor:
        return trigonometry.Asinh._apply1(_floating(self))

    def acosh(self: Tensor) -> Tensor:
        return trigonometry.Acosh._apply1(_floating(self))

    def atanh(self: Tensor) -> Tensor:
        return trigonometry.Atanh._apply1(_floating(self))

    arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh

    def atan2(self: Tensor, other: Any) -> Tensor:
        """The angle of the point (other, self), in [-pi, pi]: atan(self / other) in the right quadrant."""
        return more_math.on_floats(trigonometry.Atan2, self, other)

    arctan2 = atan2

    def hypot(self: Tensor, other: Any) -> Tensor:
        """sqrt(self^2 + other^2), with no overflow for large values."""
        return more_math.on_floats(trigonometry.Hypot, self, other, integers=False)

    def log2(self: Tensor) -> Tensor:
        return more_math.Log2._apply1(_floating(self))

    def log10(self: Tensor) -> Tensor:
        return more_math.Log10._apply1(_floating(self))

    def exp2(self: Tensor) -> Tensor:
        return more_math.Exp2._apply1(_floating(self))

    def rsqrt(self: Tensor) -> Tensor:
        """1 / sqrt(self)."""
        return more_math.Rsqrt._apply1(_floating(self))

    def logaddexp(self: Tensor, other: Any) -> Tensor:
        """log(exp(self) + exp(other)), with no overflow for large values."""
        return more_math.on_floats(more_math.LogAddExp, self, other, integers=False)

    def logaddexp2(self: Tensor, other: Tensor) -> Tensor:
        """log2(2**self + 2**other), with no overflow for large values."""
        return powers.logaddexp2(self, other)

    def float_power(self: Tensor, exponent: Any) -> Tensor:
        """self ** exponent computed in float64 (the result is float64 whatever the dtypes)."""
        return powers.float_power(self, exponent)

    def ldexp(self: Tensor, other: Tensor) -> Tensor:
        """self * 2**other (a float tensor: the default float dtype for integers)."""
        return powers.ldexp(self, other)

    def xlogy(self: Tensor, other: Any) -> Tensor:
        """self * log(other), and 0 where self == 0 (unless other is nan)."""
        return more_math.on_floats(more_math.Xlogy, self, other)

    def logit(self: Tensor, eps: float | None = None) -> Tensor:
        """log(self / (1 - self)), the inverse of sigmoid; with eps, self clamped to [eps, 1 - eps] first."""
        return more_math.logit(self, eps)

    def lerp(self: Tensor, end: Any, weight: Any) -> Tensor:
        """self + weight * (end - self): self at weight 0, end at weight 1 (weight a number or a tensor)."""
        return more_math.lerp(self, end, weight)

    def addcmul(self: Tensor, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        """self + value * tensor1 * tensor2."""
        return more_math.addcmul(self, tensor1, tensor2, value)

    def addcdiv(self: Tensor, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:
        """self + value * tensor1 / tensor2."""
        return more_math.addcdiv(self, tensor1, tensor2, value)

    def fmod(self: Tensor, other: Any) -> Tensor:
        """self mod other with the sign of self, as C's fmod (remainder has the sign of other)."""
        return binary(more_math.Fmod, self, other)

    def frac(self: Tensor) -> Tensor:
        """self - trunc(self): the fractional part, with self's sign."""
        return more_math.frac(self)

    def deg2rad(self: Tensor) -> Tensor:
        return _floating(self) * (np.pi / 180.0)

    def rad2deg(self: Tensor) -> Tensor:
        return _floating(self) * (180.0 / np.pi)

    def copysign(self: Tensor, other: Any) -> Tensor:
        """|self| with the sign of other (-0.0 counts as negative)."""
        return more_math.on_floats(more_math.Copysign, self, other)

    def nan_to_num(
        self: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        """nan, inf and -inf replaced (the infinities by default with the dtype's largest finite values)."""
        return more_math.nan_to_num(self, nan, posinf, neginf)

    # one-bound clamps (ops/clamping.py), and closeness (a bool result, no gradient)

    def clamp_min(self: Tensor, min: Any) -> Tensor:
        """max(self, min) elementwise (min a number or a tensor)."""
        return clamping.clamp_min(self, min)

    def clamp_max(self: Tensor, max: Any) -> Tensor:
        """min(self, max) elementwise (max a number or a tensor)."""
        return clamping.clamp_max(self, max)

    def isclose(
        self: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> Tensor:
        """|self - other| <= atol + rtol |other|, elementwise, as a bool tensor (no gradient).

        The shapes must broadcast; nan is close to nan only with ``equal_nan=True``.
        """
        return Tensor._wrap(self._close(other, rtol, atol, equal_nan, "isclose"))

    def allclose(
        self: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> bool:
        """`isclose` everywhere (as torch.allclose)."""
        return bool(self._close(other, rtol, atol, equal_nan, "allclose").all())

    def _close(self: Tensor, other: Tensor, rtol: float, atol: float, equal_nan: bool, op: str) -> np.ndarray:
        if not isinstance(other, Tensor):
            raise TypeError(
                f"{op}(): argument 'other' (position 2) must be Tensor, not {type(other).__name__}"
            )
        if other.data.dtype != self.data.dtype:  # (PyTorch compares within one dtype only)
            raise RuntimeError(f"{torch_name(self.dtype)} did not match {torch_name(other.dtype)}")
        try:
            return np.asarray(np.isclose(self.data, other.data, rtol, atol, equal_nan))
        except ValueError:
            raise RuntimeError(f"{op}: shapes {self.shape} and {other.shape} are not broadcastable") from None

    # the bits of floats (ops/float_bits.py), and renorm (ops/renorm.py)
    def frexp(self: Tensor) -> Any:
        return float_bits.frexp(self)

    def nextafter(self: Tensor, other: Tensor) -> Tensor:
        return float_bits.nextafter(self, other)

    def renorm(self: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
        return renorm.renorm(self, p, dim, maxnorm)


def finish_imports() -> None:
    """Import what needs Tensor to exist: tensor.py calls this once the class is made."""
    global float_bits, renorm
    from ..ops import float_bits, renorm

    global activation, bessel, clamping, comparing, elementwise, error_functions, gamma, more_math, powers
    global special_functions, trigonometry, unary, binary, Tensor, _floating
    from ..ops import (
        activation,
        bessel,
        clamping,
        comparing,
        elementwise,
        error_functions,
        gamma,
        more_math,
        powers,
        special_functions,
        trigonometry,
        unary,
    )
    from ..ops.broadcast import binary
    from ..tensor import Tensor, _floating
