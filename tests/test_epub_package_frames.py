"""The EPUB's package documents and pages made once a shape and copied for each book
(issue 8): the OPF (opf._FRAMES), the cover page, the title page and the colophon's page
of a language (matter._cover_frame, matter._title_frame, epub._colophon_frame). Each is
compared, byte for byte, with the same document made element by element as it was made
before (kept below as the reference), over inputs that change their shape and values
from one call to the next (the frames are reused, and must come back unchanged): a
right-to-left language, one without a furniture table, CJK, long and empty titles,
ordinals, characters XML forbids, no author, several translators."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from itertools import product

import pytest
from lxml import etree

from build_helpers import DATE, PUBLISHER, edition, sample_document, translate
from serge_publish import languages
from serge_publish.writers import epub, matter, opf
from serge_publish.writers.edition import Anthology, EssayFacts
from serge_publish.writers.furniture import Furniture, furniture_for
from serge_publish.writers.typography import typeset_tree
from serge_publish.writers.xhtml import XML_LANG, clean, element, page, serialize, set_lang

# fa and fi: languages without a furniture table (English furniture, in a right-to-left
# edition for fa)
LANGS = ["en", "fr", "ar", "fa", "ja", "fi", "qps", "zh-Hant"]
TITLES = ["", "On the 1st and 2nd Internationals", "Le 3e congrès, 1er mai",
          "Un titre très long " * 30, "العنوان", "长标题" * 40, "A\x0btitle\x01 here",
          "  spaced  title ", "Tab\tand\nnewline"]


def reference_title_page(title: str, authors: tuple[str, ...],
                         translators: tuple[str, ...], publisher: str, lang: str,
                         furniture: Furniture, title_lang: str | None = None
                         ) -> etree._Element:
    """matter.title_page as it was, element by element."""
    root, body = page(title, lang, "style.css", body_type="frontmatter")
    label = "" if furniture.fallback else furniture["title_page"]
    section = element("section", parent=body, epub_type="titlepage", class_="titlepage",
                      id="titlepage", aria_label=label)
    heading = element("h1", title, parent=section, class_="title")
    if title_lang:
        set_lang(heading, title_lang, lang)
    matter._typeset(heading, lang)
    if authors:
        reference_line(element("p", parent=section, class_="author"),
                       languages.join_names(authors, lang, within=lang), lang)
    if translators:
        sentence = furniture.lang if furniture.fallback else lang
        line = element("p", parent=section, class_="translators")
        matter.mark_furniture(line, furniture, lang)
        reference_line(line, furniture.format("translated_by", names=languages.join_names(
            translators, sentence, within=sentence)), lang)
    if publisher:
        matter._typeset(element("p", publisher, parent=section, class_="publisher"), lang)
    return root


def reference_line(p: etree._Element, text: str, lang: str) -> None:
    """A line given its text, each name isolated in it (between FSI and PDI) put in a
    <bdi>, typeset: as a text, or, holding names, as a tree."""
    if languages.FSI not in text:
        p.text = clean(text) or None
        matter._typeset(p, lang)
        return
    parts = clean(text).split(languages.FSI)
    p.text = parts[0] or None
    for part in parts[1:]:
        name, _, after = part.partition(languages.PDI)
        element("bdi", name, parent=p).tail = after or None
    typeset_tree(p, p.get("lang") or lang)


def reference_cover_page(title: str, lang: str, furniture: Furniture,
                         image: str = "cover.svg") -> etree._Element:
    """matter.cover_page as it was."""
    root, body = page(furniture["cover"], lang, "style.css", body_type="cover")
    matter.mark_furniture(root[0][0], furniture, lang)
    section = element("section", parent=body, epub_type="cover", class_="cover", id="cover")
    alt = title if furniture.fallback else furniture.format("cover_alt", title=title)
    element("img", parent=section, src=image, alt=alt)
    return root


def reference_opf(metadata: opf.Metadata, modified: str, lang: str, items: list[opf.Item],
                  spine: list[opf.Item]) -> bytes:
    """opf.opf as it was, element by element."""
    rtl = languages.direction(lang) == "rtl"
    attrs = {"unique-identifier": opf.IDENTIFIER_ID, "version": "3.0"}
    if rtl:
        attrs["dir"] = "rtl"
    attrs["prefix"] = "rendition: http://www.idpf.org/vocab/rendition/#"
    root = etree.Element(f"{{{opf.OPF_NS}}}package", attrs,
                         nsmap={None: opf.OPF_NS})  # type: ignore[dict-item]
    root.set(XML_LANG, lang)
    meta = etree.SubElement(root, "metadata", nsmap={"dc": opf.DC_NS, "opf": opf.OPF_NS})
    etree.SubElement(meta, "meta", {"property": "dcterms:modified"}).text = modified
    for namespace, names in metadata.groups.items():
        for name, values in names.items():
            tag = "meta" if namespace in (opf.OPF_NS, None) else f"{{{namespace}}}{name}"
            for value, extra in values:
                el = etree.SubElement(meta, tag, extra)
                if value:
                    try:
                        el.text = value
                    except ValueError:
                        el.text = clean(value) or None
    manifest = etree.SubElement(root, f"{{{opf.OPF_NS}}}manifest")
    for item in items:
        entry = {"href": item.href, "id": item.id, "media-type": item.media_type}
        if item.properties:
            entry["properties"] = item.properties
        etree.SubElement(manifest, f"{{{opf.OPF_NS}}}item", entry)
    order = {"toc": "ncx"}
    if rtl:
        order["page-progression-direction"] = "rtl"
    spine_el = etree.SubElement(root, f"{{{opf.OPF_NS}}}spine", order)
    for item in spine:
        etree.SubElement(spine_el, f"{{{opf.OPF_NS}}}itemref", {"idref": item.id})
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def outcome(make, *args) -> bytes | type[Exception]:
    """The bytes of the page ``make`` makes of ``args``, or the error it raised (a
    character XML forbids in an attribute: raised alike by both ways)."""
    try:
        return serialize(make(*args))
    except ValueError as error:
        return type(error)


@pytest.mark.parametrize("lang", LANGS)
def test_the_cover_page_is_the_reference_page(lang):
    furniture = furniture_for(lang)
    for title, image in product(TITLES + TITLES[::-1], ("cover.svg", "cover.png")):
        args = (title, lang, furniture, image)
        assert outcome(matter.cover_page, *args) == outcome(reference_cover_page, *args)


@pytest.mark.parametrize("lang", LANGS)
def test_the_title_page_is_the_reference_page(lang):
    furniture = furniture_for(lang)
    people = [(), ("Doug Enaa Greene",), ("Rosa Luxemburg", "Clara Zetkin", "毛泽东"),
              ("  ",)]
    translators = [(), ("Jeanne Dupont", "Paul Martin"), ("مترجم",)]
    publishers = ["", "Small Press", "Éditions du 1er mai"]
    cases = list(product(TITLES, people, translators, publishers, (None, "en", "ar")))
    for title, authors, names, publisher, title_lang in cases[::7] + cases[::-11]:
        args = (title, authors, names, publisher, lang, furniture, title_lang)
        assert outcome(matter.title_page, *args) == outcome(reference_title_page, *args), args


def test_a_frame_comes_back_unchanged_from_its_copies():
    """A copy filled (and typeset, with superscript ordinals) leaves the frame as it was."""
    furniture = furniture_for("fr")
    first = serialize(matter.title_page("Le 1er mai", ("A. Auteur",), ("T. Traducteur",),
                                        "Presse", "fr", furniture))
    for title in TITLES:
        matter.title_page(title, ("B",), ("C",), "Presse", "fr", furniture)
    assert serialize(matter.title_page("Le 1er mai", ("A. Auteur",), ("T. Traducteur",),
                                       "Presse", "fr", furniture)) == first


def metadata_of(i: int, lang: str) -> opf.Metadata:
    """Metadata of many shapes and values (authors, translators, languages of texts,
    empty values, characters XML forbids)."""
    book = opf.Metadata(f"urn:uuid:{i}", "serge-publish test")
    book.dc("title", TITLES[i % len(TITLES)], {XML_LANG: "en"} if i % 3 == 0 else None)
    book.dc("language", lang)
    for n in range(1, i % 4 + 1):
        book.dc("creator", f"Author {n}\x0c{i}", {"id": f"author-{n}"})
        book.meta("aut", {"refines": f"#author-{n}", "property": "role",
                          "scheme": "marc:relators"})
    for n in range(1, i % 3 + 1):
        book.dc("contributor", f"Translator {n} {i}", {"id": f"translator-{n}"})
    if i % 2:
        book.dc("publisher", "")
        book.dc("rights", f"Rights {i}", {XML_LANG: "en"})
    book.meta("" if i % 5 == 0 else str(i), {"refines": "#collection",
                                             "property": "group-position"})
    book.meta("\x01", {"property": "dcterms:provenance"})
    book.meta("", {"name": "cover", "content": "cover-image"})
    return book


def test_the_opf_is_the_reference_opf():
    opf._FRAMES.clear()
    for i, lang in enumerate(LANGS * 6):
        metadata = metadata_of(i, lang)
        chapters = [opf.Item(f"c-{n + 1}", f"essay-{i}-{n}.xhtml", epub.XHTML_TYPE, b"")
                    for n in range(i % 3 + 1)]
        items = [opf.Item("style", "style.css", "text/css", b""),
                 opf.Item("cover-image", "cover.png", "image/png", b"", "cover-image"),
                 opf.Item("nav", "nav.xhtml", epub.XHTML_TYPE, b"", "nav"), *chapters,
                 opf.Item("ncx", "toc.ncx", "application/x-dtbncx+xml", b"")]
        spine = items[2:-1]
        stamp = f"2020-01-{i % 28 + 1:02}T00:00:00Z"
        assert opf.opf(metadata, stamp, lang, items, spine) \
            == reference_opf(metadata, stamp, lang, items, spine), (i, lang)
    assert 1 < len(opf._FRAMES._frames) < 6 * len(LANGS)       # shapes were shared


def test_the_frames_are_bounded():
    frames = opf._Frames(3)
    for n in range(10):
        frames.copy((n,), lambda n=n: etree.Element(f"e{n}"))
    assert len(frames._frames) == 3 and set(frames._frames) == {(7,), (8,), (9,)}


def books() -> list[tuple[str, object]]:
    """Essay EPUBs and anthologies of several languages and shapes."""
    made = []
    facts = EssayFacts(description="A description.", subjects=("history",),
                       url="https://example.org/first")
    for lang, translators in [("en", ()), ("fr", ("Jeanne Dupont", "Paul Martin")),
                              ("ar", ("مترجم",)), ("ja", ("訳者",)), ("fi", ()),
                              ("fa", ())]:
        doc = sample_document() if lang == "en" else \
            translate(sample_document(), lang, str.upper)
        ed = edition(doc, lang, translators=translators, facts=facts if translators
                     else EssayFacts(), fallbacks=1 if translators else 0)
        made.append((f"{lang} essay", lambda ed=ed: epub.essay_epub(ed, b"body {}", 2)))
        other = translate(sample_document("other"), lang, str.lower)
        ed2 = edition(other, lang, translators=translators[:1])
        made.append((f"{lang} other", lambda ed=ed2: epub.essay_epub(ed, b"p {}", 3)))
        publisher = replace(PUBLISHER, introduction="An introduction.", project_lang="en")
        book = Anthology((replace(ed, publisher=publisher), replace(ed2, publisher=publisher)),
                         lang, "en", publisher, DATE)
        made.append((f"{lang} anthology", lambda book=book: epub.anthology_epub(book, b"")))
    return made


def entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def forget() -> None:
    opf._FRAMES.clear()
    matter._cover_frame.cache_clear()
    matter._title_frame.cache_clear()
    epub._colophon_frame.cache_clear()
    epub._stamp.cache_clear()


def test_every_book_is_the_book_made_with_no_frame_known():
    """Books made one after another, their frames shared, are the books each made first
    (every frame new), whatever the order."""
    made = books()
    alone = {}
    for label, make in made:
        forget()
        alone[label] = make()[0]
    forget()
    for label, make in made[::-1] + made:
        data = make()[0]
        if data != alone[label]:
            assert entries(data) == entries(alone[label]), label
        assert data == alone[label], label
