"""Incremental builds give exactly what a clean build gives, and touch only the files whose bytes change.

A synthetic glossary (bench/generate.py, no diagrams) goes through a sequence of
edits; after each, the incrementally updated folder is compared file by file
with a clean build of the same project into a folder no build has used.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from glossary_ssg.writer import output_tree

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

TERMS = ROOT / "themes" / "default" / "templates"


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Output path -> (content digest, modification time)."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def contents(folder: Path) -> dict[str, str]:
    return {name: digest for name, (digest, _) in snapshot(folder).items()}


class Project:
    def __init__(self, root: Path, work: Path):
        self.root, self.work = root, work
        self.out = work / "site"
        self.clean_builds = 0
        self.cache = work / "cache"  # its own, so a clean build shares nothing with the incremental one
        self.last_output = ""

    def build(self) -> str:
        result = run_cli("build", self.root, "-o", self.out, "--cache-dir", self.cache)
        assert result.exit_code == 0, result.stdout + result.stderr
        self.last_output = result.stdout
        return result.stdout

    def clean_build(self) -> dict[str, str]:
        self.clean_builds += 1
        fresh = self.work / f"clean-{self.clean_builds}"
        result = run_cli("build", self.root, "-o", fresh, "--cache-dir", self.cache)
        assert result.exit_code == 0, result.stdout + result.stderr
        return contents(fresh)

    def term(self, slug: str) -> Path:
        return self.root / "content" / "terms" / f"{slug}.md"

    def lesson(self, slug: str) -> Path:
        return self.root / "content" / "lessons" / f"{slug}.md"

    @property
    def was_quick(self) -> bool:
        return "(quick:" in self.last_output

    def edit(self, path: Path, old: str, new: str, count: int = 1) -> None:
        text = path.read_text()
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, count))


def new_project(tmp_path: Path, terms: int = 120) -> Project:
    root = tmp_path / "glossary"
    generate(terms, root, diagrams=False)
    return Project(root, tmp_path)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return new_project(tmp_path)


def first_terms(project: Project, count: int) -> list[str]:
    return sorted(p.stem for p in (project.root / "content" / "terms").iterdir())[:count]


def step(project: Project, before: dict[str, tuple[str, int]]) -> dict[str, tuple[str, int]]:
    """Rebuild incrementally; the result must equal a clean build, and exactly the files whose bytes changed
    (new ones included) are written: every other file keeps its modification time."""
    project.build()
    after = snapshot(project.out)
    assert {name: digest for name, (digest, _) in after.items()} == project.clean_build()
    for name, (digest, mtime) in after.items():
        if name in before and before[name][0] == digest:
            assert before[name][1] == mtime, f"{name} was rewritten with the same bytes"
    return after


def test_a_sequence_of_edits_matches_clean_builds(project: Project) -> None:
    project.build()
    state = snapshot(project.out)
    first, second, third = first_terms(project, 3)

    # A definition: its page, the pages that list it and the search data change; nothing else.
    project.edit(project.term(first), "summary: ", "summary: Freshly edited. ")
    changed_before = state
    state = step(project, state)
    rewritten = {name for name in state if changed_before.get(name, ("", 0))[0] != state[name][0]}
    assert f"terms/{first}/index.html" in rewritten and "search/text.json" in rewritten
    assert len(rewritten) < len(state) // 10

    # Rename a slug: the file moves and every reference to it follows.
    renamed = "renamed-entry"
    project.term(second).rename(project.term(renamed))
    for path in project.root.glob("content/*/*.md"):
        text = path.read_text()
        if re.search(rf"\b{second}\b", text):
            path.write_text(re.sub(rf"\b{second}\b", renamed, text))
    state = step(project, state)
    assert f"terms/{second}/index.html" not in state and f"terms/{renamed}/index.html" in state

    # Delete a term, and the references to it.
    project.term(third).unlink()
    for path in project.root.glob("content/*/*.md"):
        text = path.read_text()
        cleaned = re.sub(rf"(, )?\b{third}\b(, )?", lambda m: ", " if m.group(1) and m.group(2) else "", text)
        if cleaned != text:
            path.write_text(cleaned)
    state = step(project, state)
    assert f"terms/{third}/index.html" not in state

    # Add a see-also: the new target's "Referenced by" list grows.
    others = first_terms(project, 12)[6:]
    project.edit(project.term(others[0]), "see_also: [", f"see_also: [{others[5]}, ")
    state = step(project, state)

    # Change a template: every page made from it changes, the rest stay.
    theme = project.root / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    template = (TERMS / "term.html").read_text()
    (theme / "term.html").write_text(template.replace('<p class="kicker">Glossary term</p>',
                                                      '<p class="kicker">Entry</p>'))
    before_template = state
    state = step(project, state)
    rewritten = {name for name in state if before_template.get(name, ("", 0))[0] != state[name][0]}
    assert rewritten == {name for name in state if name.startswith("terms/")}

    # Change the config: the site title is on every page.
    project.edit(project.root / "glossary.yml", "title: Synthetic Glossary", "title: Renamed Glossary")
    state = step(project, state)


def rewritten(before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]]) -> set[str]:
    return {name for name in after if before.get(name, ("", 0))[0] != after[name][0]}


def test_definitions_bodies_and_quizzes_are_rebuilt_from_the_snapshot(project: Project) -> None:
    """Edits that leave every entry's outline alone take the quick path, and still equal clean builds."""
    project.build()
    state = snapshot(project.out)
    first, second = first_terms(project, 2)

    project.edit(project.term(first), "summary: ", "summary: Quickly edited. ")
    before, state = state, step(project, state)
    assert project.was_quick
    changed = rewritten(before, state)
    assert {f"terms/{first}/index.html", "index.html", "search/text.json"} <= changed
    assert "search/names.json" not in changed and len(changed) < 30

    # A definition that grows a line moves everything after it: positions are not part of the outline.
    project.edit(project.term(first), "summary: Quickly edited. ", "summary: >-\n  Folded over\n  two lines. ")
    state = step(project, state)
    assert project.was_quick

    # A body: only the term's own page (its Markdown is rendered again).
    project.edit(project.term(second), "## Trade-offs\n\n", "## Trade-offs\n\nA new *first* sentence. ")
    before, state = state, step(project, state)
    assert project.was_quick and rewritten(before, state) == {f"terms/{second}/index.html"}

    # A lesson's quiz and definition.
    project.edit(project.lesson("lesson-1"), 'prompt: "', 'prompt: "Newly asked: ')
    before, state = state, step(project, state)
    assert project.was_quick and rewritten(before, state) == {"lessons/lesson-1/index.html"}
    project.edit(project.lesson("lesson-1"), "summary: ", "summary: Re-summarised. ")
    state = step(project, state)
    assert project.was_quick

    # Two files at once.
    project.edit(project.term(first), "two lines. ", "two lines, again. ")
    project.edit(project.term(second), "A new *first*", "A newer *first*")
    state = step(project, state)
    assert project.was_quick


