"""The diagram phase: find every diagram, render what the cache lacks, report Mermaid's errors at their fences.

Runs after the graph (concept maps need it) and before Markdown is rendered,
which then only looks finished SVG up by source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from glossary_ssg import limits
from glossary_ssg.config import CONFIG_FILE
from glossary_ssg.diagrams.cache import DiagramCache
from glossary_ssg.diagrams.concept_map import concept_map_source
from glossary_ssg.diagrams.renderer import THEMES, DiagramJob, DiagramRenderer, Progress
from glossary_ssg.errors import Diagnostic, Location, error, note
from glossary_ssg.graph import Graph
from glossary_ssg.markup.fences import MERMAID, Fence
from glossary_ssg.model import Lesson, Term, frozen_map

_STACK_FRAME = re.compile(r"(^at |\(\S+:\d+:\d+\)$)")  # JavaScript stack lines say nothing to an author


@dataclass(frozen=True)
class DiagramUse:
    """One diagram as it appears in the content: its source and where to report a problem."""

    source: str
    location: Location


@dataclass(frozen=True)
class DiagramSet:
    svgs: Mapping[tuple[str, str], str]  # (source, variant) -> the renderer's SVG
    rendered: int
    reused: int
    identity: str = ""  # the renderer and its version: with a source and variant, it decides the SVG

    def svg(self, source: str, variant: str) -> str:
        return self.svgs[(source, variant)]

    def summary(self) -> str:
        return f"diagrams: {self.rendered} rendered, {self.reused} reused"


def find_diagrams(graph: Graph, fences: Iterable[tuple[Term | Lesson, Fence, Location]]) -> tuple[DiagramUse, ...]:
    """Every Mermaid fence in every body and quiz (`fences`: markup.texts.entry_fences), then every term's
    concept map, in a stable order."""
    uses = [DiagramUse(fence.code, where) for _, fence, where in fences if fence.language == MERMAID]
    if graph.config.concept_maps:
        for slug, term in graph.terms.items():
            uses.append(DiagramUse(concept_map_source(graph, slug), Location(term.source, 1, 1)))
    return tuple(uses)


def render_diagrams(uses: tuple[DiagramUse, ...], renderer: DiagramRenderer, cache: DiagramCache,
                    on_start: Callable[[int], Progress]) -> tuple[DiagramSet, tuple[Diagnostic, ...]]:
    """Render each distinct (source, variant) not in the cache; `on_start(n)` returns a progress callback."""
    identity = renderer.identity()
    oversized = {use.source for use in uses if len(use.source) > limits.DIAGRAM_CHARACTERS}
    wanted = sorted({DiagramJob(use.source, variant) for use in uses for variant in THEMES
                     if use.source not in oversized}, key=lambda job: (job.source, job.variant))
    svgs: dict[tuple[str, str], str] = {}
    missing = []
    for job in wanted:
        cached = cache.get(cache.key(identity, job))
        if cached is None:
            missing.append(job)
        else:
            svgs[(job.source, job.variant)] = cached
    failures: dict[str, str] = {source: f"its source is {len(source):,} characters; the limit is "
                                        f"{limits.DIAGRAM_CHARACTERS:,}" for source in oversized}
    if missing:
        results = renderer.render(missing, on_start(len(missing)))
        for job, result in zip(missing, results):
            if result.svg is not None:
                svgs[(job.source, job.variant)] = result.svg
                cache.put(cache.key(identity, job), result.svg)
            else:
                failures.setdefault(job.source, result.error or "unknown error")
    diagnostics = []
    reported = set()
    for use in uses:
        if use.source in failures and (use.source, use.location) not in reported:
            reported.add((use.source, use.location))
            message = failures[use.source]
            diagnostics.append(error("diagram", f"Mermaid could not render this diagram: {_one_line(message)}",
                                     use.location, _line_hint(message, use.location)))
    if cache.write_error:
        diagnostics.append(note("diagram-cache", f"the diagram cache cannot be written: {cache.write_error}",
                                Location(CONFIG_FILE), "diagrams will render again on the next build"))
    return (DiagramSet(frozen_map(svgs), rendered=len(missing), reused=len(wanted) - len(missing), identity=identity),
            tuple(diagnostics))


def _line_hint(message: str, fence: Location) -> str | None:
    """Mermaid counts lines from the diagram's first line, which is the line after the fence."""
    match = re.search(r"on line (\d+)", message)
    if not match:
        return None
    line = int(match.group(1))
    return f"Mermaid's line {line} is line {fence.line + line} of the file"


def _one_line(message: str) -> str:
    """Mermaid's parse errors span lines (with a caret diagram); keep them on the diagnostic's line."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not set(line) <= set("-^") and not _STACK_FRAME.search(line)]
    return " | ".join(lines).removeprefix("Error: ")
