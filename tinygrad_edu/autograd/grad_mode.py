"""Gradient mode: whether operations record a graph for backward.

The flag is thread-local, as in PyTorch: `no_grad()` in one thread does not
switch recording off in another.
"""

from __future__ import annotations

import functools
import inspect
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


class _GradMode:
    """Recording set to `mode` inside a `with` block or a decorated function, and restored after."""

    mode: bool
    _previous: list[bool]

    def __enter__(self) -> None:
        self._previous.append(_state.enabled)
        _state.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _state.enabled = self._previous.pop()

    def __call__(self, fn: F) -> F:
        mode = self.mode

        def in_mode(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            previous, _state.enabled = _state.enabled, mode
            try:
                return call(*args, **kwargs)
            finally:
                _state.enabled = previous

        if inspect.isgeneratorfunction(fn):
            # A generator's body runs later, a step at a time, each step with
            # the caller's code in between: the mode is set for every step
            # (next, send, throw, close) and the caller's restored in between.
            @functools.wraps(fn)
            def steps(*args: Any, **kwargs: Any) -> Any:
                gen = in_mode(fn, *args, **kwargs)
                step, sent = gen.send, None
                while True:
                    try:
                        item = in_mode(step, sent)
                    except StopIteration as stop:
                        return stop.value
                    try:
                        step, sent = gen.send, (yield item)
                    except GeneratorExit:
                        in_mode(gen.close)
                        raise
                    except BaseException as error:  # thrown in by the caller: on into fn's body
                        step, sent = gen.throw, error

            return steps  # type: ignore[return-value]

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return in_mode(fn, *args, **kwargs)

        return wrapper  # type: ignore[return-value]


class set_grad_enabled(_GradMode):
    """Switch recording on or off, as PyTorch's: at once, or for a `with` block or a decorated function.

    A bare call, ``tg.set_grad_enabled(False)``, switches until switched back.
    """

    def __init__(self, mode: bool) -> None:
        self.mode, self.prev = bool(mode), _state.enabled
        _state.enabled = self.mode

    def __enter__(self) -> None:
        _state.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _state.enabled = self.prev

    def __call__(self, fn: F) -> F:
        _state.enabled = self.prev  # as a decorator, the mode applies only inside fn
        return super().__call__(fn)


class _FixedMode(_GradMode):
    """A mode without arguments: usable as `@no_grad` as well as `@no_grad()`, as in PyTorch."""

    def __new__(cls, fn: F | None = None) -> Any:
        if fn is not None:  # used bare as a decorator: fn is the decorated function
            return cls()(fn)
        return super().__new__(cls)

    def __init__(self, fn: F | None = None) -> None:
        self._previous = []


class no_grad(_FixedMode):
    """Operations inside do not record a graph: for inference and parameter updates.

    >>> with tg.no_grad():
    ...     w -= lr * w.grad
    """

    mode = False


class enable_grad(_FixedMode):
    """Switch recording back on inside a `no_grad` region."""

    mode = True


class inference_mode(_GradMode):
    """PyTorch's mode for evaluation; here it is `no_grad` (or, with ``mode=False``, nothing).

    PyTorch also marks the tensors made inside as inference tensors, which
    autograd later refuses; here they are ordinary tensors without a graph.
    """

    def __new__(cls, mode: bool | F = True) -> Any:
        if callable(mode):  # used bare as a decorator
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self.mode = not mode  # recording is on only when inference mode is off
        self._previous = []
