"""Write your own differentiable op, then prove its backward right three ways.

The op is Swish, also called SiLU: swish(x) = x * sigmoid(x). Its derivative,
by the product rule with s = sigmoid(x) and s' = s (1 - s):

    swish'(x) = s + x s (1 - s) = s (1 + x (1 - s))

A tg.Function has two static methods. forward gets NumPy arrays and returns
one; backward gets the gradient of the loss with respect to the output (a
Tensor) and returns the gradient with respect to each input, by the chain rule:
grad_in = grad_out * swish'(x). Because backward is written with Tensor ops,
the framework can differentiate it again: second derivatives come for free.

Checks:
  1. gradcheck: the Jacobian from backward against central finite differences
     (f(x + eps) - f(x - eps)) / 2 eps, in float64 where that is accurate;
  2. gradgradcheck: the same for the derivative of backward itself;
  3. a Hypothesis property test: for many generated tensors (shapes and
     values), the op matches x * x.sigmoid() and passes gradcheck;
  4. a deliberately wrong backward (the product rule's second term forgotten)
     is caught, and the error says where.

Run:  python examples/custom_op.py           (a second or two)
      python examples/custom_op.py --smoke   (fewer Hypothesis examples)
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from hypothesis import given, settings

import tinygrad_edu as tg
from tinygrad_edu.testing import GradcheckError, gradcheck, gradgradcheck
from tinygrad_edu.testing.strategies import shapes, tensors


class Swish(tg.Function):
    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return x / (1.0 + np.exp(-x))  # x * sigmoid(x)

    @staticmethod
    def backward(ctx, grad: tg.Tensor) -> tg.Tensor:
        (x,) = ctx.saved_tensors
        s = x.sigmoid()
        return grad * s * (1 + x * (1 - s))


class WrongSwish(tg.Function):
    """The same forward, but backward forgets the product rule's second term (x * s')."""

    @staticmethod
    def forward(ctx, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return x / (1.0 + np.exp(-x))

    @staticmethod
    def backward(ctx, grad: tg.Tensor) -> tg.Tensor:
        (x,) = ctx.saved_tensors
        return grad * x.sigmoid()


def swish(x: tg.Tensor) -> tg.Tensor:
    return Swish.apply(x)


def demo() -> dict:
    x = tg.tensor([-3.0, -1.0, 0.0, 0.5, 2.0], requires_grad=True)
    y = swish(x)
    y.sum().backward()
    print(f"x               = {x.data}")
    print(f"swish(x)        = {np.round(y.data, 4)}   (grad_fn: {type(y.grad_fn).__name__})")
    print(f"swish'(x) .grad = {np.round(x.grad.data, 4)}")
    return {"grad": x.grad.data.copy()}


def property_test(examples: int) -> int:
    seen = []

    @settings(max_examples=examples, deadline=None, derandomize=True)
    @given(tensors(shape=shapes(min_dims=0, max_dims=2), requires_grad=True))
    def swish_matches_composition_and_gradcheck(x: tg.Tensor) -> None:
        seen.append(x.shape)
        np.testing.assert_allclose(swish(x).data, (x * x.sigmoid()).data, rtol=1e-12, atol=1e-12)
        assert gradcheck(swish, [x])

    swish_matches_composition_and_gradcheck()  # Hypothesis runs it on `examples` generated tensors
    return len(seen)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="A custom Swish op, checked by gradcheck and Hypothesis.")
    parser.add_argument("--examples", type=int, default=100, help="Hypothesis examples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path("out/custom_op"), help="unused; kept for symmetry")
    parser.add_argument("--smoke", action="store_true", help="10 Hypothesis examples")
    args = parser.parse_args(argv)
    if args.smoke:
        args.examples = 10

    result = demo()
    x = tg.tensor(np.random.default_rng(args.seed).normal(size=(3, 4)) * 3, requires_grad=True)  # float64
    ok1 = gradcheck(swish, [x])
    print(f"\n1. gradcheck on a float64 3x4 input: {ok1}")
    ok2 = gradgradcheck(swish, [x])
    print(f"2. gradgradcheck (second derivatives through the Tensor-op backward): {ok2}")
    n = property_test(args.examples)
    print(f"3. Hypothesis property test: passed on {n} generated tensors (up to 2-D, values in [-10, 10])")

    caught = None
    try:
        gradcheck(WrongSwish.apply, [x])
    except GradcheckError as error:
        caught = str(error)
    print(
        "4. gradcheck on the wrong backward " + ("raised GradcheckError:" if caught else "did NOT catch it!")
    )
    if caught:
        print(f"   {caught}")
    return {
        **result,
        "gradcheck": ok1,
        "gradgradcheck": ok2,
        "hypothesis_examples": n,
        "wrong_caught": caught,
    }


if __name__ == "__main__":
    main()