def test_a_snapshot_whose_content_could_not_be_written_early_is_written_whole_after_the_pages(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build writes the snapshot's parts and entries on a second process while the pages render
    (site_snapshot.save_content). If that fails, the snapshot is written whole after the pages, and quick
    builds start from it as they would have."""
    import sqlite3

    from glossary_ssg.snapshot import Snapshot

    def failing(self, parts, entries, facts):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Snapshot, "write_content", failing)  # the forked process has it too
    project.build()
    monkeypatch.undo()
    state = snapshot(project.out)
    (first,) = first_terms(project, 1)
    project.edit(project.term(first), "summary: ", "summary: Quickly edited. ")
    state = step(project, state)
    assert project.was_quick
    project.edit(project.term(first), "## Trade-offs\n\n", "## Trade-offs\n\nA new *first* sentence. ")
    step(project, state)
    assert project.was_quick


def test_a_first_build_that_fails_in_its_pages_leaves_no_process_and_a_snapshot_written_again(
        project: Project) -> None:
    """The snapshot's content is written on a second process while the pages render; a template error there
    stops that process too, and the snapshot it left (with no generation) is written whole by the next
    build, from which quick builds start as usual."""
    theme = project.root / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    (theme / "term.html").write_text((TERMS / "term.html").read_text().replace(
        "<h1>", "<h1>{{ term.title.no_such_method() }}", 1))
    before = _children()
    result = run_cli("build", project.root, "-o", project.out, "--cache-dir", project.cache)
    assert result.exit_code == 1 and "term.html" in result.stdout + result.stderr
    assert _children() == before  # nothing forked by the build is left, running or unreaped
    (theme / "term.html").unlink()
    project.build()
    state = snapshot(project.out)
    (first,) = first_terms(project, 1)
    project.edit(project.term(first), "summary: ", "summary: Quickly edited. ")
    step(project, state)
    assert project.was_quick


def _children() -> set[str]:
    """This process's children, unreaped ones included (Linux lists them per thread)."""
    tasks = Path(f"/proc/{os.getpid()}/task")
    return {pid for task in tasks.iterdir() for pid in (task / "children").read_text().split()}


def test_a_full_build_drops_what_quick_builds_recorded(project: Project) -> None:
    """A card a quick build changed, then changed back before a full build, must not come back from the
    snapshot; nor must card HTML a quick build made with templates changed since."""
    project.build()
    state = snapshot(project.out)
    first, second = first_terms(project, 2)
    original = project.term(first).read_text()
    project.edit(project.term(first), "summary: ", "summary: Briefly different. ")
    state = step(project, state)
    assert project.was_quick
    project.term(first).write_text(original)  # back as it was, with a change only a full build takes
    project.edit(project.root / "glossary.yml", "title: Synthetic Glossary", "# a comment\ntitle: Synthetic Glossary")
    state = step(project, state)
    assert not project.was_quick
    project.edit(project.term(second), "summary: ", "summary: Second edit. ")
    state = step(project, state)
    assert project.was_quick

    project.edit(project.term(first), "summary: ", "summary: Briefly different. ")
    state = step(project, state)  # the quick build stores this card's HTML
    theme = project.root / "themes" / "default" / "templates" / "partials"
    theme.mkdir(parents=True)
    (theme / "cards.html").write_text((TERMS / "partials" / "cards.html").read_text().replace(
        '<li class="card card-{{ item.kind }}">', '<li class="card card-{{ item.kind }} themed">'))
    state = step(project, state)
    project.edit(project.term(second), "summary: Second edit. ", "summary: Third edit. ")
    step(project, state)
    assert project.was_quick


def add_redirect(path: Path, old_path: str) -> None:
    """A redirect_from (a page that comes, with a path of its own): an edit only the full build takes."""
    text = path.read_text()
    assert "redirect_from:" not in text
    path.write_text(text.replace("\ntags:", f"\nredirect_from: [{old_path}]\ntags:", 1))


@pytest.mark.parametrize("edit", ["redirect", "wikilink", "warning"])
def test_edits_that_change_the_graph_take_the_full_build(project: Project, edit: str) -> None:
    project.build()
    state = snapshot(project.out)
    first, other = first_terms(project, 2)
    path = project.term(first)
    if edit == "redirect":
        add_redirect(path, "terms/an-old-name/")
    elif edit == "wikilink":  # which terms are orphans depends on [[links]]
        project.edit(path, "## Example\n\n", f"## Example\n\nSee [[{other}]]. ")
    else:  # a repeated see-also: a warning, and a see-also list that changed
        project.edit(path, "see_also: [", f"see_also: [{other}, {other}, ")
    step(project, state)
    assert not project.was_quick


def test_a_build_with_errors_leaves_the_site_and_the_quick_path(project: Project) -> None:
    project.build()
    before = snapshot(project.out)
    path = project.term(first_terms(project, 1)[0])
    original = path.read_text()
    path.write_text(original.replace("level: ", "level: unheard-of-", 1))
    result = run_cli("build", project.root, "-o", project.out, "--cache-dir", project.cache)
    assert result.exit_code == 1 and "unheard-of" in result.stdout + result.stderr
    assert snapshot(project.out) == before
    path.write_text(original.replace("summary: ", "summary: Fixed. ", 1))
    project.build()
    assert project.was_quick
    assert contents(project.out) == project.clean_build()


def _problems(project: Project, out: Path, cache: Path, *options: str) -> tuple[int, list[str]]:
    result = run_cli("build", project.root, "-o", out, "--cache-dir", cache, *options)
    project.last_output = result.stdout
    return result.exit_code, [line for line in (result.stdout + result.stderr).splitlines() if ": warning: " in line]


def test_a_warning_of_the_file_s_own_keeps_the_quick_path(project: Project) -> None:
    """A definition that is too long is a warning from validating the file alone: a quick build makes it
    again and reports it as a clean build does, and drops it once the definition is short again."""
    project.build()
    state = snapshot(project.out)
    path = project.term(first_terms(project, 1)[0])
    clean = [0]

    def clean_warnings() -> list[str]:
        clean[0] += 1
        return _problems(project, project.work / f"warned-{clean[0]}", project.work / f"warned-cache-{clean[0]}")[1]

    project.edit(path, "summary: ", "summary: " + "A definition that goes on and on. " * 10)
    code, warnings = _problems(project, project.out, project.cache)
    assert code == 0 and project.was_quick
    assert len(warnings) == 1 and "more than 300" in warnings[0] and warnings == clean_warnings()
    assert contents(project.out) == project.clean_build()

    project.edit(path, "summary: ", "summary: Still far too long. ")  # quick again, with the new length
    code, again = _problems(project, project.out, project.cache)
    assert code == 0 and project.was_quick and again != warnings and again == clean_warnings()
    assert _problems(project, project.out, project.cache)[1] == again  # up to date: the same warning

    strict_code, _ = _problems(project, project.out, project.cache, "--strict")
    assert strict_code == 1  # under --strict the warning is an error, as in a full build

    project.edit(path, "Still far too long. " + "A definition that goes on and on. " * 10, "Short again. ")
    code, fixed = _problems(project, project.out, project.cache)
    assert code == 0 and project.was_quick and fixed == [] == clean_warnings()
    state = step(project, state)


def test_a_new_orphan_term_with_unknown_code_keeps_the_quick_path(project: Project) -> None:
    """A term just added is an orphan until another links to it, and its code may be in a language Pygments
    does not know: neither warning can change with an edit the quick path takes (one to the file's outline or
    [[links]] does not), so each is made again, where it now is, as a clean build makes it."""
    project.build()
    target = first_terms(project, 1)[0]
    path = project.term("zz-orphan")
    path.write_text("---\n# a comment line: it moves the title, not the outline\ntitle: Zz Orphan\n"
                    f"summary: Nothing links here yet.\nlevel: foundation\narea: networking\nsee_also: [{target}]\n"
                    "---\nA body.\n\n```python\nx = 1\n```\n")
    clean = [0]

    def build_and_compare(*quick: bool) -> list[str]:
        code, warnings = _problems(project, project.out, project.cache)
        assert code == 0 and project.was_quick in quick
        clean[0] += 1
        fresh = project.work / f"orphan-{clean[0]}"
        assert warnings == _problems(project, fresh, project.work / f"orphan-cache-{clean[0]}")[1]
        assert contents(project.out) == contents(fresh)
        return warnings

    warnings = build_and_compare(True)  # a new term file: quick too (added_terms.py)
    assert [w.split(": warning: ")[0] for w in warnings] == ["content/terms/zz-orphan.md:3:8"]
    project.edit(path, "Nothing links here yet.", "Still nothing links here.")
    assert build_and_compare(True) == warnings
    project.edit(path, "# a comment line", "# two comment lines\n# a comment line")
    moved = build_and_compare(True)
    assert [w.split(": warning: ")[0] for w in moved] == ["content/terms/zz-orphan.md:4:8"]

    project.edit(path, "```python", "```nosuchlanguage")
    languages = build_and_compare(True)
    assert len(languages) == 2 and any("unknown code language 'nosuchlanguage'" in w for w in languages)
    project.edit(path, "A body.", "A body\nthat grew a line.")
    grown = build_and_compare(True)
    assert grown != languages and len(grown) == 2
    assert _problems(project, project.out, project.cache, "--strict")[0] == 1  # warnings are errors there
    project.edit(path, "```nosuchlanguage", "```python")
    assert build_and_compare(True) == moved

    other = project.term(first_terms(project, 2)[1])
    project.edit(other, "see_also: [", "see_also: [zz-orphan, ")  # now linked: its warning goes (relink.py)
    assert build_and_compare(True) == []
    project.edit(path, "Still nothing links here.", "Linked at last.")
    assert build_and_compare(True) == []


def test_a_quick_build_imports_neither_markdown_nor_the_diagram_engine(project: Project) -> None:
    """A definition edit renders no Markdown, so the quick build must not import it (or Pygments, or the
    pool the diagram renderer uses), even to load a lesson's stored quiz: they would be a large part of its
    time. Run as the command runs, in a process of its own."""
    project.build()
    project.edit(project.term(first_terms(project, 1)[0]), "summary: ", "summary: Quick. ")
    script = ("import sys; from glossary_ssg.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(sorted(name for name in ('markdown', 'pygments', 'multiprocessing') if name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script, "build", str(project.root), "-o", str(project.out),
                             "--cache-dir", str(project.cache)], capture_output=True, text=True, check=True)
    assert "(quick:" in result.stdout and result.stdout.strip().endswith("[]"), result.stdout + result.stderr
    assert contents(project.out) == project.clean_build()


