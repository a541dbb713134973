"""The reproducible zip of an EPUB: ``mimetype`` first and stored, the other entries sorted
and deflated (but the PNG cover, stored), every timestamp the edition's date (clamped to
what a zip can hold); a deflated stream met before in the process written again rather
than deflated again.

Entries are deflated by libdeflate (the ``deflate`` package), not zlib: the same format
(any zip reader inflates it), a third of zlib's time. The bytes are libdeflate's at
:data:`COMPRESS_LEVEL`, the same at every build with the same ``deflate`` package (the
chapter store, which keeps these streams between builds, is keyed by its version and
this level).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass

import deflate

from .memo import BytesBounded

ZIP_FIRST = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
ZIP_LAST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)
# libdeflate's level 5. Measured on the EPUBs of 20 essays in 5 languages (29 MB of
# entries), libdeflate's level 6 took 0.35 CPU s where zlib's level 6 took 1.0, for 0.9%
# more bytes; level 7 is 2.5% smaller than zlib's 6 but takes 0.6 s, level 9 4% smaller
# for 1.6 s. Level 5 against 6: on the shipped essays' chapters (real text, 0.9 MB) 16 %
# less time for 0.6 % more bytes (their EPUBs 0.2 to 0.4 % bigger; 0.5 % more than zlib's
# level 6, in a third of its time); on the synthetic project's pseudo-translated
# chapters (less redundant) 32 % less time for 4.9 % more bytes; level 4 saves a third on
# real text but costs 2.5 % of its bytes.
COMPRESS_LEVEL = 5
# Entries already compressed, stored as they are (OCF allows stored or deflated entries):
# deflating the cover's PNG again took time to gain a few per cent of it.
STORED_SUFFIXES = (".png",)

# Deflated entries by their content: an essay's chapter (and the stylesheet) goes into its
# own EPUB and again into its language's anthology, deflated once. Bounded in bytes (the
# content and its stream), the oldest dropped (the build keeps a chapter's stream on disk
# with it: see epub.essay_chapter). (A chapter its plan job rendered comes as its stream,
# a :class:`Deflated`: see epub.prepare_chapter.)
_DEFLATED: BytesBounded[bytes, tuple[bytes, int]] = BytesBounded(
    64 * 1024 * 1024, lambda content, known: len(content) + len(known[0]))


@dataclass(frozen=True)
class Deflated:
    """An entry's bytes given as their deflated stream (:func:`deflated`'s: libdeflate's
    at :data:`COMPRESS_LEVEL`), their CRC-32 and their size: written as they are, never
    inflated but where zipfile writes the book (see :func:`write_epub`). A chapter
    remembered by the process that rendered it is given so (see writers.epub)."""
    stream: bytes
    crc: int
    size: int

    def inflate(self) -> bytes:
        return bytes(deflate.deflate_decompress(self.stream, self.size))


Content = bytes | Deflated


def zip_stamp(date: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """``date`` as a zip timestamp: zip dates run from 1980 to 2107 only."""
    utc = date.astimezone(dt.UTC)
    return min(max(utc, ZIP_FIRST), ZIP_LAST).timetuple()[:6]


def write_epub(entries: dict[str, Content], date: dt.datetime,
               reuse: frozenset[str] = frozenset()) -> bytes:
    """The EPUB of ``entries`` (path in the zip: bytes, or :class:`Deflated`, whose stream
    is written as it is): ``mimetype`` first and stored,
    the others sorted and deflated (those named with one of :data:`STORED_SUFFIXES`,
    stored), every timestamp ``date``. The entries whose file names
    (without their folder) are in ``reuse`` are likely met again: their deflated streams
    are remembered (see :func:`write_deflated`, which writes every deflated entry).

    The bytes are those :func:`_write_zipfile` has zipfile write; they are written here
    by :func:`_write_direct` (the same headers, packed at once), which leaves the books
    zipfile would write otherwise (ZIP64) to it."""
    names = ["mimetype", *sorted(n for n in entries if n != "mimetype")]
    direct = _write_direct(entries, names, zip_stamp(date), reuse)
    if direct is not None:
        return direct
    return _write_zipfile(entries, names, zip_stamp(date), reuse)


def _stored(name: str) -> bool:
    return name == "mimetype" or name.endswith(STORED_SUFFIXES)


def _write_zipfile(entries: dict[str, Content], names: list[str],
                   stamp: tuple[int, int, int, int, int, int],
                   reuse: frozenset[str]) -> bytes:
    """:func:`write_epub`'s bytes, written by zipfile (and :func:`write_deflated`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            given = entries[name]
            if isinstance(given, Deflated):     # zipfile writes bytes: its stream is
                content = given.inflate()       # given to write_deflated again
                remember_deflated(content, given.stream, given.crc)
            else:
                content = given
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            stored = _stored(name)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            if stored:
                target.writestr(info, content)
            else:
                write_deflated(target, info, content,
                               remember=name.rsplit("/", 1)[-1] in reuse)
    return out.getvalue()


# The zip records zipfile writes (the formats and signatures of its module, which
# tests/test_build_writers.py holds these to): the local header, the central directory's
# entry, its end; every entry is made by zipfile's default version (2.0) on Unix (3)
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_END = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_VERSION = zipfile.DEFAULT_VERSION
_UNIX = 3
_MODE = 0o644 << 16
_UTF8_NAME = 0x800


