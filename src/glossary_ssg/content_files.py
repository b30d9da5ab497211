"""Which files are content: the .md files directly in content/terms and content/lessons.

Content arrives in pull requests, so this is where a file that tries to
reach outside the project (a symlink), a name that would clash on another
file system (letter case, Unicode normalisation), or a file too large to
be a glossary entry is stopped, before anything reads it.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Literal

from glossary_ssg.errors import Diagnostic, Location, error, warning
from glossary_ssg.paths import SourcePath

Kind = Literal["term", "lesson"]
CONTENT_DIRS: dict[Kind, str] = {"term": "content/terms", "lesson": "content/lessons"}
MAX_FILE_BYTES = 1_000_000  # far above any real entry; keeps every later phase's work bounded


@dataclass(frozen=True)
class ContentFile:
    kind: Kind
    path: Path
    source: SourcePath


def find_content_files(project_dir: Path) -> tuple[tuple[ContentFile, ...], tuple[Diagnostic, ...]]:
    root = project_dir.resolve()
    files, problems = [], []
    for kind, folder in CONTENT_DIRS.items():
        directory = project_dir / folder
        if not directory.is_dir():
            continue
        if not is_inside(directory, root):
            problems.append(error("symlink", f"{folder} leads outside the project", Location(folder, 1, 1),
                                  "content must live inside the project, not behind a symlink"))
            continue
        with os.scandir(directory) as listing:  # DirEntry knows symlinks and file types without more calls
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            if entry.name.startswith("."):
                continue  # .gitkeep, .DS_Store, editor swap files: never content
            path = directory / entry.name
            source = SourcePath(f"{folder}/{entry.name}")
            problem = _refusal(entry, path, source, root)
            if problem is not None:
                problems.append(problem)
            else:
                files.append(ContentFile(kind, path, source))
    problems += _clashing_names(files)
    return tuple(files), tuple(problems)


def plain_content_file(project_dir: Path, source: str) -> ContentFile | None:
    """The content file at `source` when nothing about it needs a diagnostic: a regular .md file (no symlink)
    within the size limit, directly in a content folder. None otherwise: the full build then reports it."""
    folder, _, name = source.rpartition("/")
    kind = next((kind for kind, path in CONTENT_DIRS.items() if path == folder), None)
    path = project_dir / source
    try:
        stat = os.lstat(path)
    except OSError:
        return None
    if (kind is None or name.startswith(".") or not name.endswith(".md") or not S_ISREG(stat.st_mode)
            or stat.st_size > MAX_FILE_BYTES or not is_inside(project_dir / folder, project_dir.resolve())):
        return None
    return ContentFile(kind, path, SourcePath(source))


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path`, with every symlink followed, is within `root` (already resolved)."""
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _refusal(entry: os.DirEntry, path: Path, source: SourcePath, root: Path) -> Diagnostic | None:
    """Run on every content file: the name is tested as a string (a Path's suffix is parsed anew each call)."""
    here = Location(source, 1, 1)
    if entry.is_symlink() and not is_inside(path, root):
        return error("symlink", "this symlink leads outside the project; it is not read", here,
                     "replace it with the file itself")
    if not entry.name.endswith(".md") or not entry.is_file():
        return warning("ignored-file", f"ignored: only .md files directly in {path.parent.name}/ are read", here)
    try:
        size = entry.stat().st_size
    except OSError as exc:
        return error("unreadable", f"the file cannot be read: {exc.strerror}", here)
    if size > MAX_FILE_BYTES:
        return error("file-too-large", f"the file is {size / 1_000_000:.1f} MB, over the "
                                       f"{MAX_FILE_BYTES // 1_000_000} MB limit for a content file", here,
                     "split it into smaller entries")
    return None


def _clashing_names(files: list[ContentFile]) -> list[Diagnostic]:
    """Names that differ only by case or Unicode form collide on macOS and Windows file systems."""
    seen: dict[tuple[Kind, str], ContentFile] = {}
    problems = []
    for file in files:
        stem = file.source.rpartition("/")[2][:-len(".md")]
        key = (file.kind, (stem if stem.isascii() else unicodedata.normalize("NFKC", stem)).casefold())
        first = seen.setdefault(key, file)
        if first is not file:
            problems.append(error("name-clash", f"'{file.path.name}' and '{first.path.name}' differ only by letter "
                                                f"case or Unicode form ({first.source})", Location(file.source, 1, 1),
                                  "rename one of them"))
    return problems
