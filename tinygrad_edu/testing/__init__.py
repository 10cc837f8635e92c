"""Tools for testing gradients: `gradcheck`, `gradgradcheck` and Hypothesis `strategies`.

`strategies` is loaded on first use, so importing tinygrad_edu does not need
Hypothesis installed.
"""

from importlib import import_module
from typing import Any

from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck", "strategies"]


def __getattr__(name: str) -> Any:
    if name == "strategies":
        return import_module(".strategies", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
