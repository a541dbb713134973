"""What the site and the feeds of a release are given (:class:`writers.site.SiteInfo`),
gathered from the build's plan, the EPUBs rendered for the release and the counts of
``serge-publish status``; and the essay pages (the trees of ``writers/html.py``).

The collection's description is composed here from facts (how many essays, by whom, in
which languages): :func:`collection_description` is the one place to read a configured,
translatable description from once the project has one.
"""
from __future__ import annotations

from lxml import etree

from .. import languages
from ..project import Project
from ..writers import html
from ..writers.cover import cover_svg
from ..writers.edition import identifier
from ..writers.furniture import furniture_for
from ..writers.site_model import Download, EssayEntry, LanguageEntry, ProgressRow, SiteInfo, words
from ..writers.xhtml import visible_text, x
from .build_plan import EditionPlan, Plan
from .build_render import ANTHOLOGY
from .catalog import LanguageStatus

SUMMARY_LENGTH = 240
SKIPPED = {"header", "figure", "blockquote", "aside", "provenance", "editorial", "byline",
           "dateline", "subtitle"}


class SiteCollector:
    """Gathers the site's facts once; ``covers`` and ``trees`` are filled on the way."""

    def __init__(self, project: Project, plan: Plan, epubs: dict[str, bytes]) -> None:
        self.project, self.plan, self.epubs = project, plan, epubs
        self.covers: dict[str, bytes] = {}
        self.trees: dict[tuple[str, str], etree._Element] = {}
        self.diagnostics: list = []

    def site_info(self, version: str, status: list[LanguageStatus]) -> SiteInfo:
        langs = tuple(lang for lang in self.plan.site if self.plan.published(lang))
        entries = tuple(self._language(lang) for lang in langs)
        updated = max(e.modified for entry in entries for e in entry.essays)[:10]
        config = self.project.config
        description = {lang: collection_description(entries, lang, langs) for lang in langs}
        return SiteInfo(config.name, self.plan.source_lang, config.publisher, config.base_url,
                        version or updated, updated, description, entries,
                        tuple((s.lang, _progress(s)) for s in status))

    def _language(self, lang: str) -> LanguageEntry:
        essays = tuple(self._essay(item) for item in self.plan.published(lang))
        return LanguageEntry(lang, essays, self._anthology(lang, essays))

    def _essay(self, item: EditionPlan) -> EssayEntry:
        edition = item.edition
        assert edition is not None              # a published edition has been built
        lang, essay = item.lang, item.essay
        site = html.Site(self.project.config.name, self.plan.source_lang,
                         self.plan.linked(lang, essay), has_epub=True)
        root, diagnostics = html.essay_page(edition, site)
        self.trees[(lang, essay)] = root
        self.diagnostics.extend(diagnostics)
        title, title_lang = html.essay_title(edition)
        meta = edition.document.metadata
        cover = f"covers/{lang}/{essay}.svg"
        self.covers[cover] = cover_svg(title, languages.join_names(meta.author, lang), lang,
                                       edition.publisher.publisher)
        path = f"{lang}/{essay}.epub"
        return EssayEntry(essay, lang, title, title_lang, meta.author, edition.translators,
                          meta.date, summary(root), Download(path, len(self.epubs[path])),
                          cover, item.percent, edition.identifier, edition.date.isoformat())

    def _anthology(self, lang: str, essays: tuple[EssayEntry, ...]) -> EssayEntry | None:
        path = f"{lang}/{ANTHOLOGY}"
        if path not in self.epubs or not essays:
            return None
        config = self.project.config
        authors = tuple(dict.fromkeys(a for e in essays for a in e.authors))
        translators = tuple(dict.fromkeys(t for e in essays for t in e.translators))
        cover = f"covers/{lang}/anthology.svg"
        self.covers[cover] = cover_svg(config.name, languages.join_names(authors, lang), lang,
                                       config.publisher)
        title_lang = None if lang == self.plan.source_lang else self.plan.source_lang
        return EssayEntry("anthology", lang, config.name, title_lang, authors, translators,
                          "", furniture_for(lang)["anthology"],
                          Download(path, len(self.epubs[path])), cover,
                          _weighted(self.plan, lang),
                          identifier(config.name, "anthology", lang),
                          max(e.modified for e in essays))


def collection_description(entries: tuple[LanguageEntry, ...], lang: str,
                           langs: tuple[str, ...]) -> str:
    """What the collection is, in ``lang``: its essays, authors and languages."""
    source = entries[0]
    authors = tuple(dict.fromkeys(a for e in source.essays for a in e.authors))
    names = [languages.display_name(tag, lang) for tag in langs]
    return words(lang)[0]["description"].format(
        count=str(len(source.essays)), authors=languages.join_names(authors, lang),
        languages=languages.join_names(names, lang))


def summary(root: etree._Element) -> str:
    """The first paragraph of the essay's text, cut at a word near SUMMARY_LENGTH."""
    section = root.find(f".//{x('main')}/section")      # the essay's: in no namespace
    if section is None:
        return ""
    for p in section.iter("p"):
        if not _running_text(p, section):
            continue
        text = " ".join(visible_text(p).split())
        if len(text) > 40:
            if len(text) <= SUMMARY_LENGTH:
                return text
            return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return ""


def _running_text(p: etree._Element, section: etree._Element) -> bool:
    """Whether ``p`` is a paragraph of the essay's text (not its header, a quotation, a
    caption, an editorial note or its provenance)."""
    el: etree._Element | None = p
    while el is not None and el is not section:
        if etree.QName(el).localname in SKIPPED or \
                set((el.get("class") or "").split()) & SKIPPED:
            return False
        el = el.getparent()
    return True


def _progress(status: LanguageStatus) -> tuple[ProgressRow, ...]:
    return tuple(ProgressRow(e.essay, (e.counts.translated, e.counts.fuzzy,
                                       e.counts.untranslated),
                             (e.counts.translated_words, e.counts.fuzzy_words,
                              e.counts.untranslated_words), e.counts.percent)
                 for e in status.essays)


def _weighted(plan: Plan, lang: str) -> float:
    """The share of words translated over every published essay of ``lang``."""
    items = plan.published(lang)
    total = sum(i.words_total for i in items)
    if lang == plan.source_lang or not total:
        return 100.0
    return 100.0 * sum(i.words_translated for i in items) / total
