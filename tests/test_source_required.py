"""What the schema requires of a source is checked on the way in and out: a model that lacks
it (a link without an address, a note without a number) is refused by name instead of
crashing half-way through the XML tree, and nothing is written."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from catalog_helpers import box, leaf, link, sample_document, seg, with_paragraph
from serge_publish.errors import SourceError
from serge_publish.model import Inline
from serge_publish.sourcexml import (
    XML_LANG,
    document_to_tree,
    render_source,
    tree_to_document,
    write_source,
)


def test_a_link_without_an_address_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    doc = with_paragraph(seg("s90", "See ", Inline("link", ("the archive",)), "."))
    path = tmp_path / "sample.xml"
    with pytest.raises(SourceError) as caught:
        write_source(doc, path)
    assert str(path) in str(caught.value) and "'href'" in str(caught.value)
    assert not path.exists()


def test_a_note_without_a_number_is_refused(tmp_path: Path) -> None:
    doc = with_paragraph(seg("s90", "A sentence."))
    unnumbered = box("note", leaf("p", seg("s91", "Its text.")), id="n1")
    doc = replace(doc, back=(box("notes", unnumbered),))
    with pytest.raises(SourceError, match="note without 'n'"):
        render_source(doc, tmp_path / "sample.xml")


def test_a_well_formed_model_is_still_written(tmp_path: Path) -> None:
    doc = with_paragraph(seg("s90", "See ", link("https://example.org", "this"), "."))
    assert b'target="https://example.org"' in render_source(doc, tmp_path / "sample.xml")


def test_reading_a_tree_without_a_language_names_the_file_and_line(tmp_path: Path) -> None:
    root = document_to_tree(sample_document())
    del root.attrib[XML_LANG]
    reparsed = etree.fromstring(etree.tostring(root))
    with pytest.raises(SourceError, match="xml:lang is missing") as caught:
        tree_to_document(reparsed, tmp_path / "sample.xml")
    assert f"{tmp_path / 'sample.xml'}:1" in str(caught.value)
