"""Edits to references (see-also, lessons, a lesson's terms, prerequisites) and classification (level, area,
tags) take the quick path (relink.py) and give what a clean build gives: the same files, the same warnings,
and untouched files keep their times.

Each build is compared with a clean build of the same project into a folder no build has used, reporting
the same problems.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from conftest import run_cli
from test_incremental import Project, add_redirect, contents, first_terms, new_project, snapshot


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return new_project(tmp_path)


_REPORTED = (": warning: ", ": error: ", ": note: ")


def _problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if any(kind in line for kind in _REPORTED)]


def build_and_compare(project: Project, *options: str) -> tuple[bool, list[str]]:
    """Whether the build was quick, and what it reported, which a clean build reports too; the output folder is
    then what the clean build wrote, and every file whose bytes did not change kept its modification time."""
    before = snapshot(project.out) if project.out.exists() else {}
    result = run_cli("build", project.root, "-o", project.out, "--cache-dir", project.cache, *options)
    project.last_output = result.stdout
    project.clean_builds += 1
    fresh = project.work / f"clean-{project.clean_builds}"
    clean = run_cli("build", project.root, "-o", fresh, "--cache-dir", project.cache, *options)
    reported = _problems(result.stdout + result.stderr)
    assert (result.exit_code, reported) == (clean.exit_code, _problems(clean.stdout + clean.stderr))
    if result.exit_code == 0:
        after = snapshot(project.out)
        assert contents(project.out) == contents(fresh)
        for name, (digest, mtime) in after.items():
            if name in before and before[name][0] == digest:
                assert before[name][1] == mtime, f"{name} was rewritten with the same bytes"
    return project.was_quick, reported


def listed(path: Path, field: str) -> list[str]:
    found = re.search(rf"^{field}: \[(.*)\]$", path.read_text(), re.M)
    return [item.strip() for item in found.group(1).split(",") if item.strip()] if found else []


def set_listed(path: Path, field: str, items: list[str]) -> None:
    """Write a front-matter list, adding the field (before see_also or prerequisites) when it is not there."""
    text = path.read_text()
    line = f"{field}: [{', '.join(items)}]"
    if re.search(rf"^{field}: \[", text, re.M):
        text = re.sub(rf"^{field}: \[.*\]$", line, text, count=1, flags=re.M)
    else:
        text = re.sub(r"^(see_also|prerequisites): ", lambda m: f"{line}\n{m.group(0)}", text, count=1, flags=re.M)
    path.write_text(text)


def set_field(path: Path, field: str, value: str) -> None:
    text, count = re.subn(rf"^{field}: .*$", f"{field}: {value}", path.read_text(), count=1, flags=re.M)
    assert count == 1, f"no {field} in {path}"
    path.write_text(text)


def field(path: Path, name: str) -> str:
    return re.search(rf"^{name}: (.*)$", path.read_text(), re.M).group(1)


def tag_uses(project: Project) -> dict[str, int]:
    uses: dict[str, int] = {}
    for path in project.root.glob("content/*/*.md"):
        for tag in listed(path, "tags"):
            uses[tag] = uses.get(tag, 0) + 1
    return uses


AREAS = ("architecture", "consistency", "networking", "storage", "caching", "messaging", "reliability",
         "security", "performance", "interfaces")
LEVELS = ("foundation", "intermediate", "advanced")


def set_lesson(path: Path, lesson: str | None) -> None:
    text = re.sub(r"^lesson: .*\n", "", path.read_text(), count=1, flags=re.M)
    if lesson is not None:
        text = text.replace("\nsee_also: ", f"\nlesson: {lesson}\nsee_also: ", 1)
    path.write_text(text)


def unlink(project: Project, target: str) -> None:
    """Take every see-also and lesson reference to a term away."""
    for path in project.root.glob("content/terms/*.md"):
        if target in listed(path, "see_also"):
            set_listed(path, "see_also", [t for t in listed(path, "see_also") if t != target])
    for path in project.root.glob("content/lessons/*.md"):
        if target in listed(path, "terms"):
            set_listed(path, "terms", [t for t in listed(path, "terms") if t != target])


def lessons_of(project: Project) -> list[str]:
    return sorted(p.stem for p in (project.root / "content" / "lessons").iterdir())


def test_reference_edits_take_the_quick_path(project: Project) -> None:
    build_and_compare(project)
    terms = first_terms(project, 120)
    first, second, third = terms[:3]

    # A new see-also: the target's "Referenced by" list grows.
    set_listed(project.term(first), "see_also", [second, *listed(project.term(first), "see_also")])
    assert build_and_compare(project) == (True, [])
    assert f"/terms/{first}/" in (project.out / "terms" / second / "index.html").read_text()

    # Every reference to a term taken away: it becomes an orphan, warned of at its title, as a clean build does.
    target = listed(project.term(third), "see_also")[0]
    unlink(project, target)
    quick, reported = build_and_compare(project)
    assert quick and len(reported) == 1 and f"no term or lesson links to '{target}'" in reported[0]
    assert build_and_compare(project) == (False, reported)  # up to date: the same warning

    set_listed(project.term(first), "see_also", [target, *listed(project.term(first), "see_also")])
    assert build_and_compare(project) == (True, [])  # linked again: the warning goes

    # A term's lessons: related lessons listed, the in-depth lesson moved and then dropped.
    lessons = lessons_of(project)
    set_listed(project.term(second), "related_lessons", [lessons[3], lessons[1]])
    assert build_and_compare(project) == (True, [])
    set_lesson(project.term(second), lessons[3])  # the in-depth lesson is not repeated among the related ones
    assert build_and_compare(project) == (True, [])
    set_lesson(project.term(second), None)
    assert build_and_compare(project) == (True, [])

    # A lesson's terms: the terms it covers list it among their lessons, easiest level first.
    set_listed(project.lesson(lessons[2]), "terms", [first, *listed(project.lesson(lessons[2]), "terms")])
    assert build_and_compare(project) == (True, [])

    # Prerequisites: "builds on it" and the learning paths change. Lesson 0 (foundation) came before lesson 10
    # (intermediate, in the same area) until it needs it.
    paths = project.out / "lessons" / "index.html"
    assert paths.read_text().index("/lessons/lesson-0/") < paths.read_text().index("/lessons/lesson-10/")
    early = "lesson-10"
    set_listed(project.lesson("lesson-0"), "prerequisites", [early])
    assert build_and_compare(project) == (True, [])
    assert paths.read_text().index("/lessons/lesson-10/") < paths.read_text().index("/lessons/lesson-0/")
    assert "/lessons/lesson-0/" in (project.out / "lessons" / early / "index.html").read_text()

    # Classification: a term's level moves it between level pages (and the area page's groups, the home page's
    # counts and the search names); its area, between area pages; a tag used elsewhere, onto that tag's page.
    level = field(project.term(first), "level")
    set_field(project.term(first), "level", next(other for other in LEVELS if other != level))
    assert build_and_compare(project) == (True, [])
    area = field(project.term(first), "area")
    set_field(project.term(first), "area", next(other for other in AREAS if other != area))
    assert build_and_compare(project) == (True, [])
    uses = tag_uses(project)
    shared = next(tag for tag, count in sorted(uses.items()) if count > 1 and tag not in listed(project.term(first),
                                                                                                "tags"))
    set_listed(project.term(first), "tags", [*listed(project.term(first), "tags"), shared])
    assert build_and_compare(project) == (True, [])
    assert f"/terms/{first}/" in (project.out / "tags" / shared / "index.html").read_text()
    set_listed(project.term(first), "tags", [tag for tag in listed(project.term(first), "tags") if tag != shared])
    assert build_and_compare(project) == (True, [])
    # A lesson's level reorders the lessons of every term it covers, easiest first: lesson 0 (foundation) and
    # lesson 5 (advanced) both cover a term with no in-depth lesson, until their levels swap.
    covered = terms[5]
    set_lesson(project.term(covered), None)
    for lesson in ("lesson-0", "lesson-5"):
        set_listed(project.lesson(lesson), "terms", [*listed(project.lesson(lesson), "terms"), covered])
    assert build_and_compare(project) == (True, [])
    page = project.out / "terms" / covered / "index.html"
    assert page.read_text().index("/lessons/lesson-0/") < page.read_text().index("/lessons/lesson-5/")
    set_field(project.lesson("lesson-0"), "level", "advanced")
    set_field(project.lesson("lesson-5"), "level", "foundation")
    assert build_and_compare(project) == (True, [])
    assert page.read_text().index("/lessons/lesson-5/") < page.read_text().index("/lessons/lesson-0/")

    # Two files at once, one with its definition edited too; then an edit only a full build takes.
    project.edit(project.term(third), "summary: ", "summary: Edited with its links. ")
    set_listed(project.term(third), "see_also", [second])
    set_listed(project.lesson(early), "terms", listed(project.lesson(early), "terms")[1:])
    assert build_and_compare(project) == (True, [])
    add_redirect(project.term(second), "terms/an-old-name/")
    assert build_and_compare(project) == (False, [])
    set_listed(project.term(second), "see_also", [third])  # quick again, from what the full build stored
    assert build_and_compare(project) == (True, [])


@pytest.mark.parametrize("edit", ["unknown", "repeated", "itself", "by-title", "cycle"])
def test_references_with_a_problem_take_the_full_build(project: Project, edit: str) -> None:
    """A problem with the new references is the full build's to report, as a clean build reports it."""
    build_and_compare(project)
    first, second = first_terms(project, 2)
    path = project.term(first)
    if edit == "unknown":
        set_listed(path, "see_also", ["no-such-term"])
    elif edit == "repeated":
        set_listed(path, "see_also", [second, second])
    elif edit == "itself":
        set_listed(path, "see_also", [first])
    elif edit == "by-title":
        title = re.search(r"^title: (.*)$", project.term(second).read_text(), re.M).group(1)
        set_listed(path, "see_also", [title])
    else:
        set_listed(project.lesson("lesson-0"), "prerequisites", ["lesson-1"])  # lesson-1 lists lesson-0
    quick, reported = build_and_compare(project)
    assert not quick and reported


