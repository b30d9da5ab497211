"""`build`: check, fill the templates and bring the output folder up to date, doing only what changed.

Every build gives what a clean build gives, byte for byte:
- when no input file, setting, tool or output file changed since the last
  build of the same output folder, it stops after looking at file stats;
- per-file parsing and validation, and rendered Markdown, are reused for
  unchanged inputs (memo.Memos);
- the graph and the page plan are always made whole, so everything derived
  from other entries (titles, definitions, backlinks, indexes) is current;
- a page's template runs only when the digest of what it is rendered from
  (its data, the templates, the config, the tool) changed, and a file is
  written only when its bytes changed, so unchanged files keep their
  modification time.
"""

from __future__ import annotations

import time
from itertools import chain
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Mapping

from glossary_ssg.build_state import FORMAT, BuildState, BuildStore, InputFile, Memo, OutputFile
from glossary_ssg.config import CONFIG_FILE, SiteConfig, load_config
from glossary_ssg.content_files import CONTENT_DIRS
from glossary_ssg.dates import date_source
from glossary_ssg.diagrams.choose import make_renderer
from glossary_ssg.diagrams.renderer import RendererUnavailable
from glossary_ssg.errors import ContentErrors, Diagnostic, Location, has_errors, note
from glossary_ssg.fingerprint import of_bytes, of_text, of_value
from glossary_ssg.inputs import input_stats, read_inputs, unchanged_since
from glossary_ssg.memo import Memos, Recall
from glossary_ssg.model import Lesson, Term
from glossary_ssg.parallel import map_in_processes, stream_in_processes
from glossary_ssg.pipeline import Checked, Options, apply_overrides, check, finish, generated_files
from glossary_ssg.search_index import search_files
from glossary_ssg.site import Page
from glossary_ssg.templates import make_environment, render_page
from glossary_ssg.theme import theme_dirs
from glossary_ssg.toolchain import tool_identity
from glossary_ssg.writer import MARKER, check_output_dir, output_stats, update_site, write_site


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


def build(options: Options, output_dir: Path) -> Built:
    project_dir = options.project_dir
    check_output_dir(output_dir, project_dir)
    started_ns = time.time_ns()
    config, config_problems = load_config(project_dir)
    if config is None or has_errors(config_problems):
        raise ContentErrors(finish(config_problems, options))
    config = apply_overrides(config, options)
    themes, _ = theme_dirs(project_dir, config)
    store = BuildStore(options.cache_dir or project_dir / config.cache_dir, output_dir)
    with store.locked():
        state = store.load_state()
        settings = of_text(FORMAT, tool_identity(), options.settings_key(), date_source(project_dir),
                           _renderer_identity(config, project_dir))
        stats = input_stats(project_dir, themes)
        # The config and theme files are digested now, before they are used, so the state never pairs an
        # old output with the digest of a file changed during the build.
        fixed = read_inputs(project_dir, {name: stat for name, stat in stats.items() if not _is_content(name)})
        owned = (output_dir / MARKER).is_file()
        if (owned and state.settings == settings and unchanged_since(state.inputs, stats, state.started_ns, project_dir)
                and output_stats(output_dir) == {name: out.stat for name, out in state.outputs.items()}):
            return Built(output_dir, state.diagnostics, state.summary["diagrams"], state.summary["pages"],
                         len(state.outputs), rendered=0, written=0, removed=0, up_to_date=True)
        saved = store.load_memo()
        memos = Memos(Recall(saved.entries), Recall(saved.renders), Recall(saved.dates))
        checked = check(options, memos)
        built, outputs = _write(checked, output_dir, owned, state, fixed, options)
        inputs = {**read_inputs(project_dir, {n: s for n, s in stats.items() if _is_content(n)}, checked.file_digests),
                  **fixed}
        problem = store.save(BuildState(settings, started_ns, inputs, outputs, checked.diagnostics,
                                        {"diagrams": checked.diagrams.summary(), "pages": len(checked.pages)}),
                             Memo(memos.entries.kept, memos.renders.kept, memos.dates.kept), saved)
    if problem:
        cache_note = note("build-cache", f"the build cache cannot be written: {problem}", Location(CONFIG_FILE),
                          "the next build will do everything again")
        return replace(built, diagnostics=built.diagnostics + (cache_note,))
    return built


