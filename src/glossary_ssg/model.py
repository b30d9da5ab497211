"""The content model: validated terms and lessons, and the references between them.

Plain frozen data with no I/O. References are kept exactly as written (`Ref`)
until the graph phase resolves them, so their locations survive for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from glossary_ssg.errors import Location
from glossary_ssg.fingerprint import digest_by_fields
from glossary_ssg.paths import Slug, SourcePath


@dataclass(frozen=True)
class Ref:
    """A reference to a term or lesson as the author wrote it: a slug, title or alias."""

    text: str
    location: Location


@dataclass(frozen=True)
class Reference:
    """A further-reading link on a lesson."""

    title: str
    url: str
    note: str


@dataclass(frozen=True)
class Choice:
    text: str  # Markdown, one line
    correct: bool
    feedback: str  # Markdown, shown when this choice is picked; may be empty
    text_line: int = 0  # file lines where each text starts, for problems found inside them
    feedback_line: int = 0


@dataclass(frozen=True)
class Question:
    id: str  # stable, so a reader's saved progress survives edits to the wording
    prompt: str  # Markdown
    choices: tuple[Choice, ...]
    explanation: str  # Markdown
    prompt_line: int = 0
    explanation_line: int = 0

    @property
    def multiple(self) -> bool:
        """Several correct choices: answered with checkboxes rather than radio buttons."""
        return sum(choice.correct for choice in self.choices) > 1


# A question as markup/render.py renders it. Here, not there, so that a quick build unpickling a stored quiz
# does not import Markdown and Pygments.
@digest_by_fields
@dataclass(frozen=True)
class RenderedChoice:
    html: str
    correct: bool
    feedback_html: str


@digest_by_fields
@dataclass(frozen=True)
class RenderedQuestion:
    id: str
    prompt_html: str
    choices: tuple[RenderedChoice, ...]
    explanation_html: str
    multiple: bool


@digest_by_fields
@dataclass(frozen=True)
class Area:
    slug: Slug
    title: str
    description: str


@dataclass(frozen=True)
class Entry:
    """What terms and lessons share: identity, definition, classification and body."""

    slug: Slug
    source: SourcePath
    title: str
    summary: str
    level: str
    area: Slug
    tags: tuple[str, ...]
    body: str
    body_line: int
    locations: Mapping[str, Location]  # front matter key -> where its value starts
    redirect_from: tuple[Ref, ...]  # old site paths ("terms/old-slug/") that should lead here

    def where(self, key: str) -> Location:
        return self.locations.get(key) or Location(self.source, 1, 1)


@dataclass(frozen=True)
class Term(Entry):
    aliases: tuple[str, ...] = ()
    lesson: Ref | None = None
    related_lessons: tuple[Ref, ...] = ()
    see_also: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class Lesson(Entry):
    terms: tuple[Ref, ...] = ()
    prerequisites: tuple[Ref, ...] = ()
    references: tuple[Reference, ...] = ()
    quiz: tuple[Question, ...] = ()


def frozen_map(items) -> Mapping:
    """A read-only mapping, so later phases cannot patch what an earlier one produced."""
    return MappingProxyType(dict(items))
