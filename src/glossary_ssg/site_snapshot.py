"""What a full build leaves in the snapshot (snapshot.py) for quick builds: only what changed since the last.

Rows whose digest is unchanged are not written again, so a full build after a
small change writes a small transaction. A snapshot that is not the last
build's (its generation differs from the build state's) is emptied and written
whole.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any, Mapping, NamedTuple

from glossary_ssg.errors import Diagnostic
from glossary_ssg.fingerprint import of_value
from glossary_ssg.fragments import Changes, FragmentCache, Stored
from glossary_ssg.graph import Graph
from glossary_ssg.links import orphan_warning, wikilink_targets
from glossary_ssg.markup.fences import UNKNOWN_LANGUAGE
from glossary_ssg.parts import GraphParts, every_card, every_part
from glossary_ssg.recipes import Part, part_name, part_named
from glossary_ssg.relink import LINKS_FACT, stored_links
from glossary_ssg.search_index import search_aliases
from glossary_ssg.site import Card
from glossary_ssg.snapshot import EntryRecord, PageRow, Snapshot, SnapshotUnusable, sealed_entry


def open_snapshot(folder: Path, generation: str) -> tuple[Snapshot | None, bool]:
    """The output folder's snapshot (None if it cannot be opened), and whether it is the last build's."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        snapshot = Snapshot(folder)
    except (OSError, SnapshotUnusable):
        snapshot = None
    try:
        if snapshot is not None:
            return snapshot, bool(generation) and snapshot.fact("generation") == generation
    except SnapshotUnusable:  # not ours, or damaged: written whole again
        snapshot.close()
    try:
        return Snapshot(folder, fresh=True), False
    except SnapshotUnusable:
        return None, False


def reopened_snapshot(folder: Path) -> Snapshot | None:
    """The snapshot opened again after save_content wrote into it from another process (None if it cannot
    be): saving it then says so. Its uses table was emptied, so its indexes are made after the rows."""
    try:
        return Snapshot(folder, indexed=False)
    except (OSError, SnapshotUnusable):
        return None


def name_facts(graph: Graph) -> dict[str, Any]:
    """What a quick build needs of the whole site besides the cards (kept together, as "cards": index pages
    list them all, in the search index's order): the names bodies link (markup.render.LinkNames) and the search
    index's aliases."""
    return {
        "names": (dict(graph.term_names), dict(graph.term_mentions), {s: t.title for s, t in graph.terms.items()}),
        "aliases": search_aliases(graph),
    }


def stored_fragments(snapshot: Snapshot | None, templates_key: str) -> tuple[Stored, Changes]:
    """The card fragments the last builds left, if they were made with these templates (fragments.py)."""
    templates, stored, changes = stored_fragments_unchecked(snapshot)
    return (stored, changes) if templates == templates_key else ({}, {})


def stored_fragments_unchecked(snapshot: Snapshot | None) -> tuple[str | None, Stored, Changes]:
    """The card fragments the last builds left, and the templates key they were made with."""
    try:
        if snapshot is None:
            return None, {}, {}
        return (snapshot.fact("fragments-templates"), snapshot.fact("fragments", {}),
                _by_part(snapshot.changes("fragment-changes")))
    except SnapshotUnusable:
        return None, {}, {}


def stored_templates(snapshot: Snapshot | None) -> dict[str, bytes]:
    """Compiled templates by Jinja's key for them (templates.CompiledTemplates)."""
    try:
        return snapshot.table("templates") if snapshot is not None else {}
    except SnapshotUnusable:
        return {}


def stored_cards(snapshot: Snapshot | None) -> dict[tuple, tuple[Card, str]]:
    """The card's part -> (card, digest), terms then lessons, each by slug (the search index's order)."""
    try:
        if snapshot is None:
            return {}
        keys, digests, fields = snapshot.fact("cards", ((), (), ()))
        cards = dict(zip(keys, zip(map(partial(tuple.__new__, Card), fields), digests)))  # in C: 10,000 cards
        known = len(cards)
        changes = _by_part(snapshot.changes("cards"))
        cards.update(changes)
        if len(cards) != known:  # a quick build added a term: back to terms, then lessons, each by slug
            cards = dict(sorted(cards.items(), key=lambda item: (item[0][1] != "term", item[0][2])))
        if None in changes.values():  # a quick build removed a term (its file went)
            cards = {key: value for key, value in cards.items() if value is not None}
        return cards
    except SnapshotUnusable:
        return {}


