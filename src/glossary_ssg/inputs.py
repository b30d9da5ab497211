"""Every file a build reads, as stats and digests, to tell an unchanged project without parsing it.

A stat can hide an edit: two writes of the same size within the file
system's clock resolution leave the same modification time. So a file
whose modification time is close to when the last build started is also
compared by content (the way git treats "racy" index entries).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Mapping

from glossary_ssg.build_state import InputFile
from glossary_ssg.config import CONFIG_FILE
from glossary_ssg.content_files import CONTENT_DIRS
from glossary_ssg.fingerprint import of_bytes

RACY_NS = 2_000_000_000  # coarser than any file system's timestamps (FAT: 2 s)
Stat = tuple[int, int, int, int]  # inode, modification time, change time (chmod, touch -r, cp -p), size


def input_stats(project_dir: Path, themes: tuple[Path, ...]) -> dict[str, Stat]:
    """Path -> Stat for the config, the content folders and every theme file.
    Paths are as the build names them: relative to the project, or absolute for a theme outside it."""
    stats: dict[str, Stat] = {}
    config = project_dir / CONFIG_FILE
    _add(stats, CONFIG_FILE, config)
    for folder in CONTENT_DIRS.values():
        for entry in _entries(project_dir / folder):
            try:
                stat = entry.stat()
            except OSError:
                continue  # a broken link: absent, as for _add
            stats[f"{folder}/{entry.name}"] = (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
    for theme in themes:
        for path in _walk(theme):
            _add(stats, _shown(path, project_dir), path)
    return stats


def read_inputs(project_dir: Path, stats: Mapping[str, Stat], known: Mapping[str, str] | None = None
                ) -> dict[str, InputFile]:
    """Digest every file in `stats`; `known` gives digests the build already has (content files it read)."""
    found = {}
    for name, stat in stats.items():
        if known and name in known:
            found[name] = InputFile(stat, known[name])
            continue
        path = Path(name) if os.path.isabs(name) else project_dir / name
        try:
            found[name] = InputFile(stat, of_bytes(path.read_bytes()))
        except OSError:
            found[name] = InputFile(stat, "")
    return found


def changed_inputs(before: Mapping[str, InputFile], now: Mapping[str, Stat], started_ns: int,
                   project_dir: Path) -> set[str] | None:
    """The inputs that may differ from how the build that started at `started_ns` read them (a changed stat,
    or different bytes behind a stat too close to that build to trust), with the files that came or went."""
    changed = set(now.keys() ^ before.keys())
    if changed:
        now = {name: stat for name, stat in now.items() if name in before}
    for name, stat in now.items():
        old = before[name]
        if old.stat != stat:
            changed.add(name)
        elif _too_recent(stat, started_ns):
            path = Path(name) if os.path.isabs(name) else project_dir / name
            try:
                if of_bytes(path.read_bytes()) != old.digest:
                    changed.add(name)
            except OSError:
                changed.add(name)
    return changed


def unchanged_digests(before: Mapping[str, InputFile], now: Mapping[str, Stat], started_ns: int) -> dict[str, str]:
    """The digests the last build (started at `started_ns`) recorded for the inputs whose stat is still the one
    it recorded and too old to hide a same-size edit (changed_inputs trusts the same stats): a full build need
    not read those files to know them. Files that came or went are simply not in it."""
    return {name: old.digest for name, stat in now.items()
            if (old := before.get(name)) is not None and old.digest and old.stat == stat
            and not _too_recent(stat, started_ns)}


def _too_recent(stat: Stat, started_ns: int) -> bool:
    """Modified too close to the build that started at `started_ns` to trust the stat alone."""
    return stat[1] >= started_ns - RACY_NS


_CONTENT_PREFIXES = tuple(f"{folder}/" for folder in CONTENT_DIRS.values())


def is_content(name: str) -> bool:
    return name.startswith(_CONTENT_PREFIXES)


def _entries(directory: Path) -> Iterator[os.DirEntry]:
    try:
        with os.scandir(directory) as entries:
            yield from sorted(entries, key=lambda entry: entry.name)
    except OSError:
        return


def _walk(root: Path, seen: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Every file under root, through symlinked folders too (templates can be loaded through them), each
    folder once on a path so a link to an ancestor ends."""
    real = os.path.realpath(root)
    if real in seen:
        return
    for entry in _entries(root):
        if entry.is_dir():
            yield from _walk(Path(entry.path), seen | {real})
        else:
            yield Path(entry.path)


def _add(stats: dict[str, Stat], name: str, path: Path) -> None:
    try:
        stat = path.stat()
    except OSError:
        return  # absent (or a broken link): absent from the stats too, so appearing later is a change
    stats[name] = (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)


def _shown(path: Path, project_dir: Path) -> str:
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return str(path.absolute())
