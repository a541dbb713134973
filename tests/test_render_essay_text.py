"""The text of a rendered essay (issue 8): runs of strings joined into one text or tail,
forbidden characters removed by a faster ``clean`` that removes exactly what the one
regular expression did."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from build_helpers import leaf, noteref, sample_document, seg
from serge_publish.model import Inline
from serge_publish.writers.essay import render_essay
from serge_publish.writers.furniture import furniture_for
from serge_publish.writers.xhtml import clean
from serge_publish.xmlchars import BAD_CHARS

SPECIAL = "\x00\x08\x09\x0a\x0b\x0d\x1f\x7f\x85\x9f\xa0\ud7ff\ud800\udfff\ufdcf\ufdd0" \
          "\ufdef\ufdf0\ufffd\ufffe\uffff\U00010000\U0001fffd\U0001fffe\U0001ffff\U0010fffe" \
          "\U0010ffff\U0001f600é"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters()), max_size=40))
def test_clean_removes_what_the_single_expression_removes(text):
    assert clean(text) == BAD_CHARS.sub("", text)


def test_clean_keeps_text_without_forbidden_characters():
    for text in ("", "plain", "é\u00a0«\u202f»", "\U0001f600 ok", "\t\n\r"):
        assert clean(text) == text
    assert clean("a\x00b\U0001fffe\ufdd0c\x85\U0010ffff") == "abc"


def _span(doc, sid):
    page = render_essay(doc, "en", furniture_for("en"))
    span = page.section.xpath(f"//*[@id='{sid}']")[0]
    return etree.tostring(span, encoding="unicode", with_tail=False), span


def test_runs_of_strings_become_one_text_or_tail():
    doc = sample_document()
    doc = doc.__class__(**{**doc.__dict__, "body": (leaf("p", seg(
        "s90", "a\x00", "b ", Inline("emph", ("c", "\x01d", Inline("emph", ("x",)), "y", "")),
        "e", "", "\ufffe", noteref("n1", "1"), " f", "g")),
        leaf("p", seg("s91", "\x00"), seg("s92", "one"), seg("s93", "", "two")))})
    markup, span = _span(doc, "s90")
    assert markup.replace(' xmlns="http://www.w3.org/1999/xhtml"', "").replace(
        ' xmlns:epub="http://www.idpf.org/2007/ops"', "") == (
        '<span id="s90">ab <em>cd<em>x</em>y</em>e<a href="#n1" id="ref-n1-2" '
        'epub:type="noteref" role="doc-noteref">1</a> fg</span>')
    _, empty = _span(doc, "s91")
    assert empty.text is None and empty.tail == " "
    paragraph = empty.getparent()
    assert "".join(paragraph.itertext()) == " one two"
    assert [s.tail for s in paragraph] == [" ", " ", None]
