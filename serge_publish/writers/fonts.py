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

The glyphs a font has are read from its character map with fontTools, once a process a
font, and only when a text has a character outside printable ASCII.
"""
from __future__ import annotations

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


@cache
def _faces(path: str) -> tuple[tuple[int, str, frozenset[int]], ...]:
    """Each face of a font file: its index, its name and the code points it has glyphs
    for; none when fontTools cannot read the file."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError
    try:
        fonts = list(TTCollection(path, lazy=True)) if path.lower().endswith(".ttc") \
            else [TTFont(path, lazy=True)]
        return tuple((i, str(font["name"].getDebugName(4) or ""),
                      frozenset(font.getBestCmap() or ()))
                     for i, font in enumerate(fonts))
    except (TTLibError, OSError, KeyError, ValueError, AssertionError, IndexError,
            TypeError, AttributeError, UnicodeError, struct.error):
        return ()


def _has(face: Face) -> frozenset[int]:
    """The code points ``face`` has glyphs for."""
    return next((has for i, _, has in _faces(face[0]) if i == face[1]), frozenset())


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
    if all(c < 0x7F for c in need) or (first is not None and need <= _has(first)):
        return first            # (printable ASCII: any font, Pillow's own too)
    region = _region(lang)
    for path in installed():
        covering = [(i, name) for i, name, has in _faces(str(path)) if need <= has]
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
    has = frozenset(range(0x20, 0x7F)) if face is None else _has(face)
    return "".join(dict.fromkeys(c for c in text if ord(c) in need and ord(c) not in has))


def package_for(chars: str) -> str:
    """The Debian package with fonts for ``chars`` (Noto CJK when one is Chinese,
    Japanese or Korean: see :data:`CJK_RANGES`)."""
    if any(low <= ord(c) <= high for c in chars for low, high in CJK_RANGES):
        return CJK_PACKAGE
    return DEFAULT_PACKAGE
