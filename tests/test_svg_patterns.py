"""Property: the faster patterns that fit a diagram's SVG into a page find exactly what the plain ones find.

diagrams/svg.py writes each pattern to start with a literal and checks the
character before it afterwards; the plain pattern, with its lookbehind or
optional prefix first, is the reference. Texts are built from the fragments
that matter (quotes, whitespace, the attribute names and their prefixes).
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from glossary_ssg.diagrams import svg

FRAGMENTS = ['"', " ", "\n", "\t", "\u00a0", "=", "#", "i", "d", "n", "a", "x", "id=", 'id="', 'name="', "name",
             'href="#', "xlink:", "xlink:href=\"#", 'href="', "ref", ">", "<g", "url(#", ")", "aria-labelledby=\"",
             "a b", "-", "my-svg", 'd="', 'ame="', 'e="', 'f="#', 'ef="#', 'l:href="#']  # and near misses
TEXTS = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), max_size=40).map("".join)

PLAIN_ID = re.compile(r'(\sid=")([^"]+)(")')
PLAIN_NAME_ATTRIBUTE = re.compile(r'(?<=[\s"])name="[^"]*"')
PLAIN_REFERENCE = re.compile(r'((?:xlink:)?href="#)([^"]+)(")')


def _rewritten(pattern: re.Pattern, text: str) -> tuple[str, list[str]]:
    """The text with each match's middle group marked, and those groups in the order the callback saw them:
    the renaming has side effects, so the order matters as much as the result."""
    seen: list[str] = []

    def mark(match: re.Match) -> str:
        seen.append(match.group(2))
        return f"{match.group(1)}<{match.group(2)}>{match.group(3)}"

    return pattern.sub(mark, text), seen


@settings(max_examples=500, deadline=None)
@given(TEXTS)
@example('<svg id="my-svg"><g\tid="a"/>"id="b" x id="c"</svg>')
def test_ids_are_found_as_the_plain_pattern_finds_them(text: str) -> None:
    assert _rewritten(svg._ID, text) == _rewritten(PLAIN_ID, text)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
@example('<path name="a"name="b" xname="c" name="d"/>')
def test_name_attributes_are_found_as_the_plain_pattern_finds_them(text: str) -> None:
    assert svg._NAME_ATTRIBUTE.sub("", text) == PLAIN_NAME_ATTRIBUTE.sub("", text)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
@example('<use xlink:href="#a"/><a href="#b">xlink:xlink:href="#c"</a>')
def test_references_are_found_as_the_plain_pattern_finds_them(text: str) -> None:
    assert _rewritten(svg._REFERENCE, text) == _rewritten(PLAIN_REFERENCE, text)


def test_the_properties_can_tell_patterns_apart() -> None:
    """Without its check of the character before, each fast pattern finds more than the plain one."""
    assert re.compile(r'(id=")([^"]+)(")').sub("", 'xid="a"') != PLAIN_ID.sub("", 'xid="a"')
    assert re.compile(r'name="[^"]*"').sub("", 'xname="a"') != PLAIN_NAME_ATTRIBUTE.sub("", 'xname="a"')
