"""The raster cover drawn block by block (each block of text on its own strip of rows,
remembered in the process) is byte for byte the cover drawn whole and encoded row by row;
a block whose rows would touch another's falls back to drawing the whole cover."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from serge_publish.writers import fonts, raster
from serge_publish.writers.raster import cover_png


def whole(title: str, author: str, footer: str) -> bytes:
    return raster._png(*raster._canvas(title, author, footer))


@pytest.mark.parametrize("title, author, footer", [
    ("Victor Serge", "Doug\u00a0Enaa\u00a0Greene", "Pinpoint"),
    ("Виктор Серж: писатель и революция, или о границах побеждённого прошлого",
     "Сьюзан\u00a0Вайсман", ""),
    ("Ägypten, gÿp, jÅ — “quoted” " * 6, "Q", "Éé"),
    ("x" * 700, "y " * 300, "z" * 100),
    ("", "", ""),
])
def test_the_cover_drawn_by_strips_is_the_cover_drawn_whole(title, author, footer):
    png = cover_png(title, author, footer)
    assert png == whole(title, author, footer)
    image, _ = raster._canvas(title, author, footer)
    decoded = Image.open(io.BytesIO(png))
    assert decoded.tobytes() == image.tobytes()


def test_a_blocks_strip_is_remembered_across_covers():
    raster._strip.cache_clear()
    cover_png("A first title", "Suzi\u00a0Weissman", "The same publisher")
    before = raster._strip.cache_info()
    second = cover_png("A second title", "Suzi\u00a0Weissman", "The same publisher")
    after = raster._strip.cache_info()
    assert after.hits - before.hits == 2            # the author and the publisher's line
    assert after.misses - before.misses == 1        # the new title
    assert second == whole("A second title", "Suzi\u00a0Weissman", "The same publisher")


def test_blocks_whose_rows_touch_are_drawn_on_the_whole_cover(monkeypatch):
    """A title moved onto the rule: its rows and the rule's touch, so the cover is drawn
    whole (strips drawn apart would be cut where they meet)."""
    monkeypatch.setattr(raster, "TITLE", (2080, 60, 2, 2400, raster.SHADES - 1))
    calls = []
    monkeypatch.setattr(raster, "_canvas", lambda *a: calls.append(a) or canvas(*a))
    png = cover_png("A title over the rule", "An Author", "Publisher")
    assert calls == [("A title over the rule", "An Author", "Publisher", "")]
    image, _ = canvas("A title over the rule", "An Author", "Publisher")
    assert Image.open(io.BytesIO(png)).tobytes() == image.tobytes()


canvas = raster._canvas


def test_runs_merge_overlapping_and_touching_rows_within_the_cover():
    assert raster._runs([range(5, 9), range(-4, 2), range(8, 12), range(12, 14),
                         range(20, 21), range(raster.HEIGHT - 1, raster.HEIGHT + 5),
                         range(30, 30)]) == \
        [range(0, 2), range(5, 14), range(20, 21), range(raster.HEIGHT - 1, raster.HEIGHT)]


def test_lines_and_rows_drawn_before_are_not_drawn_or_compressed_again(monkeypatch):
    """A block drawn anew (its strip forgotten) takes its lines' glyphs and its rows'
    deflate pieces from what the process remembers: the same bytes, nothing new made.
    (The cover drawn whole, the reference, is drawn first: it remembers its own rows'
    pieces, by their digest, which a strip's rows are not looked for by.)"""
    title, author = "A title drawn twice, on two lines of the cover", "Suzi\u00a0Weissman"
    first = cover_png(title, author, "Publisher")
    expected = whole(title, author, "Publisher")
    raster._strip.cache_clear()
    masks, boxes, pieces = len(raster._MASKS), len(raster._BOXES), len(raster._PIECES)
    compressed = []
    real = raster._piece
    monkeypatch.setattr(raster, "_piece", lambda raw: compressed.append(raw) or real(raw))
    assert cover_png(title, author, "Publisher") == first == expected
    assert (len(raster._MASKS), len(raster._BOXES), len(raster._PIECES)) == \
        (masks, boxes, pieces)
    assert compressed == []


def test_remembered_glyphs_are_those_of_the_font_and_size():
    """Two sizes of the font never share a remembered answer (the key is the font's file
    and size, not the object, which the font cache may drop and replace)."""
    face = fonts.primary()
    small, large = raster._font(40, face), raster._font(80, face)
    assert small.getbbox("Serge") != large.getbbox("Serge")
    raster._font.cache_clear()
    assert raster._font(80, face).getbbox("Serge") == large.getbbox("Serge")


def test_only_the_lines_on_rows_not_met_before_are_drawn(monkeypatch):
    """Two titles that differ in one line of four ("Synthetic essay / 2: on the borders /
    of the defeated / past"): the second cover draws that line only (the rows of the
    others are the pieces the first cover made), and its bytes are those of the cover
    drawn whole."""
    from PIL import ImageDraw

    first = "Synthetic essay 1: on the borders of the defeated past"
    second = "Synthetic essay 2: on the borders of the defeated past"
    face = fonts.primary()
    lines, drawn = raster._layout(second, raster.TITLE, face)
    assert len(raster._runs(drawn)) == len(lines) == 4
    new = [line for line, old in zip(lines, raster._layout(first, raster.TITLE, face)[0],
                                     strict=True) if line != old]
    assert [line[1] for line in new] == ["2: on the borders"]
    cover_png(first, "Suzi\u00a0Weissman", "Publisher")
    drawn_lines = []
    real = ImageDraw.ImageDraw.text
    monkeypatch.setattr(ImageDraw.ImageDraw, "text",
                        lambda self, xy, text, *a, **k: drawn_lines.append(text)
                        or real(self, xy, text, *a, **k))
    png = cover_png(second, "Suzi\u00a0Weissman", "Publisher")
    assert drawn_lines == ["2: on the borders"]
    monkeypatch.undo()
    assert png == whole(second, "Suzi\u00a0Weissman", "Publisher")


def test_the_last_block_of_the_image_data_is_zlibs_empty_final_block():
    import zlib
    assert raster.FINAL_BLOCK == zlib.compressobj(9, zlib.DEFLATED, -15).flush()
