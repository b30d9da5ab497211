"""The phases, in order: load -> validate -> graph -> diagrams -> render markup -> plan.

`check` runs them all; `incremental.build` adds templates and writing. Each
phase gets the frozen output of the one before it; diagnostics from all phases
are collected so one run reports every problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from glossary_ssg.config import CONFIG_FILE, SiteConfig, load_config
from glossary_ssg.dates import content_dates
from glossary_ssg.diagrams.cache import DiagramCache
from glossary_ssg.diagrams.choose import make_renderer
from glossary_ssg.diagrams.phase import DiagramSet, find_diagrams, render_diagrams
from glossary_ssg.diagrams.renderer import RendererUnavailable
from glossary_ssg.entries import load_entries
from glossary_ssg.errors import ContentErrors, Diagnostic, Location, UsageError, error, has_errors
from glossary_ssg.graph import Graph, build_graph
from glossary_ssg.links import check_wikilinks, orphans
from glossary_ssg.markup.checks import check_fences, fence_problems
from glossary_ssg.markup.code import highlight_css
from glossary_ssg.markup.render import RenderedContent, render_content
from glossary_ssg.markup.texts import entry_fences
from glossary_ssg.memo import Memos
from glossary_ssg.model import frozen_map
from glossary_ssg.options import Options, apply_overrides, finish
from glossary_ssg.redirects import plan_redirects
from glossary_ssg.search_index import SEARCH_FILES
from glossary_ssg.site import Page, plan_site
from glossary_ssg.theme import static_files, theme_dirs
from glossary_ssg.writer import MARKER


@dataclass(frozen=True)
class Checked:
    """Everything short of templates and writing: the graph, its diagrams and Markdown, the planned pages."""

    config: SiteConfig
    graph: Graph
    diagrams: DiagramSet
    rendered: RenderedContent
    pages: tuple[Page, ...]
    static: Mapping[str, bytes]  # theme assets by output path
    themes: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]
    file_digests: Mapping[str, str]  # content file -> digest of its bytes
    entry_keys: Mapping[str, str]  # content file -> digest of all its entry is made from
    own_problems: Mapping[str, tuple[Diagnostic, ...]]  # content file -> what parsing and validating it reported
    outlines: Mapping[str, str]  # content file -> its entry's outline (outline.py)


def check_sources(options: Options) -> tuple[Graph, tuple[Diagnostic, ...]]:
    """The quick check: config, front matter, references and code languages; no diagrams, no Markdown."""
    config, diagnostics = load_config(options.project_dir)
    if config is None or has_errors(diagnostics):
        raise ContentErrors(finish(diagnostics, options))
    config = apply_overrides(config, options)
    loaded = load_entries(options.project_dir, config, workers=options.processes)
    graph, graph_problems = build_graph(loaded.content, config, loaded.failed)
    found = finish(diagnostics + loaded.diagnostics + graph_problems + _link_problems(graph)
                    + check_fences(graph), options)
    if has_errors(found):
        raise ContentErrors(found)
    return graph, found


def check(options: Options, memos: Memos | None = None, known_digests: Mapping[str, str] | None = None
          ) -> Checked:
    """Every phase but templates and writing; raise ContentErrors if anything is an error.
    `memos` lets a build reuse the per-file work of the previous one, and `known_digests` skip reading the
    files it left unchanged (entries.load_entries)."""
    memos = memos or Memos()
    config, diagnostics = load_config(options.project_dir)
    if config is None or has_errors(diagnostics):
        raise ContentErrors(finish(diagnostics, options))
    config = apply_overrides(config, options)
    themes, theme_problems = theme_dirs(options.project_dir, config)
    loaded = load_entries(options.project_dir, config, memos.entries, options.processes, known_digests)
    graph, graph_problems = build_graph(loaded.content, config, loaded.failed)
    fences = tuple(entry_fences(graph))  # scanned once for the checks and the diagrams
    diagrams, diagram_problems = _render_diagrams(graph, fences, config, options)
    found = (diagnostics + theme_problems + loaded.diagnostics + graph_problems + _link_problems(graph)
             + fence_problems(fences) + diagram_problems)
    if has_errors(found):  # rendering needs a consistent graph: stop here with what is known
        raise ContentErrors(finish(found, options))
    rendered, render_problems = render_content(graph, diagrams, memos.renders, options.processes)
    dates = content_dates(options.project_dir, [e.source for e in [*graph.terms.values(), *graph.lessons.values()]],
                          memos.dates)
    pages = plan_site(graph, rendered, dates)
    redirects, redirect_problems = plan_redirects(graph, pages)
    pages += redirects
    static, static_problems = static_files(themes, options.project_dir)
    found = finish(found + render_problems + redirect_problems + static_problems + _collisions(static, pages),
                    options)
    if has_errors(found):
        raise ContentErrors(found)
    return Checked(config, graph, diagrams, rendered, pages, frozen_map(static), themes, found, loaded.file_digests,
                   loaded.entry_keys, loaded.own_problems, loaded.outlines)


def _link_problems(graph: Graph) -> tuple[Diagnostic, ...]:
    wikilinked, unknown = check_wikilinks(graph)
    return unknown + orphans(graph, wikilinked)


def generated_files() -> dict[str, bytes]:
    return {"assets/pygments.css": highlight_css().encode(), ".nojekyll": b""}


def _collisions(static: Mapping[str, bytes], pages: tuple[Page, ...]) -> tuple[Diagnostic, ...]:
    """A theme asset must not silently replace a page or a file the build makes."""
    generated = {page.output_file for page in pages} | set(generated_files()) | {MARKER, *SEARCH_FILES}
    return tuple(error("theme-collision", f"theme file static/{name} has the same path as a file the build "
                                          f"writes", Location(CONFIG_FILE), "rename or move the theme file")
                 for name in sorted(set(static) & generated))


def _render_diagrams(graph: Graph, fences: tuple, config: SiteConfig, options: Options
                     ) -> tuple[DiagramSet, tuple[Diagnostic, ...]]:
    cache_dir = options.cache_dir or options.project_dir / config.cache_dir
    try:
        renderer = make_renderer(config.diagram_renderer, options.project_dir)
        return render_diagrams(find_diagrams(graph, fences), renderer, DiagramCache(cache_dir / "diagrams"),
                               options.progress)
    except RendererUnavailable as exc:
        raise UsageError(f"diagram renderer '{config.diagram_renderer}': {exc}") from None
