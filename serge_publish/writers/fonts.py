"""The fonts the raster cover is drawn with (see :mod:`.raster`).

Its text is drawn with DejaVu Serif (Debian's fonts-dejavu-core, installed by the
Makefile), which has glyphs for the Latin, Greek and Cyrillic scripts but none for
Japanese, Chinese, Korean, Arabic, Hebrew, Devanagari... A title in one of those drawn with
it would be a row of empty boxes (".notdef"), which no retailer would take. So each block of
the cover's text (title, names, publisher) is drawn with the first font that has a glyph
for every one of its characters: DejaVu Serif, else the installed fonts found in the
usual folders (:data:`FONT_DIRS`: Debian's packages, a user's own), upright regular faces
only, serif faces first, then by path. A collection (``.ttc``) holding a face made for the
edition's language (Noto CJK's "JP", "KR", "SC", "TC" and "HK") gives that face: the same
character is drawn differently in Japan and in China. When no font has them all, the
block is drawn with DejaVu Serif and the characters it lacks are reported
(:func:`missing`, the build's ``build.cover-glyphs`` warning) with what to install.

Which fonts are installed shapes the covers' bytes, so :func:`fingerprint` (every file
found, with its size) is part of the key of every EPUB (``build_render.Renderer``):
installing, removing or upgrading a font rebuilds the EPUBs, not the pages.

The characters a font has glyphs for are read from its character map's bytes (runs of
code points: :func:`_coverage`; fontTools only finds the tables), once a process a font,
and only when a text has a character outside printable ASCII.
"""
from __future__ import annotations

import bisect
import hashlib
import os
import re
import struct
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

PRIMARY_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
                 Path("/usr/share/fonts/TTF/DejaVuSerif.ttf"),
                 Path("/usr/local/share/fonts/DejaVuSerif.ttf"))
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
             Path("~/.local/share/fonts"), Path("~/.fonts"))
SUFFIXES = frozenset({".ttf", ".otf", ".ttc"})
# Faces that are not the upright regular one, by their file's name (the regular face of a
# family is the one a cover's text is set in).
NOT_REGULAR = re.compile(r"bold|italic|oblique|light|thin|black|heavy|medium|semi|demi|"
                         r"extra|ultra|condensed|narrow|mono|math|emoji|symbol",
                         re.IGNORECASE)
SERIF = re.compile(r"serif|mincho|song|ming|naskh|times", re.IGNORECASE)
SANS = re.compile(r"sans", re.IGNORECASE)
# The face a CJK collection holds for a language, by the region its name ends with.
REGIONS = {"ja": "JP", "ko": "KR", "zh-hant": "TC", "zh-tw": "TC", "zh-hk": "HK",
           "zh-mo": "HK", "zh": "SC"}
