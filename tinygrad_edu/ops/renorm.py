"""torch.renorm: cap the p-norm of every slice along a dim at maxnorm.

Each sub-tensor x_i = x.select(dim, i) is rescaled only if its norm is too large:

    y_i = x_i * (maxnorm / (||x_i||_p + 1e-7))   if ||x_i||_p > maxnorm
    y_i = x_i                                    otherwise

(the 1e-7 is PyTorch's, so a capped slice ends just under maxnorm). It is the
max-norm constraint on weight rows used with dropout. Composed of vector_norm,
where and a product, so the gradient includes the norm's dependence on x_i.
"""

from __future__ import annotations

from ..linalg.norms import vector_norm
from ..tensor import Tensor
from .elementwise import where
from .movement import normalize_dim


def renorm(input: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:
    """input with each slice along `dim` scaled down to p-norm maxnorm where it exceeds it: (*) -> (*)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"renorm(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    if input.ndim < 2:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.ndim} dimensions")
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    d = normalize_dim(dim, input.ndim)
    others = tuple(e for e in range(input.ndim) if e != d)
    norms = vector_norm(input, p, others, keepdim=True)  # one norm per slice, kept for broadcasting
    factor = where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return input * factor.to(input.dtype)
