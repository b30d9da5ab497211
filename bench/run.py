"""`make bench`: glossary-ssg against Hugo and MkDocs on the same synthetic glossary, at N = 1,000 and 10,000.

For each N it generates the glossary (bench/generate.py), warms the diagram cache
once (the targets are for a warm diagram cache), then measures:
- cold: an empty build cache and an empty output folder;
- no change: the same build again;
- edit one: one term's definition changed, then the build again;
- edits that change the graph: a new term added, and a see-also added to an existing term;
- peak memory of a cold build (all processes of the build, by proportional set size);
- at N <= 1,000, the time from an edit to the new words in headless Chromium under `glossary serve`.
Hugo (Debian's hugo) and MkDocs (PyPI) build the same pages (bench/others.py). Hugo has no
incremental command-line build, so its rebuilds are full builds; MkDocs's are `mkdocs build --dirty`.
Times are medians of --repeat runs (cold builds at 10,000: --repeat-cold runs).

    python bench/run.py [--sizes 1000 10000] [--repeat 3] [--work bench/work] [--out bench/results.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from generate import generate
from others import write_hugo, write_mkdocs
from serve_latency import measure as serve_latency

BIN = Path(sys.executable).parent


def run(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return seconds


def peak_memory(command: list[str], cwd: Path | None = None) -> int:
    """Peak of the summed proportional set size (shared pages split between sharers) of the command and
    every process it starts, sampled every 50 ms: bytes."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, sum(_pss(pid) for pid in _tree(process.pid)))

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    done.set()
    sampler.join()
    return peak


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, waiting = [], [root]
    while waiting:
        pid = waiting.pop()
        found.append(pid)
        waiting += children.get(pid, [])
    return found


