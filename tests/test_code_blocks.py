"""Fenced code: highlighted by the declared language only, optional line numbers, unknown languages warned."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import entry, run_cli


def built_term(make_site, tmp_path: Path, body: str) -> tuple[BeautifulSoup, str]:
    project = make_site({"content/terms/alpha.md": entry("Alpha", see_also="[beta]") + body,
                         "content/terms/beta.md": entry("Beta", see_also="[alpha]")})
    result = run_cli("build", project, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "out/terms/alpha/index.html").read_text()
    return BeautifulSoup(page, "html.parser"), result.stderr


def test_known_language_is_highlighted_with_classes(make_site, tmp_path: Path) -> None:
    soup, stderr = built_term(make_site, tmp_path, "\n```python\ndef f(x):\n    return x  # note\n```\n")
    block = soup.select_one("div.code-block")
    assert block["data-language"] == "python"
    code = block.select_one("pre > code.language-python")
    assert code.select_one("span.k").get_text() == "def"
    assert code.select_one("span.c1").get_text() == "# note"
    assert code.get_text() == "def f(x):\n    return x  # note"
    assert "style=" not in str(block)  # colours come from the stylesheet
    assert stderr == ""


def test_line_numbers_on_request(make_site, tmp_path: Path) -> None:
    soup, _ = built_term(make_site, tmp_path, '\n```python linenums\na = """x\ny"""\nb = 2\n```\n')
    block = soup.select_one("div.code-block.line-numbers")
    lines = block.select("code > span.line")
    assert [line.get_text() for line in lines] == ['a = """x', 'y"""', "b = 2"]


def test_unknown_language_is_a_warning_and_plain_text(make_site, tmp_path: Path) -> None:
    soup, stderr = built_term(make_site, tmp_path, "\nIntro.\n\n```pyhton\n<b>x</b> = 1\n```\n")
    assert stderr.splitlines() == [
        "content/terms/alpha.md:12:1: warning: unknown code language 'pyhton': the block is shown as plain text "
        "(did you mean 'python'?)",
        "0 errors, 1 warning",
    ]
    block = soup.select_one("div.code-block")
    assert not block.has_attr("data-language")
    assert block.code.find("span") is None
    assert block.code.get_text() == "<b>x</b> = 1"


def test_no_language_is_not_guessed(make_site, tmp_path: Path) -> None:
    soup, stderr = built_term(make_site, tmp_path, "\n```\nSELECT * FROM t;\n```\n")
    assert stderr == ""
    assert soup.select_one("div.code-block code").find("span") is None


def test_unknown_language_fails_under_strict(make_site, tmp_path: Path) -> None:
    project = make_site({"content/terms/alpha.md": entry("Alpha", see_also="[beta]") + "\n```nope\nx\n```\n",
                         "content/terms/beta.md": entry("Beta", see_also="[alpha]")})
    assert run_cli("check", project, "--strict").exit_code == 1


def test_highlight_stylesheet_has_light_and_dark(valid_site: Path, tmp_path: Path) -> None:
    assert run_cli("build", valid_site, "-o", tmp_path / "out").exit_code == 0
    css = (tmp_path / "out/assets/pygments.css").read_text()
    assert ".highlight .k " in css
    assert "@media (prefers-color-scheme: dark)" in css
