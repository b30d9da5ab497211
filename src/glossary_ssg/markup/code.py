"""Highlight code at build time with Pygments, by the fence's language only: never a guess."""

from __future__ import annotations

import html
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from glossary_ssg import limits
from glossary_ssg.limits import time_budget

PLAIN_LANGUAGES = frozenset({"", "text", "plain", "plaintext", "txt", "none"})


@lru_cache(maxsize=None)
def lexer_for(language: str) -> Lexer | None:
    """The lexer a fence names, or None for plain text and for names Pygments does not know."""
    if language in PLAIN_LANGUAGES:
        return None
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def is_known_language(language: str) -> bool:
    return language in PLAIN_LANGUAGES or lexer_for(language) is not None


@lru_cache(maxsize=None)
def _spans_formatter() -> HtmlFormatter:
    """One formatter for every block: making one builds a whole stylesheet we never use."""
    return HtmlFormatter(nowrap=True)


def render_code(code: str, language: str, line_numbers: bool) -> str:
    """A code block as HTML: highlighted spans, or plain escaped text when the language is unknown.
    The <pre> takes keyboard focus so a reader without a mouse can scroll a long line."""
    lexer = lexer_for(language)
    label = html.escape(language) if lexer is not None else ""
    if lexer is None:
        body = _number_lines(html.escape(code).split("\n")) if line_numbers else html.escape(code)
        inner = f'<pre tabindex="0"><code>{body}</code></pre>'
    else:
        with time_budget(limits.HIGHLIGHT_SECONDS):  # TimeBudgetExceeded: the caller shows the block as plain text
            highlighted = highlight(code, lexer, _spans_formatter()).rstrip("\n")
        body = _number_lines(highlighted.split("\n")) if line_numbers else highlighted
        inner = f'<pre tabindex="0"><code class="language-{label}">{body}</code></pre>'
    classes = "highlight code-block" + (" line-numbers" if line_numbers else "")
    data = f' data-language="{label}"' if label else ""
    return f'<div class="{classes}"{data}>{inner}</div>'


def _number_lines(lines: list[str]) -> str:
    # Numbers are drawn by CSS from this span, so copying the code copies no numbers.
    return "\n".join(f'<span class="line">{line}</span>' for line in lines)


def highlight_css() -> str:
    """Pygments colours: a light style, and a dark one for the dark theme (chosen, or preferred and not overridden)."""
    light = HtmlFormatter(style="xcode").get_style_defs(".highlight")  # every colour passes WCAG AA on its background
    dark = HtmlFormatter(style="github-dark")
    chosen = dark.get_style_defs(':root[data-theme="dark"] .highlight')
    preferred = dark.get_style_defs(':root:not([data-theme="light"]) .highlight')
    indented = "\n".join("  " + line for line in preferred.splitlines())
    return f"{light}\n{chosen}\n@media (prefers-color-scheme: dark) {{\n{indented}\n}}\n"
