"""The interface every diagram renderer implements, and the Mermaid settings they all share.

A renderer turns Mermaid sources into SVG text. It knows nothing about pages,
caches or ids; the diagram phase handles those once for every renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

THEMES = {"light": "default", "dark": "dark"}  # our variant name -> Mermaid's theme name

# securityLevel strict: labels are encoded and click handlers disabled.
# handDrawnSeed and deterministicIds make the same source give the same SVG.
# htmlLabels off: labels are SVG text, not HTML inside <foreignObject>, so the
# inline SVG is valid HTML and holds no markup from the diagram's labels.
MERMAID_CONFIG = {"securityLevel": "strict", "handDrawnSeed": 1, "deterministicIds": True,
                  "htmlLabels": False, "flowchart": {"htmlLabels": False}}


@dataclass(frozen=True)
class DiagramJob:
    source: str
    variant: str  # "light" or "dark"


@dataclass(frozen=True)
class Rendered:
    """What became of one job: SVG text, or Mermaid's own error message."""

    svg: str | None = None
    error: str | None = None


Progress = Callable[[int], None]  # called with the number of jobs just finished


class DiagramRenderer(Protocol):
    name: str

    def identity(self) -> str:
        """Renderer and version: part of every cache key, so an upgrade re-renders."""

    def render(self, jobs: Sequence[DiagramJob], progress: Progress) -> list[Rendered]:
        """One result per job, in the same order."""


class RendererUnavailable(Exception):
    """The chosen renderer cannot run here; the message says what to install or set."""
