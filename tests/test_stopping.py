"""A build stopped by a signal stops cleanly: SIGTERM and SIGHUP as Ctrl-C does, and a SIGKILL leaves no worker.

Each build runs as `glossary build` in a session of its own, on a synthetic glossary (bench/generate.py, no
diagrams) big enough for two worker processes, and is signalled while its workers run. Afterwards no process
of the session may be left, nothing may print a traceback, the output folder must hold the last complete
site or nothing, and the next build must give what a clean build gives.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, copy_site, live_processes

from glossary_ssg.writer import NewSite

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or not hasattr(os, "fork"),
                                reason="reads processes from /proc; workers are forked")

TERMS = 1200  # enough pages for two workers in every phase, and a few seconds of work


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stopping") / "glossary"
    generate(TERMS, root, diagrams=False)
    return root


@pytest.fixture(scope="module")
def clean_site(glossary: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("clean")
    result = subprocess.run(_command(glossary, work / "site", work / "cache"), capture_output=True, text=True,
                            env=_environment())
    assert result.returncode == 0, result.stderr
    return _contents(work / "site")


def _command(glossary: Path, out: Path, cache: Path) -> list[str]:
    return [sys.executable, "-m", "glossary_ssg", "build", str(glossary), "-o", str(out), "--cache-dir", str(cache),
            "--jobs", "2"]


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


def _contents(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _start(glossary: Path, out: Path, cache: Path, ignore_hangup: bool = False) -> subprocess.Popen:
    """The build in a session of its own, taking Ctrl-C as a terminal's foreground job does (a test run in
    the background inherits SIGINT ignored)."""
    def as_a_terminal_job() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_IGN if ignore_hangup else signal.SIG_DFL)

    return subprocess.Popen(_command(glossary, out, cache), start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_environment(), preexec_fn=as_a_terminal_job)


def _when(build: subprocess.Popen, condition, within: float = 60) -> None:
    """Wait for `condition`; skip the test if the build ends first (a machine much faster than this one)."""
    deadline = time.monotonic() + within
    while not condition():
        if build.poll() is not None:
            build.communicate()
            pytest.skip("the build finished before the moment to signal it came")
        assert time.monotonic() < deadline, "the build never got there"
        time.sleep(0.01)


def _workers(build: subprocess.Popen) -> list[int]:
    """The build's pool workers (parallel.py names them), not the helpers that run one piece of work."""
    return [process.pid for process in live_processes(build.pid)
            if process.parent == build.pid and process.name == "glossary-worker"]


def _workers_run(build: subprocess.Popen) -> bool:
    return len(_workers(build)) >= 2


def _staging(out: Path) -> list[Path]:
    return list(out.parent.glob(f".{out.name}.building-*"))


