"""The reading half of ``serge-publish build``: read every source, read and apply every
catalogue, decide which editions are published. Writes nothing.

An edition is published when its language is the source language, when at least
``threshold`` % of the words of its essay (reader comments excluded unless configured)
have a finished translation, or when ``published.toml`` lists it (it was published once:
falling below the threshold does not unpublish it; removing it from that file does).
Every fallback is counted.

The plan covers the languages of this run and every configured language, whichever are
built: the links between languages come from these decisions, never from ``build/``, so a
partial build writes the same bytes as a full one for the files it writes.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .. import catalog, languages
from ..config import load_published, published_line
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
    kept: bool = False               # below the threshold, published as published.toml lists it

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
    langs: tuple[str, ...]                     # the languages of this run
    essays: tuple[str, ...]                    # every essay of the project, sorted
    selected: tuple[str, ...]                  # the essays to write
    site: tuple[str, ...] = ()                 # the source and configured targets (linked)
    record: dict[str, tuple[str, ...]] = field(default_factory=dict)   # published.toml
    editions: dict[tuple[str, str], EditionPlan] = field(default_factory=dict)

    def published(self, lang: str) -> list[EditionPlan]:
        return [p for e in self.essays if (p := self.editions[(lang, e)]).published]

    def linked(self, lang: str, essay: str | None = None) -> tuple[str, ...]:
        """The languages a page of ``lang`` links (its own included): the site's languages,
        and ``lang`` itself when it is not one of them (a pseudo-translation), that publish
        ``essay`` (None: any essay)."""
        order = self.site if lang in self.site else (*self.site, lang)
        return tuple(t for t in order if (self.editions[(t, essay)].published
                                          if essay else self.published(t)))

    def newly_published(self) -> dict[str, tuple[str, ...]]:
        """Editions of this run's configured target languages published now by the threshold
        and not yet in published.toml: language -> essays."""
        found: dict[str, tuple[str, ...]] = {}
        for lang in self.langs:
            if lang == self.source_lang or lang not in self.site:
                continue
            new = tuple(e for e in self.selected if self.editions[(lang, e)].published
                        and e not in self.record.get(lang, ()))
            if new:
                found[lang] = new
        return found


def plan_source(project: Project, doc: Document, publisher: Publisher) -> EditionPlan:
    edition = Edition(doc, doc.lang, doc.lang, publisher, build_date(doc.metadata.date))
    return EditionPlan(doc.lang, doc.id, edition, True, "source language",
                       segments=(("translated", sum(1 for _ in iter_segments(doc))),))


def plan_translation(project: Project, doc: Document, lang: str, publisher: Publisher,
                     threshold: float, use_fuzzy: bool, report: Report,
                     listed: bool = False) -> EditionPlan:
    """Apply ``lang``'s catalogue of ``doc`` and decide whether it is published (``listed``:
    published.toml lists it)."""
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
    result = catalog.apply_catalog(doc, po, lang, use_fuzzy=use_fuzzy, po_path=rel)
    report.diagnostics.extend(result.diagnostics)
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
    kept = listed and not complete
    if kept:
        reason += "; published: listed in published.toml"
    return EditionPlan(lang, doc.id, edition, complete or kept, reason, rel,
                       result.words_total, result.words_translated, _counts(result),
                       fallbacks, kept)


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
    """Every decision of the build, for this run's languages and the configured ones (the
    warnings of the latter are not reported: this run does not build them)."""
    docs = read_documents(project, selected)
    source = project.config.source_language
    publisher = Publisher(project.config.name, project.config.publisher, project.config.rights)
    langs = resolve_languages(project, codes)
    site = project.config.site_languages
    plan = Plan(source, langs, tuple(sorted(docs)), tuple(selected) or tuple(sorted(docs)),
                site, load_published(project.published_path))
    for essay, doc in sorted(docs.items()):
        doc = replace(published(doc, include_comments),
                      lang=languages.normalize(doc.lang or source))
        for lang in (*langs, *(t for t in site if t not in langs)):
            tick(f"{lang}: {essay}")
            told = report if lang in langs else Report()
            listed = essay in plan.record.get(lang, ())
            item = plan_source(project, doc, publisher) if lang == doc.lang else \
                plan_translation(project, doc, lang, publisher, threshold, use_fuzzy, told,
                                 listed)
            if listed and lang in langs:
                _check_listed(project, item, told)
            plan.editions[(lang, essay)] = item
    _check_record(project, plan, report)
    return plan


def _check_record(project: Project, plan: Plan, report: Report) -> None:
    """published.toml entries of this run's languages that name no essay (removed or
    renamed) are reported: they publish nothing."""
    for lang in plan.langs:
        unknown = [e for e in plan.record.get(lang, ()) if e not in plan.essays]
        if unknown:
            report.warn("build.published-unknown",
                        f"{lang}: {', '.join(unknown)} is listed but there is no such essay "
                        "in source/; remove it from published.toml",
                        published_line(project.published_path, lang))


def _check_listed(project: Project, item: EditionPlan, report: Report) -> None:
    """An edition published.toml lists is built even below the threshold (the report says
    so); one that cannot be built stops the build: it would vanish from every page."""
    where = published_line(project.published_path, item.lang)
    if item.edition is None:
        raise CatalogError(f"{item.essay} is published in {item.lang} ({where}), but its "
                           f"edition cannot be built: {item.reason}", where=item.catalogue,
                           hint="fix or restore the catalogue (serge-publish update "
                                f"--lang {item.lang}), or remove {item.essay} from "
                                f"published.toml to unpublish it")
    if item.kept:
        report.warn("build.published-below-threshold",
                    f"{item.lang}/{item.essay} is below the threshold ({item.reason.split(';')[0]}) "
                    f"but stays published, as published.toml lists it: "
                    f"{len(item.fallbacks)} segments are shown in the original; remove it "
                    "from published.toml to unpublish it", where)
