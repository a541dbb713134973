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

import dataclasses
import os
import pickle
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import languages
from ..collector import paused as gc_paused
from ..config import CONFIG_NAME, load_published, published_line
from ..dates import build_date
from ..errors import CatalogError, ProjectError, Report
from ..model import Document, iter_segments, noteref_targets, published
from ..names import looks_like_name
from ..percent import percent_text
from ..project import PROJECT_CATALOGUE, Project
from ..writers.edition import Credits, Edition, EssayFacts, Publisher
from .build_jobs import Jobs
from .build_state import (
    FileDigests,
    State,
    diagnostic_of,
    diagnostic_row,
    digest,
    string_rows,
)


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
    buildable: bool = False          # an edition can be made (``edition`` may not be loaded)
    link: tuple | None = None        # (title, title language, authors) of a published one
    packed: bytes = b""              # the edition as a job returns it (see pack_edition)
    date: str = ""                   # the essay's first publication (orders an anthology)
    # its outputs were rendered by its plan job, which returned only its outline (``packed``,
    # see pack_outline): see build_render.prerender
    prerendered: bool = False

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


@dataclass(frozen=True)
class Plan:
    source_lang: str
    langs: tuple[str, ...]                     # the languages of this run
    essays: tuple[str, ...]                    # every essay of the project, sorted
    selected: tuple[str, ...]                  # the essays to write
    site: tuple[str, ...] = ()                 # the source and configured targets (linked)
    record: dict[str, tuple[str, ...]] = field(default_factory=dict)   # published.toml
    editions: dict[tuple[str, str], EditionPlan] = field(default_factory=dict)
    publishers: dict[str, Publisher] = field(default_factory=dict)   # lang -> project texts
    project_keys: dict[str, str] = field(default_factory=dict)   # lang -> its texts' digest

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


def plan_source(project: Project, doc: Document, publisher: Publisher,
                texts: dict[str, str] | None = None) -> EditionPlan:
    edition = Edition(doc, doc.lang, doc.lang, publisher, build_date(doc.metadata.date),
                      facts=essay_facts(project, doc, texts or {}, doc.lang, set()))
    return EditionPlan(doc.lang, doc.id, edition, True, "source language",
                       segments=(("translated", sum(1 for _ in iter_segments(doc))),),
                       buildable=True, date=doc.metadata.date)


def plan_translation(project: Project, doc: Document, lang: str, publisher: Publisher,
                     threshold: float, use_fuzzy: bool, report: Report,
                     listed: bool = False, texts: dict[str, str] | None = None,
                     done: frozenset[str] = frozenset()) -> EditionPlan:
    """Apply ``lang``'s catalogue of ``doc`` and decide whether it is published (``listed``:
    published.toml lists it)."""
    from .. import catalog  # (a build with nothing to plan does not import it)
    path = project.po_path(languages.to_gettext(lang), doc.id)
    rel = _relative(project, path)
    if not path.exists():     # (something else there, a fifo, is unreadable: said below)
        return _not_translated(doc, lang, f"{NO_CATALOGUE} {rel}", rel)
    try:
        with gc_paused():
            po = catalog.read_translations(path)
    except CatalogError as exc:
        hint = f" ({exc.hint})" if exc.hint else " (fix the file there; `msgfmt -c` checks it)"
        report.warn("build.catalogue-unreadable", f"{exc.message}; edition not built{hint}",
                    exc.where or rel)
        line = str(exc.where or "").rpartition(":")[2]
        at = f"{rel}:{line}" if line.isdecimal() else rel       # where, as the project has it
        return _not_translated(doc, lang, f"catalogue unreadable ({at}: {exc.message})", rel)
    if not po.messages and not po.metadata:
        report.warn("build.catalogue-empty", "the catalogue is empty (no header, no "
                    "message): every segment is counted untranslated and printed in the "
                    f"source language; restore it from version control (git restore {rel}), "
                    "or run 'serge-publish update', which makes it again from the template",
                    rel)
    with gc_paused():
        result = catalog.apply_catalog(doc, po, lang, use_fuzzy=use_fuzzy, po_path=rel)
    report.diagnostics.extend(result.diagnostics)
    for status in result.statuses:
        if status.state == "invalid":
            report.warn(status.code or "build.invalid-translation",
                        f"segment {status.id}: {status.message}; the source text is used",
                        status.where or rel)
    # A header that is not a name is reported unless the configuration already says how
    # the translation was made (its status): then the header is only that, a note.
    told = report if not project.config.status.get(lang) else Report()
    translators = tuple(dict.fromkeys(project.config.translators_of(lang)
                                      + _header_names(result.translators, rel, told)))
    fallbacks = _fallbacks(result, use_fuzzy)
    config = project.config
    credits = Credits(translators, config.revisers.get(lang, ()), config.editors.get(lang, ()),
                      config.status.get(lang, ""))
    edition = Edition(result.document, lang, doc.lang, publisher,
                      build_date(doc.metadata.date, po.metadata), translators, len(fallbacks),
                      credits, essay_facts(project, doc, texts or {}, lang, done))
    complete = result.percent >= threshold
    reason = f"{percent_text(result.percent, threshold)}% {'>=' if complete else '<'} " \
             f"{threshold:g}% needed"
    kept = listed and not complete
    if kept:
        reason += "; published: listed in published.toml"
    return EditionPlan(lang, doc.id, edition, complete or kept, reason, rel,
                       result.words_total, result.words_translated, _counts(result),
                       fallbacks, kept, True, date=doc.metadata.date)


