"""count_words's fast paths (ASCII text, text without a character of ``_special``) count
exactly what the full rules count, for any text: the counts are shown in the build report
and the CLI's table, and must not change by a single word."""
from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from serge_publish.catalog import words
from serge_publish.catalog.words import count_words


def full_rules(message: str) -> int:
    """count_words as it was before its fast paths: every step, always."""
    text = words._BR_TAG.sub("\n", message)
    text = words._XML_TAG.sub("", text)
    ignored, word_pattern = words._rules()
    text = words._NUMBER.sub(" ", text).translate(ignored)
    return sum(1 for word in word_pattern.findall(text) if any(ch.isalnum() for ch in word))


def counted(text: str) -> int:
    return count_words.__wrapped__(text)        # (not the remembered count)


_SEPARATORS = ":·\u0387\u05f4\u2027\ufe13\ufe55\uff1a,;\u037e\u0589\u060c\u060d\u066c\u07f8" \
    "\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b.'\u2018\u2019\u2024\ufe52\uff07\uff0e"
PIECES = list("abcXYZéüßø0129 .,;:'’‘-—_–!?()\"«»&<>/\u00a0\u00ad\u200b\u200d\t\n") + list(
    _SEPARATORS) + [
    "<i>", "</i>", "<n12/>", "<a1>", "</a1>", "<x1/>", "<br/>", "<br >", "<t a='b'>", "&lt;",
    "&amp;", "e.g.", "1,000", "3.5", "don't", "Serge’s", "漢字", "か", "カタ", "ー", "・", "゠",
    "゛", "々", "ｶ", "¹", "½", "Ⅻ", "①", "𝟙", "𐄇", "𠀀", "😀", "ﬁ", "\u0301", "\u0300",
    "\u0e31", "\u093f", "1st", "U.S.", "A1", "Русский", "Ελληνικά", "עברית", "العربية",
    "हिन्दी", "٣", "߁", "ＡＢ", "１２", "__", "a_b", "\U000e0001", "\U0001d7d8"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
@example("Serge was born in 1890 in <i>Brussels</i>.<n12/>")
@example("Trotsky’s “midnight of the century” &amp; 1,000 days")
@example("a\u0301.b")
@example("x.y.z")
@example("_")
@example("・")
@example("a_b")
def test_same_count_as_the_full_rules_on_pieces(text):
    assert counted(text) == full_rules(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=40))
def test_same_count_on_any_text(text):
    assert counted(text) == full_rules(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.characters(categories=("Lu", "Ll", "Lo", "Lm", "Mn", "Mc", "Nd", "No",
                                         "Nl", "Pc", "Po", "Pd", "Zs", "Cf")), max_size=30))
def test_same_count_on_letters_marks_digits_punctuation(text):
    assert counted(text) == full_rules(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=60))
def test_same_count_on_ascii(text):
    assert counted(text) == full_rules(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(st.characters(min_codepoint=0x2e80, max_codepoint=0xffef), max_size=20))
def test_same_count_on_cjk_and_kana(text):
    assert counted(text) == full_rules(text)


def test_every_character_alone_and_between_letters():
    """Each character of the BMP and of the planes in use, alone and in a word, counts
    as under the full rules (a fast path must see every character the full rules treat
    specially)."""
    for code in range(0x30000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        if unicodedata.category(ch) == "Cn" and code > 0xFFFF:
            continue
        for text in (ch, f"ab{ch}cd", f"1{ch}2", f"a {ch} b"):
            assert counted(text) == full_rules(text), (hex(code), text)
