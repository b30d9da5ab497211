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
from typing import Iterable, Mapping, Sequence

from glossary_ssg.graph import Graph
from glossary_ssg.site import Card, make_card

FORMAT = 1
SEARCH_FILES = ("search/names.json", "search/text.json")


def search_files(graph: Graph) -> dict[str, bytes]:
    cards = [make_card(entry, graph.config) for entry in [*graph.terms.values(), *graph.lessons.values()]]
    return search_files_of(cards, search_aliases(graph), graph.config.levels)


def search_aliases(graph: Graph) -> dict[str, tuple[str, ...]]:
    """Term slug -> its aliases, for the terms that have any."""
    return {slug: term.aliases for slug, term in graph.terms.items() if term.aliases}


def search_files_of(cards: Sequence[Card], aliases: Mapping[str, tuple[str, ...]], levels: Sequence[str]
                    ) -> dict[str, bytes]:
    """From every term's and lesson's card (terms first), and the terms' aliases."""
    levels = list(levels)
    names = [["t" if card.kind == "term" else "l", card.slug, card.title,
              levels.index(card.level) if card.level in levels else 0,
              *(aliases.get(card.slug, ()) if card.kind == "term" else ())] for card in cards]
    return {SEARCH_FILES[0]: _compact({"v": FORMAT, "levels": levels, "entries": names}), **search_text_file(cards)}


def search_text_file(cards: Iterable[Card]) -> dict[str, bytes]:
    """The definitions alone: all that an edit to definitions changes (names.json holds titles and aliases)."""
    return {SEARCH_FILES[1]: _compact({"v": FORMAT, "text": [card.summary for card in cards]})}


def _compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