def _header_names(names: tuple[str, ...], rel: str, report: Report) -> tuple[str, ...]:
    """The catalogue header's translators that look like names; the others (a sentence
    such as "Draft translation by the team (machine-assisted)") are not credits."""
    for name in names:
        if not looks_like_name(name):
            report.info("build.credit-not-a-name",
                        f"the header's translator {name!r} is not a person's name: not "
                        "printed as a credit (name translators in [credits.LANG] of "
                        "serge-publish.toml; say how the translation was made with its "
                        "status)", rel)
    return tuple(n for n in names if looks_like_name(n))


def essay_facts(project: Project, doc: Document, texts: dict[str, str], lang: str,
                done: set[str] | frozenset[str]) -> EssayFacts:
    """The configured facts of ``doc`` with their texts in ``lang`` (the source's where
    the project catalogue has no finished translation)."""
    info = project.config.essay(doc.id)
    rights_key = f"rights {doc.id}"
    rights = texts.get(rights_key, doc.metadata.rights)
    fell_back = lang != doc.lang and rights_key not in done and bool(rights)
    return EssayFacts(url=info.url, description=texts.get(f"description {doc.id}",
                                                          info.description),
                      rights=rights, rights_lang=doc.lang if fell_back else "",
                      subjects=tuple(texts.get(f"subject {s}", s) for s in info.subjects),
                      subject_langs=subject_langs(info.subjects, lang,
                                                  project.config.source_language, done),
                      permission_from=info.permission_from,
                      permission_date=info.permission_date)


def project_publisher(project: Project, lang: str, texts: dict[str, str],
                      done: frozenset[str]) -> Publisher:
    """The project's facts with its texts in ``lang``."""
    config = project.config
    name = texts.get("name", config.name)
    def fell_back(key: str) -> str:
        return "" if lang == config.source_language or key in done else config.source_language

    name_lang = fell_back("name")
    return Publisher(name, config.publisher, texts.get("rights", config.rights),
                     key=config.name, project_lang=name_lang,
                     description=texts.get("description", config.description),
                     description_lang=fell_back("description") if config.description else "",
                     blurb=texts.get("blurb", config.blurb),
                     introduction=texts.get("introduction", config.introduction),
                     subjects=tuple(texts.get(f"subject {s}", s) for s in config.subjects),
                     rights_lang=fell_back("rights") if config.rights.strip() else "",
                     subject_langs=subject_langs(config.subjects, lang,
                                                 config.source_language, done))


def subject_langs(subjects: tuple[str, ...], lang: str, source: str,
                  done: set[str] | frozenset[str]) -> tuple[str, ...]:
    """The language of each of ``subjects`` in ``lang``: ``source`` where the project
    catalogue has no finished translation of it (the subject is shown as the source
    says it), else "" (the edition's)."""
    if lang == source:
        return ("",) * len(subjects)
    return tuple("" if f"subject {s}" in done else source for s in subjects)


def read_project_texts(project: Project, docs: dict[str, Document], lang: str,
                       use_fuzzy: bool, report: Report) -> tuple[dict[str, str], frozenset[str]]:
    """The project catalogue of ``lang`` applied: key -> text, and the keys translated."""
    from ..catalog.project import project_translations, translated_keys
    from .catalog import project_texts
    texts = project_texts(project.config, docs)
    if lang == project.config.source_language:
        return {t.key: t.text for t in texts}, frozenset(t.key for t in texts)
    path = project.po_path(languages.to_gettext(lang), PROJECT_CATALOGUE)
    po = None
    if path.exists():         # (something else there, a fifo, is unreadable: said below)
        try:
            po = _project_catalogue(path)
        except CatalogError as exc:
            report.warn("build.catalogue-unreadable", f"{exc.message}; the project's texts "
                        "are printed in the source language", exc.where or
                        _relative(project, path))
    translations = project_translations(po, texts, use_fuzzy)
    refused = _refuse_forbidden(translations, texts, po, _relative(project, path), report) \
        if po is not None else set()
    return translations, translated_keys(po, texts) - refused


def _refuse_forbidden(translations: dict[str, str], texts: tuple[Any, ...], po: Any, rel: str,
                      report: Report) -> set[str]:
    """A project's text in ``translations`` holding a character XML forbids (a control
    character, a noncharacter) replaced by the source's text, with a warning at the
    entry's line, as an essay's translation is (catalog.apply): the title, description,
    rights and introduction go into XML (the OPF, the navigation, the pages), which cannot
    hold them, and the character dropped would glue two words. The keys refused (their
    texts are then in the source language, and must be marked so)."""
    from ..xmlchars import clean, forbidden
    source = {t.key: t.text for t in texts}
    refused = set()
    for key, text in translations.items():
        names = forbidden(text)
        if not names:
            continue
        translations[key] = clean(source.get(key, text))
        refused.add(key)
        line = next((e.linenum for e in po if e.msgctxt == key and e.msgstr == text), None)
        report.warn("build.forbidden-character",
                    f"the project's text {key!r} holds {names}, which XML cannot hold "
                    "(replace it with a space): the source's text is used",
                    f"{rel}:{line}" if line else rel)
    return refused


