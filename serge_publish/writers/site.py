"""The static site of a release: a home page that says what the collection is, a page per
language listing its essays with their downloads, the essay pages (those of
:mod:`writers.html`, given a skip link, a download box, the site's navigation and head
metadata), and a translators' page with the progress of every translation.

Every page has a ``lang``, a skip link, landmarks (header, nav, main, footer), a language
switcher, and links only inside the site (no external resources). Words come from
``data/site_text.json`` (English, marked ``lang="en"``, for a language without a table).
What the pages are given (:class:`SiteInfo`) is decided by ``commands/release_site.py``.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lxml import etree

from .. import languages
from .furniture import format_date, furniture_for
from .html import EPUB_MEDIA_TYPE, serialize_html
from .site_meta import X_DEFAULT, PageMeta, absolute, add_head, person_list, relative
from .typography import typeset_tree
from .xhtml import element, page, set_lang, x

HOME, TRANSLATIONS, STYLE = "index.html", "translations.html", "style.css"
OPDS_ATOM, OPDS_JSON = "opds/catalog.xml", "opds/catalog.json"


@dataclass(frozen=True)
class Download:
    path: str                    # site path of the file
    size: int                    # bytes


@dataclass(frozen=True)
class EssayEntry:
    """One edition (an essay, or the anthology) in one language."""
    essay: str
    lang: str
    title: str
    title_lang: str | None       # set when the title is shown in another language
    authors: tuple[str, ...]
    translators: tuple[str, ...]
    date: str                    # first publication, ISO ("" unknown)
    summary: str
    epub: Download
    cover: str                   # site path of its cover
    percent: float               # words translated
    identifier: str
    modified: str                # the edition's date, ISO 8601 UTC

    @property
    def page(self) -> str:
        return f"{self.lang}/{'index' if self.essay == 'anthology' else self.essay}.html"


@dataclass(frozen=True)
class LanguageEntry:
    lang: str
    essays: tuple[EssayEntry, ...]
    anthology: EssayEntry | None


@dataclass(frozen=True)
class ProgressRow:
    """The counts ``serge-publish status`` gives for one catalogue."""
    essay: str
    segments: tuple[int, int, int]      # translated, fuzzy, untranslated
    words: tuple[int, int, int]
    percent: float


@dataclass(frozen=True)
class SiteInfo:
    name: str
    source_lang: str
    publisher: str
    base_url: str
    version: str
    updated: str                                  # ISO date of the release
    description: Mapping[str, str]                # language -> what the collection is
    languages: tuple[LanguageEntry, ...]
    progress: tuple[tuple[str, tuple[ProgressRow, ...]], ...] = ()   # language -> rows

    def language(self, lang: str) -> LanguageEntry:
        return next(entry for entry in self.languages if entry.lang == lang)

    @property
    def authors(self) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for entry in self.languages:
            for essay in entry.essays:
                names.update(dict.fromkeys(essay.authors))
        return tuple(names)


# ---------------------------------------------------------------- words

@cache
def _tables() -> dict[str, dict[str, str]]:
    path = resources.files("serge_publish").joinpath("data/site_text.json")
    return json.loads(path.read_text(encoding="utf-8"))


def words(lang: str) -> tuple[dict[str, str], str | None]:
    """The site's words in ``lang``, and "en" when they are English instead."""
    tables = _tables()
    for tag in (lang, languages.primary(lang)):
        if tag in tables:
            return tables[tag], None
    return tables["en"], "en"


def say(tag: str, key: str, lang: str, parent: etree._Element, **values: str) -> etree._Element:
    """An element holding a site word, marked English where it falls back."""
    table, fallback = words(lang)
    el = element(tag, table[key].format(**values), parent=parent)
    if fallback and languages.primary(lang) != fallback:
        set_lang(el, fallback, lang)
    return el


def size_text(size: int, lang: str) -> str:
    return words(lang)[0]["kilobytes"].format(n=max(1, round(size / 1024)))


# ---------------------------------------------------------------- the pages

def render_site(info: SiteInfo, essay_pages: Mapping[tuple[str, str], etree._Element]
                ) -> tuple[dict[str, bytes], tuple[PageMeta, ...]]:
    """Every page of the site (site path -> bytes) and what each says about itself."""
    pages = [home_page(info), translations_page(info)]
    for entry in info.languages:
        pages.append(language_page(info, entry))
        for essay in entry.essays:
            pages.append(essay_page(info, essay, essay_pages[(entry.lang, essay.essay)]))
    files = {meta.path: serialize_html(root) for root, meta in pages}
    return files, tuple(meta for _, meta in pages)


