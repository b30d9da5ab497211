"""The only module that touches the output folder.

A first build is written into a fresh folder beside the output and swapped in
only when every file is written. Later builds update the folder in place, file
by file, each replaced atomically, and only once every check has passed, so a
build with content errors leaves the previous site intact; a disk that fills
up half-way can leave some pages new and others old, which the next build
finishes (it compares every file with what it should be).
An output folder is only ever replaced when an earlier build wrote it (it holds
our marker file) or it is empty: pointing -o at the project or someone's
documents is refused, never emptied.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping

from glossary_ssg.errors import UsageError
from glossary_ssg.temporary import new_file

MARKER = ".glossary-ssg-build"
_MARKER_TEXT = b"This folder was written by glossary build; the next build brings it up to date.\n"


def check_output_dir(output_dir: Path, project_dir: Path) -> None:
    """Refuse, with an explanation, any output folder that a build must not replace."""
    output = output_dir.resolve()
    project = project_dir.resolve()
    if output == project or output in project.parents:
        raise UsageError(f"refusing to write the site to {output_dir}: it holds the project itself; "
                         f"choose a new folder such as {project_dir / '_site'}")
    if output.exists() and not output.is_dir():
        raise UsageError(f"refusing to write the site to {output_dir}: it is a file, not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise UsageError(f"refusing to replace {output_dir}: it holds files that glossary build did not write "
                         f"(no {MARKER} marker); choose an empty or new folder")


class NewSite:
    """A first build's output: written into a fresh folder beside the output folder, file by file as the pages
    come (by this process or by forked workers, each writing its own files), and swapped in whole only when
    the `with` block ends without an exception; otherwise the fresh folder is removed and the output folder
    is left as it was.

    The build holds a lock on the fresh folder while it writes. A build that was killed outright (SIGKILL,
    the machine losing power) leaves its folder behind, unlocked, and the next first build removes it: one
    is the size of a site, beside the user's own."""

    def __init__(self, output_dir: Path):
        self.output_dir = output_dir.absolute()
        self.staging: Path | None = None
        self._lock: int | None = None

    def __enter__(self) -> NewSite:
        try:
            self.output_dir.parent.mkdir(parents=True, exist_ok=True)
            _remove_abandoned(self.output_dir)
            import tempfile  # a first build only: see temporary.py
            self.staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(self.output_dir),
                                                 dir=self.output_dir.parent))
            self._lock = _locked(self.staging / _STAGING_LOCK)
        except OSError as exc:
            if self.staging is not None:
                _remove_tree(self.staging)
            raise UsageError(f"cannot write the site next to {self.output_dir}: {exc.strerror}") from None
        return self

    def write(self, relative: str, content: bytes) -> None:
        assert self.staging is not None
        target = self.staging / _safe_relative(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    def __exit__(self, kind, exc, traceback) -> None:
        assert self.staging is not None
        try:
            try:
                if exc is None:
                    # the lock itself holds until the folder is in place
                    (self.staging / _STAGING_LOCK).unlink(missing_ok=True)
                    (self.staging / MARKER).write_bytes(_MARKER_TEXT)
                    os.chmod(self.staging, 0o755)  # mkdtemp makes it private; a published site is readable
                    _swap_in(self.staging, self.output_dir)
                    return
            except OSError as failure:
                exc = failure
            _discard(self.staging, self.output_dir)
        finally:
            if self._lock is not None:
                os.close(self._lock)
        if isinstance(exc, OSError):
            raise UsageError(f"cannot write the site to {self.output_dir}: {exc.strerror} ({exc.filename})"
                             ) from None


_STAGING_LOCK = ".glossary-ssg-writing"


def _staging_prefix(output_dir: Path) -> str:
    return f".{output_dir.name}.building-"


def _removing_prefix(output_dir: Path) -> str:
    return f".{output_dir.name}.removing-"


def _made_by_mkdtemp(name: str, prefix: str) -> bool:
    """Whether `name` is `prefix` and the eight characters tempfile.mkdtemp adds: not another output's
    folder (".site.removing-x.building-..." for an output "site.removing-x"), nor a name a person chose."""
    suffix = name[len(prefix):]
    return name.startswith(prefix) and len(suffix) == 8 and all(c in _MKDTEMP_CHARACTERS for c in suffix)


_MKDTEMP_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _locked(path: Path) -> int | None:
    """An open descriptor holding an exclusive lock on a new file at `path`, or None where files cannot be
    locked (no flock, or a file system without locks): the folder is then not known to be abandoned if
    the build dies, and stays. The file is locked before it takes its name, so no other build sees it
    unlocked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        return None
    handle, temporary = new_file(path.parent, ".locking-")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new private file: nobody else can hold it
        os.rename(temporary, path)
    except OSError:
        os.close(handle)
        Path(temporary).unlink(missing_ok=True)
        return None
    return handle


def _remove_abandoned(output_dir: Path) -> None:
    """Remove the fresh folders of first builds into `output_dir` that were killed while writing: their lock
    file is there and nobody holds it. A folder without one (a build just starting, or not ours) is kept.
    Best effort: a folder that cannot be listed or removed is left as it is."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover
        return
    building, removing = _staging_prefix(output_dir), _removing_prefix(output_dir)
    try:
        with os.scandir(output_dir.parent) as entries:
            found = [(entry.name, entry.path) for entry in entries
                     if (_made_by_mkdtemp(entry.name, building) or _made_by_mkdtemp(entry.name, removing))
                     and entry.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for name, folder in found:
        if name.startswith(removing):
            _remove_tree(Path(folder))
            continue
        try:
            handle = os.open(os.path.join(folder, _STAGING_LOCK), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)  # anyone holding it is writing the folder
        except OSError:
            continue
        finally:
            os.close(handle)
        _discard(Path(folder), output_dir)


def _discard(folder: Path, output_dir: Path) -> None:
    """Remove a folder of ours beside the output. It is first renamed to .NAME.removing-*, so a removal cut
    short (a second Ctrl-C, a kill) leaves a folder that the next first build knows it may remove."""
    import tempfile  # a first build only: see temporary.py
    try:
        doomed = Path(tempfile.mkdtemp(prefix=_removing_prefix(output_dir), dir=output_dir.parent))
    except OSError:
        _remove_tree(folder)
        return
    try:
        folder.rename(doomed / "site")
    except OSError:
        doomed.rmdir()
        _remove_tree(folder)
        return
    _remove_tree(doomed)


def update_site(output_dir: Path, changed: Mapping[str, bytes], removed: Iterable[str]) -> None:
    """Bring a folder an earlier build wrote up to date: delete `removed`, then write `changed` (output path ->
    content), each file replaced atomically. Files not named are left alone, modification time and all.
    Removing first lets a path change from a file to a folder or back."""
    output_dir = output_dir.absolute()
    try:
        marker = output_dir / MARKER
        if marker.read_bytes() != _MARKER_TEXT:  # written by an older version
            marker.write_bytes(_MARKER_TEXT)
        for relative in sorted(removed):
            target = output_dir / _safe_relative(relative)
            target.unlink(missing_ok=True)
            _remove_empty_parents(target.parent, output_dir)
        for relative, content in sorted(changed.items()):
            target = output_dir / _safe_relative(relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = new_file(target.parent, ".writing-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(content)
                os.chmod(temporary, 0o644)  # mkstemp makes it private; a published site is readable
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
    except OSError as exc:
        raise UsageError(f"cannot write the site to {output_dir}: {exc.strerror} ({exc.filename})") from None


def output_stats(output_dir: Path) -> dict[str, tuple[int, int, int]]:
    """Output path -> (inode, modification time, size) of every file in an output folder but our marker."""
    return output_tree(output_dir)[0]


def output_tree(output_dir: Path) -> tuple[dict[str, tuple[int, int, int]], dict[str, tuple[int, int]]]:
    """Every file as output_stats gives it, and every folder ("" for the output folder itself) as
    (inode, modification time): a file added to or removed from a folder changes the folder's time."""
    files: dict[str, tuple[int, int, int]] = {}
    folders: dict[str, tuple[int, int]] = {}

    def visit(folder: str, prefix: str) -> None:
        try:
            stat = os.stat(folder)
            entries = list(os.scandir(folder))
        except OSError:
            return
        folders[prefix] = (stat.st_ino, stat.st_mtime_ns)
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                visit(entry.path, name + "/")
            elif name != MARKER:
                stat = entry.stat(follow_symlinks=False)
                files[name] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)

    visit(str(output_dir), "")
    return files, folders


def tree_after_update(output_dir: Path, files: Mapping[str, tuple[int, int, int]],
                      folders: Mapping[str, tuple[int, int]], changed: Iterable[str], removed: Iterable[str]
                      ) -> tuple[dict[str, tuple[int, int, int]], dict[str, tuple[int, int]]]:
    """What output_tree gives once update_site has written `changed` and removed `removed` in a folder that
    output_tree gave `files` and `folders` for: only those files, and the folders that hold them up to the
    output folder (adding or removing an entry changes a folder's time), are looked at again."""
    files, folders = dict(files), dict(folders)
    touched = {""}
    for name in removed:
        files.pop(name, None)
        touched.update(_folders_holding(name))
    root = str(output_dir) + os.sep
    for name in changed:
        stat = os.stat(root + name, follow_symlinks=False)
        files[name] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        touched.update(_folders_holding(name))
    for folder in touched:
        try:
            stat = os.stat(root + folder)
        except FileNotFoundError:  # emptied and removed
            folders.pop(folder, None)
            continue
        folders[folder] = (stat.st_ino, stat.st_mtime_ns)
    return files, folders


def _folders_holding(name: str) -> list[str]:
    """Output folder names (as output_tree gives them) from the one holding `name` up to the output folder."""
    parts = name.split("/")[:-1]
    return ["".join(part + "/" for part in parts[:depth]) for depth in range(len(parts), -1, -1)]


def outputs_unchanged(output_dir: Path, files: Mapping[str, tuple[int, int, int]],
                      folders: Mapping[str, tuple[int, int]]) -> bool:
    """Whether the output folder holds exactly `files` as they were, learnt from one stat per file and
    folder instead of listing every folder."""
    if not folders:
        return False
    root = str(output_dir) + os.sep
    try:
        for name, recorded in folders.items():
            stat = os.stat(root + name)
            if (stat.st_ino, stat.st_mtime_ns) != recorded:
                return False
        for name, recorded in files.items():
            stat = os.stat(root + name, follow_symlinks=False)
            if (stat.st_ino, stat.st_mtime_ns, stat.st_size) != recorded:
                return False
    except OSError:
        return False
    return True


def folder_stats(output_dir: Path, names: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(inode, modification time) of each named folder that exists ("" is the output folder)."""
    found = {}
    for name in names:
        try:
            stat = os.stat(os.path.join(output_dir, name))
        except OSError:
            continue
        found[name] = (stat.st_ino, stat.st_mtime_ns)
    return found


def _remove_empty_parents(folder: Path, output_dir: Path) -> None:
    while folder != output_dir and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _safe_relative(relative: str) -> Path:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"output path escapes the output folder: {relative!r}")  # a bug, never user input
    return Path(*path.parts)


def _swap_in(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        staging.rename(output_dir)
        return
    import tempfile  # see temporary.py
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old-", dir=output_dir.parent))
    retired.rmdir()
    output_dir.rename(retired)
    try:
        staging.rename(output_dir)
    except BaseException:
        retired.rename(output_dir)
        raise
    _discard(retired, output_dir)


def _remove_tree(folder: Path) -> None:
    import shutil  # a first build only: see temporary.py
    shutil.rmtree(folder, ignore_errors=True)
