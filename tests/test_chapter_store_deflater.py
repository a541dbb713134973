"""A chapter recorded in .serge-cache/chapters holds libdeflate's deflated stream, which the zip
writer copies as it is: a chapter recorded by another deflater, level or Python is not found, so
that a build's bytes never depend on what the cache holds."""
from __future__ import annotations

from serge_publish.commands import build_state
from serge_publish.commands.build_state import ChapterStore


def test_another_zlib_finds_nothing_recorded(tmp_path, monkeypatch):
    store = ChapterStore(tmp_path)
    store.put(b"key", ("chapter", b"stream", 1))
    assert ChapterStore(tmp_path).get(b"key") == ("chapter", b"stream", 1)
    monkeypatch.setattr(build_state, "_deflater", lambda: b"1.2.0 (3, 99)\0")
    assert ChapterStore(tmp_path).get(b"key") is None


def test_another_level_finds_nothing_recorded(tmp_path, monkeypatch):
    """The streams of another compression level are not this build's either."""
    from serge_publish.writers import epubzip
    store = ChapterStore(tmp_path)
    store.put(b"key", ("chapter", b"stream", 1))
    assert ChapterStore(tmp_path).get(b"key") == ("chapter", b"stream", 1)
    build_state._deflater.cache_clear()
    monkeypatch.setattr(epubzip, "COMPRESS_LEVEL", epubzip.COMPRESS_LEVEL + 1)
    try:
        assert ChapterStore(tmp_path).get(b"key") is None
    finally:
        build_state._deflater.cache_clear()
