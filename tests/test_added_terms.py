"""A new term file takes the quick path (added_terms.py, relink.py) and gives what a clean build gives: its page,
the bodies that now mention it, the index pages, the sitemap, the feed and the search data, and its warnings.

Each build is compared with a clean build of the same project (test_relink.build_and_compare).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from test_incremental import Project, add_redirect, contents, first_terms, new_project
from test_relink import build_and_compare, listed, set_listed, tag_uses


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return new_project(tmp_path)


def new_term(project: Project, slug: str, title: str, *, see_also: str = "", tags: str = "", extra: str = "",
             body: str = "A body.", level: str = "intermediate") -> Path:
    path = project.term(slug)
    path.write_text(f"---\ntitle: {title}\nsummary: Added while the site was served.\nlevel: {level}\n"
                    f"area: networking\n{f'tags: [{tags}]' + chr(10) if tags else ''}"
                    f"{f'see_also: [{see_also}]' + chr(10) if see_also else ''}{extra}---\n{body}\n")
    return path


def test_an_added_term_takes_the_quick_path(project: Project) -> None:
    build_and_compare(project)
    first, second = first_terms(project, 2)
    shared = next(tag for tag, count in sorted(tag_uses(project).items()) if count > 1)

    # A term that nothing links to yet: its page, the index pages and the search data; an orphan warning.
    path = new_term(project, "aa-added", "Aa Added", see_also=first, tags=shared,
                    body="It builds on [[" + second + "]].\n\n```python\nx = 1\n```")
    quick, reported = build_and_compare(project)
    assert quick and len(reported) == 1 and "no term or lesson links to 'aa-added'" in reported[0]
    assert project.build().startswith("up to date")  # the new folders are recorded as they are
    page = project.out / "terms" / "aa-added" / "index.html"
    assert page.is_file() and "/terms/aa-added/" in (project.out / "sitemap.xml").read_text()
    assert "aa-added" in (project.out / "search" / "names.json").read_text()
    assert "/terms/aa-added/" in (project.out / "terms" / first / "index.html").read_text()  # "Referenced by"

    # Edited, mentioned and linked like any other term, quick each time.
    project.edit(path, "Added while the site was served.", "Now with a better definition.")
    assert build_and_compare(project) == (True, reported)
    project.edit(project.term(second), "## Why it exists\n\n", "## Why it exists\n\nUnlike Aa Added, ")
    assert build_and_compare(project) == (True, reported)
    assert "/terms/aa-added/" in (project.out / "terms" / second / "index.html").read_text()
    set_listed(project.term(first), "see_also", ["aa-added", *listed(project.term(first), "see_also")])
    assert build_and_compare(project) == (True, [])

    # A name that other bodies hold: each of them now links it, as a clean build renders them.
    word = "quorum"
    holders = [p for p in project.root.glob("content/*/*.md") if word in p.read_text().lower()]
    assert len(holders) > 10
    new_term(project, "zz-quorum", word.capitalize(), see_also=first, extra="aliases: [Quorums]\n")
    quick, reported = build_and_compare(project)
    assert quick and len(reported) == 1
    linked = [p for p in holders if "/terms/zz-quorum/" in
              (project.out / ("terms" if p.parent.name == "terms" else "lessons") / p.stem / "index.html").read_text()]
    assert linked

    # A file only touched in the same build, whose body holds the new name: linked too.
    word = "replica"
    holder = next(p for p in sorted(project.root.glob("content/lessons/*.md")) if word in p.read_text().lower())
    os.utime(holder)
    new_term(project, "zz-replica", word.capitalize(), see_also=first)
    quick, reported = build_and_compare(project)
    assert quick and "/terms/zz-replica/" in (project.out / "lessons" / holder.stem / "index.html").read_text()

    # Then a full build, and quick again from what it stored.
    add_redirect(project.term(second), "terms/an-old-name/")
    assert build_and_compare(project)[0] is False
    new_term(project, "zz-third", "Zz Third", see_also="aa-added")
    assert build_and_compare(project)[0] is True


def test_an_added_term_with_a_new_tag_brings_the_tag_page(project: Project) -> None:
    build_and_compare(project)
    new_term(project, "zz-tagged", "Zz Tagged", tags="brand-new-tag")
    assert build_and_compare(project)[0] is True  # reported as a clean build does: nothing links to it yet
    assert "/terms/zz-tagged/" in (project.out / "tags" / "brand-new-tag" / "index.html").read_text()


@pytest.mark.parametrize("case", ["clash", "redirect", "lesson", "unknown-link", "error", "bad-name"])
def test_an_added_entry_that_needs_the_full_build(project: Project, case: str) -> None:
    """A name another term holds, a redirect page that would come, a new lesson, a [[link]] to
    nothing, a file with an error or a name that is not a slug: the full build makes or reports them, as a
    clean build does."""
    build_and_compare(project)
    first = first_terms(project, 1)[0]
    title = re.search(r"^title: (.*)$", project.term(first).read_text(), re.M).group(1)
    if case == "clash":
        new_term(project, "zz-clash", title.upper())
    elif case == "redirect":
        new_term(project, "zz-moved", "Zz Moved", extra="redirect_from: [terms/zz-old/]\n")
    elif case == "lesson":
        lesson = project.lesson("lesson-99")
        lesson.write_text(project.lesson("lesson-0").read_text().replace("title: ", "title: Added ", 1))
    elif case == "unknown-link":
        new_term(project, "zz-linked", "Zz Linked", body="See [[No Such Term]].")
    elif case == "error":
        new_term(project, "zz-broken", "Zz Broken", level="nonsense")
    else:
        new_term(project, "Zz_Badly_Named", "Zz Badly Named")
    quick, reported = build_and_compare(project)
    assert not quick and (reported or case in ("redirect", "lesson"))


def test_terms_added_with_other_edits_in_one_build(project: Project) -> None:
    """Two new terms, one linking the other; in the same build an existing term links one and changes its
    level, and the home page goes from definitions to titles as the glossary passes home_definitions_up_to."""
    build_and_compare(project)
    count = len(list((project.root / "content" / "terms").iterdir()))
    config = project.root / "glossary.yml"
    config.write_text(config.read_text() + f"home_definitions_up_to: {count + 1}\n")
    build_and_compare(project)  # the config changed: the full build
    first, second = first_terms(project, 2)
    new_term(project, "zz-one", "Zz One", see_also=first)
    new_term(project, "zz-two", "Zz Two", see_also="zz-one", body="Read [[Zz One]] first.")
    set_listed(project.term(second), "see_also", ["zz-two", *listed(project.term(second), "see_also")])
    level = re.search(r"^level: (\w+)", project.term(second).read_text(), re.M).group(1)
    project.edit(project.term(second), f"level: {level}", "level: " + ("advanced" if level != "advanced"
                                                                         else "foundation"))
    home = project.out / "index.html"
    definition = re.search(r"^summary: (.*)$", project.term(first).read_text(), re.M).group(1)
    assert definition in home.read_text() and 'class="title-list"' not in home.read_text()
    assert build_and_compare(project) == (True, [])
    assert 'class="title-list"' in home.read_text() and definition not in home.read_text()
    assert "/terms/zz-two/" in home.read_text()


def test_an_added_term_gets_its_concept_map(tmp_path: Path) -> None:
    """With concept maps on, the new term's map is rendered in the quick build, and so is the map of a term
    whose links it changed."""
    project = new_project(tmp_path, terms=12)
    config = project.root / "glossary.yml"
    config.write_text(config.read_text().replace("concept_maps: false", "concept_maps: true"))
    build_and_compare(project)
    first = first_terms(project, 1)[0]
    new_term(project, "zz-mapped", "Zz Mapped", see_also=first)
    assert build_and_compare(project)[0] is True
    assert "term_" + first in (project.out / "terms" / "zz-mapped" / "index.html").read_text()


def test_a_body_that_now_mentions_a_new_term_in_a_file_with_other_warnings_takes_the_full_build(
        project: Project) -> None:
    """What else was reported in a file whose body the new name changes could change with it: the full build
    says (here a repeated see-also, which a quick build does not make again)."""
    build_and_compare(project)
    first, second = first_terms(project, 2)
    set_listed(project.term(second), "see_also", [first, first])
    assert build_and_compare(project)[0] is False
    body = project.term(second).read_text().split("---\n", 2)[2]
    word = next(w for w in re.findall(r"[a-z]{6,}", body) if w not in project.term(second).read_text()[:200])
    new_term(project, "zz-mentioned", word.capitalize(), see_also=first)
    quick, reported = build_and_compare(project)
    assert not quick and any("listed twice" in line for line in reported)


def test_the_bodies_that_mention_an_added_term_are_found_on_a_second_process(tmp_path: Path) -> None:
    """The command, in a process of its own, looks for the new term's mentions on a forked one (in-process
    builds here share the test runner's threads, so they look for them in this process instead)."""
    project = new_project(tmp_path)
    command = [str(Path(sys.executable).parent / "glossary"), "build", str(project.root), "--cache-dir",
               str(project.cache)]
    assert subprocess.run([*command, "-o", str(project.out)], capture_output=True, check=False).returncode == 0
    word = "quorum"
    holders = [p for p in project.root.glob("content/*/*.md") if word in p.read_text().lower()]
    new_term(project, "zz-quorum", word.capitalize(), see_also=first_terms(project, 1)[0])
    built = subprocess.run([*command, "-o", str(project.out)], capture_output=True, text=True, check=False)
    assert built.returncode == 0 and "(quick:" in built.stdout, built.stdout + built.stderr
    clean = subprocess.run([*command, "-o", str(tmp_path / "clean")], capture_output=True, check=False)
    assert clean.returncode == 0 and contents(project.out) == contents(tmp_path / "clean")
    assert len(holders) > 10 and all("/terms/zz-quorum/" in (project.out / p.parent.name / p.stem / "index.html")
                                     .read_text() for p in holders if p.parent.name == "lessons")
