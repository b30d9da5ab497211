"""Which of mermaidx's two JavaScript engines renders a diagram: V8 where it renders as QuickJS does.

V8 (the mini-racer package) runs Mermaid three to four times faster than
QuickJS. Both run the same Mermaid code, but not always to the same bytes:
their Math functions can differ in the last bit of a coordinate, V8 sorts
by locale where QuickJS compares code units, and V8 measures text with
kerning between ASCII characters only. So V8 takes the kinds of diagram
compared with QuickJS (tests/test_diagram_engines.py), with ASCII text;
the choice depends on the source alone, so a build is as repeatable as
before, and it is part of the diagram cache's key.
"""

from __future__ import annotations

import re
from functools import lru_cache

QUICKJS = "quickjs"
V8 = "v8"

# Not here: mindmap (mermaidx documents that its layout may never settle in V8), gitGraph (random commit ids in
# either engine), and kinds not compared yet.
V8_KINDS = frozenset({"flowchart", "graph", "sequenceDiagram", "classDiagram", "stateDiagram", "stateDiagram-v2",
                      "erDiagram", "gantt", "pie", "journey", "timeline", "quadrantChart"})

_FRONT_MATTER = re.compile(r"\A\s*---\n.*?\n---[ \t]*\n", re.S)


@lru_cache(maxsize=1)
def v8_version() -> str | None:
    """mini-racer's version, from its metadata as every library's version is read; None without it."""
    from glossary_ssg.toolchain import library_versions
    found = next(entry for entry in library_versions() if entry.startswith("mini_racer "))
    return None if found.endswith(" absent") else found.removeprefix("mini_racer ")


def choice_identity() -> str:
    """What decides the engine, for the cache key: V8's version and the kinds it takes."""
    version = v8_version()
    return f"V8 {version} for {', '.join(sorted(V8_KINDS))}" if version else "QuickJS only"


def diagram_kind(source: str) -> str:
    """Mermaid's diagram keyword: the first word after any front matter, directives and comments."""
    for line in _FRONT_MATTER.sub("", source, count=1).splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("%%"):
            return re.split(r"[\s;]", stripped, maxsplit=1)[0]
    return ""


def engine_for(source: str) -> str:
    if v8_version() and source.isascii() and diagram_kind(source) in V8_KINDS:
        return V8
    return QUICKJS


def text_is_ascii(svg: str) -> bool:
    """Mermaid adds text of its own (a class's «interface»), which V8 would measure without its kerning."""
    return svg.isascii()
