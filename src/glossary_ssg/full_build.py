"""The full build: every phase (pipeline.check), then only the pages whose data changed are rendered and only
the files whose bytes changed are written; the snapshot quick builds start from is brought up to date.

Pages are keyed by the digest of their recipe (recipes.py), of the parts they
used and of the templates, so an unchanged page is not rendered again even
though the whole site is planned.
"""

from __future__ import annotations

from functools import partial
from itertools import chain
from pathlib import Path
from typing import Mapping, NamedTuple

from glossary_ssg.build_setting import BuildSetting
from glossary_ssg.build_state import BuildState, Memo, OutputFile
from glossary_ssg.built import Built
from glossary_ssg.collector import kept_from_collector
from glossary_ssg.fingerprint import of_bytes, of_value, value_bytes
from glossary_ssg.fragments import FragmentCache
from glossary_ssg.inputs import is_content, read_inputs, unchanged_digests
from glossary_ssg.memo import Memos, Recall
from glossary_ssg.options import Options
from glossary_ssg.parallel import Pending, map_in_processes, stream_in_processes
from glossary_ssg.parts import GraphParts, every_card, every_part
from glossary_ssg.pipeline import Checked, check, generated_files
from glossary_ssg.recipes import Part, Parts, Resolver, page_key
from glossary_ssg.search_index import search_aliases, search_files_of
from glossary_ssg.site import Page
from glossary_ssg.site_snapshot import (
    current_cards,
    kept_page_keys,
    open_snapshot,
    reopened_snapshot,
    save_content,
    save_full,
    stored_fragments,
    stored_templates,
)
from glossary_ssg.snapshot import PageRow, Snapshot, new_generation, sealed_recipe, used_names
from glossary_ssg.templates import CompiledTemplates, compile_all, make_environment, render_page
from glossary_ssg.writer import NewSite, output_tree, tree_after_update, update_site


def full_build(job: BuildSetting) -> tuple[Built, str | None]:
    """What was built, and why the build cache could not be saved (None if it was)."""
    options, store, state, output_dir, owned = job.options, job.store, job.state, job.output_dir, job.owned
    project_dir, stats, fixed, templates_key = options.project_dir, job.stats, job.fixed, job.templates_key
    with kept_from_collector():  # every file's parse and body: a million objects kept to the end, none in a cycle
        saved = store.load_memo()
    memos = Memos(Recall(saved.entries), Recall(saved.renders), Recall(saved.dates))
    checked = check(options, memos, unchanged_digests(state.inputs, stats, state.started_ns))
    snapshot, in_sync = open_snapshot(store.folder, state.generation)
    parts = GraphParts(checked.graph, checked.rendered, checked.entry_keys)
    existing = _existing(output_dir, owned, job.as_recorded, state)
    recipe_digests = _learn_digests(checked, parts, bool(existing.previous), options.processes)
    cards = current_cards(checked.graph, parts)  # the same card objects pages are resolved with
    fragments = FragmentCache(*(stored_fragments(snapshot, templates_key) if in_sync else ({}, {})), cards)
    compiled = CompiledTemplates(stored_templates(snapshot) if in_sync else None)
    content_saving = _content_saving(snapshot, in_sync, store.folder, checked, parts, cards)
    memo_saved: Pending | None = None
    try:
        built, outputs, rows, folders = _write(checked, parts, fragments, compiled, output_dir, owned, state,
                                               templates_key, snapshot, in_sync, options, existing, recipe_digests)
        inputs = {**read_inputs(project_dir, {n: s for n, s in stats.items() if is_content(n)},
                                checked.file_digests), **fixed}
        generation = new_generation()
        # The memo tables are pickled and written on a second process while this one writes the snapshot.
        memo_saved = Pending(partial(store.save_memo, Memo(memos.entries.kept, memos.renders.kept,
                                                           memos.dates.kept), saved))
        content_saved = False
        if content_saving is not None:
            content_saved = content_saving.result() is None
            snapshot = reopened_snapshot(store.folder)
        problem = save_full(snapshot, in_sync, generation, checked.graph, parts, cards, rows, checked.diagnostics,
                            checked.own_problems, checked.outlines, {page.output_file for page in checked.pages},
                            fragments, templates_key, compiled.stored, content_saved)
    except BaseException:
        if content_saving is not None:
            content_saving.cancel()  # what it wrote has no generation: the next build writes the snapshot whole
        if memo_saved is not None:
            memo_saved.close()  # a build that stops (a failure, Ctrl-C) waits for it but does not redo its work
        raise
    memo_problem = memo_saved.result()
    problem = store.after_memo(memo_problem, BuildState(
        job.settings, job.started_ns, inputs, outputs, checked.diagnostics,
        {"diagrams": checked.diagrams.summary(), "pages": len(checked.pages)}, folders,
        generation if problem is None else "")) or problem
    return built, problem


