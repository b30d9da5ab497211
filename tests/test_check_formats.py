"""check --format github|json: annotations for pull requests and a stable list for programs."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SITES, copy_site, entry, run_cli


def test_github_format_prints_workflow_commands(tmp_path: Path) -> None:
    project = copy_site(tmp_path, SITES / "invalid" / "unknown-slug")
    result = run_cli("check", project, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::warning file=content/terms/broken.md,line=2,col=8,title=glossary orphan-term::no term or lesson links "
        "to 'broken' (add it to another term's see_also or a lesson's terms)",
        "::error file=content/terms/broken.md,line=6,col=19,title=glossary unknown-ref::unknown term 'replicas' in "
        "see_also (did you mean 'replica'?)",
        "::error file=content/terms/broken.md,line=7,col=9,title=glossary unknown-ref::unknown lesson "
        "'caching-basic' in lesson (did you mean 'caching-basics'?)",
    ]


def test_github_format_cannot_be_forged_by_content(make_site) -> None:
    project = make_site({"content/terms/alpha.md": entry("Alpha", see_also='["x%0A::error file=evil::pwned\\n::notice::y"]')})
    result = run_cli("check", project, "--format", "github", "--strict")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    forged = [line for line in lines if "pwned" in line]
    assert len(forged) == 1
    assert "%250A::error file=evil::pwned%0A::notice::y" in forged[0]


def test_strict_github_format_turns_warnings_into_errors(tmp_path: Path) -> None:
    project = copy_site(tmp_path, SITES / "warnings")
    lines = run_cli("check", project, "--format", "github", "--strict").stdout.splitlines()
    assert lines and all(line.startswith("::error ") for line in lines)


def test_json_format_is_a_stable_list(tmp_path: Path) -> None:
    project = copy_site(tmp_path, SITES / "invalid" / "unknown-slug")
    result = run_cli("check", project, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert (report["errors"], report["warnings"]) == (2, 1)
    assert report["diagnostics"][1] == {
        "level": "error", "code": "unknown-ref", "message": "unknown term 'replicas' in see_also",
        "hint": "did you mean 'replica'?", "file": "content/terms/broken.md", "line": 6, "column": 19}


def test_json_format_when_all_is_well(valid_site: Path) -> None:
    result = run_cli("check", valid_site, "--format", "json", "--fast")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"version": 1, "errors": 0, "warnings": 0, "diagnostics": []}
