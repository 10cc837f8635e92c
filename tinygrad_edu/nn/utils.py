"""Helpers on a model's parameters, as in `torch.nn.utils`.

Gradient clipping cuts the gradients in place, between these two::

    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()

Clipping keeps one large gradient (an exploding one) from throwing the
parameters far in a single step.

`parameters_to_vector` and `vector_to_parameters` see all the parameters as
one flat vector and back: the form that methods working on a single vector
(line searches, evolution strategies, second-order methods) want.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..ops.joining import cat
from ..tensor import Tensor
from ..warning import warn


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale all gradients by one factor so that their joint norm is at most `max_norm`.

    The joint norm is the q-norm of every gradient element together
    (q = norm_type; "inf" takes the largest |g|). Each gradient is multiplied
    by min(1, max_norm / (norm + 1e-6)), so its direction is kept. Returns the
    norm before clipping. `foreach` (a PyTorch speed option) is ignored.
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return Tensor(0.0)
    q = float(norm_type)
    # the norm of the per-gradient norms is the norm of all the elements together
    norms = [np.linalg.norm(g.data.ravel(), q) for g in grads]
    total = np.linalg.norm(np.asarray(norms, dtype=grads[0].dtype), q)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the gradients' norm of order {q} is {total}, so there is nothing finite "
            "to scale by (error_if_nonfinite=False scales by it anyway)"
        )
    scale = min(1.0, max_norm / (float(total) + 1e-6))
    for g in grads:
        g.data *= scale
        g._bump_version()
    return Tensor(np.asarray(total, dtype=grads[0].dtype))


def clip_grad_norm(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Deprecated (FutureWarning), as in PyTorch: the old name of `clip_grad_norm_`, which it calls."""
    warn(
        "nn.utils.clip_grad_norm is deprecated; call nn.utils.clip_grad_norm_ (with the trailing "
        "underscore: it changes the gradients in place)",
        FutureWarning,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None
) -> None:
    """Clip every gradient element into [-clip_value, clip_value], in place."""
    for p in _as_list(parameters):
        if p.grad is not None:
            np.clip(p.grad.data, -clip_value, clip_value, out=p.grad.data)
            p.grad._bump_version()


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All the parameters flattened and joined, in order, into one 1-D tensor (recorded by autograd)."""
    return cat([param.reshape(-1) for param in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Cut `vec` into consecutive pieces shaped as the parameters, and make each piece one's values.

    The inverse of `parameters_to_vector`. As in PyTorch, each parameter's
    ``.data`` becomes its piece of `vec`'s memory: nothing is copied, autograd
    does not record it, and later in-place changes to either show in the
    other. Elements of `vec` beyond the parameters are left unused.
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected Tensor, but got: {type(vec).__name__}")
    params = list(parameters)
    # every piece is cut before any parameter changes, so a vec too short leaves them all as they were
    pieces, start = [], 0
    for param in params:
        piece = vec.data[start : start + param.numel()]
        if piece.size != param.numel():
            raise RuntimeError(
                f"vector_to_parameters: shape {list(param.shape)} is invalid for input of size {piece.size} "
                f"(vec has {vec.numel()} elements, fewer than the parameters)"
            )
        pieces.append(piece.reshape(param.shape))
        start += param.numel()
    for param, piece in zip(params, pieces):
        param.data = piece


def _as_list(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)
