"""What the rest of the site sees of an entry, besides its definition and its own page's content.

Titles, aliases, classification and every reference decide the graph, the
indexes, which names bodies link and which problems are reported. When an
edit leaves an entry's outline as it was, the graph is as it was too, and
only the pages that show the entry's parts change (quick_build.py); when it
leaves its standing (the outline less its references and classification),
only links between entries and the lists of the index pages move (relink.py). Positions
are left out: they only place problems, and a quick build takes only files
with none but their own (from parsing and validating the file alone), which it
makes again, at their new places.
"""

from __future__ import annotations

from dataclasses import replace

from glossary_ssg.errors import Location
from glossary_ssg.fingerprint import of_value
from glossary_ssg.model import Lesson, Ref, Term, frozen_map

_NOWHERE = Location("")


def outline(entry: Term | Lesson) -> str:
    common = dict(summary="", body="", body_line=0, locations=frozen_map({}),
                  redirect_from=_unplaced(entry.redirect_from))
    if isinstance(entry, Term):
        stripped = replace(entry, **common, lesson=_unplaced((entry.lesson,))[0] if entry.lesson else None,
                           related_lessons=_unplaced(entry.related_lessons), see_also=_unplaced(entry.see_also))
    else:
        stripped = replace(entry, **common, terms=_unplaced(entry.terms), prerequisites=_unplaced(entry.prerequisites),
                           references=(), quiz=())
    return of_value(stripped)


def standing(entry: Term | Lesson) -> str:
    """The outline less the entry's references to other entries and its classification (level, area, tags):
    when only those changed, every name and title is as it was, and only the links between entries and the
    lists of the index pages move (relink.py)."""
    unclassified = replace(entry, level="", area="", tags=())
    if isinstance(entry, Term):
        return outline(replace(unclassified, lesson=None, related_lessons=(), see_also=()))
    return outline(replace(unclassified, terms=(), prerequisites=()))


def _unplaced(refs: tuple[Ref, ...]) -> tuple[Ref, ...]:
    return tuple(Ref(ref.text, _NOWHERE) for ref in refs)