def _frame(info: SiteInfo, path: str, lang: str, title: str,
           switch: list[tuple[str, str]]) -> tuple[etree._Element, etree._Element]:
    """A new page: (root, main), with the skip link, header, switcher and footer."""
    root, body = page(title, lang, relative(path, STYLE))
    _skip_link(body, lang)
    header = element("header", parent=body, class_="site")
    _switcher(header, path, switch, lang)
    main = element("main", parent=body, id="main")
    _footer(body, info, path, lang)
    return root, main


def _skip_link(body: etree._Element, lang: str) -> None:
    link = say("a", "skip", lang, body)
    link.set("href", "#main")
    link.set("class", "skip")
    body.insert(0, link)


def _switcher(parent: etree._Element, path: str, targets: list[tuple[str, str]],
              lang: str) -> None:
    """Links to this page in the other languages (``targets``: (tag, site path))."""
    if len(targets) < 2:
        return
    furniture = furniture_for(lang)
    nav = element("nav", parent=parent, class_="language-switcher",
                  aria_label=furniture["languages"])
    if furniture.fallback:
        set_lang(nav, furniture.lang, lang)
    ul = element("ul", parent=nav)
    for tag, target in targets:
        a = element("a", languages.display_name(tag), parent=element("li", parent=ul),
                    href=relative(path, target), hreflang=tag)
        if tag != languages.PSEUDO:
            a.set("lang", tag)
        if target == path:
            a.set("aria-current", "page")


def _footer(body: etree._Element, info: SiteInfo, path: str, lang: str) -> None:
    footer = element("footer", parent=body, class_="site")
    nav = element("nav", parent=footer, class_="site-nav",
                  aria_label=words(lang)[0]["site_nav"])
    ul = element("ul", parent=nav)
    home = element("a", info.name, parent=element("li", parent=ul), href=relative(path, HOME))
    if lang != info.source_lang:
        home.set("lang", info.source_lang)
    say("a", "translations", lang, element("li", parent=ul)).set(
        "href", relative(path, TRANSLATIONS))
    li = element("li", parent=ul)
    say("span", "feeds", lang, li).tail = ": "
    atom = say("a", "opds1", lang, li)
    atom.set("href", relative(path, OPDS_ATOM))
    atom.set("type", "application/atom+xml;profile=opds-catalog;kind=navigation")
    atom.tail = " · "
    opds2 = say("a", "opds2", lang, li)
    opds2.set("href", relative(path, OPDS_JSON))
    opds2.set("type", "application/opds+json")
    say("p", "release", lang, footer, version=info.version,
        date=format_date(info.updated, lang))
    typeset_tree(footer, lang)


def _language_targets(info: SiteInfo) -> list[tuple[str, str]]:
    return [(entry.lang, f"{entry.lang}/index.html") for entry in info.languages]


def _cluster(targets: list[tuple[str, str]], default: str) -> tuple[tuple[str, str], ...]:
    return (*targets, (X_DEFAULT, default))


def home_page(info: SiteInfo) -> tuple[etree._Element, PageMeta]:
    lang = info.source_lang
    targets = _language_targets(info)
    root, main = _frame(info, HOME, lang, info.name, targets)
    element("h1", info.name, parent=main)
    element("p", info.description[lang], parent=main, class_="description")
    _collection(main, info, lang)
    heading = say("h2", "editions_in", lang, main)
    heading.set("id", "languages")
    ul = element("ul", parent=main, class_="languages")
    for entry in info.languages:
        a = element("a", languages.display_name(entry.lang), parent=element("li", parent=ul),
                    href=f"{entry.lang}/index.html", hreflang=entry.lang)
        if entry.lang != languages.PSEUDO:
            a.set("lang", entry.lang)
    typeset_tree(main, lang)
    meta = PageMeta(HOME, lang, info.name, info.description[lang],
                    _cluster(targets, HOME), "website", _website_ld(info), info.name)
    add_head(root, meta, info.base_url)
    return root, meta


def _collection(main: etree._Element, info: SiteInfo, lang: str) -> None:
    """The essays of the source language with their authors and dates."""
    say("h2", "collection", lang, main)
    ul = element("ul", parent=main, class_="essays")
    for essay in info.language(lang).essays:
        li = element("li", parent=ul)
        element("a", essay.title, parent=li, href=essay.page, class_="title")
        _byline(li, essay, lang)


