"""Whole derivatives of a function at a point: Jacobians, Hessians and their products with vectors.

PyTorch's `torch.autograd.functional`, built on `autograd.grad`. Each takes
a function and its inputs (one Tensor, or a tuple of Tensors for a function
of several arguments) and differentiates at that point, without touching
the caller's tensors or their `.grad`. For f: R^n -> R^m with Jacobian J
(m x n), and a scalar g with gradient ∇g and Hessian H (n x n):

    vjp(f, x, v)   = v^T J    one backward pass (what backward() itself does)
    jvp(f, x, v)   = J v      two backward passes: u^T J is linear in u, so
                              J v is the gradient of (u^T J) v with respect to u
    jacobian(f, x) = J        one backward pass per output element (m of them)
    hessian(g, x)  = H        the Jacobian of the gradient function x -> ∇g(x)
    vhp(g, x, v)   = v^T H    the vjp of the gradient function
    hvp(g, x, v)   = H v      the jvp of the gradient function (H is symmetric,
                              so it equals vhp when g is twice differentiable)

Results have the shapes of the things they pair: ``jacobian(f, x)[i][j]``
has shape ``outputs[i].shape + inputs[j].shape``, a tuple level being left
out where func took one Tensor or returned one. With ``create_graph=True``
the results are themselves differentiable (with respect to the caller's
inputs that require grad). A part of the output that does not depend on an
input gets zeros, or an error with ``strict=True``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from . import function
from .engine import grad
from .grad_mode import enable_grad

if TYPE_CHECKING:
    from ..tensor import Tensor

Tensors = Any  # a Tensor or a tuple of Tensors (and nested tuples for Hessians)


def vjp(
    func: Callable[..., Tensors],
    inputs: Tensors,
    v: Tensors | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Tensors, Tensors]:
    """(func(*inputs), v^T J): the product of a vector (one per output) with the Jacobian.

    `v` may be left out when func returns a single one-element Tensor.
    """
    return _vjp(func, inputs, v, create_graph, strict, "vjp")


def jvp(
    func: Callable[..., Tensors],
    inputs: Tensors,
    v: Tensors | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Tensors, Tensors]:
    """(func(*inputs), J v): the product of the Jacobian with a vector (one per input).

    `v` may be left out when func takes a single one-element Tensor.
    """
    return _jvp(func, inputs, v, create_graph, strict, "jvp")


def jacobian(
    func: Callable[..., Tensors],
    inputs: Tensors,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Tensors:
    """``J[i][j]`` = d outputs[i] / d inputs[j], of shape ``outputs[i].shape + inputs[j].shape``.

    Row by row: one backward pass per output element, each with a one-hot
    gradient of the output. `vectorize` is accepted and changes nothing (the
    rows are computed one after another); only "reverse-mode" is available.
    """
    _check_strategy(strategy, "strategy")
    with enable_grad():
        xs, one_input = _arguments(inputs, "jacobian", create_graph)
        ys, one_output = _outputs(func(*xs), "jacobian", strict)
        jac = tuple(_jacobian_of(y, i, xs, create_graph, strict) for i, y in enumerate(ys))
    jac = tuple(_result(row, one_input, create_graph) for row in jac)
    return jac[0] if one_output else jac


def hessian(
    func: Callable[..., Tensor],
    inputs: Tensors,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Tensors:
    """``H[i][j]`` = d^2 func / d inputs[i] d inputs[j], of shape ``inputs[i].shape + inputs[j].shape``.

    func returns a single one-element Tensor. H is the Jacobian of its gradient;
    `vectorize` and `outer_jacobian_strategy` are as jacobian's.
    """
    _check_strategy(outer_jacobian_strategy, "outer_jacobian_strategy")
    _, one_input = _as_tuple(inputs, "inputs", "hessian")
    return jacobian(_gradient_function(func, one_input, strict, "hessian", []), inputs, create_graph, strict)


def vhp(
    func: Callable[..., Tensor],
    inputs: Tensors,
    v: Tensors | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Tensor, Tensors]:
    """(func(*inputs), v^T H): the vjp of func's gradient. func returns one one-element Tensor."""
    value: list = []
    _, one_input = _as_tuple(inputs, "inputs", "vhp")
    gradient = _gradient_function(func, one_input, strict, "vhp", value)
    _, product = _vjp(gradient, inputs, v, create_graph, strict, "vhp")
    return _result(value, True, create_graph), product


