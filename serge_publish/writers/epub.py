"""EPUB 3 editions: one per essay and an anthology per language.

Every file of the book is built with lxml: the package documents (OPF, NCX, navigation
document) by ``opf``, laid out as EbookLib once laid them out; the zip is written once,
reproducibly, by ``epubzip``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from copy import copy
from dataclasses import dataclass, field, replace
from functools import lru_cache

import deflate
from lxml import etree

from .. import __version__, languages
from ..errors import Diagnostic
from ..model import iter_segments
from . import opf
from .cover import cover_svg, keep_together
from .edition import Anthology, Edition
from .epubzip import Content, Deflated, deflated, remember_deflated, write_epub
from .essay import EssayPage, TocEntry, render_essay, title_language
from .furniture import Furniture, format_date, furniture_for
from .matter import (
    Row,
    colophon,
    cover_page,
    half_title_page,
    introduction_page,
    mark_furniture,
    rights_statements,
    status_statement,
    title_page,
)
from .memo import BytesBounded
from .raster import MAX_CHARS, cover_png
from .typography import typeset_text
from .xhtml import XML_LANG, clean, page, serialize, serialize_around

XHTML_TYPE = "application/xhtml+xml"
# File names of the package: a chapter never takes one (an essay called "colophon").
RESERVED_NAMES = frozenset({"cover", "titlepage", "nav", "colophon", "toc", "content",
                            "style", "mimetype", "meta-inf", "halftitle", "introduction"})
GENERATOR = f"serge-publish {__version__}"


@dataclass(frozen=True)
class Chapter:
    """An essay as a file of the book: its XHTML, already serialised (see :func:`chapter`)."""
    file_name: str
    title: str
    toc: tuple[TocEntry, ...]
    xhtml: bytes
    has_notes: bool = False     # it has a section of endnotes
    diagnostics: tuple[Diagnostic, ...] = ()
    author: str = ""            # shown in an anthology's contents
    # its XHTML deflated, when ``xhtml`` is left empty: a chapter this process recorded,
    # written into its books as its stream (see :func:`_made_chapter`)
    packed: Deflated | None = field(default=None, compare=False, repr=False)

    @property
    def content(self) -> Content:
        """The chapter's file as a book holds it: its XHTML, or its stream."""
        return self.packed if self.packed is not None and not self.xhtml else self.xhtml


def chapter(file_name: str, essay: EssayPage, lang: str) -> Chapter:
    """The chapter file of ``essay`` in a book in ``lang``: the page serialised around the
    essay's section (xhtml.serialize_around), or the section moved into it, serialised,
    then taken out again; either way the section is left as it was but for its whitespace
    (see essay.render_essay's ``lend``)."""
    root, body = page(essay.title, lang, "style.css", body_type="bodymatter")
    section = essay.section
    # the notes of an essay are a section of its own, looked for there first
    has_notes = any(child.get("role") == "doc-endnotes" for child in section) \
        or bool(_ENDNOTES(section))
    # serialised around the section, not moved into the page (see serialize_around)
    xhtml = serialize_around(root, body, section, essay.layout)
    if xhtml is None:
        body.append(section)
        # its layout kept for the HTML page (put, not found, when the essay's gives it)
        xhtml = serialize(root, keep=section, made=essay.layout)
        body.remove(section)
    return Chapter(file_name, essay.title, essay.toc, xhtml, has_notes, essay.diagnostics)


_ENDNOTES = etree.XPath("descendant::*[@role = 'doc-endnotes']")


# The chapters of the essays rendered in this process, by what they are made of (the
# key of the edition the build gives: ``key``): the anthology of a language is made of the
# very chapters of its essays' EPUBs, rendered once. Bounded in bytes, the oldest dropped:
# the build keeps them on disk too (its ``store``), where the others are found. (A
# chapter rendered by a plan job, see prepare_chapter, is not held here: its stream is,
# in the store's memory.)
_CHAPTERS: BytesBounded[tuple[bytes, str, str], Chapter] = BytesBounded(
    64 * 1024 * 1024, lambda _, chapter: len(chapter.xhtml))


