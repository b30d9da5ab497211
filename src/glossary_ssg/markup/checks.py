"""Checks on fenced blocks that need no rendering: a code language Pygments does not know."""

from __future__ import annotations

from glossary_ssg.errors import Diagnostic, Location, warning
from glossary_ssg.graph import Graph
from glossary_ssg.markup.code import is_known_language
from glossary_ssg.markup.fences import scan_fences
from glossary_ssg.markup.texts import markdown_texts
from glossary_ssg.suggest import did_you_mean


def check_fences(graph: Graph) -> tuple[Diagnostic, ...]:
    found = []
    for entry in [*graph.terms.values(), *graph.lessons.values()]:
        for text, first_line in markdown_texts(entry):
            for fence in scan_fences(text):
                if fence.language == "mermaid" or is_known_language(fence.language):
                    continue
                found.append(warning(
                    "unknown-language", f"unknown code language '{fence.language}': the block is shown as plain text",
                    Location(entry.source, first_line + fence.first_line, 1),
                    did_you_mean(fence.language, _common_languages()) or "use a Pygments lexer name such as 'python'"))
    return tuple(found)


def _common_languages() -> list[str]:
    return ["bash", "c", "cpp", "csharp", "css", "diff", "go", "graphql", "html", "http", "ini", "java",
            "javascript", "json", "kotlin", "nginx", "protobuf", "python", "ruby", "rust", "scala", "shell",
            "sql", "text", "toml", "typescript", "xml", "yaml"]
