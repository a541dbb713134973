"""The raster cover (PNG, 1600 × 2560) that retailers and Kindle conversion need beside the
SVG one: the same design, its text drawn with a font installed on the machine.

The font is DejaVu Serif (Debian's fonts-dejavu-core, installed by the Makefile), else the
font Pillow ships; the same font, Pillow and zlib give the same bytes at every build (the
PNG, a 4-bit palette of the design's colours and their anti-aliasing steps, is written by
:func:`_png`, without time stamps or other metadata). Lines are balanced (no lone last word) and
a person's name never breaks across lines.
"""
from __future__ import annotations

import struct
import zlib
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

from .cover import balanced_wrap

WIDTH, HEIGHT = 1600, 2560
BACKGROUND, BAND, INK, PAPER = "#f4efe6", "#7a1f1f", "#1d1d1b", "#f4efe6"
MARGIN = 140
BAND_BOTTOM = 760          # the band: rows 0 to 759
SHADES = 7                # anti-aliasing steps from a colour to the text on it: with the
                          # band colour, 15 colours, a 4-bit palette
MAX_CHARS = 600
FONT_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
              Path("/usr/share/fonts/TTF/DejaVuSerif.ttf"),
              Path("/usr/local/share/fonts/DejaVuSerif.ttf"))

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont | ImageFont.TransposedFont


def font_file() -> Path | None:
    """The serif font the cover is drawn with, None when only Pillow's own is there."""
    return next((p for p in FONT_FILES if p.is_file()), None)


@lru_cache(maxsize=16)
def _font(size: int) -> Font:
    path = font_file()
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def cover_png(title: str, author: str, footer: str = "") -> bytes:
    """The cover as PNG bytes: author in the band, title below it, the publisher at the
    foot. ``author`` should keep each name together (see :func:`cover.keep_together`).

    The picture is drawn in palette indices: the page is index 0, the band SHADES, and
    text is drawn anti-aliased with the last index of its background's ramp, so each pixel
    lands on one of :data:`SHADES` steps between the colour under the text and the text's
    (see :func:`_palette`). The design has three colours and the steps are finer than the
    eye sees at this size, so nothing is lost, and the PNG is a tenth of the work of a
    true-colour one, and a third of its size. It is encoded by :func:`_png`, which
    compresses only the rows something was drawn on."""
    image, drawn = _canvas(title, author, footer)
    return _png(image, drawn)


def _canvas(title: str, author: str, footer: str) -> tuple[Image.Image, list[range]]:
    """The cover's pixels, and the row ranges anything was drawn on (every other row is
    the page's or the band's plain colour)."""
    image = Image.new("P", (WIDTH, HEIGHT), 0)
    image.putpalette(_palette())
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L"                 # anti-aliased: blends the indices, as in "L" mode
    draw.rectangle((0, 0, WIDTH - 1, BAND_BOTTOM - 1), fill=SHADES)
    drawn: list[range] = []
    _block(draw, author, top=300, size=84, max_lines=3, bottom=BAND_BOTTOM - 20,
           ink=2 * SHADES - 1, drawn=drawn)
    _block(draw, title, top=1000, size=132, max_lines=7, bottom=2060, ink=SHADES - 1,
           drawn=drawn)
    draw.rectangle(RULE, fill=2 * SHADES)
    drawn.append(range(RULE[1], RULE[3] + 1))
    if footer:
        _block(draw, footer, top=2230, size=54, max_lines=2, bottom=2480, ink=SHADES - 1,
               drawn=drawn)
    return image, drawn


