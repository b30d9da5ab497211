"""A short fuzz run of the front-matter splitter and the Markdown pipeline (tests/fuzz/fuzz_markup.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import VALID_SITE

HARNESS = Path(__file__).parent / "fuzz" / "fuzz_markup.py"


def test_fuzz_markup_for_a_while(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(VALID_SITE.rglob("*.md")):  # real entries give the fuzzer a head start
        shutil.copyfile(seed, corpus / seed.name)
    result = subprocess.run([sys.executable, str(HARNESS), "-max_total_time=10", "-timeout=30",
                             f"-artifact_prefix={tmp_path}/", str(corpus)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done " in result.stderr
    assert not list(tmp_path.glob("crash-*"))
