"""The build, phase by phase: load -> validate -> graph -> render markup -> plan -> templates -> write.

`check` runs the same phases as `build` up to the graph and writes nothing.
Each phase gets the frozen output of the one before it; diagnostics from all
phases are collected so one run reports every problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from glossary_ssg.config import SiteConfig, base_url_problem, load_config
from glossary_ssg.errors import ContentErrors, Diagnostic, UsageError, has_errors, strict
from glossary_ssg.graph import Graph, build_graph
from glossary_ssg.loader import load_content
from glossary_ssg.markup.render import highlight_css, render_bodies
from glossary_ssg.site import plan_site
from glossary_ssg.templates import make_environment, render_page
from glossary_ssg.theme import static_files, theme_dirs
from glossary_ssg.validate import validate_documents
from glossary_ssg.writer import check_output_dir, write_site


@dataclass(frozen=True)
class Options:
    project_dir: Path
    base_url: str | None = None  # overrides glossary.yml when given
    strict: bool = False


@dataclass(frozen=True)
class Checked:
    """The result of the read-only phases: the graph, and everything worth telling the user."""

    config: SiteConfig
    graph: Graph
    themes: tuple[Path, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Built:
    diagnostics: tuple[Diagnostic, ...]
    output_dir: Path
    page_count: int
    file_count: int


def check(options: Options) -> Checked:
    """Read and validate everything; raise ContentErrors if anything is an error."""
    config, diagnostics = load_config(options.project_dir)
    if config is None or has_errors(diagnostics):
        raise ContentErrors(_finish(diagnostics, options))
    if options.base_url is not None:
        if problem := base_url_problem(options.base_url):
            raise UsageError(f"--base-url: {problem}")
        config = config.with_base_url(options.base_url)
    themes, theme_problems = theme_dirs(options.project_dir, config)
    loaded = load_content(options.project_dir)
    content, invalid = validate_documents(loaded.docs, config)
    graph, graph_problems = build_graph(content, config, loaded.failed)
    found = _finish(diagnostics + theme_problems + loaded.diagnostics + invalid + graph_problems, options)
    if has_errors(found):
        raise ContentErrors(found)
    return Checked(config, graph, themes, found)


def build(options: Options, output_dir: Path) -> Built:
    """Check, render every page, and replace output_dir with the new site."""
    check_output_dir(output_dir, options.project_dir)
    checked = check(options)
    term_html, lesson_html = render_bodies(checked.graph)
    pages = plan_site(checked.graph, term_html, lesson_html)
    env = make_environment(checked.themes, checked.config)
    files = static_files(checked.themes)
    files["assets/pygments.css"] = highlight_css().encode()
    files[".nojekyll"] = b""
    for page in pages:
        files[page.output_file] = render_page(env, page, options.project_dir).encode()
    write_site(output_dir, files)
    return Built(checked.diagnostics, output_dir, len(pages), len(files))


def _finish(diagnostics: tuple[Diagnostic, ...], options: Options) -> tuple[Diagnostic, ...]:
    """Sorted by place, and warnings raised to errors under --strict."""
    ordered = tuple(sorted(diagnostics, key=Diagnostic.sort_key))
    return strict(ordered) if options.strict else ordered
