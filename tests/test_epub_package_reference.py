"""The EPUB writer builds its package documents (OPF, NCX, navigation document,
container.xml) as lxml trees and zips the book once; before, EbookLib 0.20 assembled the
book and ``epubzip.rezip`` patched and re-zipped it. Every edition keeps its bytes: the
EPUBs here are compared, byte for byte, with the ones that way makes (kept below as the
reference, as it was in writers/epub.py and writers/epubzip.py), for books in each case
the package documents have: translators, a right-to-left language without a furniture
table (English words marked), an anthology with a half title, an introduction, sources
with an address, nested contents, a description in another language."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from ebooklib import epub as ebook
from lxml import etree

from build_helpers import DATE, PUBLISHER, edition, sample_document, translate
from serge_publish import languages
from serge_publish.writers import epub
from serge_publish.writers.cover import cover_svg, keep_together
from serge_publish.writers.edition import Anthology, EssayFacts
from serge_publish.writers.epubzip import STORED_SUFFIXES, write_deflated, zip_stamp
from serge_publish.writers.matter import (
    cover_page,
    half_title_page,
    introduction_page,
    mark_furniture,
    title_page,
)
from serge_publish.writers.raster import cover_png
from serge_publish.writers.xhtml import XML_LANG, page, serialize

EPUB_OPTIONS = {"epub3_pages": False, "epub2_guide": False, "epub3_landmark": True,
                "spine_direction": True, "package_direction": True, "compresslevel": 0}


def reference_epub(spec: epub.BookSpec, css: bytes) -> bytes:
    book = reference_metadata(spec)
    f = spec.furniture
    book.add_item(ebook.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                                 content=css))
    author = languages.join_names(spec.authors, spec.lang)
    lines = languages.join_names(tuple(keep_together(a) for a in spec.authors), spec.lang)
    image = ebook.EpubCover(uid="cover-image", file_name="cover.png")
    image.content = cover_png(spec.title, lines, spec.publisher)
    book.add_item(image)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    book.add_item(ebook.EpubItem(uid="cover-svg", file_name="cover.svg",
                                 media_type="image/svg+xml", content=cover_svg(
                                     spec.title, author, spec.lang, spec.publisher, lines)))
    cover = item("cover", "cover.xhtml", cover_page(spec.title, spec.lang, f))
    titlepage = item("titlepage", "titlepage.xhtml", title_page(
        spec.title, spec.authors, spec.translators, spec.publisher, spec.lang, f,
        spec.title_lang))
    front = []
    if spec.half_title:
        front.append(item("halftitle", "halftitle.xhtml",
                          half_title_page(spec.title, spec.lang, f, spec.title_lang)))
    nav = ebook.EpubNav(title=f["contents"])
    nav.add_link(href="style.css", rel="stylesheet", type="text/css")
    chapters = [ebook.EpubItem(uid=f"c-{i + 1}", file_name=ch.file_name,
                               media_type=epub.XHTML_TYPE, content=ch.xhtml)
                for i, ch in enumerate(spec.chapters)]
    if spec.introduction:
        chapters.insert(0, item("introduction", "introduction.xhtml",
                                introduction_page(spec.introduction, spec.lang, f)))
    colophon_root, body = page(f["colophon"], spec.lang, "style.css", body_type="backmatter")
    mark_furniture(colophon_root[0][0], f, spec.lang)
    body.append(spec.colophon)
    back = item("colophon", "colophon.xhtml", colophon_root)
    for it in (cover, *front, titlepage, nav, *chapters, back):
        book.add_item(it)
    book.add_item(ebook.EpubNcx())
    book.spine = [cover, *front, titlepage, nav, *chapters, back]
    book.toc = reference_toc(spec, f)
    book.guide = [
        {"type": "cover", "href": "cover.xhtml", "title": f["cover"]},
        {"type": "titlepage", "href": "titlepage.xhtml", "title": f["title_page"]},
        {"type": "toc", "href": "nav.xhtml", "title": f["contents"]},
        {"type": "bodymatter", "href": spec.chapters[0].file_name, "title": f["text"]},
    ]
    out = io.BytesIO()
    options = dict(EPUB_OPTIONS, landmark_title=f["landmarks"], mtime=spec.date,
                   raise_exceptions=True)
    writer = ebook.EpubWriter(out, book, options)
    writer.process()
    writer.write()
    english = frozenset(v for _, v in f.words if "{" not in v) if f.fallback else frozenset()
    reuse = frozenset({"style.css", *(ch.file_name for ch in spec.chapters)})
    return rezip(out.getvalue(), spec.date, spec.lang, english, epub.GENERATOR, reuse)


def reference_metadata(spec: epub.BookSpec) -> ebook.EpubBook:
    book = ebook.EpubBook()
    book.set_identifier(spec.identifier)
    book.title = spec.title
    book.add_metadata("DC", "title", spec.title,
                      {XML_LANG: spec.title_lang} if spec.title_lang else None)
    book.set_language(spec.lang)
    if languages.direction(spec.lang) == "rtl":
        book.set_direction("rtl")
    for i, name in enumerate(spec.authors, 1):
        book.add_author(name, role="aut", uid=f"author-{i}")
        book.add_metadata(None, "meta", epub.file_as(name), {"refines": f"#author-{i}",
                                                             "property": "file-as"})
    for i, name in enumerate(spec.translators, 1):
        book.add_metadata("DC", "contributor", name, {"id": f"translator-{i}"})
        book.add_metadata(None, "meta", "trl", {"refines": f"#translator-{i}",
                                                "property": "role", "scheme": "marc:relators"})
    for name, value in (("publisher", spec.publisher),
                        ("date", spec.date.strftime("%Y-%m-%d"))):
        if value:
            book.add_metadata("DC", name, value)
    for rights, lang in spec.rights:          # (one statement a language)
        book.add_metadata("DC", "rights", rights,
                          {XML_LANG: lang} if lang != spec.lang else None)
    if spec.description:
        book.add_metadata("DC", "description", spec.description,
                          {XML_LANG: spec.description_lang} if spec.description_lang else None)
    for subject, lang in spec.subjects:
        book.add_metadata("DC", "subject", subject,
                          {XML_LANG: lang} if lang != spec.lang else None)
    for i, source in enumerate(spec.sources, 1):
        value = source.url or source.citation
        if not value:
            continue
        book.add_metadata("DC", "source", value, {"id": f"source-{i}"})
        if source.date:
            book.add_metadata(None, "meta", source.date, {"refines": f"#source-{i}",
                                                          "property": "dcterms:issued"})
        if source.url and source.citation:
            book.add_metadata(None, "meta", source.citation,
                              {"refines": f"#source-{i}",
                               "property": "dcterms:bibliographicCitation"})
    if spec.collection:
        attrs = {"property": "belongs-to-collection", "id": "collection"}
        if spec.collection_lang:
            attrs[XML_LANG] = spec.collection_lang
        book.add_metadata(None, "meta", spec.collection, attrs)
        book.add_metadata(None, "meta", "set", {"refines": "#collection",
                                                "property": "collection-type"})
        if spec.position:
            book.add_metadata(None, "meta", str(spec.position),
                              {"refines": "#collection", "property": "group-position"})
    for provenance in spec.provenance:
        book.add_metadata(None, "meta", provenance, {"property": "dcterms:provenance",
                                                     XML_LANG: spec.source_lang})
    for prop, value in epub.accessibility(spec):
        attrs = {"property": prop}
        if prop == "schema:accessibilitySummary" and spec.furniture.fallback:
            attrs[XML_LANG] = spec.furniture.lang
        book.add_metadata(None, "meta", value, attrs)
    return book


def reference_toc(spec, f) -> list:
    counter = iter(range(1, 10_000))

    def link(href, title):
        return ebook.Link(href, title, f"nav-{next(counter)}")

    def entries(file_name, items):
        out = []
        for entry in items:
            href = f"{file_name}#{entry.fragment}"
            if entry.children:
                out.append((ebook.Section(entry.title, href),
                            entries(file_name, entry.children)))
            else:
                out.append(link(href, entry.title))
        return out

    toc: list = [link("titlepage.xhtml", f["title_page"])]
    if spec.introduction:
        toc.append(link("introduction.xhtml", f["introduction"]))
    for chapter in spec.chapters:
        children = entries(chapter.file_name, chapter.toc)
        title = f.format("toc_entry", title=chapter.title, author=chapter.author) \
            if chapter.author else chapter.title
        toc.append((ebook.Section(title, chapter.file_name), children)
                   if children else link(chapter.file_name, title))
    toc.append(link("colophon.xhtml", f["colophon"]))
    return toc


def item(uid, file_name, root):
    return ebook.EpubItem(uid=uid, file_name=file_name, media_type=epub.XHTML_TYPE,
                          content=serialize(root))


def rezip(data, date, lang, english=frozenset(), generator="", reuse=frozenset()):
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(n for n in source.namelist() if n != "mimetype")
    stamp = zip_stamp(date)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ["mimetype", *names]:
            content = source.read(name)
            if name.endswith(".opf"):
                content = patch_opf(content, lang, generator)
            elif name.endswith("/nav.xhtml"):
                content = patch_nav(content, english, lang)
            elif name.endswith(".ncx"):
                content = patch_ncx(content)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            # zipped as writers.epubzip zips (since issue 8: libdeflate, the PNG stored)
            stored = name == "mimetype" or name.endswith(STORED_SUFFIXES)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            if stored:
                target.writestr(info, content)
            else:
                write_deflated(target, info, content,
                               remember=name.rsplit("/", 1)[-1] in reuse)
    return out.getvalue()


def patch_opf(content, lang, generator=""):
    root = etree.fromstring(content)
    root.set(XML_LANG, lang)
    for meta in root.iter("{*}meta"):
        if meta.get("name") == "generator" and generator:
            meta.set("content", generator)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def patch_ncx(content):
    root = etree.fromstring(content)
    depth = max((len(list(p.iterancestors("{*}navPoint"))) + 1
                 for p in root.iter("{*}navPoint")), default=1)
    for meta in root.iter("{*}meta"):
        if meta.get("name") == "dtb:depth":
            meta.set("content", str(depth))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def patch_nav(content, english, lang):
    if english:
        content = mark_english(content, english, lang)
    root = etree.fromstring(content)
    if languages.direction(lang) == "rtl":      # EbookLib sets no direction
        root.set("dir", "rtl")
    for nav in root.iter("{*}nav"):
        if nav.get("{http://www.idpf.org/2007/ops}type") == "landmarks":
            nav.set("hidden", "hidden")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8",
                          doctype="<!DOCTYPE html>")


def mark_english(content, english, lang):
    root = etree.fromstring(content)
    for el in root.iter("{*}title", "{*}h1", "{*}h2", "{*}a", "{*}span"):
        if len(el) == 0 and (el.text or "").strip() in english:
            el.set("lang", "en")
            el.set(XML_LANG, "en")
            if languages.direction(lang) != "ltr":
                el.set("dir", "ltr")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8",
                          doctype="<!DOCTYPE html>")


# ---------------------------------------------------------------- the comparison

def specs_of(monkeypatch, make) -> list[epub.BookSpec]:
    """The BookSpecs ``make()`` hands to build_epub, and checks each EPUB it made is the
    reference's."""
    seen: list[tuple[epub.BookSpec, bytes, bytes]] = []
    real = epub.build_epub

    def spy(spec, css):
        data = real(spec, css)
        seen.append((spec, css, data))
        return data

    monkeypatch.setattr(epub, "build_epub", spy)
    make()
    assert seen
    for spec, css, data in seen:
        expected = reference_epub(spec, css)
        assert entries(data) == entries(expected)       # names the entry that differs
        assert data == expected
    return [spec for spec, _, _ in seen]


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