def essay_chapter(edition: Edition, furniture: Furniture, key: bytes | None = None,
                  store=None) -> Chapter:
    """The chapter of ``edition`` in its own language; remembered under ``key`` (a
    fingerprint of everything ``edition`` is: the same key, the same edition) if given,
    in this process and in ``store`` (kept between builds: see build_state.ChapterStore)."""
    done, fresh = _essay_chapter(edition, furniture, key, store)
    _keep(store, key, done, fresh, edition)
    return done


def prepare_chapter(edition: Edition, key: bytes, store, fresh: bool = False) -> None:
    """Render (unless known) the chapter of ``edition`` and record it under ``key``, in
    ``store`` and in this process's memory of it (ChapterStore.made), with its deflated
    stream, before its EPUB is made (see build_render.prerender): :func:`essay_epub`
    then makes the EPUB of the edition's outline (``outline=True``), and its anthology
    takes the chapter from there, both as its stream (the chapter's bytes are not kept).
    ``fresh``: rendered whatever is recorded (build --force)."""
    if not fresh:
        known, where = _known_chapter(edition, key, store, packed=True)
        if known is not None:
            _keep(store, key, known, where, edition)
            return
    done = chapter(chapter_file(edition.essay), render_essay(
        edition.document, edition.lang, furniture_for(edition.lang), lend=True),
        edition.lang)
    # its stream deflated once (or found: see _deflated_chapter), recorded with it
    _keep(store, key, done, True, edition, _deflated_chapter(done.xhtml, key, store))


def _deflated_chapter(xhtml: bytes, key: bytes, store) -> tuple[bytes, int]:
    """The deflated stream of a chapter just rendered, and its CRC-32: the one recorded
    under ``key`` when it inflates to exactly ``xhtml`` (the chapter rendered as it was,
    by ``build --force`` or after its record was forgotten), else deflated here. The
    record is not taken as the chapter (it is rendered all the same), only its stream:
    libdeflate gives the same stream for the same bytes at the same level, and a store
    file is named by the deflater's version (see build_state.ChapterStore.name), so
    deflating again would make the very same stream, for ten times the CPU of checking
    it (an inflate, a comparison)."""
    former = store.former(key) if store is not None else None
    if (isinstance(former, tuple) and len(former) == 5 and isinstance(former[1], bytes)
            and former[4] == len(xhtml) and former[2] == deflate.crc32(xhtml)):
        try:
            if deflate.deflate_decompress(former[1], len(xhtml)) == xhtml:
                return former[1], former[2]
        except deflate.DeflateError:
            pass
    return deflated(xhtml)


def recorded_edition(key: bytes, store) -> tuple[Edition, object] | None:
    """The edition whose chapter ``store`` records under ``key``, without its text (its
    front matter, body and back matter: what an anthology needs of an essay whose chapter
    it has), and the record (None: nothing, or nothing intact, is recorded). The chapter
    is then remembered in this process."""
    made = store.made(key)
    if _made_chapter(made, key) is not None:
        return made[3], made            # (see _made_chapter)
    record = store.get(key)
    if not (isinstance(record, tuple) and len(record) == 5
            and isinstance(record[3], Edition)):
        return None
    outline: Edition = record[3]
    done = _from_store(record, chapter_file(outline.essay))
    if done is None:
        return None
    _CHAPTERS.put(_memo(key, outline.lang, done.file_name), done)
    return outline, record


def _memo(key: bytes, lang: str, file_name: str) -> tuple[bytes, str, str]:
    return hashlib.blake2b(key, digest_size=20).digest(), lang, file_name


