"""The cross-reference graph as data: JSON for programs, DOT for Graphviz, Mermaid for Markdown.

Nodes are terms and lessons (`term:slug`, `lesson:slug`); edges are typed:
see_also, lesson (in depth), related_lesson, covers, prerequisite. The order
is stable, so exports can be diffed.
"""

from __future__ import annotations

import json

from glossary_ssg.graph import Graph

EXPORT_FORMATS = ("json", "dot", "mermaid")


def graph_edges(graph: Graph) -> list[tuple[str, str, str]]:
    """(kind, source node, target node) for every edge, in a stable order."""
    edges = []
    for slug in graph.terms:
        edges += [("see_also", f"term:{slug}", f"term:{other}") for other in graph.see_also[slug]]
        if slug in graph.in_depth_lesson:
            edges.append(("lesson", f"term:{slug}", f"lesson:{graph.in_depth_lesson[slug]}"))
        edges += [("related_lesson", f"term:{slug}", f"lesson:{other}") for other in graph.related_lessons[slug]]
    for slug in graph.lessons:
        edges += [("covers", f"lesson:{slug}", f"term:{term}") for term in graph.lesson_terms[slug]]
        edges += [("prerequisite", f"lesson:{slug}", f"lesson:{other}") for other in graph.prerequisites[slug]]
    return edges


def graph_nodes(graph: Graph) -> list[dict]:
    nodes = [{"id": f"term:{s}", "kind": "term", "slug": s, "title": t.title, "level": t.level, "area": t.area}
             for s, t in graph.terms.items()]
    nodes += [{"id": f"lesson:{s}", "kind": "lesson", "slug": s, "title": les.title, "level": les.level,
               "area": les.area} for s, les in graph.lessons.items()]
    return nodes


def export_graph(graph: Graph, form: str) -> str:
    nodes, edges = graph_nodes(graph), graph_edges(graph)
    if form == "json":
        return json.dumps({"version": 1, "nodes": nodes,
                           "edges": [{"kind": k, "from": a, "to": b} for k, a, b in edges]},
                          indent=2, ensure_ascii=False) + "\n"
    if form == "dot":
        lines = ["digraph glossary {", "  rankdir=LR;"]
        shapes = {"term": "ellipse", "lesson": "box"}
        lines += [f'  "{n["id"]}" [label={json.dumps(n["title"], ensure_ascii=False)}, shape={shapes[n["kind"]]}];' for n in nodes]
        lines += [f'  "{a}" -> "{b}" [label="{k}"];' for k, a, b in edges]
        return "\n".join(lines + ["}"]) + "\n"
    ids = {n["id"]: f"n{i}" for i, n in enumerate(nodes)}
    lines = ["flowchart LR"]
    lines += [f'  {ids[n["id"]]}{"[" if n["kind"] == "lesson" else "(["}"{_mermaid_label(n["title"])}"'
              f'{"]" if n["kind"] == "lesson" else "])"}' for n in nodes]
    lines += [f"  {ids[a]} -->|{k}| {ids[b]}" for k, a, b in edges]
    return "\n".join(lines) + "\n"


def _mermaid_label(text: str) -> str:
    return text.replace("#", "#35;").replace('"', "#quot;")
