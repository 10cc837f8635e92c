"""Check analytic gradients against central finite differences.

For an input element x_j, the numeric derivative of output element y_i is

    dy_i/dx_j ~= (y_i(x_j + eps) - y_i(x_j - eps)) / (2 eps)

and the analytic one comes from backward with a one-hot upstream gradient.
Both Jacobians are compared elementwise as `torch.allclose` does,
|a - n| <= atol + rtol * |n|, where NaN matches nothing.
Use float64 inputs: in float32 the differences drown in rounding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..autograd.engine import grad as autograd_grad
from ..tensor import Tensor
from ..warning import warn


class GradcheckError(RuntimeError):
    """Raised by gradcheck when an analytic and a numeric derivative disagree."""


def _outputs(fn: Callable, inputs: Sequence[Any]) -> tuple[Tensor, ...]:
    out = fn(*inputs)
    outputs = (out,) if isinstance(out, Tensor) else tuple(out) if isinstance(out, (tuple, list)) else None
    if outputs is None or not all(isinstance(o, Tensor) for o in outputs):
        got = type(out).__name__ if outputs is None else ", ".join(type(o).__name__ for o in outputs)
        raise TypeError(
            f"gradcheck: the function must return a Tensor or a tuple of Tensors computed from its "
            f"inputs, but it returned {got} (a NumPy result or a plain number has no graph to check)"
        )
    return outputs


def _numeric_jacobians(
    fn: Callable, inputs: Sequence[Any], k: int, checked: Sequence[int], eps: float
) -> dict[int, np.ndarray]:
    """For each output index in `checked`: rows are its elements, columns the elements of input k."""
    x = inputs[k].data

    def values() -> list[np.ndarray]:
        # copied at once: an output may be a view of the input about to be perturbed again
        outs = _outputs(fn, inputs)
        return [outs[o].data.astype(np.float64).reshape(-1) for o in checked]

    jacs = {o: np.zeros((y.size, x.size)) for o, y in zip(checked, values())}
    # Each element is perturbed in the input's own memory (whatever its layout),
    # and put back even when `fn` raises. Grad mode stays on: `fn` may itself
    # differentiate (see gradgradcheck).
    for j, at in enumerate(np.ndindex(x.shape)):  # (C order, as the analytic side's reshape)
        original = x[at]
        try:
            x[at] = original + eps
            plus = values()
            x[at] = original - eps
            minus = values()
        finally:
            x[at] = original
        for o, p, m in zip(checked, plus, minus):
            jacs[o][:, j] = (p - m) / (2 * eps)
    return jacs


def _analytic_jacobian(out: Tensor, inputs: Sequence[Any], k: int) -> np.ndarray:
    jac = np.zeros((out.data.size, inputs[k].data.size))
    if not out.requires_grad:
        return jac  # off the graph: no input changes it, as far as backward knows
    for i in range(out.data.size):
        onehot = np.zeros(out.data.size, dtype=out.dtype)
        onehot[i] = 1
        (g,) = autograd_grad(
            out, [inputs[k]], Tensor._wrap(onehot.reshape(out.shape)), retain_graph=True, allow_unused=True
        )
        if g is not None:
            jac[i] = g.data.reshape(-1)
    return jac


def _checked_inputs(inputs: Any) -> tuple[Any, ...]:
    """The inputs as a tuple, at least one of them requiring grad, each such one perturbable."""
    # one argument (a Tensor, or anything not a list or tuple) stands for itself, as in PyTorch
    inputs = tuple(inputs) if isinstance(inputs, (list, tuple)) else (inputs,)
    if not any(isinstance(x, Tensor) and x.requires_grad for x in inputs):
        # otherwise nothing would be compared, and a wrong backward would pass
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, "
            "but none of them have requires_grad=True"
        )
    for k, x in enumerate(inputs):
        if not (isinstance(x, Tensor) and x.requires_grad):
            continue
        # Perturbing one element of memory that several elements share (an
        # expanded tensor) would move them all, and read-only memory cannot move.
        if any(stride == 0 and size > 1 for stride, size in zip(x.data.strides, x.shape)):
            raise RuntimeError(
                f"gradcheck: input {k} of shape {x.shape} has a dimension with stride 0 (an expanded "
                "tensor, whose elements share memory), so its elements cannot be perturbed one at a "
                "time; pass a copy of it (x.clone()) instead"
            )
        if not x.data.flags.writeable:
            raise RuntimeError(
                f"gradcheck: input {k} of shape {x.shape} is read-only, so its elements cannot be "
                "perturbed; pass a copy of it (x.clone()) instead"
            )
    return inputs


def _snapshot(inputs: Sequence[Any]) -> list[tuple[Tensor, np.ndarray, np.ndarray, Any, Any, bool]]:
    """What gradcheck puts back on every tensor input when it is done: memory, values, grad, flags."""
    return [
        (x, x.data, x.data.copy(), x._grad, x.grad_fn, x.requires_grad)
        for x in inputs
        if isinstance(x, Tensor)
    ]


def _changed_input(inputs: Sequence[Any], saved: list) -> int | None:
    """The index of the first tensor input whose values differ from the snapshot, else None."""
    positions = [k for k, x in enumerate(inputs) if isinstance(x, Tensor)]
    for k, (x, array, values, *_) in zip(positions, saved):
        if _differs(x, array, values):
            return k
    return None


def _differs(x: Tensor, array: np.ndarray, values: np.ndarray) -> bool:
    """Has `x` left its snapshot's memory `array`, or has that memory left `values`?"""
    return x.data is not array or not np.array_equal(array, values, equal_nan=True)


