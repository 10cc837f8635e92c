"""Local response normalization, `LocalResponseNorm`, and its function `local_response_norm`.

Each value is divided by a measure of the activity of the channels next to
it, at the same position: a strong channel damps its neighbours (the
"lateral inhibition" of AlexNet, Krizhevsky et al., 2012). For an input
(N, C, *) and a window of `size` channels around channel c,

    y_c = x_c / (k + alpha / size * sum_{c' in window(c)} x_c'^2) ^ beta

where window(c) runs from c - size // 2 to c + (size - 1) // 2, and channels
beyond 0 and C - 1 count as zeros (the sum is always divided by size, as in
PyTorch). Batch and layer norm have since replaced it, but old models use it.

Composed from Tensor operations (a padding of the squares, a sum of `size`
shifted copies, a power), so gradients and second derivatives come from those.
"""

from __future__ import annotations

from ..tensor import Tensor
from .module import Module
from .padding import pad


def local_response_norm(
    input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0
) -> Tensor:
    """Divide each value by (k + alpha / size * the sum of squares of its `size` neighbouring channels)^beta.

    Shape: (N, C, *) with at least one dim *, -> the same. Channels are dim 1.
    """
    if input.ndim < 3:
        raise ValueError(
            f"local_response_norm: Expected 3D or higher dimensionality input (got {input.ndim} dimensions)"
        )
    if not isinstance(size, int) or isinstance(size, bool):
        raise TypeError(f"local_response_norm: size must be an int, not {type(size).__name__}")
    if size <= 0:
        raise RuntimeError(f"local_response_norm: size should be greater than zero, but got {size}")
    if input.numel() == 0:
        return input
    squares = input * input
    # size // 2 zero channels before the first and (size - 1) // 2 after the last (pad's pairs run
    # from the last dim back to dim 1)
    padded = pad(squares, (0, 0) * (input.ndim - 2) + (size // 2, (size - 1) // 2))
    channels = input.shape[1]
    window = padded.narrow(1, 0, channels)
    for shift in range(1, size):  # one term per tap of the window
        window = window + padded.narrow(1, shift, channels)
    return input / (window * (alpha / size) + k) ** beta


class LocalResponseNorm(Module):
    """Local response normalization across channels; see `F.local_response_norm`.

    Shape:
        input (N, C, *) -> output the same shape. No parameters.
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Tensor) -> Tensor:
        return local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