# Debian's package with fonts for a character, for the message when no font has it:
# Noto CJK for the blocks of Chinese, Japanese and Korean (radicals to Yi, Hangul, the
# compatibility ideographs and forms, half- and full-width forms, the supplementary
# ideographic planes), Noto for the other scripts.
CJK_RANGES = ((0x2E80, 0xA4CF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
              (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
CJK_PACKAGE, DEFAULT_PACKAGE = "fonts-noto-cjk", "fonts-noto-core"

Face = tuple[str, int]          # a font file and the face's index in it (a .ttc has several)


@lru_cache(maxsize=1)
def primary() -> Face | None:
    """DejaVu Serif, None when it is not installed (Pillow's own font is then used)."""
    return next(((str(p), 0) for p in PRIMARY_FILES if p.is_file()), None)


@lru_cache(maxsize=1)
def installed() -> tuple[Path, ...]:
    """The regular font files in :data:`FONT_DIRS`, serif ones first, then by path."""
    found: set[Path] = set()
    for folder in FONT_DIRS:
        try:
            folder = folder.expanduser()
        except RuntimeError:            # (no home folder known: HOME unset)
            continue
        for top, dirs, files in os.walk(folder):
            dirs.sort()
            for name in files:
                path = Path(top, name)
                if path.suffix.lower() in SUFFIXES and not NOT_REGULAR.search(path.stem):
                    found.add(path)
    return tuple(sorted(found, key=lambda p: (not (SERIF.search(p.stem)
                                                   and not SANS.search(p.stem)), str(p))))


def load() -> None:
    """Read the primary font's glyphs now (a build does before forking its workers)."""
    face = primary()
    if face is not None:
        _faces(face[0])


def fingerprint() -> str:
    """What decides the fonts a cover is drawn with: the primary font, and every font
    file found with its size (a font installed, removed or upgraded changes it)."""
    lines = [repr(primary())]
    for path in installed():
        try:
            lines.append(f"{path}\t{path.stat().st_size}")
        except OSError:
            lines.append(f"{path}\t?")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


# The code points a face has glyphs for, as runs: the first and the last of each run, in
# order (a CJK face's 65,000 characters are a few thousand runs).
Coverage = tuple[tuple[int, ...], tuple[int, ...]]
_NONE: Coverage = ((), ())
# The subtables of a character map in the order fontTools' getBestCmap prefers them
# (Unicode full repertoire first), by platform and encoding.
_PREFERRED = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


@cache
def _faces(path: str) -> tuple[tuple[int, str, Coverage], ...]:
    """Each face of a font file: its index, its name and the code points it has glyphs
    for (:data:`Coverage`); none when the file cannot be read as a font.

    The character map is read from its bytes (:func:`_coverage`), not through fontTools'
    tables: those map every character to a glyph's name, hundreds of megabytes and
    seconds for a Noto CJK collection, which a build's every process would read as soon as
    one title has a character DejaVu Serif lacks (the benchmark's ⟦ ⟧), where the runs of
    characters cost a few milliseconds. Faces sharing a character map (the regions of a
    CJK collection) read it once."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError
    faces = []
    read: dict[bytes, Coverage] = {}
    try:
        fonts = list(TTCollection(path, lazy=True)) if path.lower().endswith(".ttc") \
            else [TTFont(path, lazy=True)]
        for i, font in enumerate(fonts):
            table = font.getTableData("cmap")
            coverage = read.get(table)
            if coverage is None:
                coverage = read[table] = _coverage(table) or _coverage_of(font)
            faces.append((i, str(font["name"].getDebugName(4) or ""), coverage))
    except (TTLibError, OSError, KeyError, ValueError, AssertionError, IndexError,
            TypeError, AttributeError, UnicodeError, struct.error):
        return ()
    return tuple(faces)


def _coverage(cmap: bytes) -> Coverage | None:
    """The code points a character map (the bytes of a font's ``cmap`` table) gives a glyph
    other than .notdef, from the subtable getBestCmap would take; None when that subtable
    is of a format read only by fontTools (not 4 nor 12: :func:`_coverage_of`)."""
    _, count = struct.unpack_from(">HH", cmap, 0)
    offsets: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        offsets.setdefault((platform, encoding), offset)
    offset = next((offsets[key] for key in _PREFERRED if key in offsets), None)
    if offset is None:
        return _NONE
    kind = struct.unpack_from(">H", cmap, offset)[0]
    if kind == 12:
        groups = struct.unpack_from(">I", cmap, offset + 12)[0]
        runs = [(start + (glyph == 0), end) for start, end, glyph in struct.iter_unpack(
            ">III", cmap[offset + 16:offset + 16 + 12 * groups])]
    elif kind == 4:
        runs = _format_4(cmap, offset)
    else:
        return None
    return _merged(runs)


def _format_4(cmap: bytes, offset: int) -> list[tuple[int, int]]:
    """The runs of code points of a format 4 subtable (segments of the BMP, each mapped by
    a delta, or through an array of glyph ids) that have a glyph other than 0."""
    n = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
    ends = struct.unpack_from(f">{n}H", cmap, offset + 14)
    starts = struct.unpack_from(f">{n}H", cmap, offset + 16 + 2 * n)
    deltas = struct.unpack_from(f">{n}H", cmap, offset + 16 + 4 * n)
    ranges_at = offset + 16 + 6 * n
    range_offsets = struct.unpack_from(f">{n}H", cmap, ranges_at)
    runs: list[tuple[int, int]] = []
    for i, (start, end, delta, range_offset) in enumerate(
            zip(starts, ends, deltas, range_offsets, strict=True)):
        if start > end:
            continue
        if not range_offset:              # glyph (c + delta) mod 65536: 0 for one c at most
            notdef = -delta & 0xFFFF
            runs += [(start, end)] if not start <= notdef <= end else \
                [(start, notdef - 1), (notdef + 1, end)]
            continue
        at = ranges_at + 2 * i + range_offset
        ids = struct.unpack_from(f">{end - start + 1}H", cmap, at)
        runs += [(start + k, start + k) for k, glyph in enumerate(ids)
                 if glyph and (glyph + delta) & 0xFFFF]
    return runs


def _coverage_of(font) -> Coverage:
    """:func:`_coverage` of a character map of another format, as fontTools reads it."""
    return _merged([(c, c) for c, glyph in (font.getBestCmap() or {}).items()
                    if glyph != ".notdef"])


def _merged(runs: list[tuple[int, int]]) -> Coverage:
    """Runs of code points in order, those that touch or overlap joined."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(r for r in runs if r[0] <= r[1]):
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return tuple(starts), tuple(ends)


def _covers(coverage: Coverage, code: int) -> bool:
    starts, ends = coverage
    i = bisect.bisect_right(starts, code) - 1
    return i >= 0 and code <= ends[i]


def _has(face: Face) -> Coverage:
    """The code points ``face`` has glyphs for."""
    return next((has for i, _, has in _faces(face[0]) if i == face[1]), _NONE)


def _all_in(need: frozenset[int], coverage: Coverage) -> bool:
    return all(_covers(coverage, c) for c in need)


def _needed(text: str) -> frozenset[int]:
    """The characters of ``text`` a font must draw: not spaces, nor controls and format
    characters (bidi marks, joiners, a soft hyphen), which draw nothing."""
    return frozenset(ord(c) for c in text
                     if unicodedata.category(c) not in ("Zs", "Zl", "Zp", "Cc", "Cf"))


def _region(lang: str) -> str:
    lang = lang.lower()
    while lang:
        if lang in REGIONS:
            return REGIONS[lang]
        lang = lang.rpartition("-")[0]
    return ""


@lru_cache(maxsize=4096)
def face_for(text: str, lang: str = "") -> Face | None:
    """The face ``text`` is drawn with on a cover of language ``lang`` (see the module's
    docstring); None for Pillow's own font."""
    first = primary()
    need = _needed(text)
    if all(c < 0x7F for c in need) or (first is not None and _all_in(need, _has(first))):
        return first            # (printable ASCII: any font, Pillow's own too)
    region = _region(lang)
    for path in installed():
        covering = [(i, name) for i, name, has in _faces(str(path)) if _all_in(need, has)]
        if covering:
            best = next((i for i, name in covering
                         if region and name.upper().endswith(f" {region}")), covering[0][0])
            return str(path), best
    return first


def missing(text: str, lang: str = "") -> str:
    """The characters of ``text`` the face it is drawn with has no glyph for, each once,
    in order; "" when it has them all."""
    face = face_for(text, lang)
    need = _needed(text)
    has = ((0x20,), (0x7E,)) if face is None else _has(face)
    return "".join(dict.fromkeys(c for c in text if ord(c) in need and not _covers(has, ord(c))))


def package_for(chars: str) -> str:
    """The Debian package with fonts for ``chars`` (Noto CJK when one is Chinese,
    Japanese or Korean: see :data:`CJK_RANGES`)."""
    if any(low <= ord(c) <= high for c in chars for low, high in CJK_RANGES):
        return CJK_PACKAGE
    return DEFAULT_PACKAGE
