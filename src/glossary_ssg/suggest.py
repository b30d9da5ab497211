"""Did-you-mean suggestions shared by every phase that reports an unknown name."""

from __future__ import annotations

import difflib
from typing import Iterable


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `word` (ignoring case), or None when nothing is close."""
    by_lower: dict[str, str] = {}
    for candidate in sorted(set(candidates)):
        by_lower.setdefault(candidate.lower(), candidate)
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[close[0]] if close else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint such as "did you mean 'paxos'?", or None when nothing is close."""
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else None
