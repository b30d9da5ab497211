"""Shared helpers: fixture sites copied to a temp folder, inline mini-sites, and CLI runs."""

from __future__ import annotations

import fcntl
import os
import shutil
import textwrap
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from glossary_ssg.cli import main

SITES = Path(__file__).parent / "sites"
VALID_SITE = SITES / "valid"

# One diagram cache for the test runs, so each distinct diagram renders once (entries are keyed by
# content, so sharing is safe); tests of the cache itself pass their own --cache-dir. Set before
# any test so CliRunner and subprocesses see it.
SHARED_CACHE = Path(__file__).parent.parent / ".glossary-cache"  # the same cache `make site` uses
os.environ["GLOSSARY_CACHE_DIR"] = str(SHARED_CACHE)


ROOT = Path(__file__).parent.parent
NODE_MODULES = ROOT / "node_modules"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROME_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def require(available: bool, what: str) -> None:
    """Skip a test whose tool is missing here; under CI the tool must be there, so fail instead."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI")
    pytest.skip(f"{what} is not installed")


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class LiveProcess:
    pid: int
    parent: int
    name: str  # as `ps` shows it (/proc/PID/comm)
    command: str


def live_processes(session: int) -> list[LiveProcess]:
    """The processes of `session` that still run (a zombie has finished), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session and fields[0] not in "ZX":
                command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                name = (stat.parent / "comm").read_text().strip()
                found.append(LiveProcess(int(stat.parent.name), int(fields[1]), name, command))
        except OSError:
            continue
    return found


def run_cli(*args: str | Path) -> CliResult:
    """Run `glossary ARGS` in-process and capture what a user would see."""
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def copy_site(tmp_path: Path, *overlays: Path) -> Path:
    """The valid fixture site with each overlay folder's files copied on top."""
    project = tmp_path / "project"
    shutil.copytree(VALID_SITE, project)
    for overlay in overlays:
        shutil.copytree(overlay, project, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("expected.txt"))
    return project


# The modules that build the bundled glossary (inside bundled_build). The first goes first and renders its
# diagrams; the others go last, when the shared diagram cache holds them.
BUNDLED_MODULES = ("test_term_page", "test_html_validity", "test_links", "test_quality")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order `make test` hands modules to its workers (--dist loadfile --no-loadscope-reorder): one worker
    renders the bundled diagrams into an empty cache while the other takes the largest modules, and no
    worker waits for the lock in bundled_build."""
    sizes = Counter(item.path.stem for item in items)  # a module's file, whatever the import mode

    def place(item: pytest.Item) -> tuple:
        module = item.path.stem
        if module in BUNDLED_MODULES:
            return (0 if module == BUNDLED_MODULES[0] else 2, 0, module)
        return (1, -sizes[module], module)

    items.sort(key=place)


@contextmanager
def bundled_build() -> Iterator[None]:
    """Around a build of the bundled glossary: under pytest-xdist (`make test`), one worker at a time builds
    it, so only the first renders its 316 diagrams into an empty shared cache and the others find them."""
    SHARED_CACHE.mkdir(exist_ok=True)
    with open(SHARED_CACHE / "bundled-build.lock", "wb") as handle:  # beside what it guards
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module."""
    from browser import chromium
    with chromium() as launched:
        yield launched


@pytest.fixture
def valid_site(tmp_path: Path) -> Path:
    return copy_site(tmp_path)


@pytest.fixture
def make_site(tmp_path: Path):
    """Write an inline mini-site: {"content/terms/a.md": "..."} on top of a minimal glossary.yml."""

    def make(files: dict[str, str], config: str | None = None) -> Path:
        project = tmp_path / "mini"
        project.mkdir(exist_ok=True)
        (project / "glossary.yml").write_text(config or MINIMAL_CONFIG)
        for relative, text in files.items():
            path = project / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"))
        return project

    return make


MINIMAL_CONFIG = """\
title: Mini
base_url: https://example.org/
areas:
  core:
    title: Core
    description: The core area.
"""


def entry(slug_title: str, **fields: str) -> str:
    """A small valid term or lesson file, with fields overridden or added as YAML text."""
    values = {"title": slug_title, "summary": f"{slug_title} in one sentence.", "level": "foundation",
              "area": "core", **fields}
    lines = "\n".join(f"{key}: {value}" for key, value in values.items())
    return f"---\n{lines}\n---\nBody of {slug_title}.\n"


THEME_SNIPPET = 'try{var t=localStorage.getItem("glossary-theme");'


def is_our_script(tag) -> bool:
    """A <script> the theme puts on every page: its own files, the theme snippet, or JSON data."""
    if tag.get("src"):
        return tag["src"].startswith("/assets/")
    if tag.get("type") in ("application/json", "application/ld+json"):
        return True
    return (tag.string or "").startswith(THEME_SNIPPET)
