"""Render every body once, after the graph is complete and before pages are planned.

Term bodies sit under the page's "What is X?" heading, so their headings start
one level deeper than a lesson's.
"""

from __future__ import annotations

from typing import Mapping

import markdown

from glossary_ssg.graph import Graph
from glossary_ssg.model import frozen_map
from glossary_ssg.paths import Slug

_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "toc", "codehilite", "md_in_html"]


def _converter(base_heading_level: int) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=_EXTENSIONS,
        extension_configs={
            "toc": {"baselevel": base_heading_level},
            "codehilite": {"guess_lang": False, "css_class": "highlight"},
        },
        output_format="html",
    )


def render_markdown(text: str, converter: markdown.Markdown) -> str:
    converter.reset()
    return converter.convert(text)


def render_bodies(graph: Graph) -> tuple[Mapping[Slug, str], Mapping[Slug, str]]:
    """HTML of every term body and every lesson body, keyed by slug."""
    term_converter = _converter(base_heading_level=2)  # `## Why` becomes <h3> under "What is X?"
    lesson_converter = _converter(base_heading_level=1)
    terms = {slug: render_markdown(term.body, term_converter) for slug, term in graph.terms.items()}
    lessons = {slug: render_markdown(lesson.body, lesson_converter) for slug, lesson in graph.lessons.items()}
    return frozen_map(terms), frozen_map(lessons)


def highlight_css() -> str:
    """Pygments colours for code blocks, a light style and a dark one chosen by the reader's preference."""
    from pygments.formatters import HtmlFormatter

    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="github-dark").get_style_defs(".highlight")
    indented = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{indented}\n}}\n"
