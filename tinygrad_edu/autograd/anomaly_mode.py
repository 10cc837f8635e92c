"""Anomaly detection: which op's backward went wrong, and where its forward was called.

A nan in a gradient usually appears far from its cause: it is made by one
op's backward (sqrt at 0, log of a negative number, 0 * inf) and then flows
into every gradient below it. In anomaly mode, as in PyTorch,

* every recorded node keeps the Python stack of the forward call that made it;
* backward checks each gradient a node hands on, and raises at the first one
  with a nan: ``Function 'SqrtBackward' returned nan values in its 0th output.``;
* when backward fails at a node (that check, or any error in its backward
  or its hooks), a warning shows the forward stack kept on that node, so
  the line of the model that made the op is one look away.

>>> with tg.autograd.detect_anomaly():
...     y = x.sqrt() * 0          # x = 0: sqrt's gradient is inf, times 0 is nan
...     y.sum().backward()        # RuntimeError, and a warning pointing at x.sqrt()

The mode costs nothing while it is off. The stack is kept by an `__init__`
that anomaly mode installs on `Node` and removes when it ends, so recording
has no check to make; and backward reads the mode once per call and, when it
is on, watches the engine's loop through its `observer` (engine.py), the
step the loop already has for the graph drawings. The failing node is found
afterwards, in the engine's frame of the error's traceback.

The mode is the same for every thread, as in PyTorch (grad mode is per thread).
"""

from __future__ import annotations

import functools
import sys
import traceback
import warnings
from collections.abc import Callable
from types import CodeType, TracebackType
from typing import Any, TypeVar

import numpy as np

from ..warning import PACKAGE_FOLDER, warn
from .function import Node

F = TypeVar("F", bound=Callable[..., Any])


class _AnomalyMode:
    """The process-wide switches (read by the engine once per backward)."""

    enabled: bool = False
    check_nan: bool = True


state = _AnomalyMode()


def is_anomaly_enabled() -> bool:
    """True while anomaly detection is on."""
    return state.enabled


def is_anomaly_check_nan_enabled() -> bool:
    """True when anomaly mode also checks backward's gradients for nan."""
    return state.check_nan


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:
    """Switch anomaly detection on or off (what the context managers below call)."""
    state.enabled, state.check_nan = bool(enabled), bool(check_nan)
    if state.enabled:
        setattr(Node, "__init__", _keep_forward_trace)  # noqa: B010  (mypy refuses assigning a method)
    elif "__init__" in vars(Node):
        delattr(Node, "__init__")  # recording is back to object.__init__: nothing to pay


def _keep_forward_trace(node: Node) -> None:
    """Node's `__init__` in anomaly mode: keep the stack of the forward call that makes it.

    Frame 1 is the `Function.apply` (or `_apply1`/`_apply2`) creating the
    node; the stack kept starts at its caller and ends at the last line
    outside this package (``x.sqrt()``, not the Tensor method behind it), as
    PyTorch's ends at the user's line. Library frames in between stay: a
    module's `__call__` between the training loop and its `forward`.
    """
    stack = traceback.extract_stack(sys._getframe(2))
    end = len(stack)
    while end > 1 and stack[end - 1].filename.startswith(PACKAGE_FOLDER):
        end -= 1
    node._forward_trace = traceback.format_list(stack[:end])


def _in_mode(fn: F, enabled: bool, check_nan: bool) -> F:
    """`fn` run with anomaly mode set to (enabled, check_nan), and the mode restored after."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        previous = state.enabled, state.check_nan
        set_anomaly_enabled(enabled, check_nan)
        try:
            return fn(*args, **kwargs)
        finally:
            set_anomaly_enabled(*previous)

    return wrapper  # type: ignore[return-value]


class detect_anomaly:
    """Anomaly detection on inside a `with` block (or a decorated function); see the module docstring.

    It warns that it is on, as PyTorch does: the checks slow everything down.
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        self._previous: list[tuple[bool, bool]] = []
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime "
            "and should only be enabled for debugging.",
            stacklevel=2,
        )

    def __enter__(self) -> None:
        self._previous.append((state.enabled, state.check_nan))
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *exc: object) -> None:
        set_anomaly_enabled(*self._previous.pop())

    def __call__(self, fn: F) -> F:
        return _in_mode(fn, True, self.check_nan)


class set_detect_anomaly:
    """Switch anomaly detection on or off: at once, or for a `with` block or a decorated function.

    A bare call, ``tg.autograd.set_detect_anomaly(True)``, switches until switched back.
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.mode, self.check_nan = bool(mode), bool(check_nan)
        self.prev = state.enabled, state.check_nan
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        set_anomaly_enabled(*self.prev)

    def __call__(self, fn: F) -> F:
        set_anomaly_enabled(*self.prev)  # as a decorator, the mode applies only inside fn
        return _in_mode(fn, self.mode, self.check_nan)


def backpropagate_checked(
    backpropagate: Callable[..., dict],
    roots: list,
    retain_graph: bool,
    capture: list | None,
    observer: Callable[[Node, Any, list], None] | None,
    require_all: bool = False,
) -> dict:
    """The engine's `_backpropagate` in anomaly mode: gradients checked, failures traced to the forward.

    The check runs as the loop's observer, which sees each node after its
    backward with the (input index, parent, gradient) it handed on; a drawing's
    own observer, if any, still sees every step. When the loop raises, the
    node it was working on is read from its frame in the traceback.
    """
    check_nan = state.check_nan
    finished: list[Node] = []  # the last node the observer saw through (an error after it is not its)

    def watch(node: Node, grad: Any, edges: list) -> None:
        if check_nan:
            for i, _, g in edges:
                if np.isnan(g.data).any():
                    raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
        if observer is not None:
            observer(node, grad, edges)
        finished[:] = [node]

    try:
        return backpropagate(roots, retain_graph, capture, watch, require_all)
    except Exception as error:
        node = _node_at(error.__traceback__, backpropagate.__code__)
        if node is not None and node not in finished:
            warn(_forward_report(node))  # (attributed to the user's line that called backward)
        raise


def _node_at(tb: TracebackType | None, loop: CodeType) -> Node | None:
    """The node the engine's loop (`loop`, its code) was working on when the error in `tb` was raised."""
    while tb is not None:
        if tb.tb_frame.f_code is loop:
            node = tb.tb_frame.f_locals.get("node")
            return node if isinstance(node, Node) else None
        tb = tb.tb_next
    return None


def _forward_report(node: Node) -> str:
    """The warning for a failure in `node`'s backward: where its forward was called, when known."""
    if node._forward_trace is None:
        return (
            f"Error detected in {node.name()}. No forward pass information available. "
            "Enable detect anomaly during forward pass for more information."
        )
    return f"Error detected in {node.name()}. Traceback of forward call that caused the error:\n" + "".join(
        node._forward_trace
    )
