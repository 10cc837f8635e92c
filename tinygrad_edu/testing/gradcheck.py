"""Check analytic gradients against central finite differences.

For an input element x_j, the numeric derivative of output element y_i is

    dy_i/dx_j ~= (y_i(x_j + eps) - y_i(x_j - eps)) / (2 eps)

and the analytic one comes from backward with a one-hot upstream gradient.
Both Jacobians are compared elementwise with |a - n| <= atol + rtol * |n|.
Use float64 inputs: in float32 the differences drown in rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..autograd.engine import grad as autograd_grad
from ..tensor import Tensor
from ..warning import warn


class GradcheckError(RuntimeError):
    """Raised by gradcheck when an analytic and a numeric derivative disagree."""


def _outputs(fn: Callable, inputs: Sequence[Tensor]) -> tuple[Tensor, ...]:
    out = fn(*inputs)
    outputs = (out,) if isinstance(out, Tensor) else tuple(out) if isinstance(out, (tuple, list)) else None
    if outputs is None or not all(isinstance(o, Tensor) for o in outputs):
        got = type(out).__name__ if outputs is None else ", ".join(type(o).__name__ for o in outputs)
        raise TypeError(
            f"gradcheck: the function must return a Tensor or a tuple of Tensors computed from its "
            f"inputs, but it returned {got} (a NumPy result or a plain number has no graph to check)"
        )
    return outputs


def _numeric_jacobian(
    fn: Callable, inputs: Sequence[Tensor], k: int, out_index: int, eps: float
) -> np.ndarray:
    """Rows: output elements, columns: elements of input k."""
    x = inputs[k].data
    n_out = _outputs(fn, inputs)[out_index].data.size
    jac = np.zeros((n_out, x.size))
    # Each element is perturbed in the input's own memory (whatever its layout),
    # and put back even when `fn` raises. Grad mode stays on: `fn` may itself
    # differentiate (see gradgradcheck).
    for j, at in enumerate(np.ndindex(x.shape)):  # (C order, as the analytic side's reshape)
        original = x[at]
        try:
            x[at] = original + eps
            plus = _outputs(fn, inputs)[out_index].data.astype(np.float64).reshape(-1)
            x[at] = original - eps
            minus = _outputs(fn, inputs)[out_index].data.astype(np.float64).reshape(-1)
        finally:
            x[at] = original
        jac[:, j] = (plus - minus) / (2 * eps)
    return jac


def _analytic_jacobian(out: Tensor, inputs: Sequence[Tensor], k: int) -> np.ndarray:
    jac = np.zeros((out.data.size, inputs[k].data.size))
    for i in range(out.data.size):
        onehot = np.zeros(out.data.size, dtype=out.dtype)
        onehot[i] = 1
        (g,) = autograd_grad(
            out, [inputs[k]], Tensor._wrap(onehot.reshape(out.shape)), retain_graph=True, allow_unused=True
        )
        if g is not None:
            jac[i] = g.data.reshape(-1)
    return jac


def _checked_inputs(inputs: Tensor | Sequence[Tensor]) -> tuple[Tensor, ...]:
    """The inputs as a tuple, at least one of them requiring grad."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    if not any(isinstance(x, Tensor) and x.requires_grad for x in inputs):
        # otherwise nothing would be compared, and a wrong backward would pass
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, "
            "but none of them have requires_grad=True"
        )
    return inputs


def gradcheck(
    fn: Callable[..., Tensor | Sequence[Tensor]],
    inputs: Tensor | Sequence[Tensor],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """True when backward agrees with finite differences for every input that requires grad.

    On a mismatch it raises GradcheckError naming the output, the input, the
    element, both values and their difference (or returns False when
    `raise_exception=False`).
    """
    inputs = _checked_inputs(inputs)
    for k, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad and x.dtype != np.float64:
            warn(
                f"gradcheck: input {k} requires grad but is {x.dtype}, not float64; "
                "finite differences will be inaccurate"
            )
    outputs = _outputs(fn, inputs)
    for o, out in enumerate(outputs):
        if out.dtype.kind != "f":
            continue  # integer and boolean outputs carry no gradient
        for k, x in enumerate(inputs):
            if not (isinstance(x, Tensor) and x.requires_grad):
                continue
            # An output off the graph has a zero Jacobian, to be compared too (as in
            # PyTorch): a backward that cuts its result off the graph must not pass.
            if out.requires_grad:
                analytic = _analytic_jacobian(out, inputs, k)
            else:
                analytic = np.zeros((out.data.size, x.data.size))
            numeric = _numeric_jacobian(fn, inputs, k, o, eps)
            bad = np.abs(analytic - numeric) > atol + rtol * np.abs(numeric)
            if bad.any():
                if not raise_exception:
                    return False
                i, j = np.argwhere(bad)[0]
                a, n = float(analytic[i, j]), float(numeric[i, j])
                at_x = tuple(int(v) for v in np.unravel_index(j, x.shape))
                at_y = tuple(int(v) for v in np.unravel_index(i, out.shape))
                name = f" ({x.name})" if x.name else ""
                raise GradcheckError(
                    f"Jacobian mismatch for output {o} with respect to input {k}{name} of shape "
                    f"{x.shape}: at input element {at_x} and output element {at_y}, "
                    f"analytic {a!r} vs numeric {n!r} (difference {a - n!r}; "
                    f"{int(bad.sum())} of {bad.size} entries differ)"
                )
    return True


def gradgradcheck(
    fn: Callable[..., Tensor | Sequence[Tensor]],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor] | None = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    seed: int = 0,
) -> bool:
    """Check second derivatives: gradcheck of the function (inputs, v) -> v^T J(inputs).

    The upstream gradients `v` are random (seeded) unless given, and are
    checked as inputs too, as in PyTorch.
    """
    inputs = _checked_inputs(inputs)
    outputs = _outputs(fn, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = [
            Tensor(rng.standard_normal(o.shape), dtype=o.dtype, requires_grad=True) for o in outputs
        ]
    grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    n = len(inputs)
    differentiable = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]

    def first_derivatives(*args: Tensor) -> tuple[Tensor, ...]:
        xs, vs = args[:n], args[n:]
        outs = _outputs(fn, xs)
        pairs = [(o, v) for o, v in zip(outs, vs) if o.requires_grad]
        grads = autograd_grad(
            [o for o, _ in pairs],
            [xs[k] for k in differentiable],
            [v for _, v in pairs],
            create_graph=True,
            allow_unused=True,
        )
        # An unused input has a zero derivative, whose own derivative is zero too.
        return tuple(g if g is not None else (xs[k] * 0.0) for g, k in zip(grads, differentiable))

    return gradcheck(first_derivatives, inputs + grad_outputs, eps, atol, rtol, raise_exception)
