"""The raster cover (PNG, 1600 × 2560) that retailers and Kindle conversion need beside the
SVG one: the same design, its text drawn with a font installed on the machine.

The font is DejaVu Serif (Debian's fonts-dejavu-core, installed by the Makefile), else the
font Pillow ships; a block of text it has no glyphs for (Japanese, Arabic...) is drawn with
an installed font that has them (:mod:`.fonts`). The same fonts, Pillow and zlib give the
same bytes at every build (the PNG, a 4-bit palette of the design's colours and their
anti-aliasing steps, is written by :func:`_png`, without time stamps or other metadata).
Lines are balanced (no lone last word) and a person's name never breaks across lines.
"""
from __future__ import annotations

import hashlib
import itertools
import struct
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import deflate
from PIL import Image, ImageColor, ImageDraw, ImageFont

from . import fonts
from .cover import balanced_wrap
from .fonts import Face
from .memo import BytesBounded

WIDTH, HEIGHT = 1600, 2560
BACKGROUND, BAND, INK, PAPER = "#f4efe6", "#7a1f1f", "#1d1d1b", "#f4efe6"
MARGIN = 140
BAND_BOTTOM = 760          # the band: rows 0 to 759
SHADES = 7                # anti-aliasing steps from a colour to the text on it: with the
                          # band colour, 15 colours, a 4-bit palette
MAX_CHARS = 600

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont | ImageFont.TransposedFont


def font_file() -> Path | None:
    """The serif font the cover is drawn with, None when only Pillow's own is there (a
    text it has no glyphs for is drawn with another: see :mod:`.fonts`)."""
    face = fonts.primary()
    return Path(face[0]) if face is not None else None


@lru_cache(maxsize=32)
def _font(size: int, face: Face | None = None) -> Font:
    """The font of ``face`` (see fonts.face_for; None: Pillow's own) at ``size``."""
    font = ImageFont.truetype(face[0], size, index=face[1]) if face is not None \
        else ImageFont.load_default(size=size)
    if isinstance(font, ImageFont.FreeTypeFont):
        which = (face, size)
        font.getmask2 = _remembered(font.getmask2, _MASKS, which)  # type: ignore[method-assign]
        font.getbbox = _remembered(font.getbbox, _BOXES, which)    # type: ignore[method-assign]
    return font


# The glyphs of a line of text as FreeType draws them (ImageDraw.text asks the font for
# them: most of a cover's time), and its box (where it is measured), by the line and
# everything else the font is asked with: a line met before (a title's words again in
# another title, a name) is not drawn again. Bounded in pixels, the oldest dropped.
_MASKS: BytesBounded[tuple, tuple] = BytesBounded(
    16 * 1024 * 1024, lambda _, known: known[0].size[0] * known[0].size[1] + 64)
_BOXES: BytesBounded[tuple, tuple] = BytesBounded(4096, lambda _key, _box: 1)


def _remembered(method: Callable[..., tuple], memo: BytesBounded[tuple, tuple],
                font: tuple[Face | None, int]) -> Callable[..., tuple]:
    """``method`` of the ``font`` (its face and size), its answers remembered in ``memo``
    (but a colour mask's, which ImageDraw changes: any other is only read)."""
    def remembered(*args: object, **kwargs: object) -> tuple:
        if "RGBA" in args or "RGBA" in kwargs.values():
            return method(*args, **kwargs)
        try:
            key = (font, args, tuple(sorted(kwargs.items())))
            known = memo.get(key)
        except TypeError:                       # something unhashable (a features list)
            return method(*args, **kwargs)
        if known is None:
            known = method(*args, **kwargs)
            memo.put(key, known)
        return known
    return remembered


