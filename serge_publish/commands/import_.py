"""serge-publish import: an essay file -> source/<id>.xml (and its original kept beside it)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from .. import languages
from ..errors import InputError, ProjectError, Report, SourceError
from ..importers import check_input_file, detect_format, import_document
from ..importers.hints import hints_path_for
from ..importers.ids import essay_id_problem
from ..model import Document, iter_blocks, iter_segments
from ..project import RESERVED_IDS, Project
from ..sourcexml import read_source, render_source
from .import_write import Change, write_together

ORIGINAL_SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html"}



@dataclass(frozen=True)
class ImportResult:
    path: Path
    document: Document
    counts: dict[str, int]
    kept_ids: int
    report: Report


def essay_id_for(file: Path, essay_id: str | None,
                 existing: list[str] | tuple[str, ...] = ()) -> str:
    candidate = essay_id
    if candidate is None:
        candidate = re.sub(r"[^A-Za-z0-9_-]+", "-", file.stem).strip("-")
        if not candidate[:1].isalpha():
            candidate = "essay-" + candidate
    problem = essay_id_problem(candidate, RESERVED_IDS, existing)
    if problem is not None:
        how = "pass --id" if essay_id is None else "pass another --id"
        raise InputError(problem.message, hint=f"{how} ({problem.hint})")
    return candidate


def import_command(project: Project, file: Path, essay_id: str | None, fmt: str,
                   lang: str | None, force: bool, hints: Path | None) -> ImportResult:
    """Read and check everything first; only then keep the original and write the source."""
    check_input_file(file)          # a mistyped path is named before anything else
    essay = essay_id_for(file, essay_id, project.essays())
    target = project.source_path(essay)
    old = None
    if target.is_dir():
        raise ProjectError(f"{target} is a folder where the source should be",
                           hint="move that folder aside, then import again")
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
    changes = [*original_changes(file, original, hints), Change(target, data)]
    write_together(changes, project.root, project.journal_path, f"import of {essay}")
    kept = len({r.segment.id for r in iter_segments(doc)} &
               {r.segment.id for r in iter_segments(old)}) if old else 0
    return ImportResult(target, doc, count_structure(doc), kept, report)


def original_changes(file: Path, original: Path, hints: Path | None) -> list[Change]:
    """The original (and its hints, or the removal of stale ones) in source/originals/."""
    changes = []
    if file.resolve() != original.resolve():
        changes.append(Change(original, read_kept(file)))
    kept_hints = hints_path_for(original)
    if hints is None:
        changes.append(Change(kept_hints, None))
    elif hints.resolve() != kept_hints.resolve():
        changes.append(Change(kept_hints, read_kept(hints)))
    return changes


def read_kept(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where=str(path)) from exc


def count_structure(doc: Document) -> dict[str, int]:
    kinds = Counter(block.kind for _, blocks in doc.sections
                    for block, _ in iter_blocks(blocks))
    return {
        "paragraphs": kinds["p"], "segments": sum(1 for _ in iter_segments(doc)),
        "headings": kinds["head"], "quotes": kinds["quote"], "notes": kinds["note"],
        "comments": kinds["comment"], "captions": kinds["caption"],
    }
