"""The randomized leaky ReLU, `RReLU`, and its functions `rrelu` and `rrelu_`.

A leaky ReLU whose negative slope is drawn at random in training (Xu et
al., 2015), a regularizer in the spirit of dropout:

    training:    y = x where x > 0, else a x,  a ~ Uniform(lower, upper), a fresh a per element and call
    evaluation:  y = x where x > 0, else a x,  a = (lower + upper) / 2, the slopes' mean

In evaluation it is the leaky ReLU of the mean slope, so the expected output
of training is used, as dropout uses the expected mask. The slopes come
from the library's global generator (``tg.manual_seed`` makes them
reproducible). As in PyTorch, x = 0 takes the negative side (its gradient is
a), and the functions default to evaluation (training=False) while the
layer follows its module's mode.

Composed from Tensor operations (where, multiplication by the drawn slopes),
so gradients and second derivatives come from those.
"""

from __future__ import annotations

from ..dtypes import require_float
from ..ops.elementwise import where
from ..random import default_generator
from ..tensor import Tensor
from .module import Module


def rrelu(
    input: Tensor,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
) -> Tensor:
    """x where x > 0, else a x: a ~ Uniform(lower, upper) per element in training, (lower + upper) / 2 else.

    Shape: any -> same. inplace=True overwrites the input.
    """
    if lower > upper:
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    require_float(input.dtype, "rrelu")

    def leaky(t: Tensor) -> Tensor:  # the slopes are drawn only once the in-place checks have passed
        if not training:
            return t.leaky_relu((lower + upper) / 2)
        slopes = Tensor._wrap(default_generator().uniform(lower, upper, t.shape).astype(t.dtype))
        return where(t > 0, t, t * slopes)

    return input._inplace(lambda t, _: leaky(t), None) if inplace else leaky(input)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:
    """rrelu, in place."""
    return rrelu(input, lower, upper, training, inplace=True)


class RReLU(Module):
    """Randomized leaky ReLU: slopes ~ Uniform(lower, upper) in training, their mean in eval; see `F.rrelu`.

    Shape: any -> same. inplace=True overwrites the input. No parameters.
    """

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False) -> None:
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: Tensor) -> Tensor:
        return rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace else "")
