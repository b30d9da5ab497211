"""Page metadata: descriptions, canonical URLs, Open Graph, JSON-LD, the Atom feed and the search index."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_site, run_cli

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = copy_site(tmp_path_factory.mktemp("project"))
    out = tmp_path_factory.mktemp("out") / "site"
    result = run_cli("build", project, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(), "html.parser")


def meta(page: BeautifulSoup, name: str) -> str:
    tag = page.find("meta", attrs={"property": name}) or page.find("meta", attrs={"name": name})
    return tag["content"]


def test_term_page_metadata(site: Path) -> None:
    page = soup(site, "terms/cache")
    definition = "A fast store that keeps copies of data so later reads are cheaper."
    assert meta(page, "description") == definition
    assert page.find("link", rel="canonical")["href"] == "https://example.github.io/glossary/terms/cache/"
    assert meta(page, "og:title") == "Cache · Test Glossary"
    assert meta(page, "og:description") == definition
    assert meta(page, "og:url") == "https://example.github.io/glossary/terms/cache/"
    assert meta(page, "og:type") == "article"
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data == {
        "@context": "https://schema.org", "@type": "DefinedTerm", "name": "Cache", "description": definition,
        "termCode": "cache", "url": "https://example.github.io/glossary/terms/cache/",
        "alternateName": ["Caching layer"],
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": "Test Glossary",
                             "url": "https://example.github.io/glossary/"},
    }


def test_lesson_page_metadata(site: Path) -> None:
    page = soup(site, "lessons/replication-basics")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "LearningResource"
    assert data["educationalLevel"] == "intermediate"
    assert [about["name"] for about in data["about"]] == ["Replica", "Cache"]
    assert data["about"][0]["url"] == "https://example.github.io/glossary/terms/replica/"


def test_atom_feed(site: Path) -> None:
    feed = ElementTree.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "Test Glossary"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 6
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert "https://example.github.io/glossary/terms/cache/" in ids
    assert all(entry.find(f"{ATOM}updated").text.endswith("Z") for entry in entries)
    page = soup(site, "")
    assert page.find("link", type="application/atom+xml")["href"] == "https://example.github.io/glossary/feed.xml"


def test_feed_dates_come_from_git_history(tmp_path: Path) -> None:
    project = copy_site(tmp_path)
    env = {"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org", "GIT_COMMITTER_NAME": "a",
           "GIT_COMMITTER_EMAIL": "a@example.org", "PATH": "/usr/bin:/bin"}

    def git(*args: str, when: str) -> None:
        subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True,
                       env={**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when})

    git("init", "-q", when="2024-01-01T00:00:00Z")
    git("add", ".", when="2024-01-01T00:00:00Z")
    git("commit", "-qm", "first", when="2024-01-01T00:00:00Z")
    (project / "content/terms/replica.md").write_text((project / "content/terms/replica.md").read_text() + "\nMore.\n")
    git("commit", "-qam", "second", when="2024-03-05T10:00:00Z")
    assert run_cli("build", project, "-o", tmp_path / "out").exit_code == 0
    feed = ElementTree.parse(tmp_path / "out/feed.xml").getroot()
    first = feed.findall(f"{ATOM}entry")[0]
    assert first.find(f"{ATOM}title").text == "Replica"
    assert first.find(f"{ATOM}updated").text == "2024-03-05T10:00:00Z"
    assert feed.findall(f"{ATOM}entry")[1].find(f"{ATOM}updated").text == "2024-01-01T00:00:00Z"
    assert feed.find(f"{ATOM}updated").text == "2024-03-05T10:00:00Z"


def test_search_index_files(site: Path) -> None:
    names = json.loads((site / "search/names.json").read_text())
    text = json.loads((site / "search/text.json").read_text())
    assert names["levels"] == ["foundation", "intermediate", "advanced"]
    assert ["t", "replica", "Replica", 2, "Read replica"] in names["entries"]
    assert len(names["entries"]) == len(text["text"]) == 6
    index = [entry[1] for entry in names["entries"]].index("replica")
    assert text["text"][index] == "A copy of a database that follows the primary's changes."


def test_every_page_has_a_search_form_that_works_without_javascript(site: Path) -> None:
    form = soup(site, "terms/cache").find("form", role="search")
    assert form["action"] == "/glossary/#a-z"
    assert form.find("input", id="search-input")["name"] == "q"


def test_javascript_stays_small(site: Path) -> None:
    for page in site.rglob("*.html"):
        scripts = BeautifulSoup(page.read_text(), "html.parser").find_all("script", src=True)
        total = sum((site / s["src"].removeprefix("/glossary/")).stat().st_size for s in scripts)
        assert total < 30_000, (page, total)
        assert all(s.has_attr("defer") for s in scripts)  # nothing blocks rendering


def test_search_stays_small_at_ten_thousand_terms(tmp_path: Path) -> None:
    """What a reader downloads before the first result (the names index and the script), compressed."""
    import gzip
    import sys
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from generate import generate

    from glossary_ssg.pipeline import Options, check_sources
    from glossary_ssg.search_index import search_files
    generate(10_000, tmp_path / "g", diagrams=False)
    graph, _ = check_sources(Options(tmp_path / "g"))
    names = search_files(graph)["search/names.json"]
    script = (Path(__file__).parent.parent / "themes/default/static/assets/search.js").read_bytes()
    before_first_result = len(gzip.compress(names, 6)) + len(gzip.compress(script, 6))
    assert before_first_result < 300_000, before_first_result
