"""Results of pure work, reused from the last build: what a build asks for is looked up or computed.

Each table is keyed by a digest of everything its value depends on, so a hit is
always what computing would give. Only what this build asked for is kept for
the next, so the tables never grow past one build's worth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


class Recall:
    def __init__(self, previous: dict[str, Any] | None = None):
        self.previous = previous or {}
        self.kept: dict[str, Any] = {}

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        if key in self.kept:
            return self.kept[key]
        value = self.previous[key] if key in self.previous else compute()
        self.kept[key] = value
        return value

    def earlier(self, key: str) -> Any:
        """The last build's value, or None; it is kept only if put."""
        return self.previous.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self.kept or key in self.previous

    def put(self, key: str, value: Any) -> None:
        self.kept[key] = value

    @property
    def empty(self) -> bool:
        """Nothing to look up: a first build's."""
        return not self.previous and not self.kept


@dataclass
class Memos:
    """The tables of one build."""

    entries: Recall = field(default_factory=Recall)  # a file's parse and validation
    renders: Recall = field(default_factory=Recall)  # Markdown to HTML
    dates: Recall = field(default_factory=Recall)  # git history by commit
