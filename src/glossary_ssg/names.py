"""Which entry a name refers to: slugs, titles and aliases, one namespace each for terms and lessons.

A name (ignoring case) may belong to one entry only; a clash is an error that
names both files. References resolve by slug first, then by a title or alias that
matches in full, ignoring case.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple

from glossary_ssg.errors import Diagnostic, Location, error, note
from glossary_ssg.model import Entry, Ref
from glossary_ssg.paths import Slug
from glossary_ssg.suggest import closest


class _Claim(NamedTuple):  # three or more for every entry: a tuple is made in a third of a dataclass's time
    slug: Slug
    kind: str  # "slug", "title" or "alias"
    name: str
    location: Location


@dataclass(frozen=True)
class LinkNames:
    """The names a body's links can reach: casefolded slugs, titles and aliases (for [[links]]), titles and
    aliases as written (for automatic links), and each term's title."""

    names: Mapping[str, Slug]
    mentions: Mapping[str, Slug]
    titles: Mapping[Slug, str]

    @classmethod
    def of(cls, graph) -> LinkNames:
        """From the graph (graph.Graph, which this module comes before)."""
        return cls(graph.term_names, graph.term_mentions, {s: t.title for s, t in graph.terms.items()})


class NameIndex:
    """Resolves names to slugs within one namespace; built once, then only read."""

    def __init__(self, noun: str, entries: Iterable[Entry], unreadable: Iterable[Slug]):
        self.noun = noun
        self.unreadable = frozenset(unreadable)  # they exist, but could not be read: resolve silently to nothing
        self.slugs = {entry.slug for entry in entries} | self.unreadable
        self._names: dict[str, _Claim] = {}  # casefolded name -> the first claim on it
        self._claims: list[_Claim] = []  # every claim that did not clash, as written
        self.diagnostics: list[Diagnostic] = []
        for slug in sorted(self.unreadable):
            self._claim(_Claim(slug, "slug", slug, Location("")), None)
        # Slugs claim their names first, then titles, then aliases: the less
        # fundamental name is the one reported when two entries clash.
        claimed = [(entry, _claims(entry)) for entry in sorted(entries, key=lambda e: e.source)]
        for rank in range(3):
            for entry, claims in claimed:
                for claim in claims[rank]:
                    self._claim(claim, entry)

    def _claim(self, claim: _Claim, entry: Entry | None) -> None:
        key = claim.name.casefold()
        holder = self._names.get(key)
        if holder is None or holder.slug == claim.slug:
            self._claims.append(claim)
        if holder is None:
            self._names[key] = claim
        elif holder.slug != claim.slug and entry is not None:
            self.diagnostics.append(error(
                "duplicate-name",
                f"{claim.kind} '{claim.name}' is already the {holder.kind} of {self.noun} '{holder.slug}'"
                + (f" in {holder.location.path}" if holder.location.path else ""),
                claim.location, f"each slug, title and alias must belong to one {self.noun}"))

    def names(self) -> dict[str, Slug]:
        """Every readable entry's slug, title and aliases (casefolded) -> its slug."""
        return {key: claim.slug for key, claim in sorted(self._names.items()) if claim.slug not in self.unreadable}

    def titles_and_aliases(self) -> dict[str, Slug]:
        """As written (not casefolded), for finding plain mentions in text."""
        return {claim.name: claim.slug for claim in sorted(self._claims, key=lambda c: c.name)
                if claim.kind != "slug" and claim.slug not in self.unreadable}

    def resolve(self, ref: Ref, field: str) -> tuple[Slug | None, Diagnostic | None]:
        """The slug a reference names, or a diagnostic; unreadable entries resolve silently to None."""
        if ref.text in self.slugs:
            return (None if ref.text in self.unreadable else Slug(ref.text)), None
        claim = self._names.get(ref.text.casefold())
        if claim is not None:
            if claim.slug in self.unreadable:
                return None, None
            advice = note("ref-by-name", f"'{ref.text}' in {field} refers to {self.noun} '{claim.slug}' by its "
                          f"{claim.kind}", ref.location, f"write the slug '{claim.slug}'")
            return claim.slug, advice
        name = closest(ref.text, self._names)
        hint = f"did you mean '{self._names[name].slug}'?" if name else None
        return None, error("unknown-ref", f"unknown {self.noun} '{ref.text}' in {field}", ref.location, hint)


def _claims(entry: Entry) -> tuple[list[_Claim], list[_Claim], list[_Claim]]:
    """The names an entry claims: its slug, its title, its aliases."""
    slug = [_Claim(entry.slug, "slug", entry.slug, Location(entry.source, 1, 1))]
    title = [_Claim(entry.slug, "title", entry.title, entry.where("title"))] if entry.title else []
    aliases = [_Claim(entry.slug, "alias", alias, entry.where(f"aliases.{index}"))
               for index, alias in enumerate(getattr(entry, "aliases", ()))]
    return slug, title, aliases
