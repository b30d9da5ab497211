"""The `glossary` command: parse options, run the pipeline, print diagnostics, exit 0, 1 or 2."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from glossary_ssg import __version__
from glossary_ssg.config import DIAGRAM_RENDERERS
from glossary_ssg.errors import ContentErrors, Diagnostic, UsageError, summary_line
from glossary_ssg.pipeline import Options, build, check, check_sources

_PROJECT = click.argument("project_dir", required=False, default=".",
                          type=click.Path(exists=True, file_okay=False, path_type=Path))
_STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
_RENDERER = click.option("--diagram-renderer", type=click.Choice(DIAGRAM_RENDERERS), default=None,
                         help="Override diagram_renderer from glossary.yml.")
_CACHE = click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                      envvar="GLOSSARY_CACHE_DIR",
                      help="Where rendered diagrams are kept between builds (env: GLOSSARY_CACHE_DIR).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="glossary")
def main() -> None:
    """Build a system-design glossary into a static site."""


@main.command("build")
@_PROJECT
@click.option("-o", "--output", "output_dir", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: PROJECT_DIR/_site). Replaced whole on success.")
@click.option("--base-url", default=None, help="Override base_url from glossary.yml, e.g. https://x.github.io/g/.")
@_RENDERER
@_CACHE
@_STRICT
def build_command(project_dir: Path, output_dir: Path | None, base_url: str | None, diagram_renderer: str | None,
                  cache_dir: Path | None, strict: bool) -> None:
    """Validate PROJECT_DIR and write its site."""
    started = time.perf_counter()
    output_dir = output_dir if output_dir is not None else project_dir / "_site"
    options = Options(project_dir, base_url, diagram_renderer, cache_dir, strict, TerminalProgress.start)
    built = _run(lambda: build(options, output_dir))
    _report(built.checked.diagnostics)
    seconds = time.perf_counter() - started
    click.echo(built.checked.diagrams.summary())
    click.echo(f"built {built.page_count} pages ({built.file_count} files) into {output_dir} in {seconds:.2f}s")


@main.command("check")
@_PROJECT
@_RENDERER
@_CACHE
@_STRICT
@click.option("--fast", is_flag=True, help="Check front matter, references and code languages only: "
                                           "render no diagrams and no Markdown.")
def check_command(project_dir: Path, diagram_renderer: str | None, cache_dir: Path | None, strict: bool,
                  fast: bool) -> None:
    """Validate PROJECT_DIR, diagrams and Markdown included, without writing the site."""
    options = Options(project_dir, None, diagram_renderer, cache_dir, strict, TerminalProgress.start)
    if fast:
        graph, diagnostics = _run(lambda: check_sources(options))
    else:
        checked = _run(lambda: check(options))
        graph, diagnostics = checked.graph, checked.diagnostics
    _report(diagnostics)
    if not fast:
        click.echo(checked.diagrams.summary())
    click.echo(f"ok: {len(graph.terms)} terms, {len(graph.lessons)} lessons")


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


def _run(action):
    """Turn user errors into clean messages and exit codes; let bugs keep their traceback."""
    try:
        return action()
    except ContentErrors as exc:
        _report(exc.diagnostics)
        sys.exit(1)
    except UsageError as exc:
        click.echo(f"glossary: error: {exc}", err=True)
        sys.exit(2)


def _report(diagnostics: tuple[Diagnostic, ...]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)
    if diagnostics:
        click.echo(summary_line(diagnostics), err=True)