def _restore(saved: list) -> None:
    """Undo what the function (or backward through it) did to the tensor inputs."""
    for x, array, values, grad, grad_fn, requires_grad in saved:
        if _differs(x, array, values):  # changed by the function, in place: its graph goes too
            x.data = array
            if array.flags.writeable:
                array[...] = values
            x.grad_fn = grad_fn
        # (a grad_fn changed otherwise is a view's graph remade, which must stay)
        x._grad, x._requires_grad = grad, requires_grad  # (raw state, as it was)


def _mismatch(
    analytic: np.ndarray, numeric: np.ndarray, bad: np.ndarray, out: Tensor, x: Tensor, names: tuple[str, str]
) -> GradcheckError:
    """The error for the first differing entry: where it is, both values and their difference."""
    i, j = np.argwhere(bad)[0]
    a, n = float(analytic[i, j]), float(numeric[i, j])
    at_x = tuple(int(v) for v in np.unravel_index(j, x.shape))
    at_y = tuple(int(v) for v in np.unravel_index(i, out.shape))
    name = f" ({x.name})" if x.name else ""
    off_graph = (
        ""
        if out.requires_grad
        else f"; {names[1]} does not require grad (it is off the graph), so its analytic derivative is 0"
    )
    return GradcheckError(
        f"{names[0]}{name} of shape "
        f"{x.shape}: at input element {at_x} and output element {at_y}, "
        f"analytic {a!r} vs numeric {n!r} (difference {a - n!r}; "
        f"{int(bad.sum())} of {bad.size} entries differ{off_graph})"
    )


def gradcheck(
    func: Callable[..., Tensor | Sequence[Tensor]],
    inputs: Tensor | Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
) -> bool:
    """True when backward agrees with finite differences for every input that requires grad.

    As in PyTorch, the outputs that require grad are checked (integer and
    boolean ones never are); when none does, every floating output must have
    a zero numeric derivative. On a mismatch it raises GradcheckError naming
    the output, the input, the element, both values and their difference (or
    returns False when `raise_exception=False`). The inputs are left as they
    were: values, `.grad` and `requires_grad`.

    PyTorch's other options are taken, so its tests run unchanged:
    ``nondet_tol`` (backward here is deterministic), ``check_undefined_grad``
    (the engine never hands a backward an undefined gradient), ``fast_mode``
    (the full check always runs), ``masked`` (there are no sparse
    tensors) and ``check_grad_dtypes`` (the engine casts every gradient to
    its input's dtype) change nothing. The checks of forward-mode AD and of
    vmap (``check_forward_ad``, ``check_batched_grad``,
    ``check_batched_forward_grad``) raise NotImplementedError when on: this
    engine has neither.
    """
    _unsupported(
        check_forward_ad=check_forward_ad,
        check_batched_grad=check_batched_grad,
        check_batched_forward_grad=check_batched_forward_grad,
    )
    if not check_backward_ad:
        # PyTorch's check; forward AD, the only other thing to check, is not available here
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    return _gradcheck(func, inputs, eps, atol, rtol, raise_exception, every_output=False)


def _unsupported(**options: bool) -> None:
    for name, value in options.items():
        if value:
            raise NotImplementedError(
                f"gradcheck: {name}=True needs forward-mode AD or vmap, which this engine does not have"
            )


