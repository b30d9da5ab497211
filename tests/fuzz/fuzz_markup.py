"""Fuzz the front-matter splitter and the Markdown pipeline with atheris (libFuzzer).

Run: python tests/fuzz/fuzz_markup.py -max_total_time=30
Any exception other than the diagnostics these functions return is a finding.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict

import atheris

with atheris.instrument_imports():
    from glossary_ssg.diagrams.phase import DiagramSet
    from glossary_ssg.errors import Location
    from glossary_ssg.loader import split_front_matter
    from glossary_ssg.markup.render import MarkdownRenderer

# The markup pipeline looks diagrams up by source; any fenced diagram gets this SVG (Mermaid-shaped).
_SVG = ('<svg id="my-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>#my-svg{fill:#333}</style>'
        '<g><rect id="r" x="1" y="1" width="8" height="8"/><text x="2" y="6">A</text></g></svg>')
# Inside a tag only: the words "onload = x" in a paragraph are text (any "<" in text is escaped).
_UNSAFE = re.compile(r"<script|<[^>]*\son\w+\s*=|<[^>]*\s(href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data):",
                     re.I)
RENDERER = MarkdownRenderer(DiagramSet(defaultdict(lambda: _SVG), 0, 0), base_heading_level=1)


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(len(data))
    split_front_matter("term", "fuzz", "content/terms/fuzz.md", text)
    html = RENDERER.render(text, Location("content/terms/fuzz.md", 1))
    if _UNSAFE.search(html):
        raise AssertionError(f"unsafe output for {text!r}: {html!r}")


def main() -> None:
    sys.setrecursionlimit(3000)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