def test_a_snapshot_from_elsewhere_is_never_unpickled(project: Project) -> None:
    """Rows the user's key did not sign are ignored, like the other cache files: the full build runs."""
    import sqlite3
    project.build()
    marker = project.work / "pwned-snapshot"
    payload = b"\0" * 32 + pickle.dumps(_Exploit(str(marker)))
    (database,) = (project.cache / "builds").glob("*/snapshot.sqlite")
    with sqlite3.connect(database) as db:
        db.execute("UPDATE parts SET value = ?", (payload,))
        db.execute("UPDATE entries SET record = ?", (payload,))
        db.execute("UPDATE facts SET value = ?", (payload,))
        db.execute("UPDATE pages SET recipe = ?", (payload,))
    project.edit(project.term(first_terms(project, 1)[0]), "summary: ", "summary: Again. ")
    project.build()
    assert not marker.exists() and not project.was_quick
    assert contents(project.out) == project.clean_build()
    project.edit(project.term(first_terms(project, 1)[0]), "summary: Again. ", "summary: Once more. ")
    project.build()  # the full build wrote the snapshot again
    assert project.was_quick
    assert contents(project.out) == project.clean_build()


def test_a_key_another_build_made_meanwhile_is_the_one_kept(tmp_path: Path, monkeypatch) -> None:
    """Two first builds at once (the workers of `make test` on a new machine) each make a key: the second
    to write it must take the first's, or the states it signs are refused by every later build."""
    from glossary_ssg import build_state
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "glossary-ssg" / "build-cache.key"
    other = os.urandom(64)
    made_by_us = build_state.new_file

    def another_build_writes_first(folder, prefix):
        path.write_bytes(other)  # after this build found no key, before it writes its own
        return made_by_us(folder, prefix)

    monkeypatch.setattr(build_state, "new_file", another_build_writes_first)
    build_state._signing_key.cache_clear()
    try:
        assert build_state._signing_key() == other
        assert path.read_bytes() == other
        assert [file.name for file in path.parent.iterdir()] == ["build-cache.key"]  # no temporary left
        path.write_bytes(b"damaged")
        build_state._signing_key.cache_clear()
        monkeypatch.setattr(build_state, "new_file", made_by_us)
        key = build_state._signing_key()
        assert len(key) == 64 and path.read_bytes() == key
    finally:
        build_state._signing_key.cache_clear()  # the suite's own key again, for later tests


