"""The same input gives byte-identical output whatever the environment of the build."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import VALID_SITE


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(project: Path, out: Path, cwd: Path, **env: str) -> dict[str, str]:
    script = Path(sys.executable).parent / "glossary"
    environment = {**os.environ, **env}
    result = subprocess.run([str(script), "build", os.path.relpath(project, cwd), "-o", str(out)], cwd=cwd,
                            env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return digest(out)


def copy_in_reverse_order(source: Path, target: Path) -> None:
    """Create the files in the opposite order, so directory listings come back differently."""
    for path in sorted(source.rglob("*"), reverse=True):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


def test_output_does_not_depend_on_the_environment(tmp_path: Path) -> None:
    first = tmp_path / "first"
    shutil.copytree(VALID_SITE, first)
    second = tmp_path / "deep" / "second"
    copy_in_reverse_order(VALID_SITE, second)
    reference = build(first, tmp_path / "out-a", cwd=first, PYTHONHASHSEED="1", TZ="UTC", LC_ALL="C",
                      SOURCE_DATE_EPOCH="1700000000")
    other = build(second, tmp_path / "out-b", cwd=tmp_path, PYTHONHASHSEED="4242", TZ="Pacific/Kiritimati",
                  LC_ALL="C.UTF-8", LANG="de_DE.UTF-8", SOURCE_DATE_EPOCH="1700000000")
    assert other == reference
    assert len(reference) > 15
