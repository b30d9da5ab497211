"""What the last build of an output folder left behind, so the next one redoes only what changed.

Two files per output folder, under <cache_dir>/builds/<digest of the folder's path>/:
- state.pickle (small): the inputs as they were (file stats and digests), the
  settings, every output file with the digest of the data it was made from,
  and the diagnostics reported. Enough to see that nothing changed without
  reading any content.
- memo.pickle (large): per-file parsing and validation results and rendered
  Markdown, keyed by content digests, for builds where something changed.

A missing, unreadable, corrupt or foreign-version file is an empty cache: the
build then does everything, as a clean build would. Files are replaced
atomically, so an interrupted build leaves the previous state or none.
A process that builds again (`glossary serve`) keeps what it saved in memory
and reads it back from disk only if the files changed under it.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from glossary_ssg import __version__
from glossary_ssg.errors import Diagnostic
from glossary_ssg.fingerprint import of_text

FORMAT = f"1 {__version__} {sys.version_info[:3]}"  # a new release or Python never trusts an old state


@dataclass(frozen=True)
class InputFile:
    """A file the build reads, as it was: a changed stat, or a changed digest for a file whose stat could
    hide a same-size edit within the file system's clock resolution, means it changed."""

    stat: tuple[int, int, int]  # inode, modification time (ns), size
    digest: str


@dataclass(frozen=True)
class OutputFile:
    source_digest: str  # digest of the page data and templates it was rendered from ("" for plain files)
    content_digest: str
    stat: tuple[int, int, int]  # as written, so a file changed by hand is written again


@dataclass
class BuildState:
    settings: str = ""  # digest of the options, environment and tool that shaped the output
    started_ns: int = 0  # when the build that left this began
    inputs: dict[str, InputFile] = field(default_factory=dict)  # path -> as read
    outputs: dict[str, OutputFile] = field(default_factory=dict)  # output path -> as written
    diagnostics: tuple[Diagnostic, ...] = ()
    summary: dict[str, Any] = field(default_factory=dict)  # counts the CLI reports


@dataclass
class Memo:
    """Results of pure per-file work, keyed by digests of everything each depends on."""

    entries: dict[str, Any] = field(default_factory=dict)  # file parse + validation
    renders: dict[str, Any] = field(default_factory=dict)  # Markdown to HTML
    dates: dict[str, Any] = field(default_factory=dict)  # git history by commit


class Recall:
    """One table of a memo during a build: what is asked for is reused or computed, and only what this
    build asked for is kept for the next, so the memo never grows past one build's worth."""

    def __init__(self, previous: dict[str, Any] | None = None):
        self.previous = previous or {}
        self.kept: dict[str, Any] = {}
        self.reused = 0

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        if key in self.kept:
            return self.kept[key]
        if key in self.previous:
            value = self.previous[key]
            self.reused += 1
        else:
            value = compute()
        self.kept[key] = value
        return value

    def __contains__(self, key: str) -> bool:
        return key in self.kept or key in self.previous

    def put(self, key: str, value: Any) -> None:
        self.kept[key] = value


_in_memory: dict[Path, tuple[tuple[int, int, int], Any]] = {}  # file -> (its stat as saved, the value)


class BuildStore:
    def __init__(self, cache_dir: Path, output_dir: Path):
        self.folder = (cache_dir / "builds" / of_text(str(output_dir.absolute()))[:16]).absolute()

    def load_state(self) -> BuildState:
        return self._load("state.pickle", BuildState)

    def load_memo(self) -> Memo:
        return self._load("memo.pickle", Memo)

    def save(self, state: BuildState, memo: Memo) -> str | None:
        """Write both; a failure is returned as a reason (the next build is only slower), never raised."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._save("memo.pickle", memo)
            self._save("state.pickle", state)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    def forget(self) -> None:
        """Drop the state (not the memo): the next build compares every file again."""
        try:
            (self.folder / "state.pickle").unlink()
        except OSError:
            pass

    def _load(self, name: str, kind: type):
        path = self.folder / name
        remembered = _in_memory.get(path)
        if remembered is not None and remembered[0] == _stat(path):
            return remembered[1]
        try:
            with open(path, "rb") as file:
                version, value = pickle.load(file)
        except Exception:  # noqa: BLE001 - any unreadable cache is simply an empty one
            return kind()
        return value if version == FORMAT and isinstance(value, kind) else kind()

    def _save(self, name: str, value: object) -> None:
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump((FORMAT, value), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for other in [path for path in _in_memory if path.parent != self.folder]:
            del _in_memory[other]  # one output folder's worth at most
        _in_memory[self.folder / name] = (_stat(self.folder / name), value)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)
