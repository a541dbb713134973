"""The raster cover (PNG, 1600 × 2560) that retailers and Kindle conversion need beside the
SVG one: the same design, its text drawn with a font installed on the machine.

The font is DejaVu Serif (Debian's fonts-dejavu-core, installed by the Makefile), else the
font Pillow ships; the same font and Pillow give the same bytes at every build (the PNG, an
4-bit palette of the design's colours and their anti-aliasing steps, is
written without time stamps or other metadata). Lines are balanced (no lone last word) and
a person's name never breaks across lines.
"""
from __future__ import annotations

import io
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
    true-colour one, and a third of its size."""
    image = Image.new("P", (WIDTH, HEIGHT), 0)
    image.putpalette(_palette())
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L"                 # anti-aliased: blends the indices, as in "L" mode
    draw.rectangle((0, 0, WIDTH - 1, BAND_BOTTOM - 1), fill=SHADES)
    _block(draw, author, top=300, size=84, max_lines=3, bottom=BAND_BOTTOM - 20,
           ink=2 * SHADES - 1)
    _block(draw, title, top=1000, size=132, max_lines=7, bottom=2060, ink=SHADES - 1)
    draw.rectangle((WIDTH // 2 - 110, 2120, WIDTH // 2 + 110, 2130), fill=2 * SHADES)
    if footer:
        _block(draw, footer, top=2230, size=54, max_lines=2, bottom=2480, ink=SHADES - 1)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, bits=4, compress_level=9,
               compress_type=zlib.Z_RLE)      # runs of one colour: the fastest deflate
    return out.getvalue()


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    """Page to ink, band to paper (:data:`SHADES` steps each), then the band colour."""
    def ramp(under: str, over: str) -> list[int]:
        a, b = ImageColor.getrgb(under), ImageColor.getrgb(over)
        return [round(a[c] + (b[c] - a[c]) * step / (SHADES - 1))
                for step in range(SHADES) for c in range(3)]

    return ramp(BACKGROUND, INK) + ramp(BAND, PAPER) + list(ImageColor.getrgb(BAND)[:3])


def _block(draw: ImageDraw.ImageDraw, text: str, top: int, size: int, max_lines: int,
           bottom: int, ink: int) -> None:
    """Centred lines; the size shrinks until the block fits between top and bottom (no
    more text than a cover can show is measured)."""
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
        draw.text((WIDTH // 2, top + i * step), line, font=font, fill=ink, anchor="ma")
