"""serge-publish import: an essay file -> source/<id>.xml (and its original kept beside it)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from .. import atomic, languages
from ..errors import InputError, ProjectError, Report, SourceError
from ..importers import detect_format, import_document
from ..importers.hints import hints_path_for
from ..model import Document, iter_blocks, iter_segments
from ..project import RESERVED_IDS, Project
from ..sourcexml import read_source, render_source

ORIGINAL_SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html"}

ESSAY_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class ImportResult:
    path: Path
    document: Document
    counts: dict[str, int]
    kept_ids: int
    report: Report


def essay_id_for(file: Path, essay_id: str | None) -> str:
    candidate = essay_id
    if candidate is None:
        candidate = re.sub(r"[^A-Za-z0-9_-]+", "-", file.stem).strip("-")
        if not candidate[:1].isalpha():
            candidate = "essay-" + candidate
    if not ESSAY_ID.match(candidate):
        raise InputError(f"{candidate!r} cannot be an essay id",
                         hint="pass --id with letters, digits, '-' or '_', starting with a letter")
    if candidate.lower() in RESERVED_IDS:
        raise InputError(f"{candidate!r} is the name of a page every edition has",
                         hint=f"pass another --id; these are taken: {', '.join(sorted(RESERVED_IDS))}")
    return candidate


def import_command(project: Project, file: Path, essay_id: str | None, fmt: str,
                   lang: str | None, force: bool, hints: Path | None) -> ImportResult:
    """Read and check everything first; only then keep the original and write the source."""
    essay = essay_id_for(file, essay_id)
    target = project.source_path(essay)
    old = None
    if target.exists():
        if not force:
            raise ProjectError(f"{target} exists already",
                               hint="pass --force to re-import it; segment ids of unchanged "
                                    "sentences are kept")
        old = read_source(target)
    tag = languages.normalize(lang) if lang else project.config.source_language
    report = Report()
    hints = hints or (hints_path_for(file) if hints_path_for(file).exists() else None)
    fmt = detect_format(file, fmt)
    doc = import_document(file, essay, fmt, tag, report, hints, old)
    original = project.originals_dir / f"{essay}{ORIGINAL_SUFFIX[fmt]}"
    source_file = original.relative_to(project.source_dir).as_posix()
    doc = replace(doc, metadata=replace(doc.metadata, source_file=source_file))
    try:
        data = render_source(doc, target)
    except SourceError as exc:
        raise InputError(f"this input gives a source the schema refuses ({exc.message})",
                         where=str(file), hint="check the structure the import found (see "
                         "'Importing' in README.md) and steer it with a hints file") from exc
    keep_original(file, original, hints)
    atomic.write_bytes(target, data)
    kept = len({r.segment.id for r in iter_segments(doc)} &
               {r.segment.id for r in iter_segments(old)}) if old else 0
    return ImportResult(target, doc, count_structure(doc), kept, report)


def keep_original(file: Path, original: Path, hints: Path | None) -> None:
    """Copy the original (and its hints, or remove stale ones) into source/originals/."""
    original.parent.mkdir(parents=True, exist_ok=True)
    if file.resolve() != original.resolve():
        atomic.write_bytes(original, file.read_bytes())
    kept_hints = hints_path_for(original)
    if hints is None:
        kept_hints.unlink(missing_ok=True)
    elif hints.resolve() != kept_hints.resolve():
        atomic.write_bytes(kept_hints, hints.read_bytes())


def count_structure(doc: Document) -> dict[str, int]:
    kinds = Counter(block.kind for _, blocks in doc.sections
                    for block, _ in iter_blocks(blocks))
    return {
        "paragraphs": kinds["p"], "segments": sum(1 for _ in iter_segments(doc)),
        "headings": kinds["head"], "quotes": kinds["quote"], "notes": kinds["note"],
        "comments": kinds["comment"], "captions": kinds["caption"],
    }