def _essay_chapter(edition: Edition, furniture: Furniture, key: bytes | None,
                   store, packed: bool = False) -> tuple[Chapter, bool | None]:
    """The chapter, and whether it was rendered here (None: remembered in this process,
    maybe not in ``store``; False: taken from ``store``); ``packed``: maybe given as its
    stream (see :func:`_known_chapter`)."""
    known, fresh = _known_chapter(edition, key, store, packed)
    if known is not None:
        return known, fresh
    file_name = chapter_file(edition.essay)
    done = chapter(file_name, render_essay(edition.document, edition.lang, furniture,
                                           lend=True), edition.lang)
    if key is not None:
        _CHAPTERS.put(_memo(key, edition.lang, file_name), done)
    return done, True


def _known_chapter(edition: Edition, key: bytes | None, store, packed: bool = False
                   ) -> tuple[Chapter | None, bool | None]:
    """The chapter of :func:`_essay_chapter` when it is not rendered (None: it would be),
    and where it is from (None: this process, False: ``store``). ``packed``: a chapter
    this process recorded in ``store`` may be given as its stream (its ``xhtml`` empty,
    its ``packed`` set: what a book needs of it; see :func:`_made_chapter`)."""
    if key is None:
        return None, None
    file_name = chapter_file(edition.essay)
    memo = _memo(key, edition.lang, file_name)
    if (known := _CHAPTERS.get(memo)) is not None:
        return known, None
    if packed and store is not None:
        made = _made_chapter(store.made(key), key, edition.lang, file_name)
        if made is not None:
            return made, False
    if store is not None:
        stored = _from_store(store.get(key), file_name)
        if stored is not None:
            _CHAPTERS.put(memo, stored)
            return stored, False
    return None, None


def _keep(store, key: bytes | None, done: Chapter, fresh: bool | None,
          edition: Edition, stream: tuple[bytes, int] | None = None) -> None:
    """Record a chapter in ``store`` (after its book is zipped: its deflated stream, as
    the book holds it, is recorded with it and given to the next book that holds it;
    ``stream``: the stream and CRC-32, known), with its edition without its text (see
    :func:`recorded_edition`); the record is remembered as this process's
    (ChapterStore.made)."""
    if store is None or key is None or fresh is False:
        return
    if done.packed is not None and not done.xhtml:
        stream, size = (done.packed.stream, done.packed.crc), done.packed.size
    else:
        stream, size = stream or deflated(done.xhtml), len(done.xhtml)
    store.put(key, (replace(done, xhtml=b"", packed=None), *stream, outline(edition), size),
              again=bool(fresh), made=True)


def _made_chapter(made: object, key: bytes, lang: str | None = None,
                  file_name: str | None = None) -> Chapter | None:
    """The chapter of a record this process made (ChapterStore.made: as :func:`_keep`
    put it), given as its stream (``packed``), None if it is none (or not of ``lang``
    and ``file_name``, when given). What it holds was made here (its stream deflated
    from the chapter's bytes, or found to inflate to them): it is not inflated to be
    checked, as a record read from a file is (:func:`_from_store`)."""
    if not (isinstance(made, tuple) and len(made) == 5 and isinstance(made[0], Chapter)
            and isinstance(made[1], bytes) and isinstance(made[3], Edition)):
        return None
    meta: Chapter = made[0]
    if lang is not None and made[3].lang != lang or \
            file_name is not None and meta.file_name != file_name:
        return None
    return replace(meta, packed=Deflated(made[1], made[2], made[4]))


def outline(edition: Edition) -> Edition:
    """``edition`` without its text (the front matter, body and back matter of its
    document), which is all :func:`essay_epub` needs of it given its chapter
    (``outline=True``), and an anthology of an essay whose chapter it has: its
    description is the configured one or, as the EPUB says when none is configured, the
    first sentence of its text (:func:`first_sentence`), worked out before the text is
    left out."""
    return replace(edition, document=replace(edition.document, front=(), body=(), back=()),
                   facts=replace(edition.facts, description=edition.facts.description
                                 or first_sentence(edition)))


