"""The characters XML 1.0 (and HTML) cannot hold: C0 and C1 controls but tab, line feed
and carriage return, surrogates, noncharacters. One rule for every text that goes into
an edition: the writers remove them (:func:`clean`), the build and ``check`` name them in
a translation (:func:`forbidden`), where they come from (a Word soft line break pasted
into a catalogue is a vertical tab, U+000B).
"""
from __future__ import annotations

import re
import sys

BAD_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0, sys.maxunicode, 0x10000))
    + "]")
# BAD_CHARS in two: a class of the Basic Multilingual Plane the regex engine tests with a
# bitmap, and the noncharacters of the other planes (a list it tests one by one), only
# looked for in a text that has a character out of that plane
_BAD_BMP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                      "\ufffe\uffff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_BAD_ASTRAL = re.compile(
    "[" + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}"
                  for p in range(0x10000, sys.maxunicode, 0x10000)) + "]")
# what a text without anything to remove has none of: _BAD_BMP's characters and those
# out of the Basic Multilingual Plane (looked for in one scan)
_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                      "\ufffe\uffff\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """Text without the characters XML 1.0 and HTML forbid (controls, noncharacters):
    what ``BAD_CHARS.sub("", text)`` gives, faster."""
    if text.isprintable() or _SUSPECT.search(text) is None:
        # most texts: one scan, nothing to remove. (Every character removed is one
        # ``isprintable`` refuses: a control, a surrogate, a noncharacter; it refuses
        # spaces other than " " too, then the class of them is looked for, three times
        # slower.)
        return text
    text = _BAD_BMP.sub("", text)
    if not text.isascii() and _ASTRAL.search(text):
        text = _BAD_ASTRAL.sub("", text)
    return text


def forbidden(text: str) -> str:
    """The characters of ``text`` XML cannot hold, as their code points ("U+000B, U+0000"),
    in order of code point; "" for none (most texts: :func:`clean`'s one scan)."""
    if clean(text) == text:
        return ""
    return ", ".join(f"U+{c:04X}" for c in sorted({ord(c) for c in BAD_CHARS.findall(text)}))
