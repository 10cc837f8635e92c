"""Three names PyTorch keeps only for old code, each a door into tg.linalg with a warning:

    chain_matmul(A_1, ..., A_k)     linalg.multi_dot([A_1, ..., A_k]): the product of 2-D matrices,
                                    in the order with the fewest multiplications
    frobenius_norm(A, dim, keepdim) linalg.vector_norm(A, 2, dim, keepdim): sqrt(sum A_ij^2) over
                                    at most two dims
    nuclear_norm(A, dim, keepdim)   linalg.matrix_norm(A, "nuc", dim, keepdim): the sum of the
                                    singular values of each matrix (dims (-2, -1) by default)

Each gives PyTorch's deprecation warning once per run. No new Function: the
gradients are those of tg.linalg's ops.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..dtypes import torch_name
from ..linalg.norms import matrix_norm, vector_norm
from ..linalg.products import multi_dot
from ..tensor import Tensor
from ..warning import warn_once


def chain_matmul(*matrices: Tensor, out: Tensor | None = None) -> Tensor:
    """A_1 A_2 ... A_k for 2-D matrices, (p_1, p_2), (p_2, p_3), ... -> (p_1, p_{k+1}); one matrix: a copy.

    Deprecated in PyTorch for linalg.multi_dot, which takes a list.
    """
    if out is not None:
        raise TypeError("chain_matmul(): out= is not supported (tensors here are immutable values)")
    warn_once(
        "deprecated chain_matmul",
        "tg.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "tg.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
        "parameters.",
    )
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for position, m in enumerate(matrices):
        if not isinstance(m, Tensor):
            raise TypeError(
                f"chain_matmul(): expected Tensor as element {position}, but got {type(m).__name__}"
            )
        if m.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m.ndim}, expected 2 instead.")
    return matrices[0].clone() if len(matrices) == 1 else multi_dot(list(matrices))


def frobenius_norm(input: Tensor, dim: int | Sequence[int], keepdim: bool = False) -> Tensor:
    """sqrt of the sum of squares over `dim` (at most two dims; () for all): (*) -> (*) less dim."""
    warn_once(
        "deprecated frobenius_norm",
        "tg.frobenius_norm is deprecated and it is just left for JIT compatibility. It will be removed in a "
        "future PyTorch release. Please use `tg.linalg.vector_norm(A, 2., dim, keepdim)` instead",
    )
    dims = [dim] if isinstance(dim, int) else list(dim)
    if len(dims) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions instead.")
    if input.dtype.kind != "f":
        raise RuntimeError(
            "norm(): input dtype should be either floating point or complex. "
            f"Got {torch_name(input.dtype)} instead."
        )
    return vector_norm(input, 2, dims if dims else None, keepdim)


def nuclear_norm(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The sum of the singular values of each matrix over dims `dim` (default (-2, -1)): (*, m, n) -> (*).

    As in PyTorch, nuclear_norm(A, True) means keepdim=True (its overload without dim).
    """
    if isinstance(dim, bool):  # nuclear_norm(input, keepdim)
        dim, keepdim = None, dim
    warn_once(
        "deprecated nuclear_norm",
        "tg.nuclear_norm is deprecated and it is just left for JIT compatibility. It will be removed in a "
        "future PyTorch release. Please use `tg.linalg.matrix_norm(A, 'nuc', dim, keepdim)` instead",
    )
    dims = (-2, -1) if dim is None else tuple([dim] if isinstance(dim, int) else dim)
    if len(dims) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {' '.join(map(str, dims))}")
    return matrix_norm(input, "nuc", dims, keepdim)
