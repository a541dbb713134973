"""Where a line of a PO file may break, and how wide a character is, as GNU msgcat 0.21
decides with libunistring 1.0: the UAX #14 opportunities of unicode_segmentation_rs,
tailored as libunistring tailors them (no C library, so the same on every machine).
``breaks`` is what ``po.format_catalog`` wraps with."""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from itertools import accumulate

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
    if not any(map(_special, set(text))):
        return _plain_tailored(text, out)
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


@cache
def _special(ch: str) -> bool:
    """A character the tailoring must follow one by one: a line break character, a
    combining one (what it follows is not itself), one of class HL or a wide opening
    punctuation (breaks that depend on what comes before)."""
    return ch in _BREAK_CHARS or _combining(ch) or _hebrew(ch) or _wide_opening(ch)


_INFIX_AT = re.compile("[" + re.escape("".join(sorted(_INFIX))) + "]")


def _plain_tailored(text: str, out: bytearray) -> bytes:
    """The tailoring of ``_opportunities`` for a text without ``_special`` characters,
    where what a character follows is the character before it (or a space, or nothing at
    the start of the line): no break at its first character after any spaces; a break
    after a class IS character followed by an alphabetic one (the only other tailoring
    that such a text can meet)."""
    first = len(text) - len(text.lstrip(" "))        # spaces are one byte each
    if first < len(text) and out[first] == POSSIBLE:
        out[first] = PROHIBITED
    plain = len(out) == len(text)                     # ASCII: a byte is a character
    for m in _INFIX_AT.finditer(text):
        i = m.end()
        if i < len(text) and i - 1 >= first:
            pos = i if plain else len(text[:i].encode("utf-8"))
            if out[pos] == PROHIBITED and _alphabetic(text[i]):
                out[pos] = POSSIBLE
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


_EVENT = re.compile(b"[\x02\x03]")
_SET = re.compile(b"[^\x00]")


def breaks(data: bytes, over: bytearray, width: int, col: int) -> bytes:
    """Per byte, POSSIBLE where msgcat breaks the line: libunistring's u8_width_linebreaks,
    greedy over the opportunities, with ``over`` overriding them. Only the places where a
    line may or must break are visited, the widths between them summed beforehand
    (libunistring goes character by character)."""
    text = data.decode("utf-8")
    out = bytearray(_opportunities(text))
    for m in _SET.finditer(over):   # overrides (PROHIBITED) at the start of a character
        out[m.start()] = over[m.start()]
    events = [m.start() for m in _EVENT.finditer(out)]
    if len(data) == len(text) and text.isprintable():
        before = None                                  # a column per byte
    else:
        widths = list(accumulate(map(char_width, text), initial=0))
        before = dict(zip(accumulate(map(_size, text), initial=0), widths, strict=True))
    last, start = None, 0                              # start: the width before the piece
    for pos in events:
        here = pos if before is None else before[pos]
        if last is not None and col + here - start > width:
            out[last], col = POSSIBLE, 0
        if out[pos] == MANDATORY:
            last, col = None, 0
            start = pos + 1 if before is None else before[pos + _lead_size(data[pos])]
        else:
            out[pos] = PROHIBITED
            last, col, start = pos, col + here - start, here
    end = len(data) if before is None else before[len(data)]
    if last is not None and col + end - start > width:
        out[last] = POSSIBLE
    return bytes(out)


def breaks_anywhere(data: bytes, over: bytearray, width: int, col: int) -> bool:
    """Whether ``breaks(data, over, width, col)`` breaks the line anywhere (POSSIBLE in
    it), told without laying the text out where no mandatory break is: the greedy layout
    breaks iff the text, from ``col``, is wider than ``width`` and may break somewhere
    (until its first break the width before each opportunity is ``col`` plus the text's
    up to it, at most ``col`` plus the whole text's). The writer asks it of a string that
    may start on its keyword's line: breaking it starts it on the next one instead."""
    text = data.decode("utf-8")
    out = bytearray(_opportunities(text))
    for m in _SET.finditer(over):
        out[m.start()] = over[m.start()]
    if MANDATORY in out:
        return POSSIBLE in breaks(data, over, width, col)
    if POSSIBLE not in out:
        return False
    if len(data) == len(text) and text.isprintable():
        return col + len(data) > width
    return col + sum(map(char_width, text)) > width


def _lead_size(lead: int) -> int:
    """The size of the UTF-8 character whose first byte is ``lead``: told by that byte
    alone (encoding the text again to find the character, at each mandatory break, made
    a long message with many of them quadratic)."""
    return 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
