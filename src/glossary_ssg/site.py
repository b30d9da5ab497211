"""Plan the site: which pages exist, at which paths, with which template and data.

Only data here; templates turn it into HTML and the writer puts it on disk.
Pages name the parts of entries they show (recipes.Part: an entry, its card,
its rendered body) instead of copying them, and these are looked up when the
page is rendered; lists get "cards" (the few fields a list item shows), so
templates never walk the graph themselves.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import chain
from typing import TYPE_CHECKING, Callable, Mapping, NamedTuple

from glossary_ssg.fingerprint import digest_by_fields
from glossary_ssg.graph import Graph, Links, Members, by_title
from glossary_ssg.model import Area, Lesson, Term, frozen_map
from glossary_ssg.paths import SitePath, Slug
from glossary_ssg.recipes import Derived, Part, Resolver, tuple_reduce
from glossary_ssg.structured_data import defined_term, learning_resource

if TYPE_CHECKING:  # Markdown is imported only by builds that render it
    from glossary_ssg.markup.render import RenderedContent


@digest_by_fields
class Card(NamedTuple):
    """A term or lesson as a list shows it. (A named tuple: the home page lists every card, and a quick
    build loads them all; tuples load several times faster than dataclasses.)"""

    kind: str  # "term" or "lesson"
    slug: Slug
    path: SitePath
    title: str
    summary: str
    level: str
    area: Area

    def __reduce__(self):
        return tuple_reduce(self)


@digest_by_fields
@dataclass(frozen=True)
class Page:
    path: SitePath  # "terms/cap/" for a pretty URL, "sitemap.xml" for a file
    template: str
    context: Mapping[str, object]
    listed: bool = True  # whether it belongs in the sitemap

    @property
    def output_file(self) -> str:
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path


def term_path(slug: Slug) -> SitePath:
    return SitePath(f"terms/{slug}/")


def lesson_path(slug: Slug) -> SitePath:
    return SitePath(f"lessons/{slug}/")


def tag_path(tag: str) -> SitePath:
    return SitePath(f"tags/{tag}/")


def plan_site(graph: Graph, rendered: RenderedContent, dates: Mapping[str, int]) -> tuple[Page, ...]:
    """Every page of the site, in a stable order: content first, then indexes, then site files.

    `dates` maps each entry's source path to when it last changed, for the feed.
    """
    cards = Cards()
    pages = [term_page(graph, cards, slug, rendered.concept_maps[slug]) for slug in graph.terms]
    pages += [lesson_page(graph, cards, slug) for slug in graph.lessons]
    pages += index_pages(graph, cards)
    pages.append(Page(SitePath("404.html"), "404.html", frozen_map({}), listed=False))
    if graph.config.has_host:  # a sitemap and a feed list absolute URLs only
        pages.append(sitemap_page(tuple(page.path for page in pages if page.listed)))
        pages.append(feed_page(graph, cards, dates))
    pages.append(Page(SitePath("robots.txt"), "robots.txt", frozen_map({}), listed=False))
    return tuple(pages)


class Cards:
    """Parts for the cards a page lists, resolved to Card values when the page is rendered. One Part per
    card, shared by every list: one object however many pages list it."""

    def __init__(self):
        self.made: dict[tuple[str, Slug], Part] = {}

    def term(self, slug: Slug) -> Part:
        return self._part("term", slug)

    def lesson(self, slug: Slug) -> Part:
        return self._part("lesson", slug)

    def terms(self, slugs) -> tuple[Part, ...]:
        return tuple(self._part("term", slug) for slug in slugs)

    def lessons(self, slugs) -> tuple[Part, ...]:
        return tuple(self._part("lesson", slug) for slug in slugs)

    def _part(self, kind: str, slug: Slug) -> Part:
        part = self.made.get((kind, slug))
        if part is None:
            part = self.made[(kind, slug)] = Part("card", kind, slug)
        return part


def make_card(entry: Term | Lesson, config) -> Card:
    kind = "term" if isinstance(entry, Term) else "lesson"
    path = term_path(entry.slug) if kind == "term" else lesson_path(entry.slug)
    return Card(kind, entry.slug, path, entry.title, entry.summary, entry.level, config.areas[entry.area])


def previews(resolver: Resolver, *slug_groups: tuple[Slug, ...]) -> dict[str, list[str]]:
    """What a link to each term shows on hover or focus: URL path -> [title, level, area, definition]."""
    base = resolver.config.base_path
    cards = [resolver.part(Part("card", "term", slug)) for slug in dict.fromkeys(chain(*slug_groups))]
    return {base + card.path: [card.title, card.level, card.area.title, card.summary] for card in cards}


def term_structure(resolver: Resolver, term: Term) -> dict:
    return defined_term(term, term_path(term.slug), resolver.config)


def lesson_structure(resolver: Resolver, lesson: Lesson, terms: tuple[Term, ...]) -> dict:
    config = resolver.config
    return learning_resource(lesson, lesson_path(lesson.slug), config, [(t, term_path(t.slug)) for t in terms],
                             config.areas[lesson.area].title)


def term_page(links: Graph | Links, cards: Cards, slug: Slug, concept_map_html: str) -> Page:
    """From the graph, or from the links alone (a quick build's, relink.py): nothing else of it is read."""
    lesson = links.in_depth_lesson.get(slug)
    return Page(term_path(slug), "term.html", frozen_map({
        "term": Part("entry", "term", slug),
        "card": cards.term(slug),
        "body_html": Part("body", "term", slug),
        "concept_map_html": concept_map_html,
        "lesson": cards.lesson(lesson) if lesson else None,
        "related_lessons": cards.lessons(links.related_lessons[slug]),
        "see_also": cards.terms(links.see_also[slug]),
        "referenced_by": cards.terms(links.referenced_by.get(slug, ())),
        "previews": Derived(previews, (Part("links", "term", slug), links.see_also[slug],
                                       links.referenced_by.get(slug, ()))),
        "structured": Derived(term_structure, (Part("entry", "term", slug),)),
    }))


def lesson_page(links: Graph | Links, cards: Cards, slug: Slug) -> Page:
    """From the graph, or from the links alone, as term_page."""
    return Page(lesson_path(slug), "lesson.html", frozen_map({
        "lesson": Part("entry", "lesson", slug),
        "card": cards.lesson(slug),
        "body_html": Part("body", "lesson", slug),
        "quiz": Part("quiz", "lesson", slug),
        "previews": Derived(previews, (Part("links", "lesson", slug), links.lesson_terms[slug])),
        "structured": Derived(lesson_structure, (Part("entry", "lesson", slug),
                                                 tuple(Part("entry", "term", t) for t in links.lesson_terms[slug]))),
        "prerequisites": cards.lessons(links.prerequisites[slug]),
        "builds_on_it": cards.lessons(links.builds_on_it.get(slug, ())),
        "terms": cards.terms(links.lesson_terms[slug]),
    }))


def index_pages(graph: Graph, cards: Cards) -> list[Page]:
    """The home, area, level, tag and lessons pages. Of the entries, only their slug, title and level are read
    (a quick build passes their stored cards, relink.py); the rest comes from the graph's indexes."""
    def members(found: Members) -> dict[str, tuple[Part, ...]]:
        return {"terms": cards.terms(found.terms), "lessons": cards.lessons(found.lessons)}

    areas = graph.config.areas
    pages = [Page(SitePath(""), "index.html", frozen_map({
        **_home_index(graph, cards),
        # Counts, not cards: a page that holds a card is rendered again whenever its definition changes.
        "areas": tuple((areas[slug], _counts(found)) for slug, found in graph.areas.items()),
        "levels": tuple((level, _counts(found)) for level, found in graph.levels.items()),
        "lesson_count": len(graph.lessons),
    }))]
    pages += [Page(SitePath(f"areas/{slug}/"), "area.html", frozen_map({
        "area": areas[slug],
        "by_level": tuple((level, cards.terms(t for t in found.terms if graph.terms[t].level == level),
                           cards.lessons(les for les in found.lessons if graph.lessons[les].level == level))
                          for level in graph.config.levels),
    })) for slug, found in graph.areas.items()]
    pages += [Page(SitePath(f"levels/{level}/"), "level.html", frozen_map({"level": level, **members(found)}))
              for level, found in graph.levels.items()]
    pages += [Page(tag_path(tag), "tag.html", frozen_map({"tag": tag, **members(found)}))
              for tag, found in graph.tags.items()]
    pages.append(lessons_page(graph.config, {slug: found.lessons for slug, found in graph.areas.items()},
                              graph.lessons, graph.prerequisites, cards))
    return pages


def lessons_page(config, area_lessons: Mapping[Slug, tuple[Slug, ...]], lessons: Mapping[Slug, Lesson | Card],
                 prerequisites: Mapping[Slug, tuple[Slug, ...]], cards: Cards) -> Page:
    """The learning paths: each area's lessons (`area_lessons`, in config order, each by title), prerequisites
    first. A quick build makes it from the lessons' cards, which have their title and level (relink.py)."""
    return Page(SitePath("lessons/"), "lessons.html", frozen_map({
        "paths": tuple((config.areas[slug], cards.lessons(_learning_path(config.levels, lessons, prerequisites,
                                                                         found)))
                       for slug, found in area_lessons.items() if found),
    }))


def _counts(found: Members) -> dict[str, range]:
    """As many as the members, without them: a theme counts these with `| length`, as it counted the cards."""
    return {"terms": range(len(found.terms)), "lessons": range(len(found.lessons))}


def _home_index(graph: Graph, cards: Cards) -> dict[str, object]:
    """The home page's A-Z index: each term's card (its definition too), or in a glossary larger than
    home_definitions_up_to, its title and path alone. At 10,000 terms the cards make a 4.7 MB page, which
    every edited definition would render and write again; titles come from the graph, which only a full
    build changes."""
    if len(graph.terms) <= graph.config.home_definitions_up_to:
        return {"letters": _by_letter(graph, cards.term), "titles_only": False}
    return {"letters": _by_letter(graph, lambda slug: (graph.terms[slug].title, term_path(slug))),
            "titles_only": True}


def _by_letter(graph: Graph, item: Callable[[Slug], object]) -> tuple[tuple[str, tuple], ...]:
    """Terms grouped under A-Z (each as `item` makes it); titles that start with anything else go under '#',
    first."""
    groups: dict[str, list] = {}
    for term in sorted(graph.terms.values(), key=by_title):
        first = term.title[:1].upper()
        groups.setdefault(first if "A" <= first <= "Z" else "#", []).append(item(term.slug))
    return tuple((letter, tuple(groups[letter])) for letter in sorted(groups, key=lambda k: (k != "#", k)))


def _learning_path(levels, lessons: Mapping[Slug, Lesson | Card], prerequisites: Mapping[Slug, tuple[Slug, ...]],
                   slugs: tuple[Slug, ...]) -> tuple[Slug, ...]:
    """Prerequisites before what builds on them; otherwise easiest level first, then title."""
    rank = {level: index for index, level in enumerate(levels)}
    chosen = set(slugs)

    def key(slug: Slug) -> tuple:
        lesson = lessons[slug]
        return (rank[lesson.level], *by_title(lesson))

    waiting = {s: {p for p in prerequisites[s] if p in chosen} for s in slugs}
    ready = [(key(s), s) for s, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    ordered: list[Slug] = []
    while ready:
        _, slug = heapq.heappop(ready)
        ordered.append(slug)
        for other, needs in waiting.items():
            if slug in needs:
                needs.discard(slug)
                if not needs:
                    heapq.heappush(ready, (key(other), other))
    return tuple(ordered)


FEED_SIZE = 50


def sitemap_page(listed: tuple[SitePath, ...]) -> Page:
    """`listed`: every listed page's path, in plan order."""
    return Page(SitePath("sitemap.xml"), "sitemap.xml", frozen_map({"paths": listed}), listed=False)


def feed_page(graph: Graph, cards: Cards, dates: Mapping[str, int]) -> Page:
    """The most recently changed terms and lessons, newest first. Of the entries only their source is read
    (a quick build passes stand-ins, relink.py)."""
    entries = [(dates.get(entry.source, 0), card) for entry, card in
               [*((t, cards.term(s)) for s, t in graph.terms.items()),
                *((les, cards.lesson(s)) for s, les in graph.lessons.items())]]
    entries.sort(key=lambda item: (-item[0], item[1].kind, item[1].slug))  # a card part is (what, kind, slug)
    chosen = tuple((_iso(when), card) for when, card in entries[:FEED_SIZE])
    updated = chosen[0][0] if chosen else _iso(0)
    return Page(SitePath("feed.xml"), "feed.xml", frozen_map({"entries": chosen, "updated": updated}), listed=False)


def _iso(when: int) -> str:
    return datetime.fromtimestamp(when, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
