"""glossary graph --format json|dot|mermaid exports the same typed edges."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import VALID_SITE, run_cli

from glossary_ssg.diagrams.mermaidx_renderer import render_one
from glossary_ssg.diagrams.renderer import DiagramJob


def test_json_export() -> None:
    result = run_cli("graph", VALID_SITE, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"kind": "see_also", "from": "term:cache", "to": "term:replica"} in data["edges"]
    assert {"kind": "prerequisite", "from": "lesson:cache-patterns", "to": "lesson:caching-basics"} in data["edges"]
    assert {"kind": "covers", "from": "lesson:replication-basics", "to": "term:replica"} in data["edges"]
    assert {n["id"] for n in data["nodes"]} >= {"term:cache", "lesson:caching-basics"}


def test_mermaid_export_renders() -> None:
    source = run_cli("graph", VALID_SITE, "--format", "mermaid").stdout
    assert source.startswith("flowchart LR\n")
    assert render_one(DiagramJob(source, "light")).svg is not None


def test_dot_export_is_valid_graphviz() -> None:
    dot = run_cli("graph", VALID_SITE, "--format", "dot").stdout
    assert dot.startswith("digraph glossary {") and '"term:cache" -> "term:replica" [label="see_also"];' in dot
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed to parse the output")
    subprocess.run(["dot", "-Tsvg"], input=dot, text=True, check=True, capture_output=True)
