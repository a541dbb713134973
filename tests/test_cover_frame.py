"""The SVG cover copied from its frame (all but the title, made once per author, language
and footer: issue 8) is the cover made element by element, as it was (the reference
below), for covers in each case: right to left, no footer, no title or author, a
character XML forbids, the same frame met again with another title."""
from __future__ import annotations

import pytest
from lxml import etree

from serge_publish import languages
from serge_publish.writers import cover
from serge_publish.writers.cover import (
    BACKGROUND,
    BAND,
    HEIGHT,
    INK,
    PAPER,
    WIDTH,
    _svg,
    _text_block,
    cover_svg,
)
from serge_publish.writers.xhtml import XML_LANG


def reference_svg(title: str, author: str, lang: str, footer: str = "",
                  author_lines: str = "") -> bytes:
    root = _svg("svg", version="1.1", width=WIDTH, height=HEIGHT,
                viewBox=f"0 0 {WIDTH} {HEIGHT}")
    root.set(XML_LANG, lang)
    if languages.direction(lang) == "rtl":
        root.set("direction", "rtl")
    _svg("title", root, " — ".join(filter(None, (title, author))))
    _svg("rect", root, width=WIDTH, height=HEIGHT, fill=BACKGROUND)
    _svg("rect", root, width=WIDTH, height=560, fill=BAND)
    _text_block(root, author_lines or author, top=300, size=60, fill=PAPER, max_lines=3)
    _text_block(root, title, top=760, size=96, fill=INK, max_lines=8)
    _svg("rect", root, x=520, y=1560, width=160, height=8, fill=BAND)
    if footer:
        _text_block(root, footer, top=1660, size=40, fill=INK, max_lines=2)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"


@pytest.mark.parametrize("args", [
    ("Victor Serge: on the borders of the defeated past", "Doug Enaa Greene", "en",
     "Small Press", "Doug\u00a0Enaa\u00a0Greene"),
    ("Виктор Серж: на границах победы " * 4, "Дуг Грин", "ru", "Press"),
    ("ויקטור סרז'", "דאג גרין", "he", ""),
    ("", "", "fr", ""),
    ("Title only", "", "de", "Press"),
    ("", "An Author", "ar", "Press"),
    ("Bad \x01 char\ufffe", "A\x0bB", "en", "P\x00ress"),
])
def test_the_cover_copied_from_its_frame_is_the_cover_made_whole(args):
    assert cover_svg(*args) == reference_svg(*args)
    again = ("Another title, same frame",) + args[1:]
    assert cover_svg(*again) == reference_svg(*again)


def test_a_frame_is_made_once_and_never_changed():
    cover._frame.cache_clear()
    first = cover_svg("One", "Ann Lee", "en", "Press")
    frame = etree.tostring(cover._frame("en", "Ann Lee", "Press"))
    cover_svg("Two", "Ann Lee", "en", "Press")
    assert cover._frame.cache_info().misses == 1
    assert etree.tostring(cover._frame("en", "Ann Lee", "Press")) == frame
    assert b"One" in first and b"One" not in frame
