"""The `glossary` command: parse options, run the pipeline, print diagnostics, exit 0, 1 or 2."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

import click

from glossary_ssg import __version__
from glossary_ssg.config import DIAGRAM_RENDERERS
from glossary_ssg.errors import ContentErrors, Diagnostic, UsageError
from glossary_ssg.graph_export import EXPORT_FORMATS, export_graph
from glossary_ssg.incremental import build
from glossary_ssg.options import Options
from glossary_ssg.report_formats import FORMATS, format_diagnostics
from glossary_ssg.stopping import exit_code_for_stop, stop_on_signals, stop_signals_end_at_once

_PROJECT = click.argument("project_dir", required=False, default=".",
                          type=click.Path(exists=True, file_okay=False, path_type=Path))
_STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
_RENDERER = click.option("--diagram-renderer", type=click.Choice(DIAGRAM_RENDERERS), default=None,
                         help="Override diagram_renderer from glossary.yml.")
_CACHE = click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                      envvar="GLOSSARY_CACHE_DIR",
                      help="Where rendered diagrams and the build cache are kept between builds "
                           "(env: GLOSSARY_CACHE_DIR).")


# _heavy: commands import the phases they use when they run. `glossary build` after a small edit finishes in
# well under a second, and importing Markdown, Pygments and every phase up front would be a large part of it.


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="glossary")
def main() -> None:
    """Build a system-design glossary into a static site."""


@main.command("build")
@_PROJECT
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: PROJECT_DIR/_site). Updated only on success.")
@click.option("--base-url", default=None, help="Override base_url from glossary.yml, e.g. https://x.github.io/g/.")
@_RENDERER
@_CACHE
@_STRICT
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, envvar="GLOSSARY_JOBS",
              help="Processes for Markdown and templates (default 0: one per core; env: GLOSSARY_JOBS).")
def build_command(project_dir: Path, output_dir: Path | None, base_url: str | None, diagram_renderer: str | None,
                  cache_dir: Path | None, strict: bool, jobs: int) -> None:
    """Validate PROJECT_DIR and bring its site up to date (only what changed is rendered and written)."""
    started = time.perf_counter()
    output_dir = output_dir if output_dir is not None else project_dir / "_site"
    options = Options(project_dir, base_url, diagram_renderer, cache_dir, strict, TerminalProgress.start, jobs)
    built = _run(lambda: build(options, output_dir))
    _report(built.diagnostics)
    seconds = time.perf_counter() - started
    if built.up_to_date:
        click.echo(f"up to date: {built.page_count} pages ({built.file_count} files) in {output_dir}, nothing changed "
                   f"({seconds:.2f}s)")
        return
    click.echo(built.diagram_summary)
    how = " (quick: only the edited entries were read)" if built.quick else ""
    click.echo(f"built {built.page_count} pages ({built.file_count} files) into {output_dir} in {seconds:.2f}s{how}: "
               f"{built.rendered} rendered, {built.written} written, {built.removed} removed")


@main.command("check")
@_PROJECT
@_RENDERER
@_CACHE
@_STRICT
@click.option("--fast", is_flag=True, help="Check front matter, references and code languages only: "
                                           "render no diagrams and no Markdown.")
@click.option("--format", "form", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, github for workflow annotations, json for programs.")
def check_command(project_dir: Path, diagram_renderer: str | None, cache_dir: Path | None, strict: bool,
                  fast: bool, form: str) -> None:
    """Validate PROJECT_DIR, diagrams and Markdown included, without writing the site."""
    from glossary_ssg.pipeline import check, check_sources  # see _heavy
    options = Options(project_dir, None, diagram_renderer, cache_dir, strict, TerminalProgress.start)
    graph, diagnostics = _run(lambda: check_sources(options) if fast else _checked(check(options), form), form)
    _report(diagnostics, form)
    if form == "text":
        click.echo(f"ok: {len(graph.terms)} terms, {len(graph.lessons)} lessons")


def _checked(checked, form: str):
    click.echo(checked.diagrams.summary(), err=form != "text")  # stdout stays pure for github and json
    return checked.graph, checked.diagnostics


@main.group("new")
def new_group() -> None:
    """Start a new term or lesson file, every field present with a comment."""


def _new_command(kind: str):
    @new_group.command(kind)
    @click.argument("title")
    @click.option("--area", default=None, help="Area slug (default: the first area in glossary.yml).")
    @click.option("--level", default=None, help="Level (default: the easiest level).")
    @click.option("--project", "project_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                  default=Path("."), show_default=True, help="The glossary project.")
    def command(title: str, area: str | None, level: str | None, project_dir: Path) -> None:
        from glossary_ssg.scaffold import new_entry  # see _heavy
        path = _run(lambda: new_entry(project_dir, kind, title, area, level))
        click.echo(f"wrote {path}; fill in the summary and the body, then run: glossary check")

    command.__doc__ = f"Write content/{kind}s/<slug>.md for TITLE."
    return command


new_term_command = _new_command("term")
new_lesson_command = _new_command("lesson")


@main.command("serve")
@_PROJECT
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@_RENDERER
@_CACHE
def serve_command(project_dir: Path, host: str, port: int, diagram_renderer: str | None,
                  cache_dir: Path | None) -> None:
    """Build PROJECT_DIR, serve it under base_url's path, and rebuild and reload pages on every change."""
    from glossary_ssg.config import load_config
    from glossary_ssg.server import serve

    config, _ = _run(lambda: load_config(project_dir))
    base_path = config.base_path if config else "/"
    import tempfile  # see _heavy
    with tempfile.TemporaryDirectory(prefix="glossary-serve-") as folder:
        options = Options(project_dir, None, diagram_renderer, cache_dir, False, TerminalProgress.start)
        try:
            _run(lambda: serve(options, Path(folder) / "site", host, port, base_path,
                               lambda text: click.echo(text, err=True)))
        except KeyboardInterrupt:
            click.echo("stopped", err=True)


