"""Every internal link and anchor resolves when the site is served under a sub-path."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import bundled_build, run_cli

ROOT = Path(__file__).parent.parent


def crawl_problems(site: Path, base_path: str) -> list[str]:
    """Check every href/src of every page; return what does not resolve to a file (and anchor) in `site`."""
    problems = []
    ids_by_file: dict[Path, set[str]] = {}

    def ids(file: Path) -> set[str]:
        if file not in ids_by_file:
            soup = BeautifulSoup(file.read_text(), "html.parser")
            ids_by_file[file] = {tag["id"] for tag in soup.find_all(id=True)}
        return ids_by_file[file]

    for page in sorted(site.rglob("*.html")):
        page_url = base_path + page.relative_to(site).as_posix().removesuffix("index.html")
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for tag in soup.find_all(["a", "link", "script", "img"]):
            link = tag.get("href") or tag.get("src")
            if not link or tag.get("rel") == ["canonical"]:
                continue
            parts = urlsplit(urljoin(page_url, link))
            if parts.scheme or parts.netloc:
                continue  # external
            if not parts.path.startswith(base_path):
                problems.append(f"{page}: {link} leaves the base path {base_path}")
                continue
            target = site / parts.path.removeprefix(base_path)
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{page}: {link} -> missing {target.relative_to(site)}")
            elif parts.fragment and parts.fragment not in ids(target):
                problems.append(f"{page}: {link} -> no #{parts.fragment}")
    return problems


@pytest.mark.parametrize("base_url", ["https://example.github.io/glossary/", "https://example.org/",
                                      "https://example.org/deep/er/path"])
def test_every_internal_link_resolves(base_url: str, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with bundled_build():
        result = run_cli("build", ROOT, "-o", out, "--base-url", base_url)
    assert result.exit_code == 0, result.stderr
    base_path = urlsplit(base_url).path.rstrip("/") + "/"
    assert crawl_problems(out, base_path) == []
    assert len(list(out.rglob("*.html"))) > 20


def test_crawler_catches_a_broken_link(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "terms" / "a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="/g/terms/a/">a</a> <a href="/g/terms/b/">b</a> '
                                     '<a href="/g/terms/a/#nope">c</a> <a href="/elsewhere/">d</a>')
    (site / "terms" / "a" / "index.html").write_text('<h1 id="top">A</h1>')
    problems = crawl_problems(site, "/g/")
    assert len(problems) == 3