def _finish(build: subprocess.Popen) -> tuple[int, str]:
    """Its exit code and stderr, once every process of its session has ended (they must, within seconds)."""
    try:
        _, stderr = build.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(build.pid, signal.SIGKILL)
        build.communicate()
        raise AssertionError("the build did not stop") from None
    deadline = time.monotonic() + 3
    while live_processes(build.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live_processes(build.pid) == [], "a worker outlived the build"
    return build.returncode, stderr


@pytest.mark.parametrize("number, to_group, code", [
    (signal.SIGTERM, False, 143),  # `timeout`, a container stopping: the command alone
    (signal.SIGTERM, True, 143),  # CI cancelling a job: every process of the job
    (signal.SIGHUP, True, 129),  # the terminal closed
    (signal.SIGINT, True, 130),  # Ctrl-C
], ids=["sigterm", "sigterm-to-group", "sighup-to-group", "ctrl-c"])
@pytest.mark.parametrize("phase", ["workers", "writing"])
def test_a_stopped_build_cleans_up_and_the_next_one_is_whole(number: int, to_group: bool, code: int, phase: str,
                                                             glossary: Path, clean_site: dict[str, str],
                                                             tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    build = _start(glossary, out, cache)
    _when(build, lambda: _workers_run(build) and (phase == "workers" or _staging(out)))
    (os.killpg if to_group else os.kill)(build.pid, number)
    returncode, stderr = _finish(build)
    assert returncode == code, stderr
    assert "Traceback" not in stderr and "Process ForkPoolWorker" not in stderr, stderr
    assert stderr.rstrip().endswith("Aborted!"), stderr
    assert _staging(out) == []  # the half-written site is gone
    assert not out.exists()  # a first build: no site, rather than part of one
    again = subprocess.run(_command(glossary, out, cache), capture_output=True, text=True, env=_environment())
    assert again.returncode == 0, again.stderr
    assert _contents(out) == clean_site


def test_a_build_that_ignores_hangups_keeps_going(glossary: Path, clean_site: dict[str, str],
                                                  tmp_path: Path) -> None:
    """As under nohup: SIGHUP was ignored when the command started, so it stays ignored."""
    out = tmp_path / "site"
    build = _start(glossary, out, tmp_path / "cache", ignore_hangup=True)
    _when(build, lambda: _workers_run(build))
    os.killpg(build.pid, signal.SIGHUP)
    returncode, stderr = _finish(build)
    assert returncode == 0, stderr
    assert _contents(out) == clean_site


def test_a_killed_build_leaves_no_worker_and_the_next_build_clears_its_folder(
        glossary: Path, clean_site: dict[str, str], tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the workers end with the build (they ask Linux for a signal when it ends),
    without finishing their share or printing a traceback, and the next build removes the folder left."""
    out, cache = tmp_path / "site", tmp_path / "cache"
    build = _start(glossary, out, cache)
    _when(build, lambda: _workers_run(build) and _staging(out))
    os.kill(build.pid, signal.SIGKILL)
    returncode, stderr = _finish(build)
    assert returncode == -signal.SIGKILL
    assert "Traceback" not in stderr, stderr
    assert len(_staging(out)) == 1
    again = subprocess.run(_command(glossary, out, cache), capture_output=True, text=True, env=_environment())
    assert again.returncode == 0, again.stderr
    assert _staging(out) == []
    assert _contents(out) == clean_site


def test_only_folders_no_build_is_writing_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    abandoned, writing, unknown = (tmp_path / f".site.building-{name}" for name in ("abandon1", "writing1", "unknown1"))
    for folder in (abandoned, writing, unknown):
        (folder / "terms").mkdir(parents=True)
    (abandoned / ".glossary-ssg-writing").touch()
    (writing / ".glossary-ssg-writing").touch()
    other = tmp_path / ".other.building-x"
    (other / ".glossary-ssg-writing").parent.mkdir()
    (other / ".glossary-ssg-writing").touch()
    held = os.open(writing / ".glossary-ssg-writing", os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)  # as the build writing it holds it
    try:
        with NewSite(out) as site:
            site.write("index.html", b"<p>new</p>")
            [staging] = [p for p in _staging(out) if p not in (writing, unknown)]
            assert (staging / ".glossary-ssg-writing").exists()
    finally:
        os.close(held)
    assert not abandoned.exists()
    assert writing.is_dir() and unknown.is_dir() and other.is_dir()  # in use, not provably ours, another site's
    assert sorted(p.name for p in out.iterdir()) == [".glossary-ssg-build", "index.html"]  # no lock file published
    assert [p.name for p in tmp_path.iterdir() if ".removing-" in p.name] == []


def test_a_removal_cut_short_is_finished_by_the_next_build(tmp_path: Path) -> None:
    """An abandoned folder is renamed before it is removed, so one half removed is still known to be ours."""
    half_removed = tmp_path / ".site.removing-x1y2z3w4" / "site" / "terms"
    half_removed.mkdir(parents=True)
    chosen = tmp_path / ".site.removing-notes"  # not a name the build makes
    other_output = tmp_path / ".site.removing-2024.building-abcdefgh"  # the output site.removing-2024's
    for folder in (chosen, other_output):
        folder.mkdir()
        (folder / ".glossary-ssg-writing").touch()
    with NewSite(tmp_path / "site") as site:
        site.write("index.html", b"<p>new</p>")
    assert not (tmp_path / ".site.removing-x1y2z3w4").exists()
    assert chosen.is_dir() and other_output.is_dir()


@pytest.mark.parametrize("missing", ["fcntl", "locks"])
def test_a_first_build_works_where_files_cannot_be_locked(missing: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """No fcntl (not POSIX), or a file system without locks (ENOLCK, some NFS): the site is written as
    before; only a killed build's folder is then not known to be abandoned."""
    if missing == "fcntl":
        monkeypatch.setitem(sys.modules, "fcntl", None)
    else:
        def no_locks(handle: int, operation: int) -> None:
            raise OSError(37, "No locks available")

        monkeypatch.setattr(fcntl, "flock", no_locks)
    abandoned = tmp_path / ".site.building-oldoldol"
    abandoned.mkdir()
    (abandoned / ".glossary-ssg-writing").touch()
    with NewSite(tmp_path / "site") as site:
        site.write("index.html", b"<p>new</p>")
    assert (tmp_path / "site" / "index.html").read_bytes() == b"<p>new</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.building-oldoldol", "site"]


POOL_WITH_AN_IDLE_WORKER = """
import sys, time
from glossary_ssg import parallel, stopping

def work(item):
    if item == 399:
        time.sleep(60)  # the last share keeps one worker busy; the other waits for work that never comes
    return item

stopping.stop_on_signals()
try:
    for item in parallel.stream_in_processes(work, range(400), 2):
        if item == 349:
            print("one worker idle", flush=True)
except KeyboardInterrupt:
    sys.exit(3)
"""


@pytest.mark.parametrize("how", ["group", "each"])
def test_a_pool_with_an_idle_worker_stops_however_it_is_signalled(how: str, tmp_path: Path) -> None:
    """A multiprocessing pool's idle worker held the lock of the pool's queue while it waited for work;
    killed then, by a signal to the whole group or to every process (`pkill -f glossary`, a service
    manager stopping a control group), it never gave the lock back, and stopping the pool waited for it
    for ever. Our workers share no lock."""
    script = tmp_path / "pool.py"
    script.write_text(POOL_WITH_AN_IDLE_WORKER)
    for _ in range(3):
        pool = subprocess.Popen([sys.executable, str(script)], start_new_session=True, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=_environment())
        assert pool.stdout.readline() == "one worker idle\n"
        time.sleep(0.2)
        if how == "group":
            os.killpg(pool.pid, signal.SIGTERM)
        else:
            for pid in sorted(process.pid for process in live_processes(pool.pid)):
                with contextlib.suppress(ProcessLookupError):  # stopped by the pool itself meanwhile
                    os.kill(pid, signal.SIGTERM)  # the workers (their pids are higher) last
        returncode, stderr = _finish(pool)
        assert returncode == 3 and "Traceback" not in stderr, stderr


def test_a_build_whose_worker_is_killed_does_its_shares_and_is_whole(glossary: Path, clean_site: dict[str, str],
                                                                   tmp_path: Path) -> None:
    """As the kernel's out-of-memory killer might: the build finishes the dead worker's shares itself."""
    out = tmp_path / "site"
    build = _start(glossary, out, tmp_path / "cache")
    _when(build, lambda: _workers_run(build) and _staging(out))
    os.kill(_workers(build)[0], signal.SIGKILL)
    returncode, stderr = _finish(build)
    assert returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert _contents(out) == clean_site


def _diagram_workers_run(build: subprocess.Popen) -> bool:
    """A spawned diagram worker has started (its command line names multiprocessing's spawn)."""
    return any("spawn_main" in process.command for process in live_processes(build.pid))


@pytest.mark.parametrize("number, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["sigterm", "ctrl-c"])
def test_a_build_stopped_while_diagrams_render_says_only_aborted(number: int, code: int, tmp_path: Path) -> None:
    """The diagram workers and their engines stop with the build, and multiprocessing's resource tracker has
    nothing left to warn about (it did, of each of the pool's semaphores, when the command left without them)."""
    project = copy_site(tmp_path)
    mindmaps = "\n".join(f"```mermaid\nmindmap\n  root((Topic {i}))\n    A{i}\n      B{i}\n    C{i}\n```\n"
                         for i in range(6))  # mindmaps render in QuickJS: seconds each
    lesson = project / "content" / "lessons" / "caching-basics.md"
    lesson.write_text(lesson.read_text() + "\n## More maps\n\n" + mindmaps)
    build = _start(project, tmp_path / "site", tmp_path / "cache")
    _when(build, lambda: _diagram_workers_run(build))
    time.sleep(1)  # into the rendering
    (os.killpg if number == signal.SIGINT else os.kill)(build.pid, number)
    returncode, stderr = _finish(build)
    assert returncode == code, stderr
    assert stderr.strip() == "Aborted!", stderr


def test_serve_stopped_by_sigterm_removes_its_folder(tmp_path: Path) -> None:
    """`glossary serve` builds into a temporary folder, which a stop by SIGTERM (a service manager, a
    container) removes as Ctrl-C does; stopping is how a server ends, so it exits 0."""
    project = copy_site(tmp_path)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = subprocess.Popen([sys.executable, "-m", "glossary_ssg", "serve", str(project), "--port", "0",
                               "--cache-dir", str(tmp_path / "cache")], start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**_environment(), "TMPDIR": str(temporary)})
    lines = []
    while not (lines and lines[-1].startswith("serving on")):
        line = server.stderr.readline()
        assert line, "".join(lines)
        lines.append(line)
    assert [p.name.startswith("glossary-serve-") for p in temporary.iterdir()] == [True]
    server.send_signal(signal.SIGTERM)
    returncode, stderr = _finish(server)
    assert returncode == 0, stderr
    assert stderr.strip() == "stopped"
    assert list(temporary.iterdir()) == []
