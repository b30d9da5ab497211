"""The reference renderer: the official @mermaid-js/mermaid-cli driving a local Chromium or Chrome.

It needs Node.js and `npm install @mermaid-js/mermaid-cli@11` in the project
(or any folder above it, or GLOSSARY_NODE_MODULES). One browser renders every
diagram of a build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Sequence

from glossary_ssg.diagrams.renderer import (
    MERMAID_CONFIG,
    THEMES,
    DiagramJob,
    Progress,
    Rendered,
    RendererUnavailable,
)

_SCRIPT = Path(__file__).with_name("mmdc_batch.mjs")
_CLI_PACKAGE = Path("@mermaid-js") / "mermaid-cli"
_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


class MmdcRenderer:
    name = "mmdc"

    def __init__(self, project_dir: Path):
        self.node = shutil.which("node")
        if self.node is None:
            raise RendererUnavailable("the mmdc renderer needs Node.js ('node' is not on PATH)")
        self.modules = find_node_modules(project_dir)
        self.browser = find_browser()

    def identity(self) -> str:
        cli = json.loads((self.modules / _CLI_PACKAGE / "package.json").read_text())["version"]
        mermaid = json.loads((self.modules / "mermaid" / "package.json").read_text())["version"]
        return f"mermaid-cli {cli} mermaid {mermaid}"

    def render(self, jobs: Sequence[DiagramJob], progress: Progress) -> list[Rendered]:
        if not jobs:
            return []
        request = {
            "jobs": [{"source": job.source, "theme": THEMES[job.variant]} for job in jobs],
            "config": MERMAID_CONFIG,
            "executablePath": self.browser,
        }
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        # stderr goes to a file: the browser's console chatter could fill a pipe and stall the batch.
        with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as stderr, subprocess.Popen(
                [self.node, str(_SCRIPT), str(self.modules)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=stderr, text=True, encoding="utf-8", env=env) as process:
            assert process.stdin and process.stdout
            results = []
            try:
                process.stdin.write(json.dumps(request))
                process.stdin.close()
                for line in process.stdout:
                    answer = json.loads(line)
                    results.append(Rendered(svg=answer.get("svg"), error=answer.get("error")))
                    progress(1)
            except (BrokenPipeError, json.JSONDecodeError):
                process.kill()
            failed = process.wait() != 0
            stderr.seek(0)
            if failed or len(results) != len(jobs):
                raise RendererUnavailable(f"mermaid-cli stopped before rendering every diagram: "
                                          f"{stderr.read().strip()[-2000:]}")
        return results


def find_node_modules(project_dir: Path) -> Path:
    """The node_modules folder holding mermaid-cli: GLOSSARY_NODE_MODULES, or the nearest one above the project."""
    configured = os.environ.get("GLOSSARY_NODE_MODULES")
    candidates = [Path(configured)] if configured else [
        folder / "node_modules" for folder in [project_dir.resolve(), *project_dir.resolve().parents]]
    for candidate in candidates:
        if (candidate / _CLI_PACKAGE / "package.json").is_file():
            return candidate
    raise RendererUnavailable("the mmdc renderer needs mermaid-cli: run 'npm install @mermaid-js/mermaid-cli@11' "
                              "in the project, or set GLOSSARY_NODE_MODULES to a node_modules folder that has it")


def find_browser() -> str | None:
    """The browser puppeteer should drive: PUPPETEER_EXECUTABLE_PATH, CHROME_PATH, or a system Chromium."""
    for variable in ("PUPPETEER_EXECUTABLE_PATH", "CHROME_PATH"):
        if os.environ.get(variable):
            return os.environ[variable]
    return next((path for path in _BROWSERS if Path(path).exists()), None)
