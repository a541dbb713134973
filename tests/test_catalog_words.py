"""Word counts agree with translate-toolkit's pocount (the function, then the CLI)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from translate.tools.pocount import wordcount

from serge_publish.catalog.words import count_words

PIECES = list("abcXYZéü0129 .,;:'’‘-—_–!?()\"«»&<>/\u00a0\u00ad") + [
    "<i>", "</i>", "<n12/>", "<a1>", "</a1>", "<x1/>", "&lt;", "&amp;", "e.g.", "1,000",
    "3.5", "don't", "Serge’s", "漢", "か", "カタ", "¹", "½", "Ⅻ", "ß", "ﬁ", "\u0301", "1st",
    "U.S.", "A1", "pp. 12–14", "1917–1921", "Trotsky's", "anti-Stalinist", "\n"]


def test_typical_sentences():
    assert count_words("Serge was born in 1890 in <i>Brussels</i>.<n12/>") == 7
    assert count_words("E. H. Carr, pp. 12–14, e.g. well-known") == 6   # "e.g" counts 0
    assert count_words("Trotsky’s “midnight of the century” &amp; 1,000 days") == 8


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_count_words_agrees_with_pocount_wordcount(text):
    assert count_words(text) == wordcount(text)
