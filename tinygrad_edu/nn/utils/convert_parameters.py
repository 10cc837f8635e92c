"""All the parameters as one flat vector and back, as in `torch.nn.utils.convert_parameters`.

`parameters_to_vector` and `vector_to_parameters` are the form that methods
working on a single vector (line searches, evolution strategies,
second-order methods) want.
"""

from __future__ import annotations

from collections.abc import Iterable

from ...ops.joining import cat
from ...tensor import Tensor


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
