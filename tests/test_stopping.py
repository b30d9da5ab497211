"""A first build's half-written folder: removed when its build stops, or by the next build if its build was killed.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from glossary_ssg.writer import NewSite


def _staging(out: Path) -> list[Path]:
    return list(out.parent.glob(f".{out.name}.building-*"))


def test_only_folders_no_build_is_writing_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "site"
    abandoned, writing, unknown = (tmp_path / f".site.building-{name}" for name in ("abandoned", "writing", "unknown"))
    for folder in (abandoned, writing, unknown):
        (folder / "terms").mkdir(parents=True)
    (abandoned / ".glossary-ssg-writing").touch()
    (writing / ".glossary-ssg-writing").touch()
    other = tmp_path / ".other.building-x"
    (other / ".glossary-ssg-writing").parent.mkdir()
    (other / ".glossary-ssg-writing").touch()
    held = os.open(writing / ".glossary-ssg-writing", os.O_RDONLY)
    fcntl.flock(held, fcntl.LOCK_EX)  # as the build writing it holds it
    try:
        with NewSite(out) as site:
            site.write("index.html", b"<p>new</p>")
            [staging] = [p for p in _staging(out) if p not in (writing, unknown)]
            assert (staging / ".glossary-ssg-writing").exists()
    finally:
        os.close(held)
    assert not abandoned.exists()
    assert writing.is_dir() and unknown.is_dir() and other.is_dir()  # in use, not provably ours, another site's
    assert sorted(p.name for p in out.iterdir()) == [".glossary-ssg-build", "index.html"]  # no lock file published
