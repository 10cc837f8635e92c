"""Multi-head attention: `multi_head_attention_forward` and the `MultiheadAttention` layer.

Multi-head attention runs h attentions (attention.py) side by side on
learned projections of E / h features each, so that each head can attend to
something else, and mixes the heads' outputs with one more projection:

    head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V),   MultiHead(Q, K, V) = [head_1, ..., head_h] W^O

Its bool masks follow PyTorch's convention for this layer: True where a
query may NOT look (the opposite of scaled_dot_product_attention's). The
checks of its inputs, and the reading of its masks, are in attention_inputs.py.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from ..factories import zeros
from ..ops.joining import cat
from ..ops.linalg import linear
from ..tensor import Tensor, check_device
from . import init
from .attention import _attend, scaled_dot_product_attention
from .attention_inputs import canonical_mask, check_mha_shapes, check_mha_sizes
from .linear import Linear
from .module import Module
from .parameter import Parameter

__all__ = ["MultiheadAttention", "NonDynamicallyQuantizableLinear", "multi_head_attention_forward"]


# ---------------------------------------------------------------- multi-head attention


def _project(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    separate: tuple[Tensor | None, ...] | None,
) -> tuple[Tensor, ...]:
    """The projections of query, key and value: by the packed in_proj_weight, or by three `separate` ones."""
    if separate is None:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        return _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    for name, weight in zip(("q_proj_weight", "k_proj_weight", "v_proj_weight"), separate):
        if weight is None:
            raise AssertionError(f"use_separate_proj_weight is True but {name} is None")
    return _in_projection(query, key, value, separate, in_proj_bias)


def _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | None) -> tuple[Tensor, ...]:
    """q W_q^T + b_q, k W_k^T + b_k, v W_v^T + b_v with W = [W_q; W_k; W_v] (3E, E) and b likewise."""
    if q is k and k is v:  # self-attention: one matmul for all three
        return linear(q, w, b).chunk(3, dim=-1)
    biases = (None, None, None) if b is None else b.chunk(3)
    return tuple(linear(x, w_x, b_x) for x, w_x, b_x in zip((q, k, v), w.chunk(3), biases))


def _in_projection(q: Tensor, k: Tensor, v: Tensor, weights: tuple, b: Tensor | None) -> tuple[Tensor, ...]:
    """The three projections with weights of their own: (E, E), (E, kdim), (E, vdim); b (3E,) as above."""
    biases = (None, None, None) if b is None else b.chunk(3)
    e = q.shape[-1]
    for name, x, w, b_x in zip(("query", "key", "value"), (q, k, v), weights, biases):
        if w.shape != (e, x.shape[-1]):
            raise AssertionError(f"expecting {name} weights shape of {(e, x.shape[-1])}, but got {w.shape}")
        if b_x is not None and b_x.shape != (e,):
            raise AssertionError(f"expecting {name} bias shape of {(e,)}, but got {b_x.shape}")
    return tuple(linear(x, w, b_x) for x, w, b_x in zip((q, k, v), weights, biases))


def _mask_as_3d(attn_mask: Tensor | None, shape: tuple[int, int, int]) -> Tensor | None:
    """attn_mask as (1, L, S) or (N heads, L, S), checked against shape (N heads, L, S)."""
    if attn_mask is None:
        return None
    if attn_mask.ndim == 2:
        if attn_mask.shape != shape[1:]:
            raise RuntimeError(
                f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be {shape[1:]}."
            )
        return attn_mask.unsqueeze(0)
    if attn_mask.shape != shape:
        raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be {shape}.")
    return attn_mask


def _pad_key(mask: Tensor | None) -> Tensor | None:
    """One more key column of 0 (not masked) for a key added at the end (bias_k or the zero key)."""
    if mask is None:
        return None
    return cat([mask, zeros(*mask.shape[:-1], 1, dtype=mask.dtype)], -1)


def _heads(x: Tensor, batch: int, heads: int) -> Tensor:
    """(S, N, E) -> (N, heads, S, E / heads): each head's features in a dim of their own."""
    return x.reshape(x.shape[0], batch, heads, x.shape[2] // heads).permute(
        1, 2, 0, 3
    )  # (not -1: S may be 0)


def _static(x: Tensor, batch: int, heads: int, head_dim: int, name: str) -> Tensor:
    """A static key or value (N heads, S, head_dim), checked, as (N, heads, S, head_dim)."""
    if x.shape[0] != batch * heads:
        raise AssertionError(f"expecting {name}.size(0) of {batch * heads}, but got {x.shape[0]}")
    if x.shape[2] != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got {x.shape[2]}")
    return x.reshape(batch, heads, x.shape[1], head_dim)