@main.command("diff")
@click.argument("base_ref")
@_PROJECT
@click.option("--format", "form", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown suits a GitHub job summary.")
@_CACHE
def diff_command(base_ref: str, project_dir: Path, form: str, cache_dir: Path | None) -> None:
    """Summarise what the working tree changes since BASE_REF (a git revision): entries, links, orphans, pages."""
    from glossary_ssg.changes import compare, format_changes  # see _heavy
    changes = _run(lambda: compare(project_dir, base_ref, cache_dir))
    click.echo(format_changes(changes, base_ref, markdown=form == "markdown"), nl=False)


@main.command("graph")
@_PROJECT
@click.option("--format", "form", type=click.Choice(EXPORT_FORMATS), default="json", show_default=True)
def graph_command(project_dir: Path, form: str) -> None:
    """Print the cross-reference graph of PROJECT_DIR as JSON, Graphviz DOT or a Mermaid flowchart."""
    from glossary_ssg.pipeline import check_sources  # see _heavy
    graph, _ = _run(lambda: check_sources(Options(project_dir)))
    click.echo(export_graph(graph, form), nl=False)


@main.command("schema")
@click.option("-o", "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"),
              show_default=True, help="Folder to write term.schema.json and lesson.schema.json into.")
def schema_command(output_dir: Path) -> None:
    """Write JSON Schemas of term and lesson front matter, for editors."""
    output_dir.mkdir(parents=True, exist_ok=True)
    from glossary_ssg.schema_export import schema_files  # see _heavy
    for name, text in schema_files().items():
        (output_dir / name).write_text(text)
        click.echo(f"wrote {output_dir / name}")


class TerminalProgress:
    """A progress bar on stderr while many diagrams render, only when stderr is a terminal."""

    MINIMUM = 8

    def __init__(self, total: int):
        self.bar = click.progressbar(length=total, label="rendering diagrams", file=sys.stderr)
        self.done = 0
        self.total = total

    @classmethod
    def start(cls, total: int):
        if total < cls.MINIMUM or not sys.stderr.isatty():
            return lambda done: None
        return cls(total).advance

    def advance(self, done: int) -> None:
        self.bar.update(done)
        self.done += done
        if self.done >= self.total:
            self.bar.render_finish()


def _run(action, form: str = "text"):
    """Turn user errors into clean messages and exit codes; let bugs keep their traceback."""
    try:
        return action()
    except ContentErrors as exc:
        _report(exc.diagnostics, form)
        sys.exit(1)
    except UsageError as exc:
        click.echo(f"glossary: error: {exc}", err=True)
        sys.exit(2)


def _report(diagnostics: tuple[Diagnostic, ...], form: str = "text") -> None:
    """Text goes to stderr beside other messages; github and json go to stdout for the tool reading them."""
    output = format_diagnostics(diagnostics, form)
    if form == "json" or output:
        click.echo(output, nl=False, err=form == "text")


# A build holds millions of objects from start to end (the graph, every body's HTML, every page's recipe).
# With Python's default thresholds the collector walks all of them each time the heap grows by a quarter:
# about 2 s of a cold build at 10,000 terms. The youngest generation is collected every 500,000 allocations
# (not 700): each collection reads the header of every object its young objects point to, scattered over
# a heap of hundreds of megabytes, and at 50,000 a collection took 20-80 ms while finding nothing to free.
_COLLECTOR_THRESHOLDS = (500_000, 20, 100)


def run() -> None:
    """The `glossary` command. Exits without tearing the heap down: freeing a 10,000-entry graph object
    by object takes the better part of a second, and the operating system reclaims it at once.
    SIGTERM and SIGHUP stop it as Ctrl-C does, cleaning up (stopping.py)."""
    gc.set_threshold(*_COLLECTOR_THRESHOLDS)
    stop_on_signals()
    try:
        main()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    stop_signals_end_at_once()
    if code and (stopped := exit_code_for_stop()) is not None:
        code = stopped  # click reported the stop ("Aborted!"); the code says which signal it was
    if isinstance(code, str):  # sys.exit("message") prints it, as the interpreter would
        print(code, file=sys.stderr)
        code = 1
    if (multiprocessing_util := sys.modules.get("multiprocessing.util")) is not None:
        # What multiprocessing would run at exit: a stopped diagram pool's named semaphores are removed here,
        # not by its resource tracker, which warns of each as leaked.
        multiprocessing_util._exit_function()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
