"""`tg.cuda`: PyTorch's questions about GPUs, answered for a library that computes on the CPU.

PyTorch code often picks its device with
``device = "cuda" if torch.cuda.is_available() else "cpu"``. The same line
written with ``tg`` runs unchanged and picks ``"cpu"``, the only device here
(see `Tensor.to`). Seeding the GPUs, as reproducible scripts do beside
``torch.manual_seed``, does nothing, as in PyTorch on a machine without one.
"""

from __future__ import annotations


def is_available() -> bool:
    """False: tinygrad_edu computes with NumPy, on the CPU only."""
    return False


def device_count() -> int:
    """0: there are no GPUs to compute on."""
    return 0


def manual_seed(seed: int) -> None:
    """Seed the current GPU's generator: nothing to seed here (`tg.manual_seed` seeds the CPU's)."""
    int(seed)  # (a seed that is no number is still an error, as in PyTorch)


def manual_seed_all(seed: int) -> None:
    """Seed every GPU's generator: nothing to seed here (`tg.manual_seed` seeds the CPU's)."""
    int(seed)
