"""The default renderer: the real Mermaid library in an embedded JavaScript engine (the mermaidx package).

No browser and no network. Each worker process starts its own engine, so
many diagrams render on every core.
"""

from __future__ import annotations

import os
from typing import Sequence

from glossary_ssg import limits
from glossary_ssg.diagrams.renderer import (
    MERMAID_CONFIG,
    THEMES,
    DiagramJob,
    Progress,
    Rendered,
)

_FAILED_PREFIX = "Mermaid rendering failed: "


class MermaidxRenderer:
    name = "mermaidx"

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1

    def identity(self) -> str:
        # From the package's metadata: importing mermaidx starts an engine thread, and this process
        # must stay single-threaded to fork workers for Markdown and templates.
        from glossary_ssg.toolchain import library_versions
        return next(found for found in library_versions() if found.startswith("mermaidx "))

    def render(self, jobs: Sequence[DiagramJob], progress: Progress) -> list[Rendered]:
        """Render in worker processes, so a diagram that runs past its budget can be stopped by killing its pool."""
        results: list[Rendered | None] = [None] * len(jobs)
        pending = list(range(len(jobs)))
        while pending:
            pending = self._render_batch(jobs, pending, results, progress)
        return [result for result in results if result is not None]

    def _render_batch(self, jobs: Sequence[DiagramJob], indexes: list[int], results: list[Rendered | None],
                      progress: Progress) -> list[int]:
        """Render `indexes` into `results`; returns those left undone when a timeout killed the pool."""
        from multiprocessing import TimeoutError, get_context  # here: every build asks for the identity alone

        # spawn, not fork: a forked child would inherit engine threads in an unknown state.
        with get_context("spawn").Pool(processes=min(self.workers, len(indexes))) as pool:
            handles = [(index, pool.apply_async(render_one, (jobs[index],))) for index in indexes]
            left: list[int] = []
            timed_out = False
            for index, handle in handles:
                if timed_out and not handle.ready():
                    left.append(index)  # this pool is about to be killed: render it in the next one
                    continue
                try:
                    results[index] = handle.get(timeout=limits.DIAGRAM_SECONDS)
                except TimeoutError:
                    budget = limits.DIAGRAM_SECONDS
                    results[index] = Rendered(error=f"Mermaid took longer than {budget:g} s to render it")
                    timed_out = True
                progress(1)
            return left  # leaving the block terminates the pool, and with it any stuck worker


def render_one(job: DiagramJob) -> Rendered:
    import mermaidx
    try:
        svg = mermaidx.render(job.source, theme=THEMES[job.variant], config=dict(MERMAID_CONFIG)).svg()
    except RuntimeError as exc:
        return Rendered(error=str(exc).removeprefix(_FAILED_PREFIX))
    return Rendered(svg=svg)