FACTS = EssayFacts(description="A description.", subjects=("history", "letters"),
                   url="https://example.org/first")


@pytest.mark.parametrize("lang, translators", [
    ("en", ()), ("fr", ("Jeanne Dupont", "Paul Martin")), ("ar", ("مترجم",)),
    ("fi", ()), ("fa", ()), ("ja", ("訳者",)), ("ur", ("مترجم",)),
])
def test_an_essay_epub_is_the_reference_epub(monkeypatch, lang, translators):
    doc = sample_document() if lang == "en" else \
        translate(sample_document(), lang, str.upper)
    ed = edition(doc, lang, translators=translators, fallbacks=1 if translators else 0,
                 facts=FACTS if translators else EssayFacts())
    specs = specs_of(monkeypatch, lambda: epub.essay_epub(ed, b"body {}", position=2))
    assert any(ch.toc for ch in specs[0].chapters)              # a table of contents


@pytest.mark.parametrize("lang", ["en", "fr", "ar", "fi", "fa"])
def test_an_anthology_epub_is_the_reference_epub(monkeypatch, lang):
    publisher = replace(PUBLISHER, introduction="An introduction to *two* essays.",
                        description="Essays.", description_lang="en",
                        subjects=("essays",), project_lang="en")
    docs = [sample_document(name) for name in ("one", "two")]
    if lang != "en":
        docs = [translate(d, lang, str.upper) for d in docs]
    a, b = (replace(edition(d, lang, facts=FACTS, translators=("T. Translator",)),
                    publisher=publisher) for d in docs)
    book = Anthology((a, b), lang, "en", publisher, DATE)
    specs = specs_of(monkeypatch, lambda: epub.anthology_epub(book, b"p {}"))
    assert specs[0].half_title and specs[0].introduction


