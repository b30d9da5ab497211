"""Time budgets for work whose cost depends on untrusted input.

A pathological body can make Markdown or a syntax highlighter run for
minutes. Work that might do so runs under a budget; when the budget runs out
the work stops with TimeBudgetExceeded, which the caller reports as a
diagnostic. The budget uses SIGALRM, so it applies on the main thread of a
Unix process; elsewhere the work runs without one. Callers read the budgets
as attributes of this module, so a test can shorten one.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

MARKDOWN_SECONDS = 10.0  # one document's Markdown
HIGHLIGHT_SECONDS = 5.0  # one code block
DIAGRAM_SECONDS = 60.0  # one diagram, in a renderer's worker
DIAGRAM_CHARACTERS = 20_000  # a diagram's source; far above a readable diagram


class TimeBudgetExceeded(Exception):
    pass


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise TimeBudgetExceeded(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
