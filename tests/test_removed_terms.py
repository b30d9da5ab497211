"""A term file that goes takes the quick path (quick_build._remove, relink.py): its page, its folder and its
sitemap entry go, its names are given up (the bodies that mentioned it link it no more), and the lists that
showed it close up; each build equals a clean one, warnings included.

Each build is compared with a clean build of the same project (test_relink.build_and_compare).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from test_added_terms import new_term
from test_incremental import Project, add_redirect, first_terms, new_project
from test_relink import build_and_compare, field, listed, set_field, set_listed, tag_uses, up_to_date
from test_renamed_terms import holders_of, page_of, set_aliases


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return new_project(tmp_path)


def drop_references(project: Project, slug: str) -> None:
    """Every see-also and every lesson's terms without `slug`, as a contributor leaves them when removing it."""
    for path in sorted(project.root.glob("content/*/*.md")):
        kind = "see_also" if path.parent.name == "terms" else "terms"
        items = listed(path, kind)
        if slug in items:
            set_listed(path, kind, [item for item in items if item != slug])


def test_a_removed_term_takes_the_quick_path(project: Project) -> None:
    build_and_compare(project)
    first, second = first_terms(project, 2)
    # A title that bodies mention, and a tag only this term has: both go with it.
    set_field(project.term(first), "title", "Quorum")
    set_listed(project.term(first), "tags", [*listed(project.term(first), "tags"), "only-on-first"])
    build_and_compare(project)
    holders = [path for path in holders_of(project, "quorum") if path.stem != first and path.parent.name == "lessons"]
    assert holders and all(f"/terms/{first}/" in page_of(project, path) for path in holders)

    project.term(first).unlink()
    drop_references(project, first)
    quick, reported = build_and_compare(project)
    assert quick, project.last_output
    assert not (project.out / "terms" / first).exists() and not (project.out / "tags" / "only-on-first").exists()
    assert f"/terms/{first}/" not in (project.out / "sitemap.xml").read_text()
    assert f'"{first}"' not in (project.out / "search" / "names.json").read_text()
    assert not any(f"/terms/{first}/" in page_of(project, path) for path in holders)
    assert "removed" in project.last_output and up_to_date(project)

    # Back again, as a new term; then another one goes.
    new_term(project, first, "Quorum", see_also=second)
    assert build_and_compare(project)[0] is True
    project.term(first).unlink()
    assert build_and_compare(project)[0] is True and up_to_date(project)


@pytest.mark.parametrize("case", ["still-listed", "wikilinked", "links-others", "redirect", "lesson",
                                  "broken-link"])
def test_a_removal_that_needs_the_full_build(project: Project, case: str) -> None:
    """A see-also that still lists the term, a [[link]] to it, a term whose own [[links]] kept others from
    being orphans, a term with a redirect, a lesson, and a term file made a broken link (no stat, but there):
    the full build reports or makes them, as a clean build does."""
    first, second = first_terms(project, 2)
    if case == "wikilinked":
        project.edit(project.term(second), "## Why it exists\n\n", f"## Why it exists\n\nSee [[{first}]]. ")
    elif case == "links-others":
        project.edit(project.term(first), "## Why it exists\n\n", f"## Why it exists\n\nSee [[{second}]]. ")
    elif case == "redirect":
        add_redirect(project.term(first), "terms/an-old-name/")
    build_and_compare(project)
    if case == "lesson":
        project.lesson("lesson-7").unlink()
        for path in sorted(project.root.glob("content/*/*.md")):
            for kind in ("prerequisites", "related_lessons"):
                if "lesson-7" in listed(path, kind):
                    set_listed(path, kind, [item for item in listed(path, kind) if item != "lesson-7"])
    else:
        project.term(first).unlink()
        if case != "still-listed":
            drop_references(project, first)
        if case == "broken-link":  # no stat, but still there: a clean build reports it
            project.term(first).symlink_to(project.work / "nowhere.md")
    quick, reported = build_and_compare(project)
    assert not quick and (reported or case in ("links-others", "redirect", "lesson"))


def test_random_removals_and_additions_match_clean_builds(project: Project) -> None:
    """Seeded rounds of terms removed (their references dropped), added back and renamed: each build is quick
    and equals a clean one, and a tag whose last term goes takes its page with it."""
    build_and_compare(project)
    rng = random.Random(11)
    removed: list[tuple[str, str]] = []  # (slug, title)
    for round_number in range(10):
        present = first_terms(project, 200)
        choice = rng.randrange(3)
        if choice == 0 or not removed:
            slug = rng.choice(present)
            if rng.random() < 0.5:  # a tag only it has
                set_listed(project.term(slug), "tags", [f"gone-with-{slug}"])
                build_and_compare(project)
            removed.append((slug, field(project.term(slug), "title")))
            project.term(slug).unlink()
            drop_references(project, slug)
        elif choice == 1:
            slug, title = removed.pop(rng.randrange(len(removed)))
            new_term(project, slug, title, see_also=rng.choice(present))
        else:
            set_aliases(project.term(rng.choice(present)), [f"Alias Round {round_number}"])
        quick, reported = build_and_compare(project)
        assert quick, project.last_output
        assert all("no term or lesson links" in line for line in reported), reported
    assert up_to_date(project) and tag_uses(project)


def test_a_page_that_would_still_show_a_removed_term_takes_the_full_build(project: Project,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Were a body that links the removed term missed by the scan for its names, the page showing that body
    is not left as it was: the quick build checks every page that used the term's parts, and gives up."""
    from glossary_ssg import quick_build

    build_and_compare(project)
    first = first_terms(project, 1)[0]
    set_field(project.term(first), "title", "Quorum")
    build_and_compare(project)
    monkeypatch.setattr(quick_build, "files_mentioning", lambda *args: {})
    project.term(first).unlink()
    drop_references(project, first)
    assert build_and_compare(project)[0] is False
