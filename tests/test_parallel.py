"""parallel.Pending: work beside this process, or here when no process can be had for it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from glossary_ssg import parallel
from glossary_ssg.parallel import Pending

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not os.path.isdir("/proc/self/fd"),
                                reason="needs fork and /proc")


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture(autouse=True)
def forking_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pending forks only from a process with one thread; earlier tests may leave threads running here
    (servers, browsers), and these lambdas are safe to fork with them."""
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)


def test_a_result_comes_from_the_process_beside() -> None:
    parent = os.getpid()
    assert Pending(lambda: os.getpid()).result() != parent


def test_no_process_to_spare_computes_here_and_leaks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    before = open_descriptors()
    pending = Pending(lambda: os.getpid())
    assert pending.result() == os.getpid()
    pending.close()
    assert open_descriptors() == before


def test_a_child_reaped_elsewhere_is_computed_again_here(monkeypatch: pytest.MonkeyPatch) -> None:
    real_waitpid = os.waitpid

    def reaped_elsewhere(pid: int, options: int):
        real_waitpid(pid, options)  # as a SIGCHLD handler of the embedding program would
        raise ChildProcessError(10, "No child processes")

    monkeypatch.setattr(parallel.os, "waitpid", reaped_elsewhere)
    before = open_descriptors()
    assert Pending(lambda: os.getpid()).result() == os.getpid()
    assert open_descriptors() == before


def test_a_helper_stopped_by_sigterm_cleans_up_and_its_work_is_done_here(tmp_path) -> None:
    """A helper may be writing files (the memo tables): stopped, it runs its cleanup as the command does."""
    import signal
    import time

    parent, writing = os.getpid(), tmp_path / "writing"

    def work() -> int:
        if os.getpid() != parent:
            writing.touch()
            try:
                time.sleep(30)
            finally:
                writing.unlink()
        return os.getpid()

    pending = Pending(work)
    deadline = time.monotonic() + 10
    while not writing.exists():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(pending.pid, signal.SIGTERM)
    assert pending.result() == parent
    assert not writing.exists()


def _children() -> set[int]:
    me = str(os.getpid())
    return {int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat")
            if _field(stat, 1) == me and _field(stat, 0) not in "ZX"}


def _field(stat: Path, index: int) -> str:
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[index]
    except (OSError, IndexError):
        return "X"


def _where(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_results_come_in_order_from_more_than_one_worker() -> None:
    before = _children()  # earlier tests may have left a browser or a server running
    results = parallel.map_in_processes(_where, range(1000), 2)
    assert [value for value, _ in results] == [item * item for item in range(1000)]
    assert len({pid for _, pid in results} - {os.getpid()}) == 2
    assert _children() - before == set()


def test_workers_leave_a_callers_freeze_in_place() -> None:
    """A build freezes what it loads whole (collector.py) until its end; the freeze made for the workers must
    not undo it, or the collector walks all of it again. Without one, nothing stays frozen."""
    import gc

    parallel.map_in_processes(_where, range(1000), 2)
    assert gc.get_freeze_count() == 0
    kept = [[index] for index in range(1000)]
    gc.freeze()
    try:
        parallel.map_in_processes(_where, range(1000), 2)
        assert gc.get_freeze_count() >= len(kept)
    finally:
        gc.unfreeze()


def _fails_at_250(item: int) -> int:
    if item == 250:
        raise ValueError(f"no good: {item}")
    return item


class _Unpicklable(Exception):
    def __init__(self, reason: str, extra: object):
        super().__init__(reason)
        self.extra = extra

    def __reduce__(self):
        raise TypeError("cannot pickle this")


def _fails_unpicklably(item: int) -> int:
    if item == 300:
        raise _Unpicklable("odd", lambda: None)
    return item


def test_an_exception_in_a_worker_is_raised_here_with_its_traceback() -> None:
    before = _children()
    with pytest.raises(ValueError, match="no good: 250") as raised:
        parallel.map_in_processes(_fails_at_250, range(1000), 2)
    assert "_fails_at_250" in str(raised.value.__cause__)
    with pytest.raises(RuntimeError, match="_Unpicklable: odd"):
        parallel.map_in_processes(_fails_unpicklably, range(1000), 2)
    assert _children() - before == set()


def test_a_caller_that_lets_go_early_leaves_no_worker() -> None:
    before = _children()
    results = parallel.stream_in_processes(_where, range(1000), 2)
    assert next(results)[0] == 0
    assert len(_children() - before) == 2
    results.close()
    assert _children() - before == set()


def test_with_no_process_to_spare_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    before = open_descriptors()
    assert parallel.map_in_processes(_where, range(500), 2) == [(i * i, os.getpid()) for i in range(500)]
    assert open_descriptors() == before


def _dies_at_333(item: int) -> tuple[int, int]:
    if item == 333 and os.getpid() != _PARENT[0]:
        os._exit(9)  # as if killed mid-share
    return _where(item)


_PARENT = [0]


def test_a_worker_that_dies_has_its_shares_done_here() -> None:
    _PARENT[0], before = os.getpid(), _children()
    results = parallel.map_in_processes(_dies_at_333, range(1000), 2)
    assert [value for value, _ in results] == [item * item for item in range(1000)]
    assert results[333][1] == os.getpid()
    assert _children() - before == set()


def test_without_ctypes_the_workers_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python built without libffi has no ctypes: the workers go without a death signal and a name."""
    import sys
    monkeypatch.setitem(sys.modules, "ctypes", None)
    results = parallel.map_in_processes(_where, range(500), 2)
    assert len({pid for _, pid in results} - {os.getpid()}) == 2


HELPER_BESIDE_A_POOL = """
import os
from glossary_ssg import parallel

stream = parallel.stream_in_processes(lambda item: (item, os.getpid()), range(1000), 2)
next(stream)
helper = parallel.Pending(lambda: b"x" * 2**20)  # holds the pool's pipes, and fills its own
print(len(list(stream)), len(helper.result()))
"""


def test_a_helper_forked_while_a_pool_runs_does_not_keep_it_waiting(tmp_path) -> None:
    """The helper inherits the ends of the workers' pipes, so the pool cannot wait for them to close."""
    import subprocess
    import sys
    script = tmp_path / "helper_beside_pool.py"
    script.write_text(HELPER_BESIDE_A_POOL)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.stdout.split() == ["999", "1048576"], result.stderr
