"""The front matter contract for terms and lessons, declared once.

The validator reads these declarations to check documents; the same
declarations document the format (and later generate the JSON Schema for
editors), so the rules cannot drift apart.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ValueKind(enum.Enum):
    TEXT = "text"  # a non-empty string
    STRINGS = "strings"  # a list of non-empty strings
    TAGS = "tags"  # a list of slug-shaped strings
    LEVEL = "level"  # one of the configured levels
    AREA = "area"  # one of the configured area slugs
    TERM_REF = "term"  # a term slug, title or alias
    TERM_REFS = "terms"  # a list of those
    LESSON_REF = "lesson"  # a lesson slug or title
    LESSON_REFS = "lessons"  # a list of those
    REFERENCES = "references"  # a list of {title, url, note}
    QUIZ = "quiz"  # a list of questions
    OLD_PATHS = "paths"  # a list of site paths this entry used to live at


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: ValueKind
    required: bool
    doc: str
    example: str  # a value as it would be written in front matter, for hints and scaffolds


TERM_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", ValueKind.TEXT, True, "The term as readers know it, e.g. 'Service Discovery'.",
              '"Service Discovery"'),
    FieldSpec("summary", ValueKind.TEXT, True, "The definition: one or two sentences, at most 300 characters.",
              '"One or two sentences that define the term."'),
    FieldSpec("level", ValueKind.LEVEL, True, "How advanced the idea is: one of the levels in glossary.yml.",
              'foundation'),
    FieldSpec("area", ValueKind.AREA, True, "The slug of the area of system design it belongs to.",
              'microservices-architecture'),
    FieldSpec("aliases", ValueKind.STRINGS, False, "Other names people use for it; each finds this term.",
              '["Service registry lookup"]'),
    FieldSpec("tags", ValueKind.TAGS, False, "Lowercase hyphenated labels that group terms across areas.",
              '[networking]'),
    FieldSpec("lesson", ValueKind.LESSON_REF, False, "The lesson that teaches this term in depth.",
              'service-discovery'),
    FieldSpec("related_lessons", ValueKind.LESSON_REFS, False, "Other lessons that touch on the term.",
              '[microservices-architecture]'),
    FieldSpec("see_also", ValueKind.TERM_REFS, False, "Terms a reader might want to look up next.",
              '[api-gateway, load-balancer]'),
    FieldSpec("redirect_from", ValueKind.OLD_PATHS, False,
              "Old addresses of this page, e.g. terms/old-slug/: each gets a page that redirects here.",
              '[terms/service-registry/]'),
)

LESSON_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", ValueKind.TEXT, True, "The lesson's title.",
              '"Service Discovery"'),
    FieldSpec("summary", ValueKind.TEXT, True, "One sentence on what the lesson teaches.",
              '"One sentence on what the lesson teaches."'),
    FieldSpec("level", ValueKind.LEVEL, True, "How advanced the lesson is: one of the levels in glossary.yml.",
              'intermediate'),
    FieldSpec("area", ValueKind.AREA, True, "The slug of the area of system design it belongs to.",
              'microservices-architecture'),
    FieldSpec("terms", ValueKind.TERM_REFS, False, "The terms this lesson covers.",
              '[service-discovery]'),
    FieldSpec("prerequisites", ValueKind.LESSON_REFS, False, "Lessons to read first; they may not form a cycle.",
              '[microservices]'),
    FieldSpec("tags", ValueKind.TAGS, False, "Lowercase hyphenated labels.",
              '[networking]'),
    FieldSpec("references", ValueKind.REFERENCES, False, "Further reading: a list of title, url and note.",
              '[{title: "...", url: "https://...", note: "..."}]'),
    FieldSpec("quiz", ValueKind.QUIZ, False, "Questions that check understanding.",
              '[...]'),
    FieldSpec("redirect_from", ValueKind.OLD_PATHS, False,
              "Old addresses of this page, e.g. lessons/old-slug/: each gets a page that redirects here.",
              '[lessons/service-registries/]'),
)

REFERENCE_KEYS = {"title": True, "url": True, "note": False}  # key -> required

SUMMARY_LIMIT = 300
