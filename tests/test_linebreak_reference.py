"""The break finder, made faster for issue 8 (a text without characters that need the
tailoring's character-by-character walk tailored in one pass; the greedy wrap visiting only
the places where a line may break), finds what the one before it found, byte for byte
(tests/linebreak_reference.py, a frozen copy), on any text, overrides and widths."""
from __future__ import annotations

import random

import linebreak_reference as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serge_publish.catalog import linebreak

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=200)
_PIECES = ["word", " ", "  ", ".", ",", ":", ";", "Next", "e\u0301", "\u05d0\u05bc-x",
           "「", "中文", "( \u0301", "\u2028", "\x85", "😀", "-", "a-b", "1.5", "\\n",
           "\u037e", "ы", "\x01", "\t", "—", "«", "»", "%d", "\u200b", "\ufeff", "\u0301"]


def _same(text: str, seed: int) -> None:
    assert linebreak._opportunities(text) == reference._opportunities(text), text
    data = text.encode("utf-8")
    rng = random.Random(seed)
    over = bytearray(len(data))
    starts = [len(text[:i].encode("utf-8")) for i in range(len(text))]
    for pos in rng.sample(starts, min(len(starts), rng.randint(0, 4))):
        over[pos] = linebreak.PROHIBITED
    for width in (1, 10, 40, 77, 2**31 - 4):
        for col in (0, 5, 12):
            assert linebreak.breaks(data, over, width, col) == \
                reference.breaks(data, bytearray(over), width, col), (text, width, col)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, seed=st.integers(0, 1000))
def test_any_text_breaks_as_before(text, seed):
    _same(text, seed)


@pytest.mark.parametrize("seed", range(200))
def test_texts_of_tricky_pieces_break_as_before(seed):
    rng = random.Random(seed)
    _same("".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 60))), seed)


@pytest.mark.parametrize("text", ["", " ", "   lead", "end.Next", "a.b.c", "x" * 90,
                                  " " * 80 + "x", "word " * 30, ". Next", ".Next"])
def test_edge_texts_break_as_before(text):
    _same(text, 0)


def test_mandatory_breaks_cost_no_encoding_of_the_whole_text():
    """A long non-ASCII message with many mandatory breaks (U+2028) is wrapped in linear
    time: the size of the character at a break is read from its lead byte, not found by
    encoding the text again at each break (quadratic: seconds for a message of 8,000 lines)."""
    import time
    piece = "Ça va très bien, 日本語 😀 merci\u2028"
    data = (piece * 8000).encode("utf-8")
    start = time.process_time()
    linebreak.breaks(data, bytearray(len(data)), 77, 7)
    spent = time.process_time() - start
    small = piece * 800
    start = time.process_time()
    linebreak.breaks(small.encode("utf-8"), bytearray(len(small.encode("utf-8"))), 77, 7)
    ten_times_less = time.process_time() - start
    assert spent < 30 * max(ten_times_less, 0.001), (spent, ten_times_less)
    data = (piece * 50).encode("utf-8")
    assert linebreak.breaks(data, bytearray(len(data)), 77, 7) == \
        reference.breaks(data, bytearray(len(data)), 77, 7)
    assert [linebreak._lead_size(ch.encode()[0]) for ch in "aé日😀\u2028\x85"] == \
        [len(ch.encode()) for ch in "aé日😀\u2028\x85"]


def _anywhere_as_breaks(text: str, seed: int) -> None:
    data = text.encode("utf-8")
    rng = random.Random(seed)
    over = bytearray(len(data))
    starts = [len(text[:i].encode("utf-8")) for i in range(len(text))]
    for pos in rng.sample(starts, min(len(starts), rng.randint(0, 4))):
        over[pos] = linebreak.PROHIBITED
    for width in (1, 10, 40, 77, 2**31 - 4):
        for col in (0, 5, 8, 12):
            assert linebreak.breaks_anywhere(data, bytearray(over), width, col) == \
                (linebreak.POSSIBLE in linebreak.breaks(data, bytearray(over), width, col)), \
                (text, width, col)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, seed=st.integers(0, 1000))
def test_breaks_anywhere_says_whether_breaks_breaks(text, seed):
    """The writer asks breaks_anywhere whether a string starts on its keyword's line
    (issue 8: the layout was made twice for every string wrapped): it answers as the
    layout does, on any text, overrides and widths."""
    _anywhere_as_breaks(text, seed)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES), max_size=40), seed=st.integers(0, 1000))
def test_breaks_anywhere_on_texts_of_tricky_pieces(pieces, seed):
    _anywhere_as_breaks("".join(pieces), seed)
