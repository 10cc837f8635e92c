"""Gradient mode: whether operations record a graph for backward.

The flag is thread-local, as in PyTorch: `no_grad()` in one thread does not
switch recording off in another.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _State(threading.local):
    enabled: bool = True
    # The module whose forward is running, recorded on each node so that the
    # graph drawing can group nodes by layer (set by nn.Module.__call__).
    scope: object = None


_state = _State()


def is_grad_enabled() -> bool:
    """True when new operations are recorded for backward."""
    return _state.enabled


class set_grad_enabled:
    """Context manager (and decorator) that sets gradient recording on or off."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        self._previous.append(_state.enabled)
        _state.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _state.enabled = self._previous.pop()

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(self.mode):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class _FixedMode(set_grad_enabled):
    """A mode without arguments: usable as `@no_grad` as well as `@no_grad()`, as in PyTorch."""

    fixed_mode: bool

    def __new__(cls, fn: F | None = None) -> Any:
        if fn is not None:  # used bare as a decorator: fn is the decorated function
            return cls()(fn)
        return super().__new__(cls)

    def __init__(self, fn: F | None = None) -> None:
        super().__init__(self.fixed_mode)


class no_grad(_FixedMode):
    """Operations inside do not record a graph: for inference and parameter updates.

    >>> with tg.no_grad():
    ...     w -= lr * w.grad
    """

    fixed_mode = False


class enable_grad(_FixedMode):
    """Switch recording back on inside a `no_grad` region."""

    fixed_mode = True
