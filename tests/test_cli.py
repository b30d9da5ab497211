"""The command line: version, help on every command, exit codes, and `python -m`."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import VALID_SITE, run_cli

from glossary_ssg import __version__

ROOT = Path(__file__).parent.parent


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"glossary, version {__version__}\n"


@pytest.mark.parametrize("command", [[], ["build"], ["check"]])
def test_help_on_every_command(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.stdout


def test_build_help_lists_its_options() -> None:
    out = run_cli("build", "--help").stdout
    for option in ("--output", "--base-url", "--strict", "PROJECT_DIR"):
        assert option in out


def test_unknown_option_is_a_usage_error() -> None:
    result = run_cli("build", "--no-such-option")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_missing_project_dir_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("check", tmp_path / "absent")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_bad_base_url_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("build", VALID_SITE, "-o", tmp_path / "out", "--base-url", "example.org/glossary")
    assert result.exit_code == 2
    assert result.stderr.startswith("glossary: error: --base-url: base_url must be an absolute URL")


def test_python_dash_m_runs_the_same_cli() -> None:
    result = subprocess.run([sys.executable, "-m", "glossary_ssg", "check", str(VALID_SITE)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "ok: 3 terms, 3 lessons"


def test_installed_script_reports_content_errors_without_traceback(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "content" / "terms").mkdir(parents=True)
    (project / "glossary.yml").write_text("title: T\nbase_url: https://example.org/\n")
    (project / "content" / "terms" / "a.md").write_text("---\ntitle: [\n---\n")
    script = Path(sys.executable).parent / "glossary"
    result = subprocess.run([str(script), "build", str(project)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("content/terms/a.md:")
    assert result.stderr.endswith("1 error, 0 warnings\n")


def test_wheel_carries_the_default_theme(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("glossary_ssg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (ROOT / "themes" / "default").rglob("*"):
        if template.is_file():
            assert f"glossary_ssg/themes/default/{template.relative_to(ROOT / 'themes' / 'default').as_posix()}" in names


def test_fast_check_skips_diagrams_and_markdown(tmp_path: Path) -> None:
    from conftest import copy_site
    project = copy_site(tmp_path)
    lesson = project / "content/lessons/caching-basics.md"
    lesson.write_text(lesson.read_text().replace("flowchart LR", "flowchart LR\n  A[broken --> B"))
    assert run_cli("check", project).exit_code == 1  # the full check renders the diagram
    result = run_cli("check", project, "--fast")
    assert result.exit_code == 0
    assert result.stdout == "ok: 3 terms, 3 lessons\n"
    (project / "content/terms/cache.md").write_text("no front matter")
    assert run_cli("check", project, "--fast").exit_code == 1
