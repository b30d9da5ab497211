"""Every piece of Markdown an entry holds, with the file line to report its problems at."""

from __future__ import annotations

from typing import Iterator

from glossary_ssg.model import Lesson, Term


def markdown_texts(entry: Term | Lesson) -> Iterator[tuple[str, int]]:
    """(text, line of its first line): the body, then quiz prompts, choices, feedback and explanations."""
    yield entry.body, entry.body_line
    if isinstance(entry, Lesson) and entry.quiz:
        line = entry.where("quiz").line  # quiz texts are YAML values: their fences sit at the quiz's line
        for question in entry.quiz:
            yield question.prompt, line
            yield question.explanation, line
            for choice in question.choices:
                yield choice.text, line
                yield choice.feedback, line
