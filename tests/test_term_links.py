"""[[Links]] between terms, and automatic links on a term's first mention."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import MINIMAL_CONFIG, entry, run_cli

TERMS = {
    "content/terms/cache.md": entry("Cache", see_also="[rest, time-to-live]", aliases='["Caching layer"]'),
    "content/terms/rest.md": entry("REST", see_also="[cache, time-to-live]"),
    "content/terms/time-to-live.md": entry("Time to Live", see_also="[cache, rest]", aliases="[TTL]"),
}


def build(make_site, tmp_path: Path, body: str, config: str = MINIMAL_CONFIG):
    files = dict(TERMS)
    files["content/terms/cache.md"] += body
    project = make_site(files, config)
    result = run_cli("build", project, "-o", tmp_path / "out")
    return result, tmp_path / "out"


def body_links(out: Path, slug: str = "cache") -> list[tuple[str, str]]:
    soup = BeautifulSoup((out / f"terms/{slug}/index.html").read_text(), "html.parser")
    return [(a.get_text(), a["href"]) for a in soup.select(".body a")]


def test_wikilinks_by_title_alias_and_slug(make_site, tmp_path: Path) -> None:
    result, out = build(make_site, tmp_path, "\nSee [[REST]], [[ttl|expiry times]] and [[time-to-live]].\n")
    assert result.exit_code == 0, result.stderr
    assert body_links(out) == [("REST", "/terms/rest/"), ("expiry times", "/terms/time-to-live/"),
                               ("Time to Live", "/terms/time-to-live/")]
    soup = BeautifulSoup((out / "terms/cache/index.html").read_text(), "html.parser")
    assert all("term-link" in a["class"] for a in soup.select(".body a"))


def test_unknown_wikilink_is_an_error_at_its_line(make_site, tmp_path: Path) -> None:
    result, _ = build(make_site, tmp_path, "\nFirst line.\nThen `[[not a link]]` and [[Time to Leave]].\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/terms/cache.md:12:27: error: unknown term 'Time to Leave' in [[Time to Leave]] "
        "(did you mean 'time-to-live'?)",
        "1 error, 0 warnings"]


def test_wikilink_counts_as_a_link_for_orphans(make_site, tmp_path: Path) -> None:
    files = dict(TERMS)
    files["content/terms/lonely.md"] = entry("Lonely", see_also="[cache, rest]")
    files["content/terms/cache.md"] += "\nMentioned: [[Lonely]].\n"
    result = run_cli("check", make_site(files), "--strict")
    assert result.exit_code == 0, result.stderr


def test_first_plain_mention_becomes_a_link(make_site, tmp_path: Path) -> None:
    body = ("\n## Why rest matters\n\nA REST API sets a time to live; the TTL is short. Rest assured, `REST` in "
            "code and [a link](https://example.org/REST) stay as they are. REST again.\n")
    result, out = build(make_site, tmp_path, body)
    assert result.exit_code == 0, result.stderr
    # "rest" in the heading and "Rest assured" (not capitals) are not REST; each term is linked once
    assert body_links(out) == [("REST", "/terms/rest/"), ("time to live", "/terms/time-to-live/"),
                               ("a link", "https://example.org/REST")]
    html = (out / "terms/cache/index.html").read_text()
    assert "<code>REST</code>" in html
    assert '<h3 id="why-rest-matters">Why rest matters</h3>' in html


def test_never_links_a_page_to_itself(make_site, tmp_path: Path) -> None:
    result, out = build(make_site, tmp_path, "\nA cache, or caching layer, sits in front.\n")
    assert result.exit_code == 0
    assert body_links(out) == []


def test_autolink_can_be_switched_off(make_site, tmp_path: Path) -> None:
    result, out = build(make_site, tmp_path, "\nA REST API sets a time to live, see [[TTL]].\n",
                        MINIMAL_CONFIG + "autolink: false\n")
    assert result.exit_code == 0, result.stderr
    assert body_links(out) == [("TTL", "/terms/time-to-live/")]


def test_several_mentions_keep_the_sentence_in_order(make_site, tmp_path: Path) -> None:
    body = "\nA REST API sets a time to live, and Cache layers honour it. See also REST and TTL again.\n"
    files = dict(TERMS)
    files["content/terms/lonely.md"] = entry("Lonely", see_also="[cache, rest]") + body
    files["content/terms/cache.md"] += "\nSee [[Lonely]].\n"
    project = make_site(files)
    assert run_cli("build", project, "-o", tmp_path / "out").exit_code == 0
    soup = BeautifulSoup((tmp_path / "out/terms/lonely/index.html").read_text(), "html.parser")
    paragraph = soup.select(".body p")[-1]
    assert paragraph.get_text() == body.strip()  # the words, in their order, whatever got linked
    assert [a.get_text() for a in paragraph.find_all("a")] == ["REST", "time to live", "Cache"]


def test_a_term_linking_only_to_itself_is_still_an_orphan(make_site) -> None:
    files = dict(TERMS)
    files["content/terms/lonely.md"] = entry("Lonely", see_also="[cache, rest]") + "\nMe: [[Lonely]].\n"
    result = run_cli("check", make_site(files))
    assert "warning: no term or lesson links to 'lonely'" in result.stderr


def test_wikilinks_in_quizzes_become_links(make_site, tmp_path: Path) -> None:
    files = dict(TERMS)
    quiz = ("[{id: q, prompt: 'Why a [[Cache]]?', choices: [{text: fast, correct: true}, {text: slow}], "
            "explanation: 'See [[TTL|expiry]].'}]")
    files["content/lessons/intro.md"] = entry("Intro", terms="[cache]", quiz=quiz)
    project = make_site(files)
    assert run_cli("build", project, "-o", tmp_path / "out").exit_code == 0
    html = (tmp_path / "out/lessons/intro/index.html").read_text()
    assert '<a class="term-link" href="/terms/cache/">Cache</a>' in html
    assert "[[" not in html


def test_links_in_html_comments_are_not_checked(make_site) -> None:
    files = dict(TERMS)
    files["content/terms/cache.md"] += "\n<!-- [[Not a term]] -->\n"
    assert run_cli("check", make_site(files), "--strict", "--fast").exit_code == 0


def test_nothing_is_linked_inside_what_markdown_put_aside(make_site, tmp_path: Path) -> None:
    """Raw HTML, entities and escaped characters wait in the tree as placeholders (STX "wzxhzdk:0" ETX,
    STX "123" ETX for "\\{"): a name that matches their insides must not link there, or the HTML is lost."""
    files = dict(TERMS)
    files["content/terms/n123.md"] = entry("N123", title='"123"', summary="A number.", see_also="[cache]")
    files["content/terms/stash.md"] = entry("Wzxhzdk", see_also="[cache]")
    files["content/terms/cache.md"] += "\nUse a \\{ brace, <b>bold</b> words &amp; more.\n"
    out = tmp_path / "out"
    result = run_cli("build", make_site(files), "-o", out)
    assert result.exit_code == 0, result.stderr
    html = (out / "terms/cache/index.html").read_text()
    assert "Use a { brace, <b>bold</b> words &amp; more." in html
    assert body_links(out) == []
