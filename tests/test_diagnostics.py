"""Every invalid fixture site prints exactly its expected diagnostics, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SITES, copy_site, entry, run_cli

INVALID = sorted(path for path in (SITES / "invalid").iterdir() if path.is_dir())
CASES = INVALID + [SITES / "warnings"]
FAILING = [case for case in INVALID if not (case / "expected.txt").read_text().splitlines()[-1].startswith("0 errors")]


def test_valid_fixture_is_clean(valid_site: Path) -> None:
    result = run_cli("check", valid_site, "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1] == "ok: 3 terms, 3 lessons"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_check_prints_exact_diagnostics(case: Path, tmp_path: Path) -> None:
    project = copy_site(tmp_path, case)
    expected = (case / "expected.txt").read_text()
    result = run_cli("check", project)
    assert result.stderr == expected
    fails = not expected.splitlines()[-1].startswith("0 errors")
    assert result.exit_code == (1 if fails else 0)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("case", FAILING, ids=[case.name for case in FAILING])
def test_build_with_errors_writes_nothing(case: Path, tmp_path: Path) -> None:
    project = copy_site(tmp_path, case)
    expected = (case / "expected.txt").read_text()
    result = run_cli("build", project, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr == expected
    assert not (tmp_path / "out").exists()


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    project = copy_site(tmp_path, SITES / "warnings")
    result = run_cli("check", project, "--strict")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == ("content/lessons/no-quiz.md:1:1: error: lesson has no quiz "
                        "(add a 'quiz:' list so readers can check what they learnt)")
    assert lines[-1] == "3 errors, 0 warnings"


def test_reference_by_title_resolves_and_suggests_the_slug(make_site) -> None:
    project = make_site({
        "content/terms/alpha.md": entry("Alpha", see_also="[beta, gamma]"),
        "content/terms/beta.md": entry("Beta", see_also='["alpha"]', aliases='["First letter"]'),
        "content/terms/gamma.md": entry("Gamma", see_also='["first LETTER", alpha]'),
    })
    result = run_cli("check", project, "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "content/terms/gamma.md:6:12: note: 'first LETTER' in see_also refers to term 'beta' by its alias "
        "(write the slug 'beta')",
        "0 errors, 0 warnings",
    ]


def test_lesson_listing_itself_as_prerequisite(make_site) -> None:
    project = make_site({
        "content/terms/alpha.md": entry("Alpha"),
        "content/lessons/intro.md": entry("Intro", terms="[alpha]", prerequisites="[intro]",
                                         quiz="[{id: q, prompt: P, choices: [{text: a, correct: true}, {text: b}], "
                                              "explanation: E}]"),
    })
    result = run_cli("check", project)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "content/lessons/intro.md:7:17: error: 'intro' in prerequisites refers to itself (remove it)")


def test_three_lesson_cycle_is_printed_once(make_site) -> None:
    quiz = "[{id: q, prompt: P, choices: [{text: a, correct: true}, {text: b}], explanation: E}]"
    project = make_site({
        "content/terms/alpha.md": entry("Alpha"),
        "content/lessons/one.md": entry("One", terms="[alpha]", prerequisites="[three]", quiz=quiz),
        "content/lessons/two.md": entry("Two", prerequisites="[one]", quiz=quiz),
        "content/lessons/three.md": entry("Three", prerequisites="[two]", quiz=quiz),
    })
    result = run_cli("check", project)
    assert result.stderr.splitlines() == [
        "content/lessons/two.md:6:17: error: prerequisites form a cycle: one -> three -> two -> one "
        "(remove one of these prerequisites)",
        "1 error, 0 warnings",
    ]


def test_missing_config_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("check", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"glossary: error: {tmp_path} is not a glossary project: it has no glossary.yml\n"
