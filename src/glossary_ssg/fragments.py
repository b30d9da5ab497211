"""Each card's HTML, rendered once and reused: the home page alone lists every term.

Themes call `remembered(macro, card, *args)` where they would call `macro(card, *args)`,
or `remembered_each(macro, cards, *args)` for a whole list. What a card macro
makes depends only on the card, the plain arguments, the templates and the
config, so for the same templates (incremental.py's templates key) a card that
did not change gives the same HTML. The fragments go from the worker processes
of a full build into the snapshot, and from there to quick builds, which check
each against its card's digest when it is used.

In the snapshot a variant (macro and arguments) is one long string with every
card's HTML and the offsets where each ends: tens of thousands of small strings
would take longer to load than to render.
"""

from __future__ import annotations

from array import array
from typing import Any, Callable, Iterable, Mapping

from markupsafe import Markup

from glossary_ssg.site import Card

Variant = tuple[str, tuple]  # the macro's name and the arguments after the card
CardKey = tuple[str, str, str]  # the card's part, recipes.Part("card", kind, slug), or an equal tuple
Cards = Mapping[CardKey, tuple[Card, str]]  # card -> the card pages are given, and its digest
Packed = tuple[tuple, tuple[str, ...], str, array]  # card keys, their digests, all HTML, end offsets
Stored = dict[Variant, Packed]
Changes = dict[CardKey, tuple[str, dict[Variant, str]]]  # card -> its digest, HTML by variant
# A fragment rendered by this process: the card's key, the card (None: the one `cards` has, which a worker
# need not send back), the variant and the HTML.
Fresh = tuple[CardKey, "Card | None", Variant, str]


def card_key(card: Card) -> CardKey:
    return ("card", card.kind, card.slug)