def up_to_date(project: Project) -> bool:
    """Whether a build now finds nothing to do: what the last one recorded of the output folder holds."""
    result = run_cli("build", project.root, "-o", project.out, "--cache-dir", project.cache)
    return result.exit_code == 0 and "up to date" in result.stdout


def test_tag_pages_come_and_go_on_the_quick_path(project: Project) -> None:
    """A tag no entry used before brings its page, and the sitemap lists it; the last entry to drop a tag takes
    its page, its folder and its sitemap entry away. Both in one build too, and on a lesson."""
    build_and_compare(project)
    first, second = first_terms(project, 2)
    tag, page = "brand-new-tag", project.out / "tags" / "brand-new-tag" / "index.html"
    sitemap = project.out / "sitemap.xml"
    set_listed(project.term(first), "tags", [*listed(project.term(first), "tags"), tag])
    assert build_and_compare(project) == (True, [])
    assert page.is_file() and f"/tags/{tag}/" in sitemap.read_text() and f"/terms/{first}/" in page.read_text()
    assert "1 removed" not in project.last_output and up_to_date(project)
    set_listed(project.term(second), "tags", [tag, *listed(project.term(second), "tags")])
    assert build_and_compare(project) == (True, [])
    set_listed(project.term(first), "tags", [other for other in listed(project.term(first), "tags") if other != tag])
    assert build_and_compare(project) == (True, []) and page.is_file()
    set_listed(project.term(second), "tags", [other for other in listed(project.term(second), "tags") if other != tag])
    assert build_and_compare(project) == (True, [])
    assert not page.parent.exists() and f"/tags/{tag}/" not in sitemap.read_text()
    assert "1 removed" in project.last_output and up_to_date(project)
    # One tag's last use goes while a lesson brings another, in one build.
    uses = tag_uses(project)
    owner, last = next((path, found) for path in sorted(project.root.glob("content/terms/*.md"))
                       for found in listed(path, "tags") if uses[found] == 1)
    set_listed(owner, "tags", [other for other in listed(owner, "tags") if other != last])
    set_listed(project.lesson("lesson-3"), "tags", [*listed(project.lesson("lesson-3"), "tags"), "lesson-only-tag"])
    assert build_and_compare(project) == (True, [])
    assert not (project.out / "tags" / last).exists()
    assert "/lessons/lesson-3/" in (project.out / "tags" / "lesson-only-tag" / "index.html").read_text()
    assert up_to_date(project)


