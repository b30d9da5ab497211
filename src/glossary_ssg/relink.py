"""An edit to references or classification alone, worked out from what the last build stored, not every entry.

When an edited entry's outline changed only in its references (its see-also
terms, lessons, a lesson's terms and prerequisites) and its level, area and
tags (outline.standing), every name and title is as it was: only links between
entries and the lists of the index pages move (a term's new title or aliases
also change the names, which quick_build claims: added_terms.py). A term whose
file went takes its links and its page away. The links the last full build
resolved, and every entry's tags, are kept in the snapshot (StoredLinks); the
edited entries' references are resolved against the slugs the cards hold, and
what follows from them (backlinks, related lessons, what builds on a lesson,
orphans) is made again with the code build_graph uses, as are the indexes from
the cards (which hold each entry's title, level and area). Pages whose links
changed, and the index pages, are planned again with the planner's own
functions. Anything a full build would report about the new references (an
unknown or repeated one, a reference to itself, a name that is not a slug, a
prerequisite cycle) raises NotRelinkable: the full build then runs. A tag
that comes brings its page, and one no longer used takes its page away
(Relinked.gone); the sitemap is planned again with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, NamedTuple

from glossary_ssg.config import SiteConfig
from glossary_ssg.graph import Links, Members, by_title, cyclic, indexes, link, ranks
from glossary_ssg.model import Lesson, Ref, Term
from glossary_ssg.paths import Slug
from glossary_ssg.site import (
    Card,
    Cards,
    Page,
    feed_page,
    index_pages,
    lesson_page,
    lesson_path,
    sitemap_page,
    tag_path,
    term_page,
    term_path,
)

LINKS_FACT = "links"


class StoredLinks(NamedTuple):
    """The references as the last build resolved them, and what the orphans follow from besides them."""

    see_also: dict[Slug, tuple[Slug, ...]]
    listed_related: dict[Slug, tuple[Slug, ...]]
    in_depth: dict[Slug, Slug]
    lesson_terms: dict[Slug, tuple[Slug, ...]]
    prerequisites: dict[Slug, tuple[Slug, ...]]
    wikilinked: tuple[Slug, ...]  # terms some [[link]] reaches, sorted (a quick build keeps every file's as it was)
    term_sources: dict[Slug, str]  # where each term's record is kept
    tags: dict[tuple[str, Slug], tuple[str, ...]]  # (kind, slug) -> the entry's tags, which cards do not hold
    lesson_sources: dict[Slug, str]


def stored_links(graph, wikilinked: tuple[Slug, ...]) -> StoredLinks:
    """From a full build's graph (graph.Graph)."""
    return StoredLinks(dict(graph.see_also), dict(graph.listed_related), dict(graph.in_depth_lesson),
                       dict(graph.lesson_terms), dict(graph.prerequisites), wikilinked,
                       {slug: term.source for slug, term in graph.terms.items()},
                       {(kind, slug): entry.tags for kind, entries in (("term", graph.terms), ("lesson", graph.lessons))
                        for slug, entry in entries.items()},
                       {slug: lesson.source for slug, lesson in graph.lessons.items()})


class NotRelinkable(Exception):
    """The new references need the full build: it reports what is wrong with them, or plans what they move."""


@dataclass(frozen=True)
class Relinked:
    stored: StoredLinks  # as the snapshot keeps them now
    # Output file -> the page planned again: each page whose links changed, and every index page when a level,
    # area, tag or prerequisite changed (of which quick_build renders those whose recipe is not as stored).
    pages: dict[str, Page]
    orphans: frozenset[Slug]  # the terms nothing links to now
    orphans_before: frozenset[Slug]
    came: frozenset[str] = frozenset()  # output files of pages that are new: a new term's, a new tag's
    gone: frozenset[str] = frozenset()  # output files of pages no longer made: a tag no longer used


class _Ordered(NamedTuple):
    term_cards: dict[Slug, Card]
    lesson_cards: dict[Slug, Card]
    term_rank: dict[Slug, int]
    lesson_rank: dict[Slug, tuple[int, int]]
    term_order: list[Card]  # by title
    lesson_order: list[Card]


