"""How long an edit takes to show in the browser under `glossary serve`, in real headless Chromium.

Serves a generated glossary, opens one term's page, edits that term's definition
on disk, and times until the new words are on the page the browser shows (the
server notices the change, rebuilds incrementally, and the page reloads itself).

    python bench/serve_latency.py PROJECT [--edits 5] [--port 8765]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"glossary serve stopped: {process.stderr.read() if process.stderr else ''}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("glossary serve did not start")


def measure(project: Path, edits: int, port: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    term = sorted((project / "content" / "terms").glob("*.md"))[len(list((project / "content" / "terms")
                                                                        .glob("*.md"))) // 3]
    base_path = "/glossary/"  # the generator's base_url is https://example.org/glossary/
    url = f"http://127.0.0.1:{port}{base_path}terms/{term.stem}/"
    server = subprocess.Popen([str(Path(sys.executable).parent / "glossary"), "serve", str(project), "--port",
                               str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    samples = []
    try:
        wait_until_serving(url, server)
        chromium = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(url)
            for number in range(edits):
                marker = f"Edited in the browser test {number} {time.time_ns()}"
                text = term.read_text()
                lines = [f"summary: {marker}." if line.startswith("summary:") else line for line in text.split("\n")]
                time.sleep(1.0)  # let the watcher settle between edits
                started = time.perf_counter()
                term.write_text("\n".join(lines))
                page.wait_for_function("marker => document.body && document.body.innerText.includes(marker)",
                                       arg=marker, timeout=60_000, polling=20)
                samples.append(time.perf_counter() - started)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    samples = measure(args.project, args.edits, args.port)
    print(f"edit to browser: median {statistics.median(samples):.2f} s, max {max(samples):.2f} s "
          f"over {len(samples)} edits: " + ", ".join(f"{s:.2f}" for s in samples))


if __name__ == "__main__":
    main()
