"""V8 renders the diagrams it renders as QuickJS does, QuickJS the rest; a stopped worker leaves no process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import live_processes

from glossary_ssg.diagrams.engine_choice import QUICKJS, V8, V8_KINDS, diagram_kind, engine_for
from glossary_ssg.diagrams.mermaidx_renderer import MermaidxRenderer, _in_quickjs, _in_v8, render_one
from glossary_ssg.diagrams.renderer import DiagramJob

# One diagram of each kind V8 may take, with the text most likely to differ: kerned pairs (AV, To, Wa).
SAMPLES = {
    "flowchart": 'flowchart LR\n  A["AVAWAY To Wa"] --> B{Yes?}\n  B -->|"ok, Ty"| C(("Tea"))',
    "graph": "graph TD\n  Client --> Gateway\n  Gateway -.-> Payments",
    "sequenceDiagram": "sequenceDiagram\n  autonumber\n  Alice->>Bob: Hello AV\n  Bob-->>Alice: Yo, Tom",
    "classDiagram": 'classDiagram\n  Customer "1" --> "*" Ticket',  # its label positions differ in the last bit
    "stateDiagram": "stateDiagram\n  [*] --> Waiting\n  Waiting --> Away\n  Away --> [*]",
    "stateDiagram-v2": "stateDiagram-v2\n  [*] --> Still\n  Still --> Moving : AV\n  Moving --> [*]",
    "erDiagram": "erDiagram\n  CUSTOMER ||--o{ ORDER : places\n  ORDER ||--|{ LINE-ITEM : contains",
    "gantt": "gantt\n  title Plan\n  dateFormat YYYY-MM-DD\n  section Work\n  Task one :a1, 2024-01-01, 30d\n"
             "  Task two :after a1, 20d",
    "pie": 'pie title Pets\n  "Dogs" : 386\n  "Cats" : 85\n  "Rats" : 15',
    "journey": "journey\n  title Day\n  section Work\n    Make tea: 5: Me\n    Travel: 2: Me, Tom",
    "timeline": "timeline\n  title History\n  2002 : LinkedIn\n  2004 : Facebook : Google",
    "quadrantChart": "quadrantChart\n  title Reach\n  x-axis Low --> High\n  y-axis Low --> High\n"
                     "  Away: [0.3, 0.6]",
}


def test_every_kind_v8_takes_has_a_sample() -> None:
    assert set(SAMPLES) == V8_KINDS
    assert {diagram_kind(source) for source in SAMPLES.values()} == V8_KINDS


def _to_thousandths(svg: str) -> str:
    """The engines' Math functions can differ in a coordinate's last bit (a class diagram's labels do)."""
    return re.sub(r"-?\d+\.\d+", lambda number: f"{float(number.group()):.3f}", svg)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_v8_renders_each_kind_as_quickjs_does(kind: str) -> None:
    job = DiagramJob(SAMPLES[kind], "dark" if kind in {"pie", "gantt"} else "light")
    assert engine_for(job.source) == V8
    v8 = _in_v8(job)
    assert v8 is not None and _to_thousandths(v8) == _to_thousandths(_in_quickjs(job))


def test_the_cache_key_names_v8_and_the_kinds_it_takes() -> None:
    identity = MermaidxRenderer().identity()
    assert identity.startswith("mermaidx ") and ", V8 0." in identity
    assert all(kind in identity for kind in V8_KINDS)


def test_diagram_kind_skips_front_matter_directives_and_comments() -> None:
    assert diagram_kind("---\ntitle: Flow\n---\n%%{init: {'theme': 'forest'}}%%\n%% note\n\ngraph LR; A-->B") == "graph"
    assert diagram_kind("  flowchart LR\n  A --> B") == "flowchart"
    assert diagram_kind("%% only a comment") == ""


@pytest.mark.parametrize("source", [
    "mindmap\n  root((Root))\n    A",  # mermaidx cannot stop a mindmap in V8
    "gitGraph\n  commit\n  commit",
    "architecture-beta\n  service db(database)[Database]",  # a kind not compared
    'flowchart LR\n  A["Straße"] --> B',  # kerning between letters beyond ASCII is not in V8's table
])
def test_quickjs_renders_what_v8_might_not_render_alike(source: str) -> None:
    assert engine_for(source) == QUICKJS


def test_interfaces_render_as_quickjs_does() -> None:
    job = DiagramJob("classDiagram\n  class Animal {\n    <<interface>>\n    +String name\n    +eat() void\n  }\n"
                     "  Animal <|-- Duck", "light")
    assert render_one(job).svg == _in_quickjs(job)


def test_text_mermaid_adds_beyond_ascii_goes_back_to_quickjs() -> None:
    # Mermaid writes <<AVATAR>> as «AVATAR», and V8 would not kern «A.
    job = DiagramJob("classDiagram\n  class Animal {\n    <<AVATAR>>\n    +String name\n  }\n  Animal <|-- Duck",
                     "light")
    assert engine_for(job.source) == V8
    quickjs = _in_quickjs(job)
    assert _in_v8(job) != quickjs
    assert render_one(job).svg == quickjs


def test_non_ascii_labels_render_as_quickjs_does() -> None:
    job = DiagramJob('flowchart LR\n  A["Ťéŵ ÀVÅ Straße"] --> B["«Δ» Ωmega"]', "light")
    quickjs = _in_quickjs(job)
    assert _in_v8(job) != quickjs  # the reason V8 does not take it
    assert render_one(job).svg == quickjs


def test_a_mermaid_error_is_mermaids_message() -> None:
    result = render_one(DiagramJob("flowchart LR\n  A --> --> B", "light"))
    assert result.svg is None and result.error is not None
    assert result.error.startswith("Error: Parse error on line 2:")


SHOW_ENGINE = """
import multiprocessing, sys
from glossary_ssg.diagrams.mermaidx_renderer import render_one
from glossary_ssg.diagrams.renderer import DiagramJob
assert render_one(DiagramJob(sys.argv[1], "light")).svg
print(len(multiprocessing.active_children()))  # V8 runs in a process of its own, QuickJS in this one
"""


@pytest.mark.parametrize("source, processes", [("flowchart LR\n  A --> B", "1"),
                                               ("mindmap\n  root((Root))\n    A", "0")])
def test_v8_renders_the_diagrams_it_takes(source: str, processes: str) -> None:
    result = subprocess.run([sys.executable, "-c", SHOW_ENGINE, source], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == processes


RENDER_IN_POOL = """
import signal, sys
from glossary_ssg import limits
from glossary_ssg.diagrams.mermaidx_renderer import MermaidxRenderer
from glossary_ssg.diagrams.renderer import DiagramJob
limits.DIAGRAM_SECONDS = float(sys.argv[3])
if __name__ == "__main__":  # a spawned worker imports this file too, and must not take Ctrl-C back
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as on a terminal, even in the background
    try:
        [result] = MermaidxRenderer(workers=1).render([DiagramJob(sys.argv[1], "light")], lambda done: None)
        outcome = result.error or "rendered"
    except KeyboardInterrupt:
        outcome = "interrupted"
    with open(sys.argv[2], "w") as file:  # not stdout, which a process left behind would hold open
        file.write(outcome)
"""


def _render_in_a_session(source: str, tmp_path: Path, budget: float = 2, interrupt_after: float | None = None) -> str:
    """Render `source` on a pool in a process of its own session (Ctrl-C to the whole session after
    `interrupt_after` seconds); returns the outcome once every process of that session has ended."""
    script = tmp_path / "render_in_pool.py"
    script.write_text(textwrap.dedent(RENDER_IN_POOL))
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, script, source, tmp_path / "outcome", str(budget)],
                               start_new_session=True, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    if interrupt_after is not None:
        time.sleep(interrupt_after)
        os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=90)
    assert process.returncode == 0 and "Traceback" not in stderr, stderr
    assert time.monotonic() - started < 45
    deadline = time.monotonic() + 2  # multiprocessing's resource tracker may take a moment to see its pipe close
    while live_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert live_processes(process.pid) == []
    return (tmp_path / "outcome").read_text()


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("label", ["node", "nœud"])  # V8 and QuickJS
def test_a_worker_stopped_mid_render_leaves_no_process(label: str, tmp_path: Path) -> None:
    edges = "\n".join(f"  {label}{i} --> {label}{j}" for i in range(22) for j in range(22) if i != j)
    assert _render_in_a_session(f"flowchart LR\n{edges}", tmp_path) == "Mermaid took longer than 2 s to render it"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_a_pool_stops_once_its_worker_has_run_quickjs(tmp_path: Path) -> None:
    # The worker holds a QuickJS thread, and its stop must not wait for that thread.
    # Its budget leaves room for a busy machine: the stop is what is tested, not the render's time.
    assert _render_in_a_session("mindmap\n  root((Root))\n    A", tmp_path, budget=30) == "rendered"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("label, after", [("node", 0.3), ("node", 4), ("nœud", 4)])  # booting; in V8; in QuickJS
def test_ctrl_c_stops_the_pool_without_a_traceback(label: str, after: float, tmp_path: Path) -> None:
    edges = "\n".join(f"  {label}{i} --> {label}{j}" for i in range(22) for j in range(22) if i != j)
    assert _render_in_a_session(f"flowchart LR\n{edges}", tmp_path, budget=60, interrupt_after=after) == "interrupted"
