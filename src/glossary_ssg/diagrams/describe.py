"""Accessible names and descriptions for diagrams, from what the author wrote.

Mermaid's own accTitle and accDescr win; otherwise the fence's caption, or
the heading the diagram sits under, names it, and its kind describes it.
"""

from __future__ import annotations

import re

_ACC_TITLE = re.compile(r"^\s*accTitle\s*:\s*(.+?)\s*$", re.M)
_ACC_DESCR_LINE = re.compile(r"^\s*accDescr\s*:\s*(.+?)\s*$", re.M)
_ACC_DESCR_BLOCK = re.compile(r"^\s*accDescr\s*\{(.*?)\}", re.M | re.S)
_KINDS = {
    "flowchart": "Flowchart", "graph": "Flowchart", "sequenceDiagram": "Sequence diagram",
    "classDiagram": "Class diagram", "stateDiagram": "State diagram", "stateDiagram-v2": "State diagram",
    "erDiagram": "Entity-relationship diagram", "gantt": "Gantt chart", "pie": "Pie chart",
    "journey": "User journey", "gitGraph": "Git graph", "mindmap": "Mind map", "timeline": "Timeline",
    "quadrantChart": "Quadrant chart", "requirementDiagram": "Requirement diagram", "C4Context": "C4 diagram",
    "sankey-beta": "Sankey diagram", "xychart-beta": "XY chart", "block-beta": "Block diagram",
    "architecture-beta": "Architecture diagram", "packet-beta": "Packet diagram",
}


def diagram_kind(source: str) -> str:
    """'Sequence diagram' and so on, from the first keyword after any front matter and directives."""
    body = re.sub(r"\A---\n.*?\n---\n", "", source.lstrip(), flags=re.S)
    for line in body.splitlines():
        words = line.split()
        if not words or line.lstrip().startswith("%%"):
            continue
        return _KINDS.get(words[0], "Diagram")
    return "Diagram"


def accessible_name(source: str, caption: str | None, heading: str | None) -> str:
    match = _ACC_TITLE.search(source)
    return (match.group(1) if match else None) or caption or heading or diagram_kind(source)


def accessible_description(source: str, caption: str | None, heading: str | None) -> str:
    for pattern in (_ACC_DESCR_BLOCK, _ACC_DESCR_LINE):
        match = pattern.search(source)
        if match and match.group(1).strip():
            return " ".join(match.group(1).split())
    context = caption or heading
    kind = diagram_kind(source)
    return f"{kind}: {context}. Its Mermaid source follows." if context else f"{kind}. Its Mermaid source follows."
