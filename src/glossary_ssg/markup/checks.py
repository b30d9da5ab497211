"""Checks on fenced blocks that need no rendering: a code language Pygments does not know."""

from __future__ import annotations

from typing import Iterable

from glossary_ssg.errors import Diagnostic, Location, warning
from glossary_ssg.graph import Graph
from glossary_ssg.markup.code import is_known_language
from glossary_ssg.markup.fences import MERMAID, UNKNOWN_LANGUAGE, Fence
from glossary_ssg.markup.texts import entry_fences
from glossary_ssg.model import Lesson, Term
from glossary_ssg.suggest import did_you_mean


def check_fences(graph: Graph) -> tuple[Diagnostic, ...]:
    return fence_problems(entry_fences(graph))


def fence_problems(fences: Iterable[tuple[Term | Lesson, Fence, Location]]) -> tuple[Diagnostic, ...]:
    return tuple(
        warning(UNKNOWN_LANGUAGE, f"unknown code language '{fence.language}': the block is shown as plain text",
                where,
                did_you_mean(fence.language, _common_languages()) or "use a Pygments lexer name such as 'python'")
        for _, fence, where in fences
        if fence.language != MERMAID and not is_known_language(fence.language))


def _common_languages() -> list[str]:
    return ["bash", "c", "cpp", "csharp", "css", "diff", "go", "graphql", "html", "http", "ini", "java",
            "javascript", "json", "kotlin", "nginx", "protobuf", "python", "ruby", "rust", "scala", "shell",
            "sql", "text", "toml", "typescript", "xml", "yaml"]
