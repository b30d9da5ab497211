"""Content files to validated entries, file by file, reusing each unchanged file's result.

Parsing and validating a file depends only on its bytes, its path and the site
configuration, so the result is remembered under a digest of those three and
an unchanged file is neither parsed nor validated again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from glossary_ssg.config import SiteConfig
from glossary_ssg.content_files import ContentFile, Kind, find_content_files
from glossary_ssg.errors import Diagnostic, Location, error
from glossary_ssg.fingerprint import of_bytes, of_text, of_value
from glossary_ssg.loader import parse_doc, read_doc
from glossary_ssg.memo import Recall
from glossary_ssg.model import Lesson, Term, frozen_map
from glossary_ssg.outline import outline
from glossary_ssg.parallel import map_in_processes
from glossary_ssg.paths import Slug, is_slug
from glossary_ssg.toolchain import tool_identity
from glossary_ssg.validate import ValidatedContent, validate_document


@dataclass(frozen=True)
class LoadedEntries:
    content: ValidatedContent
    failed: frozenset[tuple[Kind, Slug]]  # files that exist but could not be read; refs to them are not "unknown"
    diagnostics: tuple[Diagnostic, ...]
    file_digests: Mapping[str, str]  # source path -> digest of the file's bytes
    entry_keys: Mapping[str, str]  # source path -> digest of everything its entry was made from
    own_problems: Mapping[str, tuple[Diagnostic, ...]]  # source path -> what parsing and validating it reported
    outlines: Mapping[str, str]  # source path -> the entry's outline (outline.py), for the snapshot


def load_entries(project_dir: Path, config: SiteConfig, memo: Recall | None = None, workers: int = 1,
                 known_digests: Mapping[str, str] | None = None) -> LoadedEntries:
    """Every content file (see content_files), in a stable order, as a Term or Lesson and its problems.
    Files not in `memo` are parsed and validated on `workers` processes. A file in `known_digests` (source
    -> digest of its bytes, inputs.unchanged_digests) whose entry `memo` holds is not read at all."""
    known_digests = known_digests or {}
    memo = memo if memo is not None else Recall()
    files, problems = find_content_files(project_dir)
    diagnostics = list(problems)
    config_key = entry_config_key(config)
    file_digests: dict[str, str] = {}
    entry_keys: dict[str, str] = {}
    results: dict[str, tuple[Term | Lesson | None, list[Diagnostic], str]] = {}
    unread: list[tuple[str, ContentFile, bytes]] = []
    # With nothing remembered, no file needs its digest here to be looked up: the workers read them.
    to_read: list[ContentFile] = []
    for file in files:
        if not is_slug(file.path.stem):
            results[file.source] = (*read_doc(file.kind, file.path, file.source), "")  # reports the bad name
            continue
        known = known_digests.get(file.source)
        if known is not None and (key := entry_key(config_key, file.kind, file.source, known)) in memo:
            file_digests[file.source], entry_keys[file.source] = known, key
            continue
        if memo.empty:
            to_read.append(file)
            continue
        try:
            data = file.path.read_bytes()
        except OSError as exc:
            results[file.source] = _unreadable(file, exc)
            continue
        file_digests[file.source] = of_bytes(data)
        key = entry_keys[file.source] = entry_key(config_key, file.kind, file.source, file_digests[file.source])
        if key not in memo:
            unread.append((key, file, data))
    parse = _Parser(config)
    for (key, _, _), result in zip(unread, map_in_processes(parse, unread, workers)):
        memo.put(key, result)
    for file, (digest, key, result) in zip(to_read, map_in_processes(_Reader(config, config_key), to_read, workers)):
        if digest is None:
            results[file.source] = result
            continue
        file_digests[file.source], entry_keys[file.source] = digest, key
        memo.put(key, result)
    terms, lessons, failed = [], [], set()
    own_problems: dict[str, tuple[Diagnostic, ...]] = {}
    outlines: dict[str, str] = {}
    for file in files:
        entry, found, outlines[file.source] = (results.get(file.source)
                                              or memo.get(entry_keys[file.source], lambda: None))
        diagnostics.extend(found)
        if found:
            own_problems[file.source] = tuple(found)
        if entry is None:
            failed.add((file.kind, Slug(file.path.stem)))
        elif isinstance(entry, Term):
            terms.append(entry)
        else:
            lessons.append(entry)
    return LoadedEntries(ValidatedContent(tuple(terms), tuple(lessons)), frozenset(failed), tuple(diagnostics),
                         frozen_map(file_digests), frozen_map(entry_keys), frozen_map(own_problems),
                         frozen_map(outlines))


def entry_config_key(config: SiteConfig) -> str:
    return of_text(tool_identity(), of_value(config))


def entry_key(config_key: str, kind: Kind, source: str, file_digest: str) -> str:
    """Digest of all a file's entry is made from: the same key is the same entry and the same problems."""
    return of_text(config_key, kind, source, file_digest)


class _Parser:
    """A file's entry, its problems and its outline: the outline is made here, on the workers, and
    remembered with the entry, rather than for every entry on one process when the snapshot is saved."""

    def __init__(self, config: SiteConfig):
        self.config = config

    def __call__(self, job: tuple[str, ContentFile, bytes]) -> tuple[Term | Lesson | None, list[Diagnostic], str]:
        _, file, data = job
        entry, problems = parse_and_validate(file, data, self.config)
        return entry, problems, outline(entry) if entry is not None else ""


class _Reader(_Parser):
    """For a build with nothing remembered: a file is read and digested where it is parsed, on the workers
    (at 10,000 terms, a third of a second on one process). Gives its digest, its entry key and what _Parser
    gives; the digest and key are None for a file that cannot be read."""

    def __init__(self, config: SiteConfig, config_key: str):
        super().__init__(config)
        self.config_key = config_key

    def __call__(self, file: ContentFile):  # type: ignore[override]
        try:
            data = file.path.read_bytes()
        except OSError as exc:
            return None, None, _unreadable(file, exc)
        digest = of_bytes(data)
        key = entry_key(self.config_key, file.kind, file.source, digest)
        return digest, key, super().__call__((key, file, data))


def _unreadable(file: ContentFile, exc: OSError) -> tuple[None, list[Diagnostic], str]:
    return None, [error("unreadable", f"the file cannot be read: {exc.strerror}", Location(file.source, 1, 1))], ""


def parse_and_validate(file: ContentFile, data: bytes, config: SiteConfig
                       ) -> tuple[Term | Lesson | None, list[Diagnostic]]:
    doc, problems = parse_doc(file.kind, Slug(file.path.stem), file.source, data)
    if doc is None:
        return None, problems
    entry, invalid = validate_document(doc, config)
    return entry, problems + invalid
