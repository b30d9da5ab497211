"""`glossary serve`: build, serve on localhost under the base_url's path, rebuild on change, reload pages.

The site is served from a folder of its own that only a successful build
replaces, so a content error never takes the last good site away: the error
shows in the terminal and as an overlay on open pages, which reload as soon
as the next build succeeds. Pages learn about builds through server-sent
events at /__glossary/events; the small script that listens is added to
each HTML response by the server, never written into the site.
"""

from __future__ import annotations

import gc
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from glossary_ssg.errors import ContentErrors, UsageError
from glossary_ssg.incremental import build
from glossary_ssg.pipeline import Options

WATCHED = ("content", "themes", "glossary.yml")
EVENTS = "/__glossary/events"
_CLIENT = """<script>(function(){var s=new EventSource("%s");var b=null;s.onmessage=function(e){var d=JSON.parse(e.data);
if(b===null){b=d.build}else if(d.build!==b){location.reload();return}var o=document.getElementById("glossary-overlay");
if(d.errors){if(!o){o=document.createElement("pre");o.id="glossary-overlay";o.setAttribute("role","alert");
o.style.cssText="position:fixed;inset:auto 1rem 1rem 1rem;max-height:50vh;overflow:auto;z-index:99;margin:0;padding:1rem;"+
"background:#2b0d0d;color:#ffd7d7;border:2px solid #ff6b6b;border-radius:8px;font:14px/1.4 monospace;white-space:pre-wrap";
document.body.appendChild(o)}o.textContent="The last change has errors; this is the last good build.\\n\\n"+d.errors}
else if(o){o.remove()}}})();</script>"""


class Builder:
    """Rebuilds into `output_dir` when watched files change; remembers the last build's number and errors."""

    def __init__(self, options: Options, output_dir: Path, report: Callable[[str], None]):
        self.options, self.output_dir, self.report = options, output_dir, report
        self.build_number = 0
        self.errors = ""
        self.version = 0  # counts every build, good or bad, for the event streams to wait on
        self.changed = threading.Condition()
        self._stamp = self._snapshot()

    def rebuild(self) -> None:
        try:
            build(self.options, self.output_dir)
        except ContentErrors as exc:
            self.errors = "\n".join(d.format() for d in exc.diagnostics)
        except UsageError as exc:
            self.errors = str(exc)
        except Exception as exc:  # a bug in the build must not stop the watcher: say it and keep serving
            self.errors = f"{type(exc).__name__}: {exc}"
        else:
            self.errors = ""
            self.build_number += 1
        self.report(self.errors or f"rebuilt (build {self.build_number})")
        with self.changed:
            self.version += 1
            self.changed.notify_all()
        # What a build leaves in cycles (its Jinja environment and templates, which hold its card fragments)
        # goes now: under the command's raised thresholds (cli.py) a process that builds again and again
        # would otherwise keep each build's until a collection of the oldest generation, rarely reached.
        gc.collect()

    def watch(self, stop: threading.Event, interval: float = 0.3) -> None:
        while not stop.wait(interval):
            stamp = self._snapshot()
            if stamp != self._stamp:
                self._stamp = stamp
                self.rebuild()

    def _snapshot(self) -> tuple:
        files = []
        for name in WATCHED:
            root = self.options.project_dir / name
            paths = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
            for path in paths:
                if path.name.startswith(".") or path.name.endswith(("~", ".swp", ".swx")):
                    continue  # editors' temporary files are not content
                try:
                    stat = path.stat()
                except OSError:
                    continue  # gone between listing and looking: the next round sees the change
                if path.is_file():
                    files.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(files)


def make_handler(builder: Builder, base_path: str):
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(builder.output_dir), **kwargs)

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's API
            self._respond(body=True)

        def do_HEAD(self) -> None:  # noqa: N802 - http.server's API
            self._respond(body=False)

        def _respond(self, body: bool) -> None:
            if self.path == EVENTS and body:
                return self._events()
            if not self.path.startswith(base_path):
                self.send_response(302)
                self.send_header("Location", base_path)
                self.end_headers()
                return
            self.path = "/" + self.path[len(base_path):]
            target = Path(self.translate_path(self.path.split("?")[0]))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                return self._html(target, 200, body)
            return super().do_GET() if body else super().do_HEAD()

        def _html(self, target: Path, status: int, body: bool = True) -> None:
            page = target.read_text(encoding="utf-8").replace("</body>", _CLIENT % EVENTS + "</body>", 1)
            data = page.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                while True:
                    with builder.changed:
                        seen = builder.version
                        message = json.dumps({"build": builder.build_number, "errors": builder.errors})
                    self.wfile.write(f"data: {message}\n\n".encode())
                    self.wfile.flush()
                    with builder.changed:  # wake on the next build (none is missed), or keep the line alive
                        builder.changed.wait_for(lambda: builder.version != seen, timeout=15)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def send_error(self, code, message=None, explain=None):
            if code == 404 and (builder.output_dir / "404.html").is_file():
                return self._html(builder.output_dir / "404.html", 404, self.command != "HEAD")
            return super().send_error(code, message, explain)

    return Handler


def serve(options: Options, output_dir: Path, host: str, port: int, base_path: str,
          report: Callable[[str], None], ready: Callable[[ThreadingHTTPServer], None] | None = None,
          stop: threading.Event | None = None) -> None:
    builder = Builder(options, output_dir, report)
    try:  # take the port before the first build, so a busy port fails at once
        server = ThreadingHTTPServer((host, port), make_handler(builder, base_path))
    except OSError as exc:
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
    server.daemon_threads = True
    builder.rebuild()
    stop = stop or threading.Event()
    threading.Thread(target=builder.watch, args=(stop,), daemon=True).start()
    report(f"serving on http://{host}:{server.server_port}{base_path} (Ctrl+C to stop)")
    if ready:
        ready(server)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        stop.set()
        server.server_close()
