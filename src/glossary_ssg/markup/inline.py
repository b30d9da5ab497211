"""Python-Markdown's inline pass, with each pattern skipped at once where its expression finds nothing.

The inline pass tries every inline pattern (about fifteen) on every text of a
document, and each try costs a Python call that checks the pattern's
ancestors and starts a search, even where the text holds none of the
pattern's characters: most tries, and about a sixth of a body's rendering.
Here each pattern is probed first; where the probe finds nothing from the
current position, the try could not have matched, and the next pattern is
taken, exactly as the original does after a failed try. The probe is the
pattern's own expression, or, for the few expressions that are slow to search
(a lookbehind first: the code span's took 20 µs a paragraph), a search for
the characters every match of that exact expression holds.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown, util
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor as InlinePattern
from markdown.treeprocessors import InlineProcessor


# Expressions of Python-Markdown's patterns (as its source writes them) -> characters one of which every match
# holds at or after where it starts. Keyed by the whole expression: a pattern whose expression changes is
# probed with its own.
_HELD = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": "`",  # code spans: backslashes before a backtick, or a backtick
    r"(?<!\!)\[": "[",  # links and references
    r"\*|_": "*_",  # emphasis
}
_PROBES = {expression: re.compile(f"[{re.escape(held)}]") for expression, held in _HELD.items()}


class QuickInline(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.treeprocessors.register(_QuickInlineProcessor(md), "inline", 20)  # in place of the original


class _QuickInlineProcessor(InlineProcessor):
    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self._patterns = [(pattern, _probe(pattern)) for pattern in self.inlinePatterns]  # in priority order
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802,N803
        """The original's loop (InlineProcessor.__handleInline, which its other methods call by this name)."""
        if isinstance(data, util.AtomicString):
            return data
        patterns, start = self._patterns, 0
        apply = self._InlineProcessor__applyPattern
        while patternIndex < len(patterns):
            pattern, probe = patterns[patternIndex]
            if probe is not None and probe.search(data, start) is None:
                patternIndex, start = patternIndex + 1, 0  # what the original's failed try returns
                continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def _probe(pattern) -> re.Pattern | None:
    """An expression that finds something wherever the pattern could match (None: try the pattern)."""
    if not isinstance(pattern, InlinePattern):
        return None  # an old-style pattern matches differently
    expression = pattern.getCompiledRegExp()
    return _PROBES.get(expression.pattern, expression)
