"""Segment content <-> msgid with placeholder tags: round trips and refused markup."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_helpers import emph, keep, link, noteref, sample_document, title
from serge_publish.catalog.placeholders import (
    MarkupError,
    _analyse,
    _Parser,
    content_to_message,
    message_to_content,
)
from serge_publish.model import Inline, iter_segments

S6 = ("See ", link("https://a.org", "the archive"), " & ",
      link("https://b.org", "its ", emph("index")), ".", noteref("12"))


def test_every_inline_kind_has_a_short_tag():
    content = ("He wrote ", title("Memoirs"), " in ", emph("exile"), ", see ",
               link("https://a.org", "this"), " and ", keep("Ville conquise"), ".",
               noteref("12"))
    msgid, legend = content_to_message(content)
    assert msgid == ("He wrote <t>Memoirs</t> in <i>exile</i>, see <a1>this</a1> and "
                     "<x1/>.<n1/>")
    assert legend == ("<t>…</t> = title of a work", "<i>…</i> = emphasis",
                      "<a1>…</a1> = link to https://a.org",
                      "<x1/> = “Ville conquise” (not translated, kept as is)",
                      "<n1/> = reference to note 12")


def test_literal_markup_characters_are_escaped_and_parsed_back():
    content = ("a < b & c > d, ", emph("x &lt; y"))
    msgid, _ = content_to_message(content)
    assert msgid == "a &lt; b &amp; c &gt; d, <i>x &amp;lt; y</i>"
    back = _Parser(_analyse(content), "s1").parse(msgid)
    assert back == content
    assert message_to_content("<i>x &amp;lt; y</i>: a &lt; b &amp; c &gt; d", content) == (
        Inline("emph", ("x &lt; y",)), ": a < b & c > d")


def test_stray_ampersand_and_angle_bracket_stay_text():
    assert message_to_content("Marx & Engels, 3 < 4", ("x",)) == ("Marx & Engels, 3 < 4",)


def test_translation_may_move_and_renest_tags_attributes_come_from_the_source():
    back = message_to_content("<a2><i>son</i> index</a2> et <a1>l'archive</a1>.<n1/> Voir",
                              S6, "s6")
    assert back == (link("https://b.org", emph("son"), " index"), " et ",
                    link("https://a.org", "l'archive"), ".", noteref("12"), " Voir")
    assert back[-2] is S6[-1]            # the note reference is the source's own


@pytest.mark.parametrize("message, problem", [
    ("Voir <a1>l'archive</a1>.<n1/>", "missing tag <a2>…</a2>"),
    ("<a1>a</a1> <a2>b <i>c</i></a2> <i>d</i><n1/>", "extra tag <i>"),
    ("<a1>a</a1> <a2>b <i>c</i></a2><n2/>", "note reference <n2/> is not in the source"),
    ("<a1>a</a1> <a2>b <i>c</a2></i><n1/>", "unbalanced tags: </a2> closes <i>"),
    ("<a1>a</a1> <a2>b <i>c</i><n1/>", "<a2> is never closed"),
    ("<a1>a</a1> <a2>b <i>c</i></a2> <a3>x</a3><n1/>", "extra tag <a3>"),
    ("<a1>a</a1> <a2>b <b>c</b></a2><n1/>", "unknown tag <b>"),
    ("<a1>a</a1> <a2>b <i>c</i></a2><n1></n1>", "write <n1/>"),
    ("<a1>a</a1> <a2>b <i/></a2><n1/>", "write <i>…</i>, not <i/>"),
    ("<a1>a</a1> <a2>b <i>c</i></a2><n1/><n1/>", "extra tag <n1/>"),
])
def test_broken_markup_is_refused_with_the_segment_and_the_problem(message, problem):
    with pytest.raises(MarkupError) as caught:
        message_to_content(message, S6, "s6")
    assert caught.value.where == "s6"
    assert problem in caught.value.message


def test_translator_cannot_smuggle_elements_or_attributes():
    with pytest.raises(MarkupError):
        message_to_content('<a1 href="javascript:x">a</a1> <a2><i>b</i></a2><n1/>', S6)
    back = message_to_content("<script>x</script>".replace("<", "&lt;"), ("a",))
    assert back == ("<script>x</script>",)


def test_identity_round_trip_on_the_sample_document():
    for ref in iter_segments(sample_document()):
        content = ref.segment.content
        msgid, _ = content_to_message(content)
        assert message_to_content(msgid, content) == content
        assert _Parser(_analyse(content), ref.segment.id).parse(msgid) == content


_text = st.text(alphabet=st.sampled_from(list("ab <>&;lt")), min_size=1, max_size=6)


def _normal(items):
    out = []
    for item in items:
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] += item
        else:
            out.append(item)
    return tuple(out)


_content = st.recursive(
    st.lists(_text, min_size=1, max_size=2).map(_normal),
    lambda inner: st.lists(st.one_of(
        _text,
        inner.map(lambda c: emph(*c)), inner.map(lambda c: title(*c)),
        inner.map(lambda c: link("https://x.org", *c)),
        st.sampled_from([noteref("1"), noteref("23"), keep("kept <x>")]),
    ), min_size=1, max_size=4).map(_normal),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(_content)
def test_parsing_a_msgid_gives_back_its_content(content):
    """Exactly, unless whitespace was normalised (then the same tags and the same msgid)."""
    msgid, _ = content_to_message(content)
    parsed = _Parser(_analyse(content), "s1").parse(msgid)
    if msgid == "".join(_analyse(content).parts):
        assert parsed == content
    assert content_to_message(parsed)[0] == msgid and _tags(parsed) == _tags(content)


def _tags(content):
    return tuple((i.kind, i.attrs, _tags(i.children)) for i in content if not isinstance(i, str))


def test_foreign_words_are_numbered_tags_that_keep_their_language():
    content = ("He said ", Inline("foreign", ("à la lettre",), (("lang", "fr"),)), " and ",
               Inline("foreign", ("Ostpolitik",), (("lang", "de"),)), ".")
    msgid, legend = content_to_message(content)
    assert msgid == "He said <f1>à la lettre</f1> and <f2>Ostpolitik</f2>."
    assert legend == ("<f1>…</f1> = words in another language (fr)",
                      "<f2>…</f2> = words in another language (de)")
    back = message_to_content("<f2>Ostpolitik</f2>, dit-il, et <f1>à la lettre</f1>.",
                              content, "s1")
    assert [(i.children, i.attr("lang")) for i in back if isinstance(i, Inline)] == [
        (("Ostpolitik",), "de"), (("à la lettre",), "fr")]
    with pytest.raises(MarkupError, match="extra tag <f3>"):
        message_to_content("<f1>a</f1> <f2>b</f2> <f3>c</f3>", content, "s1")


def test_a_title_kept_word_for_word_takes_the_source_language():
    content = ("See ", title("Memoirs"), " and ", title("Carnets"), ".")
    back = message_to_content("Voir <t>Memoirs</t> et <t>Carnets</t>.", content, "s1", "en")
    assert [i.attrs for i in back if isinstance(i, Inline)] == [(("lang", "en"),)] * 2
    back = message_to_content("Voir <t>Mémoires</t> et <t>Carnets</t>.", content, "s1", "en")
    assert [i.attrs for i in back if isinstance(i, Inline)] == [(), (("lang", "en"),)]
    assert message_to_content("Voir <t>Memoirs</t> et <t>Carnets</t>.", content, "s1") == \
        ("Voir ", title("Memoirs"), " et ", title("Carnets"), ".")     # no language given
    french = (Inline("title", ("Carnets",), (("lang", "fr"),)),)
    assert message_to_content("<t>Carnets</t>", french, "s1", "en") == french
