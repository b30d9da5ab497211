"""Page data as recipes: the parts of entries a page shows, named rather than copied, resolved at render time.

A planned page holds `Part`s (an entry's card, its rendered body, ...) and
`Derived` values (computed from parts, such as JSON-LD). Resolving a page
looks every part up and records which ones it used: the page's dependencies.
So when an edit changes only an entry's definition or body, the pages that
used those parts are rendered again from their stored recipes, and nothing
else is planned, looked up or rendered (see quick_build).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable, Iterable, NamedTuple, Protocol

from glossary_ssg.config import SiteConfig
from glossary_ssg.fingerprint import digest_by_fields, of_text

PART_KINDS = ("entry", "card", "body", "links", "quiz")


@digest_by_fields
class Part(NamedTuple):
    """One piece of one entry, as pages show it."""

    what: str  # "entry" (the Term or Lesson), "card", "body" (HTML), "links" (terms the body links to), "quiz"
    kind: str  # "term" or "lesson"
    slug: str

    def __reduce__(self):
        return tuple_reduce(self)


def tuple_reduce(value: tuple) -> tuple:
    """Pickle a named tuple as its class and fields, loaded by tuple.__new__ in C: an index page's recipe
    holds thousands, and the named tuple's own __new__ is a Python call each. (A recipe a full build's
    worker keyed is stored as the pickle its digest was taken of instead: snapshot.sealed_recipe.)"""
    return (tuple.__new__, (type(value), tuple(value)))


@digest_by_fields
@dataclass(frozen=True)
class Derived:
    """A value computed from parts when the page is resolved: function(resolver, *resolved args).
    The function is module-level, so a stored recipe names it rather than holding code."""

    function: Callable[..., Any]
    args: tuple


class Parts(Protocol):
    """Where parts come from: the graph in a full build, the stored snapshot in a quick one."""

    config: SiteConfig

    def get(self, part: Part) -> Any: ...


class Resolver:
    def __init__(self, parts: Parts):
        self.parts = parts
        self.config = parts.config
        self.used: dict[Part, Any] = {}  # each part used and its value, in the order first used (the recipe's)

    def part(self, part: Part) -> Any:
        value = self.used.get(part, _UNSEEN)  # the home page lists each card three times
        if value is _UNSEEN:
            value = self.used[part] = self.parts.get(part)
        return value

    def resolve(self, value: Any) -> Any:
        kind = type(value)
        if kind is Part:
            return self.part(value)
        if kind is tuple:  # most often a list of cards: parts are looked up without another call
            return tuple([self.part(item) if type(item) is Part else self.resolve(item) for item in value])
        if kind is list:
            return [self.resolve(item) for item in value]
        if kind is dict:
            return {key: self.resolve(item) for key, item in value.items()}
        if kind is MappingProxyType:
            return MappingProxyType({key: self.resolve(item) for key, item in value.items()})
        if kind is Derived:
            return value.function(self, *[self.resolve(arg) for arg in value.args])
        return value


_UNSEEN = object()


def part_name(part: Part) -> str:
    return "/".join(part)


def part_named(name: str) -> Part:
    what, kind, slug = name.split("/")
    return Part(what, kind, slug)


def page_key(templates_key: str, recipe_digest: str, used: Iterable[Part], digest: Callable[[Part], str]) -> str:
    """Digest of all a page is rendered from: the templates, its recipe and every part it used (in the order
    resolving used them, which the recipe and the parts decide)."""
    return of_text(templates_key, recipe_digest, "\n".join([f"{'/'.join(part)}={digest(part)}" for part in used]))
