"""The Transformer's two layers: the encoder layer and the decoder layer (transformer.py stacks them).

An encoder layer refines a sequence x of shape (L, N, E) (E = d_model) in
two steps. Each step's result is added back to its input (a residual
connection, so a layer starts out close to the identity and gradients
reach deep stacks unchanged) and then layer-normalized:

    x = norm1(x + SelfAttention(x))       every position gathers from every other (attention.py)
    x = norm2(x + FeedForward(x))         FeedForward(x) = linear2(dropout(activation(linear1(x))))

The feed-forward net works on each position alone, widening E features to
dim_feedforward and back. With norm_first=True ("pre-norm") each step
normalizes its input instead, x = x + SelfAttention(norm1(x)) and
x = x + FeedForward(norm2(x)): the residual path then runs from the input
to the output untouched by any norm, which makes deep stacks easier to train.

A decoder layer has three steps: self-attention over the target sequence
(usually causal, so that position i sees only targets 0..i), then
cross-attention, where the targets are the queries and the encoder's output
(the memory) gives the keys and values, then the feed-forward net; each
with its residual connection and its norm (norm1, norm2, norm3).

Every step's output passes through dropout (dropout1, 2, 3) before it is
added. Masks are MultiheadAttention's: True (or -inf) where a position may
not be looked at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..dtypes import get_default_dtype
from ..tensor import Tensor, check_device
from . import functional as F
from .activation import GELU, Dropout, ReLU
from .attention_inputs import canonical_mask
from .linear import Linear
from .module import Module
from .multihead_attention import MultiheadAttention
from .normalization import LayerNorm

__all__ = ["TransformerDecoderLayer", "TransformerEncoderLayer"]

Activation = str | Callable[[Tensor], Tensor]


def _generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
    """The causal mask (sz, sz): 0 on and below the diagonal, -inf above (position i sees 0..i)."""
    check_device(device)
    return Tensor._wrap(np.triu(np.full((sz, sz), -np.inf, dtype=np.dtype(dtype or get_default_dtype())), 1))


def _get_activation_fn(activation: str) -> Callable[[Tensor], Tensor]:
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


def _detect_is_causal_mask(mask: Tensor | None, is_causal: bool | None, size: int | None) -> bool:
    """is_causal when given; when None, whether mask is exactly the causal mask of size `size`."""
    if is_causal is not None or mask is None:
        return is_causal is True
    causal = _generate_square_subsequent_mask(size if size is not None else mask.shape[-2], dtype=mask.dtype)
    return mask.shape == causal.shape and bool((mask.data == causal.data).all())


def _seq_len(x: Tensor, batch_first: bool) -> int:
    """The sequence length of an (L, E) input or of an (L, N, E) one ((N, L, E) with batch_first)."""
    return x.shape[0] if x.ndim == 2 else x.shape[1 if batch_first else 0]


class _Layer(Module):
    """What the encoder and decoder layers share: submodules in PyTorch's order, the feed-forward net.

    `steps` is 2 for an encoder layer (self-attention, feed-forward), 3 for a
    decoder layer (cross-attention between them, in `multihead_attn`).
    """

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int, dropout: float, activation: Activation,
                 layer_norm_eps: float, batch_first: bool, norm_first: bool, bias: bool, device: Any,
                 dtype: Any, steps: int) -> None:  # fmt: skip
        super().__init__()
        options = {"bias": bias, "device": device, "dtype": dtype}
        attention = lambda: MultiheadAttention(d_model, nhead, dropout, batch_first=batch_first, **options)  # noqa: E731
        self.self_attn = attention()
        if steps == 3:
            self.multihead_attn = attention()
        self.linear1 = Linear(d_model, dim_feedforward, **options)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, **options)
        self.norm_first = norm_first
        for i in range(1, steps + 1):
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, **options))
        for i in range(1, steps + 1):
            setattr(self, f"dropout{i}", Dropout(dropout))
        self.activation = _get_activation_fn(activation) if isinstance(activation, str) else activation

    def _sa_block(self, x: Tensor, mask: Tensor | None, padding: Tensor | None, is_causal: bool) -> Tensor:
        """Self-attention: x is the queries, keys and values (one tensor: one matmul projects all three)."""
        out = self.self_attn(
            x, x, x, attn_mask=mask, key_padding_mask=padding, need_weights=False, is_causal=is_causal
        )[0]
        return self.dropout1(out)

    def _feed_forward(self, x: Tensor) -> Tensor:
        return self.linear2(self.dropout(self.activation(self.linear1(x))))


class TransformerEncoderLayer(_Layer):
    """Self-attention, then a feed-forward net, each with a residual connection and a LayerNorm.

    Shape: src (L, N, E), (N, L, E) with batch_first, or (L, E) -> the same (E = d_model).
    src_mask: (L, L) or (N nhead, L, L); src_key_padding_mask: (N, L) (or (L,)); True or -inf
    where a position may not be looked at. is_causal: src_mask is the causal mask (a hint).

    Submodules, as PyTorch's (so a state_dict loads either way): self_attn, linear1
    (d_model -> dim_feedforward), dropout, linear2 (back to d_model), norm1, norm2,
    dropout1, dropout2; activation too when it is a module. activation: "relu",
    "gelu" or any function of a tensor.
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        options = (dropout, activation, layer_norm_eps, batch_first, norm_first, bias, device, dtype)
        super().__init__(d_model, nhead, dim_feedforward, *options, steps=2)
        # PyTorch's flag for its fused kernel (which this library has not): 1 ReLU, 2 GELU, 0 any other
        self.activation_relu_or_gelu = 0
        if self.activation is F.relu or isinstance(self.activation, ReLU):
            self.activation_relu_or_gelu = 1
        elif self.activation is F.gelu or isinstance(self.activation, GELU):
            self.activation_relu_or_gelu = 2

    def forward(
        self,
        src: Tensor,
        src_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool = False,
    ) -> Tensor:
        padding = canonical_mask(
            src_key_padding_mask, "src_key_padding_mask", src_mask, "src_mask", src.dtype
        )
        mask = canonical_mask(src_mask, "src_mask", None, "", src.dtype, check_other=False)
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), mask, padding, is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, mask, padding, is_causal))
        return self.norm2(x + self._ff_block(x))

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout2(self._feed_forward(x))