_PROJECT_CATALOGUES: dict[str, tuple[bytes, Any]] = {}   # path -> its bytes, as read


def _project_catalogue(path: Path) -> Any:
    """A project catalogue, read once a process as long as its bytes are the same: every
    essay's plan uses it (each catalogue object is only read, never changed)."""
    from .. import catalog
    from ..catalog.po import read_bytes
    raw, _ = read_bytes(path)
    known = _PROJECT_CATALOGUES.get(str(path))
    if known is not None and known[0] == raw:
        return known[1]
    po = catalog.parse_catalog(raw, path)
    _PROJECT_CATALOGUES[str(path)] = (raw, po)
    return po


def _not_translated(doc: Document, lang: str, reason: str, rel: str) -> EditionPlan:
    """No edition (no catalogue, or one that cannot be read): every segment counts as
    untranslated, so the numbers say 0% of the source's words, all fallen back."""
    from .. import catalog
    result = catalog.apply_catalog(doc, None, lang)
    return EditionPlan(lang, doc.id, None, False, reason, rel, result.words_total, 0,
                       _counts(result), _fallbacks(result, False), date=doc.metadata.date)


def _fallbacks(result, use_fuzzy: bool) -> tuple[Fallback, ...]:
    return tuple(Fallback(s.id, s.state, s.where, s.message) for s in result.statuses
                 if s.state != "translated"
                 and not (s.state == "fuzzy" and use_fuzzy and not s.message))


def _counts(result) -> tuple[tuple[str, int], ...]:
    from .. import catalog
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


def check_sources(project: Project, selected: tuple[str, ...]) -> list[str]:
    """Every essay of the project (the ``selected`` ones must be among them)."""
    if not project.source_dir.is_dir():
        raise ProjectError(f"no source folder {project.source_dir}",
                           hint="import an essay first: serge-publish import ESSAY.txt")
    names = project.require_essays(selected)
    if not names:
        raise ProjectError(f"no essay in {project.source_dir}",
                           hint="import an essay first: serge-publish import ESSAY.txt")
    return sorted(project.essays())


@dataclass(frozen=True)
class PlanOptions:
    threshold: float
    use_fuzzy: bool
    include_comments: bool


def plan_essay(project: Project, essay: str, langs: tuple[str, ...], options: PlanOptions,
               listed: tuple[str, ...], links: bool = True, *,
               made: dict[str, Edition] | None = None
               ) -> tuple[str, dict[str, tuple[EditionPlan, tuple]]]:
    """A job: read and check one source, plan it in ``langs`` (``listed``: the languages
    whose published.toml entry lists it). Returns the source's language and, per
    language, the plan (with its edition, and with ``links`` what an index page shows of
    it) and the warnings met. The cyclic GC is paused meanwhile (see gc_paused): of the
    objects made (the catalogues read, the editions), only the plans are left at the end
    (and, given ``made``, the editions, by language: see plan_and_keep)."""
    with gc_paused():
        return _plan_essay(project, essay, langs, options, listed, links, made)


def _plan_essay(project: Project, essay: str, langs: tuple[str, ...], options: PlanOptions,
                listed: tuple[str, ...], links: bool, made: dict[str, Edition] | None
                ) -> tuple[str, dict[str, tuple[EditionPlan, tuple]]]:
    from ..sourcexml import read_source
    doc = read_source(project.source_path(essay))
    source = project.config.source_language
    texts, done = {}, {}
    for lang in langs:
        # the project catalogue's warnings are reported once, by the Planner
        texts[lang], done[lang] = read_project_texts(project, {essay: doc}, lang,
                                                     options.use_fuzzy, Report())
    doc = replace(published(doc, options.include_comments),
                  lang=languages.normalize(doc.lang or source))
    plans = {}
    for lang in langs:
        told = Report()
        publisher = project_publisher(project, lang, texts[lang], done[lang])
        item = plan_source(project, doc, publisher, texts[lang]) if lang == doc.lang else \
            plan_translation(project, doc, lang, publisher, options.threshold,
                             options.use_fuzzy, told, lang in listed, texts[lang], done[lang])
        item = _with_link(item) if links else item
        # packed by the caller when it is given the editions (it may not need them packed)
        packed = pack_edition(item.edition) if made is None else b""
        plans[lang] = (replace(item, edition=None, packed=packed), tuple(told.diagnostics))
        if made is not None and item.edition is not None:
            made[lang] = item.edition
    return doc.lang, plans