def _write(checked: Checked, output_dir: Path, owned: bool, state: BuildState, fixed: Mapping[str, InputFile],
           options: Options) -> tuple[Built, dict[str, OutputFile]]:
    """Render the pages whose data changed, write the files whose bytes changed, remove what is gone."""
    present = output_stats(output_dir) if owned else {}
    previous = {name: out for name, out in state.outputs.items() if present.get(name) == out.stat}
    page_keys = _page_keys(checked, fixed, options.processes)
    stale = [page for page in checked.pages
             if (old := previous.get(page.output_file)) is None or old.source_digest != page_keys[page.output_file]]
    env = make_environment(checked.themes, checked.config)
    pages = stream_in_processes(_PageRenderer(env, options.project_dir), stale, options.processes)
    others = {**checked.static, **generated_files(), **search_files(checked.graph)}
    digests: dict[str, str] = {}

    def made() -> Iterator[tuple[str, bytes]]:
        """Every file this build makes, each digested as it passes."""
        for name, content in chain(others.items(), ((page.output_file, html) for page, html in zip(stale, pages))):
            digests[name] = of_bytes(content)
            yield name, content

    expected = set(others) | set(page_keys)
    removed = set(present) - expected
    try:
        if owned:
            # Kept until every page has rendered: a template error must leave the folder as it was.
            changed = {name: content for name, content in made()
                       if _differs(name, content, digests[name], previous, present, output_dir)}
            update_site(output_dir, changed, removed)
        else:
            write_site(output_dir, made())  # a new folder, swapped in at the end: written as the pages come
    finally:
        pages.close()  # the workers end here, not whenever the generator is collected
    written = output_stats(output_dir)
    outputs = {name: OutputFile(page_keys.get(name, ""), digests.get(name) or previous[name].content_digest,
                                written.get(name, (0, 0, 0)))  # gone already: the next build writes it
               for name in sorted(expected)}
    return Built(output_dir, checked.diagnostics, checked.diagrams.summary(), len(checked.pages), len(outputs),
                 rendered=len(stale), written=len(changed) if owned else len(digests), removed=len(removed),
                 up_to_date=False), outputs


def _page_keys(checked: Checked, fixed: Mapping[str, InputFile], workers: int) -> dict[str, str]:
    """Output file -> digest of everything its page is made from: its data, the templates (theme files),
    the config and the tool. Terms and lessons are digested as the key they were made from, not walked."""
    theme = (f"{name} {found.digest}" for name, found in sorted(fixed.items()) if name != CONFIG_FILE)
    templates_key = of_text(tool_identity(), of_value(checked.config), *theme)
    made_from = {Term: lambda term: checked.entry_keys[term.source],
                 Lesson: lambda lesson: checked.entry_keys[lesson.source]}
    keys = map_in_processes(lambda page: of_text(templates_key, of_value(page, made_from)), checked.pages, workers)
    return {page.output_file: key for page, key in zip(checked.pages, keys)}


def _differs(name: str, content: bytes, digest: str, previous: Mapping[str, OutputFile],
             present: Mapping[str, tuple], output_dir: Path) -> bool:
    if name in previous:
        return previous[name].content_digest != digest
    if name in present:  # there, but not as the last build recorded it (or no record): compare the bytes
        try:
            return (output_dir / name).read_bytes() != content
        except OSError:
            return True
    return True


def _is_content(name: str) -> bool:
    return name.startswith(tuple(f"{folder}/" for folder in CONTENT_DIRS.values()))


def _renderer_identity(config: SiteConfig, project_dir: Path) -> str:
    """The diagram renderer and its version: a new version renders diagrams again, so nothing is up to date."""
    try:
        return make_renderer(config.diagram_renderer, project_dir).identity()
    except (RendererUnavailable, OSError, ValueError, KeyError) as exc:
        return f"{config.diagram_renderer} unavailable: {exc}"


class _PageRenderer:
    def __init__(self, env, project_dir: Path):
        self.env, self.project_dir = env, project_dir

    def __call__(self, page: Page) -> bytes:
        return render_page(self.env, page, self.project_dir).encode()