def test_a_full_rebuild_that_adds_and_removes_folders_leaves_nothing_to_do(project: Project) -> None:
    """A full build into its own folder looks again only at the files it wrote or removed and the folders
    holding them: what it records must be the folder as it is, or the next build would not be up to date."""
    project.build()
    first = first_terms(project, 1)[0]
    added = project.term("zz-added")
    added.write_text(f"---\ntitle: Zz Added\nsummary: Added.\nlevel: foundation\narea: networking\n"
                     f"redirect_from: [terms/zz-old/]\nsee_also: [{first}]\n---\nA body.\n")
    state = step(project, snapshot(project.out))  # a new term and a redirect: new folders, and the full build
    assert "terms/zz-added/index.html" in state and not project.was_quick
    assert project.build().startswith("up to date")
    added.unlink()
    state = step(project, state)  # its folder removed
    assert "terms/zz-added/index.html" not in state and not (project.out / "terms" / "zz-added").exists()
    assert project.build().startswith("up to date")


def test_an_unchanged_project_is_not_rebuilt(project: Project) -> None:
    project.build()
    before = snapshot(project.out)
    output = project.build()
    assert output.startswith("up to date")
    assert snapshot(project.out) == before


def test_a_touched_file_rewrites_nothing(project: Project) -> None:
    project.build()
    before = snapshot(project.out)
    path = project.term(first_terms(project, 1)[0])
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    output = project.build()
    assert "0 written" in output
    assert snapshot(project.out) == before


