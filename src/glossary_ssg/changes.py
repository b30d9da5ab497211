"""`glossary diff BASE_REF`: what a change does to the glossary, for a pull request's summary.

Compares the working tree with the project as it was at a git revision:
entries added, changed and removed; cross-reference edges added and
removed; new orphans; and the output files whose bytes differ, from two
real builds (the diagram cache keeps the second one quick).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Iterator

from glossary_ssg.errors import UsageError
from glossary_ssg.graph import Graph
from glossary_ssg.graph_export import graph_edges
from glossary_ssg.incremental import build
from glossary_ssg.links import check_wikilinks, orphan_slugs
from glossary_ssg.pipeline import Options, check_sources


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...]  # "term:slug" / "lesson:slug"
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    edges_added: tuple[tuple[str, str, str], ...]
    edges_removed: tuple[tuple[str, str, str], ...]
    new_orphans: tuple[str, ...]
    pages_changed: tuple[str, ...]  # output files added, removed or different


def compare(project_dir: Path, base_ref: str, cache_dir: Path | None = None) -> Changes:
    with tempfile.TemporaryDirectory() as folder, _same_dates():
        base_dir = Path(folder) / "base"
        _export_revision(project_dir, base_ref, base_dir)
        now, before = _graph(project_dir), _graph(base_dir)
        cache = cache_dir or project_dir / ".glossary-cache"
        now_files = _built_files(project_dir, Path(folder) / "now-site", cache)
        before_files = _built_files(base_dir, Path(folder) / "base-site", cache)
    entries_now, entries_before = _entries(now), _entries(before)
    edges_now, edges_before = set(graph_edges(now)), set(graph_edges(before))
    return Changes(
        added=tuple(sorted(set(entries_now) - set(entries_before))),
        changed=tuple(sorted(k for k in set(entries_now) & set(entries_before) if entries_now[k] != entries_before[k])),
        removed=tuple(sorted(set(entries_before) - set(entries_now))),
        edges_added=tuple(sorted(edges_now - edges_before)),
        edges_removed=tuple(sorted(edges_before - edges_now)),
        new_orphans=tuple(sorted(_orphans(now) - _orphans(before))),
        pages_changed=tuple(sorted(name for name in set(now_files) | set(before_files)
                                   if now_files.get(name) != before_files.get(name))),
    )


@contextmanager
def _same_dates() -> Iterator[None]:
    """Both builds get one date: the unpacked revision has no git history, and dates are not the change."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _export_revision(project_dir: Path, ref: str, target: Path) -> None:
    """The project folder as it was at `ref`, unpacked into `target`."""
    def git(*args: str) -> bytes:
        result = subprocess.run(["git", "-C", str(project_dir), *args], capture_output=True, check=False)
        if result.returncode != 0:
            raise UsageError(f"git {' '.join(args)}: {result.stderr.decode(errors='replace').strip()}")
        return result.stdout
    prefix = git("rev-parse", "--show-prefix").decode().strip()
    commit = git("rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}").decode().strip()  # never an option
    archive = git("archive", "--format=tar", f"{commit}:{prefix}" if prefix else commit)
    target.mkdir(parents=True)
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def _graph(project_dir: Path) -> Graph:
    graph, _ = check_sources(Options(project_dir))
    return graph


def _entries(graph: Graph) -> dict[str, str]:
    """Node id -> a fingerprint of everything the entry's file says."""
    found = {}
    for kind, entries in (("term", graph.terms), ("lesson", graph.lessons)):
        for slug, entry in entries.items():
            refs = {name: [ref.text for ref in _refs(getattr(entry, name, ()))]
                    for name in ("see_also", "related_lessons", "lesson", "terms", "prerequisites", "redirect_from")}
            fingerprint = repr((entry.title, entry.summary, entry.level, entry.area, entry.tags, entry.body,
                                getattr(entry, "aliases", ()), getattr(entry, "quiz", ()),
                                getattr(entry, "references", ()), sorted(refs.items())))
            found[f"{kind}:{slug}"] = hashlib.sha256(fingerprint.encode()).hexdigest()
    return found


def _refs(value) -> tuple:
    return () if value is None else value if isinstance(value, tuple) else (value,)


def _orphans(graph: Graph) -> set[str]:
    wikilinked, _ = check_wikilinks(graph)
    return set(orphan_slugs(graph, wikilinked))


def _built_files(project_dir: Path, out: Path, cache: Path) -> dict[str, str]:
    build(Options(project_dir, cache_dir=cache), out)
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def format_changes(changes: Changes, base_ref: str, markdown: bool) -> str:
    def section(title: str, items) -> list[str]:
        if not items:
            return []
        heading = f"### {title} ({len(items)})" if markdown else f"{title} ({len(items)}):"
        bullet = "- " if markdown else "  "
        return [heading, *(f"{bullet}{_item(item, markdown)}" for item in items), ""]

    head = f"## Glossary changes since `{base_ref}`" if markdown else f"Changes since {base_ref}"
    lines = [head, ""]
    lines += section("Added", changes.added) + section("Changed", changes.changed)
    lines += section("Removed", changes.removed)
    lines += section("Links added", changes.edges_added) + section("Links removed", changes.edges_removed)
    lines += section("New orphans", changes.new_orphans) + section("Output files changed", changes.pages_changed)
    if len(lines) == 2:
        lines.append("No changes to the glossary.")
    return "\n".join(lines).rstrip() + "\n"


def _item(item, markdown: bool) -> str:
    text = f"{item[1]} → {item[2]} ({item[0]})" if isinstance(item, tuple) else str(item)
    return f"`{text}`" if markdown else text
