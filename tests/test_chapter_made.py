"""A chapter recorded by the process that rendered it (issue 8) is taken by its EPUB and
its anthology from that process's memory, as its deflated stream: its file is not read
back, its stream not inflated to be checked, nor deflated again; the books are byte for
byte those made of the chapter's bytes."""
from __future__ import annotations

import deflate
import pytest

from build_helpers import DATE, edition, sample_document
from serge_publish.commands import build_state
from serge_publish.commands.build_state import ChapterStore
from serge_publish.writers import epub, epubzip
from serge_publish.writers.edition import Anthology
from serge_publish.writers.memo import BytesBounded


@pytest.fixture(autouse=True)
def full_process(monkeypatch):
    """A process whose memory of chapters' bytes and of deflated streams holds none (as
    at 200 essays in 10 languages, whose chapters' bytes are 260 MB)."""
    monkeypatch.setattr(epub, "_CHAPTERS", BytesBounded(0, lambda _, c: 1))
    monkeypatch.setattr(epubzip, "_DEFLATED", BytesBounded(0, lambda c, k: 1))


def _untouched(monkeypatch, *editions) -> None:
    """From now on no store file is read, nothing inflated, no chapter of ``editions``
    rendered or deflated."""
    from serge_publish.writers.furniture import furniture_for
    chapters = {epub.essay_chapter(e, furniture_for(e.lang)).xhtml for e in editions}
    real = deflate.deflate_compress
    monkeypatch.setattr(build_state, "_record_of", lambda *a, **k: pytest.fail("read"))
    monkeypatch.setattr(deflate, "deflate_decompress", lambda *a: pytest.fail("inflated"))
    monkeypatch.setattr(deflate, "deflate_compress", lambda data, level: pytest.fail(
        "deflated") if bytes(data) in chapters else real(data, level))
    monkeypatch.setattr(epub, "render_essay", lambda *a, **k: pytest.fail("rendered"))


def test_written_from_its_stream_an_entry_is_as_written_from_its_bytes():
    chapter = ("<p>Chapitre : é</p>" * 500).encode()
    stream, crc = epubzip.deflated(chapter)
    entries: dict[str, epubzip.Content] = {"mimetype": b"application/epub+zip",
                                           "EPUB/a.xhtml": chapter, "EPUB/z.css": b"body {}"}
    expected = epubzip.write_epub(entries, DATE)
    entries["EPUB/a.xhtml"] = epubzip.Deflated(stream, crc, len(chapter))
    assert epubzip.write_epub(entries, DATE) == expected
    names = ["mimetype", "EPUB/a.xhtml", "EPUB/z.css"]
    assert epubzip._write_zipfile(entries, names, epubzip.zip_stamp(DATE),
                                  frozenset()) == expected   # (zipfile: inflated)


def test_an_essay_epub_takes_the_chapter_its_process_recorded(tmp_path, monkeypatch):
    ed = edition()
    expected = epub.essay_epub(ed, b"body {}", 1)
    store = ChapterStore(tmp_path)
    epub.prepare_chapter(ed, b"k", store, fresh=True)
    _untouched(monkeypatch, ed)
    assert epub.essay_epub(epub.outline(ed), b"body {}", 1, key=b"k", store=store,
                           outline=True) == expected


def test_an_anthology_takes_the_chapters_its_process_recorded(tmp_path, monkeypatch):
    a, b = edition(sample_document("one")), edition(sample_document("two"))
    book = Anthology((a, b), "en", "en", a.publisher, DATE)
    expected = epub.anthology_epub(book, b"")
    store = ChapterStore(tmp_path)
    for ed, key in ((a, b"key-a"), (b, b"key-b")):
        epub.prepare_chapter(ed, key, store, fresh=True)
    _untouched(monkeypatch, a, b)
    found = [epub.recorded_edition(key, store) for key in (b"key-a", b"key-b")]
    assert [f[0] for f in found] == [epub.outline(a), epub.outline(b)]
    heads = Anthology(tuple(f[0] for f in found), "en", "en", a.publisher, DATE)
    assert epub.anthology_epub(heads, b"", keys=(b"key-a", b"key-b"),
                               store=store) == expected


