"""Inputs the byte-for-byte reference tests of the EPUB package do not exercise (issue 8
review): what the package documents make of odd metadata."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

from lxml import etree

from build_helpers import NS, edition, sample_document
from serge_publish.model import map_segments
from serge_publish.writers import epub


def opf_of(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("EPUB/content.opf"))


def test_a_first_sentence_with_characters_xml_forbids_is_described_without_them():
    """A translation may bring a noncharacter or a control into the first paragraph: the
    chapter prints it without them, and so does the description (EbookLib wrote an empty
    dc:description; lxml alone refused the whole book)."""
    doc = map_segments(sample_document(), lambda r: replace(
        r.segment, content=("Bad\x0bchar \ufffe here\x01.",)) if r.segment.id == "s8"
        else r.segment)
    data, _ = epub.essay_epub(edition(doc, "en"), b"")
    assert opf_of(data).xpath("//dc:description/text()", namespaces=NS) == ["Bad char here."]


def test_metadata_with_characters_xml_forbids_is_written_without_them():
    """A translator's name from a catalogue's header with a control character: the title
    page and colophon print it without it, and so does the OPF (EbookLib wrote an empty
    dc:contributor; lxml alone refused the whole book)."""
    ed = edition(sample_document(), "fr", translators=("Jeanne\x01 Dupont", "\ufffe"))
    data, _ = epub.essay_epub(ed, b"")
    root = opf_of(data)
    assert root.xpath("//dc:contributor/text()", namespaces=NS) == ["Jeanne Dupont"]
    assert root.xpath("//dc:contributor[@id='translator-2']/text()", namespaces=NS) == []


def test_contents_entries_without_text_keep_their_bytes():
    """An empty heading, or one that is only a note call, gives an entry of the contents
    without text: written as the EbookLib way wrote it (``<a .../>``, ``<text/>``)."""
    from test_epub_package_reference import entries, reference_epub

    from build_helpers import box, leaf, noteref, seg
    doc = sample_document()
    doc = replace(doc, body=doc.body + (
        box("div", leaf("head", seg("s90", "")), leaf("p", seg("s91", "x"))),
        box("div", leaf("head", seg("s92", noteref("n1", "1"))), leaf("p", seg("s93", "y")))))
    seen = []
    real = epub.build_epub

    def spy(spec, css):
        seen.append((spec, css))
        return real(spec, css)

    epub.build_epub = spy
    try:
        data, _ = epub.essay_epub(edition(doc, "en"), b"")
    finally:
        epub.build_epub = real
    expected = reference_epub(*seen[0])
    assert entries(data) == entries(expected)
    assert re.search(rb'<a href="sample.xhtml#[^"]*"/>', entries(data)["EPUB/nav.xhtml"])
