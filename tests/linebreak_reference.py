"""A frozen copy of serge_publish/catalog/linebreak.py as it was before issue 8's faster
break finder (test_linebreak_reference.py holds today's to it).

Where a line of a PO file may break, and how wide a character is, as GNU msgcat 0.21
decides with libunistring 1.0: the UAX #14 opportunities of unicode_segmentation_rs,
tailored as libunistring tailors them (no C library, so the same on every machine).
``breaks`` is what ``po.format_catalog`` wraps with."""
from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

from unicode_segmentation_rs import line_breaks, text_width

PROHIBITED, POSSIBLE, MANDATORY = 1, 2, 3
_INFIX = frozenset(",.:;\u037e\u0589\u060c\u060d\u07f8\u2044\ufe10\ufe13\ufe14")  # class IS
_BREAK_CHARS = frozenset("\x0b\x0c\x85\u2028\u2029")  # class BK and NL, not escaped


@lru_cache(maxsize=4096)
def _opportunities(text: str) -> bytes:
    """Per byte, where libunistring 1.0 (msgcat's line breaker) allows a break: the UAX #14
    opportunities of unicode_segmentation_rs, tailored as libunistring tailors them."""
    out, pos, prev, before = bytearray([PROHIBITED]) * len(text.encode("utf-8")), 0, None, None
    for at, mandatory in line_breaks(text):
        if not mandatory:  # libunistring marks the line break character itself
            out[at] = POSSIBLE
    for i, ch in enumerate(text):
        if ch in _BREAK_CHARS:
            out[pos] = MANDATORY
        elif prev is None and out[pos] == POSSIBLE and ch != " ":
            out[pos] = PROHIBITED  # never at the start of a line, even after spaces
        elif out[pos] == PROHIBITED and prev and _libunistring_breaks(text, i, prev, before):
            out[pos] = POSSIBLE
        pos += _size(ch)
        prev, before = (context := _context(prev, ch)), prev if context != prev else before
    return bytes(out)


def _libunistring_breaks(text: str, i: int, prev: str, before: str | None) -> bool:
    """Where libunistring 1.0 breaks and UAX #14 does not: "sentence.<n1/>" (on purpose, for
    markup), "a「", "( \u0301", and "\u05d0\u05bc-x" (a mark between letter and hyphen)."""
    ch = text[i]
    return (prev in _INFIX and _alphabetic(ch) or prev == " " and _combining(ch)
            or _wide_opening(ch) and _alphanumeric(prev)
            or before is not None and _hebrew(before) and text[i - 2:i] != before + prev
            and _breaks_after(prev, ch))


def _context(prev: str | None, ch: str) -> str | None:
    """What the next character follows: None at the start of a line, " " after spaces,
    else the last character, a combining mark standing for a letter after a space."""
    if ch in _BREAK_CHARS or ch == " ":
        return prev and " " if ch == " " else None
    if _combining(ch):
        return "a" if prev in (None, " ") else prev
    return ch


@cache
def _alphabetic(ch: str) -> bool:
    """Line break class AL or HL: not a digit, no break after ".", a break after "中"."""
    return (line_breaks("." + ch)[0][0] > 1 and line_breaks("\u4e2d" + ch)[0][0] == 3
            and line_breaks("a-" + ch)[0][0] == 2)  # the last one tells numbers apart


@cache
def _alphanumeric(ch: str) -> bool:
    return _alphabetic(ch) or unicodedata.category(ch) == "Nd"


@cache
def _hebrew(ch: str) -> bool:
    """Class HL, after which UAX #14 keeps a hyphen with what follows; libunistring 1.0 only
    when no combining mark comes between."""
    return ("\u05d0" <= ch <= "\u05f2" or "\ufb1d" <= ch <= "\ufb4f") and (
        unicodedata.category(ch) == "Lo")


def _breaks_after(prev: str, ch: str) -> bool:
    """Whether UAX #14 breaks between prev and ch after a Latin letter."""
    return line_breaks("a" + prev + ch)[0][0] == len(("a" + prev).encode("utf-8"))


@cache
def _wide_opening(ch: str) -> bool:
    return unicodedata.category(ch) == "Ps" and unicodedata.east_asian_width(ch) in "WFH"


@cache
def _combining(ch: str) -> bool:
    """Line break class CM: marks (but the double ones), controls, bidi and tag characters."""
    category = unicodedata.category(ch)
    if ch == "\u034f" or "\u035c" <= ch <= "\u0362":
        return False
    return category in ("Mn", "Mc", "Me", "Cc") or category == "Cf" and (
        ch in "\u061c\u200c\u200e\u200f\ufff9\ufffa\ufffb"
        or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u206f" or ch >= "\U000e0000")


@cache
def _size(ch: str) -> int:
    return len(ch.encode("utf-8"))


@cache
def char_width(ch: str) -> int:
    """Columns, as libunistring's uc_width counts them."""
    category = unicodedata.category(ch)
    if category in ("Cc", "Mn", "Me", "Cf"):
        return 0
    if category == "Mc" or unicodedata.east_asian_width(ch) == "H":
        return 2 if unicodedata.east_asian_width(ch) == "W" else 1
    return text_width(ch)


def breaks(data: bytes, over: bytearray, width: int, col: int) -> bytes:
    """Per byte, POSSIBLE where msgcat breaks the line: libunistring's u8_width_linebreaks,
    greedy over the opportunities, with ``over`` overriding them."""
    text = data.decode("utf-8")
    out, last, piece, pos = bytearray(_opportunities(text)), None, 0, 0
    for ch in text:
        out[pos] = over[pos] or out[pos]
        if out[pos] != PROHIBITED and last is not None and col + piece > width:
            out[last], col = POSSIBLE, 0
        if out[pos] == MANDATORY:
            last, col, piece = None, 0, 0
        else:
            if out[pos] == POSSIBLE:
                last, col, piece, out[pos] = pos, col + piece, 0, PROHIBITED
            piece += char_width(ch)
        pos += _size(ch)
    if last is not None and col + piece > width:
        out[last] = POSSIBLE
    return bytes(out)
