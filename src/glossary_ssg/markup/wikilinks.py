"""Find [[Term]] and [[slug|text]] links in Markdown, outside code, with their file lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from glossary_ssg.markup.fences import scan_fences

WIKILINK = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True)
class WikiLink:
    target: str  # a slug, title or alias
    text: str | None  # the link text, when given after '|'
    line: int  # index of the line within the text
    column: int  # 1-based


def find_wikilinks(text: str) -> Iterator[WikiLink]:
    if "[[" not in text:
        return  # most texts: no need to look for comments and fences
    # A comment is not rendered, so a [[link]] in it is not one; blanking keeps lines and columns.
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    lines = text.split("\n")
    in_fence = set()
    for fence in scan_fences(text):
        in_fence.update(range(fence.first_line, fence.last_line + 1))
    for index, line in enumerate(lines):
        if index in in_fence:
            continue
        visible = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)  # keep columns, hide code
        for match in WIKILINK.finditer(visible):
            yield WikiLink(match.group(1).strip(), (match.group(2) or "").strip() or None, index, match.start() + 1)
