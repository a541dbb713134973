"""Measuring a benchmark stage: wall time, CPU time (children included), peak memory."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measure:
    stage: str
    wall: float          # seconds
    cpu: float           # seconds, user + system, children included
    max_rss_mb: float    # peak resident memory of the child (MiB); of this process in-process
    ok: bool = True


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(stage: str, argv: list[str], cwd: Path | None = None,
                 env: dict | None = None, quiet: bool = True) -> Measure:
    """Run ``argv`` as a child process; its wall, CPU time and peak memory."""
    cpu0, wall0 = _children_cpu(), time.perf_counter()
    out = subprocess.DEVNULL if quiet else None
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - wall0
    ok = proc.returncode == 0
    if not ok:
        print(f"[{stage}] {' '.join(map(str, argv))} exited {proc.returncode}:\n"
              f"{stderr.decode(errors='replace')[-2000:]}", file=sys.stderr)
    return Measure(stage, wall, _children_cpu() - cpu0, usage.ru_maxrss / 1024, ok)


def measure_inprocess(stage: str, function) -> Measure:
    usage0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    function()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (usage.ru_utime + usage.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    return Measure(stage, time.perf_counter() - wall0, cpu, usage.ru_maxrss / 1024)


def total(measures: list[Measure], stages: tuple[str, ...], name: str = "") -> Measure:
    """The sum of ``stages`` (wall and CPU; the largest peak memory)."""
    chosen = [m for m in measures if m.stage in stages]
    return Measure(name or " + ".join(stages) + " (total)", sum(m.wall for m in chosen),
                   sum(m.cpu for m in chosen), max(m.max_rss_mb for m in chosen),
                   all(m.ok for m in chosen))


def table(measures: list[Measure], title: str) -> str:
    lines = [f"### {title}", "", "| stage | wall s | CPU s | peak RSS MiB |",
             "|---|---:|---:|---:|"]
    for m in measures:
        flag = "" if m.ok else " **FAILED**"
        lines.append(f"| {m.stage}{flag} | {m.wall:.2f} | {m.cpu:.2f} | {m.max_rss_mb:.0f} |")
    return "\n".join(lines)
