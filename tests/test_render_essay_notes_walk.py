"""The renderer finds an essay's notes and the segments that may call one in one walk of
its blocks (issue 8): what model.notes_by_id and iter_segments give, in their order."""
from __future__ import annotations

from dataclasses import replace

from build_helpers import box, leaf, noteref, sample_document, seg
from serge_publish.model import Inline, iter_segments, notes_by_id
from serge_publish.writers.essay import _notes_and_calls


def test_notes_and_calling_segments_are_those_of_the_model():
    doc = sample_document()
    doc = replace(doc, back=doc.back + (
        box("notes", box("note", leaf("p", seg("s30", "Again ", noteref("n2", "2"))),
                         id="n1", n="1"),                   # a second note n1: the last wins
            box("div", box("note", leaf("p", seg("s31", Inline("emph", ("deep",)))),
                           id="n3"))),))
    notes, calling = _notes_and_calls(doc)
    assert notes == notes_by_id(doc)
    assert list(notes) == list(notes_by_id(doc))
    assert notes["n1"].children[0].segments[0].id == "s30"
    want = [r.segment for r in iter_segments(doc)
            if len(r.segment.content) != 1 or not isinstance(r.segment.content[0], str)]
    assert [s.id for s in calling] == [s.id for s in want]
    assert len(calling) >= 6
