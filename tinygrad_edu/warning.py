"""`warn`: the library's warnings, pointed at the line the user wrote.

Python's `stacklevel` counts frames by hand, and the same warning can be
raised at different depths: a loss called directly or through a module, a
hook warning raised from inside backward. `warn` instead walks up the stack
to the first frame outside this package, so the warning always names the
user's line (their call of `backward()`, of the module, of the function).

`warn_once` gives a warning only the first time in a run, as PyTorch's
warn-once warnings (a deprecated name, float() of a tensor that requires
grad). `quiet_float_errors` keeps NumPy's floating-point warnings out of the way.
"""

from __future__ import annotations

import os
import sys
import warnings
from types import FrameType

# this package's folder: frames of files in it are the library's, not the user's
PACKAGE_FOLDER = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """`warnings.warn(message, category)` attributed to the nearest caller outside tinygrad_edu."""
    frame: FrameType | None = sys._getframe(1)
    level = 2  # stacklevel 2: the caller of `warn`
    while frame is not None and frame.f_code.co_filename.startswith(PACKAGE_FOLDER):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


GIVEN_ONCE: set[str] = set()  # the keys of the warn_once warnings given in this run (a test may clear it)


def warn_once(key: str, message: str, category: type[Warning] = UserWarning) -> None:
    """`warn(message, category)` the first time it is called with `key` in this run, then never again."""
    if key not in GIVEN_ONCE:
        GIVEN_ONCE.add(key)
        warn(message, category)


def quiet_float_errors() -> None:
    """Silence NumPy's floating-point warnings raised inside this package, as PyTorch has none.

    log(-1), 1/0 and exp(1000) give nan and inf in PyTorch without a word;
    NumPy would print "RuntimeWarning: invalid value encountered in log" and
    point at a line of this library. The filter matches only warnings raised
    from this package's modules, so the user's own NumPy code still warns,
    and it costs nothing per op (np.errstate would cost about 1 us per call).
    """
    warnings.filterwarnings(
        "ignore",
        message="(invalid value|divide by zero|overflow|underflow) encountered",
        category=RuntimeWarning,
        module=r"tinygrad_edu(\.|$)",
    )
