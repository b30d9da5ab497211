"""Lighthouse audit of the built site: `make audit`.

Builds the bundled glossary under a sub-path, serves it on localhost, runs
Lighthouse (Node, driving the system Chromium) on the home page, a term page
and a lesson page, and prints the four category scores. Exits 1 if any score
is under the bar.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM_ARGS, serve  # noqa: E402  (the tests' server and browser settings)
from conftest import chromium_path  # noqa: E402

BAR = 0.95
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"home": "", "term": "terms/microservices/", "lesson": "lessons/saga-pattern/"}
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"


def build_site(root: Path) -> None:
    subprocess.run([str(Path(sys.executable).parent / "glossary"), "build", str(ROOT), "-o", str(root / "glossary")],
                   check=True)


def lighthouse(url: str, preset: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                   f"--only-categories={','.join(CATEGORIES)}",
                   f"--chrome-flags={' '.join(['--headless=new', *CHROMIUM_ARGS])}"]
        if preset:
            command.append(f"--preset={preset}")
        subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chromium_path() or ""},
                       capture_output=True, timeout=300)
        data = json.loads(report.read_text())
    return {name: data["categories"][name]["score"] for name in CATEGORIES}


def audit(preset: str | None = None) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build_site(root)
        with serve(root) as origin:
            return {page: lighthouse(f"{origin}/glossary/{path}", preset) for page, path in PAGES.items()}


def main() -> int:
    results = {"mobile": audit(), "desktop": audit("desktop")}
    failed = False
    print(f"{'page':8} {'form':8} " + " ".join(f"{name:>15}" for name in CATEGORIES))
    for form, pages in results.items():
        for page, scores in pages.items():
            print(f"{page:8} {form:8} " + " ".join(f"{scores[name]:>15.2f}" for name in CATEGORIES))
            failed |= any(score < BAR for score in scores.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
