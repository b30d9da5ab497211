"""Ids for headings in content, kept clear of the ids the page itself uses, and the Markdown extension
that sets them."""

from __future__ import annotations

import html
import xml.etree.ElementTree as etree

from markdown.extensions.toc import (
    TocExtension,
    TocTreeprocessor,
    nest_toc_tokens,
    slugify,
    unescape,
    unique,
)

# Ids and id prefixes the templates and our blocks give elements; a heading such as
# "## Main" or "## Concept map" must not take one of them.
RESERVED_IDS = {"main", "content", "concept-map", "a-z", "areas", "levels"}
RESERVED_PREFIXES = ("glossary-", "diagram-", "quiz-", "letter-", "level-", "path-", "members-", "concept-map-")
_NOT_PLAIN = set("&<>\x02\x03")  # what the toc extension's serialising of a heading would change


def heading_slug(text: str, separator: str) -> str:
    slug = slugify(text, separator)
    if slug in RESERVED_IDS or slug.startswith(RESERVED_PREFIXES):
        return f"section{separator}{slug}"
    return slug


class HeadingIds(TocExtension):
    """Python-Markdown's toc extension as far as our pages use it: heading levels moved down to `baselevel`
    and an id on each heading. The table of contents it also builds, serialises and runs through every
    postprocessor for each text is shown nowhere, and was a sixth of a term body's rendering time; a
    text with a `[TOC]` marker still gets one in its place."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.TreeProcessorClass = _HeadingIdsProcessor


class _HeadingIdsProcessor(TocTreeprocessor):
    def run(self, doc: etree.Element) -> None:
        headings, used_ids, marker, has_marker = [], set(), self.marker, False
        for el in doc.iter():  # once: the extension itself walks the tree three times
            if "id" in el.attrib:
                used_ids.add(el.attrib["id"])
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                headings.append(el)
            if marker and el.text and len(el) == 0 and el.text.strip() == marker:
                has_marker = True
        if (has_marker or self.use_anchors or self.use_permalinks not in (False, None)
                or not all(_plain(el) for el in headings)):
            super().run(doc)  # rare: the extension's own way
            return
        counters: dict[str, int] = {}
        tokens = []
        for el in headings:
            self.set_level(el)
            name = " ".join((el.text or "").split())
            if "id" not in el.attrib:
                el.attrib["id"] = unique(self.slugify(html.unescape(name), self.sep), used_ids, counters)
            if self.toc_top <= int(el.tag[-1]) <= self.toc_bottom:
                tokens.append({"level": int(el.tag[-1]), "id": unescape(el.attrib["id"]), "name": name,
                               "html": (el.text or "").strip(), "data-toc-label": ""})
        self.md.toc_tokens = nest_toc_tokens(tokens)


def _plain(heading: etree.Element) -> bool:
    """Text alone, which the extension's serialising and unescaping would leave as it is."""
    return len(heading) == 0 and "data-toc-label" not in heading.attrib and not _NOT_PLAIN.intersection(
        heading.text or "")