def hvp(
    func: Callable[..., Tensor],
    inputs: Tensors,
    v: Tensors | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Tensor, Tensors]:
    """(func(*inputs), H v): the jvp of func's gradient. func returns one one-element Tensor."""
    value: list = []
    _, one_input = _as_tuple(inputs, "inputs", "hvp")
    gradient = _gradient_function(func, one_input, strict, "hvp", value)
    _, product = _jvp(gradient, inputs, v, create_graph, strict, "hvp")
    return _result(value, True, create_graph), product


# ------------------------------------------------------------------ helpers


def _vjp(
    func: Callable, inputs: Tensors, v: Tensors | None, create_graph: bool, strict: bool, caller: str
) -> tuple:
    with enable_grad():
        xs, one_input = _arguments(inputs, caller, create_graph)
        ys, one_output = _outputs(func(*xs), caller, strict)
        vs = _vectors(v, ys, caller, "the function returns")
        gs = _grads(ys, xs, vs, create_graph, strict, caller)
    return _result(ys, one_output, create_graph), _result(gs, one_input, create_graph)


def _jvp(
    func: Callable, inputs: Tensors, v: Tensors | None, create_graph: bool, strict: bool, caller: str
) -> tuple:
    with enable_grad():
        xs, _ = _arguments(inputs, caller, create_graph)
        vs = _vectors(v, xs, caller, "the function takes")
        ys, one_output = _outputs(func(*xs), caller, strict)
        # u^T J for an auxiliary u that requires grad: linear in u, with gradient J v
        us = tuple(function.Tensor._wrap(np.zeros_like(y.data), True) for y in ys)
        ujs = _grads(ys, xs, us, True, strict, caller)
        # (an input whose u^T J is zeros that do not require grad adds nothing to J v)
        pairs = [(uj, w) for uj, w in zip(ujs, vs) if uj.requires_grad]
        if pairs:
            ujs, ws = zip(*pairs)
            jv = grad(ujs, us, ws, create_graph=create_graph, allow_unused=True)
        else:
            jv = (None,) * len(us)
        jv = _fill(jv, ys, strict, f"{caller}: output {{i}} is independent of every input")
    return _result(ys, one_output, create_graph), _result(jv, one_output, create_graph)


def _as_tuple(obj: Tensors, what: str, caller: str) -> tuple[tuple[Tensor, ...], bool]:
    """`obj` as a tuple of Tensors, and whether it was a single Tensor."""
    Tensor = function.Tensor
    if isinstance(obj, Tensor):
        return (obj,), True
    if isinstance(obj, tuple) and all(isinstance(t, Tensor) for t in obj):
        return obj, False
    got = type(obj).__name__
    if isinstance(obj, tuple):
        got = "tuple holding a " + next(type(t).__name__ for t in obj if not isinstance(t, Tensor))
    raise TypeError(f"{caller}: {what} must be a Tensor or a tuple of Tensors, not a {got}")


def _arguments(inputs: Tensors, caller: str, create_graph: bool) -> tuple[tuple, bool]:
    """The inputs as fresh tensors that require grad, and whether func takes a single Tensor.

    With create_graph, an input that requires grad stays connected to the
    caller's graph (through a view), so the results can be differentiated
    with respect to it; otherwise each is a detached copy of the caller's.
    """
    xs, single = _as_tuple(inputs, "inputs", caller)
    fresh = tuple(
        x.view_as(x) if create_graph and x.requires_grad else x.detach().requires_grad_() for x in xs
    )
    return fresh, single


def _outputs(outputs: Tensors, caller: str, strict: bool) -> tuple[tuple, bool]:
    """func's outputs as a tuple, whether it returned a single Tensor; strict: each requires grad."""
    ys, single = _as_tuple(outputs, "the outputs of the user-provided function", caller)
    if strict:
        for i, y in enumerate(ys):
            if not y.requires_grad:
                raise RuntimeError(
                    f"{caller}: output {i} of the user-provided function does not require grad; with "
                    "strict=True every output must be computed differentiably from the inputs"
                )
    return ys, single


