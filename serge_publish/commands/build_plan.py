"""The reading half of ``serge-publish build``: read every source, read and apply every
catalogue, decide which editions are published. Writes nothing.

An edition is published when its language is the source language, or when at least
``threshold`` % of the words of its essay (reader comments excluded unless configured)
have a finished translation. Every fallback is counted.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, replace

from .. import catalog, languages
from ..errors import CatalogError, ProjectError, PublishError, Report
from ..model import NOT_ESSAY_KINDS, Document, filter_blocks, iter_segments
from ..project import Project
from ..writers.edition import Edition, Publisher

ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)
STATES = ("translated", "fuzzy", "untranslated", "invalid")


@dataclass(frozen=True)
class Fallback:
    """A segment shown in the source language, and why (for invalid ones)."""
    id: str
    state: str
    where: str = ""
    message: str = ""


@dataclass(frozen=True)
class EditionPlan:
    """One essay in one language: the decision, and the numbers behind it."""
    lang: str
    essay: str
    edition: Edition | None          # None when there is nothing to build (no catalogue)
    published: bool
    reason: str                      # why it is (not) published
    catalogue: str = ""              # project-relative path of the catalogue used
    words_total: int = 0
    words_translated: int = 0
    segments: tuple[tuple[str, int], ...] = ()    # state -> number of segments
    fallbacks: tuple[Fallback, ...] = ()

    @property
    def percent(self) -> float:
        if not self.words_total:
            return 100.0
        return 100.0 * self.words_translated / self.words_total


@dataclass(frozen=True)
class Plan:
    source_lang: str
    langs: tuple[str, ...]
    essays: tuple[str, ...]                    # every essay of the project, sorted
    selected: tuple[str, ...]                  # the essays to write
    editions: dict[tuple[str, str], EditionPlan] = field(default_factory=dict)

    def published(self, lang: str) -> list[EditionPlan]:
        return [p for e in self.essays if (p := self.editions[(lang, e)]).published]


def build_date(doc: Document, po=None) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set; else the latest date the sources give (the essay's date,
    the catalogue's PO-Revision-Date); never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    found = [d for d in (_iso_date(doc.metadata.date),
                         _po_date(po.metadata.get("PO-Revision-Date", "") if po else ""))
             if d]
    return max(found, default=ZIP_EPOCH)


def _iso_date(text: str) -> dt.datetime | None:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return dt.datetime(year, month, day, tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def _po_date(text: str) -> dt.datetime | None:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::\d{2})?\s*([+-]\d{4})?",
                     text.strip())
    if not match:
        return None
    y, mo, d, h, mi, zone = match.groups()
    zone = zone or "+0000"
    offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    tz = dt.timezone(offset if zone[0] == "+" else -offset)
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), tzinfo=tz) \
            .astimezone(dt.timezone.utc)
    except ValueError:
        return None


def essay_filter(include_comments: bool):
    """The blocks an edition keeps: not those the source marks as not part of the essay,
    except reader comments when the configuration (or --include-comments) asks for them."""
    left_out = NOT_ESSAY_KINDS - {"comments"} if include_comments else NOT_ESSAY_KINDS
    return lambda block: block.kind not in left_out


def config_translators(project: Project, lang: str) -> tuple[str, ...]:
    names: list[str] = []
    for key, value in sorted(project.config.translators.items()):
        try:
            same = languages.normalize(key) == lang
        except PublishError:          # a bad key is reported by 'validate'
            same = False
        if same:
            names.extend(n.strip() for n in re.split(r"[,;]", value) if n.strip())
    return tuple(names)


def plan_source(project: Project, doc: Document, publisher: Publisher) -> EditionPlan:
    edition = Edition(doc, doc.lang, doc.lang, publisher, build_date(doc))
    return EditionPlan(doc.lang, doc.id, edition, True, "source language",
                       segments=(("translated", sum(1 for _ in iter_segments(doc))),))


def plan_translation(project: Project, doc: Document, lang: str, publisher: Publisher,
                     threshold: float, use_fuzzy: bool, report: Report) -> EditionPlan:
    """Apply ``lang``'s catalogue of ``doc`` and decide whether it is published."""
    path = project.po_path(languages.to_gettext(lang), doc.id)
    rel = _relative(project, path)
    if not path.is_file():
        return EditionPlan(lang, doc.id, None, False, f"no catalogue {rel}", rel)
    try:
        po = catalog.read_catalog(path)
    except CatalogError as exc:
        report.warn("build.catalogue-unreadable", f"{exc.message}; edition not built",
                    exc.where or rel)
        return EditionPlan(lang, doc.id, None, False, "catalogue unreadable", rel)
    result = catalog.apply_catalog(doc, po, lang, use_fuzzy=use_fuzzy, po_path=rel)
    for status in result.statuses:
        if status.state == "invalid":
            report.warn("build.invalid-translation",
                        f"segment {status.id}: {status.message}; the source text is used",
                        status.where or rel)
    translators = tuple(dict.fromkeys(config_translators(project, lang) + result.translators))
    fallbacks = tuple(Fallback(s.id, s.state, s.where, s.message) for s in result.statuses
                      if s.state != "translated"
                      and not (s.state == "fuzzy" and use_fuzzy and not s.message))
    edition = Edition(result.document, lang, doc.lang, publisher, build_date(doc, po),
                      translators, len(fallbacks))
    counts = {state: 0 for state in STATES}
    for status in result.statuses:
        counts[status.state] += 1
    percent = result.percent
    published = percent >= threshold
    reason = f"{percent:.0f}% {'>=' if published else '<'} {threshold:g}% needed"
    return EditionPlan(lang, doc.id, edition, published, reason, rel, result.words_total,
                       result.words_translated, tuple(counts.items()), fallbacks)