class _Existing(NamedTuple):
    """The output folder as the build found it (writer.output_tree), and which of its files are as the last
    build recorded them."""
    files: dict[str, tuple[int, int, int]]
    folders: dict[str, tuple[int, int]]
    previous: dict[str, OutputFile]


def _existing(output_dir: Path, owned: bool, as_recorded: bool, state: BuildState) -> _Existing:
    """`as_recorded`: the build's first step found every output file and folder with the stat the state
    records (what_changed.outputs_as_left), so the folder is not listed again: 0.1-0.2 s at 10,000 terms."""
    if as_recorded:
        return _Existing({name: out.stat for name, out in state.outputs.items()}, dict(state.folders),
                         dict(state.outputs))
    present, present_folders = output_tree(output_dir) if owned else ({}, {})
    return _Existing(present, present_folders,
                     {name: out for name, out in state.outputs.items() if present.get(name) == out.stat})


def _learn_digests(checked: Checked, parts: GraphParts, with_recipes: bool, processes: int) -> list[str]:
    """Every part's digest, learned by `parts`, in one pass over the processes; with earlier files to keep,
    every page recipe's digest too (returned, in plan order), so pages that kept theirs keep their keys."""
    every = every_part(checked.graph)
    digested = map_in_processes(_Digester(parts), [*every, *(checked.pages if with_recipes else ())], processes)
    parts.learn_digests(every, digested[:len(every)])
    return digested[len(every):]


def _content_saving(snapshot: Snapshot | None, in_sync: bool, folder: Path, checked: Checked, parts: GraphParts,
                    cards: dict) -> Pending | None:
    """A snapshot that is not the last build's is written whole: its content, which does not depend on the
    pages, on a second process while they render (site_snapshot.save_content), and only the pages' rows after
    them. At 10,000 terms that content is most of the snapshot's 180 MB. This process's connection is closed
    first, and opened again for the pages' rows: a connection is not to be used across a fork (nor is the
    quick build's, closed before a full build starts: incremental._rebuild)."""
    if snapshot is None or in_sync:
        return None
    snapshot.close()
    return Pending(partial(save_content, folder, checked.graph, parts, cards, checked.diagnostics,
                           checked.own_problems, checked.outlines))


