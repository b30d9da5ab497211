"""The site as the last build left it, stored so that an edit to one entry is rebuilt without the other entries.

One SQLite file per output folder, beside the build state (build_state.py):
- pages: every page's recipe (recipes.py) and its key;
- uses: which parts each page used when it was last resolved, indexed both ways;
- parts: every part of every entry, with its digest;
- entries: per content file, what the rest of the site sees of it (its outline), the problems parsing
  and validating it reported, whether it is an orphan or has code in an unknown language, whether any
  other problem was reported in it, and the terms its [[links]] reach;
- facts: site-wide values a quick build needs (the names bodies link, the search index's inputs), and
  tables (every card, every card's HTML) stored whole by a full build, with the keys quick builds changed
  since kept beside them in fact_changes, so a quick build writes a row per card it changed.
Values are pickles, each signed with the build cache's key (build_state.signed), so a snapshot from
elsewhere is never unpickled. Updates are one transaction: a build that stops half-way leaves the
last snapshot, and its generation, which must match the build state's, tells a stale one. A snapshot
that is not the last build's is written whole in three: emptied, its content (write_content), then its
pages and generation (update); a build that stops in between leaves one with no generation, which the
next build writes whole again.
"""

from __future__ import annotations

import pickle
import secrets
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from glossary_ssg.build_state import SignatureError, seal, unseal
from glossary_ssg.errors import Diagnostic
from glossary_ssg.fingerprint import of_bytes
from glossary_ssg.recipes import Part, part_name