def _from_store(stored: object, file_name: str) -> Chapter | None:
    """A chapter recorded by :func:`_keep`, None if ``stored`` is not one: (the chapter
    without its XHTML, its deflated stream, its CRC-32, its edition's outline, its size),
    inflated by libdeflate (given the size: a third of zlib's time)."""
    if not (isinstance(stored, tuple) and len(stored) == 5
            and isinstance(stored[0], Chapter) and stored[0].file_name == file_name
            and isinstance(stored[1], bytes) and isinstance(stored[2], int)
            and isinstance(stored[4], int)):
        return None
    try:
        xhtml = bytes(deflate.deflate_decompress(stored[1], stored[4]))
    except deflate.DeflateError:
        return None
    if len(xhtml) != stored[4] or deflate.crc32(xhtml) != stored[2]:
        return None
    remember_deflated(xhtml, stored[1], stored[2])
    return replace(stored[0], xhtml=xhtml)


def chapter_known(lang: str, essay: str, key: bytes) -> bool:
    """Whether :func:`essay_chapter` remembers the chapter of ``essay`` in ``lang`` under
    ``key``: then it reads nothing of the edition it is given."""
    return _memo(key, lang, chapter_file(essay)) in _CHAPTERS


@dataclass(frozen=True)
class Source:
    """Where a text first appeared: dc:source and its dcterms facts."""
    citation: str               # "Publisher, date"
    url: str = ""
    date: str = ""              # ISO 8601


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
    rights: tuple[tuple[str, str], ...]  # dc:rights: each text, its language (see
                                         # matter.rights_statements)
    source_lang: str
    provenance: tuple[str, ...]  # where each essay first appeared (source language)
    chapters: tuple[Chapter, ...]
    colophon: etree._Element
    furniture: Furniture
    description: str = ""
    description_lang: str | None = None
    subjects: tuple[tuple[str, str], ...] = ()   # each subject and its language
    sources: tuple[Source, ...] = ()
    collection: str = ""                 # the anthology an essay belongs to
    collection_lang: str | None = None
    position: int = 0                    # the essay's place in it (from 1)
    half_title: bool = False
    introduction: str = ""


def essay_epub(edition: Edition, css: bytes, position: int = 0, key: bytes | None = None,
               store=None, outline: bool = False, output: str = ""
               ) -> tuple[bytes, list[Diagnostic]] | None:
    """The EPUB of one essay in one language, and what went wrong on the way (``key``,
    ``store``: see :func:`essay_chapter`). ``outline``: ``edition`` is without its text
    (see :func:`prepare_chapter`): None when its chapter is not found under ``key``.
    ``output``: its path, where its own warnings are said to be (its cover's)."""
    furniture = furniture_for(edition.lang)
    if outline:
        found, fresh = _known_chapter(edition, key, store, packed=True)
        if found is None:
            return None
        essay = found
    else:
        essay, fresh = _essay_chapter(edition, furniture, key, store, packed=True)
    publisher = edition.publisher
    spec = BookSpec(
        title=essay.title, lang=edition.lang,
        title_lang=title_language(edition.document, edition.lang), identifier=edition.identifier,
        date=edition.date, authors=edition.document.metadata.author,
        translators=edition.translators, publisher=publisher.publisher,
        rights=rights_statements((edition,), edition.lang), source_lang=edition.source_lang,
        provenance=_provenance((edition,)),
        chapters=(essay,),
        colophon=colophon((edition,), (essay.title,), edition.lang, furniture),
        furniture=furniture,
        description=edition.facts.description or first_sentence(edition),
        subjects=subjects(edition.lang, (edition.facts.subjects, edition.facts.subject_langs),
                          (publisher.subjects, publisher.subject_langs)),
        sources=(source_of(edition),), collection=project_title(publisher, edition.lang),
        collection_lang=publisher.project_lang or None, position=position)
    data = build_epub(spec, css)
    _keep(store, key, essay, fresh, edition)
    return data, list(essay.diagnostics) + cover_warnings(spec, output)