class FragmentCache:
    """`load`, if given, returns (stored, changes, cards) the first time a stored fragment is looked for: a
    build that renders no long list never reads them."""

    def __init__(self, stored: Stored | None = None, changes: Changes | None = None, cards: Cards | None = None,
                 load: Callable[[], tuple[Stored, Changes, Cards]] | None = None):
        self.stored = stored or {}  # from the last full build ...
        self.changes = changes or {}  # ... and the quick builds since: valid while the card's digest is the same
        self.cards = cards or {}
        self._load = load
        self._positions: dict[Variant, dict[str, int]] = {}
        self._by_identity: dict[Variant, dict[int, int]] = {}
        self.made: dict[tuple[CardKey, Variant], tuple[Card, str]] = {}  # by this build
        self.fresh: list[Fresh] = []  # rendered here, not yet taken

    def __call__(self, macro: Callable[..., Any], item: Any, *args: Any) -> Any:
        html = self._html(macro, item, args)
        return macro(item, *args) if html is None else Markup(html)

    def each(self, macro: Callable[..., Any], items: Iterable[Any], *args: Any) -> Markup:
        """What a loop of `{{ remembered(macro, item, ...) }}` lines makes (each card and a newline), in one call."""
        variant = (macro.name, args)
        try:
            unchanged = self._unchanged(variant)
        except TypeError:  # an argument that cannot be a key
            unchanged = {}
        text, ends = self.stored[variant][2:] if unchanged else ("", ())
        parts = []
        for item in items:
            index = unchanged.get(id(item))
            if index is not None:  # the stored card object itself, as it was when the fragment was made
                parts.append(text[ends[index - 1] if index else 0:ends[index]])
            else:
                html = self._html(macro, item, args)
                parts.append(str(macro(item, *args)) if html is None else html)
            parts.append("\n")
        return Markup("".join(parts))

    def _unchanged(self, variant: Variant) -> dict[int, int]:
        """Object id of each of `cards` whose stored fragment for `variant` is still right -> its index in
        the packed variant: one pass here makes a long list a lookup per card."""
        if self._load is not None:
            self.stored, self.changes, self.cards = self._load()
            self._load = None
        found = self._by_identity.get(variant)
        if found is None:
            found = self._by_identity[variant] = {}
            packed = self.stored.get(variant)
            if packed is not None:
                keys, digests = packed[0], packed[1]
                for index, key in enumerate(keys):
                    current = self.cards.get(key)
                    if current is not None and current[1] == digests[index] and key not in self.changes:
                        found[id(current[0])] = index
        return found

    def _html(self, macro: Callable[..., Any], item: Any, args: tuple) -> str | None:
        """The card's HTML for this variant, or None for what is not a card with plain arguments."""
        if type(item) is not Card:
            return None
        key = card_key(item)
        variant = (macro.name, args)
        try:
            made = self.made.get((key, variant))
        except TypeError:  # an argument that cannot be a key
            return None
        if made is not None and (made[0] is item or made[0] == item):
            return made[1]
        html = self._stored(key, variant, item)
        if html is None:
            html = str(macro(item, *args))  # kept as str: a Markup loads from a pickle far more slowly
            current = self.cards.get(key)
            self.fresh.append((key, None if current is not None and current[0] is item else item, variant, html))
        self.made[(key, variant)] = (item, html)
        return html

    def _stored(self, key: CardKey, variant: Variant, card: Card) -> str | None:
        if self._load is not None:
            self.stored, self.changes, self.cards = self._load()
            self._load = None
        current = self.cards.get(key)
        if current is None or not (current[0] is card or current[0] == card):
            return None
        changed = self.changes.get(key)
        if changed is not None:
            return changed[1].get(variant) if changed[0] == current[1] else None
        packed = self.stored.get(variant)
        if packed is None:
            return None
        positions = self._positions.get(variant)
        if positions is None:
            positions = self._positions[variant] = dict(zip(packed[0], range(len(packed[0]))))
        index = positions.get(key)
        if index is None or packed[1][index] != current[1]:
            return None
        ends = packed[3]
        return packed[2][ends[index - 1] if index else 0:ends[index]]

    def take_fresh(self) -> list[Fresh]:
        fresh, self.fresh = self.fresh, []
        return fresh

    def absorb(self, fresh: list[Fresh]) -> None:
        """Fragments another process rendered (a worker of this build, forked with the same `cards`)."""
        cards = self.cards
        for key, card, variant, html in fresh:
            self.made[(key, variant)] = (cards[key][0] if card is None else card, html)

    def packed(self, cards: Cards) -> Stored:
        """Everything a full build keeps: each variant of every card that is as `cards` has it."""
        by_variant: dict[Variant, list[tuple[CardKey, str, str]]] = {}
        variants = sorted(self._variants(), key=repr)
        for key, (card, digest) in cards.items():
            for variant in variants:
                html = self._html_for(key, variant, card)
                if html is not None:
                    by_variant.setdefault(variant, []).append((key, digest, html))
        stored: Stored = {}
        for variant, rows in by_variant.items():
            ends, total = array("q"), 0
            for _, _, html in rows:
                total += len(html)
                ends.append(total)
            stored[variant] = (tuple(tuple(r[0]) for r in rows), tuple(r[1] for r in rows), "".join(r[2] for r in rows),
                               ends)
        return stored

    def changed_since(self, cards: Cards, keys: set[CardKey]) -> Changes:
        """What a quick build keeps: the fragments of the cards in `keys`, as `cards` has them."""
        found: Changes = {}
        for key in keys:
            card, digest = cards[key]
            variants = {variant: html for (made_key, variant), (made_card, html) in self.made.items()
                        if made_key == key and made_card == card}
            found[key] = (digest, variants)
        return found

    def _variants(self) -> set[Variant]:
        return set(self.stored) | {variant for _, variant in self.made} | {
            variant for _, variants in self.changes.values() for variant in variants}

    def _html_for(self, key: CardKey, variant: Variant, card: Card) -> str | None:
        made = self.made.get((key, variant))
        if made is not None and made[0] == card:
            return made[1]
        return self._stored(key, variant, card)
