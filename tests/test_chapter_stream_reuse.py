"""``build --force`` renders every chapter again, but deflates none it finds it already
has (issue 8): the record it forgot holds the stream libdeflate made of the same bytes,
taken when it inflates to exactly the chapter rendered; and a record the chapter would
make again, byte for byte, is recorded again by writing its first bytes back (in its
pack, see build_state.ChapterStore)."""
from __future__ import annotations

import os

import deflate
import pytest
from chapter_packs import packs

from build_helpers import build, edit_catalogue, files_of
from serge_publish.commands.build_state import CHAPTER_MAGIC, ChapterStore
from serge_publish.writers import epub, epubzip
from serge_publish.writers.memo import BytesBounded


def _fresh_process(monkeypatch) -> None:
    monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(1 << 30, lambda _, c: 1))
    monkeypatch.setattr(epubzip, "_DEFLATED", BytesBounded(1 << 30, lambda c, k: len(c)))


def test_a_forgotten_record_is_read_by_former_only(tmp_path):
    store = ChapterStore(tmp_path)
    store.put(b"k", ("chapter", b"stream"))
    store.forget([b"k"])
    assert store.get(b"k") is None and store.former(b"k") == ("chapter", b"stream")
    assert ChapterStore(tmp_path, read=False).former(b"k") is None
    assert store.former(b"other") is None
    (path,) = packs(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))          # damaged: nothing
    assert store.former(b"k") is None


def test_the_same_record_is_recorded_again_by_its_first_bytes(tmp_path, monkeypatch):
    store = ChapterStore(tmp_path)
    store.put(b"k", ("chapter", b"stream"))
    (path,) = packs(tmp_path)
    before = path.read_bytes()
    store.forget([b"k"])
    assert store.former(b"k") == ("chapter", b"stream")
    writes: list[int] = []
    real, real_at = os.write, os.pwrite
    monkeypatch.setattr(os, "write", lambda fd, data: writes.append(len(data)) or
                        real(fd, data))
    monkeypatch.setattr(os, "pwrite", lambda fd, data, at: writes.append(len(data)) or
                        real_at(fd, data, at))
    store.put(b"k", ("chapter", b"stream"))
    assert writes == [len(CHAPTER_MAGIC)] and path.read_bytes() == before
    assert packs(tmp_path) == [path]
    store.forget([b"k"])
    store.former(b"k")
    store.put(b"k", ("other", b"stream"))                  # another record: written whole
    assert store.get(b"k") == ("other", b"stream")
    store.forget([b"k"])
    store.former(b"k")
    store.put(b"j", ("chapter", b"stream"))                # another key: not restored
    assert store.get(b"k") is None


def test_a_chapter_rendered_as_it_was_is_not_deflated_again(tmp_path, monkeypatch):
    from build_helpers import edition
    store = ChapterStore(tmp_path)
    _fresh_process(monkeypatch)
    epub.prepare_chapter(edition(), b"k", store, fresh=True)
    recorded = store.get(b"k")
    (path,) = packs(tmp_path)
    before = path.read_bytes()
    store.forget_all()                                     # build --force
    _fresh_process(monkeypatch)
    monkeypatch.setattr(deflate, "deflate_compress",
                        lambda *args: pytest.fail("deflated again"))
    epub.prepare_chapter(edition(), b"k", store, fresh=True)
    assert store.get(b"k") == recorded and path.read_bytes() == before


def test_a_forgotten_record_of_other_bytes_is_not_taken(tmp_path, monkeypatch):
    from build_helpers import edition
    store = ChapterStore(tmp_path)
    _fresh_process(monkeypatch)
    epub.prepare_chapter(edition(), b"k", store, fresh=True)
    meta, stream, crc, outline, size = store.get(b"k")
    xhtml = bytes(deflate.deflate_decompress(stream, size))
    other = xhtml.replace(b"</body>", b"<p>x</p></body>")
    other_stream = bytes(deflate.deflate_compress(other, epubzip.COMPRESS_LEVEL))
    for wrong in ((meta, other_stream, deflate.crc32(other), outline, size),   # its CRC,
                  (meta, other_stream, crc, outline, size),                    # not its
                  (meta, stream[:-3], crc, outline, size), "junk"):            # bytes
        store.put(b"k", wrong)
        store.forget_all()
        _fresh_process(monkeypatch)
        epub.prepare_chapter(edition(), b"k", store, fresh=True)
        assert store.get(b"k") == (meta, stream, crc, outline, size)
        assert store.made(b"k") == (meta, stream, crc, outline, size)


def test_a_forced_build_is_the_same_with_its_streams_found(make_root, tmp_path):
    root = make_root("two-essays")
    for essay in ("alpha", "beta"):
        edit_catalogue(root, "fr", essay, lambda i, e: e.msgid)
    build(root, "--jobs", "1")
    first = files_of(root / "build")
    build(root, "--force", "--jobs", "1")
    again = files_of(root / "build")
    # (the report differs: the first build said the essays were now published)
    assert again.keys() == first.keys() and all(
        again[rel] == first[rel] for rel in first if rel != "build-report.json")
