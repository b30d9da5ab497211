"""What changed since the last build of an output folder, from file stats alone.

At 10,000 terms the stats of every input and output file take as long as the
rest of a small rebuild, so each set is taken on a process of its own
(parallel.Pending): the inputs' while this one loads the last build's state,
the outputs' while it reads what a quick rebuild needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from glossary_ssg.build_state import BuildState
from glossary_ssg.inputs import Stat, changed_inputs
from glossary_ssg.writer import outputs_unchanged


@dataclass(frozen=True)
class Found:
    stats: dict[str, Stat]  # every input file's stat now
    changed: set[str] | None  # inputs that may differ from how the last build read them; None: anything may


def outputs_as_left(state: BuildState, output_dir: Path) -> bool:
    """Whether the output folder holds exactly what the last build wrote."""
    return outputs_unchanged(output_dir, {name: out.stat for name, out in state.outputs.items()}, state.folders)


def find_changes(project_dir: Path, stats: dict[str, Stat], state: BuildState,
                 outputs_intact: Callable[[], bool]) -> Found:
    """`stats`: every input file's stat now (inputs.input_stats). `outputs_intact` says whether the output
    folder can be compared with the last build's state (it is ours, was built with the same settings and was
    not changed since)."""
    changed = changed_inputs(state.inputs, stats, state.started_ns, project_dir) if outputs_intact() else None
    return Found(stats, changed)
