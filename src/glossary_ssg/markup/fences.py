"""Find fenced code blocks in a Markdown body, with the file line of each opening fence.

One scanner serves the checks (unknown languages, diagram syntax errors,
reported at the fence's line) and the renderer (which replaces the same
blocks), so both always agree on what a block is.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

# Any indentation: a fence indented under a list item belongs to that item.
MERMAID = "mermaid"  # the fence language that makes a diagram
# The warning for a fence in a language Pygments does not know (markup/checks.py): made per file, so a quick
# build makes it again.
UNKNOWN_LANGUAGE = "unknown-language"

_OPENING = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")
# An info string without quotes, backslashes or control characters (tabs aside) splits as shlex splits it.
_NEEDS_SHLEX = re.compile(r"['\"\\\x00-\x08\x0a-\x1f\x7f]")


@dataclass(frozen=True)
class Fence:
    language: str  # "" when the fence names none
    options: Mapping[str, str]  # key="value" words after the language, e.g. linenums, caption
    code: str
    first_line: int  # index in the body's lines of the opening fence
    last_line: int  # index of the closing fence (or the last line when unclosed)
    indent: int  # spaces before the opening fence


@lru_cache(maxsize=32768)  # a quick build looks at the fences of its entries several times
def scan_fences(body: str) -> tuple[Fence, ...]:
    if "```" not in body and "~~~" not in body:  # most texts (quiz texts, plain bodies): no line opens a fence
        return ()
    return scan_lines(body)


def scan_lines(body: str) -> tuple[Fence, ...]:
    """Every line tried as an opening fence (scan_fences first looks for what every opening fence holds)."""
    lines = body.split("\n")
    fences, index = [], 0
    while index < len(lines):
        match = _OPENING.match(lines[index])
        if not match:
            index += 1
            continue
        fence, indent = match.group("fence"), len(match.group("indent"))
        closing = re.compile(rf"^ *{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = next((i for i in range(index + 1, len(lines)) if closing.match(lines[i])), len(lines))
        code = "\n".join(_dedent(line, indent) for line in lines[index + 1:end])
        language, options = parse_info(match.group("info"))
        fences.append(Fence(language, options, code, index, min(end, len(lines) - 1), indent))
        index = end + 1
    return tuple(fences)


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """'python linenums caption="A b"' -> ("python", {"linenums": "", "caption": "A b"})."""
    info = info.strip().strip("{}").strip()
    if info.isascii() and _NEEDS_SHLEX.search(info) is None:
        words = info.split()  # most fences: one word, such as "python"; shlex takes 15 µs to split it
    else:
        words = _shell_words(info)
    language = words[0].lstrip(".").lower() if words and "=" not in words[0] else ""
    options = {}
    for word in words[1 if language else 0:]:
        key, _, value = word.partition("=")
        options[key.lstrip(".")] = value
    return language, options


def _shell_words(info: str) -> list[str]:
    try:
        return shlex.split(info)
    except ValueError:
        return info.split()


def _dedent(line: str, indent: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, indent):]
