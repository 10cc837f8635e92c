"""Automatic differentiation: the Function pattern, the engine and gradient mode."""

from .engine import backward, grad
from .function import Function, Node
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .graph import topological_order

__all__ = [
    "Function",
    "Node",
    "backward",
    "enable_grad",
    "grad",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "topological_order",
]
