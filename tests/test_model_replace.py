"""replace_segments keeps the blocks whose segments and blocks come back unchanged (the
same objects) and copies the others, field for field as the dataclass would make them;
new_segment is Segment(...) without its __init__ (issue 8)."""
from __future__ import annotations

from dataclasses import replace

from catalog_helpers import sample_document
from serge_publish.model import (
    Block,
    Segment,
    iter_blocks,
    map_segments,
    new_segment,
    replace_segments,
)


def test_new_segment_is_the_dataclass_s_segment():
    for args in (("s1", ("a",)), ("s2", ("b",), None, "fr")):
        made, expected = new_segment(*args), Segment(*args)
        assert made == expected and type(made) is Segment
        assert list(vars(made).items()) == list(vars(expected).items())
        assert hash(made) == hash(expected)


def test_untouched_blocks_are_kept_and_the_others_copied():
    doc = sample_document()
    first = next(s for _, blocks in doc.sections for b, _ in iter_blocks(blocks)
                 for s in b.segments)
    changed = replace_segments(doc, lambda s: replace(s, lang="xx") if s is first else s)
    assert changed == map_segments(doc, lambda r: replace(r.segment, lang="xx")
                                   if r.segment is first else r.segment)
    old = [b for _, blocks in doc.sections for b, _ in iter_blocks(blocks)]
    new = [b for _, blocks in changed.sections for b, _ in iter_blocks(blocks)]
    for before, after in zip(old, new, strict=True):
        holds = any(s is first for b, _ in iter_blocks((before,)) for s in b.segments)
        assert (after is before) is not holds
        if holds:
            assert type(after) is Block
            assert list(vars(after)) == list(vars(before))
            assert after == Block(before.kind, after.segments, after.children, before.id,
                                  before.attrs, before.location)
    assert replace_segments(doc, lambda s: s).body == doc.body
    assert all(a is b for a, b in zip(replace_segments(doc, lambda s: s).body, doc.body,
                                      strict=True))
