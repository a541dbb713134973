"""SegmentLayout lists a document's segments in the order replace_segments walks them and
makes the document again with other segments, one for each, as replace_segments would:
the same document, every block a copy made field for field (issue 8: applying a
catalogue walks a source once, whatever the number of languages)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from catalog_helpers import sample_document
from serge_publish.model import (
    Block,
    Document,
    Inline,
    SegmentLayout,
    iter_blocks,
    new_inline,
    new_segment,
    published,
    replace_segments,
)
from serge_publish.sourcexml import read_source

ROOT = Path(__file__).resolve().parents[1]
_SOURCES = sorted((ROOT / "source").glob("*.xml"))


def _documents() -> list[Document]:
    docs = [sample_document(), sample_document("other")]
    for path in _SOURCES:
        doc = read_source(path)
        docs += [doc, published(doc)]
    empty = docs[0]
    docs.append(replace(empty, front=(), body=(), back=()))      # the title alone
    return docs


@pytest.mark.parametrize("doc", _documents(), ids=lambda d: f"{d.id}-{len(d.body)}")
def test_a_layout_rebuilds_as_replace_segments(doc):
    walked = []

    def marked(segment):
        walked.append(segment)
        return new_segment(segment.id, segment.content + ("!",), segment.location, "xx")

    expected = replace_segments(doc, marked)
    layout = SegmentLayout(doc)
    assert layout.segments == walked
    assert all(a is b for a, b in zip(layout.segments, walked, strict=True))
    made = [new_segment(s.id, s.content + ("!",), s.location, "xx") for s in walked]
    rebuilt = layout.rebuild(made)
    assert rebuilt == expected
    for (block, _), (old, _) in zip(
            (x for _, blocks in rebuilt.sections for x in iter_blocks(blocks)),
            (x for _, blocks in doc.sections for x in iter_blocks(blocks)), strict=True):
        assert type(block) is Block and block is not old
        assert list(vars(block)) == list(vars(old))             # fields in their order
    assert layout.rebuild(list(walked)) == doc                   # the same segments again


def test_new_inline_is_the_dataclass_s_inline():
    for args in (("emph",), ("title", ("a", Inline("emph", ("b",)))),
                 ("link", ("c",), (("href", "http://x"),))):
        made, expected = new_inline(*args), Inline(*args)
        assert made == expected and type(made) is Inline
        assert list(vars(made).items()) == list(vars(expected).items())
        assert hash(made) == hash(expected)
