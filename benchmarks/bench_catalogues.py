"""Benchmark ``extract`` and ``update`` on a synthetic project (issue 8).

Run: .venv/bin/python benchmarks/bench_catalogues.py [--essays 20] [--langs 5] [--jobs N]
     [--profile] [--keep DIR]

Makes a project of N essays (the shipped essays copied under new ids) in L languages,
its catalogues filled with pseudo-translations (as ``serge-publish pseudo`` fills them),
then times, in CPU seconds (this process and its workers) and wall seconds:

* ``update`` of every catalogue with the cache deleted (every catalogue merged);
* ``update`` again, nothing changed (every catalogue skipped by the cache);
* ``update`` after a translator saved one catalogue (that one merged again);
* ``extract`` with the cache deleted, then again with nothing changed;
* with the first language's catalogues half translated: ``update`` after a translator
  finished one more sentence in one of them. Every catalogue of that language with
  untranslated entries is merged again (the new translation could fill an identical
  sentence there), each with a translation memory of the language's other catalogues.

Per-catalogue times are the stage's time divided by the number of catalogues. The machine
may be shared: CPU time is the figure to compare, wall time shows the use of the cores.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serge_publish import catalog, languages  # noqa: E402
from serge_publish.catalog.po import read_catalog  # noqa: E402
from serge_publish.commands.catalog import extract_command, update_command  # noqa: E402
from serge_publish.project import find_project  # noqa: E402

LANGUAGES = ["fr", "es", "de", "it", "pt", "nl", "sv", "pl", "cs", "da", "fi", "ro"]


def make_project(where: Path, essays: int, langs: list[str]) -> Path:
    """The synthetic project: sources copied under new ids, catalogues pseudo-filled."""
    root = where / "project"
    (root / "source").mkdir(parents=True)
    config = (ROOT / "serge-publish.toml").read_text(encoding="utf-8")
    config = config.replace('target_languages = ["fr", "es", "de"]',
                            "target_languages = [" + ", ".join(f'"{t}"' for t in langs) + "]")
    (root / "serge-publish.toml").write_text(config, encoding="utf-8")
    shipped = sorted((ROOT / "source").glob("*.xml"))
    for n in range(essays):
        original = shipped[n % len(shipped)]
        shutil.copyfile(original, root / "source" / f"{original.stem}-{n:03d}.xml")
    project = find_project(root)
    update_command(project, jobs=1)
    for path in sorted((root / "locale").glob("*/LC_MESSAGES/*.po")):
        po = read_catalog(path)
        catalog.pseudo_catalog(po)
        catalog.save_catalog(path, po)
    return root


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(label: str, count: int, run, profile: bool = False) -> None:
    profiler = cProfile.Profile() if profile else None
    start_cpu, start = cpu(), time.perf_counter()
    if profiler:
        profiler.enable()
    results = run()
    if profiler:
        profiler.disable()
    used, wall = cpu() - start_cpu, time.perf_counter() - start
    print(f"{label:<44} {used:7.2f} s CPU {wall:7.2f} s wall   "
          f"{1000 * used / count:8.2f} ms CPU per catalogue ({count})")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--essays", type=int, default=20)
    parser.add_argument("--langs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--profile", action="store_true", help="cProfile each stage")
    parser.add_argument("--keep", type=Path, help="make the project in this folder")
    args = parser.parse_args()
    langs = LANGUAGES[:args.langs]
    where = args.keep or Path(tempfile.mkdtemp(prefix="serge-bench-"))
    try:
        root = make_project(where, args.essays, langs)
        project = find_project(root)
        cache = root / ".serge-cache"
        pos = args.essays * len(langs)
        print(f"N={args.essays} essays, L={len(langs)} languages, {pos} catalogues, "
              f"jobs={args.jobs or 'all cores'}")

        def update():
            return update_command(project, jobs=args.jobs)

        shutil.rmtree(cache, ignore_errors=True)
        timed("update, every catalogue merged (no cache)", pos, update, args.profile)
        timed("update, nothing changed", pos, update, args.profile)
        one = project.po_path(languages.to_gettext(langs[0]), project.essays()[0])
        one.write_bytes(one.read_bytes().replace(b"\xe2\x9f\xa6", b"\xe2\x9f\xa6 ", 1))
        timed("update, one catalogue saved by a translator", pos, update, args.profile)
        shutil.rmtree(cache, ignore_errors=True)
        timed("extract, every template (no cache)", args.essays,
              lambda: extract_command(project, jobs=args.jobs), args.profile)
        timed("extract, nothing changed", args.essays,
              lambda: extract_command(project, jobs=args.jobs), args.profile)
        half = sorted((root / "locale" / languages.to_gettext(langs[0])).rglob("*.po"))
        for path in half:
            po = read_catalog(path)
            for entry in list(po)[::2]:
                entry.msgstr = ""
            catalog.save_catalog(path, po)
        update()
        po = read_catalog(half[0])
        entry = next(e for e in po if not e.msgstr)
        entry.msgstr = catalog.pseudo_message(entry.msgid)
        catalog.save_catalog(half[0], po)
        timed(f"update, {langs[0]} half translated, one sentence more", pos, update,
              args.profile)
    finally:
        if not args.keep:
            shutil.rmtree(where, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
