"""Ids for headings in content, kept clear of the ids the page itself uses."""

from __future__ import annotations

from markdown.extensions.toc import slugify

# Ids and id prefixes the templates and our blocks give elements; a heading such as
# "## Main" or "## Concept map" must not take one of them.
RESERVED_IDS = {"main", "content", "concept-map", "a-z", "areas", "levels"}
RESERVED_PREFIXES = ("glossary-", "diagram-", "quiz-", "letter-", "level-", "path-", "members-", "concept-map-")


def heading_slug(text: str, separator: str) -> str:
    slug = slugify(text, separator)
    if slug in RESERVED_IDS or slug.startswith(RESERVED_PREFIXES):
        return f"section{separator}{slug}"
    return slug
