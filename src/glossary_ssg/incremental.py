"""`build`: bring the output folder up to date, doing only what changed, in one of three ways.

Every build gives what a clean build gives, byte for byte:
- when no input file, setting, tool or output file changed since the last
  build of the same output folder, it stops after looking at file stats;
- when only content files changed, and only in what the rest of the site
  does not see (definitions, bodies, quizzes: outline.py), a quick build
  (quick_build.py) reads those files alone and renders the pages that show
  them from the snapshot the last build left (snapshot.py);
- otherwise the full build (full_build.py) runs every phase, reusing each
  unchanged file's parse and each unchanged body's HTML, and renders only
  the pages whose key changed.
A file is written only when its bytes changed, so unchanged files keep
their modification time.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Mapping

from glossary_ssg.build_state import FORMAT, BuildStore, InputFile
from glossary_ssg.built import Built
from glossary_ssg.config import CONFIG_FILE, SiteConfig, load_config
from glossary_ssg.dates import date_source
from glossary_ssg.diagrams.choose import renderer_identity
from glossary_ssg.errors import ContentErrors, Location, has_errors, note
from glossary_ssg.fingerprint import of_text, of_value
from glossary_ssg.inputs import changed_inputs, input_stats, is_content, read_inputs
from glossary_ssg.options import Options, apply_overrides, finish
from glossary_ssg.quick_build import QuickJob, quick_build
from glossary_ssg.theme import theme_dirs
from glossary_ssg.toolchain import tool_identity
from glossary_ssg.writer import MARKER, check_output_dir, outputs_unchanged


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
        diagram_identity = renderer_identity(config.diagram_renderer, project_dir)
        settings = of_text(FORMAT, tool_identity(), options.settings_key(), date_source(project_dir),
                           diagram_identity)
        stats = input_stats(project_dir, themes)
        # The config and theme files are digested now, before they are used, so the state never pairs an
        # old output with the digest of a file changed during the build.
        fixed = read_inputs(project_dir, {name: stat for name, stat in stats.items() if not is_content(name)})
        owned = (output_dir / MARKER).is_file()
        intact = owned and state.settings == settings and outputs_unchanged(
            output_dir, {name: out.stat for name, out in state.outputs.items()}, state.folders)
        changed = changed_inputs(state.inputs, stats, state.started_ns, project_dir) if intact else None
        if changed is not None and not changed:
            return Built(output_dir, state.diagnostics, state.summary["diagrams"], state.summary["pages"],
                         len(state.outputs), rendered=0, written=0, removed=0, up_to_date=True)
        templates_key = _templates_key(config, fixed)
        if changed and all(is_content(name) for name in changed):
            quick = quick_build(QuickJob(options, config, themes, output_dir, store.folder, state, stats, changed,
                                         templates_key, diagram_identity, started_ns))
            if quick is not None:
                built = Built(output_dir, state.diagnostics, state.summary["diagrams"], state.summary["pages"],
                              len(quick.state.outputs), quick.rendered, quick.written, removed=0, up_to_date=False,
                              quick=True)
                return _noted(built, store.save_state(quick.state))
        # Imported here: the full build brings in Markdown, Pygments and every phase, which a quick build
        # never needs, and the command starts faster without them.
        from glossary_ssg.full_build import FullJob, full_build
        built, problem = full_build(FullJob(options, output_dir, owned, store, state, stats, fixed, settings,
                                            templates_key, started_ns))
    return _noted(built, problem)


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