def plan_and_keep(keys: dict[str, tuple[str, str]], keep: int, prerender: Any,
                  *args) -> tuple[str, dict[str, tuple[EditionPlan, tuple]]]:
    """A job: :func:`plan_essay` (``args``), then, given a ``prerender`` request (see
    build_render.Prerender), the outputs of its published editions in this run's
    languages rendered at once, by this process, while it holds them, if this run writes
    the essay (see build_render.prerender): of those, only the outline is packed and
    handed back (see :func:`pack_outline`), as their render jobs need no more; the
    others are not packed at all (nothing of them is rendered: they are planned for
    their decisions, in another language, of another essay or below the threshold).
    Without a request, each edition is packed; the published ones are then kept as they
    are, under their key (``keys[lang]``: that of an edition in the source's language
    and that of a translation, see Planner._pair_keys; which it is, the source read
    says), up to ``keep`` packed bytes' worth (0: none), for the render jobs of this
    process (see MadeEditions): all of them in a build of one process; in a build of
    several, each process keeps its share of that budget (one worker's peak otherwise
    grows by some 70 MB, N=200, L=10), and the render jobs of an essay go to the
    process that planned it when it is free (see Jobs.home).

    No edition is kept between builds: an output to make again of an edition not planned
    again (an EPUB whose place in its anthology changed, a page whose languages did)
    takes its chapter and outline from the chapter store (see writers.epub
    .prepare_chapter), or plans the edition again, which costs some twice what unpacking
    a kept one did, where keeping every edition cost a tenth of every full build.
    """
    made: dict[str, Edition] = {}
    doc_lang, plans = plan_essay(*args, made=made)
    done: set[str] = set()
    if prerender is not None:
        from .build_render import prerender as render_now
        done = render_now(prerender, plans, made, {
            lang: keys[lang][0 if lang == doc_lang else 1] for lang in plans})
    for lang, (item, told) in plans.items():
        edition = made.get(lang)
        if lang in done:
            plans[lang] = (replace(item, packed=pack_outline(made[lang]), prerendered=True),
                           told)
            continue
        if prerender is not None:
            continue
        packed = pack_edition(edition)
        plans[lang] = (replace(item, packed=packed), told)
        if keep and item.published and edition is not None:   # (the others: not rendered)
            _MADE.keep(keys[lang][0 if lang == doc_lang else 1], packed, edition, keep)
    return doc_lang, plans


class MadeEditions:
    """The editions planned in this process, by key (see Planner._pair_keys), each with
    its packed bytes, for the render jobs of this process (a build in one process, see
    plan_and_keep), which take the edition itself instead of unpacking those bytes again
    (some 40% of what handing an edition on costs). An edition is taken once (each is
    rendered once a build) and only with the very bytes it was packed to (the key is a
    hash of the inputs, the bytes are the edition: a key made another way, as
    make_plan's, cannot mislead). At most ``budget`` packed bytes' worth are kept (the
    objects take about nine times as much), the oldest given up first; :meth:`clear`
    forgets them all (the end of a render)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._kept: dict[str, tuple[bytes, Edition]] = {}     # in the order kept
        self._size = 0

    def keep(self, key: str, packed: bytes, edition: Edition,
             budget: int | None = None) -> None:
        """``budget``: this process's share of the budget, when smaller."""
        budget = self.budget if budget is None else min(budget, self.budget)
        if not key or not packed or len(packed) > budget:
            return
        self.forget(key)
        self._kept[key] = (packed, edition)
        self._size += len(packed)
        while self._size > budget:
            self.forget(next(iter(self._kept)))

    def take(self, key: str | bytes | None, packed: bytes) -> Edition | None:
        """The edition kept under ``key`` if it is the one ``packed`` holds (then no
        longer kept), else None."""
        if not key or not self._kept:
            return None
        key = key.decode() if isinstance(key, bytes) else key
        found = self._kept.get(key)
        if found is None or not (found[0] is packed or found[0] == packed):
            return None
        self.forget(key)
        return found[1]

    def forget(self, key: str) -> None:
        found = self._kept.pop(key, None)
        if found is not None:
            self._size -= len(found[0])

    def clear(self) -> None:
        self._kept.clear()
        self._size = 0


# 8 MB of packed editions: about 70 MB of objects, the 120 editions of 20 essays in 6
# languages (a few hundred kB each)
KEEP_BUDGET = 8 << 20
_MADE = MadeEditions(KEEP_BUDGET)


def take_edition(key: str | bytes | None, packed: bytes,
                 unpack: Callable[[bytes], Edition] | None = None) -> Edition:
    """The edition ``packed`` holds: the one this process made if it still has it (see
    MadeEditions), else unpacked (by ``unpack``, default :func:`unpack_edition`)."""
    edition = _MADE.take(key, packed)
    if edition is not None:
        return edition
    return (unpack or unpack_edition)(packed)


def forget_made_editions() -> None:
    """The editions this process made, no longer kept (the render is done)."""
    _MADE.clear()


def pack_edition(edition: Edition | None) -> bytes:
    """An edition as compact bytes: the build keeps thousands of them between its jobs
    (a few kB each, where the objects take hundreds). Two parts: the edition without the
    front matter, body and back matter of its document (what an anthology reads of an
    essay whose chapter it has, see unpack_head), then those; the first part's size first
    (4 bytes)."""
    if edition is None:
        return b""
    doc = edition.document
    head = replace(edition, document=replace(doc, front=(), body=(), back=()))
    with gc_paused():
        first = zlib.compress(pickle.dumps(head, pickle.HIGHEST_PROTOCOL), 1)
        rest = zlib.compress(pickle.dumps((doc.front, doc.body, doc.back),
                                          pickle.HIGHEST_PROTOCOL), 1)
    return len(first).to_bytes(4, "big") + first + rest


def pack_outline(edition: Edition) -> bytes:
    """The outline of an edition (what :func:`unpack_head` gives of :func:`pack_edition`'s
    bytes: the edition without the front matter, body and back matter of its document),
    as compact bytes: what the render jobs of an edition whose plan job rendered its
    chapter and its page need (see build_render.prerender), as writers.epub.outline
    makes it."""
    from ..writers.epub import outline
    head = outline(edition)
    with gc_paused():
        first = zlib.compress(pickle.dumps(head, pickle.HIGHEST_PROTOCOL), 1)
    return len(first).to_bytes(4, "big") + first


