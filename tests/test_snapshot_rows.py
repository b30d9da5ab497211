"""The snapshot's page rows: what a page uses decides which pages a quick build renders again."""

from __future__ import annotations

from pathlib import Path

from glossary_ssg.recipes import part_named
from glossary_ssg.snapshot import PageRow, Snapshot


def _row(name: str, *used: str) -> PageRow:
    return PageRow(name, {"page": name}, "recipe-digest", f"key-{len(used)}", tuple(sorted(used)))


def _using(snapshot: Snapshot, name: str) -> list[str]:
    return snapshot.pages_using([part_named(name)])


def test_a_page_given_twice_ends_as_its_last_row_says(tmp_path: Path):
    snapshot = Snapshot(tmp_path)
    snapshot.update("one", [_row("terms/a/index.html", "card/term/b")])
    # Rows applied one by one: the first changes the uses, the second brings them back.
    snapshot.update("two", [_row("terms/a/index.html", "card/term/c"), _row("terms/a/index.html", "card/term/b")])
    assert _using(snapshot, "card/term/b") == ["terms/a/index.html"]
    assert _using(snapshot, "card/term/c") == []
    snapshot.close()


def test_uses_are_replaced_for_many_pages_at_once(tmp_path: Path):
    """Past a thousand rows the stored uses are read in one pass: the result must be the same."""
    snapshot = Snapshot(tmp_path)
    names = [f"terms/t{number}/index.html" for number in range(1500)]
    snapshot.update("one", [_row(name, "card/term/old") for name in names])
    snapshot.update("two", [_row(name, "card/term/new") if number % 2 else _row(name, "card/term/old")
                            for number, name in enumerate(names)])
    assert _using(snapshot, "card/term/new") == sorted(names[1::2])
    assert _using(snapshot, "card/term/old") == sorted(names[0::2])
    snapshot.close()
