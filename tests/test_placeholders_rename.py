"""rename_notes_for (applying a catalogue, for a msgid extracted today) renames as
rename_notes does, reading a translation tag by tag only when a note placeholder is
written with spaces; every msgid extracted today is numbered as renumber_notes numbers."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_helpers import sample_document
from serge_publish.catalog.placeholders import (
    rename_notes,
    rename_notes_for,
    renumber_notes,
    source_tags,
)
from serge_publish.model import iter_segments
from serge_publish.sourcexml import read_source

ROOT = Path(__file__).resolve().parents[1]

_PIECES = st.sampled_from(["<n1/>", "<n2/>", "<n3/>", "<n1 />", "<n2\t/>", "<n12/>",
                           "<nx/>", "<n1>", "</n1>", "<i>", "a", " ", "<n", "/>", "n1"])


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 4), st.lists(_PIECES, max_size=12))
def test_a_translation_of_a_msgid_numbered_in_order_renames_alike(notes, pieces):
    message = "x " + " y ".join(f"<n{k}/>" for k in range(1, notes + 1))
    assert renumber_notes(message) == message
    translation = "".join(pieces)
    assert rename_notes_for(translation, message) == rename_notes(translation, message)


def test_every_msgid_extracted_is_numbered_in_order():
    docs = [sample_document()] + [read_source(p) for p in sorted((ROOT / "source").glob("*.xml"))]
    seen = 0
    for doc in docs:
        for ref in iter_segments(doc):
            msgid = source_tags(ref.segment.content).msgid
            assert renumber_notes(msgid) == msgid
            seen += "<n" in msgid
    assert seen
