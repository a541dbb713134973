"""CPU of rendering essays (``writers/essay.py``: ``render_essay``), per essay-language.

    python benchmarks/bench_render.py PROJECT [--essays N] [--repeat R] [--profile OUT]
                                              [--memo essay|pass] [--digest]

Reads the sources of ``PROJECT`` (a project made by ``bench_pipeline.py``, or any
project), applies each language's catalogue once, then renders every essay in every
language (the source's too) ``R`` times, as a build does: the EPUB's render (a copy
given) then the HTML page's (``last_use``: the kept tree), with the typography memo
emptied before each essay-language (``--memo essay``, the default: a build sees each text
once per language, and a warm memo would hide the cost of typesetting), or only before
each pass over every essay-language (``--memo pass``: as a build of the synthetic project
in one process, whose essays share sentences). Prints the process CPU time per
essay-language.
``--digest``: prints a SHA-256 of every tree rendered, to compare two versions of the
renderer (byte-identity) without a build. ``--profile OUT``: a cProfile of the rendering.
"""
from __future__ import annotations

import argparse
import cProfile
import hashlib
import sys
import time
from dataclasses import replace
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from serge_publish import catalog, languages  # noqa: E402
from serge_publish.config import load_config  # noqa: E402
from serge_publish.model import Document, published  # noqa: E402
from serge_publish.project import Project  # noqa: E402
from serge_publish.sourcexml import read_source  # noqa: E402
from serge_publish.writers import essay, typography  # noqa: E402
from serge_publish.writers.furniture import furniture_for  # noqa: E402


def editions(root: Path, essays: int | None) -> list[tuple[Document, str]]:
    """(document, language) of every edition of the first ``essays`` essays."""
    project = Project(root, load_config(root / "serge-publish.toml"))
    source_lang = project.config.source_language
    out = []
    paths = sorted(project.source_dir.glob("*.xml"))[:essays]
    for path in paths:
        doc = read_source(path)
        doc = replace(published(doc), lang=languages.normalize(doc.lang or source_lang))
        out.append((doc, doc.lang))
        for lang in project.config.target_languages:
            if lang == doc.lang:
                continue
            po_path = project.po_path(languages.to_gettext(lang), path.stem)
            if not po_path.is_file():
                continue
            po = catalog.read_translations(po_path)     # as the build reads it
            out.append((catalog.apply_catalog(doc, po, lang).document, lang))
    return out


def render_all(items: list[tuple[Document, str]], digest: bool,
               memo: str = "essay") -> list[str]:
    digests = []
    typography._MEMO.clear()
    for doc, lang in items:
        if memo == "essay":
            typography._MEMO.clear()
        furniture = furniture_for(lang)
        first = essay.render_essay(doc, lang, furniture)
        last = essay.render_essay(doc, lang, furniture, last_use=True)
        if digest:
            h = hashlib.sha256(etree.tostring(first.section, encoding="utf-8"))
            h.update(etree.tostring(last.section, encoding="utf-8"))
            h.update(repr((last.title, last.toc, last.diagnostics)).encode())
            digests.append(f"{h.hexdigest()}  {doc.id} {lang}")
    essay._LAST_RENDERED.clear()
    return digests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--essays", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--memo", choices=("essay", "pass"), default="essay")
    parser.add_argument("--digest", action="store_true")
    args = parser.parse_args(argv)
    items = editions(args.project, args.essays)
    if args.digest:
        print("\n".join(render_all(items, True, args.memo)))
        return 0
    render_all(items, False, args.memo)          # warm up (imports, compiled patterns)
    profiler = cProfile.Profile() if args.profile else None
    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        if profiler:
            profiler.enable()
        render_all(items, False, args.memo)
        if profiler:
            profiler.disable()
        best = min(best, time.process_time() - start)
    if profiler:
        profiler.dump_stats(str(args.profile))
    print(f"{len(items)} essay-languages: {best / len(items) * 1000:.2f} ms CPU each "
          f"(best of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
