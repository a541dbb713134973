"""The static site of a release: a home page that says what the collection is, a page per
language listing its essays with their downloads, the essay pages (those of
:mod:`writers.html`, given a skip link, a download box, the site's navigation and head
metadata), and a translators' page with the progress of every translation.

Every page has a ``lang``, a skip link, landmarks (header, nav, main, footer), a language
switcher, and links only inside the site (no external resources). Words come from
``data/site_text.json`` (English, marked ``lang="en"``, for a language without a table).
What the pages are given (:mod:`writers.site_model`) is decided by
``commands/release_site.py``; their JSON-LD is :mod:`writers.site_ld`.
"""
from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from .. import languages
from .furniture import format_date, furniture_for
from .html import EPUB_MEDIA_TYPE, serialize_html
from .site_ld import article_ld, book_ld, website_ld
from .site_meta import X_DEFAULT, PageMeta, add_head, relative
from .site_model import EssayEntry, LanguageEntry, ProgressRow, SiteInfo, say, size_text, words
from .typography import typeset_tree
from .xhtml import element, find, page, set_isolated_text, set_lang, x

HOME, TRANSLATIONS, STYLE = "index.html", "translations.html", "style.css"
OPDS_ATOM, OPDS_JSON = "opds/catalog.xml", "opds/catalog.json"


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
                    _cluster(targets, HOME), "website", website_ld(info), info.name)
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
        set_isolated_text(element("span", parent=li, class_="author"),
                          languages.join_names(essay.authors, lang, within=lang))
    if essay.date:                  # "First published: <time>": the words around the date
        span = say("span", "first_published", lang, li, date="")
        before, _, after = words(lang)[0]["first_published"].partition("{date}")
        span.text = before
        time = element("time", format_date(essay.date, lang), parent=span, datetime=essay.date)
        time.tail = after or None
        span.set("class", "date")
    if essay.translators:           # joined as the site's words are written (see say)
        sentence = words(lang)[1] or lang
        names = languages.join_names(essay.translators, sentence, within=sentence)
        say("span", "translated_by", lang, li, names=names).set("class", "translators")


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
                    _cluster(targets, HOME), "book", book_ld(info, entry), info.name)
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
    body = find(root, x("body"))
    main = find(body, x("main"))
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
                    _cluster(cluster, default), "article", article_ld(info, essay),
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
