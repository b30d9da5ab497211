"""glossary serve: rebuilds on change, reloads open pages, and shows errors over the last good site."""

from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

import pytest
from browser import chromium
from conftest import copy_site

from glossary_ssg.pipeline import Options
from glossary_ssg.server import serve


@pytest.fixture
def server(tmp_path: Path):
    project = copy_site(tmp_path)
    started = threading.Event()
    stop = threading.Event()
    holder = {}
    messages: list[str] = []

    def ready(http_server) -> None:
        holder["server"] = http_server
        started.set()

    thread = threading.Thread(target=serve, kwargs=dict(
        options=Options(project), output_dir=tmp_path / "served", host="127.0.0.1", port=0,
        base_path="/glossary/", report=messages.append, ready=ready, stop=stop), daemon=True)
    thread.start()
    assert started.wait(120)
    yield project, f"http://127.0.0.1:{holder['server'].server_port}", messages
    holder["server"].shutdown()
    thread.join(10)


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_serves_under_the_base_path_and_rebuilds(server) -> None:
    project, origin, messages = server
    assert "<h1>Cache</h1>" in fetch(f"{origin}/glossary/terms/cache/")
    term = project / "content/terms/cache.md"
    term.write_text(term.read_text().replace("title: Cache", "title: Cache Store"))
    deadline = time.monotonic() + 30
    # The page is written before the build returns and is reported: wait for both.
    while "<h1>Cache Store</h1>" not in fetch(f"{origin}/glossary/terms/cache/") \
            or "rebuilt (build 2)" not in messages:
        assert time.monotonic() < deadline, messages
        time.sleep(0.2)


def test_open_page_reloads_and_shows_errors(server) -> None:
    project, origin, _ = server
    term = project / "content/terms/cache.md"
    original = term.read_text()
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{origin}/glossary/terms/cache/")
        page.wait_for_timeout(500)  # the page connects to the build events
        term.write_text(original.replace("level: foundation", "level: expert"))
        overlay = page.locator("#glossary-overlay")
        overlay.wait_for(state="visible", timeout=30_000)
        assert "unknown level 'expert'" in overlay.inner_text()
        assert page.locator("h1").inner_text() == "Cache"  # the last good site is still there
        term.write_text(original.replace("title: Cache", "title: Cache Layer"))
        page.wait_for_function("document.querySelector('h1').textContent === 'Cache Layer'", timeout=30_000)
        assert page.locator("#glossary-overlay").count() == 0


def test_head_requests_and_a_busy_port(server) -> None:
    project, origin, _ = server
    request = urllib.request.Request(f"{origin}/glossary/terms/cache/", method="HEAD")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200 and response.read() == b""
    port = origin.rsplit(":", 1)[1]
    from conftest import run_cli
    result = run_cli("serve", project, "--port", port)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"glossary: error: cannot serve on 127.0.0.1:{port}")


def test_a_rebuild_leaves_nothing_of_its_build_in_cycles(tmp_path: Path) -> None:
    """`glossary serve` builds again and again in one process, under the command's raised collector
    thresholds: each rebuild collects what its build left in cycles, so no build's Jinja environment (and
    the card fragments it holds) outlives it."""
    import gc

    import jinja2

    from glossary_ssg.cli import _COLLECTOR_THRESHOLDS
    from glossary_ssg.server import Builder

    def environments() -> int:
        return sum(isinstance(thing, jinja2.Environment) for thing in gc.get_objects())

    project = copy_site(tmp_path)
    builder = Builder(Options(project, cache_dir=tmp_path / "cache"), tmp_path / "served", report=lambda _: None)
    builder.rebuild()  # the first build imports and caches what every later one shares
    thresholds = gc.get_threshold()
    gc.collect()
    before = environments()
    gc.set_threshold(*_COLLECTOR_THRESHOLDS)
    try:
        for number in range(3):
            (project / "content" / "terms" / "cache.md").write_text(
                (project / "content" / "terms" / "cache.md").read_text().replace("summary: ", f"summary: {number} ", 1))
            (project / "glossary.yml").write_text((project / "glossary.yml").read_text() + f"# {number}\n")
            builder.rebuild()
        after = environments()
    finally:
        gc.set_threshold(*thresholds)
    assert builder.errors == "" and after == before
