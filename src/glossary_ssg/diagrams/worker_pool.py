"""A pool of spawned processes that may start processes of their own: mermaidx runs each V8 engine in one.

A multiprocessing pool makes its workers daemons, and a daemon may not have
children. Imported only where diagrams render: a build that renders none
does without multiprocessing.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from contextlib import contextmanager
from multiprocessing.context import SpawnContext, SpawnProcess
from multiprocessing.pool import Pool
from typing import Iterator

from glossary_ssg.stopping import die_with


class _WorkerProcess(SpawnProcess):
    @property
    def daemon(self) -> bool:
        return False

    @daemon.setter
    def daemon(self, value: bool) -> None:
        pass


class _WorkerContext(SpawnContext):
    Process = _WorkerProcess


def worker_pool(processes: int) -> Pool:
    """Ctrl-C reaches every process of the terminal's group; the workers ignore it (inherited from the start,
    so also while they boot) and the build stops the pool, without a traceback from each worker and engine."""
    with _sigint_ignored():
        return _WorkerContext().Pool(processes=processes, initializer=_watch_for_sigterm, initargs=(os.getpid(),))


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _watch_for_sigterm(parent: int) -> None:
    """A pool stops its workers with SIGTERM. A Python handler would run on the main thread only, which may
    be blocked on the pool's queue while the signal goes to an engine's thread: so one thread waits for it.

    Every thread and process started from here on inherits the block. Each worker leads a process group
    of its own, which its V8 process joins, so one signal stops both. The same signal comes when the build
    ends without stopping the pool (a SIGKILL), so no worker is left rendering for nobody."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass  # then the watcher stops the children it knows of
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    threading.Thread(target=_stop_on_sigterm, name="stop-on-sigterm", daemon=True).start()
    die_with(parent)


def _stop_on_sigterm() -> None:
    """Stop the worker with its V8 process, which would outlive it if busy (or if it is just starting). At
    once: an orderly exit would wait for a QuickJS thread still rendering."""
    signal.sigwait({signal.SIGTERM})
    if os.getpgid(0) == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)  # this process too: it does not return
    else:
        for child in multiprocessing.active_children():
            child.kill()
    os._exit(1)
