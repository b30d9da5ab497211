"""The default renderer: the real Mermaid library in an embedded JavaScript engine (the mermaidx package).

No browser and no network. Each worker process starts its own engine, so
many diagrams render on every core.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Sequence

from glossary_ssg.diagrams.renderer import MERMAID_CONFIG, THEMES, DiagramJob, Progress, Rendered

_FAILED_PREFIX = "Mermaid rendering failed: "


class MermaidxRenderer:
    name = "mermaidx"

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1

    def identity(self) -> str:
        import mermaidx
        return f"mermaidx {mermaidx.__version__}"

    def render(self, jobs: Sequence[DiagramJob], progress: Progress) -> list[Rendered]:
        if len(jobs) < 2 or self.workers < 2:
            results = []
            for job in jobs:
                results.append(render_one(job))
                progress(1)
            return results
        # spawn, not fork: a forked child would inherit engine threads in an unknown state.
        with ProcessPoolExecutor(max_workers=min(self.workers, len(jobs)), mp_context=get_context("spawn")) as pool:
            results = []
            for result in pool.map(render_one, jobs):
                results.append(result)
                progress(1)
            return results


def render_one(job: DiagramJob) -> Rendered:
    import mermaidx
    try:
        svg = mermaidx.render(job.source, theme=THEMES[job.variant], config=dict(MERMAID_CONFIG)).svg()
    except RuntimeError as exc:
        return Rendered(error=str(exc).removeprefix(_FAILED_PREFIX))
    return Rendered(svg=svg)
