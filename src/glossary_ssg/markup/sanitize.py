"""Reduce the HTML that Markdown produces from untrusted content to a safe allow-list.

Markdown passes raw HTML through, so a contributor could write <script> or
an onclick handler. nh3 (the ammonia sanitiser) parses the HTML as a
browser would, which defeats letter-case and entity tricks, and keeps only
the elements, attributes and URL schemes below. It runs after Markdown and
before our own blocks (diagrams, highlighted code) are put back in.
"""

from __future__ import annotations

import nh3

_TEXT = {"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
         "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}
_BLOCKS = {"blockquote", "dd", "details", "div", "dl", "dt", "figcaption", "figure", "h1", "h2", "h3", "h4",
           "h5", "h6", "hr", "li", "ol", "p", "pre", "summary", "ul"}
_TABLES = {"caption", "col", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr"}
ALLOWED_TAGS = _TEXT | _BLOCKS | _TABLES | {"img"}

_HEADINGS = {f"h{n}": {"id"} for n in range(1, 7)}  # anchors made by the table of contents
ALLOWED_ATTRIBUTES = {
    **_HEADINGS,
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "time": {"datetime"},
    "data": {"value"},
    "details": {"open"},
    "q": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}  # no javascript:, vbscript: or data:


# Made once: nh3.clean builds its sanitiser from the options on every call, which at 10,000 bodies is a
# third of the sanitising time.
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea",
                        "title", "xmp", "noembed", "noframes", "plaintext"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=None,  # internal links need no rel; templates add rel to external ones they make
    allowed_classes={"a": {"term-link"}},  # set by our own term links, which previews look for
    filter_style_properties={"text-align"},  # what Markdown tables set on cells, and nothing else
    strip_comments=True,
)


def sanitize_html(html: str) -> str:
    return _CLEANER.clean(html)
