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
