"""Every piece of Markdown an entry holds, with the file line to report its problems at."""

from __future__ import annotations

from typing import Iterable, Iterator

from glossary_ssg.errors import Location
from glossary_ssg.graph import Graph
from glossary_ssg.markup.fences import Fence, scan_fences
from glossary_ssg.model import Lesson, Term


def markdown_texts(entry: Term | Lesson) -> Iterator[tuple[str, int]]:
    """(text, file line of its first line): the body, then quiz prompts, choices, feedback and explanations."""
    yield entry.body, entry.body_line
    if isinstance(entry, Lesson):
        for question in entry.quiz:
            yield question.prompt, question.prompt_line
            yield question.explanation, question.explanation_line
            for choice in question.choices:
                yield choice.text, choice.text_line
                if choice.feedback:
                    yield choice.feedback, choice.feedback_line


def entry_fences(graph: Graph) -> Iterator[tuple[Term | Lesson, Fence, Location]]:
    """Every fenced block in every term and lesson, with the location of its opening fence."""
    return fences_in([*graph.terms.values(), *graph.lessons.values()])


def fences_in(entries: Iterable[Term | Lesson]) -> Iterator[tuple[Term | Lesson, Fence, Location]]:
    for entry in entries:
        for text, first_line in markdown_texts(entry):
            for fence in scan_fences(text):
                yield entry, fence, Location(entry.source, first_line + fence.first_line, fence.indent + 1)
