"""Strip anything active from a renderer's SVG before it goes inline into a page.

Mermaid in strict mode should produce none of this, but its labels come from
untrusted content, so the SVG is checked the way Markdown HTML is: no
script or foreign content, no event handlers, no links or styles that leave
the document, whatever the letter case or entity encoding.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

DROPPED_ELEMENTS = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener", "set",
                    "animate", "animatetransform", "animatemotion", "discard", "audio", "video", "image", "use"}
_ATTRIBUTE = re.compile(r"""\s([^\s"'=<>/]+)(\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_TAG_NAME = re.compile(r"<\s*([^\s/>]+)")
_LINK_ATTRIBUTES = {"href", "xlink:href", "src", "action", "formaction"}
_ACTIVE_URL = re.compile(r"(javascript|vbscript|data):", re.I)
_EXTERNAL_CSS = re.compile(r"@import[^;]*;?|url\(\s*(?!['\"]?#)[^)]*\)|expression\s*\(", re.I)


def clean_svg(svg: str) -> str:
    cleaner = _Cleaner()
    cleaner.feed(svg)
    cleaner.close()
    return "".join(cleaner.output)


def _decoded(value: str) -> str:
    """The value as a browser reads it: entities decoded, and the control characters it ignores removed."""
    return re.sub(r"[\x00-\x20]", "", html.unescape(value))


def _safe_attributes(start_tag: str) -> str:
    name_match = _TAG_NAME.match(start_tag)
    assert name_match is not None
    kept = []
    for match in _ATTRIBUTE.finditer(start_tag, name_match.end()):
        name = match.group(1).lower()
        raw_value = match.group(3) or ""
        value = _decoded(raw_value.strip("\"'"))
        if name.startswith("on") or _ACTIVE_URL.search(value):
            continue
        if name in _LINK_ATTRIBUTES and not value.startswith("#"):
            continue
        if name == "style" and _EXTERNAL_CSS.search(value):
            continue
        kept.append(match.group(0))
    closing = "/>" if start_tag.rstrip().endswith("/>") else ">"
    return f"<{name_match.group(1)}{''.join(kept)}{closing}"


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.output: list[str] = []
        self.open_names: list[str] = []  # start tag names as written: SVG names are case-sensitive
        self.skipping = 0  # depth inside a dropped element
        self.in_style = False

    def handle_starttag(self, tag: str, attrs) -> None:
        raw = self.get_starttag_text() or ""
        if self.skipping or tag in DROPPED_ELEMENTS:
            self.skipping += 1
            return
        self.open_names.append(_TAG_NAME.match(raw).group(1))
        self.in_style = tag == "style"
        self.output.append(_safe_attributes(raw))

    def handle_startendtag(self, tag: str, attrs) -> None:
        if not self.skipping and tag not in DROPPED_ELEMENTS:
            self.output.append(_safe_attributes(self.get_starttag_text() or ""))

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= 1
            return
        if self.open_names and self.open_names[-1].lower() == tag:
            self.output.append(f"</{self.open_names.pop()}>")
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.output.append(_EXTERNAL_CSS.sub("", data) if self.in_style else data)

    def handle_entityref(self, name: str) -> None:
        if not self.skipping:
            self.output.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if not self.skipping:
            self.output.append(f"&#{name};")
