"""What the last build of an output folder left behind, so the next one redoes only what changed.

Files per output folder, under <cache_dir>/builds/<digest of the folder's path>/:
- state.pickle (small): the inputs as they were (file stats and digests), the
  settings, every output file with the digest of the data it was made from,
  and the diagnostics reported. Enough to see that nothing changed without
  reading any content.
- memo-*.pickle (large): per-file parsing and validation results, rendered
  Markdown and git dates, keyed by content digests, for builds where something
  changed; a table whose keys did not change is not written again.

The files are pickles, so they are signed with a key kept outside every project
(in the user's cache folder) and only unpickled when the signature is right: a
cache folder committed to a pull request, or restored from a CI cache, is never
run as code. A missing, unreadable, unsigned, corrupt or foreign-version file
is an empty cache: the build then does everything, as a clean build would. Files are replaced
atomically, so an interrupted build leaves the previous state or none.
A process that builds again (`glossary serve`) keeps what it saved in memory
and reads it back from disk only if the files changed under it.
"""

from __future__ import annotations

import hmac
import os
import pickle
import secrets
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, BinaryIO, Iterator, NamedTuple

try:
    import fcntl
except ImportError:  # not on Windows: builds into one folder are not serialised there
    fcntl = None  # type: ignore[assignment]

from glossary_ssg import __version__
from glossary_ssg.errors import Diagnostic
from glossary_ssg.fingerprint import of_text
from glossary_ssg.temporary import new_file

FORMAT = f"4 {__version__} {sys.version_info[:3]}"  # a new release or Python never trusts an old state
KEPT_FOLDERS = 8  # output folders whose caches are kept; the least recently built beyond that are dropped


class InputFile(NamedTuple):
    """A file the build reads, as it was: a changed stat, or a changed digest for a file whose stat could
    hide a same-size edit within the file system's clock resolution, means it changed. (Named tuples: a
    state holds two per page, and tuples load several times faster than dataclasses.)"""

    stat: tuple[int, int, int, int]  # inode, modification time, change time (ns), size
    digest: str


class OutputFile(NamedTuple):
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
    folders: dict[str, tuple[int, int]] = field(default_factory=dict)  # output folder -> (inode, mtime) as left
    generation: str = ""  # names this build; the snapshot (snapshot.py) it left carries the same

    def __getstate__(self) -> dict:
        """Inputs and outputs as columns of plain tuples, which pickle and load in C: a named tuple costs a
        Python call each, and a state holds two per page."""
        return {**self.__dict__, "inputs": _columns(self.inputs), "outputs": _columns(self.outputs)}

    def __setstate__(self, saved: dict) -> None:
        self.__dict__.update(saved, inputs=_rows(saved["inputs"], InputFile),
                             outputs=_rows(saved["outputs"], OutputFile))


def _columns(table: dict[str, tuple]) -> tuple[tuple, ...]:
    return (tuple(table), *zip(*table.values()))


def _rows(columns: tuple[tuple, ...], kind: type) -> dict[str, tuple]:
    names, *fields = columns
    return dict(zip(names, map(partial(tuple.__new__, kind), zip(*fields))))


@dataclass
class Memo:
    """The memo tables (see memo.Memos) as saved."""

    entries: dict[str, Any] = field(default_factory=dict)
    renders: dict[str, Any] = field(default_factory=dict)
    dates: dict[str, Any] = field(default_factory=dict)


_in_memory: dict[Path, tuple[tuple[int, int, int], Any]] = {}  # file -> (its stat as saved, the value)


MEMO_TABLES = ("entries", "renders", "dates")


