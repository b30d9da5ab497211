"""Built pages are valid HTML according to the Nu HTML checker (vnu.jar, run on Java)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import NODE_MODULES, ROOT, bundled_build, require, run_cli

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_check(files: list[Path]) -> list[str]:
    require(VNU.is_file(), "npm package vnu-jar")
    require(shutil.which("java") is not None, "Java")
    result = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
                            capture_output=True, text=True, check=False)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [f"{Path(m['url']).parent.name}:{m.get('lastLine')}: {m['message']}" for m in messages]


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nu") / "site"
    with bundled_build():
        result = run_cli("build", ROOT, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def test_lesson_pages_are_valid_html(bundled_site: Path) -> None:
    lessons = sorted((bundled_site / "lessons").glob("*/index.html"))
    assert len(lessons) >= 6
    assert nu_check(lessons) == []


def test_every_other_page_is_valid_html(bundled_site: Path) -> None:
    pages = sorted(p for p in bundled_site.rglob("*.html") if p.parent.parent.name != "lessons")
    assert nu_check(pages) == []


def test_checker_reports_invalid_html(tmp_path: Path) -> None:
    bad = tmp_path / "bad" / "index.html"
    bad.parent.mkdir()
    bad.write_text("<!DOCTYPE html><html lang=en><title>x</title><p><div>block in p</div><figure>"
                   "<figcaption>c</figcaption><p>a</p><figcaption>d</figcaption></figure>")
    assert nu_check([bad]) != []
