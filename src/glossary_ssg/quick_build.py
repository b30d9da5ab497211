"""A build that reads and renders only what an edit to a few entries' definitions, bodies, links or lists changed.

When every changed file is a content file whose outline (outline.py) and
[[links]] are as they were, and no problem was reported in it but warnings
that a file gives alone (from parsing and validating it, from its code
languages, and for being an orphan: these are made again, and reported), the
graph is as it was: so are the indexes, the names bodies link and every other
entry. Then only the changed entries' parts (recipes.Part) are made again, and only the pages that
used a part whose digest changed are resolved from their stored recipes
(snapshot.py), rendered and, where their bytes changed, written. A file whose
outline changed in its references and classification alone moves only links
between entries and the lists of the index pages: relink.py works out which,
and the pages whose recipe that changes are planned again and rendered with the
others (and which terms are orphans is worked out again).
Anything else, or anything this cannot vouch for, returns None and the full
build runs: the result is always what a clean build gives.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Callable, Mapping, NamedTuple

from glossary_ssg import limits
from glossary_ssg.added_terms import NotAddable, files_mentioning, with_names
from glossary_ssg.build_setting import BuildSetting
from glossary_ssg.build_state import BuildState, InputFile, OutputFile
from glossary_ssg.config import SiteConfig
from glossary_ssg.content_files import plain_content_file
from glossary_ssg.diagrams.cache import DiagramCache
from glossary_ssg.diagrams.phase import DiagramSet
from glossary_ssg.diagrams.renderer import THEMES, DiagramJob
from glossary_ssg.entries import entry_config_key, entry_key, parse_and_validate
from glossary_ssg.errors import Diagnostic, Location, has_errors
from glossary_ssg.fingerprint import of_bytes, of_value, value_bytes
from glossary_ssg.fragments import FragmentCache
from glossary_ssg.links import orphan_warning, wikilink_targets
from glossary_ssg.markup.fences import MERMAID
from glossary_ssg.markup.texts import fences_in
from glossary_ssg.model import Lesson, Term, frozen_map
from glossary_ssg.names import LinkNames
from glossary_ssg.outline import outline, standing
from glossary_ssg.parallel import Pending
from glossary_ssg.parts import ENTRY_PARTS
from glossary_ssg.paths import is_slug
from glossary_ssg.recipes import Part, Resolver, page_key, part_name
from glossary_ssg.relink import LINKS_FACT, NotRelinkable, StoredLinks, relink
from glossary_ssg.search_index import search_files_of, search_text_file
from glossary_ssg.site import Page, make_card, term_path
from glossary_ssg.site_snapshot import by_name, stored_cards, stored_fragments_unchecked, stored_templates
from glossary_ssg.snapshot import (
    EntryRecord,
    PageRow,
    Snapshot,
    SnapshotUnusable,
    new_generation,
    sealed_recipe,
    used_names,
)
from glossary_ssg.writer import folder_stats, update_site


@dataclass(frozen=True)
class QuickResult:
    state: BuildState
    rendered: int  # pages whose template ran
    written: int  # files whose bytes changed
    removed: int = 0  # files of pages no longer made


class _NotQuick(Exception):
    """This edit needs the full build."""


class _Reread(NamedTuple):
    """A changed file as it is now, and as the last build stored it."""

    source: str
    record: EntryRecord  # the stored one
    entry: Term | Lesson
    problems: tuple[Diagnostic, ...]  # its own, from parsing and validating it
    old: Term | Lesson
    key: str  # its entry key now
    outlined: str


class Preloaded:
    """What a quick build reads of the snapshot whatever the edit, read while another process looks for
    what changed (what_changed.py): the cards, their fragments and the compiled templates, and Jinja."""

    def __init__(self, snapshot: Snapshot):
        import glossary_ssg.templates  # noqa: F401 - Jinja, imported now rather than after the stats
        self.snapshot = snapshot
        self.generation = snapshot.fact("generation")
        self.cards = stored_cards(snapshot)
        self.fragments = stored_fragments_unchecked(snapshot)
        self.compiled = stored_templates(snapshot)

    def close(self) -> None:
        self.snapshot.close()


def preload(folder: Path, generation: str) -> Preloaded | None:
    """None when there is no usable snapshot of the build that left `generation`."""
    if not generation:
        return None
    try:
        snapshot = Snapshot(folder)
    except SnapshotUnusable:
        return None
    try:
        return Preloaded(snapshot)
    except SnapshotUnusable:
        snapshot.close()
        return None


def quick_build(job: BuildSetting, changed: set[str], preloaded: Preloaded | None) -> QuickResult | None:
    """What the quick build did and the state it leaves, or None when the full build must run. `changed`:
    the content files whose stat or bytes changed."""
    if preloaded is None or preloaded.generation != job.state.generation:
        return None
    try:
        return _Quick(job, changed, preloaded).run()
    except (_NotQuick, SnapshotUnusable):
        return None


class _Quick:
    def __init__(self, job: BuildSetting, changed: set[str], preloaded: Preloaded):
        self.job, self.changed_files, self.preloaded, self.config = job, changed, preloaded, job.config
        self.snapshot = preloaded.snapshot
        self.fresh: dict[Part, tuple[Any, str]] = {}  # parts made by this build: value, digest
        self.records: dict[str, EntryRecord] = {}
        self.reported: dict[str, tuple[Diagnostic, ...]] = {}  # each changed file's problems, made again
        self.changed: list[Part] = []
        self.fragments: FragmentCache | None = None
        self.compiled = None  # templates.CompiledTemplates, once a page is rendered
        self.inputs: dict[str, InputFile] = {}
        self._names = None
        self.read: dict[str, Term | Lesson] = {}  # each changed file's entry as it is now
        self.relinked: dict[tuple[str, str], Term | Lesson] = {}  # (kind, slug) -> entry, where references changed
        self.planned: dict[str, Page] = {}  # output file -> page planned again, its links having changed
        self.links: tuple[StoredLinks, str] | None = None  # the links fact as it is now, where they changed
        self.orphans_now: dict[str, Diagnostic | None] = {}  # a term file whose orphan warning came or went -> it
        self.added: dict[str, Term] = {}  # each new term file's entry (added_terms.py)
        self.renamed: dict[str, Term] = {}  # each changed file whose term has another title or other aliases
        self.removed: dict[str, Term] = {}  # each term file that went, with its term as the last build stored it
        self.retitled_lessons: list[str] = []  # their slugs
        self.name_facts: dict[str, tuple[Any, str]] = {}  # the names and aliases, as new or renamed terms leave them
        self.cards: dict[tuple, tuple[Any, str]] = preloaded.cards  # every card, terms then lessons, each by slug
        self._links_fact: StoredLinks | None = None
        self.came: frozenset[str] = frozenset()  # output files of pages that are new in this build
        self.gone: frozenset[str] = frozenset()  # output files of the last build's pages that are not made now
        self._mentioning: Pending | None = None  # the other files that hold a new name, found on another process
        self._matcher: tuple[LinkNames, Any] | None = None  # the names, and their mentions indexed for rendering

    def _relink(self) -> None:
        """Work out what the changed references move (relink.py), or raise _NotQuick."""
        if not self.relinked and not self.removed:
            return
        stored = self._stored_links()
        gone_slugs = self._removed_slugs()
        cards = {key: value for key, value in self.preloaded.cards.items()
                 if key[1] != "term" or key[2] not in gone_slugs} if gone_slugs else dict(self.preloaded.cards)
        cards.update(self._fresh_cards())
        if self.added:  # terms, then lessons, each by slug, as the search index lists them
            cards = dict(sorted(cards.items(), key=lambda item: (item[0][1] != "term", item[0][2])))
        self.cards = cards
        wikilinked = [slug for source in self.added for slug in self.records[source].wikilinked]
        try:
            relinked = relink(stored, self.relinked, self.preloaded.cards, cards, self.config, self._concept_maps,
                              wikilinked, self._dates, gone_slugs)
        except NotRelinkable:
            raise _NotQuick from None
        digests = {name: of_bytes(value_bytes(page)) for name, page in relinked.pages.items()}
        stored_digests = self.snapshot.recipe_digests([*digests, *relinked.gone])
        if set(digests) - set(stored_digests) != relinked.came or not relinked.gone <= set(stored_digests) \
                or any(name in self.job.state.outputs for name in relinked.came) \
                or not all(name in self.job.state.outputs for name in relinked.gone):
            raise _NotQuick  # a page would come where another file is, or the last build's pages are not as known
        self.came, self.gone = relinked.came, relinked.gone
        self.planned = {name: page for name, page in relinked.pages.items()
                        if stored_digests.get(name) != digests[name]}
        self.links = (relinked.stored, of_value(relinked.stored))
        for slug in (relinked.orphans ^ relinked.orphans_before) - gone_slugs:
            source = relinked.stored.term_sources[slug]
            if source in self.records:
                self.records[source] = replace(self.records[source], orphan=slug in relinked.orphans)
                continue
            record = self.snapshot.entry(source)
            if record is None:
                raise _NotQuick
            self.records[source] = replace(record, orphan=slug in relinked.orphans)
            term, _ = self.snapshot.part(Part("entry", "term", slug))
            self.orphans_now[source] = orphan_warning(term) if slug in relinked.orphans else None

    def _stored_links(self) -> StoredLinks:
        """The links fact, read once (an added term needs it for its mentions and for its links)."""
        if self._links_fact is None:
            stored = self.snapshot.fact(LINKS_FACT)
            if type(stored) is not StoredLinks:
                raise _NotQuick
            self._links_fact = stored
        return self._links_fact

    def _orphans(self) -> None:
        """Each changed file's orphan warning, made again, where it is one now; under --strict, any warning
        stops the build, which the full build reports."""
        for source, entry in self.read.items():
            if self.records[source].orphan:
                self.reported[source] = (*self.reported[source], orphan_warning(entry))
        if self.job.options.strict and (any(self.reported.values()) or any(self.orphans_now.values())):
            raise _NotQuick

    def _concept_maps(self, wanted: dict[str, tuple[str, str]]) -> dict[str, str]:
        """Each term's concept map as HTML, from (Mermaid source, caption): diagrams the cache lacks are rendered,
        and any problem with them is the full build's to report."""
        from glossary_ssg.diagrams.figure import diagram_figure
        sources = [source for source, _ in wanted.values()]
        if any(len(source) > limits.DIAGRAM_CHARACTERS for source in sources):
            raise _NotQuick
        diagrams = self._diagram_set(sources, render=True)
        return {slug: diagram_figure(diagrams, source, "concept-map", caption)
                for slug, (source, caption) in wanted.items()}

    def run(self) -> QuickResult:
        try:
            return self._run()
        finally:
            if self._mentioning is not None:
                self._mentioning.cancel()  # given up on before its result was taken

    def _run(self) -> QuickResult:
        records = {source: self.snapshot.entry(source) for source in sorted(self.changed_files)}
        for source in sorted(self.changed_files - self.job.stats.keys()):
            self._remove(source, records.pop(source))
        for source in [source for source, record in records.items() if record is None]:
            self._read_new(source)
        if {term.slug for term in self.added.values()} & self._removed_slugs():
            raise _NotQuick  # a term's file moved: its old page is its new one
        rereads = [reread for source, record in records.items() if record is not None
                   for reread in [self._reread(source, record)] if reread is not None]
        if (self.renamed or self.removed or self.retitled_lessons) \
                and any(found.code == "ref-by-name" for found in self.job.state.diagnostics):
            raise _NotQuick  # a reference by a name given up, or one now a title, not an alias: the full build says
        if self.added or self.renamed or self.removed:
            self._change_names()
        for reread in rereads:
            self._remake(reread)
        self._relink()
        self._render_mentioning()
        self._orphans()
        new_slugs = {term.slug for term in self.added.values()}
        parts = _SnapshotParts(self.snapshot, self.preloaded.cards, self.fresh, self.config,
                               {part for part in self.fresh if part.kind == "term" and part.slug in new_slugs},
                               self.cards)
        changed = self.changed = [part for part, (_, digest) in self.fresh.items()
                                  if parts.stored_digest(part) != digest]
        pages = sorted({*self.snapshot.pages_using(changed), *self.planned} - self.gone)
        files, rows = self._render(pages, parts)
        if self.removed:
            self._check_nothing_shows_the_removed(pages, rows)
        if self.name_facts or any(part.what == "card" for part in changed):
            fresh = self._fresh_cards()
            cards = [(fresh.get(key) or stored)[0] for key, stored in parts.cards().items()]  # terms, then lessons
            files.update(search_text_file(cards))
            if self.name_facts or any((value.level, value.title) != (stored.level, stored.title)
                                      for part, (value, _) in fresh.items()
                                      for stored in [parts.stored_value(part)]):  # names.json holds them
                aliases = self.name_facts["aliases"][0] if self.name_facts else self.snapshot.fact("aliases")
                files.update(search_files_of(cards, aliases, self.config.levels))
        return self._write(files, rows, pages, parts)

    def _check_nothing_shows_the_removed(self, pages: list[str], rows: list[PageRow]) -> None:
        """Every page that showed a removed term goes or was rendered without it, or raise _NotQuick: a page
        left as it was would still show it (the full build plans every page)."""
        removed = self._removed_parts()
        names = set(map(part_name, removed))
        if not set(self.snapshot.pages_using(removed)) <= {*pages, *self.gone} \
                or any(names.intersection(row.used) for row in rows):
            raise _NotQuick

    def _removed_slugs(self) -> set[str]:
        return {term.slug for term in self.removed.values()}

    def _removed_parts(self) -> list[Part]:
        return [Part(what, "term", slug) for slug in sorted(self._removed_slugs()) for what in ENTRY_PARTS]

    def _remove(self, source: str, record: EntryRecord | None) -> None:
        """A term file that went: it gives up its names and its page (relink.py), or raise _NotQuick. A lesson
        that goes, and a term that had a redirect or whose [[links]] reached other terms (which may be orphans
        without them), take the full build, as does a file the last build reported anything else in."""
        if record is None or record.kind != "term" or record.wikilinked or not record.clean \
                or os.path.lexists(os.path.join(self.job.options.project_dir, source)):
            raise _NotQuick  # (a name whose stat fails, as a broken link's does, is still there to report)
        term, _ = self.snapshot.part(Part("entry", "term", record.slug))
        if term.redirect_from:
            raise _NotQuick
        self.removed[source] = term
        self.reported[source] = ()  # nothing is reported in a file that is not there

    def _read_new(self, source: str) -> None:
        """A new term file's parts (its body once every name is known: _add_names), or raise _NotQuick: a new
        lesson, a file with an error, or one whose page would take the place of a redirect or a theme file."""
        file = plain_content_file(self.job.options.project_dir, source)
        if file is None or file.kind != "term" or not is_slug(file.path.stem):
            raise _NotQuick  # a name that is not a slug is an error the full build reports (loader.read_doc)
        try:
            data = file.path.read_bytes()
        except OSError:
            raise _NotQuick from None
        self.inputs[source] = InputFile(self.job.stats[source], of_bytes(data))
        entry, problems = parse_and_validate(file, data, self.config)
        if entry is None or has_errors(problems) or entry.redirect_from \
                or term_path(entry.slug) + "index.html" in self.job.state.outputs:
            raise _NotQuick
        key = entry_key(entry_config_key(self.config), "term", source, self.inputs[source].digest)
        self.records[source] = EntryRecord("term", entry.slug, key, outline(entry), True, (), tuple(problems))
        self.reported[source] = tuple(problems)
        self.read[source] = self.added[source] = entry
        self.relinked[("term", entry.slug)] = entry
        self.fresh[Part("entry", "term", entry.slug)] = (entry, key)
        card = make_card(entry, self.config)
        self.fresh[Part("card", "term", entry.slug)] = (card, of_value(card))

    def _change_names(self) -> None:
        """The new and renamed terms' names, claimed beside the stored ones; then the new terms' bodies, and
        every other file's that may now mention a changed name (_render_mentioning), rendered with them."""
        before = self.names()
        try:
            names, aliases = with_names((before.names, before.mentions, before.titles), self.snapshot.fact("aliases"),
                                        [*self.added.values(), *self.renamed.values()],
                                        self._removed_slugs())
        except NotAddable:
            raise _NotQuick from None
        self._names = LinkNames(*names)
        self.name_facts = {"names": (names, of_value(names)), "aliases": (aliases, of_value(aliases))}
        stored = self._stored_links()
        # Changed files too: one only touched keeps its stored body unless it is looked at here.
        others = [source for source in [*stored.term_sources.values(), *stored.lesson_sources.values()]
                  if source not in self.added and source not in self.removed]
        # Read on a second process while this one renders the new terms and links them (relink.py): at 10,000
        # terms, each about a fifth of an added term's build.
        self._mentioning = Pending(partial(files_mentioning, self.job.options.project_dir, others, before,
                                           self._names))
        for source, entry in self.added.items():
            wikilinked, unknown = wikilink_targets(entry, self._names.names)
            if unknown:
                raise _NotQuick
            code_problems = _fence_problems(entry)
            self.records[source] = replace(self.records[source], wikilinked=wikilinked,
                                           unknown_languages=bool(code_problems))
            self.reported[source] = (*self.reported[source], *code_problems)
            self._render_body(entry)

    def _render_mentioning(self) -> None:
        """Each other file's body that holds a new name, rendered with the new names."""
        if self._mentioning is None:
            return
        try:
            mentioning = self._mentioning.result()
        except (NotAddable, OSError):
            raise _NotQuick from None
        for source, data in mentioning.items():
            record = self.snapshot.entry(source)
            if record is None or not record.clean:
                raise _NotQuick  # what else was reported in it could change with its body: the full build says
            file = plain_content_file(self.job.options.project_dir, source)
            entry, problems = parse_and_validate(file, data, self.config) if file else (None, ())
            if entry is None or has_errors(problems):
                raise _NotQuick
            wikilinked, unknown = wikilink_targets(entry, self._names.names)
            if unknown or wikilinked != record.wikilinked:
                raise _NotQuick  # a [[link]] to a name given up, or that another term now holds: the full build
            self._render_body(entry)
            if isinstance(entry, Lesson):
                self._render_quiz(entry)  # a [[link]] in it may show a title that changed

    def _render_body(self, entry: Term | Lesson) -> None:
        kind = "term" if isinstance(entry, Term) else "lesson"
        html, linked, problems = self._renderer(entry).body(entry)
        if problems:
            raise _NotQuick
        self.fresh[Part("body", kind, entry.slug)] = (html, of_value(html))
        self.fresh[Part("links", kind, entry.slug)] = (linked, of_value(linked))

    def _dates(self, sources: list[str]) -> Mapping[str, int]:
        """When each content file last changed, as a full build finds it (from the dates it remembered)."""
        from glossary_ssg.dates import content_dates
        from glossary_ssg.memo import Recall
        return content_dates(self.job.options.project_dir, sources, Recall(self.job.store.load_memo_table("dates")))

    def _reread(self, source: str, record: EntryRecord) -> _Reread | None:
        """The changed file as it is now (`record`: its stored one), None when only touched, or raise _NotQuick.
        A term whose title or aliases changed is renamed: its names change before any body is rendered."""
        file = plain_content_file(self.job.options.project_dir, source)
        if file is None or not record.clean:
            raise _NotQuick
        try:
            data = file.path.read_bytes()
        except OSError:
            raise _NotQuick from None
        digest = of_bytes(data)
        self.inputs[source] = InputFile(self.job.stats[source], digest)
        key = entry_key(entry_config_key(self.config), record.kind, source, digest)
        if key == record.entry_key:
            return None  # touched, not changed
        entry, problems = parse_and_validate(file, data, self.config)
        if entry is None or has_errors(problems):
            raise _NotQuick  # a warning is reported again below; an error stops the build, as a full one does
        kind, slug = record.kind, record.slug
        old, _ = self.snapshot.part(Part("entry", kind, slug))
        outlined = outline(entry)
        if outlined != record.outline:
            if standing(entry) != standing(old):
                if not self._retitled(old, entry, () if isinstance(entry, Lesson) else ("aliases",)):
                    raise _NotQuick
                if isinstance(entry, Term):
                    self.renamed[source] = entry  # its names change (a lesson's title is no name bodies link)
                else:
                    self.retitled_lessons.append(slug)
            self.relinked[(kind, slug)] = entry  # its references, classification or names changed: relink.py
        return _Reread(source, record, entry, tuple(problems), old, key, outlined)

    def _retitled(self, old: Term | Lesson, entry: Term | Lesson, also: tuple[str, ...]) -> bool:
        """Whether only the entry's title (and the fields `also` names: a term's aliases) changed of its
        standing. A concept map shows the titles of a term's neighbours and lessons, and a redirect page its
        target's title: the full build makes them again."""
        kept = replace(entry, title=old.title, **{field: getattr(old, field) for field in also})
        return standing(kept) == standing(old) \
            and not (entry.title != old.title and (self.config.concept_maps or entry.redirect_from))

    def _remake(self, reread: _Reread) -> None:
        """The changed file's parts made again, once every name is known, or raise _NotQuick."""
        source, record, entry, problems, old, key, outlined = reread
        kind, slug = record.kind, record.slug
        wikilinked, unknown = wikilink_targets(entry, _LoadedOnUse(lambda: self.names().names))
        if unknown or wikilinked != record.wikilinked:
            raise _NotQuick
        languages = {fence.language for _, fence, _ in fences_in([entry])}
        code_problems = _fence_problems(entry) if record.unknown_languages or not languages <= {
            fence.language for _, fence, _ in fences_in([old])} else ()  # else every language is known
        self.records[source] = replace(record, entry_key=key, outline=outlined, own=tuple(problems),
                                       unknown_languages=bool(code_problems))
        self.reported[source] = (*problems, *code_problems)  # and its orphan warning: _orphans
        self.read[source] = entry
        self.fresh[Part("entry", kind, slug)] = (entry, key)
        card = make_card(entry, self.config)
        self.fresh[Part("card", kind, slug)] = (card, of_value(card))
        if old.body != entry.body or self.name_facts:  # with new names, the body may mention one
            self._render_body(entry)
        if isinstance(entry, Lesson) and old.quiz != entry.quiz:
            self._render_quiz(entry)

    def _render_quiz(self, lesson: Lesson) -> None:
        quiz, _, problems = self._renderer(lesson).quiz(lesson)
        if problems:
            raise _NotQuick
        self.fresh[Part("quiz", "lesson", lesson.slug)] = (quiz, of_value(quiz))

    def _diagnostics(self, before: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
        """The last build's, with each changed file's problems as they are now: nothing else could be
        reported in it (EntryRecord.clean), and nothing else changed."""
        kept = [diagnostic for diagnostic in before if diagnostic.location.path not in self.reported
                and not (diagnostic.location.path in self.orphans_now and diagnostic.code == "orphan-term")]
        made = [found for problems in self.reported.values() for found in problems]
        made += [warning for warning in self.orphans_now.values() if warning is not None]
        return tuple(sorted(kept + made, key=Diagnostic.sort_key))

    def _fresh_cards(self) -> dict[Part, tuple[Any, str]]:
        return {part: value for part, value in self.fresh.items() if part.what == "card"}

    def names(self) -> LinkNames:
        if self._names is None:
            self._names = LinkNames(*self.snapshot.fact("names"))
        return self._names

    def _renderer(self, entry: Term | Lesson):
        from glossary_ssg.markup.render import EntryRenderer  # Markdown and Pygments: only when a body changed
        from glossary_ssg.markup.termlinks import MentionMatcher
        names = self.names()
        if self._matcher is None or self._matcher[0] is not names:  # the names change once, if at all
            self._matcher = (names, MentionMatcher(names.mentions) if self.config.autolink else None)
        return EntryRenderer(names, self.config, self._diagrams(entry), self._matcher[1])

    def _diagrams(self, entry: Term | Lesson) -> DiagramSet:
        """The entry's diagrams from the diagram cache: one that is not there is rendered by the full build."""
        sources = [fence.code for _, fence, _ in fences_in([entry]) if fence.language == MERMAID]
        if any(len(source) > limits.DIAGRAM_CHARACTERS for source in sources):
            raise _NotQuick
        return self._diagram_set(sources, render=False)

    def _diagram_set(self, sources: list[str], render: bool) -> DiagramSet:
        """Each source's SVGs from the diagram cache; those it lacks are rendered if `render`, else left to
        the full build (which also reports whatever the renderer says)."""
        identity = self.job.diagram_identity
        cache_dir = self.job.options.cache_dir or self.job.options.project_dir / self.config.cache_dir
        cache = DiagramCache(cache_dir / "diagrams")
        svgs, missing = {}, []
        for source in sources:
            for variant in THEMES:
                svg = cache.get(cache.key(identity, DiagramJob(source, variant)))
                if svg is not None:
                    svgs[(source, variant)] = svg
                elif not render:
                    raise _NotQuick
                else:
                    missing.append(source)
        if missing:
            svgs.update(self._rendered(sorted(set(missing)), cache))
        return DiagramSet(frozen_map(svgs), rendered=0, reused=len(svgs), identity=identity)

    def _rendered(self, sources: list[str], cache: DiagramCache) -> dict[tuple[str, str], str]:
        from glossary_ssg.diagrams.choose import make_renderer
        from glossary_ssg.diagrams.phase import DiagramUse, render_diagrams
        from glossary_ssg.diagrams.renderer import RendererUnavailable
        try:
            renderer = make_renderer(self.config.diagram_renderer, self.job.options.project_dir)
            if renderer.identity() != self.job.diagram_identity:
                raise _NotQuick
            made, problems = render_diagrams(tuple(DiagramUse(source, Location("")) for source in sources),
                                             renderer, cache, self.job.options.progress)
        except RendererUnavailable:
            raise _NotQuick from None
        if problems:
            raise _NotQuick
        return dict(made.svgs)

    def _render(self, names: list[str], parts: _SnapshotParts) -> tuple[dict[str, bytes], list[PageRow]]:
        from glossary_ssg.templates import (  # Jinja: only when a page is rendered
            CompiledTemplates,
            make_environment,
            render_page,
        )
        if not names:
            return {}, []
        templates, stored, changes = self.preloaded.fragments
        if templates == self.job.templates_key:  # made by the same templates
            self.fragments = FragmentCache(stored, changes, parts.cards())
        else:
            self.fragments = FragmentCache()
        self.compiled = CompiledTemplates(self.preloaded.compiled)
        env = make_environment(self.job.themes, self.config, self.fragments, self.compiled)
        files, rows = {}, []
        for name in names:
            planned = self.planned.get(name)
            if planned is None:
                page, recipe_digest = self.snapshot.recipe(name)
            else:
                pickled = value_bytes(planned)
                page, recipe_digest = planned, of_bytes(pickled)
            resolver = Resolver(parts)
            files[name] = render_page(env, page, resolver.resolve(page.context), self.job.options.project_dir).encode()
            key = page_key(self.job.templates_key, recipe_digest, resolver.used, parts.digest)
            if planned is None:  # the recipe is as stored
                rows.append(PageRow(name, None, recipe_digest, key, used_names(resolver.used)))
            else:
                rows.append(PageRow(name, page, recipe_digest, key, used_names(resolver.used),
                                    sealed_recipe(name, pickled)))
        return files, rows

    def _write(self, files: dict[str, bytes], rows: list[PageRow], pages: list[str], parts: _SnapshotParts
               ) -> QuickResult:
        job, state = self.job, self.job.state
        output_dir = job.output_dir
        digests = {name: of_bytes(content) for name, content in files.items()}
        changed = {name: content for name, content in files.items() if name not in state.outputs
                   or state.outputs[name].content_digest != digests[name]}
        update_site(output_dir, changed, self.gone)
        written = output_stats_of(output_dir, changed)
        keys = {row.name: row.key for row in rows}
        outputs = dict(state.outputs)
        for name in self.gone:
            del outputs[name]
        for name in files:
            old = outputs.get(name) or OutputFile("", "", (0, 0, 0))
            outputs[name] = OutputFile(keys.get(name, old.source_digest), digests[name], written.get(name, old.stat))
        made = {name for name in changed if name not in state.outputs}  # its folders may be new, and their parents
        outputs = dict(sorted(outputs.items())) if made or self.gone else outputs
        folders = dict(state.folders)
        # A removed file's folders may be gone (emptied), and those that hold it have one entry less.
        touched = {_folder_of(name) for name in changed} | {""} | {
            folder for name in [*made, *self.gone] for folder in _folders_of(name)}
        found = folder_stats(output_dir, touched)
        for folder in touched - found.keys():
            folders.pop(folder, None)
        folders.update(found)
        folders = dict(sorted(folders.items())) if folders.keys() != state.folders.keys() else folders
        generation = new_generation()
        changed_cards = {part: value for part, value in self._fresh_cards().items()
                         if parts.stored_digest(part) != value[1]}
        gone_cards = {Part("card", "term", term.slug): None for term in self.removed.values()}  # stored_cards
        tables = {"cards": by_name({**changed_cards, **gone_cards}),
                  "templates": self.compiled.fresh if self.compiled else {}}
        if self.fragments is not None and self.fragments.fresh:
            fresh = {key for key, _, _, _ in self.fragments.fresh}
            tables["fragment-changes"] = by_name(self.fragments.changed_since({**parts.cards(), **changed_cards},
                                                                              fresh))
        self.snapshot.update(generation, rows, gone_pages=sorted(self.gone),
                             gone_parts=self._removed_parts(),
                             gone_entries=sorted(self.removed),
                             parts={part: self.fresh[part] for part in self.changed
                                                      if part.what != "card"},
                             entries=self.records,
                             facts={**({LINKS_FACT: self.links} if self.links else {}), **self.name_facts},
                             table_changes=tables)
        inputs = {name: found for name, found in {**state.inputs, **self.inputs}.items() if name not in self.removed}
        new_state = replace(state, started_ns=job.started_ns,
                            inputs=dict(sorted(inputs.items())) if self.added else inputs,
                            outputs=outputs, folders=folders, generation=generation,
                            diagnostics=self._diagnostics(state.diagnostics),
                            summary={**state.summary,
                                     "pages": state.summary["pages"] + len(self.came) - len(self.gone)})
        return QuickResult(new_state, rendered=len(pages), written=len(changed), removed=len(self.gone))


class _LoadedOnUse(Mapping):
    """A mapping read from the snapshot only if something looks a name up: most edits add no [[link]]."""

    def __init__(self, load: Callable[[], Mapping]):
        self.load, self.value = load, None

    def _mapping(self) -> Mapping:
        if self.value is None:
            self.value = self.load()
        return self.value

    def __getitem__(self, key):
        return self._mapping()[key]

    def __iter__(self):
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())


