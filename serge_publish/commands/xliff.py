"""serge-publish xliff export / import: the catalogues as XLIFF 1.2 for CAT tools, and back.

``export`` writes ``<output>/<essay>.<lang>.xlf`` (default output: ``xliff/<lang>/`` in
the project, a working folder for the translators, not a build output) from each essay's
catalogue in the language (:mod:`serge_publish.catalog.xliff`).

``import`` reads XLIFF files (ours, after a CAT tool) and merges their targets into the
catalogues they name (``<file original="locale/fr/LC_MESSAGES/essay.po">``), unit by unit
by segment id. A unit is skipped, and reported with its file, line and id, when its inline
codes cannot be read back, its placeholders do not match the source's (the codes of
``serge-publish check``), its source sentence changed since the export, or the
catalogue's translation changed since the export (unless ``force``). The rest is imported;
the command fails (exit 4) when a unit was skipped, after writing what it could.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import atomic, languages
from ..catalog import checks, content_to_message, read_catalog, save_catalog, xliff
from ..catalog.placeholders import normalize_message
from ..errors import CatalogError, ProjectError, PublishError
from ..model import iter_segments
from ..project import Project
from ..sourcexml import read_source


@dataclass(frozen=True)
class ExportResult:
    essay: str
    path: Path
    units: int


def _relative(project: Project, path: Path) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return str(path)


def export_command(project: Project, lang: str, output: Path | None = None,
                   essays: tuple[str, ...] = ()) -> list[ExportResult]:
    tag = languages.normalize(lang)
    gettext = languages.to_gettext(tag)
    folder = output or project.root / "xliff" / tag
    results = []
    for essay in project.require_essays(essays):
        path = project.po_path(gettext, essay)
        if not path.exists():
            raise ProjectError(f"no catalogue of {essay!r} in {tag}", where=str(path),
                               hint=f"run 'serge-publish update --lang {tag}' first")
        po = read_catalog(path)
        data = xliff.catalog_to_xliff(po, original=_relative(project, path),
                                      source_lang=project.config.source_language,
                                      target_lang=tag)
        target = folder / f"{essay}.{tag}.xlf"
        atomic.write_bytes(target, data)
        results.append(ExportResult(essay, target, sum(1 for e in po if not e.obsolete
                                                       and e.msgctxt is not None)))
    return results


# ---------------------------------------------------------------------------------- import

class ImportIncomplete(PublishError):
    code = "xliff"
    exit_code = 4


@dataclass(frozen=True)
class ImportResult:
    source: str                      # the XLIFF file
    catalogue: str                   # the .po file
    counts: Counter
    findings: tuple[checks.Finding, ...]
    written: bool

    def summary(self) -> str:
        c = self.counts
        return (f"{self.source} -> {self.catalogue}: {c['updated']} updated, "
                f"{c['unchanged']} unchanged, {c['skipped']} skipped"
                f"{', written' if self.written else ', not written (nothing changed)'}")


def import_command(project: Project, files: tuple[Path, ...], force: bool = False
                   ) -> list[ImportResult]:
    results = []
    for file in files:
        shown = _relative(project, file.resolve()) if file.is_absolute() else str(file)
        for part in xliff.read_xliff(file, shown):
            results.append(_import_file(project, part, force))
    return results


def _catalogue(project: Project, part: xliff.XliffFile) -> tuple[str, Path]:
    """The essay and catalogue an XLIFF ``<file>`` names; CatalogError if none of ours."""
    try:
        tag = languages.normalize(part.target_lang)
        essay = PurePosixPath(part.original).stem
        path = project.po_path(languages.to_gettext(tag), essay)
    except PublishError:
        path = None
    if path is None or _relative(project, path) != part.original or not path.exists():
        raise CatalogError(f"the file names {part.original!r} in {part.target_lang!r}, which "
                           "is not a catalogue of this project", part.path,
                           "import the XLIFF files 'serge-publish xliff export' wrote, "
                           "into the project they came from")
    return essay, path


def _segments(project: Project, essay: str) -> dict:
    doc = read_source(project.source_path(essay))
    return {ref.segment.id: (content_to_message(ref.segment.content)[0], ref.segment.content)
            for ref in iter_segments(doc)}


def _import_file(project: Project, part: xliff.XliffFile, force: bool) -> ImportResult:
    essay, path = _catalogue(project, part)
    segments = _segments(project, essay)
    po = read_catalog(path)
    entries = {e.msgctxt: e for e in po if not e.obsolete and e.msgctxt is not None}
    counts: Counter = Counter()
    findings: list[checks.Finding] = []
    for unit in part.units:
        problems = _problems(unit, entries.get(unit.id), segments.get(unit.id), part.path)
        if problems:
            findings += problems
            counts["skipped"] += 1
            continue
        if not unit.target:
            counts["unchanged"] += 1
            continue
        outcome = xliff.merge_unit(entries[unit.id], unit, force)
        where = f"{part.path}:{unit.line}"
        if outcome.action == "conflict":
            counts["skipped"] += 1
            findings.append(checks.Finding("xliff.conflict", checks.ERROR, outcome.message,
                                           where, unit.id, "merge the two translations by "
                                           "hand, or import again with --force"))
            continue
        counts[outcome.action] += 1
        if outcome.message:
            findings.append(checks.Finding("xliff.replaced", checks.WARNING, outcome.message,
                                           where, unit.id, "check the entry in the catalogue"))
    written = bool(counts["updated"]) and save_catalog(path, po)
    return ImportResult(part.path, _relative(project, path), counts, tuple(findings), written)


def _problems(unit: xliff.Unit, entry, segment, shown: str) -> list[checks.Finding]:
    where = f"{shown}:{unit.line}"
    if unit.problem:
        return [checks.Finding("xliff.broken-unit", checks.ERROR, unit.problem, where, unit.id,
                               "keep the inline codes the CAT tool shows as tags; do not "
                               "type them")]
    if entry is None:
        return [checks.Finding("xliff.unknown-unit", checks.ERROR, "no entry of the catalogue "
                               "has this id", where, unit.id, "export again after "
                               "'serge-publish update'")]
    if normalize_message(unit.source) != normalize_message(entry.msgid):
        return [checks.Finding("xliff.source-changed", checks.ERROR, "the source sentence "
                               "changed since the export", where, unit.id,
                               "export again and translate the new sentence")]
    if not unit.target:
        return []
    content = segment[1] if segment and segment[0] == entry.msgid else None
    return checks.placeholder_findings(unit.target, entry.msgid, content, where, unit.id)


def raise_if_skipped(results: list[ImportResult]) -> None:
    skipped = sum(r.counts["skipped"] for r in results)
    if skipped:
        raise ImportIncomplete(f"{skipped} unit(s) not imported (see above); the others were",
                               hint="fix them in the CAT tool and import the file again")
