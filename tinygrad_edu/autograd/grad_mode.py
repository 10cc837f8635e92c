"""Gradient mode: whether operations record a graph for backward.

Two switches, thread-local as in PyTorch (`no_grad()` in one thread does not
switch recording off in another): the grad mode, which `no_grad`,
`enable_grad` and `set_grad_enabled` set and `is_grad_enabled` reports, and
inference mode, inside which nothing records, even where `enable_grad`
turns the grad mode back on. Ops read one flag made from the two, `enabled`.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _State(threading.local):
    enabled: bool = True  # do ops record? (the grad mode is on, outside inference mode)
    grad_mode: bool = True
    inference: bool = False
    # The module whose forward is running, recorded on each node so that the
    # graph drawing can group nodes by layer (set by nn.Module.__call__).
    scope: object = None


_state = _State()


def switch(grad_mode: bool, inference: bool) -> tuple[bool, bool]:
    """Set both switches (and `enabled` from them); return the previous two, to switch back to."""
    previous = (_state.grad_mode, _state.inference)
    _state.grad_mode, _state.inference = grad_mode, inference
    _state.enabled = grad_mode and not inference
    return previous


def is_grad_enabled() -> bool:
    """True when the grad mode is on (new operations record, unless in inference mode)."""
    return _state.grad_mode


def is_recording() -> bool:
    """Do new operations record a graph now? (The grad mode is on, outside inference mode.)

    What the library's own ops ask before building a graph-friendly form; `is_grad_enabled`
    reports the grad mode alone, which `enable_grad` can turn on inside inference mode.
    """
    return _state.enabled


def is_inference_mode_enabled() -> bool:
    """True inside `inference_mode()`."""
    return _state.inference


class _GradMode:
    """The switches set by `_modes()` inside a `with` block or a decorated function, and restored after."""

    mode: bool
    _previous: list[tuple[bool, bool]]

    def _modes(self) -> tuple[bool, bool]:
        """(grad mode, inference mode) inside: the grad mode `mode`, inference mode as it is."""
        return self.mode, _state.inference

    def __enter__(self) -> None:
        self._previous.append(switch(*self._modes()))

    def __exit__(self, *exc: object) -> None:
        switch(*self._previous.pop())

    def __call__(self, fn: F) -> F:
        modes = self._modes

        def in_mode(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            previous = switch(*modes())
            try:
                return call(*args, **kwargs)
            finally:
                switch(*previous)

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
        if not isinstance(mode, bool):  # (None would switch recording off, silently)
            from ..nn.input_checks import type_name  # (nn builds on this module)

            got = type_name(mode)
            raise TypeError(f"set_grad_enabled(): argument 'enabled' (position 1) must be bool, not {got}")
        self.mode = mode
        self.prev = switch(*self._modes())

    def __enter__(self) -> None:
        switch(*self._modes())

    def __exit__(self, *exc: object) -> None:
        switch(*self.prev)

    def __call__(self, fn: F) -> F:
        switch(*self.prev)  # as a decorator, the mode applies only inside fn
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
    """PyTorch's mode for evaluation: nothing records inside, even under `enable_grad`.

    ``inference_mode(False)`` leaves it (and turns the grad mode on), as in
    PyTorch. PyTorch also marks the tensors made inside as inference
    tensors, which autograd later refuses; here they are ordinary tensors
    without a graph.
    """

    def __new__(cls, mode: bool | F = True) -> Any:
        if callable(mode):  # used bare as a decorator
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)
        self._previous = []

    def _modes(self) -> tuple[bool, bool]:
        return not self.mode, self.mode
