"""The build, phase by phase: load -> validate -> graph -> diagrams -> render markup -> plan -> templates -> write.

`check` runs every phase up to the plan; `build` adds templates and writing.
Each phase gets the frozen output of the one before it; diagnostics from all
phases are collected so one run reports every problem.

`build` is incremental and gives what a clean build gives, byte for byte:
- when no input file, setting or output file changed since the last build
  of the same output folder, it stops after looking at file stats;
- per-file parsing and validation, and rendered Markdown, are reused for
  unchanged inputs (build_state.Memo);
- the graph and the page plan are always made whole, so everything derived
  from other entries (titles, definitions, backlinks, indexes) is current;
- a page's template runs only when the digest of what it is rendered from
  (its data, the templates, the settings) changed, and a file is written
  only when its bytes changed, so unchanged files keep their modification time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from glossary_ssg.build_state import FORMAT, BuildState, BuildStore, Memo, OutputFile, Recall

from glossary_ssg.config import (
    CONFIG_FILE,
    DIAGRAM_RENDERERS,
    SiteConfig,
    base_url_problem,
    load_config,
)
from glossary_ssg.dates import content_dates, date_source
from glossary_ssg.diagrams.cache import DiagramCache
from glossary_ssg.diagrams.choose import make_renderer
from glossary_ssg.diagrams.phase import DiagramSet, find_diagrams, render_diagrams
from glossary_ssg.diagrams.renderer import Progress, RendererUnavailable
from glossary_ssg.errors import (
    ContentErrors,
    Diagnostic,
    Location,
    UsageError,
    error,
    has_errors,
    strict,
)
from glossary_ssg.graph import Graph, build_graph
from glossary_ssg.entries import load_entries
from glossary_ssg.fingerprint import of_bytes, of_text, of_value
from glossary_ssg.inputs import input_stats, read_inputs, unchanged_since
from glossary_ssg.links import check_wikilinks, orphans
from glossary_ssg.markup.checks import check_fences
from glossary_ssg.markup.code import highlight_css
from glossary_ssg.markup.render import render_content
from glossary_ssg.model import Lesson, Term, frozen_map
from glossary_ssg.redirects import plan_redirects
from glossary_ssg.search_index import SEARCH_FILES, search_files
from glossary_ssg.site import Page, plan_site
from glossary_ssg.templates import make_environment, render_page
from glossary_ssg.parallel import default_workers, map_in_processes
from glossary_ssg.theme import static_files, theme_dirs
from glossary_ssg.writer import MARKER, check_output_dir, output_stats, update_site, write_site


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


@dataclass(frozen=True)
class Checked:
    """Everything short of templates and writing: the graph, its diagrams and Markdown, the planned pages."""

    config: SiteConfig
    graph: Graph
    diagrams: DiagramSet
    pages: tuple[Page, ...]
    static: Mapping[str, bytes]  # theme assets by output path
    themes: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]
    file_digests: Mapping[str, str]  # content file -> digest of its bytes
    entry_keys: Mapping[str, str]  # content file -> digest of all its entry is made from


@dataclass(frozen=True)
class Built:
    output_dir: Path
    diagnostics: tuple[Diagnostic, ...]
    diagram_summary: str
    page_count: int
    file_count: int
    rendered: int  # pages whose template ran
    written: int  # files written because they are new or their bytes changed
    removed: int  # files of the previous build that no longer exist
    up_to_date: bool  # nothing had changed: no phase ran


@dataclass
class _Memos:
    """The memo tables of one build: what they reuse comes from the last build, what they keep goes to the next."""

    entries: Recall
    renders: Recall
    dates: Recall

    @classmethod
    def from_memo(cls, memo: Memo) -> _Memos:
        return cls(Recall(memo.entries), Recall(memo.renders), Recall(memo.dates))

    def kept(self) -> Memo:
        return Memo(self.entries.kept, self.renders.kept, self.dates.kept)


def check_sources(options: Options) -> tuple[Graph, tuple[Diagnostic, ...]]:
    """The quick check: config, front matter, references and code languages; no diagrams, no Markdown."""
    config, diagnostics = load_config(options.project_dir)
    if config is None or has_errors(diagnostics):
        raise ContentErrors(_finish(diagnostics, options))
    config = _apply_overrides(config, options)
    loaded = load_entries(options.project_dir, config)
    graph, graph_problems = build_graph(loaded.content, config, loaded.failed)
    found = _finish(diagnostics + loaded.diagnostics + graph_problems + _link_problems(graph)
                    + check_fences(graph), options)
    if has_errors(found):
        raise ContentErrors(found)
    return graph, found


def check(options: Options, memos: _Memos | None = None) -> Checked:
    """Every phase but templates and writing; raise ContentErrors if anything is an error.
    `memos` lets a build reuse the per-file work of the previous one."""
    memos = memos or _Memos.from_memo(Memo())
    config, diagnostics = load_config(options.project_dir)
    if config is None or has_errors(diagnostics):
        raise ContentErrors(_finish(diagnostics, options))
    config = _apply_overrides(config, options)
    themes, theme_problems = theme_dirs(options.project_dir, config)
    loaded = load_entries(options.project_dir, config, memos.entries)
    graph, graph_problems = build_graph(loaded.content, config, loaded.failed)
    diagrams, diagram_problems = _render_diagrams(graph, config, options)
    found = (diagnostics + theme_problems + loaded.diagnostics + graph_problems + _link_problems(graph)
             + check_fences(graph) + diagram_problems)
    if has_errors(found):  # rendering needs a consistent graph: stop here with what is known
        raise ContentErrors(_finish(found, options))
    rendered, render_problems = render_content(graph, diagrams, memos.renders, options.processes)
    dates = content_dates(options.project_dir, [e.source for e in [*graph.terms.values(), *graph.lessons.values()]],
                          memos.dates)
    pages = plan_site(graph, rendered, dates)
    redirects, redirect_problems = plan_redirects(graph, pages)
    pages += redirects
    static, static_problems = static_files(themes, options.project_dir)
    found = _finish(found + render_problems + redirect_problems + static_problems + _collisions(static, pages),
                    options)
    if has_errors(found):
        raise ContentErrors(found)
    return Checked(config, graph, diagrams, pages, frozen_map(static), themes, found, loaded.file_digests,
                   loaded.entry_keys)


def build(options: Options, output_dir: Path) -> Built:
    """Check, fill the templates, and bring output_dir up to date with the new site (see the module's notes)."""
    project_dir = options.project_dir
    check_output_dir(output_dir, project_dir)
    started_ns = time.time_ns()
    config, config_problems = load_config(project_dir)
    if config is None or has_errors(config_problems):
        raise ContentErrors(_finish(config_problems, options))
    config = _apply_overrides(config, options)
    themes, _ = theme_dirs(project_dir, config)
    store = BuildStore(options.cache_dir or project_dir / config.cache_dir, output_dir)
    state = store.load_state()
    settings = of_text(FORMAT, options.settings_key(), date_source(project_dir))
    stats = input_stats(project_dir, themes)
    owned = (output_dir / MARKER).is_file()
    if (owned and state.settings == settings and unchanged_since(state.inputs, stats, state.started_ns, project_dir)
            and output_stats(output_dir) == {name: out.stat for name, out in state.outputs.items()}):
        return Built(output_dir, state.diagnostics, state.summary["diagrams"], state.summary["pages"],
                     len(state.outputs), rendered=0, written=0, removed=0, up_to_date=True)

    memos = _Memos.from_memo(store.load_memo())
    checked = check(options, memos)
    present = output_stats(output_dir) if owned else {}
    previous = {name: out for name, out in state.outputs.items() if present.get(name) == out.stat}
    templates_key = of_text(settings, of_value(checked.config), *(f"{name} {found.digest}" for name, found in
                                         sorted(read_inputs(project_dir, _theme_stats(stats)).items())))
    entry_digest = {Term: lambda term: checked.entry_keys[term.source],  # an entry is its file's: not walked
                    Lesson: lambda lesson: checked.entry_keys[lesson.source]}
    page_keys = {page.output_file: of_text(templates_key, of_value(page, entry_digest)) for page in checked.pages}
    stale = [page for page in checked.pages
             if (old := previous.get(page.output_file)) is None or old.source_digest != page_keys[page.output_file]]
    env = make_environment(checked.themes, checked.config)
    rendered = map_in_processes(_PageRenderer(env, project_dir), stale, options.processes)
    files = {**checked.static, **_generated_files(), **search_files(checked.graph),
             **{page.output_file: html for page, html in zip(stale, rendered)}}
    changed = {name: content for name, content in files.items()
               if (old := previous.get(name)) is None or old.content_digest != of_bytes(content)}
    expected = set(files) | set(page_keys)
    removed = set(present) - expected
    if owned:
        update_site(output_dir, changed, removed)
    else:
        write_site(output_dir, files)
    written = output_stats(output_dir)
    outputs = {}
    for name in sorted(expected):
        content_digest = of_bytes(files[name]) if name in files else previous[name].content_digest
        outputs[name] = OutputFile(page_keys.get(name, ""), content_digest, written[name])
    summary = {"diagrams": checked.diagrams.summary(), "pages": len(checked.pages)}
    inputs = read_inputs(project_dir, stats, checked.file_digests)
    store.save(BuildState(settings, started_ns, inputs, outputs, checked.diagnostics, summary), memos.kept())
    return Built(output_dir, checked.diagnostics, summary["diagrams"], len(checked.pages), len(outputs),
                 rendered=len(stale), written=len(changed) if owned else len(files), removed=len(removed),
                 up_to_date=False)


class _PageRenderer:
    def __init__(self, env, project_dir: Path):
        self.env, self.project_dir = env, project_dir

    def __call__(self, page: Page) -> bytes:
        return render_page(self.env, page, self.project_dir).encode()


def _theme_stats(stats: Mapping[str, tuple[int, int, int]]) -> dict[str, tuple[int, int, int]]:
    return {name: stat for name, stat in stats.items() if not name.startswith(("content/", CONFIG_FILE))}


def _link_problems(graph: Graph) -> tuple[Diagnostic, ...]:
    wikilinked, unknown = check_wikilinks(graph)
    return unknown + orphans(graph, wikilinked)


def _generated_files() -> dict[str, bytes]:
    return {"assets/pygments.css": highlight_css().encode(), ".nojekyll": b""}


def _collisions(static: Mapping[str, bytes], pages: tuple[Page, ...]) -> tuple[Diagnostic, ...]:
    """A theme asset must not silently replace a page or a file the build makes."""
    generated = {page.output_file for page in pages} | set(_generated_files()) | {MARKER, *SEARCH_FILES}
    return tuple(error("theme-collision", f"theme file static/{name} has the same path as a file the build "
                                          f"writes", Location(CONFIG_FILE), "rename or move the theme file")
                 for name in sorted(set(static) & generated))


def _apply_overrides(config: SiteConfig, options: Options) -> SiteConfig:
    if options.base_url is not None:
        if problem := base_url_problem(options.base_url):
            raise UsageError(f"--base-url: {problem}")
        config = config.with_base_url(options.base_url)
    if options.diagram_renderer is not None:
        if options.diagram_renderer not in DIAGRAM_RENDERERS:
            raise UsageError(f"--diagram-renderer must be one of {', '.join(DIAGRAM_RENDERERS)}")
        config = config.with_diagram_renderer(options.diagram_renderer)
    return config


def _render_diagrams(graph: Graph, config: SiteConfig, options: Options) -> tuple[DiagramSet, tuple[Diagnostic, ...]]:
    cache_dir = options.cache_dir or options.project_dir / config.cache_dir
    try:
        renderer = make_renderer(config.diagram_renderer, options.project_dir)
        return render_diagrams(find_diagrams(graph), renderer, DiagramCache(cache_dir / "diagrams"),
                               options.progress)
    except RendererUnavailable as exc:
        raise UsageError(f"diagram renderer '{config.diagram_renderer}': {exc}") from None


def _finish(diagnostics: tuple[Diagnostic, ...], options: Options) -> tuple[Diagnostic, ...]:
    """Sorted by place, and warnings raised to errors under --strict."""
    ordered = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
    return strict(ordered) if options.strict else ordered
