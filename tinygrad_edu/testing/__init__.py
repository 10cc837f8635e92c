"""Tools for testing gradients: `gradcheck`, `gradgradcheck` and Hypothesis `strategies`;
and `assert_close`, PyTorch's comparison of results within tolerances.

`strategies` is loaded on first use, so importing tinygrad_edu does not need
Hypothesis installed.
"""

from importlib import import_module
from typing import Any

from .assert_close import assert_close
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

__all__ = ["GradcheckError", "assert_close", "gradcheck", "gradgradcheck", "strategies"]


def __getattr__(name: str) -> Any:
    if name == "strategies":
        return import_module(".strategies", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
