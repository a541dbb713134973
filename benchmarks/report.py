"""The README's performance tables, from the JSON files of ``bench_pipeline.py --json``.

    python benchmarks/report.py n2.json n20.json n200.json

One table of the serge-publish stages (CPU seconds, and peak memory) with a column per
file, then, for each file that ran ``--anchors``, the anchors' stages and ratios.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _cell(measure: dict | None) -> str:
    if measure is None:
        return "–"
    cpu = f"{measure['cpu']:.2f}"
    return f"{cpu} ({measure['max_rss_mb']:.0f} MiB)" + ("" if measure["ok"] else " ✗")


def serge_table(runs: list[dict]) -> str:
    stages: list[str] = []
    for run in runs:
        stages += [m["stage"] for m in run["serge"] if m["stage"] not in stages]
    head = ["stage, CPU s (peak memory)"] + [
        f"N={r['essays']}, L={len(r['langs'])}" for r in runs]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * len(runs) + "|"]
    for stage in stages:
        cells = [_cell(next((m for m in r["serge"] if m["stage"] == stage), None))
                 for r in runs]
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def anchors_table(run: dict) -> str:
    whole = run["serge"][-1]
    lines = [f"| N={run['essays']}, L={len(run['langs'])}, CPU s | extract + update | build "
             "| build, nothing changed | whole pipeline | its CPU / serge-publish's |",
             "|---|---:|---:|---:|---:|---:|"]

    def stage(stages: list[dict], *names: str) -> str:
        found = [m for m in stages if m["stage"] in names]
        return f"{sum(m['cpu'] for m in found):.2f}" if found else "–"

    serge = run["serge"]
    lines.append(f"| serge-publish | {stage(serge, 'extract', 'update')} | "
                 f"{stage(serge, 'build')} | {stage(serge, 'build, nothing changed')} | "
                 f"{whole['cpu']:.2f} | 1 |")
    for name, anchor in run.get("anchors", {}).items():
        if not anchor:                     # not installed: skipped
            continue
        stages = anchor["stages"]
        lines.append(f"| {name} | {stage(stages, 'extract', 'update', 'extract + update')} | "
                     f"{stage(stages, 'build')} | {stage(stages, 'build, nothing changed')} | "
                     f"{stages[-1]['cpu']:.2f} | {anchor['cpu_ratio']:.1f} |")
    return "\n".join(lines)


def main(paths: list[str]) -> int:
    if not paths:
        print("no results: run make bench-pipeline, bench-anchors or bench-scale first "
              "(they write benchmarks/results/*.json)", file=sys.stderr)
        return 1
    runs = [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
    print(serge_table(runs))
    for run in runs:
        if run.get("anchors"):
            print()
            print(anchors_table(run))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
