"""Replace fenced blocks with finished HTML before Markdown sees the text.

Diagrams and highlighted code are rendered by us, not by Markdown
extensions, so the same fence scanner decides what a block is for the
checks and for the page. Each block becomes a token paragraph that is
swapped for its HTML after conversion.
"""

from __future__ import annotations

import hashlib
import re
from typing import Callable

from glossary_ssg.markup.fences import MERMAID, Fence, scan_fences

_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")

RenderFence = Callable[[Fence, int, str | None], str]  # fence, index among its kind, nearest heading -> HTML


def extract_blocks(body: str, render_fence: RenderFence) -> tuple[str, dict[str, str]]:
    """The body with each fence replaced by a token line, and the HTML for each token."""
    lines = body.split("\n")
    salt = hashlib.sha256(body.encode()).hexdigest()[:16]  # content cannot forge a token it cannot predict
    blocks: dict[str, str] = {}
    output: list[str] = []
    position, heading = 0, None
    counts: dict[bool, int] = {}
    for fence in scan_fences(body):
        for line in lines[position:fence.first_line]:
            heading = _heading(line) or heading
        output.extend(lines[position:fence.first_line])
        is_diagram = fence.language == MERMAID
        counts[is_diagram] = counts.get(is_diagram, 0) + 1
        token = f"glossaryblock{salt}n{len(blocks)}"
        blocks[token] = render_fence(fence, counts[is_diagram], heading)
        indent = " " * fence.indent  # keeps the block inside the list item it was written in
        output.extend(["", indent + token, ""])
        position = fence.last_line + 1
    output.extend(lines[position:])
    return "\n".join(output), blocks


def restore_blocks(html: str, blocks: dict[str, str]) -> str:
    """Swap each token for its HTML: as a paragraph of its own, or bare inside raw HTML the author wrote."""
    for token, block in blocks.items():
        html = html.replace(f"<p>{token}</p>", block).replace(token, block)
    return html


def _heading(line: str) -> str | None:
    match = _ATX_HEADING.match(line)
    return match.group(1) if match else None