def is_outline(packed: bytes) -> bool:
    """Whether ``packed`` is an outline (:func:`pack_outline`), not a whole edition."""
    return len(packed) >= 4 and len(packed) == 4 + int.from_bytes(packed[:4], "big")


def unpack_edition(packed: bytes) -> Edition:
    if is_outline(packed):
        raise ValueError("an edition's outline has no text to unpack (see pack_outline)")
    head = unpack_head(packed)
    data = zlib.decompress(memoryview(packed)[4 + int.from_bytes(packed[:4], "big"):])
    with gc_paused():
        front, body, back = pickle.loads(data)
    return replace(head, document=replace(head.document, front=front, body=body, back=back))


def unpack_head(packed: bytes) -> Edition:
    """The edition without the front matter, body and back matter of its document (its
    title and metadata are there)."""
    data = zlib.decompress(memoryview(packed)[4:4 + int.from_bytes(packed[:4], "big")])
    with gc_paused():
        return pickle.loads(data)


def _with_link(item: EditionPlan) -> EditionPlan:
    """What an index page shows of a published edition: its typeset title (typeset alone,
    as every block is: without the front matter and body, which do not change it)."""
    if not item.published or item.edition is None:
        return item
    from ..writers.html import essay_title
    doc = item.edition.document
    # the back matter (notes, a biography: most of an essay) only for a title that
    # refers to a note
    noted = any(True for s in doc.title.segments for _ in noteref_targets(s.content))
    heading = replace(item.edition, document=replace(doc, front=(), body=(),
                                                     back=doc.back if noted else ()))
    title, title_lang = essay_title(heading)
    return replace(item, link=(title, title_lang, tuple(item.edition.document.metadata.author)))