def _write(checked: Checked, parts: GraphParts, fragments: FragmentCache, compiled: CompiledTemplates,
           output_dir: Path, owned: bool, state: BuildState, templates_key: str, snapshot: Snapshot | None,
           in_sync: bool, options: Options, existing: _Existing, recipe_digests: list[str]
           ) -> tuple[Built, dict[str, OutputFile], list[PageRow], dict[str, tuple[int, int]]]:
    """Render the pages whose data changed, write the files whose bytes changed, remove what is gone.
    Also returns the pages whose recipe the snapshot does not have yet (all of them if it is not in sync),
    and the output folders as they are left (writer.output_tree). `recipe_digests`: _learn_digests'."""
    present, present_folders, previous = existing
    known = {name: out.source_digest for name, out in state.outputs.items()} if in_sync else {}
    keyer = _PageKeyer(parts, templates_key, known)
    # With no earlier file to keep, every page renders: each is keyed where it renders, which resolves its
    # recipe once instead of twice (at 10,000 terms, a second pass over every page).
    keyed = _key_pages(checked, parts, keyer, snapshot, in_sync, recipe_digests, templates_key,
                       options.processes) if previous else None
    stale = checked.pages if keyed is None else [
        page for page, (key, *_) in zip(checked.pages, keyed)
        if (old := previous.get(page.output_file)) is None or old.source_digest != key]
    env = make_environment(checked.themes, checked.config, fragments, compiled)
    compile_all(env)
    others = {**checked.static, **generated_files(),
              **search_files_of([parts.get(part) for part in every_card(checked.graph)],
                                search_aliases(checked.graph), checked.config.levels)}
    expected = set(others) | {page.output_file for page in checked.pages}
    removed = set(present) - expected
    digests: dict[str, str] = {}
    keys: list = []  # (key, parts used, recipe digest, sealed recipe) of pages keyed as they rendered, in render order
    keying = keyer if keyed is None else None
    render_order = _listings_first(stale)
    in_render_order = [stale[index] for index in render_order]
    if owned:
        changed = _update(in_render_order, PageRenderer(env, options.project_dir, parts, keying), others, fragments,
                          previous, present, digests, keys, output_dir, options)
        update_site(output_dir, changed, removed)
        written, folders = tree_after_update(output_dir, present, present_folders, changed, removed)
    else:
        with NewSite(output_dir) as site:  # a new folder, swapped in at the end: written as the pages come
            for name, content in others.items():
                site.write(name, content)
                digests[name] = of_bytes(content)
            writer = PageRenderer(env, options.project_dir, parts, keying, site)
            pages = stream_in_processes(writer, in_render_order, options.processes)  # the workers write the pages
            try:
                for page, result in zip(in_render_order, pages):
                    digests[page.output_file] = _absorbed(result, fragments, keys)[1]
            finally:
                pages.close()  # the workers end here, not whenever the generator is collected
        written, folders = output_tree(output_dir)
    keyed = _in_plan_order(keys, render_order) if keyed is None else keyed
    page_keys = {page.output_file: key for page, (key, *_) in zip(checked.pages, keyed)}
    rows = [PageRow(page.output_file, page, recipe_digest, key, used, sealed)
            for page, (key, used, recipe_digest, sealed) in zip(checked.pages, keyed) if recipe_digest is not None]
    outputs = {name: OutputFile(page_keys.get(name, ""), digests.get(name) or previous[name].content_digest,
                                written.get(name, (0, 0, 0)))  # gone already: the next build writes it
               for name in sorted(expected)}
    return Built(output_dir, checked.diagnostics, checked.diagrams.summary(), len(checked.pages), len(outputs),
                 rendered=len(stale), written=len(changed) if owned else len(digests), removed=len(removed),
                 up_to_date=False), outputs, rows, folders


_CONTENT_TEMPLATES = ("term.html", "lesson.html")


def _listings_first(pages: list[Page]) -> list[int]:
    """The order to render pages in, as indexes into `pages`: every other page before the term and lesson
    pages, each group in plan order. The plan lists content first, so the home page and the level pages,
    which list thousands of cards, came last and kept one process busy alone at the end; now the cheap
    pages come last. A broken template is still reported at the first failing page of its group."""
    return sorted(range(len(pages)), key=lambda index: pages[index].template in _CONTENT_TEMPLATES)


def _in_plan_order(keys: list, render_order: list[int]) -> list:
    """Keys made as the pages rendered, put back in the order of the pages they were made for."""
    placed: list = [None] * len(keys)
    for position, index in enumerate(render_order):
        placed[index] = keys[position]
    return placed


class _Digester:
    """A part's digest (GraphParts.digest) or a page recipe's: both in one pass over the processes."""

    def __init__(self, parts: GraphParts):
        self.parts = parts

    def __call__(self, item: Part | Page) -> str:
        return self.parts.digest(item) if type(item) is Part else of_value(item)


def _key_pages(checked: Checked, parts: GraphParts, keyer: _PageKeyer, snapshot: Snapshot | None, in_sync: bool,
               recipe_digests: list[str], templates_key: str, processes: int) -> list[tuple]:
    """Every page's (key, parts used, recipe digest, sealed recipe) as the keyer gives it; a page whose stored key still
    holds (site_snapshot.kept_page_keys) keeps it without being resolved, and needs no new row."""
    kept = kept_page_keys(snapshot, in_sync, checked.graph, parts,
                          {page.output_file: digest for page, digest in zip(checked.pages, recipe_digests)},
                          templates_key) or {}
    fresh = iter(map_in_processes(keyer, [page for page in checked.pages if page.output_file not in kept],
                                  processes))
    return [(kept[page.output_file], (), None, None) if page.output_file in kept else next(fresh)
            for page in checked.pages]