def _pss(pid: int) -> int:
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def changed_files(folder: Path, before: dict[str, int]) -> int:
    return sum(1 for name, mtime in mtimes(folder).items() if before.get(name) != mtime)


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def edit_definition(project: Path, round_number: int) -> None:
    path = sorted((project / "content" / "terms").glob("*.md"))[len(sorted((project / "content" / "terms")
                                                                          .glob("*.md"))) // 2]
    lines = path.read_text().split("\n")
    lines = [f"summary: Edited {round_number}, {line.split(':', 1)[1].strip()}" if line.startswith("summary:")
             else line for line in lines]
    path.write_text("\n".join(lines))


def add_term(project: Path, round_number: int) -> None:
    """A new term, as a contributor adds one: a definition, a see-also to an existing term and a short body.
    Its names can be linked from every body, and it lists on its area, level and tag pages."""
    terms = sorted((project / "content" / "terms").glob("*.md"))
    target = terms[len(terms) // 3]
    area = next(line for line in target.read_text().split("\n") if line.startswith("area:"))
    (project / "content" / "terms" / f"added-term-{round_number}.md").write_text(
        f"---\ntitle: Added Term {round_number}\nsummary: A term added to the glossary, number {round_number}.\n"
        f"level: foundation\n{area}\ntags: [added]\nsee_also: [{target.stem}]\n---\n## Why it exists\n\n"
        f"A short body for the added term number {round_number}.\n")


def add_see_also(project: Path, round_number: int) -> None:
    """One more see-also on an existing term: its page, and the "Referenced by" list of the target."""
    terms = sorted((project / "content" / "terms").glob("*.md"))
    path, target = terms[len(terms) // 4 + round_number], terms[len(terms) // 5 + round_number].stem
    path.write_text(path.read_text().replace("see_also: [", f"see_also: [{target}, ", 1))


GRAPH_EDITS = (("add a term", "add_term", add_term), ("add a see-also", "add_see_also", add_see_also))


class Ours:
    name = "glossary-ssg"

    def __init__(self, project: Path, work: Path):
        self.project, self.out, self.cache = project, work / "ours-site", work / "ours-cache"

    def command(self) -> list[str]:
        return [str(BIN / "glossary"), "build", str(self.project), "-o", str(self.out), "--cache-dir", str(self.cache)]

    def warm(self) -> None:
        run([str(BIN / "glossary"), "check", str(self.project), "--cache-dir", str(self.cache)])

    def clean(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)
        shutil.rmtree(self.cache / "builds", ignore_errors=True)  # the build cache; diagrams stay


class Hugo:
    name = "Hugo"

    def __init__(self, project: Path, work: Path):
        self.site, self.out = work / "hugo", work / "hugo-site"
        write_hugo(project, self.site)

    def command(self, rebuild: bool = False) -> list[str]:
        return ["hugo", "--quiet", "--source", str(self.site), "--destination", str(self.out)]

    def clean(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)
        shutil.rmtree(self.site / "resources", ignore_errors=True)


class MkDocs:
    name = "MkDocs"

    def __init__(self, project: Path, work: Path):
        self.site, self.out = work / "mkdocs", work / "mkdocs-site"
        write_mkdocs(project, self.site)

    def command(self, rebuild: bool = False) -> list[str]:
        return [str(BIN / "mkdocs"), "build", "--quiet", "-f", str(self.site / "mkdocs.yml"), "-d", str(self.out),
                *(["--dirty"] if rebuild else [])]

    def clean(self) -> None:
        shutil.rmtree(self.out, ignore_errors=True)


def median(samples: list[float]) -> float:
    return statistics.median(samples)


EDITS = 5  # edits of one definition timed for glossary-ssg: the first after a full build and four more


def measure_size(count: int, work: Path, repeat: int, repeat_cold: int) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    project = work / "glossary"
    shutil.rmtree(project, ignore_errors=True)  # afresh: the edits of an earlier run must not carry over
    generate(count, project)
    ours, hugo, mkdocs = Ours(project, work), Hugo(project, work), MkDocs(project, work)
    ours.warm()
    results: dict = {"terms": count, "lessons": count // 10}
    cold_runs = repeat_cold if count >= 10_000 else repeat

    samples = []
    for _ in range(cold_runs):
        ours.clean()
        samples.append(run(ours.command()))
    results["ours_cold"], results["ours_cold_range"] = median(samples), [min(samples), max(samples)]
    pages = sum(1 for _ in ours.out.rglob("*.html"))
    results["pages"] = pages
    before = mtimes(ours.out)
    results["ours_nochange"] = median([run(ours.command()) for _ in range(repeat)])
    results["ours_nochange_written"] = changed_files(ours.out, before)
    edits, written = [], []
    for round_number in range(max(repeat, EDITS)):
        edit_definition(project, round_number)
        before = mtimes(ours.out)
        edits.append(run(ours.command()))
        written.append(changed_files(ours.out, before))
    results["ours_edit"], results["ours_edit_range"] = median(edits), [min(edits), max(edits)]
    results["ours_edit_written"] = max(written)
    for _, key, edit in GRAPH_EDITS:  # edits that change the graph: the full build, from the build cache
        samples, written = [], []
        for round_number in range(repeat):
            edit(project, round_number)
            before = mtimes(ours.out)
            samples.append(run(ours.command()))
            written.append(changed_files(ours.out, before))
        results[f"ours_{key}"], results[f"ours_{key}_written"] = median(samples), max(written)
    ours.clean()
    results["ours_memory"] = peak_memory(ours.command())

    for tool, key in ((hugo, "hugo"), (mkdocs, "mkdocs")):
        samples = []
        for _ in range(cold_runs):
            tool.clean()
            samples.append(run(tool.command()))
        results[f"{key}_cold"], results[f"{key}_cold_range"] = median(samples), [min(samples), max(samples)]
        results[f"{key}_pages"] = sum(1 for _ in tool.out.rglob("*.html"))
        results[f"{key}_nochange"] = median([run(tool.command(rebuild=True)) for _ in range(min(repeat, cold_runs))])
        edits = []
        for round_number in range(min(repeat, cold_runs)):
            edit_definition(project, 100 + round_number)
            (write_hugo if key == "hugo" else write_mkdocs)(project, tool.site)  # the edit, in that tool's copy
            edits.append(run(tool.command(rebuild=True)))
        results[f"{key}_edit"] = median(edits)
        for _, edit_key, edit in GRAPH_EDITS:
            samples = []
            for round_number in range(min(repeat, cold_runs)):
                edit(project, 100 + round_number)
                (write_hugo if key == "hugo" else write_mkdocs)(project, tool.site)
                samples.append(run(tool.command(rebuild=True)))
            results[f"{key}_{edit_key}"] = median(samples)
        tool.clean()
        results[f"{key}_memory"] = peak_memory(tool.command())
    if count <= 1000:  # the target for `glossary serve` is at 1,000 terms
        samples = serve_latency(project, edits=5, port=8765)
        results["serve_edit_median"], results["serve_edit_max"] = median(samples), max(samples)
    return results


def versions() -> dict[str, str]:
    def output(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "not found"

    return {
        "glossary-ssg": output([str(BIN / "glossary"), "--version"]),
        "hugo": output(["hugo", "version"]),
        "mkdocs": output([str(BIN / "mkdocs"), "--version"]).split(" from ")[0],
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
                   f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
        "cpu": next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                    "unknown"),
    }


def table(all_results: list[dict]) -> str:
    rows = ["| N terms | pages | measure | glossary-ssg | Hugo | MkDocs | Hugo ÷ ours | MkDocs ÷ ours |",
            "|---:|---:|---|---:|---:|---:|---:|---:|"]
    for r in all_results:
        for label, key in (("cold build", "cold"), ("no-change rebuild", "nochange"), ("edit one definition", "edit"),
                           *((label, key) for label, key, _ in GRAPH_EDITS)):
            ours, hugo, mkdocs = r[f"ours_{key}"], r[f"hugo_{key}"], r[f"mkdocs_{key}"]
            rows.append(f"| {r['terms']:,} | {r['pages']:,} | {label} | {ours:.2f} s | {hugo:.2f} s | {mkdocs:.2f} s "
                        f"| {hugo / ours:.1f}× | {mkdocs / ours:.1f}× |")
        rows.append(f"| {r['terms']:,} | {r['pages']:,} | peak memory | {r['ours_memory'] / 2**20:.0f} MiB "
                    f"| {r['hugo_memory'] / 2**20:.0f} MiB | {r['mkdocs_memory'] / 2**20:.0f} MiB | | |")
    files = [f"- N = {r['terms']:,}: a no-change rebuild wrote {r['ours_nochange_written']} files; an edit of one "
             f"definition wrote {r['ours_edit_written']} (Hugo built {r['hugo_pages']:,} HTML pages, MkDocs "
             f"{r['mkdocs_pages']:,}); adding a term wrote {r['ours_add_term_written']}, adding a see-also "
             f"{r['ours_add_see_also_written']}." for r in all_results]
    files += [f"- N = {r['terms']:,}: cold builds ranged " + ", ".join(
        f"{name} {r[f'{key}_cold_range'][0]:.2f}–{r[f'{key}_cold_range'][1]:.2f} s"
        for name, key in (("glossary-ssg", "ours"), ("Hugo", "hugo"), ("MkDocs", "mkdocs"))) + "."
        for r in all_results]
    files += [f"- N = {r['terms']:,}: editing one definition took {r['ours_edit_range'][0]:.2f}–"
              f"{r['ours_edit_range'][1]:.2f} s over {EDITS} edits (glossary-ssg)." for r in all_results]
    files += [f"- N = {r['terms']:,}: under `glossary serve`, an edit showed in headless Chromium in "
              f"{r['serve_edit_median']:.2f} s (median of 5; slowest {r['serve_edit_max']:.2f} s)."
              for r in all_results if "serve_edit_median" in r]
    return "\n".join(rows) + "\n\n" + "\n".join(files) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repeat-cold", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("bench/work"))
    parser.add_argument("--out", type=Path, default=Path("bench/results.md"))
    args = parser.parse_args()
    if shutil.which("hugo") is None:
        raise SystemExit("hugo not found: install Debian's hugo package (apt-get install hugo)")
    all_results = []
    for count in args.sizes:
        print(f"N = {count:,} ...", flush=True)
        all_results.append(measure_size(count, (args.work / str(count)).resolve(), args.repeat, args.repeat_cold))
        print(json.dumps(all_results[-1], indent=1), flush=True)
    about = versions()
    report = ("# Benchmark results\n\n" + "\n".join(f"- {k}: {v}" for k, v in about.items()) + "\n\n"
              + table(all_results))
    args.out.write_text(report)
    (args.out.with_suffix(".json")).write_text(json.dumps({"versions": about, "results": all_results}, indent=1))
    print(report)


if __name__ == "__main__":
    main()
