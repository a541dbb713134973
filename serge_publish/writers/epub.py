"""EPUB 3 editions: one per essay and an anthology per language. The only module that
imports ebooklib.

EbookLib assembles the package (OPF, NCX, navigation document); every XHTML file is built
with lxml and added as a plain ``EpubItem`` (``EpubHtml`` would re-parse and damage it).
The result is then re-zipped reproducibly by ``epubzip`` (``xml:lang`` patched onto the
OPF ``<package>``, English furniture of the navigation document marked).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass

from ebooklib import epub
from lxml import etree

from .. import languages
from ..errors import Diagnostic
from .cover import cover_svg
from .edition import Anthology, Edition
from .epubzip import rezip
from .furniture import Furniture, furniture_for
from .matter import colophon, cover_page, mark_furniture, rights_text, title_page
from .essay import EssayPage, TocEntry, render_essay
from .xhtml import XML_LANG, page, serialize

XHTML_TYPE = "application/xhtml+xml"
# File names of the package: a chapter never takes one (an essay called "colophon").
RESERVED_NAMES = frozenset({"cover", "titlepage", "nav", "colophon", "toc", "content",
                            "style", "mimetype", "meta-inf"})
EPUB_OPTIONS = {"epub3_pages": False, "epub2_guide": False, "epub3_landmark": True,
                "spine_direction": True, "package_direction": True}


@dataclass(frozen=True)
class Chapter:
    file_name: str
    page: EssayPage


@dataclass(frozen=True)
class BookSpec:
    """Everything an EPUB needs, in one place."""
    title: str
    lang: str
    title_lang: str | None      # the title's language when not the book's (project name)
    identifier: str
    date: dt.datetime
    authors: tuple[str, ...]
    translators: tuple[str, ...]
    publisher: str
    rights: str                 # free text in the source language
    source: str
    source_lang: str
    provenance: tuple[str, ...]  # where each essay first appeared (source language)
    chapters: tuple[Chapter, ...]
    colophon: etree._Element
    furniture: Furniture


def essay_epub(edition: Edition, css: bytes) -> tuple[bytes, list[Diagnostic]]:
    """The EPUB of one essay in one language, and what went wrong on the way."""
    furniture = furniture_for(edition.lang)
    essay = render_essay(edition.document, edition.lang, furniture)
    spec = BookSpec(
        title=essay.title, lang=edition.lang, title_lang=None, identifier=edition.identifier,
        date=edition.date, authors=edition.document.metadata.author,
        translators=edition.translators, publisher=edition.publisher.publisher,
        rights=rights_text(edition), source=_source(edition), source_lang=edition.source_lang,
        provenance=_provenance((edition,)),
        chapters=(Chapter(chapter_file(edition.essay), essay),),
        colophon=colophon((edition,), (essay.title,), edition.lang, furniture),
        furniture=furniture)
    return build_epub(spec, css), list(essay.diagnostics)


def anthology_epub(anthology: Anthology, css: bytes) -> tuple[bytes, list[Diagnostic]]:
    """Every essay of ``anthology`` in one EPUB."""
    furniture = furniture_for(anthology.lang)
    pages = [render_essay(e.document, anthology.lang, furniture) for e in anthology.editions]
    authors: list[str] = []
    for edition in anthology.editions:
        authors.extend(a for a in edition.document.metadata.author
                       if a not in authors)
    spec = BookSpec(
        title=anthology.publisher.project, lang=anthology.lang,
        title_lang=None if anthology.lang == anthology.source_lang else anthology.source_lang,
        identifier=anthology.identifier, date=anthology.date, authors=tuple(authors),
        translators=anthology.translators, publisher=anthology.publisher.publisher,
        rights=" ".join(dict.fromkeys(filter(None, (rights_text(e) for e in anthology.editions)))),
        source="", source_lang=anthology.source_lang,
        provenance=_provenance(anthology.editions),
        chapters=tuple(Chapter(chapter_file(e.essay), p)
                       for e, p in zip(anthology.editions, pages)),
        colophon=colophon(anthology.editions, tuple(p.title for p in pages), anthology.lang,
                          furniture),
        furniture=furniture)
    diagnostics = [d for p in pages for d in p.diagnostics]
    return build_epub(spec, css), diagnostics


def build_epub(spec: BookSpec, css: bytes) -> bytes:
    book = _book_metadata(spec)
    f = spec.furniture
    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                                content=css))
    image = epub.EpubCover(uid="cover-image", file_name="cover.svg")
    image.content = cover_svg(spec.title, languages.join_names(spec.authors, spec.lang), spec.lang,
                              spec.publisher)
    book.add_item(image)
    cover = _xhtml_item("cover", "cover.xhtml", cover_page(spec.title, spec.lang, f))
    titlepage = _xhtml_item("titlepage", "titlepage.xhtml", title_page(
        spec.title, spec.authors, spec.translators, spec.publisher, spec.lang, f,
        spec.title_lang))
    nav = epub.EpubNav(title=f["contents"])             # marked English by rezip if so
    nav.add_link(href="style.css", rel="stylesheet", type="text/css")
    chapters = [_xhtml_item(f"c-{i + 1}", ch.file_name, _chapter_page(ch, spec.lang))
                for i, ch in enumerate(spec.chapters)]
    colophon_root, body = page(f["colophon"], spec.lang, "style.css", body_type="backmatter")
    mark_furniture(colophon_root[0][0], f, spec.lang)   # <title>
    body.append(spec.colophon)
    back = _xhtml_item("colophon", "colophon.xhtml", colophon_root)
    for item in (cover, titlepage, nav, *chapters, back):
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.spine = [cover, titlepage, nav, *chapters, back]
    book.toc = _toc(spec, f)
    book.guide = [
        {"type": "cover", "href": "cover.xhtml", "title": f["cover"]},
        {"type": "titlepage", "href": "titlepage.xhtml", "title": f["title_page"]},
        {"type": "toc", "href": "nav.xhtml", "title": f["contents"]},
        {"type": "bodymatter", "href": spec.chapters[0].file_name, "title": f["text"]},
    ]
    out = io.BytesIO()
    options = dict(EPUB_OPTIONS, landmark_title=f["landmarks"], mtime=spec.date,
                   raise_exceptions=True)
    writer = epub.EpubWriter(out, book, options)
    writer.process()
    writer.write()
    english = frozenset(v for _, v in f.words if "{" not in v) if f.fallback else frozenset()
    return rezip(out.getvalue(), spec.date, spec.lang, english)


def _book_metadata(spec: BookSpec) -> epub.EpubBook:
    book = epub.EpubBook()
    book.set_identifier(spec.identifier)
    book.title = spec.title
    book.add_metadata("DC", "title", spec.title,
                      {XML_LANG: spec.title_lang} if spec.title_lang else None)
    book.set_language(spec.lang)
    if languages.direction(spec.lang) == "rtl":
        book.set_direction("rtl")
    for i, name in enumerate(spec.authors, 1):
        book.add_author(name, role="aut", uid=f"author-{i}")
    for i, name in enumerate(spec.translators, 1):
        book.add_metadata("DC", "contributor", name, {"id": f"translator-{i}"})
        book.add_metadata(None, "meta", "trl", {"refines": f"#translator-{i}",
                                                "property": "role", "scheme": "marc:relators"})
    for name, value in (("publisher", spec.publisher), ("source", spec.source),
                        ("date", spec.date.strftime("%Y-%m-%d"))):
        if value:
            book.add_metadata("DC", name, value)
    if spec.rights:
        book.add_metadata("DC", "rights", spec.rights, {XML_LANG: spec.source_lang})
    for provenance in spec.provenance:
        book.add_metadata(None, "meta", provenance, {"property": "dcterms:provenance",
                                                     XML_LANG: spec.source_lang})
    for prop, value in accessibility(spec):
        attrs = {"property": prop}
        if prop == "schema:accessibilitySummary" and spec.furniture.fallback:
            attrs[XML_LANG] = spec.furniture.lang
        book.add_metadata(None, "meta", value, attrs)
    return book


def accessibility(spec: BookSpec) -> list[tuple[str, str]]:
    """Accessibility metadata (schema.org and EPUB Accessibility 1.1), every claim true of
    this book: the summary speaks of endnotes only when it has some; the conformance claim
    is checked by Ace (see docs/build.md)."""
    has_notes = any(ch.page.section.xpath(".//*[@role='doc-endnotes']") for ch in spec.chapters)
    summary = spec.furniture["accessibility_summary" if has_notes
                             else "accessibility_summary_no_notes"]
    rows = [("schema:accessMode", "textual"), ("schema:accessMode", "visual"),
            ("schema:accessModeSufficient", "textual"),
            ("schema:accessibilityFeature", "tableOfContents"),
            ("schema:accessibilityFeature", "readingOrder"),
            ("schema:accessibilityFeature", "structuralNavigation"),
            ("schema:accessibilityFeature", "alternativeText"),
            ("schema:accessibilityHazard", "none"),
            ("schema:accessibilitySummary", summary),
            ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA")]
    if spec.publisher:
        rows.append(("a11y:certifiedBy", spec.publisher))
    return rows


def _toc(spec: BookSpec, f: Furniture) -> list:
    counter = iter(range(1, 10_000))

    def link(href: str, title: str) -> epub.Link:
        return epub.Link(href, title, f"nav-{next(counter)}")

    def entries(file_name: str, items: tuple[TocEntry, ...]) -> list:
        out = []
        for item in items:
            href = f"{file_name}#{item.fragment}"
            if item.children:
                out.append((epub.Section(item.title, href), entries(file_name, item.children)))
            else:
                out.append(link(href, item.title))
        return out

    toc: list = [link("titlepage.xhtml", f["title_page"])]
    for chapter in spec.chapters:
        children = entries(chapter.file_name, chapter.page.toc)
        toc.append((epub.Section(chapter.page.title, chapter.file_name), children)
                   if children else link(chapter.file_name, chapter.page.title))
    toc.append(link("colophon.xhtml", f["colophon"]))
    return toc


def _chapter_page(chapter: Chapter, lang: str) -> etree._Element:
    root, body = page(chapter.page.title, lang, "style.css", body_type="bodymatter")
    body.append(chapter.page.section)
    return root


def _xhtml_item(uid: str, file_name: str, root: etree._Element) -> epub.EpubItem:
    return epub.EpubItem(uid=uid, file_name=file_name, media_type=XHTML_TYPE,
                         content=serialize(root))


def _provenance(editions: tuple[Edition, ...]) -> tuple[str, ...]:
    """The source's provenance notes, for the source-language edition only (a translation
    carries the translated provenance segments in its text)."""
    return tuple(dict.fromkeys(e.document.metadata.provenance.strip() for e in editions
                               if e.is_source and e.document.metadata.provenance.strip()))


def _source(edition: Edition) -> str:
    if edition.is_source:
        meta = edition.document.metadata
        return ", ".join(filter(None, (meta.publisher, meta.date)))
    return edition.source_identifier


def chapter_file(essay: str) -> str:
    """The file of an essay in an EPUB: its id when that is a safe file name, not one of
    the package's own names; otherwise a safe name made unique by a hash of the id."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", essay).strip(".") or "essay"
    if safe == essay and essay.lower() not in RESERVED_NAMES:
        return f"{essay}.xhtml"
    digest = hashlib.sha1(essay.encode("utf-8")).hexdigest()[:8]
    return f"essay-{safe}-{digest}.xhtml"

