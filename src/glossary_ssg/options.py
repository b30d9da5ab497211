"""What a build or check is asked to do: the project, overrides of glossary.yml, and how to report.

Light on purpose: the `glossary` command imports it before knowing whether a
build has anything to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from glossary_ssg.config import DIAGRAM_RENDERERS, SiteConfig, base_url_problem
from glossary_ssg.diagrams.renderer import Progress
from glossary_ssg.errors import Diagnostic, UsageError, strict
from glossary_ssg.fingerprint import of_text
from glossary_ssg.parallel import default_workers


def _no_progress(total: int) -> Progress:
    return lambda done: None


@dataclass(frozen=True)
class Options:
    project_dir: Path
    base_url: str | None = None  # each of these overrides glossary.yml when given
    diagram_renderer: str | None = None
    cache_dir: Path | None = None
    strict: bool = False
    progress: Callable[[int], Progress] = _no_progress  # called with the number of diagrams about to render
    workers: int = 0  # processes for Markdown and templates; 0: one per available core

    @property
    def processes(self) -> int:
        return self.workers or default_workers()

    def settings_key(self) -> str:
        """What of these options shapes the output (not the progress display or the number of processes)."""
        return of_text(str(self.base_url), str(self.diagram_renderer), str(self.cache_dir), str(self.strict))


def apply_overrides(config: SiteConfig, options: Options) -> SiteConfig:
    if options.base_url is not None:
        if problem := base_url_problem(options.base_url):
            raise UsageError(f"--base-url: {problem}")
        config = config.with_base_url(options.base_url)
    if options.diagram_renderer is not None:
        if options.diagram_renderer not in DIAGRAM_RENDERERS:
            raise UsageError(f"--diagram-renderer must be one of {', '.join(DIAGRAM_RENDERERS)}")
        config = config.with_diagram_renderer(options.diagram_renderer)
    return config


def finish(diagnostics: tuple[Diagnostic, ...], options: Options) -> tuple[Diagnostic, ...]:
    """Sorted by place, and warnings raised to errors under --strict."""
    ordered = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
    return strict(ordered) if options.strict else ordered