class Planner:
    """The plan of a build, reusing the recorded decisions of the pairs (essay, language)
    whose inputs did not change (``state``: see build_state), and planning the others as
    jobs. ``state`` is updated with this run's decisions."""

    def __init__(self, project: Project, options: PlanOptions, state: State, jobs: Jobs,
                 tool_key: str, tick=lambda text: None,
                 files: FileDigests | None = None,
                 prerender: Callable[[Plan], Any] | None = None, forget: Any = None,
                 note: Callable[[str, str, dict], None] = lambda kind, name, record: None
                 ) -> None:
        """``prerender``: what the plan jobs render of the editions they plan, given the
        plan as far as it is known before they run (see build_render.Prerender; None:
        nothing). ``forget``: a ChapterStore whose chapters are all removed before the
        plan jobs start (``build --force``: none an earlier build recorded is used; the
        jobs record those of this build again). ``note(kind, name, record)``: told each
        decision planned as it is recorded in ``state`` (build_state.BuildLog.note)."""
        self.project, self.options, self.state = project, options, state
        self.note = note
        self.jobs, self.tick = jobs, tick
        self.tool_key = tool_key
        self.file_digest = files or FileDigests(None)
        self.prerender, self.forget = prerender, forget
        self.keys: dict[tuple[str, str], str] = {}    # (lang, essay) -> key of the edition
        self._project_keys: dict[str, str] = {}
        self._essay_keys: dict[str, str] = {}        # essay -> key of its source (see make_plan)
        self._pair_memo: dict[tuple[str, bool, str, str], tuple[str, str]] = {}

    def make_plan(self, codes: tuple[str, ...], selected: tuple[str, ...],
                  report: Report) -> Plan:
        """Every decision of the build, for this run's languages and the configured ones
        (the warnings of the latter are not reported: this run does not build them)."""
        essays = check_sources(self.project, selected)
        langs = resolve_languages(self.project, codes)
        site = self.project.config.site_languages
        plan = Plan(self.project.config.source_language, langs, tuple(essays),
                    tuple(selected) or tuple(essays), site,
                    load_published(self.project.published_path))
        every = (*langs, *(t for t in site if t not in langs))
        for lang in every:
            plan.project_keys[lang] = self._project_key(lang)
            plan.publishers[lang] = self._publisher(lang, report if lang in langs else Report())
        essay_keys = {e: digest(self.tool_key, "essay", e,
                                self.file_digest(self.project.source_path(e))) for e in essays}
        self._essay_keys = essay_keys
        found = self._recorded(plan, every, essay_keys)
        missing = {e: tuple(t for t in every if (t, e) not in found) for e in essays}
        # the decisions the plan jobs do not make, which the pages they render link
        known = {e: {t: found[(t, e)][0].published for t in every if (t, e) in found}
                 for e in essays}
        request = self.prerender(plan) if self.prerender is not None and any(
            missing.values()) else None         # (a build with nothing to plan: nothing)
        if self.forget is not None:             # before any job (and worker) starts
            self.forget.forget_all()
        wanted = _largest_first(self.project, [e for e in essays if missing[e]], missing)
        for essay, (doc_lang, plans) in zip(
                wanted, self._run(plan, [(e, missing[e]) for e in wanted],
                                  request=request, known=known),
                strict=True):
            self.state.essays[essay] = {"key": essay_keys[essay], "lang": doc_lang}
            for lang, (item, told) in plans.items():
                self._record(essay_keys[essay], doc_lang, plan, essay, item, told)
                found[(lang, essay)] = (item, told)
            self.note("essay", essay, self.state.essays[essay])   # (after its pairs)
        for essay in essays:
            for lang in every:
                item, told = found[(lang, essay)]
                if lang in langs:
                    report.diagnostics.extend(told)
                if essay in plan.record.get(lang, ()) and lang in langs:
                    _check_listed(self.project, item, report)
                plan.editions[(lang, essay)] = item
        self.state.pairs = {k: v for k, v in self.state.pairs.items()
                            if k.partition("/")[2] in essay_keys}
        self.state.essays = {k: v for k, v in self.state.essays.items() if k in essay_keys}
        _check_record(self.project, plan, report)
        _check_record_languages(self.project, plan, report)
        _check_configured_essays(self.project, plan, report)
        return plan

    def load_editions(self, plan: Plan, pairs: list[tuple[str, str]]) -> None:
        """The editions of the ``pairs`` (lang, essay) recorded without one, for the
        outputs that need them: planned again (their decisions are those recorded: same
        inputs)."""
        wanted = [pair for pair in pairs
                  if not plan.editions[pair].packed and plan.editions[pair].buildable]
        by_essay = {e: tuple(t for t, x in wanted if x == e)
                    for e in dict.fromkeys(e for _, e in wanted)}
        results = self._run(plan, list(by_essay.items()), links=False)
        for essay, (_, plans) in zip(by_essay, results, strict=True):
            for lang, (item, _) in plans.items():
                plan.editions[(lang, essay)] = replace(
                    item, link=plan.editions[(lang, essay)].link)

    def replan(self, lang: str, essay: str, plan: Plan) -> Any:
        """How a render job plans the edition of ``essay`` in ``lang`` again (see
        build_render.Replan)."""
        from .build_render import Replan
        return Replan(self.project, essay, lang, self.options,
                      (lang,) if essay in plan.record.get(lang, ()) else ())

    def save_digests(self) -> None:
        """Record the digests of the files read (see build_state.FileDigests)."""
        self.file_digest.save()

    # ------------------------------------------------------------ inside
    def _publisher(self, lang: str, report: Report) -> Publisher:
        """The project's texts in ``lang``, as recorded when its project catalogue (and the
        tool and configuration) are those of the last build, else read again."""
        key = digest(self.tool_key, "project", lang, self._project_key(lang),
                     self.options.use_fuzzy)
        record = self.state.projects.get(lang) or {}
        if record.get("key") == key:
            told = tuple(diagnostic_of(d) for d in record["diagnostics"])
            fields: dict[str, Any] = {name: tuple(value) if isinstance(value, list) else value
                                      for name, value in record["publisher"].items()}
            publisher = Publisher(**fields)
        else:
            fresh = Report()
            texts, done = read_project_texts(self.project, {}, lang, self.options.use_fuzzy,
                                             fresh)
            publisher = project_publisher(self.project, lang, texts, done)
            told = tuple(fresh.diagnostics)
            self.state.projects[lang] = {"key": key, "publisher": dataclasses.asdict(publisher),
                                         "diagnostics": [diagnostic_row(d) for d in told]}
        report.diagnostics.extend(told)
        return publisher

    def _project_key(self, lang: str) -> str:
        """The key of the project's texts in ``lang`` (they are in every edition): its
        project catalogue, and --use-fuzzy, which decides which of its entries are used."""
        if lang == self.project.config.source_language:
            return "source"
        if lang not in self._project_keys:     # hashed once a build, not once a pair
            self._project_keys[lang] = digest(self.file_digest(self.project.po_path(
                languages.to_gettext(lang), PROJECT_CATALOGUE)), self.options.use_fuzzy)
        return self._project_keys[lang]

    def _pair_keys(self, essay_key: str, doc_lang: str, lang: str, essay: str
                   ) -> tuple[str, str]:
        """The key of the edition's bytes (source, catalogue, ``lang``'s project catalogue
        (even for an essay written in ``lang``: it prints the project's texts in ``lang``),
        --use-fuzzy), and the key of the decision (that and the threshold; whether
        published.toml lists the edition matters only below the threshold, see
        _still_valid)."""
        memo = (essay_key, lang == doc_lang, lang, essay)
        found = self._pair_memo.get(memo)
        if found is not None:       # (each pair's is made as its job is given, then recorded)
            return found
        if lang == doc_lang:
            edition = digest(essay_key, "source", lang, self._project_key(lang))
        else:
            catalogue = self.file_digest(self.project.po_path(languages.to_gettext(lang), essay))
            edition = digest(essay_key, "translation", lang, catalogue,
                             self._project_key(lang), self.options.use_fuzzy)
        found = self._pair_memo[memo] = (edition, digest(edition, self.options.threshold))
        return found

    def _recorded(self, plan: Plan, every: tuple[str, ...], essay_keys: dict[str, str]
                  ) -> dict[tuple[str, str], tuple[EditionPlan, tuple]]:
        """The pairs whose recorded key is their key now."""
        found = {}
        for essay, essay_key in essay_keys.items():
            known = self.state.essays.get(essay)
            if not isinstance(known, dict) or known.get("key") != essay_key or \
                    not isinstance(known.get("lang"), str):     # (a state altered by hand)
                continue
            for lang in every:
                edition, key = self._pair_keys(essay_key, known["lang"], lang, essay)
                self.keys[(lang, essay)] = edition
                record = self.state.pairs.get(f"{lang}/{essay}") or {}
                try:
                    if not _is_plan_record(record.get("plan")) or \
                            not _still_valid(record, key, essay in plan.record.get(lang, ())):
                        continue
                    item = _from_record(lang, essay, record["plan"])
                    told = tuple(diagnostic_of(d) for d in record["diagnostics"])
                except (KeyError, TypeError, ValueError, AttributeError):
                    continue                 # (a record that does not read: planned)
                found[(lang, essay)] = (item, told)
        return found

    def _record(self, essay_key: str, doc_lang: str, plan: Plan, essay: str,
                item: EditionPlan, told: tuple) -> None:
        edition, key = self._pair_keys(essay_key, doc_lang, item.lang, essay)
        self.keys[(item.lang, essay)] = edition
        name = f"{item.lang}/{essay}"
        self.state.pairs[name] = {
            "key": key, "listed": essay in plan.record.get(item.lang, ()),
            "plan": _to_record(item),
            "diagnostics": [diagnostic_row(d) for d in told]}
        self.note("pair", name, self.state.pairs[name])

    def _run(self, plan: Plan, wanted: list[tuple[str, tuple[str, ...]]],
             links: bool = True, request: Any = None,
             known: dict[str, dict[str, bool]] | None = None) -> Iterator[Any]:
        """Plan the ``wanted`` essays in their languages as jobs (see
        :func:`plan_and_keep`), their results in that order, as they are done; given a
        ``request``, each renders the editions of its essay if this run writes it
        (``known``: by essay, the decisions of the languages not planned again)."""
        # the editions of the essays this run renders are kept for the render jobs of
        # the process that plans them: all of them in one process, each worker its
        # share; none in this process when the render jobs are the workers' (see
        # plan_and_keep)
        keep = KEEP_BUDGET if self.jobs.jobs == 1 else \
            0 if self.jobs.here(len(wanted)) else KEEP_BUDGET // self.jobs.jobs

        def args():
            # made as each job is handed out: the catalogues a key hashes (when not
            # known from the last build) are read meanwhile, as the others are planned
            for essay, langs in wanted:
                essay_key = self._essay_keys.get(essay) or digest(
                    self.tool_key, "essay", essay,
                    self.file_digest(self.project.source_path(essay)))
                keys = {lang: (self._pair_keys(essay_key, lang, lang, essay)[0],
                               self._pair_keys(essay_key, "", lang, essay)[0])
                        for lang in langs}
                selected = essay in plan.selected
                yield (keys, keep if selected else 0,
                       request.given((known or {}).get(essay, {}), selected)
                       if request is not None else None,
                       self.project, essay, langs, self.options,
                       tuple(t for t in langs if essay in plan.record.get(t, ())), links)

        # taken as they come: the caller records each while the workers plan the next
        # (recorded after the last, they kept both workers waiting at N=200, L=10)
        return self.jobs.map(plan_and_keep, args(), self.tick,
                             [f"read {essay}" for essay, _ in wanted],
                             places=[essay for essay, _ in wanted])


