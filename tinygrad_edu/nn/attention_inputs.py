"""What multi-head attention checks in its inputs, and how it reads a mask.

PyTorch's MultiheadAttention (and the Transformer layers on top of it) raise
AssertionError for inputs of the wrong rank or size; these checks give the
same errors, with the same words. `canonical_mask` turns a bool mask (True:
may not look) into the float mask that is added to the attention scores.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Tensor
from ..warning import warn


def canonical_mask(
    mask: Tensor | None,
    name: str,
    other: Tensor | None,
    other_name: str,
    dtype: np.dtype,
    check_other: bool = True,
) -> Tensor | None:
    """A MultiheadAttention mask as a float mask added to the scores: True (masked out) -> -inf, False -> 0.

    A float mask is kept as it is (it may have a gradient). Mixing a bool and a
    float mask still works, but PyTorch deprecates it with a warning.
    """
    if mask is None:
        return None
    if mask.dtype != np.bool_ and mask.dtype.kind != "f":
        raise AssertionError(f"only bool and floating types of {name} are supported")
    if check_other and other is not None and other.dtype != mask.dtype:
        warn(f"Support for mismatched {name} and {other_name} is deprecated. Use same type for both instead.")
    if mask.dtype == np.bool_:
        return Tensor._wrap(np.where(mask.data, -np.inf, 0.0).astype(dtype))
    return mask


def check_mha_shapes(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    key_padding_mask: Tensor | None,
    attn_mask: Tensor | None,
    heads: int,
) -> bool:
    """PyTorch's checks of the ranks: batched (3-D query) or not (2-D); returns which."""
    batched = query.ndim == 3
    if query.ndim not in (2, 3):
        raise AssertionError(
            f"query should be unbatched 2D or batched 3D tensor but received {query.ndim}-D query tensor"
        )
    kind = "batched (3-D)" if batched else "unbatched (2-D)"
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AssertionError(
            f"For {kind} `query`, expected `key` and `value` to be {query.ndim}-D but found "
            f"{key.ndim}-D and {value.ndim}-D tensors respectively"
        )
    if key_padding_mask is not None and key_padding_mask.ndim != query.ndim - 1:
        raise AssertionError(
            f"For {kind} `query`, expected `key_padding_mask` to be `None` or {query.ndim - 1}-D but found "
            f"{key_padding_mask.ndim}-D tensor instead"
        )
    if attn_mask is not None and attn_mask.ndim not in (2, 3):
        raise AssertionError(
            f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
            f"{attn_mask.ndim}-D tensor instead"
        )
    if not batched and attn_mask is not None and attn_mask.ndim == 3:
        expected = (heads, query.shape[0], key.shape[0])
        if attn_mask.shape != expected:
            raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
    return batched


def check_mha_sizes(
    query: Tensor, key: Tensor, value: Tensor, embed_dim: int, heads: int, separate: bool
) -> int:
    """The embedding size, its split into heads, and key against value; returns the head size."""
    if query.shape[-1] != embed_dim:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim}, but got {query.shape[-1]}")
    if embed_dim % heads != 0:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {heads}")
    if separate and key.shape[:2] != value.shape[:2]:
        raise AssertionError(
            f"key's sequence and batch dims {key.shape[:2]} do not match value's {value.shape[:2]}"
        )
    if not separate and key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
    return embed_dim // heads
