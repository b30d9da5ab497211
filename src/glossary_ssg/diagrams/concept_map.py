"""Each term's concept map: the term, its see-also terms and its lessons, as a Mermaid flowchart.

Built with mermaid-py's flowchart classes, with titles escaped for Mermaid's
quoted labels; rendered by the same pipeline as authored diagrams.
"""

from __future__ import annotations

import contextlib
import io

from glossary_ssg.graph import Graph
from glossary_ssg.paths import Slug


def concept_map_source(graph: Graph, slug: Slug) -> str:
    # Imported here: mermaid-py brings in requests, which a build without concept maps never needs.
    with contextlib.redirect_stdout(io.StringIO()):  # mermaid-py prints a note about IPython on import
        from mermaid.flowchart import FlowChart, Link, Node

    term = graph.terms[slug]
    centre = Node(f"term_{slug}", _label(term.title), shape="stadium-shape")
    nodes, links = [centre], []
    for other in graph.see_also[slug]:
        node = Node(f"term_{other}", _label(graph.terms[other].title), shape="round-edge")
        nodes.append(node)
        links.append(Link(centre, node, message="see also"))
    lessons = ([graph.in_depth_lesson[slug]] if slug in graph.in_depth_lesson else []) + list(
        graph.related_lessons[slug])
    for index, lesson in enumerate(lessons):
        node = Node(f"lesson_{lesson}", _label(graph.lessons[lesson].title), shape="normal")
        nodes.append(node)
        links.append(Link(centre, node, shape="dotted",
                          message="in-depth lesson" if index == 0 and slug in graph.in_depth_lesson else "lesson"))
    chart = FlowChart(title="", nodes=nodes, links=links, orientation="LR")
    return _without_empty_title(chart.script)


def _label(text: str) -> str:
    """Text as a quoted Mermaid label: '#' starts Mermaid's own escapes (#quot;), so it is escaped first."""
    return text.replace("#", "#35;").replace('"', "#quot;")


def _without_empty_title(script: str) -> str:
    return script.replace("---\ntitle: \n---\n", "", 1).lstrip("\n")
