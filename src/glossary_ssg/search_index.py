"""The search index, made at build time so search works on a static host with no server.

Two files, so what a reader downloads before the first result stays small:
- search/names.json: every term and lesson by title and aliases, with its
  level. Enough to rank exact and prefix matches, which come first.
- search/text.json: the definitions and lesson summaries, fetched after the
  first results show, for matches inside the text.
Both are arrays in the same order, so an entry is one index into each.
"""

from __future__ import annotations

import json

from glossary_ssg.graph import Graph
from glossary_ssg.model import Lesson, Term

FORMAT = 1
SEARCH_FILES = ("search/names.json", "search/text.json")


def search_files(graph: Graph) -> dict[str, bytes]:
    entries: list[tuple[str, Term | Lesson]] = [("t", term) for term in graph.terms.values()]
    entries += [("l", lesson) for lesson in graph.lessons.values()]
    levels = list(graph.config.levels)
    names = [[kind, entry.slug, entry.title, levels.index(entry.level) if entry.level in levels else 0,
              *getattr(entry, "aliases", ())] for kind, entry in entries]
    text = [entry.summary for _, entry in entries]
    names_file, text_file = SEARCH_FILES
    return {
        names_file: _compact({"v": FORMAT, "levels": levels, "entries": names}),
        text_file: _compact({"v": FORMAT, "text": text}),
    }


def _compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
