"""Keeping Python's cycle collector off data a build loads whole and keeps to its end.

At 10,000 terms the last build's state and snapshot load as hundreds of
thousands of tuples, none in a cycle, and the collector walked them each time
its youngest generation filled: about 30 ms of a 0.45 s quick build. The
memo of every file's parse, which a full build loads, is a million objects
more: one collection of the middle generation walked them for 0.4 s of a
4.5 s build after a see-also was added. Loaded with the collector off and
then frozen (gc.freeze), they are never walked.
`release` hands them back once the build is done, so a process that builds
again (`glossary serve`) still collects what an earlier build left in cycles.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def kept_from_collector() -> Iterator[None]:
    """What the block loads is frozen with everything else alive at its end."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def release() -> None:
    gc.unfreeze()
