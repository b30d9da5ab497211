"""What a build did, for the command to report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from glossary_ssg.errors import Diagnostic


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
    quick: bool = False  # only the edited entries were read (quick_build.py)
