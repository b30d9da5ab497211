"""parallel.Pending: work beside this process, or here when no process can be had for it."""

from __future__ import annotations

import os

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
