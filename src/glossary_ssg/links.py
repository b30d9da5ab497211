"""Links written in bodies ([[Term]]), checked against the graph, and the terms nothing links to.

Runs after the graph: a [[link]] to an unknown term is an error at its line,
with a did-you-mean; a term that no see-also, lesson or [[link]] reaches is
an orphan.
"""

from __future__ import annotations

from typing import Mapping

from glossary_ssg.errors import Diagnostic, Location, error, warning
from glossary_ssg.graph import Graph
from glossary_ssg.markup.texts import markdown_texts
from glossary_ssg.markup.wikilinks import find_wikilinks
from glossary_ssg.model import Lesson, Term, frozen_map
from glossary_ssg.paths import Slug
from glossary_ssg.suggest import closest


def check_wikilinks(graph: Graph) -> tuple[Mapping[Slug, tuple[Slug, ...]], tuple[Diagnostic, ...]]:
    """Term -> terms its [[links]] reach from any page (term or lesson), and the unknown targets."""
    linked: dict[Slug, set[Slug]] = {}
    problems = []
    for entry in [*graph.terms.values(), *graph.lessons.values()]:
        targets, unknown = wikilink_targets(entry, graph.term_names)
        problems += unknown
        for slug in targets:
            linked.setdefault(slug, set()).add(entry.slug)
    return frozen_map((slug, tuple(sorted(sources))) for slug, sources in sorted(linked.items())), tuple(problems)


def wikilink_targets(entry: Term | Lesson, term_names: Mapping[str, Slug]
                     ) -> tuple[tuple[Slug, ...], list[Diagnostic]]:
    """The terms one entry's [[links]] reach, sorted (a page linking to itself reaches nothing), and unknown
    targets. Sorted, not a set: the snapshot compares entry records by their pickles (site_snapshot._content),
    and a set's order changes with each process's hash seed."""
    targets, problems = set(), []
    for text, first_line in markdown_texts(entry):
        for link in find_wikilinks(text):
            slug = term_names.get(link.target.casefold())
            if slug is None:
                near = closest(link.target, term_names)
                problems.append(error("unknown-ref", f"unknown term '{link.target}' in [[{link.target}]]",
                                      Location(entry.source, first_line + link.line, link.column),
                                      f"did you mean '{term_names[near]}'?" if near else None))
            elif not (slug == entry.slug and isinstance(entry, Term)):
                targets.add(slug)
    return tuple(sorted(targets)), problems


def orphan_slugs(graph: Graph, wikilinked: Mapping[Slug, tuple[Slug, ...]]) -> tuple[Slug, ...]:
    reached = {target for targets in [*graph.see_also.values(), *graph.lesson_terms.values()] for target in targets}
    reached |= set(wikilinked)
    return tuple(slug for slug in graph.terms if slug not in reached)


def orphans(graph: Graph, wikilinked: Mapping[Slug, tuple[Slug, ...]]) -> tuple[Diagnostic, ...]:
    return tuple(orphan_warning(graph.terms[slug]) for slug in orphan_slugs(graph, wikilinked))


def orphan_warning(term: Term) -> Diagnostic:
    """Made from the term alone, once it is known to be an orphan: a quick build makes it again at the title's
    new place."""
    return warning("orphan-term", f"no term or lesson links to '{term.slug}'", term.where("title"),
                   "add it to another term's see_also or a lesson's terms")