def _fence_problems(entry: Term | Lesson) -> tuple[Diagnostic, ...]:
    from glossary_ssg.markup.checks import (
        fence_problems,  # Pygments: only for code in a new language
    )
    return fence_problems(fences_in([entry]))


def output_stats_of(output_dir: Path, names) -> dict[str, tuple[int, int, int]]:
    found = {}
    for name in names:
        stat = os.stat(os.path.join(output_dir, name))
        found[name] = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    return found


def _folder_of(name: str) -> str:
    folder = name.rpartition("/")[0]
    return folder + "/" if folder else ""


def _folders_of(name: str) -> list[str]:
    """Every folder above an output file: "a/b/c.html" -> "a/", "a/b/"."""
    parts = name.split("/")[:-1]
    return ["/".join(parts[:depth]) + "/" for depth in range(1, len(parts) + 1)]


class _SnapshotParts:
    """Parts as this build made them, else as the snapshot has them (the cards all at once). `added`: parts of
    new terms, which the snapshot does not have yet; `current`: every card as it is now, terms then lessons,
    each by slug (the stored ones when no term was added)."""

    def __init__(self, snapshot: Snapshot, cards: dict[tuple, tuple[Any, str]], fresh: Mapping[Part, tuple[Any, str]],
                 config: SiteConfig, added: set[Part] = frozenset(), current: dict | None = None):
        self.snapshot, self._cards, self.fresh, self.config, self.added = snapshot, cards, fresh, config, added
        self._current = cards if current is None else current
        self.known: dict[Part, tuple[Any, str]] = {}

    def get(self, part: Part) -> Any:
        return (self.fresh.get(part) or self._cards.get(part) or self._stored(part))[0]  # cards: most lookups

    def digest(self, part: Part) -> str:
        return (self.fresh.get(part) or self._stored(part))[1]

    def stored_digest(self, part: Part) -> str | None:
        return None if part in self.added else self._stored(part)[1]

    def cards(self) -> dict[tuple, tuple[Any, str]]:
        return self._current

    def stored_value(self, part: Part) -> Any:
        return self._stored(part)[0]

    def _stored(self, part: Part) -> tuple[Any, str]:
        if part.what == "card":
            found = self._cards.get(part)
            if found is None:
                raise SnapshotUnusable(f"no card {part}")
            return found
        found = self.known.get(part)
        if found is None:
            found = self.known[part] = self.snapshot.part(part)
        return found
