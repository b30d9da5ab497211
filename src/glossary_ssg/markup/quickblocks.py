"""Python-Markdown's block processors, each skipped at once for a block that holds none of what it looks for.

The block parser asks every processor in turn whether it takes a block, and
several answer with a search of the whole block for an expression that starts
with an alternation ("(^|\\n)..."), which re tries at every position: for a
plain paragraph, a fifth of the time its body takes to parse. Here each such
test first checks for what every match holds (a '>' for a quote, a '#' for a
heading); without it the search could not have matched, and the processor
answers no, exactly as the original does. A processor is probed only when it
is the stock class with the expression the check was written for, so another
version of Markdown gets its own tests.
"""

from __future__ import annotations

from typing import Callable

from markdown import Markdown
from markdown.blockprocessors import (BlockQuoteProcessor, HashHeaderProcessor, HRProcessor, ReferenceProcessor,
                                      SetextHeaderProcessor)
from markdown.extensions import Extension

Held = Callable[[str], bool]

# (class, its expression as Python-Markdown writes it) -> a test every block it matches passes.
TESTS_HELD: dict[tuple[type, str], Held] = {
    (BlockQuoteProcessor, r"(^|\n)[ ]{0,3}>[ ]?(.*)"): lambda block: ">" in block,
    (HashHeaderProcessor, r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)"):
        lambda block: "#" in block,
    (SetextHeaderProcessor, r"^.*?\n(?:=+|-+)[ ]*(\n|$)"): lambda block: "\n=" in block or "\n-" in block,
    (HRProcessor, r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
                  r"(?P=atomicgroup)[ ]*$"):
        lambda block: block.count("-") >= 3 or block.count("_") >= 3 or block.count("*") >= 3,
}
# A link reference definition ("[id]: url") is looked for in run(), which puts the block back when there is
# none; every definition holds "]:".
REFERENCE = (ReferenceProcessor, r"^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?"
                                 r'((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$')


def expression(processor: object) -> str | None:
    pattern = getattr(processor, "SEARCH_RE", None) or getattr(processor, "RE", None)
    return getattr(pattern, "pattern", pattern)


class QuickBlocks(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        for processor in md.parser.blockprocessors:
            kind = (type(processor), expression(processor))
            held = TESTS_HELD.get(kind)
            if held is not None:
                processor.test = _probed(processor.test, held)
            elif kind == REFERENCE:
                processor.run = _reference_probed(processor.run)


def _probed(test: Callable, held: Held) -> Callable:
    def probed_test(parent, block: str) -> bool:
        return held(block) and test(parent, block)
    return probed_test


def _reference_probed(run: Callable) -> Callable:
    def probed_run(parent, blocks: list[str]) -> bool:
        if "]:" not in blocks[0]:
            return False  # what run() returns after finding nothing, with the block put back where it was
        return run(parent, blocks)
    return probed_run
