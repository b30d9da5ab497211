"""A term's new title or aliases take the quick path (added_terms.with_names, quick_build): its names change,
every body that held an old name or holds a new one is rendered again, a [[link]] shown by its title shows the
new one, and the lists that show the term put it in its new place.

Each build is compared with a clean build of the same project (test_relink.build_and_compare).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from test_added_terms import new_term
from test_incremental import Project, add_redirect, first_terms, new_project
from test_relink import build_and_compare, field, listed, set_field


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return new_project(tmp_path)


def page_of(project: Project, path: Path) -> str:
    kind = "terms" if path.parent.name == "terms" else "lessons"
    return (project.out / kind / path.stem / "index.html").read_text()


def holders_of(project: Project, word: str) -> list[Path]:
    """The content files whose body holds `word` as a word."""
    return [path for path in sorted(project.root.glob("content/*/*.md"))
            if re.search(rf"\b{word}\b", path.read_text().split("---\n", 2)[2], re.I)]


def set_aliases(path: Path, aliases: list[str]) -> None:
    text = re.sub(r"^aliases: .*\n", "", path.read_text(), count=1, flags=re.M)
    line = f"aliases: [{', '.join(aliases)}]\n" if aliases else ""
    path.write_text(text.replace("\ntags:", f"\n{line}tags:", 1))


def test_a_retitled_term_takes_the_quick_path(project: Project) -> None:
    build_and_compare(project)
    first, second = first_terms(project, 2)
    lesson = project.lesson("lesson-2")
    # Another term's body and a lesson's quiz show the first term by its title, through [[slug]] links.
    project.edit(project.term(second), "## Why it exists\n\n", f"## Why it exists\n\nCompare [[{first}]]. ")
    project.edit(lesson, 'prompt: "', f'prompt: "After [[{first}]]: ')
    build_and_compare(project)

    # A title that bodies hold: each of them now links it, and the [[links]] show it.
    holders = [path for path in holders_of(project, "quorum") if path.stem != first]
    assert len(holders) > 10
    set_field(project.term(first), "title", "Quorum")
    assert build_and_compare(project) == (True, [])
    assert all(f"/terms/{first}/" in page_of(project, path) for path in holders if path.parent.name == "lessons")
    assert ">Quorum</a>" in page_of(project, project.term(second)) and ">Quorum</a>" in page_of(project, lesson)
    names = (project.out / "search" / "names.json").read_text()
    assert '"Quorum"' in names

    # Another title: the bodies that linked the old one link it no more.
    set_field(project.term(first), "title", "Zz Last In Order")
    assert build_and_compare(project) == (True, [])
    assert not any(f"/terms/{first}/" in page_of(project, path) for path in holders
                   if path.parent.name == "lessons" and first not in path.read_text())
    assert ">Zz Last In Order</a>" in page_of(project, project.term(second))


def test_aliases_added_and_dropped_take_the_quick_path(project: Project) -> None:
    build_and_compare(project)
    first = first_terms(project, 1)[0]
    holders = [path for path in holders_of(project, "lease") if path.stem != first]
    assert len(holders) > 10
    set_aliases(project.term(first), ["Lease", "Lease Holder"])
    assert build_and_compare(project) == (True, [])
    lessons = [path for path in holders if path.parent.name == "lessons"]
    assert lessons and all(f"/terms/{first}/" in page_of(project, path) for path in lessons)
    assert '"Lease Holder"' in (project.out / "search" / "names.json").read_text()
    set_aliases(project.term(first), [])
    assert build_and_compare(project) == (True, [])
    assert '"Lease Holder"' not in (project.out / "search" / "names.json").read_text()
    assert not any(f"/terms/{first}/" in page_of(project, path) for path in lessons
                   if first not in path.read_text())


def test_a_retitled_lesson_takes_the_quick_path(project: Project) -> None:
    """Its card shows the new title on every term page that lists it, and it moves in the learning paths, the
    area page and the search names."""
    build_and_compare(project)
    lesson = project.lesson("lesson-1")
    covered = listed(lesson, "terms")[0]
    project.edit(lesson, 'title: "', 'title: "Aa First Now: ')
    assert build_and_compare(project) == (True, [])
    assert "Aa First Now: " in page_of(project, project.term(covered))
    assert "Aa First Now: " in (project.out / "search" / "names.json").read_text()
    project.edit(lesson, 'title: "Aa First Now: ', 'title: "Zz Last Now: ')
    assert build_and_compare(project) == (True, [])


@pytest.mark.parametrize("case", ["clash", "linked-by-old-title", "lesson-redirect", "redirect", "by-name",
                                  "escaped-quiz-link"])
def test_a_rename_that_needs_the_full_build(project: Project, case: str) -> None:
    """A name another term holds, a [[link]] written with the old title (now unknown), a lesson and a term
    whose redirect pages show their titles, a reference by an alias that becomes the title (its note changes),
    and a quiz's [[link]] to an alias written with a YAML escape: the full build reports or makes them, as a
    clean build does."""
    build_and_compare(project)
    first, second = first_terms(project, 2)
    quiz = project.lesson("lesson-0")
    if case == "redirect":
        add_redirect(project.term(first), "terms/an-old-name/")
        build_and_compare(project)
        set_field(project.term(first), "title", "Moved And Renamed")
    elif case == "by-name":
        set_aliases(project.term(first), ["Zebra Thing"])
        project.edit(quiz, "terms: [", "terms: [Zebra Thing, ")
        assert any("by its alias" in line for line in build_and_compare(project)[1])
        set_aliases(project.term(first), [])
        set_field(project.term(first), "title", "Zebra Thing")
    elif case == "escaped-quiz-link":
        set_aliases(project.term(first), ["Zebra Thing"])
        project.edit(quiz, 'prompt: "', 'prompt: "After [[Ze\\x62ra Thing]]: ')
        assert build_and_compare(project)[1] == []
        set_aliases(project.term(first), ["Other Name"])
    elif case == "clash":
        set_field(project.term(first), "title", field(project.term(second), "title").upper())
    elif case == "linked-by-old-title":
        title = field(project.term(first), "title")
        project.edit(project.term(second), "## Why it exists\n\n", f"## Why it exists\n\nSee [[{title}]]. ")
        build_and_compare(project)
        set_field(project.term(first), "title", "Renamed Away")
    else:
        project.edit(project.lesson("lesson-1"), "\nterms: [", "\nredirect_from: [lessons/an-old-name/]\nterms: [")
        build_and_compare(project)
        project.edit(project.lesson("lesson-1"), 'title: "', 'title: "Renamed ')
    quick, reported = build_and_compare(project)
    assert not quick and (reported or case in ("lesson-redirect", "redirect"))


def test_with_concept_maps_a_new_title_takes_the_full_build_and_an_alias_does_not(tmp_path: Path) -> None:
    """A concept map shows the titles of a term's neighbours: the full build draws them again."""
    project = new_project(tmp_path, terms=12)
    config = project.root / "glossary.yml"
    config.write_text(config.read_text().replace("concept_maps: false", "concept_maps: true"))
    build_and_compare(project)
    first = first_terms(project, 1)[0]
    set_aliases(project.term(first), ["Another Name"])
    assert build_and_compare(project) == (True, [])
    set_field(project.term(first), "title", "Mapped Again")
    assert build_and_compare(project) == (False, [])
    project.edit(project.lesson("lesson-0"), 'title: "', 'title: "Mapped ')  # maps show lessons' titles too
    assert build_and_compare(project) == (False, [])