class _PageKeyer:
    """A page's key and the parts it uses, and its recipe's digest and stored form when the snapshot lacks
    the page (its key changed)."""

    def __init__(self, parts: GraphParts, templates_key: str, known: Mapping[str, str]):
        self.parts, self.templates_key, self.known = parts, templates_key, known

    def __call__(self, page: Page) -> tuple[str, tuple[str, ...], str | None, bytes | None]:
        resolver = Resolver(self.parts)
        resolver.resolve(page.context)
        return self.key(page, resolver)

    def key(self, page: Page, resolved: Resolver) -> tuple[str, tuple[str, ...], str | None, bytes | None]:
        """From a resolver that has resolved the page's recipe."""
        pickled = value_bytes(page)
        recipe_digest = of_bytes(pickled)  # of_value(page)
        key = page_key(self.templates_key, recipe_digest, resolved.used, self.parts.digest)
        if self.known.get(page.output_file) == key:
            return key, used_names(resolved.used), None, None
        return key, used_names(resolved.used), recipe_digest, sealed_recipe(page.output_file, pickled)


def _differs(name: str, content: bytes, digest: str, previous: Mapping[str, OutputFile],
             present: Mapping[str, tuple], output_dir: Path) -> bool:
    if name in previous:
        return previous[name].content_digest != digest
    if name in present:  # there, but not as the last build recorded it (or no record): compare the bytes
        try:
            return (output_dir / name).read_bytes() != content
        except OSError:
            return True
    return True


def _update(stale: list[Page], renderer: PageRenderer, others: Mapping[str, bytes],
            fragments: FragmentCache, previous: Mapping[str, OutputFile], present: Mapping[str, tuple],
            digests: dict[str, str], keys: list, output_dir: Path, options: Options) -> dict[str, bytes]:
    """Every file whose bytes differ from the output folder's. Kept until every page has rendered: a template
    error must leave the folder as it was."""
    pages = stream_in_processes(renderer, stale, options.processes)
    try:
        rendered = ((page.output_file, _absorbed(result, fragments, keys)[0]) for page, result in zip(stale, pages))
        changed = {}
        for name, content in chain(others.items(), rendered):
            digests[name] = of_bytes(content)
            if _differs(name, content, digests[name], previous, present, output_dir):
                changed[name] = content
        return changed
    finally:
        pages.close()  # the workers end here, not whenever the generator is collected


def _absorbed(result: tuple[bytes | None, str | None, list, tuple | None], fragments: FragmentCache, keys: list
              ) -> tuple[bytes | None, str | None]:
    """The page's bytes (or, where it was written already, its digest); its fragments and key are kept."""
    html, digest, fresh, key = result
    fragments.absorb(fresh)
    if key is not None:
        keys.append(key)
    return html, digest


class PageRenderer:
    """A page's bytes (its recipe resolved against `parts`, then its template), the card fragments rendered
    for it, which the snapshot keeps for later builds, and, given a `keyer`, the page's key (_PageKeyer).
    Given a `site`, it writes the page there and gives the page's digest in place of its bytes."""

    def __init__(self, env, project_dir: Path, parts: Parts, keyer: _PageKeyer | None = None,
                 site: NewSite | None = None):
        self.env, self.project_dir, self.parts, self.keyer, self.site = env, project_dir, parts, keyer, site

    def __call__(self, page: Page) -> tuple[bytes | None, str | None, list, tuple | None]:
        resolver = Resolver(self.parts)
        html = render_page(self.env, page, resolver.resolve(page.context), self.project_dir).encode()
        key = self.keyer.key(page, resolver) if self.keyer is not None else None
        fresh = self.env.globals["remembered"].take_fresh()
        if self.site is None:
            return html, None, fresh, key
        self.site.write(page.output_file, html)
        return None, of_bytes(html), fresh, key
