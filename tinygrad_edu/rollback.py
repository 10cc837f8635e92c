"""`restored_on_error`: undo a block's changes to some dicts if the block raises.

A call that changes several entries (a container's `extend`, a scheduler's
first step, a chain of schedulers) may fail half-way. The project's rule is
that a failed call leaves everything as it was, so such calls run their
changes inside ``with restored_on_error(d1, d2, ...):``, which copies each
dict first (shallowly: the entries, not what they point to) and, on an error,
gives every dict back exactly the entries it had.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def restored_on_error(*dicts: dict) -> Iterator[None]:
    """If the block raises, each of `dicts` gets back the entries it had before the block."""
    saved = [dict(d) for d in dicts]
    try:
        yield
    except BaseException:
        for d, entries in zip(dicts, saved):
            d.clear()
            d.update(entries)
        raise