def _largest_first(project: Project, essays: list[str],
                   langs: dict[str, tuple[str, ...]]) -> list[str]:
    """``essays`` in the order their plan jobs are given: the most work first (the size of
    the source times the languages planned; the order given otherwise), so that the last
    jobs, which one process may end alone while the other waits, are the smallest. What
    each job makes does not depend on it."""
    def work(essay: str) -> int:
        try:
            size = os.stat(project.source_path(essay)).st_size
        except (OSError, ValueError):
            size = 0
        return size * len(langs[essay])

    return sorted(essays, key=lambda e: -work(e))      # (stable: ties keep their order)


def _still_valid(record: dict, key: str, listed: bool) -> bool:
    """A recorded decision holds when its key is ``key`` and, for an edition below the
    threshold, published.toml still lists it or not as it did (above, that is moot)."""
    if not record or record.get("key") != key:
        return False
    complete = record["plan"]["published"] and not record["plan"]["kept"]
    return complete or record.get("listed") == listed


def _to_record(item: EditionPlan) -> dict:
    return {"published": item.published, "reason": item.reason, "catalogue": item.catalogue,
            "words_total": item.words_total, "words_translated": item.words_translated,
            "segments": [list(s) for s in item.segments],
            "fallbacks": [[f.id, f.state, f.where, f.message] for f in item.fallbacks],
            "kept": item.kept, "buildable": item.buildable, "date": item.date,
            "link": None if item.link is None else [item.link[0], item.link[1],
                                                    list(item.link[2])]}