def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias: Tensor | None,
    training: bool = True,
    key_padding_mask: Tensor | None = None,
    need_weights: bool = True,
    attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None,
    v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None,
    static_v: Tensor | None = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention with the given weights: what `MultiheadAttention` computes (see there).

    Shape: query (L, N, E), key (S, N, kdim), value (S, N, vdim), or each without N
    -> output (L, N, E) and, with need_weights, the weights (N, L, S), or
    (N, num_heads, L, S) with average_attn_weights=False (without N when unbatched).
    """
    batched = check_mha_shapes(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:  # a batch of one at dim 1, taken away again at the end
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        key_padding_mask = None if key_padding_mask is None else key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    key_padding_mask, attn_mask, is_causal = _mha_masks(
        query, key_padding_mask, attn_mask, is_causal, need_weights
    )
    head_dim = check_mha_sizes(query, key, value, embed_dim_to_check, num_heads, use_separate_proj_weight)
    separate = (q_proj_weight, k_proj_weight, v_proj_weight) if use_separate_proj_weight else None
    q, k, v = _project(query, key, value, in_proj_weight, in_proj_bias, separate)
    attn_mask = _mask_as_3d(attn_mask, (bsz * num_heads, tgt_len, key.shape[0]))
    k, v, attn_mask, key_padding_mask = _append_bias_kv(
        k, v, bias_k, bias_v, attn_mask, key_padding_mask, static_k
    )
    q, k, v = _heads(q, bsz, num_heads), _heads(k, bsz, num_heads), _heads(v, bsz, num_heads)
    k = k if static_k is None else _static(static_k, bsz, num_heads, head_dim, "static_k")
    v = v if static_v is None else _static(static_v, bsz, num_heads, head_dim, "static_v")
    if add_zero_attn:  # one more key and value, all zeros, that every query may look at
        k, v = (cat([x, zeros(bsz, num_heads, 1, head_dim, dtype=x.dtype)], 2) for x in (k, v))
        attn_mask, key_padding_mask = _pad_key(attn_mask), _pad_key(key_padding_mask)
    mask = _merge_masks(attn_mask, key_padding_mask, bsz, num_heads, k.shape[2])
    dropout_p = dropout_p if training else 0.0
    if need_weights:
        out, weights = _attend(q, k, v, mask, dropout_p, 1.0 / math.sqrt(head_dim), safe=False)
        weights = weights.mean(1) if average_attn_weights else weights
    else:
        out, weights = scaled_dot_product_attention(q, k, v, mask, dropout_p, is_causal), None
    out = linear(out.permute(2, 0, 1, 3).reshape(tgt_len, bsz, embed_dim), out_proj_weight, out_proj_bias)
    if not batched:
        return out.squeeze(1), None if weights is None else weights.squeeze(0)
    return out, weights


def _mha_masks(
    query: Tensor,
    key_padding_mask: Tensor | None,
    attn_mask: Tensor | None,
    is_causal: bool,
    need_weights: bool,
) -> tuple[Tensor | None, Tensor | None, bool]:
    """Both masks as float masks; attn_mask dropped where is_causal can stand in for it."""
    key_padding_mask = canonical_mask(
        key_padding_mask, "key_padding_mask", attn_mask, "attn_mask", query.dtype
    )
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer module method "
            "`generate_square_subsequent_mask` to create this mask."
        )
    if is_causal and key_padding_mask is None and not need_weights:
        return None, None, True  # (PyTorch trusts the hint: the causal mask is made from the shapes)
    attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
    return key_padding_mask, attn_mask, is_causal and key_padding_mask is None


def _append_bias_kv(
    k: Tensor,
    v: Tensor,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    attn_mask: Tensor | None,
    key_padding_mask: Tensor | None,
    static_k: Tensor | None,
) -> tuple[Tensor, Tensor, Tensor | None, Tensor | None]:
    """add_bias_kv: a learned key bias_k and value bias_v after the S keys (S, N, E), seen by every query."""
    if bias_k is None or bias_v is None:
        if bias_k is not None or bias_v is not None:
            raise AssertionError(
                "bias_k is set but bias_v is None" if bias_v is None else "bias_v is set but bias_k is None"
            )
        return k, v, attn_mask, key_padding_mask
    if static_k is not None:
        raise AssertionError("bias cannot be added to static key.")
    batch = k.shape[1]
    k, v = cat([k, bias_k.expand(1, batch, -1)]), cat([v, bias_v.expand(1, batch, -1)])
    return k, v, _pad_key(attn_mask), _pad_key(key_padding_mask)


def _merge_masks(
    attn_mask: Tensor | None, key_padding_mask: Tensor | None, batch: int, heads: int, src_len: int
) -> Tensor | None:
    """One float mask that broadcasts to the weights (N, heads, L, S): attn_mask + key_padding_mask."""
    if attn_mask is not None:  # (1, L, S) -> (1, 1, L, S); (N heads, L, S) -> (N, heads, L, S)
        attn_mask = (
            attn_mask.unsqueeze(0) if attn_mask.shape[0] == 1 else attn_mask.unflatten(0, (batch, heads))
        )
    if key_padding_mask is None:
        return attn_mask
    for dim, size in enumerate((batch, src_len)):
        if key_padding_mask.shape[dim] != size:
            raise AssertionError(
                f"Expected key_padded_mask.shape[{dim}] to be {size}, but got {key_padding_mask.shape[dim]}"
            )
    padding = key_padding_mask.reshape(batch, 1, 1, src_len)  # the same keys hidden from every query
    return padding if attn_mask is None else attn_mask + padding


# ---------------------------------------------------------------- layers


class NonDynamicallyQuantizableLinear(Linear):
    """A `Linear` under the name PyTorch gives MultiheadAttention's out_proj, so that it prints the same.

    (In PyTorch the name keeps its quantization tools away from the layer.)
    """


class MultiheadAttention(Module):
    """Multi-head attention: [head_1, ..., head_h] W^O, head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V).

    See the module docstring for the math. Each head has head_dim = embed_dim /
    num_heads features; the h heads' projections are stacked in one matrix.

    Shape (L target and S source length, N batch, E = embed_dim):
        query (L, N, E), key (S, N, kdim), value (S, N, vdim), or (N, L, E) ... with
        batch_first, or (L, E), (S, kdim), (S, vdim) unbatched
        -> output like query, and the weights (N, L, S) averaged over the heads, or
        (N, num_heads, L, S) with average_attn_weights=False (None with need_weights=False)
        key_padding_mask: (N, S) (or (S,)), True or -inf where a key is padding;
        attn_mask: (L, S) or (N num_heads, L, S), True or -inf where query i may not see key j

    Attributes:
        in_proj_weight: (3 E, E), [W^Q; W^K; W^V], initially xavier_uniform_; None when kdim or
            vdim differs from E, which gives q_proj_weight (E, E), k_proj_weight (E, kdim) and
            v_proj_weight (E, vdim) instead, each xavier_uniform_
        in_proj_bias: (3 E,), initially zeros; None with bias=False
        out_proj: NonDynamicallyQuantizableLinear(E, E), weight as Linear's, bias zeros
        bias_k, bias_v: (1, 1, E) with add_bias_kv, initially xavier_normal_; else None

    dropout zeroes attention weights in training. Where a fully masked query row
    gives nan weights (need_weights=True), it gives 0 with need_weights=False, as in PyTorch.
    """

    bias_k: Parameter | None
    bias_v: Parameter | None

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                f"num_heads={num_heads} instead"
            )
        super().__init__()
        check_device(device)
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads, self.dropout, self.batch_first = num_heads, dropout, batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        self._make_parameters(np.dtype(dtype or get_default_dtype()), bias, add_bias_kv)
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _make_parameters(self, dtype: np.dtype, bias: bool, add_bias_kv: bool) -> None:
        """Register the weights in PyTorch's order (which fixes the state_dict's)."""
        e = self.embed_dim
        empty = lambda *shape: Parameter(np.empty(shape, dtype=dtype))  # noqa: E731
        separate = ("q_proj_weight", "k_proj_weight", "v_proj_weight")
        if self._qkv_same_embed_dim:
            self.register_parameter("in_proj_weight", empty(3 * e, e))
            for name in separate:
                self.register_parameter(name, None)
        else:
            for name, size in zip(separate, (e, self.kdim, self.vdim)):
                self.register_parameter(name, empty(e, size))
            self.register_parameter("in_proj_weight", None)
        self.register_parameter("in_proj_bias", empty(3 * e) if bias else None)
        self.out_proj = NonDynamicallyQuantizableLinear(e, e, bias=bias, dtype=dtype)
        if add_bias_kv:
            self.bias_k, self.bias_v = empty(1, 1, e), empty(1, 1, e)
        else:
            self.bias_k = self.bias_v = None

    def _reset_parameters(self) -> None:
        """Projections xavier_uniform_, biases zeros, bias_k and bias_v xavier_normal_ (PyTorch's choices)."""
        for name in ("in_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight"):
            if self._parameters[name] is not None:
                init.xavier_uniform_(self._parameters[name])
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        for extra in (self.bias_k, self.bias_v):
            if extra is not None:
                init.xavier_normal_(extra)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        key_padding_mask = canonical_mask(
            key_padding_mask, "key_padding_mask", attn_mask, "attn_mask", query.dtype
        )
        attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        batch_first = self.batch_first and query.ndim == 3  # (batch_first means nothing unbatched)
        if batch_first:
            query, key, value = _swap_batch_and_sequence(query, key, value)
        out, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias,
            self.bias_k, self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight,
            self.out_proj.bias, training=self.training, key_padding_mask=key_padding_mask,
            need_weights=need_weights, attn_mask=attn_mask,
            use_separate_proj_weight=not self._qkv_same_embed_dim, q_proj_weight=self.q_proj_weight,
            k_proj_weight=self.k_proj_weight, v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights, is_causal=is_causal,
        )  # fmt: skip
        return (out.transpose(0, 1) if batch_first else out), weights


def _swap_batch_and_sequence(*tensors: Tensor) -> tuple[Tensor, ...]:
    """Each (N, L, E) as (L, N, E); a tensor passed twice stays one tensor (self-attention's one matmul)."""
    swapped: dict[int, Tensor] = {}
    for t in tensors:
        if id(t) not in swapped:
            swapped[id(t)] = t.transpose(0, 1)
    return tuple(swapped[id(t)] for t in tensors)
