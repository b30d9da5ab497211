"""Render every body, quiz and concept map once, after the graph and the diagrams are complete.

Term bodies sit under the page's "What is X?" heading, so their headings start
one level deeper than a lesson's. Markdown from content is sanitised before
our own blocks (diagrams, highlighted code) are put back in. Work on
untrusted text runs under time budgets; what exceeds one, or nests too deeply
for the parser, becomes a diagnostic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

import markdown

from glossary_ssg import limits
from glossary_ssg.config import SiteConfig
from glossary_ssg.diagrams.concept_map import concept_map_source
from glossary_ssg.diagrams.figure import diagram_figure
from glossary_ssg.diagrams.phase import DiagramSet
from glossary_ssg.errors import Diagnostic, Location, error, warning
from glossary_ssg.fingerprint import of_text, of_value
from glossary_ssg.graph import Graph
from glossary_ssg.limits import TimeBudgetExceeded, time_budget
from glossary_ssg.markup.blocks import extract_blocks, restore_blocks
from glossary_ssg.markup.code import render_code
from glossary_ssg.markup.fences import MERMAID, Fence
from glossary_ssg.markup.headings import HeadingIds, heading_slug
from glossary_ssg.markup.inline import QuickInline
from glossary_ssg.markup.name_changes import name_change
from glossary_ssg.markup.quickblocks import QuickBlocks
from glossary_ssg.markup.sanitize import sanitize_html
from glossary_ssg.markup.termlinks import MentionMatcher, TermLinks
from glossary_ssg.memo import Recall
from glossary_ssg.model import Lesson, Question, RenderedChoice, RenderedQuestion, Term, frozen_map
from glossary_ssg.names import LinkNames
from glossary_ssg.parallel import map_in_processes
from glossary_ssg.paths import Slug
from glossary_ssg.toolchain import tool_identity

_EXTENSIONS = ["tables", "sane_lists", "md_in_html"]
# One line of words and punctuation that no Markdown rule acts on: no markup characters, no list or
# heading marker at the start, no surrounding space. Quiz prompts and choices are mostly such lines.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:?!'()/%-]*(?<! )")


@dataclass(frozen=True)
class RenderedContent:
    term_bodies: Mapping[Slug, str]
    lesson_bodies: Mapping[Slug, str]
    body_links: Mapping[tuple[str, Slug], tuple[Slug, ...]]  # ("term" or "lesson", slug) -> terms its body links to
    concept_maps: Mapping[Slug, str]
    quizzes: Mapping[Slug, tuple[RenderedQuestion, ...]]


def plain_paragraph(text: str) -> str | None:
    """What Markdown (and the sanitiser) would make of a plain line, without running them: a quiz has
    twenty such texts, and a Markdown conversion costs far more than the text."""
    return f"<p>{text}</p>" if _PLAIN.fullmatch(text) else None


class MarkdownRenderer:
    """Markdown to safe HTML with our own fenced blocks (diagrams from the diagram phase, code from
    Pygments) and links to terms ([[Term]], and automatic ones when `autolink` is on)."""

    def __init__(self, diagrams: DiagramSet, base_heading_level: int, term_links: TermLinks | None = None):
        self.diagrams = diagrams
        self.term_links = term_links
        self.converter = markdown.Markdown(
            extensions=[*_EXTENSIONS, QuickBlocks(), QuickInline(),
                        HeadingIds(baselevel=base_heading_level, slugify=heading_slug),
                        *([term_links] if term_links else [])],
            output_format="html")
        self.problems: list[Diagnostic] = []

    @property
    def linked_terms(self) -> tuple[Slug, ...]:
        """The terms the last text rendered links to, in order."""
        return tuple(self.term_links.linked) if self.term_links else ()

    def render(self, text: str, where: Location, id_prefix: str = "diagram", page: Slug | None = None) -> str:
        """`where` is the file and line the text starts at; `id_prefix` keeps diagram ids unique on a page;
        `page` is the term whose page this is, which is never linked to itself."""
        if self.term_links:
            self.term_links.start(page)  # before any return: linked_terms must describe this text only
        if self.term_links is None or not self.term_links.autolink:
            if (plain := plain_paragraph(text)) is not None:
                return plain
        prepared, blocks = extract_blocks(text, lambda fence, index, heading: self._fence(
            fence, f"{id_prefix}-{index}", heading, where))
        self.converter.reset()
        try:
            with time_budget(limits.MARKDOWN_SECONDS):
                converted = self.converter.convert(prepared)
        except TimeBudgetExceeded as exc:
            self.problems.append(error("too-slow", f"this Markdown {exc} to render", where,
                                       "look for very long runs of brackets or emphasis markers"))
            return ""
        except RecursionError:
            self.problems.append(error("too-deep", "this Markdown nests too deeply to render", where,
                                       "flatten deeply nested quotes, lists or emphasis"))
            return ""
        return restore_blocks(sanitize_html(converted), blocks)

    def render_inline(self, text: str, where: Location, id_prefix: str) -> str:
        """For quiz choices: a single paragraph loses its <p> so it can sit inside a label."""
        html = self.render(text, where, id_prefix)
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            return html[3:-4]
        return html

    def _fence(self, fence: Fence, prefix: str, heading: str | None, where: Location) -> str:
        if fence.language == MERMAID:
            return diagram_figure(self.diagrams, fence.code, prefix, fence.options.get("caption"), heading)
        try:
            return render_code(fence.code, fence.language, "linenums" in fence.options)
        except TimeBudgetExceeded as exc:
            self.problems.append(warning("too-slow", f"highlighting this code block {exc}; it is shown as plain "
                                                     "text", Location(where.path, where.line + fence.first_line,
                                                                      fence.indent + 1)))
            return render_code(fence.code, "text", "linenums" in fence.options)


RENDERING = "2"  # bump when rendering changes, so remembered HTML from before is not reused
_NAMES = "link-names"  # the memo's entry for the names its HTML was rendered with


def render_content(graph: Graph, diagrams: DiagramSet, memo: Recall | None = None, workers: int = 1
                   ) -> tuple[RenderedContent, tuple[Diagnostic, ...]]:
    """Bodies and quizzes are rendered once per distinct input, in parallel, and remembered in `memo`.

    What a body renders to depends on its own text and place, the base path of links and the diagram
    renderer, which the key holds, and on the names that can be linked (titles, aliases, slugs), which each
    remembered result is stored with. When the names changed, a result is still reused for a text that holds
    none of the changed names (name_changes.py).
    """
    config = graph.config
    memo = memo if memo is not None else Recall()
    shared = of_value((RENDERING, tool_identity(), config.base_path, config.autolink, diagrams.identity))
    names = LinkNames.of(graph)
    names_digest = of_value((names.names, names.mentions, names.titles))
    jobs = [("term", slug, of_text(shared, "term", slug, term.source, str(term.body_line), term.body))
            for slug, term in graph.terms.items()]
    jobs += [("lesson", slug, of_text(shared, "lesson", slug, lesson.source, str(lesson.body_line), lesson.body))
             for slug, lesson in graph.lessons.items()]
    jobs += [("quiz", slug, of_text(shared, "quiz", slug, lesson.source, of_value(lesson.quiz)))
             for slug, lesson in graph.lessons.items()]
    reused = _reusable(graph, memo, names, names_digest, jobs)
    missing = [job for job in jobs if job[2] not in reused]
    fresh = {}
    if missing:  # the renderers index every name: only worth it when something is rendered
        for job, result in zip(missing, map_in_processes(_JobRenderer(graph, diagrams), missing, workers)):
            fresh[job[2]] = result
            if not any(problem.code == "too-slow" for problem in result[2]):  # timing is not an input: retry
                memo.put(job[2], (names_digest, result))
    term_bodies, lesson_bodies, links, quizzes, problems = {}, {}, {}, {}, []
    for kind, slug, key in jobs:
        output, linked, found = fresh[key] if key in fresh else reused[key]
        problems += found
        if kind == "quiz":
            quizzes[slug] = output
            continue
        (term_bodies if kind == "term" else lesson_bodies)[slug] = output
        links[(kind, slug)] = linked
    content = RenderedContent(
        term_bodies=frozen_map(term_bodies),
        lesson_bodies=frozen_map(lesson_bodies),
        body_links=frozen_map(links),
        concept_maps=frozen_map((slug, diagram_figure(diagrams, concept_map_source(graph, slug), "concept-map",
                                                      f"Concept map of {term.title}") if config.concept_maps else "")
                                for slug, term in graph.terms.items()),
        quizzes=frozen_map(quizzes),
    )
    return content, tuple(problems)


def _reusable(graph: Graph, memo: Recall, names: LinkNames, names_digest: str, jobs: list[tuple[str, Slug, str]]
              ) -> dict[str, tuple]:
    """The jobs' remembered results that hold for the names as they are now (each is kept for the next build,
    with the names). A value that still holds as it is stays the one loaded: a memo table whose values are
    all as loaded is not written again (BuildStore.save_memo)."""
    earlier = memo.earlier(_NAMES)
    unchanged = earlier is not None and earlier[0] == names_digest
    memo.put(_NAMES, earlier if unchanged else (names_digest, names))
    change = name_change(earlier[1], names) if earlier is not None and not unchanged else None
    found = {}
    for kind, slug, key in jobs:
        remembered = memo.earlier(key)
        if remembered is None:
            continue
        rendered_with, result = remembered
        if rendered_with == names_digest:
            found[key] = result
            memo.put(key, remembered)
        elif change is not None and rendered_with == earlier[0] and change.leaves(_job_text(graph, kind, slug)):
            found[key] = result
            memo.put(key, (names_digest, result))
    return found


def _job_text(graph: Graph, kind: str, slug: Slug) -> str:
    """All the Markdown a job renders."""
    if kind == "term":
        return graph.terms[slug].body
    if kind == "lesson":
        return graph.lessons[slug].body
    return "\n".join(text for question in graph.lessons[slug].quiz
                     for text in (question.prompt, question.explanation,
                                  *(part for choice in question.choices for part in (choice.text, choice.feedback))))


class EntryRenderer:
    """Renders an entry's body, or a lesson's quiz, to (HTML, linked terms, problems)."""

    def __init__(self, names: LinkNames, config: SiteConfig, diagrams: DiagramSet,
                 matcher: MentionMatcher | None = None):
        """`matcher`: the mentions of these names, indexed (MentionMatcher), when it is already made: making it
        is most of making a renderer."""
        if matcher is None and config.autolink:
            matcher = MentionMatcher(names.mentions)  # one for both renderers

        def term_links(autolink: bool = config.autolink) -> TermLinks:
            return TermLinks(names.names, names.mentions, names.titles,
                             lambda slug: f"{config.base_path}terms/{slug}/", autolink, matcher)

        self.term_renderer = MarkdownRenderer(diagrams, 2, term_links())  # `## Why` becomes <h3> under "What is X?"
        self.lesson_renderer = MarkdownRenderer(diagrams, 1, term_links())
        self.quiz_renderer = MarkdownRenderer(diagrams, 4, term_links(autolink=False))  # [[links]] only

    def body(self, entry: Term | Lesson):
        renderer = self.term_renderer if isinstance(entry, Term) else self.lesson_renderer
        renderer.problems = []
        html = renderer.render(entry.body, Location(entry.source, entry.body_line),
                               page=entry.slug if isinstance(entry, Term) else None)
        return html, renderer.linked_terms, renderer.problems

    def quiz(self, lesson: Lesson):
        renderer = self.quiz_renderer
        renderer.problems = []
        output = tuple(_render_question(q, lesson.source, renderer) for q in lesson.quiz)
        return output, (), renderer.problems


class _JobRenderer:
    """Renders one ("term" | "lesson" | "quiz", slug, key) job."""

    def __init__(self, graph: Graph, diagrams: DiagramSet):
        self.graph = graph
        self.renderer = EntryRenderer(LinkNames.of(graph), graph.config, diagrams)

    def __call__(self, job: tuple[str, Slug, str]):
        kind, slug, _ = job
        if kind == "quiz":
            return self.renderer.quiz(self.graph.lessons[slug])
        return self.renderer.body(self.graph.terms[slug] if kind == "term" else self.graph.lessons[slug])


def _render_question(question: Question, source: str, renderer: MarkdownRenderer) -> RenderedQuestion:
    prefix = f"quiz-{question.id}"
    return RenderedQuestion(
        id=question.id,
        prompt_html=renderer.render(question.prompt, Location(source, question.prompt_line), f"{prefix}-prompt"),
        choices=tuple(
            RenderedChoice(renderer.render_inline(choice.text, Location(source, choice.text_line), f"{prefix}-c{n}"),
                           choice.correct,
                           renderer.render(choice.feedback, Location(source, choice.feedback_line), f"{prefix}-f{n}")
                           if choice.feedback else "")
            for n, choice in enumerate(question.choices, start=1)),
        explanation_html=renderer.render(question.explanation, Location(source, question.explanation_line),
                                         f"{prefix}-explanation"),
        multiple=question.multiple,
    )
