"""count_words' word pattern with the characters beyond U+FFFF in a class of their own
(issue 8: with them in one class, ``re`` tested it range by range, a hundred times slower)
finds the same words as the single-class pattern it replaced, around every character."""
from __future__ import annotations

import re
import unicodedata

from serge_publish.catalog import words as W


def _single_class_pattern() -> re.Pattern[str]:
    """The pattern as it was built before (one class for the characters alone)."""
    other_numbers = [chr(c) for c in range(0x30000) if unicodedata.category(chr(c)) == "No"]
    alone = W._IDEOGRAPHS + re.escape("".join(other_numbers))
    alnum = rf"(?:(?![{alone}{W._KATAKANA}_])\w)"
    run = (rf"(?:{alnum}+(?:(?:(?<={W._LETTER})[{W._MID_LETTER}{W._MID_BOTH}](?={W._LETTER})"
           rf"|(?<=\d)[{W._MID_NUM}{W._MID_BOTH}](?=\d)){alnum}+)*|[{W._KATAKANA}]+)")
    return re.compile(rf"[{alone}]|_*{run}(?:_+{run})*_*|_+")


def test_the_same_words_around_every_character():
    before = _single_class_pattern()
    _, now = W._rules()
    chars = "".join(chr(c) for c in range(0x30000))
    # one character in two between two letters, one in nine between digits, kana, underscores
    for context, every in (("a{}b", 2), ("1{}2", 9), ("カ{}_", 9), ("{}{}", 9)):
        step = 4096
        for start in range(0, len(chars), step):
            text = " ".join(context.format(ch, ch) for ch in chars[start:start + step:every])
            assert now.findall(text) == before.findall(text), (context, hex(start))


def test_numbers_beyond_the_basic_plane_are_words_alone():
    assert W.count_words("\U00010107\U00010107 x") == 3          # AEGEAN NUMBER ONE, twice
    assert W.count_words("a\U0001f100b") == 3                    # DIGIT ZERO FULL STOP
    assert W.count_words("漢字 カタカナ ½") == 4
