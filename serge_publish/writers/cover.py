"""A generated cover: an SVG with the title and author in the edition's language and script.

SVG rather than a bitmap: its text is drawn by the reading system's fonts, so any script
the reader can show works without shipping fonts, the bytes are reproducible, and the text
stays accessible. Lines are wrapped here (SVG 1.1 does not wrap).
"""
from __future__ import annotations

import copy
import re
import unicodedata
from functools import lru_cache

from lxml import etree

from .. import languages
from .xhtml import XML_LANG, clean

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 1200, 1800
BACKGROUND, BAND, INK, PAPER = "#f4efe6", "#7a1f1f", "#1d1d1b", "#f4efe6"
_ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")   # never a no-break space (U+00A0, U+202F)


def _svg(tag: str, parent: etree._Element | None = None, text: str = "",
         **attrs: str | int) -> etree._Element:
    names = {k: k.replace("_", "-") for k in attrs}
    values = {names[k]: str(v) for k, v in attrs.items()}
    el = etree.SubElement(parent, f"{{{SVG_NS}}}{tag}", values) if parent is not None \
        else etree.Element(f"{{{SVG_NS}}}{tag}", values,
                           nsmap={None: SVG_NS})  # type: ignore[dict-item]  # lxml-stubs: None key
    if text:
        el.text = clean(text)
    return el


def cover_svg(title: str, author: str, lang: str, footer: str = "",
              author_lines: str = "") -> bytes:
    """The cover of an edition; ``footer`` is a small line at the bottom (the publisher);
    ``author_lines`` the author as wrapped (each name kept together), else ``author``.
    All but the title is the same on every cover of the author in the language: made
    once (:func:`_frame`) and copied."""
    root = copy.copy(_frame(lang, author_lines or author, footer))   # (lxml: all of it)
    name = " — ".join(filter(None, (title, author)))
    if name:
        root[0].text = clean(name)
    _text_block(root, title, top=760, size=96, fill=INK, max_lines=8)
    root.insert(_TITLE_AT, root[-1])           # after the author's block, as drawn
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"


_TITLE_AT = 4       # the title's block in the frame: after <title>, two rects, the author


@lru_cache(maxsize=256)
def _frame(lang: str, author: str, footer: str) -> etree._Element:
    """A cover without its title (an empty ``<title>``, no title block): not to be
    changed, but copied."""
    root = _svg("svg", version="1.1", width=WIDTH, height=HEIGHT,
                viewBox=f"0 0 {WIDTH} {HEIGHT}")
    root.set(XML_LANG, lang)
    if languages.direction(lang) == "rtl":
        root.set("direction", "rtl")
    _svg("title", root)
    _svg("rect", root, width=WIDTH, height=HEIGHT, fill=BACKGROUND)
    _svg("rect", root, width=WIDTH, height=560, fill=BAND)
    _text_block(root, author, top=300, size=60, fill=PAPER, max_lines=3)
    _svg("rect", root, x=520, y=1560, width=160, height=8, fill=BAND)
    if footer:
        _text_block(root, footer, top=1660, size=40, fill=INK, max_lines=2)
    return root


