"""`build`: bring the output folder up to date, doing only what changed, in one of three ways.

Every build gives what a clean build gives, byte for byte:
- when no input file, setting, tool or output file changed since the last
  build of the same output folder, it stops after looking at file stats;
- when only content files changed, and only in what the rest of the site
  does not see (definitions, bodies, quizzes: outline.py) or in their
  references to other entries (relink.py), a quick build (quick_build.py)
  reads those files alone and renders the pages that show them, or whose
  links changed, from the snapshot the last build left (snapshot.py);
- otherwise the full build (full_build.py) runs every phase, reusing each
  unchanged file's parse and each unchanged body's HTML, and renders only
  the pages whose key changed.
A file is written only when its bytes changed, so unchanged files keep
their modification time.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Mapping

from glossary_ssg.build_setting import BuildSetting
from glossary_ssg.build_state import FORMAT, BuildStore, InputFile
from glossary_ssg.built import Built
from glossary_ssg.collector import kept_from_collector, release
from glossary_ssg.config import CONFIG_FILE, SiteConfig, load_config
from glossary_ssg.dates import date_source
from glossary_ssg.diagrams.choose import renderer_identity
from glossary_ssg.errors import ContentErrors, Location, has_errors, note
from glossary_ssg.fingerprint import of_text, of_value
from glossary_ssg.inputs import input_stats, is_content, read_inputs
from glossary_ssg.options import Options, apply_overrides, finish
from glossary_ssg.parallel import Pending
from glossary_ssg.quick_build import Preloaded, preload, quick_build
from glossary_ssg.theme import theme_dirs
from glossary_ssg.toolchain import tool_identity
from glossary_ssg.what_changed import find_changes, outputs_as_left
from glossary_ssg.writer import MARKER, check_output_dir


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
    try:
        with store.locked(), ExitStack() as running:
            return _build(options, config, themes, output_dir, started_ns, store, running)
    finally:
        release()


def _build(options: Options, config: SiteConfig, themes: tuple[Path, ...], output_dir: Path, started_ns: int,
           store: BuildStore, running: ExitStack) -> Built:
    """Under the build lock, so a build that waited for another sees the edits made meanwhile. `running`
    waits for the processes started here, however the build ends."""
    project_dir = options.project_dir
    stats = Pending(partial(input_stats, project_dir, themes))  # taken while the state loads
    running.callback(stats.close)
    with kept_from_collector():
        state = store.load_state()
    diagram_identity = renderer_identity(config.diagram_renderer, project_dir)
    settings = of_text(FORMAT, tool_identity(), options.settings_key(), date_source(project_dir),
                       diagram_identity)
    owned = (output_dir / MARKER).is_file()
    comparable = owned and state.settings == settings
    intact = Pending(partial(outputs_as_left, state, output_dir)) if comparable else None
    if intact is not None:
        running.callback(intact.close)
    with kept_from_collector():
        preloaded = preload(store.folder, state.generation) if comparable else None  # meanwhile
    if preloaded is not None:
        running.callback(preloaded.close)
    found = find_changes(project_dir, stats.result(), state, lambda: intact is not None and intact.result())
    # The config and theme files are digested now, before they are used, so the state never pairs an
    # old output with the digest of a file changed during the build.
    fixed = read_inputs(project_dir, {name: stat for name, stat in found.stats.items() if not is_content(name)})
    return _rebuild(BuildSetting(options, config, themes, output_dir, store, state, owned, found.changed is not None,
                                 settings, diagram_identity, started_ns, found.stats, fixed,
                                 _templates_key(config, fixed)),
                    found.changed, preloaded)


def _rebuild(setting: BuildSetting, changed: set[str] | None, preloaded: Preloaded | None) -> Built:
    state, output_dir = setting.state, setting.output_dir
    if changed is not None and not changed:
        return Built(output_dir, state.diagnostics, state.summary["diagrams"], state.summary["pages"],
                     len(state.outputs), rendered=0, written=0, removed=0, up_to_date=True)
    if changed and all(is_content(name) for name in changed):
        quick = quick_build(setting, changed, preloaded)
        if quick is not None:
            built = Built(output_dir, quick.state.diagnostics, state.summary["diagrams"], quick.state.summary["pages"],
                          len(quick.state.outputs), quick.rendered, quick.written, quick.removed, up_to_date=False,
                          quick=True)
            return _noted(built, setting.store.save_state(quick.state))
    if preloaded is not None:
        preloaded.close()  # the full build forks processes that write the snapshot: no connection crosses a fork
    # Imported here: the full build brings in Markdown, Pygments and every phase, which a quick build never
    # needs, and the command starts faster without them.
    from glossary_ssg.full_build import full_build
    return _noted(*full_build(setting))


def _noted(built: Built, problem: str | None) -> Built:
    if problem is None:
        return built
    cache_note = note("build-cache", f"the build cache cannot be written: {problem}", Location(CONFIG_FILE),
                      "the next build will do everything again")
    return replace(built, diagnostics=built.diagnostics + (cache_note,))


def _templates_key(config: SiteConfig, fixed: Mapping[str, InputFile]) -> str:
    """What every page is rendered with besides its own data: the templates (theme files), the config and
    the tool."""
    theme = (f"{name} {found.digest}" for name, found in sorted(fixed.items()) if name != CONFIG_FILE)
    return of_text(tool_identity(), of_value(config), *theme)
