"""Spread pure work over processes: Markdown and templates are CPU-bound Python, so threads would not help.

Workers are forked, so they start with the graph, the items and everything
else already in memory; only their share's number goes out and results come back. A fork is only safe from a process
with one thread, so from `glossary serve` (which has several) or where fork
does not exist, or for little work, everything runs in this process instead.
The results are the same either way, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 200  # below this, starting processes costs more than it saves

_work: Callable | None = None  # what the forked workers run, and on what: set just before forking
_items: Sequence = ()


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_in_processes(work: Callable[[Item], Result], items: Sequence[Item], workers: int) -> list[Result]:
    workers = min(workers, len(items) // MIN_ITEMS_PER_WORKER)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return [work(item) for item in items]
    global _work, _items
    _work, _items = work, items
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_run_share, [(start, workers) for start in range(workers)])  # only indexes travel
    finally:
        _work, _items = None, ()
    results: list = [None] * len(items)
    for start, part in enumerate(parts):
        results[start::workers] = part  # interleaved shares: similar work in each
    return results


def _run_share(share: tuple[int, int]) -> list:
    start, step = share
    assert _work is not None
    return [_work(item) for item in _items[start::step]]
