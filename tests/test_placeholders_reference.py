"""Today's message_to_content against the frozen copy of the one before issue 8's faster
parser (placeholders_reference.py): on random messages built from a random source's tags,
and on every message of a translated catalogue, the same content or the same error."""
from __future__ import annotations

import placeholders_reference as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from placeholder_strategies import inlines, words

from catalog_helpers import emph, link, noteref, sample_document, title
from serge_publish.catalog import extract_catalog, pseudo_catalog
from serge_publish.catalog.placeholders import (
    MarkupError,
    _analyse,
    content_to_message,
    message_to_content,
    source_tags,
)
from serge_publish.model import iter_segments


def _outcome(fn, *args):
    try:
        return ("content", fn(*args))
    except MarkupError as exc:
        return ("error", exc.message, exc.where, exc.hint)


def _same(message, content, segment_id="s1", source_lang=""):
    new = _outcome(message_to_content, message, content, segment_id, source_lang)
    old = _outcome(reference.message_to_content, message, content, segment_id, source_lang)
    assert new == old, (message, content)
    return new


_words = words
_inline = inlines()
# pieces a translation is made of: the source's tags (and a few it lacks), text, entities
_pieces = st.lists(st.one_of(
    _words,
    st.sampled_from(["<i>", "</i>", "<t>", "</t>", "<a1>", "</a1>", "<a2>", "</a2>",
                     "<f1>", "</f1>", "<n1/>", "<n2/>", "<x1/>", "<x1>", "</n1>", "<i/>",
                     "<b>", "<n12/>", "&lt;", "&gt;", "&amp;", "&amp;lt;", "&", "<", " ",
                     "< i>", "<a1 >", "<n1 />", "</a1/>", "<x2/>", "<f2>"]),
), max_size=14).map("".join)


@settings(max_examples=400, deadline=None)
@given(_inline, _pieces, st.sampled_from(["", "en"]))
def test_random_translations_read_as_before(content, message, source_lang):
    _same(message, content, "s7", source_lang)


_entities = st.lists(st.sampled_from(["&lt;", "&gt;", "&amp;", "&amp;lt;", "&amp;amp;",
                                       "&", "&&lt;", "<", "< b", "x", " ", "&gt"]),
                     max_size=5).map("".join)


@settings(max_examples=300, deadline=None)
@given(_inline, st.randoms(use_true_random=False), st.sampled_from(["", "en"]),
       st.lists(_entities, max_size=4))
def test_the_source_s_own_tags_shuffled_read_as_before(content, rnd, source_lang, texts):
    """Mostly valid translations: the msgid's tokens (text and tags) in another order,
    with text (entities, stray < and &) added between them."""
    msgid, _ = content_to_message(content)
    pieces = [m.group(0) for m in reference._TOKEN.finditer(msgid)]
    rnd.shuffle(pieces)
    for text in texts:
        pieces.insert(rnd.randrange(len(pieces) + 1), text)
    if rnd.random() < 0.5:                      # the tags in the source's order: valid
        valid = [m.group(0) for m in reference._TOKEN.finditer(msgid)]
        for text in texts:
            valid.insert(rnd.randrange(len(valid) + 1), text)
        assert _same("".join(valid), content, "s7", source_lang)[0] == "content"
    _same("".join(pieces), content, "s7", source_lang)
    _same(msgid, content, "s7", source_lang)
    _same(msgid.replace("</", "<").replace("/>", ">"), content, "s7", source_lang)


def test_every_message_of_a_pseudo_translated_catalogue_reads_as_before():
    doc = sample_document()
    po = extract_catalog(doc, project_name="P", date="2016-01-18 00:00+0000")
    assert pseudo_catalog(po) > 0
    by_id = {e.msgctxt: e for e in po}
    tagged = 0
    for ref in iter_segments(doc):
        content = ref.segment.content
        msgstr = by_id[ref.segment.id].msgstr
        outcome = _same(msgstr, content, ref.segment.id, "en")
        assert outcome[0] == "content"
        tagged += any(not isinstance(item, str) for item in content)
        for broken in (msgstr + "<i>", msgstr.replace("<", "</", 1), msgstr + "<n9/>"):
            _same(broken, content, ref.segment.id, "en")
    assert tagged >= 3


def test_the_source_analysis_is_remembered_and_equal_to_a_fresh_one():
    content = ("See ", link("https://a.org", "the ", emph("archive")), ".", noteref("12"))
    first = source_tags(content)
    assert source_tags(tuple(content)) is first          # equal content: the same analysis
    fresh = _analyse(content)
    assert (first.msgid, first.counts, first.items, first.legend) == \
        (fresh.msgid, fresh.counts, fresh.items, fresh.legend)
    assert first.msgid == content_to_message(content)[0]
    message_to_content("<a1>l'<i>archive</i></a1>.<n1/>", content)
    assert source_tags(content).counts == fresh.counts    # reading changes nothing


def test_an_unhashable_content_is_analysed_without_being_remembered():
    content = ("a ", emph("b"))
    unhashable = [*content]                      # a list, as a caller might pass
    assert message_to_content("<i>B</i> A", unhashable) == (emph("B"), " A")  # type: ignore[arg-type]


@pytest.mark.parametrize("message", ["<t>Memoirs</t> et <t>Carnets</t>",
                                     "<t>Mémoires</t> et <t>Carnets</t>"])
def test_titles_kept_word_for_word_as_before(message):
    content = ("See ", title("Memoirs"), " and ", title("Carnets"), ".")
    _same(message, content, "s2", "en")


@pytest.mark.parametrize("message", ["<i>&amp;lt; &lt;&gt;&amp;amp; & &&lt; &gt</i> x",
                                     "&amp;gt;<i>a&lt;</i>&amp;", "<i>< i></i>&lt"])
def test_entities_and_stray_characters_read_as_before(message):
    outcome = _same(message, ("a ", emph("b")), "s3")
    assert outcome[0] == "content"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t\r\n\u00a0")), max_size=10),
       st.text(alphabet=st.sampled_from(list("ab \t\r\n\u00a0")), max_size=10))
def test_normalizes_to_is_normalising_then_comparing(message, other):
    from serge_publish.catalog.placeholders import normalize_message, normalizes_to
    for msgid in (normalize_message(other), normalize_message(message)):
        assert normalizes_to(message, msgid) == (normalize_message(message) == msgid)
