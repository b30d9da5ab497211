"""One build's setting, as its first steps found it: where a quick and a full build both start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from glossary_ssg.build_state import BuildState, BuildStore, InputFile
from glossary_ssg.config import SiteConfig
from glossary_ssg.inputs import Stat
from glossary_ssg.options import Options


@dataclass(frozen=True)
class BuildSetting:
    options: Options
    config: SiteConfig
    themes: tuple[Path, ...]
    output_dir: Path
    store: BuildStore
    state: BuildState  # the last build's
    owned: bool  # the output folder holds an earlier build
    as_recorded: bool  # the output folder holds exactly what the last build wrote, as its state records it
    settings: str  # digest of the options, environment and tool that shape the output
    diagram_identity: str
    started_ns: int
    stats: Mapping[str, Stat]  # every input's stat now
    fixed: Mapping[str, InputFile]  # the config and theme files, read before anything used them
    templates_key: str  # what every page is rendered with besides its own data
