"""Benchmark serge_publish.segment.split_sentences on the seed essays.

Run: .venv/bin/python benchmarks/bench_segment.py [--repeat N] [--budget SECONDS] [SEED.txt ...]

Segments every seed essay REPEAT times (default 100), paragraph by paragraph (the text split on
line breaks, as an importer would pass it), prints the time and the segment count, and exits
non-zero if the total time is over the budget (default 1.0 s). Seeds are found in
$SERGE_SEEDS_DIR, ./seeds or ../shared/seeds unless given on the command line.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serge_publish.segment import split_sentences  # noqa: E402


def find_seeds() -> list[Path]:
    for candidate in (os.environ.get("SERGE_SEEDS_DIR"), ROOT / "source" / "originals",
                      ROOT.parent / "shared" / "seeds"):
        if candidate and Path(candidate).is_dir():
            seeds = sorted(Path(candidate).glob("*.txt"))
            if seeds:
                return seeds
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--budget", type=float, default=1.0)
    args = parser.parse_args(argv)

    seeds = args.seeds or find_seeds()
    if not seeds:
        print("no seed essays found (set SERGE_SEEDS_DIR)", file=sys.stderr)
        return 2
    paragraphs = []
    chars = 0
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        chars += len(text)
        paragraphs.extend(line for line in text.splitlines() if line.strip())

    split_sentences("Warm up. The abbreviation data is loaded once.")  # load data, compile
    t0 = time.perf_counter()
    segments = 0
    for _ in range(args.repeat):
        for paragraph in paragraphs:
            segments += len(split_sentences(paragraph, "en"))
    elapsed = time.perf_counter() - t0

    print(f"{len(seeds)} seeds, {chars:,} chars, {len(paragraphs)} paragraphs, x{args.repeat}: "
          f"{segments:,} segments ({segments // args.repeat} per pass) in {elapsed:.3f} s "
          f"(budget {args.budget:g} s)")
    if elapsed > args.budget:
        print("FAIL: over budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