def test_the_package_documents_parse_into_their_namespaces():
    """The OPF's <meta> elements, made without a namespace to keep the bytes, are in the
    OPF namespace once read; the NCX's depth counts its nested entries."""
    from serge_publish.writers import opf
    book = opf.Metadata("urn:x", "gen")
    book.dc("title", "T")
    book.meta("aut", {"refines": "#a", "property": "role"})
    item = opf.Item("c-1", "c.xhtml", epub.XHTML_TYPE, b"")
    data = opf.opf(book, "2020-01-01T00:00:00Z", "fr", [item], [item])
    root = etree.fromstring(data)
    assert b"<opf:" not in data and root.get(XML_LANG) == "fr"
    assert {el.tag.split("}")[0][1:] for el in root.iter()} == {opf.OPF_NS, opf.DC_NS}
    assert [m.get("name") or m.get("property") for m in root.iter(f"{{{opf.OPF_NS}}}meta")] \
        == ["dcterms:modified", "generator", "role"]
    toc = [opf.Link("a.xhtml", "A", (opf.Link("a.xhtml#b", "B", (
        opf.Link("a.xhtml#c", "C", uid="nav-1"),)),)), opf.Link("z.xhtml", "Z", uid="nav-2")]
    ncx = etree.fromstring(opf.ncx("urn:x", "T", toc))
    assert ncx.xpath("//n:meta[@name='dtb:depth']/@content",
                     namespaces={"n": opf.NCX_NS}) == ["3"]
    assert ncx.xpath("//n:navPoint/@id", namespaces={"n": opf.NCX_NS}) == \
        ["sep_0", "sep_1", "nav-1", "nav-2"]