RULE = (WIDTH // 2 - 110, 2120, WIDTH // 2 + 110, 2130)
ROW_BYTES = WIDTH // 2                  # 4 bits a pixel


def _plain(row: int) -> int:
    """The palette index of an undrawn row."""
    return SHADES if row < BAND_BOTTOM else 0


def _png(image: Image.Image, drawn: list[range]) -> bytes:
    """A 4-bit palette PNG of ``image``, whose rows outside ``drawn`` are plain.

    The image data is one zlib stream cut into pieces that each end on a full flush (byte
    aligned, no back-reference across it), so a run of plain rows is compressed once per
    process and reused (:func:`_plain_rows`), and only the drawn rows -- a third of a
    cover at most -- are packed and compressed. A PNG reader sees an ordinary stream."""
    ink = [False] * HEIGHT
    for rows in drawn:
        for y in rows:
            if 0 <= y < HEIGHT:
                ink[y] = True
    pieces, adler, y = [], 1, 0
    while y < HEIGHT:
        end = y + 1
        while end < HEIGHT and ink[end] == ink[y] and (ink[y] or _plain(end) == _plain(y)):
            end += 1
        if ink[y]:
            packed = image.crop((0, y, WIDTH, end)).tobytes("raw", "P;4")
            raw = b"".join(b"\0" + packed[i:i + ROW_BYTES]
                           for i in range(0, len(packed), ROW_BYTES))
            squeeze = zlib.compressobj(3, zlib.DEFLATED, -15)   # smaller and faster than
            pieces.append(squeeze.compress(raw) + squeeze.flush(zlib.Z_FULL_FLUSH))  # Z_RLE
            adler = zlib.adler32(raw, adler)
        else:
            data, piece_adler = _plain_rows(_plain(y), end - y)
            pieces.append(data)
            adler = _adler32_combine(adler, piece_adler, (end - y) * (ROW_BYTES + 1))
        y = end
    pieces.append(zlib.compressobj(9, zlib.DEFLATED, -15).flush())     # the final block
    stream = b"\x78\x01" + b"".join(pieces) + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 4, 3, 0, 0, 0)
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header),
                     _chunk(b"PLTE", bytes(_palette())), _chunk(b"IDAT", stream),
                     _chunk(b"IEND", b"")))


@lru_cache(maxsize=64)
def _plain_rows(index: int, count: int) -> tuple[bytes, int]:
    """``count`` rows of palette ``index`` (filter byte 0): a deflate piece ending on a full
    flush, and the rows' Adler-32."""
    raw = (b"\0" + bytes([index << 4 | index]) * ROW_BYTES) * count
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_RLE)
    return squeeze.compress(raw) + squeeze.flush(zlib.Z_FULL_FLUSH), zlib.adler32(raw)


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from theirs (zlib's
    adler32_combine, which Python's zlib does not expose)."""
    base = 65521
    rem = second_length % base
    sum1 = first & 0xFFFF
    sum2 = rem * sum1 % base
    sum1 = (sum1 + (second & 0xFFFF) + base - 1) % base
    sum2 = (sum2 + (first >> 16) + (second >> 16) + base - rem) % base
    return sum1 | sum2 << 16


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + \
        struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    """Page to ink, band to paper (:data:`SHADES` steps each), then the band colour."""
    def ramp(under: str, over: str) -> list[int]:
        a, b = ImageColor.getrgb(under), ImageColor.getrgb(over)
        return [round(a[c] + (b[c] - a[c]) * step / (SHADES - 1))
                for step in range(SHADES) for c in range(3)]

    return ramp(BACKGROUND, INK) + ramp(BAND, PAPER) + list(ImageColor.getrgb(BAND)[:3])


def _block(draw: ImageDraw.ImageDraw, text: str, top: int, size: int, max_lines: int,
           bottom: int, ink: int, drawn: list[range]) -> None:
    """Centred lines; the size shrinks until the block fits between top and bottom (no
    more text than a cover can show is measured). The rows each line covers are added to
    ``drawn``."""
    text = text[:MAX_CHARS]
    while True:
        font = _font(size)
        limit = WIDTH - 2 * MARGIN
        lines = balanced_wrap(text, limit, lambda s, f=font: draw.textlength(s, font=f))
        step = int(size * 1.25)
        widest = max((draw.textlength(line, font=font) for line in lines), default=0)
        fits = len(lines) <= max_lines and top + step * len(lines) <= bottom \
            and widest <= limit
        if fits or size <= 24:
            break
        size = int(size * 0.9)
    for i, line in enumerate(lines[:max_lines]):
        xy = (WIDTH // 2, top + i * step)
        draw.text(xy, line, font=font, fill=ink, anchor="ma")
        _, y0, _, y1 = draw.textbbox(xy, line, font=font, anchor="ma")
        drawn.append(range(int(y0) - 2, int(y1) + 2))     # a margin for anti-aliasing
