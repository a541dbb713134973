"""Benchmark the build's file writes alone (issue 8): the CPU (user + system of this
process) of one output written by ``OutputSink.put`` (a job's write: atomic, not synced,
its SHA-256 and its stat taken for the state), of one ``OutputWriter.put`` (the build
process's own), and of one ``ChapterStore.put`` (a chapter recorded between builds).

Run: .venv/bin/python benchmarks/bench_writes.py [--files N] [--rounds R] [--dir DIR]

The files are written under a project folder (``serge-publish.toml`` beside ``build/``)
as a build writes them: build/LANG/ESSAY.epub and .html of the sizes of the synthetic
project's (some 80 and 30 KB), first new (a first build), then over the existing files
(``build --force``), in rounds; the figure is the median round's CPU per file. The data
is made before the clock starts: only the write is measured.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from serge_publish.commands.build_state import ChapterStore  # noqa: E402
from serge_publish.commands.build_write import OutputSink, OutputWriter  # noqa: E402
from serge_publish.writers.epub import Chapter  # noqa: E402

LANGS = ("de", "es", "fr", "it", "ru")


def _cpu() -> float:
    return time.process_time()


def _changed(outputs: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The same outputs, each with its last byte changed (the same size)."""
    return [(rel, data[:-1] + bytes([data[-1] ^ 1])) for rel, data in outputs]


def _outputs(count: int) -> list[tuple[str, bytes]]:
    """``count`` outputs, half EPUBs of ~80 KB, half HTML pages of ~30 KB (random bytes:
    the size, not the contents, matters to a write)."""
    done = []
    for n in range(count):
        lang, essay = LANGS[n % len(LANGS)], f"essay-{n // (2 * len(LANGS)):04d}"
        ext, size = ("epub", 80_000) if n % 2 else ("html", 30_000)
        done.append((f"{lang}/{essay}.{ext}", os.urandom(size)))
    return done


def _round(kind: str, root: Path, outputs: list[tuple[str, bytes]]) -> float:
    """CPU seconds per file of one round of ``kind`` writes."""
    build = root / "build"
    if kind == "sink":
        sink = OutputSink(build)
        start = _cpu()
        for rel, data in outputs:
            sink.put(rel, data)
    elif kind == "writer":
        writer = OutputWriter(build, "build-report.json")
        start = _cpu()
        for rel, data in outputs:
            writer.put(rel, data, "0" * 64)
    else:
        store = ChapterStore(root / ".serge-cache" / "chapters")
        records = [(rel.encode(), (Chapter(rel, "Title", (), b"", True), data[:20_000], 7))
                   for rel, data in outputs]
        start = _cpu()
        for key, record in records:
            store.put(key, record)
    return (_cpu() - start) / len(outputs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to make the project (default: a temporary folder)")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="bench-writes-", dir=args.dir))
    try:
        outputs = _outputs(args.files)
        other = _changed(outputs)
        print("| write | new files µs/file | same bytes again µs/file | "
              "other bytes, same size µs/file |")
        print("|---|---:|---:|---:|")
        for kind in ("sink", "writer", "chapters"):
            first, same, changed = [], [], []
            for r in range(args.rounds):
                root = base / f"{kind}-{r}" / "project"
                root.mkdir(parents=True)
                (root / "serge-publish.toml").write_text("")
                first.append(_round(kind, root, outputs))
                same.append(_round(kind, root, outputs))
                changed.append(_round(kind, root, other))
                shutil.rmtree(root.parent)
            print(f"| {kind} | {statistics.median(first) * 1e6:.0f} | "
                  f"{statistics.median(same) * 1e6:.0f} | "
                  f"{statistics.median(changed) * 1e6:.0f} |")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
