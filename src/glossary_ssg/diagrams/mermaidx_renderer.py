"""The default renderer: the real Mermaid library in an embedded JavaScript engine (the mermaidx package).

No browser and no network. Each worker process starts its own engines, so
many diagrams render on every core: V8 for most (engine_choice.py), QuickJS
for the others.
"""

from __future__ import annotations

import os
from typing import Sequence

from glossary_ssg import limits
from glossary_ssg.diagrams.engine_choice import QUICKJS, V8, choice_identity, engine_for, text_is_ascii
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
        # From the packages' metadata: importing mermaidx starts an engine thread, and this process
        # must stay single-threaded to fork workers for Markdown and templates.
        from glossary_ssg.toolchain import library_versions
        mermaidx = next(found for found in library_versions() if found.startswith("mermaidx "))
        return f"{mermaidx}, {choice_identity()}"

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
        from multiprocessing import TimeoutError  # here: every build asks for the identity alone

        from glossary_ssg.diagrams.worker_pool import worker_pool

        # spawn, not fork: a forked child would inherit engine threads in an unknown state.
        with worker_pool(min(self.workers, len(indexes))) as pool:
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
    """V8 where engine_for chooses it, unless its SVG holds text beyond ASCII; QuickJS for the rest, and for
    anything V8 could not render, so an error reads as it always has."""
    if engine_for(job.source) == V8:
        svg = _in_v8(job)
        if svg is not None and text_is_ascii(svg):
            return Rendered(svg=svg)
    try:
        svg = _in_quickjs(job)
    except Exception as exc:  # noqa: BLE001 -- Mermaid's own errors, and the engine's: reported at the fence
        return Rendered(error=str(exc).removeprefix(_FAILED_PREFIX))
    return Rendered(svg=svg)


_v8_engine = None  # this worker's: one V8 process, started on first use


def _in_v8(job: DiagramJob) -> str | None:
    """None when V8 failed, whatever the reason."""
    global _v8_engine
    try:
        if _v8_engine is None:
            from mermaidx.engines.v8_engine import Engine
            # mermaidx stops a V8 render after 8 s by default: ours may take the whole budget, as in QuickJS.
            # In a pool's worker the V8 process inherits the worker's block of SIGTERM (worker_pool.py): it is
            # stopped with SIGKILL, by mermaidx or by the worker, and lifting the block to start it would let a
            # SIGTERM end the worker meanwhile and leave it behind.
            _v8_engine = Engine(render_timeout_ms=int(limits.DIAGRAM_SECONDS * 1000))
            _v8_engine.start()
        return _v8_engine.render_svg(job.source, THEMES[job.variant], dict(MERMAID_CONFIG), None)
    except Exception:  # noqa: BLE001 -- QuickJS renders it, or says why not
        return None


def _in_quickjs(job: DiagramJob) -> str:
    import mermaidx
    return mermaidx.render(job.source, backend=QUICKJS, theme=THEMES[job.variant], config=dict(MERMAID_CONFIG)).svg()
