"""Property: any front matter and any body either build to a safe site or give diagnostics, never a traceback."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from conftest import MINIMAL_CONFIG, entry, is_our_script, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELDS = ["title", "summary", "level", "area", "aliases", "tags", "lesson", "related_lessons", "see_also"]
FRAGMENTS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
             "<a href='jav&#x09;ascript:alert(1)'>y</a>", "{{ 7*7 }}", "{% raw %}", "```python\nx = 1\n```",
             "```nosuchlang\ny\n```", "> quote", "- item\n  - nested", "| a | b |\n|---|---|\n| 1 | 2 |",
             "# Heading", "## Main", "<details><summary>s</summary>d</details>", "*emphasis*", "`code`",
             "<div>\n```python\nz\n```\n</div>", "---", "\x00", "&#0;", "<!-- comment -->", "<style>x</style>",
             "<svg onload=alert(1)></svg>", "<iframe src=x>", "\ufeff", "\r\n"]

scalars = st.one_of(st.text(max_size=40), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8),
                                                                                            inner, max_size=3),
                      max_leaves=8)
front_matter = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), values, max_size=8)
bodies = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=12).map("\n\n".join)


def assert_safe(site: Path) -> None:
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        assert all(is_our_script(tag) for tag in soup.find_all("script")), page
        assert not [name for tag in soup.find_all(True) for name in tag.attrs if name.lower().startswith("on")]
        assert not [tag for tag in soup.find_all(href=True) if "script:" in tag["href"].lower().replace("\t", "")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=front_matter, body=bodies, raw=st.booleans(), raw_text=st.text(max_size=200))
def test_any_term_file_builds_safely_or_reports(fields: dict, body: str, raw: bool, raw_text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "glossary.yml").write_text(MINIMAL_CONFIG)
        (project / "content/terms").mkdir(parents=True)
        (project / "content/terms/beta.md").write_text(entry("Beta", see_also="[alpha]"))
        # The title and links stay fixed so the concept maps (real Mermaid renders) repeat and are cached.
        chosen = {**fields, "title": "Alpha", "see_also": ["beta"]} if not raw else fields
        header = raw_text if raw else yaml.safe_dump(chosen, allow_unicode=True)
        (project / "content/terms/alpha.md").write_text(f"---\n{header}\n---\n{body}\n", encoding="utf-8",
                                                        errors="surrogatepass")
        result = run_cli("build", project, "-o", project / "_site")
        assert result.exit_code in (0, 1), result.stderr
        assert "Traceback" not in result.stderr
        if result.exit_code == 0:
            assert_safe(project / "_site")
        else:
            assert result.stderr.splitlines()[-1].endswith(("error", "errors", "warning", "warnings"))
            assert not (project / "_site").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies, summary=st.text(min_size=1, max_size=80).filter(str.strip), aliases=st.lists(
    st.text(min_size=1, max_size=20).filter(str.strip), max_size=3))
def test_any_body_of_a_valid_term_builds_safely(body: str, summary: str, aliases: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "glossary.yml").write_text(MINIMAL_CONFIG)
        (project / "content/terms").mkdir(parents=True)
        (project / "content/terms/beta.md").write_text(entry("Beta", see_also="[alpha]"))
        header = yaml.safe_dump({"title": "Alpha", "summary": summary, "level": "foundation", "area": "core",
                                 "aliases": aliases, "see_also": ["beta"]}, allow_unicode=True)
        (project / "content/terms/alpha.md").write_text(f"---\n{header}---\n{body}\n", encoding="utf-8",
                                                        errors="surrogatepass")
        result = run_cli("build", project, "-o", project / "_site")
        assert "Traceback" not in result.stderr
        assert result.exit_code in (0, 1), result.stderr
        if result.exit_code == 0:
            assert_safe(project / "_site")


PLAIN_CHARACTERS = "aZ09 ,.;:?!'()/%-"
MARKUP_CHARACTERS = "*_[]<>&#`\\~|=+\"\n\t{}$@^"
# Plain characters with one markup character mixed in: any widening of the shortcut by one character
# shows up as a difference.
plain_lines = st.sampled_from(MARKUP_CHARACTERS).flatmap(
    lambda extra: st.builds("{}{}".format, st.sampled_from("aZ"), st.text(alphabet=PLAIN_CHARACTERS + extra * 3,
                                                                          max_size=12)))


@settings(max_examples=400, deadline=None)
@given(plain_lines)
def test_plain_lines_skip_markdown_with_the_same_result(text: str) -> None:
    """The shortcut for plain one-line texts (quiz choices) gives exactly what Markdown gives, or stands aside."""
    from glossary_ssg.diagrams.phase import DiagramSet
    from glossary_ssg.errors import Location
    from glossary_ssg.markup import render

    shortcut = render.plain_paragraph(text)
    if shortcut is None:
        return
    original = render.plain_paragraph
    render.plain_paragraph = lambda _text: None  # the full path: Markdown, then the sanitiser
    try:
        full = render.MarkdownRenderer(DiagramSet({}, 0, 0), base_heading_level=4).render(text, Location("x.md", 1))
    finally:
        render.plain_paragraph = original
    assert shortcut == full


def test_a_plain_text_reports_no_links_of_the_text_before() -> None:
    """The shortcut must not leave the previous text's links as this one's (autolink off: bodies qualify)."""
    from glossary_ssg.diagrams.phase import DiagramSet
    from glossary_ssg.errors import Location
    from glossary_ssg.markup.render import MarkdownRenderer
    from glossary_ssg.markup.termlinks import TermLinks

    links = TermLinks({"cap": "cap"}, {"CAP": "cap"}, {"cap": "CAP"}, lambda slug: f"/terms/{slug}/", autolink=False)
    renderer = MarkdownRenderer(DiagramSet({}, 0, 0), 2, links)
    renderer.render("See [[cap]].", Location("a.md", 1))
    assert renderer.linked_terms == ("cap",)
    assert renderer.render("A plain definition.", Location("b.md", 1)) == "<p>A plain definition.</p>"
    assert renderer.linked_terms == ()