def anthology_epub(anthology: Anthology, css: bytes,
                   keys: tuple[bytes, ...] | None = None, store=None, output: str = ""
                   ) -> tuple[bytes, list[Diagnostic]]:
    """Every essay of ``anthology`` in one EPUB (``keys``: each edition's, and ``store``:
    see :func:`essay_chapter`; ``output``: see :func:`essay_epub`)."""
    furniture = furniture_for(anthology.lang)
    known: tuple[bytes | None, ...] = keys or (None,) * len(anthology.editions)
    made = [_essay_chapter(e, furniture, k, store, packed=True)
            if e.lang == anthology.lang else
            (chapter(chapter_file(e.essay), render_essay(e.document, anthology.lang,
                                                         furniture), anthology.lang), False)
            for e, k in zip(anthology.editions, known, strict=True)]
    pages = [done for done, _ in made]
    authors: list[str] = []
    for edition in anthology.editions:
        authors.extend(a for a in edition.document.metadata.author
                       if a not in authors)
    publisher = anthology.publisher
    spec = BookSpec(
        title=project_title(anthology.publisher, anthology.lang), lang=anthology.lang,
        title_lang=publisher.project_lang or None,
        identifier=anthology.identifier, date=anthology.date, authors=tuple(authors),
        translators=anthology.translators, publisher=publisher.publisher,
        rights=rights_statements(anthology.editions, anthology.lang),
        source_lang=anthology.source_lang,
        provenance=_provenance(anthology.editions),
        chapters=tuple(replace(p, author=languages.join_names(e.document.metadata.author,
                                                              anthology.lang))
                       for e, p in zip(anthology.editions, pages, strict=True)),
        # (asked for once: the tree itself, not a copy of one kept)
        colophon=colophon(anthology.editions, tuple(p.title for p in pages), anthology.lang,
                          furniture, book=_anthology_rows(anthology, furniture),
                          last_use=True),
        furniture=furniture, description=publisher.description,
        subjects=subjects(anthology.lang, (publisher.subjects, publisher.subject_langs)),
        description_lang=publisher.description_lang or None,
        sources=tuple(source_of(e) for e in anthology.editions),
        half_title=True, introduction=publisher.introduction)
    diagnostics = [d for p in pages for d in p.diagnostics] + cover_warnings(spec, output)
    data = build_epub(spec, css)
    for (done, fresh), k, edition in zip(made, known, anthology.editions, strict=True):
        _keep(store, k, done, fresh, edition)
    return data, diagnostics


def _cover_names(spec: BookSpec) -> str:
    """The authors as the covers print them: joined, each name kept on one line."""
    return languages.join_names(tuple(keep_together(a) for a in spec.authors), spec.lang)


def cover_warnings(spec: BookSpec, where: str) -> list[Diagnostic]:
    """``build.cover-glyphs``: characters of the cover's texts that no installed font has
    a glyph for (see writers.fonts), which the raster cover draws as empty boxes; what
    to install. The SVG cover and the pages are not concerned: a reading system draws
    them with its own fonts."""
    from . import fonts
    lines = _cover_names(spec)
    lacking = "".join(dict.fromkeys(
        "".join(fonts.missing(text[:MAX_CHARS], spec.lang)
                for text in (spec.title, lines, spec.publisher))))
    if not lacking:
        return []
    shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in lacking[:6]) + \
        (f" and {len(lacking) - 6} more" if len(lacking) > 6 else "")
    return [Diagnostic(
        "build.cover-glyphs",
        f"the raster cover (cover.png) of the {spec.lang} edition {spec.title!r} draws "
        f"{shown} as empty boxes: no installed font has them. Install one that does "
        f"(on Debian: apt-get install {fonts.package_for(lacking)}; or put a .ttf/.otf in "
        "~/.local/share/fonts) and build again; the SVG cover and the text are not "
        "concerned", where)]


