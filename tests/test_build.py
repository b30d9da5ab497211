"""Building: determinism, the output folder's safety, themes, and the index pages."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import SITES, copy_site, entry, run_cli


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(valid_site: Path, tmp_path: Path) -> None:
    assert run_cli("build", valid_site, "-o", tmp_path / "one").exit_code == 0
    assert run_cli("build", valid_site, "-o", tmp_path / "two").exit_code == 0
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_default_output_is_site_folder_in_project(valid_site: Path) -> None:
    result = run_cli("build", valid_site)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("built ")
    assert (valid_site / "_site" / "terms" / "cache" / "index.html").is_file()


def test_refuses_to_replace_a_folder_of_other_files(valid_site: Path, tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.txt").write_text("years of work")
    result = run_cli("build", valid_site, "-o", documents)
    assert result.exit_code == 2
    assert "refusing to replace" in result.stderr and "thesis" not in result.stderr
    assert (documents / "thesis.txt").read_text() == "years of work"
    assert sorted(p.name for p in documents.iterdir()) == ["thesis.txt"]


def test_refuses_the_project_folder(valid_site: Path) -> None:
    before = snapshot(valid_site)
    result = run_cli("build", valid_site, "-o", valid_site)
    assert result.exit_code == 2
    assert "holds the project itself" in result.stderr
    assert snapshot(valid_site) == before


def test_rebuild_replaces_earlier_output_and_drops_stale_pages(valid_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", valid_site, "-o", out).exit_code == 0
    (valid_site / "content" / "lessons" / "cache-patterns.md").unlink()
    assert run_cli("build", valid_site, "-o", out).exit_code == 0
    assert not (out / "lessons" / "cache-patterns").exists()
    assert (out / "lessons" / "caching-basics" / "index.html").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left behind


def test_failed_build_leaves_previous_site_intact(valid_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", valid_site, "-o", out).exit_code == 0
    before = snapshot(out)
    (valid_site / "content" / "terms" / "cache.md").write_text("no front matter\n")
    result = run_cli("build", valid_site, "-o", out)
    assert result.exit_code == 1
    assert snapshot(out) == before


def test_project_theme_overrides_templates_and_assets(valid_site: Path, tmp_path: Path) -> None:
    config = valid_site / "glossary.yml"
    config.write_text(config.read_text().replace("theme: default", "theme: house"))
    theme = valid_site / "themes" / "house"
    (theme / "templates").mkdir(parents=True)
    (theme / "static" / "assets").mkdir(parents=True)
    (theme / "templates" / "404.html").write_text("{% extends 'base.html' %}{% block content %}Lost? "
                                                  "{{ site.title }}{% endblock %}")
    (theme / "static" / "assets" / "style.css").write_text("body { color: rebeccapurple; }")
    out = tmp_path / "out"
    result = run_cli("build", valid_site, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "Lost? Test Glossary" in (out / "404.html").read_text()
    assert (out / "assets" / "style.css").read_text() == "body { color: rebeccapurple; }"
    assert "What is Cache?" in (out / "terms" / "cache" / "index.html").read_text()  # the rest is the default


def test_missing_theme_is_an_error_at_its_line(valid_site: Path) -> None:
    config = valid_site / "glossary.yml"
    config.write_text(config.read_text().replace("theme: default", "theme: missing"))
    result = run_cli("check", valid_site)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "glossary.yml:5:8: error: theme 'missing' not found: there is no folder themes/missing/ "
        "(create it, or use the bundled theme with 'theme: default')")


def test_a_home_definitions_limit_that_is_not_a_number_is_an_error_at_its_line(valid_site: Path) -> None:
    config = valid_site / "glossary.yml"
    config.write_text(config.read_text() + "home_definitions_up_to: many\n")
    result = run_cli("check", valid_site)
    assert result.exit_code == 1
    line = len(config.read_text().splitlines())
    assert result.stderr.splitlines()[0] == (
        f"glossary.yml:{line}:25: error: 'home_definitions_up_to' must be a whole number, 0 or more "
        "(for example: home_definitions_up_to: 1000)")


def test_broken_theme_template_is_reported_at_its_line(valid_site: Path, tmp_path: Path) -> None:
    config = valid_site / "glossary.yml"
    config.write_text(config.read_text().replace("theme: default", "theme: house"))
    templates = valid_site / "themes" / "house" / "templates"
    templates.mkdir(parents=True)
    (templates / "404.html").write_text("<p>\n{{ no_such_variable }}\n</p>\n")
    (templates / "level.html").write_text("{% if %}\n")
    result = run_cli("build", valid_site, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "themes/house/templates/level.html:1:1: error: Expected an expression, got 'end of statement block' "
        "(while rendering levels/foundation/index.html)")
    (templates / "level.html").unlink()
    result = run_cli("build", valid_site, "-o", tmp_path / "out")
    assert result.stderr.splitlines()[0] == (
        "themes/house/templates/404.html:2:1: error: 'no_such_variable' is undefined (while rendering 404.html)")
    assert not (tmp_path / "out").exists()


def test_templates_do_not_evaluate_content(make_site, tmp_path: Path) -> None:
    project = make_site({"content/terms/curly.md": entry('"{{ 7*7 }} <b>"', summary='"{% raw %}x{% endraw %}"')})
    assert run_cli("build", project, "-o", tmp_path / "out").exit_code == 0
    html = (tmp_path / "out" / "terms" / "curly" / "index.html").read_text()
    assert "<h1>{{ 7*7 }} &lt;b&gt;</h1>" in html
    assert "{% raw %}x{% endraw %}" in html


def test_area_level_and_tag_pages(valid_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("build", valid_site, "-o", out).exit_code == 0

    def titles(path: str, selector: str) -> list[str]:
        soup = BeautifulSoup((out / path / "index.html").read_text(), "html.parser")
        return [" ".join(a.get_text().split()) for a in soup.select(selector)]

    assert titles("areas/caching", "main h2") == ["Foundation", "Intermediate", "Advanced"]
    assert titles("areas/caching", "main section .card-title a") == [
        "Cache", "Caching Basics", "Cache Invalidation", "Cache Patterns"]
    assert titles("levels/advanced", ".card-title a") == ["Replica", "Cache Patterns"]
    assert titles("tags/consistency", ".card-title a") == ["Cache Invalidation", "Replica"]
    assert titles("tags/performance", ".card-title a") == ["Cache", "Cache Invalidation", "Caching Basics"]


def test_related_lessons_merge_explicit_and_covering_lessons(valid_site: Path, tmp_path: Path) -> None:
    """Explicit related_lessons first, then lessons listing the term, easiest first; never the in-depth one."""
    out = tmp_path / "out"
    assert run_cli("build", valid_site, "-o", out).exit_code == 0
    soup = BeautifulSoup((out / "terms" / "cache" / "index.html").read_text(), "html.parser")
    related = soup.find("h2", string="Related lessons").find_parent("section")
    assert [a.get_text() for a in related.select(".card-title a")] == ["Replication Basics", "Cache Patterns"]


def test_unknown_config_key_warns_but_builds(tmp_path: Path) -> None:
    project = copy_site(tmp_path, SITES / "invalid" / "unknown-config-key")
    result = run_cli("build", project, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert "did you mean 'language'?" in result.stderr


def test_base_url_without_host_warns_and_skips_the_sitemap(valid_site: Path, tmp_path: Path) -> None:
    config = valid_site / "glossary.yml"
    config.write_text(config.read_text().replace("base_url: https://example.github.io/glossary/",
                                                 "base_url: /glossary/"))
    result = run_cli("build", valid_site, "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == (
        "glossary.yml:3:11: warning: base_url has no host, so pages get no canonical link and there is no sitemap "
        "(give the full address, e.g. base_url: https://example.github.io/glossary/)")
    assert not (tmp_path / "out/sitemap.xml").exists()
    assert 'rel="canonical"' not in (tmp_path / "out/index.html").read_text()
    assert 'href="/glossary/terms/cache/"' in (tmp_path / "out/index.html").read_text()


def test_base_url_with_query_is_an_error(valid_site: Path) -> None:
    config = valid_site / "glossary.yml"
    config.write_text(config.read_text().replace("glossary/\n", "glossary/?x=1\n", 1))
    result = run_cli("check", valid_site)
    assert result.exit_code == 1
    assert "base_url cannot have a query (?…) or a fragment (#…)" in result.stderr
