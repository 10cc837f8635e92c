"""`warn`: the library's warnings, pointed at the line the user wrote.

Python's `stacklevel` counts frames by hand, and the same warning can be
raised at different depths: a loss called directly or through a module, a
hook warning raised from inside backward. `warn` instead walks up the stack
to the first frame outside this package, so the warning always names the
user's line (their call of `backward()`, of the module, of the function).
"""

from __future__ import annotations

import os
import sys
import warnings
from types import FrameType

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """`warnings.warn(message, category)` attributed to the nearest caller outside tinygrad_edu."""
    frame: FrameType | None = sys._getframe(1)
    level = 2  # stacklevel 2: the caller of `warn`
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
