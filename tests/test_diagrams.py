"""Diagrams: rendered by the real Mermaid engine at build time, cached, accessible, unique ids, safe."""

from __future__ import annotations

import base64
import json
import re
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import NODE_MODULES, chromium_path, entry, require, run_cli

FLOW = """```mermaid
flowchart LR
  A[Client] --> B[Gateway]
```"""
SEQUENCE = """```mermaid
sequenceDiagram
  accTitle: Checkout calls
  accDescr: The order service asks payments to charge the card.
  Orders->>Payments: charge
  Payments-->>Orders: ok
```"""


@pytest.fixture
def diagram_site(make_site):
    def make(body: str, **files: str) -> Path:
        return make_site({
            "content/terms/alpha.md": entry("Alpha", see_also="[beta]") + "\n## How it flows\n\n" + body + "\n",
            "content/terms/beta.md": entry("Beta", see_also="[alpha]"),
            **files,
        })
    return make


def build(project: Path, out: Path, *extra: str):
    result = run_cli("build", project, "-o", out, *extra)
    assert result.exit_code == 0, result.stderr
    return result


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(), "html.parser")


def test_cold_build_renders_every_diagram_and_warm_build_none(diagram_site, tmp_path: Path) -> None:
    project = diagram_site(FLOW + "\n\n" + SEQUENCE)
    cache = ["--cache-dir", str(tmp_path / "cache")]
    # two authored diagrams and two concept maps, each in a light and a dark variant
    assert "diagrams: 8 rendered, 0 reused" in build(project, tmp_path / "a", *cache).stdout
    assert "diagrams: 0 rendered, 8 reused" in build(project, tmp_path / "b", *cache).stdout
    term = project / "content/terms/alpha.md"
    term.write_text(term.read_text().replace("A[Client]", "A[Browser]"))
    assert "diagrams: 2 rendered, 6 reused" in build(project, tmp_path / "c", *cache).stdout
    assert (tmp_path / "b" / "terms/alpha/index.html").read_bytes() == (tmp_path / "a" / "terms/alpha/index.html").read_bytes()


def test_svg_comes_from_mermaid_with_both_variants(diagram_site, tmp_path: Path) -> None:
    build(diagram_site(FLOW), tmp_path / "out")
    page = soup_of(tmp_path / "out/terms/alpha/index.html")
    figure = page.select_one("figure#diagram-1")
    light, dark = figure.select_one(".diagram-light svg"), figure.select_one(".diagram-dark svg")
    assert light["aria-roledescription"] if light.has_attr("aria-roledescription") else True
    assert "Client" in light.get_text() and "Gateway" in light.get_text()
    assert "flowchart" in light["class"]
    assert str(light.style) != str(dark.style)  # the dark theme's colours differ
    assert page.find("script", src=re.compile("mermaid")) is None  # no Mermaid JavaScript for readers


def test_ids_are_unique_on_every_page(diagram_site, tmp_path: Path) -> None:
    build(diagram_site(FLOW + "\n\n" + FLOW + "\n\n" + SEQUENCE), tmp_path / "out")
    for page in (tmp_path / "out").rglob("*.html"):
        ids = Counter(tag["id"] for tag in soup_of(page).find_all(id=True))
        assert [i for i, n in ids.items() if n > 1] == [], page
    html = (tmp_path / "out/terms/alpha/index.html").read_text()
    # every reference inside the diagrams was renamed with its target
    assert "my-svg" not in html
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    assert {ref for ref in re.findall(r"url\(#([^)]+)\)", html) if not ref.endswith("gradient")} <= ids


def test_accessible_names_and_descriptions(diagram_site, tmp_path: Path) -> None:
    build(diagram_site(FLOW + "\n\n" + SEQUENCE), tmp_path / "out")
    page = soup_of(tmp_path / "out/terms/alpha/index.html")

    def labels(figure_id: str) -> tuple[str, str]:
        svg = page.select_one(f"figure#{figure_id} .diagram-light svg")
        assert svg["role"] == "img"
        title = page.find(id=svg["aria-labelledby"]).get_text()
        desc = page.find(id=svg["aria-describedby"]).get_text()
        return title, desc

    assert labels("diagram-1") == ("How it flows", "Flowchart: How it flows. Its Mermaid source follows.")
    assert labels("diagram-2") == ("Checkout calls", "The order service asks payments to charge the card.")
    assert labels("concept-map")[0] == "Concept map of Alpha"
    source = page.select_one("figure#diagram-2 + details.diagram-source")
    assert source.summary.get_text() == "Diagram source"
    assert "Orders->>Payments: charge" in source.code.get_text()


def test_caption_names_a_diagram(diagram_site, tmp_path: Path) -> None:
    build(diagram_site(FLOW.replace("```mermaid", '```mermaid caption="The request path"')), tmp_path / "out")
    figure = soup_of(tmp_path / "out/terms/alpha/index.html").select_one("figure#diagram-1")
    assert figure.figcaption.get_text() == "The request path"
    assert figure.select_one(".diagram-light title").get_text() == "The request path"


def test_syntax_error_is_reported_at_the_fence(diagram_site, tmp_path: Path) -> None:
    project = diagram_site("Some text.\n\n```mermaid\nflowchart LR\n  A[Client --> B\n```")
    result = run_cli("build", project, "-o", tmp_path / "out")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("content/terms/alpha.md:14:1: error: Mermaid could not render this diagram: "
                               "Parse error on line 3:")
    assert lines[0].endswith("(Mermaid's line 3 is line 17 of the file)")
    assert "A[Client --> B" in lines[0]
    assert lines[-1] == "1 error, 0 warnings"
    assert not (tmp_path / "out").exists()


