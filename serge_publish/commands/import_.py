"""serge-publish import: an essay file -> source/<id>.xml (and its original kept beside it)."""
from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import languages
from ..errors import InputError, ProjectError, Report
from ..importers import import_document
from ..importers.hints import hints_path_for
from ..model import Document, iter_blocks, iter_segments
from ..project import Project
from ..sourcexml import read_source, write_source

ESSAY_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class ImportResult:
    path: Path
    document: Document
    counts: dict[str, int]
    kept_ids: int
    report: Report


def essay_id_for(file: Path, essay_id: str | None) -> str:
    candidate = essay_id or re.sub(r"[^A-Za-z0-9_-]+", "-", file.stem).strip("-")
    if not candidate[:1].isalpha():
        candidate = "essay-" + candidate
    if not ESSAY_ID.match(candidate):
        raise InputError(f"{candidate!r} cannot be an essay id",
                         hint="pass --id with letters, digits, '-' or '_', starting with a letter")
    return candidate


def import_command(project: Project, file: Path, essay_id: str | None, fmt: str,
                   lang: str | None, force: bool, hints: Path | None) -> ImportResult:
    essay = essay_id_for(file, essay_id)
    target = project.source_path(essay)
    old = None
    if target.exists():
        if not force:
            raise ProjectError(f"{target} exists already",
                               hint="pass --force to re-import it; segment ids of unchanged "
                                    "sentences are kept")
        old = read_source(target)
    tag = languages.normalize(lang or project.config.source_language)
    report = Report()
    hints = hints or (hints_path_for(file) if hints_path_for(file).exists() else None)
    doc = import_document(file, essay, fmt, tag, report, hints, old)
    doc = keep_original(project, file, essay, hints, doc)
    write_source(doc, target)
    kept = len({r.segment.id for r in iter_segments(doc)} &
               {r.segment.id for r in iter_segments(old)}) if old else 0
    return ImportResult(target, doc, count_structure(doc), kept, report)


def keep_original(project: Project, file: Path, essay: str, hints: Path | None,
                  doc: Document) -> Document:
    """Copy the original (and its hints) to source/originals/, named after the essay."""
    from dataclasses import replace
    folder = project.originals_dir
    folder.mkdir(parents=True, exist_ok=True)
    original = folder / f"{essay}{file.suffix.lower() or '.txt'}"
    if file.resolve() != original.resolve():
        shutil.copyfile(file, original)
    if hints and hints.resolve() != hints_path_for(original).resolve():
        shutil.copyfile(hints, hints_path_for(original))
    source_file = original.relative_to(project.source_dir).as_posix()
    return replace(doc, metadata=replace(doc.metadata, source_file=source_file))


def count_structure(doc: Document) -> dict[str, int]:
    kinds = Counter(block.kind for _, blocks in doc.sections
                    for block, _ in iter_blocks(blocks))
    return {
        "paragraphs": kinds["p"], "segments": sum(1 for _ in iter_segments(doc)),
        "headings": kinds["head"], "quotes": kinds["quote"], "notes": kinds["note"],
        "comments": kinds["comment"], "captions": kinds["caption"],
    }
