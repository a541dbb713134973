"""Reading a source without a QName an element and without a SegmentRef a segment
(issue 8): the same names, the same document, the same first error."""
from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from catalog_helpers import leaf, noteref, sample_document, seg
from serge_publish.errors import SourceError
from serge_publish.model import iter_segments, notes_by_id
from serge_publish.sourcexml import (
    TEI_NS,
    check_document,
    document_to_tree,
    local_name,
    tree_to_document,
)


def test_local_name_is_qname_s():
    root = etree.fromstring(f'<a xmlns:t="{TEI_NS}"><t:p/><b/><c xmlns="urn:x"/></a>')
    for el in root.iter():
        assert local_name(el) == etree.QName(el).localname
    assert [local_name(el) for el in root.iter()] == ["a", "p", "b", "c"]


def test_a_document_written_and_read_back_is_the_same(tmp_path):
    doc = sample_document()
    path = tmp_path / "sample.xml"
    read = tree_to_document(document_to_tree(doc), path)
    assert [(r.segment.id, r.segment.content, tuple(b.kind for b in r.path), r.section)
            for r in iter_segments(read)] == \
        [(r.segment.id, r.segment.content, tuple(b.kind for b in r.path), r.section)
         for r in iter_segments(doc)]
    assert notes_by_id(read).keys() == notes_by_id(doc).keys()
    check_document(read, str(path))


def test_the_first_error_in_document_order_is_still_the_one_raised():
    doc = sample_document()
    # a reference to a missing note early, and an id used twice later: the id first
    broken = replace(doc, front=(leaf("byline", seg("s2", "By ", noteref("9"))),),
                     back=doc.back + (leaf("p", seg("s3", "again")),))
    with pytest.raises(SourceError, match="segment id 's3' is used twice"):
        check_document(broken, "x.xml")
    only_note = replace(doc, front=(leaf("byline", seg("s2", "By ", noteref("9"))),))
    with pytest.raises(SourceError, match="note reference to #n9") as caught:
        check_document(only_note, "x.xml")
    assert caught.value.where == "source/sample.xml:12"
