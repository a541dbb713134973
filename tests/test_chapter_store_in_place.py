"""The chapter store writes its files in place (issue 8): no temporary file, no rename, no
old file to free; a record is a record by its SHA-256, so a file met half written (by a
reader while a worker writes it, after a kill or a power cut) is no record and the chapter
is rendered again. ``build --force`` forgets a chapter by overwriting its file's first
bytes instead of removing it; when it cannot, nothing recorded is read in that build."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from serge_publish import atomic
from serge_publish.commands import build_state
from serge_publish.commands.build_state import EDITION_MAGIC, ChapterStore


def _files(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_a_chapter_is_written_in_place_and_cut_to_its_length(tmp_path, monkeypatch):
    store = ChapterStore(tmp_path / "chapters")
    store.put(b"k", ("long", b"x" * 5000))
    (path,) = (tmp_path / "chapters").glob("*.bin")
    inode = path.stat().st_ino
    monkeypatch.setattr(os, "replace", lambda *a: pytest.fail("replaced"))
    store.put(b"k", ("short", b"y"))
    assert path.stat().st_ino == inode and ChapterStore(path.parent).get(b"k") == \
        ("short", b"y")
    assert _files(path.parent) == [path.name]                     # no temporary file


@pytest.mark.parametrize("cut", [10, len(EDITION_MAGIC) + 32 + 5, -1])
def test_a_half_written_chapter_is_no_record(tmp_path, cut):
    """What a reader meets while a worker writes (or after a kill): the head of the new
    record, or the new record over the tail of an old, longer one."""
    store = ChapterStore(tmp_path)
    store.put(b"k", ("old", b"o" * 3000))
    (path,) = tmp_path.glob("*.bin")
    old = path.read_bytes()
    store.put(b"k", ("new", b"n" * 1000))
    new = path.read_bytes()
    path.write_bytes(new[:cut] if cut > 0 else new + old[len(new):])
    assert ChapterStore(tmp_path).get(b"k") is None


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
        if flags & os.O_WRONLY and str(path).endswith(".bin"):
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
    assert len(list(inside.glob("*.bin"))) == 1          # a link inside: followed


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