def test_random_renames_match_clean_builds(project: Project) -> None:
    """Seeded rounds of titles and aliases changed, some of them words that bodies hold, with a term added now
    and then: each build is quick and equals a clean one."""
    build_and_compare(project)
    rng = random.Random(5)
    terms = first_terms(project, 120)
    words = ["quorum", "lease", "replica", "shard", "canary", "tenant", "rollback", "gateway", "snapshot"]
    used: set[str] = set()

    def fresh_name() -> str:
        while True:
            name = (rng.choice(words).title() if rng.random() < 0.4
                    else f"{rng.choice(words).title()} {rng.choice(words).title()} {rng.randrange(1000)}")
            if name.casefold() not in used:
                used.add(name.casefold())
                return name

    for round_number in range(14):
        for _ in range(rng.choice((1, 1, 2))):
            path = project.term(rng.choice(terms))
            choice = rng.randrange(3)
            if choice == 0:
                set_field(path, "title", fresh_name())
            elif choice == 1:
                set_aliases(path, [fresh_name() for _ in range(rng.randrange(3))])
            else:
                new_term(project, f"zz-added-{round_number}", fresh_name(), see_also=rng.choice(terms))
        quick, reported = build_and_compare(project)
        assert quick, project.last_output
        assert all("no term or lesson links" in line for line in reported), reported
