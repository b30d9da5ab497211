"""Which entry a name refers to: slugs, titles and aliases, one namespace each for terms and lessons.

A name (ignoring case) may belong to one entry only; a clash is an error that
names both files. References resolve by slug first, then by exact title or alias.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from glossary_ssg.errors import Diagnostic, Location, error, note
from glossary_ssg.model import Entry, Ref, Term
from glossary_ssg.paths import Slug
from glossary_ssg.suggest import closest


@dataclass(frozen=True)
class _Claim:
    slug: Slug
    kind: str  # "slug", "title" or "alias"
    name: str
    location: Location


class NameIndex:
    """Resolves names to slugs within one namespace; built once, then only read."""

    def __init__(self, noun: str, entries: Iterable[Entry], rejected: Iterable[Slug]):
        self.noun = noun
        self.rejected = frozenset(rejected)
        self.slugs = {entry.slug for entry in entries} | self.rejected
        self._names: dict[str, _Claim] = {}
        self.diagnostics: list[Diagnostic] = []
        for slug in sorted(self.rejected):
            self._claim(_Claim(slug, "slug", slug, Location("")), None)
        for entry in sorted(entries, key=lambda e: e.source):
            for claim in _claims(entry):
                self._claim(claim, entry)

    def _claim(self, claim: _Claim, entry: Entry | None) -> None:
        key = claim.name.casefold()
        holder = self._names.get(key)
        if holder is None:
            self._names[key] = claim
        elif holder.slug != claim.slug and entry is not None:
            self.diagnostics.append(error(
                "duplicate-name",
                f"{claim.kind} '{claim.name}' is already the {holder.kind} of {self.noun} '{holder.slug}' "
                f"({holder.location.path or holder.slug})",
                claim.location, f"each slug, title and alias must belong to one {self.noun}"))

    def resolve(self, ref: Ref, field: str) -> tuple[Slug | None, Diagnostic | None]:
        """The slug a reference names, or a diagnostic; rejected entries resolve silently to None."""
        if ref.text in self.slugs:
            return (None if ref.text in self.rejected else Slug(ref.text)), None
        claim = self._names.get(ref.text.casefold())
        if claim is not None:
            if claim.slug in self.rejected:
                return None, None
            advice = note("ref-by-name", f"'{ref.text}' in {field} refers to {self.noun} '{claim.slug}' by its "
                          f"{claim.kind}", ref.location, f"write the slug '{claim.slug}'")
            return claim.slug, advice
        name = closest(ref.text, self._names)
        hint = f"did you mean '{self._names[name].slug}'?" if name else None
        return None, error("unknown-ref", f"unknown {self.noun} '{ref.text}' in {field}", ref.location, hint)


def _claims(entry: Entry) -> list[_Claim]:
    start = Location(entry.source, 1, 1)
    claims = [_Claim(entry.slug, "slug", entry.slug, start),
              _Claim(entry.slug, "title", entry.title, entry.where("title"))]
    if isinstance(entry, Term):
        claims += [_Claim(entry.slug, "alias", alias, entry.where(f"aliases.{index}"))
                   for index, alias in enumerate(entry.aliases)]
    return claims
