"""Render through a mermaid.ink server (MERMAID_INK_SERVER), for teams that host their own.

Uses mermaid-py's client. The server runs its own Mermaid with its own
security settings; the theme travels in the diagram's front matter.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Sequence

from glossary_ssg import limits
from glossary_ssg.diagrams.renderer import (
    THEMES,
    DiagramJob,
    Progress,
    Rendered,
    RendererUnavailable,
)


class InkRenderer:
    name = "ink"

    def __init__(self) -> None:
        self.server = os.environ.get("MERMAID_INK_SERVER", "").rstrip("/")
        if not self.server:
            raise RendererUnavailable("the ink renderer needs MERMAID_INK_SERVER set to your mermaid.ink server, "
                                      "e.g. http://localhost:3000")

    def identity(self) -> str:
        return f"mermaid.ink at {self.server}"

    def render(self, jobs: Sequence[DiagramJob], progress: Progress) -> list[Rendered]:
        def one(job: DiagramJob) -> Rendered:
            result = render_one(job)
            progress(1)
            return result

        # mermaid-py sets no timeout of its own; the socket default bounds every connect and read.
        previous = socket.getdefaulttimeout()
        socket.setdefaulttimeout(limits.DIAGRAM_SECONDS)
        try:
            with ThreadPoolExecutor(max_workers=4) as pool:  # the work happens on the server
                return list(pool.map(one, jobs))
        finally:
            socket.setdefaulttimeout(previous)


def render_one(job: DiagramJob) -> Rendered:
    import requests

    with contextlib.redirect_stdout(io.StringIO()):  # mermaid-py prints a note about IPython on import
        from mermaid import Mermaid
        from mermaid.__main__ import MermaidError

    try:
        diagram = Mermaid(with_theme(job.source, THEMES[job.variant]))
        diagram.img_response.close()
        with diagram.svg_response as response:  # release the connection now, not at garbage collection
            svg = response.text
    except MermaidError as exc:
        return Rendered(error=str(exc))
    except requests.RequestException as exc:
        return Rendered(error=f"could not reach {os.environ.get('MERMAID_INK_SERVER')}: {exc}")
    if "<svg" not in svg:
        return Rendered(error="the server's answer is not SVG")
    return Rendered(svg=svg)


def with_theme(source: str, theme: str) -> str:
    """Set the theme, and SVG-text labels (HTML labels would be stripped), in the diagram's front matter."""
    settings = f"config:\n  theme: {theme}\n  htmlLabels: false\n  flowchart:\n    htmlLabels: false\n"
    if source.startswith("---\n"):
        return "---\n" + settings + source[4:]
    return f"---\n{settings}---\n{source}"