class BuildStore:
    def __init__(self, cache_dir: Path, output_dir: Path):
        self.folder = (cache_dir / "builds" / of_text(str(output_dir.absolute()))[:16]).absolute()

    def load_state(self) -> BuildState:
        return self._load("state.pickle", BuildState)

    def load_memo(self) -> Memo:
        return Memo(**{table: self.load_memo_table(table) for table in MEMO_TABLES})

    def load_memo_table(self, table: str) -> dict:
        """One memo table: a quick build that adds a term reads the remembered dates alone."""
        return self._load(f"memo-{table}.pickle", dict)

    def save_memo(self, memo: Memo, previous: Memo) -> str | None:
        """Write each memo table that is not as `previous` had it: a key came or went, or a value is not the
        one loaded (a value may hold more than its key says: a body's HTML is kept with the names it was
        rendered with, markup/render.py). A failure is returned as a reason (the next build is only slower),
        never raised; the state follows (after_memo)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for table in MEMO_TABLES:
                kept, loaded = getattr(memo, table), getattr(previous, table)
                if kept.keys() != loaded.keys() or any(value is not loaded[key] for key, value in kept.items()) \
                        or not (self.folder / f"memo-{table}.pickle").is_file():
                    self._save(f"memo-{table}.pickle", kept)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    def after_memo(self, memo_problem: str | None, state: BuildState) -> str | None:
        """The state, once the memo tables it goes with are saved (none is, if they could not be)."""
        if memo_problem is not None:
            return memo_problem
        problem = self.save_state(state)
        if problem is None:
            self._drop_old_folders()
        return problem

    def save_state(self, state: BuildState) -> str | None:
        """Only the state (a quick build leaves the memo tables as they were): a failure is returned."""
        try:
            self._save("state.pickle", state)
        except OSError as exc:
            return exc.strerror or str(exc)
        return None

    def _drop_old_folders(self) -> None:
        """Builds into temporary folders (glossary diff, tests) would otherwise leave caches forever."""
        def last_used(folder: Path) -> int:
            return (_stat(folder / "state.pickle") or _stat(folder) or (0, 0, 0))[1]

        try:
            others = sorted((f for f in self.folder.parent.iterdir() if f.is_dir() and f != self.folder),
                            key=last_used, reverse=True)
        except OSError:
            return
        for folder in others[KEPT_FOLDERS - 1:]:
            _remove_unless_in_use(folder)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One build at a time per output folder (`glossary serve` and a build by hand, say)."""
        handle = self._lock()
        if handle is None:
            yield  # no cache folder (or none that stays): nothing to keep consistent
            return
        with handle:
            yield

    def _lock(self, attempts: int = 5) -> BinaryIO | None:
        """The folder's lock file, open and locked; None when the folder cannot be made. Another build may be
        removing the folder as an old one (_remove_unless_in_use, which holds the lock while it does): the
        lock then held is on a file that is gone, and is taken again on the folder made anew."""
        for _ in range(attempts):
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                handle = open(self.folder / "lock", "wb")
            except FileNotFoundError:
                continue  # removed between the two steps
            except OSError:
                return None
            if fcntl is None:
                return handle
            try:
                fcntl.flock(handle, fcntl.LOCK_EX)
            except OSError:
                return handle  # a file system without locks (some network mounts): build unlocked
            if _same_file(handle, self.folder / "lock"):
                return handle
            handle.close()
        return None

    def _load(self, name: str, kind: type):
        path = self.folder / name
        remembered = _in_memory.get(path)
        if remembered is not None and remembered[0] == _stat(path):
            return remembered[1]
        key = _signing_key()
        try:
            data = path.read_bytes() if key else b""
            signature, payload = data[:_SIGNATURE_BYTES], data[_SIGNATURE_BYTES:]
            if not key or not hmac.compare_digest(signature, _sign(key, payload)):
                return kind()
            version, value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - any unreadable cache is simply an empty one
            return kind()
        return value if version == FORMAT and isinstance(value, kind) else kind()

    def _save(self, name: str, value: object) -> None:
        key = _signing_key()
        if key is None:
            raise OSError("no signing key: the user's cache folder cannot be written")
        payload = pickle.dumps((FORMAT, value), protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = new_file(self.folder, f".{name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(_sign(key, payload))
                file.write(payload)
            os.replace(temporary, self.folder / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for other in [path for path in _in_memory if path.parent != self.folder]:
            del _in_memory[other]  # one output folder's worth at most
        _in_memory[self.folder / name] = (_stat(self.folder / name), value)


_SIGNATURE_BYTES = 32


class SignatureError(Exception):
    pass


def seal(label: str, payload: bytes) -> bytes:
    """`payload` signed together with `label` (where it is stored), so a signed value cannot be moved."""
    key = _signing_key()
    if key is None:
        raise OSError("no signing key: the user's cache folder cannot be written")
    return _labelled_signature(key, label, payload) + payload


def _labelled_signature(key: bytes, label: str, payload) -> bytes:
    mac = hmac.new(key, label.encode() + b"\0", "sha256")
    mac.update(payload)
    return mac.digest()


def unseal(label: str, data: bytes) -> memoryview:
    """The payload, without copying it (pickle reads a memoryview as it is)."""
    key = _signing_key()
    view = memoryview(data)
    payload = view[_SIGNATURE_BYTES:]
    if not key or not hmac.compare_digest(view[:_SIGNATURE_BYTES], _labelled_signature(key, label, payload)):
        raise SignatureError("not signed by this user's build cache key")
    return payload


def _remove_unless_in_use(folder: Path) -> None:
    """Remove an old output folder's cache unless a build holds its lock (even a first one, with no state
    yet), and hold the lock while removing it: a build that starts on the folder meanwhile waits, then
    starts on a new one (BuildStore._lock), rather than losing its files halfway."""
    import shutil  # full builds only: see temporary.py
    if fcntl is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        handle = open(folder / "lock", "ab")
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)  # no lock file can be made there: no build can hold it
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        except OSError:
            pass  # a file system without locks: as good as unused
        shutil.rmtree(folder, ignore_errors=True)


def _same_file(handle: BinaryIO, path: Path) -> bool:
    try:
        held, there = os.fstat(handle.fileno()), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _sign(key: bytes, payload: bytes) -> bytes:
    """HMAC-SHA-256: processors' SHA instructions make it several times faster than keyed BLAKE2 on the
    megabytes a snapshot holds."""
    return hmac.digest(key, payload, "sha256")


@lru_cache(maxsize=1)
def _signing_key() -> bytes | None:
    """This user's key, made on first use, outside any project: $XDG_CACHE_HOME (or ~/.cache)/glossary-ssg."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(home) / "glossary-ssg" / "build-cache.key"
    try:
        key = path.read_bytes()
        if len(key) == 64:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = new_file(path.parent, ".key-")  # private to this user (0600)
        with os.fdopen(handle, "wb") as file:
            file.write(secrets.token_bytes(64))
        try:
            _put_key(temporary, path)
        finally:
            if os.path.lexists(temporary):
                os.unlink(temporary)
        return path.read_bytes()
    except OSError:
        return None  # no place for a key: the cache lives only as long as the process


def _put_key(temporary: str, path: Path) -> None:
    """Never over a key that another build made meanwhile (two first builds at once): each would keep its own,
    and the states one signs would be refused by the other and by every later build."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        if len(path.read_bytes()) != 64:  # a damaged key is replaced
            os.replace(temporary, path)
    except OSError:  # a file system without hard links
        os.replace(temporary, path)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)