def test_strict_security_level_drops_script_and_click_handlers(diagram_site, tmp_path: Path) -> None:
    hostile = ('```mermaid\nflowchart LR\n  A["<b onmouseover=alert(1)>x</b> <script>alert(2)</script>"] --> B\n'
               '  C["<a href=javascript:alert(5)>y</a>"] --> B\n'
               '  click A href "javascript:alert(3)"\n  click B call alert(4)\n```')
    build(diagram_site(hostile), tmp_path / "out")
    figure = soup_of(tmp_path / "out/terms/alpha/index.html").select_one("figure#diagram-1 .diagram-light")
    svg = str(figure)
    assert "javascript:" not in svg
    assert figure.find("script") is None
    assert not [tag for tag in figure.find_all(True) for name in tag.attrs if name.startswith("on")]


class _InkServer(BaseHTTPRequestHandler):
    """A stand-in mermaid.ink: answers /svg/ with SVG made by the real Mermaid engine (mermaidx)."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        kind, _, encoded = self.path.lstrip("/").partition("/")
        source = base64.urlsafe_b64decode(encoded.split("?")[0]).decode()
        self.server.requests.append(source)
        if "BROKEN" in source:
            self._answer(400, "text/plain", b"Parse error on line 2: BROKEN")
        elif kind == "svg":
            import mermaidx
            self._answer(200, "image/svg+xml", mermaidx.render(source).svg().encode())
        else:
            self._answer(200, "image/png", b"\x89PNG\r\n\x1a\n")

    def _answer(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def ink_server(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _InkServer)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("MERMAID_INK_SERVER", f"http://127.0.0.1:{server.server_port}")
    yield server
    server.shutdown()
    server.server_close()


def test_ink_renderer_uses_the_server(diagram_site, tmp_path: Path, ink_server) -> None:
    project = diagram_site(FLOW)
    result = build(project, tmp_path / "out", "--diagram-renderer", "ink", "--cache-dir", str(tmp_path / "c"))
    assert "diagrams: 6 rendered, 0 reused" in result.stdout
    assert any(s.startswith("---\nconfig:\n  theme: dark\n  htmlLabels: false\n") for s in ink_server.requests)
    svg = soup_of(tmp_path / "out/terms/alpha/index.html").select_one("figure#diagram-1 .diagram-light svg")
    assert "Gateway" in svg.get_text()


def test_ink_renderer_reports_server_errors_at_the_fence(diagram_site, tmp_path: Path, ink_server) -> None:
    project = diagram_site("```mermaid\nflowchart LR\n  BROKEN\n```")
    result = run_cli("check", project, "--diagram-renderer", "ink", "--cache-dir", str(tmp_path / "c"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("content/terms/alpha.md:12:1: error: Mermaid could not render")
    assert "Parse error on line 2: BROKEN" in result.stderr


def test_ink_renderer_without_a_server_is_a_usage_error(diagram_site, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("MERMAID_INK_SERVER", raising=False)
    result = run_cli("check", diagram_site(FLOW), "--diagram-renderer", "ink", "--cache-dir", str(tmp_path / "c"))
    assert result.exit_code == 2
    assert "MERMAID_INK_SERVER" in result.stderr


def test_mmdc_renderer_with_chromium(diagram_site, tmp_path: Path, monkeypatch) -> None:
    require((NODE_MODULES / "@mermaid-js/mermaid-cli").is_dir(), "npm package @mermaid-js/mermaid-cli")
    require(chromium_path() is not None, "Chromium")
    monkeypatch.setenv("GLOSSARY_NODE_MODULES", str(NODE_MODULES))
    monkeypatch.setenv("CHROME_PATH", chromium_path())
    project = diagram_site(FLOW + "\n\n```mermaid\nflowchart LR\n  A[oops --> B\n```")
    result = run_cli("build", project, "-o", tmp_path / "bad", "--diagram-renderer", "mmdc",
                     "--cache-dir", str(tmp_path / "c"))
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("content/terms/alpha.md:17:1: error: Mermaid could not render this diagram: Parse error")
    assert "node_modules" not in first  # no JavaScript stack trace
    project = diagram_site(FLOW)
    result = build(project, tmp_path / "out", "--diagram-renderer", "mmdc", "--cache-dir", str(tmp_path / "c"))
    assert "rendered" in result.stdout
    svg = soup_of(tmp_path / "out/terms/alpha/index.html").select_one("figure#diagram-1 .diagram-dark svg")
    assert svg["role"] == "img" and "Gateway" in svg.get_text()
    identity = json.loads((NODE_MODULES / "@mermaid-js/mermaid-cli/package.json").read_text())["version"]
    assert identity.startswith("11.")


def test_progress_bar_on_a_terminal(diagram_site, tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys
    project = diagram_site(FLOW + "\n\n" + SEQUENCE + "\n\n" + FLOW.replace("Client", "Phone")
                           + "\n\n" + FLOW.replace("Client", "Laptop"))
    main_end, terminal_end = pty.openpty()
    script = Path(sys.executable).parent / "glossary"
    process = subprocess.run([str(script), "check", str(project), "--cache-dir", str(tmp_path / "c")],
                             stdout=subprocess.PIPE, stderr=terminal_end, check=False)
    os.close(terminal_end)
    shown = b""
    while True:
        try:
            chunk = os.read(main_end, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(main_end)
    assert process.returncode == 0
    assert b"rendering diagrams" in shown and b"100%" in shown
    assert process.stdout.decode().splitlines()[0] == "diagrams: 12 rendered, 0 reused"
