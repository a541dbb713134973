"""The reproducible zip of an EPUB: ``mimetype`` first and stored, the other entries sorted
and deflated, every timestamp the edition's date (clamped to what a zip can hold), and two
patches EbookLib cannot make itself: ``xml:lang`` on the OPF ``<package>`` (Ace wants it)
and, for a language without a furniture table, ``lang="en"`` on the English words of the
navigation document ("Contents", "Guide", "Title page"...).
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree

from .. import languages

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ZIP_FIRST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
ZIP_LAST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)
COMPRESS_LEVEL = 6      # zlib's default: level 9 costs twice the time for ~1% of the size


def zip_stamp(date: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """``date`` as a zip timestamp: zip dates run from 1980 to 2107 only."""
    utc = date.astimezone(dt.UTC)
    return min(max(utc, ZIP_FIRST), ZIP_LAST).timetuple()[:6]


def rezip(data: bytes, date: dt.datetime, lang: str,
          english: frozenset[str] = frozenset(), generator: str = "") -> bytes:
    """The same EPUB with fixed timestamps and order, ``xml:lang`` on ``<package>``; the
    ``english`` strings of the navigation document marked as English."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(n for n in source.namelist() if n != "mimetype")
    stamp = zip_stamp(date)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ["mimetype", *names]:
            content = source.read(name)
            if name.endswith(".opf"):
                content = patch_opf(content, lang, generator)
            elif name.endswith("/nav.xhtml"):
                content = patch_nav(content, english, lang)
            elif name.endswith(".ncx"):
                content = patch_ncx(content)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" \
                else zipfile.ZIP_DEFLATED
            target.writestr(info, content, compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


def patch_opf(content: bytes, lang: str, generator: str = "") -> bytes:
    """``xml:lang`` on <package>; the generator named (EbookLib names itself)."""
    root = etree.fromstring(content)
    root.set(XML_LANG, lang)
    for meta in root.iter("{*}meta"):
        if meta.get("name") == "generator" and generator:
            meta.set("content", generator)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def patch_ncx(content: bytes) -> bytes:
    """``dtb:depth`` as deep as the navMap goes (EbookLib writes 0)."""
    root = etree.fromstring(content)
    depth = max((len([a for a in p.iterancestors("{*}navPoint")]) + 1
                 for p in root.iter("{*}navPoint")), default=1)
    for meta in root.iter("{*}meta"):
        if meta.get("name") == "dtb:depth":
            meta.set("content", str(depth))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def patch_nav(content: bytes, english: frozenset[str], lang: str) -> bytes:
    """The landmarks are for reading systems, not readers: ``hidden``; English words
    marked (see :func:`mark_english`)."""
    if english:
        content = mark_english(content, english, lang)
    root = etree.fromstring(content)
    for nav in root.iter("{*}nav"):
        if nav.get("{http://www.idpf.org/2007/ops}type") == "landmarks":
            nav.set("hidden", "hidden")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8",
                          doctype="<!DOCTYPE html>")


def mark_english(content: bytes, english: frozenset[str], lang: str) -> bytes:
    """Every element of an XHTML document whose whole text is one of ``english`` gets
    ``lang``/``xml:lang="en"`` (and ``dir`` when the book's direction differs)."""
    root = etree.fromstring(content)
    for el in root.iter("{*}title", "{*}h1", "{*}h2", "{*}a", "{*}span"):
        if len(el) == 0 and (el.text or "").strip() in english:
            el.set("lang", "en")
            el.set(XML_LANG, "en")
            if languages.direction(lang) != "ltr":
                el.set("dir", "ltr")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8",
                          doctype="<!DOCTYPE html>")
