"""CPU of assembling the EPUBs (``writers.epub.build_epub`` and what it calls) within a
real build, per book: a project is built in this process (``build --force --jobs 1``)
with the assembling functions wrapped in CPU timers (``time.process_time``, inclusive of
what each calls).

    .venv/bin/python benchmarks/bench_epub.py /tmp/b20/serge [--runs 3]

The project is one ``bench_pipeline.py --out`` leaves (``DIR/serge``), built before (the
build writes its files again: ``--force``). Each run is a child process (the caches of a
build process start empty, as in a build); the figures are the median of the runs.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

# (module, attribute): the functions timed, where their callers look them up
TIMED = (
    ("serge_publish.writers.epub", "build_epub"),
    ("serge_publish.writers.epub", "colophon"),
    ("serge_publish.writers.html", "colophon"),
    ("serge_publish.writers.epub", "cover_png"),
    ("serge_publish.writers.epub", "cover_svg"),
    ("serge_publish.writers.epub", "write_epub"),
    ("serge_publish.writers.epub", "_book_metadata"),
    ("serge_publish.writers.epub", "_xhtml_item"),
    ("serge_publish.writers.epub", "page"),
    ("serge_publish.writers.opf", "opf"),
    ("serge_publish.writers.opf", "nav"),
    ("serge_publish.writers.opf", "ncx"),
)


def _child(project: Path) -> None:
    """One build, timed; prints {name: [calls, CPU s]} as JSON on stdout's last line."""
    import importlib

    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    times: dict[str, list[float]] = defaultdict(list)
    for module_name, name in TIMED:
        module = importlib.import_module(module_name)
        original = getattr(module, name)
        label = f"{module_name.rsplit('.', 1)[-1]}.{name}"

        def timed(*args, __f=original, __label=label, **kwargs):
            start = time.process_time()
            try:
                return __f(*args, **kwargs)
            finally:
                spent = time.process_time() - start
                entry = totals[__label]
                entry[0] += 1
                entry[1] += spent
                times[__label].append(spent)

        setattr(module, name, timed)
    from serge_publish.cli import main

    os.chdir(project)
    start = time.process_time()
    status = main(["build", "--force", "--jobs", "1"])
    totals["build"] = [1, time.process_time() - start]
    if status:
        sys.exit(status)
    for label, spent in times.items():     # each call's, without what one call pays once
        totals[label].append(statistics.median(spent))
    print(json.dumps(totals))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.project)
        return
    runs = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, __file__, "--child", str(args.project)],
                             check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    books = runs[0]["epub.build_epub"][0]
    print(f"{books} books; CPU ms, median of {args.runs} runs")
    print(f"{'function':28} {'calls':>6} {'total':>9} {'per book':>9} {'median call':>12}")
    for name in runs[0]:
        calls = runs[0][name][0]
        total = statistics.median(r[name][1] for r in runs) * 1000
        typical = statistics.median(r[name][2] for r in runs) * 1000 \
            if len(runs[0][name]) > 2 else total
        print(f"{name:28} {calls:6d} {total:9.1f} {total / books:9.2f} {typical:12.3f}")


if __name__ == "__main__":
    main()
