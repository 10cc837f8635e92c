"""`tg.backends` and the determinism switches: PyTorch's settings for its compute libraries.

PyTorch training scripts often begin with lines such as::

    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    torch.use_deterministic_algorithms(True)
    device = "mps" if torch.backends.mps.is_available() else "cpu"

Written with ``tg`` they run unchanged. The switches are kept and can be
read back, but change nothing: tinygrad_edu has no GPU libraries to tune,
and every op here is already deterministic (NumPy on the CPU gives the same
result for the same input, run after run).
"""

from __future__ import annotations

__all__ = [
    "are_deterministic_algorithms_enabled",
    "cudnn",
    "is_deterministic_algorithms_warn_only_enabled",
    "mps",
    "use_deterministic_algorithms",
]


class _CuDNN:
    """`torch.backends.cudnn`: NVIDIA's GPU kernels for convolutions, not available here."""

    enabled = True
    benchmark = False  # (PyTorch: try each kernel once and keep the fastest)
    deterministic = False  # (PyTorch: use only kernels that give the same result every run)

    @staticmethod
    def is_available() -> bool:
        return False


class _MPS:
    """`torch.backends.mps`: Apple's GPUs, not available here."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def is_built() -> bool:
        return False


cudnn = _CuDNN()
mps = _MPS()

_deterministic = {"mode": False, "warn_only": False}


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Ask for deterministic algorithms only (kept: every op here is one already)."""
    for name, value in (("mode", mode), ("warn_only", warn_only)):
        if not isinstance(value, bool):
            raise TypeError(
                f"use_deterministic_algorithms(): argument '{name}' must be bool, not {type(value).__name__}"
            )
    _deterministic.update(mode=mode, warn_only=warn_only)


def are_deterministic_algorithms_enabled() -> bool:
    """What the last `use_deterministic_algorithms` asked for (False at first)."""
    return _deterministic["mode"]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    """The warn_only of the last `use_deterministic_algorithms` (False at first)."""
    return _deterministic["warn_only"]
