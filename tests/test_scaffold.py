"""glossary new term|lesson: a complete, commented file, never an overwrite or a name already taken."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import run_cli


def test_new_term_has_every_field_with_a_comment(valid_site: Path) -> None:
    result = run_cli("new", "term", "Circuit Breaker", "--area", "storage", "--level", "intermediate",
                     "--project", valid_site)
    assert result.exit_code == 0, result.stderr
    path = valid_site / "content/terms/circuit-breaker.md"
    text = path.read_text()
    front = yaml.safe_load(text.split("---\n")[1])
    assert list(front) == ["title", "summary", "level", "area", "aliases", "tags", "lesson", "related_lessons",
                           "see_also", "redirect_from"]
    assert (front["title"], front["level"], front["area"]) == ("Circuit Breaker", "intermediate", "storage")
    lines = text.split("---\n")[1].splitlines()
    assert all(lines[i].startswith("# ") for i in range(0, len(lines), 2))  # a comment above each field
    check = run_cli("check", valid_site, "--fast")
    assert "content/terms/circuit-breaker.md:5:10: error: 'summary' must be text, not empty text" in check.stderr


def test_new_lesson(valid_site: Path) -> None:
    result = run_cli("new", "lesson", "Consistent Caching", "--project", valid_site)
    assert result.exit_code == 0, result.stderr
    front = yaml.safe_load((valid_site / "content/lessons/consistent-caching.md").read_text().split("---\n")[1])
    assert "quiz" in front and "references" in front and front["area"] == "caching"


def test_refuses_to_overwrite(valid_site: Path) -> None:
    before = (valid_site / "content/terms/cache.md").read_text()
    result = run_cli("new", "term", "Cache", "--project", valid_site)
    assert result.exit_code == 2
    assert "content/terms/cache.md already exists" in result.stderr
    assert (valid_site / "content/terms/cache.md").read_text() == before


def test_refuses_a_name_already_taken(valid_site: Path) -> None:
    result = run_cli("new", "term", "Read Replica", "--project", valid_site)
    assert result.exit_code == 2
    assert result.stderr == "glossary: error: 'Read Replica' is already taken by term 'replica'\n"
    assert not (valid_site / "content/terms/read-replica.md").exists()


def test_refuses_an_unknown_area(valid_site: Path) -> None:
    result = run_cli("new", "term", "Bloom Filter", "--area", "cachng", "--project", valid_site)
    assert result.exit_code == 2
    assert "unknown area 'cachng' (did you mean 'caching'?)" in result.stderr
