"""Make a renderer's SVG fit to sit inline in a page beside others.

Anything active is stripped first (svg_safety). Mermaid gives every diagram
the same root id and repeats some ids inside one diagram, so every id is
rewritten under a prefix unique on the page, with every reference to it.
The root gets role="img" and a title and description for assistive
technology.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from glossary_ssg.diagrams.svg_safety import clean_svg

# Each pattern starts with a literal, which re searches for quickly; a check of the character before it comes
# after that literal. (?<=[\s"])name=... tries its lookbehind at every position: 40 times slower.
_ID = re.compile(r'(i(?<=\si)d=")([^"]+)(")')  # an id attribute: whitespace, then id="
_NAME_ATTRIBUTE = re.compile(r'n(?<=[\s"]n)ame="[^"]*"')  # a name attribute, after whitespace or a quote
_REFERENCE = re.compile(r'(href="#)([^"]+)(")')  # also xlink:href, whose prefix stays as it is
_URL_REFERENCE = re.compile(r"(url\(#)([^)]+)(\))")
_ARIA_ID_LISTS = re.compile(r'(aria-(?:labelledby|describedby)=")([^"]+)(")')
_CIRCLE = re.compile(r"<circle\b[^>]*>")
_SIZE_ATTRIBUTES = re.compile(r'\s(?:width|height)="[^"]*"')
_ROOT = re.compile(r"<svg\b[^>]*>")
_TITLE_OR_DESC = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.S)
_ARIA_REFS = re.compile(r'\s(aria-labelledby|aria-describedby|role|aria-roledescription)="[^"]*"')


def prepare_svg(svg: str, prefix: str, name: str, description: str) -> str:
    svg = _cleaned(svg)
    root_match = _ROOT.search(svg)
    if root_match is None:
        raise ValueError("renderer returned no <svg> element")
    root_id_match = _ID.search(root_match.group(0))
    root_id = root_id_match.group(2) if root_id_match else None
    svg = _rename_ids(svg, prefix, root_id)
    svg = _NAME_ATTRIBUTE.sub("", svg)  # Mermaid tags some shapes with name="…", which SVG does not have
    svg = _CIRCLE.sub(lambda m: _SIZE_ATTRIBUTES.sub("", m.group(0)), svg)  # a circle has r, not width/height
    return _label(svg, prefix, name, description)


@lru_cache(maxsize=512)
def _cleaned(svg: str) -> str:
    """Cleaning parses the whole SVG; a diagram used on many pages (or in both of a build's phases) is
    cleaned once."""
    return clean_svg(_strip_prologue(svg))


def _strip_prologue(svg: str) -> str:
    start = svg.find("<svg")
    return svg[start:] if start > 0 else svg


def _rename_ids(svg: str, prefix: str, root_id: str | None) -> str:
    mapping: dict[str, str] = {}
    taken: set[str] = set()

    def new_name(old: str) -> str:
        base = old.replace(root_id, prefix) if root_id and root_id in old else f"{prefix}-{old}"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        return name

    def rename(match: re.Match) -> str:
        old = match.group(2)
        name = new_name(old)
        mapping.setdefault(old, name)  # references point at the first element with that id
        return f"{match.group(1)}{name}{match.group(3)}"

    svg = _ID.sub(rename, svg)

    def reference(match: re.Match) -> str:
        old = match.group(2)
        if old not in mapping and root_id and root_id in old:
            mapping[old] = old.replace(root_id, prefix)  # a dangling reference still must not collide
        return f"{match.group(1)}{mapping.get(old, old)}{match.group(3)}"

    svg = _URL_REFERENCE.sub(reference, svg)
    svg = _REFERENCE.sub(reference, svg)
    svg = _ARIA_ID_LISTS.sub(
        lambda m: m.group(1) + " ".join(mapping.get(i, i) for i in m.group(2).split()) + m.group(3), svg)
    if root_id:
        # Mermaid scopes its stylesheet to the root id.
        svg = re.sub(rf"#{re.escape(root_id)}(?![\w-])", f"#{prefix}", svg)
    return svg


def _label(svg: str, prefix: str, name: str, description: str) -> str:
    """role="img" named by a <title> and described by a <desc>, replacing whatever the renderer set."""
    root = _ROOT.search(svg)
    assert root is not None
    inner_start = root.end()
    body = svg[inner_start:]
    while (leading := _TITLE_OR_DESC.match(body.lstrip())) is not None:  # the renderer's own, if any
        body = body.lstrip()[leading.end():]
    opening = _ARIA_REFS.sub("", root.group(0))
    opening = opening[:-1] + (f' role="img" aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc">')
    labels = (f'<title id="{prefix}-title">{html.escape(name)}</title>'
              f'<desc id="{prefix}-desc">{html.escape(description)}</desc>')
    return svg[:root.start()] + opening + labels + body