def _relative(project: Project, path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def resolve_languages(project: Project, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The languages to build: those asked for, else the source and configured targets."""
    source = languages.normalize(project.config.source_language)
    wanted = codes or (source, *project.config.target_languages)
    tags: list[str] = []
    for code in wanted:
        tag = languages.normalize(code)
        if tag not in tags:
            tags.append(tag)
    return tuple(tags)


def read_documents(project: Project, selected: tuple[str, ...]) -> dict[str, Document]:
    """Every source of the project, read and checked (a bad one stops the build)."""
    from ..sourcexml import read_source
    if not project.source_dir.is_dir():
        raise ProjectError(f"no source folder {project.source_dir}",
                           hint="import an essay first: serge-publish import ESSAY.txt")
    names = project.require_essays(selected)
    if not names:
        raise ProjectError(f"no essay in {project.source_dir}",
                           hint="import an essay first: serge-publish import ESSAY.txt")
    return {name: read_source(project.source_path(name)) for name in project.essays()}


def make_plan(project: Project, codes: tuple[str, ...], selected: tuple[str, ...],
              threshold: float, use_fuzzy: bool, include_comments: bool,
              report: Report, tick=lambda text: None) -> Plan:
    docs = read_documents(project, selected)
    source = languages.normalize(project.config.source_language)
    publisher = Publisher(project.config.name, project.config.publisher, project.config.rights)
    langs = resolve_languages(project, codes)
    keep = essay_filter(include_comments)
    plan = Plan(source, langs, tuple(sorted(docs)), tuple(selected) or tuple(sorted(docs)))
    for essay, doc in sorted(docs.items()):
        doc = replace(filter_blocks(doc, keep), lang=languages.normalize(doc.lang or source))
        for lang in langs:
            tick(f"{lang}: {essay}")
            plan.editions[(lang, essay)] = (
                plan_source(project, doc, publisher) if lang == doc.lang else
                plan_translation(project, doc, lang, publisher, threshold, use_fuzzy, report))
    return plan
