"""The reading half of ``serge-publish build``: read every source, read and apply every
catalogue, decide which editions are published. Writes nothing.

An edition is published when its language is the source language, or when at least
``threshold`` % of the words of its essay (reader comments excluded unless configured)
have a finished translation. Every fallback is counted.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .. import catalog, languages
from ..errors import CatalogError, ProjectError, Report
from ..model import Document, iter_segments, published
from ..project import Project
from ..writers.edition import Edition, Publisher
from ..dates import build_date


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

    @property
    def fell_back(self) -> dict[str, int]:
        """Segments shown in the source language, by state (fuzzy ones used with
        --use-fuzzy are not among them)."""
        counts: dict[str, int] = {}
        for fallback in self.fallbacks:
            counts[fallback.state] = counts.get(fallback.state, 0) + 1
        return counts


def percent_text(percent: float, like: float = 1) -> str:
    """``percent`` rounded DOWN, with as many decimals as ``like`` (the threshold) has:
    79.6 is "79" (never "80" when 80% are needed); 79.66 with 79.5 needed is "79.6"."""
    shown = f"{like:g}"
    decimals = min(len(shown.partition(".")[2]), 2) if "e" not in shown else 1
    scale = 10 ** decimals
    return f"{math.floor(percent * scale) / scale:.{decimals}f}"


@dataclass(frozen=True)
class Plan:
    source_lang: str
    langs: tuple[str, ...]
    essays: tuple[str, ...]                    # every essay of the project, sorted
    selected: tuple[str, ...]                  # the essays to write
    editions: dict[tuple[str, str], EditionPlan] = field(default_factory=dict)

    def published(self, lang: str) -> list[EditionPlan]:
        return [p for e in self.essays if (p := self.editions[(lang, e)]).published]


def plan_source(project: Project, doc: Document, publisher: Publisher) -> EditionPlan:
    edition = Edition(doc, doc.lang, doc.lang, publisher, build_date(doc.metadata.date))
    return EditionPlan(doc.lang, doc.id, edition, True, "source language",
                       segments=(("translated", sum(1 for _ in iter_segments(doc))),))


def plan_translation(project: Project, doc: Document, lang: str, publisher: Publisher,
                     threshold: float, use_fuzzy: bool, report: Report) -> EditionPlan:
    """Apply ``lang``'s catalogue of ``doc`` and decide whether it is published."""
    path = project.po_path(languages.to_gettext(lang), doc.id)
    rel = _relative(project, path)
    if not path.is_file():
        return _not_translated(doc, lang, f"no catalogue {rel}", rel)
    try:
        po = catalog.read_catalog(path)
    except CatalogError as exc:
        hint = f" ({exc.hint})" if exc.hint else " (fix the file there; `msgfmt -c` checks it)"
        report.warn("build.catalogue-unreadable", f"{exc.message}; edition not built{hint}",
                    exc.where or rel)
        return _not_translated(doc, lang, "catalogue unreadable", rel)
    charset = catalog.charset_warning(path, rel)
    if charset is not None:
        report.diagnostics.append(charset)
    result = catalog.apply_catalog(doc, po, lang, use_fuzzy=use_fuzzy, po_path=rel)
    for status in result.statuses:
        if status.state == "invalid":
            report.warn("build.invalid-translation",
                        f"segment {status.id}: {status.message}; the source text is used",
                        status.where or rel)
    translators = tuple(dict.fromkeys(project.config.translators_of(lang)
                                      + result.translators))
    fallbacks = _fallbacks(result, use_fuzzy)
    edition = Edition(result.document, lang, doc.lang, publisher,
                      build_date(doc.metadata.date, po.metadata), translators, len(fallbacks))
    complete = result.percent >= threshold
    reason = f"{percent_text(result.percent, threshold)}% {'>=' if complete else '<'} " \
             f"{threshold:g}% needed"
    return EditionPlan(lang, doc.id, edition, complete, reason, rel, result.words_total,
                       result.words_translated, _counts(result), fallbacks)


def _not_translated(doc: Document, lang: str, reason: str, rel: str) -> EditionPlan:
    """No edition (no catalogue, or one that cannot be read): every segment counts as
    untranslated, so the numbers say 0% of the source's words, all fallen back."""
    result = catalog.apply_catalog(doc, None, lang)
    return EditionPlan(lang, doc.id, None, False, reason, rel, result.words_total, 0,
                       _counts(result), _fallbacks(result, False))


def _fallbacks(result, use_fuzzy: bool) -> tuple[Fallback, ...]:
    return tuple(Fallback(s.id, s.state, s.where, s.message) for s in result.statuses
                 if s.state != "translated"
                 and not (s.state == "fuzzy" and use_fuzzy and not s.message))


def _counts(result) -> tuple[tuple[str, int], ...]:
    counts = dict.fromkeys(catalog.STATES, 0)
    for status in result.statuses:
        counts[status.state] += 1
    return tuple(counts.items())


def _relative(project: Project, path) -> str:
    try:
        return str(path.relative_to(project.root))
    except ValueError:
        return str(path)


def resolve_languages(project: Project, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The languages to build: those asked for, else the source and configured targets."""
    if not codes:
        return project.config.site_languages
    tags: list[str] = []
    for code in codes:
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
    source = project.config.source_language
    publisher = Publisher(project.config.name, project.config.publisher, project.config.rights)
    langs = resolve_languages(project, codes)
    plan = Plan(source, langs, tuple(sorted(docs)), tuple(selected) or tuple(sorted(docs)))
    for essay, doc in sorted(docs.items()):
        doc = replace(published(doc, include_comments),
                      lang=languages.normalize(doc.lang or source))
        for lang in langs:
            tick(f"{lang}: {essay}")
            plan.editions[(lang, essay)] = (
                plan_source(project, doc, publisher) if lang == doc.lang else
                plan_translation(project, doc, lang, publisher, threshold, use_fuzzy, report))
    return plan
