"""A body whose text holds none of the changed names renders as it did, so a full build after a term is
added, renamed or deleted reuses it (markup/name_changes.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

import glossary_ssg.markup.render as render
from conftest import ROOT
from glossary_ssg.diagrams.phase import DiagramSet
from glossary_ssg.errors import Location
from glossary_ssg.markup.name_changes import MAX_CHANGED_NAMES, name_change
from glossary_ssg.markup.render import MarkdownRenderer
from glossary_ssg.markup.termlinks import TermLinks
from glossary_ssg.memo import Memos, Recall
from glossary_ssg.model import frozen_map
from glossary_ssg.names import LinkNames
from glossary_ssg.options import Options
from glossary_ssg.pipeline import check

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

# "123" and "wzxhzdk" are what Python-Markdown's placeholders for "\\{" and raw HTML hold inside.
WORDS = ["load", "balancer", "cache", "rate", "limiter", "TLS", "queue", "Ärger", "straße", "123", "wzxhzdk"]
JOINERS = [" ", "-", "/", " ", ", ", ". "]


def link_names(terms: dict[str, tuple[str, ...]]) -> LinkNames:
    """Slug -> (title, *aliases), claimed as names.NameIndex claims them: first come, first served."""
    names, mentions, titles = {}, {}, {}
    for slug, (title, *aliases) in sorted(terms.items()):
        names.setdefault(slug, slug)
        titles[slug] = title
        for name in (title, *aliases):
            if names.setdefault(name.casefold(), slug) == slug:
                mentions[name] = slug
    return LinkNames(names, mentions, titles)


def rendered(names: LinkNames, text: str, page: str | None) -> tuple[str, tuple[str, ...]]:
    links = TermLinks(names.names, names.mentions, names.titles, lambda slug: f"/terms/{slug}/", True)
    renderer = MarkdownRenderer(DiagramSet(frozen_map({}), 0, 0), 2, links)
    return renderer.render(text, Location("t.md", 1), page=page), renderer.linked_terms


name = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
glossary = st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), st.tuples(name, name).map(
    lambda pair: (pair[0],) if pair[0] == pair[1] else pair), min_size=1)
piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS).map(str.upper),
                  st.sampled_from(["a", "b", "c", "d", "e"]).map(lambda slug: f"[[{slug}]]"),
                  name.map(lambda n: f"[[{n}]]"),
                  st.sampled_from(["the", "a", "`code`", "**bold**", "x", "\\{", "<b>html</b>", "&amp;"]))
texts = st.lists(st.tuples(piece, st.sampled_from(JOINERS)), max_size=12).map(
    lambda parts: "".join(p + j for p, j in parts))


@settings(max_examples=300, deadline=None)
@given(glossary, glossary, texts, st.sampled_from([None, "a", "b"]))
@example({"a": ("cache",)}, {"a": ("cache",), "b": ("123",)}, "Use a \\{ brace.", None)
@example({"a": ("cache",)}, {"a": ("cache",), "b": ("wzxhzdk",)}, "Some <b>html</b> &amp; more.", None)
def test_a_text_the_change_leaves_renders_as_it_did(before: dict, after: dict, text: str, page: str | None) -> None:
    old, new = link_names(before), link_names(after)
    change = name_change(old, new)
    assert change is not None  # a handful of names is never too many
    if change.leaves(text):
        assert rendered(old, text, page) == rendered(new, text, page)


def test_a_text_that_holds_a_changed_name_is_not_left() -> None:
    old = link_names({"balancer": ("Load Balancer",), "cache": ("Cache",)})
    new = link_names({"balancer": ("Load Shedder",), "cache": ("Cache",)})
    change = name_change(old, new)
    assert not change.leaves("Put a load-balancer in front.")  # joined by a hyphen, still the name
    assert not change.leaves("A LOAD SHEDDER drops work.")
    assert not change.leaves("See [[balancer]].")  # shown by its title, which changed
    assert not change.leaves("See [[ load balancer | this ]].")
    assert change.leaves("A cache in front. Shedding load is not balancing it. See [[cache]].")
    assert change.leaves("Balancing is not a balancer.")  # one word of each name only


def test_too_many_changed_names_render_everything() -> None:
    old = link_names({f"t{n}": (f"Name {n}",) for n in range(MAX_CHANGED_NAMES)})
    assert name_change(old, link_names({})) is None


def test_a_rename_renders_again_only_the_bodies_that_hold_a_changed_name(tmp_path: Path, monkeypatch) -> None:
    """At the level of the render phase: after a term is renamed, added or deleted, the bodies rendered again
    are among those that hold the old or the new name, few of them, and every result equals what rendering
    every body gives."""
    root = tmp_path / "glossary"
    generate(60, root, diagrams=False)
    rendered_jobs: list[tuple] = []
    job_renderer = render._JobRenderer.__call__
    monkeypatch.setattr(render._JobRenderer, "__call__", lambda self, job: rendered_jobs.append(job)
                        or job_renderer(self, job))

    def build(memos: Memos):
        return check(Options(root, cache_dir=tmp_path / "cache", workers=1), memos).rendered

    memos = Memos()
    build(memos)
    terms = root / "content" / "terms"
    renamed = sorted(terms.glob("*.md"))[5]
    text = renamed.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title: "))[len("title: "):]
    fresh = terms / "zz-fresh-term.md"
    steps = [
        (lambda: renamed.write_text(text.replace(f"title: {title}", "title: Quorum Lease Fencing")),
         [title, "Quorum Lease Fencing", renamed.stem], set()),
        (lambda: fresh.write_text("---\ntitle: Brand New Words\nsummary: New.\nlevel: foundation\n"
                                  "area: networking\n---\nPlain.\n"), ["Brand New Words", "zz-fresh-term"],
         {"zz-fresh-term"}),  # and the new body itself
        (lambda: fresh.unlink(), ["Brand New Words", "zz-fresh-term"], set()),
    ]
    for number, (edit, changed_names, new_bodies) in enumerate(steps):
        edit()
        bodies = {path.stem: path.read_text().split("\n---\n", 1)[1].casefold()
                  for path in root.glob("content/*/*.md")}
        holding = {slug for slug, body in bodies.items()
                   if any(all(word in body for word in name.casefold().split()) for name in changed_names)}
        rendered_jobs.clear()
        again = Memos(renders=Recall(memos.renders.kept))
        incremental = build(again)
        rendered_again = {slug for kind, slug, _ in rendered_jobs if kind != "quiz"}
        assert rendered_again <= holding | new_bodies, number
        assert len(rendered_again) < len(bodies) // 4, number
        assert incremental == build(Memos()), number  # what rendering every body gives
        memos = again
    assert rendered_again == set()  # the deleted term was mentioned nowhere: nothing to render


def test_the_memo_keeps_the_names_its_html_was_rendered_with(tmp_path: Path) -> None:
    """A new title changes no memo key, but it changes what the remembered HTML goes with: the memo is
    written again, or every later full build would render the bodies that hold the old title once more. (The
    redirect sends the edit to the full build: a new title alone is a quick build, which keeps no memo.)"""
    from conftest import run_cli
    from glossary_ssg.build_state import BuildStore

    root, out, cache = tmp_path / "glossary", tmp_path / "site", tmp_path / "cache"
    generate(30, root, diagrams=False)
    assert run_cli("build", root, "-o", out, "--cache-dir", cache).exit_code == 0
    term = sorted((root / "content" / "terms").glob("*.md"))[3]
    text = term.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title: "))
    term.write_text(text.replace(title, "title: Quorum Lease Fencing")
                    .replace("\ntags:", "\nredirect_from: [terms/an-old-name/]\ntags:", 1))
    assert run_cli("build", root, "-o", out, "--cache-dir", cache).exit_code == 0
    renders = BuildStore(cache, out).load_memo().renders
    assert renders[render._NAMES][1].titles[term.stem] == "Quorum Lease Fencing"