def test_a_chapter_not_recorded_here_is_read_and_checked(tmp_path, monkeypatch):
    ed = edition()
    ChapterStore(tmp_path).put(b"k", ("junk",))
    store = ChapterStore(tmp_path)                    # another process's record
    epub.prepare_chapter(ed, b"k", ChapterStore(tmp_path), fresh=True)
    assert store.made(b"k") is None
    inflated = []
    real = deflate.deflate_decompress
    monkeypatch.setattr(deflate, "deflate_decompress",
                        lambda *a: inflated.append(1) or real(*a))
    assert epub.recorded_edition(b"k", store) is not None and inflated


def test_what_a_process_made_is_forgotten_with_its_file_and_bounded(tmp_path, monkeypatch):
    store = ChapterStore(tmp_path)
    store.put(b"k", ("made", b"x" * 100), made=True)
    store.put(b"j", ("not made",))
    assert store.made(b"k") == ("made", b"x" * 100) and store.made(b"j") is None
    store.forget([b"k"])
    assert store.made(b"k") is None
    store.put(b"k", ("made",), made=True)
    store.put(b"k", ("other",))                       # another record: not this one
    assert store.made(b"k") is None
    store.put(b"k", ("made",), made=True)
    store.forget_all()
    assert store.made(b"k") is None
    monkeypatch.setattr(build_state, "MADE_BYTES", 250)
    for n in range(4):
        store.put(b"%d" % n, ("made", b"x" * 100), made=True)
    assert [store.made(b"%d" % n) is not None for n in range(4)] == \
        [False, False, True, True]
    nowhere = ChapterStore(None)                      # no file: still this process's
    nowhere.put(b"k", ("made",), made=True)
    assert nowhere.made(b"k") == ("made",)


def test_a_chapter_given_by_its_stream_is_the_same_chapter():
    meta = epub.Chapter("a.xhtml", "Title", (), b"")
    packed = epub.replace(meta, packed=epubzip.Deflated(b"s", 1, 2))
    assert packed == meta and packed.content == epubzip.Deflated(b"s", 1, 2)
    assert epub.replace(meta, xhtml=b"<x/>").content == b"<x/>"


def test_the_copies_of_a_store_in_one_process_share_what_it_made(tmp_path):
    """A build's jobs are given copies of its store (pickled): the render job of an essay
    finds the chapter its plan job recorded in that process; another build's store (a
    new one) finds none of them."""
    import pickle
    store = ChapterStore(tmp_path)
    pickle.loads(pickle.dumps(store)).put(b"k", ("made",), made=True)    # a plan job
    assert pickle.loads(pickle.dumps(store)).made(b"k") == ("made",)      # a render job
    store.put(b"j", ("junk",))
    store.forget([b"j"])
    store.former(b"j")
    assert pickle.loads(pickle.dumps(store))._former is None
    assert ChapterStore(tmp_path).made(b"k") is None                      # next build
    assert store.made(b"k") is None          # (one build at a time: the last one's)


def test_a_record_kept_again_unless_recorded_keeps_what_the_process_made(tmp_path):
    """``put(..., again=False)`` of a key already recorded (an anthology keeping its
    essays' chapters) leaves the file and what this process remembers of it: the record
    is still taken from memory, not read back."""
    store = ChapterStore(tmp_path)
    store.put(b"k", ("made", b"x" * 100), made=True)
    store.put(b"k", ("made", b"x" * 100), again=False)
    assert store.made(b"k") == ("made", b"x" * 100)
    store.put(b"k", ("other",), again=True)            # recorded again: not the one made
    assert store.made(b"k") is None