def _byline(li: etree._Element, essay: EssayEntry, lang: str) -> None:
    if essay.authors:
        element("span", languages.join_names(essay.authors, lang), parent=li, class_="author")
    if essay.date:
        span = say("span", "first_published", lang, li, date="\x00")
        before, _, after = (span.text or "").partition("\x00")
        span.text = before
        time = element("time", format_date(essay.date, lang), parent=span, datetime=essay.date)
        time.tail = after
        span.set("class", "date")
    if essay.translators:
        say("span", "translated_by", lang, li,
            names=languages.join_names(essay.translators, lang)).set("class", "translators")


def language_page(info: SiteInfo, entry: LanguageEntry) -> tuple[etree._Element, PageMeta]:
    lang, path = entry.lang, f"{entry.lang}/index.html"
    furniture = furniture_for(lang)
    targets = _language_targets(info)
    title = f"{info.name} — {words(lang)[0]['collection']}"
    root, main = _frame(info, path, lang, title, targets)
    h1 = element("h1", info.name, parent=main)
    if lang != info.source_lang:
        h1.set("lang", info.source_lang)
    element("p", info.description.get(lang, info.description[info.source_lang]),
            parent=main, class_="description")
    heading = element("h2", furniture["essays"], parent=main)
    if furniture.fallback:
        set_lang(heading, furniture.lang, lang)
    ul = element("ul", parent=main, class_="essays")
    for essay in entry.essays:
        li = element("li", parent=ul)
        a = element("a", essay.title, parent=li, href=f"{essay.essay}.html", class_="title")
        if essay.title_lang:
            a.set("lang", essay.title_lang)
        _byline(li, essay, lang)
        _download_link(li, path, essay, lang)
    if entry.anthology:
        _download_box(main, path, (entry.anthology,), lang)
    typeset_tree(main, lang)
    meta = PageMeta(path, lang, title, info.description.get(lang, ""),
                    _cluster(targets, HOME), "book", _book_ld(info, entry), info.name)
    add_head(root, meta, info.base_url)
    return root, meta


def _download_link(parent: etree._Element, path: str, essay: EssayEntry, lang: str,
                   label: str | None = None) -> None:
    p = element("span", parent=parent, class_="download")
    if label:
        element("span", label, parent=p, class_="what").tail = " "
    a = element("a", parent=p, href=relative(path, essay.epub.path), type=EPUB_MEDIA_TYPE,
                download=essay.epub.path.rsplit("/", 1)[1])
    say("span", "download", lang, a).tail = " ("
    say("span", "epub_format", lang, a, size=size_text(essay.epub.size, lang)).tail = ")"


def _download_box(main: etree._Element, path: str, editions: tuple[EssayEntry, ...],
                  lang: str) -> None:
    furniture = furniture_for(lang)
    aside = element("aside", parent=main, class_="downloads", aria_labelledby="downloads")
    heading = say("h2", "download", lang, aside)
    heading.set("id", "downloads")
    ul = element("ul", parent=aside)
    for essay in editions:
        label = furniture["anthology"] if essay.essay == "anthology" else essay.title
        _download_link(element("li", parent=ul), path, essay, lang, label)


def essay_page(info: SiteInfo, essay: EssayEntry, root: etree._Element
               ) -> tuple[etree._Element, PageMeta]:
    """The page of :func:`writers.html.essay_page` made part of the site."""
    lang, path = essay.lang, essay.page
    body = root.find(x("body"))
    main = body.find(x("main"))
    main.set("id", "main")
    _skip_link(body, lang)
    anthology = info.language(lang).anthology
    _download_box(main, path, (essay, *([anthology] if anthology else [])), lang)
    _footer(body, info, path, lang)
    footer = body.findall(x("footer"))
    footer[0].extend(list(footer[1]))
    body.remove(footer[1])
    cluster = [(e.lang, e.page) for entry in info.languages for e in entry.essays
               if e.essay == essay.essay]
    default = f"{info.source_lang}/{essay.essay}.html"
    meta = PageMeta(path, lang, essay.title, essay.summary,
                    _cluster(cluster, default), "article", _article_ld(info, essay),
                    info.name, {"article:author": ", ".join(essay.authors)})
    add_head(root, meta, info.base_url)
    return root, meta


def translations_page(info: SiteInfo) -> tuple[etree._Element, PageMeta]:
    lang = info.source_lang
    title = f"{info.name} — {words(lang)[0]['translations']}"
    root, main = _frame(info, TRANSLATIONS, lang, title, _language_targets(info))
    say("h1", "translations", lang, main)
    say("p", "progress_intro", lang, main)
    for tag, rows in info.progress:
        _progress_section(main, tag, rows, lang)
    meta = PageMeta(TRANSLATIONS, lang, title, words(lang)[0]["progress_intro"],
                    site_name=info.name)
    add_head(root, meta, info.base_url)
    return root, meta


