"""What shapes the output besides the project: this package's own code and the libraries it renders with.

Part of every cache key of the build cache, so upgrading a library or editing
the code (an editable install keeps its version number) never reuses results
made by the old one. Read without importing the libraries, so an up-to-date
check stays quick.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

from glossary_ssg.fingerprint import of_text

# The distributions whose versions can change what a build makes.
LIBRARIES = ("markdown", "pygments", "jinja2", "markupsafe", "nh3", "pyyaml", "mermaidx", "mini_racer", "mermaid_py")
_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)\.(dist-info|egg-info)$")


@lru_cache(maxsize=1)
def tool_identity() -> str:
    package = Path(__file__).parent
    code = [f"{path.relative_to(package).as_posix()}\n{path.read_text(encoding='utf-8')}"
            for path in sorted([*package.rglob("*.py"), *package.rglob("*.mjs")])]
    return of_text(sys.version, *library_versions(), *code)


@lru_cache(maxsize=1)
def library_versions() -> tuple[str, ...]:
    """"name version" of each library in LIBRARIES, from the metadata folders on sys.path (first wins, as
    for imports). Read once a process, as tool_identity is: a build asks three times (its own identity, the
    diagram renderer's and V8's), and each read lists every folder on sys.path."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = Path(folder or ".").iterdir()
            for entry in names:
                match = _DIST_INFO.match(entry.name)
                if match:
                    name = match.group("name").lower().replace("-", "_")
                    if name in LIBRARIES:
                        found.setdefault(name, match.group("version"))
        except OSError:
            continue
    return tuple(f"{name} {found.get(name, 'absent')}" for name in LIBRARIES)
