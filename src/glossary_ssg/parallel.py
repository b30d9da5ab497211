"""Spread pure work over processes: Markdown and templates are CPU-bound Python, so threads would not help.

Workers are forked, so they start with the graph, the items and everything
else already in memory; only their share's bounds go out and results come back. A fork is only safe from a process
with one thread, so from `glossary serve` (which has several) or where fork
does not exist, or for little work, everything runs in this process instead.
The results are the same either way, in the same order. `Pending` runs one
piece of work beside this process in the same way.

The workers are our own (fork_pool.py), not a multiprocessing pool's.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from typing import Callable, Iterator, Sequence, TypeVar

from glossary_ssg.fork_pool import ForkPool
from glossary_ssg.stopping import as_helper, signals_held

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 200  # below this, starting processes costs more than it saves
CHUNK = 50  # items per share: large enough to amortise the pickling, small enough to keep cores even

def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_in_processes(work: Callable[[Item], Result], items: Sequence[Item], workers: int) -> list[Result]:
    return list(stream_in_processes(work, items, workers))


def stream_in_processes(work: Callable[[Item], Result], items: Sequence[Item], workers: int) -> Iterator[Result]:
    """work(item) for each item, in order, as they are done: a caller can write each result and let it go.
    An exception from `work` is raised here, with the worker's traceback as its cause."""
    workers = min(workers, len(items) // MIN_ITEMS_PER_WORKER)
    if workers < 2 or not _can_fork():
        yield from (work(item) for item in items)
        return

    def share_results(start: int, end: int) -> list[Result]:  # the workers have it, forked with it in memory
        return [work(item) for item in items[start:end]]

    frozen_already = gc.get_freeze_count() > 0  # by the build (collector.py): that freeze lasts to its end
    gc.freeze()  # the collector must not touch (and so copy) every inherited object in every worker
    try:
        shares = [(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
        for results in ForkPool(workers).each_share(shares, share_results):
            yield from results
    finally:
        if not frozen_already:  # unfreezing cannot spare what another froze: it all stays frozen, then
            gc.unfreeze()


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


class Pending:
    """A result being computed on a forked process (or, where a fork is not safe, computed when asked for)."""

    def __init__(self, work: Callable[[], Result]):
        self.work, self.pid, self.reader = work, 0, -1
        self._value: list = []  # the result, once had
        if _can_fork():
            try:
                reader, writer = os.pipe()
            except OSError:  # no descriptor to spare: computed when asked for
                return
            try:
                with signals_held():
                    pid = os.fork()
                    if pid == 0:
                        _compute_and_send(work, reader, writer)  # does not return
                    os.close(writer)
                    self.pid, self.reader = pid, reader  # before a signal held meanwhile can be raised
            except OSError:  # no process to spare (a limit on processes or memory): computed when asked for
                os.close(reader)
                os.close(writer)
                return
            except BaseException:  # a stop signal, raised as the signals are let through: no one will ask
                self.cancel()
                raise

    def result(self) -> Result:
        if not self._value:
            data, status = self._collect()
            self._value.append(pickle.loads(data) if status == 0 and data else self.work())
        return self._value[0]

    def close(self) -> None:
        """Wait for the process, whether or not its result is wanted (a build that stopped early)."""
        self._collect()

    def cancel(self) -> None:
        """Stop the process and wait for it: for work a build that stopped or failed would throw away."""
        if self.pid:
            pid, self.pid = self.pid, 0
            os.close(self.reader)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _exit_status(pid)

    def _collect(self) -> tuple[bytes, int]:
        if not self.pid:
            return b"", 1
        pid, self.pid = self.pid, 0
        try:
            with os.fdopen(self.reader, "rb") as source:
                data = source.read()
        finally:
            status = _exit_status(pid)
        return data, status


def _compute_and_send(work: Callable[[], Result], reader: int, writer: int) -> None:
    """Pending's child: compute, send, and leave without running any of the parent's cleanup, whatever
    happens (a stop signal included)."""
    status = 0
    try:
        as_helper()
        os.close(reader)
        with os.fdopen(writer, "wb") as out:
            pickle.dump(work(), out, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the parent computes it again and reports what fails
        status = 1
    os._exit(status)


def _exit_status(pid: int) -> int:
    """The child's exit status, or 1 (its result is then computed here) when something else reaped it."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 1