FILE = "snapshot.sqlite"
SCHEMA_VERSION = 7  # bump when the tables change: a snapshot of another version is emptied, not read
_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (name TEXT PRIMARY KEY, recipe BLOB NOT NULL, recipe_digest TEXT NOT NULL,
                                  key TEXT NOT NULL, uses TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS uses (page TEXT NOT NULL, part TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parts (part TEXT PRIMARY KEY, value BLOB NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (source TEXT PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value BLOB NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fact_changes (name TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
                                         PRIMARY KEY (name, key));
"""
# Made after the rows when a full build writes the table whole (clear() drops them): at 10,000 terms, 180,000
# rows go in at less than half the cost.
_USES_INDEXES = """
CREATE INDEX IF NOT EXISTS uses_by_part ON uses (part);
CREATE INDEX IF NOT EXISTS uses_by_page ON uses (page);
"""


def new_generation() -> str:
    return secrets.token_hex(8)


class SnapshotUnusable(Exception):
    """Missing, foreign, corrupt or stale: the build does everything instead."""


@dataclass(frozen=True)
class EntryRecord:
    kind: str
    slug: str
    entry_key: str  # digest of all the entry was made from (entries.py)
    outline: str  # digest of the entry without its definition, body, quiz, further reading and positions
    clean: bool  # nothing was reported in the file that a quick build cannot make again: see the three below
    wikilinked: tuple[str, ...]  # terms its [[links]] reach, sorted (they decide which terms are orphans)
    own: tuple[Diagnostic, ...] = ()  # what parsing and validating the file alone reported (entries.py)
    # Which terms are orphans follows from every file's references and [[links]]: a quick build keeps the
    # [[links]] as they were and works the references out again (relink.py), and makes each orphan's warning
    # again where its title now is.
    orphan: bool = False
    unknown_languages: bool = False  # a code block's language was unknown (markup/checks.py: per file)


@dataclass(frozen=True)
class PageRow:
    name: str  # output file
    recipe: Any  # the Page as planned; None: as stored (a quick build changes only its key and uses)
    recipe_digest: str  # of the recipe's value (fingerprint.of_value), which the page's key holds
    key: str
    used: tuple[str, ...]  # the names of the parts it used (recipes.part_name), sorted: see used_names
    sealed: bytes | None = None  # the recipe as stored (sealed_recipe), where the worker that keyed it made it

    def uses_digest(self) -> str:
        return of_bytes("\0".join(self.used).encode())  # names hold no NUL: one encode, one hash


def sealed_recipe(name: str, pickled: bytes) -> bytes | None:
    """A page's recipe as its row stores it, made where the page is keyed: on the workers, in a full build
    that renders every page. `pickled` is the pickle its digest was taken of (fingerprint.value_bytes),
    which loads back as the recipe: each page is pickled once, not once more to be stored. None if it
    cannot be sealed here: saving the snapshot will say why."""
    try:
        return seal(f"page {name}", pickled)
    except OSError:  # no signing key: the save reports it
        return None


def used_names(used: Iterable[Part]) -> tuple[str, ...]:
    """A page's parts as its row keeps them: names pickle and store far faster than the parts themselves,
    which a full build sends back from its workers for every page."""
    return tuple(sorted(map(part_name, used)))


class Snapshot:
    """`fresh`: start an empty snapshot in place of whatever is there (another version, or a damaged file).
    `indexed`: make the uses indexes if they are missing; without, they wait for update() to make them once
    its rows are in (for a snapshot whose tables were emptied to be written whole)."""

    def __init__(self, folder: Path, fresh: bool = False, indexed: bool = True):
        path = folder / FILE
        try:
            self.db = self._connect(path)
            if fresh or self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                self.db.close()
                path.unlink(missing_ok=True)
                self.db = self._connect(path)
                # Large pages: a quick build reads megabytes of cards and fragments in a few rows.
                self.db.execute("PRAGMA page_size = 65536")
                self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.db.executescript(_SCHEMA + (_USES_INDEXES if indexed else ""))
        except (sqlite3.Error, OSError) as exc:
            raise SnapshotUnusable(str(exc)) from None

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None)
        # A cache: a crash may lose the last transaction, and a damaged file is replaced (Snapshot(fresh=True)).
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA mmap_size = 1073741824")  # reads map the file instead of copying it
        return db

    def close(self) -> None:
        self.db.close()

    # Reading (quick builds)

    def fact(self, name: str, default: Any = None) -> Any:
        row = self._one("SELECT value FROM facts WHERE name = ?", name)
        return default if row is None else _load(f"fact {name}", row[0])

    def table(self, name: str) -> dict[str, Any]:
        """A fact that is a table keyed by strings, with the changes quick builds made to it since."""
        return {**self.fact(name, {}), **self.changes(name)}

    def changes(self, name: str) -> dict[str, Any]:
        """The keys of a table fact that quick builds changed since it was written whole."""
        return {key: _load(f"fact {name} {key}", value)
                for key, value in self._all("SELECT key, value FROM fact_changes WHERE name = ?", name)}

    def entry(self, source: str) -> EntryRecord | None:
        row = self._one("SELECT record FROM entries WHERE source = ?", source)
        return None if row is None else _load(f"entry {source}", row[0])

    def pages_using(self, parts: Iterable[Part]) -> list[str]:
        names = [part_name(part) for part in parts]
        found: set[str] = set()
        for start in range(0, len(names), 500):  # SQLite limits the number of parameters
            chunk = names[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(row[0] for row in self._all(f"SELECT page FROM uses WHERE part IN ({marks})", *chunk))
        return sorted(found)

    def recipe(self, name: str) -> tuple[Any, str]:
        """The page as planned, and its recipe's digest."""
        row = self._one("SELECT recipe, recipe_digest FROM pages WHERE name = ?", name)
        if row is None:
            raise SnapshotUnusable(f"no recipe for {name}")
        return _load(f"page {name}", row[0]), row[1]

    def recipe_digests(self, names: Iterable[str]) -> dict[str, str]:
        """The stored recipe digest of each of these pages that the snapshot has."""
        names, found = list(names), {}
        for start in range(0, len(names), 500):  # SQLite limits the number of parameters
            chunk = names[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._all(f"SELECT name, recipe_digest FROM pages WHERE name IN ({marks})", *chunk))
        return found

    def part(self, part: Part) -> tuple[Any, str]:
        row = self._one("SELECT value, digest FROM parts WHERE part = ?", part_name(part))
        if row is None:
            raise SnapshotUnusable(f"no part {part_name(part)}")
        return _load(f"part {part_name(part)}", row[0]), row[1]

    def digests(self) -> dict[str, str]:
        return dict(self._all("SELECT part, digest FROM parts"))

    def page_keys(self) -> dict[str, str]:
        return dict(self._all("SELECT name, key FROM pages"))

    def page_digests(self) -> dict[str, tuple[str, str]]:
        """Each page's recipe digest and key."""
        return {name: (recipe_digest, key) for name, recipe_digest, key
                in self._all("SELECT name, recipe_digest, key FROM pages")}

    def entry_rows(self) -> dict[str, bytes]:
        """Each stored entry record as its row holds it, signed, to compare with sealed_entry(source, record)
        rather than unpickle 11,000 records to compare them: equal bytes are an equal record with a valid
        signature, and a record that pickles otherwise is only written again."""
        return dict(self._all("SELECT source, record FROM entries"))

    def fact_digests(self) -> dict[str, str]:
        return dict(self._all("SELECT name, digest FROM facts"))

    # Writing (every build), in one transaction

    def update(self, generation: str, pages: Iterable[PageRow] = (), gone_pages: Iterable[str] = (),
               parts: Mapping[Part, tuple[Any, str]] | None = None, gone_parts: Iterable[Part] = (),
               entries: Mapping[str, EntryRecord] | None = None, gone_entries: Iterable[str] = (),
               facts: Mapping[str, tuple[Any, str]] | None = None,
               table_changes: Mapping[str, Mapping[str, Any]] | None = None, whole: bool = False) -> None:
        """Apply a build's changes and mark the snapshot as that build's (`generation`). `table_changes`
        records changes to keys of table facts (a quick build's); `whole` says the facts are now all as a
        full build made them, so every change recorded since the last one goes, whether or not the fact
        itself had to be written again."""
        db = self.db
        with self._transaction():
            for name in gone_pages:
                db.execute("DELETE FROM pages WHERE name = ?", (name,))
                db.execute("DELETE FROM uses WHERE page = ?", (name,))
            # A name given twice ends as its last row says, as if the rows were applied one by one.
            rows = [(row, row.uses_digest()) for row in {row.name: row for row in pages}.values()]
            stored = self._stored_uses([row.name for row, _ in rows])
            db.executemany("UPDATE pages SET key = ?, uses = ? WHERE name = ?",
                           [(row.key, uses, row.name) for row, uses in rows if row.recipe is None])
            db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                           ((row.name, row.sealed or _dump(f"page {row.name}", row.recipe), row.recipe_digest,
                             row.key, uses) for row, uses in rows if row.recipe is not None))
            # The home page uses every card: its uses are written again only when they changed. A page without
            # a row has no uses either: they come and go together.
            rewritten = [row for row, uses in rows if stored.get(row.name) != uses]
            db.executemany("DELETE FROM uses WHERE page = ?", [(row.name,) for row in rewritten if row.name in stored])
            db.executemany("INSERT INTO uses VALUES (?, ?)",
                           ((row.name, name) for row in rewritten for name in row.used))
            db.executemany("DELETE FROM parts WHERE part = ?", ((part_name(p),) for p in gone_parts))
            db.executemany("DELETE FROM entries WHERE source = ?", ((source,) for source in gone_entries))
            self._put_content(parts or {}, entries or {}, {})
            if whole:
                db.execute("DELETE FROM fact_changes")
            db.executemany("DELETE FROM fact_changes WHERE name = ?", ((name,) for name in facts or {}))
            db.executemany("INSERT OR REPLACE INTO fact_changes VALUES (?, ?, ?)",
                           ((name, key, _dump(f"fact {name} {key}", value))
                            for name, changes in (table_changes or {}).items() for key, value in changes.items()))
            self._put_content({}, {}, {**(facts or {}), "generation": (generation, "")})
            for statement in filter(str.strip, _USES_INDEXES.split(";")):
                db.execute(statement)  # after a clear(), made here, once the rows are in

    def write_content(self, parts: Mapping[Part, tuple[Any, str]], entries: Mapping[str, EntryRecord],
                      facts: Mapping[str, tuple[Any, str]]) -> None:
        """Rows that a snapshot being written whole (after clear()) can take before the pages are rendered, in
        a transaction of their own. The snapshot has no generation until update() writes the rest."""
        with self._transaction():
            self._put_content(parts, entries, facts)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """All or nothing; the snapshot has no generation (it is unusable) until a commit writes one."""
        db = self.db
        try:
            db.execute("BEGIN")
            db.execute("DELETE FROM facts WHERE name = 'generation'")
            yield
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _put_content(self, parts: Mapping[Part, tuple[Any, str]], entries: Mapping[str, EntryRecord],
                     facts: Mapping[str, tuple[Any, str]]) -> None:
        db = self.db
        db.executemany("INSERT OR REPLACE INTO parts VALUES (?, ?, ?)",
                       ((name, _dump(f"part {name}", value), digest)
                        for name, value, digest in ((part_name(p), v, d) for p, (v, d) in parts.items())))
        db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)",
                       ((source, sealed_entry(source, record)) for source, record in entries.items()))
        db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?)",
                       ((name, _dump(f"fact {name}", value), digest) for name, (value, digest) in facts.items()))

    def _stored_uses(self, names: list[str]) -> dict[str, str]:
        """The uses digest of each of these pages that has a row: for many pages, read in one pass."""
        if len(names) > 1000:
            wanted = set(names)
            return {name: uses for name, uses in self.db.execute("SELECT name, uses FROM pages") if name in wanted}
        found = {}
        for name in names:
            row = self.db.execute("SELECT uses FROM pages WHERE name = ?", (name,)).fetchone()
            if row is not None:
                found[name] = row[0]
        return found

    def clear(self) -> None:
        self.db.executescript("DELETE FROM pages; DELETE FROM uses; DELETE FROM parts; DELETE FROM entries;"
                              "DELETE FROM facts; DELETE FROM fact_changes;"
                              "DROP INDEX IF EXISTS uses_by_part; DROP INDEX IF EXISTS uses_by_page;")

    def _one(self, query: str, *args) -> tuple | None:
        try:
            return self.db.execute(query, args).fetchone()
        except sqlite3.Error as exc:
            raise SnapshotUnusable(str(exc)) from None

    def _all(self, query: str, *args) -> list[tuple]:
        try:
            return self.db.execute(query, args).fetchall()
        except sqlite3.Error as exc:
            raise SnapshotUnusable(str(exc)) from None


def sealed_entry(source: str, record: EntryRecord) -> bytes:
    """An entry record's row as the snapshot stores it (Snapshot.entry_rows)."""
    return _dump(f"entry {source}", record)


def _dump(label: str, value: Any) -> bytes:
    return seal(label, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _load(label: str, data: bytes) -> Any:
    return _unpickle(label, _unseal(label, data))


def _unpickle(label: str, payload: bytes) -> Any:
    try:
        return pickle.loads(payload)
    except Exception as exc:  # noqa: BLE001 - ours, but from another version of a class: unusable
        raise SnapshotUnusable(f"{label}: {exc}") from None


def _unseal(label: str, data: bytes) -> bytes:
    try:
        return unseal(label, data)
    except SignatureError as exc:
        raise SnapshotUnusable(f"{label}: {exc}") from None