def test_same_size_edit_within_the_clock_resolution_is_seen(project: Project) -> None:
    """An edit that keeps the size and the modification time is still found by its content."""
    project.build()
    path = project.term(first_terms(project, 1)[0])
    stat = path.stat()
    text = path.read_text()
    path.write_text(text.replace("summary: ", "summary: X", 1).replace("## Why", "# Why", 1))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    project.build()
    assert contents(project.out) == project.clean_build()


def test_outputs_changed_by_hand_are_repaired(project: Project) -> None:
    project.build()
    home = project.out / "index.html"
    home.write_text("changed by hand")
    (project.out / "stray.html").write_text("not ours")
    shutil.rmtree(project.out / "areas")
    project.build()
    assert contents(project.out) == project.clean_build()


def see_also_after_a_first_build(project: Project, seen: list) -> tuple[str, str, str]:
    """A first build, then the first term's see-also given the third, and a redirect (an edit only a full
    build takes), built with `seen` emptied just before it: the first three terms."""
    project.build()
    first, second, third = first_terms(project, 3)
    project.edit(project.term(first), "see_also: [", f"see_also: [{third}, ")
    add_redirect(project.term(first), "terms/an-old-name/")
    seen.clear()
    project.build()
    assert not project.was_quick
    return first, second, third


