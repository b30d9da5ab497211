"""Render every body, quiz and concept map once, after the graph and the diagrams are complete.

Term bodies sit under the page's "What is X?" heading, so their headings start
one level deeper than a lesson's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import markdown

from glossary_ssg.diagrams.concept_map import concept_map_source
from glossary_ssg.diagrams.figure import diagram_figure
from glossary_ssg.diagrams.phase import DiagramSet
from glossary_ssg.graph import Graph
from glossary_ssg.markup.blocks import extract_blocks, restore_blocks
from glossary_ssg.markup.code import render_code
from glossary_ssg.markup.fences import MERMAID, Fence
from glossary_ssg.markup.sanitize import sanitize_html
from glossary_ssg.model import Question, frozen_map
from glossary_ssg.paths import Slug

_EXTENSIONS = ["tables", "sane_lists", "toc", "md_in_html"]


@dataclass(frozen=True)
class RenderedChoice:
    html: str
    correct: bool
    feedback_html: str


@dataclass(frozen=True)
class RenderedQuestion:
    id: str
    prompt_html: str
    choices: tuple[RenderedChoice, ...]
    explanation_html: str
    multiple: bool


@dataclass(frozen=True)
class RenderedContent:
    term_bodies: Mapping[Slug, str]
    lesson_bodies: Mapping[Slug, str]
    concept_maps: Mapping[Slug, str]
    quizzes: Mapping[Slug, tuple[RenderedQuestion, ...]]


class MarkdownRenderer:
    """Markdown to HTML with our own fenced blocks: diagrams from the diagram phase, code from Pygments."""

    def __init__(self, diagrams: DiagramSet, base_heading_level: int):
        self.diagrams = diagrams
        self.converter = markdown.Markdown(extensions=_EXTENSIONS,
                                           extension_configs={"toc": {"baselevel": base_heading_level}},
                                           output_format="html")

    def render(self, text: str, id_prefix: str = "diagram") -> str:
        """`id_prefix` keeps diagram ids unique when several texts share a page."""
        prepared, blocks = extract_blocks(text, lambda fence, index, heading: self._fence(
            fence, f"{id_prefix}-{index}", heading))
        self.converter.reset()
        return restore_blocks(sanitize_html(self.converter.convert(prepared)), blocks)

    def render_inline(self, text: str, id_prefix: str) -> str:
        """For quiz choices: a single paragraph loses its <p> so it can sit inside a label."""
        html = self.render(text, id_prefix)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html

    def _fence(self, fence: Fence, prefix: str, heading: str | None) -> str:
        if fence.language == MERMAID:
            return diagram_figure(self.diagrams, fence.code, prefix, fence.options.get("caption"), heading)
        return render_code(fence.code, fence.language, "linenums" in fence.options)


def render_content(graph: Graph, diagrams: DiagramSet) -> RenderedContent:
    term_renderer = MarkdownRenderer(diagrams, base_heading_level=2)  # `## Why` becomes <h3> under "What is X?"
    lesson_renderer = MarkdownRenderer(diagrams, base_heading_level=1)
    quiz_renderer = MarkdownRenderer(diagrams, base_heading_level=4)
    return RenderedContent(
        term_bodies=frozen_map((slug, term_renderer.render(term.body)) for slug, term in graph.terms.items()),
        lesson_bodies=frozen_map((slug, lesson_renderer.render(lesson.body))
                                 for slug, lesson in graph.lessons.items()),
        concept_maps=frozen_map((slug, diagram_figure(diagrams, concept_map_source(graph, slug), "concept-map",
                                                      f"Concept map of {term.title}"))
                                for slug, term in graph.terms.items()),
        quizzes=frozen_map((slug, tuple(_render_question(q, quiz_renderer) for q in lesson.quiz))
                           for slug, lesson in graph.lessons.items()),
    )


def _render_question(question: Question, renderer: MarkdownRenderer) -> RenderedQuestion:
    prefix = f"quiz-{question.id}"
    return RenderedQuestion(
        id=question.id,
        prompt_html=renderer.render(question.prompt, f"{prefix}-prompt"),
        choices=tuple(RenderedChoice(renderer.render_inline(choice.text, f"{prefix}-choice{n}"), choice.correct,
                                     renderer.render(choice.feedback, f"{prefix}-feedback{n}")
                                     if choice.feedback else "")
                      for n, choice in enumerate(question.choices, start=1)),
        explanation_html=renderer.render(question.explanation, f"{prefix}-explanation"),
        multiple=question.multiple,
    )
