"""Automatic differentiation: the Function pattern, the engine and gradient mode.

`functional` holds whole derivatives (jacobian, hessian, vjp, jvp, hvp, vhp).
`detect_anomaly` finds the op whose backward made a nan (anomaly_mode.py), and
``grad_fn.next_functions`` shows a recorded graph as PyTorch does (accumulate_grad.py).

As in PyTorch, the decorator for a backward that can run only once is
`tg.autograd.function.once_differentiable`, in the `function` module, and
`gradcheck`/`gradgradcheck` are found here too (they live in `tg.testing`).
"""

from typing import Any

from . import functional
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .engine import backward, grad
from .function import Function, Node
from .grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from .graph import topological_order

__all__ = [
    "Function",
    "Node",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "functional",
    "grad",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "no_grad",
    "set_detect_anomaly",
    "set_grad_enabled",
    "topological_order",
]


def __getattr__(name: str) -> Any:
    # tg.autograd.gradcheck, as torch.autograd.gradcheck; imported on first use,
    # since the testing package needs the Tensor class, which needs this package
    if name in ("gradcheck", "gradgradcheck"):
        from .. import testing

        return getattr(testing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