def _text_block(parent: etree._Element, text: str, top: int, size: int, fill: str,
                max_lines: int) -> None:
    lines = _wrapped(text, max(8, int(1000 / (size * 0.55))))[:max_lines]
    group = _svg("text", parent, x=WIDTH // 2, y=top, font_family="Georgia, serif",
                 font_size=size, fill=fill, text_anchor="middle")
    for i, line in enumerate(lines):
        _svg("tspan", group, line, x=WIDTH // 2, dy=0 if i == 0 else int(size * 1.25))


@lru_cache(maxsize=1024)
def _wrapped(text: str, max_chars: int) -> tuple[str, ...]:
    """``text`` wrapped at ``max_chars`` (:func:`balanced_wrap`), remembered: the author's
    and the publisher's lines are the same on many covers."""
    return tuple(balanced_wrap(text, max_chars, _width))


def wrap(text: str, max_chars: int) -> list[str]:
    """Greedy wrap on ASCII spaces (a no-break space never breaks a line: « Oui » keeps
    its quotes); scripts written without spaces are cut by width. Each character is
    measured once, so the work grows linearly with the text (a 60,000-character name
    once took 20 s)."""
    lines: list[str] = []
    current, current_width = "", 0
    for word in _ASCII_SPACES.split(text):
        if not word:
            continue
        width = _width(word)
        if width > max_chars:
            *full, word = _pieces(word, max_chars)
            if current:
                lines.append(current)
            lines.extend(full)
            current, current_width = word, _width(word)
        elif current and current_width + 1 + width <= max_chars:
            current, current_width = f"{current} {word}", current_width + 1 + width
        else:
            if current:
                lines.append(current)
            current, current_width = word, width
    if current:
        lines.append(current)
    return lines


def balanced_wrap(text: str, limit: float, measure) -> list[str]:
    """``text`` in as few lines as a greedy wrap at ``limit`` gives, each as even as can
    be (no lone last word): the narrowest width that still needs no more lines.
    ``measure`` gives a string's width (each word is measured once). A no-break space
    never breaks a line, so a name whose spaces are no-break spaces stays on one line;
    a word wider than a line is cut."""
    words: list[str] = []
    for token in _tokens(text):
        if measure(token) <= limit:
            words.append(token)
            continue
        for word in token.split(" "):       # glued words that do not fit: apart again
            words.extend(_cut(word, limit, measure) if measure(word) > limit else [word])
    if not words:
        return []
    widths = [measure(w) for w in words]
    space = measure(" ")
    best = _greedy(widths, space, limit)
    if len(best) > 1:
        low, high = max(widths), limit
        while high - low > 1:
            middle = (low + high) / 2
            if len(_greedy(widths, space, middle)) <= len(best):
                high = middle
            else:
                low = middle
        found = _greedy(widths, space, high)
        best = found if len(found) <= len(best) else best
    return [" ".join(words[a:b]) for a, b in best]


def _cut(word: str, limit: float, measure) -> list[str]:
    pieces, start, width = [], 0, 0.0
    for i, ch in enumerate(word):
        w = measure(ch)
        if width + w > limit and i > start:
            pieces.append(word[start:i])
            start, width = i, 0.0
        width += w
    pieces.append(word[start:])
    return pieces


def _tokens(text: str) -> list[str]:
    """Words, a word of closing punctuation (French " :", " »") joined to the one before
    it (a line never starts with it), a short word ("et", "and", "of") to the one after it
    (a line never ends with it)."""
    tokens: list[str] = []
    glue = False
    for word in _ASCII_SPACES.split(text):
        if not word:
            continue
        if tokens and (glue or word[0] in ":;!?»)]}"):
            tokens[-1] = f"{tokens[-1]} {word}"
        else:
            tokens.append(word)
        glue = len(word) <= 3 and word.isalpha() and word.islower()
    return tokens


def _greedy(widths: list[float], space: float, limit: float) -> list[tuple[int, int]]:
    """Lines as (first word, end) ranges, each filled as far as ``limit`` allows."""
    lines: list[tuple[int, int]] = []
    start, width = 0, 0.0
    for i, w in enumerate(widths):
        if i > start and width + space + w > limit:
            lines.append((start, i))
            start, width = i, w
        else:
            width = w if i == start else width + space + w
    lines.append((start, len(widths)))
    return lines


def keep_together(name: str) -> str:
    """A name that never breaks across lines (its spaces made no-break)."""
    return _ASCII_SPACES.sub("\u00a0", name.strip())


def _width(text: str) -> int:
    """Width in average Latin characters: wide (CJK) characters count two (an ASCII text
    has none: its length, without looking each character up)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _pieces(word: str, max_chars: int) -> list[str]:
    """``word`` cut into pieces at most ``max_chars`` wide (at least one character each),
    in one pass."""
    pieces: list[str] = []
    start, width = 0, 0
    for i, ch in enumerate(word):
        w = _char_width(ch)
        if width + w > max_chars and i > start:
            pieces.append(word[start:i])
            start, width = i, 0
        width += w
    pieces.append(word[start:])
    return pieces