def _vectors(v: Tensors | None, like: tuple, caller: str, has: str) -> tuple:
    """`v` as a tuple matching `like` in number, shapes and dtype (None: ones, for one element)."""
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(
                f"{caller}: v can be left out only when {has} a single Tensor with a single element"
            )
        return (function.Tensor._wrap(np.ones_like(like[0].data)),)
    vs, _ = _as_tuple(v, "v", caller)
    if len(vs) != len(like):
        raise RuntimeError(f"{caller}: v has {len(vs)} Tensors but should have {len(like)}, one per Tensor")
    for i, (w, t) in enumerate(zip(vs, like)):
        if w.shape != t.shape:
            raise RuntimeError(f"{caller}: v[{i}] has shape {w.shape} but should have shape {t.shape}")
    return tuple(w.to(t.dtype) for w, t in zip(vs, like))


def _grads(
    ys: tuple, xs: tuple, vs: tuple, create_graph: bool, strict: bool, caller: str, what: str = "every output"
) -> tuple:
    """v^T J for each input: zeros where `what` (ys) is independent of it, or an error if strict."""
    live = [(y, w) for y, w in zip(ys, vs) if y.requires_grad]
    found: tuple = (None,) * len(xs)
    if live:
        outs, ws = zip(*live)
        found = grad(outs, xs, ws, retain_graph=True, create_graph=create_graph, allow_unused=True)
    return _fill(found, xs, strict, f"{caller}: {what} is independent of input {{i}}")


def _fill(found: tuple, like: tuple, strict: bool, unused: str) -> tuple:
    """Each None in `found` as zeros shaped like its counterpart in `like`; strict: an error.

    unused: the error's text, with ``{i}`` for the index of the first None.
    """
    missing = [i for i, g in enumerate(found) if g is None]  # (`None in found` would compare Tensors)
    if strict and missing:
        raise RuntimeError(unused.format(i=missing[0]) + ", which strict=True does not allow")
    zeros = function.Tensor._wrap
    return tuple(zeros(np.zeros_like(t.data)) if g is None else g for g, t in zip(found, like))


def _jacobian_of(y: Tensor, i: int, xs: tuple, create_graph: bool, strict: bool) -> tuple:
    """The rows dy/dx_j for each input x_j, stacked to shape ``y.shape + x_j.shape``."""
    rows: list = [[] for _ in xs]
    one_hot = np.eye(y.numel(), dtype=y.data.dtype).reshape((y.numel(), *y.shape))
    for e in one_hot:
        w = function.Tensor._wrap(e)
        for j, g in enumerate(_grads((y,), xs, (w,), create_graph, strict, "jacobian", f"output {i}")):
            rows[j].append(g)
    from ..ops.joining import stack  # (ops import tensor.py, which imports this package)

    wrap = function.Tensor._wrap  # (an output with no elements has no rows: an empty Jacobian)
    return tuple(
        stack(r).reshape(y.shape + x.shape) if r else wrap(np.zeros(y.shape + x.shape, x.data.dtype))
        for r, x in zip(rows, xs)
    )


def _gradient_function(
    func: Callable[..., Tensor], one_input: bool, strict: bool, caller: str, value: list
) -> Callable[..., Tensors]:
    """x -> ∇func(x), recorded so that it can be differentiated again; `value` receives func(x)."""

    def gradient(*xs: Tensor) -> Tensors:
        ys, _ = _outputs(func(*xs), caller, strict)
        if len(ys) != 1 or ys[0].numel() != 1:
            raise RuntimeError(f"{caller}: the function must return a single Tensor with a single element")
        value[:] = ys
        gs = _grads(ys, xs, (function.Tensor._wrap(np.ones_like(ys[0].data)),), True, strict, caller)
        if strict and not all(g.requires_grad for g in gs):
            i = next(i for i, g in enumerate(gs) if not g.requires_grad)
            raise RuntimeError(
                f"{caller}: with strict=True, the gradient with respect to input {i} must depend on the "
                "inputs, but it does not (func is at most linear in that input)"
            )
        return gs[0] if one_input else gs

    return gradient


def _result(ts: tuple | list, single: bool, create_graph: bool) -> Tensors:
    """Outputs handed back: detached unless create_graph, one Tensor or a tuple."""
    out = tuple(t if create_graph else t.detach() for t in ts)
    return out[0] if single else out


def _check_strategy(strategy: str, name: str) -> None:
    if strategy not in ("forward-mode", "reverse-mode"):
        # AssertionError is PyTorch's type; raised explicitly, so `python -O` keeps it
        raise AssertionError(
            f'Expected {name} to be either "forward-mode" or "reverse-mode", got {strategy!r}'
        )
    if strategy == "forward-mode":
        raise NotImplementedError(
            f"{name}='forward-mode': this engine has reverse mode only (jvp gets J v from two reverse passes)"
        )