def _write_direct(entries: dict[str, Content], names: list[str],
                  stamp: tuple[int, int, int, int, int, int],
                  reuse: frozenset[str]) -> bytes | None:
    """:func:`_write_zipfile`'s bytes, each header packed once as zipfile finally leaves
    it (zipfile writes a local header, the data, then seeks back to write the header
    again with the sizes and CRC); None (nothing done) for a book zipfile would write
    otherwise: an entry or the archive past ZIP64's limits, a name zipfile would change
    (a NUL in it, the system's separator where it is not "/")."""
    if len(names) >= zipfile.ZIP_FILECOUNT_LIMIT:
        return None
    year, month, day, hour, minute, second = stamp
    dosdate = (year - 1980) << 9 | month << 5 | day
    dostime = hour << 11 | minute << 5 | second // 2
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    limit = zipfile.ZIP64_LIMIT
    for name in names:
        content = entries[name]
        if isinstance(content, Deflated):
            size = content.size
            if _stored(name):
                content = content.inflate()
        else:
            size = len(content)
        if size * 1.05 > limit or offset > limit or "\0" in name \
                or os.sep != "/" and os.sep in name:        # zipfile would change it
            return None
        if isinstance(content, Deflated):
            method, stream, crc = zipfile.ZIP_DEFLATED, content.stream, content.crc
            if len(stream) > limit:
                return None
        elif _stored(name):
            method, stream, crc = zipfile.ZIP_STORED, content, zlib.crc32(content)
        else:
            known = _DEFLATED.get(content)
            if known is None:
                known = deflated(content)
                if name.rsplit("/", 1)[-1] in reuse:
                    _DEFLATED.put(content, known)
            method, (stream, crc) = zipfile.ZIP_DEFLATED, known
            if len(stream) > limit:
                return None
        if name.isascii():
            encoded, flags = name.encode("ascii"), 0
        else:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        parts.append(_LOCAL.pack(_LOCAL_SIGNATURE, _VERSION, 0, flags, method,
                                 dostime, dosdate, crc, len(stream), size,
                                 len(encoded), 0))
        parts.append(encoded)
        parts.append(stream)
        central.append(_CENTRAL.pack(_CENTRAL_SIGNATURE, _VERSION, _UNIX, _VERSION, 0,
                                     flags, method, dostime, dosdate, crc, len(stream),
                                     size, len(encoded), 0, 0, 0, 0, _MODE, offset))
        central.append(encoded)
        offset += _LOCAL.size + len(encoded) + len(stream)
    directory = b"".join(central)
    if offset > limit or len(directory) > limit:
        return None
    parts.append(directory)
    parts.append(_END.pack(_END_SIGNATURE, 0, 0, len(names), len(names),
                           len(directory), offset, 0))
    return b"".join(parts)


def deflated(content: bytes) -> tuple[bytes, int]:
    """The deflated stream of ``content`` as :func:`write_epub` writes it (libdeflate's raw
    deflate, which zlib inflates), and its CRC-32."""
    known = _DEFLATED.get(content)
    if known is not None:
        return known
    return bytes(deflate.deflate_compress(content, COMPRESS_LEVEL)), deflate.crc32(content)


def remember_deflated(content: bytes, stream: bytes, crc: int) -> None:
    """Give :func:`write_epub` the deflated ``stream`` of ``content`` (kept between
    builds)."""
    _DEFLATED.put(content, (stream, crc))


def write_deflated(target: zipfile.ZipFile, info: zipfile.ZipInfo, content: bytes,
                   remember: bool = True) -> None:
    """``target.writestr(info, content, compresslevel=COMPRESS_LEVEL)`` (``info`` deflated),
    byte for byte but for the deflated stream, which is libdeflate's (:func:`deflated`):
    the one of the same ``content`` written before if there is one (else deflated here
    and remembered if ``remember``). zipfile takes no precompressed data, so its writing
    is reproduced here (a local header with the final sizes and CRC, as zipfile leaves it
    after seeking back; the central directory is zipfile's own, from ``filelist``), which
    also spares zipfile's writer its file object and its second header. Where that is
    not zipfile's way (see :func:`_write_raw`: ZIP64 sizes), zipfile writes the entry,
    deflated by zlib."""
    known = _DEFLATED.get(content)
    if known is None:
        known = deflated(content)
        if remember:
            _DEFLATED.put(content, known)
    if not _write_raw(target, info, content, *known):
        target.writestr(info, content, compresslevel=COMPRESS_LEVEL)


def _write_raw(target: zipfile.ZipFile, info: zipfile.ZipInfo, content: bytes,
               stream: bytes, crc: int) -> bool:
    """What ``ZipFile._open_to_write`` and ``_ZipWriteFile.close`` do for ``info`` on a
    seekable file, with ``stream`` as the deflated ``content``; False (nothing written)
    where that is not zipfile's way (unseekable, ZIP64, another entry open)."""
    t = target
    fp = t.fp
    if (fp is None or info.compress_type != zipfile.ZIP_DEFLATED
            or not getattr(t, "_seekable", False) or getattr(t, "_writing", True)
            or len(content) * 1.05 > zipfile.ZIP64_LIMIT
            or len(stream) > zipfile.ZIP64_LIMIT):
        return False
    info._compresslevel = COMPRESS_LEVEL      # type: ignore[attr-defined]
    info.file_size = len(content)
    info.flag_bits = 0x00
    if not info.external_attr:
        info.external_attr = 0o600 << 16
    fp.seek(t.start_dir)
    info.header_offset = fp.tell()
    t._writecheck(info)                       # type: ignore[attr-defined]
    t._didModify = True                       # type: ignore[attr-defined]
    info.compress_size = len(stream)
    info.CRC = crc
    fp.write(info.FileHeader(False))
    fp.write(stream)
    t.start_dir = fp.tell()
    t.filelist.append(info)
    t.NameToInfo[info.filename] = info
    return True
