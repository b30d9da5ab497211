"""Diagnostics: what went wrong, where, and how to fix it.

Phases report problems as `Diagnostic` values, so one run can show a
contributor every problem at once. Only two exceptions reach the command
line: `UsageError` (the command was pointed at the wrong thing) and
`ContentErrors` (the content has errors, carried as diagnostics). Anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Iterable, NamedTuple


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"  # advice that never fails a build, even with --strict


class Location(NamedTuple):
    """A place in a source file; path is relative to the project, lines and columns are 1-based.

    A named tuple, not a dataclass: every front matter value has one, and at 10,000 terms the build cache
    loads 275,000 of them; a tuple is made and unpickled in half the time."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.col or 1}"


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    code: str
    message: str
    location: Location
    hint: str | None = None

    def format(self) -> str:
        text = f"{self.location}: {self.level.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def sort_key(self) -> tuple:
        return (self.location, self.message)


def error(code: str, message: str, location: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(Level.ERROR, code, message, location, hint)


def warning(code: str, message: str, location: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(Level.WARNING, code, message, location, hint)


def note(code: str, message: str, location: Location, hint: str | None = None) -> Diagnostic:
    return Diagnostic(Level.NOTE, code, message, location, hint)


def strict(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """With --strict a warning is an error; notes stay advice."""
    return tuple(
        replace(d, level=Level.ERROR) if d.level is Level.WARNING else d for d in diagnostics
    )


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)


def summary_line(diagnostics: Iterable[Diagnostic]) -> str:
    diagnostics = tuple(diagnostics)
    errors = sum(d.level is Level.ERROR for d in diagnostics)
    warnings = sum(d.level is Level.WARNING for d in diagnostics)
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class UsageError(Exception):
    """The command was pointed at the wrong place; exit code 2, no traceback."""


class ContentErrors(Exception):
    """The content has errors; the diagnostics say which. Exit code 1, no traceback."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]):
        super().__init__(summary_line(diagnostics))
        self.diagnostics = diagnostics

    def __reduce__(self):  # so a worker process can hand them back
        return ContentErrors, (self.diagnostics,)
