"""serge-publish check: every check of the sources and the catalogues, for a translator, CI
and a pre-commit hook.

For each essay: the source as ``validate`` checks it; then, for each language (the ones
given, else the configured and present ones), its catalogue's syntax and header, and every
translated entry (:mod:`serge_publish.catalog.checks`) against the source segment and the
language's glossary (``locale/<lang>/glossary.csv`` or ``.tbx``); then, per language, the
same source sentence translated two ways. The project's catalogue (``_project.po``: the
anthology's title, the descriptions, the rights) is checked the same way against the
project's texts, unless essays are named. Errors fail the command; warnings fail it only
with ``strict``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import languages
from ..catalog import checks, content_to_message
from ..catalog.glossary import GLOSSARY_NAMES, Term, read_glossary
from ..errors import PublishError
from ..model import Document, iter_segments
from ..project import PROJECT_CATALOGUE, Project
from ..sourcexml import read_source
from .catalog import project_texts, status_languages
from .validate import check_names


class CheckFailed(PublishError):
    """The check found errors (or warnings, when strict)."""
    code = "check"
    exit_code = 1


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[checks.Finding, ...]
    strict: bool
    catalogues: int = 0
    languages: tuple[str, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> list[checks.Finding]:
        return [f for f in self.findings if f.severity == checks.ERROR]

    @property
    def warnings(self) -> list[checks.Finding]:
        return [f for f in self.findings if f.severity == checks.WARNING]

    @property
    def failed(self) -> bool:
        return bool(self.errors or (self.strict and self.warnings))

    def summary(self) -> str:
        return (f"{len(self.errors)} error(s), {len(self.warnings)} warning(s) in "
                f"{self.catalogues} catalogue(s) of {', '.join(self.languages) or 'no language'}")

    def raise_if_failed(self) -> None:
        if self.failed:
            raise CheckFailed(f"check failed: {self.summary()}",
                              hint="fix each finding above (its hint says how); warnings "
                                   "fail the check only with --strict")


def check_command(project: Project, langs: tuple[str, ...] = (), essays: tuple[str, ...] = (),
                  strict: bool = False) -> CheckResult:
    names = project.require_essays(essays)
    findings: list[checks.Finding] = []
    docs: dict[str, Document] = {}
    sources = {essay: _source(project, essay, findings, docs) for essay in names}
    if not essays:      # the project's texts (None: a source that cannot be read lacks)
        sources[PROJECT_CATALOGUE] = None if len(docs) < len(names) else {
            t.key: (t.text, (t.text,)) for t in project_texts(project.config, docs)
            if t.text.strip()}
    findings += [checks.Finding("check.locale-folder", checks.ERROR, d.message, d.where)
                 for d in project.stray_locale_folders()]
    findings += [checks.Finding("check.stray-catalogue", checks.WARNING, d.message, d.where)
                 for d in project.stray_catalogues()]
    tags = status_languages(project, langs)
    count = 0
    for tag in tags:
        count += _check_language(project, tag, sources, findings)
    unique = tuple(dict.fromkeys(findings))
    return CheckResult(unique, strict, count, tuple(tags))


def _source(project: Project, essay: str, findings: list, docs: dict[str, Document]
            ) -> dict | None:
    """The msgid and content of each segment of the essay, by id (its document put in
    ``docs``); None (and a finding) if the source is invalid."""
    try:
        check_names(project, [essay])            # what validate checks, one essay at a time
        doc = read_source(project.source_path(essay))
    except PublishError as exc:
        findings.append(checks.Finding("check.source", checks.ERROR, exc.message,
                                       exc.where or str(project.source_path(essay)),
                                       hint=exc.hint or ""))
        return None
    docs[essay] = doc
    return {ref.segment.id: (content_to_message(ref.segment.content)[0], ref.segment.content)
            for ref in iter_segments(doc)}


def _shown(project: Project, path: Path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def glossary(project: Project, tag: str, findings: list) -> tuple[Term, ...]:
    """The language's glossary terms (none without a glossary file)."""
    folder = project.locale_dir / languages.to_gettext(tag)
    terms: tuple[Term, ...] = ()
    for name in GLOSSARY_NAMES:
        path = folder / name
        if path.exists():                   # (not a file: read_glossary says so)
            try:
                terms += read_glossary(path, _shown(project, path),
                                       project.config.source_language, tag)
            except PublishError as exc:
                findings.append(checks.Finding("check.glossary-file", checks.ERROR,
                                               exc.message, exc.where or "", hint=exc.hint or ""))
    return terms


def _check_language(project: Project, tag: str, sources: dict, findings: list) -> int:
    terms = glossary(project, tag, findings)
    gettext = languages.to_gettext(tag)
    done: list[checks.Translation] = []
    count = 0
    for essay, source in sources.items():
        path = project.po_path(gettext, essay)
        if not path.exists():               # (not a file: catalog_file_findings says so)
            continue
        count += 1
        shown = _shown(project, path)
        po, found = checks.catalog_file_findings(path, shown, gettext)
        findings += found
        if po is None or source is None:
            continue
        twice = checks.segments_twice(po)        # (an error already: nothing more said)
        for entry in po:
            if entry.obsolete or entry.msgctxt is None or entry.msgctxt in twice:
                continue
            findings += checks.entry_findings(entry, source.get(entry.msgctxt), tag, shown,
                                              terms)
            if checks.translated(entry) and essay != PROJECT_CATALOGUE:
                done.append(checks.Translation(entry.msgid, entry.msgstr,
                                               checks.where(shown, entry), entry.msgctxt))
    findings += checks.consistency_findings(done)
    return count


def check_json(result: CheckResult) -> str:
    return json.dumps({"errors": len(result.errors), "warnings": len(result.warnings),
                       "strict": result.strict, "failed": result.failed,
                       "languages": list(result.languages), "catalogues": result.catalogues,
                       "findings": [f.as_dict() for f in result.findings]},
                      indent=2, ensure_ascii=False)
