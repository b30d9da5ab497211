"""glossary diff BASE_REF: what a pull request changes, as contributors and the job summary see it."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import entry, run_cli

GIT_ENV = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z", "PATH": "/usr/bin:/bin"}


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True, env=GIT_ENV)


def test_diff_lists_entries_links_orphans_and_pages(valid_site: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    git(valid_site, "init", "-q")
    git(valid_site, "add", ".")
    git(valid_site, "commit", "-qm", "base")
    cache = valid_site / "content/terms/cache.md"
    cache.write_text(cache.read_text().replace("so later reads are cheaper", "so repeated reads are cheaper"))
    replica = valid_site / "content/terms/replica.md"
    replica.write_text(replica.read_text().replace("see_also: [cache]", "see_also: [cache, cache-invalidation]"))
    (valid_site / "content/terms/bloom-filter.md").write_text(entry("Bloom Filter", area="caching",
                                                                    see_also="[cache, replica]"))
    result = run_cli("diff", "HEAD", valid_site, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("## Glossary changes since `HEAD`\n")
    assert "### Added (1)\n- `term:bloom-filter`" in text
    assert "### Changed (2)\n- `term:cache`\n- `term:replica`" in text
    assert "- `term:replica → term:cache-invalidation (see_also)`" in text
    assert "- `term:bloom-filter → term:cache (see_also)`" in text
    assert "### New orphans (1)\n- `bloom-filter`" in text
    assert "- `terms/bloom-filter/index.html`" in text
    assert "- `terms/cache/index.html`" in text
    assert "Removed" not in text


def test_diff_without_git_is_a_usage_error(valid_site: Path) -> None:
    result = run_cli("diff", "HEAD", valid_site)
    assert result.exit_code == 2
    assert result.stderr.startswith("glossary: error: git ")


def test_diff_of_an_unchanged_tree_is_empty(valid_site: Path) -> None:
    git(valid_site, "init", "-q")
    git(valid_site, "add", ".")
    git(valid_site, "commit", "-qm", "base")
    result = run_cli("diff", "HEAD", valid_site)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Changes since HEAD\n\nNo changes to the glossary.\n"


def test_diff_refuses_a_ref_that_looks_like_an_option(valid_site: Path, tmp_path: Path) -> None:
    git(valid_site, "init", "-q")
    git(valid_site, "add", ".")
    git(valid_site, "commit", "-qm", "base")
    result = run_cli("diff", f"--output={tmp_path / 'x'}", valid_site)
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()
