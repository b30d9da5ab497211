"""Diagnostics for people, for GitHub Actions, and for programs.

- text: `path:line:col: level: message (hint)`, then a summary line.
- github: workflow commands (`::error file=…,line=…,col=…,title=…::message`), which GitHub shows
  on the pull request's changed lines. Text from contributors is escaped as the runner requires,
  so a message cannot end its command early or start another.
- json: one object with a stable shape, documented in the README:
  {"version": 1, "errors": N, "warnings": N, "diagnostics": [{"level", "code", "message", "hint",
   "file", "line", "column"}]}
"""

from __future__ import annotations

import json
from typing import Iterable

from glossary_ssg.errors import Diagnostic, Level, summary_line

FORMATS = ("text", "github", "json")
JSON_VERSION = 1


def format_diagnostics(diagnostics: Iterable[Diagnostic], form: str) -> str:
    diagnostics = tuple(diagnostics)
    if form == "json":
        return _json(diagnostics)
    if form == "github":
        return "".join(_workflow_command(d) + "\n" for d in diagnostics)
    lines = [d.format() for d in diagnostics]
    return "\n".join(lines + [summary_line(diagnostics)]) + "\n" if diagnostics else ""


def _json(diagnostics: tuple[Diagnostic, ...]) -> str:
    return json.dumps({
        "version": JSON_VERSION,
        "errors": sum(d.level is Level.ERROR for d in diagnostics),
        "warnings": sum(d.level is Level.WARNING for d in diagnostics),
        "diagnostics": [{"level": d.level.value, "code": d.code, "message": d.message, "hint": d.hint,
                         "file": d.location.path, "line": d.location.line or None,
                         "column": d.location.col or None} for d in diagnostics],
    }, indent=2, ensure_ascii=False) + "\n"


def _workflow_command(diagnostic: Diagnostic) -> str:
    command = {"error": "error", "warning": "warning", "note": "notice"}[diagnostic.level.value]
    properties = [f"file={_property(diagnostic.location.path)}"]
    if diagnostic.location.line:
        properties += [f"line={diagnostic.location.line}", f"col={diagnostic.location.col or 1}"]
    properties.append(f"title={_property(f'glossary {diagnostic.code}')}")
    message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    return f"::{command} {','.join(properties)}::{_data(message)}"


def _data(text: str) -> str:
    """The escaping the Actions runner applies to a command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """The escaping the Actions runner applies to a command's properties."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
