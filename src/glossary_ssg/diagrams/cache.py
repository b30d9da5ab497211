"""A content-addressed store of rendered SVG, so a rebuild renders only new or changed diagrams.

The key covers everything that shapes the SVG: the source, the renderer and
its version, the light or dark variant and the Mermaid settings. Entries
are written atomically, so an interrupted build never leaves half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from glossary_ssg.diagrams.renderer import MERMAID_CONFIG, DiagramJob
from glossary_ssg.temporary import new_file


class DiagramCache:
    def __init__(self, directory: Path):
        self.directory = directory
        self.write_error: str | None = None  # set when the cache cannot be written; the build goes on

    @staticmethod
    def key(identity: str, job: DiagramJob) -> str:
        material = json.dumps({"renderer": identity, "variant": job.variant, "config": MERMAID_CONFIG,
                               "source": job.source}, sort_keys=True)
        return hashlib.sha256(material.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.svg"

    def get(self, key: str) -> str | None:
        try:
            return self._path(key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, svg: str) -> None:
        if self.write_error is not None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = new_file(path.parent, ".writing-")
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(svg)
            os.replace(temporary, path)
        except OSError as exc:
            self.write_error = f"{exc.strerror} ({exc.filename})"
