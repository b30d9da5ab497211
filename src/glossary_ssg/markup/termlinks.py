"""Links to terms inside bodies: [[Term]] and [[slug|text]], and automatic links on a term's first mention.

Automatic links go on the first plain mention of another term's title or alias,
never inside code, headings or existing links, and never to the page itself.
An all-capitals name (REST, TLS) matches only in capitals; others ignore case.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Callable, Mapping

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from glossary_ssg.markup.wikilinks import WIKILINK
from glossary_ssg.paths import Slug

_TOKEN = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")  # words in any script
_LOWER_ASCII_TOKEN = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")  # _TOKEN's words in lowercase ASCII text, sooner
_JOINERS = {" ", "-", "/", "\u00a0"}  # what may stand between the words of a name in running text
_NO_LINKS_INSIDE = {"a", "code", "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}
# Where Python-Markdown has stashed something (raw HTML, an entity, an escaped character) the tree holds a
# placeholder, such as STX "wzxhzdk:0" ETX or STX "123" ETX for "\{", until it is put back at the end: no
# link may go inside one.
_PLACEHOLDER = re.compile("\x02[^\x02\x03]*\x03")


class TermLinks(Extension):
    def __init__(self, names: Mapping[str, Slug], mentions: Mapping[str, Slug], titles: Mapping[Slug, str],
                 url_for: Callable[[Slug], str], autolink: bool, matcher: MentionMatcher | None = None):
        """`matcher`: one already made for `mentions`, to share (indexing 10,000 names takes a while)."""
        super().__init__()
        self.names, self.titles, self.url_for, self.autolink = names, titles, url_for, autolink
        self.matcher = (matcher if matcher is not None else MentionMatcher(mentions)) if autolink else None
        self.page: Slug | None = None  # the term whose page this is: never linked to itself
        self.linked: list[Slug] = []  # terms linked so far in the current text, in order

    def start(self, page: Slug | None) -> None:
        self.page, self.linked = page, []

    def link(self, slug: Slug, text: str) -> etree.Element:
        if slug not in self.linked:
            self.linked.append(slug)
        element = etree.Element("a", {"href": self.url_for(slug), "class": "term-link"})
        element.text = text
        return element

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.inlinePatterns.register(_WikiLinks(WIKILINK.pattern, self), "wikilink", 175)  # before links (160)
        if self.autolink:
            md.treeprocessors.register(_AutoLinks(md, self), "autolink", 15)  # after inline markup (20)


class _WikiLinks(InlineProcessor):
    def __init__(self, pattern: str, links: TermLinks):
        super().__init__(pattern)
        self.links = links

    def handleMatch(self, match, data):  # noqa: N802 - Python-Markdown's API
        target, text = match.group(1).strip(), (match.group(2) or "").strip()
        slug = self.links.names.get(target.casefold())
        if slug is None:  # already reported by the check; show the words
            return text or target, match.start(0), match.end(0)
        shown = text or (self.links.titles[slug] if target.casefold() == slug else target)  # a slug shows the title
        return self.links.link(slug, shown), match.start(0), match.end(0)


class _AutoLinks(Treeprocessor):
    def __init__(self, md: Markdown, links: TermLinks):
        super().__init__(md)
        self.links = links

    def run(self, root: etree.Element) -> None:
        self._visit(root)

    def _visit(self, element: etree.Element) -> None:
        if element.tag in _NO_LINKS_INSIDE:
            return
        children = list(element)  # the links added below are not visited again
        element.text = self._link_in(element.text, element, 0)
        for child in children:
            self._visit(child)
            child.tail = self._link_in(child.tail, element, list(element).index(child) + 1)

    def _link_in(self, text: str | None, parent: etree.Element, position: int) -> str | None:
        """Link each new mention in `text`, left to right; the <a>s go into `parent` from `position` on."""
        if not text:
            return text
        skip = set(self.links.linked) | ({self.links.page} if self.links.page else set())
        found = self.links.matcher.mentions(_without_placeholders(text), skip)
        if not found:
            return text
        for number, (start, end, slug) in enumerate(found):
            anchor = self.links.link(slug, text[start:end])
            parent.insert(position + number, anchor)
            anchor.tail = text[end:found[number + 1][0]] if number + 1 < len(found) else text[end:]
        return text[:found[0][0]]


def _without_placeholders(text: str) -> str:
    """`text` with each placeholder blanked out by as many characters that are neither words nor joiners, so
    positions stay those of `text` and no name is found in or across one."""
    return _PLACEHOLDER.sub(lambda found: "\x00" * len(found.group()), text) if "\x02" in text else text


def name_words(name: str) -> list[str]:
    """The words of a title or alias, as automatic links match them."""
    return _TOKEN.findall(name)


class MentionMatcher:
    """Finds the first mention of any name in running text, longest name first at each position.

    Names are indexed by their first word, so each word of the text costs one lookup however many
    names there are."""

    def __init__(self, mentions: Mapping[str, Slug]):
        self.exact: dict[tuple[str, ...], Slug] = {}  # all-capitals names: case must match
        self.folded: dict[tuple[str, ...], Slug] = {}
        for name, slug in mentions.items():
            words = tuple(name_words(name))
            if not words or len(name) < 3:
                continue
            if all(word.isupper() or word.isdigit() for word in words) and any(w.isupper() for w in words):
                self.exact.setdefault(words, slug)
            else:
                self.folded.setdefault(tuple(w.casefold() for w in words), slug)
        lengths: dict[str, set[int]] = {}  # first word (casefolded) -> word counts of the names it starts
        for words in [*self.exact, *self.folded]:
            lengths.setdefault(words[0].casefold(), set()).add(len(words))
        self.lengths = {first: sorted(found, reverse=True) for first, found in lengths.items()}
        self.exact_folded = {tuple(word.casefold() for word in words) for words in self.exact}
        self.single = {first for first, found in lengths.items() if 1 in found}  # first words that are names
        # first word -> the second words of the longer names it starts (all casefolded): rules most candidates
        # out at once, since a text's common words start names far more often than they go on to finish one
        self.seconds: dict[str, set[str]] = {}
        for words in [*self.exact, *self.folded]:
            if len(words) > 1:
                self.seconds.setdefault(words[0].casefold(), set()).add(words[1].casefold())

    def mentions(self, text: str, skip: set[Slug]) -> list[tuple[int, int, Slug]]:
        """Each mention to link in `text`, left to right, as (start, end, slug): at each word the longest
        name not in `skip`, and each slug once (it joins `skip`). One pass, over the words that start a name;
        the words as written and their positions are found only for a text that names something."""
        # ASCII text casefolds as it lowers, in one call, and its words and their bounds stay where they were.
        folded = (_LOWER_ASCII_TOKEN.findall(text.lower()) if text.isascii()
                  else [word.casefold() for word in _TOKEN.findall(text)])
        lengths, single, seconds, names = self.lengths, self.single, self.seconds, self.folded
        exact, exact_folded = self.exact, self.exact_folded
        found: list[tuple[int, int, Slug]] = []
        words: list[str] | None = None
        spans: list[tuple[int, int]] | None = None
        count, resume = len(folded), 0
        for i in [i for i, word in enumerate(folded) if word in lengths]:
            if i < resume:
                continue  # inside the last mention
            first = folded[i]
            if i + 1 < count and folded[i + 1] in seconds.get(first, ()):
                candidates = lengths[first]
            elif first in single:
                candidates = (1,)
            else:
                continue
            for n in candidates:
                end = i + n
                if end > count:
                    continue
                key = tuple(folded[i:end])
                slug = None
                if key in exact_folded:  # an all-capitals name, whose case must match
                    words = words if words is not None else _TOKEN.findall(text)
                    slug = exact.get(tuple(words[i:end]))
                slug = slug or names.get(key)
                if slug is None or slug in skip:
                    continue
                if spans is None:
                    spans = [match.span() for match in _TOKEN.finditer(text)]
                if n > 1 and not self._joined(text, spans, i, end):
                    continue  # the words of a name must be joined as in the name: by a space, hyphen or slash
                found.append((spans[i][0], spans[end - 1][1], slug))
                skip.add(slug)
                resume = end
                break
        return found

    @staticmethod
    def _joined(text: str, spans: list[tuple[int, int]], first: int, end: int) -> bool:
        for k in range(first, end - 1):
            if text[spans[k][1]:spans[k + 1][0]] not in _JOINERS:
                return False
        return True
