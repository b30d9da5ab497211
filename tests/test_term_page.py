"""The bundled Microservices page shows every element of the reference term page, from the graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import bundled_build, run_cli

ROOT = Path(__file__).parent.parent


def front_matter(kind: str, slug: str) -> dict:
    text = (ROOT / "content" / kind / f"{slug}.md").read_text()
    return yaml.safe_load(text.split("---\n")[1])


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundled") / "_site"
    with bundled_build():
        result = run_cli("build", ROOT, "-o", out, "--strict")
    assert result.exit_code == 0, result.stderr
    return out


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def section(soup: BeautifulSoup, heading: str):
    h2 = soup.find("h2", string=heading)
    assert h2 is not None, f"no section headed {heading!r}"
    return h2.find_parent("section")


def test_definition_and_what_is(bundled_site: Path) -> None:
    soup = page(bundled_site, "terms/microservices")
    term = front_matter("terms", "microservices")
    assert text(soup.h1) == "Microservices"
    assert text(soup.select_one(".entry-header .definition")) == term["summary"]
    what_is = section(soup, "What is Microservices?")
    assert term["summary"] in text(what_is)
    assert ("Microservices is an intermediate-level concept that sits in the Microservices Architecture "
            "area of system design.") in text(what_is)
    assert what_is.find("h3", string="Trade-offs") is not None  # the body, one level under "What is"


def test_in_depth_lesson_card(bundled_site: Path) -> None:
    soup = page(bundled_site, "terms/microservices")
    card = section(soup, "Learn Microservices in depth")
    lesson = front_matter("lessons", "microservices")
    assert lesson["summary"] in text(card)
    link = card.find("a", string="Open the Microservices lesson")
    assert link["href"] == "/glossary/lessons/microservices/"


def test_related_lessons_with_level_and_area(bundled_site: Path) -> None:
    soup = page(bundled_site, "terms/microservices")
    related = section(soup, "Related lessons")
    assert "Lessons that touch on Microservices as part of a larger topic." in text(related)
    cards = related.select("li.card")
    expected = ["microservices-architecture", "saga-pattern", "path-based-routing", "api-gateway", "api-composition"]
    assert [card.a["href"] for card in cards] == [f"/glossary/lessons/{slug}/" for slug in expected]
    areas = yaml.safe_load((ROOT / "glossary.yml").read_text())["areas"]
    for card, slug in zip(cards, expected):
        lesson = front_matter("lessons", slug)
        assert text(card.select_one(".card-title")) == lesson["title"]
        assert text(card.select_one(".card-summary")) == lesson["summary"]
        assert text(card.select_one(".meta")) == f"{lesson['level']} · {areas[lesson['area']]['title']}"


def test_see_also_terms_with_definitions(bundled_site: Path) -> None:
    soup = page(bundled_site, "terms/microservices")
    see_also = section(soup, "See also")
    assert "Related glossary terms you might want to look up next." in text(see_also)
    cards = see_also.select("li.card")
    written = front_matter("terms", "microservices")["see_also"]
    assert written[:3] == ["monolith", "service-discovery", "api-gateway"]  # as on the reference page
    assert [card.a["href"] for card in cards] == [f"/glossary/terms/{slug}/" for slug in written]
    for card, slug in zip(cards, written):
        assert text(card.select_one(".card-title")) == front_matter("terms", slug)["title"]
        assert text(card.select_one(".card-summary")) == front_matter("terms", slug)["summary"]


def test_referenced_by_is_the_inverse_of_see_also(bundled_site: Path) -> None:
    soup = page(bundled_site, "terms/microservices")
    referenced_by = section(soup, "Referenced by")
    titles = [text(a) for a in referenced_by.select(".card-title a")]
    expected = sorted(front_matter("terms", p.stem)["title"] for p in (ROOT / "content/terms").glob("*.md")
                      if "microservices" in front_matter("terms", p.stem).get("see_also", []))
    assert titles == expected and titles


def test_lesson_page(bundled_site: Path) -> None:
    soup = page(bundled_site, "lessons/api-gateway")
    lesson = front_matter("lessons", "api-gateway")
    assert text(soup.h1) == lesson["title"]
    assert text(soup.select_one(".entry-header .meta")) == "foundation · Load Balancing & Proxies"
    before = soup.find("h2", string="Before this lesson").find_parent("aside")
    assert [a["href"] for a in before.select(".card-title a")] == ["/glossary/lessons/path-based-routing/"]
    after = section(soup, "Where to go next")
    assert "/glossary/lessons/api-composition/" in [a["href"] for a in after.select(".card-title a")]
    terms = section(soup, "Terms in this lesson")
    assert [a["href"] for a in terms.select(".card-title a")] == [f"/glossary/terms/{s}/" for s in lesson["terms"]]
    references = section(soup, "References").select("li a")
    assert [a["href"] for a in references] == [r["url"] for r in lesson["references"]]
    assert all(a["rel"] == ["noopener"] for a in references)


def test_home_page_indexes(bundled_site: Path) -> None:
    soup = BeautifulSoup((bundled_site / "index.html").read_text(), "html.parser")
    titles = sorted((front_matter("terms", p.stem)["title"] for p in (ROOT / "content/terms").glob("*.md")),
                    key=str.casefold)
    letters = [text(h3) for h3 in soup.select("section.letter > h3")]
    assert letters == sorted({title[0].upper() for title in titles})
    az_terms = [text(a) for a in soup.select("section.letter .card-title a")]
    assert az_terms == titles
    bar = [a["href"] for a in soup.select(".letter-bar a")]
    assert bar == [f"#letter-{letter.lower()}" for letter in letters]
    hrefs = {a["href"] for a in soup.find_all("a")}
    assert {"/glossary/areas/microservices-architecture/", "/glossary/levels/foundation/",
            "/glossary/lessons/"} <= hrefs


def test_lessons_page_is_ordered_as_learning_paths(bundled_site: Path) -> None:
    soup = page(bundled_site, "lessons")
    levels = ["foundation", "intermediate", "advanced"]
    for h2 in soup.select("main h2"):
        slugs = [a["href"].split("/")[-2] for a in h2.find_parent("section").select(".card-title a")]
        seen: set[str] = set()
        for slug in slugs:
            lesson = front_matter("lessons", slug)
            assert set(lesson.get("prerequisites", [])) & set(slugs) <= seen, slug  # prerequisites come first
            seen.add(slug)
        independent = [s for s in slugs if not front_matter("lessons", s).get("prerequisites")]
        ranks = [levels.index(front_matter("lessons", s)["level"]) for s in independent]
        assert ranks == sorted(ranks)  # easier first among lessons that need nothing


def test_site_files(bundled_site: Path) -> None:
    assert (bundled_site / ".nojekyll").read_bytes() == b""
    assert (bundled_site / "404.html").is_file()
    robots = (bundled_site / "robots.txt").read_text()
    assert "Sitemap: https://glossary-ssg.github.io/glossary/sitemap.xml" in robots
    sitemap = (bundled_site / "sitemap.xml").read_text()
    assert "<loc>https://glossary-ssg.github.io/glossary/terms/microservices/</loc>" in sitemap
    assert "404" not in sitemap
