"""Resolve every reference into typed edges, with their inverses, before anything is rendered.

Related lessons of a term are ordered as documented in the README: the
lessons the term lists in `related_lessons`, as written; then every other
lesson that lists the term in its `terms`, easiest level first, then by title.
The in-depth lesson is never repeated among them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from glossary_ssg.config import SiteConfig
from glossary_ssg.errors import Diagnostic, error, warning
from glossary_ssg.model import Lesson, Ref, Term, frozen_map
from glossary_ssg.names import NameIndex
from glossary_ssg.paths import Slug
from glossary_ssg.validate import ValidatedContent

Edges = Mapping[Slug, tuple[Slug, ...]]


@dataclass(frozen=True)
class Members:
    """The terms and lessons in one area, level or tag, each sorted by title."""

    terms: tuple[Slug, ...]
    lessons: tuple[Slug, ...]


@dataclass(frozen=True)
class Graph:
    config: SiteConfig
    terms: Mapping[Slug, Term]  # sorted by slug
    lessons: Mapping[Slug, Lesson]
    see_also: Edges  # term -> terms, as written
    referenced_by: Edges  # term -> terms whose see_also names it, by title
    in_depth_lesson: Mapping[Slug, Slug]  # term -> lesson (only terms that have one)
    listed_related: Edges  # term -> lessons its related_lessons names, as written
    related_lessons: Edges  # term -> lessons, in the documented order
    lesson_terms: Edges  # lesson -> terms it covers, as written
    prerequisites: Edges  # lesson -> lessons, as written
    builds_on_it: Edges  # lesson -> lessons that list it as a prerequisite, by title
    areas: Mapping[Slug, Members]  # every configured area, in config order
    levels: Mapping[str, Members]  # every configured level, easiest first
    tags: Mapping[str, Members]  # sorted by tag
    term_names: Mapping[str, Slug]  # casefolded slug, title or alias -> term
    term_mentions: Mapping[str, Slug]  # titles and aliases as written -> term, for automatic links


def build_graph(content: ValidatedContent, config: SiteConfig, unreadable: frozenset[tuple[str, Slug]] = frozenset()
                ) -> tuple[Graph, tuple[Diagnostic, ...]]:
    """`unreadable` names files that exist but could not be read, so references to them are not 'unknown'."""
    term_names = NameIndex("term", content.terms, [s for kind, s in unreadable if kind == "term"])
    lesson_names = NameIndex("lesson", content.lessons, [s for kind, s in unreadable if kind == "lesson"])
    diagnostics = term_names.diagnostics + lesson_names.diagnostics
    terms = {t.slug: t for t in sorted(content.terms, key=lambda t: t.slug)}
    lessons = {les.slug: les for les in sorted(content.lessons, key=lambda les: les.slug)}

    written_as: dict[tuple[Slug, Slug], Ref] = {}  # (owner, target) -> the reference, for prerequisite cycles

    def resolve(owner: Slug, refs: Iterable[Ref], names: NameIndex, field: str, may_self: bool) -> tuple[Slug, ...]:
        found: list[Slug] = []
        for ref in refs:
            slug, problem = names.resolve(ref, field)
            if problem:
                diagnostics.append(problem)
            if slug is None:
                continue
            if slug == owner and not may_self:
                diagnostics.append(error("self-reference", f"'{ref.text}' in {field} refers to itself", ref.location,
                                         "remove it"))
            elif slug in found:
                diagnostics.append(warning("repeated-ref", f"'{ref.text}' is listed twice in {field}", ref.location,
                                           "remove the second one"))
            else:
                found.append(slug)
                written_as[(owner, slug)] = ref
        return tuple(found)

    see_also = {s: resolve(s, t.see_also, term_names, "see_also", False) for s, t in terms.items()}
    explicit_related = {s: resolve(s, t.related_lessons, lesson_names, "related_lessons", True)
                        for s, t in terms.items()}
    in_depth = {s: slugs[0] for s, t in terms.items() if t.lesson
                and (slugs := resolve(s, [t.lesson], lesson_names, "lesson", True))}
    lesson_terms = {s: resolve(s, les.terms, term_names, "terms", True) for s, les in lessons.items()}
    prerequisites = {s: resolve(s, les.prerequisites, lesson_names, "prerequisites", False)
                     for s, les in lessons.items()}
    diagnostics += _cycles(prerequisites, written_as)

    # Every list of entries is in title order (by_title): each kind is sorted by title once, and lists are
    # sorted by the rank found, not by casefolding titles again for each list an entry is in.
    term_order, lesson_order = sorted(terms.values(), key=by_title), sorted(lessons.values(), key=by_title)
    links = link(see_also, explicit_related, in_depth, lesson_terms, prerequisites,
                 *ranks(term_order, lesson_order, config.levels))
    graph = Graph(
        config=config,
        terms=frozen_map(terms),
        lessons=frozen_map(lessons),
        see_also=links.see_also,
        referenced_by=links.referenced_by,
        in_depth_lesson=links.in_depth_lesson,
        listed_related=links.listed_related,
        related_lessons=links.related_lessons,
        lesson_terms=links.lesson_terms,
        prerequisites=links.prerequisites,
        builds_on_it=links.builds_on_it,
        **indexes(term_order, lesson_order, lambda entry: entry.area, lambda entry: entry.tags, config),
        term_names=frozen_map(term_names.names()),
        term_mentions=frozen_map(term_names.titles_and_aliases()),
    )
    return graph, tuple(diagnostics)


@dataclass(frozen=True)
class Links:
    """Every reference as a slug, with the inverses and the orders pages show them in: the part of the graph
    an edit to references alone changes, which quick builds work out again from the stored one (relink.py)."""

    see_also: Edges
    referenced_by: Edges
    in_depth_lesson: Mapping[Slug, Slug]
    listed_related: Edges
    related_lessons: Edges
    lesson_terms: Edges
    prerequisites: Edges
    builds_on_it: Edges


def link(see_also: Edges, listed_related: Edges, in_depth: Mapping[Slug, Slug], lesson_terms: Edges,
         prerequisites: Edges, term_rank: Mapping[Slug, int], lesson_rank: Mapping[Slug, tuple[int, int]]) -> Links:
    """The references as resolved (each term's and each lesson's, by slug), with what follows from them.
    `term_rank`, `lesson_rank`: ranks()."""
    covering = _inverse(lesson_terms, key=lesson_rank.__getitem__)
    return Links(
        see_also=frozen_map(see_also),
        referenced_by=frozen_map(_inverse(see_also, key=term_rank.__getitem__)),
        in_depth_lesson=frozen_map(in_depth),
        listed_related=frozen_map(listed_related),
        related_lessons=frozen_map({s: _related(listed, covering.get(s, ()), in_depth.get(s))
                                    for s, listed in listed_related.items()}),
        lesson_terms=frozen_map(lesson_terms),
        prerequisites=frozen_map(prerequisites),
        builds_on_it=frozen_map(_inverse(prerequisites, key=lambda s: lesson_rank[s][1])),
    )


def ranks(term_order: Iterable, lesson_order: Iterable, levels: Iterable[str]
          ) -> tuple[dict[Slug, int], dict[Slug, tuple[int, int]]]:
    """Each term's place in title order, and each lesson's (its level's place, its place in title order):
    the orders lists of terms and of the lessons covering a term are in. Anything with a slug, title and level
    will do for an entry (a stored site.Card too)."""
    level_rank = {level: rank for rank, level in enumerate(levels)}
    return ({term.slug: rank for rank, term in enumerate(term_order)},
            {lesson.slug: (level_rank.get(lesson.level, 0), rank) for rank, lesson in enumerate(lesson_order)})


def cyclic(prerequisites: Edges) -> bool:
    """Whether any prerequisites form a cycle (which build_graph reports)."""
    return any(_find_cycle(start, prerequisites) is not None for start in sorted(prerequisites))


def by_title(entry: Term | Lesson) -> tuple[str, str]:
    """The order readers expect in every list of entries."""
    return (entry.title.casefold(), entry.slug)


def _inverse(edges: Edges, key) -> dict[Slug, tuple[Slug, ...]]:
    inverse: dict[Slug, list[Slug]] = defaultdict(list)
    for source, targets in edges.items():
        for target in targets:
            inverse[target].append(source)
    return {target: tuple(sorted(sources, key=key)) for target, sources in sorted(inverse.items())}


def _related(explicit: tuple[Slug, ...], covering: tuple[Slug, ...], in_depth: Slug | None) -> tuple[Slug, ...]:
    ordered = [s for s in explicit if s != in_depth]
    ordered += [s for s in covering if s != in_depth and s not in ordered]
    return tuple(ordered)


def indexes(term_order: list, lesson_order: list, area_of: Callable, tags_of: Callable, config: SiteConfig
            ) -> dict[str, Mapping[str, Members]]:
    """The members of each area, level and tag (Graph.areas, levels, tags), from each kind's entries in title
    order. Anything with a slug and a level will do for an entry, with `area_of` and `tags_of` giving its area's
    slug and its tags (a stored site.Card too)."""
    tags = sorted({tag for entry in [*term_order, *lesson_order] for tag in tags_of(entry)})
    return {"areas": frozen_map(_groups(term_order, lesson_order, lambda e: (area_of(e),), config.areas)),
            "levels": frozen_map(_groups(term_order, lesson_order, lambda e: (e.level,), config.levels)),
            "tags": frozen_map(_groups(term_order, lesson_order, tags_of, tags))}


def _groups(terms, lessons, keys_of, keys) -> dict[str, Members]:
    """Members of each key (area, level or tag) in `keys`' order, from one pass over each kind's entries,
    which come in title order."""
    found_terms: dict[str, list[Slug]] = {key: [] for key in keys}
    found_lessons: dict[str, list[Slug]] = {key: [] for key in keys}
    for entries, found in ((terms, found_terms), (lessons, found_lessons)):
        for entry in entries:
            for key in dict.fromkeys(keys_of(entry)):
                if key in found:
                    found[key].append(entry.slug)
    return {key: Members(tuple(found_terms[key]), tuple(found_lessons[key])) for key in keys}


def _cycles(prerequisites: Edges, written_as: Mapping[tuple[Slug, Slug], Ref]) -> list[Diagnostic]:
    """One error per prerequisite cycle, at the edge that closes it, printing the whole cycle."""
    diagnostics, reported = [], set()
    for start in sorted(prerequisites):
        path = _find_cycle(start, prerequisites)
        if path is None or frozenset(path) in reported:
            continue
        reported.add(frozenset(path))
        first = min(path)  # start the printed cycle at its alphabetically first lesson
        rotated = path[path.index(first):] + path[:path.index(first)]
        ref = written_as[(rotated[-1], rotated[0])]
        cycle = " -> ".join([*rotated, first])
        diagnostics.append(error("prerequisite-cycle", f"prerequisites form a cycle: {cycle}", ref.location,
                                 "remove one of these prerequisites"))
    return diagnostics


def _find_cycle(start: Slug, edges: Edges) -> list[Slug] | None:
    """A cycle through `start`, found depth-first in edge order, or None."""
    stack = [(start, iter(edges.get(start, ())))]
    on_path = [start]
    visited = {start}
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            on_path.pop()
        elif child == start:
            return list(on_path)
        elif child not in visited:
            visited.add(child)
            on_path.append(child)
            stack.append((child, iter(edges.get(child, ()))))
    return None

