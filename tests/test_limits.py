"""Inputs built to exhaust the build either finish within a budget or fail with a clear error."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import entry, run_cli

from glossary_ssg import limits


@pytest.fixture
def site_with_body(make_site):
    def make(body: str) -> Path:
        return make_site({"content/terms/alpha.md": entry("Alpha", see_also="[beta]") + body,
                          "content/terms/beta.md": entry("Beta", see_also="[alpha]")})
    return make


def timed_build(project: Path, out: Path):
    started = time.perf_counter()
    result = run_cli("build", project, "-o", out)
    assert "Traceback" not in result.stderr
    return result, time.perf_counter() - started


def test_ten_megabyte_file(site_with_body, tmp_path: Path) -> None:
    project = site_with_body("")
    (project / "content/terms/huge.md").write_text(entry("Huge") + "word " * 2_000_000)
    result, seconds = timed_build(project, tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("content/terms/huge.md:1:1: error: the file is 10.0 MB, over the 1 MB "
                                             "limit for a content file (split it into smaller entries)")
    assert seconds < 5


def test_ten_thousand_deep_blockquote(site_with_body, tmp_path: Path) -> None:
    result, seconds = timed_build(site_with_body("\n" + ">" * 10_000 + " deep\n"), tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert seconds < 30


def test_ten_thousand_deep_list_on_one_line(site_with_body, tmp_path: Path) -> None:
    result, seconds = timed_build(site_with_body("\n" + "- " * 10_000 + "item\n"), tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("content/terms/alpha.md:8:1: error: this Markdown nests too deeply to "
                                             "render (flatten deeply nested quotes, lists or emphasis)")
    assert seconds < 30


def test_ten_thousand_deep_indented_list(site_with_body, tmp_path: Path) -> None:
    """Ten thousand levels of indentation need 100 MB: the file size limit stops it before parsing."""
    body = "\n" + "\n".join("  " * depth + "- item" for depth in range(10_000)) + "\n"
    result, seconds = timed_build(site_with_body(body), tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("content/terms/alpha.md:1:1: error: the file is 100.1 MB")
    assert seconds < 30


def test_deep_indented_list_within_the_size_limit(site_with_body, tmp_path: Path) -> None:
    body = "\n" + "\n".join("  " * depth + "- item" for depth in range(900)) + "\n"
    result, seconds = timed_build(site_with_body(body), tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("content/terms/alpha.md:8:1: error: this Markdown nests too deeply")
    assert seconds < 30


def test_emphasis_nested_past_the_parser(site_with_body, tmp_path: Path) -> None:
    result, _ = timed_build(site_with_body("\n" + "*" * 50_000 + "a" + "*" * 50_000 + "\n"), tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("content/terms/alpha.md:8:1: error: this Markdown nests too deeply to "
                                             "render (flatten deeply nested quotes, lists or emphasis)")
    assert not (tmp_path / "out").exists()


def test_markdown_over_its_time_budget(site_with_body, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MARKDOWN_SECONDS", 1.0)
    result, seconds = timed_build(site_with_body("\n" + "[" * 10_000 + "a" + "](x)" * 10_000 + "\n"),
                                  tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "content/terms/alpha.md:8:1: error: this Markdown took longer than 1 s to render "
        "(look for very long runs of brackets or emphasis markers)")
    assert seconds < 20


def test_one_megabyte_single_line_code_block(site_with_body, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "HIGHLIGHT_SECONDS", 1.0)
    body = "\n```python\n" + "x = 1; " * 140_000 + "\n```\n"
    result, seconds = timed_build(site_with_body(body), tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == ("content/terms/alpha.md:10:1: warning: highlighting this code block took "
                                             "longer than 1 s; it is shown as plain text")
    page = (tmp_path / "out/terms/alpha/index.html").read_text()
    assert "x = 1; x = 1;" in page
    assert seconds < 30


def test_pathological_diagram_is_stopped(site_with_body, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "DIAGRAM_SECONDS", 5.0)
    edges = "\n".join(f"  n{i} --> n{j}" for i in range(22) for j in range(22) if i != j)
    project = site_with_body(f"\n```mermaid\nflowchart LR\n{edges}\n```\n")
    result, seconds = timed_build(project, tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("content/terms/alpha.md:10:1: error: Mermaid could not render this "
                                             "diagram: Mermaid took longer than 5 s to render it")
    assert seconds < 60


def test_oversized_diagram_source(site_with_body, tmp_path: Path) -> None:
    label = "x" * 25_000
    result, _ = timed_build(site_with_body(f"\n```mermaid\nflowchart LR\n  A[{label}] --> B\n```\n"), tmp_path / "o")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("content/terms/alpha.md:10:1: error: Mermaid could not render this "
                                             "diagram: its source is 25,024 characters; the limit is 20,000")


def test_a_budget_leaves_the_alarm_signal_as_it_found_it() -> None:
    """Entered for every body and code block: whether it ran out or not, the handler that was there is
    back and no timer is left running."""
    import signal

    def ours(signum, frame):
        raise AssertionError("the budget's timer reached the handler it replaced")

    before = signal.signal(signal.SIGALRM, ours)
    try:
        with limits.time_budget(5.0):
            assert signal.getsignal(signal.SIGALRM) is not ours
        assert signal.getsignal(signal.SIGALRM) is ours
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        with pytest.raises(limits.TimeBudgetExceeded, match="took longer than 0.05 s"):
            with limits.time_budget(0.05):
                while True:
                    time.sleep(0.001)
        assert signal.getsignal(signal.SIGALRM) is ours
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, before)