class TransformerDecoderLayer(_Layer):
    """Self-attention, cross-attention to the memory, a feed-forward net; each with a residual and a norm.

    Shape: tgt (T, N, E) and memory (S, N, E) ((N, T, E), (N, S, E) with batch_first;
    (T, E), (S, E) unbatched) -> like tgt. tgt_mask (T, T) and memory_mask (T, S), or
    with N nhead in front; tgt_key_padding_mask (N, T), memory_key_padding_mask (N, S).

    Submodules, as PyTorch's: self_attn, multihead_attn, linear1, dropout, linear2,
    norm1, norm2, norm3, dropout1, dropout2, dropout3.
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        options = (dropout, activation, layer_norm_eps, batch_first, norm_first, bias, device, dtype)
        super().__init__(d_model, nhead, dim_feedforward, *options, steps=3)

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        own = (tgt_mask, tgt_key_padding_mask, tgt_is_causal)
        memory_masks = (memory_mask, memory_key_padding_mask, memory_is_causal)
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), *own)
            x = x + self._mha_block(self.norm2(x), memory, *memory_masks)
            return x + self._ff_block(self.norm3(x))
        x = self.norm1(x + self._sa_block(x, *own))
        x = self.norm2(x + self._mha_block(x, memory, *memory_masks))
        return self.norm3(x + self._ff_block(x))

    def _mha_block(
        self, x: Tensor, memory: Tensor, mask: Tensor | None, padding: Tensor | None, is_causal: bool
    ) -> Tensor:
        """Cross-attention: the targets x ask, the memory (the encoder's output) answers."""
        out = self.multihead_attn(
            x,
            memory,
            memory,
            attn_mask=mask,
            key_padding_mask=padding,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout2(out)

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout3(self._feed_forward(x))
