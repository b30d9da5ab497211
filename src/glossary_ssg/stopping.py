"""How the command and its worker processes stop: on SIGTERM or SIGHUP as on Ctrl-C, and every worker with
the process that started it.

CI cancelling a job, `timeout` and a container stopping send SIGTERM; a closed terminal sends SIGHUP. Their
default action ends a process at once: a first build's staging folder stays beside the output, and the
workers print tracebacks as their pipes break. So the command turns them into `Stopped`, a
KeyboardInterrupt: every `finally` and `with` block runs, as for Ctrl-C, and the command exits with
128 + the signal's number, as a shell reports a process the signal ended (Ctrl-C's too: 130, where
click's "Aborted!" would exit 1, the code of content errors).

Workers leave stopping to the process that started them, which stops its pools: they ignore Ctrl-C, lead
process groups of their own (a pool stops its workers in order, or not at all), and ask Linux to send them
SIGTERM when that process ends, however it ends (PR_SET_PDEATHSIG), so none is left behind by a SIGKILL.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterator

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_WORKER_BLOCKED = {signal.SIGINT, *STOP_SIGNALS}
_PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


class Stopped(KeyboardInterrupt):
    """A stop signal, raised where the main thread is; a KeyboardInterrupt so Ctrl-C's handling applies."""

    def __init__(self, signal_number: int):
        super().__init__(signal_number)
        self.signal_number = signal_number


_received: list[int] = []  # the stop signal this process got, if any


def stop_on_signals() -> None:
    """Raise Stopped on the main thread for each stop signal that would otherwise end the process, and
    note Ctrl-C where Python would raise KeyboardInterrupt for it. A signal already ignored (nohup's
    SIGHUP, SIGINT for a background job) stays ignored. A second stop signal during the cleanup ends the
    process at once."""
    for number in STOP_SIGNALS:
        if signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, _raise_stopped)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)


def _raise_stopped(number: int, frame: object) -> None:
    signal.signal(number, signal.SIG_DFL)
    _received.append(number)
    raise Stopped(number)


def _interrupted(number: int, frame: object) -> None:
    _received.append(number)
    raise KeyboardInterrupt


def exit_code_for_stop() -> int | None:
    """128 + the number of the first stop signal or Ctrl-C received (143 for SIGTERM, 130 for Ctrl-C), or
    None if none was."""
    return 128 + _received[0] if _received else None


@contextmanager
def signals_held() -> Iterator[None]:
    """Around starting workers: a stop signal or Ctrl-C waits until this block ends, and a worker starts
    with them held too, until `as_pool_worker` or `as_helper` has set how it takes them. Otherwise one
    arriving as a worker starts would be handled by the handler it inherited, and print a traceback."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _WORKER_BLOCKED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def as_pool_worker(parent: int) -> None:
    """First thing in a pool's worker started under `signals_held`. The pool stops its workers itself, in
    order: one killed while it holds the pool's queue lock would leave the pool waiting for it for ever. So
    each leads a process group of its own, which a signal to the build's group (Ctrl-C in a terminal,
    `kill -- -group`) does not reach, and a stop signal from the pool takes its default action."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass  # then a signal to the group reaches it too, as it did any worker before
    _take_signals(parent, signal.SIG_DFL)


def as_helper(parent: int) -> None:
    """First thing in a process started under `signals_held` to do one piece of work beside the build
    (parallel.Pending), which may be writing files: a stop signal raises Stopped, as in the command."""
    _take_signals(parent, _raise_stopped)


def _take_signals(parent: int, on_stop) -> None:
    """Ignore Ctrl-C, take stop signals with `on_stop`, get SIGTERM when `parent` (the process that started
    this one) ends, then take the signals held since the start."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in STOP_SIGNALS:
        signal.signal(number, on_stop)
    die_with(parent)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _WORKER_BLOCKED)


def die_with(parent: int) -> None:
    """Ask Linux for SIGTERM when `parent` ends; elsewhere a worker ends when its pipe to it breaks."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # no libc to call
        return
    if os.getppid() != parent:  # it ended before the request, so no signal will come
        os.kill(os.getpid(), signal.SIGTERM)