def test_a_new_tag_whose_page_a_redirect_holds_takes_the_full_build(project: Project) -> None:
    """A tag page would come where a redirect is: the full build reports the clash, as a clean build does."""
    first, second = first_terms(project, 2)
    project.edit(project.term(first), "see_also: ", "redirect_from: [tags/moved-here/]\nsee_also: ")
    build_and_compare(project)
    set_listed(project.term(second), "tags", [*listed(project.term(second), "tags"), "moved-here"])
    quick, reported = build_and_compare(project)
    assert not quick and reported


def test_under_strict_a_new_orphan_stops_the_build(project: Project) -> None:
    assert build_and_compare(project, "--strict") == (False, [])
    target = first_terms(project, 1)[0]
    unlink(project, target)
    quick, reported = build_and_compare(project, "--strict")
    assert not quick and len(reported) == 1 and ": error: " in reported[0] and target in reported[0]


def test_random_reference_edits_match_clean_builds(project: Project) -> None:
    """Seeded random edits to every kind of reference and classification, one or two files at a time: each build
    is quick and equals a clean one."""
    build_and_compare(project)
    rng = random.Random(8)
    terms, lessons = first_terms(project, 120), lessons_of(project)

    def edit_one() -> None:
        choice = rng.randrange(8)
        if choice >= 5:  # a level, an area, or a tag that another entry keeps using or already uses
            path = rng.choice([*map(project.term, terms), *map(project.lesson, lessons)])
            if choice == 5:
                set_field(path, "level", rng.choice(LEVELS))
            elif choice == 6:
                set_field(path, "area", rng.choice(AREAS))
            else:
                uses, own = tag_uses(project), listed(path, "tags")
                droppable = [tag for tag in own if uses[tag] > 1]
                if droppable and rng.random() < 0.5:
                    own.remove(rng.choice(droppable))
                else:
                    own.append(rng.choice(sorted(set(uses) - set(own))))
                set_listed(path, "tags", own)
            return
        if choice == 0:  # a term's see-also: one added, one dropped, or reordered
            slug = rng.choice(terms)
            items = listed(project.term(slug), "see_also")
            move = rng.randrange(3)
            if move == 0:
                items.insert(rng.randrange(len(items) + 1), rng.choice([t for t in terms
                                                                        if t != slug and t not in items]))
            elif move == 1 and items:
                items.pop(rng.randrange(len(items)))
            else:
                rng.shuffle(items)
            set_listed(project.term(slug), "see_also", items)
        elif choice == 1:
            slug = rng.choice(terms)
            set_listed(project.term(slug), "related_lessons", rng.sample(lessons, rng.randrange(3)))
        elif choice == 2:
            set_lesson(project.term(rng.choice(terms)), rng.choice([None, *lessons]))
        elif choice == 3:  # a lesson's terms
            slug = rng.choice(lessons)
            items = listed(project.lesson(slug), "terms")
            if items and rng.random() < 0.5:
                items.pop(rng.randrange(len(items)))
            else:
                items.append(rng.choice([t for t in terms if t not in items]))
            set_listed(project.lesson(slug), "terms", items)
        else:  # prerequisites on lessons numbered lower only, which can never form a cycle
            slug = rng.choice(lessons[1:])
            number = int(slug.split("-")[1])
            earlier = [les for les in lessons if int(les.split("-")[1]) < number]
            set_listed(project.lesson(slug), "prerequisites", rng.sample(earlier, min(len(earlier),
                                                                                      rng.randrange(3))))

    for _ in range(24):
        for _ in range(rng.choice((1, 1, 2))):
            edit_one()
        quick, reported = build_and_compare(project)
        assert quick, project.last_output
        assert all("orphan-term" in line or "no term or lesson links" in line for line in reported), reported


def test_a_concept_map_is_drawn_again_when_its_links_change(tmp_path: Path) -> None:
    """With concept maps on, a term whose see-also changed gets a new map, rendered by Mermaid in the quick
    build (the diagram cache lacks it), which shows the term it now links to."""
    project = new_project(tmp_path, terms=12)
    config = project.root / "glossary.yml"
    config.write_text(config.read_text().replace("concept_maps: false", "concept_maps: true"))
    build_and_compare(project)
    first, other = first_terms(project, 2)
    page = project.out / "terms" / first / "index.html"
    assert f"term_{other}" not in _concept_map(page)
    set_listed(project.term(first), "see_also", [other])
    assert build_and_compare(project) == (True, [])
    assert f"term_{other}" in _concept_map(page)


def _concept_map(page: Path) -> str:
    html = page.read_text()
    start = html.index('id="concept-map"')
    return html[start:html.index("</details>", start)]  # the figure and its Mermaid source