def _is_plan_record(data: object) -> bool:
    """Whether ``data`` is a plan as :func:`_to_record` writes it, every field of its type
    (a record of the state, or of the build's log, that is not is planned again: a wrong
    type would fail further on, or show on a page)."""
    if not isinstance(data, dict) or not _PLAN_FIELDS <= set(data) <= _PLAN_FIELDS | {"date"}:
        return False
    link, segments = data["link"], data["segments"]
    return all(type(data[k]) is bool for k in ("published", "kept", "buildable")) \
        and all(type(data[k]) is int for k in ("words_total", "words_translated")) \
        and isinstance(data["reason"], str) and isinstance(data["catalogue"], str) \
        and isinstance(data.get("date", ""), str) \
        and isinstance(segments, list) and all(
            isinstance(s, list) and len(s) == 2 and isinstance(s[0], str) and type(s[1]) is int
            for s in segments) \
        and string_rows(data["fallbacks"], 4) \
        and (link is None or isinstance(link, list) and len(link) == 3
             and isinstance(link[0], str) and (link[1] is None or isinstance(link[1], str))
             and isinstance(link[2], list) and all(isinstance(a, str) for a in link[2]))


_PLAN_FIELDS = {"published", "reason", "catalogue", "words_total", "words_translated",
                "segments", "fallbacks", "kept", "buildable", "link"}


def _from_record(lang: str, essay: str, data: dict) -> EditionPlan:
    link = data["link"]
    return EditionPlan(lang, essay, None, data["published"], data["reason"],
                       data["catalogue"], data["words_total"], data["words_translated"],
                       tuple((s, n) for s, n in data["segments"]),
                       tuple(Fallback(*f) for f in data["fallbacks"]), data["kept"],
                       data["buildable"],
                       None if link is None else (link[0], link[1], tuple(link[2])),
                       date=data.get("date", ""))


def _check_configured_essays(project: Project, plan: Plan, report: Report) -> None:
    """[anthology] order and [essays.ID] naming no essay (a typo, a renamed essay) would
    silently do nothing: they are reported."""
    config = project.config
    for essay in dict.fromkeys((*config.order, *config.essays)):   # each once
        if essay not in plan.essays:
            report.warn("build.config-unknown-essay",
                        f"serge-publish.toml names the essay {essay!r} ([anthology] order or "
                        f"[essays.{essay}]), but there is no source/{essay}.xml",
                        CONFIG_NAME)


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


NO_CATALOGUE = "no catalogue"      # the reason an edition without catalogue gives


def catalogue_hint(item: EditionPlan) -> str:
    """What brings back the catalogue of an edition that cannot be built: update makes a
    missing one from the template; it cannot read a broken one any more than the build
    (it stops at the same line), so that one is fixed or restored by hand."""
    if item.reason.startswith(NO_CATALOGUE):
        return (f"make the catalogue (serge-publish update --lang {item.lang} makes it "
                "from the template)")
    return ("fix or restore the catalogue: correct it where the message says, or restore "
            f"it from version control (git restore {item.catalogue}: serge-publish update "
            "cannot read it either)")


def _check_record_languages(project: Project, plan: Plan, report: Report) -> None:
    """published.toml languages that are not target languages (removed from
    target_languages): their editions are no longer built, which must not pass unsaid."""
    config = project.config
    for lang in sorted(plan.record):
        if lang in config.target_languages:
            continue
        where = published_line(project.published_path, lang)
        if lang == config.source_language:
            report.warn("build.published-not-target",
                        f"published.toml lists {lang}, the source language, whose editions "
                        f"are always published: remove its line from published.toml", where)
            continue
        report.warn("build.published-not-target",
                    f"published.toml lists {lang}, which is not in target_languages: its "
                    f"editions are no longer built (any build/{lang}/ an earlier build wrote "
                    f"is left as it is, linked by no page); add {lang} back to target_languages in "
                    f"{CONFIG_NAME}, or remove its line from published.toml to unpublish it",
                    where)


def _check_listed(project: Project, item: EditionPlan, report: Report) -> None:
    """An edition published.toml lists is built even below the threshold (the report says
    so); one that cannot be built stops the build: it would vanish from every page."""
    if not item.buildable or item.kept:         # (the line is found by reading the file)
        where = published_line(project.published_path, item.lang)
    if not item.buildable:
        raise CatalogError(f"{item.essay} is published in {item.lang} ({where}), but its "
                           f"edition cannot be built: {item.reason}", where=item.catalogue,
                           hint=f"{catalogue_hint(item)}, or remove {item.essay} from "
                                "published.toml to unpublish it")
    if item.kept:
        report.warn("build.published-below-threshold",
                    f"{item.lang}/{item.essay} is below the threshold "
                    f"({item.reason.split(';')[0]}) "
                    f"but stays published, as published.toml lists it: "
                    f"{len(item.fallbacks)} segments are shown in the original; remove it "
                    "from published.toml to unpublish it", where)


def make_plan(project: Project, codes: tuple[str, ...], selected: tuple[str, ...],
              threshold: float, use_fuzzy: bool, include_comments: bool,
              report: Report) -> Plan:
    """The build's plan made afresh, every edition loaded (``EditionPlan.edition``): for
    the commands that show editions without building them (preview, bilingual, release).
    Nothing is recorded or reused."""
    options = PlanOptions(threshold, use_fuzzy, include_comments)
    with Jobs(1) as jobs:
        planner = Planner(project, options, State(), jobs, tool_key="afresh")
        plan = planner.make_plan(codes, selected, report)
    try:
        for pair, item in plan.editions.items():
            if item.packed:      # planned here: taken as made, not unpacked
                plan.editions[pair] = replace(item, edition=take_edition(
                    planner.keys.get(pair), item.packed))
    finally:
        forget_made_editions()
    return plan
