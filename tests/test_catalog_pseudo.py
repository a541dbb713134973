"""Pseudo-translation: visibly different, longer, every placeholder intact."""
from __future__ import annotations

from catalog_helpers import sample_document
from serge_publish.catalog.placeholders import content_to_message, message_to_content
from serge_publish.catalog.pseudo import pseudo_message
from serge_publish.model import iter_segments, plain_text


def test_pseudo_keeps_tags_and_entities_and_is_bracketed():
    out = pseudo_message("The <i>First</i> war &amp; peace<n1/>")
    assert out.startswith("⟦") and out.endswith("⟧")
    assert "<i>" in out and "</i>" in out and "&amp;" in out and out.endswith("<n1/>⟧")
    assert pseudo_message("  Hi\n") == "  ⟦Ĥíí⟧\n"          # edges stay outside


def test_pseudo_text_of_every_segment_is_valid_longer_and_different():
    for ref in iter_segments(sample_document()):
        msgid, _ = content_to_message(ref.segment.content)
        pseudo = pseudo_message(msgid)
        assert pseudo == pseudo_message(msgid)             # deterministic
        content = message_to_content(pseudo, ref.segment.content, ref.segment.id)
        text, source = plain_text(content), plain_text(ref.segment.content)
        assert text != source and source not in text
        assert 1.2 * len(source) < len(text) < 1.8 * len(source) + 4