def _gradcheck(
    fn: Callable,
    inputs: Tensor | Sequence[Any],
    eps: float,
    atol: float,
    rtol: float,
    raise_exception: bool,
    every_output: bool,
    names: Callable[[int, int], tuple[str, str]] = lambda o, k: (
        f"Jacobian mismatch for output {o} with respect to input {k}",
        f"output {o}",
    ),
) -> bool:
    """gradcheck; `every_output`: check each floating output, on the graph or not.

    `names(o, k)` gives the error message's opening words for output o and
    input k (the input's name and shape follow them), and what output o is.
    """
    inputs = _checked_inputs(inputs)
    for k, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad and x.dtype != np.float64:
            warn(
                f"gradcheck: input {k} requires grad but is {x.dtype}, not float64; "
                "finite differences will be inaccurate"
            )
    saved = _snapshot(inputs)
    try:
        outputs = _outputs(fn, inputs)
        changed = _changed_input(inputs, saved)
        if changed is not None:
            # its finite differences would measure the function's own change, not the perturbation
            raise RuntimeError(
                f"gradcheck: the function changed input {changed} in place; it must leave its "
                "inputs as they were (compute on a copy, x.clone(), instead)"
            )
        floating = [o for o, out in enumerate(outputs) if out.dtype.kind == "f"]
        on_graph = [o for o in floating if outputs[o].requires_grad]
        checked = floating if every_output or not on_graph else on_graph
        differentiable = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
        numeric = {k: _numeric_jacobians(fn, inputs, k, checked, eps) for k in differentiable}
        for o in checked:
            for k in differentiable:
                analytic = _analytic_jacobian(outputs[o], inputs, k)
                bad = ~np.isclose(analytic, numeric[k][o], rtol=rtol, atol=atol)  # NaN is never close
                if bad.any():
                    if not raise_exception:
                        return False
                    raise _mismatch(analytic, numeric[k][o], bad, outputs[o], inputs[k], names(o, k))
        return True
    finally:
        _restore(saved)


def gradgradcheck(
    func: Callable[..., Tensor | Sequence[Tensor]],
    inputs: Tensor | Sequence[Any],
    grad_outputs: Tensor | Sequence[Tensor] | None = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
    seed: int = 0,
) -> bool:
    """Check second derivatives: gradcheck of the function (inputs, v) -> v^T J(inputs).

    As in PyTorch, there is one upstream gradient `v` per output that requires
    grad; they are random (seeded) unless given, and are checked as inputs
    too. Every first derivative is checked, also one that backward made off
    the graph (PyTorch skips those when another one is on it). PyTorch's
    other options are taken as by `gradcheck` (``gen_non_contig_grad_outputs``
    changes nothing: NumPy arrays need no contiguous layout);
    ``check_fwd_over_rev=True`` raises NotImplementedError. `seed` (not in
    PyTorch) seeds the random upstream gradients.
    """
    _unsupported(check_fwd_over_rev=check_fwd_over_rev, check_batched_grad=check_batched_grad)
    if not check_rev_over_rev:
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True")
    inputs = _checked_inputs(inputs)
    differentiable_outputs = [o for o in _outputs(func, inputs) if o.requires_grad]
    if not differentiable_outputs:
        raise ValueError(
            "gradgradcheck: none of the function's outputs requires grad (was it computed under "
            "tg.no_grad(), or from detached tensors?), so there are no first derivatives to check"
        )
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = [
            Tensor(rng.standard_normal(o.shape), dtype=o.dtype, requires_grad=True)
            for o in differentiable_outputs
        ]
    grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    if len(grad_outputs) != len(differentiable_outputs):
        raise ValueError(
            f"gradgradcheck: got {len(grad_outputs)} grad_outputs for the function's "
            f"{len(differentiable_outputs)} outputs that require grad (one each, in order)"
        )
    n = len(inputs)
    differentiable = [k for k, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]

    def first_derivatives(*args: Any) -> tuple[Tensor, ...]:
        xs, vs = args[:n], args[n:]
        outs = [o for o in _outputs(func, xs) if o.requires_grad]
        grads = autograd_grad(
            outs, [xs[k] for k in differentiable], list(vs), create_graph=True, allow_unused=True
        )
        # An unused input has a zero derivative, whose own derivative is zero too.
        return tuple(g if g is not None else (xs[k] * 0.0) for g, k in zip(grads, differentiable))

    def names(o: int, k: int) -> tuple[str, str]:
        # what is checked is (inputs, v) -> first derivatives: named as the user knows them
        gradient = f"the gradient for input {differentiable[o]}"
        wrt = f"input {k}" if k < n else f"grad_outputs[{k - n}] (an upstream gradient v)"
        return f"Second-derivative mismatch: {gradient}, differentiated with respect to {wrt}", gradient

    # every_output: a first derivative that backward cut off the graph has a wrong
    # (zero) second derivative, which must not pass because another one is fine
    return _gradcheck(
        first_derivatives,
        inputs + grad_outputs,
        eps,
        atol,
        rtol,
        raise_exception,
        every_output=True,
        names=names,
    )
