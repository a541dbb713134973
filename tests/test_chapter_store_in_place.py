"""The chapter store appends its records to a pack of its process (issue 8): no file, no
temporary file, no rename per record; a record is a record by its SHA-256, so a record
met half written (by a reader while a worker appends it, after a kill or a power cut) is
no record and the chapter is rendered again. ``build --force`` forgets a chapter by
overwriting its record's first bytes instead of removing it; when it cannot, nothing
recorded is read in that build."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from chapter_packs import packs, records

from serge_publish import atomic
from serge_publish.commands import build_state
from serge_publish.commands.build_state import _HEAD, ChapterStore


def _files(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_chapters_are_appended_to_one_pack_the_newest_taken(tmp_path, monkeypatch):
    store = ChapterStore(tmp_path / "chapters")
    store.put(b"k", ("long", b"x" * 5000))
    (path,) = packs(tmp_path / "chapters")
    inode = path.stat().st_ino
    monkeypatch.setattr(os, "replace", lambda *a: pytest.fail("replaced"))
    store.put(b"k", ("short", b"y"))
    store.put(b"j", ("other", b"z"))
    assert path.stat().st_ino == inode and ChapterStore(path.parent).get(b"k") == \
        ("short", b"y")
    assert _files(path.parent) == [path.name]                     # no other file


@pytest.mark.parametrize("cut", [10, _HEAD.size + 5, -1])
def test_a_half_written_chapter_is_no_record(tmp_path, cut):
    """What a reader meets while a worker appends a record (or after a kill): the head
    of the record, or the record but its last byte; the records before it are whole."""
    store = ChapterStore(tmp_path)
    store.put(b"j", ("old", b"o" * 3000))
    store.put(b"k", ("new", b"n" * 1000))
    (path,) = packs(tmp_path)
    data = path.read_bytes()
    whole = min(records(tmp_path), key=lambda r: r.place).raw          # j's
    path.write_bytes(data[:len(whole) + cut] if cut > 0 else data[:cut])
    assert ChapterStore(tmp_path).get(b"k") is None
    assert ChapterStore(tmp_path).get(b"j") == ("old", b"o" * 3000)


def test_a_record_half_written_after_a_whole_one_is_not_taken(tmp_path):
    """A record of ``k`` put again, cut short (its head says it is the newest): the whole
    one before it is the record, never the half one."""
    store = ChapterStore(tmp_path)
    store.put(b"k", ("first", b"f" * 2000))
    store.put(b"k", ("again", b"a" * 2000))
    (path,) = packs(tmp_path)
    path.write_bytes(path.read_bytes()[:-1])
    assert ChapterStore(tmp_path).get(b"k") == ("first", b"f" * 2000)


def test_forget_makes_a_chapter_no_record_until_it_is_put_again(tmp_path):
    store = ChapterStore(tmp_path)
    store.put(b"a", ("chapter a",))
    store.put(b"b", ("chapter b",))
    store.forget(["a", b"c"])                    # str or bytes; c: nothing recorded
    assert store.get(b"a") is None and store.get(b"b") == ("chapter b",)
    store.put(b"a", ("other",), again=False)     # (no record there: written)
    assert store.get(b"a") == ("other",)
    store.put(b"a", ("third",), again=False)     # (a record there: kept)
    assert store.get(b"a") == ("other",) and store.read


def test_a_chapter_that_cannot_be_forgotten_stops_the_reading(tmp_path, monkeypatch):
    store = ChapterStore(tmp_path)
    store.put(b"a", ("chapter a",))
    real = os.open

    def refuse(path, flags, *args, **kwargs):
        if flags & os.O_WRONLY and str(path).endswith(".pack"):
            raise PermissionError(13, "Permission denied", path)
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(build_state.os, "open", refuse)
    store.forget([b"a"])
    assert not store.read and store.get(b"a") is None


def test_a_store_linked_out_of_the_project_is_not_written(tmp_path):
    project = tmp_path / "project"
    (project / ".serge-cache").mkdir(parents=True)
    (project / atomic.PROJECT_MARKER).write_text("")
    (tmp_path / "elsewhere").mkdir()
    (project / ".serge-cache" / "chapters").symlink_to(tmp_path / "elsewhere")
    store = ChapterStore(project / ".serge-cache" / "chapters")
    store.put(b"a", ("chapter a",))
    assert os.listdir(tmp_path / "elsewhere") == []
    recorded = ChapterStore(tmp_path / "elsewhere")           # (recorded there anyway)
    recorded.put(b"a", ("chapter a",))
    before = {p.name: p.read_bytes() for p in (tmp_path / "elsewhere").iterdir()}
    assert store.get(b"a") == ("chapter a",)                  # read as before
    store.forget([b"a"])                       # not written there: none is read then
    assert not store.read and store.get(b"a") is None
    assert {p.name: p.read_bytes() for p in (tmp_path / "elsewhere").iterdir()} == before
    inside = project / "shared"
    inside.mkdir()
    (project / ".serge-cache" / "inner").symlink_to(inside)
    ChapterStore(project / ".serge-cache" / "inner").put(b"a", ("chapter a",))
    assert len(packs(inside)) == 1                       # a link inside: followed


def test_a_reader_beside_writers_gets_a_whole_record_or_none(tmp_path):
    """Two processes write the key's file in place (records of other lengths: a harder case
    than a build's, whose writers of one key write the same bytes) while this one reads
    it: each read is one of the records written, or nothing, never a mix."""
    import multiprocessing
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs fork")
    records = [("chapter", bytes([n]) * (1000 + 700 * n)) for n in range(6)]
    ChapterStore(tmp_path).put(b"k", records[0])

    def write(offset: int) -> None:
        store = ChapterStore(tmp_path)
        for n in range(300):
            store.put(b"k", records[(n + offset) % len(records)])

    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=write, args=(i,)) for i in (1, 4)]
    for writer in writers:
        writer.start()
    while any(w.is_alive() for w in writers):
        found = ChapterStore(tmp_path).get(b"k")
        assert found is None or found in records
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert ChapterStore(tmp_path).get(b"k") in records