def kept_page_keys(snapshot: Snapshot | None, in_sync: bool, graph: Graph, parts: GraphParts,
                   recipe_digests: Mapping[str, str], templates_key: str) -> dict[str, str] | None:
    """The stored key of each page it still holds for, by output file: the page's recipe is as stored and no
    part it used when last resolved has changed, so resolving it again would use the same parts and give the
    same key. The other pages must be resolved to be keyed. None when the snapshot cannot say (it is not the
    last build's, or its keys were made with other templates)."""
    if snapshot is None or not in_sync:
        return None
    try:
        if snapshot.fact("fragments-templates") != templates_key:
            return None
        stored = snapshot.digests()
        stored.update((part_name(part), digest) for part, (_, digest) in stored_cards(snapshot).items())
        current = every_part(graph)
        names = {part_name(part) for part in current}
        changed = [part for part in current if stored.get(part_name(part)) != parts.digest(part)]
        changed += [part_named(name) for name in stored if name not in names]  # gone
        affected = set(snapshot.pages_using(changed))
        pages = snapshot.page_digests()
    except SnapshotUnusable:
        return None
    return {name: pages[name][1] for name, digest in recipe_digests.items()
            if name not in affected and name in pages and pages[name][0] == digest}


def _packed_cards(cards: dict[tuple, tuple[Card, str]]) -> tuple[tuple, tuple, tuple]:
    """As columns of plain tuples, which load several times faster than as many Card objects."""
    return (tuple(tuple(part) for part in cards), tuple(digest for _, digest in cards.values()),
            tuple(tuple(card) for card, _ in cards.values()))


def current_cards(graph: Graph, parts: GraphParts) -> dict[tuple, tuple[Card, str]]:
    return {part: (parts.get(part), parts.digest(part)) for part in every_card(graph)}


def by_name(table: dict[tuple, Any]) -> dict[str, Any]:
    """A table keyed by parts as quick builds record its changes: by part name."""
    return {part_name(part): value for part, value in table.items()}


def _by_part(table: dict[str, Any]) -> dict[tuple, Any]:
    return {tuple(name.split("/")): value for name, value in table.items()}


class _Content(NamedTuple):
    """What of the snapshot the pages' rendering does not change, as rows to write: every entry's parts
    (but its card), its record, and the facts of the names, the links and the cards."""
    parts: dict[Part, tuple[Any, str]]
    gone_parts: list[Part]
    entries: dict[str, EntryRecord]
    gone_entries: set[str]
    facts: dict[str, tuple[Any, str]]  # all of them: those unchanged are left out by save_full


_NO_CONTENT = _Content({}, [], {}, set(), {})


def _content(snapshot: Snapshot, in_sync: bool, graph: Graph, parts: GraphParts,
             cards: dict[tuple, tuple[Card, str]], diagnostics: tuple[Diagnostic, ...],
             own_problems: Mapping[str, tuple], outlines: Mapping[str, str]) -> _Content:
    """Only the rows that differ from the snapshot's, when it is the last build's; otherwise all of them."""
    stored_digests = snapshot.digests() if in_sync else {}
    current = {part_name(part): part for part in every_part(graph) if part.what != "card"}
    changed_parts = {part: (parts.get(part), parts.digest(part)) for name, part in current.items()
                     if stored_digests.get(name) != parts.digest(part)}
    gone_parts = [part_named(name) for name in stored_digests if name not in current]
    stored_entries = snapshot.entry_rows() if in_sync else {}
    records = _entry_records(graph, parts, diagnostics, own_problems, outlines)
    changed_entries = {source: record for source, record in records.items()
                       if source not in stored_entries or stored_entries[source] != sealed_entry(source, record)}
    facts = {name: (value, of_value(value)) for name, value in name_facts(graph).items()}
    links = stored_links(graph, tuple(sorted({slug for record in records.values() for slug in record.wikilinked})))
    facts[LINKS_FACT] = (links, of_value(links))
    facts["cards"] = (_packed_cards(cards), of_value({key: digest for key, (_, digest) in cards.items()}))
    return _Content(changed_parts, gone_parts, changed_entries, set(stored_entries) - set(records), facts)