def _progress_section(main: etree._Element, tag: str, rows: tuple[ProgressRow, ...],
                      lang: str) -> None:
    section = element("section", parent=main, class_="progress", aria_labelledby=f"p-{tag}")
    heading = element("h2", languages.display_name(tag), parent=section, id=f"p-{tag}")
    if tag != languages.PSEUDO:
        heading.set("lang", tag)
    table = element("table", parent=section)
    head = element("tr", parent=element("thead", parent=table))
    furniture = furniture_for(lang)
    essays = element("th", furniture["essays"], parent=head, scope="col")
    if furniture.fallback:
        set_lang(essays, furniture.lang, lang)
    for key in ("progress", "translated", "fuzzy", "untranslated"):
        say("th", key, lang, head).set("scope", "col")
    body = element("tbody", parent=table)
    for row in rows:
        _progress_row(body, row, lang)


def _progress_row(body: etree._Element, row: ProgressRow, lang: str) -> None:
    table = words(lang)[0]
    tr = element("tr", parent=body)
    element("th", row.essay, parent=tr, scope="row")
    percent = f"{row.percent:.0f}"
    cell = element("td", parent=tr)
    total = sum(row.words)
    bar = element("progress", f"{percent} %", parent=cell, value=str(row.words[0]),
                  max=str(max(total, 1)),
                  aria_label=table["progress_label"].format(essay=row.essay, percent=percent))
    bar.tail = f" {percent} %"
    for key, segments, count in zip(("translated", "fuzzy", "untranslated"), row.segments,
                                    row.words, strict=True):
        td = element("td", parent=tr)
        say("span", key, lang, td).set("class", "label")     # shown where the table is not
        element("span", f"{segments} {table['segments']} / {count} {table['words']}",
                parent=td, class_="count")


# ---------------------------------------------------------------- schema.org

def _publisher(info: SiteInfo) -> dict:
    return {"@type": "Organization", "name": info.publisher or info.name}


def _url(info: SiteInfo, path: str) -> dict:
    return {"url": absolute(info.base_url, path)} if info.base_url else {}


def _website_ld(info: SiteInfo) -> dict:
    return {"@context": "https://schema.org", "@type": "WebSite", "name": info.name,
            "description": info.description[info.source_lang], "inLanguage": info.source_lang,
            "author": person_list(info.authors), "publisher": _publisher(info),
            **_url(info, HOME)}


def _article_ld(info: SiteInfo, essay: EssayEntry) -> dict:
    data = {"@context": "https://schema.org", "@type": "Article", "headline": essay.title,
            "inLanguage": essay.lang, "author": person_list(essay.authors),
            "publisher": _publisher(info), "description": essay.summary,
            "dateModified": essay.modified, "isPartOf": {"@type": "Book", "name": info.name},
            "encoding": {"@type": "MediaObject", "encodingFormat": EPUB_MEDIA_TYPE,
                         "contentSize": size_text(essay.epub.size, "en"),
                         **({"contentUrl": absolute(info.base_url, essay.epub.path)}
                            if info.base_url else {})},
            **_url(info, essay.page)}
    if essay.date:
        data["datePublished"] = essay.date
    if essay.translators:
        data["translator"] = person_list(essay.translators)
    if essay.lang != info.source_lang:
        data["translationOfWork"] = {"@type": "Article", "inLanguage": info.source_lang,
                                     **_url(info, f"{info.source_lang}/{essay.essay}.html")}
    return data


def _book_ld(info: SiteInfo, entry: LanguageEntry) -> dict:
    translators = tuple(dict.fromkeys(n for e in entry.essays for n in e.translators))
    data = {"@context": "https://schema.org", "@type": "Book", "name": info.name,
            "inLanguage": entry.lang, "bookFormat": "https://schema.org/EBook",
            "author": person_list(tuple(dict.fromkeys(a for e in entry.essays
                                                      for a in e.authors))),
            "publisher": _publisher(info), "datePublished": info.updated,
            "hasPart": [{"@type": "Article", "headline": e.title, "inLanguage": e.lang,
                         **_url(info, e.page)} for e in entry.essays],
            **_url(info, f"{entry.lang}/index.html")}
    if translators:
        data["translator"] = person_list(translators)
    return data