def build_epub(spec: BookSpec, css: bytes) -> bytes:
    f = spec.furniture
    author = languages.join_names(spec.authors, spec.lang)
    lines = _cover_names(spec)
    metadata = _book_metadata(spec)
    metadata.meta("", {"name": "cover", "content": "cover-image"})
    items = [opf.Item("style", "style.css", "text/css", css),
             opf.Item("cover-image", "cover.png", "image/png",
                      cover_png(spec.title, lines, spec.publisher, spec.lang),
                      "cover-image"),
             opf.Item("cover-svg", "cover.svg", "image/svg+xml",
                      cover_svg(spec.title, author, spec.lang, spec.publisher, lines))]
    cover = _xhtml_item("cover", "cover.xhtml", cover_page(spec.title, spec.lang, f))
    titlepage = _xhtml_item("titlepage", "titlepage.xhtml", title_page(
        spec.title, spec.authors, spec.translators, spec.publisher, spec.lang, f,
        spec.title_lang))
    front = []
    if spec.half_title:
        front.append(_xhtml_item("halftitle", "halftitle.xhtml",
                                 half_title_page(spec.title, spec.lang, f, spec.title_lang)))
    toc = _toc(spec, f)
    english = frozenset(v for _, v in f.words if "{" not in v) if f.fallback else frozenset()
    landmarks = [("cover", "cover.xhtml", f["cover"]),
                 ("titlepage", "titlepage.xhtml", f["title_page"]),
                 ("toc", "nav.xhtml", f["contents"]),
                 ("bodymatter", spec.chapters[0].file_name, f["text"])]
    nav = opf.Item("nav", "nav.xhtml", XHTML_TYPE, opf.nav(
        f["contents"] or spec.title, spec.lang, toc, f["landmarks"], landmarks, english),
        "nav")
    chapters = [opf.Item(f"c-{i + 1}", ch.file_name, XHTML_TYPE, ch.content)
                for i, ch in enumerate(spec.chapters)]
    if spec.introduction:
        chapters.insert(0, _xhtml_item("introduction", "introduction.xhtml",
                                       introduction_page(spec.introduction, spec.lang, f)))
    colophon_root = copy(_colophon_frame(spec.lang, f))   # (lxml: all of it)
    colophon_root[1].append(spec.colophon)
    back = _xhtml_item("colophon", "colophon.xhtml", colophon_root)
    spine = [cover, *front, titlepage, nav, *chapters, back]
    items += [*spine, opf.Item("ncx", "toc.ncx", "application/x-dtbncx+xml",
                               opf.ncx(spec.identifier, spec.title, toc))]
    entries: dict[str, Content] = {"mimetype": b"application/epub+zip",
                                   "META-INF/container.xml": _CONTAINER,
                                   f"{opf.FOLDER}/content.opf": opf.opf(
                                       metadata, _stamp(spec.date, "%Y-%m-%dT%H:%M:%SZ"),
                                       spec.lang, items, spine)}
    entries.update((f"{opf.FOLDER}/{item.href}", item.content) for item in items)
    # met again: the stylesheet in every book, a chapter in its anthology, the container
    # everywhere, a cover wherever a title and its author are the same
    reuse = frozenset({"style.css", "container.xml", "cover.png",
                       *(ch.file_name for ch in spec.chapters)})
    return write_epub(entries, spec.date, reuse)


_CONTAINER = opf.container_xml()


@lru_cache(maxsize=16)
def _stamp(date: dt.datetime, form: str) -> str:
    """``date`` written in ``form``: the same for every book of a build."""
    return date.strftime(form)


@lru_cache(maxsize=64)
def _colophon_frame(lang: str, furniture: Furniture) -> etree._Element:
    """The colophon's page of a language before its colophon (put in its ``<body>``):
    not to be changed, but copied."""
    root, _ = page(furniture["colophon"], lang, "style.css", body_type="backmatter")
    mark_furniture(root[0][0], furniture, lang)         # <title>
    return root