def save_content(folder: Path, graph: Graph, parts: GraphParts, cards: dict[tuple, tuple[Card, str]],
                 diagnostics: tuple[Diagnostic, ...], own_problems: Mapping[str, tuple],
                 outlines: Mapping[str, str]) -> str | None:
    """Empty the snapshot and write its content (_content), for a snapshot that is not the last build's and is
    written whole: on a second process while the pages render, since none of it depends on them, so that
    saving the snapshot after them writes only the pages' rows (save_full with `content_saved`). A failure is
    returned: the snapshot is then written whole after the pages."""
    try:
        snapshot = Snapshot(folder)
    except SnapshotUnusable as exc:
        return str(exc)
    try:
        snapshot.clear()
        content = _content(snapshot, False, graph, parts, cards, diagnostics, own_problems, outlines)
        snapshot.write_content(content.parts, content.entries, content.facts)
    except (OSError, SnapshotUnusable) as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - sqlite3.Error and the like: the snapshot is written after the pages
        return f"{type(exc).__name__}: {exc}"
    finally:
        snapshot.close()
    return None


def save_full(snapshot: Snapshot | None, in_sync: bool, generation: str, graph: Graph, parts: GraphParts,
              cards: dict[tuple, tuple[Card, str]], rows: list[PageRow], diagnostics: tuple[Diagnostic, ...],
              own_problems: Mapping[str, tuple], outlines: Mapping[str, str], page_names: set[str],
              fragments: FragmentCache, templates_key: str, compiled: dict[str, bytes],
              content_saved: bool = False) -> str | None:
    """Bring the snapshot up to this full build; a failure is returned (quick builds are then off).
    `content_saved`: save_content has emptied the snapshot and written its content already."""
    if snapshot is None:
        return "the snapshot cannot be opened"
    try:
        if not in_sync and not content_saved:
            snapshot.clear()
        stored_pages = set(snapshot.page_keys()) if in_sync else set()
        content = _NO_CONTENT if content_saved else _content(snapshot, in_sync, graph, parts, cards, diagnostics,
                                                             own_problems, outlines)
        stored_facts = snapshot.fact_digests() if in_sync else {}
        facts = dict(content.facts)
        kept = fragments.packed(cards)
        facts["fragments"] = (kept, of_value(kept))
        facts["fragments-templates"] = (templates_key, templates_key)
        facts["templates"] = (compiled, of_value(compiled))
        snapshot.update(generation, rows, stored_pages - page_names, content.parts, content.gone_parts,
                        content.entries, content.gone_entries,
                        {name: fact for name, fact in facts.items() if stored_facts.get(name) != fact[1]},
                        whole=True)
    except (OSError, SnapshotUnusable) as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - sqlite3.Error and the like: the site is built, only the cache fails
        return f"{type(exc).__name__}: {exc}"
    finally:
        snapshot.close()
    return None


def _entry_records(graph: Graph, parts: GraphParts, diagnostics: tuple[Diagnostic, ...],
                   own_problems: Mapping[str, tuple[Diagnostic, ...]], outlines: Mapping[str, str]
                   ) -> dict[str, EntryRecord]:
    """`own_problems`: what parsing and validating each file reported. A file where nothing else was
    reported but its orphan warning and its unknown code languages can be rebuilt quickly, since those are
    all a quick build can report again."""
    found: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        found.setdefault(diagnostic.location.path, []).append(diagnostic)
    records = {}
    for kind, entries in (("term", graph.terms), ("lesson", graph.lessons)):
        for slug, entry in entries.items():
            key = parts.entry_keys[entry.source]
            own = tuple(own_problems.get(entry.source, ()))
            reported = found.get(entry.source, [])
            orphaned = [orphan_warning(entry)] if reported and kind == "term" else []
            orphan = bool(orphaned) and orphaned[0] in reported
            languages = [diagnostic for diagnostic in reported if diagnostic.code == UNKNOWN_LANGUAGE]
            remade = [*own, *languages, *(orphaned if orphan else [])]
            records[entry.source] = EntryRecord(
                kind, slug, key, outlines[entry.source],
                Counter(reported) == Counter(remade), wikilink_targets(entry, graph.term_names)[0], own,
                orphan, bool(languages))
    return records
