"""`tg.cuda`: PyTorch's questions about GPUs, answered for a library that computes on the CPU.

PyTorch code often picks its device with
``device = "cuda" if torch.cuda.is_available() else "cpu"``. The same line
written with ``tg`` runs unchanged and picks ``"cpu"``, the only device here
(see `Tensor.to`).
"""

from __future__ import annotations


def is_available() -> bool:
    """False: tinygrad_edu computes with NumPy, on the CPU only."""
    return False


def device_count() -> int:
    """0: there are no GPUs to compute on."""
    return 0