def test_a_full_build_lists_the_output_folder_only_when_it_is_not_as_recorded(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit that changes the graph, with the outputs as the last build left them, takes the output tree
    from the build state; one made after a file was changed by hand lists the folder and repairs the file."""
    from glossary_ssg import full_build

    listed = []

    def counted(output_dir):
        listed.append(output_dir)
        return output_tree(output_dir)

    monkeypatch.setattr(full_build, "output_tree", counted)
    first, second, third = see_also_after_a_first_build(project, listed)
    assert listed == []
    assert contents(project.out) == project.clean_build()
    listed.clear()
    (project.out / "index.html").write_text("changed by hand")
    project.edit(project.term(second), "see_also: [", f"see_also: [{third}, ")
    project.build()
    assert listed == [project.out]
    assert contents(project.out) == project.clean_build()


def test_a_full_build_writes_again_only_the_entry_records_that_changed(
        project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entry records are compared with the snapshot's by their pickles: a see-also edit changes the record of
    the term edited and at most that of the term it now links (no longer an orphan), and a full build after
    nothing but a template comment changes none."""
    from glossary_ssg.snapshot import Snapshot

    written: list[set[str]] = []
    update = Snapshot.update

    def recorded(self, *args, **kwargs):
        written.append(set(inspect.signature(update).bind(self, *args, **kwargs).arguments.get("entries") or ()))
        return update(self, *args, **kwargs)

    monkeypatch.setattr(Snapshot, "update", recorded)
    first, _, third = see_also_after_a_first_build(project, written)
    assert f"content/terms/{first}.md" in written[-1] and written[-1] <= {
        f"content/terms/{first}.md", f"content/terms/{third}.md"}
    theme = project.root / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    (theme / "term.html").write_text((TERMS / "term.html").read_text() + "{# a comment #}\n")
    written.clear()
    project.build()
    assert not project.was_quick and written == [set()]
    assert contents(project.out) == project.clean_build()


def test_entry_records_stay_as_stored_across_processes(project: Project) -> None:
    """A record pickles the same in every process, whatever its hash seed (its [[links]] are a sorted
    tuple, not a set), so a full build in a new process that changes no entry rewrites none of their rows
    (a replaced row gets a new rowid)."""
    import sqlite3

    first, second, third = first_terms(project, 3)
    project.edit(project.term(first), "## Trade-offs\n\n", f"## Trade-offs\n\nSee [[{second}]] and [[{third}]]. ")
    command = [str(Path(sys.executable).parent / "glossary"), "build", str(project.root), "-o", str(project.out),
               "--cache-dir", str(project.cache)]

    def rows() -> dict[str, int]:
        (database,) = project.cache.glob("builds/*/snapshot.sqlite")
        with sqlite3.connect(database) as db:
            return dict(db.execute("SELECT source, rowid FROM entries"))

    stored = []
    for seed, comment in (("1", ""), ("2", "{# a comment #}\n")):
        if comment:
            theme = project.root / "themes" / "default" / "templates"
            theme.mkdir(parents=True)
            (theme / "term.html").write_text((TERMS / "term.html").read_text() + comment)
        result = subprocess.run(command, capture_output=True, text=True, check=False,
                                env={**os.environ, "PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stdout + result.stderr
        stored.append(rows())
    assert stored[0] == stored[1] and len(stored[0]) > 100


def test_a_corrupt_build_state_is_a_clean_build(project: Project) -> None:
    project.build()
    for state in (project.cache / "builds").glob("*/*.pickle"):
        state.write_bytes(b"not a pickle")
    project.edit(project.term(first_terms(project, 1)[0]), "summary: ", "summary: Again. ")
    project.build()
    assert contents(project.out) == project.clean_build()


def test_parallel_and_single_process_builds_are_identical(tmp_path: Path) -> None:
    """Enough pages for two worker processes: forked rendering gives the same bytes, in the same files."""
    root = tmp_path / "glossary"
    generate(500, root, diagrams=False)
    for jobs in ("1", "2"):  # in a process of its own: the test runner's threads would rule out forking
        result = subprocess.run([str(Path(sys.executable).parent / "glossary"), "build", str(root), "-o",
                                 str(tmp_path / f"site-{jobs}"), "-j", jobs, "--cache-dir", str(tmp_path / jobs)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
    assert contents(tmp_path / "site-1") == contents(tmp_path / "site-2")


def test_a_template_error_in_a_worker_is_reported_at_its_line(tmp_path: Path) -> None:
    root = tmp_path / "glossary"
    generate(500, root, diagrams=False)
    theme = root / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    template = (TERMS / "term.html").read_text().split("\n")
    line = next(number for number, text in enumerate(template, start=1) if "<h1>" in text)
    template[line - 1] = "<h1>{{ term.title.no_such_method() }}</h1>"
    (theme / "term.html").write_text("\n".join(template))
    result = subprocess.run([str(Path(sys.executable).parent / "glossary"), "build", str(root), "-o",
                             str(tmp_path / "site"), "-j", "2", "--cache-dir", str(tmp_path / "cache")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"themes/default/templates/term.html:{line}:" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_memo_that_cannot_be_saved_is_noted_and_the_next_build_is_whole(tmp_path: Path) -> None:
    """The memo tables are written on a second process: its failure must still reach the report, and the
    state must not claim a memo that is not there."""
    root = tmp_path / "glossary"
    generate(500, root, diagrams=False)
    command = [str(Path(sys.executable).parent / "glossary"), "build", str(root), "-o", str(tmp_path / "site"),
               "-j", "2", "--cache-dir", str(tmp_path / "cache")]  # in a process of its own, so it can fork
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    (memo,) = (tmp_path / "cache" / "builds").glob("*/memo-renders.pickle")
    memo.unlink()
    memo.mkdir()  # the new table cannot replace it
    term = sorted((root / "content" / "terms").iterdir())[0]
    term.write_text(term.read_text().replace("## Why it exists\n\n", "## Why it exists\n\nA new body line. ", 1))
    (root / "content" / "terms" / "extra-term.md").write_text(
        "---\ntitle: Extra Term\nsummary: A term added to force a full build (its redirect).\nlevel: foundation\n"
        "area: storage\nredirect_from: [terms/extra-old/]\n---\nBody.\n")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "the build cache cannot be written" in result.stderr
    memo.rmdir()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "(quick:" not in result.stdout, result.stdout + result.stderr
    clean = subprocess.run([*command[:4], str(tmp_path / "clean"), *command[5:7], "--cache-dir",
                            str(tmp_path / "clean-cache")], capture_output=True, text=True, check=False)
    assert clean.returncode == 0, clean.stderr
    assert contents(tmp_path / "site") == contents(tmp_path / "clean")


def test_caches_of_old_output_folders_are_dropped(project: Project) -> None:
    from glossary_ssg.build_state import KEPT_FOLDERS
    project.build()
    for number in range(KEPT_FOLDERS + 3):
        result = run_cli("build", project.root, "-o", project.work / f"out-{number}", "--cache-dir", project.cache)
        assert result.exit_code == 0
    kept = list((project.cache / "builds").iterdir())
    assert len(kept) == KEPT_FOLDERS
    before = snapshot(project.out)
    output = project.build()  # its cache was dropped: every page is rendered, and compared before writing
    assert "up to date" not in output and ", 0 written" in output
    assert snapshot(project.out) == before


@pytest.mark.skipif(sys.platform == "win32", reason="builds lock their cache folder with flock, not on Windows")
def test_an_old_cache_folder_is_removed_only_when_no_build_holds_it(tmp_path: Path) -> None:
    from glossary_ssg.build_state import BuildStore, _remove_unless_in_use
    store = BuildStore(tmp_path / "cache", tmp_path / "out")
    with store.locked():
        (store.folder / "state.pickle").write_bytes(b"state")
        _remove_unless_in_use(store.folder)
        assert (store.folder / "state.pickle").is_file()
    _remove_unless_in_use(store.folder)
    assert not store.folder.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="builds lock their cache folder with flock, not on Windows")
def test_a_build_that_waited_on_a_folder_being_removed_locks_the_folder_made_anew(tmp_path: Path) -> None:
    """A build removing an old output folder's cache holds its lock while it does: a build that opened the
    lock file just before waits for it, and must then lock a new folder, not the file that was removed."""
    import fcntl
    import threading

    from glossary_ssg.build_state import BuildStore
    store = BuildStore(tmp_path / "cache", tmp_path / "out")
    store.folder.mkdir(parents=True)
    (store.folder / "state.pickle").write_bytes(b"the old folder's")
    remover = open(store.folder / "lock", "ab")
    fcntl.flock(remover, fcntl.LOCK_EX)  # as _remove_unless_in_use holds it
    entered, leave = threading.Event(), threading.Event()

    def build() -> None:
        with store.locked():
            entered.set()
            leave.wait(30)

    waiting = threading.Thread(target=build)
    waiting.start()
    try:
        assert not entered.wait(0.5)  # it waits for the lock
        shutil.rmtree(store.folder)  # the removal, with the lock held
        remover.close()
        assert entered.wait(30)
        assert (store.folder / "lock").is_file() and not (store.folder / "state.pickle").exists()
        with open(store.folder / "lock", "rb") as third, pytest.raises(BlockingIOError):
            fcntl.flock(third, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the waiting build holds the folder's lock
    finally:
        leave.set()
        waiting.join()


def test_settings_and_environment_are_inputs(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A base URL given on the command line and SOURCE_DATE_EPOCH change pages without changing a file."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project.build()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert "up to date" not in project.build()
    assert contents(project.out) == project.clean_build()
    result = run_cli("build", project.root, "-o", project.out, "--cache-dir", project.cache,
                     "--base-url", "https://other.example/g/")
    assert result.exit_code == 0 and "up to date" not in result.stdout
    assert "https://other.example/g/" in (project.out / "index.html").read_text()


def test_an_up_to_date_build_reports_the_same_warnings(project: Project) -> None:
    first_term, other = first_terms(project, 2)
    project.edit(project.term(first_term), "see_also: [", f"see_also: [{other}, {other}, ")  # a repeated ref
    first = run_cli("build", project.root, "-o", project.out, "--cache-dir", project.cache)
    again = run_cli("build", project.root, "-o", project.out, "--cache-dir", project.cache)
    assert "warning" in first.stdout + first.stderr
    assert "up to date" in again.stdout
    assert (first.stderr or first.stdout).split("\n")[0] in again.stdout + again.stderr
    strict = run_cli("build", project.root, "-o", project.out, "--cache-dir", project.cache, "--strict")
    assert strict.exit_code == 1  # --strict is a setting: the warning is an error, not "up to date"


def test_theme_files_added_removed_and_behind_symlinked_folders(project: Project) -> None:
    static = project.root / "themes" / "default" / "static"
    static.mkdir(parents=True)
    (static / "extra.css").write_text("body { color: red; }")
    shared = project.work / "shared-partials"
    shared.mkdir()
    (shared / "cards.html").write_text((TERMS / "partials" / "cards.html").read_text())
    (project.root / "themes" / "default" / "templates").mkdir()
    (project.root / "themes" / "default" / "templates" / "partials").symlink_to(shared)
    project.build()
    assert (project.out / "extra.css").is_file()
    assert contents(project.out) == project.clean_build()
    (shared / "cards.html").write_text((shared / "cards.html").read_text().replace("<li", "<li data-x", 1))
    project.build()  # an edit behind the symlinked folder is seen
    assert contents(project.out) == project.clean_build()
    (static / "extra.css").unlink()
    project.build()
    assert not (project.out / "extra.css").exists()
    assert contents(project.out) == project.clean_build()


def test_a_cache_from_elsewhere_is_never_unpickled(project: Project) -> None:
    """Cache files that this user's key did not sign (committed to a pull request, say) are ignored."""
    project.build()
    marker = project.work / "pwned"
    payload = pickle.dumps(_Exploit(str(marker)))
    for state in (project.cache / "builds").glob("*/*.pickle"):
        state.write_bytes(b"\0" * 32 + payload)
    _clear_in_process_cache()
    project.edit(project.term(first_terms(project, 1)[0]), "summary: ", "summary: Again. ")
    project.build()
    assert not marker.exists()
    assert contents(project.out) == project.clean_build()


class _Exploit:
    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def _clear_in_process_cache() -> None:
    from glossary_ssg import build_state
    build_state._in_memory.clear()


def test_builds_leave_the_cycle_collector_as_they_found_it(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state, the snapshot and the memo of every file's parse load with the collector off and are frozen
    (collector.py); every kind of build, one that fails too, must then leave it on with nothing frozen, or
    `glossary serve` would never collect what its builds leave in cycles."""
    import gc

    from glossary_ssg.build_state import BuildStore
    collecting_while_loading = []
    load_state = BuildStore.load_state
    monkeypatch.setattr(BuildStore, "load_state",
                        lambda store: collecting_while_loading.append(gc.isenabled()) or load_state(store))
    collecting_while_loading_memo = []
    load_memo = BuildStore.load_memo
    monkeypatch.setattr(BuildStore, "load_memo",
                        lambda store: collecting_while_loading_memo.append(gc.isenabled()) or load_memo(store))

    def left_as_found() -> bool:
        return gc.isenabled() and gc.get_freeze_count() == 0

    assert left_as_found()
    assert "(quick:" not in project.build()
    assert left_as_found()
    slug = first_terms(project, 1)[0]
    project.edit(project.term(slug), "summary: ", "summary: Quickly, ")
    project.build()
    assert project.was_quick and left_as_found()
    assert project.build().startswith("up to date") and left_as_found()
    project.edit(project.term(slug), "level: ", "level: unknown-")
    assert run_cli("build", project.root, "-o", project.out, "--cache-dir", project.cache).exit_code == 1
    assert left_as_found()
    assert collecting_while_loading == [False] * 4
    assert collecting_while_loading_memo == [False] * 2  # the first build and the failing one are full builds


def test_a_large_glossary_lists_titles_on_the_home_page_and_its_definitions_leave_it_alone(project: Project
                                                                                           ) -> None:
    """Above home_definitions_up_to terms, the A-Z index lists each term's title, linked to its page, and no
    definition, so an edited definition is a quick build that leaves the home page as it was; at or below
    the limit each term's card, definition included, is listed. Either way the result is a clean build's."""
    from bs4 import BeautifulSoup

    def home() -> BeautifulSoup:
        return BeautifulSoup((project.out / "index.html").read_text(), "html.parser")

    terms = {slug: path.read_text() for slug, path in
             ((p.stem, p) for p in (project.root / "content" / "terms").iterdir())}
    project.build()
    assert len(home().select("#a-z ~ .letter .card-summary")) == len(terms)
    config = project.root / "glossary.yml"
    config.write_text(config.read_text() + f"home_definitions_up_to: {len(terms) - 1}\n")
    state = step(project, snapshot(project.out))
    links = {a["href"]: a.get_text() for a in home().select(".letter .title-list a")}
    assert links == {f"/glossary/terms/{slug}/": next(line[len("title: "):] for line in text.splitlines()
                                                       if line.startswith("title: ")) for slug, text in terms.items()}
    assert not home().select(".letter .card-summary")
    slug = first_terms(project, 1)[0]
    project.edit(project.term(slug), "summary: ", "summary: Newly defined. ")
    after = step(project, state)
    assert project.was_quick
    assert after["index.html"] == state["index.html"]
    assert "Newly defined." in (project.out / "terms" / slug / "index.html").read_text()


def test_a_full_build_reads_only_the_content_files_that_changed(project: Project,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A full build takes each unchanged file's digest from the last build's state (inputs.unchanged_digests)
    and its entry from the memo, so it reads only the files that changed, also when a file was added; a file
    whose stat is too recent to trust is still read. The result is still a clean build's."""
    import time

    project.build()
    an_hour_ago = time.time_ns() - 3600 * 10**9  # else the stats are too recent to trust (inputs.RACY_NS)
    for path in (project.root / "content").rglob("*.md"):
        os.utime(path, ns=(an_hour_ago, an_hour_ago))
    first, second, third = first_terms(project, 3)
    os.utime(project.term(second), ns=(time.time_ns(), time.time_ns()))  # stays as the next build records it
    project.build()  # records the files' new stats
    project.edit(project.term(first), "see_also: [", f"see_also: [{third}, ")
    added = project.term("added-term")
    added.write_text(project.term(third).read_text().replace("title: ", "title: Added ", 1)
                     .replace("tags: [", "redirect_from: [terms/moved-away/]\ntags: [", 1))  # the full build
    read: list[Path] = []
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path) or read_bytes(path))
    project.build()
    monkeypatch.undo()
    assert "(quick:" not in project.last_output and contents(project.out) == project.clean_build()
    content_read = {path.relative_to(project.root).as_posix() for path in read
                    if path.is_relative_to(project.root / "content")}
    assert content_read == {f"content/terms/{slug}.md" for slug in (first, second, "added-term")}


@pytest.mark.skipif(sys.platform == "win32", reason="builds into one folder are serialised with flock")
def test_a_build_that_waits_for_the_lock_sees_the_edits_made_meanwhile(project: Project) -> None:
    """The inputs' stats are taken under the build lock: taken before it, a build that waited for another
    (`glossary serve` and one by hand) would compare stats from before the wait and miss an edit."""
    import fcntl
    import time

    from glossary_ssg.build_state import BuildStore
    slug = first_terms(project, 1)[0]
    an_hour_ago = time.time_ns() - 3600 * 10**9  # else its content is compared anyway (inputs.RACY_NS)
    os.utime(project.term(slug), ns=(an_hour_ago, an_hour_ago))
    project.build()
    with open(BuildStore(project.cache, project.out).folder / "lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiting = subprocess.Popen([str(Path(sys.executable).parent / "glossary"), "build", str(project.root),
                                    "-o", str(project.out), "--cache-dir", str(project.cache)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)  # long enough for it to start and wait for the lock
        project.edit(project.term(slug), "summary: ", "summary: Edited while it waited. ")
    stdout, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    assert "up to date" not in stdout
    assert "Edited while it waited." in (project.out / "terms" / slug / "index.html").read_text()