# The text blocks: where each starts, its largest size, how many lines it may take, where
# it must end, and its ink (the last palette index of its background's ramp).
AUTHOR = (300, 84, 3, BAND_BOTTOM - 20, 2 * SHADES - 1)
TITLE = (1000, 132, 7, 2060, SHADES - 1)
FOOTER = (2230, 54, 2, 2480, SHADES - 1)
RULE = (WIDTH // 2 - 110, 2120, WIDTH // 2 + 110, 2130)
ROW_BYTES = WIDTH // 2                  # 4 bits a pixel

Block = tuple[int, int, int, int, int]
Run = tuple[int, int, bytes, int]       # rows start to stop: their deflate piece, Adler-32
# zlib's level for the drawn rows (level 3 and Z_RLE are faster but larger): the EPUB
# stores the PNG as it is (writers.epubzip), so its bytes are the book's. On the drawn
# rows of 40 covers, level 5 is 14% smaller than level 3 for 0.2 ms more a run of rows
# (each compressed once in a process), level 6 20% smaller for 0.6 ms more.
PIECE_LEVEL = 5
# The last block of the image data: empty, fixed codes, final (zlib's flush of nothing).
FINAL_BLOCK = b"\x03\x00"


def cover_png(title: str, author: str, footer: str = "", lang: str = "") -> bytes:
    """The cover as PNG bytes: author in the band, title below it, the publisher at the
    foot. ``author`` should keep each name together (see :func:`cover.keep_together`).
    Each block is drawn with a font that has its characters (see :mod:`.fonts`; ``lang``,
    the book's language, chooses among the faces of a CJK collection).

    The picture is drawn in palette indices: the page is index 0, the band SHADES, and
    text is drawn anti-aliased with the last index of its background's ramp, so each pixel
    lands on one of :data:`SHADES` steps between the colour under the text and the text's
    (see :func:`_palette`). The design has three colours and the steps are finer than the
    eye sees at this size, so nothing is lost, and the PNG is a tenth of the work of a
    true-colour one, and a third of its size. It is encoded by :func:`_encode`, which
    compresses only the rows something was drawn on.

    Each block of text (and the rule) is drawn and compressed on its own strip of rows
    (:func:`_strip`), remembered in the process: the publisher's line is the same on every
    cover, an author's name on each of their editions. The bytes are those of drawing
    the whole cover (:func:`_canvas`) and encoding it (:func:`_png`), which is what is
    done when two blocks' rows touch."""
    blocks = [(author, AUTHOR), (title, TITLE)] + ([(footer, FOOTER)] if footer else [])
    runs = sorted([run for text, block in blocks
                   for run in _strip(text[:MAX_CHARS], block,
                                     fonts.face_for(text[:MAX_CHARS], lang))]
                  + list(_rule_strip()))
    if any(a[1] >= b[0] for a, b in itertools.pairwise(runs)):
        return _png(*_canvas(title, author, footer, lang))
    return _encode(runs)


def _canvas(title: str, author: str, footer: str, lang: str = ""
            ) -> tuple[Image.Image, list[range]]:
    """The cover's pixels, and the row ranges anything was drawn on (every other row is
    the page's or the band's plain colour)."""
    image = Image.new("P", (WIDTH, HEIGHT), 0)
    image.putpalette(_palette())
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L"                 # anti-aliased: blends the indices, as in "L" mode
    draw.rectangle((0, 0, WIDTH - 1, BAND_BOTTOM - 1), fill=SHADES)
    drawn: list[range] = []
    _block(draw, author, AUTHOR, drawn, lang)
    _block(draw, title, TITLE, drawn, lang)
    draw.rectangle(RULE, fill=2 * SHADES)
    drawn.append(range(RULE[1], RULE[3] + 1))
    if footer:
        _block(draw, footer, FOOTER, drawn, lang)
    return image, drawn


def _plain(row: int) -> int:
    """The palette index of an undrawn row."""
    return SHADES if row < BAND_BOTTOM else 0


def _png(image: Image.Image, drawn: list[range]) -> bytes:
    """A 4-bit palette PNG of ``image``, whose rows outside ``drawn`` are plain."""
    return _encode([(r.start, r.stop, *_ink_piece(image, r.start, r.stop))
                    for r in _runs(drawn)])


def _runs(drawn: list[range]) -> list[range]:
    """The rows of ``drawn`` (within the cover) as runs of consecutive rows, in order."""
    runs: list[range] = []
    for r in sorted((max(r.start, 0), min(r.stop, HEIGHT)) for r in drawn):
        start, stop = r
        if start >= stop:
            continue
        if runs and runs[-1].stop >= start:
            runs[-1] = range(runs[-1].start, max(runs[-1].stop, stop))
        else:
            runs.append(range(start, stop))
    return runs


def _ink_piece(image: Image.Image, top: int, stop: int) -> tuple[bytes, int]:
    """The rows ``top`` to ``stop`` of ``image`` with their filter bytes, as a deflate
    piece ending on a full flush, and their Adler-32."""
    raw = _packed(image, top, stop)
    rows = hashlib.blake2b(raw, digest_size=20).digest()
    known = _PIECES.get(rows)
    if known is None:
        known = _piece(raw)
        _PIECES.put(rows, known)
    return known


def _packed(image: Image.Image, top: int, stop: int) -> bytes:
    """The rows ``top`` to ``stop`` of ``image`` packed as the PNG holds them."""
    # Two pixels of index 0 left of the picture: each packed row starts with a 0 byte,
    # PNG's filter type "none".
    return image.crop((-2, top, WIDTH, stop)).tobytes("raw", "P;4")


def _piece(raw: bytes) -> tuple[bytes, int]:
    """Packed rows as a deflate piece ending on a full flush, and their Adler-32."""
    squeeze = zlib.compressobj(PIECE_LEVEL, zlib.DEFLATED, -15)
    return squeeze.compress(raw) + squeeze.flush(zlib.Z_FULL_FLUSH), deflate.adler32(raw)


# Deflate pieces by a digest of the rows they hold (the rows themselves weigh ten times
# their piece): a line of text drawn alone on its rows (its block's other lines apart
# from it) is the same rows wherever it is met again.
_PIECES: BytesBounded[bytes, tuple[bytes, int]] = BytesBounded(
    8 * 1024 * 1024, lambda _rows, known: 64 + len(known[0]))


def _encode(runs: list[Run]) -> bytes:
    """The PNG whose drawn rows are ``runs`` (in order, apart) and every other row plain.

    The image data is one zlib stream cut into pieces that each end on a full flush (byte
    aligned, no back-reference across it), so a run of plain rows is compressed once per
    process and reused (:func:`_plain_rows`), and only the drawn rows -- a third of a
    cover at most -- are packed and compressed. A PNG reader sees an ordinary stream."""
    pieces: list[bytes] = []
    adler, y = 1, 0

    def add(piece: bytes, piece_adler: int, rows: int) -> None:
        nonlocal adler
        pieces.append(piece)
        adler = _adler32_combine(adler, piece_adler, rows * (ROW_BYTES + 1))

    def plain(stop: int) -> None:
        nonlocal y
        while y < stop:
            end = min(stop, BAND_BOTTOM) if y < BAND_BOTTOM else stop
            add(*_plain_rows(_plain(y), end - y), end - y)
            y = end

    for start, stop, piece, piece_adler in runs:
        plain(start)
        add(piece, piece_adler, stop - start)
        y = stop
    plain(HEIGHT)
    pieces.append(FINAL_BLOCK)
    stream = b"\x78\x01" + b"".join(pieces) + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 4, 3, 0, 0, 0)
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header),
                     _chunk(b"PLTE", bytes(_palette())), _chunk(b"IDAT", stream),
                     _chunk(b"IEND", b"")))


