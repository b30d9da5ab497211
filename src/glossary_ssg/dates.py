"""When each content file last changed: from SOURCE_DATE_EPOCH, or from git history, never the clock.

The same checkout therefore gives the same dates, and so the same feed,
on every machine and at every time of day.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Iterable, Mapping

from glossary_ssg.fingerprint import of_text
from glossary_ssg.memo import Recall
from glossary_ssg.model import frozen_map


def content_dates(project_dir: Path, sources: Iterable[str], memo: Recall | None = None) -> Mapping[str, int]:
    """Source path -> Unix time of its last change: SOURCE_DATE_EPOCH for all if set, else the last commit
    that touched it (files git does not know get the newest commit's time), else 0."""
    sources = list(sources)
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if fixed.isdigit():
        return frozen_map((source, int(fixed)) for source in sources)
    commit = _rev_parse(project_dir)  # "" outside a repository: nothing to remember dates by
    key = of_text("git-history", str(project_dir.resolve()), commit)
    if memo is not None and commit and key in memo:  # the history up to a commit never changes
        history = memo.get(key, dict)
    else:
        history = _git_history(project_dir)
        if memo is not None and commit and history is not None:  # a failed call is not remembered
            memo.put(key, history)
    history = history or {}
    newest = max(history.values(), default=0)
    return frozen_map((source, history.get(source, newest)) for source in sources)


def date_source(project_dir: Path) -> str:
    """What the dates come from, as a string that changes whenever they may: the fixed epoch, or the commit
    and whether history is shallow (deepening a clone changes dates without changing the commit)."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return f"epoch {fixed}" if fixed.isdigit() else f"git {_rev_parse(project_dir)}"


def _rev_parse(project_dir: Path) -> str:
    """"<shallow: true|false> <commit>", or "" outside a repository."""
    try:
        result = subprocess.run(["git", "-C", str(project_dir), "rev-parse", "--is-shallow-repository", "HEAD"],
                                capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return " ".join(result.stdout.split()) if result.returncode == 0 else ""


def _git_history(project_dir: Path) -> dict[str, int] | None:
    """Path (relative to the project) -> time of the newest commit that touched it, in one git call;
    None when git cannot tell."""
    try:
        result = subprocess.run(["git", "-C", str(project_dir), "log", "--format=%x00%ct", "--name-only",
                                 "--relative", "--no-renames", "--", "content"],
                                capture_output=True, text=True, encoding="utf-8", check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    times: dict[str, int] = {}
    for commit in result.stdout.split("\x00")[1:]:
        lines = [line for line in commit.splitlines() if line.strip()]
        if not lines or not lines[0].strip().isdigit():
            continue
        when = int(lines[0])
        for path in lines[1:]:
            times.setdefault(path.strip(), when)  # newest first: the first time a path appears is its last change
    return times
