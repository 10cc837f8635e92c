"""Gradient clipping, as in `torch.nn.utils.clip_grad`.

Clipping cuts the gradients in place, between these two::

    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()

It keeps one large gradient (an exploding one) from throwing the parameters
far in a single step.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ...tensor import Tensor
from ...warning import warn


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


def _as_list(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)