def _book_metadata(spec: BookSpec) -> opf.Metadata:
    book = opf.Metadata(spec.identifier, GENERATOR)
    book.dc("title", spec.title, {XML_LANG: spec.title_lang} if spec.title_lang else None)
    book.dc("language", spec.lang)
    for i, name in enumerate(spec.authors, 1):
        book.dc("creator", name, {"id": f"author-{i}"})
        book.meta("aut", {"refines": f"#author-{i}", "property": "role",
                          "scheme": "marc:relators"})
        book.meta(file_as(name), {"refines": f"#author-{i}", "property": "file-as"})
    for i, name in enumerate(spec.translators, 1):
        book.dc("contributor", name, {"id": f"translator-{i}"})
        book.meta("trl", {"refines": f"#translator-{i}", "property": "role",
                          "scheme": "marc:relators"})
    for name, value in (("publisher", spec.publisher),
                        ("date", _stamp(spec.date, "%Y-%m-%d"))):
        if value:
            book.dc(name, value)
    for text, lang in spec.rights:
        book.dc("rights", text, {XML_LANG: lang} if lang != spec.lang else None)
    if spec.description:
        book.dc("description", spec.description,
                {XML_LANG: spec.description_lang} if spec.description_lang else None)
    for subject, lang in spec.subjects:
        book.dc("subject", subject, {XML_LANG: lang} if lang != spec.lang else None)
    _sources(book, spec.sources)
    if spec.collection:
        attrs = {"property": "belongs-to-collection", "id": "collection"}
        if spec.collection_lang:
            attrs[XML_LANG] = spec.collection_lang
        book.meta(spec.collection, attrs)
        book.meta("set", {"refines": "#collection", "property": "collection-type"})
        if spec.position:
            book.meta(str(spec.position), {"refines": "#collection",
                                           "property": "group-position"})
    for provenance in spec.provenance:
        book.meta(provenance, {"property": "dcterms:provenance", XML_LANG: spec.source_lang})
    for prop, value in accessibility(spec):
        attrs = {"property": prop}
        if prop == "schema:accessibilitySummary" and spec.furniture.fallback:
            attrs[XML_LANG] = spec.furniture.lang
        book.meta(value, attrs)
    return book


def _sources(book: opf.Metadata, sources: tuple[Source, ...]) -> None:
    """dc:source (the original's address where known, else its citation), refined by the
    date of first publication and the citation."""
    for i, source in enumerate(sources, 1):
        value = source.url or source.citation
        if not value:
            continue
        book.dc("source", value, {"id": f"source-{i}"})
        if source.date:
            book.meta(source.date, {"refines": f"#source-{i}", "property": "dcterms:issued"})
        if source.url and source.citation:
            book.meta(source.citation, {"refines": f"#source-{i}",
                                        "property": "dcterms:bibliographicCitation"})


def subjects(lang: str, *given: tuple[tuple[str, ...], tuple[str, ...]]
             ) -> tuple[tuple[str, str], ...]:
    """dc:subject in a book of ``lang``: the subjects of each of ``given`` (an essay's,
    then the project's: the subjects and the language of each, "" where translated),
    each with its language (``lang`` where translated), the same subject once."""
    found: dict[str, str] = {}
    for names, langs in given:
        for i, name in enumerate(names):
            found.setdefault(name, (langs[i] if i < len(langs) else "") or lang)
    return tuple(found.items())


def project_title(publisher, lang: str) -> str:
    """The project's name (the anthology's title), typeset in its language."""
    return typeset_text(publisher.project, publisher.project_lang or lang)


def file_as(name: str) -> str:
    """A name as catalogues sort it: "Greene, Doug Enaa"; one written so already, or a
    single word, or a name in a script without spaces, is kept."""
    if "," in name or " " not in name.strip():
        return name.strip()
    *given, family = name.split()
    return f"{family}, {' '.join(given)}"


def first_sentence(edition: Edition) -> str:
    """An essay's description when none is configured: its first sentence of running
    text (the body's first paragraph), without the characters XML forbids (as the text
    itself is printed: a translation may bring them)."""
    for ref in iter_segments(edition.document):
        if ref.section == "body" and ref.block.kind == "p" and not any(
                b.kind in ("note", "quote", "editorial", "figure") for b in ref.path):
            return " ".join(filter(None, map(clean, ref.segment.text.split())))
    return ""


