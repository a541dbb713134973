"""The navigation document marks an entry whose heading fell back to the source language
(an untranslated heading of a Japanese or Arabic edition) with that language, as the
heading itself is marked in the chapter: lang and xml:lang, and dir="ltr" in a
right-to-left book (a screen reader speaks it in English, a reading system sets its
punctuation on the right side); the translated headings are not marked."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pytest
from lxml import etree

from build_helpers import box, edition, leaf, sample_document, seg
from serge_publish.writers import epub

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _document():
    """The sample essay with one heading in the source language (a fallback) and one
    translated."""
    doc = sample_document()
    body = doc.body + (box("div", leaf("head", seg("s90", "From Serge's present to ours",
                                                   lang="en")),
                           leaf("p", seg("s91", "翻訳された文。"))),
                       box("div", leaf("head", seg("s92", "訳された見出し")),
                           leaf("p", seg("s93", "翻訳された文。"))))
    return replace(doc, body=body)


@pytest.mark.parametrize("lang, rtl", [("ja", False), ("zh", False), ("ar", True)])
def test_a_fallback_heading_is_marked_in_the_contents(lang, rtl):
    data, _ = epub.essay_epub(edition(_document(), lang), b"")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    links = {a.text: a for a in nav.iter(f"{XHTML}a")}
    fallback = links["From Serge’s present to ours"]
    assert (fallback.get("lang"), fallback.get(XML_LANG)) == ("en", "en")
    assert fallback.get("dir") == ("ltr" if rtl else None)
    translated = links["訳された見出し"]
    assert translated.get("lang") is translated.get(XML_LANG) is translated.get("dir") is None


def test_a_source_edition_marks_no_entry():
    data, _ = epub.essay_epub(edition(sample_document(), "en"), b"")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    assert not [a for a in nav.iter(f"{XHTML}a") if a.get("lang") or a.get(XML_LANG)]


@pytest.mark.parametrize("lang, rtl", [("ja", False), ("ar", True)])
def test_an_untranslated_title_is_marked_in_the_package_the_title_page_and_the_contents(
        lang, rtl):
    """An essay whose title fell back to the source language: its book's dc:title, title
    page heading and contents entry say so (lang and xml:lang; dir="ltr" in a
    right-to-left book), as the chapter's heading and the index page already did; a
    translated title is not marked."""
    doc = _document()
    fallen = replace(doc, title=replace(doc.title, segments=tuple(
        replace(s, lang="en") for s in doc.title.segments)))
    translated = replace(doc, title=replace(doc.title, segments=tuple(
        replace(s, content=("訳された題",)) for s in doc.title.segments)))
    for made, marked in ((fallen, True), (translated, False)):
        data, _ = epub.essay_epub(edition(made, lang), b"")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            opf = etree.fromstring(z.read("EPUB/content.opf"))
            nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
            title_page = etree.fromstring(z.read("EPUB/titlepage.xhtml"))
        dc_title = opf.find(".//{http://purl.org/dc/elements/1.1/}title")
        assert dc_title.get(XML_LANG) == ("en" if marked else None)
        heading = next(title_page.iter(f"{XHTML}h1"))
        assert (heading.get("lang"), heading.get(XML_LANG)) == \
            (("en", "en") if marked else (None, None))
        entry = next(a for a in nav.iter(f"{XHTML}a") if a.text == dc_title.text)
        assert entry.get("lang") == ("en" if marked else None)
        assert entry.get("dir") == ("ltr" if marked and rtl else None)
