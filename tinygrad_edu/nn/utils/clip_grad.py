"""Gradient clipping, as in `torch.nn.utils.clip_grad`.

Clipping cuts the gradients in place, between these two::

    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    optimizer.step()

It keeps one large gradient (an exploding one) from throwing the parameters
far in a single step.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ...linalg.norms import _check_not_empty
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
    norm before clipping, as `get_total_norm` computes it, and scales as `clip_grads_with_norm_`
    does: the two steps of PyTorch's. `foreach` (a PyTorch speed option) is ignored.
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    _scale(grads, max_norm, total.data)
    return total


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
    clip_value = float(clip_value)  # a bad value fails here, before any gradient is touched
    for p in _as_list(parameters):
        if p.grad is not None:
            np.clip(p.grad.data, -clip_value, clip_value, out=p.grad.data)
            p.grad._bump_version()


def _as_list(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def get_total_norm(
    tensors: Tensor | Iterable[Tensor],
    norm_type: float | str = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """The q-norm of all the tensors' elements together (q = norm_type), as a 0-d tensor with no graph.

    Computed as the norm of the per-tensor norms, the same number:
    (sum_t ||t||_q^q)^(1/q). "inf" takes the largest |x|, -inf the smallest.
    NOTE: for q = 0 the norm of the norms counts the tensors that have a
    nonzero element, not the elements (PyTorch's result, kept). Pass the gradients
    (``[p.grad for p in params]``), then `clip_grads_with_norm_`, to clip in
    two steps (e.g. to log the norm, or to add up norms across model shards).
    The dtype is the tensors' (promoted); no tensors give 0.
    """
    ts = _as_list(tensors)
    if not ts:
        return Tensor(0.0)
    q = float(norm_type)
    for t in ts:
        if t.data.dtype.kind != "f":
            raise RuntimeError(
                f"linalg.vector_norm: Expected a floating point tensor as input. Got {t.dtype}"
            )
        _check_not_empty(t, q, tuple(range(t.ndim)), whole=True)  # (no max, min or 1/sum of no elements)
    dtype = np.result_type(*(t.data.dtype for t in ts))
    norms = np.array([np.linalg.norm(t.data.ravel(), q) if t.data.size else 0.0 for t in ts], dtype=dtype)
    total = np.linalg.norm(norms, q).astype(dtype)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {q} for gradients from `parameters` is non-finite, so it cannot be "
            "clipped. To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`"
        )
    return Tensor._wrap(np.asarray(total))


def clip_grads_with_norm_(
    parameters: Tensor | Iterable[Tensor], max_norm: float, total_norm: Tensor, foreach: bool | None = None
) -> None:
    """Scale every gradient, in place, by min(1, max_norm / (total_norm + 1e-6)).

    total_norm is a tensor, as `get_total_norm` returns it: the second step of
    `clip_grad_norm_`, for a norm computed beforehand.
    """
    if not isinstance(total_norm, Tensor):
        raise TypeError(
            f"clip_grads_with_norm_(): total_norm must be a Tensor (as get_total_norm returns), "
            f"got {type(total_norm).__name__}"
        )
    _scale([p.grad for p in _as_list(parameters) if p.grad is not None], max_norm, total_norm.data)


def _scale(grads: list[Tensor], max_norm: float, total: np.ndarray) -> None:
    """Multiply each gradient, in place, by min(1, max_norm / (total + 1e-6)).

    A nan norm (a nan among the gradients) makes every gradient nan, as in
    PyTorch: the scale is nan, and min keeps it. max_norm may be a number or a 0-d Tensor.
    """
    scale = np.minimum(float(max_norm) / (total + 1e-6), 1.0).astype(total.dtype)
    for g in grads:
        g.data *= scale.astype(g.dtype)
        g._bump_version()
