"""serge-publish preview and serge-publish bilingual: pages for translators, reviewers and
learners, beside the editions.

Both read the project as the build does (``build_plan.make_plan``: the same application
of every catalogue, the same fallbacks and their reasons) and write only under their own
folders::

    build/preview/<lang>/<essay>.html          every fallback marked, with its reason
    build/preview/<lang>/style.css
    build/bilingual/<src>-<tgt>/<essay>.html   source and translation side by side
    build/bilingual/<src>-<tgt>/<essay>.epub
    build/bilingual/<src>-<tgt>/style.css

An essay is previewed (or paired) whether or not its edition is published; one without a
catalogue is left out with a warning. Outputs are reproducible (same inputs, same bytes).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic, catalog, languages, package_file
from ..errors import BuildError, CatalogError, Report
from ..model import iter_segments
from ..project import Project
from ..writers.bilingual import bilingual_epub, bilingual_html
from ..writers.edition import Edition
from ..writers.preview import Mark, Preview, preview_html
from .build import stylesheet
from .build_plan import (
    NO_CATALOGUE,
    EditionPlan,
    Plan,
    catalogue_hint,
    make_plan,
    percent_text,
)
from .build_write import check_targets

PREVIEW_DIR = "preview"
BILINGUAL_DIR = "bilingual"
STYLE = "style.css"


@dataclass
class PagesResult:
    outputs: list[str]                       # project-relative paths written, sorted
    report: Report = field(default_factory=Report)
    fallbacks: dict[str, dict[str, int]] = field(default_factory=dict)   # essay -> state -> n


def preview_command(project: Project, lang: str, essays: tuple[str, ...] = (),
                    use_fuzzy: bool = False) -> PagesResult:
    """Write the preview pages of ``lang`` (every essay, or ``essays``)."""
    tag = languages.normalize(lang)
    report = Report()
    plan = _plan(project, (tag,), essays, use_fuzzy, report)
    if tag == plan.source_lang:
        raise BuildError(f"{tag} is the source language: there is nothing to preview",
                         hint="pass a target language: serge-publish preview --lang fr")
    top, folder = _target(project, PREVIEW_DIR, tag)
    files: dict[str, bytes] = {}
    result = PagesResult([], report)
    for item, edition in _editions(plan, tag, report):
        preview = _preview(project, item, edition, folder)
        files[f"{item.essay}.html"], diagnostics = preview_html(preview, STYLE)
        report.diagnostics.extend(diagnostics)
        result.fallbacks[item.essay] = item.fell_back
    files[STYLE] = stylesheet() + _css("preview.css")
    result.outputs = _write(top, folder, files)
    return result


def bilingual_command(project: Project, pair: str, essays: tuple[str, ...] = (),
                      use_fuzzy: bool = False) -> PagesResult:
    """Write the bilingual page and EPUB of ``pair`` ("en,fr") for every essay (or
    ``essays``)."""
    source, target = _languages(pair)
    report = Report()
    plan = _plan(project, (source, target), essays, use_fuzzy, report)
    if source != plan.source_lang or target == source:
        raise BuildError(f"{pair!r}: the first language must be the source language "
                         f"({plan.source_lang}), the second a translation",
                         hint=f"serge-publish bilingual {plan.source_lang},fr")
    top, folder = _target(project, BILINGUAL_DIR, f"{source}-{target}")
    css = stylesheet() + _css("bilingual.css")
    files: dict[str, bytes] = {STYLE: css}
    result = PagesResult([], report)
    originals = {item.essay: edition for item, edition in _editions(plan, source, report)}
    for item, edition in _editions(plan, target, report):
        original = originals[item.essay]
        page, diagnostics = bilingual_html(original, edition, STYLE)
        book, more = bilingual_epub(original, edition, css)
        files[f"{item.essay}.html"], files[f"{item.essay}.epub"] = page, book
        for diagnostic in (*diagnostics, *more):
            if diagnostic not in report.diagnostics:
                report.diagnostics.append(diagnostic)
        result.fallbacks[item.essay] = item.fell_back
    result.outputs = _write(top, folder, files)
    return result


# ---------------------------------------------------------------- reading

def _languages(pair: str) -> tuple[str, str]:
    parts = [p.strip() for p in pair.split(",")]
    if len(parts) != 2 or not all(parts):
        raise BuildError(f"{pair!r} is not two languages", hint="write SOURCE,TARGET, "
                         "for example: serge-publish bilingual en,fr")
    return languages.normalize(parts[0]), languages.normalize(parts[1])


def _plan(project: Project, langs: tuple[str, ...], essays: tuple[str, ...],
          use_fuzzy: bool, report: Report) -> Plan:
    config = project.config
    return make_plan(project, langs, essays, config.threshold, use_fuzzy,
                     config.include_comments, report)


def _editions(plan: Plan, lang: str, report: Report) -> list[tuple[EditionPlan, Edition]]:
    """The editions of ``lang`` to show: every selected essay that has a catalogue."""
    found = []
    for essay in plan.selected:
        item = plan.editions[(lang, essay)]
        if item.edition is None:
            report.warn("preview.no-catalogue", f"{lang}/{essay} left out: {item.reason}",
                        item.catalogue)
        else:
            found.append((item, item.edition))
    if not found:
        broken = [plan.editions[(lang, e)] for e in plan.selected
                  if not plan.editions[(lang, e)].reason.startswith(NO_CATALOGUE)]
        raise BuildError(f"no catalogue of {lang} to show",
                         hint=catalogue_hint(broken[0])
                         if broken else f"make them first: serge-publish update --lang {lang}")
    return found


def _preview(project: Project, item: EditionPlan, edition: Edition, folder: Path) -> Preview:
    lines = catalog.entry_lines(_read(project, item.catalogue))
    fallbacks = {f.id: f for f in item.fallbacks}
    marks = []
    for segment_id in (ref.segment.id for ref in iter_segments(edition.document)):
        line = lines.get(segment_id)
        where = f"{item.catalogue}:{line}" if line else ""
        fallback = fallbacks.get(segment_id)
        marks.append(Mark(segment_id, fallback.state, fallback.where or where,
                          fallback.message) if fallback else
                     Mark(segment_id, "translated", where))
    href = Path(os.path.relpath(project.root / item.catalogue, folder)).as_posix()
    return Preview(edition, tuple(marks), item.catalogue, href,
                   percent_text(item.percent, project.config.threshold))


def _read(project: Project, rel: str):
    try:
        return catalog.read_catalog(project.root / rel)
    except CatalogError:             # the plan has reported it; no lines then
        return None


def _css(name: str) -> bytes:
    return b"\n" + package_file(f"data/{name}").read_bytes()


# ---------------------------------------------------------------- writing

def _target(project: Project, *parts: str) -> tuple[Path, Path]:
    """build/ and the folder under it these pages go to: named to be written, never read."""
    return project.build_dir, project.build_dir.joinpath(*parts)


def _write(top: Path, folder: Path, files: dict[str, bytes]) -> list[str]:
    """Every file atomically, after checking that each can be written."""
    base = folder.relative_to(top).as_posix()
    check_targets(top, [f"{base}/{name}" for name in files])
    for name in sorted(files):
        try:
            atomic.write_bytes(folder / name, files[name])
        except OSError as exc:
            raise BuildError(f"cannot write build/{base}/{name}: {exc.strerror or exc}",
                             where=str(folder / name),
                             hint="fix the problem and run the command again") from exc
    return sorted(f"build/{base}/{name}" for name in files)
