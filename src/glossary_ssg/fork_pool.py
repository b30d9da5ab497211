"""Forked workers that share nothing but their own two pipes: one for the bounds of their shares of the
work, one for the results.

A multiprocessing pool's workers share the locks of its queues: one killed while it held one (by a signal
to every process of a build, or by the pool's own stop) left the pool waiting for it for ever. These are
killed outright once their work is done or the build stops, and a worker that dies (the kernel's
out-of-memory killer, say) has its shares done in the parent. An exception in a worker is raised in the
parent, with the worker's traceback as its cause.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
from collections import deque
from typing import Callable, Iterator

from glossary_ssg.stopping import as_pool_worker, prepare_pool_workers, signals_held

_AHEAD = 2  # shares each worker holds, so it never waits for the parent between two
_SHARE = struct.Struct("<QQ")  # a share's bounds
_LENGTH = struct.Struct("<Q")  # a result message's length


class _Worker:
    def __init__(self, pid: int, shares: int, results: int):
        self.pid, self.shares, self.results = pid, shares, results  # the process, our ends of its two pipes
        self.held: deque[int] = deque()  # the indexes of the shares it has, in the order it does them


class ForkPool:
    """Forked workers, each given _AHEAD shares at a time; their results are handed on in share order."""

    def __init__(self, count: int):
        self.count = count
        self.workers: list[_Worker] = []

    def _start_all(self, run_share: Callable[[int, int], list]) -> None:
        parent = os.getpid()
        prepare_pool_workers()
        with signals_held():
            for _ in range(self.count):
                try:
                    self.workers.append(self._start(parent, run_share))
                except OSError:  # no process or descriptor to spare: fewer workers, or the work done here
                    break

    def _start(self, parent: int, run_share: Callable[[int, int], list]) -> _Worker:
        shares_in, shares_out = os.pipe()
        try:
            results_in, results_out = os.pipe()
        except OSError:
            os.close(shares_in)
            os.close(shares_out)
            raise
        try:
            pid = os.fork()
        except OSError:
            for end in (shares_in, shares_out, results_in, results_out):
                os.close(end)
            raise
        if pid == 0:
            try:
                _serve(run_share, parent, shares_in, results_out,
                       [shares_out, results_in, *(end for w in self.workers for end in (w.shares, w.results))])
            finally:
                os._exit(1)  # never back into the parent's stack
        os.close(shares_in)
        os.close(results_out)
        return _Worker(pid, shares_out, results_in)

    def each_share(self, shares: list[tuple[int, int]], run_share: Callable[[int, int], list]) -> Iterator[list]:
        """run_share(start, end) for each share, in order, on the workers (forked after this is called, so
        they have whatever `run_share` reads). However this ends (done, an exception, a stop signal, the
        caller letting go), every worker has ended and been waited for."""
        import selectors  # a full build only: a quick build forks no pool

        waiting = deque(range(len(shares)))
        done: dict[int, list] = {}
        try:
            self._start_all(run_share)
            with selectors.DefaultSelector() as selector:
                for worker in self.workers:
                    selector.register(worker.results, selectors.EVENT_READ, worker)
                    for _ in range(_AHEAD):
                        self._give(worker, waiting, shares)
                for index in range(len(shares)):
                    while index not in done:
                        if not selector.get_map():  # no worker left: the rest is done here
                            share = waiting.popleft()
                            done[share] = run_share(*shares[share])
                            continue
                        for key, _ in selector.select():
                            self._take(key.data, selector, waiting, shares, done, run_share)
                    yield done.pop(index)
        finally:
            self._end()

    def _give(self, worker: _Worker, waiting: deque[int], shares: list[tuple[int, int]]) -> None:
        if waiting:
            try:
                os.write(worker.shares, _SHARE.pack(*shares[waiting[0]]))
            except BrokenPipeError:  # it died: the end of its results pipe says so, and its shares are done here
                return
            worker.held.append(waiting.popleft())

    def _take(self, worker: _Worker, selector, waiting: deque[int], shares: list[tuple[int, int]],
              done: dict[int, list], run_share: Callable[[int, int], list]) -> None:
        message = _read_message(worker.results)
        if message is None:  # it died (the kernel's out-of-memory killer, say): its shares are done here
            selector.unregister(worker.results)
            for index in worker.held:
                done[index] = run_share(*shares[index])
            worker.held.clear()
            return
        index = worker.held.popleft()
        ok, value = pickle.loads(message)
        if not ok:
            exception, remote_traceback = value
            raise exception from _WorkerTraceback(remote_traceback)
        done[index] = value
        self._give(worker, waiting, shares)

    def _end(self) -> None:
        """Kill every worker and wait for it. All of them at once, and with signals held, so a second Ctrl-C
        cannot leave some running. A worker with nothing left to do loses nothing; one still working is
        stopped, as the build is; and the end of a pipe cannot be waited for, since a process forked
        meanwhile (or by a worker) may hold it open."""
        with signals_held():
            for worker in self.workers:
                try:
                    os.kill(worker.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            for worker in self.workers:
                os.close(worker.shares)
                os.close(worker.results)
                try:
                    os.waitpid(worker.pid, 0)
                except ChildProcessError:  # reaped elsewhere
                    pass
            self.workers = []


class _WorkerTraceback(Exception):
    """Where in a worker an exception was raised, as its cause here."""

    def __str__(self) -> str:
        return "\n" + self.args[0]


def _serve(run_share: Callable[[int, int], list], parent: int, shares: int, results: int, not_ours: list[int]
           ) -> None:
    """A worker: do each share that comes, send back its results (or the exception it raised), and leave
    when the pipe closes, without running any of the parent's cleanup."""
    status = 0
    try:
        as_pool_worker(parent)
        for end in not_ours:
            os.close(end)
        with os.fdopen(results, "wb") as outgoing:
            while len(bounds := _read_all(shares, _SHARE.size)) == _SHARE.size:
                try:
                    message = pickle.dumps((True, run_share(*_SHARE.unpack(bounds))), pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # noqa: BLE001 - raised again in the parent
                    message = pickle.dumps((False, _portable(exc)), pickle.HIGHEST_PROTOCOL)
                outgoing.write(_LENGTH.pack(len(message)))
                outgoing.write(message)
                outgoing.flush()
    except BaseException:  # noqa: BLE001 - the parent sees the pipe close and does the shares itself
        status = 1
    os._exit(status)


def _portable(exc: Exception) -> tuple[Exception, str]:
    """The exception as the parent can receive it, and the worker's traceback as text."""
    import traceback
    text = "".join(traceback.format_exception(exc))
    try:
        pickle.loads(pickle.dumps(exc, pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - not picklable: its type and message survive
        exc = RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc, text


def _read_message(handle: int) -> bytes | None:
    """One length-prefixed message from a worker's results pipe, or None at its end (the worker is gone)."""
    header = _read_all(handle, _LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    body = _read_all(handle, length)
    return body if len(body) == length else None


def _read_all(handle: int, size: int) -> bytes:
    """`size` bytes from a pipe, or fewer if it ends first."""
    parts, left = [], size
    while left:
        chunk = os.read(handle, min(left, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)
