"""The raster cover (PNG, 1600 × 2560) that retailers and Kindle conversion need beside the
SVG one: the same design, its text drawn with a font installed on the machine.

The font is DejaVu Serif (Debian's fonts-dejavu-core, installed by the Makefile), else the
font Pillow ships; the same font and Pillow give the same bytes at every build (the PNG is
written without time stamps or other metadata). Lines are balanced (no lone last word) and
a person's name never breaks across lines.
"""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .cover import balanced_wrap

WIDTH, HEIGHT = 1600, 2560
BACKGROUND, BAND, INK, PAPER = "#f4efe6", "#7a1f1f", "#1d1d1b", "#f4efe6"
MARGIN = 140
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
    foot. ``author`` should keep each name together (see :func:`cover.keep_together`)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 760), fill=BAND)
    _block(draw, author, top=300, size=84, fill=PAPER, max_lines=3, bottom=740)
    _block(draw, title, top=1000, size=132, fill=INK, max_lines=7, bottom=2060)
    draw.rectangle((WIDTH // 2 - 110, 2120, WIDTH // 2 + 110, 2130), fill=BAND)
    if footer:
        _block(draw, footer, top=2230, size=54, fill=INK, max_lines=2, bottom=2480)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=9)
    return out.getvalue()


def _block(draw: ImageDraw.ImageDraw, text: str, top: int, size: int, fill: str,
           max_lines: int, bottom: int) -> None:
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
        draw.text((WIDTH // 2, top + i * step), line, font=font, fill=fill, anchor="ma")