def _anthology_rows(anthology: Anthology, furniture: Furniture) -> list[Row]:
    """The anthology's own colophon block: how it was translated, its date and identifier."""
    statuses = {e.credits.status for e in anthology.editions} - {""}
    status = status_statement(statuses.pop(), furniture) \
        if len(statuses) == 1 and not anthology.is_source else ""
    names = languages.join_names(anthology.translators, anthology.lang,
                                 within=anthology.lang)
    rows: list[Row] = [(furniture["translation"], names, None),
            (furniture["translation_status"], status, None),
            (furniture["publisher"], anthology.publisher.publisher, None),
            (furniture["rights"], anthology.publisher.rights,
             anthology.publisher.rights_lang or None),
            (furniture["edition_date"],
             format_date(anthology.date.strftime("%Y-%m-%d"), anthology.lang), None),
            (furniture["identifier"], anthology.identifier, None)]
    return [row for row in rows if row[1]]


def accessibility(spec: BookSpec) -> list[tuple[str, str]]:
    """Accessibility metadata (schema.org and EPUB Accessibility 1.1), every claim true of
    this book: the summary speaks of endnotes only when it has some; the conformance claim
    is checked by Ace (see docs/build.md)."""
    has_notes = any(ch.has_notes for ch in spec.chapters)
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


def _toc(spec: BookSpec, f: Furniture) -> list[opf.Link]:
    counter = iter(range(1, 10_000))

    def link(href: str, title: str, lang: str = "") -> opf.Link:
        return opf.Link(href, title, uid=f"nav-{next(counter)}", lang=lang)

    def entries(file_name: str, items: tuple[TocEntry, ...]) -> tuple[opf.Link, ...]:
        out = []
        for item in items:
            href = f"{file_name}#{item.fragment}"
            out.append(opf.Link(href, item.title, entries(file_name, item.children),
                                lang=item.lang)
                       if item.children else link(href, item.title, item.lang))
        return tuple(out)

    toc = [link("titlepage.xhtml", f["title_page"])]
    if spec.introduction:
        toc.append(link("introduction.xhtml", f["introduction"]))
    for chapter in spec.chapters:
        children = entries(chapter.file_name, chapter.toc)
        title = f.format("toc_entry", title=chapter.title, author=chapter.author) \
            if chapter.author else chapter.title
        # the essay of its own book: the book's title, in the language it fell back to
        # (an anthology's entries, an author's name beside the title in the furniture's
        # words, are not marked)
        title_lang = spec.title_lang or "" \
            if chapter.title == spec.title and not chapter.author else ""
        toc.append(opf.Link(chapter.file_name, title, children, lang=title_lang)
                   if children else link(chapter.file_name, title, title_lang))
    toc.append(link("colophon.xhtml", f["colophon"]))
    return toc


def _xhtml_item(uid: str, file_name: str, root: etree._Element) -> opf.Item:
    return opf.Item(uid, file_name, XHTML_TYPE, serialize(root))


def _provenance(editions: tuple[Edition, ...]) -> tuple[str, ...]:
    """The source's provenance notes, for the source-language edition only (a translation
    carries the translated provenance segments in its text)."""
    return tuple(dict.fromkeys(e.document.metadata.provenance.strip() for e in editions
                               if e.is_source and e.document.metadata.provenance.strip()))


def source_of(edition: Edition) -> Source:
    """Where the essay first appeared (the original, in every language's edition): its
    address where configured, "publisher, date", and the date of first publication."""
    meta = edition.document.metadata
    citation = ", ".join(filter(None, (meta.publisher, meta.date)))
    return Source(citation, edition.facts.url, meta.date)


def chapter_file(essay: str) -> str:
    """The file of an essay in an EPUB: its id when that is a safe file name, not one of
    the package's own names; otherwise a safe name made unique by a hash of the id."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", essay).strip(".") or "essay"
    if safe == essay and essay.lower() not in RESERVED_NAMES:
        return f"{essay}.xhtml"
    digest = hashlib.sha1(essay.encode("utf-8")).hexdigest()[:8]
    return f"essay-{safe}-{digest}.xhtml"

