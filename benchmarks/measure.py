"""Measuring a benchmark stage: wall time, CPU time (children included), peak memory."""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
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
                 timeout: float | None = None) -> Measure:
    """Run ``argv`` as a child process; its wall, CPU time and peak memory. A child still
    running after ``timeout`` seconds is killed and its stage marked as failed."""
    cpu0, wall0 = _children_cpu(), time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        status, usage, stopped = _wait(proc.pid, timeout)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - wall0
        err.seek(0)
        message = err.read().decode(errors="replace")
    ok = proc.returncode == 0 and not stopped
    if stopped:
        stage += f" (stopped after {timeout:.0f} s)"
    elif not ok:
        print(f"[{stage}] {' '.join(map(str, argv))} exited {proc.returncode}:\n"
              f"{message[-2000:]}", file=sys.stderr)
    measure = Measure(stage, wall, _children_cpu() - cpu0, usage.ru_maxrss / 1024, ok)
    progress(measure)
    return measure


def _wait(pid: int, timeout: float | None):
    """(status, rusage, stopped) of child ``pid``, killed after ``timeout`` seconds."""
    if timeout is None:
        return (*os.wait4(pid, 0)[1:], False)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, False
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    return (*os.wait4(pid, 0)[1:], True)


def progress(measure: Measure) -> None:
    print(f"  {measure.stage}: {measure.wall:.2f} s wall, {measure.cpu:.2f} s CPU",
          file=sys.stderr, flush=True)


def measure_inprocess(stage: str, function) -> Measure:
    usage0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    function()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (usage.ru_utime + usage.ru_stime) - (usage0.ru_utime + usage0.ru_stime)
    measure = Measure(stage, time.perf_counter() - wall0, cpu, usage.ru_maxrss / 1024)
    progress(measure)
    return measure


def total(measures: list[Measure], stages: tuple[str, ...], name: str = "") -> Measure:
    """The sum of ``stages`` (wall and CPU; the largest peak memory)."""
    chosen = [m for m in measures if m.stage in stages]
    return Measure(name or " + ".join(stages) + " (total)", sum(m.wall for m in chosen),
                   sum(m.cpu for m in chosen), max((m.max_rss_mb for m in chosen), default=0),
                   len(chosen) == len(stages) and all(m.ok for m in chosen))


def table(measures: list[Measure], title: str) -> str:
    lines = [f"### {title}", "", "| stage | wall s | CPU s | peak RSS MiB |",
             "|---|---:|---:|---:|"]
    for m in measures:
        flag = "" if m.ok else " **FAILED**"
        lines.append(f"| {m.stage}{flag} | {m.wall:.2f} | {m.cpu:.2f} | {m.max_rss_mb:.0f} |")
    return "\n".join(lines)
