"""Which remembered bodies a change to the linkable names leaves as they were.

A body's HTML depends on the names only through those it holds: the target of
a [[link]] (a slug, title or alias, ignoring case), a slug a [[link]] shows by
its title, and the words of a title or alias that an automatic link finds. A
name that was added, removed or now reaches another term cannot change a text
that does not hold it, so after a term is added, renamed or deleted only the
bodies that hold one of the changed names are rendered again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from glossary_ssg.markup.termlinks import name_words
from glossary_ssg.names import LinkNames

# Past this many changed names (a mass rename, a new config), every text is rendered: checking each against
# all of them would cost more than it saves.
MAX_CHANGED_NAMES = 64


@dataclass(frozen=True)
class NameChange:
    whole: frozenset[str]  # casefolded: [[link]] targets that now reach another term or none; retitled slugs
    words: frozenset[tuple[str, ...]]  # the casefolded words of each title or alias automatic links changed

    def leaves(self, text: str) -> bool:
        """True when `text` holds none of the changed names, so it renders as it did. A name found in running
        text has all of its words in it, whatever joins them; a [[link]]'s target is there whole."""
        folded = text.casefold()
        if "[[" in text and any(name in folded for name in self.whole):
            return False
        return not any(all(word in folded for word in words) for words in self.words)


def name_change(before: LinkNames, after: LinkNames) -> NameChange | None:
    """What changed from `before` to `after`; None when too much did for the check to pay off."""
    whole = {name.casefold() for name in _changed(before.names, after.names) | _changed(before.titles, after.titles)}
    mentions = _changed(before.mentions, after.mentions)
    if len(whole) + len(mentions) > MAX_CHANGED_NAMES:
        return None
    return NameChange(frozenset(whole), frozenset(tuple(word.casefold() for word in name_words(name))
                                                  for name in mentions))


def _changed(before: Mapping[str, str], after: Mapping[str, str]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
