"""A fixed workload that says how fast the machine is during a benchmark run.

The same work takes this machine a third more CPU time, or less, from one hour to the next
(shared cores: the N=200 build of identical code and bytes took 25.6 to 48.1 CPU s). The
stages' times alone cannot tell a slower build from a slower machine, so
``bench_pipeline.py`` runs this workload beside them (before the build and after the last
stage) and reports its CPU time: the build's CPU time over the workload's is comparable
from one run to another.

The workload is the kind of work a build does, in about its proportions, and none of the
tool's code (a change to the tool never changes it): a tree of 8,000 spans built with lxml,
serialised and parsed back, deflated by libdeflate at the build's level, hashed with
SHA-256, and its text split and joined by the interpreter. Its data come from a fixed seed.
About 2 CPU s on this machine on a good day.

    python benchmarks/reference.py          # prints its CPU and wall time
"""
from __future__ import annotations

import hashlib
import random
import resource
import string
import sys
import time

import deflate
from lxml import etree

ROUNDS = 24


def _words(rng: random.Random) -> list[str]:
    return ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 9)))
            for _ in range(5000)]


def workload() -> int:
    """The fixed work; a number derived from it (so that none of it is optimised away)."""
    rng = random.Random(1)
    words = _words(rng)
    check = 0
    for _ in range(ROUNDS):
        root = etree.Element("section")
        for i in range(2000):
            p = etree.SubElement(root, "p")
            for j in range(4):
                span = etree.SubElement(p, "span", id=f"s{i}-{j}")
                span.text = " ".join(rng.choices(words, k=12)) + "."
        data = etree.tostring(root, encoding="utf-8")
        again = etree.fromstring(data)
        text = "".join(again.itertext())
        check += len(" ".join(w.capitalize() for w in text.split()))
        check += len(deflate.deflate_compress(data, 5))
        check += hashlib.sha256(data * 4).digest()[0]
    return check


def measure() -> tuple[float, float]:
    """The workload's CPU time (user + system) and wall time, in seconds."""
    usage0, wall0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    workload()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return ((usage.ru_utime + usage.ru_stime) - (usage0.ru_utime + usage0.ru_stime),
            time.perf_counter() - wall0)


if __name__ == "__main__":
    cpu, wall = measure()
    print(f"reference workload: {cpu:.2f} s CPU, {wall:.2f} s wall")
    sys.exit(0)
