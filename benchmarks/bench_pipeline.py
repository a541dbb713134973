"""Benchmark the serge-publish pipeline on a synthetic project of N essays in L languages.

Run: .venv/bin/python benchmarks/bench_pipeline.py [--essays N] [--langs L] [--out DIR]
     [--json FILE] [--anchors] [--seed S]

1. Generates a deterministic project (benchmarks/synth.py): N essays made of the shipped
   essays' sentences, reshuffled with a fixed seed, notes kept, and L target languages.
2. Runs each stage as a child process, ``python -m serge_publish --project DIR ...``, and
   measures its wall time, its CPU time (user + system of the child and its children:
   getrusage(RUSAGE_CHILDREN) before and after) and its peak memory (the child's ru_maxrss,
   from wait4): validate, extract, update (creates the L x N catalogues), then — in this
   process, timed apart — fills every catalogue with the pseudo-translation of
   ``serge-publish pseudo`` (serge_publish.catalog.pseudo_catalog, the same text for every
   language), then update (merging every translated catalogue), build, update and build with
   nothing changed, build after one essay catalogue changed, build after one source changed,
   update then build after that source change. Before the build and after the last stage,
   it runs a fixed reference workload (benchmarks/reference.py), whose CPU time says how
   fast the machine was during the run.
3. Prints a Markdown table, and the build's CPU time over the reference workload's;
   ``--json FILE`` writes the numbers.
4. ``--anchors``: runs the same corpus through Sphinx + sphinx-intl and po4a + pandoc, when
   installed (see benchmarks/anchors.py), and prints their times and the ratios.

The times are noisy on a shared machine: compare CPU times rather than wall times.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import reference  # noqa: E402
import synth  # noqa: E402
from measure import Measure, measure_inprocess, run_measured, table, total  # noqa: E402


def serge(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "serge_publish", "--project", str(project), *args]


# ---------------------------------------------------------------- changes between builds

def pseudo_fill(project: Path) -> int:
    """Fill every catalogue under locale/ with pseudo-translations; the entries filled."""
    from serge_publish import catalog
    filled = 0
    for path in sorted(project.glob("locale/*/LC_MESSAGES/*.po")):
        po = catalog.read_catalog(path)
        filled += catalog.pseudo_catalog(po)
        catalog.save_catalog(path, po)
    return filled


def change_catalog(project: Path, lang: str) -> None:
    """Edit the first translated message of the first essay's catalogue in ``lang``
    (an essay's, not the project catalogue ``_project.po`` that every edition uses)."""
    from serge_publish import catalog
    path = sorted(p for p in project.glob(f"locale/{lang}/LC_MESSAGES/*.po")
                  if not p.name.startswith("_"))[0]
    po = catalog.read_catalog(path)
    entry = next(e for e in po if e.msgstr and not e.obsolete)
    entry.msgstr = entry.msgstr.replace(catalog.pseudo.CLOSE, " (edited)" + catalog.pseudo.CLOSE)
    catalog.save_catalog(path, po)


def change_source(project: Path) -> None:
    """Edit the text of the first body sentence of the first essay."""
    from lxml import etree
    path = sorted((project / "source").glob("*.xml"))[0]
    tree = etree.parse(str(path))
    s = tree.find(".//t:body//t:p/t:s", synth.NS)
    s.text = "Edited: " + (s.text or "")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


# ---------------------------------------------------------------- the pipeline

PIPELINE = ("extract", "update", "build")
# the machine's speed during the run (benchmarks/reference.py: fixed work, none of the
# tool's), measured just before the build and after the last stage
REFERENCE = ("(reference workload, before the build)", "(reference workload, at the end)")


class Budget:
    """Runs serge-publish stages until ``seconds`` of wall time are spent (None: no limit)."""

    def __init__(self, project: Path, seconds: float | None) -> None:
        self.project = project
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.measures: list[Measure] = []

    def spent(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def run(self, stage: str, *args: str) -> None:
        if self.spent():
            print(f"  {stage}: not run, time budget spent", file=sys.stderr)
            return
        left = None if self.deadline is None else self.deadline - time.monotonic()
        self.measures.append(run_measured(stage, serge(self.project, *args), timeout=left))

    def call(self, stage: str, function) -> None:
        if not self.spent():
            self.measures.append(measure_inprocess(stage, function))


def bench_serge(project: Path, langs: tuple[str, ...], budget: float | None = None
                ) -> list[Measure]:
    b = Budget(project, budget)
    for stage in ("validate", "extract", "update"):
        b.run(stage, stage)
    b.call("(pseudo-fill every catalogue, in-process)", lambda: pseudo_fill(project))
    b.run("update, after every catalogue was translated", "update")
    b.call(REFERENCE[0], reference.workload)
    b.run("build", "build")
    b.run("update, nothing changed", "update")
    b.run("build, nothing changed", "build")
    if not b.spent():
        change_catalog(project, langs[0])
    b.run(f"build, one catalogue changed ({langs[0]})", "build")
    if not b.spent():
        change_source(project)
    b.run("build, one source changed", "build")
    b.run("update, after that source change", "update")
    b.run("build, after that update", "build")
    b.call(REFERENCE[1], reference.workload)
    return b.measures


def corpus_size(project: Path) -> dict:
    from lxml import etree
    segments = words = 0
    for path in sorted((project / "source").glob("*.xml")):
        texts = synth.sentences_text(etree.parse(str(path)))
        segments += len(texts)
        words += sum(len(t.split()) for t in texts)
    return {"segments": segments, "words": words}


def relative(measures: list[Measure]) -> float | None:
    """The build's CPU time over the reference workload's (the mean of its two runs)."""
    build = next((m.cpu for m in measures if m.stage == "build"), None)
    ref = [m.cpu for m in measures if m.stage in REFERENCE]
    return build / (sum(ref) / len(ref)) if build and ref and all(ref) else None


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=2, help="N essays (default 2)")
    parser.add_argument("--langs", type=int, default=3,
                        help=f"L target languages, first of {','.join(synth.LANGUAGES)}")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="project folder (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="write the numbers to this file")
    parser.add_argument("--anchors", action="store_true",
                        help="also run Sphinx + sphinx-intl and po4a + pandoc, if installed")
    parser.add_argument("--budget", type=float,
                        help="stop the serge-publish stages after this many seconds")
    parser.add_argument("--generate-only", action="store_true",
                        help="write the project and stop")
    args = parser.parse_args(argv)
    compiled()
    if args.out:
        return run(args, args.out)
    with tempfile.TemporaryDirectory(prefix="serge-bench-") as tmp:
        return run(args, Path(tmp))


def compiled() -> None:
    """Every stage starts from bytecode, as an installed tool does (pip compiles a package
    when it installs it): the tool is compiled once here, and a PYTHONDONTWRITEBYTECODE
    in the environment, which would make every stage compile every module again, is
    dropped for the stages."""
    import compileall

    import serge_publish
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(Path(serge_publish.__file__).parent, quiet=1)


def run(args, out: Path) -> int:
    project = out / "serge"
    if project.exists() and any(project.iterdir()):
        print(f"error: {project} is not empty", file=sys.stderr)
        return 2
    langs = synth.make_project(project, args.essays, args.langs, args.seed)
    size = corpus_size(project)
    print(f"project {project}: {args.essays} essays, {size['segments']:,} segments, "
          f"{size['words']:,} words; languages {', '.join(langs)}; {machine()}")
    if args.generate_only:
        return 0
    measures = bench_serge(project, langs, args.budget)
    whole = total(measures, PIPELINE)
    print()
    print(table(measures + [whole],
                f"serge-publish, N={args.essays} essays, L={len(langs)} languages"))
    speed = relative(measures)
    if speed:
        print(f"\nThe build took {speed:.1f} times the reference workload's CPU time "
              "(comparable from one run to another, whatever the machine's speed).")
    result = {"essays": args.essays, "langs": list(langs), "seed": args.seed, **size,
              "machine": machine(), "serge": [asdict(m) for m in measures + [whole]],
              "build_over_reference": relative(measures)}
    if args.anchors:
        import anchors
        result["anchors"] = anchors.run_all(out, project, langs, whole)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print("\nTimes are from a shared machine (noisy): compare the CPU column.")
    return 0 if measures and all(m.ok for m in measures) else 1


if __name__ == "__main__":
    sys.exit(main())