def relink(stored: StoredLinks, edited: Mapping[tuple[str, Slug], Term | Lesson],
           stored_cards: Mapping[tuple, tuple[Card, str]], cards: Mapping[tuple, tuple[Card, str]],
           config: SiteConfig, concept_maps: Callable[[dict[Slug, tuple[str, str]]], dict[Slug, str]],
           wikilinked: Iterable[Slug] = (), dates: Callable[[list[str]], Mapping[str, int]] | None = None,
           removed: Iterable[Slug] = ()) -> Relinked:
    """`edited`: (kind, slug) -> the entry as it is now, new terms too; `stored_cards`: every card as stored
    (quick_build.Preloaded), and `cards` as they are now, terms then lessons, each by slug. `concept_maps`
    turns (Mermaid source, caption) by term into each map's HTML. A new term brings the terms its [[links]]
    reach (`wikilinked`), and a page, which the sitemap and the feed list: `dates` gives them each source's
    date (dates.content_dates). The terms `removed` (their files went) are not among `cards`: their pages go,
    and a reference or a [[link]] to one is the full build's to report."""
    removed = frozenset(removed)
    was = _ordered(stored_cards, config)
    added = [key for key in edited if ("card", *key) not in stored_cards]
    classified = bool(added) or bool(removed) or any(_classification(stored_cards[("card", *key)][0])
                                    != _classification(cards[("card", *key)][0]) for key in edited)
    now = _ordered(cards, config) if classified else was  # a definition alone changes no order, list or index
    fresh = _resolved(stored, edited, now, wikilinked, removed)
    before = link(stored.see_also, stored.listed_related, stored.in_depth, stored.lesson_terms,
                  stored.prerequisites, was.term_rank, was.lesson_rank)
    after = link(fresh.see_also, fresh.listed_related, fresh.in_depth, fresh.lesson_terms, fresh.prerequisites,
                 now.term_rank, now.lesson_rank)
    if fresh.prerequisites != stored.prerequisites and cyclic(after.prerequisites):
        raise NotRelinkable
    terms = [slug for slug in now.term_cards if _term_links(before, slug) != _term_links(after, slug)]
    lessons = [slug for slug in now.lesson_cards if _lesson_links(before, slug) != _lesson_links(after, slug)]
    maps = concept_maps({slug: (concept_map_of(after, now, slug), f"Concept map of "
                                f"{now.term_cards[slug].title}") for slug in terms}) if config.concept_maps \
        else dict.fromkeys(terms, "")
    planned = Cards()
    pages = [term_page(after, planned, slug, maps[slug]) for slug in terms]
    pages += [lesson_page(after, planned, slug) for slug in lessons]
    tags_before, tags_now = _all_tags(stored), _all_tags(fresh)
    came = {term_page_file(slug) for _, slug in added} | {tag_page_file(tag) for tag in tags_now - tags_before}
    gone = {tag_page_file(tag) for tag in tags_before - tags_now} | {term_page_file(slug) for slug in removed}
    if classified or fresh.tags != stored.tags or after.prerequisites != before.prerequisites:
        indexed = index_pages(_indexed(now, fresh, after, config), planned)
        pages += indexed
        if (came or gone) and config.has_host:
            pages.append(sitemap_page((*map(term_path, now.term_cards), *map(lesson_path, now.lesson_cards),
                                       *(page.path for page in indexed if page.listed))))
            if added or removed:  # the feed lists entries, not tags
                pages.append(feed_page(_sources(fresh), planned, dates([*fresh.term_sources.values(),
                                                                        *fresh.lesson_sources.values()])))
    return Relinked(fresh, {page.output_file: page for page in pages}, _orphans(after, fresh, now),
                    _orphans(before, stored, was), frozenset(came), frozenset(gone))


def term_page_file(slug: Slug) -> str:
    return term_path(slug) + "index.html"


def tag_page_file(tag: str) -> str:
    return tag_path(tag) + "index.html"


def _all_tags(links: StoredLinks) -> set[str]:
    return {tag for found in links.tags.values() for tag in found}


def _classification(card: Card) -> tuple:
    """What places an entry in the lists and indexes: its title orders them."""
    return card.level, card.area, card.title


def _ordered(cards: Mapping[tuple, tuple[Card, str]], config: SiteConfig) -> _Ordered:
    """The cards by slug, and the ranks build_graph gives (graph.ranks): cards have the slug, title and level."""
    term_cards = {part[2]: card for part, (card, _) in cards.items() if part[1] == "term"}
    lesson_cards = {part[2]: card for part, (card, _) in cards.items() if part[1] == "lesson"}
    term_order, lesson_order = sorted(term_cards.values(), key=by_title), sorted(lesson_cards.values(), key=by_title)
    term_rank, lesson_rank = ranks(term_order, lesson_order, config.levels)
    return _Ordered(term_cards, lesson_cards, term_rank, lesson_rank, term_order, lesson_order)


