"""How the command and its worker processes stop: on SIGTERM or SIGHUP as on Ctrl-C, and every worker with
the process that started it.

CI cancelling a job, `timeout` and a container stopping send SIGTERM; a closed terminal sends SIGHUP. Their
default action ends a process at once: a first build's staging folder stays beside the output, and the
workers print tracebacks as their pipes break. So the command turns them into `Stopped`, a
KeyboardInterrupt: every `finally` and `with` block runs, as for Ctrl-C, and the command exits with
128 + the signal's number, as a shell reports a process the signal ended (Ctrl-C's too: 130, where
click's "Aborted!" would exit 1, the code of content errors).

Workers leave stopping to the process that started them, which kills its pool's workers when it stops:
they ignore Ctrl-C, and a pool's workers ask Linux to send them SIGTERM when that process ends, however
it ends (PR_SET_PDEATHSIG), so none is left behind by a SIGKILL. A helper doing one piece of work
(parallel.Pending: the memo tables, a snapshot's content, a second or two at 10,000 terms) finishes it and
ends when its pipe to the parent breaks; a build that stops or fails cancels one whose work it would
throw away.
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
_PR_SET_PDEATHSIG, _PR_SET_NAME = 1, 15  # from <sys/prctl.h>


class Stopped(KeyboardInterrupt):
    """A stop signal, raised where the main thread is; a KeyboardInterrupt so Ctrl-C's handling applies."""

    def __init__(self, signal_number: int):
        super().__init__(signal_number)
        self.signal_number = signal_number


_received: list[int] = []  # the stop signal this process got, if any


def stop_on_signals() -> None:
    """Raise Stopped on the main thread for each stop signal that would otherwise end the process, and
    note Ctrl-C where Python would raise KeyboardInterrupt for it. A signal already ignored (nohup's
    SIGHUP, SIGINT for a background job) stays ignored. A second SIGTERM or SIGHUP during the cleanup
    ends the process at once."""
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


def stop_signals_end_at_once() -> None:
    """Once the command's work is done: a stop signal or Ctrl-C during its last flushes ends it, without a
    traceback."""
    for number in (*STOP_SIGNALS, signal.SIGINT):
        if signal.getsignal(number) in (_raise_stopped, _interrupted):
            signal.signal(number, signal.SIG_DFL)


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


def prepare_pool_workers() -> None:
    """In the parent, before forking a pool: what each worker would otherwise import for `die_with`."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes  # noqa: F401
        except ImportError:  # a Python built without libffi: see die_with
            pass


def as_pool_worker(parent: int) -> None:
    """First thing in a pool's worker (parallel.py) forked under `signals_held`: a stop signal takes its
    default action (the parent kills its workers anyway when it stops), and the worker gets SIGTERM when
    the parent ends. It is named glossary-worker, as `ps` and `top` show it."""
    _take_signals(signal.SIG_DFL)
    die_with(parent, name=b"glossary-worker")


def as_helper() -> None:
    """First thing in a process forked under `signals_held` to do one piece of work beside the build
    (parallel.Pending), which may be writing files: a stop signal raises Stopped, as in the command. No
    death signal: it finishes its one piece of work, and its pipe breaks when the parent ends."""
    _take_signals(_raise_stopped)


def _take_signals(on_stop) -> None:
    """Ignore Ctrl-C (the parent stops its workers), take each stop signal with `on_stop` unless the
    parent ignores it (nohup's SIGHUP), then take the signals held since the fork."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in STOP_SIGNALS:
        if signal.getsignal(number) != signal.SIG_IGN:
            signal.signal(number, on_stop)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _WORKER_BLOCKED)


def die_with(parent: int, name: bytes | None = None) -> None:
    """Ask Linux for SIGTERM when `parent` ends (and give this process `name`, at most 15 bytes);
    elsewhere a worker ends when its pipe to the parent breaks."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if name is not None:
            libc.prctl(_PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0)
    except (ImportError, OSError, AttributeError):  # no ctypes, or no libc to call
        return
    if os.getppid() != parent:  # it ended before the request, so no signal will come
        os.kill(os.getpid(), signal.SIGTERM)
