"""Each card's HTML, rendered once and reused: the home page alone lists every term.

Themes call `remembered(macro, card, *args)` where they would call `macro(card, *args)`.
What a card macro makes depends only on the card, the plain arguments, the
templates and the config, so for the same templates (incremental.py's
templates key) a card that did not change gives the same HTML. The fragments
go from the worker processes of a full build into the snapshot, and from there
to quick builds, which check each one against its card's digest when it is used.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

from markupsafe import Markup

from glossary_ssg.site import Card

Variant = tuple[str, tuple]  # the macro's name and the arguments after the card
Variants = dict[Variant, str]
Stored = dict[str, tuple[str, Variants]]  # "kind/slug" -> the card's digest, its HTML by variant
Cards = Mapping[str, tuple[Card, str]]  # "kind/slug" -> the card pages are given, and its digest


def card_key(card: Card) -> str:
    return f"{card.kind}/{card.slug}"


class FragmentCache:
    def __init__(self, stored: Stored | None = None, cards: Cards | None = None):
        self.stored = stored or {}  # from the last build: valid while the card's digest is the same
        self.cards = cards or {}
        self.slots: dict[str, tuple[Card, Variants]] = {}  # in use by this build
        self.fresh: list[tuple[Card, Variant, str]] = []  # rendered here, not yet taken

    def __call__(self, macro: Callable[..., Any], item: Any, *args: Any) -> Any:
        if type(item) is not Card:
            return macro(item, *args)
        key = card_key(item)
        slot = self.slots.get(key)
        if slot is None or (slot[0] is not item and slot[0] != item):
            slot = self.slots[key] = (item, self._stored_for(key, item))
        variant = (macro.name, args)
        try:
            html = slot[1].get(variant)
        except TypeError:  # an argument that cannot be a key
            return macro(item, *args)
        if html is None:  # kept as str: a Markup loads from a pickle far more slowly
            html = slot[1][variant] = str(macro(item, *args))
            self.fresh.append((item, variant, html))
        return Markup(html)

    def _stored_for(self, key: str, card: Card) -> Variants:
        stored, current = self.stored.get(key), self.cards.get(key)
        if stored is not None and current is not None and stored[0] == current[1] and (
                current[0] is card or current[0] == card):
            return stored[1]
        return {}

    def take_fresh(self) -> list[tuple[Card, Variant, str]]:
        fresh, self.fresh = self.fresh, []
        return fresh

    def absorb(self, fresh: list[tuple[Card, Variant, str]]) -> None:
        """Fragments another process rendered (a worker of this build)."""
        for card, variant, html in fresh:
            key = card_key(card)
            slot = self.slots.get(key)
            if slot is None or slot[0] != card:
                slot = self.slots[key] = (card, self._stored_for(key, card))
            slot[1][variant] = html

    def to_store(self, cards: Cards, only_fresh_since: set[str] | None = None) -> Stored:
        """What to keep, by card digest, for the cards as `cards` has them: everything (for a full build), or
        the cards named in `only_fresh_since` (a quick build records only what it changed)."""
        kept: Stored = {}
        if only_fresh_since is None:
            kept = {key: value for key, value in self.stored.items()
                    if key in cards and cards[key][1] == value[0]}
        for key, (card, variants) in self.slots.items():
            current = cards.get(key)
            if (only_fresh_since is None or key in only_fresh_since) and current is not None and (
                    current[0] is card or current[0] == card):
                kept[key] = (current[1], variants)
        return kept