@lru_cache(maxsize=256)
def _strip(text: str, block: Block, face: Face | None) -> tuple[Run, ...]:
    """The drawn rows of one block of text, drawn alone on the rows it covers (over their
    plain colour) and compressed: what the whole cover has in those rows. A run of rows
    drawn from the same lines before (:func:`_run_key`: a title's line met in another
    title) is taken from :data:`_DRAWN`; only the lines of the others are drawn."""
    lines, drawn = _layout(text, block, face)
    runs = _runs(drawn)
    if not runs:
        return ()
    keys = [_run_key(run, lines, drawn, face, block[4]) for run in runs]
    pieces = [_DRAWN.get(key) for key in keys]
    missing = [run for run, piece in zip(runs, pieces, strict=True) if piece is None]
    if missing:         # only the lines on the runs not met before are drawn
        top, stop = missing[0].start, missing[-1].stop
        image = _blank(top, stop)
        draw = ImageDraw.Draw(image)
        draw.fontmode = "L"
        for ((x, y), line, size), rows in zip(lines, drawn, strict=True):
            if any(rows.start < run.stop and run.start < rows.stop for run in missing):
                draw.text((x, y - top), line, font=_font(size, face), fill=block[4],
                          anchor="ma")
        for i, (run, key) in enumerate(zip(runs, keys, strict=True)):
            if pieces[i] is None:
                # compressed as they are, not looked for by their digest in _PIECES
                # (what _ink_piece does): rows drawn from other lines are other rows,
                # and the digest of a run took a tenth of its compressing
                pieces[i] = piece = _piece(_packed(image, run.start - top, run.stop - top))
                _DRAWN.put(key, piece)
    return tuple((run.start, run.stop, *piece)
                 for run, piece in zip(runs, pieces, strict=True) if piece is not None)


def _run_key(run: range, lines: list[tuple[tuple[int, int], str, int]],
             drawn: list[range], face: Face | None, ink: int) -> tuple:
    """What the rows of ``run`` are drawn from: their number, how many of them are the
    band's, the font, and the lines drawn on them (where each is drawn from the run's
    first row, its text and size) with their ink. A line's glyphs stay within the rows
    :func:`_layout` gives it (``drawn``, parallel to ``lines``), which the rows of another
    run never touch (see :func:`_runs`)."""
    on_run = tuple((x, y - run.start, line, size)
                   for ((x, y), line, size), rows in zip(lines, drawn, strict=True)
                   if rows.start < run.stop and run.start < rows.stop)
    band = min(max(BAND_BOTTOM - run.start, 0), len(run))
    return (len(run), band, face, ink, on_run)


