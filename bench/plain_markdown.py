"""The floor under a cold build in Python: stock Python-Markdown over a generated glossary, and nothing else.

Each content file is read, its front matter parsed with libyaml (CSafeLoader) and its body converted by
Python-Markdown with the given extensions, on one process per core. No validation, no graph, no templates,
no files written: what a plain Python pipeline cannot go below, to set beside Hugo's whole build of the same
pages (bench/others.py). `codehilite` highlights code with Pygments, as the benchmark's pages must be.

    python bench/plain_markdown.py GLOSSARY_DIR [--processes 2] [--extensions fenced_code,codehilite]
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from pathlib import Path

import markdown
import yaml


def convert_all(paths: list[Path], extensions: list[str]) -> int:
    """Characters of HTML made from these files' bodies."""
    converter = markdown.Markdown(extensions=extensions)
    made = 0
    for path in paths:
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        yaml.load(front, Loader=yaml.CSafeLoader)
        made += len(converter.reset().convert(body))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("glossary", type=Path)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--extensions", default="fenced_code,codehilite",
                        help="comma-separated Python-Markdown extensions ('' for none)")
    args = parser.parse_args()
    extensions = [name for name in args.extensions.split(",") if name]
    started = time.perf_counter()
    paths = sorted((args.glossary / "content").glob("*/*.md"))
    shares = [(paths[start::args.processes], extensions) for start in range(args.processes)]
    with multiprocessing.get_context("fork").Pool(args.processes) as pool:
        made = sum(pool.starmap(convert_all, shares))
    print(f"{len(paths)} files, {made:,} characters of HTML, {args.processes} processes, "
          f"extensions {extensions or 'none'}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
