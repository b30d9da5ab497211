"""The parts of every entry, from the graph and the rendered content: what a full build resolves pages with.

Each part also has a digest, so a page's key (what it is rendered from) is
the digest of its recipe and of the parts it used. An entry part is digested
as the key it was made from (its file, the config and the tool), not walked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

from glossary_ssg.fingerprint import of_value
from glossary_ssg.graph import Graph
from glossary_ssg.recipes import Part
from glossary_ssg.site import make_card

if TYPE_CHECKING:  # Markdown is imported only by builds that render it
    from glossary_ssg.markup.render import RenderedContent


class GraphParts:
    def __init__(self, graph: Graph, rendered: RenderedContent, entry_keys: Mapping[str, str]):
        self.graph, self.rendered, self.entry_keys = graph, rendered, entry_keys
        self.config = graph.config
        self._cards: dict[Part, Any] = {}
        self._digests: dict[Part, str] = {}

    def get(self, part: Part) -> Any:
        what, kind, slug = part
        if what == "card":
            card = self._cards.get(part)
            if card is None:
                card = self._cards[part] = make_card(self.entry(kind, slug), self.config)
            return card
        if what == "entry":
            return self.entry(kind, slug)
        if what == "body":
            return (self.rendered.term_bodies if kind == "term" else self.rendered.lesson_bodies)[slug]
        if what == "links":
            return self.rendered.body_links[(kind, slug)]
        if what == "quiz":
            return self.rendered.quizzes[slug]
        raise KeyError(part)

    def entry(self, kind: str, slug: str):
        return (self.graph.terms if kind == "term" else self.graph.lessons)[slug]

    def digest(self, part: Part) -> str:
        digest = self._digests.get(part)
        if digest is None:
            if part.what == "entry":
                digest = self.entry_keys[self.entry(part.kind, part.slug).source]
            else:
                digest = of_value(self.get(part))
            self._digests[part] = digest
        return digest

    def learn_digests(self, parts: list[Part], digests: list[str]) -> None:
        """Digests computed elsewhere (on worker processes), so every later lookup is free."""
        self._digests.update(zip(parts, digests))


ENTRY_PARTS = ("entry", "card", "body", "links")  # what every entry has; a lesson has its quiz besides


def every_part(graph: Graph) -> list[Part]:
    """Every part of every entry, in a stable order: what a snapshot of the site stores."""
    found = []
    for kind, entries in (("term", graph.terms), ("lesson", graph.lessons)):
        for slug in entries:
            found += [Part(what, kind, slug) for what in ENTRY_PARTS]
            if kind == "lesson":
                found.append(Part("quiz", kind, slug))
    return found


def every_card(graph: Graph) -> list[Part]:
    """Every entry's card, terms then lessons, each by slug: the order of the search index."""
    return [*(Part("card", "term", slug) for slug in graph.terms),
            *(Part("card", "lesson", slug) for slug in graph.lessons)]
