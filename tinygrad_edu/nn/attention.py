"""Attention: `scaled_dot_product_attention` (`MultiheadAttention` is in multihead_attention.py).

Attention lets every position of one sequence (a query) gather what it needs
from the positions of another (the keys, each paired with a value). Query i
scores key j by a dot product, the scores of row i become weights by a
softmax, and the output of row i is the weighted mean of the values:

    Attention(Q, K, V) = softmax(Q K^T / sqrt(E) + M) V

    Q (..., L, E), K (..., S, E), V (..., S, Ev) -> (..., L, Ev); the weights are (..., L, S)

L queries attend over S keys; the leading dims (batch, heads) broadcast.
Dividing by sqrt(E) keeps the scores' spread independent of the width: a
dot product of E unit-variance terms has variance E, and unscaled scores
would grow with E until the softmax put all weight on a single key (where
its gradient vanishes). M is the mask, 0 where a query may look at a key
and -inf where not (exp(-inf) = 0 gives that key no weight). A bool mask
of scaled_dot_product_attention says True where a query may look, while
MultiheadAttention's bool masks (PyTorch's convention) say True where it
may not; a float mask is added to the scores as it is.

All of it is composed from Tensor operations (matmul, softmax, where,
reshape, linear, dropout), so gradients and second derivatives come from those.
"""

from __future__ import annotations

import math

import numpy as np

from ..ops.elementwise import where
from ..tensor import Tensor
from .input_checks import check_tensors
from .layer_functions import dropout

__all__ = ["scaled_dot_product_attention"]

_SDPA = "scaled_dot_product_attention"


def _attend(
    q: Tensor, k: Tensor, v: Tensor, mask: Tensor | None, dropout_p: float, scale: float, safe: bool
) -> tuple[Tensor, Tensor]:
    """softmax(q k^T scale + mask) v, and the weights; a bool mask is True where a query may look.

    safe: a query that may look at no key at all gets weights 0 (so output 0),
    as from PyTorch's scaled_dot_product_attention, rather than the nan of a
    softmax over nothing but -inf (which MultiheadAttention's weights show).
    """
    scores = (q @ k.transpose(-2, -1)) * scale
    if mask is not None:
        scores = scores + mask if mask.dtype.kind == "f" else where(mask, scores, -math.inf)
    weights = _safe_softmax(scores) if safe else scores.softmax(-1)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p)
    return weights @ v, weights


def _safe_softmax(scores: Tensor) -> Tensor:
    """softmax over the last dim, with 0 for a row of nothing but -inf (instead of 0/0 = nan)."""
    dead = np.asarray(np.isneginf(scores.data).all(-1, keepdims=True))
    if not dead.any():
        return scores.softmax(-1)
    # NOTE: such a row is replaced by zeros before the softmax and its result by zeros after,
    # so neither the value nor the gradient (0 for its scores) sees a nan
    dead_rows = Tensor._wrap(dead)
    return where(dead_rows, 0.0, where(dead_rows, 0.0, scores).softmax(-1))


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    *,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """softmax(Q K^T scale + M) V, scale = 1/sqrt(E) unless given; see the module docstring.

    Shape: query (..., Hq, L, E), key (..., H, S, E), value (..., H, S, Ev) -> (..., Hq, L, Ev).
    attn_mask broadcasts to the weights' shape (..., Hq, L, S): bool (True = take
    part) or float (added to the scores). is_causal lets query i see keys 0..i
    only (the top-left triangle when L != S). dropout_p drops weights, always
    (pass 0 in evaluation). enable_gqa lets H divide Hq: each key/value head
    then serves Hq / H consecutive query heads (grouped-query attention).
    A query that may look at no key gets output 0.
    """
    _check_sdpa_inputs(query, key, value, attn_mask, dropout_p, is_causal)
    if enable_gqa:
        key, value = _share_heads(query, key), _share_heads(query, value)
    _check_sdpa_shapes(query, key, value, attn_mask)
    if is_causal:
        attn_mask = Tensor._wrap(np.tri(query.shape[-2], key.shape[-2], dtype=bool))
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    return _attend(query, key, value, attn_mask, dropout_p, scale, safe=True)[0]


def _check_sdpa_inputs(
    query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None, dropout_p: float, is_causal: bool
) -> None:
    """PyTorch's checks of the arguments' types, ranks and dtypes."""
    tensors = (query, key, value, attn_mask)
    if not all(isinstance(t, Tensor) for t in tensors[:3]) or not isinstance(attn_mask, (Tensor, type(None))):
        check_tensors(_SDPA, ("query", "key", "value", "attn_mask"), tensors, required=3)
    if min(query.ndim, key.ndim, value.ndim) < 2:
        raise RuntimeError(
            f"{_SDPA}: Expected query, key, and value to all be at least 2 dimensional, but got "
            f"query.dim: {query.ndim} key.dim: {key.ndim} and value.dim: {value.ndim} instead."
        )
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError(
            f"{_SDPA}: Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{query.dtype} key.dtype: {key.dtype} and value.dtype: {value.dtype} instead."
        )
    if query.dtype.kind != "f":
        raise RuntimeError(f"{_SDPA}: expected floating-point query, key and value, but found {query.dtype}")
    if attn_mask is not None:
        if attn_mask.dtype not in (np.bool_, np.float32, query.dtype):
            raise RuntimeError(
                f"{_SDPA}: Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                f"attn_mask.dtype: {attn_mask.dtype} and query.dtype: {query.dtype} instead."
            )
        if is_causal:
            raise RuntimeError(f"{_SDPA}: Explicit attn_mask should not be set when is_causal=True")
    if dropout_p > 1.0:  # (PyTorch lets a negative p through: no dropout)
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {dropout_p}")


def _share_heads(query: Tensor, kv: Tensor) -> Tensor:
    """Grouped-query attention: repeat each of kv's H heads Hq / H times to line up with the query's."""
    if query.ndim < 3 or kv.ndim < 3:
        raise IndexError(
            f"{_SDPA}: enable_gqa needs a heads dim (-3), got query {query.shape}, key/value {kv.shape}"
        )
    heads, kv_heads = query.shape[-3], kv.shape[-3]
    if kv_heads == 0 or heads % kv_heads != 0:
        raise RuntimeError(
            f"{_SDPA}: Number of heads in key and value must divide the number of heads in query, "
            f"got {kv_heads} and {heads}"
        )
    return kv.repeat_interleave(heads // kv_heads, dim=-3)


def _check_sdpa_shapes(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None) -> None:
    """The sizes E and S must agree, the batch dims broadcast, the mask broadcast to the weights."""
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise RuntimeError(
            f"{_SDPA}: query {query.shape}, key {key.shape} and value {value.shape} do not fit: need "
            "query (..., L, E), key (..., S, E) and value (..., S, Ev)"
        )
    try:
        batch = np.broadcast_shapes(query.shape[:-2], key.shape[:-2], value.shape[:-2])
    except ValueError:
        raise RuntimeError(
            f"{_SDPA}: the batch dims of query {query.shape}, key {key.shape} and value {value.shape} "
            "do not broadcast"
        ) from None
    if attn_mask is None:
        return
    weights = (*batch, query.shape[-2], key.shape[-2])
    if attn_mask.ndim < 2:
        raise IndexError(f"{_SDPA}: attn_mask needs dims (L, S), got shape {attn_mask.shape}")
    try:
        fits = np.broadcast_shapes(attn_mask.shape, weights) == weights
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(
            f"{_SDPA}: attn_mask of shape {attn_mask.shape} does not broadcast to the weights' "
            f"shape {weights}"
        )
