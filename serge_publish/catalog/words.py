"""Word counts of messages, by the rules of translate-toolkit's ``pocount``.

Translators and their tools (Weblate, Pootle, ``pocount``) count words one way; ``status``
must give the same numbers. ``pocount`` removes XML-like tags (our placeholders), turns a
non-digit, a dot and a non-digit into a space ("e.g." counts nothing, "end.Next" two), then
counts the Unicode (UAX #29) words that hold a letter or a digit. The word rules below are
the part of UAX #29 that matters for running text: letters and digits join into one word,
letters across an apostrophe, colon or dot ("don't", "Serge’s"), digits across a comma or
dot ("1,000", "3.5"); ideographs and kana are words of one character each.
"""
from __future__ import annotations

import functools
import re
import unicodedata

_BR_TAG = re.compile(r"<br\s*?/?>")
_XML_TAG = re.compile(r"""<([\w.:]+)(\s([\w.:]+=((".*?")|('.*?')))?)*/?>|</([\w.]+)>""")
_NUMBER = re.compile(r"\D\.\D")
_MID_LETTER = ":\u00b7\u0387\u05f4\u2027\ufe13\ufe55\uff1a"
_MID_NUM = ",;\u037e\u0589\u060c\u060d\u066c\u07f8\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b"
_MID_BOTH = ".'\u2018\u2019\u2024\ufe52\uff07\uff0e"
_KATAKANA = "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_IDEOGRAPHS = "\u3005\u3040-\u309f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER = r"[^\W\d_]"


@functools.cache
def _rules() -> tuple[dict[int, None], re.Pattern[str]]:
    """Characters to drop (marks and format characters do not break words, UAX #29 WB4)
    and the word pattern. Built on first use: it scans the Unicode database once."""
    ignored: dict[int, None] = {}
    other_numbers = []                      # ¹ ½ ①: each a word of its own
    for code in range(0x30000):
        category = unicodedata.category(chr(code))
        if category in ("Mn", "Me", "Mc", "Cf") and code != 0x200B:
            ignored[code] = None
        elif category == "No":
            other_numbers.append(chr(code))
    alone = alone_class(other_numbers)
    alnum = rf"(?:(?!{alone}|[{_KATAKANA}_])\w)"          # letters and digits that join
    run = (rf"(?:{alnum}+(?:(?:(?<={_LETTER})[{_MID_LETTER}{_MID_BOTH}](?={_LETTER})"
           rf"|(?<=\d)[{_MID_NUM}{_MID_BOTH}](?=\d)){alnum}+)*|[{_KATAKANA}]+)")
    return ignored, re.compile(rf"{alone}|_*{run}(?:_+{run})*_*|_+")


def alone_class(other_numbers: list[str]) -> str:
    """A pattern for one character that is a word alone (an ideograph, kana, ¹ ½ ①...):
    the characters beyond U+FFFF in a class of their own, tried only for such a character
    (with one of them, ``re`` tests a class range by range: a hundred times slower)."""
    astral = "".join(ch for ch in other_numbers if ord(ch) > 0xFFFF)
    bmp = "".join(ch for ch in other_numbers if ord(ch) <= 0xFFFF)
    return (rf"(?:[{_IDEOGRAPHS}{re.escape(bmp)}]"
            rf"|(?=[\U00010000-\U0010ffff])[{re.escape(astral)}])")


@functools.lru_cache(maxsize=1 << 16)     # every language of an essay counts its source
def count_words(message: str) -> int:
    """Words in a message (with placeholders), as ``pocount`` counts them."""
    text = _BR_TAG.sub("\n", message)
    text = _XML_TAG.sub("", text)
    ignored, word_pattern = _rules()
    text = _NUMBER.sub(" ", text).translate(ignored)
    return sum(1 for word in word_pattern.findall(text) if any(ch.isalnum() for ch in word))
