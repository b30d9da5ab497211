"""Time budgets for work whose cost depends on untrusted input.

A pathological body can make Markdown or a syntax highlighter run for
minutes. Work that might do so runs under a budget; when the budget runs out
the work stops with TimeBudgetExceeded, which the caller reports as a
diagnostic. The budget uses SIGALRM, so it applies on the main thread of a
Unix process; elsewhere the work runs without one. Callers read the budgets
as attributes of this module, so a test can shorten one.
"""

from __future__ import annotations

import _signal
import signal
import threading

MARKDOWN_SECONDS = 10.0  # one document's Markdown
HIGHLIGHT_SECONDS = 5.0  # one code block
DIAGRAM_SECONDS = 60.0  # one diagram, in a renderer's worker
DIAGRAM_CHARACTERS = 20_000  # a diagram's source; far above a readable diagram


class TimeBudgetExceeded(Exception):
    pass


class time_budget:  # noqa: N801 - used as a function: `with time_budget(seconds):`
    """Entered for every body and code block: tens of thousands of times at 10,000 terms. The signal
    module's C functions are called directly: their wrappers look each handler up as an enum (failing,
    for a function), which made a budget cost 9 µs, against 3 µs."""

    __slots__ = ("seconds", "armed", "previous")

    def __init__(self, seconds: float):
        self.seconds, self.armed, self.previous = seconds, False, None

    def __enter__(self) -> None:
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
            return
        self.previous = _signal.signal(signal.SIGALRM, self._expire)
        self.armed = True
        _signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc_info) -> None:
        if self.armed:
            self.armed = False
            try:
                _signal.setitimer(signal.ITIMER_REAL, 0)
            finally:  # an alarm that goes off just before the timer stops still finds the handler put back
                # None: a handler set outside Python, which cannot be put back from here; the default can
                _signal.signal(signal.SIGALRM, signal.SIG_DFL if self.previous is None else self.previous)

    def _expire(self, signum, frame):
        raise TimeBudgetExceeded(f"took longer than {self.seconds:g} s")