def _resolved(stored: StoredLinks, edited: Mapping[tuple[str, Slug], Term | Lesson], ordered: _Ordered,
              wikilinked: Iterable[Slug], removed: frozenset[Slug]) -> StoredLinks:
    """The stored links with each edited entry's references resolved as they are now (and a new term's
    [[links]] added to those that reach terms), less the removed terms', each kind by slug, as build_graph
    lists them."""
    see_also, listed_related, in_depth = dict(stored.see_also), dict(stored.listed_related), dict(stored.in_depth)
    lesson_terms, prerequisites, tags = dict(stored.lesson_terms), dict(stored.prerequisites), dict(stored.tags)
    term_sources = dict(stored.term_sources)
    terms, lessons = ordered.term_cards, ordered.lesson_cards
    for slug in removed:
        if slug in stored.wikilinked:
            raise NotRelinkable  # a [[link]] reaches it
        for links in (see_also, listed_related, in_depth, term_sources):
            links.pop(slug, None)
        tags.pop(("term", slug), None)
    for (kind, slug), entry in edited.items():
        tags[(kind, slug)] = entry.tags
        if kind == "term":
            term_sources[slug] = entry.source
            see_also[slug] = _slugs(entry.see_also, terms, slug, may_self=False)
            listed_related[slug] = _slugs(entry.related_lessons, lessons, slug, may_self=True)
            in_depth.pop(slug, None)
            if entry.lesson is not None:
                in_depth[slug] = _slugs((entry.lesson,), lessons, slug, may_self=True)[0]
        else:
            lesson_terms[slug] = _slugs(entry.terms, terms, slug, may_self=True)
            prerequisites[slug] = _slugs(entry.prerequisites, lessons, slug, may_self=False)
    if removed and any(target in removed for targets in [*see_also.values(), *lesson_terms.values()]
                       for target in targets):
        raise NotRelinkable  # an entry refers to a term that went
    if any(slug not in stored.term_sources for slug in term_sources):  # a new term: in slug order, as listed
        see_also, listed_related, term_sources = _by_slug(see_also), _by_slug(listed_related), _by_slug(term_sources)
        tags = dict(sorted(tags.items(), key=lambda item: (item[0][0] != "term", item[0][1])))
    return stored._replace(see_also=see_also, listed_related=listed_related, in_depth=_by_slug(in_depth),
                           lesson_terms=lesson_terms, prerequisites=prerequisites, tags=tags,
                           term_sources=term_sources, wikilinked=tuple(sorted({*stored.wikilinked, *wikilinked})))


def _by_slug(mapping: dict) -> dict:
    return dict(sorted(mapping.items()))


def _slugs(refs: tuple[Ref, ...], known: Mapping[Slug, Card], owner: Slug, may_self: bool) -> tuple[Slug, ...]:
    """The slugs written, when each is a known slug, listed once, and (unless `may_self`) not the owner's: a full
    build reports anything else (names.NameIndex.resolve, graph.build_graph)."""
    found: list[Slug] = []
    for ref in refs:
        if ref.text not in known or ref.text in found or (ref.text == owner and not may_self):
            raise NotRelinkable
        found.append(Slug(ref.text))
    return tuple(found)


def _term_links(links: Links, slug: Slug) -> tuple | None:
    if slug not in links.see_also:
        return None  # a term new in this build
    return (links.see_also[slug], links.referenced_by.get(slug, ()), links.in_depth_lesson.get(slug),
            links.related_lessons[slug])


def _lesson_links(links: Links, slug: Slug) -> tuple:
    return links.lesson_terms[slug], links.prerequisites[slug], links.builds_on_it.get(slug, ())


class _CardGraph(NamedTuple):
    """What concept_map_source reads of a graph: titles (from the cards here) and a term's links."""

    terms: Mapping[Slug, Card]
    lessons: Mapping[Slug, Card]
    see_also: Mapping
    in_depth_lesson: Mapping
    related_lessons: Mapping


def concept_map_of(links: Links, ordered: _Ordered, slug: Slug) -> str:
    from glossary_ssg.diagrams.concept_map import concept_map_source  # mermaid-py: only with concept maps on
    return concept_map_source(_CardGraph(ordered.term_cards, ordered.lesson_cards, links.see_also,
                                         links.in_depth_lesson, links.related_lessons), slug)


class _Source(NamedTuple):
    source: str


class _Sources(NamedTuple):
    """What site.feed_page reads of a graph: each entry's source."""

    terms: Mapping[Slug, _Source]
    lessons: Mapping[Slug, _Source]


def _sources(stored: StoredLinks) -> _Sources:
    return _Sources({slug: _Source(source) for slug, source in stored.term_sources.items()},
                    {slug: _Source(source) for slug, source in stored.lesson_sources.items()})


class _CardSite(NamedTuple):
    """What site.index_pages reads of a graph: the cards stand in for the entries (slug, title, level)."""

    config: SiteConfig
    terms: Mapping[Slug, Card]
    lessons: Mapping[Slug, Card]
    prerequisites: Mapping
    areas: Mapping[Slug, Members]
    levels: Mapping[str, Members]
    tags: Mapping[str, Members]


def _indexed(ordered: _Ordered, stored: StoredLinks, links: Links, config: SiteConfig) -> _CardSite:
    found = indexes(ordered.term_order, ordered.lesson_order, lambda card: card.area.slug,
                    lambda card: stored.tags[(card.kind, card.slug)], config)
    return _CardSite(config, ordered.term_cards, ordered.lesson_cards, links.prerequisites, **found)


def _orphans(links: Links, stored: StoredLinks, ordered: _Ordered) -> frozenset[Slug]:
    """As links.orphan_slugs finds them: terms no see-also, lesson or [[link]] reaches."""
    reached = set(stored.wikilinked)
    for targets in [*links.see_also.values(), *links.lesson_terms.values()]:
        reached.update(targets)
    return frozenset(slug for slug in ordered.term_cards if slug not in reached)