# Deflate pieces (and their Adler-32) of runs of rows by what they are drawn from (see
# :func:`_run_key`): a line met before in another block (a title's line again, a name)
# is neither drawn nor packed again, nor are its rows hashed to find their piece.
_DRAWN: BytesBounded[tuple, tuple[bytes, int]] = BytesBounded(
    8 * 1024 * 1024, lambda key, known: 256 + len(known[0]))


@lru_cache(maxsize=1)
def _rule_strip() -> tuple[Run, ...]:
    """The rule's rows, as :func:`_strip` gives a block's."""
    top, stop = RULE[1], RULE[3] + 1
    image = _blank(top, stop)
    ImageDraw.Draw(image).rectangle((RULE[0], 0, RULE[2], RULE[3] - top), fill=2 * SHADES)
    return ((top, stop, *_ink_piece(image, 0, stop - top)),)


def _blank(top: int, stop: int) -> Image.Image:
    """Rows ``top`` to ``stop`` of the cover before any text: their plain colour."""
    image = Image.new("P", (WIDTH, stop - top), 0)
    image.putpalette(_palette())
    if top < BAND_BOTTOM:
        ImageDraw.Draw(image).rectangle((0, 0, WIDTH - 1, min(stop, BAND_BOTTOM) - top - 1),
                                        fill=SHADES)
    return image


@lru_cache(maxsize=64)
def _plain_rows(index: int, count: int) -> tuple[bytes, int]:
    """``count`` rows of palette ``index`` (filter byte 0): a deflate piece ending on a full
    flush, and the rows' Adler-32."""
    raw = (b"\0" + bytes([index << 4 | index]) * ROW_BYTES) * count
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_RLE)
    return squeeze.compress(raw) + squeeze.flush(zlib.Z_FULL_FLUSH), deflate.adler32(raw)


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
        struct.pack(">I", deflate.crc32(data, deflate.crc32(kind)))


@lru_cache(maxsize=1)
def _palette() -> list[int]:
    """Page to ink, band to paper (:data:`SHADES` steps each), then the band colour."""
    def ramp(under: str, over: str) -> list[int]:
        a, b = ImageColor.getrgb(under), ImageColor.getrgb(over)
        return [round(a[c] + (b[c] - a[c]) * step / (SHADES - 1))
                for step in range(SHADES) for c in range(3)]

    return ramp(BACKGROUND, INK) + ramp(BAND, PAPER) + list(ImageColor.getrgb(BAND)[:3])


@lru_cache(maxsize=1)
def _measurer() -> ImageDraw.ImageDraw:
    """Where text is measured: as on the cover (a palette image, anti-aliased text)."""
    draw = ImageDraw.Draw(Image.new("P", (1, 1), 0))
    draw.fontmode = "L"
    return draw


@lru_cache(maxsize=4096)
def _length(text: str, size: int, face: Face | None) -> float:
    return _measurer().textlength(text, font=_font(size, face))


def _layout(text: str, block: Block, face: Face | None
            ) -> tuple[list[tuple[tuple[int, int], str, int]], list[range]]:
    """Centred lines, each with where it is drawn and its size; the size shrinks until
    the block fits between its top and bottom (no more text than a cover can show is
    measured). And the rows each line covers."""
    top, size, max_lines, bottom, _ = block
    text = text[:MAX_CHARS]
    limit = WIDTH - 2 * MARGIN
    while True:
        lines = balanced_wrap(text, limit, lambda s, z=size: _length(s, z, face))
        step = int(size * 1.25)
        widest = max((_length(line, size, face) for line in lines), default=0)
        fits = len(lines) <= max_lines and top + step * len(lines) <= bottom \
            and widest <= limit
        if fits or size <= 24:
            break
        size = int(size * 0.9)
    placed, drawn = [], []
    font = _font(size, face)
    for i, line in enumerate(lines[:max_lines]):
        xy = (WIDTH // 2, top + i * step)
        placed.append((xy, line, size))
        _, y0, _, y1 = _measurer().textbbox(xy, line, font=font, anchor="ma")
        drawn.append(range(int(y0) - 2, int(y1) + 2))     # a margin for anti-aliasing
    return placed, drawn


def _block(draw: ImageDraw.ImageDraw, text: str, block: Block, drawn: list[range],
           lang: str = "") -> None:
    """A block of text drawn on the whole cover (see :func:`_layout`); the rows each line
    covers are added to ``drawn``."""
    text = text[:MAX_CHARS]
    face = fonts.face_for(text, lang)
    lines, rows = _layout(text, block, face)
    for xy, line, size in lines:
        draw.text(xy, line, font=_font(size, face), fill=block[4], anchor="ma")
    drawn.extend(rows)
